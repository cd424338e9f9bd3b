"""The session host: one process per database that owns the agents' pseudo-terminals.

The agents outlive the UI: the TUI (and ``wxtui attach``) are clients of this process
over a unix socket, and quitting or losing them leaves every agent running. The host
keeps the per-project locks, the hook relay, and one emulator per session, so a client
that attaches gets the screen and history as they are, then the live output.

Several clients may watch one session, like tmux clients: all see the same output,
input from any of them reaches the child, and the child has the size the latest
client to resize gave it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxtui import __version__
from wxtui.errors import WxtuiError
from wxtui.milestone_changes import start_range
from wxtui.sessions.agent_state import AgentState, AgentStatus
from wxtui.sessions.host_status import HostStatus, SessionInfo
from wxtui.sessions.lock import LockHeld, ProjectLock, lock_dir_for
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.sessions.protocol import (
    MAX_FRAME,
    PROTOCOL,
    WINDOW,
    Event,
    Frame,
    Kind,
    ProtocolError,
    encode_bytes,
    encode_event,
    encode_json,
    read_frame,
    status_fields,
)
from wxtui.sessions.pty import STOP_GRACE, WriteBufferFull
from wxtui.sessions.read_budget import ReadBudget
from wxtui.sessions.store_service import CatalogCache, run_op
from wxtui.sessions.unix_socket import bind_private, peer_uid
from wxtui.store import Store
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.paste import encode_paste
from wxtui.terminal.scrollback import Position
from wxtui.terminal.snapshot import Snapshot

log = logging.getLogger(__name__)

# Flow control, per client and session: a client has at most about WINDOW bytes of a
# session's output sent and not yet acknowledged (ACK, once it has shown them). Past
# that, the session's output is not sent to it; once it has acknowledged most of what
# it had, it gets a snapshot of the session with the history lines it missed (nothing
# is lost: the host's screen has it all). So a flooding session never queues more than
# a window in front of another session's echo, and a slow client never slows the
# child or the other clients. One that acknowledges nothing for STUCK_AFTER seconds
# while it is behind is disconnected.
#
# A client may also pause a session it does not show (a UI's hidden panes): it gets no
# output of it, only word that there was some (and of a bell), and what it missed when
# it resumes. A UI's work then follows the session on screen, not every session.
# A snapshot, all its pieces together, is at most this big (a history of per-character
# colour can be bigger: its oldest lines are left out, and the client told).
SNAPSHOT_LIMIT = MAX_FRAME - 64 * 1024
# A client whose unread messages reach this is not reading: it is disconnected.
UNREAD_LIMIT = 4 * MAX_FRAME
STUCK_AFTER = 10.0
IDLE_EXIT = 60.0  # No session and no client this long: the host ends.
HELLO_TIMEOUT = 5.0
PROMPT_READY_TIMEOUT = 30.0  # Claude's start, up to its first hook.
PROMPT_ECHO_TIMEOUT = 2.0  # The agent shows a pasted prompt before Enter is sent.
QUIET_READY = 1.0  # A program that drew nothing this long after it started takes input.
# Claude takes an Enter that follows a paste too closely as part of the paste: the Enter
# is sent again (after 0.5 s, 1 s, 1.5 s) while its hooks have not reported the prompt.
SUBMIT_TRIES = 4
SUBMIT_WAIT = 0.5
LOCK_WAIT = STOP_GRACE * 3  # How long a stopping host may hold the database's host lock.


@dataclass
class _Watch:
    """What one client has of one session it watches (see WINDOW): the one record."""

    unacknowledged: int = 0  # Bytes of its output and snapshots sent, not yet shown.
    behind: bool = False  # It missed output: it gets a snapshot once it can take one,
    since: Position | None = None  # with the history lines after this (None: all).
    paused: bool = False
    told: bool = False  # While paused: told that it printed,
    rung: bool = False  # and that it rang the bell (once per pause).

    def miss(self, since: Position | None) -> None:
        if not self.behind:
            self.behind, self.since = True, since


class _Client:
    """One connection: the sessions it watches, and flow control for each."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.watches: dict[str, _Watch] = {}
        self.dropped = False
        self.foreign = False  # Of another protocol: it may only ask the status and stop.
        self.acknowledged_at = time.monotonic()
        self.paused_at_start: dict[str, bool] = {}  # PAUSE for a session still starting.

    def send(self, frame: bytes) -> None:
        """A control message or a snapshot: sent, unless the client has left so much
        unread that it is not reading (then it is disconnected)."""
        if self.dropped:
            return
        if self.writer.transport.get_write_buffer_size() + len(frame) > UNREAD_LIMIT:
            log.warning("host: a client left %d bytes unread; it is disconnected", UNREAD_LIMIT)
            self.dropped = True
            self.writer.transport.abort()
            return
        self.writer.write(frame)

    def watch(self, hosted: HostedSession, paused: bool) -> None:
        """Start watching the session: its screen now, unless ``paused`` (then when it
        is resumed: a UI that attaches to fifty sessions loads the one it shows)."""
        watch = self.watches[hosted.project_id] = _Watch(paused=paused)
        if paused:
            watch.miss(None)
        else:
            self.send_snapshot(hosted)

    def forget(self, project_id: str) -> None:
        """It no longer watches the session."""
        self.watches.pop(project_id, None)

    def send_output(
        self, hosted: HostedSession, frame: bytes, size: int, history_before: Position
    ) -> None:
        """``size`` bytes of a session's output, unless it has a window's worth unread
        (``history_before``: where the session's history was before this output)."""
        project_id = hosted.project_id
        watch = self.watches.get(project_id)
        if self.dropped or watch is None:
            return
        if watch.paused:
            watch.miss(history_before)
            if not watch.told:
                watch.told = True
                self.send(encode_event(project_id, Event.OUTPUT))
            return
        if watch.behind:
            return
        if watch.unacknowledged > WINDOW // 2 and watch.unacknowledged + size > WINDOW:
            if not self._behind():
                self.acknowledged_at = time.monotonic()  # STUCK_AFTER counts from now.
            watch.miss(history_before)
            hosted.host.watch_stragglers()
            return
        watch.unacknowledged += size
        self.writer.write(frame)

    def send_snapshot(self, hosted: HostedSession, since: Position | None = None) -> None:
        """The session as it is now (with the history since ``since``)."""
        bodies, left_out = hosted.snapshot(since)
        project_id = hosted.project_id
        if (watch := self.watches.get(project_id)) is not None:
            watch.unacknowledged += sum(map(len, bodies))
        for body in bodies:
            self.send(encode_bytes(Kind.SNAPSHOT, project_id, body))
        if left_out:
            lines = "line" if left_out == 1 else "lines"
            self.send(
                encode_event(
                    project_id,
                    Event.NOTICE,
                    text=f"the oldest {left_out} {lines} of history were too big to send here",
                )
            )

    def acknowledge(self, hosted: HostedSession, size: int) -> None:
        """The client has shown ``size`` more bytes of the session; if it had fallen
        behind and has read most of what it had, it gets what it missed."""
        self.acknowledged_at = time.monotonic()
        if (watch := self.watches.get(hosted.project_id)) is not None:
            watch.unacknowledged = max(0, watch.unacknowledged - size)
            self._catch_up(hosted, watch)

    def pause(self, hosted: HostedSession, paused: bool) -> None:
        """Stop or resume sending the session's output (see the comment on WINDOW)."""
        watch = self.watches.get(hosted.project_id)
        if watch is None:
            return
        watch.paused = paused
        if paused:
            return
        watch.told = watch.rung = False
        self._catch_up(hosted, watch)
        self.send(encode_event(hosted.project_id, Event.LIVE))

    def bell(self, hosted: HostedSession) -> None:
        """The session rang the bell: a client that paused it does not see it ring."""
        watch = self.watches.get(hosted.project_id)
        if watch is not None and watch.paused and not watch.rung:
            watch.rung = True
            self.send(encode_event(hosted.project_id, Event.BELL))

    def _catch_up(self, hosted: HostedSession, watch: _Watch) -> None:
        """What it missed of a session, once it is neither paused nor still reading."""
        if watch.behind and not watch.paused and watch.unacknowledged <= WINDOW // 2:
            watch.behind = False
            self.send_snapshot(hosted, watch.since)

    def _behind(self) -> bool:
        """Behind on a session it shows (one it paused may wait)."""
        return any(w.behind and not w.paused for w in self.watches.values())

    def check_stuck(self) -> bool:
        """Behind and silent for STUCK_AFTER seconds: disconnected. True while behind."""
        if self.dropped or not self._behind():
            return False
        if time.monotonic() - self.acknowledged_at > STUCK_AFTER:
            log.warning("host: a client stopped reading; it is disconnected")
            self.dropped = True
            self.writer.transport.abort()
            return False
        return True


