"""A connection to the session host: start, watch, type into, resize and stop sessions
that live in the host, with their output and events handed to a sink per project."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from wxtui import __version__
from wxtui.errors import WxtuiError
from wxtui.sessions.agent_state import AgentState, AgentStatus
from wxtui.sessions.host import WINDOW, host_running, host_socket_path
from wxtui.sessions.lock import LockHeld
from wxtui.sessions.project_sessions import SessionSink
from wxtui.sessions.protocol import (
    PROTOCOL,
    Frame,
    Kind,
    ProtocolError,
    encode_bytes,
    encode_json,
    read_frame,
)
from wxtui.terminal.snapshot import Snapshot

log = logging.getLogger(__name__)

START_TIMEOUT = 10.0
ACK_EVERY = WINDOW // 4
STOP_TIMEOUT = 10.0


class HostUnavailable(WxtuiError):
    """No host answers, and none could be started."""


class ClientSink(SessionSink, Protocol):
    """Where a watched session's screen, output and events go (a pane, a terminal): a
    session's sink that also takes the whole screen when it attaches or falls behind."""

    def load_snapshot(self, snapshot: Snapshot) -> None:
        """The session as it is now (its screen, history and modes)."""
        ...

    def missed_output(self, bell: bool) -> None:
        """The session printed (or, with ``bell``, rang the bell) while paused here."""
        ...


