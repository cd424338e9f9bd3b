"""Faults, bad input and abuse: nothing lost, nothing leaked, the app keeps running."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import (
    RecordingSink,
    make_app,
    milestone_labels,
    pane,
    pane_text,
    project_label,
    wait_until,
    wait_until_sync,
    workspace,
)
from tests.support.tmux import Tmux
from wxtui.app.session_pane import SessionState
from wxtui.errors import WxtuiError
from wxtui.sessions.lock import LockHeld, ProjectLock
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.store import APPLICATION_ID, Store


def _children() -> set[int]:
    """Direct children of this process that still exist (including zombies)."""
    me = os.getpid()
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me:
                found.add(int(entry))
    return found


# -- child processes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("sh -c 'echo up; kill -9 $$'", -9),
        ("sh -c 'echo up; kill -SEGV $$'", -11),
        ("sh -c 'echo up; exit 0'", 0),
        ("sh -c 'echo up; exec 0<&- 1>&- 2>&-; sleep 0.3; exit 4'", 4),
    ],
)
async def test_crashing_children_are_contained(
    store: Store, tmp_path: Path, command: str, code: int
) -> None:
    crash = store.add_project("crash", workspace(tmp_path, "c"), command=command)
    steady = store.add_project(
        "steady", workspace(tmp_path, "s"), command="sh -c 'echo steady-up; exec cat'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        await app.show_project(steady.id)
        await wait_until(lambda: "steady-up" in pane_text(app, steady.id))
        await app.show_project(crash.id)
        await wait_until(lambda: pane(app, crash.id).state is SessionState.EXITED, message="exit")
        assert pane(app, crash.id).returncode == code
        assert f"exited with code {code}" in pane_text(app, crash.id)
        app.backend.write(steady.id, b"still here\r")
        await app.show_project(steady.id)
        await wait_until(lambda: "still here" in pane_text(app, steady.id))
        assert pane(app, steady.id).state is SessionState.RUNNING


async def test_program_dying_in_alternate_screen_restores_main_screen(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project(
        "tui",
        workspace(tmp_path, "t"),
        command="sh -c 'echo before; printf \"\\033[?1049h\\033[?1000h\\033[2Jfull screen\"; sleep 0.2; kill -9 $$'",
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        await app.show_project(project.id)
        await wait_until(lambda: pane(app, project.id).state is SessionState.EXITED)
        emulator = pane(app, project.id).view.emulator
        assert not emulator.screen.in_alternate_screen
        assert emulator.mouse_tracking == 0
        assert "before" in pane_text(app, project.id) and "full screen" not in pane_text(
            app, project.id
        )


async def test_flooding_session_does_not_starve_the_others(store: Store, tmp_path: Path) -> None:
    flood = store.add_project(
        "flood", workspace(tmp_path, "f"), command="sh -c 'while :; do echo flood; done'"
    )
    calm = store.add_project(
        "calm", workspace(tmp_path, "c"), command="sh -c 'echo calm-up; exec cat'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(flood.id)
        await app.show_project(calm.id)
        await wait_until(lambda: "calm-up" in pane_text(app, calm.id))
        await pilot.pause()
        for key in ("h", "e", "y", "enter"):
            await pilot.press(key)
        await wait_until(
            lambda: pane_text(app, calm.id).count("hey") >= 2, timeout=5, message="echo under flood"
        )
        assert "flood" in pane_text(app, flood.id)


async def test_child_that_never_reads_its_input(store: Store, tmp_path: Path) -> None:
    """Megabytes typed into an agent that reads nothing: the host refuses the input in
    that pane; the connection, and every other pane, keep working."""
    project = store.add_project(
        "deaf", workspace(tmp_path, "d"), command="sh -c 'echo deaf-up; exec sleep 60'"
    )
    steady = store.add_project(
        "steady", workspace(tmp_path, "s"), command="sh -c 'echo steady-up; exec cat'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(steady.id)
        await wait_until(lambda: "steady-up" in pane_text(app, steady.id))
        await app.show_project(project.id)
        await wait_until(lambda: "deaf-up" in pane_text(app, project.id))
        view = pane(app, project.id).view
        for _ in range(8):
            view.paste("x" * 1_000_000)
        await wait_until(
            lambda: "input refused" in pane_text(app, project.id), message="refused in the pane"
        )
        assert "not reading its input" in pane_text(app, project.id)
        assert app.backend.is_alive(project.id)
        await pilot.press("ctrl+right_square_bracket")
        assert app.focused is app.project_tree, "the app still answers"
        await app.show_project(steady.id)
        await pilot.press(*"still here", "enter")
        await wait_until(
            lambda: pane_text(app, steady.id).count("still here") >= 2,
            message="another session still echoes",
        )


async def test_invalid_utf8_and_random_bytes(store: Store, tmp_path: Path) -> None:
    script = "import os, random; r = random.Random(7); os.write(1, bytes(r.randrange(256) for _ in range(200000))); os.write(1, b'\\r\\nsurvived\\r\\n')"
    project = store.add_project(
        "noise", workspace(tmp_path, "n"), command=f"{sys.executable} -c '{script}'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        await app.show_project(project.id)
        await wait_until(
            lambda: "survived" in pane_text(app, project.id), message="text after noise"
        )


async def test_many_start_stop_cycles_leak_nothing(store: Store, tmp_path: Path) -> None:
    project = store.add_project("cycle", str(tmp_path), command="sh -c 'echo up; exec sleep 60'")
    sessions = ProjectSessions(store)

    async def cycle() -> None:
        sink = RecordingSink()
        await sessions.start(project.id, sink, 24, 80)
        await wait_until(lambda: b"up" in sink.output)
        await sessions.stop(project.id, grace=0.5)

    await cycle()  # What lives as long as the sessions do (the database writer) is open.
    fds_before = len(os.listdir("/proc/self/fd"))
    children_before = _children()
    for _ in range(199):
        await cycle()
    assert len(os.listdir("/proc/self/fd")) == fds_before
    assert _children() == children_before


async def test_exception_in_output_handling_stays_in_its_pane(store: Store, tmp_path: Path) -> None:
    class BrokenSink(RecordingSink):
        def feed(self, data: bytes) -> None:
            raise RuntimeError("renderer exploded")

    broken = store.add_project(
        "broken", workspace(tmp_path, "b"), command="sh -c 'echo x; exec cat'"
    )
    fine = store.add_project(
        "fine", workspace(tmp_path, "f"), command="sh -c 'echo fine-up; exec cat'"
    )
    sessions = ProjectSessions(store)
    bad, good = BrokenSink(), RecordingSink()
    await sessions.start(broken.id, bad, 24, 80)
    await sessions.start(fine.id, good, 24, 80)
    await wait_until(lambda: bool(bad.notices) and b"fine-up" in good.output)
    assert "renderer exploded" in bad.notices[0]
    await sessions.stop_all(0.5)


async def test_fuzzed_keys_and_pastes_into_a_live_session(store: Store, tmp_path: Path) -> None:
    project = store.add_project(
        "fuzz", workspace(tmp_path, "z"), command="sh -c 'echo fuzz-up; exec cat'"
    )
    app = make_app(store)
    keys = [
        "a",
        "Z",
        "enter",
        "tab",
        "shift+tab",
        "escape",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "delete",
        "backspace",
        "ctrl+a",
        "ctrl+e",
        "ctrl+u",
        "alt+b",
        "f5",
        "f12",
        "ctrl+left",
        "shift+up",
        "space",
        "exclamation_mark",
        "é",
    ]
    rng = random.Random(11)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(project.id)
        await wait_until(lambda: "fuzz-up" in pane_text(app, project.id))
        await pilot.pause()
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            if rng.random() < 0.1:
                pane(app, project.id).view.paste(
                    "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(200)))
                )
            else:
                await pilot.press(rng.choice(keys))
        await pilot.pause()
        assert app.is_running and pane(app, project.id).state is SessionState.RUNNING


# -- the app itself ---------------------------------------------------------------------


@pytest.mark.skipif(
    subprocess.run(["which", "tmux"], capture_output=True).returncode, reason="no tmux"
)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_agents_outlive_a_killed_wxtui_and_the_next_one_shows_them(
    tmp_path: Path, fake_claude, signum: int
) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        project = store.add_project("p", str(tmp_path))
    wxtui = str(Path(sys.executable).with_name("wxtui"))
    env = " ".join(
        f"{k}={v}"
        for k, v in {
            "PATH": os.environ["PATH"],
            "CLAUDE_CONFIG_DIR": os.environ["CLAUDE_CONFIG_DIR"],
            "FAKE_CLAUDE_LOG": str(fake_claude.log),
            "WXTUI_LOG": os.environ["WXTUI_LOG"],
            "WXTUI_RUNTIME_DIR": os.environ["WXTUI_RUNTIME_DIR"],
            "TERM": "xterm-256color",
        }.items()
    )
    tmux = Tmux("reliability")
    tmux.start(f"env {env} {wxtui} --db {db} --open p; echo wxtui-gone; sleep 60")
    try:
        wait_until_sync(lambda: len(fake_claude.starts()) == 1, message="agent started")
        tmux.wait_for("FAKE-CLAUDE")
        agent = fake_claude.starts()[0]["pid"]
        tui = _pid_of(f"--db {db} --open p")
        os.kill(tui, signum)
        screen = tmux.wait_for("wxtui-gone")
        if signum == signal.SIGTERM:
            assert "1 agent keeps running; `wxtui host stop` ends it" in screen
        os.kill(agent, 0)  # Still running.
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        # The next wxtui shows the agent's screen as it is, from the same process.
        tmux.kill()
        tmux = Tmux("reliability-again")
        tmux.start(f"env {env} {wxtui} --db {db} --open p; sleep 60")
        tmux.wait_for(f"FAKE-CLAUDE pid={agent}")
        assert len(fake_claude.starts()) == 1, "no second agent"
    finally:
        tmux.kill()
        stopped = subprocess.run(
            [wxtui, "--db", str(db), "host", "stop"], capture_output=True, text=True
        )
        assert stopped.returncode == 0, stopped.stderr
    with pytest.raises(ProcessLookupError):
        os.kill(agent, 0)
    with Store.open(db) as store:
        assert store.get_project(project.id).claude_session_id is not None


def _pid_of(command_part: str) -> int:
    """The pid of the one process whose command line contains ``command_part``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if command_part in cmdline and "env " not in cmdline:
                found.append(int(entry.name))
    assert len(found) == 1, found
    return found[0]