class HostedSession:
    """A session as the host keeps it: its screen (an emulator fed everything the child
    prints) and the clients watching it. It is the session's sink."""

    def __init__(self, host: SessionHost, project_id: str, rows: int, cols: int) -> None:
        self.host = host
        self.project_id = project_id
        # This terminal answers the child's queries (device attributes, cursor position,
        # colours): at once and once, whether a client watches, attaches or is gone.
        self.emulator = TerminalEmulator(
            cols, rows, reply=self._reply, on_title=self._title, on_bell=self._bell
        )
        self.watchers: set[_Client] = set()
        self.agent: tuple[AgentStatus, bool] | None = None  # Its status, and if tracked.
        self.alive = False

    def _broadcast(self, frame: bytes) -> None:
        for client in list(self.watchers):
            client.send(frame)

    def _event(self, event: Event, **fields: Any) -> None:
        self._broadcast(encode_event(self.project_id, event, **fields))

    def _reply(self, data: bytes) -> None:
        self.host.sessions.reply(self.project_id, data)

    def _title(self, title: str) -> None:
        self.host.sessions.title_changed(self.project_id, title)

    def _bell(self) -> None:
        for client in list(self.watchers):
            client.bell(self)

    def snapshot(self, since: Position | None = None) -> tuple[list[bytes], int]:
        """The session as it is now, encoded as snapshots to send in a row (see
        :meth:`Snapshot.encoded_pieces`); and how many of the oldest history lines
        were left out."""
        return Snapshot.encoded_pieces(self.emulator, SNAPSHOT_LIMIT, since)

    # -- SessionSink ---------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        history_before = self.emulator.history.position
        self.emulator.feed(data)
        frame = encode_bytes(Kind.OUTPUT, self.project_id, data)
        for client in list(self.watchers):
            client.send_output(self, frame, len(data), history_before)

    def session_exited(self, returncode: int) -> None:
        self.alive = False
        self._event(Event.EXITED, returncode=returncode)
        self.host.session_ended()

    def notice(self, text: str) -> None:
        self._event(Event.NOTICE, text=text)

    def agent_status(self, status: AgentStatus, tracked: bool) -> None:
        self.agent = (status, tracked)
        self._event(Event.STATUS, **status_fields(status, tracked))

    def milestones_changed(self) -> None:
        self._event(Event.MILESTONES)


