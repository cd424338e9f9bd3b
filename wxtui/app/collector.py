"""Keeping the cyclic garbage collector off the hot path.

Scrollback is large, long-lived and acyclic; a full collection that walks it
every few seconds stalls the event loop for tens of milliseconds per session.
After each full collection the survivors are frozen (moved out of the
collector's view); reference counting still frees them when they are dropped.
"""

from __future__ import annotations

import gc
from typing import Any


class QuietCollector:
    def __init__(self) -> None:
        self._installed = False

    def _after(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()

    def install(self) -> None:
        if not self._installed:
            gc.freeze()
            gc.callbacks.append(self._after)
            self._installed = True

    def sweep(self) -> None:
        """A full collection of everything, for moments when cyclic garbage is known to exist."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def uninstall(self) -> None:
        if self._installed:
            gc.callbacks.remove(self._after)
            gc.unfreeze()
            self._installed = False
