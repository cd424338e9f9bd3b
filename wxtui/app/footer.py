"""A Footer that keeps Quit and Help in view, and is not rebuilt when focus moves from
one terminal pane to another.

Textual's Footer lists the focused widget's keys first, so at 80 columns the sidebar's
keys pushed Quit and Help out of sight; the app's own keys come first here. It also
recomposes on every focus change; switching between two terminal panes (same
bindings) then costs a full rebuild of every key widget, which was most of a pane
switch's time.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from wxtui.terminal.widget import TerminalView

Signature = tuple[tuple[str, str, str, bool], ...]


# Shown first, in this order, whatever has the focus.
PINNED_ACTIONS = ("quit", "help", "sidebar", "next_attention", "inbox")


def _rank(widget: object) -> int:
    action = getattr(widget, "action", None)
    return PINNED_ACTIONS.index(action) if action in PINNED_ACTIONS else len(PINNED_ACTIONS)


class StableFooter(Footer):
    _terminal_keys: Signature | None = None

    def compose(self) -> ComposeResult:
        yield from sorted(super().compose(), key=_rank)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not isinstance(screen.focused, TerminalView):
            self._terminal_keys = None
            super().bindings_changed(screen)
            return
        keys = tuple(
            (binding.key, binding.description, binding.action, enabled)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
            if binding.show
        )
        if keys != self._terminal_keys:
            self._terminal_keys = keys
            super().bindings_changed(screen)
