"""A remote through ssh on localhost against the same machine's host over its unix socket
(same run, same host): keystroke echo, throughput, and attaching to 10 sessions with
full history. Measured at the host client, the part of the path that differs."""

from __future__ import annotations

import asyncio
import shlex
import statistics
import time
from pathlib import Path

from benchmarks.measure import median_of, ms, pct, stop_host, until
from benchmarks.report import Report
from tests.support.machines import FakeMachine, fake_machine
from tests.support.sshd import SSHD, running_sshd
from wxtui.sessions.client import HostClient, IgnoringSink, connect_or_start
from wxtui.sessions.remote_link import Remote, open_link
from wxtui.terminal.snapshot import Snapshot

SIZE = (45, 160)
MARKER = b"end-of-the-flood"


class _Tail(IgnoringSink):
    """Keeps the last bytes of output, and whether a snapshot had a line."""

    def __init__(self) -> None:
        self.tail = b""
        self.bytes = 0
        self.snapshot_lines = 0

    def feed(self, data: bytes) -> None:
        self.bytes += len(data)
        self.tail = (self.tail + data)[-256:]

    def load_snapshot(self, snapshot: Snapshot) -> None:
        # A big history comes in pieces, each appending to the one before.
        self.snapshot_lines = (self.snapshot_lines if snapshot.appends else 0) + len(snapshot.lines)
        self.tail = snapshot.screen_text().encode()[-4096:]


async def _client(machine: FakeMachine, command: str | None) -> HostClient:
    """Through ``command`` (ssh), or straight to the machine's socket."""
    if command is None:
        return await connect_or_start(machine.db)
    client, _link = await open_link(Remote("bench", command))
    return client


async def _echo(
    machine: FakeMachine, project: str, command: str | None, samples: int
) -> list[float]:
    client = await _client(machine, command)
    sink = _Tail()
    await client.start(project, sink, *SIZE)
    await until(lambda: b"ready" in sink.tail, 20)
    times = []
    tag = time.monotonic_ns()  # Words of earlier runs are on the session's screen.
    for i in range(samples):
        word = f"k{tag}-{i}x".encode()
        start = time.perf_counter()
        client.write(project, word)
        await until(lambda word=word: word in sink.tail, 10, 0.0005)
        times.append(time.perf_counter() - start)
    await client.close()
    return times


async def _flood(machine: FakeMachine, project: str, command: str | None) -> float:
    client = await _client(machine, command)
    sink = _Tail()
    await client.start(project, sink, *SIZE)
    await until(lambda: b"ready" in sink.tail, 20)
    start = time.perf_counter()
    client.write(project, b"go\n")
    await until(lambda: MARKER in sink.tail, 120, 0.001)
    elapsed = time.perf_counter() - start
    await client.close()
    return sink.bytes / elapsed


async def _attach(machine: FakeMachine, projects: list[str], command: str | None) -> float:
    start = time.perf_counter()
    client = await _client(machine, command)
    sinks = [_Tail() for _ in projects]
    await asyncio.gather(*(client.start(p, s, *SIZE) for p, s in zip(projects, sinks, strict=True)))
    await until(lambda: all(s.snapshot_lines >= 9_000 for s in sinks), 60)
    elapsed = time.perf_counter() - start
    await client.close()
    return elapsed


async def _printed(machine: FakeMachine, projects: list[str]) -> None:
    """Start the sessions and wait until each has printed its whole history."""
    client = await _client(machine, None)
    sinks = [_Tail() for _ in projects]
    for project, sink in zip(projects, sinks, strict=True):
        await client.start(project, sink, *SIZE)
    await until(lambda: all(b"line 10000 of" in s.tail for s in sinks), 60)
    await client.close()


def bench_remote(report: Report, tmp: Path, runs: int, samples: int, size: int) -> None:
    if SSHD is None:
        report.record("remote", "ssh remotes", "skipped: no sshd", "", "")
        return
    machine = fake_machine(tmp, f"remote-{time.monotonic_ns()}")
    flood = tmp / "remote-flood.txt"
    flood.write_bytes(
        b"".join(b"line %d of a flood of plain output\n" % i for i in range(size // 36))
    )
    history = "seq -f 'history line %g of the session output' 1 10000; exec sleep 600"
    with machine.store() as store:
        echo = store.add_project(
            "echo", str(machine.workspace), command="sh -c 'echo ready; exec cat'"
        ).id
        script = f"echo ready; read go; cat {flood}; echo {MARKER.decode()}; exec sleep 600"
        flooding = store.add_project(
            "flood", str(machine.workspace), command=f"sh -c {shlex.quote(script)}"
        ).id
        attached = [
            store.add_project(
                f"h{i}", str(machine.workspace), command=f"sh -c {shlex.quote(history)}"
            ).id
            for i in range(10)
        ]
    try:
        _measure(report, machine, runs, samples, size, echo, flooding, attached)
    finally:
        asyncio.run(stop_host(machine.db))


def _measure(
    report: Report,
    machine: FakeMachine,
    runs: int,
    samples: int,
    size: int,
    echo: str,
    flooding: str,
    attached: list[str],
) -> None:
    """The three figures, each through ssh and over the local socket."""
    with running_sshd(machine.root / "sshd") as sshd:
        ssh = sshd.ssh(machine.command)
        asyncio.run(_echo(machine, echo, ssh, 3))  # Both links warm, the host up.
        local = asyncio.run(_echo(machine, echo, None, samples))
        remote = asyncio.run(_echo(machine, echo, ssh, samples))
        report.record(
            "remote",
            "keystroke echo through ssh on localhost: p50 / p90",
            f"{ms(statistics.median(remote))} / {ms(pct(remote, 0.9))}",
            f"local socket p50 {ms(statistics.median(local))} / p90 {ms(pct(local, 0.9))}",
            f"+{ms(statistics.median(remote) - statistics.median(local))}",
        )
        local_rate = median_of(runs, lambda: _restarted(machine, flooding, None, _flood))
        remote_rate = median_of(runs, lambda: _restarted(machine, flooding, ssh, _flood))
        report.record(
            "remote",
            f"throughput of {size / 1e6:.1f} MB of output through ssh on localhost",
            f"{remote_rate / 1e6:.1f} MB/s",
            f"local socket {local_rate / 1e6:.1f} MB/s",
            f"{remote_rate / local_rate:.2f}x",
        )
        asyncio.run(_printed(machine, attached))
        local_attach = median_of(runs, lambda: asyncio.run(_attach(machine, attached, None)))
        remote_attach = median_of(runs, lambda: asyncio.run(_attach(machine, attached, ssh)))
        report.record(
            "remote",
            "attach to 10 sessions with 10,000 lines of history each (connect included)",
            f"{remote_attach * 1000:.0f} ms",
            f"local socket {local_attach * 1000:.0f} ms",
            f"{remote_attach / local_attach:.2f}x",
        )


def _restarted(machine: FakeMachine, project: str, command: str | None, measure) -> float:  # type: ignore[no-untyped-def]
    """``measure`` on a fresh run of the project's session (its flood waits for 'go')."""

    async def run() -> float:
        client = await connect_or_start(machine.db)
        await client.start(project, IgnoringSink(), *SIZE, paused=True)
        await client.stop(project)
        await client.close()
        return await measure(machine, project, command)

    return asyncio.run(run())
