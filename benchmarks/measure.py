"""Measuring helpers shared by the sections."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from wxtui.sessions.client import HostClient, HostUnavailable
from wxtui.sessions.host_address import host_running, host_socket_path

COLUMNS, LINES = 200, 50
MARKER = "END-OF-FLOOD-MARKER"


async def until(
    predicate: Callable[[], bool], timeout: float = 60.0, pause: float = 0.0005
) -> None:
    """Wait for a condition; a benchmark that cannot finish must fail, not hang."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition never became true")
        await asyncio.sleep(pause)


async def painted_after(app: App[Any], changed: Callable[[], bool]) -> float:
    """Seconds until ``changed()`` holds and the screen refresh that follows has run."""
    painted: list[float] = []
    await until(changed, pause=0)
    # Runs once the screen has been refreshed: the change is painted.
    app.call_after_refresh(lambda: painted.append(time.perf_counter()))
    await until(lambda: bool(painted), pause=0)
    return painted[0]


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


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


async def stop_host(db: Path) -> None:
    """The host ends (it may be ending already) before the next measurement."""
    path = host_socket_path(db)
    if host_running(path):
        with contextlib.suppress(HostUnavailable):
            client = await HostClient.connect(path)
            await client.shutdown()
            await client.close()
    while path.exists():
        await asyncio.sleep(0.02)
