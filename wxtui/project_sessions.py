"""Starting and stopping each project's one agent session.

Joins the store (conversation ids), the per-project lock (one agent across
wxtui processes), the launch rules and the keyed session manager. The UI talks
to sessions only through here, by project id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wxtui.agent import HookSetup, LaunchPlan, claude_refused, plan_launch
from wxtui.agent_state import AgentState, AgentStatus, AgentTracker
from wxtui.bidirectional_pty import BidirectionalPTY, ReadBudget
from wxtui.claude_hooks import relay_command, write_private_json
from wxtui.errors import WxtuiError
from wxtui.hook_server import HookMessage, HookServer
from wxtui.pty_session_manager import PTYSession, PTYSessionManager
from wxtui.runtime import runtime_dir
from wxtui.session_lock import ProjectLock
from wxtui.store import Store

log = logging.getLogger(__name__)

# Claude refuses a conversation id right at start; later exits are ordinary ones.
REFUSAL_WINDOW = 15.0
_EARLY_OUTPUT_LIMIT = 64 * 1024
_CONVERSATION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{7,63}")
# Keys that answer a permission prompt or a question in Claude's pane (one key each:
# enter, esc, a digit, y or n); focus reports and arrows are not answers.
_ANSWERS = frozenset({b"\r", b"\x1b", *(bytes([c]) for c in b"0123456789yYnN")})


class SessionSink(Protocol):
    """Where a session's output and lifecycle events go (the project's terminal pane)."""

    def feed(self, data: bytes) -> None: ...

    def session_exited(self, returncode: int) -> None: ...

    def notice(self, text: str) -> None: ...

    def agent_status(self, status: AgentStatus, tracked: bool) -> None:
        """What the agent is doing; ``tracked``: from Claude's hooks (or its title)."""
        ...

    def milestones_changed(self) -> None:
        """A milestone's status or review flag changed on behalf of the agent."""
        ...


@dataclass
class _Running:
    plan: LaunchPlan
    sink: SessionSink
    started: float
    early_output: bytearray
    retried: bool = False
    failed_output: bool = False
    stopping: bool = False
    pid: int = 0
    tracker: AgentTracker | None = None
    # A milestone prompt sent into the session, until Claude reports that prompt.
    expected_prompt: tuple[str, str] | None = None
    # The milestone whose turn is running.
    turn_milestone: str | None = None


