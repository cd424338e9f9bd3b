"""Modal dialogs. Each validates through a ``submit`` callback so the store's own
rules (unique names, existing directories) are the ones the user sees."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wxtui.errors import InvalidInput, WxtuiError
from wxtui.models import MILESTONE_STATUSES, Milestone, OutputProject
from wxtui.store import Store


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    multiline: bool = False  # A text editor (enter makes a new line) instead of one line.
    password: bool = False  # Typed unseen (ssh's password).


class FormDialog(ModalScreen[Any]):
    """A titled form; ``submit(values)`` returns the result or raises WxtuiError to show it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save"),
    ]

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
        with VerticalScroll(classes="dialog-body", can_focus=False):
            yield Static(self._title, classes="dialog-title")
            for field in self._fields:
                yield Label(field.label, classes="field-label")
                if field.multiline:
                    area = TextArea(field.value, id=f"field-{field.name}", classes="field-text")
                    area.show_line_numbers = False
                    yield area
                else:
                    yield Input(
                        field.value,
                        placeholder=field.placeholder,
                        id=f"field-{field.name}",
                        select_on_focus=False,  # The first key must not replace the name.
                        compact=True,
                        password=field.password,
                    )
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._ok_label, variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def values(self) -> dict[str, str]:
        values = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Input):
                values[field.name] = widget.value
        return values

    def on_mount(self) -> None:
        if self._fields:
            # At once, not later: keys typed right after the form appears go to its fields.
            self.set_focus(self.query_one(f"#field-{self._fields[0].name}"))

    async def action_submit(self) -> None:
        await self._try_submit()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self._try_submit()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            await self._try_submit()
        else:
            self.dismiss(None)

    async def _try_submit(self) -> None:
        """The form's values to ``submit`` (awaited when it asks another machine)."""
        try:
            result = self._submit(self.values())
            if inspect.isawaitable(result):
                result = await result
        except WxtuiError as error:
            self.query_one("#dialog-error", Static).update(str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def text_dialog(title: str, label: str, what: str, ok_label: str = "Save") -> FormDialog:
    """A one-line form dismissed with its text, stripped; empty is refused ("type the
    ``what``, or esc to cancel")."""

    def text(values: dict[str, str]) -> str:
        value = values["text"].strip()
        if not value:
            raise InvalidInput(f"type the {what}, or esc to cancel")
        return value

    return FormDialog(title, [Field("text", label)], text, ok_label=ok_label)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(self._question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Delete", variant="error", id="yes", compact=True)
                yield Button("Cancel", id="no", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))

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
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = MILESTONE_STATUSES.index(self._current)
        self.set_focus(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the forms for projects and milestones -------------------------------------------

_COMMAND_LABEL = "Agent command (empty: the default)"


def add_project_form(
    store: Store, directory: str, command: str, *, folder_per_name: bool = False
) -> FormDialog:
    """Add a project; the dialog's result is the new project's id. ``folder_per_name``
    (the demo): left as it is, ``directory`` gets a folder named after the project."""

    def submit(values: dict[str, str]) -> str:
        workspace = values["dir"]
        if folder_per_name and workspace == directory and values["name"].strip():
            folder = Path(directory) / _folder_name(values["name"])
            folder.mkdir(exist_ok=True)
            workspace = str(folder)
        return store.add_project(values["name"], workspace, values["command"]).id

    fields = project_fields(directory=directory, command=command)
    return FormDialog("Add project", fields, submit, ok_label="Add")


def project_fields(
    project: OutputProject | None = None,
    *,
    directory: str = "",
    command: str = "",
    machine: str | None = None,
) -> list[Field]:
    """A project's form: its name, workspace (a path on ``machine``, a remote's name)
    and agent command; filled in from ``project`` when it is edited."""
    if project is not None:
        directory, command = project.workspace_path, project.command
    where = "" if machine is None else f" on {machine}"
    return [
        Field("name", "Name", "" if project is None else project.name),
        Field("dir", f"Workspace directory{where}", directory),
        Field("command", _COMMAND_LABEL, command, placeholder="" if project else "claude"),
    ]


def _folder_name(name: str) -> str:
    """A project's name as one safe folder name."""
    return re.sub(r"[^\w.-]+", "-", name.strip()).strip(".-") or "project"


def edit_project_form(store: Store, project: OutputProject) -> FormDialog:
    def submit(values: dict[str, str]) -> str:
        return store.edit_project(
            project.id, name=values["name"], workspace_path=values["dir"], command=values["command"]
        ).id

    return FormDialog("Edit project", project_fields(project), submit)


def add_milestone_form(store: Store, project_id: str, project_name: str) -> FormDialog:
    def submit(values: dict[str, str]) -> str:
        return store.add_milestone(project_id, values["name"], values["prompt"]).id

    fields = milestone_fields()
    return FormDialog(f"Add milestone to {project_name}", fields, submit, ok_label="Add")


def milestone_fields(milestone: Milestone | None = None) -> list[Field]:
    """A milestone's form: its name and prompt; filled in from ``milestone`` when it is
    edited."""
    if milestone is None:
        return [Field("name", "Name"), Field("prompt", "Prompt (optional)", multiline=True)]
    return [
        Field("name", "Name", milestone.element_name),
        Field("prompt", "Prompt (optional)", milestone.prompt or "", multiline=True),
    ]


def edit_milestone_form(store: Store, milestone: Milestone) -> FormDialog:
    def submit(values: dict[str, str]) -> str:
        return store.edit_milestone(
            milestone.id, element_name=values["name"], prompt=values["prompt"]
        ).id

    return FormDialog("Edit milestone", milestone_fields(milestone), submit)
