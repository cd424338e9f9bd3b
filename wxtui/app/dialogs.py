"""Modal dialogs. Each validates through a ``submit`` callback so the store's own
rules (unique names, existing directories) are the ones the user sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from wxtui.errors import WxtuiError
from wxtui.models import MILESTONE_STATUSES


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormDialog(ModalScreen[Any]):
    """A titled form; ``submit(values)`` returns the result or raises WxtuiError to show it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        submit: Callable[[dict[str, str]], Any],
        *,
        ok_label: str = "Save",
    ) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._fields = fields
        self._submit = submit
        self._ok_label = ok_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(self._title, classes="dialog-title")
            for field in self._fields:
                yield Label(field.label, classes="field-label")
                yield Input(field.value, placeholder=field.placeholder, id=f"field-{field.name}")
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._ok_label, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self._fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._try_submit()
        else:
            self.dismiss(None)

    def _try_submit(self) -> None:
        try:
            result = self._submit(self.values())
        except WxtuiError as error:
            self.query_one("#dialog-error", Static).update(str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, confirm_label: str = "Delete") -> None:
        super().__init__(classes="dialog")
        self._question = question
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(self._question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm_label, variant="error", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class StatusDialog(ModalScreen[str | None]):
    """Pick a milestone status."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, milestone_name: str, current: str) -> None:
        super().__init__(classes="dialog")
        self._name = milestone_name
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(f"Status of {self._name}", classes="dialog-title")
            yield OptionList(
                *(Option(status.replace("_", " "), id=status) for status in MILESTONE_STATUSES),
                id="statuses",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = MILESTONE_STATUSES.index(self._current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