class ProjectSessions:
    def __init__(
        self,
        store: Store,
        *,
        agent: str | None = None,
        environ: Mapping[str, str] | None = None,
        lock_dir: Path | None = None,
        manager: PTYSessionManager | None = None,
    ) -> None:
        self.store = store
        self.agent = agent
        self.environ = dict(os.environ if environ is None else environ)
        self.manager = manager or PTYSessionManager()
        self.lock_dir = lock_dir or store.path.with_name(store.path.name + ".locks")
        self._locks: dict[str, ProjectLock] = {}
        self._running: dict[str, _Running] = {}
        self._budget: ReadBudget | None = None
        self._hook_server: HookServer | None = None
        self._hook_setup: HookSetup | None = None
        self._hook_error = ""

    def _hooks(self) -> HookSetup | None:
        """The hook relay's socket, started with the first Claude session (on the loop)."""
        if self._hook_setup is None and not self._hook_error:
            try:
                directory = runtime_dir(self.environ)
                server = HookServer(directory / f"hooks-{os.getpid()}.sock", self._on_hook)
                server.start()
            except (WxtuiError, OSError) as exc:
                self._hook_error = str(exc)
                log.warning("hooks unavailable: %s", exc)
                return None
            self._hook_server = server
            self._hook_setup = HookSetup(server.path, directory, relay_command())
        return self._hook_setup

    def _read_budget(self) -> ReadBudget:
        """One budget for all of this app's sessions (created on the running loop)."""
        if self._budget is None:
            self._budget = ReadBudget(asyncio.get_running_loop())
        return self._budget

    def session(self, project_id: str) -> PTYSession | None:
        return self.manager.get_session_by_output_project(project_id)

    def is_alive(self, project_id: str) -> bool:
        session = self.session(project_id)
        return session is not None and session.alive

    def start(
        self, project_id: str, sink: SessionSink, rows: int, cols: int
    ) -> tuple[PTYSession, bool]:
        """The project's live session, starting it if needed.

        Raises LockHeld when another wxtui runs it, SpawnError or InvalidInput when it
        cannot start; in every failure case the lock is released again.
        """
        existing = self.session(project_id)
        if existing is not None and existing.alive:
            return self.manager.get_or_create_session(project_id, _never_spawn)
        lock = self._locks.get(project_id) or ProjectLock(self.lock_dir, project_id)
        lock.acquire()
        self._locks[project_id] = lock
        try:
            return self._spawn(project_id, sink, rows, cols, fresh_conversation=False)
        except BaseException:
            self._release(project_id)
            raise

    def _spawn(
        self, project_id: str, sink: SessionSink, rows: int, cols: int, *, fresh_conversation: bool
    ) -> tuple[PTYSession, bool]:
        project = self.store.get_project(project_id)
        plan = plan_launch(
            self.store,
            project,
            agent=self.agent,
            environ=self.environ,
            fresh_conversation=fresh_conversation,
            hooks=self._hooks,
        )
        running = _Running(plan, sink, time.monotonic(), bytearray(), retried=fresh_conversation)
        if plan.is_claude:
            running.tracker = AgentTracker()
        if plan.settings_path is not None and plan.settings is not None:
            write_private_json(plan.settings_path, plan.settings)

        def on_output(data: bytes) -> None:
            if len(running.early_output) < _EARLY_OUTPUT_LIMIT:
                running.early_output += data[:_EARLY_OUTPUT_LIMIT]
            try:
                sink.feed(data)
            except Exception as exc:  # One session's failure must stay in its pane.
                log.exception("project %s: handling output failed", project_id)
                if not running.failed_output:
                    running.failed_output = True
                    with contextlib.suppress(Exception):
                        sink.notice(f"wxtui could not show some output: {exc}")

        def on_exit(returncode: int) -> None:
            self._on_exit(project_id, running, returncode, rows, cols)

        def spawn() -> BidirectionalPTY:
            return BidirectionalPTY.spawn(
                plan.argv,
                cwd=plan.cwd,
                env=plan.env,
                rows=rows,
                cols=cols,
                on_output=on_output,
                on_exit=on_exit,
                budget=self._read_budget(),
            )

        try:
            session, created = self.manager.get_or_create_session(
                project_id, spawn, plan.claude_session_id
            )
        except BaseException:
            _remove(plan.settings_path)
            raise
        running.pid = session.pty.pid
        log.info(
            "project %s: started pid %d: %s (cwd %s)",
            project_id,
            session.pty.pid,
            plan.argv,
            plan.cwd,
        )
        self._running[project_id] = running
        if project.status != "active":
            self.store.set_project_status(project_id, "active")
        if plan.tracking_off:
            sink.notice(f"state tracking is off for this project: {plan.tracking_off}")
        if running.tracker is not None:
            self._publish(project_id, running, running.tracker.status)
        else:
            self._publish(project_id, running, AgentStatus(AgentState.WORKING, "running"))
        return session, created

    def _publish(self, project_id: str, running: _Running, status: AgentStatus | None) -> None:
        """A new status: stored for the CLI, shown in the pane."""
        if status is None:
            return
        try:
            self.store.set_agent_state(project_id, status.state.value, status.reason)
        except WxtuiError as exc:  # The pane still shows it; the CLI sees it next time.
            log.warning("project %s: state not stored: %s", project_id, exc)
        with contextlib.suppress(Exception):
            running.sink.agent_status(status, running.tracker is not None)

    # -- Claude's hooks ----------------------------------------------------------

    def _on_hook(self, message: HookMessage) -> None:
        """An event relayed from a hook: only the project's own claude process counts (a
        ``claude -p`` run by a tool inherits the environment, and maybe the settings)."""
        running = self._running.get(message.project_id)
        if running is None or running.tracker is None:
            log.info("hook %s for project %s: no session here", message.name, message.project_id)
            return
        if running.pid not in message.ancestors[:2]:
            log.info(
                "hook %s for project %s: from another process (%s), ignored",
                message.name,
                message.project_id,
                message.ancestors,
            )
            return
        event = message.event
        if message.name == "SessionStart":
            self._conversation_started(message.project_id, event)
        elif message.name == "UserPromptSubmit":
            self._prompt_submitted(message.project_id, running, event.get("prompt"))
        elif message.name in ("Stop", "StopFailure") and running.turn_milestone is not None:
            milestone, running.turn_milestone = running.turn_milestone, None
            if message.name == "Stop":
                with contextlib.suppress(WxtuiError):
                    self.store.set_ready_for_review(milestone)
                with contextlib.suppress(Exception):
                    running.sink.milestones_changed()
        self._publish(message.project_id, running, running.tracker.hook(event))

    def _conversation_started(self, project_id: str, event: dict[str, object]) -> None:
        session_id, source = event.get("session_id"), event.get("source")
        if not isinstance(session_id, str) or not _CONVERSATION_ID.fullmatch(session_id):
            log.warning("project %s: SessionStart without a usable session_id", project_id)
            return
        source = source if isinstance(source, str) and source.isidentifier() else "unknown"
        try:
            if self.store.record_conversation(project_id, session_id, source):
                log.info("project %s: conversation %s (%s)", project_id, session_id, source)
        except WxtuiError as exc:
            log.warning("project %s: conversation id not stored: %s", project_id, exc)
        session = self.session(project_id)
        if session is not None:
            session.claude_session_id = session_id

    def _prompt_submitted(self, project_id: str, running: _Running, prompt: object) -> None:
        expected = running.expected_prompt
        if expected is None or not isinstance(prompt, str):
            return
        milestone, text = expected
        if prompt.strip() != text.strip():
            return
        running.expected_prompt = None
        running.turn_milestone = milestone
        with contextlib.suppress(WxtuiError):
            self.store.set_milestone_status(milestone, "in_progress")
        with contextlib.suppress(Exception):
            running.sink.milestones_changed()

    def tracks_prompts(self, project_id: str) -> bool:
        """True when Claude's hooks will report a prompt sent into this session."""
        running = self._running.get(project_id)
        return running is not None and running.plan.settings is not None

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None:
        """A milestone's prompt is about to be sent: tie the turn it starts to it."""
        running = self._running.get(project_id)
        if running is not None:
            running.expected_prompt = (milestone_id, prompt)

    def title_changed(self, project_id: str, title: str) -> None:
        running = self._running.get(project_id)
        if running is not None and running.tracker is not None:
            self._publish(project_id, running, running.tracker.title(title))

    def agent_status(self, project_id: str) -> AgentStatus | None:
        running = self._running.get(project_id)
        return None if running is None or running.tracker is None else running.tracker.status

    def _on_exit(
        self, project_id: str, running: _Running, returncode: int, rows: int, cols: int
    ) -> None:
        log.info("project %s: exited with code %d", project_id, returncode)
        _remove(running.plan.settings_path)
        if self._running.get(project_id) is not running:
            return  # A session we already replaced or closed.
        refused = (
            running.plan.claude_session_id is not None
            and not running.retried
            and time.monotonic() - running.started < REFUSAL_WINDOW
            and claude_refused(running.early_output.decode("utf-8", "replace"))
        )
        if refused:
            old = running.plan.claude_session_id
            log.warning("project %s: Claude refused conversation %s", project_id, old)
            try:
                session, _ = self._spawn(
                    project_id, running.sink, rows, cols, fresh_conversation=True
                )
            except Exception as exc:  # The pane must say why, the app must go on.
                running.sink.notice(f"could not start a new conversation: {exc}")
            else:
                running.sink.notice(
                    f"Claude refused conversation {old}; "
                    f"started a new one ({session.claude_session_id})"
                )
                return
        self._running.pop(project_id, None)
        self._release(project_id)
        if running.tracker is not None:
            status = running.tracker.exited(returncode, running.stopping)
        else:
            reason = "stopped" if running.stopping else f"code {returncode}"
            status = AgentStatus(AgentState.EXITED, reason, attention=returncode != 0)
        self._publish(project_id, running, status)
        running.sink.session_exited(returncode)

    def write(self, project_id: str, data: bytes) -> None:
        session = self.session(project_id)
        if session is not None and session.alive:
            session.touch()
            session.pty.write(data)
            running = self._running.get(project_id)
            if running is not None and running.tracker is not None and data in _ANSWERS:
                self._publish(project_id, running, running.tracker.user_answered())

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        session = self.session(project_id)
        if session is not None and session.alive:
            session.pty.resize(rows, cols)

    async def stop(self, project_id: str, grace: float = 1.0) -> int | None:
        """End the session on purpose: its exit is still reported, never retried."""
        running = self._running.get(project_id)
        if running is not None:
            running.retried = running.stopping = True
        try:
            return await self.manager.close_session(output_project_id=project_id, grace=grace)
        finally:
            self._release(project_id)

    async def stop_all(self, grace: float = 1.0) -> None:
        for running in self._running.values():
            running.retried = running.stopping = True
        try:
            await self.manager.close_all(grace)
        finally:
            for project_id in list(self._locks):
                self._release(project_id)
            if self._hook_server is not None:
                await self._hook_server.close()
                self._hook_server = None
                self._hook_setup = None

    def _release(self, project_id: str) -> None:
        lock = self._locks.pop(project_id, None)
        if lock is not None:
            with contextlib.suppress(OSError):
                lock.release()


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def _never_spawn() -> BidirectionalPTY:
    raise AssertionError("a live session exists; nothing may be spawned")
