"""The UI's side of the remotes: each one's heading in the sidebar, its link kept up
with ssh's questions asked in a dialog, and the sidebar following its projects."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.markup import escape

from wxtui.app.dialogs import Field, FormDialog
from wxtui.app.sidebar import MachineGroup, NodeRef
from wxtui.app.ui_state import UiState, UiStateFile
from wxtui.sessions.askpass import AskpassServer
from wxtui.sessions.remote_sessions import LinkState
from wxtui.sessions.runtime import runtime_dir
from wxtui.text import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


class RemoteView:
    def __init__(
        self, app: WxtuiApp, environ: Mapping[str, str], ui: UiState, ui_file: UiStateFile
    ) -> None:
        self.app = app
        self.environ = dict(environ)
        self.ui, self.ui_file = ui, ui_file
        self._askpass: AskpassServer | None = None

    def groups(self) -> list[MachineGroup]:
        """Each remote's heading and projects, as the sidebar shows them."""
        return [self._group(name) for name in self.app.backend.remotes]

    def _group(self, name: str) -> MachineGroup:
        remote = self.app.backend.remotes[name]
        detail = {LinkState.CONNECTING: "connecting", LinkState.DOWN: "unreachable"}
        words = detail.get(remote.state, "")
        if remote.why:
            words = f"{words}: {remote.why}" if words else remote.why
        return MachineGroup(
            name,
            self.app.backend.remote_projects(name),
            words,
            alarming=remote.state is LinkState.DOWN,
            collapsed=name in self.ui.collapsed_machines,
        )

    def changed(self) -> None:
        """A remote's projects or link changed: the sidebar and the header follow, and
        its sessions that run are attached (as at start)."""
        app = self.app
        if app.project_tree.is_attached:
            app.reload()
            if (shown := app.switcher.current_pane) is not None:
                app.header.follow(shown)
            app.run_worker(app.sessions.discover(), exclusive=False)

    def trouble(self, project_id: str) -> str:
        """How the link to the project's remote is, when it is slow or down ("" when
        it is fine, and for this machine's projects)."""
        remote = self.app.backend.configured_remote(project_id)
        if remote is None or (remote.linked and not remote.why.startswith("slow:")):
            return ""
        state = {LinkState.CONNECTING: "relinking", LinkState.DOWN: "link down"}
        return inert(f"{state.get(remote.state, 'link')}: {remote.why}".rstrip(": "))

    def toggle(self, name: str) -> None:
        """Enter on a remote's heading: its projects hidden or shown (remembered); on an
        unreachable one's, the link is tried again at once instead."""
        remote = self.app.backend.remotes[name]
        if remote.state is LinkState.DOWN:
            remote.retry_now()  # The heading may be too narrow for the reason: said here.
            self.app.notify(f"{inert(remote.why)}; linking again", title=name, timeout=4)
            return
        collapsed = self.ui.collapsed_machines
        if name in collapsed:
            collapsed.remove(name)
        else:
            collapsed.append(name)
        self.ui_file.save(self.ui)
        self.app.reload()
        self.app.project_tree.select_ref(NodeRef("machine", name, ""))

    async def link(self) -> None:
        """Every remote's link, with ssh's questions (a password, a host key) asked in
        a dialog here (see askpass)."""
        if not self.app.backend.remotes:
            return
        path = runtime_dir(self.environ) / f"askpass-{os.getpid()}.sock"
        askpass = self._askpass = AskpassServer(path, self._ask_for_ssh)
        await askpass.start()
        self.app.backend.link_all(lambda name: {**self.environ, **askpass.environ(name)})

    async def close(self) -> None:
        if self._askpass is not None:
            await self._askpass.close()

    async def _ask_for_ssh(self, remote: str, prompt: str) -> str | None:
        """ssh's question in a dialog: the answer typed, or None (cancelled)."""
        answered: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        secret = "yes/no" not in prompt  # A host key's question is answered in plain.
        dialog = FormDialog(
            f"ssh to {escape(inert(remote))} asks:\n{escape(inert(prompt))}",
            [Field("answer", "Answer", password=secret)],
            lambda values: values["answer"],
            ok_label="Send",
        )

        def settle(value: str | None) -> None:
            if not answered.done():
                answered.set_result(value)

        self.app.push_screen(dialog, settle)
        return await answered
