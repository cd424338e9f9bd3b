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
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wxtui.agent import LaunchPlan, claude_refused, plan_launch
from wxtui.bidirectional_pty import BidirectionalPTY, ReadBudget
from wxtui.pty_session_manager import PTYSession, PTYSessionManager
from wxtui.session_lock import ProjectLock
from wxtui.store import Store

log = logging.getLogger(__name__)

# Claude refuses a conversation id right at start; later exits are ordinary ones.
REFUSAL_WINDOW = 15.0
_EARLY_OUTPUT_LIMIT = 64 * 1024


class SessionSink(Protocol):
    """Where a session's output and lifecycle events go (the project's terminal pane)."""

    def feed(self, data: bytes) -> None: ...

    def session_exited(self, returncode: int) -> None: ...

    def notice(self, text: str) -> None: ...


@dataclass
class _Running:
    plan: LaunchPlan
    sink: SessionSink
    started: float
    early_output: bytearray
    retried: bool = False
    failed_output: bool = False


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
        )
        running = _Running(plan, sink, time.monotonic(), bytearray(), retried=fresh_conversation)

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

        session, created = self.manager.get_or_create_session(
            project_id, spawn, plan.claude_session_id
        )
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
        return session, created

    def _on_exit(
        self, project_id: str, running: _Running, returncode: int, rows: int, cols: int
    ) -> None:
        log.info("project %s: exited with code %d", project_id, returncode)
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
        running.sink.session_exited(returncode)

    def write(self, project_id: str, data: bytes) -> None:
        session = self.session(project_id)
        if session is not None and session.alive:
            session.touch()
            session.pty.write(data)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        session = self.session(project_id)
        if session is not None and session.alive:
            session.pty.resize(rows, cols)

    async def stop(self, project_id: str, grace: float = 1.0) -> int | None:
        """End the session on purpose: its exit is still reported, never retried."""
        running = self._running.get(project_id)
        if running is not None:
            running.retried = True
        try:
            return await self.manager.close_session(output_project_id=project_id, grace=grace)
        finally:
            self._release(project_id)

    async def stop_all(self, grace: float = 1.0) -> None:
        for running in self._running.values():
            running.retried = True
        try:
            await self.manager.close_all(grace)
        finally:
            for project_id in list(self._locks):
                self._release(project_id)

    def _release(self, project_id: str) -> None:
        lock = self._locks.pop(project_id, None)
        if lock is not None:
            with contextlib.suppress(OSError):
                lock.release()


def _never_spawn() -> BidirectionalPTY:
    raise AssertionError("a live session exists; nothing may be spawned")
