"""The session host: agents that outlive their clients, several clients on one session,
the host's own commands, and what happens when the host or a client misbehaves."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support import WXTUI, FakeClaude, ok, run, wait_until
from wxtui.errors import WxtuiError
from wxtui.sessions.agent_state import AgentStatus
from wxtui.sessions.client import HostClient, connect_or_start
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.store import Store
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import Snapshot

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

ROOT = Path(__file__).parents[2]


class Watcher:
    """A client-side sink: the session's screen as this client sees it."""

    def __init__(self) -> None:
        self.screen = TerminalEmulator(80, 24)
        self.output = bytearray()
        self.exits: list[int] = []
        self.statuses: list[AgentStatus] = []
        self.missed: list[bool] = []

    def load_snapshot(self, snapshot: Snapshot) -> None:
        previous, self.screen = self.screen, TerminalEmulator(snapshot.columns, snapshot.rows)
        snapshot.restore(self.screen, previous)

    def missed_output(self, bell: bool) -> None:
        self.missed.append(bell)

    def feed(self, data: bytes) -> None:
        self.output += data
        self.screen.feed(data)

    def session_exited(self, returncode: int) -> None:
        self.exits.append(returncode)

    def notice(self, text: str) -> None:
        pass

    def agent_status(self, status: AgentStatus, tracked: bool) -> None:
        self.statuses.append(status)

    def milestones_changed(self) -> None:
        pass

    def text(self) -> str:
        return "\n".join(self.screen.scrollback_text() + self.screen.display())


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # A zombie is gone too (its parent reaps it).
        return stat.read().split(")")[-1].split()[0] == "Z"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Path]:
    """A database whose host, if a test starts one, is stopped (and checked gone) after."""
    path = tmp_path / "wxtui.db"
    Store.open(path).close()
    yield path
    socket_path = host_socket_path(path)
    if host_running(socket_path):
        client = await HostClient.connect(socket_path)
        pid = client.host_pid
        await client.shutdown()
        await client.close()
        await wait_until(lambda: _gone(pid), message="the host ended")


async def _open(app: WxtuiApp, project_id: str) -> None:
    """Show the project's pane and wait until its session has printed "ready"."""
    from tests.support import pane_text

    await app.show_project(project_id)
    await wait_until(lambda: "ready" in pane_text(app, project_id), message="ready")


def _project(db: Path, name: str, command: str, workspace: Path) -> str:
    with Store.open(db) as store:
        return store.add_project(name, str(workspace), command=command).id


async def test_an_agent_outlives_its_client_and_the_next_client_sees_its_screen(
    db: Path, tmp_path: Path
) -> None:
    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    first = await connect_or_start(db)
    watcher = Watcher()
    assert await first.start(project, watcher, 24, 80)
    await wait_until(lambda: "ready" in watcher.text())
    first.write(project, b"typed before quitting\r")
    await wait_until(lambda: watcher.output.count(b"typed before quitting") == 2)
    await first.close()  # The UI quits: the agent keeps running.

    second = await HostClient.connect(host_socket_path(db))
    again = Watcher()
    assert not await second.start(project, again, 24, 80), "joined, not started"
    assert again.screen.display() == watcher.screen.display(), "the same screen"
    second.write(project, b"after\r")
    await wait_until(lambda: "after" in again.text().split("quitting")[-1])
    status = await second.status()
    assert [s.project for s in status.sessions] == [project]
    await second.close()


async def test_two_clients_see_the_same_output_and_either_can_type(
    db: Path, tmp_path: Path
) -> None:
    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    a = await connect_or_start(db)
    b = await HostClient.connect(host_socket_path(db))
    seen_a, seen_b = Watcher(), Watcher()
    await a.start(project, seen_a, 24, 80)
    await b.start(project, seen_b, 24, 80)
    a.write(project, b"from a\r")
    b.write(project, b"from b\r")
    for seen in (seen_a, seen_b):
        await wait_until(
            lambda s=seen: s.output.count(b"from a") == 2 and s.output.count(b"from b") == 2
        )
    await a.close()
    await b.close()


