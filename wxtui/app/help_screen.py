"""The key map, as a modal screen (F1)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from wxtui.app.inbox import INBOX_BINDINGS
from wxtui.app.keymap import key_rows
from wxtui.app.sidebar import (
    BELL,
    ELSEWHERE,
    MILESTONE_MARKERS,
    RUNNING,
    UNSEEN,
    exit_marker,
)
from wxtui.app.sidebar_panel import SIDEBAR_BINDINGS
from wxtui.sessions.agent_state import LOOKS

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


def _markers() -> tuple[Section, ...]:
    """The sidebar's markers, from the tables the sidebar draws them with."""
    claude = tuple((look.symbol, look.words) for look in LOOKS.values())
    stopped = exit_marker(None, stopped=True)
    other = (
        (f"{RUNNING.symbol} {UNSEEN.symbol} {BELL.symbol}", "running, new output, bell"),
        (ELSEWHERE.symbol, "running in another wxtui"),
        (f"{exit_marker(1).symbol} {stopped.symbol}", "exited (red: failed), stopped"),
    )
    symbols = " ".join(symbol for symbol, _style in MILESTONE_MARKERS.values())
    statuses = ", ".join(status.replace("_", " ") for status in MILESTONE_MARKERS)
    return (
        ("Claude sessions", (*claude, (stopped.symbol, "stopped"))),
        ("Other programs", other),
        ("Milestones", ((symbols, statuses),)),
    )


MARKERS = _markers()


def keymap_text(sections: tuple[Section, ...]) -> Table:
    """Each section's keys in two columns: a description wraps within its own column,
    and a long key name wraps within its own, at any width."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=False, max_width=26)
    table.add_column(ratio=1)
    for number, (section, keys) in enumerate((*sections, *MARKERS)):
        if number:
            table.add_row("", "")
        table.add_row(Text(section, style="bold"), "")
        for key, what in keys:
            table.add_row(Text(f"  {key}", style="bold cyan"), what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
    ]

    def __init__(self, sections: tuple[Section, ...]) -> None:
        """``sections``: the key tables, built from the bindings (see key_sections)."""
        super().__init__(classes="dialog")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body help-body"):
            yield Static("wxtui keys", classes="dialog-title")
            yield Static(keymap_text(self.sections), id="keymap")
        yield Footer()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


def key_sections(app_bindings: list[BindingType], keys: dict[str, str]) -> tuple[Section, ...]:
    """The help's key tables, from the bindings themselves (as the user remapped them)."""
    return (
        ("Anywhere", tuple(key_rows(app_bindings, keys))),
        ("Sidebar", (*SIDEBAR_EXTRA, *key_rows(SIDEBAR_BINDINGS, keys))),
        ("Inbox (F2)", tuple(key_rows(INBOX_BINDINGS, keys))),
        TERMINAL_KEYS,
    )
