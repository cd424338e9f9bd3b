"""wxtui benchmarks: ``python benchmarks/run.py [--quick]`` writes benchmarks/RESULTS.md.

Every figure is the median of several runs, next to a baseline measured in the
same run (these machines are shared and noisy: compare ratios, not absolute
times across runs).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pyte  # noqa: E402
import textual  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Footer, Header, Input, Tree  # noqa: E402

from benchmarks.corpora import CORPORA, cut_at_utf8_boundary  # noqa: E402
from wxtui.app.app import WxtuiApp  # noqa: E402
from wxtui.bidirectional_pty import BidirectionalPTY  # noqa: E402
from wxtui.store import Store  # noqa: E402
from wxtui.terminal.emulator import TerminalEmulator  # noqa: E402
from wxtui.terminal.widget import TerminalView  # noqa: E402

COLUMNS, LINES = 200, 50
MARKER = "END-OF-FLOOD-MARKER"


@dataclass
class Row:
    section: str
    figure: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: str


ROWS: list[Row] = []


def record(
    section: str,
    figure: str,
    value: str,
    baseline: str = "",
    ratio: str = "",
    target: str = "",
    met: bool | None = None,
) -> None:
    ROWS.append(
        Row(
            section,
            figure,
            value,
            baseline,
            ratio,
            target,
            "" if met is None else ("yes" if met else "**no**"),
        )
    )
    print(f"[{section}] {figure}: {value} | {baseline} | {ratio} | {target}", flush=True)


async def until(
    predicate: Callable[[], bool], timeout: float = 60.0, pause: float = 0.0005
) -> None:
    """Wait for a condition; a benchmark that cannot finish must fail, not hang."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition never became true")
        await asyncio.sleep(pause)


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


# -- 1. throughput ----------------------------------------------------------------


def feed_rate_stock_pyte(data: bytes) -> float:
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    for i in range(0, len(data), 16384):
        stream.feed(data[i : i + 16384])
    return len(data) / (time.perf_counter() - start)


def feed_rate_ours(data: bytes) -> float:
    emulator = TerminalEmulator(COLUMNS, LINES)
    start = time.perf_counter()
    for i in range(0, len(data), 16384):
        emulator.feed(data[i : i + 16384])
    return len(data) / (time.perf_counter() - start)


def feed_rate_bittty(data: bytes) -> float | None:
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


