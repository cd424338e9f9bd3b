"""The wxtui Textual app: a sidebar of projects and milestones, one terminal pane per project."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterable
from typing import ClassVar

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, TextArea

from wxtui.app.attention import Announcer, Need
from wxtui.app.bindings import GLOBAL_BINDINGS, INBOX_BINDING, PASS_KEYS_BINDING
from wxtui.app.collector import QuietCollector
from wxtui.app.commands import WxtuiCommands
from wxtui.app.footer import StableFooter
from wxtui.app.header_title import HeaderTitle
from wxtui.app.help_screen import HelpScreen, key_sections
from wxtui.app.inbox_control import InboxControl
from wxtui.app.keyboard import handle_key_in_order
from wxtui.app.keymap import effective_key, key_display, priority_keys, unbound
from wxtui.app.panes import PaneSwitcher
from wxtui.app.project_forms import ProjectForms
from wxtui.app.remote_view import RemoteView
from wxtui.app.session_control import SessionControl
from wxtui.app.session_pane import SessionPane, SessionState
from wxtui.app.sidebar import FilterBox, NodeRef, ProjectTree
from wxtui.app.sidebar_panel import Sidebar
from wxtui.app.terminal_driver import quit_when_the_terminal_goes, set_host_title
from wxtui.app.textual_internals import (
    DrainingDriver,
    pass_meta_keys_through,
    unbind,
)
from wxtui.app.ui_state import UiStateFile
from wxtui.config import Config, default_agent, save_theme
from wxtui.errors import WxtuiError
from wxtui.sessions.all_machines import AllMachines
from wxtui.sessions.backend import HostedSessions
from wxtui.sessions.remote_link import Remote
from wxtui.store import Store
from wxtui.terminal.widget import TerminalView
from wxtui.text import inert

DATA_POLL_INTERVAL = 1.0


class WxtuiApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "wxtui"
    COMMANDS = App.COMMANDS | {WxtuiCommands}
    BINDINGS: ClassVar[list[BindingType]] = GLOBAL_BINDINGS

    def __init__(
        self,
        store: Store,
        *,
        agent: str | None = None,
        open_project_id: str | None = None,
        title_suffix: str = "",
        environ: dict[str, str] | None = None,
        poll_interval: float = DATA_POLL_INTERVAL,
        new_project_dir: str | None = None,
        new_project_command: str = "",
        config: Config | None = None,
        sessions_in_host: bool = False,
        host_starting: subprocess.Popen[bytes] | None = None,
    ) -> None:
        """``sessions_in_host``: sessions live in the database's session host, a process
        of its own, and keep running when the app quits (``wxtui``); else the host is
        served from the app's own process and they end with it (the demo, tests).
        ``host_starting``: that host, started as the app loaded."""
        pass_meta_keys_through()
        super().__init__(driver_class=DrainingDriver)
        self.config = config or Config()
        self.store = store
        env = os.environ if environ is None else environ
        here = HostedSessions(
            store,
            env,
            default_agent(agent, env, self.config),
            embedded=not sessions_in_host,
            starting=host_starting,
        )
        remotes = [Remote(name, command) for name, command in self.config.remotes.items()]
        self.backend = AllMachines(here, remotes, lambda: self.remotes.changed())
        self.exit_message = ""  # One line for the shell after the app ends.
        if self.config.keys:
            self.set_keymap({i: k for i, k in self.config.keys.items() if k.strip()})
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self._open_project_id = open_project_id
        self._left = False
        self.forms = ProjectForms(self, new_project_dir, new_project_command)
        self.sessions = SessionControl(self)
        self._data_version = -1
        self._poll_interval = poll_interval
        self._collector = QuietCollector()
        self._last_input = 0.0  # The loop's time of the last key or mouse event.
        # Kept at hand: every session's marker change updates it, and a DOM query
        # per change costs more than the change during a flood.
        self._tree = ProjectTree(id="tree")
        self._ui_file = UiStateFile()
        self._ui = self._ui_file.load()
        self.remotes = RemoteView(self, env, self._ui, self._ui_file)
        self._sidebar = Sidebar(self._tree, self.config.sidebar_width, self._ui, self._ui_file)
        self._reserved = priority_keys(self.BINDINGS, self.config.keys)
        self._panes = PaneSwitcher(self.backend, self._reserved, id="panes")
        # F12: every key goes to the program in the pane, but F12 itself.
        toggle = effective_key(PASS_KEYS_BINDING, self.config.keys)
        self.pass_toggle_keys = frozenset(k.strip() for k in toggle.split(",") if k.strip())
        self.passing_keys = False
        self.inbox = InboxControl(self, key_display(effective_key(INBOX_BINDING, self.config.keys)))
        if title_suffix:
            self.title = f"wxtui {title_suffix}"
        self.header = HeaderTitle(self, self.title)
        quiet = env.get("WXTUI_NOTIFY", "1") in ("0", "off", "no")
        self._announcer = Announcer(self, self.config.notifications and not quiet, env)

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        with Horizontal(id="main"):
            yield self._sidebar
            yield self._panes
        yield StableFooter()

    @property
    def project_tree(self) -> ProjectTree:
        """The sidebar's tree of projects and milestones."""
        return self._tree

    @property
    def current_project_id(self) -> str | None:
        """The project whose pane is shown."""
        pane = self._panes.current_pane
        return None if pane is None else pane.project_id

    @property
    def sidebar(self) -> Sidebar:
        """The left column: the filter and the tree, and the keys that act on them."""
        return self._sidebar

    @property
    def switcher(self) -> PaneSwitcher:
        """The main area: the shown project's pane, or a notice."""
        return self._panes

    def _unbind(self) -> None:
        """Bindings config.toml sets to "": off the app, the sidebar and its tree."""
        ids = unbound(self.config.keys)
        if ids:
            for node in (self, self._sidebar, self._tree):
                unbind(node, ids)

    def on_mount(self) -> None:
        self._unbind()
        quit_when_the_terminal_goes(self, self.action_quit)
        self._collector.install()
        set_host_title(self, self.title)
        self._sidebar.fit(self.size.width)
        self.reload()
        self.run_worker(self.remotes.link(), exclusive=False)
        self.screen.set_focus(self.project_tree)
        self.set_interval(self._poll_interval, self._poll_store)
        self.set_interval(1.0, self._collect_when_idle)
        last = self._ui.last_project.get(str(self.store.path))
        attach = self.sessions.attach_running(self._open_project_id, last)
        self.run_worker(attach, exclusive=False)

    # -- data --------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read every machine's projects into the sidebar (after our writes, another
        process's, or a remote's)."""
        machines = self.backend
        local = self.store.list_projects()
        groups = self.remotes.groups()
        projects = [*local, *(p for group in groups for p in group.projects)]
        self.project_tree.populate(
            local, machines.all_milestones(), machines.milestones_ready_for_review(), groups
        )
        known = {p.id for p in projects}
        for pane in self._panes.panes():
            if pane.project_id in known:
                self.project_tree.set_marker(pane.project_id, pane.marker)
            else:
                self.run_worker(self.sessions.discard(pane), exclusive=False)
        current = self.current_project_id
        if current is not None and current not in known:
            self._panes.show_empty(bool(projects))
        else:
            self._panes.update_notice(bool(projects))
        if self.current_project_id is None:
            self.sub_title = ""
        self._data_version = self.store.data_version()

    def _poll_store(self) -> None:
        if not self._tree.is_attached:
            return  # the app is closing: its widgets are gone
        try:
            version = self.store.data_version()
        except Exception:
            return
        if version != self._data_version:
            self.reload()
            self.run_worker(self.sessions.discover(), exclusive=False)

    def pane_for(self, project_id: str) -> SessionPane | None:
        """The project's pane, if it has been opened in this app."""
        return self._panes.pane_for(project_id)

    def project_name(self, project_id: str) -> str:
        """The project's name (``REMOTE:name`` for a remote's), made printable."""
        try:
            return inert(self.backend.name_of(project_id))
        except WxtuiError:
            return project_id

    # -- sessions ----------------------------------------------------------------

    def open_project(self, project_id: str, milestone_id: str | None = None) -> None:
        """Show the project's one session soon, starting it if it is not running (for
        callers that cannot wait; key handlers await :meth:`show_project`)."""
        self.run_worker(self.show_project(project_id, milestone_id), exclusive=False)

    async def show_project(self, project_id: str, milestone_id: str | None = None) -> None:
        """Show the project's one session, starting it if it is not running, and focus it
        at once: keys typed right after (a burst from a script, a fast typist) reach it."""
        try:
            self.backend.get_project(project_id)
        except WxtuiError as error:
            self.notify(str(error), severity="error")
            return
        pane = await self._panes.pane(project_id)
        if pane is not self._panes.current_pane and pane.state is SessionState.RUNNING:
            await self.backend.catch_up(project_id)
        self.show_pane(pane, milestone_id)
        if pane.state in (SessionState.NOT_STARTED, SessionState.FAILED, SessionState.ELSEWHERE):
            await self.sessions.start(pane)
        if not isinstance(self.screen, ModalScreen):
            self.screen.set_focus(pane.view)

    async def action_open_selected(self) -> None:
        """enter in the sidebar: open the selected project or milestone's session."""
        ref = self.project_tree.selected_ref
        if ref is not None and ref.kind == "machine":
            self.remotes.toggle(ref.id)
        elif ref is not None:
            await self.show_project(ref.project_id, ref.id if ref.kind == "milestone" else None)

    def show_pane(self, pane: SessionPane, milestone_id: str | None = None) -> None:
        self._panes.show(pane)
        self.header.follow(pane)
        if milestone_id is not None:
            self.project_tree.select_ref(NodeRef("milestone", milestone_id, pane.project_id))
        else:
            self.project_tree.select_project(pane.project_id)

    @on(SessionPane.RestartRequested)
    async def _on_restart_requested(self, event: SessionPane.RestartRequested) -> None:
        await self.sessions.restart(event.pane)

    @on(SessionPane.Changed)
    def _on_pane_changed(self, event: SessionPane.Changed) -> None:
        # Sessions also end while the app shuts down, after the sidebar is gone.
        if not self._tree.is_attached:
            return
        pane = event.pane
        self._tree.set_marker(pane.project_id, pane.marker)
        self.inbox.pane_changed(pane)
        self._announcer.announce(pane, shown=pane.project_id == self.current_project_id)
        if pane.project_id == self.current_project_id:
            self.header.follow(pane)
        self.header.update()

    def action_pass_keys(self) -> None:
        """F12: every key to the program in the pane (htop's F2, mc's menus), until F12
        again; the header says so meanwhile. The palette and help still reach every
        action."""
        self.passing_keys = not self.passing_keys
        self._panes.reserve_keys(self.pass_toggle_keys if self.passing_keys else self._reserved)
        self.header.update()
        if self.passing_keys and self._panes.current_pane is not None:
            self.screen.set_focus(self._panes.current_pane.view)

    @on(SessionPane.MilestonesChanged)
    def _on_milestones_changed(self, event: SessionPane.MilestonesChanged) -> None:
        if self._tree.is_attached:
            self.reload()

    # -- sidebar -----------------------------------------------------------------

    @on(ProjectTree.NodeSelected)
    def _on_node_selected(self, event: ProjectTree.NodeSelected) -> None:
        event.stop()
        ref = event.ref
        if ref.kind == "machine":
            self.remotes.toggle(ref.id)
            return
        self.open_project(ref.project_id, ref.id if ref.kind == "milestone" else None)

    def selected_project_id(self) -> str | None:
        ref = self.project_tree.selected_ref
        if ref is not None:
            return ref.project_id or None  # A remote's heading: no project.
        return self.current_project_id

    # -- actions -----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = asyncio.get_running_loop().time()
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen_stack:
            self.app_focus = True  # As Textual does for a key (its footer waits for it).
            if await self._route_key(event):
                return
        await super().on_event(event)

    async def _route_key(self, event: events.Key) -> bool:
        """Keys for the filter, the sidebar, the panes and text fields, handled here in
        arrival order (see handle_key_in_order); False for the rest."""
        focused = self.focused
        if isinstance(focused, FilterBox) and event.key in ("enter", "escape"):
            # Back to the sidebar at once: the keys typed next go there.
            if event.key == "escape":
                self._sidebar.clear_filter()
            self.screen.set_focus(self.project_tree)
            return True
        if isinstance(focused, (ProjectTree, TerminalView, Input, TextArea)):
            passing = self.pass_toggle_keys if self.passing_keys else None
            await handle_key_in_order(self, event, focused, passing)
            return True
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the terminal pane, ctrl+p (and every other key but ours) belongs to the child.
        return not (action == "command_palette" and isinstance(self.focused, TerminalView))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, with its Quit saying what quitting does here."""
        for command in super().get_system_commands(screen):
            if command.title == "Quit":
                keeps = self.backend.outlives_the_ui
                what = "Agents keep running" if keeps else "Every session ends"
                yield SystemCommand("Quit", f"{what}; quit wxtui", command.callback)
            else:
                yield command

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is saved: the settings file's only rewritten line."""
        path = self.config.path
        if path is not None and theme != self.config.theme and self.is_running:
            try:
                save_theme(path, theme)
            except OSError as exc:
                self.notify(f"theme not saved: {exc}", severity="warning")

    async def action_quit(self) -> None:
        """Quit the UI. Sessions in a session host of its own keep running (one line says
        how many, and how to stop them); those of a host served from this process (the
        demo) end with it."""
        await self._leave()
        self.exit(0)

    async def action_stop_everything(self) -> None:
        """Stop every session (and the session host) and quit."""
        await self.backend.stop_all()
        self._left = True
        self.exit(0)

    async def _leave(self) -> None:
        if not self._left:
            self._left = True
            self.exit_message = await self.sessions.leave(self._ui, self._ui_file)

    def _collect_when_idle(self) -> None:
        """Quiet: no pane painted and the user neither typed nor used the mouse."""
        painted = max((pane.view.last_frame_at for pane in self._panes.panes()), default=0.0)
        busy = max(painted, self._last_input)
        self._collector.collect_when_idle(asyncio.get_running_loop().time() - busy)

    def sweep(self) -> None:
        """Collect the reference cycles removed widgets leave (off the hot path)."""
        self._collector.sweep()

    async def on_unmount(self) -> None:
        await self._leave()
        await self._announcer.close()
        self._collector.uninstall()
        await self.remotes.close()

    def action_sidebar(self) -> None:
        """ctrl+]: to the sidebar (shown if hidden), on the project shown."""
        self._sidebar.come_back(self.current_project_id)

    def on_resize(self, event: events.Resize) -> None:
        if self.screen_stack:  # Fitted, or clamped, to the new width.
            self._sidebar.fit(event.size.width)

    def action_toggle_sidebar(self) -> None:
        """F3: hide the sidebar (the agent gets the whole width) or show it again."""
        pane = self._panes.current_pane
        self._sidebar.toggle_shown(None if pane is None else pane.view)

    def action_search(self) -> None:
        """F4: search the open pane's scrollback (n / N move, esc back to live)."""
        if (pane := self._panes.current_pane) is not None:
            pane.open_search()
        else:
            self.notify("Open a session first.", timeout=2)

    def action_copy_screen(self) -> None:
        """F5: the open pane's visible screen to the clipboard."""
        if (pane := self._panes.current_pane) is not None:
            pane.view.copy_screen()

    @on(TerminalView.Copied)
    def _on_copied(self, event: TerminalView.Copied) -> None:
        lines = event.text.count("\n") + 1
        self.notify(f"copied {len(event.text)} characters ({lines} lines)", timeout=2)

    def action_help(self) -> None:
        """F1 opens the help, and closes it again."""
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(key_sections(self.BINDINGS, self.config.keys)))

    async def action_switch(self, number: int) -> None:
        projects = self.backend.list_projects()
        if 1 <= number <= len(projects):
            await self.show_project(projects[number - 1].id)

    def needs(self) -> list[Need]:
        """Every session that needs the user, most urgent first (see attention.needs)."""
        return self.inbox.needs()

    async def action_next_attention(self) -> None:
        """ctrl+\\: the first session of the inbox that is not the one shown."""
        await self.inbox.next_attention()

    def action_inbox(self) -> None:
        """Every session that needs the user, with reason and age; enter jumps there."""
        self.inbox.toggle()

    async def open_review(self, project_id: str, milestone_id: str) -> None:
        """A milestone's review: what its agent changed (git), comments, approve, reject."""
        from wxtui.app.review_screen import open_milestone_review  # Syntax colours: 10 ms.

        await open_milestone_review(self, project_id, milestone_id)
