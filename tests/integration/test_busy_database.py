"""The session host while another process holds the database's write lock: sessions
keep echoing, a conversation id Claude reports meanwhile is stored once the lock is
free, and an agent started meanwhile starts once its id is stored."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.test_session_host import Watcher
from tests.support import FakeClaude, wait_until
from wxtui.errors import WxtuiError
from wxtui.sessions.client import HostClient, connect_or_start
from wxtui.store import Store

# How long a write would freeze a host that wrote on its event loop: SQLite's busy
# timeout. Echo must come back well within it while the lock is held.
FROZEN = 10.0


@contextmanager
def write_locked(host_db: Path) -> Iterator[None]:
    """Another process's write transaction, held open."""
    other = sqlite3.connect(host_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE output_projects SET updated_at = updated_at")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


async def _echoes(client: HostClient, project: str, watcher: Watcher, word: str) -> float:
    """Seconds until a word typed into ``project`` comes back."""
    started = time.monotonic()
    client.write(project, f"{word}\r".encode())
    await wait_until(lambda: word in watcher.text(), timeout=30, message=f"echo of {word}")
    return time.monotonic() - started


async def test_a_locked_database_freezes_no_session_and_loses_no_id(
    host_db: Path, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    with Store.open(host_db) as store:
        agent = store.add_project("agent", str(tmp_path)).id
        later = store.add_project("later", str(tmp_path)).id
        cat = store.add_project("cat", str(tmp_path), command="sh -c 'echo ready; exec cat'").id
    client = await connect_or_start(host_db)
    watchers = {agent: Watcher(), cat: Watcher(), later: Watcher()}
    for project in (agent, cat):
        await client.start(project, watchers[project], 24, 80)
        await wait_until(lambda project=project: "ready" in watchers[project].text())
    with write_locked(host_db):
        # Claude reports a new conversation (/clear): the host must store it, later.
        client.write(agent, b"clear\r")
        await wait_until(lambda: "cleared to" in watchers[agent].text())
        cleared = watchers[agent].text().split("cleared to ")[1].split()[0]
        # A new agent's id must be stored before it starts: it waits, nothing else does.
        start_task = asyncio.ensure_future(client.start(later, watchers[later], 24, 80))
        assert await _echoes(client, cat, watchers[cat], "still-typing") < FROZEN / 2
        assert await _echoes(client, agent, watchers[agent], "agent-too") < FROZEN / 2
        assert not start_task.done(), "the new agent waits for its id to be stored"
    assert await start_task is True
    await wait_until(lambda: "ready" in watchers[later].text(), message="the late agent")
    with Store.open(host_db) as store:
        await wait_until(lambda: store.get_project(agent).claude_session_id == cleared)
        history = [c.claude_session_id for c in store.conversation_history(agent)]
        assert history[-1] == cleared, "the id reported while the lock was held was kept"
        stored = store.get_project(later).claude_session_id
        assert stored is not None
    assert fake_claude.starts()[-1]["argv"] == ["--session-id", stored]
    await client.close()


async def test_a_write_that_fails_before_a_spawn_starts_no_agent(
    host_db: Path, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    """A new conversation's id is stored before Claude starts with it: when that write
    fails (not busy: refused, as on a full disk), no agent starts, the start says why
    in one line, and the next start, once the database takes writes, goes through."""
    with Store.open(host_db) as store:
        agent = store.add_project("agent", str(tmp_path)).id
    refusing = sqlite3.connect(host_db, isolation_level=None)
    refusing.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE OF claude_session_id ON output_projects "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    client = await connect_or_start(host_db)
    try:
        watcher = Watcher()
        try:
            await client.start(agent, watcher, 24, 80)
        except WxtuiError as error:
            assert "database or disk is full" in str(error) and "\n" not in str(error)
        else:
            raise AssertionError("the start went through")
        assert fake_claude.starts() == [], "an agent was started without its id stored"
        assert (await client.status()).sessions == []
        refusing.execute("DROP TRIGGER refuse")
        await client.start(agent, watcher, 24, 80)
        await wait_until(lambda: len(fake_claude.starts()) == 1)
        with Store.open(host_db) as store:
            stored = store.get_project(agent).claude_session_id
        assert stored is not None and stored in fake_claude.starts()[0]["argv"]
    finally:
        refusing.close()
        await client.close()
