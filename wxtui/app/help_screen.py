"""The key map, as a modal screen (F1)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

KEYMAP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("ctrl+q", "quit (sessions end; conversations resume next time)"),
            ("ctrl+]", "back to the sidebar, cursor on the current project"),
            ("alt+1 … alt+9", "switch to project 1-9"),
            ("ctrl+\\", "the session that needs you most"),
            ("F1", "this help"),
            ("F2", "inbox: every session that needs you"),
            ("F3", "hide or show the sidebar (remembered)"),
            ("F4", "search the scrollback: n older, N newer, esc live"),
        ),
    ),
    (
        "Sidebar",
        (
            ("up / down, j / k", "move"),
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
            ("< / >", "narrower / wider sidebar (remembered)"),
            ("?", "this help"),
        ),
    ),
    (
        "Terminal",
        (
            ("every other key", "goes to the agent"),
            ("shift+pgup / pgdn, wheel", "scroll back (any key returns)"),
            ("mouse drag", "select and copy (when the program does not use the mouse)"),
            ("F5", "copy the visible screen"),
            ("enter (after exit)", "restart, resuming the conversation"),
        ),
    ),
)


MARKERS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Claude sessions",
        (
            ("○ ◌", "not started, starting"),
            ("●", "working (the tool it runs follows the name)"),
            ("⚠", "needs your permission"),
            ("?", "asks you a question"),
            ("✓", "done: the turn ended (bright until you look)"),
            ("✗", "error from the API"),
            ("✕ ■", "exited (red: failed), stopped"),
        ),
    ),
    (
        "Other programs",
        (("● ◆ !", "running, new output, bell"), ("◌", "running in another wxtui")),
    ),
    (
        "Milestones",
        (("○ ▶ ✓ ✗", "pending, in progress, completed, failed"),),
    ),
)


def keymap_text() -> Text:
    text = Text()
    for section, keys in (*KEYMAP, *MARKERS):
        text.append(f"{section}\n", style="bold")
        for key, what in keys:
            text.append(f"  {key:<24}", style="bold cyan")
            text.append(f"{what}\n")
        text.append("\n")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body help-body"):
            yield Static("wxtui keys", classes="dialog-title")
            yield Static(keymap_text(), id="keymap")
        yield Footer()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
