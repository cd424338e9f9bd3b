"""Where a UI's sessions live: in a session host (they outlive the UI) or in the UI's own
process (the demo, and tests that want no extra process). Both look the same to the UI."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from wxtui.sessions.client import ClientSink, HostClient, connect_or_start
from wxtui.sessions.host import host_running, host_socket_path
from wxtui.sessions.project_sessions import ProjectSessions

STOP_GRACE = 1.0
CATCH_UP_WAIT = 0.1  # Longer than this, a pane is shown before it has caught up.


class SessionBackend(Protocol):
    @property
    def outlives_the_ui(self) -> bool:
        """True when sessions keep running after the UI quits."""
        ...

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool = True
    ) -> bool:
        """Start the project's session (or join it); True when it was started now.
        Raises LockHeld, or WxtuiError with the reason it cannot start."""
        ...

    def shown(self, project_id: str, shown: bool) -> None:
        """Whether the UI shows the session: a host sends a hidden one's output only
        when it is shown again (in-process sessions are fed either way)."""
        ...

    async def catch_up(self, project_id: str) -> None:
        """Before a hidden session is shown: what it printed meanwhile, so that the
        first frame that shows it shows that too."""
        ...

    def write(self, project_id: str, data: bytes) -> None: ...

    def resize(self, project_id: str, rows: int, cols: int) -> None: ...

    def title_changed(self, project_id: str, title: str) -> None: ...

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None: ...

    def tracks_prompts(self, project_id: str) -> bool: ...

    def is_alive(self, project_id: str) -> bool: ...

    def running_count(self) -> int:
        """Sessions this UI started or joined that still run."""
        ...

    async def stop(self, project_id: str) -> None: ...

    async def stop_all(self) -> None:
        """Stop every session (and the host, if any)."""
        ...

    async def leave(self) -> int:
        """The UI quits: sessions in a host keep running (how many is returned),
        in-process ones end."""
        ...


class InProcessSessions:
    """Sessions in the UI's own process: they end with it."""

    outlives_the_ui = False

    def __init__(self, sessions: ProjectSessions) -> None:
        self.sessions = sessions

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool = True
    ) -> bool:
        _session, created = self.sessions.start(project_id, sink, rows, cols)
        return created

    def shown(self, project_id: str, shown: bool) -> None:
        """The UI parses every session's output itself."""

    async def catch_up(self, project_id: str) -> None:
        """Always up to date."""

    def write(self, project_id: str, data: bytes) -> None:
        self.sessions.write(project_id, data)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        self.sessions.resize(project_id, rows, cols)

    def title_changed(self, project_id: str, title: str) -> None:
        self.sessions.title_changed(project_id, title)

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None:
        self.sessions.expect_prompt(project_id, milestone_id, prompt)

    def tracks_prompts(self, project_id: str) -> bool:
        return self.sessions.tracks_prompts(project_id)

    def is_alive(self, project_id: str) -> bool:
        return self.sessions.is_alive(project_id)

    def running_count(self) -> int:
        return len(self.sessions.live())

    async def stop(self, project_id: str) -> None:
        await self.sessions.stop(project_id, STOP_GRACE)

    async def stop_all(self) -> None:
        await self.sessions.stop_all(STOP_GRACE)

    async def leave(self) -> int:
        await self.sessions.stop_all(STOP_GRACE)
        return 0


class HostedSessions:
    """Sessions in this database's session host: the UI watches them, they outlive it.
    The host is reached (and started if none runs) when a session is first needed."""

    outlives_the_ui = True

    def __init__(self, db_path: Path, environ: Mapping[str, str], agent: str | None = None) -> None:
        self.db_path = db_path
        self.environ = dict(environ)
        self.agent = agent
        self.client: HostClient | None = None
        self._connecting = asyncio.Lock()

    async def connect(self, start: bool = True) -> HostClient | None:
        """The connection; with ``start``, a host is started if none runs (else None)."""
        async with self._connecting:
            if self.client is not None and not self.client.closed.is_set():
                return self.client
            path = host_socket_path(self.db_path, self.environ)
            if not start and not host_running(path):
                return None
            self.client = await connect_or_start(self.db_path, self.environ, self.agent)
            return self.client

    async def running(self) -> list[str]:
        """Projects whose sessions run in the host (none if no host runs)."""
        client = await self.connect(start=False)
        if client is None:
            return []
        status = await client.status()
        sessions = status.get("sessions")
        return [str(s["project"]) for s in sessions] if isinstance(sessions, list) else []

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool = True
    ) -> bool:
        client = await self.connect()
        assert client is not None
        return await client.start(project_id, sink, rows, cols, paused=not shown)

    def shown(self, project_id: str, shown: bool) -> None:
        if (client := self.client) is not None:
            client.pause(project_id, not shown)

    async def catch_up(self, project_id: str) -> None:
        if (client := self.client) is not None and client.is_alive(project_id):
            await client.resume(project_id, CATCH_UP_WAIT)

    def write(self, project_id: str, data: bytes) -> None:
        if (client := self.client) is not None:
            client.write(project_id, data)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        if (client := self.client) is not None:
            client.resize(project_id, rows, cols)

    def title_changed(self, project_id: str, title: str) -> None:
        """The host reads titles off its own screen of the session."""

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None:
        if (client := self.client) is not None:
            client.expect_prompt(project_id, milestone_id, prompt)

    def tracks_prompts(self, project_id: str) -> bool:
        return self.client is not None and self.client.tracks_prompts(project_id)

    def is_alive(self, project_id: str) -> bool:
        return self.client is not None and self.client.is_alive(project_id)

    def running_count(self) -> int:
        return 0 if self.client is None else self.client.running_count()

    async def stop(self, project_id: str) -> None:
        if self.client is not None:
            await self.client.stop(project_id)

    async def stop_all(self) -> None:
        client = await self.connect(start=False)
        if client is not None:
            await client.shutdown()
            await client.close()

    async def leave(self) -> int:
        client = await self.connect(start=False)
        if client is None:
            return 0
        try:
            status = await client.status()
        except Exception:  # The host is gone: nothing keeps running.
            status = {}
        finally:
            await client.close()
        sessions = status.get("sessions")
        return len(sessions) if isinstance(sessions, list) else 0
