"""Agent sessions: each project's one child process in a pseudo-terminal, how it is
launched (Claude's --session-id / --resume rules, per-launch hook settings), the lock that
keeps one agent per project across wxtui processes, and what Claude's hooks say it is doing.

:class:`ProjectSessions` is the entry point; nothing here knows about the UI.
"""

from wxtui.sessions.agent_state import AgentState, AgentStatus
from wxtui.sessions.lock import LockHeld
from wxtui.sessions.project_sessions import ProjectSessions, SessionSink
from wxtui.sessions.pty import SpawnError

__all__ = [
    "AgentState",
    "AgentStatus",
    "LockHeld",
    "ProjectSessions",
    "SessionSink",
    "SpawnError",
]
