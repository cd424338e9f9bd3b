"""The session host under what users throw at it: histories too big for a frame, input
an agent never reads, clients that stop reading, ids that are not ids. Each case stays
in its session; every other session, and the connection, go on. The host is served in
this process (as the demo's is), so its limits can be made small."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import wxtui.sessions.host as host_module
from tests.integration.test_session_host import Watcher
from tests.support import wait_until
from wxtui.errors import WxtuiError
from wxtui.sessions.backend import HostedSessions
from wxtui.sessions.client import HostClient
from wxtui.sessions.protocol import PROTOCOL, Kind, encode_json
from wxtui.store import Store
from wxtui.terminal.snapshot import Snapshot

COLOURFUL = (
    "import sys\n"
    "for n in range(3000):\n"
    "    cells = ''.join(f'\\x1b[38;5;{(n + i) % 256}m{chr(65 + i % 26)}' for i in range(60))\n"
    "    sys.stdout.write(f'{n:05} {cells}\\x1b[0m\\n')\n"
    "print('colourful-done', flush=True)\n"
    "sys.stdin.read()\n"
)


class NoticedWatcher(Watcher):
    def __init__(self) -> None:
        super().__init__()
        self.notices: list[str] = []

    def notice(self, text: str) -> None:
        self.notices.append(text)


@pytest.fixture
async def host(store: Store) -> AsyncIterator[HostedSessions]:
    sessions = HostedSessions(store, os.environ, embedded=True)
    await sessions.connect()
    yield sessions
    await sessions.stop_all()


async def _client(host: HostedSessions) -> HostClient:
    return await HostClient.connect(host.socket_path)


async def test_a_history_too_big_for_a_frame_still_attaches(
    host: HostedSessions, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host_module, "SNAPSHOT_LIMIT", 150_000)
    command = shlex.join([sys.executable, "-c", COLOURFUL])
    colourful = store.add_project("colourful", str(tmp_path), command=command).id
    calm = store.add_project("calm", str(tmp_path), command="sh -c 'echo calm-up; exec cat'").id
    first = await _client(host)
    printer = Watcher()
    await first.start(colourful, printer, 24, 80)
    await wait_until(lambda: "colourful-done" in printer.text(), message="history printed")
    late = await _client(host)
    watchers = {colourful: NoticedWatcher(), calm: NoticedWatcher()}
    for project, watcher in watchers.items():
        await late.start(project, watcher, 24, 80)
    seen = watchers[colourful]
    await wait_until(lambda: "colourful-done" in seen.text(), message="the big one attached")
    assert any("oldest" in notice and "too big" in notice for notice in seen.notices)
    assert "02999" in seen.text(), "the newest lines arrived"
    assert not late.closed.is_set(), "the connection stayed"
    late.write(calm, b"still here\r")
    await wait_until(lambda: watchers[calm].text().count("still here") == 2, message="echo")
    for client in (first, late):
        await client.close()


@pytest.mark.parametrize("project_id", ["../../x", "nope", "a/b", ""])
async def test_a_project_id_that_is_no_project_touches_no_file(
    host: HostedSessions, store: Store, project_id: str
) -> None:
    client = await _client(host)
    with pytest.raises(WxtuiError):
        await client.start(project_id, Watcher(), 24, 80)
    assert not (store.path.parent / "x.lock").exists()
    assert not client.closed.is_set()
    assert sorted(p.name for p in store.path.parent.glob(f"{store.path.name}.locks/*")) in (
        [],
        ["host.lock"],
    )
    await client.close()


async def test_a_client_that_leaves_too_much_unread_is_let_go(
    host: HostedSessions, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots and replies are not flow-controlled like output: a client that reads
    none of them is disconnected once they pass a limit, not buffered without end."""
    monkeypatch.setattr(host_module, "UNREAD_LIMIT", 100_000)
    command = shlex.join([sys.executable, "-c", COLOURFUL])
    colourful = store.add_project("colourful", str(tmp_path), command=command).id
    first = await _client(host)
    printer = Watcher()
    await first.start(colourful, printer, 24, 80)
    await wait_until(lambda: "colourful-done" in printer.text(), message="history printed")
    # A raw client: it says hello, asks for the session three times, and reads nothing.
    _reader, writer = await asyncio.open_unix_connection(str(host.socket_path))
    writer.write(encode_json(Kind.HELLO, protocol=PROTOCOL))
    for _ in range(3):
        writer.write(encode_json(Kind.START, project=colourful, rows=24, cols=80))

    async def watchers() -> int:
        info = (await first.status()).session(colourful)
        return 0 if info is None else info.clients

    deadline = asyncio.get_running_loop().time() + 10
    while await watchers() != 1:  # The printer's client only: the stuck one was let go.
        assert asyncio.get_running_loop().time() < deadline, "the stuck client was kept"
        await asyncio.sleep(0.05)
    assert not first.closed.is_set()
    writer.close()
    await first.close()


