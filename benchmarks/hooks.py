"""One Claude hook invocation, end to end: Claude waits for it before it goes on."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.measure import pct
from benchmarks.report import Report
from wxtui.sessions.claude_hooks import RELAY_SCRIPT


def hook_listener(path: Path, reply: bytes = b"") -> tuple[socket.socket, list[int]]:
    """A socket where the relay delivers events (the size of each is noted), answering
    each with ``reply`` once the relay has sent it all; served on a thread."""
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
                connection.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return server, received


def bench_hooks(report: Report, tmp: Path, runs: int) -> None:
    """One Claude hook invocation, end to end: the relay starts, sends the event over the
    socket to a listener, and exits (Claude waits for it before it goes on)."""
    path = tmp / "hooks.sock"
    server, received = hook_listener(path)
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
    report.record(
        "hooks",
        "one hook invocation end to end (relay start, send, exit): p50 / p90",
        f"{relay_ms:.1f} ms / {pct(relay_times, 0.9) * 1000:.1f} ms",
        f"bare python -I -S p50 {bare_ms:.1f} ms",
        f"{relay_ms / bare_ms:.2f}x",
        "p50 ≤ 30 ms",
        relay_ms <= 30,
    )
