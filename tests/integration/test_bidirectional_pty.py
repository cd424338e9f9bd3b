from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support import wait_until
from wxtui.sessions.pty import BidirectionalPTY, SpawnError, WriteBufferFull


class Collector:
    def __init__(self) -> None:
        self.output = bytearray()
        self.exit_codes: list[int] = []
        self.output_at_exit: bytes | None = None

    def on_output(self, data: bytes) -> None:
        assert not self.exit_codes, "output delivered after exit was reported"
        self.output += data

    def on_exit(self, code: int) -> None:
        self.output_at_exit = bytes(self.output)
        self.exit_codes.append(code)

    def spawn(self, argv: list[str], **kwargs) -> BidirectionalPTY:
        return BidirectionalPTY.spawn(
            argv, on_output=self.on_output, on_exit=self.on_exit, **kwargs
        )


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_echo_round_trip_and_exit_code() -> None:
    c = Collector()
    pty = c.spawn([sys.executable, "-c", "import sys; print('got', input()); sys.exit(3)"])
    pty.write(b"hello\r")
    assert await asyncio.wait_for(pty.wait(), 10) == 3
    assert b"got hello" in c.output
    assert c.exit_codes == [3] and not pty.alive and pty.exited


async def test_all_output_delivered_before_exit() -> None:
    c = Collector()
    script = "import sys; sys.stdout.write('x' * 300000 + 'END'); sys.stdout.flush()"
    pty = c.spawn([sys.executable, "-c", script])
    await asyncio.wait_for(pty.wait(), 10)
    assert c.output_at_exit is not None and c.output_at_exit.endswith(b"END")
    assert c.output_at_exit.count(b"x") == 300000


async def test_cwd_env_and_size() -> None:
    c = Collector()
    script = "import os, shutil; print(os.getcwd(), os.environ['MARK'], shutil.get_terminal_size())"
    pty = c.spawn(
        [sys.executable, "-c", script],
        cwd="/tmp",
        env={**os.environ, "MARK": "m1"},
        rows=33,
        cols=101,
    )
    await asyncio.wait_for(pty.wait(), 10)
    text = c.output.decode()
    assert "/tmp m1" in text and "columns=101, lines=33" in text


async def test_resize_sends_sigwinch() -> None:
    c = Collector()
    script = (
        "import signal, shutil, sys\n"
        "def report(*a): print('size', shutil.get_terminal_size(), flush=True)\n"
        "signal.signal(signal.SIGWINCH, report)\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    pty = c.spawn([sys.executable, "-c", script])
    await wait_until(lambda: b"ready" in c.output)
    pty.resize(40, 120)
    await wait_until(lambda: b"columns=120, lines=40" in c.output)
    pty.write(b"\r")
    await asyncio.wait_for(pty.wait(), 10)


async def test_send_signal_to_process_group() -> None:
    c = Collector()
    pty = c.spawn(["sh", "-c", "echo ready; sleep 30"])
    await wait_until(lambda: b"ready" in c.output)
    pty.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(pty.wait(), 10) == -signal.SIGTERM


async def test_close_escalates_to_sigkill_for_stubborn_child() -> None:
    c = Collector()
    script = (
        "import signal, time\n"
        "for s in (signal.SIGHUP, signal.SIGTERM): signal.signal(s, signal.SIG_IGN)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    pty = c.spawn([sys.executable, "-c", script])
    await wait_until(lambda: b"ready" in c.output)
    code = await asyncio.wait_for(pty.close(grace=0.2), 10)
    assert code == -signal.SIGKILL
    assert c.exit_codes == [code]
    with pytest.raises(ChildProcessError):
        os.waitpid(pty.pid, os.WNOHANG)


async def test_close_is_graceful_first() -> None:
    c = Collector()
    pty = c.spawn(["sh", "-c", "echo ready; sleep 30"])
    await wait_until(lambda: b"ready" in c.output)
    assert await asyncio.wait_for(pty.close(), 10) == -signal.SIGHUP


async def test_exit_reported_when_grandchild_keeps_terminal() -> None:
    c = Collector()
    pty = c.spawn(["sh", "-c", "sleep 5 & echo parent-done"])
    await asyncio.wait_for(pty.wait(), 10)
    assert b"parent-done" in c.output and c.exit_codes == [0]


async def test_no_fd_or_process_leaks_over_many_sessions() -> None:
    before = _open_fds()
    pids = []
    for _ in range(30):
        c = Collector()
        pty = c.spawn(["sh", "-c", "echo hi; sleep 30"])
        pids.append(pty.pid)
        await wait_until(lambda c=c: b"hi" in c.output)
        await pty.close(grace=0.5)
    assert _open_fds() == before
    for pid in pids:  # every child was reaped: none is left as a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


async def test_write_buffer_is_bounded_when_child_does_not_read() -> None:
    c = Collector()
    pty = c.spawn(["sh", "-c", "echo ready; sleep 30"], write_limit=64 * 1024)
    await wait_until(lambda: b"ready" in c.output)
    with pytest.raises(WriteBufferFull):
        for _ in range(1000):
            pty.write(b"y" * 4096)
    assert pty.pending_input <= 64 * 1024
    await pty.close(grace=0.2)


async def test_large_write_is_delivered_without_blocking() -> None:
    c = Collector()
    script = (
        "import sys, tty\n"
        "tty.setraw(0)\n"
        "print('ready', end='\\r\\n', flush=True)\n"
        "n = 0\n"
        "while n < 200000: n += len(sys.stdin.buffer.raw.read(65536))\n"
        "print('len', n, flush=True)\n"
    )
    pty = c.spawn([sys.executable, "-c", script])
    await wait_until(lambda: b"ready" in c.output)
    pty.write(b"z" * 100000)
    pty.write(b"z" * 100000)
    await asyncio.wait_for(pty.wait(), 20)
    assert b"len 200000" in c.output


async def test_spawn_errors_are_specific(tmp_path: Path) -> None:
    with pytest.raises(SpawnError, match="command not found: no-such-program-xyz"):
        BidirectionalPTY.spawn(["no-such-program-xyz"])
    with pytest.raises(SpawnError, match="working directory does not exist"):
        BidirectionalPTY.spawn(["sh"], cwd=str(tmp_path / "gone"))
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    with pytest.raises(SpawnError, match="not executable"):
        BidirectionalPTY.spawn([str(script)])
    with pytest.raises(SpawnError, match="empty command"):
        BidirectionalPTY.spawn([])


async def test_read_budget_defers_readers_without_starving_any() -> None:
    from wxtui.sessions.read_budget import ReadBudget

    budget = ReadBudget(asyncio.get_running_loop(), seconds=0.0)
    collectors = [Collector() for _ in range(5)]
    ptys = [
        BidirectionalPTY.spawn(
            ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line-$i; done; echo done"],
            on_output=c.on_output,
            on_exit=c.on_exit,
            budget=budget,
        )
        for c in collectors
    ]
    for pty in ptys:
        assert await asyncio.wait_for(pty.wait(), 10) == 0
    for c in collectors:
        assert b"done" in c.output_at_exit
