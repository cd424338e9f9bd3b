"""Live agent sessions, keyed by ``output_project_id``: the session host's one registry.

Every milestone of a project shares its project's one session. ProjectSessions asks
:meth:`PTYSessionManager.get_or_create_session` for a project's session (its records are
PTYSessions with what it knows of the launch added, made by its ``record`` factory), and
the host's status lists them with :meth:`PTYSessionManager.list_sessions`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from wxtui.sessions.pty import STOP_GRACE


class SessionPTY(Protocol):
    """What the manager needs of a PTY (``BidirectionalPTY`` or a test double)."""

    pid: int

    @property
    def alive(self) -> bool: ...

    @property
    def returncode(self) -> int | None: ...

    def write(self, data: bytes) -> None: ...

    def resize(self, rows: int, cols: int) -> None: ...

    async def close(self, grace: float = ...) -> int: ...


def new_session_id() -> str:
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PTYSession:
    session_id: str
    output_project_id: str
    pty: SessionPTY
    created_at: datetime = field(default_factory=_now)
    last_activity: datetime = field(default_factory=_now)
    claude_session_id: str | None = None

    @property
    def alive(self) -> bool:
        return self.pty.alive

    def touch(self) -> None:
        self.last_activity = _now()


class RecordFactory(Protocol):
    """Makes a session's record from the fields every record has."""

    def __call__(
        self,
        *,
        session_id: str,
        output_project_id: str,
        pty: SessionPTY,
        claude_session_id: str | None,
    ) -> PTYSession: ...


class PTYSessionManager:
    """No idle timeout: an idle Claude session is never reaped behind the user's back."""

    def __init__(self) -> None:
        self._sessions: dict[str, PTYSession] = {}
        self._output_project_to_session: dict[str, str] = {}

    def create_session(
        self,
        output_project_id: str,
        pty: SessionPTY,
        claude_session_id: str | None = None,
        *,
        record: RecordFactory | None = None,
    ) -> str:
        """Register a new session for the project; ``record`` makes its record (a
        PTYSession subclass that knows more), else a plain PTYSession."""
        session = (record or PTYSession)(
            session_id=new_session_id(),
            output_project_id=output_project_id,
            pty=pty,
            claude_session_id=claude_session_id,
        )
        self.add_session(session)
        return session.session_id

    def add_session(self, session: PTYSession) -> None:
        """Register a record the caller made (a PTYSession, or one that knows more).
        A project's ended session is replaced; a live one is never."""
        existing = self.get_session_by_output_project(session.output_project_id)
        if existing is not None and existing.alive:
            raise RuntimeError(f"project {session.output_project_id} already has a live session")
        if existing is not None:
            self._forget(existing)
        self._sessions[session.session_id] = session
        self._output_project_to_session[session.output_project_id] = session.session_id

    def sessions(self) -> list[PTYSession]:
        """Every record, live or ended and not yet replaced."""
        return list(self._sessions.values())

    def get_session(self, session_id: str) -> PTYSession | None:
        return self._sessions.get(session_id)

    def get_session_by_output_project(self, output_project_id: str) -> PTYSession | None:
        session_id = self._output_project_to_session.get(output_project_id)
        return None if session_id is None else self._sessions.get(session_id)

    def get_or_create_session(
        self,
        output_project_id: str,
        spawn: Callable[[], SessionPTY],
        claude_session_id: str | None = None,
        *,
        record: RecordFactory | None = None,
    ) -> tuple[PTYSession, bool]:
        """The project's live session, or a new one from ``spawn()`` if there is none
        (``record``: see :meth:`create_session`)."""
        existing = self.get_session_by_output_project(output_project_id)
        if existing is not None and existing.alive:
            existing.touch()
            return existing, False
        pty = spawn()
        session_id = self.create_session(output_project_id, pty, claude_session_id, record=record)
        return self._sessions[session_id], True

    def _forget(self, session: PTYSession) -> None:
        self._sessions.pop(session.session_id, None)
        if self._output_project_to_session.get(session.output_project_id) == session.session_id:
            del self._output_project_to_session[session.output_project_id]

    async def close_session(
        self,
        session_id: str | None = None,
        *,
        output_project_id: str | None = None,
        grace: float = STOP_GRACE,
    ) -> int | None:
        """Remove the session from both mappings and end its process; returns its exit code."""
        if session_id is not None:
            session = self.get_session(session_id)
        elif output_project_id is not None:
            session = self.get_session_by_output_project(output_project_id)
        else:
            raise TypeError("close_session needs session_id or output_project_id")
        if session is None:
            return None
        self._forget(session)
        return await session.pty.close(grace)

    async def close_all(self, grace: float = STOP_GRACE) -> None:
        sessions = list(self._sessions.values())
        for session in sessions:
            self._forget(session)
        await asyncio.gather(
            *(session.pty.close(grace) for session in sessions), return_exceptions=True
        )

    def list_sessions(self) -> list[dict[str, Any]]:
        return [
            {
                "session_id": session.session_id,
                "output_project_id": session.output_project_id,
                "claude_session_id": session.claude_session_id,
                "pid": session.pty.pid,
                "alive": session.alive,
                "returncode": session.pty.returncode,
                "created_at": session.created_at.isoformat(),
                "last_activity": session.last_activity.isoformat(),
            }
            for session in self._sessions.values()
        ]

    def __len__(self) -> int:
        return len(self._sessions)
