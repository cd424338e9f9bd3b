"""The host's status reply: what ``wxtui host status``, the UI and ``wxtui attach`` read,
built by the host and parsed here only."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SessionInfo:
    project: str
    pid: int
    state: str
    reason: str = ""
    clients: int = 0
    attention: bool = False  # The state is news for the user (see AgentStatus).
    age: float = 0.0  # Seconds in that state.
    request: dict[str, Any] | None = None  # What waits for an answer (PendingRequest).
    session_id: str = ""  # The registry's (PTYSessionManager) record of it:
    created_at: str = ""  # when it started,
    last_activity: str = ""  # and when a client last started or joined it.


@dataclass(frozen=True, slots=True)
class HostStatus:
    pid: int
    version: str
    database: str
    sessions: list[SessionInfo] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> HostStatus:
        """A reply as the host sent it; fields of the wrong type read as empty (a host
        of another version may send more, or less)."""
        sessions = body.get("sessions")
        return cls(
            pid=_int(body.get("pid")),
            version=str(body.get("version", "")),
            database=str(body.get("database", "")),
            sessions=[
                SessionInfo(
                    project=str(s.get("project", "")),
                    pid=_int(s.get("pid")),
                    state=str(s.get("state", "running")),
                    reason=str(s.get("reason", "")),
                    clients=_int(s.get("clients")),
                    attention=s.get("attention") is True,
                    age=float(s["age"]) if isinstance(s.get("age"), (int, float)) else 0.0,
                    request=s["request"] if isinstance(s.get("request"), dict) else None,
                    session_id=str(s.get("session_id", "")),
                    created_at=str(s.get("created_at", "")),
                    last_activity=str(s.get("last_activity", "")),
                )
                for s in (sessions if isinstance(sessions, list) else [])
                if isinstance(s, dict)
            ],
        )

    def session(self, project_id: str) -> SessionInfo | None:
        return next((s for s in self.sessions if s.project == project_id), None)


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0
