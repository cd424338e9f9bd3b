"""How much of one event loop turn reading output may take."""

from __future__ import annotations

import asyncio


class ReadBudget:
    """A time budget for reading output, shared by every reader on one event loop: its
    PTYs and its connections to session hosts, this machine's and remotes'.

    When many children flood at once, each loop turn would otherwise parse a chunk
    from every one of them before any timer or keystroke runs. Once a turn has spent
    its budget, further readers wait for the next turn.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop | None = None, seconds: float = 0.005
    ) -> None:
        self.loop = loop  # None: the one running when it is first charged.
        self.seconds = seconds
        self.spent = 0.0
        self._reset_pending = False

    def exhausted(self) -> bool:
        return self.spent >= self.seconds

    def charge(self, seconds: float) -> None:
        self.spent += seconds
        if not self._reset_pending:
            self._reset_pending = True
            if self.loop is None:
                self.loop = asyncio.get_running_loop()
            self.loop.call_soon(self._reset)

    def _reset(self) -> None:
        self.spent = 0.0
        self._reset_pending = False