async def test_host_status_and_stop_from_the_command_line(
    db: Path, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    project = _project(db, "agent", "claude", tmp_path)
    client = await connect_or_start(db)
    await client.start(project, Watcher(), 24, 80)
    await client.close()
    status = json.loads(ok(run("host", "status", "--json", db=db)))
    assert status["running"] and status["pid"] > 0 and status["version"]
    (session,) = status["sessions"]
    assert session["project"] == project and session["pid"] > 0
    assert "agent" in ok(run("host", "status", db=db))
    with Store.open(db) as store:
        conversation = store.get_project(project).claude_session_id
    started = time.monotonic()
    assert "stopped the session host" in ok(run("host", "stop", db=db))
    assert time.monotonic() - started < 5, "every agent ends within 5 s"
    assert _gone(session["pid"]) and _gone(status["pid"])
    with Store.open(db) as store:
        assert store.get_project(project).claude_session_id == conversation, "kept"
    assert json.loads(ok(run("host", "status", "--json", db=db))) == {"running": False}


async def test_a_killed_host_leaves_no_agent_behind_and_the_next_resumes(
    db: Path, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    project = _project(db, "agent", "claude", tmp_path)
    client = await connect_or_start(db)
    watcher = Watcher()
    await client.start(project, watcher, 24, 80)
    await wait_until(lambda: "ready" in watcher.text())
    host_pid = client.host_pid
    agent_pid = fake_claude.starts()[-1]["pid"]
    os.kill(host_pid, signal.SIGKILL)
    await wait_until(lambda: client.closed.is_set(), message="the client saw the host go")
    await wait_until(lambda: _gone(agent_pid), message="the agent lost its terminal and ended")
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    await client.close()
    # A stale socket file is left: said so; the next client starts a new host anyway.
    assert "one that ended left its socket" in ok(run("host", "status", db=db))
    client = await connect_or_start(db)
    assert client.host_pid != host_pid
    again = Watcher()
    await client.start(project, again, 24, 80)
    await wait_until(lambda: "ready" in again.text())
    assert fake_claude.starts()[-1]["argv"][:1] == ["--resume"]
    await client.close()


async def test_junk_on_the_socket_and_a_client_that_stops_reading_harm_no_one(
    db: Path, tmp_path: Path
) -> None:
    line = "flood " * 25
    flood = f"echo ready; read go; yes {line} | head -c 12000000; echo END-OF-FLOOD; exec cat"
    project = _project(db, "flood", f"sh -c '{flood}'", tmp_path)
    reader = await connect_or_start(db)
    watcher = Watcher()
    await reader.start(project, watcher, 24, 80)
    await wait_until(lambda: "ready" in watcher.text())
    path = host_socket_path(db)
    junk = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    junk.connect(str(path))
    junk.sendall(b"\xff" * 64 + b"GET / HTTP/1.0\r\n\r\n")
    junk.close()
    # A client that asks for the session and then never reads.
    stuck = await HostClient.connect(path)
    await stuck.start(project, Watcher(), 24, 80)
    stuck.stop_reading()
    reader.write(project, b"go\r")
    # This client reads, but parses slower than the flood comes: it may get a repaint
    # instead of some of the output; either way it shows the end of it.
    await wait_until(
        lambda: "END-OF-FLOOD" in watcher.text(), timeout=60, message="the end of the flood"
    )

    async def watchers() -> int:
        return (await reader.status()).sessions[0].clients

    deadline = time.monotonic() + 30
    while await watchers() != 1:  # Dropped once it has read nothing for a while.
        assert time.monotonic() < deadline, "the stuck client was never dropped"
        await asyncio.sleep(0.2)
    reader.write(project, b"still here\r")
    await wait_until(lambda: "still here" in watcher.text(), message="the host still serves")
    await stuck.close()
    await reader.close()


def test_wxtui_host_refuses_a_second_host_for_the_same_database(tmp_path: Path) -> None:
    db = tmp_path / "wxtui.db"
    Store.open(db).close()
    first = subprocess.Popen([WXTUI, "--db", str(db), "host"])
    try:
        deadline = time.monotonic() + 10
        while not host_running(host_socket_path(db)):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        second = run("host", db=db)
        assert second.returncode != 0
        assert f"a session host already runs for {db} (pid {first.pid})" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(10) == 0


async def test_attaching_and_detaching_a_hundred_times_leaves_the_host_as_it_was(
    db: Path, tmp_path: Path
) -> None:
    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    first = await connect_or_start(db)
    await first.start(project, Watcher(), 24, 80)
    host = first.host_pid
    path = host_socket_path(db)

    def fds() -> int:
        return len(os.listdir(f"/proc/{host}/fd"))

    def rss_kb() -> int:
        with open(f"/proc/{host}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

    async def cycle(n: int) -> None:
        for i in range(n):
            client = await HostClient.connect(path)
            watcher = Watcher()
            await client.start(project, watcher, 24, 80)
            client.write(project, f"cycle {i}\r".encode())
            await wait_until(lambda w=watcher, i=i: f"cycle {i}" in w.text())
            await client.close()

    await cycle(20)  # Warm up: caches and buffers reach their size.
    before_fds, before_rss = fds(), rss_kb()
    await cycle(100)
    # The host closes a connection once it has read its end: allow it a moment.
    await wait_until(lambda: fds() <= before_fds, message="every connection closed")
    assert rss_kb() - before_rss < 4096, "no memory kept per attach"
    await first.close()


@pytest.mark.parametrize("other", ["version", "protocol"])
async def test_a_host_of_another_version_is_offered_a_restart(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str
) -> None:
    from tests.support import make_app
    from wxtui.app.dialogs import ConfirmDialog
    from wxtui.sessions import client as client_module

    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    old = await connect_or_start(db)
    await old.start(project, Watcher(), 24, 80)
    (session,) = (await old.status()).sessions
    await old.close()
    if other == "version":
        monkeypatch.setattr(client_module, "__version__", "0.0.0-other")
    else:  # Same version, another protocol: it may still ask the status and stop the host.
        monkeypatch.setattr(client_module, "PROTOCOL", client_module.PROTOCOL - 1)
        foreign = await HostClient.connect(host_socket_path(db))
        assert not foreign.same_version and "another build" in foreign.other_version
        assert (await foreign.status()).sessions[0].pid == session.pid
        with pytest.raises(WxtuiError):  # Nothing else: the host drops it.
            await foreign.start(project, Watcher(), 24, 80)
        assert not _gone(session.pid), "the agent kept running"
    with Store.open(db) as store:
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(lambda: isinstance(app.screen, ConfirmDialog), message="offer")
            await pilot.press("y")
            await wait_until(lambda: _gone(session.pid), message="the agent ended")
            await wait_until(lambda: not host_socket_path(db).exists())


async def test_the_app_leaves_agents_running_and_the_next_app_shows_them(
    db: Path, tmp_path: Path
) -> None:
    from tests.support import make_app, pane_text, project_label

    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    with Store.open(db) as store:
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await _open(app, project)
            await pilot.press(*"kept", "enter")
            await wait_until(lambda: pane_text(app, project).count("kept") == 2)
            await pilot.press("ctrl+q")
        assert app.exit_message.startswith("wxtui: 1 agent keeps running;")
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)):
            await wait_until(lambda: app.pane_for(project) is not None, message="attached")
            # The last UI showed it: this one shows it again, as it was.
            await wait_until(lambda: app.current_project_id == project, message="reopened")
            await wait_until(lambda: "●" in project_label(app, project), message="running")
            await wait_until(lambda: pane_text(app, project).count("kept") == 2)


async def test_a_client_killed_mid_flood_loses_nothing_the_next_one_sees(
    db: Path, tmp_path: Path
) -> None:
    """The agent floods while its UI dies; the next UI gets the same screen and the whole
    history the host keeps (the last 10,000 lines), in order."""
    script = 'read go; seq -f "line %g" 1 30000; echo FLOOD-DONE; exec cat'
    project = _project(db, "flood", f"sh -c '{script}'", tmp_path)
    path = host_socket_path(db)
    await (await connect_or_start(db)).close()  # The host is up.
    ui = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from tests.integration.test_session_host import Watcher\n"
        "from wxtui.sessions.client import HostClient\n"
        "async def main():\n"
        "    client = await HostClient.connect(Path(sys.argv[1]))\n"
        "    seen = Watcher()\n"
        "    await client.start(sys.argv[2], seen, 24, 80)\n"
        "    client.write(sys.argv[2], b'go\\r')\n"
        "    for _ in range(20000):\n"
        "        if b'line 100' in seen.output:\n"
        "            break\n"
        "        await asyncio.sleep(0.001)\n"
        "    print('flooding', flush=True)\n"
        "    await asyncio.sleep(60)\n"
        "asyncio.run(main())\n"
    )
    first = subprocess.Popen(
        [sys.executable, "-c", ui, str(path), project], stdout=subprocess.PIPE, cwd=ROOT
    )
    try:
        assert first.stdout is not None and first.stdout.readline() == b"flooding\n"
    finally:
        first.kill()  # Mid-flood: the UI dies without a goodbye.
        first.wait()
    probe = await HostClient.connect(path)
    deadline = time.monotonic() + 30
    while True:  # Until the flood is over, asking the host (not a screen) each time.
        seen = Watcher()
        await probe.start(project, seen, 24, 80)
        if "FLOOD-DONE" in seen.text():
            break
        assert time.monotonic() < deadline, "the flood never ended"
        probe.detach(project)
        await asyncio.sleep(0.2)
    lines = [line.strip() for line in seen.text().splitlines() if line.startswith("line ")]
    assert lines[-1] == "line 30000"
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(numbers[0], 30001)), "no line lost or out of order"
    assert len(numbers) >= 10_000 - 24, "the host keeps a full history"
    await probe.close()


