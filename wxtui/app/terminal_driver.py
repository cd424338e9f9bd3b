"""The terminal wxtui runs in: its title, desktop notifications, and whether it is gone.

The driver that keeps the app alive when the terminal goes away is
``textual_internals.DrainingDriver``; tests/e2e/test_terminal_loss.py holds both.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import signal
import sys
from collections.abc import Callable
from typing import Any

from textual.app import App

from wxtui.app.textual_internals import write_to_host
from wxtui.text import inert


def _printable(text: str, limit: int = 200) -> str:
    return inert(text, "").replace(";", "")[:limit]


def set_host_title(app: App[Any], title: str) -> None:
    """The window (and tab) title of the terminal wxtui runs in (OSC 2)."""
    write_to_host(app, f"\x1b]2;{_printable(title)}\x1b\\")


def notify_host_terminal(app: App[Any], title: str, body: str) -> None:
    """A desktop notification through the terminal wxtui runs in (OSC 9 for iTerm2,
    WezTerm, Windows Terminal, kitty; OSC 777 for VTE terminals and foot). Terminals
    that know neither ignore both."""
    clean = [_printable(title), _printable(body)]
    write_to_host(
        app, f"\x1b]9;{clean[0]}: {clean[1]}\x1b\\\x1b]777;notify;{clean[0]};{clean[1]}\x1b\\"
    )


def terminal_gone(fd: int) -> bool:
    """The terminal behind ``fd`` hung up (closed, or EOF on a pipe), without reading it."""
    poller = select.poll()
    poller.register(fd, select.POLLHUP | select.POLLERR | select.POLLNVAL)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


TERMINAL_CHECK_INTERVAL = 0.5


def quit_when_the_terminal_goes(app: App[Any], quit: Callable[[], object]) -> None:
    """``quit`` (soon, from the loop) on SIGTERM or SIGHUP (a terminal closed under us,
    a polite kill: sessions are left as quitting leaves them, conversations kept), and
    when the terminal vanished without a SIGHUP reaching us (stdin at EOF, a hangup
    while the signal was ignored)."""

    def soon() -> None:
        app.call_later(quit)

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, soon)
    stdin = sys.__stdin__
    if app.is_headless or stdin is None:
        return

    def check() -> None:
        if terminal_gone(stdin.fileno()):
            soon()

    app.set_interval(TERMINAL_CHECK_INTERVAL, check)
