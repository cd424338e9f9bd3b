"""The apps the benchmarks run: baselines of stock Textual, the textual-tty peer (an
optional, benchmark-only install) and our widget alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Tree

from benchmarks.measure import COLUMNS, LINES, MARKER
from wxtui.sessions.pty import BidirectionalPTY
from wxtui.terminal.widget import TerminalView


def flood_command(path: Path) -> list[str]:
    """A child that prints the corpus at ``path`` raw, then the marker, then waits."""
    return ["sh", "-c", f"stty -onlcr; cat {path}; printf '\\r\\n{MARKER}\\r\\n'; sleep 30"]


def type_key(app: App[Any], character: str) -> None:
    """What a terminal driver does with a key press: post it to the app (no Pilot waits)."""
    app.post_message(events.Key(character, character))


class BareApp(App[None]):
    """The least a Textual app can be: one input field."""

    def compose(self) -> ComposeResult:
        yield Input()


class StandardWidgetsApp(App[None]):
    """The stock widgets wxtui's layout uses (header, a tree, a footer with bindings)."""

    BINDINGS = [(key, "bell", key) for key in "amedptrs"]

    def compose(self) -> ComposeResult:
        yield Header()
        tree: Tree[None] = Tree("projects")
        for i in range(3):
            node = tree.root.add(f"project {i}", expand=True)
            for j in range(4):
                node.add_leaf(f"milestone {j}")
        yield tree
        yield Footer()


class FloodApp(App[None]):
    """Our terminal widget alone, fed by a child in a real pty."""

    def compose(self) -> ComposeResult:
        yield TerminalView()

    def flood(self, path: Path) -> BidirectionalPTY:
        view = self.query_one(TerminalView)
        return BidirectionalPTY.spawn(
            flood_command(path), rows=LINES, cols=COLUMNS, on_output=view.feed
        )


def textual_tty_installed() -> bool:
    try:
        import textual_tty  # noqa: F401
    except ImportError:
        return False
    return True


class PeerTerminalApp(App[None]):
    """textual-tty's ``Terminal`` widget running ``command``."""

    def __init__(self, command: list[str]) -> None:
        super().__init__()
        self.command = command

    def compose(self) -> ComposeResult:
        from textual_tty import Terminal

        yield Terminal(command=self.command)

    @property
    def terminal(self) -> Widget:
        from textual_tty import Terminal

        return self.query_one(Terminal)

    def screen_text(self) -> str:
        return str(self.terminal.board.capture_text())  # type: ignore[attr-defined]

    @property
    def painted(self) -> bool:
        """Its last change was painted (its own dirty flag, read from outside)."""
        return not self.terminal._dirty  # type: ignore[attr-defined]


def bittty_feed_rate(data: bytes) -> float | None:
    """Bytes per second textual-tty's emulator (bittty) parses, None if not installed."""
    try:
        from bittty import Board, Parser
    except ImportError:
        return None
    text = data.decode()
    board = Board(width=COLUMNS, height=LINES)
    parser = Parser(board)
    start = time.perf_counter()
    for i in range(0, len(text), 16384):
        parser.feed(text[i : i + 16384])
    return len(data) / (time.perf_counter() - start)


def tmux_rate(path: Path, size: int) -> float | None:
    """Bytes per second tmux shows the corpus at (capture-pane until the marker)."""
    if shutil.which("tmux") is None:
        return None
    socket = f"wxtui-bench-{os.getpid()}"
    base = ["tmux", "-L", socket, "-f", "/dev/null"]
    start = time.perf_counter()
    size_args = ["-x", str(COLUMNS), "-y", str(LINES)]
    script = " ".join(flood_command(path)[2:])
    subprocess.run([*base, "new-session", "-d", "-s", "b", *size_args, script], check=True)

    def screen() -> str:
        return subprocess.run(
            [*base, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True
        ).stdout

    try:
        while MARKER not in screen():
            if time.perf_counter() > start + 120:
                raise TimeoutError("tmux never showed the marker")
            time.sleep(0.002)
        return size / (time.perf_counter() - start)
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True)
