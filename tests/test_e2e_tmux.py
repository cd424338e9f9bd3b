"""The installed ``wxtui`` in a real terminal (tmux), driven with send-keys and read with capture-pane."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FakeClaude
from wxtui.store import Store

WXTUI = str(Path(sys.executable).with_name("wxtui"))

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, root: Path) -> None:
        self.base = ["tmux", "-L", f"wxtui-e2e-{os.getpid()}", "-f", "/dev/null"]
        self.env = {k: v for k, v in os.environ.items() if k != "TMUX"}

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True, env=self.env
        ).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", "e2e", "-x", "160", "-y", "45", command)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")
            time.sleep(0.05)

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)


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
    tmux = Tmux(tmp_path)
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
        screen = tmux.wait_for("^[b^[f")
        assert "wxtui — beta" in screen
        # Quit: the app ends, every agent with it.
        tmux.keys("C-q")
        tmux.wait_for("wxtui-ended-0")
        for start in fake_claude.starts():
            with pytest.raises(ProcessLookupError):
                os.kill(start["pid"], 0)
    finally:
        tmux.kill()
