"""The terminal emulator: bytes in, a screen model out, replies and events on callbacks."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from wxtui.terminal.parser import StreamParser
from wxtui.terminal.row import Row
from wxtui.terminal.screen import (
    BRACKETED_PASTE,
    DEFAULT_SCROLLBACK,
    FOCUS_EVENTS,
    MOUSE_MODES,
    MOUSE_SGR,
    SYNC_OUTPUT,
    TerminalScreen,
    runs_text,
)
from wxtui.terminal.scrollback import Scrollback

DECCKM = 1 << 5
DECTCEM = 25 << 5
SYNC_LIMIT = 4 * 1024 * 1024  # How much output a synchronized update may hold back.
SYNC_BEGIN = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"


class TerminalEmulator:
    """Feed it a child's output; read its rows, history, cursor and the modes the
    keyboard and mouse need.

    Split UTF-8 sequences across reads are joined by an incremental decoder;
    invalid bytes become U+FFFD instead of stopping anything. The output of a
    synchronized update (mode 2026) is held back until the child ends the update, so
    the screen (whoever paints it, whenever) never shows half a redraw; a painter that
    stops waiting calls :meth:`release_held`. Queries inside the update are answered
    when it ends.
    """

    def __init__(
        self,
        columns: int = 80,
        lines: int = 24,
        *,
        scrollback: int = DEFAULT_SCROLLBACK,
        reply: Callable[[bytes], None] | None = None,
        on_bell: Callable[[], None] | None = None,
        on_title: Callable[[str], None] | None = None,
    ) -> None:
        self.screen = TerminalScreen(columns, lines, scrollback)
        self.reply = reply
        self.screen.responder = self._respond
        self.parser = StreamParser(self.screen, on_bell=on_bell, on_title=on_title)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._held: bytearray | None = None

    def _respond(self, text: str) -> None:
        if self.reply is not None:
            self.reply(text.encode())

    def feed(self, data: bytes) -> None:
        if self._held is not None:
            self._held += data
            if SYNC_END not in self._held and len(self._held) < SYNC_LIMIT:
                return
            data = bytes(self._held)
            self._held = None
        begin = data.rfind(SYNC_BEGIN)
        if begin >= 0 and data.find(SYNC_END, begin) < 0:
            split = begin + len(SYNC_BEGIN)
            self._parse(data[:split])
            self._held = bytearray(data[split:])
        else:
            self._parse(data)

    def _parse(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        if text:
            self.parser.feed(text)

    @property
    def holding(self) -> bool:
        """Is the output of an unfinished synchronized update being held back?"""
        return self._held is not None

    def release_held(self) -> None:
        """Show what the update sent so far (its end is overdue)."""
        if self._held is not None:
            data = bytes(self._held)
            self._held = None
            self._parse(data)

    def feed_text(self, text: str) -> None:
        self.parser.feed(text)

    def resize(self, lines: int, columns: int) -> None:
        self.screen.resize(max(1, lines), max(1, columns))

    # -- what the widget asks -------------------------------------------------

    @property
    def columns(self) -> int:
        return self.screen.columns

    @property
    def lines(self) -> int:
        return self.screen.lines

    @property
    def rows(self) -> list[Row]:
        """The visible rows, top to bottom (a row object stays the same while it is on
        screen, and its ``version`` changes with its content)."""
        return self.screen.buffer

    @property
    def history(self) -> Scrollback:
        """Lines scrolled off the top, oldest first."""
        return self.screen.scrollback

    @history.setter
    def history(self, history: Scrollback) -> None:
        """Carry a history over (to a new emulator that takes an old one's place)."""
        self.screen.scrollback = history

    @property
    def on_scrollback(self) -> Callable[[int], None] | None:
        """Called with the number of lines that went into the history (0: it was cleared)."""
        return self.screen.on_scrollback

    @on_scrollback.setter
    def on_scrollback(self, callback: Callable[[int], None] | None) -> None:
        self.screen.on_scrollback = callback

    @property
    def cursor(self) -> tuple[int, int]:
        """(row, column) of the cursor, on screen."""
        screen = self.screen
        return screen.cursor.y, min(screen.cursor.x, screen.columns - 1)

    @property
    def cursor_shape(self) -> int:
        """DECSCUSR's shape: 0-2 block, 3-4 underline, 5-6 bar."""
        return self.screen.cursor_shape

    @property
    def in_alternate_screen(self) -> bool:
        return self.screen.in_alternate_screen

    @property
    def title(self) -> str:
        return self.screen.title

    @property
    def application_cursor_keys(self) -> bool:
        return DECCKM in self.screen.mode

    @property
    def cursor_visible(self) -> bool:
        return DECTCEM in self.screen.mode and not self.screen.cursor.hidden

    @property
    def bracketed_paste(self) -> bool:
        return BRACKETED_PASTE in self.screen.mode

    @property
    def focus_reporting(self) -> bool:
        return FOCUS_EVENTS in self.screen.mode

    @property
    def synchronized(self) -> bool:
        return SYNC_OUTPUT in self.screen.mode

    @property
    def mouse_tracking(self) -> int:
        """0 when off, else the most detailed tracking mode enabled (1000, 1002, 1003, 9)."""
        for mode in MOUSE_MODES:
            if mode in self.screen.mode:
                return mode >> 5
        return 0

    @property
    def mouse_sgr(self) -> bool:
        return MOUSE_SGR in self.screen.mode

    def display(self) -> list[str]:
        """The visible text, one string per row, trailing blanks kept (for tests and tools)."""
        return self.screen.display

    def scrollback_text(self) -> list[str]:
        return [runs_text(runs) for runs in self.screen.scrollback]
