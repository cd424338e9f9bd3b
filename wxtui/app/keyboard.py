"""Keys as the user typed them: meta keys as the terminal sent them, bursts in order.

Textual maps ESC+digit to macOS option characters (ESC 3 becomes "£") and
ESC b / ESC f to ctrl+left / ctrl+right. In a terminal multiplexer those are
alt+digit (our project switch keys) and meta+b / meta+f (Claude Code's and
readline's word motions), so those sequences are mapped to alt+<key> instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.app import App
from textual.widget import Widget

from wxtui.terminal.widget import TerminalView


@dataclass(frozen=True, slots=True)
class _KeyName:
    """Stands in for a ``Keys`` member: the parser only reads ``.value``."""

    value: str


META_KEYS = {f"\x1b{ch}": f"alt+{ch}" for ch in "0123456789bf"}


def pass_meta_keys_through() -> None:
    for sequence, key in META_KEYS.items():
        table = cast(dict[str, tuple[_KeyName, ...]], ANSI_SEQUENCES_KEYS)
        table[sequence] = (_KeyName(key),)


async def handle_key_in_order(app: App[Any], event: events.Key, focused: Widget) -> None:
    """Handle a key for the sidebar or a terminal pane completely, before the next key.

    Textual runs app-level (priority) bindings at once but hands other keys to the
    focused widget's own queue, whose bindings run only after the key bubbles back up:
    in a burst (``enter ctrl+] down down`` from a script or a fast typist) a later
    ``ctrl+]`` moved the focus before an earlier ``enter`` had opened its session, and
    arrows reached the wrong widget. For these two widgets every key is dispatched here,
    in arrival order, with Textual's own binding lookup (``App._check_bindings``).
    """
    if await app._check_bindings(event.key, priority=True):
        return
    if isinstance(focused, TerminalView):
        await focused.on_key(event)
        if event._stop_propagation:
            return
    await app._check_bindings(event.key)
