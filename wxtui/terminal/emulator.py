"""The terminal emulator: bytes in, a screen model out, replies and events on callbacks."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from wxtui.terminal.parser import StreamParser
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

DECCKM = 1 << 5
DECTCEM = 25 << 5


class TerminalEmulator:
    """Feed it a child's output; read ``screen`` and the mode flags the keyboard needs.

    Split UTF-8 sequences across reads are joined by an incremental decoder;
    invalid bytes become U+FFFD instead of stopping anything.
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

    def _respond(self, text: str) -> None:
        if self.reply is not None:
            self.reply(text.encode())

    def feed(self, data: bytes) -> None:
        text = self._decoder.decode(data)
        if text:
            self.parser.feed(text)

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