# -- the database -------------------------------------------------------------------------


def test_full_disk_is_a_clear_error_with_no_partial_write(tmp_path: Path) -> None:
    path = tmp_path / "wxtui.db"
    with Store.open(path) as store:
        project = store.add_project("p", str(tmp_path))
        count = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {count + 1}")
        with pytest.raises(WxtuiError, match="database write failed"):
            for i in range(1000):
                store.add_milestone(project.id, "x" * 5000 + str(i), "y" * 5000)
        written = len(store.list_milestones(project.id))
    with Store.open(path) as store:
        assert len(store.list_milestones(project.id)) == written
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_location(tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(WxtuiError, match="cannot open database"):
        Store.open(locked / "wxtui.db")


def test_read_only_database_file_refuses_writes_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "wxtui.db"
    Store.open(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    store = Store(conn, path)
    with pytest.raises(WxtuiError, match="database write failed"):
        store.add_project("p", str(tmp_path))
    conn.close()


def test_schema_version_1_fixture_opens_with_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        f"""
        CREATE TABLE output_projects (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
            workspace_path TEXT NOT NULL, command TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'created', claude_session_id TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE milestones (id TEXT PRIMARY KEY, output_project_id TEXT NOT NULL
            REFERENCES output_projects(id) ON DELETE CASCADE, element_name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending', prompt TEXT, created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, completed_at TEXT);
        INSERT INTO output_projects VALUES ('abcd1234', 'old', '/tmp', '', 'active',
            '11111111-2222-4333-8444-555555555555', '2026-01-01', '2026-01-01');
        INSERT INTO milestones VALUES ('m1', 'abcd1234', 'kept', 'completed', 'p', '2026-01-01',
            '2026-01-01', '2026-01-02');
        PRAGMA application_id = {APPLICATION_ID};
        PRAGMA user_version = 1;
        """
    )
    conn.close()
    with Store.open(path) as store:
        project = store.get_project("abcd1234")
        assert project.claude_session_id == "11111111-2222-4333-8444-555555555555"
        assert [m.element_name for m in store.list_milestones(project.id)] == ["kept"]


def test_lock_of_a_dead_process_never_blocks(tmp_path: Path) -> None:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from wxtui.sessions.lock import ProjectLock\n"
        "ProjectLock(Path(sys.argv[1]), 'p').acquire(); print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path), str(Path.cwd())],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            ProjectLock(tmp_path, "p").acquire()
        holder.kill()
        holder.wait()
        lock = ProjectLock(tmp_path, "p")
        lock.acquire()
        assert lock.held
        assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(lock.path.parent.stat().st_mode) == 0o700
        lock.release()
    finally:
        holder.kill()
        holder.wait()


# -- bad input and abuse --------------------------------------------------------------------


def test_hostile_names_are_stored_as_given_and_rendered_inert(store: Store, tmp_path: Path) -> None:
    odd_dir = tmp_path / "dir with spaces 'quotes' \"double\" ünïcode"
    odd_dir.mkdir()
    hostile = "evil\x1b]52;c;cHduZWQ=\x07\x1b[31mred\x07\x00name"
    huge = "n" * 10_000
    a = store.add_project(hostile, str(odd_dir))
    b = store.add_project(huge, str(odd_dir))
    assert store.get_project(a.id).name == hostile
    assert store.get_project(b.id).name == huge
    assert store.get_project(a.id).workspace_path == str(odd_dir)


async def test_hostile_names_in_the_sidebar_hold_no_control_characters(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project("evil\x1b]0;pwned\x07\x1b[2J\x9b31m", str(tmp_path))
    store.add_milestone(project.id, "m\x1b[5n\r\n", "\x1b[201~prompt\x00")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for label in (project_label(app, project.id), *milestone_labels(app, project.id)):
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in label)
        for y in range(5):
            strip = app.project_tree.render_line(y)
            assert not any(
                ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for seg in strip for ch in seg.text
            )


async def test_metacharacters_in_paths_never_run_anything(store: Store, tmp_path: Path) -> None:
    odd = tmp_path / "x; touch pwned; $(touch pwned) `touch pwned`"
    odd.mkdir()
    project = store.add_project("$(touch pwned)", str(odd), command="sh -c 'pwd; echo args-ok'")
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await sessions.start(project.id, sink, 24, 80)
    await wait_until(lambda: b"args-ok" in sink.output)
    await sessions.stop_all(0.5)
    assert str(odd).encode() in sink.output.replace(b"\r\n", b"")
    assert not (odd / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_the_suite_writes_nothing_of_the_users_own(private_user_dirs: Path) -> None:
    from wxtui.logs import log_path
    from wxtui.sessions.runtime import runtime_dir
    from wxtui.store import default_db_path

    for path in (log_path(), runtime_dir(os.environ), default_db_path(None, os.environ)):
        assert private_user_dirs in path.parents, path
