"""Where the app relies on Textual's internals (checked with textual 8.2).

``pyproject.toml`` caps textual below 9; the tests named here hold each piece when
Textual changes (the terminal widget's own are in wxtui/terminal/textual_internals.py):

- :func:`pass_meta_keys_through`: ESC+digit and ESC b/f as alt keys
  (``textual._ansi_sequences``); tests/unit/test_keyboard.py.
- :func:`check_bindings`, :func:`propagation_stopped`, :func:`take_key`: keys of a
  burst handled in arrival order (``App._check_bindings``, ``Message._stop_propagation``,
  ``Input._on_key``, ``TextArea._on_key``); the burst tests in tests/e2e/test_e2e_tmux.py.
- :func:`resize_virtually`: a sidebar of thousands of rows filtered without a layout of
  the whole screen per keystroke (``Widget._scroll_update``).
- :func:`unbind`: a binding set to "" in config.toml is taken off its node
  (``DOMNode._bindings``); tests/unit/test_config.py.
- :class:`QuietFooter`: a Footer not rebuilt when focus moves but its keys stay the same
  (``Footer.bindings_changed``, undocumented).
- :class:`DrainingDriver`, :func:`write_to_host`: output never blocks once the terminal
  is gone (``LinuxDriver._writer_thread``, ``_file``, ``App._driver``);
  tests/e2e/test_terminal_loss.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.app import App
from textual.dom import DOMNode
from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

log = logging.getLogger(__name__)


def resize_virtually(widget: Widget, size: Size) -> None:
    """A scrolling widget's virtual size, without the full layout that assigning
    ``virtual_size`` (a layout reactive) costs: only the scrollbars follow, and a layout
    runs only when one appears or goes."""
    if widget.virtual_size == size:
        return
    shown = (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar)
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    if (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar) != shown:
        widget.refresh(layout=True)
    else:
        widget.refresh()


@dataclass(frozen=True, slots=True)
class _KeyName:
    """Stands in for a ``Keys`` member: the parser only reads ``.value``."""

    value: str


META_KEYS = {f"\x1b{ch}": f"alt+{ch}" for ch in "0123456789bf"}


def pass_meta_keys_through() -> None:
    """Textual maps ESC+digit to macOS option characters (ESC 3 becomes "£") and ESC b /
    ESC f to ctrl+left / ctrl+right. In a terminal multiplexer those are alt+digit and
    meta+b / meta+f (Claude Code's and readline's word motions)."""
    table = cast(dict[str, tuple[_KeyName, ...]], ANSI_SEQUENCES_KEYS)
    for sequence, key in META_KEYS.items():
        table[sequence] = (_KeyName(key),)


async def check_bindings(app: App[Any], key: str, priority: bool = False) -> bool:
    """Run the app's binding for ``key`` (priority ones, or the focused chain's), as
    Textual does when a key bubbles up. True if one ran."""
    return await app._check_bindings(key, priority=priority)


def propagation_stopped(event: events.Event) -> bool:
    return bool(event._stop_propagation)


def unbind(node: DOMNode, ids: frozenset[str]) -> None:
    """Take the bindings with these ids off this node (``DOMNode._bindings``, the map
    Textual copies and overlays the keymap on; a keymap cannot unbind)."""
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in list(bindings.items()):
        kept = [binding for binding in key_bindings if binding.id not in ids]
        if kept:
            bindings[key] = kept
        else:
            del bindings[key]


async def take_key(widget: Widget, event: events.Key) -> None:
    """A text field's own handling of a key (``Input._on_key``, ``TextArea._on_key``:
    typing a character), run now rather than from the widget's queue."""
    handler = getattr(widget, "_on_key", None)
    if handler is not None:
        await handler(event)


class QuietFooter(Footer):
    """A Footer recomposed only when the keys it shows change: Textual's Footer rebuilds
    every key widget on each focus change (most of a pane switch's time, and a third of
    startup, where focus settles several times)."""

    _shown_keys: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        keys = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if keys == self._shown_keys:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown_keys = keys  # Textual recomposes it (else: next time).


class DrainingWriterThread(WriterThread):
    """Textual's writer thread, which goes on emptying its queue if the terminal fails.

    Textual's ``LinuxDriver`` writes through a thread fed by a bounded queue. When the
    terminal goes away (window closed, SSH dropped), the thread's write raises ``EIO``
    and the thread ends; the queue then fills, and the next write, or ``close()`` at
    shutdown, blocks the main thread for good."""

    def run(self) -> None:
        try:
            super().run()
        except (OSError, ValueError) as error:  # EIO, EPIPE, or a closed file.
            log.warning("terminal output failed (%s); output is discarded from now on", error)
            while self._queue.get() is not None:
                pass


class DrainingDriver(LinuxDriver):
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


def write_to_host(app: App[Any], data: str) -> None:
    """Raw output to the terminal the app runs in (Textual has no public way)."""
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(data)