class FloodApp(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.done = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield TerminalView()

    def flood(self) -> BidirectionalPTY:
        view = self.query_one(TerminalView)

        def on_output(data: bytes) -> None:
            view.feed(data)

        return BidirectionalPTY.spawn(
            ["sh", "-c", f"stty -onlcr; cat {self.path}; printf '\\r\\n{MARKER}\\r\\n'; sleep 30"],
            rows=LINES,
            cols=COLUMNS,
            on_output=on_output,
        )


async def end_to_end_rate(path: Path, size: int) -> float:
    app = FloodApp(path)
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await pilot.pause()
        view = app.query_one(TerminalView)
        start = time.perf_counter()
        pty = app.flood()
        await until(lambda: any(MARKER in row for row in view.emulator.display()), pause=0.002)
        await pilot.pause()  # The frame that shows it.
        elapsed = time.perf_counter() - start
        await pty.close(grace=0.2)
    return size / elapsed


async def textual_tty_end_to_end(path: Path, size: int) -> float:
    from textual_tty import Terminal

    command = ["sh", "-c", f"stty -onlcr; cat {path}; printf '\\r\\n{MARKER}\\r\\n'; sleep 30"]

    class PeerApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Terminal(command=command)

    app = PeerApp()
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        start = time.perf_counter()  # The peer starts its child when it mounts.
        terminal = app.query_one(Terminal)
        await until(lambda: MARKER in terminal.board.capture_text(), pause=0.01)
        await pilot.pause()
        return size / (time.perf_counter() - start)


def run_textual_tty(path: Path, size: int) -> float | None:
    try:
        import textual_tty  # noqa: F401
    except ImportError:
        return None
    return asyncio.run(textual_tty_end_to_end(path, size))


def run_end_to_end(path: Path, size: int) -> float:
    return asyncio.run(end_to_end_rate(path, size))


async def flood_stall(path: Path, tmp: Path) -> float:
    """The longest the event loop went unresponsive while wxtui's pane rendered the flood
    (in the app, whose collector policy is part of what keeps the loop responsive)."""
    script = f"cat {path}; printf '\\r\\n%s\\r\\n' {MARKER}; sleep 30"
    command = f"sh -c {shlex.quote(script)}"
    with Store.open(tmp / f"stall-{time.monotonic_ns()}.db") as store:
        project = store.add_project("flood", str(tmp), command=command)
        app = WxtuiApp(store, poll_interval=60)
        worst = 0.0
        async with app.run_test(size=(COLUMNS, LINES)) as pilot:
            await pilot.pause()
            loop = asyncio.get_running_loop()
            await app.show_project(project.id)
            view = app._pane(project.id).view
            while not any(MARKER in row for row in view.emulator.display()):
                tick = loop.time()
                await asyncio.sleep(0.002)
                worst = max(worst, loop.time() - tick - 0.002)
        await app.sessions.stop_all(0.2)
    return worst


def bench_stall(tmp: Path, size: int, runs: int) -> None:
    for name in ("plain", "colour"):
        data = cut_at_utf8_boundary(CORPORA[name](size))
        path = tmp / f"stall-{name}.bin"
        path.write_bytes(data)
        worst = median_of(runs, lambda path=path: asyncio.run(flood_stall(path, tmp)))
        record(
            "throughput",
            f"{name}: worst event-loop stall while {size / 1e6:.0f} MB are rendered (median of {runs} runs)",
            f"{worst * 1000:.1f} ms",
            "",
            "",
            "≤ 20 ms",
            worst <= 0.020,
        )


def tmux_rate(path: Path, size: int) -> float | None:
    if shutil.which("tmux") is None:
        return None
    socket = f"wxtui-bench-{os.getpid()}"
    base = ["tmux", "-L", socket, "-f", "/dev/null"]
    start = time.perf_counter()
    subprocess.run(
        [
            *base,
            "new-session",
            "-d",
            "-s",
            "b",
            "-x",
            str(COLUMNS),
            "-y",
            str(LINES),
            f"stty -onlcr; cat {path}; printf '\\r\\n{MARKER}\\r\\n'; sleep 30",
        ],
        check=True,
    )

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


def bench_throughput(size: int, runs: int, tmp: Path) -> None:
    for name, make in CORPORA.items():
        data = cut_at_utf8_boundary(make(size))
        path = tmp / f"{name}.bin"
        path.write_bytes(data)
        stock = median_of(runs, partial(feed_rate_stock_pyte, data))
        ours = median_of(runs, partial(feed_rate_ours, data))
        e2e = median_of(runs, partial(run_end_to_end, path, len(data)))
        mb = lambda rate: f"{rate / 1e6:.2f} MB/s"  # noqa: E731
        record(
            "throughput",
            f"{name}: our emulator alone",
            mb(ours),
            f"stock pyte {mb(stock)}",
            f"{ours / stock:.1f}x",
            "beat stock pyte",
            ours > stock,
        )
        peer = feed_rate_bittty(data)
        if peer is not None:
            peer_rate = median_of(runs, partial(feed_rate_bittty, data))
            record(
                "throughput",
                f"{name}: textual-tty's emulator (bittty) alone",
                mb(peer_rate),
                f"our emulator {mb(ours)}",
                f"ours {ours / peer_rate:.2f}x",
                "",
            )
            peer_widget = median_of(runs, partial(run_textual_tty, path, len(data)))
            record(
                "throughput",
                f"{name}: widget end to end against the textual-tty widget end to end",
                mb(e2e),
                f"textual-tty {mb(peer_widget)}",
                f"{e2e / peer_widget:.2f}x",
                "≥ 1x",
                e2e >= peer_widget,
            )
        record(
            "throughput",
            f"{name}: widget end to end (pty → screen → frame)",
            mb(e2e),
            f"our emulator {mb(ours)}",
            f"{e2e / ours:.2f}x",
            "≥ 0.8x emulator alone",
            e2e / ours >= 0.8,
        )
        native = tmux_rate(path, len(data))
        if native is not None:
            record(
                "throughput",
                f"{name}: tmux (native terminal)",
                mb(native),
                f"widget {mb(e2e)}",
                f"widget {e2e / native:.2f}x",
                "",
            )


# -- 2. keystroke latency ------------------------------------------------------------


ECHO = "import os, tty\ntty.setraw(0)\nos.write(1, b'ready')\nwhile True:\n    os.write(1, os.read(0, 64))\n"
FLOOD = "while :; do echo flood flood flood flood flood flood flood flood; done"
# Streams output below row 1 without pause, and echoes each key into row 1, column 10:
# an agent printing while its user types.
FLOOD_ECHO = (
    "import os, select, tty\n"
    "tty.setraw(0)\n"
    "os.write(1, b'\\x1b[2r\\x1b[999;1Hready')\n"
    "n = 0\n"
    "while True:\n"
    "    if select.select([0], [], [], 0)[0]:\n"
    "        os.write(1, b'\\x1b7\\x1b[1;10H' + os.read(0, 64) + b'\\x1b8')\n"
    "    n += 1\n"
    "    os.write(1, b'\\r\\nstreaming line %d of the agent output' % n)\n"
)


class BareApp(App[None]):
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


def type_key(app: App, character: str) -> None:
    """What a terminal driver does with a key press: post it to the app (no Pilot waits)."""
    app.post_message(events.Key(character, character))


async def bare_textual_latency(samples: int) -> list[float]:
    app = BareApp()
    results = []
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        for i in range(samples):
            start = time.perf_counter()
            type_key(app, "x")
            await until(lambda i=i: len(field.value) > i, pause=0)
            results.append(time.perf_counter() - start)
            await pilot.pause()
    return results


async def textual_tty_latency(samples: int) -> list[float] | None:
    """The peer widget running the same echo child, timed the same way."""
    try:
        from textual_tty import Terminal
    except ImportError:
        return None

    class PeerApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Terminal(command=[sys.executable, "-c", ECHO])

    app = PeerApp()
    results = []
    async with app.run_test(size=(160, 45)) as pilot:
        terminal = app.query_one(Terminal)
        terminal.focus()
        await until(lambda: "ready" in terminal.board.capture_text())
        await pilot.pause()
        typed = "ready"
        for i in range(samples):
            letter = "abcdefghij"[i % 10]
            typed += letter
            start = time.perf_counter()
            type_key(app, letter)
            await until(lambda t=typed: t in terminal.board.capture_text(), pause=0)
            await until(lambda: not terminal._dirty, pause=0)  # Its next tick painted it.
            results.append(time.perf_counter() - start)
            await pilot.pause()
    return results


async def wxtui_latency(samples: int, tmp: Path, flood: str | None) -> list[float]:
    with Store.open(tmp / f"lat-{flood}-{time.monotonic_ns()}.db") as store:
        script = FLOOD_ECHO if flood == "same" else ECHO
        echo = store.add_project(
            "echo", str(tmp), command=f"{sys.executable} -c {shlex.quote(script)}"
        )
        other = store.add_project(
            "other",
            str(tmp),
            command=f"sh -c {shlex.quote(FLOOD)}" if flood == "other" else "sleep 60",
        )
        app = WxtuiApp(store, poll_interval=60)
        results = []
        async with app.run_test(size=(160, 45)) as pilot:
            await app.show_project(other.id)
            await app.show_project(echo.id)
            view = app._pane(echo.id).view
            ready = "streaming line" if flood == "same" else "ready"
            await until(lambda: ready in "".join(view.emulator.display()))
            await pilot.pause()
            loop = asyncio.get_running_loop()
            for i in range(samples):
                letter = "abcdefghij"[i % 10]
                if flood != "same":
                    view.feed_text("\x1b[H\x1b[2Jready....")  # The echo lands in column 9.
                await pilot.pause()
                start = time.perf_counter()
                type_key(app, letter)
                # Echoed on the emulator's screen, then painted by the next frame.
                await until(lambda c=letter: view.emulator.screen.buffer[0][9].data == c, pause=0)
                seen = loop.time()
                # The frame that paints it: none pending, or (under a flood) one since.
                await until(
                    lambda s=seen: view._frame_handle is None or view._last_frame >= s, pause=0
                )
                results.append(time.perf_counter() - start)
        await app.sessions.stop_all(0.2)
    return results


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_latency(samples: int, tmp: Path) -> None:
    bare = asyncio.run(bare_textual_latency(samples))
    idle = asyncio.run(wxtui_latency(samples, tmp, None))
    other = asyncio.run(wxtui_latency(samples, tmp, "other"))
    same = asyncio.run(wxtui_latency(samples, tmp, "same"))
    peer = asyncio.run(textual_tty_latency(samples))
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    base = statistics.median(bare)
    record(
        "latency",
        "keystroke echo, idle: p50 / p90",
        f"{ms(statistics.median(idle))} / {ms(pct(idle, 0.9))}",
        f"bare Textual app p50 {ms(base)}",
        f"{statistics.median(idle) / base:.1f}x",
        "p50 ≤ 2x bare app",
        statistics.median(idle) <= 2 * base,
    )
    record(
        "latency",
        "keystroke echo, another session flooding: p50 / p90",
        f"{ms(statistics.median(other))} / {ms(pct(other, 0.9))}",
        f"bare Textual app p50 {ms(base)}",
        f"{statistics.median(other) / base:.1f}x",
        "p90 ≤ 33 ms",
        pct(other, 0.9) <= 0.033,
    )
    record(
        "latency",
        "keystroke echo, the same session streaming output: p50 / p90",
        f"{ms(statistics.median(same))} / {ms(pct(same, 0.9))}",
        f"bare Textual app p50 {ms(base)}",
        f"{statistics.median(same) / base:.1f}x",
        "p90 ≤ 33 ms",
        pct(same, 0.9) <= 0.033,
    )
    if peer is not None:
        record(
            "latency",
            "keystroke echo, idle: p50 against the textual-tty widget",
            ms(statistics.median(idle)),
            f"textual-tty p50 {ms(statistics.median(peer))}, p90 {ms(pct(peer, 0.9))}",
            f"{statistics.median(idle) / statistics.median(peer):.2f}x",
            "< 0.5x",
            statistics.median(idle) < 0.5 * statistics.median(peer),
        )


# -- 3. switch latency, 4. idle CPU, 5. memory ---------------------------------------


PAINTED: dict[int, float] = {}
_render_line = TerminalView.render_line


def _timed_render_line(self: TerminalView, y: int):
    """Record when each view paints its last row: the end of a frame that shows it."""
    strip = _render_line(self, y)
    if y == self.size.height - 1:
        PAINTED.setdefault(id(self), time.perf_counter())  # The first frame that shows it.
    return strip


async def switch_and_idle(tmp: Path, idle_seconds: float) -> tuple[list[float], float]:
    TerminalView.render_line = _timed_render_line  # type: ignore[method-assign]
    try:
        return await _switch_and_idle(tmp, idle_seconds)
    finally:
        TerminalView.render_line = _render_line  # type: ignore[method-assign]


async def _switch_and_idle(tmp: Path, idle_seconds: float) -> tuple[list[float], float]:
    with Store.open(tmp / f"switch-{time.monotonic_ns()}.db") as store:
        ids = [
            store.add_project(f"p{i}", str(tmp), command="sh -c 'seq 1 200; exec sleep 600'").id
            for i in range(10)
        ]
        app = WxtuiApp(store, poll_interval=1.0)
        switches = []
        async with app.run_test(size=(160, 45)) as pilot:
            for project_id in ids:
                await app.show_project(project_id)
            await asyncio.sleep(1.0)
            await pilot.pause()
            for _round in range(3):
                for n in range(1, 10):
                    view = app._pane(ids[n - 1]).view
                    if app._current == ids[n - 1]:
                        continue
                    PAINTED.pop(id(view), None)
                    start = time.perf_counter()
                    app.post_message(events.Key(f"alt+{n}", None))
                    await until(lambda v=view: id(v) in PAINTED, pause=0)
                    switches.append(PAINTED[id(view)] - start)
                    await pilot.pause()
            await asyncio.sleep(0.5)
            before = os.times()
            wall = time.perf_counter()
            await asyncio.sleep(idle_seconds)
            after = os.times()
            cpu = (after.user - before.user + after.system - before.system) / (
                time.perf_counter() - wall
            )
        await app.sessions.stop_all(0.2)
    return switches, cpu


def first_lines(data: bytes, count: int) -> bytes:
    """The corpus up to its ``count``-th line end: just enough to fill the history."""
    end = 0
    for _ in range(count):
        end = data.find(b"\r\n", end) + 2
        if end == 1:
            return data
    return data[:end]


def traced_bytes(build: Callable[[], object]) -> tuple[int, object]:
    """Python memory that ``build`` allocated and still holds (tracemalloc: exact, unlike
    RSS, which does not grow when the allocator reuses memory freed earlier)."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = build()
        gc.collect()
        return tracemalloc.get_traced_memory()[0], kept
    finally:
        tracemalloc.stop()


def bench_memory() -> None:
    empty, _views = traced_bytes(lambda: [TerminalEmulator(COLUMNS, LINES) for _ in range(20)])
    mb = lambda b: f"{b / 1e6:.2f} MB"  # noqa: E731
    record("memory", f"memory per emulator, empty {COLUMNS}x{LINES} screen", mb(empty / 20))
    for name in ("plain", "colour"):
        data = first_lines(CORPORA[name](8_000_000), 10_000 + 2 * LINES)

        def ours(data: bytes = data) -> TerminalEmulator:
            emulator = TerminalEmulator(COLUMNS, LINES, scrollback=10_000)
            emulator.feed(data)
            return emulator

        def stock(data: bytes = data) -> pyte.HistoryScreen:
            history = pyte.HistoryScreen(COLUMNS, LINES, history=10_000)
            pyte.ByteStream(history).feed(data)
            return history

        ours_bytes, emulator = traced_bytes(ours)
        lines = len(emulator.screen.scrollback)  # type: ignore[attr-defined]
        del emulator
        stock_bytes, history = traced_bytes(stock)
        del history
        record(
            "memory",
            f"memory per session with {lines} lines of scrollback ({name})",
            mb(ours_bytes),
            f"pyte HistoryScreen {mb(stock_bytes)}",
            f"{ours_bytes / max(stock_bytes, 1):.2f}x",
            "≤ 15 MB and < 0.25x HistoryScreen",
            ours_bytes <= 15e6 and ours_bytes < 0.25 * stock_bytes,
        )


# -- 6. startup, 7. scale -------------------------------------------------------------


async def time_to_first_frame(make_app: Callable[[], App]) -> float:
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


def bench_hooks(tmp: Path, runs: int) -> None:
    """One Claude hook invocation, end to end: the relay starts, sends the event over the
    socket to a listener, and exits (Claude waits for it before it goes on)."""
    import json
    import socket
    import threading

    from wxtui.claude_hooks import RELAY_SCRIPT

    path = tmp / "hooks.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    received: list[int] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                size = 0
                while chunk := connection.recv(65536):
                    size += len(chunk)
                received.append(size)

    threading.Thread(target=serve, daemon=True).start()
    event = {
        "session_id": "6f1c3c47-7d3a-4a43-9a3c-3b8d1d0f2a11",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "make test", "description": "Run the tests"},
    }
    payload = json.dumps(event).encode()
    env = {**os.environ, "WXTUI_HOOK_SOCKET": str(path), "WXTUI_PROJECT_ID": "bench"}
    relay = [sys.executable, "-I", "-S", str(RELAY_SCRIPT)]
    bare = [sys.executable, "-I", "-S", "-c", "pass"]

    def timed(argv: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(argv, input=payload, env=env, check=True)
        return time.perf_counter() - start

    samples = max(runs * 6, 30)
    relay_times = [timed(relay) for _ in range(samples)]
    bare_times = [timed(bare) for _ in range(samples)]
    server.close()
    assert len(received) == samples and all(size > len(payload) for size in received)
    relay_ms = statistics.median(relay_times) * 1000
    bare_ms = statistics.median(bare_times) * 1000
    record(
        "hooks",
        "one hook invocation end to end (relay start, send, exit): p50 / p90",
        f"{relay_ms:.1f} ms / {pct(relay_times, 0.9) * 1000:.1f} ms",
        f"bare python -I -S p50 {bare_ms:.1f} ms",
        f"{relay_ms / bare_ms:.2f}x",
        "p50 ≤ 30 ms",
        relay_ms <= 30,
    )


def bench_startup(tmp: Path, runs: int) -> None:
    with Store.open(tmp / "startup.db") as store:
        for i in range(3):
            project = store.add_project(f"project {i}", str(tmp))
            for j in range(4):
                store.add_milestone(project.id, f"milestone {j}")
        ours = median_of(
            runs,
            lambda: asyncio.run(time_to_first_frame(lambda: WxtuiApp(store, poll_interval=60))),
        )
    bare = median_of(runs, lambda: asyncio.run(time_to_first_frame(BareApp)))
    standard = median_of(runs, lambda: asyncio.run(time_to_first_frame(StandardWidgetsApp)))
    record(
        "startup",
        "launch to first frame, 3 projects",
        f"{ours * 1000:.0f} ms",
        f"minimal Textual app {bare * 1000:.0f} ms",
        f"{ours / bare:.2f}x",
        "≤ 1.3x",
        ours <= 1.3 * bare,
    )
    record(
        "startup",
        "launch to first frame, 3 projects (against the same stock widgets)",
        f"{ours * 1000:.0f} ms",
        f"Header + Tree + Footer app {standard * 1000:.0f} ms",
        f"{ours / standard:.2f}x",
        "",
    )


async def scale_sidebar(tmp: Path) -> tuple[float, float]:
    with Store.open(tmp / "scale.db") as store:
        for i in range(500):
            project = store.add_project(f"project {i:03d}", str(tmp))
            for j in range(20):
                store.add_milestone(project.id, f"milestone {i}-{j}")
        start = time.perf_counter()
        app = WxtuiApp(store, poll_interval=60)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            startup = time.perf_counter() - start
            await pilot.press("slash")
            samples = []
            for key in "42-1":
                begin = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                samples.append(time.perf_counter() - begin)
    return startup, statistics.median(samples)


async def flood_lag(tmp: Path, sessions: int, seconds: float) -> tuple[float, int]:
    with Store.open(tmp / f"flood-{time.monotonic_ns()}.db") as store:
        ids = [
            store.add_project(f"f{i}", str(tmp), command=f"sh -c {shlex.quote(FLOOD)}").id
            for i in range(sessions)
        ]
        app = WxtuiApp(store, poll_interval=60)
        worst = 0.0
        async with app.run_test(size=(160, 45)):
            for project_id in ids:
                await app.show_project(project_id)
            await asyncio.sleep(1.0)  # Every session started and flooding.
            loop = asyncio.get_running_loop()
            end = loop.time() + seconds
            while loop.time() < end:
                tick = loop.time()
                await asyncio.sleep(0.01)
                worst = max(worst, loop.time() - tick - 0.01)
            progressed = sum(
                1 for p in ids if "flood" in "".join(app._pane(p).view.emulator.display())
            )
        await app.sessions.stop_all(0.2)
    return worst, progressed


def bench_scale(tmp: Path, seconds: float) -> None:
    startup, filter_key = asyncio.run(scale_sidebar(tmp))
    record(
        "scale", "500 projects x 20 milestones: startup to first frame", f"{startup * 1000:.0f} ms"
    )
    record("scale", "500 projects x 20 milestones: filter keystroke", f"{filter_key * 1000:.0f} ms")
    worst, progressed = asyncio.run(flood_lag(tmp, 30, seconds))
    record(
        "scale",
        "30 sessions flooding: worst event-loop lag",
        f"{worst * 1000:.0f} ms",
        "",
        "",
        "≤ 50 ms",
        worst <= 0.05,
    )
    record(
        "scale",
        "30 sessions flooding: sessions that progressed",
        f"{progressed}/30",
        "",
        "",
        "30/30",
        progressed == 30,
    )


def bench_switch_idle(tmp: Path, idle_seconds: float) -> None:
    switches, cpu = asyncio.run(switch_and_idle(tmp, idle_seconds))
    median = statistics.median(switches)
    record(
        "switch",
        "switch between 10 live sessions: key event to the new screen's last row painted",
        f"p50 {median * 1000:.1f} ms, p90 {pct(switches, 0.9) * 1000:.1f} ms",
        "",
        "",
        "≤ 16 ms",
        median <= 0.016,
    )
    record(
        "idle",
        f"10 idle sessions, {idle_seconds:.0f} s: CPU of the wxtui process",
        f"{cpu * 100:.2f} % of a core",
        "",
        "",
        "≤ 0.5 %",
        cpu <= 0.005,
    )


# -- report ---------------------------------------------------------------------------


def write_results(path: Path, quick: bool, started: float) -> None:
    lines = [
        "# wxtui benchmark results",
        "",
        f"Made by `python benchmarks/run.py{' --quick' if quick else ''}` in {time.time() - started:.0f} s.",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, textual {textual.__version__}, pyte {pyte.__version__ if hasattr(pyte, '__version__') else '0.8.2'}",
        "- every figure is a median; the baseline beside it was measured in the same run",
        "",
        "| section | figure | value | baseline (same run) | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        lines.append(
            f"| {row.section} | {row.figure} | {row.value} | {row.baseline} | {row.ratio} | {row.target} | {row.met} |"
        )
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer runs")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--only",
        choices=[
            "throughput",
            "stall",
            "latency",
            "hooks",
            "switch",
            "memory",
            "startup",
            "scale",
        ],
        help="run one section and print it (RESULTS.md is left as it is)",
    )
    args = parser.parse_args()
    started = time.time()
    size = 300_000 if args.quick else 2_000_000
    runs = 3 if args.quick else 5
    with tempfile.TemporaryDirectory(prefix="wxtui-bench-") as tmp:
        root = Path(tmp)
        sections: dict[str, Callable[[], None]] = {
            "throughput": lambda: bench_throughput(size, runs, root),
            "stall": lambda: bench_stall(root, 2_000_000 if args.quick else 10_000_000, 3),
            "latency": lambda: bench_latency(20 if args.quick else 60, root),
            "hooks": lambda: bench_hooks(root, runs),
            "switch": lambda: bench_switch_idle(root, 5 if args.quick else 30),
            "memory": bench_memory,
            "startup": lambda: bench_startup(root, runs),
            "scale": lambda: bench_scale(root, 3 if args.quick else 10),
        }
        for name, run in sections.items():
            if args.only in (None, name):
                run()
    if args.only:
        for row in ROWS:
            print(f"{row.figure}: {row.value} | {row.baseline} | {row.ratio} | met {row.met}")
        return
    write_results(args.output, args.quick, started)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