SYSTEM_PYTHON = "/usr/bin/python3"  # One another user may run (the venv's is under /root).


@pytest.mark.skipif(
    os.getuid() != 0 or not os.access(SYSTEM_PYTHON, os.X_OK),
    reason="needs root (to act as another user) and a system python3",
)
async def test_another_user_cannot_reach_the_host(db: Path, tmp_path: Path) -> None:
    """The host's socket sits in a 0700 directory (and the host checks the peer's uid):
    another user's process cannot connect, and the host goes on serving."""
    project = _project(db, "cat", "sh -c 'echo ready; exec cat'", tmp_path)
    client = await connect_or_start(db)
    path = host_socket_path(db)
    probe = "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])"
    other = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            SYSTEM_PYTHON,
            "-c",
            probe,
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert other.returncode != 0 and "PermissionError" in other.stderr
    watcher = Watcher()
    await client.start(project, watcher, 24, 80)
    await wait_until(lambda: "ready" in watcher.text())
    await client.close()


class SlowWatcher(Watcher):
    """A client's sink that takes its time over every piece of output (a busy UI)."""

    def __init__(self, pause: float = 0.001) -> None:
        super().__init__()
        self.pause = pause

    def feed(self, data: bytes) -> None:
        super().feed(data)
        time.sleep(self.pause)


