"""A Footer that is not rebuilt when focus moves from one terminal pane to another.

Textual's Footer recomposes on every focus change; switching between two
terminal panes (same bindings) then costs a full rebuild of every key widget,
which was most of a pane switch's time.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

from wxtui.terminal.widget import TerminalView

Signature = tuple[tuple[str, str, str, bool], ...]


class StableFooter(Footer):
    _terminal_keys: Signature | None = None

    def bindings_changed(self, screen: Screen) -> None:
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