class BrokenWatcher(NoticedWatcher):
    """A pane whose output handling fails."""

    def feed(self, data: bytes) -> None:
        raise RuntimeError("this pane cannot show that")


class SnapshotBrokenWatcher(NoticedWatcher):
    """A pane that cannot load the session's screen."""

    def load_snapshot(self, snapshot: Snapshot) -> None:
        raise RuntimeError("this pane cannot load that screen")


@pytest.mark.parametrize("broken_part", ["output", "snapshot"])
async def test_one_panes_failure_stays_in_that_pane(
    host: HostedSessions, store: Store, tmp_path: Path, broken_part: str
) -> None:
    cat = "sh -c 'echo up; exec cat'"
    broken = store.add_project("broken", str(tmp_path), command=cat).id
    fine = store.add_project("fine", str(tmp_path), command=cat).id
    client = await _client(host)
    bad = BrokenWatcher() if broken_part == "output" else SnapshotBrokenWatcher()
    good = NoticedWatcher()
    await client.start(broken, bad, 24, 80)
    await client.start(fine, good, 24, 80)
    client.write(broken, b"more\r")
    await wait_until(lambda: any("could not show" in n for n in bad.notices), message="said")
    client.write(fine, b"still here\r")
    await wait_until(lambda: good.text().count("still here") == 2, message="the other pane")
    assert not client.closed.is_set() and client.is_alive(broken)
    await client.close()


async def test_each_start_runs_the_agent_its_caller_asked_for(store: Store, tmp_path: Path) -> None:
    """A host started by one UI runs a later UI's --agent (and environment) for the
    sessions that later UI starts."""
    first_project = store.add_project("first", str(tmp_path)).id
    later_project = store.add_project("later", str(tmp_path)).id
    first = HostedSessions(store, {**os.environ, "WHO": "first"}, "sh -c 'echo agent-one $WHO'")
    later = HostedSessions(store, {**os.environ, "WHO": "later"}, "sh -c 'echo agent-two $WHO'")
    try:
        await first.connect()  # It starts the host.
        seen = {first_project: Watcher(), later_project: Watcher()}
        await first.start(first_project, seen[first_project], 24, 80)
        await later.start(later_project, seen[later_project], 24, 80)
        await wait_until(lambda: "agent-one first" in seen[first_project].text())
        await wait_until(lambda: "agent-two later" in seen[later_project].text())
    finally:
        await later.leave()
        await first.stop_all()


async def test_a_host_started_right_after_another_stopped_serves(
    store: Store, tmp_path: Path
) -> None:
    """``host stop`` returns while the old host still ends its agents: the next start
    waits for it instead of failing."""
    slow = "sh -c 'trap \"sleep 0.5; exit 0\" HUP TERM; echo up; while :; do sleep 0.1; done'"
    project = store.add_project("slow", str(tmp_path), command=slow).id
    sessions = HostedSessions(store, os.environ)
    try:
        watcher = Watcher()
        await sessions.start(project, watcher, 24, 80)
        await wait_until(lambda: "up" in watcher.text())
        old = sessions.client
        assert old is not None
        await old.shutdown()  # As `wxtui host stop` does; the client returns at once.
        again = Watcher()
        await sessions.start(project, again, 24, 80)
        await wait_until(lambda: "up" in again.text(), message="a new host started it")
        assert sessions.client is not None and sessions.client.host_pid != old.host_pid
    finally:
        await sessions.stop_all()
