"""A remote machine as the UI sees it: its projects (from its own store) and its
sessions, through one link that is kept up.

The link may drop (a laptop's wifi, a VM's restart, ssh's keepalive giving up). The
agents there never notice: they run in that machine's host. Here the panes say so,
keys typed meanwhile are refused with a message (never lost silently), and the link is
opened again with growing pauses; once it is back, every pane that watched a session
attaches again and gets the session's screen and history from the host, as a UI that
starts does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from wxtui.errors import WxtuiError
from wxtui.models import Milestone, OutputProject
from wxtui.sessions.backend import CATCH_UP_WAIT
from wxtui.sessions.client import ClientSink, HostClient, HostUnavailable
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.read_budget import ReadBudget
from wxtui.sessions.remote_link import Remote, RemoteLink, open_link, version_note

log = logging.getLogger(__name__)

BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # Seconds between tries to link again.
CATALOG_EVERY = 1.0  # How often the remote's projects are asked for (unchanged: a digest).
SLOW_AFTER = 3.0  # A link that takes longer to answer is shown as slow.
REFUSED_EVERY = 2.0  # A pane says at most this often that its keys were not sent.


class LinkState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DOWN = "unreachable"


@dataclass
class Catalog:
    """A remote's projects and milestones, as its store has them (its own ids)."""

    projects: list[OutputProject] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    review: set[str] = field(default_factory=set)
    digest: str = ""

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Catalog:
        try:
            return cls(
                [OutputProject(**p) for p in body["projects"]],
                [Milestone(**m) for m in body["milestones"]],
                {str(i) for i in body["review"]},
                str(body["digest"]),
            )
        except (KeyError, TypeError) as exc:
            raise WxtuiError(f"a listing wxtui cannot read: {exc}") from None


@dataclass
class _Watched:
    sink: ClientSink
    rows: int
    cols: int
    shown: bool
    refused_at: float = float("-inf")


