"""wxtui never outlives its terminal: the installed app in tmux, and the tmux server killed
under it (as when a terminal window closes or an SSH connection drops)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import wait_until_sync
from tests.support.painted import program_env
from tests.support.tmux import Tmux
from wxtui.store import Store

WXTUI = str(Path(sys.executable).with_name("wxtui"))

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, set()).add(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _start(tmp_path: Path, name: str, command: str, stdin: str = "") -> tuple[Tmux, int, Path]:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project("shell", str(tmp_path), command=command)
    env = program_env(tmp_path)
    app = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), WXTUI, "--db", str(db)])
    tmux = Tmux(name)
    tmux.start(f"{stdin}exec {app}" if not stdin else f"{stdin}{app}", 100, 30)
    tmux.wait_for("shell")
    pid = int(tmux.run("display", "-p", "-t", name, "#{pane_pid}").strip())
    return tmux, pid, db


def _find_wxtui(root: int) -> int:
    """The wxtui process: the pane's own process, or its child when a pipe feeds it."""
    for pid in [root, *sorted(_descendants(root))]:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if WXTUI.encode() in cmdline:
            return pid
    raise AssertionError("no wxtui process found")


def _session_pids(db: Path) -> list[int]:
    """The agents running in the database's session host."""
    status = subprocess.run(
        [WXTUI, "--db", str(db), "host", "status", "--json"], capture_output=True, text=True
    )
    return [session["pid"] for session in json.loads(status.stdout).get("sessions", [])]


def _assert_wxtui_ends_and_the_agent_runs_on(pid: int, agents: list[int], db: Path) -> None:
    """wxtui exits; its agents keep running in the session host until it is stopped."""
    try:
        wait_until_sync(lambda: not _alive(pid), timeout=5, message="wxtui to exit")
        assert all(_alive(agent) for agent in agents), "the agents run on"
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        subprocess.run([WXTUI, "--db", str(db), "host", "stop"], capture_output=True)
    wait_until_sync(lambda: not any(_alive(agent) for agent in agents), timeout=5)


@pytest.mark.parametrize("situation", ["idle", "flooding", "dialog open"])
def test_wxtui_exits_when_its_terminal_goes_away(tmp_path: Path, situation: str) -> None:
    tmux, pid, db = _start(tmp_path, f"loss-{situation.split()[0]}", "bash --norc --noprofile")
    try:
        tmux.keys("Enter")
        tmux.wait_for("$")
        if situation == "flooding":
            tmux.keys("yes 'flooding the pane'", "Enter")
            tmux.wait_for("flooding the pane")
        elif situation == "dialog open":
            tmux.keys("C-]")
            tmux.wait_for("Sidebar")
            tmux.keys("a")
            tmux.wait_for("Add project")
        agents = _session_pids(db)
        assert agents, "the session's shell runs in the session host"
    finally:
        tmux.kill()
    _assert_wxtui_ends_and_the_agent_runs_on(pid, agents, db)


def test_wxtui_exits_when_its_input_reaches_eof(tmp_path: Path) -> None:
    marker = tmp_path / "eof-now"
    feeder = f"sh -c 'while [ ! -e {shlex.quote(str(marker))} ]; do sleep 0.05; done' | "
    tmux, root, db = _start(tmp_path, "loss-eof", "bash --norc --noprofile", stdin=feeder)
    try:
        pid = _find_wxtui(root)
        deadline = time.monotonic() + 10
        while not tmux.screen().strip() and time.monotonic() < deadline:
            time.sleep(0.05)
        marker.touch()  # The feeder exits: wxtui's input is at end of file.
        _assert_wxtui_ends_and_the_agent_runs_on(pid, _session_pids(db), db)
    finally:
        tmux.kill()


class _DeadTerminal:
    """A terminal that has gone away: every write fails as a hung-up tty's does."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")

    def fileno(self) -> int:
        return 1


def test_output_to_a_dead_terminal_never_blocks_the_app() -> None:
    """Textual's writer thread died on the first failed write, its bounded queue filled,
    and the next write (or stop at shutdown) blocked forever."""
    import threading

    from wxtui.app.textual_internals import DrainingWriterThread

    writer = DrainingWriterThread(_DeadTerminal())  # type: ignore[arg-type]
    writer.start()
    done = threading.Event()

    def write_a_lot_then_stop() -> None:
        for _ in range(1000):
            writer.write("frame")
        writer.stop()
        done.set()

    threading.Thread(target=write_a_lot_then_stop, daemon=True).start()
    assert done.wait(5), "writes or stop blocked"
    assert not writer.is_alive()


def test_terminal_gone_sees_a_hangup_without_reading(tmp_path: Path) -> None:
    from wxtui.app.terminal_driver import terminal_gone

    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"typed ahead")
        assert not terminal_gone(read_end)
        os.close(write_end)
        assert terminal_gone(read_end)
        assert os.read(read_end, 100) == b"typed ahead", "nothing was consumed"
    finally:
        os.close(read_end)
