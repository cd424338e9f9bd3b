"""The Textual driver wxtui runs with: its terminal may go away at any moment.

Textual's ``LinuxDriver`` (textual 8) writes through a thread fed by a bounded queue
(30 writes). When the terminal goes away (window closed, SSH dropped, the tmux server
killed), that thread's write raises ``EIO`` and the thread ends; the queue then fills,
and the next write, or the driver's ``close()`` at shutdown (which queues a stop marker
and joins), blocks the main thread for good: wxtui slept forever with its database open.

The work-around is small: once Textual has started its writer, it is replaced by one
that keeps draining the queue (discarding output) after the terminal is gone. It relies
on two attributes of ``LinuxDriver`` (``_writer_thread``, ``_file``); the tests in
``tests/test_terminal_loss.py`` kill the terminal under the installed app to hold it.

Desktop notifications go out through the same driver (``App._driver``): Textual has no
public way to send the host terminal a raw sequence.
"""

from __future__ import annotations

import logging
import select
from typing import Any

from textual.app import App
from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver

log = logging.getLogger(__name__)


class DrainingWriterThread(WriterThread):
    """Textual's writer thread, which goes on emptying its queue if the terminal fails."""

    def run(self) -> None:
        try:
            super().run()
        except (OSError, ValueError) as error:  # EIO, EPIPE, or a closed file.
            log.warning("terminal output failed (%s); output is discarded from now on", error)
            while self._queue.get() is not None:
                pass


class WxtuiDriver(LinuxDriver):
    """``LinuxDriver`` whose output never blocks the app once the terminal is gone."""

    def start_application_mode(self) -> None:
        super().start_application_mode()  # type: ignore[no-untyped-call]
        started = self._writer_thread
        if (
            started is not None
            and not isinstance(started, DrainingWriterThread)
            and self._file is not None
        ):
            started.stop()  # Writes what it has queued (the terminal is there at start).
            self._writer_thread = DrainingWriterThread(self._file)
            self._writer_thread.start()


def _printable(text: str, limit: int = 200) -> str:
    return "".join(ch for ch in text if ch.isprintable() and ch != ";")[:limit]


def set_host_title(app: App[Any], title: str) -> None:
    """The window (and tab) title of the terminal wxtui runs in (OSC 2)."""
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(f"\x1b]2;{_printable(title)}\x1b\\")


def notify_host_terminal(app: App[Any], title: str, body: str) -> None:
    """A desktop notification through the terminal wxtui runs in (OSC 9 for iTerm2,
    WezTerm, Windows Terminal, kitty; OSC 777 for VTE terminals and foot). Terminals
    that know neither ignore both. ``App`` has no public way to write raw output."""
    driver = app._driver
    if driver is None or app.is_headless:
        return
    clean = [_printable(title), _printable(body)]
    driver.write(f"\x1b]9;{clean[0]}: {clean[1]}\x1b\\\x1b]777;notify;{clean[0]};{clean[1]}\x1b\\")


def terminal_gone(fd: int) -> bool:
    """The terminal behind ``fd`` hung up (closed, or EOF on a pipe), without reading it."""
    poller = select.poll()
    poller.register(fd, select.POLLHUP | select.POLLERR | select.POLLNVAL)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)
