"""The terminal wxtui runs in: its title, desktop notifications, and whether it is gone.

The driver that keeps the app alive when the terminal goes away is
``textual_internals.DrainingDriver``; tests/e2e/test_terminal_loss.py holds both.
"""

from __future__ import annotations

import select
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
