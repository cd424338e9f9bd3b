"""Fifty agents in one session host: the UI launched with ``--open NEW`` (a session not
yet started, whose program asks its terminal before it prints, as vttest and many TUIs
do) to that program's output painted. Each of the fifty printed a colourful history
and asked its terminal too. Baseline: the same launch on a host with no other session."""

from __future__ import annotations

import asyncio
import json
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure import ms, painted_after, pct, stop_host, until
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.sessions.client import HostClient, IgnoringSink, connect_or_start
from wxtui.store import Store
from wxtui.terminal.snapshot import Snapshot

SIZE = (160, 45)
ANSWERED = "ANSWERED-AT-LAST"
# Colourful history, then the device-attributes query, then the marker once answered.
ASKER = (
    "import os, sys, tty\n"
    "tty.setraw(0)\n"
    "for n in range(int(sys.argv[1])):\n"
    "    os.write(1, ''.join(f'\\x1b[38;5;{(n + i) % 256}m{i % 10}' for i in range(80)).encode()"
    " + b'\\x1b[0m\\r\\n')\n"
    "os.write(1, b'\\x1b[c')\n"
    "reply = b''\n"
    "while not reply.endswith(b'c'):\n"
    "    reply += os.read(0, 64)\n"
    f"os.write(1, b'{ANSWERED}\\r\\n')\n"
    "while os.read(0, 1024):\n"
    "    pass\n"
)


def _command(history: int) -> str:
    return shlex.join([sys.executable, "-c", ASKER, str(history)])


class _Answered(IgnoringSink):
    """A sink that notes when a session printed its marker."""

    done = False

    def load_snapshot(self, snapshot: Snapshot) -> None:
        self.done = self.done or ANSWERED in snapshot.screen_text()

    def feed(self, data: bytes) -> None:
        self.done = self.done or ANSWERED.encode() in data


async def _fill(db: Path, ids: list[str]) -> None:
    """Start every session in the host and wait until each was answered."""
    client = await connect_or_start(db)
    sinks = [_Answered() for _ in ids]
    for project_id, sink in zip(ids, sinks, strict=True):
        await client.start(project_id, sink, SIZE[1], SIZE[0])
    await until(lambda: all(sink.done for sink in sinks), 120)
    await client.close()


async def _stop(db: Path, project_id: str) -> None:
    from wxtui.sessions.host_address import host_socket_path

    client = await HostClient.connect(host_socket_path(db))
    await client.start(project_id, _Answered(), SIZE[1], SIZE[0], paused=True)
    await client.stop(project_id)
    await client.close()


async def _launches(tmp: Path, others: int, runs: int) -> list[float]:
    db = tmp / f"many-{others}-{time.monotonic_ns()}.db"
    with Store.open(db) as store:
        ids = [
            store.add_project(f"p{i}", str(tmp), command=_command(500)).id for i in range(others)
        ]
        new = store.add_project("new", str(tmp), command=_command(0)).id
    await _fill(db, ids)
    if not ids:
        await (await connect_or_start(db)).close()  # A host with nothing in it.
    results = []
    for _ in range(runs):
        # The UI starts as it does for a user: in a process of its own.
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "benchmarks.many", str(db), new],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        results.append(float(json.loads(done.stdout)["painted"]))
        await _stop(db, new)
    await stop_host(db)
    return results


async def _launch(db: Path, project_id: str) -> dict[str, float]:
    """``wxtui --open PROJECT``: from the app's creation to the program's answer painted."""
    with Store.open(db) as store:
        start = time.perf_counter()
        app = WxtuiApp(store, poll_interval=60, open_project_id=project_id, sessions_in_host=True)

        def painted() -> bool:
            pane = app.pane_for(project_id)
            return pane is not None and any(ANSWERED in row for row in pane.view.screen_text())

        async with app.run_test(size=SIZE):
            await until(lambda: app.pane_for(project_id) is not None, 30, 0.002)
            elapsed = await painted_after(app, painted) - start
    return {"painted": elapsed}


def bench_many(report: Report, tmp: Path, sessions: int, runs: int) -> None:
    alone = asyncio.run(_launches(tmp, 0, runs))
    crowded = asyncio.run(_launches(tmp, sessions, runs))
    report.record(
        "many",
        f"{sessions} sessions in the host: launch with --open NEW (its program asks its "
        "terminal first) to its output painted: p50 / p90",
        f"{ms(statistics.median(crowded))} / {ms(pct(crowded, 0.9))}",
        f"no other session p50 {ms(statistics.median(alone))}",
        f"{statistics.median(crowded) / statistics.median(alone):.2f}x",
        "p90 ≤ 300 ms",
        pct(crowded, 0.9) <= 0.3,
    )


if __name__ == "__main__":
    db, project = sys.argv[1:]
    print(json.dumps(asyncio.run(_launch(Path(db), project))))
