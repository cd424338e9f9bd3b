"""Sessions in the session host against sessions in the app's own process (same run):
throughput, keystroke echo, attaching to 10 sessions with full scrollback, idle CPU and
memory per session."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpora import CORPORA, cut_at_utf8_boundary
from benchmarks.latency import wxtui_latency
from benchmarks.measure import MARKER, median_of, ms, painted_after, pct, stop_host, until
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.app.session_pane import SessionState
from wxtui.sessions.client import IgnoringSink, connect_or_start
from wxtui.store import Store
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import Snapshot

SIZE = (160, 45)


def _db(tmp: Path, name: str) -> Path:
    return tmp / f"{name}-{time.monotonic_ns()}.db"


async def _throughput(
    tmp: Path, path: Path, size: int, in_host: bool, window: tuple[int, int] = SIZE
) -> float:
    db = _db(tmp, "host-flood")
    script = f"cat {path}; printf '\\r\\n%s\\r\\n' {MARKER}; exec sleep 60"
    with Store.open(db) as store:
        project = store.add_project("flood", str(tmp), command=f"sh -c {shlex.quote(script)}")
        app = WxtuiApp(store, poll_interval=60, sessions_in_host=in_host)
        async with app.run_test(size=window) as pilot:
            await app.backend.connect()  # The host is up before the clock starts.
            start = time.perf_counter()
            await app.show_project(project.id)
            pane = app.pane_for(project.id)
            assert pane is not None
            await until(lambda: any(MARKER in row for row in pane.view.screen_text()), 120, 0.002)
            await pilot.pause()
            elapsed = time.perf_counter() - start
            await app.backend.stop_all()
    await stop_host(db)
    return size / elapsed


async def _switch(tmp: Path, samples: int, in_host: bool) -> list[float]:
    """Show a session that printed 1,000 lines while hidden: to its last line painted
    (through the host, a hidden session's output comes only when it is shown)."""
    db = _db(tmp, "host-switch")
    results = []
    with Store.open(db) as store:
        shell = "bash --norc --noprofile"
        front, back = (store.add_project(n, str(tmp), command=shell).id for n in "ab")
        app = WxtuiApp(store, poll_interval=60, sessions_in_host=in_host)
        async with app.run_test(size=SIZE):
            await app.show_project(back)
            await app.show_project(front)
            pane = app.pane_for(back)
            assert pane is not None
            await until(
                lambda: (
                    "$" in "".join(pane.view.screen_text())
                    or "#" in "".join(pane.view.screen_text())
                )
            )
            for i in range(samples):
                app.backend.write(back, f"seq -f 'run {i} line %g' 1 1000\r".encode())
                await until(lambda: pane.unseen_output)
                await asyncio.sleep(0.2)  # It has printed them all.
                start = time.perf_counter()
                await app.show_project(back)
                last = f"run {i} line 1000"
                painted = await painted_after(
                    app, lambda text=last: any(text in row for row in pane.view.screen_text())
                )
                results.append(painted - start)
                await app.show_project(front)
            await app.backend.stop_all()
    await stop_host(db)
    return results


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


async def _attach(tmp: Path, sessions: int, idle_seconds: float) -> dict[str, float]:
    """10 sessions with 10,000 lines of history each: app launch to every pane attached
    and painted; snapshot size; idle CPU of host and app; host memory per session."""
    db = _db(tmp, "host-attach")
    script = "seq -f 'history line %g of the session output' 1 10000; exec sleep 600"
    with Store.open(db) as store:
        ids = [
            store.add_project(f"p{i}", str(tmp), command=f"sh -c {shlex.quote(script)}").id
            for i in range(sessions)
        ]
    client = await connect_or_start(db)
    host_pid = client.host_pid
    rss_empty = _rss_kb(host_pid)
    sinks = [_Discard() for _ in ids]
    for project_id, sink in zip(ids, sinks, strict=True):
        await client.start(project_id, sink, SIZE[1], SIZE[0])
    emulator = TerminalEmulator(SIZE[0], SIZE[1])
    emulator.feed(
        b"".join(f"history line {n} of the session output\r\n".encode() for n in range(1, 10001))
    )
    snapshot_bytes = len(Snapshot.of(emulator).encode())
    await until(lambda: all(sink.ended for sink in sinks), 60)  # Every history printed.
    rss_full = _rss_kb(host_pid)
    await client.close()
    # The UI starts as it does for a user: in a process of its own.
    launch = [sys.executable, "-m", "benchmarks.host", str(db), str(host_pid), str(idle_seconds)]
    done = await asyncio.to_thread(
        subprocess.run,
        [*launch, *ids],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    await stop_host(db)
    return {
        **json.loads(done.stdout),
        "snapshot": snapshot_bytes,
        "host_per_session_kb": (rss_full - rss_empty) / sessions,
    }


async def _launch(db: Path, host_pid: int, idle_seconds: float, ids: list[str]) -> dict[str, float]:
    """The app started on a database whose sessions run in the host: to every session's
    pane and marker (a hidden one's screen comes when it is shown), then showing one of
    them to its screen and history painted; then its and the host's CPU while idle."""
    with Store.open(db) as store:
        start = time.perf_counter()
        app = WxtuiApp(store, poll_interval=60, sessions_in_host=True)

        def attached(project_id: str) -> bool:
            pane = app.pane_for(project_id)
            return pane is not None and pane.state is SessionState.RUNNING

        def shown() -> bool:
            pane = app.pane_for(ids[0])
            return pane is not None and "10000" in "".join(pane.view.screen_text())

        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: all(map(attached, ids)), 30, 0.002)
            await pilot.pause()
            every = time.perf_counter() - start
            asked = time.perf_counter()
            await app.show_project(ids[0])
            first = await painted_after(app, shown) - asked
            await asyncio.sleep(1.0)
            host_cpu, wall, app_cpu = _cpu_seconds(host_pid), time.perf_counter(), os.times()
            await asyncio.sleep(idle_seconds)
            after = os.times()
            elapsed = time.perf_counter() - wall
            idle = (
                _cpu_seconds(host_pid)
                - host_cpu
                + after.user
                - app_cpu.user
                + after.system
                - app_cpu.system
            ) / elapsed
    return {"first": first, "every": every, "idle": idle}


class _Discard(IgnoringSink):
    """A sink that keeps nothing but whether the history has been printed (in output,
    or in a snapshot if it fell behind)."""

    END = b"line 10000 of"
    ended = False
    _tail = b""

    def load_snapshot(self, snapshot: Snapshot) -> None:
        lines = (str(line[0]).encode() for line in snapshot.lines)
        self.ended = self.ended or any(
            self.END in text for text in (snapshot.screen_text().encode(), *lines)
        )

    def feed(self, data: bytes) -> None:
        self._tail = (self._tail + data)[-len(data) - len(self.END) :]
        self.ended = self.ended or self.END in self._tail


def _host_or_not(tmp: Path, path: Path, size: int, runs: int, in_host: bool) -> float:
    return median_of(runs, lambda: asyncio.run(_throughput(tmp, path, size, in_host)))


def bench_host(report: Report, tmp: Path, size: int, runs: int, samples: int, idle: float) -> None:
    for name in ("plain", "colour"):
        data = cut_at_utf8_boundary(CORPORA[name](size))
        path = tmp / f"host-{name}.bin"
        path.write_bytes(data)
        local, hosted = (
            _host_or_not(tmp, path, len(data), runs, in_host) for in_host in (False, True)
        )
        report.record(
            "host",
            f"{name}: end to end through the session host",
            f"{hosted / 1e6:.2f} MB/s",
            f"host in the app {local / 1e6:.2f} MB/s",
            f"{hosted / local:.2f}x",
            "≥ 0.9x",
            hosted >= 0.9 * local,
        )
    local_echo = asyncio.run(wxtui_latency(samples, tmp, None))
    hosted_echo = asyncio.run(wxtui_latency(samples, tmp, None, in_host=True))
    p50, base = statistics.median(hosted_echo), statistics.median(local_echo)
    report.record(
        "host",
        "keystroke echo through the session host: p50 / p90",
        f"{ms(p50)} / {ms(pct(hosted_echo, 0.9))}",
        f"host in the app p50 {ms(base)}",
        f"+{ms(p50 - base)}",
        "p50 ≤ host in the app + 1 ms",
        p50 <= base + 0.001,
    )
    flooded = asyncio.run(wxtui_latency(samples, tmp, "other", in_host=True))
    report.record(
        "host",
        "keystroke echo through the session host while another session floods: p50 / p90",
        f"{ms(statistics.median(flooded))} / {ms(pct(flooded, 0.9))}",
        f"idle p50 {ms(p50)}",
        "",
        "p90 ≤ 2 frames (33 ms)",
        pct(flooded, 0.9) <= 0.033,
    )
    local_switch = asyncio.run(_switch(tmp, 20, False))
    hosted_switch = asyncio.run(_switch(tmp, 20, True))
    report.record(
        "host",
        "show a session that printed 1,000 lines while hidden, to its last line painted: p50 / p90",
        f"{ms(statistics.median(hosted_switch))} / {ms(pct(hosted_switch, 0.9))}",
        f"host in the app p50 {ms(statistics.median(local_switch))}",
        f"+{ms(statistics.median(hosted_switch) - statistics.median(local_switch))}",
    )
    figures = asyncio.run(_attach(tmp, 10, idle))
    report.record(
        "host",
        "10 running sessions with 10,000 lines of history each: launch to every pane and "
        "marker attached / then showing one, to its screen and history painted",
        f"{figures['every'] * 1000:.0f} ms / {figures['first'] * 1000:.0f} ms",
        f"snapshot {figures['snapshot'] / 1e6:.2f} MB per session",
        "",
        "first ≤ 300 ms",
        figures["every"] + figures["first"] <= 0.3,
    )
    report.record(
        "host",
        f"10 idle sessions, {idle:.0f} s: CPU of host plus app",
        f"{figures['idle'] * 100:.2f} % of a core",
        "",
        "",
        "≤ 0.5 %",
        figures["idle"] <= 0.005,
    )
    report.record(
        "host",
        "host memory per session (RSS, with 10,000 lines of history)",
        f"{figures['host_per_session_kb'] / 1024:.1f} MB",
    )


if __name__ == "__main__":
    db, pid, idle, *projects = sys.argv[1:]
    print(json.dumps(asyncio.run(_launch(Path(db), int(pid), float(idle), projects))))


def bench_host_against_textual_tty(report: Report, tmp: Path, size: int, runs: int) -> None:
    """Each corpus end to end through a session host of its own (the app in a window
    of the size the textual-tty widget gets, its sidebar included) against the
    textual-tty widget end to end, same run."""
    from benchmarks.apps import textual_tty_installed
    from benchmarks.measure import COLUMNS, LINES
    from benchmarks.throughput import textual_tty_end_to_end

    if not textual_tty_installed():
        report.record("host", "against textual-tty: not installed", "skipped")
        return
    for name in CORPORA:
        data = cut_at_utf8_boundary(CORPORA[name](size))
        path = tmp / f"host-tty-{name}.bin"
        path.write_bytes(data)

        def hosted_rate(path: Path = path, size: int = len(data)) -> float:
            return asyncio.run(_throughput(tmp, path, size, True, (COLUMNS, LINES)))

        def peer_rate(path: Path = path, size: int = len(data)) -> float:
            return asyncio.run(textual_tty_end_to_end(path, size))

        # Taken in turns, so a shared machine's changing load weighs on both alike.
        pairs = [(hosted_rate(), peer_rate()) for _ in range(runs)]
        hosted = statistics.median(rate for rate, _ in pairs)
        peer = statistics.median(rate for _, rate in pairs)
        report.record(
            "host",
            f"{name}: end to end through the session host against the textual-tty widget",
            f"{hosted / 1e6:.2f} MB/s",
            f"textual-tty {peer / 1e6:.2f} MB/s",
            f"{hosted / peer:.2f}x",
            "≥ 1.5x",
            hosted >= 1.5 * peer,
        )
