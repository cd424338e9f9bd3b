"""With 10 live sessions: alt+N to the new screen painted, and the CPU they use idle."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from pathlib import Path

from textual import events
from textual.widgets import Input

from benchmarks.apps import BareApp, type_key
from benchmarks.measure import painted_after, pct
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.store import Store


async def bare_key_to_paint(samples: int) -> list[float]:
    """The baseline: a key typed into a stock Input, measured the same way."""
    app = BareApp()
    results = []
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        for i in range(samples):
            start = time.perf_counter()
            type_key(app, "x")
            results.append(await painted_after(app, lambda i=i: len(field.value) > i) - start)
            await pilot.pause()
    return results


async def switch_and_idle(tmp: Path, idle_seconds: float) -> tuple[list[float], float]:
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
                    target = ids[n - 1]
                    if app.current_project_id == target:
                        continue
                    start = time.perf_counter()
                    app.post_message(events.Key(f"alt+{n}", None))
                    shown = await painted_after(app, lambda t=target: app.current_project_id == t)
                    switches.append(shown - start)
                    await pilot.pause()
            await asyncio.sleep(0.5)
            before = os.times()
            wall = time.perf_counter()
            await asyncio.sleep(idle_seconds)
            after = os.times()
            cpu = (after.user - before.user + after.system - before.system) / (
                time.perf_counter() - wall
            )
        await app.backend.stop_all()
    return switches, cpu


def bench_switch_idle(report: Report, tmp: Path, idle_seconds: float) -> None:
    switches, cpu = asyncio.run(switch_and_idle(tmp, idle_seconds))
    bare = statistics.median(asyncio.run(bare_key_to_paint(len(switches))))
    median = statistics.median(switches)
    report.record(
        "switch",
        "switch between 10 live sessions: key event to the new pane painted",
        f"p50 {median * 1000:.1f} ms, p90 {pct(switches, 0.9) * 1000:.1f} ms",
        f"a key into a bare app's Input, painted: p50 {bare * 1000:.1f} ms",
        f"{median / bare:.2f}x",
        "",
    )
    report.record(
        "idle",
        f"10 idle sessions, {idle_seconds:.0f} s: CPU of the wxtui process",
        f"{cpu * 100:.2f} % of a core",
        "",
        "",
        "≤ 0.5 %",
        cpu <= 0.005,
    )
