"""The wxtui Textual app: a sidebar of projects and milestones, one terminal pane per project."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Iterable
from typing import ClassVar

from rich.markup import escape
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, TextArea

from wxtui.app.attention import Announcer, Need, needs
from wxtui.app.bindings import GLOBAL_BINDINGS, INBOX_BINDING, PASS_KEYS_BINDING
from wxtui.app.commands import WxtuiCommands
from wxtui.app.dialogs import Field, FormDialog
from wxtui.app.footer import StableFooter
from wxtui.app.help_screen import SIDEBAR_EXTRA, TERMINAL_KEYS, HelpScreen, Section
from wxtui.app.inbox import INBOX_BINDINGS, InboxEntry, InboxScreen
from wxtui.app.keyboard import handle_key_in_order
from wxtui.app.keymap import effective_key, key_display, key_rows, priority_keys, unbound
from wxtui.app.panes import PaneSwitcher
from wxtui.app.project_forms import ProjectForms
from wxtui.app.review_screen import ReviewScreen
from wxtui.app.session_control import SessionControl
from wxtui.app.session_pane import SessionPane, SessionState
from wxtui.app.sidebar import FilterBox, MachineGroup, NodeRef, ProjectTree
from wxtui.app.sidebar_panel import SIDEBAR_BINDINGS, Sidebar
from wxtui.app.terminal_driver import (
    set_host_title,
    terminal_gone,
)
from wxtui.app.textual_internals import (
    DrainingDriver,
    QuietCollector,
    pass_meta_keys_through,
    unbind,
)
from wxtui.app.ui_state import UiStateFile
from wxtui.config import Config, default_agent, save_theme
from wxtui.errors import WxtuiError
from wxtui.milestone_changes import open_review, workspace_of
from wxtui.milestone_changes import set_status as set_milestone_status
from wxtui.sessions.all_machines import AllMachines
from wxtui.sessions.askpass import AskpassServer
from wxtui.sessions.backend import HostedSessions
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.remote_link import Remote
from wxtui.sessions.remote_sessions import LinkState
from wxtui.sessions.runtime import runtime_dir
from wxtui.store import Store
from wxtui.terminal.widget import TerminalView
from wxtui.text import inert

DATA_POLL_INTERVAL = 1.0
TERMINAL_CHECK_INTERVAL = 0.5


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
    ) -> None:
        """``sessions_in_host``: sessions live in the database's session host, a process
        of its own, and keep running when the app quits (``wxtui``); else the host is
        served from the app's own process and they end with it (the demo, tests)."""
        pass_meta_keys_through()
        super().__init__(driver_class=DrainingDriver)
        self.config = config or Config()
        self.store = store
        env = os.environ if environ is None else environ
        self._environ = dict(env)
        self._askpass: AskpassServer | None = None
        here = HostedSessions(
            store, env, default_agent(agent, env, self.config), embedded=not sessions_in_host
        )
        remotes = [Remote(name, command) for name, command in self.config.remotes.items()]
        self.backend = AllMachines(here, remotes, self._machines_changed)
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
        # Kept at hand: every session's marker change updates it, and a DOM query
        # per change costs more than the change during a flood.
        self._tree = ProjectTree(id="tree")
        self._ui_file = UiStateFile()
        self._ui = self._ui_file.load()
        self._sidebar = Sidebar(self._tree, self.config.sidebar_width, self._ui, self._ui_file)
        self._reserved = priority_keys(self.BINDINGS, self.config.keys)
        self._panes = PaneSwitcher(self.backend, self._reserved, id="panes")
        # F12: every key goes to the program in the pane, but F12 itself.
        toggle = effective_key(PASS_KEYS_BINDING, self.config.keys)
        self.pass_toggle_keys = frozenset(k.strip() for k in toggle.split(",") if k.strip())
        self.passing_keys = False
        self._inbox_key = key_display(effective_key(INBOX_BINDING, self.config.keys))
        if title_suffix:
            self.title = f"wxtui {title_suffix}"
        self._base_title = self.title
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
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # A terminal closed under us, or a polite kill: end sessions, keep conversations.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._on_terminate_signal)
        self._collector.install()
        set_host_title(self, self.title)
        self._sidebar.fit(self.size.width)
        self.reload()
        self.run_worker(self._link_remotes(), exclusive=False)
        self.screen.set_focus(self.project_tree)
        self.set_interval(self._poll_interval, self._poll_store)
        if not self.is_headless and sys.__stdin__ is not None:
            self.set_interval(TERMINAL_CHECK_INTERVAL, self._check_terminal)
        last = self._ui.last_project.get(str(self.store.path))
        attach = self.sessions.attach_running(self._open_project_id, last)
        self.run_worker(attach, exclusive=False)

    # -- data --------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read every machine's projects into the sidebar (after our writes, another
        process's, or a remote's)."""
        machines = self.backend
        local = self.store.list_projects()
        groups = [self._machine_group(name) for name in machines.remotes]
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

    def _machine_group(self, name: str) -> MachineGroup:
        remote = self.backend.remotes[name]
        detail = {LinkState.CONNECTING: "connecting", LinkState.DOWN: "unreachable"}
        words = detail.get(remote.state, "")
        if remote.why:
            words = f"{words}: {remote.why}" if words else remote.why
        return MachineGroup(
            name,
            self.backend.remote_projects(name),
            words,
            alarming=remote.state is LinkState.DOWN,
            collapsed=name in self._ui.collapsed_machines,
        )

    def _machines_changed(self) -> None:
        """A remote's projects or link changed: the sidebar follows, and its sessions
        that run are attached (as at start)."""
        if self._tree.is_attached:
            self.reload()
            self.run_worker(self.sessions.discover(), exclusive=False)

    def toggle_machine(self, name: str) -> None:
        """Enter on a remote's heading: its projects hidden or shown (remembered); an
        unreachable one is also tried again at once."""
        collapsed = self._ui.collapsed_machines
        if name in collapsed:
            collapsed.remove(name)
        else:
            collapsed.append(name)
        self._ui_file.save(self._ui)
        self.backend.remotes[name].retry_now()
        self.reload()
        self.project_tree.select_ref(NodeRef("machine", name, ""))

    async def _link_remotes(self) -> None:
        """Every remote's link, with ssh's questions (a password, a host key) asked in
        a dialog here (see askpass)."""
        if not self.backend.remotes:
            return
        path = runtime_dir(self._environ) / f"askpass-{os.getpid()}.sock"
        askpass = self._askpass = AskpassServer(path, self._ask_for_ssh)
        await askpass.start()
        self.backend.link_all(lambda name: {**self._environ, **askpass.environ(name)})

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

        self.push_screen(dialog, settle)
        return await answered

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
            self.toggle_machine(ref.id)
        elif ref is not None:
            await self.show_project(ref.project_id, ref.id if ref.kind == "milestone" else None)

    def show_pane(self, pane: SessionPane, milestone_id: str | None = None) -> None:
        self._panes.show(pane)
        self._update_sub_title(pane)
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
        if isinstance(self.screen, InboxScreen):
            self.screen.refresh_entries()
        self._announcer.announce(pane, shown=pane.project_id == self.current_project_id)
        if pane.project_id == self.current_project_id:
            self._update_sub_title(pane)
        panes = self._panes.panes()
        needing = [p for p in panes if p.urgency is not None or p.needs_attention]
        asking = sum(1 for p in needing if p.agent is not None and p.agent.request is not None)
        self._sidebar.show_waiting(asking, len(needing) - asking, self._inbox_key)
        self._update_title()

    def _update_title(self) -> None:
        """The header: how many sessions need you, and when keys go to the program."""
        urgent = sum(1 for p in self._panes.panes() if p.urgency is not None)
        title = f"{self._base_title} ({urgent})" if urgent else self._base_title
        host_title = title
        if self.passing_keys:
            toggle = key_display(",".join(sorted(self.pass_toggle_keys)))
            title = f"{title}  ⌨ KEYS TO THE PROGRAM ({toggle} gives them back)"
        if title != self.title:
            self.title = title
            set_host_title(self, host_title)

    def action_pass_keys(self) -> None:
        """F12: every key to the program in the pane (htop's F2, mc's menus), until F12
        again; the header says so meanwhile. The palette and help still reach every
        action."""
        self.passing_keys = not self.passing_keys
        self._panes.reserve_keys(self.pass_toggle_keys if self.passing_keys else self._reserved)
        self._update_title()
        if self.passing_keys and self._panes.current_pane is not None:
            self.screen.set_focus(self._panes.current_pane.view)

    @on(SessionPane.MilestonesChanged)
    def _on_milestones_changed(self, event: SessionPane.MilestonesChanged) -> None:
        if self._tree.is_attached:
            self.reload()

    def _update_sub_title(self, pane: SessionPane) -> None:
        """The header names the project and what its agent does (or the program's title)."""
        name = self.project_name(pane.project_id)
        detail = pane.agent.summary if pane.agent is not None else pane.window_title
        self.sub_title = f"{name} — {inert(detail)}" if detail else name

    # -- sidebar -----------------------------------------------------------------

    @on(ProjectTree.NodeSelected)
    def _on_node_selected(self, event: ProjectTree.NodeSelected) -> None:
        event.stop()
        ref = event.ref
        if ref.kind == "machine":
            self.toggle_machine(ref.id)
            return
        self.open_project(ref.project_id, ref.id if ref.kind == "milestone" else None)

    def selected_project_id(self) -> str | None:
        ref = self.project_tree.selected_ref
        if ref is not None:
            return ref.project_id or None  # A remote's heading: no project.
        return self.current_project_id

    # -- actions -----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen_stack:
            self.app_focus = True  # As Textual does for a key (its footer waits for it).
            focused = self.focused
            if isinstance(focused, FilterBox) and event.key in ("enter", "escape"):
                # Back to the sidebar at once: the keys typed next go there.
                if event.key == "escape":
                    self._sidebar.clear_filter()
                self.screen.set_focus(self.project_tree)
                return
            if isinstance(focused, (ProjectTree, TerminalView, Input, TextArea)):
                passing = self.pass_toggle_keys if self.passing_keys else None
                await handle_key_in_order(self, event, focused, passing)
                return
        await super().on_event(event)

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

    def _on_terminate_signal(self) -> None:
        self.call_later(self.action_quit)

    def _check_terminal(self) -> None:
        """A terminal can vanish without a SIGHUP reaching us (stdin at EOF, a hangup
        while the signal was ignored): then quit as for a signal."""
        if sys.__stdin__ is not None and terminal_gone(sys.__stdin__.fileno()):
            self._on_terminate_signal()

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
        if self._left:
            return
        self._left = True
        # The next UI on this database shows this project again (as tmux's attach does).
        shown, database = self.current_project_id, str(self.store.path)
        if shown != self._ui.last_project.get(database):
            if shown is None:
                self._ui.last_project.pop(database, None)
            else:
                self._ui.last_project[database] = shown
            self._ui_file.save(self._ui)
        kept = await self.backend.leave()
        if kept:
            agents = "1 agent keeps" if kept == 1 else f"{kept} agents keep"
            them = "it" if kept == 1 else "them"
            # One line that fits 80 columns.
            self.exit_message = f"wxtui: {agents} running; `wxtui host stop` ends {them}"

    def sweep(self) -> None:
        """Collect the reference cycles removed widgets leave (off the hot path)."""
        self._collector.sweep()

    async def on_unmount(self) -> None:
        await self._leave()
        await self._announcer.close()
        self._collector.uninstall()
        if self._askpass is not None:
            await self._askpass.close()

    def action_sidebar(self) -> None:
        if self._sidebar.hidden:
            self.action_toggle_sidebar()
        self._sidebar.clear_filter()
        tree = self.project_tree
        if self.current_project_id is not None:
            tree.select_project(self.current_project_id)
        self.screen.set_focus(tree)  # At once: keys already typed go to the sidebar.

    def on_resize(self, event: events.Resize) -> None:
        if self.screen_stack:  # Fitted, or clamped, to the new width.
            self._sidebar.fit(event.size.width)

    def action_toggle_sidebar(self) -> None:
        """F3: hide the sidebar (the agent gets the whole width) or show it again."""
        pane = self._panes.current_pane
        hiding = not self._sidebar.hidden
        if hiding and self.focused is self.project_tree and pane is not None:
            self.screen.set_focus(pane.view)
        self._sidebar.toggle(self.size.width)
        if not hiding:
            self.screen.set_focus(self.project_tree)

    def key_sections(self) -> tuple[Section, ...]:
        """The help's key tables, from the bindings themselves (as the user remapped them)."""
        keys = self.config.keys
        return (
            ("Anywhere", tuple(key_rows(self.BINDINGS, keys))),
            ("Sidebar", (*SIDEBAR_EXTRA, *key_rows(SIDEBAR_BINDINGS, keys))),
            ("Inbox (F2)", tuple(key_rows(INBOX_BINDINGS, keys))),
            TERMINAL_KEYS,
        )

    def action_search(self) -> None:
        """F4: search the open pane's scrollback (n / N move, esc back to live)."""
        pane = self._panes.current_pane
        if pane is None:
            self.notify("Open a session first.", timeout=2)
            return
        pane.open_search()

    def action_copy_screen(self) -> None:
        """F5: the open pane's visible screen to the clipboard."""
        pane = self._panes.current_pane
        if pane is not None:
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
            self.push_screen(HelpScreen(self.key_sections()))

    async def action_switch(self, number: int) -> None:
        projects = self.backend.list_projects()
        if 1 <= number <= len(projects):
            await self.show_project(projects[number - 1].id)

    def needs(self) -> list[Need]:
        """Every session that needs the user, most urgent first (see attention.needs)."""
        order = [p.id for p in self.backend.list_projects()]
        return needs(self._panes.panes(), order, after=self.current_project_id)

    async def action_next_attention(self) -> None:
        """ctrl+\\: the first session of the inbox that is not the one shown."""
        waiting = [n for n in self.needs() if n.project_id != self.current_project_id]
        if not waiting:
            self.notify("No other session needs attention.", timeout=2)
            return
        need = waiting[0]
        await self.show_project(need.project_id)
        self.notify(need.reason, title=self.project_name(need.project_id), timeout=3)

    def action_inbox(self) -> None:
        """Every session that needs the user, with reason and age; enter jumps there."""
        if isinstance(self.screen, InboxScreen):
            self.pop_screen()
            return
        inbox = InboxScreen(self.inbox_entries, self._answer)
        unbind(inbox, unbound(self.config.keys))
        self.push_screen(inbox, self._after_inbox)

    async def open_review(self, project_id: str, milestone_id: str) -> None:
        """A milestone's review: what its agent changed (git), comments, approve, reject."""
        if (remote := self.backend.remote_of(milestone_id)) is not None:
            own = milestone_id.partition(":")[2]
            self.notify(
                f"A review reads the workspace where it is: on {remote.name}, run "
                f"wxtui milestone review {own}",
                severity="warning",
            )
            return
        store = self.store
        found = self.forms.guarded(
            lambda: (milestone := store.get_milestone(milestone_id), workspace_of(store, milestone))
        )
        if found is None:
            return
        milestone, workspace = found
        try:
            review = await asyncio.to_thread(open_review, workspace, milestone.id)
        except WxtuiError as error:
            self.notify(str(error), severity="warning")
            return

        async def send(text: str) -> bool:
            return await self.sessions.prompt(project_id, text, None)

        def set_status(status: str) -> None:
            self.forms.guarded(lambda: set_milestone_status(store, milestone.id, status))
            self.reload()

        self.push_screen(ReviewScreen(milestone.element_name, review, send, set_status))

    def inbox_entries(self) -> list[InboxEntry]:
        return [
            InboxEntry(n.project_id, self.project_name(n.project_id), n.reason, n.since, n.agent)
            for n in self.needs()
        ]

    async def _answer(self, entry: InboxEntry, decision: Decision, message: str) -> str:
        """An answer from the inbox: to the request the agent waits on, else (a reply to
        an agent that waits for its next prompt) as a prompt. "" once it went in."""
        request = entry.request
        if request is None:
            sent = await self.sessions.prompt(entry.project_id, message)
            return "" if sent else "not sent"
        try:
            await self.backend.answer(entry.project_id, request.id, decision, message)
        except WxtuiError as error:
            return str(error)
        return ""

    def _after_inbox(self, project_id: str | None) -> None:
        if project_id:
            self.open_project(project_id)
