"""The installed ``wxtui`` in a real terminal (tmux), driven with send-keys and read with capture-pane."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import FakeClaude, stop_host
from tests.support.painted import TmuxTerminal, clean_command, diff_rows, program_env
from tests.support.tmux import Tmux
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store

WXTUI = str(Path(sys.executable).with_name("wxtui"))

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_open_type_switch_and_quit_in_a_real_terminal(
    tmp_path: Path, fake_claude: FakeClaude
) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        alpha = store.add_project("alpha", str(tmp_path))
        store.add_milestone(alpha.id, "first milestone")
        store.add_milestone(alpha.id, "second milestone")
        store.add_project("beta", str(tmp_path))
    env = {
        "PATH": os.environ["PATH"],
        "CLAUDE_CONFIG_DIR": os.environ["CLAUDE_CONFIG_DIR"],
        "FAKE_CLAUDE_LOG": str(fake_claude.log),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    command = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), WXTUI, "--db", str(db)])
    tmux = Tmux("e2e")
    try:
        tmux.start(command + "; echo wxtui-ended-$?; sleep 60")
        tmux.wait_for("first milestone")
        # Open the first milestone: alpha's session starts and takes the focus.
        tmux.keys("Down", "Enter")
        screen = tmux.wait_for("FAKE-CLAUDE pid=")
        pid = screen.split("FAKE-CLAUDE pid=")[1].split()[0]
        tmux.keys("hello agent", "Enter")
        tmux.wait_for("echo: hello agent")
        # Back to the sidebar, the other milestone: same process, same screen.
        tmux.keys("C-]")
        time.sleep(0.2)
        tmux.keys("Down", "Down", "Enter")
        time.sleep(0.3)
        screen = tmux.wait_for("echo: hello agent")
        assert f"FAKE-CLAUDE pid={pid}" in screen
        assert len(fake_claude.starts()) == 1
        # Another project with alt+2 from inside the terminal: another process.
        tmux.keys("M-2")
        deadline = time.monotonic() + 15
        while len(fake_claude.starts()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(fake_claude.starts()) == 2
        tmux.wait_for("wxtui — beta")
        # Meta keys reach the agent as ESC-prefixed bytes (the tty echoes ESC as ^[).
        tmux.keys("M-b", "M-f", "M-1")
        tmux.wait_for("wxtui — alpha")
        tmux.keys("C-]")
        time.sleep(0.2)
        tmux.keys("Down", "Down", "Down", "Enter")  # alpha, first, second, beta
        tmux.wait_for("^[b^[f")
        tmux.wait_for("wxtui — beta")  # The header may follow the pane by a frame.
        # Quit: the app ends and says so; the agents keep running in the session host.
        tmux.keys("C-q")
        screen = tmux.wait_for("wxtui-ended-0")
        line = "wxtui: 2 agents keep running; `wxtui host stop` ends them"
        assert line in screen and len(line) <= 80, "one line, whole at 80 columns"
        for start in fake_claude.starts():
            os.kill(start["pid"], 0)
    finally:
        tmux.kill()
        subprocess.run([WXTUI, "--db", str(db), "host", "stop"], capture_output=True)
    for start in fake_claude.starts():
        with pytest.raises(ProcessLookupError):
            os.kill(start["pid"], 0)


def test_the_installed_app_paints_what_bash_drew(tmp_path: Path) -> None:
    """The app's pane, read off the real terminal, against bash in tmux at the pane's size,
    after every command."""
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project("shell", str(tmp_path), command="bash --norc --noprofile")
    env = program_env(tmp_path)
    command = clean_command(env, WXTUI, "--db", str(db))
    app = Tmux("painted-app")
    peer: TmuxTerminal | None = None
    try:
        app.start(command, 100, 30)
        app.wait_for("shell")
        app.keys("Enter")
        app.wait_for("$")
        app.keys("stty size", "Enter")
        deadline = time.monotonic() + 10
        while not (size := re.search(r"(\d+) (\d+)", app.screen())):
            assert time.monotonic() < deadline, "stty size printed nothing"
            time.sleep(0.05)
        rows, columns = int(size[1]), int(size[2])
        top, left = 1, 100 - columns
        peer = TmuxTerminal(["bash", "--norc", "--noprofile"], env, columns, rows, tmp_path)

        def pane() -> list[str]:
            screen = app.screen().split("\n")
            return [row[left:].rstrip() for row in screen[top : top + rows]]

        def agree(step: str) -> None:
            deadline = time.monotonic() + 10
            while (painted := pane()) != (expected := peer.rows()):
                if time.monotonic() > deadline:
                    raise AssertionError(f"after {step!r}:\n" + diff_rows(painted, expected))
                time.sleep(0.05)

        for step in ["clear", "seq 1 60", "echo one", "printf 'a\\nb\\n'", "seq 1 3", "clear"]:
            app.keys(step, "Enter")
            peer.send(step.encode() + b"\r")
            agree(step)
        for i in range(rows + 3):
            app.keys(f"echo line {i}", "Enter")
            peer.send(f"echo line {i}\r".encode())
            agree(f"echo line {i}")
        app.keys("C-q")
    finally:
        app.kill()
        stop_host(host_socket_path(db))
        if peer is not None:
            peer.kill()


def test_the_child_sees_the_pane_not_the_outer_terminal(tmp_path: Path) -> None:
    """wxtui runs inside tmux here, as many users run it: the agent must not believe it
    runs in tmux (or whatever terminal wxtui itself is in)."""
    db = tmp_path / "wxtui.db"
    probe = "env | grep -E '^(TMUX|TERM|COLORTERM|STY|KITTY)' | sort; echo env-done; exec cat"
    with Store.open(db) as store:
        store.add_project("probe", str(tmp_path), command=shlex.join(["sh", "-c", probe]))
    outer = {"KITTY_WINDOW_ID": "1", "STY": "123.pts-0", "TERM_PROGRAM": "kitty"}
    env = {**program_env(tmp_path), **outer}
    command = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), WXTUI, "--db", str(db)])
    app = Tmux("child-env")
    try:
        app.start(command, 120, 30)
        app.wait_for("probe")
        app.keys("Enter")
        screen = app.wait_for("env-done")
        assert "TERM_PROGRAM=wxtui" in screen
        assert "TERM_PROGRAM_VERSION=" in screen
        assert "TERM=xterm-256color" in screen
        assert "COLORTERM=truecolor" in screen
        for name in ("TMUX=", "TMUX_PANE=", "STY=", "KITTY_WINDOW_ID="):
            assert name not in screen, screen
        app.keys("C-q")
    finally:
        app.kill()
        stop_host(host_socket_path(db))


def test_keys_in_one_burst_go_where_they_would_go_one_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        for name in ("alpha", "beta", "gamma"):
            store.add_project(name, str(tmp_path), command="bash --norc --noprofile")
        store.add_milestone(store.list_projects()[0].id, "first step")
    env = program_env(tmp_path)
    command = clean_command(env, WXTUI, "--db", str(db))
    app = Tmux("burst")
    try:
        app.start(command, 80, 24)
        app.wait_for("gamma")
        screen = app.wait_for("f1 Help")
        footer = screen.rstrip("\n").split("\n")[-1]
        assert "^q Quit" in footer and "f1 Help" in footer, "the footer keeps Quit and Help"
        keys = footer.split("▏")[0].split()
        assert footer.rstrip().endswith("^p palette") and keys[-2:] == ["Add", "project"], (
            f"whole keys only, none cut at the edge: {footer!r}"
        )
        # One call: open alpha, back to the sidebar, two lines down (first step, beta).
        app.keys("Enter", "C-]", "Down", "Down")
        app.wait_for("wxtui — alpha")
        app.keys("Enter", "e", "c", "h", "o", " ", "b", "u", "r", "s", "t", "Enter")
        app.wait_for("wxtui — beta")
        screen = app.wait_for("▎burst")
        assert "^[[B" not in screen, "the arrows never reached a shell"
        app.keys("C-]", "Up", "Up", "Enter")
        app.wait_for("wxtui — alpha")
        deadline = time.monotonic() + 10
        while "burst" in (screen := app.screen()):  # Until alpha's pane is painted.
            assert time.monotonic() < deadline, screen
            time.sleep(0.05)
        assert "^[[B" not in screen, "alpha's shell got nothing"
        # Filter, leave the box, move and open, in one call: gamma's session opens.
        app.keys("C-]", "/", "g", "a", "m", "Enter", "Down", "Up", "Enter", "e", "c", "h", "o")
        app.wait_for("wxtui — gamma")
        app.wait_for("$ echo")
        app.keys("C-q")
    finally:
        app.kill()
        stop_host(host_socket_path(db))


def test_attach_from_a_plain_terminal_detach_and_attach_again(tmp_path: Path) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project(
            "shell", str(tmp_path), command="sh -c 'echo session-ready; exec bash --norc'"
        )
    env = program_env(tmp_path)
    shell = clean_command(env, "bash", "--norc")
    term = Tmux("attach")
    try:
        term.start(shell, 80, 24)
        attach = shlex.join([WXTUI, "--db", str(db), "attach", "shell"])
        term.keys(attach, "Enter")
        term.wait_for("session-ready")
        title = term.run("display-message", "-p", "-t", term.name, "#{pane_title}")
        assert "wxtui: shell (ctrl+] detaches)" in title, "the way out is on show"
        term.keys("seq 1 40; clear", "Enter")  # Scrolling, then a cleared screen.
        deadline = time.monotonic() + 10
        while "seq 1 40" in (screen := term.screen()):
            assert time.monotonic() < deadline, screen
            time.sleep(0.05)
        last = term.screen().rstrip("\n").split("\n")[-1]
        assert last.strip() == "wxtui: shell (ctrl+] detaches)", "a status line, as tmux has"
        term.keys("echo typed-$((6*7))", "Enter")
        term.wait_for("typed-42")
        term.keys("C-]")
        term.wait_for("wxtui: detached; the session keeps running")
        term.keys("clear", "Enter")
        term.keys(attach, "Enter")
        screen = term.wait_for("typed-42")  # The session's screen, as it was.
        assert "echo typed-$((6*7))" in screen
        term.keys("exit", "Enter")
        term.wait_for("wxtui: the session ended (exit code 0)")
    finally:
        term.kill()
        stop_host(host_socket_path(db))


LONG_HISTORY = """
import os, sys, time
def lines(numbers):
    for n in numbers:
        print(f"\\x1b[3{n % 8}mline {n:05}\\x1b[0m " + "".join(
            f"\\x1b[38;5;{(n + i) % 256}m#" for i in range(30)) + "\\x1b[0m")
