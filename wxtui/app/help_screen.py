"""The key map, as a modal screen (F1)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYMAP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("ctrl+q", "quit (sessions end; conversations resume next time)"),
            ("ctrl+]", "back to the sidebar, cursor on the current project"),
            ("alt+1 … alt+9", "switch to project 1-9"),
            ("ctrl+\\", "next session that needs attention"),
            ("F1", "this help"),
        ),
    ),
    (
        "Sidebar",
        (
            ("up / down", "move"),
            ("enter", "open the project's session (starts it if needed)"),
            ("a", "add project"),
            ("m", "add milestone"),
            ("e", "edit project or milestone"),
            ("d", "delete project or milestone"),
            ("p", "send the milestone's prompt to the session"),
            ("t", "set milestone status"),
            ("r", "restart session"),
            ("s", "stop session"),
            ("/", "filter by name"),
            ("ctrl+p", "command palette"),
        ),
    ),
    (
        "Terminal",
        (
            ("every other key", "goes to the agent"),
            ("shift+pgup / pgdn, wheel", "scroll back (any key returns)"),
            ("enter (after exit)", "restart, resuming the conversation"),
        ),
    ),
)


def keymap_text() -> str:
    lines: list[str] = []
    for section, keys in KEYMAP:
        lines.append(f"[b]{section}[/b]")
        lines.extend(f"  [b cyan]{key:<26}[/] {what}" for key, what in keys)
        lines.append("")
    return "\n".join(lines).replace("[b cyan]ctrl+\\", "[b cyan]ctrl+\\\\")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body help-body"):
            yield Static("wxtui keys", classes="dialog-title")
            yield Static(keymap_text(), id="keymap")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
