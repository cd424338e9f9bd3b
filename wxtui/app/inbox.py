"""The inbox (F2): every session that needs the user, most urgent first."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class InboxEntry:
    project_id: str
    name: str
    reason: str
    since: float | None  # time.monotonic() when it began (None: not known)


def age(since: float, now: float | None = None) -> str:
    seconds = max(0, int((time.monotonic() if now is None else now) - since))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class InboxScreen(ModalScreen[str | None]):
    """Dismissed with the chosen project's id (enter), or None (esc, F2)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "go", "Go there"),
        Binding("f2", "dismiss(None)", "Close", show=False),
    ]

    def __init__(self, entries: list[InboxEntry]) -> None:
        super().__init__(classes="dialog")
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body inbox-body"):
            yield Static("Sessions that need you", classes="dialog-title")
            if not self.entries:
                yield Static("Nothing needs you right now.", id="inbox-empty")
            options = []
            for entry in self.entries:
                label = Text()
                label.append(entry.name, style="bold")
                label.append(
                    f"  {age(entry.since)} ago\n" if entry.since is not None else "\n", style="dim"
                )
                label.append(f"  {entry.reason}")
                options.append(Option(label, id=entry.project_id))
            yield OptionList(*options, id="inbox-list")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    def action_go(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
