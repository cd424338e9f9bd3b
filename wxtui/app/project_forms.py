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
    milestone_fields,
    project_fields,
)
from wxtui.errors import InvalidInput, NotFound, WxtuiError
from wxtui.milestone_changes import remove_milestone, remove_project
from wxtui.milestone_changes import set_status as set_milestone_status
from wxtui.sessions.all_machines import qualify, split
from wxtui.sessions.remote_sessions import RemoteSessions
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
        """``a``: a project on this machine, or on the remote whose rows are selected
        (its workspace is a path there, and it lives in that machine's store)."""
        app = self.app
        ref = app.project_tree.selected_ref
        remote_name = app.project_tree.machine_of(ref) if ref is not None else None
        if remote_name is not None:
            self._add_remote_project(app.backend.remotes[remote_name])
            return
        directory = self.new_project_dir or os.getcwd()
        dialog = add_project_form(
            app.store,
            directory,
            self.new_project_command,
            folder_per_name=self.new_project_dir is not None,
        )

        app.push_screen(dialog, self._added)

    def _add_remote_project(self, remote: RemoteSessions) -> None:
        app = self.app

        async def submit(values: dict[str, str]) -> str:
            if not values["dir"].strip():
                raise InvalidInput(f"the workspace's path on {remote.name}")
            project = await remote.store(
                "project.add",
                name=values["name"],
                workspace_path=values["dir"],
                command=values["command"],
            )
            return qualify(remote.name, str(project["id"]))

        fields = project_fields(machine=remote.name)
        title = f"Add project on {remote.name}"
        dialog = FormDialog(title, fields, submit, ok_label="Add")
        app.push_screen(dialog, self._added)

    def _added(self, project_id: str | None) -> None:
        if project_id:
            self.app.reload()
            self.app.project_tree.select_project(project_id)

    def _remote(self, qualified: str) -> tuple[RemoteSessions | None, str]:
        """The remote an id is of (None: this machine's), and its id there."""
        return self.guarded(lambda: self.app.backend.remote_of(qualified)), split(qualified)[1]

    async def _on_remote(self, remote: RemoteSessions, op: str, **args: object) -> None:
        """A change to a remote's store; a failure is a notification."""
        try:
            await remote.store(op, **args)
        except WxtuiError as error:
            self.app.notify(f"{remote.name}: {error}", severity="error")
        self.app.reload()

    def add_milestone(self) -> None:
        app = self.app
        project_id = app.selected_project_id()
        if project_id is None:
            app.notify("Add a project first (a).", severity="warning")
            return
        remote, own = self._remote(project_id)
        if remote is not None:

            async def submit(values: dict[str, str]) -> str:
                milestone = await remote.store(
                    "milestone.add", project=own, name=values["name"], prompt=values["prompt"]
                )
                return qualify(remote.name, str(milestone["id"]))

            title = f"Add milestone to {app.project_name(project_id)}"
            form = FormDialog(title, milestone_fields(), submit, ok_label="Add")
            app.push_screen(form, lambda _result: app.reload())
            return
        dialog = add_milestone_form(app.store, project_id, app.project_name(project_id))
        app.push_screen(dialog, lambda _result: app.reload())

    def edit(self) -> None:
        app = self.app
        ref = app.project_tree.selected_ref
        if ref is None or ref.kind == "machine":
            return
        dialog: FormDialog | None = None
        remote, own = self._remote(ref.id)
        if remote is not None:
            dialog = self._edit_remote(remote, own, ref.kind)
        elif ref.kind == "project":
            project = self.guarded(lambda: app.store.get_project(ref.id))
            if project is not None:
                dialog = edit_project_form(app.store, project)
        else:
            milestone = self.guarded(lambda: app.store.get_milestone(ref.id))
            if milestone is not None:
                dialog = edit_milestone_form(app.store, milestone)
        if dialog is not None:
            app.push_screen(dialog, lambda _result: app.reload())

    def _edit_remote(self, remote: RemoteSessions, own: str, kind: str) -> FormDialog | None:
        qualified = qualify(remote.name, own)
        if kind == "project":
            project = self.guarded(lambda: self.app.backend.get_project(qualified))
            if project is None:
                return None

            async def save_project(values: dict[str, str]) -> str:
                await remote.store(
                    "project.edit",
                    project=own,
                    name=values["name"],
                    workspace_path=values["dir"],
                    command=values["command"],
                )
                return qualified

            fields = project_fields(project)
            return FormDialog(f"Edit project on {remote.name}", fields, save_project)
        milestone = self.guarded(lambda: self.app.backend.get_milestone(qualified))
        if milestone is None:
            return None

        async def save_milestone(values: dict[str, str]) -> str:
            await remote.store(
                "milestone.edit", milestone=own, name=values["name"], prompt=values["prompt"]
            )
            return qualified

        fields = milestone_fields(milestone)
        return FormDialog(f"Edit milestone on {remote.name}", fields, save_milestone)

    def delete(self) -> None:
        app = self.app
        ref = app.project_tree.selected_ref
        if ref is None or ref.kind == "machine":
            return
        remote, own = self._remote(ref.id)
        if remote is not None and not remote.linked:
            app.notify(f"{remote.name} is not linked: nothing there can change now.")
            return
        if ref.kind == "project":
            question = f"Delete project {app.project_name(ref.id)} and its milestones?"
            if app.backend.is_alive(ref.id):
                question += "\nIts running session will be stopped."
        else:
            milestone = self.guarded(lambda: app.backend.get_milestone(ref.id))
            if milestone is None:
                return
            question = f"Delete milestone {inert(milestone.element_name)}?"

        async def confirmed(answer: bool | None) -> None:
            if not answer:
                return
            if ref.kind == "project":
                await app.sessions.end(ref.id)
            if remote is not None:
                await self._on_remote(remote, f"{ref.kind}.remove", **{ref.kind: own})
                return
            if ref.kind == "project":
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
        milestone = self.guarded(lambda: app.backend.get_milestone(ref.id))
        if milestone is None:
            return

        async def chosen(status: str | None) -> None:
            remote, own = self._remote(ref.id)
            if status and remote is not None:
                await self._on_remote(remote, "milestone.status", milestone=own, status=status)
            elif status:
                self.guarded(lambda: set_milestone_status(app.store, ref.id, status))
                app.reload()

        app.push_screen(StatusDialog(inert(milestone.element_name), milestone.status), chosen)
