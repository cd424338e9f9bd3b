"""Adding, editing and deleting projects and milestones, and setting a milestone's
status, from the sidebar: the dialogs and what their answers do to the store."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from wxtui.app.dialogs import (
    ConfirmDialog,
    FormDialog,
    StatusDialog,
    add_milestone_form,
    add_project_form,
    edit_milestone_form,
    edit_project_form,
)
from wxtui.errors import NotFound, WxtuiError
from wxtui.milestone_changes import remove_milestone, remove_project
from wxtui.milestone_changes import set_status as set_milestone_status
from wxtui.text import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

T = TypeVar("T")


class ProjectForms:
    """The sidebar's a, m, e, d and t; ``new_project_dir`` and ``new_project_command``:
    what the Add project dialog starts with (the demo keeps new projects in its shell)."""

    def __init__(
        self, app: WxtuiApp, new_project_dir: str | None, new_project_command: str
    ) -> None:
        """``new_project_dir``: a folder where each new project gets one named after it
        (the demo); else new projects start from the current directory."""
        self.app = app
        self.new_project_dir = new_project_dir
        self.new_project_command = new_project_command

    def guarded(self, work: Callable[[], T]) -> T | None:
        """Store work from an action: an item deleted meanwhile (by the CLI, between two
        polls) is a notification and a fresh sidebar, never an exception."""
        try:
            return work()
        except NotFound as error:
            self.app.notify(str(error), severity="warning")
            self.app.reload()
            return None
        except WxtuiError as error:
            self.app.notify(str(error), severity="error")
            return None

    def add_project(self) -> None:
        app = self.app
        directory = self.new_project_dir or os.getcwd()
        dialog = add_project_form(
            app.store,
            directory,
            self.new_project_command,
            folder_per_name=self.new_project_dir is not None,
        )

        def added(project_id: str | None) -> None:
            if project_id:
                app.reload()
                app.project_tree.select_project(project_id)

        app.push_screen(dialog, added)

    def add_milestone(self) -> None:
        app = self.app
        project_id = app.selected_project_id()
        if project_id is None:
            app.notify("Add a project first (a).", severity="warning")
            return
        dialog = add_milestone_form(app.store, project_id, app.project_name(project_id))
        app.push_screen(dialog, lambda _result: app.reload())

    def edit(self) -> None:
        app = self.app
        ref = app.project_tree.selected_ref
        if ref is None:
            return
        dialog: FormDialog | None = None
        if ref.kind == "project":
            project = self.guarded(lambda: app.store.get_project(ref.id))
            if project is not None:
                dialog = edit_project_form(app.store, project)
        else:
            milestone = self.guarded(lambda: app.store.get_milestone(ref.id))
            if milestone is not None:
                dialog = edit_milestone_form(app.store, milestone)
        if dialog is not None:
            app.push_screen(dialog, lambda _result: app.reload())

    def delete(self) -> None:
        app = self.app
        ref = app.project_tree.selected_ref
        if ref is None:
            return
        if ref.kind == "project":
            question = f"Delete project {app.project_name(ref.id)} and its milestones?"
            if app.backend.is_alive(ref.id):
                question += "\nIts running session will be stopped."
        else:
            milestone = self.guarded(lambda: app.store.get_milestone(ref.id))
            if milestone is None:
                return
            question = f"Delete milestone {inert(milestone.element_name)}?"

        async def confirmed(answer: bool | None) -> None:
            if not answer:
                return
            if ref.kind == "project":
                await app.sessions.end(ref.id)
                self.guarded(lambda: remove_project(app.store, ref.id))
            else:
                self.guarded(lambda: remove_milestone(app.store, ref.id))
            app.reload()

        app.push_screen(ConfirmDialog(question), confirmed)

    def set_status(self) -> None:
        app = self.app
        ref = app.project_tree.selected_ref
        if ref is None or ref.kind != "milestone":
            app.notify("Select a milestone first.", severity="warning")
            return
        milestone = self.guarded(lambda: app.store.get_milestone(ref.id))
        if milestone is None:
            return

        def chosen(status: str | None) -> None:
            if status:
                self.guarded(lambda: set_milestone_status(app.store, ref.id, status))
                app.reload()

        app.push_screen(StatusDialog(inert(milestone.element_name), milestone.status), chosen)
