"""What a session's output and events go to: the one interface between sessions and
whoever shows them (a pane, a terminal, a host's clients)."""

from __future__ import annotations

from typing import Protocol

from wxtui.sessions.agent_state import AgentStatus


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