async def test_a_flooding_session_holds_back_no_other_session_of_the_same_client(
    db: Path, tmp_path: Path
) -> None:
    """Output queued for a client ahead of another session's echo is bounded by the flow
    control window, not by how far the client lags behind a flood."""
    from wxtui.sessions.protocol import WINDOW

    flood = _project(db, "flood", "sh -c 'exec yes flood flood flood flood'", tmp_path)
    echo = _project(db, "echo", "sh -c 'echo ready; exec cat'", tmp_path)
    client = await connect_or_start(db)
    flooded, echoed = SlowWatcher(), Watcher()
    await client.start(echo, echoed, 24, 80)
    await wait_until(lambda: "ready" in echoed.text())
    await client.start(flood, flooded, 24, 80)
    await wait_until(lambda: len(flooded.output) > 4 * WINDOW, message="the flood is on")
    for i in range(5):
        before = len(flooded.output)
        client.write(echo, f"echo {i}\r".encode())
        await wait_until(lambda i=i: f"echo {i}" in echoed.text(), message="the echo")
        assert len(flooded.output) - before < 3 * WINDOW, "at most a window of flood in front"
    await client.close()


@pytest.mark.parametrize("links", [1, 2])
async def test_a_flood_already_buffered_is_handed_over_a_turn_at_a_time(
    db: Path, tmp_path: Path, links: int
) -> None:
    """Output frames waiting in the client's buffer are not all parsed in one turn of the
    event loop: once a turn has spent the read budget on them, frames and keys go first.
    The budget is the loop's, not each link's: two links flooding share it."""
    from wxtui.sessions.read_budget import ReadBudget

    shared = ReadBudget()
    started_at: list[tuple[int, float]] = []  # Each piece: its link, the turn's spend before it.

    def timed(link: int, handle: Callable[[Any], None]) -> Callable[[Any], None]:
        def handled(piece: Any) -> None:
            started_at.append((link, shared.spent))
            handle(piece)

        return handled

    clients = []
    for n in range(links):
        project = _project(db, f"flood{n}", "sh -c 'exec yes flood flood flood flood'", tmp_path)
        client = await connect_or_start(db, budget=shared)
        watcher = SlowWatcher(pause=0.001)  # A busy UI: 1 ms for each piece of output.
        watcher.feed = timed(n, watcher.feed)  # type: ignore[method-assign]
        watcher.load_snapshot = timed(n, watcher.load_snapshot)  # type: ignore[method-assign]
        await client.start(project, watcher, 24, 80)
        clients.append(client)
    await wait_until(lambda: len(started_at) > 300 * links, timeout=60, message="the flood")
    seen = list(started_at)
    for client in clients:
        await client.close()
    assert any(spent > 0 for _, spent in seen), "nothing was buffered"
    late = [spent for _, spent in seen if spent >= shared.seconds]
    assert not late, f"{len(late)} pieces started after their turn's budget was spent"
    for n in range(links):  # Taking turns: none waits while the others read.
        assert sum(link == n for link, _ in seen[len(seen) // 2 :]) > len(seen) // (4 * links)


async def test_the_ui_connects_to_the_host_started_as_it_loaded(db: Path) -> None:
    """``wxtui`` starts the host before it loads the UI; the UI's first connection waits
    for that host instead of starting another. One that ended is replaced as usual."""
    from wxtui.sessions.backend import HostedSessions

    # A host slower to start than the UI to load (the same pid once it runs).
    command = f"sleep 0.5; exec {shlex.join([WXTUI, '--db', str(db), 'host'])}"
    started = subprocess.Popen(
        ["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    with Store.open(db) as store:
        sessions = HostedSessions(store, os.environ, starting=started)
        client = await sessions.connect()
        assert client is not None and client.host_pid == started.pid
        await client.shutdown()
        await client.close()
    started.wait(timeout=30)

    ended = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    ended.wait(timeout=30)
    with Store.open(db) as store:
        sessions = HostedSessions(store, os.environ, starting=ended)
        client = await sessions.connect()
        assert client is not None and client.host_pid not in (0, ended.pid)
        await client.close()


async def test_a_client_that_falls_behind_a_flood_gets_every_line_it_missed(
    db: Path, tmp_path: Path
) -> None:
    """It misses output while behind; what it is sent then (the lines since, and the
    screen) leaves its history exactly the session's: every line, in order."""
    script = 'read go; seq -f "line %g of output faster than the client reads" 1 8000; echo FLOOD-DONE; exec cat'
    project = _project(db, "flood", f"sh -c '{script}'", tmp_path)
    client = await connect_or_start(db)
    watcher = SlowWatcher(pause=0.005)
    await client.start(project, watcher, 24, 80)
    missed = []
    original = watcher.load_snapshot

    def load_snapshot(snapshot: Snapshot) -> None:
        missed.append(snapshot.appends)
        original(snapshot)

    watcher.load_snapshot = load_snapshot  # type: ignore[method-assign]
    client.write(project, b"go\r")
    await wait_until(lambda: "FLOOD-DONE" in watcher.text(), timeout=60, message="the end")
    assert any(missed), "it fell behind at least once (else this tests nothing)"
    lines = [line.split()[1] for line in watcher.text().splitlines() if line.startswith("line ")]
    assert lines == [str(n) for n in range(1, 8001)]
    await client.close()


async def test_a_paused_session_sends_word_of_output_and_a_bell_then_what_was_missed(
    db: Path, tmp_path: Path
) -> None:
    """A UI's hidden pane: no output comes while it is paused, only word that there was
    some (once) and of the bell; on resuming, the lines it missed and the screen."""
    script = "echo ready; read go; seq -f 'line %g' 1 3000; printf 'rung\\a\\a\\a\\n'; exec cat"
    project = _project(db, "quiet", f'sh -c "{script}"', tmp_path)
    client = await connect_or_start(db)
    watcher = Watcher()
    await client.start(project, watcher, 24, 80)
    await wait_until(lambda: "ready" in watcher.text())
    client.pause(project, True)
    before = bytes(watcher.output)
    client.write(project, b"go\r")
    await wait_until(lambda: watcher.missed == [False, True], message="word of output, a bell")
    assert watcher.output == before and "line 1\n" not in watcher.text(), "nothing while paused"
    client.pause(project, False)
    await wait_until(lambda: "rung" in watcher.text(), message="what it missed")
    assert watcher.missed == [False, True], "told once of each, however many bells"
    lines = [line.strip() for line in watcher.text().splitlines() if line.startswith("line ")]
    assert lines == [f"line {n}" for n in range(1, 3001)]
    client.write(project, b"live again\r")
    await wait_until(lambda: b"live again" in watcher.output, message="output flows again")
    await client.close()


async def test_the_ui_gets_the_output_of_the_pane_it_shows_only(db: Path, tmp_path: Path) -> None:
    from tests.support import make_app, pane, pane_text

    shown = _project(db, "shown", "sh -c 'echo ready; exec cat'", tmp_path)
    hidden = _project(db, "hidden", "sh -c 'echo ready; read go; echo did-it; exec cat'", tmp_path)
    with Store.open(db) as store:
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await _open(app, hidden)
            await _open(app, shown)
            app.backend.write(hidden, b"go\r")
            await wait_until(lambda: pane(app, hidden).unseen_output, message="marked")
            assert "did-it" not in pane_text(app, hidden), "parsed only once it is shown"
            await pilot.press("ctrl+right_square_bracket")
            await app.show_project(hidden)
            await wait_until(lambda: "did-it" in pane_text(app, hidden), message="caught up")
            assert not pane(app, hidden).unseen_output
            await app.backend.stop_all()


async def test_sessions_found_running_at_start_are_painted_only_once_shown(
    db: Path, tmp_path: Path
) -> None:
    """What the terminal shows: the notice, then the one pane asked for, nothing else."""
    from tests.support import make_app
    from tests.support.painted import Glass

    flood = _project(db, "flood", "sh -c 'seq -f \"flood line %g\" 1 50; exec cat'", tmp_path)
    typing = _project(db, "typing", "sh -c 'echo typing-ready; exec cat'", tmp_path)
    client = await connect_or_start(db)
    watchers = Watcher(), Watcher()
    for project, watcher in zip((flood, typing), watchers, strict=True):
        await client.start(project, watcher, 24, 80)
    await wait_until(lambda: "flood line 50" in watchers[0].text())
    await wait_until(lambda: "typing-ready" in watchers[1].text())
    await client.close()
    glass = Glass(120, 36)
    with Store.open(db) as store:
        app = make_app(store, sessions_in_host=True)
        app.driver_class = glass.driver_class()
        async with app.run_test(size=(120, 36), headless=False) as pilot:
            await wait_until(lambda: None not in (app.pane_for(flood), app.pane_for(typing)))
            await pilot.pause()
            await wait_until(lambda: any("No session open." in row for row in glass.rows()))
            await app.show_project(typing)
            await wait_until(lambda: any("typing-ready" in row for row in glass.rows()))
            await pilot.pause()
            assert not any("flood line" in row for row in glass.rows()), "\n".join(glass.rows())
            await app.backend.stop_all()


async def test_the_ui_says_when_the_host_is_killed_and_enter_starts_a_new_one(
    db: Path, tmp_path: Path
) -> None:
    from tests.support import make_app, pane, pane_text
    from wxtui.app.session_pane import SessionState

    project = _project(db, "agent", "sh -c 'echo ready; exec cat'", tmp_path)
    with Store.open(db) as store:
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await _open(app, project)
            client = app.backend.client
            assert client is not None
            os.kill(client.host_pid, signal.SIGKILL)
            await wait_until(lambda: pane(app, project).state is SessionState.EXITED)
            assert "the session host went away" in pane_text(app, project)
            await pilot.press("x")  # Typed into a pane whose host is gone: nothing breaks.
            await pilot.press("enter")
            await wait_until(lambda: pane(app, project).state is SessionState.RUNNING)
            await wait_until(lambda: "ready" in pane_text(app, project), message="a new host")
            assert app.backend.client is not None and app.backend.client.host_pid != client.host_pid
            await app.backend.stop_all()
