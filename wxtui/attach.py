"""``wxtui attach PROJECT``: the project's session straight in this terminal.

For a plain terminal, or one over ssh: the terminal gets a repaint of the session's
screen (its history scrolls into the terminal's own), then the child's output as it
comes; keys go to the child, except ``ctrl+]``, which detaches. The session runs in
the session host, and is started there if it does not run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import tty

from wxtui.errors import WxtuiError
from wxtui.sessions.agent_state import AgentStatus
from wxtui.sessions.client import HostClient
from wxtui.sessions.machines import Machine
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import RESET_MODES, Snapshot, repaint
from wxtui.text import inert

DETACH = b"\x1d"  # ctrl+]
# What a program may have left on: the alternate screen, mouse and paste modes, a hidden
# cursor. Detaching leaves the terminal as the shell expects it.
RESTORE = RESET_MODES + "\r\n"


# Output after which the status line must be drawn again: the screen or the scroll
# region was reset, or the alternate screen came or went.
_REDRAWS_STATUS = (b"\x1b[2J", b"\x1b[J", b"\x1b[r", b"\x1b[?1049", b"\x1bc", b"\x1b[?47")


def _clear(catching_up: bool, rows: int) -> bytes:
    """What readies the terminal for a repaint of ``rows`` (the status line's row
    below them): a blank screen, and a scroll region of those rows, so the repaint's
    history lines scroll into the terminal's own and its screen ends up in place.

    Most terminals (tmux, VTE, kitty) move a cleared screen into their history: right
    when attaching (the shell's screen is kept), but a catch-up repaints the lines on
    screen as history, so it erases them a row at a time (or they would be twice)."""
    # First what output cut off mid-way may have left on (the alternate screen of a
    # program that ended meanwhile, a background colour): the repaint sets what is on.
    if catching_up:
        clear = "\x1b[r" + "".join(f"\x1b[{y};1H\x1b[2K" for y in range(1, rows + 1))
    else:
        clear = "\x1b[r\x1b[H\x1b[2J"
    return f"{RESET_MODES}{clear}\x1b[1;{rows}r\x1b[H".encode()


class _Terminal:
    """The session's screen, output and events, written to this terminal: the session
    gets every row but the last, where a status line says how to detach (as tmux's)."""

    def __init__(self, out: int, status: str) -> None:
        self.out = out
        self.status = status
        self.ended = asyncio.Event()
        self.reason = ""
        self._pending: TerminalEmulator | None = None  # Pieces of history so far.
        self._catching_up = False

    @staticmethod
    def size() -> tuple[int, int]:
        """(rows, columns) of this terminal."""
        columns, rows = os.get_terminal_size(1)
        return max(1, rows), max(1, columns)

    def session_size(self) -> tuple[int, int]:
        """The session's: the terminal less its status line."""
        rows, columns = self.size()
        return max(1, rows - 1), columns

    def draw_status(self) -> None:
        """The status line on the last row, scrolling kept above it; the cursor stays."""
        rows, columns = self.size()
        if rows < 2:
            return
        line = f" {self.status}"[:columns].ljust(columns)
        self._write(
            f"\x1b7\x1b[1;{rows - 1}r\x1b8\x1b7\x1b[{rows};1H\x1b[0;7m{line}\x1b[0m\x1b8".encode()
        )

    def end(self, reason: str) -> None:
        if not self.ended.is_set():
            self.reason = reason
            self.ended.set()

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.out, view)
            except BlockingIOError:
                continue
            view = view[written:]

    def load_snapshot(self, snapshot: Snapshot) -> None:
        emulator = TerminalEmulator(snapshot.columns, snapshot.rows)
        if self._pending is None:  # The first piece says whether it is a catch-up.
            self._catching_up = snapshot.appends
        try:
            snapshot.restore(emulator, self._pending)
        except ValueError:
            self._pending = None  # What came of it is dropped with it.
            raise
        if snapshot.history_only:  # The rest, and the screen, follow.
            self._pending = emulator
            return
        self._pending = None
        self._write(_clear(self._catching_up, emulator.lines) + repaint(emulator))
        self.draw_status()

    def missed_output(self, bell: bool) -> None:
        """Never paused: it gets all the output."""

    def feed(self, data: bytes) -> None:
        self._write(data)
        if any(sequence in data for sequence in _REDRAWS_STATUS):
            self.draw_status()

    def session_exited(self, returncode: int) -> None:
        self.end(f"the session ended (exit code {returncode})")

    def notice(self, text: str) -> None:
        self._write(f"\r\n\x1b[1;33m[wxtui] {text}\x1b[0m\r\n".encode())

    def agent_status(self, status: AgentStatus, tracked: bool) -> None:
        pass

    def milestones_changed(self) -> None:
        pass


def run_attach(machine: Machine, project_ref: str) -> int:
    if not os.isatty(0) or not os.isatty(1):
        raise WxtuiError("attach needs a terminal (stdin and stdout)")
    reason = asyncio.run(_connect_and_attach(machine, project_ref))
    print(f"wxtui: {reason}", file=sys.stderr)
    return 0


async def _connect_and_attach(machine: Machine, project_ref: str) -> str:
    """Reach the machine's host (ssh may ask for a password on this terminal first),
    then hand the terminal to the session until it detaches."""
    client = await machine.connect()
    try:
        if not client.same_version and not machine.label:
            raise WxtuiError(
                f"the session host runs {client.other_version}; "
                "`wxtui host stop` ends it (its agents too), then attach again"
            )
        project = await machine.find_project(client, project_ref)
        # The way out, said before the session's screen covers it, and in the window
        # title (and the terminal's title stack) for as long as it is attached, as
        # tmux's status line would.
        hint = f"wxtui: {inert(machine.label + project.name)} (ctrl+] detaches)"
        print(f"{hint}; attaching...", file=sys.stderr, flush=True)
        os.write(1, f"\x1b[22;0t\x1b]2;{hint}\x07".encode())
        saved = termios.tcgetattr(0)
        try:
            tty.setraw(0, termios.TCSANOW)  # Keys typed ahead are kept.
            return await _attached(client, machine, project.id, hint)
        finally:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
            rows = _Terminal.size()[0]  # The status line goes, and scrolling is whole again.
            os.write(1, f"\x1b7\x1b[{rows};1H\x1b[2K\x1b[r\x1b8{RESTORE}\x1b[23;0t".encode())
    finally:
        await _close(client)


async def _attached(client: HostClient, machine: Machine, project_id: str, hint: str) -> str:
    loop = asyncio.get_running_loop()
    terminal = _Terminal(1, hint)

    def on_resize() -> None:
        client.resize(project_id, *terminal.session_size())
        terminal.draw_status()

    def on_input() -> None:
        try:
            data = os.read(0, 65536)
        except OSError:
            data = b""
        if not data:
            terminal.end("the terminal closed")
            return
        before, detach, _after = data.partition(DETACH)
        if before:
            client.write(project_id, before)
        if detach:
            terminal.end("detached; the session keeps running")

    try:
        client.resize(project_id, *terminal.session_size())  # A running one redraws.
        await client.start(
            project_id,
            terminal,
            *terminal.session_size(),
            agent=machine.agent,
            environ=machine.environ,
        )
        loop.add_reader(0, on_input)
        loop.add_signal_handler(signal.SIGWINCH, on_resize)
        waits = [loop.create_task(terminal.ended.wait()), loop.create_task(client.closed.wait())]
        await asyncio.wait(waits, return_when="FIRST_COMPLETED")
        for task in waits:
            task.cancel()
        return terminal.reason if terminal.ended.is_set() else "the session host went away"
    finally:
        with contextlib.suppress(Exception):
            loop.remove_reader(0)
            loop.remove_signal_handler(signal.SIGWINCH)


async def _close(client: HostClient) -> None:
    with contextlib.suppress(Exception):
        await client.close()
