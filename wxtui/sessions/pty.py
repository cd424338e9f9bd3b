"""A child process in a pseudo-terminal, driven by the asyncio event loop.

Output is read when the loop says the master fd is readable (no threads, no
polling), input is written without ever blocking the loop, and the exit is
reported only after every byte the child wrote has been delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import signal
import time
from collections.abc import Callable, Mapping, Sequence

from ptyprocess import PtyProcess

from wxtui.errors import WxtuiError
from wxtui.sessions.read_budget import ReadBudget

READ_CHUNK = 4096  # Small reads: with many sessions flooding, each loop turn stays short.
DEFAULT_WRITE_LIMIT = 4 * 1024 * 1024
# After the process is reaped, how long a grandchild may keep the terminal open
# before the exit is reported anyway.
DRAIN_GRACE = 0.5
_PID_POLL_INTERVAL = 0.05

OutputCallback = Callable[[bytes], None]
ExitCallback = Callable[[int], None]


# How long a session's process has after SIGHUP and SIGTERM before it is killed.
STOP_GRACE = 1.0


class SpawnError(WxtuiError):
    """The child could not be started; the message says why in plain words."""


class WriteBufferFull(WxtuiError):
    """The child is not reading its input and the pending buffer is at its limit."""


def _reset_child_state(cwd: str | None) -> None:
    """Runs in the forked child: undo what Python and asyncio did to signals, then chdir."""
    for signum in (signal.SIGPIPE, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    if cwd is not None:
        os.chdir(cwd)


def _describe_exit(status: int) -> int:
    """Map a wait status to a return code in the subprocess convention (-N for signal N)."""
    return os.waitstatus_to_exitcode(status)


class BidirectionalPTY:
    """One child process in a pty; construct with :meth:`spawn` from inside a running loop."""

    def __init__(
        self,
        process: PtyProcess,
        loop: asyncio.AbstractEventLoop,
        on_output: OutputCallback | None = None,
        on_exit: ExitCallback | None = None,
        write_limit: int = DEFAULT_WRITE_LIMIT,
        budget: ReadBudget | None = None,
    ) -> None:
        self._process = process
        self._budget = budget
        self._reading = True
        self._loop = loop
        self.pid: int = process.pid
        self.fd: int = process.fd
        self.on_output = on_output
        self.on_exit = on_exit
        self.write_limit = write_limit
        self.returncode: int | None = None
        self._pending = bytearray()
        self._writer_registered = False
        self._eof = False
        self._reaped = False
        self._fd_closed = False
        self._exited = asyncio.Event()
        self._reaped_event = asyncio.Event()
        self._drain_timer: asyncio.TimerHandle | None = None
        self._pidfd: int | None = None
        self._poll_handle: asyncio.TimerHandle | None = None
        os.set_blocking(self.fd, False)
        loop.add_reader(self.fd, self._on_readable)
        self._watch_process()

    @classmethod
    def spawn(
        cls,
        argv: Sequence[str],
        *,
        cwd: str | None = None,
        env: Mapping[str, str] | None = None,
        rows: int = 24,
        cols: int = 80,
        on_output: OutputCallback | None = None,
        on_exit: ExitCallback | None = None,
        write_limit: int = DEFAULT_WRITE_LIMIT,
        budget: ReadBudget | None = None,
    ) -> BidirectionalPTY:
        if not argv:
            raise SpawnError("empty command")
        environment = dict(os.environ if env is None else env)
        program = argv[0]
        if cwd is not None and not os.path.isdir(cwd):
            raise SpawnError(f"working directory does not exist: {cwd}")
        resolved = shutil.which(program, path=environment.get("PATH", os.defpath))
        if resolved is None:
            if os.sep in program and os.path.exists(program):
                raise SpawnError(f"not executable: {program}")
            raise SpawnError(f"command not found: {program}")
        try:
            process = PtyProcess.spawn(
                [resolved, *argv[1:]],
                env=environment,
                dimensions=(max(1, rows), max(1, cols)),
                preexec_fn=lambda: _reset_child_state(cwd),
            )
        except FileNotFoundError as exc:
            raise SpawnError(f"cannot start {program}: {exc}") from None
        except PermissionError as exc:
            raise SpawnError(f"not executable: {program} ({exc})") from None
        except OSError as exc:
            raise SpawnError(f"cannot start {program}: {exc}") from None
        # We reap the child ourselves; stop ptyprocess from doing it again at GC time.
        process.closed = True
        return cls(process, asyncio.get_running_loop(), on_output, on_exit, write_limit, budget)

    # -- state -------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True until the process has been reaped."""
        return not self._reaped

    @property
    def exited(self) -> bool:
        """True once the exit has been reported (process reaped, output drained)."""
        return self._exited.is_set()

    async def wait(self) -> int:
        await self._exited.wait()
        assert self.returncode is not None
        return self.returncode

    # -- output ------------------------------------------------------------------

    def _on_readable(self) -> None:
        budget = self._budget
        if budget is not None and budget.must_wait():
            # This turn has parsed enough output, or others wait for theirs: timers,
            # keys and those readers go first.
            self._loop.remove_reader(self.fd)
            self._reading = False
            budget.defer(self._resume_reading)
            return
        self._charged_read()

    def _resume_reading(self) -> None:
        """Its turn of the read budget (which calls it only while the turn has some
        left): reading again, unless it no longer reads."""
        if self._reading or self._eof or self._fd_closed:
            return
        self._reading = True
        self._loop.add_reader(self.fd, self._on_readable)
        self._charged_read()

    def _charged_read(self) -> None:
        started = time.perf_counter()
        try:
            self._read_once()
        finally:  # Whatever happened: the next reader's turn depends on it.
            if self._budget is not None:
                self._budget.charge(time.perf_counter() - started)

    def _read_once(self) -> bool:
        """Read and deliver one chunk; False when nothing more is buffered (or at EOF)."""
        try:
            data = os.read(self.fd, READ_CHUNK)
        except BlockingIOError:
            return False
        except OSError as exc:
            # EIO: the last holder of the terminal's slave side is gone (Linux EOF).
            if exc.errno not in (errno.EIO, errno.EBADF):
                raise
            data = b""
        if not data:
            self._on_eof()
            return False
        if self.on_output is not None:
            self.on_output(data)
        return True

    def _on_eof(self) -> None:
        if self._eof:
            return
        self._eof = True
        if self._reading:
            self._loop.remove_reader(self.fd)
        self._maybe_report_exit()

    def _drain(self) -> None:
        """Deliver whatever is already buffered in the terminal."""
        while not self._fd_closed and not self._eof and self._read_once():
            pass

    # -- process lifetime ----------------------------------------------------------

    def _watch_process(self) -> None:
        try:
            self._pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            self._poll_handle = self._loop.call_later(_PID_POLL_INTERVAL, self._poll_process)
            return
        self._loop.add_reader(self._pidfd, self._try_reap)

    def _poll_process(self) -> None:
        self._poll_handle = None
        if not self._try_reap():
            self._poll_handle = self._loop.call_later(_PID_POLL_INTERVAL, self._poll_process)

    def _try_reap(self) -> bool:
        if self._reaped:
            return True
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid, status = self.pid, 0
        if pid == 0:
            return False
        self._reaped = True
        self._reaped_event.set()
        self.returncode = _describe_exit(status)
        self._process.terminated = True
        self._process.exitstatus = self.returncode
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        self._drain()
        if not self._eof:
            self._drain_timer = self._loop.call_later(DRAIN_GRACE, self._give_up_waiting_for_eof)
        self._maybe_report_exit()
        return True

    def _give_up_waiting_for_eof(self) -> None:
        self._drain_timer = None
        self._drain()
        self._on_eof()

    def _maybe_report_exit(self) -> None:
        if not (self._eof and self._reaped) or self._exited.is_set():
            return
        if self._drain_timer is not None:
            self._drain_timer.cancel()
            self._drain_timer = None
        self._stop_writing()
        self._close_fd()
        self._exited.set()
        assert self.returncode is not None
        if self.on_exit is not None:
            self.on_exit(self.returncode)

    # -- input -------------------------------------------------------------------

    @property
    def pending_input(self) -> int:
        return len(self._pending)

    def write(self, data: bytes) -> None:
        """Queue input for the child; raises WriteBufferFull rather than grow without bound."""
        if self._fd_closed or self._reaped or not data:
            return
        if len(self._pending) + len(data) > self.write_limit:
            raise WriteBufferFull(
                f"the program is not reading its input ({len(self._pending)} bytes waiting)"
            )
        self._pending += data
        self._flush()

    def _flush(self) -> None:
        while self._pending:
            try:
                written = os.write(self.fd, self._pending)
            except BlockingIOError:
                break
            except OSError:
                self._pending.clear()
                break
            del self._pending[:written]
        if self._pending and not self._writer_registered:
            self._loop.add_writer(self.fd, self._flush)
            self._writer_registered = True
        elif not self._pending:
            self._stop_writing()

    def _stop_writing(self) -> None:
        if self._writer_registered:
            self._loop.remove_writer(self.fd)
            self._writer_registered = False

    def resize(self, rows: int, cols: int) -> None:
        """Set the window size; the kernel sends SIGWINCH to the child's foreground group."""
        if self._fd_closed or rows < 1 or cols < 1:
            return
        with contextlib.suppress(OSError):
            self._process.setwinsize(rows, cols)

    def send_signal(self, signum: int) -> None:
        if self._reaped:
            return
        try:
            os.killpg(os.getpgid(self.pid), signum)
        except ProcessLookupError:
            pass
        except PermissionError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    # -- shutdown ----------------------------------------------------------------

    async def close(self, grace: float = STOP_GRACE) -> int:
        """End the child: SIGHUP, then SIGTERM, then SIGKILL; always reaped, fd always closed."""
        for signum in (signal.SIGHUP, signal.SIGTERM):
            if self._reaped:
                break
            self.send_signal(signum)
            self.send_signal(signal.SIGCONT)  # A stopped child must wake up to act on it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._reaped_event.wait()), grace)
        if not self._reaped:
            self.send_signal(signal.SIGKILL)
            while not self._try_reap():
                await asyncio.sleep(0.01)
        self._drain()
        self._on_eof()
        assert self.returncode is not None
        return self.returncode

    def _close_fd(self) -> None:
        if self._fd_closed:
            return
        self._fd_closed = True
        if not self._eof:
            self._eof = True
            if self._reading:
                self._loop.remove_reader(self.fd)
        self._stop_writing()
        # The file object owns the descriptor: closing it closes the fd exactly once.
        with contextlib.suppress(OSError):
            self._process.fileobj.close()
