"""Plain data records mirroring the upstream OutputProject and Milestone models."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

PROJECT_STATUSES = ("created", "initialized", "active")
MILESTONE_STATUSES = ("pending", "in_progress", "completed", "failed")


@dataclass(frozen=True, slots=True)
class OutputProject:
    id: str
    name: str
    workspace_path: str
    command: str
    status: str
    claude_session_id: str | None
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    output_project_id: str
    element_name: str
    status: str
    prompt: str | None
    created_at: str
    updated_at: str
    completed_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Conversation:
    """One Claude conversation id a project used, when, and why (its SessionStart source,
    ``wxtui`` for an id wxtui created, ``use`` for one the user picked again)."""

    claude_session_id: str
    source: str
    at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
