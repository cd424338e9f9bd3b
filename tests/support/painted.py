"""What is painted, compared with a real terminal.

The widget's model can be right while the screen is wrong (rows never repainted), so
these helpers read what the app actually sent to its terminal: a Textual driver that
records every write into a separate terminal emulator, the "glass". A program runs
in the app's pane and, at the same size, in tmux; after every step both screens must
show the same text.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.drivers.headless_driver import HeadlessDriver

from tests.support.terminal_app import TerminalApp
from wxtui.terminal.emulator import TerminalEmulator

PROGRAMS = Path(__file__).parent / "programs"


class Glass:
    """The outer terminal the app paints on: every byte the app writes, parsed."""

    def __init__(self, columns: int, lines: int) -> None:
        self.emulator = TerminalEmulator(columns, lines, scrollback=0)

    def rows(
        self, left: int = 0, top: int = 0, width: int | None = None, height: int | None = None
    ) -> list[str]:
        display = self.emulator.display()
        width = len(display[0]) - left if width is None else width
        height = len(display) - top if height is None else height
        return [row[left : left + width].rstrip() for row in display[top : top + height]]

    def driver_class(self) -> type[HeadlessDriver]:
        glass = self

        class GlassDriver(HeadlessDriver):
            """Headless input, but output goes to the glass as to a real terminal."""

            @property
            def is_headless(self) -> bool:
                return False

            def write(self, data: str) -> None:
                glass.emulator.feed_text(data)

        return GlassDriver


class TmuxTerminal:
    """One program in tmux at a fixed size, fed raw bytes, read with capture-pane."""

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], columns: int, lines: int, cwd: Path
    ) -> None:
        self.socket = f"wxtui-painted-{os.getpid()}-{id(self)}"
        config = Path(tempfile.mkdtemp(prefix="wxtui-tmux-")) / "tmux.conf"
        config.write_text("set -g status off\nset -g escape-time 0\nset -g history-limit 0\n")
        self.base = ["tmux", "-L", self.socket, "-f", str(config)]
        self.env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        command = clean_command(env, *argv)
        self._run(
            "new-session",
            "-d",
            "-s",
            "p",
            "-x",
            str(columns),
            "-y",
            str(lines),
            "-c",
            str(cwd),
            command,
        )

    def _run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True, env=self.env
        ).stdout

    def send(self, data: bytes) -> None:
        self._run("send-keys", "-t", "p", "-H", *(f"{byte:02x}" for byte in data))

    def rows(self) -> list[str]:
        text = self._run("capture-pane", "-p", "-t", "p")
        return [row.rstrip() for row in text.split("\n")[:-1]]

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)


PRIVATE_VARIABLES = (
    "WXTUI_RUNTIME_DIR",
    "WXTUI_LOG",
    "WXTUI_CONFIG",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
)


def program_env(home: Path) -> dict[str, str]:
    """The same small, predictable environment for the program on both sides."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PS1": "$ ",
        "LESSHISTFILE": "-",
        "LESS": "",
        # capture-pane prints DEC line drawing as the letters that select it.
        "NCURSES_NO_UTF8_ACS": "1",
        # The suite's private folders (and so its session hosts, which it stops).
        **{name: os.environ[name] for name in PRIVATE_VARIABLES if name in os.environ},
    }


def clean_command(env: dict[str, str], *argv: str) -> str:
    """A shell command running ``argv`` with exactly ``env`` (nothing of this process's)."""
    return shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv])


def diff_rows(painted: list[str], tmux: list[str]) -> str:
    lines = []
    for y in range(max(len(painted), len(tmux))):
        a = painted[y] if y < len(painted) else "<none>"
        b = tmux[y] if y < len(tmux) else "<none>"
        mark = "  " if a == b else "!!"
        lines.append(f"{mark} {y:2d} painted |{a}\n{mark} {y:2d} tmux    |{b}")
    return "\n".join(lines)


class PaintedComparison:
    """A program in the widget (read off the glass) and in tmux, stepped together."""

    def __init__(
        self,
        argv: Sequence[str],
        tmp_path: Path,
        columns: int = 80,
        lines: int = 24,
        env: dict[str, str] | None = None,
        mask: Callable[[str], str] | None = None,
    ) -> None:
        self.columns, self.lines = columns, lines
        self.mask = mask or (lambda row: row)
        env = {**program_env(tmp_path), **(env or {})}
        self.glass = Glass(columns, lines)
        self.app = TerminalApp(list(argv), env=env, cwd=str(tmp_path))
        self.app.driver_class = self.glass.driver_class()
        self.tmux = TmuxTerminal(argv, env, columns, lines, tmp_path)
        self.steps = 0

    async def send(self, data: bytes, settle: str | None = None, timeout: float = 10.0) -> None:
        """Send one step to both programs, then wait until both screens agree."""
        self.steps += 1
        assert self.app.pty is not None
        self.app.pty.write(data)
        self.tmux.send(data)
        await self.agree(settle, timeout)

    def quit(self, data: bytes) -> None:
        """The last step: the programs end, there is nothing more to compare."""
        assert self.app.pty is not None
        self.app.pty.write(data)
        self.tmux.send(data)

    async def agree(self, settle: str | None = None, timeout: float = 10.0) -> None:
        """Both screens show the same text (and ``settle``, when given) within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            painted = [self.mask(row) for row in self.glass.rows()]
            tmux = [self.mask(row) for row in await asyncio.to_thread(self.tmux.rows)]
            if painted == tmux and (settle is None or any(settle in row for row in tmux)):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"after step {self.steps} the painted pane differs from tmux:\n"
                    + diff_rows(painted, tmux)
                )
            await asyncio.sleep(0.03)

    def close(self) -> None:
        self.tmux.kill()


def python_program(name: str, *args: str) -> list[str]:
    return [sys.executable, str(PROGRAMS / name), *args]
