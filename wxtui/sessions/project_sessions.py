"""Starting and stopping each project's one agent session.

Joins the store (conversation ids), the per-project lock (one agent across wxtui
processes), the launch rules and Claude's hooks, with one record per project. The UI
talks to sessions only through here, by project id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wxtui.errors import WxtuiError
from wxtui.milestone_changes import record
from wxtui.sessions.agent_state import AgentState, AgentStatus, AgentTracker
from wxtui.sessions.claude_hooks import relay_command, write_private_json
from wxtui.sessions.hook_server import HookMessage, HookReply, HookServer
from wxtui.sessions.launch import HookSetup, LaunchPlan, claude_refused, plan_launch
from wxtui.sessions.lock import ProjectLock, lock_dir_for
from wxtui.sessions.manager import PTYSession, PTYSessionManager
from wxtui.sessions.permission_requests import (
    Decision,
    PendingRequest,
    encode_output,
    hook_output,
)
from wxtui.sessions.pty import STOP_GRACE, BidirectionalPTY, WriteBufferFull
from wxtui.sessions.read_budget import ReadBudget
from wxtui.sessions.runtime import runtime_dir
from wxtui.sessions.sink import SessionSink
from wxtui.sessions.store_writes import StoreWrites
from wxtui.store import Store

log = logging.getLogger(__name__)

# Claude refuses a conversation id right at start; later exits are ordinary ones.
REFUSAL_WINDOW = 15.0
_EARLY_OUTPUT_LIMIT = 64 * 1024
_CONVERSATION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{7,63}")
# Keys that answer a permission prompt or a question in Claude's pane (one key each:
# enter, esc, a digit, y or n); focus reports and arrows are not answers.
_ANSWERS = frozenset({b"\r", b"\x1b", *(bytes([c]) for c in b"0123456789yYnN")})


@dataclass(frozen=True, slots=True)
class _Launch:
    """What a start was asked with: the default agent and the environment."""

    agent: str | None
    environ: dict[str, str]


@dataclass
class _Early:
    """What a session printed first (Claude's refusal of an id is said there), and
    whether showing its output failed once (said once in its pane)."""

    output: bytearray = field(default_factory=bytearray)
    failed: bool = False


@dataclass(kw_only=True, eq=False)
class ProjectSession(PTYSession):
    """Everything about one project's agent process: the one record per project, kept
    in the PTYSessionManager (its pty, ids and activity are the seed's record's)."""

    plan: LaunchPlan
    sink: SessionSink
    lock: ProjectLock
    launch: _Launch
    early: _Early
    started: float = field(default_factory=time.monotonic)
    retried: bool = False
    stopping: bool = False
    tracker: AgentTracker | None = None
    # A milestone prompt sent into the session, until Claude reports that prompt.
    expected_prompt: tuple[str, str] | None = None
    # The milestone whose turn is running.
    turn_milestone: str | None = None
    prompts_submitted: int = 0  # Prompts Claude's hooks reported.
    # Requests whose hook waits for an answer from outside the pane, oldest first.
    waiting: dict[str, tuple[PendingRequest, HookReply]] = field(default_factory=dict)

    @property
    def project_id(self) -> str:
        return self.output_project_id

    @property
    def pid(self) -> int:
        return self.pty.pid


class ProjectSessions:
    def __init__(
        self,
        store: Store,
        *,
        agent: str | None = None,
        environ: Mapping[str, str] | None = None,
        lock_dir: Path | None = None,
        budget: ReadBudget | None = None,
    ) -> None:
        self.store = store
        self.agent = agent
        self.environ = dict(os.environ if environ is None else environ)
        self.lock_dir = lock_dir or lock_dir_for(store.path)
        self.manager = PTYSessionManager()
        self._starting: dict[str, asyncio.Future[ProjectSession]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Database writes never wait on the event loop (see StoreWrites); reads do not
        # wait for another process's write lock (the database is in WAL mode).
        self.writes = StoreWrites(store.path)
        self._budget = budget or ReadBudget()  # Shared with the UI's readers, if given.
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

    def session(self, project_id: str) -> ProjectSession | None:
        """The project's session record (alive, or ended and not yet replaced)."""
        session = self.manager.get_session_by_output_project(project_id)
        return session if isinstance(session, ProjectSession) else None

    def live(self) -> list[ProjectSession]:
        """Every session whose process runs."""
        return [
            session
            for session in self.manager.sessions()
            if isinstance(session, ProjectSession) and session.alive
        ]

    def is_alive(self, project_id: str) -> bool:
        session = self.session(project_id)
        return session is not None and session.alive

    async def start(
        self,
        project_id: str,
        sink: SessionSink,
        rows: int,
        cols: int,
        *,
        agent: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> tuple[ProjectSession, bool]:
        """The project's live session, starting it if needed; True when it was started.
        ``agent`` and ``environ``: those of whoever asked for the start (else this
        object's own), for a project without a command of its own. A start asked for
        while one is under way waits for that one.

        Raises LockHeld when another wxtui runs it, SpawnError or InvalidInput when it
        cannot start; in every failure case the lock is released again.
        """
        existing = self.session(project_id)
        if existing is not None and existing.alive:
            existing.touch()
            return existing, False
        if (pending := self._starting.get(project_id)) is not None:
            return await asyncio.shield(pending), False
        self.store.get_project(project_id)  # An unknown id touches no file.
        lock = ProjectLock(self.lock_dir, project_id)
        lock.acquire()
        starting = self._starting[project_id] = asyncio.get_running_loop().create_future()
        try:
            launch = _Launch(
                self.agent if agent is None else agent,
                self.environ if environ is None else dict(environ),
            )
            session = await self._spawn(project_id, sink, lock, rows, cols, launch, False)
        except BaseException as exc:
            _release(lock)
            starting.set_exception(exc)
            starting.exception()  # Retrieved: a start nobody else waited for is no news.
            raise
        finally:
            del self._starting[project_id]
        starting.set_result(session)
        return session, True

    async def _spawn(
        self,
        project_id: str,
        sink: SessionSink,
        lock: ProjectLock,
        rows: int,
        cols: int,
        launch: _Launch,
        fresh_conversation: bool,
    ) -> ProjectSession:
        project = self.store.get_project(project_id)
        plan = plan_launch(
            project,
            agent=launch.agent,
            environ=launch.environ,
            fresh_conversation=fresh_conversation,
            hooks=self._hooks,
        )
        if plan.new_conversation and (new_id := plan.claude_session_id) is not None:
            # Stored before Claude starts with it (SPEC rule 1): a failure starts nothing.
            await self.writes.submit(
                lambda store: store.set_claude_session_id(project_id, new_id),
                f"project {project_id}'s new conversation {new_id}",
            )
        early = _Early()
        tracker = AgentTracker() if plan.is_claude else None
        if plan.settings_path is not None and plan.settings is not None:
            write_private_json(plan.settings_path, plan.settings)

        def on_output(data: bytes) -> None:
            if len(early.output) < _EARLY_OUTPUT_LIMIT:
                early.output += data[:_EARLY_OUTPUT_LIMIT]
            try:
                sink.feed(data)
            except Exception as exc:  # One session's failure must stay in its pane.
                log.exception("project %s: handling output failed", project_id)
                if not early.failed:
                    early.failed = True
                    with contextlib.suppress(Exception):
                        sink.notice(f"wxtui could not show some output: {exc}")

        def on_exit(returncode: int) -> None:
            self._on_exit(project_id, running, returncode, rows, cols)

        def spawn() -> BidirectionalPTY:
            try:
                return BidirectionalPTY.spawn(
                    plan.argv,
                    cwd=plan.cwd,
                    env=plan.env,
                    rows=rows,
                    cols=cols,
                    on_output=on_output,
                    on_exit=on_exit,
                    budget=self._budget,
                )
            except BaseException:
                _remove(plan.settings_path)
                raise

        def record(**seed: Any) -> ProjectSession:
            """The seed's record, with what this launch knows."""
            return ProjectSession(
                **seed,
                plan=plan,
                sink=sink,
                lock=lock,
                launch=launch,
                early=early,
                retried=fresh_conversation,
                tracker=tracker,
            )

        # Output and the exit come from the event loop, after this record exists.
        registered, _created = self.manager.get_or_create_session(
            project_id, spawn, plan.claude_session_id, record=record
        )
        assert isinstance(registered, ProjectSession)
        running = registered
        log.info(
            "project %s: started pid %d: %s (cwd %s)", project_id, running.pid, plan.argv, plan.cwd
        )
        if project.status != "active":
            self.writes.later(
                lambda store: store.set_project_status(project_id, "active"),
                f"project {project_id} active",
            )
        if plan.tracking_off:
            sink.notice(f"state tracking is off for this project: {plan.tracking_off}")
        if running.tracker is not None:
            self._publish(project_id, running, running.tracker.status)
        else:
            self._publish(project_id, running, AgentStatus(AgentState.WORKING, "running"))
        return running

    def _publish(
        self, project_id: str, running: ProjectSession, status: AgentStatus | None
    ) -> None:
        """A new status: stored for the CLI, shown in the pane."""
        if status is None:
            return
        self.writes.later(
            lambda store: store.set_agent_state(project_id, status.state.value, status.reason),
            f"project {project_id}'s state",
        )
        with contextlib.suppress(Exception):
            running.sink.agent_status(status, running.tracker is not None)

    # -- Claude's hooks ----------------------------------------------------------

    def _on_hook(self, message: HookMessage) -> None:
        """An event relayed from a hook: only the project's own claude process counts (a
        ``claude -p`` run by a tool inherits the environment, and maybe the settings)."""
        running = self.session(message.project_id)
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
        if message.name == "PermissionRequest" and message.reply is not None:
            request = PendingRequest.from_hook(event)
            message.reply.kept = True
            running.waiting[request.id] = (request, message.reply)
            self._publish(message.project_id, running, running.tracker.waiting(request))
            return
        _forget_answered(running, message.name, event)
        if message.name == "SessionStart":
            self._conversation_started(message.project_id, event)
        elif message.name == "UserPromptSubmit":
            running.prompts_submitted += 1
            self._prompt_submitted(message.project_id, running, event.get("prompt"))
        elif message.name in ("Stop", "StopFailure") and running.turn_milestone is not None:
            milestone, running.turn_milestone = running.turn_milestone, None
            if message.name == "Stop":
                workspace = Path(running.plan.cwd)

                def ended(store: Store) -> None:
                    record(workspace, milestone, "end")  # What the turn left, for review.
                    store.set_ready_for_review(milestone)

                self._milestone_write(running, ended, f"milestone {milestone} ready for review")
        self._publish(message.project_id, running, running.tracker.hook(event))

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str = ""
    ) -> str:
        """Answer a request that waits (see permission_requests): "" once Claude has the
        answer, else why nothing was sent (it was answered in the pane, the session
        moved on or ended). InvalidInput when the answer does not fit the request."""
        running = self.session(project_id)
        if running is None or not running.alive or running.tracker is None:
            return "the session is not running"
        waiting = running.waiting.get(request_id)
        if waiting is None:
            return "already answered (in its pane, or the session moved on); nothing sent"
        request, reply = waiting
        output = encode_output(hook_output(request, decision, message))
        del running.waiting[request_id]
        sent = await reply.send(output)
        if running.waiting:  # Another request still waits: it is shown next.
            oldest = next(iter(running.waiting.values()))[0]
            self._publish(project_id, running, running.tracker.waiting(oldest))
        else:
            how = decision.done if sent else "answered elsewhere"
            self._publish(project_id, running, running.tracker.answered(how))
        return "" if sent else "Claude no longer waits for that answer; nothing sent"

    def _conversation_started(self, project_id: str, event: dict[str, object]) -> None:
        session_id, source = event.get("session_id"), event.get("source")
        if not isinstance(session_id, str) or not _CONVERSATION_ID.fullmatch(session_id):
            log.warning("project %s: SessionStart without a usable session_id", project_id)
            return
        source = source if isinstance(source, str) and source.isidentifier() else "unknown"
        self.writes.later(
            lambda store: store.record_conversation(project_id, session_id, source),
            f"project {project_id}'s conversation {session_id} ({source})",
        )
        running = self.session(project_id)
        if running is not None:
            running.claude_session_id = session_id

    def _prompt_submitted(self, project_id: str, running: ProjectSession, prompt: object) -> None:
        expected = running.expected_prompt
        if expected is None or not isinstance(prompt, str):
            return
        milestone, text = expected
        if prompt.strip() != text.strip():
            return
        running.expected_prompt = None
        running.turn_milestone = milestone
        self.milestone_started(project_id, milestone)

    def milestone_started(self, project_id: str, milestone_id: str) -> None:
        """The milestone's prompt went into the project's session: it is in progress
        (its pane hears once that is stored)."""
        running = self.session(project_id)
        if running is not None:
            self._milestone_write(
                running,
                lambda store: store.set_milestone_status(milestone_id, "in_progress"),
                f"milestone {milestone_id} in progress",
            )

    def _milestone_write(
        self, running: ProjectSession, write: Callable[[Store], object], what: str
    ) -> None:
        """A milestone changed on the agent's behalf: its pane hears once it is stored."""

        def written(future: asyncio.Future[object]) -> None:
            if future.cancelled() or future.exception() is not None:
                log.warning("not written: %s: %s", what, future.exception())
                return
            with contextlib.suppress(Exception):
                running.sink.milestones_changed()

        self.writes.submit(write, what).add_done_callback(written)

    def tracks_prompts(self, project_id: str) -> bool:
        """True when Claude's hooks will report a prompt sent into this session."""
        running = self.session(project_id)
        return running is not None and running.plan.settings is not None

    def prompts_submitted(self, project_id: str) -> int:
        """How many prompts Claude's hooks reported in this session (0 without hooks)."""
        running = self.session(project_id)
        return 0 if running is None else running.prompts_submitted

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None:
        """A milestone's prompt is about to be sent: tie the turn it starts to it."""
        running = self.session(project_id)
        if running is not None:
            running.expected_prompt = (milestone_id, prompt)

    def title_changed(self, project_id: str, title: str) -> None:
        running = self.session(project_id)
        if running is not None and running.tracker is not None:
            self._publish(project_id, running, running.tracker.title(title))

    def agent_status(self, project_id: str) -> AgentStatus | None:
        running = self.session(project_id)
        return None if running is None or running.tracker is None else running.tracker.status

    def _on_exit(
        self, project_id: str, running: ProjectSession, returncode: int, rows: int, cols: int
    ) -> None:
        log.info("project %s: exited with code %d", project_id, returncode)
        _remove(running.plan.settings_path)
        if self.session(project_id) is not running:
            return  # A session already replaced.
        refused = (
            running.plan.claude_session_id is not None
            and not running.retried
            and time.monotonic() - running.started < REFUSAL_WINDOW
            and claude_refused(
                running.early.output.decode("utf-8", "replace"), running.plan.claude_session_id
            )
        )
        if refused:
            task = asyncio.get_running_loop().create_task(
                self._start_fresh(project_id, running, returncode, rows, cols)
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        self._ended(project_id, running, returncode)

    async def _start_fresh(
        self, project_id: str, running: ProjectSession, returncode: int, rows: int, cols: int
    ) -> None:
        """Claude refused the conversation id: a new conversation, said in the pane."""
        old = running.plan.claude_session_id
        log.warning("project %s: Claude refused conversation %s", project_id, old)
        try:
            session = await self._spawn(
                project_id, running.sink, running.lock, rows, cols, running.launch, True
            )
        except Exception as exc:  # The pane must say why, the app must go on.
            running.sink.notice(f"could not start a new conversation: {exc}")
            self._ended(project_id, running, returncode)
        else:
            running.sink.notice(
                f"Claude refused conversation {old}; "
                f"started a new one ({session.claude_session_id})"
            )

    def _ended(self, project_id: str, running: ProjectSession, returncode: int) -> None:
        _release(running.lock)
        _forget_waiting(running)
        if running.tracker is not None:
            status = running.tracker.exited(returncode, running.stopping)
        else:
            status = AgentStatus.ended(returncode, running.stopping)
        self._publish(project_id, running, status)
        running.sink.session_exited(returncode)

    def write(self, project_id: str, data: bytes) -> None:
        running = self.session(project_id)
        if running is None or not running.alive:
            return
        running.touch()
        running.pty.write(data)
        if running.tracker is not None and _answers(data):
            _forget_waiting(running)  # Answered in the pane: an answer from elsewhere is late.
            self._publish(project_id, running, running.tracker.user_answered())

    def reply(self, project_id: str, data: bytes) -> None:
        """The terminal's answer to a query the child made: not the user's input (and
        dropped when the child has stopped reading its input)."""
        running = self.session(project_id)
        if running is not None and running.alive:
            try:
                running.pty.write(data)
            except WriteBufferFull:
                log.warning("project %s: a reply to a query was dropped", project_id)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        running = self.session(project_id)
        if running is not None and running.alive:
            running.pty.resize(rows, cols)

    async def stop(self, project_id: str, grace: float = STOP_GRACE) -> int | None:
        """End the session on purpose: its exit is still reported, never retried."""
        running = self.session(project_id)
        if running is None:
            return None
        running.retried = running.stopping = True
        try:
            return await running.pty.close(grace)
        finally:
            _release(running.lock)

    async def stop_all(self, grace: float = STOP_GRACE) -> None:
        try:
            await asyncio.gather(
                *(self.stop(s.output_project_id, grace) for s in self.manager.sessions()),
                return_exceptions=True,
            )
        finally:
            if self._hook_server is not None:
                await self._hook_server.close()
                self._hook_server = None
                self._hook_setup = None
            await self.writes.close()


def _answers(data: bytes) -> bool:
    """Keys that answer Claude's dialog: one answer key, or one and Enter at once."""
    return data in _ANSWERS or (len(data) == 2 and data[1:] == b"\r" and data[:1] in _ANSWERS)


# Events after which Claude waits for nothing it asked before: its turn ended or began.
_TURN_EVENTS = frozenset({"Stop", "StopFailure", "UserPromptSubmit", "SessionStart", "SessionEnd"})


def _forget_answered(running: ProjectSession, name: str, event: dict[str, object]) -> None:
    """Requests that Claude went past: all of them when a turn ends or begins; the one
    for a tool that then ran (or failed). Another agent's tools (subagents run side by
    side) leave the rest waiting."""
    if name in _TURN_EVENTS:
        _forget_waiting(running)
    elif name in ("PostToolUse", "PostToolUseFailure"):
        done = (event.get("tool_name"), event.get("tool_input"))
        for request_id, (request, reply) in list(running.waiting.items()):
            if (request.tool, dict(request.tool_input)) == done:
                reply.close()
                del running.waiting[request_id]


def _forget_waiting(running: ProjectSession) -> None:
    """Its relays end without an answer (the pane's dialog decided, or Claude went on)."""
    for _request, reply in running.waiting.values():
        reply.close()
    running.waiting.clear()


def _release(lock: ProjectLock) -> None:
    with contextlib.suppress(OSError):
        lock.release()


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()
