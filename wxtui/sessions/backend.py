"""The UI's sessions: always in a session host, reached through the host protocol.

A host is a process of its own for ``wxtui`` (the agents outlive the UI), or served from
the UI's own process for the demo and tests (the agents end with it). Either way the UI
runs the same client, pausing, catch-up and snapshot code; only where the host's event
loop runs differs.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from wxtui.sessions.client import (
    START_TIMEOUT,
    ClientSink,
    HostClient,
    HostUnavailable,
    connect_or_start,
    wait_until_serving,
)
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.sessions.host_status import HostStatus
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.read_budget import ReadBudget
from wxtui.store import Store

CATCH_UP_WAIT = 0.1  # Longer than this, a pane is shown before it has caught up.


class HostedSessions:
    """Sessions in this database's session host: the UI watches them. The host is
    reached (and started if none runs) when a session is first needed.

    ``embedded``: a host served from this process's event loop on the database's own
    socket (so the CLI reaches it too); its sessions end when the UI leaves.
    ``starting``: a host process started for this UI as it loaded; the first connection
    waits for it (unless it ends) instead of starting another.
    """

    def __init__(
        self,
        store: Store,
        environ: Mapping[str, str],
        agent: str | None = None,
        *,
        embedded: bool = False,
        starting: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.read_budget = ReadBudget()  # For every reader of the UI's loop.
        self.store = store
        self.environ = dict(environ)
        self.agent = agent
        self.embedded = embedded
        self._starting = starting
        self.client: HostClient | None = None
        self._connecting = asyncio.Lock()
        self._host: asyncio.Task[None] | None = None

    @property
    def outlives_the_ui(self) -> bool:
        """True when sessions keep running after the UI quits."""
        return not self.embedded

    @property
    def socket_path(self) -> Path:
        return host_socket_path(self.store.path)

    async def connect(self, start: bool = True) -> HostClient | None:
        """The connection; with ``start``, a host is started if none runs (else None)."""
        async with self._connecting:
            if self.client is not None and self.client.usable:
                return self.client
            if self._starting is not None and start:
                await self._wait_for_starting(self._starting)
                self._starting = None
            if not start and not host_running(self.socket_path):
                return None
            launch = self._serve_here if self.embedded else None
            self.client = await connect_or_start(
                self.store.path, self.environ, self.agent, launch=launch, budget=self.read_budget
            )
            return self.client

    async def _wait_for_starting(self, process: subprocess.Popen[bytes]) -> None:
        def ended() -> BaseException | None:
            code = process.poll()
            return None if code is None else HostUnavailable(f"it ended ({code})")

        with contextlib.suppress(HostUnavailable):  # Then one is started as usual.
            await wait_until_serving(self.socket_path, ended)

    async def _serve_here(self, path: Path) -> None:
        """The embedded host: served from this event loop, until the UI leaves."""
        from wxtui.sessions.host import SessionHost  # Only here: the UI runs no host.

        host = SessionHost(
            self.store,
            path,
            agent=self.agent,
            environ=self.environ,
            idle_exit=math.inf,
            handle_signals=False,
            read_budget=self.read_budget,
        )
        serving = self._host = asyncio.get_running_loop().create_task(host.run())
        await wait_until_serving(path, lambda: serving.exception() if serving.done() else None)

    async def status(self) -> HostStatus | None:
        """What the host runs (None when no host runs)."""
        client = await self.connect(start=False)
        return None if client is None else await client.status()

    async def running(self) -> list[str]:
        """Projects whose sessions run in the host (none if no host runs)."""
        status = await self.status()
        return [] if status is None else [s.project for s in status.sessions]

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool = True
    ) -> bool:
        """Start the project's session (or join it); True when it was started now.
        Raises LockHeld, or WxtuiError with the reason it cannot start."""
        client = await self.connect()
        assert client is not None
        return await client.start(
            project_id, sink, rows, cols, not shown, agent=self.agent, environ=self.environ
        )

    def shown(self, project_id: str, shown: bool) -> None:
        """Whether the UI shows the session: a hidden one's output is not sent, only
        word that there was some, until it is shown again."""
        if (client := self.client) is not None:
            client.pause(project_id, not shown)

    async def catch_up(self, project_id: str) -> None:
        """Before a hidden session is shown: what it printed meanwhile, so that the
        first frame that shows it shows that too."""
        if (client := self.client) is not None and client.is_alive(project_id):
            await client.resume(project_id, CATCH_UP_WAIT)

    def write(self, project_id: str, data: bytes) -> None:
        if (client := self.client) is not None:
            client.write(project_id, data)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        if (client := self.client) is not None:
            client.resize(project_id, rows, cols)

    async def send_prompt(self, project_id: str, text: str, milestone_id: str | None) -> None:
        """Type a prompt and Enter into the running session once it can take them (the
        milestone's status follows). WxtuiError says why not."""
        if self.client is None:
            raise HostUnavailable("no session host")
        await self.client.send(project_id, text, milestone_id)

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str = ""
    ) -> None:
        """Answer what the session's agent waits for (a permission, a question) without
        its pane; WxtuiError says why nothing was sent."""
        if self.client is None:
            raise HostUnavailable("no session host")
        await self.client.answer(project_id, request_id, decision, message)

    def is_alive(self, project_id: str) -> bool:
        return self.client is not None and self.client.is_alive(project_id)

    async def stop(self, project_id: str) -> None:
        if self.client is not None:
            await self.client.stop(project_id)

    async def stop_all(self) -> None:
        """Stop every session and the host."""
        client = await self.connect(start=False)
        if client is not None:
            with contextlib.suppress(HostUnavailable):
                await client.shutdown()
            await client.close()
        await self._host_ended()
        # The host removes its socket last, once its agents have ended: a host started
        # after this finds the database free.
        deadline = time.monotonic() + START_TIMEOUT
        while self.socket_path.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def leave(self) -> int:
        """The UI quits: sessions in a host of their own keep running (how many is
        returned); an embedded host's end with the UI."""
        if self.embedded:
            await self.stop_all()
            return 0
        client = await self.connect(start=False)
        if client is None:
            return 0
        try:
            status = await client.status()
        except HostUnavailable:  # The host is gone: nothing keeps running.
            return 0
        finally:
            await client.close()
        return len(status.sessions)

    async def _host_ended(self) -> None:
        if self._host is not None:
            with contextlib.suppress(Exception):
                await self._host
            self._host = None