class RemoteSessions:
    """One remote: :meth:`keep_linked` keeps its link up until :meth:`close`; ``changed`` is
    called when its projects or its link's state change (on the event loop)."""

    def __init__(
        self,
        remote: Remote,
        changed: Callable[[], None] = lambda: None,
        budget: ReadBudget | None = None,
    ) -> None:
        self.remote = remote
        self.changed = changed
        self.budget = budget
        self.environ: Mapping[str, str] | None = None  # The link command's (None: ours).
        self.state = LinkState.CONNECTING
        self.why = ""  # Why it is down (ssh's last words), or a version note.
        self.catalog = Catalog()
        self.client: HostClient | None = None
        self._link: RemoteLink | None = None
        self._watched: dict[str, _Watched] = {}
        self._running: asyncio.Task[None] | None = None
        self._linked = asyncio.Event()
        self._closing = False
        self._wake = asyncio.Event()

    @property
    def name(self) -> str:
        return self.remote.name

    def keep_linked(self) -> None:
        """Keep the link up from now on (in a task of the running loop)."""
        if self._running is None:
            self._running = asyncio.get_running_loop().create_task(self._run())

    def retry_now(self) -> None:
        """Try to link again at once (the user asked), not after the pause."""
        self._wake.set()

    async def close(self) -> None:
        self._closing = True
        if self._running is not None:
            self._running.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._running
        if self.client is not None:
            await self.client.close()

    async def wait_linked(self, timeout: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._linked.wait(), timeout)
        return self._linked.is_set()

    # -- the link ------------------------------------------------------------------

    async def _run(self) -> None:
        tries = 0
        while not self._closing:
            try:
                await self._link_up()
            except (HostUnavailable, WxtuiError) as error:
                self._set_state(LinkState.DOWN, str(error).removeprefix(f"{self.name}: "))
            else:
                tries = 0
                assert self.client is not None
                await self._follow(self.client)
                if self._closing:
                    return
                why = await self._link.why_closed() if self._link is not None else ""
                self._set_state(LinkState.DOWN, why or "the link closed")
                self._tell_watchers(f"the link to {self.name} went away ({self.why}); reconnecting")
            pause = BACKOFF[min(tries, len(BACKOFF) - 1)]
            tries += 1
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
            self._set_state(LinkState.CONNECTING, self.why)

    async def _link_up(self) -> None:
        previous = self.client
        client, link = await open_link(self.remote, environ=self.environ, budget=self.budget)
        client.link_may_return = True
        self.client, self._link = client, link
        try:
            self.catalog = Catalog.from_json(await client.store("catalog"))
            running = {s.project for s in (await client.status()).sessions}
        except WxtuiError:
            await client.close()
            raise
        self._set_state(LinkState.CONNECTED, version_note(self.name, client))
        self._linked.set()
        if previous is not None:
            await self._attach_again(previous, client, running)

    async def _attach_again(
        self, previous: HostClient, client: HostClient, running: set[str]
    ) -> None:
        """The panes that showed a running session get it back as it is now (screen and
        history from the host). Nothing is started: a session stopped before the link
        dropped stays stopped, and one that ended meanwhile (its host stopped there,
        say) is said to have ended."""
        for project_id, watched in list(self._watched.items()):
            if not previous.is_alive(project_id):
                continue  # Ended or stopped before: nothing to bring back.
            if project_id not in running:
                with contextlib.suppress(Exception):
                    watched.sink.notice(f"the session ended on {self.name} meanwhile")
                    watched.sink.session_exited(-1)
                continue
            with contextlib.suppress(WxtuiError):
                await client.start(
                    project_id, watched.sink, watched.rows, watched.cols, not watched.shown
                )

    async def _follow(self, client: HostClient) -> None:
        """Until the link drops: the remote's projects, asked for every CATALOG_EVERY."""
        while not client.closed.is_set():
            closed = asyncio.ensure_future(client.closed.wait())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(closed), CATALOG_EVERY)
            closed.cancel()
            if client.closed.is_set():
                break
            try:
                body = await self._ask_catalog(client)
            except WxtuiError:
                continue
            if body.get("digest") != self.catalog.digest and "projects" in body:
                self.catalog = Catalog.from_json(body)
                self.changed()
        self._linked.clear()

    async def _ask_catalog(self, client: HostClient) -> dict[str, Any]:
        """The catalog, unless unchanged; a link that takes SLOW_AFTER seconds to answer
        is said to be slow meanwhile (on its heading), and not any more once it does."""
        asking = asyncio.ensure_future(client.store("catalog", since=self.catalog.digest))
        started = time.monotonic()
        while True:
            done, _pending = await asyncio.wait({asking}, timeout=SLOW_AFTER)
            if done:
                break
            waited = time.monotonic() - started
            self._set_state(LinkState.CONNECTED, f"slow: no answer for {waited:.0f} s")
        if self.why.startswith("slow:"):
            self._set_state(LinkState.CONNECTED, version_note(self.name, client))
        body: dict[str, Any] = asking.result()
        return body

    def _set_state(self, state: LinkState, why: str) -> None:
        if (state, why) != (self.state, self.why):
            self.state, self.why = state, why
            log.info("remote %s: %s %s", self.name, state.value, why)
            self.changed()

    def _tell_watchers(self, text: str) -> None:
        for watched in self._watched.values():
            with contextlib.suppress(Exception):
                watched.sink.notice(text)

    def _live(self) -> HostClient | None:
        """The client while the link is up."""
        client = self.client
        return None if client is None or client.closed.is_set() else client

    def _usable(self) -> HostClient:
        client = self._live()
        if client is None:
            raise WxtuiError(f"{self.name} is not linked ({self.why or self.state.value})")
        return client

    async def _refresh(self) -> None:
        """The remote's projects now (after a change made from here)."""
        body = await self._usable().store("catalog")
        self.catalog = Catalog.from_json(body)
        self.changed()

    async def store(self, op: str, **args: Any) -> Any:
        """An operation on the remote's store; the catalog follows."""
        result = await self._usable().store(op, **args)
        await self._refresh()
        return result

    # -- sessions (project ids are the remote's own) --------------------------------

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool
    ) -> bool:
        client = self._usable()
        self._watched[project_id] = _Watched(sink, rows, cols, shown)
        return await client.start(project_id, sink, rows, cols, not shown)

    def write(self, project_id: str, data: bytes) -> None:
        client = self._live()
        if client is not None:
            client.write(project_id, data)
            return
        watched = self._watched.get(project_id)
        now = time.monotonic()
        if watched is not None and now - watched.refused_at > REFUSED_EVERY:
            watched.refused_at = now
            with contextlib.suppress(Exception):
                watched.sink.notice(f"keys not sent: the link to {self.name} is down; reconnecting")

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        if (watched := self._watched.get(project_id)) is not None:
            watched.rows, watched.cols = rows, cols
        if self.client is not None:
            self.client.resize(project_id, rows, cols)

    def shown(self, project_id: str, shown: bool) -> None:
        if (watched := self._watched.get(project_id)) is not None:
            watched.shown = shown
        if self.client is not None:
            self.client.pause(project_id, not shown)

    async def catch_up(self, project_id: str) -> None:
        """As HostedSessions.catch_up (nothing to wait for while the link is down)."""
        if self.client is not None and self.is_alive(project_id):
            await self.client.resume(project_id, CATCH_UP_WAIT)

    def is_alive(self, project_id: str) -> bool:
        client = self._live()
        return client is not None and client.is_alive(project_id)

    @property
    def linked(self) -> bool:
        return self.state is LinkState.CONNECTED and self.client is not None

    async def stop(self, project_id: str) -> None:
        await self._usable().stop(project_id)

    def forget(self, project_id: str) -> None:
        """The pane is gone: not attached again after a reconnect."""
        self._watched.pop(project_id, None)

    async def send_prompt(self, project_id: str, text: str, milestone_id: str | None) -> None:
        await self._usable().send(project_id, text, milestone_id)

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str
    ) -> None:
        await self._usable().answer(project_id, request_id, decision, message)

    async def running(self) -> list[str]:
        """Projects whose sessions run there (none while the link is down)."""
        client = self._live()
        if client is None:
            return []
        try:
            return [s.project for s in (await client.status()).sessions]
        except HostUnavailable:
            return []
