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
