"""Launch to first frame, against stock Textual apps; a sidebar of 500 projects x 20
milestones (startup and a filter keystroke); 30 sessions flooding at once."""

from __future__ import annotations

import asyncio
import shlex
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from benchmarks.apps import BareApp, StandardWidgetsApp, type_key
from benchmarks.latency import FLOOD
from benchmarks.measure import median_of, painted_after
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.store import Store


async def time_to_first_frame(make_app: Callable[[], App[Any]]) -> float:
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


def bench_startup(report: Report, tmp: Path, runs: int) -> None:
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
    report.record(
        "startup",
        "launch to first frame, 3 projects",
        f"{ours * 1000:.0f} ms",
        f"minimal Textual app {bare * 1000:.0f} ms",
        f"{ours / bare:.2f}x",
        "",
    )
    report.record(
        "startup",
        "launch to first frame, 3 projects (against the same stock widgets)",
        f"{ours * 1000:.0f} ms",
        f"Header + Tree + Footer app {standard * 1000:.0f} ms",
        f"{ours / standard:.2f}x",
        "≤ 1.5x",
        ours <= 1.5 * standard,
    )


async def sidebar_of(tmp: Path, projects: int) -> tuple[float, float]:
    """Startup to first frame, and a filter keystroke to the filtered sidebar painted."""
    with Store.open(tmp / f"scale-{projects}.db") as store:
        for i in range(projects):
            project = store.add_project(f"project {i:03d}", str(tmp))
            for j in range(20):
                store.add_milestone(project.id, f"milestone {i}-{j}")
        start = time.perf_counter()
        app = WxtuiApp(store, poll_interval=60)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            startup = time.perf_counter() - start
            await pilot.press("slash")
            await pilot.pause()
            samples = []
            typed = ""
            for _round in range(3):
                for key in "42-1":
                    typed += key
                    begin = time.perf_counter()
                    type_key(app, key)
                    shown = await painted_after(
                        app, lambda t=typed: app.project_tree.filter_text == t
                    )
                    samples.append(shown - begin)
                    await pilot.pause()
                for _key in typed:
                    await pilot.press("backspace")
                typed = ""
                await pilot.pause()
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
            progressed = 0
            for project_id in ids:
                pane = app.pane_for(project_id)
                if pane is not None and "flood" in "".join(pane.view.emulator.display()):
                    progressed += 1
        await app.backend.stop_all()
    return worst, progressed


def bench_scale(report: Report, tmp: Path, seconds: float) -> None:
    startup, filter_key = asyncio.run(sidebar_of(tmp, 500))
    _small_startup, small_key = asyncio.run(sidebar_of(tmp, 3))
    report.record(
        "scale",
        "500 projects x 20 milestones: startup to first frame",
        f"{startup * 1000:.0f} ms",
        "",
        "",
        "≤ 500 ms",
        startup <= 0.5,
    )
    report.record(
        "scale",
        "500 projects x 20 milestones: filter keystroke to the sidebar painted",
        f"{filter_key * 1000:.1f} ms",
        f"3 projects x 20 milestones {small_key * 1000:.1f} ms",
        f"{filter_key / small_key:.2f}x",
        "≤ 33 ms",
        filter_key <= 0.033,
    )
    worst, progressed = asyncio.run(flood_lag(tmp, 30, seconds))
    report.record(
        "scale",
        "30 sessions flooding: worst event-loop lag",
        f"{worst * 1000:.0f} ms",
        "",
        "",
        "≤ 50 ms",
        worst <= 0.05,
    )
    report.record(
        "scale",
        "30 sessions flooding: sessions that progressed",
        f"{progressed}/30",
        "",
        "",
        "30/30",
        progressed == 30,
    )