lines(range(2000))
sys.stdout.flush()
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
lines(range(2000, 6000))
print("history-done")
"""


def test_attach_to_a_long_colourful_history_brings_it_whole_and_in_order(
    tmp_path: Path,
) -> None:
    """The history comes in pieces (each loads in a turn of its own), then output as
    it comes, or a catch-up when the terminal falls behind: the terminal's own history
    gets every line once, in order, and then the screen."""
    script = tmp_path / "long.py"
    script.write_text(LONG_HISTORY)
    go = tmp_path / "go"
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        printer = shlex.join([sys.executable, str(script), str(go)])
        store.add_project(
            "long", str(tmp_path), command=f"sh -c {shlex.quote(printer + '; exec cat')}"
        )
    env = program_env(tmp_path)
    try:
        subprocess.run([WXTUI, "--db", str(db), "session", "start", "long"], check=True, env=env)
        term = Tmux("attach-long")
        try:
            term.start(clean_command(env, "bash", "--norc"), 80, 24, history=10_000)
            term.keys(shlex.join([WXTUI, "--db", str(db), "attach", "long"]), "Enter")
            term.wait_for("line 01999")
            go.touch()
            term.wait_for("history-done")
            numbers = [int(n) for n in re.findall(r"^line (\d{5}) #{30}$", term.history(), re.M)]
            assert numbers == list(range(6000))
            assert term.screen().split("\n")[-4:-2] == ["history-done", ""], "then the screen"
        finally:
            term.kill()
    finally:
        stop_host(host_socket_path(db))


def test_attach_refuses_a_host_of_another_version_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project("shell", str(tmp_path), command="sh -c 'echo up; exec cat'")
    # This attach believes it is another version than the host it starts.
    attach = (
        "import sys; import wxtui.sessions.client as c; c.__version__ = '0.0.0-other'; "
        "from wxtui.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    command = shlex.join([sys.executable, "-c", attach, "--db", str(db), "attach", "shell"])
    term = Tmux("attach-version")
    try:
        term.start(f"{command}; echo exit-$?; sleep 60", 100, 24)
        screen = term.wait_for("exit-1")
        assert "wxtui: error: the session host runs wxtui" in screen
    finally:
        term.kill()
        stop_host(host_socket_path(db))


@pytest.mark.skipif(shutil.which("vttest") is None, reason="vttest is not installed")
def test_vttest_comes_up_on_a_fresh_host_every_time(tmp_path: Path) -> None:
    """vttest waits for its terminal's device attributes before it draws its menu: the
    session host answers at once, whether the UI is attached yet or not."""
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project("vt", str(tmp_path), command="vttest")
    env = program_env(tmp_path)
    command = clean_command(env, WXTUI, "--db", str(db), "--open", "vt")
    for attempt in range(4):
        app = Tmux(f"vttest-{attempt}")
        try:
            app.start(command, 120, 36)
            app.wait_for("VT100 test program", timeout=10)
            app.wait_for("Choose test type")
            app.keys("C-q")
        finally:
            app.kill()
            stop_host(host_socket_path(db))


@pytest.mark.parametrize(("columns", "lines"), [(80, 24), (160, 45)])
def test_the_help_wraps_each_description_in_its_own_column(
    tmp_path: Path, columns: int, lines: int
) -> None:
    db = tmp_path / "wxtui.db"
    Store.open(db).close()
    app = Tmux(f"help-{columns}")
    try:
        app.start(clean_command(program_env(tmp_path), WXTUI, "--db", str(db)), columns, lines)
        app.wait_for("No projects yet")
        app.keys("F1")
        screen = app.wait_for("wxtui keys")
        rows = screen.split("\n")
        quit_row = next(i for i, row in enumerate(rows) if "ctrl+q" in row)
        column = rows[quit_row].index("quit;")
        for row in rows[quit_row : quit_row + 12]:
            text = row.strip("█ ")
            if text and not text.startswith(("ctrl", "F", "alt", "Sidebar", "up")):
                assert row.index(text[0]) == column, f"a description left its column:\n{screen}"
        assert "wheelscroll" not in screen
    finally:
        app.kill()


def test_a_form_typed_in_one_burst_fills_each_field(tmp_path: Path) -> None:
    """Tab in a burst moves on before the next characters arrive (a paste or a script
    drives forms this way), in "Add project" and "Add milestone" alike."""
    db = tmp_path / "wxtui.db"
    work = tmp_path / "ws"
    work.mkdir()
    with Store.open(db) as store:
        store.add_project("seed", str(tmp_path), command="bash --norc --noprofile")
    command = clean_command(program_env(tmp_path), WXTUI, "--db", str(db))
    app = Tmux("form-burst")
    try:
        app.start(command, 80, 24)
        app.wait_for("seed")
        app.keys("a")
        app.wait_for("Add project")
        app.keys("burst1", "Tab", "C-u", str(work), "Tab", "C-u", "bash", "C-s")
        app.wait_for("burst1")
        app.keys("m")
        app.wait_for("Add milestone")
        app.keys("step one", "Tab", "do the thing", "C-s")
        app.wait_for("step one")
        app.keys("C-q")
    finally:
        app.kill()
        stop_host(host_socket_path(db))
    with Store.open(db) as store:
        project = store.find_project("burst1")
        assert (project.workspace_path, project.command) == (str(work), "bash")
        (milestone,) = store.list_milestones(project.id)
        assert (milestone.element_name, milestone.prompt) == ("step one", "do the thing")


@pytest.mark.parametrize(("columns", "lines"), [(80, 24), (200, 50)])
def test_a_milestone_reviewed_in_the_installed_app(
    tmp_path: Path, columns: int, lines: int
) -> None:
    """p sends a milestone's prompt to an agent that edits, adds and deletes files; v
    shows exactly those files; a line comment reaches the agent; a approves. The user's
    git state is the same before and after."""
    from tests.integration.test_milestone_review import _user_state
    from tests.support.git_repo import editing_agent, repository

    workspace = repository(tmp_path / "ws", {"a.txt": "one\ntwo\nthree\n", "old.txt": "old\n"})
    agent = editing_agent(tmp_path)
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        project = store.add_project("rv", str(workspace), command=str(agent))
        milestone = store.add_milestone(project.id, "first", prompt="the first")
    before = _user_state(workspace)
    app = Tmux(f"review-{columns}")
    try:
        app.start(clean_command(program_env(tmp_path), WXTUI, "--db", str(db)), columns, lines)
        app.wait_for("first")
        app.keys("j", "p")  # The milestone's prompt: the agent edits.
        deadline = time.monotonic() + 15
        while "did the first" not in _host_screen(db):
            assert time.monotonic() < deadline, "the agent never got the prompt"
            time.sleep(0.1)
        app.keys("v")
        screen = app.wait_for("old.txt")
        assert "M a.txt" in screen and "A new.txt" in screen and "D old.txt" in screen
        assert "TWO" in screen
        app.keys("j", "j")  # Onto "two" (unified) or past "TWO" (side by side): a line.
        app.keys("c")
        app.wait_for("Comment on a.txt:")
        app.keys("looks odd", "C-s")
        app.wait_for("1 comment(s)")
        app.keys("s")
        deadline = time.monotonic() + 15
        while "got: - a.txt:" not in _host_screen(db):
            assert time.monotonic() < deadline, "the comment never reached the agent"
            time.sleep(0.1)
        app.keys("a")
        app.wait_for("approved")
        app.keys("C-q")
    finally:
        app.kill()
        stop_host(host_socket_path(db))
    with Store.open(db) as store:
        assert store.get_milestone(milestone.id).status == "completed"
    assert _user_state(workspace)[1:] == before[1:]


def _host_screen(db: Path) -> str:
    import asyncio

    from tests.integration.test_session_commands import _attach
    from wxtui.sessions.client import HostUnavailable

    async def read() -> str:
        try:
            client, watcher = await _attach(db, "rv")
        except HostUnavailable:
            return ""  # Not started yet.
        try:
            return watcher.text()
        finally:
            await client.close()

    return asyncio.run(read())


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_the_ui_follows_sessions_whoever_starts_and_stops_them(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """In a real terminal at 80x24 and 160x45: every project has a number (typing 1, 2
    goes to the twelfth); a session started from the command line shows as running, one
    stopped with the host as stopped (not a red exit); quitting with one agent running
    says so in one line."""
    db = tmp_path / "wxtui.db"
    cat = "sh -c 'echo ready; exec cat'"
    with Store.open(db) as store:
        for number in range(1, 13):
            store.add_project(f"p{number:02}", str(tmp_path), command=cat)
    env = program_env(tmp_path)
    tmux = Tmux("follows")
    try:
        tmux.start(clean_command(env, WXTUI, "--db", str(db)) + "; sleep 60", *size)
        tmux.wait_for("12 ○ p12")
        tmux.keys("1", "2", "Enter")  # The twelfth project, opened.
        tmux.wait_for("wxtui — p12")
        tmux.wait_for("ready")
        started = subprocess.run(
            [WXTUI, "--db", str(db), "session", "start", "p02"], capture_output=True, text=True
        )
        assert started.returncode == 0, started.stderr
        screen = tmux.wait_for(" 2 ● p02")
        assert " 3 ○ p03" in screen
        subprocess.run([WXTUI, "--db", str(db), "host", "stop"], check=True, capture_output=True)
        screen = tmux.wait_for(" 2 ■ p02 stopped")
        assert "12 ■ p12 stopped" in screen and "exited" not in screen
        deadline = time.monotonic() + 10  # A stop is no news: nothing needs you.
        while "need you" in (screen := tmux.screen()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "need you" not in screen, screen
        assert "wxtui — p12" in screen.splitlines()[0] and "working" not in screen
        subprocess.run(
            [WXTUI, "--db", str(db), "session", "start", "p02"], check=True, capture_output=True
        )
        tmux.wait_for(" 2 ● p02")
        tmux.keys("C-q")
        screen = tmux.wait_for("keeps running")
        line = "wxtui: 1 agent keeps running; `wxtui host stop` ends it"
        assert line in screen
    finally:
        tmux.kill()
        stop_host(host_socket_path(db))


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_remotes_in_the_installed_app_and_attach(tmp_path: Path, size: tuple[int, int]) -> None:
    """The installed app in a real terminal with two remotes (second machines reached
    through ``wxtui host --stdio``): their projects under their names, one opened by
    number and typed into, its link killed mid-output and back with every line, the UI
    quit and reopened on it; then ``wxtui attach NAME:PROJECT`` from a plain terminal."""
    from tests.support.machines import fake_machine, kill_links

    config = tmp_path / "config.toml"
    shell = "env PS1='$ ' bash --norc --noprofile"
    machines = [fake_machine(tmp_path, name) for name in ("buildbox", "gpu")]
    for machine in machines:
        with machine.store() as store:
            store.add_project(f"{machine.name}-api", str(machine.workspace), command=shell)
        subprocess.run(
            [WXTUI, "remote", "add", machine.name, "--", machine.command],
            env={**os.environ, "WXTUI_CONFIG": str(config)},
            check=True,
            capture_output=True,
        )
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        store.add_project("local-app", str(tmp_path), command="sh -c 'echo ready; exec cat'")
    env = {**program_env(tmp_path), "WXTUI_CONFIG": str(config)}
    app = clean_command(env, WXTUI, "--db", str(db)) + "; sleep 60"
    tmux = Tmux("remotes")
    try:
        tmux.start(app, *size)
        screen = tmux.wait_for("3 ○ gpu-api")
        assert " 1 ○ local-app" in screen and "▾ buildbox" in screen and "▾ gpu" in screen
        tmux.keys("3", "Enter")
        tmux.wait_for("wxtui — gpu:gpu-api")
        tmux.wait_for("$")
        tmux.keys("for i in $(seq 1 30); do echo n-$i; sleep 0.1; done", "Enter")
        tmux.wait_for("n-3")
        assert kill_links(machines[1])
        tmux.wait_for("went away")
        tmux.wait_for("n-30", timeout=20)
        tmux.keys("C-q")
        deadline = time.monotonic() + 10
        while "gpu-api" in tmux.screen() and time.monotonic() < deadline:
            time.sleep(0.05)  # Until the app has quit (its state saved).
    finally:
        tmux.kill()
    again = Tmux("remotes-again")
    try:
        again.start(app, *size)
        again.wait_for("wxtui — gpu:gpu-api")  # The last session shown, shown again.
        again.wait_for("n-30")
    finally:
        again.kill()
    attach = Tmux("remote-attach")
    try:
        line = clean_command(env, WXTUI, "attach", "buildbox:buildbox-api")
        attach.start(line + "; echo attach-ended-$?; sleep 60", *size)
        attach.wait_for("ctrl+] detaches")
        attach.keys("echo attached-to-$HOME", "Enter")
        attach.wait_for("attached-to-/")  # (the path may wrap at 80 columns)
        assert "buildbox" in attach.screen().split("attached-to-/")[1]
        attach.keys("C-]")
        attach.wait_for("attach-ended-0")
    finally:
        attach.kill()
