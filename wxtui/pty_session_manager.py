"""The seed's session registry API, kept at its original path (see wxtui.sessions.manager)."""

from wxtui.sessions.manager import PTYSession, PTYSessionManager, SessionPTY

__all__ = ["PTYSession", "PTYSessionManager", "SessionPTY"]
