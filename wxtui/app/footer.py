"""A Footer that keeps Quit and Help in view, rebuilt only when its keys change.

Textual's Footer lists the focused widget's keys first, so at 80 columns the sidebar's
keys pushed Quit and Help out of sight; the app's own keys come first here.
"""

from __future__ import annotations

from textual.app import ComposeResult

from wxtui.app.textual_internals import QuietFooter

# Shown first, in this order, whatever has the focus.
PINNED_ACTIONS = ("quit", "help", "sidebar", "next_attention", "inbox")


def _rank(widget: object) -> int:
    action = getattr(widget, "action", None)
    return PINNED_ACTIONS.index(action) if action in PINNED_ACTIONS else len(PINNED_ACTIONS)


class StableFooter(QuietFooter):
    def compose(self) -> ComposeResult:
        yield from sorted(super().compose(), key=_rank)
