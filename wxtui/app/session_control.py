"""Starting, restarting, stopping and prompting projects' sessions from the UI, and
bringing back those that kept running in the session host."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from wxtui.app.dialogs import ConfirmDialog
from wxtui.app.session_pane import SessionPane, SessionState
from wxtui.app.sidebar import NodeRef
from wxtui.app.ui_state import UiState, UiStateFile
from wxtui.errors import WxtuiError
from wxtui.sessions.lock import LockHeld

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

OPEN_FIRST = 1.0  # At most this long, --open's session is painted before the others.
LINK_WAIT = 5.0  # At most this long, the last session shown waits for its remote's link.


class SessionControl:
    """What the UI does to sessions, through its backend (the session host)."""

    def __init__(self, app: WxtuiApp) -> None:
        self.app = app
        self.backend = app.backend
        self._attached = False  # The sessions found at start are attached.
        self._discovering = False
        self._again = False  # A discovery was asked for while one ran.

    async def attach_running(self, open_project_id: str | None, last: str | None) -> None:
        """The session asked for with ``--open`` first (else ``last``, the one shown when
        the UI last quit, if it still runs); then the sessions that kept running in the
        session host come back as they are: their panes and markers (without taking the
        focus; a hidden one's screen comes when it is shown)."""
        app = self.app
        remote = self.backend.configured_remote(open_project_id or last)
        if remote is not None:  # Its machine's link first (it is being opened).
            await remote.wait_linked(LINK_WAIT)
        try:
            running = await self.backend.running()
        except WxtuiError as error:
            app.notify(f"session host: {error}", severity="error")
            running = []
        client = self.backend.client
        if client is not None and not client.same_version:
            question = (
                f"The session host runs {client.other_version}.\n"
                "Restart it? Its agents end; their conversations resume."
            )
            app.push_screen(ConfirmDialog(question), self._restart_host)
            return
        if open_project_id is None and last in running:
            open_project_id = last
        if open_project_id is not None:
            await app.show_project(open_project_id)
            # Mounting fifty other panes takes a few frames: the session asked for
            # draws its first screen before (or for at most OPEN_FIRST seconds).
            opened = app.pane_for(open_project_id)
            if opened is not None:
                await opened.first_output(OPEN_FIRST)
        await self._attach(running)
        self._attached = True
        # What started meanwhile (a remote linked while these were attached).
        await self.discover()

    async def discover(self) -> None:
        """Sessions started meanwhile by someone else (``wxtui session start``, another
        UI): their panes and markers come, as at start. Called when the database changed
        (every start stores its agent's state)."""
        if not self._attached:
            return
        if self._discovering:  # Asked again meanwhile: once more after this one.
            self._again = True
            return
        self._discovering = True
        try:
            self._again = True
            while self._again:
                self._again = False
                await self._attach(await self.backend.running())
        except WxtuiError:
            pass  # The host went away: the panes it served already say so.
        finally:
            self._discovering = False

    async def _attach(self, running: list[str]) -> None:
        """Panes for sessions that run in the host: new ones, and those whose pane still
        says they ended or never started (started again from elsewhere)."""
        app = self.app
        known = {p.id for p in app.backend.list_projects()}
        stale = (SessionState.NOT_STARTED, SessionState.EXITED, SessionState.FAILED)
        wanted = [
            project_id
            for project_id in running
            if project_id in known
            and ((pane := app.pane_for(project_id)) is None or pane.state in stale)
        ]
        if wanted:
            panes = await app.switcher.panes_of(wanted)
            await asyncio.gather(*(self.start(pane) for pane in panes))

    async def _restart_host(self, answer: bool | None) -> None:
        if answer:
            await self.backend.stop_all()
            self.app.notify("The session host was stopped; sessions start in a new one.")

    async def start(self, pane: SessionPane) -> None:
        """Start the pane's session (or join it in the host); a failure is said in the
        pane and in a notification."""
        name = self.app.project_name(pane.project_id)
        rows, columns = pane.terminal_size
        try:
            await self.backend.start(pane.project_id, pane, rows, columns, pane.is_current)
        except LockHeld as error:
            pane.failed(str(error), SessionState.ELSEWHERE)
            self.app.notify(f"{name}: {error}", severity="warning")
        except WxtuiError as error:
            pane.failed(str(error))
            self.app.notify(f"{name}: {error}", severity="error")
        else:
            if self.backend.is_alive(pane.project_id):  # Else its exit was already shown.
                pane.started()

    async def restart(self, pane: SessionPane) -> None:
        if self.backend.is_alive(pane.project_id):
            await self.backend.stop(pane.project_id)
        pane.state = SessionState.NOT_STARTED
        await self.start(pane)

    async def restart_project(self, project_id: str) -> None:
        """``r``: restart the project's session (start it if it has no pane yet)."""
        pane = self.app.pane_for(project_id)
        if pane is None:
            self.app.open_project(project_id)
            return
        await self.restart(pane)
        self.app.show_pane(pane)  # The focus stays in the sidebar.

    async def stop(self, project_id: str) -> None:
        """``s``: stop the project's session (its conversation is kept)."""
        remote = self.backend.configured_remote(project_id)
        if remote is not None and not remote.linked:
            self.app.notify(f"{remote.name} is not linked: its agents run on, untouched.")
            return
        if not self.backend.is_alive(project_id):
            self.app.notify("That session is not running.", timeout=2)
            return
        await self.backend.stop(project_id)

    async def end(self, project_id: str) -> None:
        """Its project is deleted: its session stops and its pane goes."""
        pane = self.app.pane_for(project_id)
        if pane is not None:
            await self.discard(pane)
        else:
            await self.backend.stop(project_id)

    async def discard(self, pane: SessionPane) -> None:
        await self.backend.stop(pane.project_id)
        self.backend.forget(pane.project_id)
        await self.app.switcher.discard(pane)
        self.app.sweep()  # A removed pane leaves widget reference cycles behind.

    async def send_prompt(self, ref: NodeRef) -> None:
        """``p``: the milestone's prompt into its project's session (started if needed),
        without opening it."""
        app = self.app
        milestone = app.forms.guarded(lambda: app.backend.get_milestone(ref.id))
        if milestone is None:
            return
        if not milestone.prompt:
            app.notify("This milestone has no prompt; add one with e.", severity="warning")
            return
        await self.prompt(ref.project_id, milestone.prompt, ref.id)
        app.reload()

    async def prompt(self, project_id: str, text: str, milestone_id: str | None = None) -> bool:
        """Type a prompt into the project's session as ``wxtui session send`` does,
        without opening its pane or moving the focus: the session starts (hidden) if it
        does not run. True once it went in; else a notification says why not."""
        app = self.app
        name = app.project_name(project_id)
        pane = app.pane_for(project_id) or (await app.switcher.panes_of([project_id]))[0]
        if pane.state is SessionState.EXITED:
            await self.restart(pane)  # A prompt for a stopped session starts it again.
        elif pane.state in (SessionState.NOT_STARTED, SessionState.FAILED):
            await self.start(pane)
        if not self.backend.is_alive(project_id):
            app.notify(f"Prompt not sent to {name}: it is not running.", severity="warning")
            return False
        try:
            await self.backend.send_prompt(project_id, text, milestone_id)
        except WxtuiError as error:
            app.notify(f"Prompt not sent to {name}: {error}", severity="warning")
            return False
        app.notify(f"Sent to {name}.", timeout=2)
        return True

    async def leave(self, ui: UiState, ui_file: UiStateFile) -> str:
        """The UI quits: the next UI on this database shows the session shown now (as
        tmux's attach does); sessions of a host of their own keep running. One line for
        the shell saying how many, and how to stop them ("" if none)."""
        app = self.app
        shown, database = app.current_project_id, str(app.store.path)
        if shown != ui.last_project.get(database):
            if shown is None:
                ui.last_project.pop(database, None)
            else:
                ui.last_project[database] = shown
            ui_file.save(ui)
        kept = await self.backend.leave()
        if not kept:
            return ""
        agents = "1 agent keeps" if kept == 1 else f"{kept} agents keep"
        them = "it" if kept == 1 else "them"
        return f"wxtui: {agents} running; `wxtui host stop` ends {them}"  # Fits 80 columns.
