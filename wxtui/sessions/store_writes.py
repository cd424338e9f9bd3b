"""The session host's writes to the database, made on a thread of their own.

Another process may hold SQLite's write lock for seconds (a CLI, a second UI, a backup).
A write made on the host's event loop would freeze every session for as long. Here
each write waits its turn on a worker thread with its own connection, in the order
given, and one refused as busy is tried again until it goes through: a conversation id
is never dropped because the database was busy when Claude reported it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from wxtui.errors import DatabaseBusy
from wxtui.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_EVERY = 0.05  # After a busy refusal (SQLite has already waited its busy timeout).
BUSY_WAIT_MS = 250  # How long the worker's own connection waits for the lock each try.


@dataclass(frozen=True, slots=True)
class _Write:
    write: Callable[[Store], Any]
    what: str
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


class StoreWrites:
    """Writes to the database at ``path``, in order, off the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    def submit(self, write: Callable[[Store], T], what: str) -> asyncio.Future[T]:
        """Run ``write`` with the worker's store; the future has its result (or the
        error that was not a busy database). ``what``: a few words for the log."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wxtui-writes", daemon=True)
            self._thread.start()
        self._queue.put(_Write(write, what, loop, future))
        return future

    def later(self, write: Callable[[Store], object], what: str) -> None:
        """:meth:`submit` for a write nobody waits on: a failure is logged."""
        self.submit(write, what).add_done_callback(lambda f: _log_failure(f, what))

    async def flush(self) -> None:
        """Once this returns, every write submitted before it has been made (or failed)."""
        if self._thread is not None:
            await self.submit(lambda store: None, "nothing (a flush)")

    async def close(self, timeout: float = 5.0) -> None:
        """Finish what was submitted (at most ``timeout`` seconds more), then stop."""
        thread = self._thread
        if thread is None:
            return
        self._queue.put(None)
        deadline = time.monotonic() + timeout
        while thread.is_alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if thread.is_alive():
            self._closing.set()  # Busy writes give up now (each is logged).
            await asyncio.get_running_loop().run_in_executor(None, thread.join, 1.0)
        self._thread = None
        self._closing.clear()

    def _run(self) -> None:
        store: Store | None = None
        try:
            while (job := self._queue.get()) is not None:
                if store is None:
                    try:
                        store = Store.open(self.path)
                    except Exception as exc:  # Said to whoever waits; tried again next time.
                        _settle(job, exc=exc)
                        continue
                    store.busy_timeout(BUSY_WAIT_MS)
                self._do(store, job)
        except Exception:
            log.exception("database writes stopped")
        finally:
            if store is not None:
                store.close()

    def _do(self, store: Store, job: _Write) -> None:
        told = False
        while True:
            try:
                result = job.write(store)
            except DatabaseBusy as exc:
                if self._closing.is_set():
                    log.error("not written (the database stayed busy): %s", job.what)
                    _settle(job, exc=exc)
                    return
                if not told:
                    log.warning("the database is busy; %s waits", job.what)
                    told = True
                time.sleep(RETRY_EVERY)
            except Exception as exc:
                _settle(job, exc=exc)
                return
            else:
                if told:
                    log.info("written at last: %s", job.what)
                _settle(job, result=result)
                return


def _settle(job: _Write, *, result: object = None, exc: BaseException | None = None) -> None:
    def settle() -> None:
        if job.future.done():
            return
        if exc is not None:
            job.future.set_exception(exc)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # The loop is closed: nobody waits any more.
        job.loop.call_soon_threadsafe(settle)


def _log_failure(future: asyncio.Future[Any], what: str) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        log.warning("not written: %s: %s", what, exc)
