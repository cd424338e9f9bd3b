"""A connection to the session host: start, watch, type into, resize and stop sessions
that live in the host, with their output and events handed to a sink per project."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from wxtui import __version__
from wxtui.errors import WxtuiError
from wxtui.sessions.agent_state import AgentStatus
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.sessions.host_status import HostStatus
from wxtui.sessions.lock import LockHeld
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.protocol import (
    PROTOCOL,
    WINDOW,
    Event,
    Frame,
    Kind,
    ProtocolError,
    encode_bytes,
    encode_json,
    parse_status,
    read_frame,
)
from wxtui.sessions.read_budget import ReadBudget
from wxtui.sessions.sink import SessionSink
from wxtui.sessions.store_service import raise_error
from wxtui.terminal.snapshot import Snapshot

log = logging.getLogger(__name__)
_T = TypeVar("_T")

START_TIMEOUT = 10.0
ACK_EVERY = WINDOW // 4
STOP_TIMEOUT = 10.0
SEND_TIMEOUT = 40.0  # Longer than the host waits for an agent to get ready.
STORE_TIMEOUT = 30.0  # A busy database makes the host's store wait (store_writes).


class IgnoringSink:
    """A client sink that takes everything and keeps nothing: for a session attached
    only to be started, stopped or typed into (a subclass keeps what it wants)."""

    def load_snapshot(self, snapshot: Snapshot) -> None: ...

    def missed_output(self, bell: bool) -> None: ...

    def feed(self, data: bytes) -> None: ...

    def session_exited(self, returncode: int) -> None: ...

    def notice(self, text: str) -> None: ...

    def agent_status(self, status: AgentStatus, tracked: bool) -> None: ...

    def milestones_changed(self) -> None: ...


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


@dataclass
class _Watched:
    """One session this client watches: the one record per session."""

    sink: ClientSink
    started: asyncio.Future[dict[str, Any]]
    alive: bool = False
    unacknowledged: int = 0  # Bytes shown since the last ACK.
    exited: asyncio.Future[int] | None = None
    live: asyncio.Future[None] | None = None
    replied: asyncio.Future[str] | None = None  # The host's reply to a SEND or an ANSWER.
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)
    failed: bool = False  # Its sink raised once: said in its pane, logged.


class HostClient:
    """One connection to the host; :meth:`connect` makes it."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        budget: ReadBudget | None = None,
    ) -> None:
        self._reader = reader
        self._writer = writer
        # Shared with the UI's other readers (each link's flood would otherwise take
        # a budget's worth of every loop turn).
        self._budget = budget or ReadBudget()
        self.host_version = ""
        self.host_pid = 0
        self.host_protocol: object = None
        self._watched: dict[str, _Watched] = {}
        self._replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._store_replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._store_ids = itertools.count(1)
        self._closing = False  # Closed on purpose (or shut down): no one to tell.
        self._reading: asyncio.Task[None] | None = None
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self.closed = asyncio.Event()
        self.link_may_return = False  # See _read: a remote's link is opened again.

    @classmethod
    async def connect(cls, socket_path: Path, budget: ReadBudget | None = None) -> HostClient:
        try:
            reader, writer = await asyncio.open_unix_connection(str(socket_path))
        except OSError as exc:
            raise HostUnavailable(f"no session host at {socket_path}: {exc.strerror}") from None
        return await cls.greet(reader, writer, budget=budget)

    @classmethod
    async def greet(
        cls,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        timeout: float = START_TIMEOUT,
        budget: ReadBudget | None = None,
    ) -> HostClient:
        """The client of the host at the other end of a stream (its socket, or a
        command's stdin and stdout: see remote_link), once it said welcome; it reads
        within ``budget`` (see ReadBudget)."""
        client = cls(reader, writer, budget)
        writer.write(encode_json(Kind.HELLO, protocol=PROTOCOL, version=__version__))
        try:
            welcome = await asyncio.wait_for(read_frame(reader), timeout)
        except ConnectionError as exc:  # A host that is ending.
            writer.close()
            raise HostUnavailable(f"the session host closed the connection: {exc}") from None
        except ProtocolError as exc:  # A shell's greeting on a remote's stdout, say.
            writer.close()
            raise HostUnavailable(
                f"what came back is not a wxtui session host ({exc}; a login message?)"
            ) from None
        except TimeoutError:
            writer.close()
            raise HostUnavailable(f"no session host answered within {timeout:.0f} s") from None
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
    def usable(self) -> bool:
        """Neither closed nor shut down (a host told to stop may still be ending)."""
        return not self._closing and not self.closed.is_set()

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
        self,
        project_id: str,
        sink: ClientSink,
        rows: int,
        cols: int,
        paused: bool = False,
        *,
        agent: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> bool:
        """Start the project's session in the host (or join it); its screen arrives at
        ``sink.load_snapshot``, then its output (once :meth:`pause` resumes it, if
        ``paused``). True when it was started now. A session started now runs
        ``agent`` (for a project without a command of its own) in ``environ`` (the
        host's own when not given).

        Raises LockHeld when another wxtui runs it, WxtuiError when it cannot start."""
        pending = self._watched.get(project_id)
        if pending is not None and pending.sink is sink and not pending.started.done():
            await asyncio.shield(pending.started)  # Asked twice at once: one start.
            return False
        watched = _Watched(sink, asyncio.get_running_loop().create_future())
        self._watched[project_id] = watched
        self._send(
            encode_json(
                Kind.START,
                project=project_id,
                rows=rows,
                cols=cols,
                paused=paused,
                agent=agent,
                environ=None if environ is None else dict(environ),
            )
        )
        try:
            reply = await asyncio.wait_for(asyncio.shield(watched.started), START_TIMEOUT)
        except TimeoutError:
            raise WxtuiError(
                f"the session did not start within {START_TIMEOUT:.0f} s (the database may be "
                "busy); it is shown here once it runs"
            ) from None
        if reply["event"] == Event.FAILED:
            if self._watched.get(project_id) is watched:
                del self._watched[project_id]
            error = str(reply.get("error", "could not start"))
            if reply.get("elsewhere"):
                holder = reply.get("holder")
                raise LockHeld(holder if isinstance(holder, int) else None)
            raise WxtuiError(error)
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
        watched = self._watched.get(project_id)
        if watched is None:
            return
        live = watched.live = asyncio.get_running_loop().create_future()
        self.pause(project_id, False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(live, timeout)
        watched.live = None

    async def send(self, project_id: str, text: str, milestone_id: str | None = None) -> None:
        """Type ``text`` and Enter into the watched session once it can take them (see
        SessionHost.send_prompt); WxtuiError says why it could not."""
        await self._ask(
            project_id,
            encode_json(Kind.SEND, project=project_id, text=text, milestone=milestone_id),
            "the session host did not say whether the prompt went in",
        )

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str = ""
    ) -> None:
        """Answer the request that waits in the watched session (see
        permission_requests); WxtuiError says why nothing was sent."""
        frame = encode_json(
            Kind.ANSWER,
            project=project_id,
            request=request_id,
            decision=decision.value,
            message=message,
        )
        await self._ask(project_id, frame, "the session host did not say whether Claude has it")

    async def _ask(self, project_id: str, frame: bytes, silent: str) -> None:
        """Send a request about a watched session and wait for the host's reply: one at
        a time per session; WxtuiError with the host's error."""
        watched = self._watched.get(project_id)
        if watched is None or not watched.alive:
            raise WxtuiError("the session is not running")
        async with watched.sending:
            replied = watched.replied = asyncio.get_running_loop().create_future()
            self._send(frame)
            try:
                error = await asyncio.wait_for(replied, SEND_TIMEOUT)
            except TimeoutError:
                error = silent
        if error:
            raise WxtuiError(error)

    def is_alive(self, project_id: str) -> bool:
        watched = self._watched.get(project_id)
        return watched is not None and watched.alive

    def detach(self, project_id: str) -> None:
        self._watched.pop(project_id, None)
        self._post(encode_json(Kind.DETACH, project=project_id))

    async def stop(self, project_id: str) -> None:
        """Stop the session in the host; returns once its exit has been reported."""
        watched = self._watched.get(project_id)
        if watched is None or not watched.alive:
            return
        if watched.exited is None:
            watched.exited = asyncio.get_running_loop().create_future()
        self._send(encode_json(Kind.STOP, project=project_id))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(watched.exited), STOP_TIMEOUT)

    async def status(self) -> HostStatus:
        self._send(encode_json(Kind.STATUS))
        return HostStatus.from_json(await self._reply())

    async def shutdown(self) -> HostStatus | None:
        """Stop every session and the host: its status as it stopped (None if the
        connection ended first: the host is gone either way)."""
        self._closing = True
        self._send(encode_json(Kind.SHUTDOWN))
        try:
            return HostStatus.from_json(await self._reply())
        except HostUnavailable:
            if self.closed.is_set():
                return None
            raise

    async def store(self, op: str, timeout: float = STORE_TIMEOUT, **args: Any) -> Any:
        """An operation on the host's store (see store_service.OPS): its result, or
        its error raised as the kind the host named (NotFound, InvalidInput...)."""
        request = next(self._store_ids)
        reply = self._store_replies[request] = asyncio.get_running_loop().create_future()
        try:
            self._send(encode_json(Kind.STORE, id=request, op=op, args=args))
            closed = asyncio.ensure_future(self.closed.wait())
            done, _pending = await asyncio.wait(
                {reply, closed}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            closed.cancel()
            if reply not in done:
                gone = "went away" if closed in done else "did not answer"
                raise HostUnavailable(f"the session host {gone}")
        finally:
            self._store_replies.pop(request, None)
        return raise_error(reply.result())

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

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Also run ``closer`` when this client is closed (a link's command ends)."""
        self._closers.append(closer)

    async def close(self) -> None:
        self._closing = True
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reading
        for closer in self._closers:
            with contextlib.suppress(Exception):
                await closer()

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

    async def _read(self) -> None:
        # Frames already buffered are read without the loop turning: a flood would be
        # parsed a socket buffer at a time (tens of ms). A turn's worth, then frames and
        # keys go first.
        budget = self._budget
        try:
            while (frame := await read_frame(self._reader)) is not None:
                # Its turn of the loop's read budget (shared with the UI's other links);
                # a snapshot, a screen to load, waits for a turn nothing was read in.
                await budget.wait(fresh=frame.kind is Kind.SNAPSHOT)
                started = time.perf_counter()
                try:
                    self._dispatch(frame)
                except ProtocolError as exc:
                    log.warning("host client: %s", exc)
                finally:  # Whatever happened: the next reader's turn depends on it.
                    budget.charge(time.perf_counter() - started)
        except (ProtocolError, ConnectionError, OSError) as exc:
            # Closing or shutting down, the host may go first: nothing went wrong then.
            (log.info if self._closing else log.warning)(
                "host client: the connection failed: %s", exc
            )
        finally:
            self.closed.set()
            for watched in self._watched.values():
                # It ended with the host; over a link that may come back (a remote's),
                # the session runs on there: whoever keeps the link says so.
                if not self._closing and watched.alive and not self.link_may_return:
                    with contextlib.suppress(Exception):
                        watched.sink.notice("the session host went away")
                        watched.sink.session_exited(-1)
                # Over a link that may come back, whether it ran is kept (see
                # RemoteSessions: only sessions that ran are attached again).
                watched.alive = watched.alive and self.link_may_return
                _settle(watched.started, {"event": Event.FAILED, "error": "the host went away"})
                if watched.exited is not None:
                    _settle(watched.exited, -1)
                if watched.replied is not None:
                    _settle(watched.replied, "the session host went away")

    def _dispatch(self, frame: Frame) -> None:
        if frame.kind is Kind.STATUS_REPLY:
            self._replies.put_nowait(frame.json())
            return
        if frame.kind is Kind.STORE_REPLY:
            body = frame.json()
            waiting = self._store_replies.get(body.get("id"))  # type: ignore[arg-type]
            if waiting is not None:
                _settle(waiting, body)
            return
        if frame.kind is Kind.EVENT:
            body = frame.json()
            project_id = str(body.get("project", ""))
        else:
            project_id, data = frame.session_bytes()
        watched = self._watched.get(project_id)
        if watched is None:
            return
        try:
            if frame.kind is Kind.OUTPUT:
                self._shown(project_id, watched, len(data))
                watched.sink.feed(data)
            elif frame.kind is Kind.SNAPSHOT:
                self._shown(project_id, watched, len(data))
                try:
                    snapshot = Snapshot.decode(data)
                except ValueError as exc:
                    raise ProtocolError(f"a bad snapshot: {exc}") from None
                watched.sink.load_snapshot(snapshot)
            elif frame.kind is Kind.EVENT:
                self._event(watched, body)
        except Exception as exc:  # One session's trouble stays in its pane.
            log.exception("host client: project %s: handling %s failed", project_id, frame.kind)
            if not watched.failed:
                watched.failed = True
                with contextlib.suppress(Exception):
                    watched.sink.notice(f"wxtui could not show some output: {exc}")

    def _shown(self, project_id: str, watched: _Watched, size: int) -> None:
        """Acknowledge what the sink has taken, a quarter window at a time (the host
        stops sending a session's output to a client with a window of it unread)."""
        watched.unacknowledged += size
        if watched.unacknowledged >= ACK_EVERY:
            self._post(encode_json(Kind.ACK, project=project_id, bytes=watched.unacknowledged))
            watched.unacknowledged = 0

    def _event(self, watched: _Watched, body: dict[str, Any]) -> None:
        try:
            event = Event(str(body.get("event")))
        except ValueError:
            raise ProtocolError(f"unknown event {body.get('event')!r}") from None
        sink = watched.sink
        if event in (Event.SENT, Event.ANSWERED):
            if watched.replied is not None:
                _settle(watched.replied, str(body.get("error", "")))
        elif event is Event.LIVE:
            if watched.live is not None:
                _settle(watched.live, None)
        elif event in (Event.STARTED, Event.FAILED):
            # Alive from here: an exit that comes right after is not overtaken.
            watched.alive = event is Event.STARTED
            _settle(watched.started, body)
        elif event is Event.EXITED:
            watched.alive = False
            returncode = body.get("returncode")
            returncode = returncode if isinstance(returncode, int) else -1
            if watched.exited is not None:
                _settle(watched.exited, returncode)
                watched.exited = None
            sink.session_exited(returncode)
        elif event is Event.NOTICE:
            sink.notice(str(body.get("text", "")))
        elif event is Event.STATUS:
            sink.agent_status(*parse_status(body))
        elif event is Event.MILESTONES:
            sink.milestones_changed()
        elif event in (Event.OUTPUT, Event.BELL):
            sink.missed_output(bell=event is Event.BELL)


def _settle(future: asyncio.Future[_T], value: _T) -> None:
    if not future.done():
        future.set_result(value)


def start_host(
    db_path: Path, environ: Mapping[str, str], agent: str | None = None
) -> subprocess.Popen[bytes]:
    """A detached host process for this database: its own session, no terminal, its
    output to the log only."""
    agent_args = ["--agent", agent] if agent else []
    return subprocess.Popen(
        [sys.executable, "-m", "wxtui", "--db", str(db_path.resolve()), *agent_args, "host"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
        env=dict(environ),
        cwd="/",
    )


# Starts a host serving the socket it is given and returns once it does.
Launch = Callable[[Path], Awaitable[None]]


async def connect_or_start(
    db_path: Path,
    environ: Mapping[str, str] | None = None,
    agent: str | None = None,
    *,
    launch: Launch | None = None,
    budget: ReadBudget | None = None,
) -> HostClient:
    """A connection to this database's host, starting one if none runs (``launch``, else
    a host process of its own). A host that was ending as it was reached is followed by
    the next one."""
    env = os.environ if environ is None else environ
    path = host_socket_path(db_path)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if not host_running(path):
            if launch is not None:
                await launch(path)
            else:
                start_host(db_path, env, agent)
                await wait_until_serving(path)
        try:
            return await HostClient.connect(path, budget)
        except HostUnavailable:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def wait_until_serving(
    path: Path, failed: Callable[[], BaseException | None] = lambda: None
) -> None:
    """Returns once a host accepts connections on ``path``; HostUnavailable if none does
    within START_TIMEOUT, or once ``failed`` says why it will not."""
    deadline = time.monotonic() + START_TIMEOUT
    while not host_running(path):
        if (error := failed()) is not None:
            raise HostUnavailable(f"the session host did not start: {error}")
        if time.monotonic() > deadline:
            raise HostUnavailable("the session host did not start (see the log)")
        await asyncio.sleep(0.02)
