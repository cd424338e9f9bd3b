"""A Footer that keeps Quit and Help in view, rebuilt only when its keys change, and
showing only the keys that fit whole.

Textual's Footer lists the focused widget's keys first, so at 80 columns the sidebar's
keys pushed Quit and Help out of sight; the app's own keys come first here. A key that
would be cut at the right edge ("m M") is left out instead (F1 lists every key).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget

from wxtui.app.textual_internals import QuietFooter

# Shown first, in this order, whatever has the focus.
PINNED_ACTIONS = ("quit", "help", "sidebar", "next_attention", "inbox")


def _rank(widget: object) -> int:
    action = getattr(widget, "action", None)
    return PINNED_ACTIONS.index(action) if action in PINNED_ACTIONS else len(PINNED_ACTIONS)


class StableFooter(QuietFooter):
    def compose(self) -> ComposeResult:
        keys = sorted(super().compose(), key=_rank)
        docked = [key for key in keys if key.has_class("-command-palette")]
        room = self.app.size.width - sum(_width(key) for key in docked)
        used = 0
        shown = []
        for key in keys:
            if key in docked:
                continue
            used += _width(key)
            if used > room:
                break
            shown.append(key)
        self.styles.grid_size_columns = max(1, len(shown))
        yield from shown
        yield from docked

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != event.virtual_size.width or self._fitted != event.size.width:
            self._fitted = event.size.width
            self.refresh(recompose=True)

    _fitted = 0


def _width(key: Widget) -> int:
    """A key's width as the footer draws it: " key description " (not compact)."""
    return len(str(getattr(key, "key_display", ""))) + len(str(getattr(key, "description", ""))) + 3
