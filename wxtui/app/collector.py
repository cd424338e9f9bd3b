"""Keeps the cyclic garbage collector's full passes off the hot path.

Scrollback is large, long-lived and acyclic, and a flood retires thousands of strips a
second; a full pass that walks what survived stalls the event loop for 15-30 ms, and
left to itself the collector runs one every few hundred milliseconds of a flood. So
the full pass waits for a moment when no pane paints and the user neither types nor
uses the mouse (or, during output that never pauses, at least every
``FULL_PASS_EVERY`` seconds), and what survives it is frozen
out of the collector's view; reference counting still frees it when it is dropped.
The young generations are collected as usual: their passes are short.
"""

from __future__ import annotations

import gc
import time
from typing import Any

NEVER = 2**31 - 1  # A generation-2 threshold the collector never reaches by itself.
IDLE_FOR = 1.0  # Seconds without a frame that make a moment idle.
FULL_PASS_EVERY = 30.0  # The longest a due full pass waits for an idle moment.


class QuietCollector:
    """Install it when the app starts; call :meth:`collect_when_idle` from a timer."""

    def __init__(
        self, idle_for: float = IDLE_FOR, full_pass_every: float = FULL_PASS_EVERY
    ) -> None:
        self.idle_for = idle_for
        self.full_pass_every = full_pass_every
        self._installed = False
        self._thresholds = gc.get_threshold()
        self._last_full = time.monotonic()

    def _after(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()
            self._last_full = time.monotonic()

    def install(self) -> None:
        if not self._installed:
            self._thresholds = gc.get_threshold()
            gc.freeze()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, NEVER)
            gc.callbacks.append(self._after)
            self._last_full = time.monotonic()
            self._installed = True

    @property
    def full_pass_due(self) -> bool:
        """As many middle-generation passes ran as the collector waits for by itself."""
        return gc.get_count()[2] >= self._thresholds[2]

    def collect_when_idle(self, quiet_for: float) -> bool:
        """The full pass if one is due and nothing was painted for the last
        ``quiet_for`` seconds (at least ``idle_for``), or it waited too long already.
        True when it ran."""
        if not self._installed or not self.full_pass_due:
            return False
        overdue = time.monotonic() - self._last_full >= self.full_pass_every
        if quiet_for < self.idle_for and not overdue:
            return False
        gc.collect()
        return True

    def sweep(self) -> None:
        """A full collection of everything, frozen objects included, for moments when
        cyclic garbage is known to exist (a removed widget's reference cycles)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def uninstall(self) -> None:
        if self._installed:
            gc.callbacks.remove(self._after)
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self._installed = False