class HostClient:
    """One connection to the host; :meth:`connect` makes it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self.host_version = ""
        self.host_pid = 0
        self.host_protocol: object = None
        self._sinks: dict[str, ClientSink] = {}
        self._started: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._alive: set[str] = set()
        self._exits: dict[str, asyncio.Future[int]] = {}
        self._tracks_prompts: set[str] = set()
        self._unacknowledged: dict[str, int] = {}
        self._live: dict[str, asyncio.Future[None]] = {}
        self._closing = False  # Closed on purpose (or shut down): no one to tell.
        self._reading: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    @classmethod
    async def connect(cls, socket_path: Path) -> HostClient:
        try:
            reader, writer = await asyncio.open_unix_connection(str(socket_path))
        except OSError as exc:
            raise HostUnavailable(f"no session host at {socket_path}: {exc.strerror}") from None
        client = cls(reader, writer)
        writer.write(encode_json(Kind.HELLO, protocol=PROTOCOL, version=__version__))
        welcome = await asyncio.wait_for(read_frame(reader), START_TIMEOUT)
        if welcome is None or welcome.kind is not Kind.WELCOME:
            writer.close()
            reason = welcome.json().get("error", "refused") if welcome is not None else "closed"
            raise HostUnavailable(f"the session host refused the connection: {reason}")
        body = welcome.json()
        client.host_version = str(body.get("version", ""))
        client.host_protocol = body.get("protocol")
        client.host_pid = int(body.get("pid", 0))
        client._reading = asyncio.get_running_loop().create_task(client._read())
        return client

    @property
    def same_version(self) -> bool:
        return self.host_version == __version__ and self.host_protocol == PROTOCOL

    @property
    def other_version(self) -> str:
        """Which wxtui the host is, when it is not this one (a few words)."""
        if self.host_version != __version__:
            return f"wxtui {self.host_version} (this is {__version__})"
        return f"another build of wxtui {__version__}"

    # -- what the app calls --------------------------------------------------------

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, paused: bool = False
    ) -> bool:
        """Start the project's session in the host (or join it); its screen arrives at
        ``sink.load_snapshot``, then its output (once :meth:`pause` resumes it, if
        ``paused``). True when it was started now.

        Raises LockHeld when another wxtui runs it, WxtuiError when it cannot start."""
        self._sinks[project_id] = sink
        self._unacknowledged.pop(project_id, None)  # The host starts counting again.
        started = asyncio.get_running_loop().create_future()
        self._started[project_id] = started
        self._send(encode_json(Kind.START, project=project_id, rows=rows, cols=cols, paused=paused))
        reply = await asyncio.wait_for(started, START_TIMEOUT)
        if reply["event"] == "failed":
            self._sinks.pop(project_id, None)
            error = str(reply.get("error", "could not start"))
            if reply.get("elsewhere"):
                holder = reply.get("holder")
                raise LockHeld(holder if isinstance(holder, int) else None)
            raise WxtuiError(error)
        self._alive.add(project_id)
        if reply.get("tracks_prompts"):
            self._tracks_prompts.add(project_id)
        return bool(reply.get("created"))

    def write(self, project_id: str, data: bytes) -> None:
        self._post(encode_bytes(Kind.INPUT, project_id, data))

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        self._post(encode_json(Kind.RESIZE, project=project_id, rows=rows, cols=cols))

    def pause(self, project_id: str, paused: bool) -> None:
        """Stop the session's output coming here (its sink hears that there was some),
        or resume it (the sink gets what it missed first)."""
        self._post(encode_json(Kind.PAUSE, project=project_id, paused=paused))

    async def resume(self, project_id: str, timeout: float) -> None:
        """Resume the session and wait (at most ``timeout`` seconds) until its sink has
        what it missed."""
        live = asyncio.get_running_loop().create_future()
        self._live[project_id] = live
        self.pause(project_id, False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(live, timeout)
        self._live.pop(project_id, None)

    def title_changed(self, project_id: str, title: str) -> None:
        """The host follows titles from its own screen of the session."""

    def expect_prompt(self, project_id: str, milestone_id: str, prompt: str) -> None:
        self._post(
            encode_json(
                Kind.EXPECT_PROMPT, project=project_id, milestone=milestone_id, prompt=prompt
            )
        )

    def tracks_prompts(self, project_id: str) -> bool:
        return project_id in self._tracks_prompts

    def is_alive(self, project_id: str) -> bool:
        return project_id in self._alive

    def running_count(self) -> int:
        return len(self._alive)

    def detach(self, project_id: str) -> None:
        self._sinks.pop(project_id, None)
        self._unacknowledged.pop(project_id, None)
        self._post(encode_json(Kind.DETACH, project=project_id))

    async def stop(self, project_id: str) -> None:
        """Stop the session in the host; returns once its exit has been reported."""
        if project_id not in self._alive:
            return
        exited = self._exits.setdefault(project_id, asyncio.get_running_loop().create_future())
        self._send(encode_json(Kind.STOP, project=project_id))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(exited), STOP_TIMEOUT)

    async def status(self) -> dict[str, Any]:
        self._send(encode_json(Kind.STATUS))
        return await self._reply()

    async def shutdown(self) -> dict[str, Any]:
        """Stop every session and the host: its status as it stopped (empty if the
        connection ended first: the host is gone either way)."""
        self._closing = True
        self._send(encode_json(Kind.SHUTDOWN))
        try:
            return await self._reply()
        except HostUnavailable:
            if self.closed.is_set():
                return {}
            raise

    async def _reply(self) -> dict[str, Any]:
        """The host's next reply; HostUnavailable if it does not come."""
        reply = asyncio.ensure_future(self._replies.get())
        closed = asyncio.ensure_future(self.closed.wait())
        done, pending = await asyncio.wait(
            {reply, closed}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        for waiter in pending:
            waiter.cancel()
        if reply in done:
            return reply.result()
        if closed in done:
            raise HostUnavailable("the session host went away")
        raise HostUnavailable("the session host did not answer")

    def stop_reading(self) -> None:
        """Leave the host's messages unread (the connection stays open): how a client
        that hangs looks to the host."""
        if self._reading is not None:
            self._reading.cancel()

    async def close(self) -> None:
        self._closing = True
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reading

    # -- the connection ------------------------------------------------------------

    def _send(self, frame: bytes) -> None:
        """A request (its caller waits for the answer): refused once the host is gone."""
        if self.closed.is_set():
            raise HostUnavailable("the session host went away")
        self._writer.write(frame)

    def _post(self, frame: bytes) -> None:
        """A message that asks for no answer (keys, sizes, acknowledgements): dropped
        once the host is gone (its sessions' sinks were told)."""
        if not self.closed.is_set():
            self._writer.write(frame)

    async def _drain(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    async def _read(self) -> None:
        try:
            while (frame := await read_frame(self._reader)) is not None:
                try:
                    self._dispatch(frame)
                except ProtocolError as exc:
                    log.warning("host client: %s", exc)
        except (ProtocolError, ConnectionError, OSError) as exc:
            # Closing or shutting down, the host may go first: nothing went wrong then.
            (log.info if self._closing else log.warning)(
                "host client: the connection failed: %s", exc
            )
        finally:
            self.closed.set()
            if not self._closing:  # Every session watched here ended with the host.
                for project_id, sink in list(self._sinks.items()):
                    if project_id in self._alive:
                        sink.notice("the session host went away")
                        sink.session_exited(-1)
                self._alive.clear()
            for future in self._started.values():
                if not future.done():
                    future.set_result({"event": "failed", "error": "the session host went away"})
            for exited in self._exits.values():
                if not exited.done():
                    exited.set_result(-1)

    def _dispatch(self, frame: Frame) -> None:
        if frame.kind is Kind.OUTPUT:
            project_id, data = frame.session_bytes()
            sink = self._sinks.get(project_id)
            if sink is not None:
                sink.feed(data)
            self._shown(project_id, len(data))
        elif frame.kind is Kind.SNAPSHOT:
            project_id, data = frame.session_bytes()
            sink = self._sinks.get(project_id)
            if sink is not None:
                try:
                    snapshot = Snapshot.decode(data)
                except ValueError as exc:
                    raise ProtocolError(str(exc)) from None
                sink.load_snapshot(snapshot)
            self._shown(project_id, len(data))
        elif frame.kind is Kind.EVENT:
            self._event(frame.json())
        elif frame.kind is Kind.STATUS_REPLY:
            self._replies.put_nowait(frame.json())

    def _shown(self, project_id: str, size: int) -> None:
        """Acknowledge what the sink has taken, a quarter window at a time (the host
        stops sending a session's output to a client with a window of it unread)."""
        shown = self._unacknowledged.get(project_id, 0) + size
        if shown >= ACK_EVERY:
            self._post(encode_json(Kind.ACK, project=project_id, bytes=shown))
            shown = 0
        self._unacknowledged[project_id] = shown

    def _event(self, body: dict[str, Any]) -> None:
        project_id = str(body.get("project", ""))
        event = body.get("event")
        if event == "live":
            live = self._live.pop(project_id, None)
            if live is not None and not live.done():
                live.set_result(None)
            return
        if event in ("started", "failed"):
            future = self._started.pop(project_id, None)
            if future is not None and not future.done():
                future.set_result(body)
            return
        sink = self._sinks.get(project_id)
        if sink is None:
            return
        if event == "exited":
            self._alive.discard(project_id)
            exited = self._exits.pop(project_id, None)
            if exited is not None and not exited.done():
                exited.set_result(int(body.get("returncode", -1)))
            sink.session_exited(int(body.get("returncode", -1)))
        elif event == "notice":
            sink.notice(str(body.get("text", "")))
        elif event == "status":
            status = AgentStatus(
                AgentState(body["state"]),
                str(body.get("reason", "")),
                guessed=bool(body.get("guessed")),
                attention=bool(body.get("attention")),
            )
            sink.agent_status(status, bool(body.get("tracked")))
        elif event == "milestones":
            sink.milestones_changed()
        elif event in ("output", "bell"):
            sink.missed_output(bell=event == "bell")


def start_host(db_path: Path, environ: Mapping[str, str], agent: str | None = None) -> None:
    """A detached host process for this database: its own session, no terminal, its
    output to the log only."""
    agent_args = ["--agent", agent] if agent else []
    subprocess.Popen(
        [sys.executable, "-m", "wxtui", "--db", str(db_path), *agent_args, "host"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
        env=dict(environ),
        cwd="/",
    )


async def connect_or_start(
    db_path: Path, environ: Mapping[str, str] | None = None, agent: str | None = None
) -> HostClient:
    """A connection to this database's host, starting the host if none runs."""
    env = os.environ if environ is None else environ
    path = host_socket_path(db_path, env)
    if not host_running(path):
        start_host(db_path, env, agent)
        deadline = time.monotonic() + START_TIMEOUT
        while not host_running(path):
            if time.monotonic() > deadline:
                raise HostUnavailable("the session host did not start (see the log)")
            await asyncio.sleep(0.05)
    return await HostClient.connect(path)
