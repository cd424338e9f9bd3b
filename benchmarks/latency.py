"""Key event to echo painted: idle, while another session floods, while the same session
streams output; against a bare Textual app and the textual-tty widget."""

from __future__ import annotations

import asyncio
import shlex
import statistics
import sys
import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from benchmarks.apps import BareApp, PeerTerminalApp, textual_tty_installed, type_key
from benchmarks.measure import ms, pct, stop_host, until
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.store import Store
from wxtui.terminal.widget import TerminalView

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


async def textual_tty_latency(samples: int) -> list[float]:
    """The peer widget running the same echo child, timed the same way."""
    app = PeerTerminalApp([sys.executable, "-c", ECHO])
    results = []
    async with app.run_test(size=(160, 45)) as pilot:
        app.terminal.focus()
        await until(lambda: "ready" in app.screen_text())
        await pilot.pause()
        typed = "ready"
        for i in range(samples):
            letter = "abcdefghij"[i % 10]
            typed += letter
            start = time.perf_counter()
            type_key(app, letter)
            await until(lambda t=typed: t in app.screen_text(), pause=0)
            await until(lambda: app.painted, pause=0)  # Its next tick painted it.
            results.append(time.perf_counter() - start)
            await pilot.pause()
    return results


async def echo_samples(
    app: WxtuiApp, pilot: Pilot[object], view: TerminalView, samples: int, clear: bool
) -> list[float]:
    """Key event to its echo (column 10 of row 1) painted, ``samples`` times; with
    ``clear``, row 1 is reset first so the echo lands there."""
    loop = asyncio.get_running_loop()
    results = []
    for i in range(samples):
        letter = "abcdefghij"[i % 10]
        if clear:
            view.feed_text("\x1b[H\x1b[2Jready....")  # The echo lands in column 9.
        await pilot.pause()
        start = time.perf_counter()
        type_key(app, letter)
        # Echoed on the emulator's screen, then painted by the next frame.
        await until(lambda c=letter: view.emulator.rows[0].data_at(9) == c, pause=0)
        seen = loop.time()
        # The frame that paints it: none pending, or (under a flood) one since.
        await until(lambda s=seen: view.next_frame_at is None or view.last_frame_at >= s, pause=0)
        results.append(time.perf_counter() - start)
    return results


async def wxtui_latency(
    samples: int, tmp: Path, flood: str | None, in_host: bool = False
) -> list[float]:
    """Echo in one session: alone, with ``flood`` "other" while another session floods,
    with "same" while it streams output itself; its sessions in the session host or not."""
    db = tmp / f"lat-{flood}-{time.monotonic_ns()}.db"
    with Store.open(db) as store:
        script = FLOOD_ECHO if flood == "same" else ECHO
        echo = store.add_project(
            "echo", str(tmp), command=f"{sys.executable} -c {shlex.quote(script)}"
        )
        other = store.add_project(
            "other",
            str(tmp),
            command=f"sh -c {shlex.quote(FLOOD)}" if flood == "other" else "sleep 60",
        )
        app = WxtuiApp(store, poll_interval=60, sessions_in_host=in_host)
        async with app.run_test(size=(160, 45)) as pilot:
            await app.show_project(other.id)
            await app.show_project(echo.id)
            pane = app.pane_for(echo.id)
            assert pane is not None
            view = pane.view
            ready = "streaming line" if flood == "same" else "ready"
            await until(lambda: ready in "".join(view.emulator.display()))
            await pilot.pause()
            results = await echo_samples(app, pilot, view, samples, clear=flood != "same")
            await app.backend.stop_all()
    await stop_host(db)
    return results


def bench_latency(report: Report, samples: int, tmp: Path) -> None:
    bare = asyncio.run(bare_textual_latency(samples))
    idle = asyncio.run(wxtui_latency(samples, tmp, None))
    other = asyncio.run(wxtui_latency(samples, tmp, "other"))
    same = asyncio.run(wxtui_latency(samples, tmp, "same"))
    base = statistics.median(bare)
    cases = [
        ("idle", idle, "p50 ≤ 2x bare app", statistics.median(idle) <= 2 * base),
        ("another session flooding", other, "p90 ≤ 33 ms", pct(other, 0.9) <= 0.033),
        ("the same session streaming output", same, "p90 ≤ 33 ms", pct(same, 0.9) <= 0.033),
    ]
    for what, values, target, met in cases:
        report.record(
            "latency",
            f"keystroke echo, {what}: p50 / p90",
            f"{ms(statistics.median(values))} / {ms(pct(values, 0.9))}",
            f"bare Textual app p50 {ms(base)}",
            f"{statistics.median(values) / base:.1f}x",
            target,
            met,
        )
    if textual_tty_installed():
        peer = asyncio.run(textual_tty_latency(samples))
        report.record(
            "latency",
            "keystroke echo, idle: p50 against the textual-tty widget",
            ms(statistics.median(idle)),
            f"textual-tty p50 {ms(statistics.median(peer))}, p90 {ms(pct(peer, 0.9))}",
            f"{statistics.median(idle) / statistics.median(peer):.2f}x",
            "< 0.5x",
            statistics.median(idle) < 0.5 * statistics.median(peer),
        )
