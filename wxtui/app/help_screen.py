"""The key map, as a modal screen (F1)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

Section = tuple[str, tuple[tuple[str, str], ...]]

# What the bindings do not say: keys that belong to the agent, and the mouse.
TERMINAL_KEYS: Section = (
    "Terminal",
    (
        ("every other key", "goes to the agent"),
        ("shift+pgup / pgdn, wheel", "scroll back (any key returns)"),
        ("mouse drag", "select and copy (when the program does not use the mouse)"),
        ("enter (after exit)", "restart, resuming the conversation"),
    ),
)
SIDEBAR_EXTRA: tuple[tuple[str, str], ...] = (
    ("up / down", "move"),
    ("ctrl+p", "command palette"),
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


def keymap_text(sections: tuple[Section, ...]) -> Text:
    text = Text()
    for section, keys in (*sections, *MARKERS):
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

    def __init__(self, sections: tuple[Section, ...]) -> None:
        """``sections``: the key tables, built from the bindings (see WxtuiApp.key_sections)."""
        super().__init__(classes="dialog")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body help-body"):
            yield Static("wxtui keys", classes="dialog-title")
            yield Static(keymap_text(self.sections), id="keymap")
        yield Footer()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