class SessionHost:
    """Serves ``store``'s sessions on ``socket_path`` until told to stop (or idle)."""

    def __init__(
        self,
        store: Store,
        socket_path: Path,
        *,
        agent: str | None = None,
        environ: Mapping[str, str] | None = None,
        idle_exit: float = IDLE_EXIT,
        handle_signals: bool = True,
        read_budget: ReadBudget | None = None,
    ) -> None:
        """``handle_signals``: SIGTERM, SIGINT and SIGHUP stop it (a host of its own;
        one served from a UI's process leaves signals to the UI, and shares its
        ``read_budget``)."""
        self.store = store
        self.socket_path = socket_path
        self.environ = dict(os.environ if environ is None else environ)
        self.sessions = ProjectSessions(
            store, agent=agent, environ=self.environ, budget=read_budget
        )
        self.hosted: dict[str, HostedSession] = {}
        self.clients: set[_Client] = set()
        self.idle_exit = idle_exit
        self.handle_signals = handle_signals
        self._done = asyncio.Event()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._straggler_timer: asyncio.TimerHandle | None = None
        self._lock = ProjectLock(lock_dir_for(store.path), "host")
        self._tasks: set[asyncio.Task[None]] = set()
        self._start_locks: dict[str, asyncio.Lock] = {}
        self._catalog = CatalogCache()  # Used on the writes' thread only.

    # -- running -------------------------------------------------------------------

    async def run(self) -> None:
        """Serve until ``wxtui host stop``, SIGTERM/SIGINT/SIGHUP, or idleness."""
        await self._acquire_lock()
        loop = asyncio.get_running_loop()
        server: asyncio.base_events.Server | None = None
        try:
            sock = bind_private(self.socket_path)
            server = await asyncio.start_unix_server(self._serve, sock=sock)
            if self.handle_signals:
                for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                    loop.add_signal_handler(signum, self._done.set)
            log.info("host %d serving %s on %s", os.getpid(), self.store.path, self.socket_path)
            self._check_idle()
            await self._done.wait()
        finally:
            if server is not None:
                server.close()
            for task in list(self._tasks):  # No start (or prompt) goes on past the end.
                task.cancel()
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=STOP_GRACE)
            # The agents end first, while the clients still hear it: each pane says
            # "stopped" (not that the host went away), and the state is stored.
            await self.sessions.stop_all(STOP_GRACE)
            closing = [client.writer for client in self.clients]
            for writer in closing:
                writer.close()
            if closing:  # What they were sent (a shutdown's reply too) reaches them first.
                await asyncio.wait([asyncio.create_task(_flushed(w)) for w in closing], timeout=2)
            with contextlib.suppress(OSError):
                self.socket_path.unlink()
            self._lock.release()
            log.info("host %d ended", os.getpid())

    async def _acquire_lock(self) -> None:
        """The database's host lock. A host that was just told to stop holds it until
        its agents have ended: wait that long, then LockHeld (another host serves)."""
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                self._lock.acquire()
                return
            except LockHeld:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.05)

    def stop(self) -> None:
        self._done.set()

    def watch_stragglers(self) -> None:
        """While a client is behind, look at it twice a second (see STUCK_AFTER)."""
        if self._straggler_timer is None:
            loop = asyncio.get_running_loop()
            self._straggler_timer = loop.call_later(0.5, self._check_stragglers)

    def _check_stragglers(self) -> None:
        self._straggler_timer = None
        behind = False
        for client in list(self.clients):
            behind = client.check_stuck() or behind
        if behind:
            self.watch_stragglers()

    def session_ended(self) -> None:
        self._check_idle()

    def _check_idle(self) -> None:
        """End after ``idle_exit`` seconds without a live session or a client."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if not self.clients and not self.sessions.live() and math.isfinite(self.idle_exit):
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(self.idle_exit, self._idle)

    def _idle(self) -> None:
        if not self.clients and not self.sessions.live():
            log.info("host: idle, ending")
            self._done.set()

    # -- a client ------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = _Client(writer)
        try:
            if peer_uid(writer) != os.getuid():
                log.warning("host: refused a connection from another user")
                return
            hello = await asyncio.wait_for(read_frame(reader), HELLO_TIMEOUT)
            if hello is None:
                return  # A probe: is the host up?
            if hello.kind is not Kind.HELLO:
                raise ProtocolError("a client did not say hello")
            client.foreign = hello.json().get("protocol") != PROTOCOL
            client.send(
                encode_json(Kind.WELCOME, protocol=PROTOCOL, version=__version__, pid=os.getpid())
            )
            self.clients.add(client)
            self._check_idle()
            while (frame := await read_frame(reader)) is not None:
                await self._handle(client, frame)
        except (ProtocolError, TimeoutError) as exc:
            log.warning("host: dropped a client: %s", exc)
        except (ConnectionError, OSError) as exc:
            log.info("host: a client went away (%s)", exc)
        except Exception:
            log.exception("host: handling a client failed")
        finally:
            self.clients.discard(client)
            for hosted in self.hosted.values():
                hosted.watchers.discard(client)
            writer.close()
            if not self._done.is_set():
                self._check_idle()

    async def _handle(self, client: _Client, frame: Frame) -> None:
        kind = frame.kind
        if client.foreign and kind not in (Kind.STATUS, Kind.SHUTDOWN):
            raise ProtocolError(f"a client of another protocol sent {kind.name}")
        if kind is Kind.INPUT:
            project_id, data = frame.session_bytes()
            try:
                self.sessions.write(project_id, data)
            except WriteBufferFull as error:  # Said in that pane; the rest go on.
                client.send(encode_event(project_id, Event.NOTICE, text=f"input refused: {error}"))
            return
        body = frame.json()
        project_id = str(body.get("project", ""))
        if kind is Kind.START:
            rows, cols = _size(body, "rows"), _size(body, "cols")
            agent, environ = body.get("agent"), body.get("environ")
            starting = self._start(
                client,
                project_id,
                rows,
                cols,
                paused=body.get("paused") is True,
                agent=agent if isinstance(agent, str) else None,
                environ=_string_map(environ),
            )
            # A start may wait on the database: this client's other messages go on.
            self._run(starting)
            # A client attaching asks for every session at once: its snapshots go out
            # one by one (it loads each while the next is made), not after the last.
            await asyncio.sleep(0)
        elif kind is Kind.RESIZE:
            hosted = self.hosted.get(project_id)
            rows, cols = _size(body, "rows"), _size(body, "cols")
            if hosted is not None:
                hosted.emulator.resize(rows, cols)
            self.sessions.resize(project_id, rows, cols)
        elif kind is Kind.STOP:
            await self.sessions.stop(project_id, STOP_GRACE)
        elif kind is Kind.ACK:
            hosted = self.hosted.get(project_id)
            shown = body.get("bytes")
            if hosted is not None and client in hosted.watchers and isinstance(shown, int):
                client.acknowledge(hosted, shown)
        elif kind is Kind.PAUSE:
            hosted = self.hosted.get(project_id)
            if hosted is not None and client in hosted.watchers:
                client.pause(hosted, body.get("paused") is True)
            else:  # Its start is under way: it starts paused or not as asked last.
                client.paused_at_start[project_id] = body.get("paused") is True
        elif kind is Kind.DETACH:
            hosted = self.hosted.get(project_id)
            if hosted is not None:
                hosted.watchers.discard(client)
            client.forget(project_id)
        elif kind is Kind.SEND:
            milestone = body.get("milestone")
            sending = self._send_prompt(
                client,
                project_id,
                str(body.get("text", "")),
                milestone if isinstance(milestone, str) else None,
            )
            self._run(sending)
        elif kind is Kind.ANSWER:
            self._run(self._answer(client, project_id, body))
        elif kind is Kind.STORE:
            self._run(self._store_op(client, body))
        elif kind is Kind.STATUS:
            client.send(encode_json(Kind.STATUS_REPLY, **self.status().to_json()))
        elif kind is Kind.SHUTDOWN:
            client.send(encode_json(Kind.STATUS_REPLY, **self.status().to_json()))
            self.stop()
        else:
            raise ProtocolError(f"a client sent {kind.name}")

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        """Work that may wait (on the database, on an agent) while messages go on."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start(
        self,
        client: _Client,
        project_id: str,
        rows: int,
        cols: int,
        *,
        paused: bool,
        agent: str | None,
        environ: dict[str, str] | None,
    ) -> None:
        """Start the project's session if it does not run (with the client's default
        agent and environment, if it sent them), then send the client its screen and
        from then on its output (unless ``paused``). Starts of one project are made
        one after another: the second joins what the first started."""
        async with self._start_locks.setdefault(project_id, asyncio.Lock()):
            hosted = self.hosted.get(project_id)
            running = hosted is not None and self.sessions.is_alive(project_id)
            if not running:
                hosted = HostedSession(self, project_id, rows, cols)
                try:
                    await self.sessions.start(
                        project_id, hosted, rows, cols, agent=agent, environ=environ
                    )
                except LockHeld as error:
                    client.send(_failed(project_id, str(error), holder=error.pid))
                    return
                except Exception as error:  # Said to the client; the host goes on.
                    if not isinstance(error, WxtuiError):
                        log.exception("host: starting %s failed", project_id)
                    client.send(_failed(project_id, str(error)))
                    return
                hosted.alive = True
                self.hosted[project_id] = hosted
        assert hosted is not None
        if client.dropped or client not in self.clients:
            return  # It went away meanwhile.
        client.watch(hosted, paused=client.paused_at_start.pop(project_id, paused))
        hosted.watchers.add(client)
        client.send(
            encode_event(
                project_id,
                Event.STARTED,
                created=not running,
            )
        )
        if hosted.agent is not None:
            client.send(encode_event(project_id, Event.STATUS, **status_fields(*hosted.agent)))
        self._check_idle()

    async def _send_prompt(
        self, client: _Client, project_id: str, text: str, milestone_id: str | None
    ) -> None:
        try:
            error = await self.send_prompt(project_id, text, milestone_id)
        except Exception as exc:  # Said to the sender; the host goes on.
            log.exception("host: sending a prompt to %s failed", project_id)
            error = str(exc)
        client.send(encode_event(project_id, Event.SENT, error=error))

    async def _answer(self, client: _Client, project_id: str, body: dict[str, Any]) -> None:
        try:
            decision = Decision(str(body.get("decision")))
            error = await self.sessions.answer(
                project_id, str(body.get("request", "")), decision, str(body.get("message", ""))
            )
        except ValueError:
            error = f"unknown answer {body.get('decision')!r}"
        except WxtuiError as exc:
            error = str(exc)
        client.send(encode_event(project_id, Event.ANSWERED, error=error))

    async def _store_op(self, client: _Client, body: dict[str, Any]) -> None:
        """A client's store operation, made off the loop in order with the host's own
        writes (a busy database delays the reply, not the sessions)."""
        op, args = str(body.get("op", "")), body.get("args")
        try:
            reply = await self.sessions.writes.submit(
                lambda store: run_op(store, op, args, self._catalog), op
            )
        except Exception as exc:  # The database could not be opened, say.
            reply = {"error": str(exc), "error_kind": "error"}
        client.send(encode_json(Kind.STORE_REPLY, id=body.get("id"), **reply))

    async def send_prompt(self, project_id: str, text: str, milestone_id: str | None) -> str:
        """Type ``text`` into the session as a paste, then Enter, once the agent can
        take it: Claude once its hooks said it started, another program once it drew
        something. The Enter follows once the agent has shown the text (it would be a
        newline inside the paste otherwise). With ``milestone_id``, that milestone is
        in progress from Claude's report of the prompt, or at once for other programs.
        The error in a few words, or "" once sent."""
        hosted = self.hosted.get(project_id)
        if hosted is None or not self.sessions.is_alive(project_id):
            return "the session is not running"
        tracked = self.sessions.tracks_prompts(project_id)
        if not await _until(lambda: self._ready_for_prompt(hosted), PROMPT_READY_TIMEOUT):
            return "the agent did not get ready for a prompt"
        if self._asking(project_id):
            return "Claude waits for an answer (a permission or a question): answer it first"
        if milestone_id is not None:
            # The workspace as the milestone finds it: the base of its review.
            await asyncio.to_thread(self._start_range, milestone_id)
        if milestone_id is not None and tracked:
            self.sessions.expect_prompt(project_id, milestone_id, text)
        before = hosted.emulator.display()
        emulator = hosted.emulator
        submitted = self.sessions.prompts_submitted(project_id)
        try:
            self.sessions.write(project_id, encode_paste(text, bracketed=emulator.bracketed_paste))
            await _until(lambda: emulator.display() != before, PROMPT_ECHO_TIMEOUT)
            for attempt in range(1, SUBMIT_TRIES + 1 if tracked else 2):
                if self._asking(project_id):  # A dialog came up: Enter would answer it.
                    return "Claude asked for an answer meanwhile: the prompt was not sent"
                self.sessions.write(project_id, b"\r")
                # Repeated only until Claude's hooks report a prompt (an Enter after
                # that could answer a dialog).
                if not tracked or await _until(
                    lambda: self.sessions.prompts_submitted(project_id) != submitted,
                    SUBMIT_WAIT * attempt,
                ):
                    break
        except WriteBufferFull as error:
            return str(error)
        if not self.sessions.is_alive(project_id):
            return "the session ended before it took the prompt"
        if milestone_id is not None and not tracked:
            self.sessions.milestone_started(project_id, milestone_id)
        return ""

    def _start_range(self, milestone_id: str) -> None:
        """On a thread: git and a database of its own (the loop's is not shared)."""
        with Store.open(self.store.path) as store:
            start_range(store, store.get_milestone(milestone_id))

    def _asking(self, project_id: str) -> bool:
        """Claude shows a permission dialog or a question: an Enter would answer it."""
        status = self.sessions.agent_status(project_id)
        return status is not None and status.state in (
            AgentState.NEEDS_PERMISSION,
            AgentState.NEEDS_INPUT,
        )

    def _ready_for_prompt(self, hosted: HostedSession) -> bool:
        if not self.sessions.is_alive(hosted.project_id):
            return True  # Nothing to wait for: the sender is told it ended.
        status = self.sessions.agent_status(hosted.project_id)
        if status is not None:
            # Claude's title can say it is idle before its input is: its hooks decide.
            hooked = self.sessions.tracks_prompts(hosted.project_id)
            return status.state is not AgentState.STARTING and not (hooked and status.guessed)
        # Another program: once it drew something, or has had a moment (some, like
        # cat, draw nothing and read at once).
        session = self.sessions.session(hosted.project_id)
        settled = session is not None and time.monotonic() - session.started > QUIET_READY
        return settled or any(row.strip() for row in hosted.emulator.display())

    def status(self) -> HostStatus:
        sessions = []
        registry = {r["session_id"]: r for r in self.sessions.manager.list_sessions()}
        for session in self.sessions.live():
            record = registry.get(session.session_id, {})
            hosted = self.hosted.get(session.project_id)
            agent = hosted.agent if hosted is not None else None
            fields = status_fields(*agent) if agent is not None else {}
            sessions.append(
                SessionInfo(
                    project=session.project_id,
                    pid=session.pid,
                    state=fields.get("state", "running"),
                    reason=fields.get("reason", ""),
                    clients=len(hosted.watchers) if hosted is not None else 0,
                    attention=fields.get("attention", False),
                    age=fields.get("age", 0.0),
                    request=fields.get("request"),
                    session_id=session.session_id,
                    created_at=str(record.get("created_at", "")),
                    last_activity=str(record.get("last_activity", "")),
                )
            )
        return HostStatus(os.getpid(), __version__, str(self.store.path), sessions)


async def _until(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether ``condition`` came true within ``timeout`` seconds (looked at every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def _flushed(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        await writer.wait_closed()


def _size(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    return max(1, min(int(value), 10_000)) if isinstance(value, int) else 24


def _string_map(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def _failed(project_id: str, error: str, *, holder: int | None = None) -> bytes:
    """A start that failed; ``holder``: the pid of the other wxtui that runs it."""
    return encode_event(
        project_id,
        Event.FAILED,
        error=error,
        elsewhere=holder is not None,
        holder=holder,
    )
