"""How much of one event loop turn reading output may take."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

# A reader in line for a turn: called on its turn (one that no longer reads, or went
# away, does nothing, and the next one is called).
Resume = Callable[[], None]


class ReadBudget:
    """A time budget for reading output, shared by every reader on one event loop: its
    PTYs and its connections to session hosts, this machine's and remotes'.

    When many children flood at once, each loop turn would otherwise parse a chunk
    from every one of them before any timer or keystroke runs. Once a turn has spent
    its budget, further readers wait, in line: each new turn goes to the first of them,
    so one that floods cannot keep the others waiting.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop | None = None, seconds: float = 0.005
    ) -> None:
        self.loop = loop  # None: the one running when it is first used.
        self.seconds = seconds
        self.spent = 0.0
        self._reset_pending = False
        self._line: deque[Resume] = deque()
        self._woken = 0  # Readers whose turn came and who have not run yet.
        self._waking = False

    def exhausted(self) -> bool:
        return self.spent >= self.seconds

    def must_wait(self) -> bool:
        """Spent, or others wait for their turn before this reader."""
        return self.exhausted() or bool(self._line) or self._woken > 0

    def charge(self, seconds: float) -> None:
        """What a reader spent: the rest of the turn goes to those in line, in order,
        and the next turn to the first still waiting."""
        self.spent += seconds
        if not self._reset_pending:
            self._reset_pending = True
            self._running_loop().call_soon(self._reset)
        self._wake_next()

    def defer(self, resume: Resume, first: bool = False) -> None:
        """Call ``resume`` on this reader's turn (``first``: before those in line)."""
        if first:
            self._line.appendleft(resume)
        else:
            self._line.append(resume)

    async def wait(self, fresh: bool = False) -> None:
        """Returns at once unless :meth:`must_wait` (with ``fresh``: also if anything
        was read this turn, for a big piece of work such as a screen to load); else on
        this reader's turn. The reader must then :meth:`charge` what it read."""
        if not self.must_wait() and not self._spent(fresh):
            return
        loop = self._running_loop()
        first = False
        while True:
            future: asyncio.Future[None] = loop.create_future()
            self.defer(functools.partial(self._wake, future), first)
            try:
                await future
            except asyncio.CancelledError:
                if future.done() and not future.cancelled():  # Its turn came.
                    self._woken -= 1
                    self._wake_next()
                raise
            self._woken -= 1
            if not self._spent(fresh):
                return
            first = True  # Woken into a turn already spent (for it): the next is its.

    def _spent(self, fresh: bool) -> bool:
        return self.exhausted() or (fresh and self.spent > 0)

    def _wake(self, future: asyncio.Future[None]) -> None:
        if not future.done():
            self._woken += 1
            future.set_result(None)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
        return self.loop

    def _reset(self) -> None:
        """A new turn: it goes to the first reader in line, if any."""
        self.spent = 0.0
        self._reset_pending = False
        self._wake_next()

    def _wake_next(self) -> None:
        """Readers in line take what is left of this turn, one after the other: a PTY
        reads at once (and charges), a task is woken (and charges when it has read)."""
        if self._waking:
            return  # Called back from a reader it resumed: the loop below goes on.
        self._waking = True
        try:
            while self._line and not self._woken and not self.exhausted():
                resume = self._line.popleft()
                try:
                    resume()
                except Exception:  # One reader's failure must not stop the others'.
                    log.exception("a reader failed as its turn came")
        finally:
            self._waking = False
