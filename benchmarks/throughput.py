"""How fast output gets from a child to the screen: the emulator alone, the widget end to
end, the peers, and the worst stall of the event loop while a big flood renders."""

from __future__ import annotations

import asyncio
import shlex
import time
from functools import partial
from pathlib import Path

import pyte

from benchmarks.apps import (
    FloodApp,
    PeerTerminalApp,
    bittty_feed_rate,
    flood_command,
    textual_tty_installed,
    tmux_rate,
)
from benchmarks.corpora import CORPORA, cut_at_utf8_boundary
from benchmarks.measure import COLUMNS, LINES, MARKER, median_of, stop_host, until
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.store import Store
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.widget import TerminalView


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


async def end_to_end_rate(path: Path, size: int) -> float:
    app = FloodApp()
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await pilot.pause()
        view = app.query_one(TerminalView)
        start = time.perf_counter()
        pty = app.flood(path)
        await until(lambda: any(MARKER in row for row in view.emulator.display()), pause=0.002)
        await pilot.pause()  # The frame that shows it.
        elapsed = time.perf_counter() - start
        await pty.close(grace=0.2)
    return size / elapsed


async def textual_tty_end_to_end(path: Path, size: int) -> float:
    app = PeerTerminalApp(flood_command(path))
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        start = time.perf_counter()  # The peer starts its child when it mounts.
        await until(lambda: MARKER in app.screen_text(), pause=0.01)
        await pilot.pause()
        return size / (time.perf_counter() - start)


async def flood_stall(path: Path, tmp: Path, in_host: bool = False) -> float:
    """The longest the event loop went unresponsive while wxtui's pane rendered the flood
    (in the app, whose collector policy is part of what keeps the loop responsive), from
    the pane's first frame on; the session in the app's own process or, as users run
    it, in a host of its own."""
    script = f"cat {path}; printf '\\r\\n%s\\r\\n' {MARKER}; sleep 30"
    with Store.open(tmp / f"stall-{time.monotonic_ns()}.db") as store:
        project = store.add_project("flood", str(tmp), command=f"sh -c {shlex.quote(script)}")
        app = WxtuiApp(store, poll_interval=60, sessions_in_host=in_host)
        worst = 0.0
        async with app.run_test(size=(COLUMNS, LINES)) as pilot:
            await pilot.pause()
            loop = asyncio.get_running_loop()
            await app.show_project(project.id)
            pane = app.pane_for(project.id)
            assert pane is not None
            view = pane.view
            while not any(MARKER in row for row in view.emulator.display()):
                tick = loop.time()
                await asyncio.sleep(0.002)
                if view.last_frame_at:  # Opening the pane is not the flood's cost.
                    worst = max(worst, loop.time() - tick - 0.002)
        await app.backend.stop_all()
    if in_host:
        await stop_host(store.path)
    return worst


def bench_stall(report: Report, tmp: Path, size: int, runs: int) -> None:
    for name in ("plain", "colour"):
        data = cut_at_utf8_boundary(CORPORA[name](size))
        path = tmp / f"stall-{name}.bin"
        path.write_bytes(data)
        for where, in_host in (("host in the app", False), ("a host of its own", True)):

            def stall(path: Path = path, in_host: bool = in_host) -> float:
                return asyncio.run(flood_stall(path, tmp, in_host))

            worst = median_of(runs, stall)
            report.record(
                "throughput",
                f"{name}: worst event-loop stall while {size / 1e6:.0f} MB are rendered, "
                f"{where} (median of {runs} runs)",
                f"{worst * 1000:.1f} ms",
                "",
                "",
                "≤ 20 ms",
                worst <= 0.020,
            )


def _mb(rate: float) -> str:
    return f"{rate / 1e6:.2f} MB/s"


def bench_throughput(report: Report, size: int, runs: int, tmp: Path) -> None:
    for name, make in CORPORA.items():
        data = cut_at_utf8_boundary(make(size))
        path = tmp / f"{name}.bin"
        path.write_bytes(data)
        _corpus_throughput(report, name, data, path, runs)


def _corpus_throughput(report: Report, name: str, data: bytes, path: Path, runs: int) -> None:
    stock = median_of(runs, partial(feed_rate_stock_pyte, data))
    ours = median_of(runs, partial(feed_rate_ours, data))
    e2e = median_of(runs, lambda: asyncio.run(end_to_end_rate(path, len(data))))
    report.record(
        "throughput",
        f"{name}: our emulator alone",
        _mb(ours),
        f"stock pyte {_mb(stock)}",
        f"{ours / stock:.1f}x",
        "beat stock pyte",
        ours > stock,
    )
    if bittty_feed_rate(data) is not None:
        peer_rate = median_of(runs, lambda: bittty_feed_rate(data) or 0.0)
        report.record(
            "throughput",
            f"{name}: textual-tty's emulator (bittty) alone",
            _mb(peer_rate),
            f"our emulator {_mb(ours)}",
            f"ours {ours / peer_rate:.2f}x",
            "",
        )
    if textual_tty_installed():
        peer_widget = median_of(runs, lambda: asyncio.run(textual_tty_end_to_end(path, len(data))))
        report.record(
            "throughput",
            f"{name}: widget end to end against the textual-tty widget end to end",
            _mb(e2e),
            f"textual-tty {_mb(peer_widget)}",
            f"{e2e / peer_widget:.2f}x",
            "≥ 1x",
            e2e >= peer_widget,
        )
    report.record(
        "throughput",
        f"{name}: widget end to end (pty → screen → frame)",
        _mb(e2e),
        f"our emulator {_mb(ours)}",
        f"{e2e / ours:.2f}x",
        "≥ 0.85x emulator alone",
        e2e / ours >= 0.85,
    )
    native = tmux_rate(path, len(data))
    if native is not None:
        report.record(
            "throughput",
            f"{name}: tmux (native terminal)",
            _mb(native),
            f"widget {_mb(e2e)}",
            f"widget {e2e / native:.2f}x",
            "",
        )
