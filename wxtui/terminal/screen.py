"""A ``pyte.Screen`` that is correct for what modern programs send, and fast where it matters.

pyte 0.8.2 drops text after zero-width codepoints, does not wrap a wide
character at the last column, loses the palette meaning of 256 colours, has no
dim attribute, no alternate screen and no scrollback of its own, leaves stale
lines behind in insert/delete line, and marks every row dirty on each scroll
(painters here compare :class:`Row` identities and versions instead).
This subclass fixes those. Its buffer is a list of :class:`Row` (a string and
style spans per row) instead of pyte's dicts of cells, so every method that
touches cells is its own; pyte still provides cursor motion, tabs, margins and
modes.
"""

from __future__ import annotations

from collections.abc import Callable

import pyte
from pyte import modes as mo
from pyte.screens import Margins

from wxtui.terminal.clusters import (
    AFTER_ZWJ,
    CHAR_KINDS,
    JOINING,
    char_kind,
    char_width,
    cluster_width,
    joins,
)
from wxtui.terminal.row import (
    DEFAULT_ATTRS,
    Attrs,
    Char,
    Row,
    Runs,
    runs_text,
)
from wxtui.terminal.scrollback import Scrollback
from wxtui.terminal.sgr import Pen, Pens

__all__ = ["DEFAULT_ATTRS", "Attrs", "Char", "Row", "Runs", "TerminalScreen", "runs_text"]

DEFAULT_SCROLLBACK = 10_000

# Private modes, shifted as pyte stores them.
ALT_SCREEN_MODES = frozenset({47 << 5, 1047 << 5, 1049 << 5})
SAVE_CURSOR_MODE = 1048 << 5
SYNC_OUTPUT = 2026 << 5
BRACKETED_PASTE = 2004 << 5
FOCUS_EVENTS = 1004 << 5
MOUSE_SGR = 1006 << 5
MOUSE_MODES = (1003 << 5, 1002 << 5, 1000 << 5, 9 << 5)

BLANK = Char(" ", DEFAULT_ATTRS)


class TerminalScreen(pyte.Screen):
    """The screen model: main and alternate buffers and scrollback."""

    def __init__(self, columns: int, lines: int, scrollback: int = DEFAULT_SCROLLBACK) -> None:
        self.scrollback = Scrollback(scrollback)
        self.on_scrollback: Callable[[int], None] | None = None
        self._main_buffer: list[Row] | None = None
        self._pens = Pens()
        self.pen: Pen = self._pens.default  # What text is written with (pyte's cursor.attrs).
        self._saved_pens: list[Pen] = []  # Alongside pyte's cursor savepoints.
        self.cursor_shape = 0
        self.responder: Callable[[str], None] | None = None
        self.last_char = ""
        super().__init__(columns, lines)
        # Rows instead of pyte's dicts of cells: every method touching cells is ours.
        self.buffer: list[Row] = self._new_buffer()  # type: ignore[assignment]

    # -- state ---------------------------------------------------------------

    @property
    def default_char(self) -> Char:  # type: ignore[override]  # our Char, not pyte's
        return BLANK

    def reset(self) -> None:
        if getattr(self, "_main_buffer", None) is not None:
            self._main_buffer = None
        super().reset()
        self.buffer = self._new_buffer()
        self.reset_pen()
        self.cursor_shape = 0

    def reset_pen(self) -> None:
        self.pen = self._pens.default

    @property
    def main_rows(self) -> list[Row]:
        """The main screen's rows, also while the alternate screen is shown."""
        return self.buffer if self._main_buffer is None else self._main_buffer

    @property
    def in_alternate_screen(self) -> bool:
        return self._main_buffer is not None

    def load_rows(self, main: list[Row], alternate: list[Row] | None) -> None:
        """Put rows another emulator of this size had in place (a snapshot's); the
        alternate screen's only while it is shown. Raises ValueError on the wrong
        number or width of rows, or rows for a screen that is not shown."""
        if (alternate is not None) != self.in_alternate_screen:
            raise ValueError("rows for a screen that is not shown")
        for rows in (main, *([] if alternate is None else [alternate])):
            if len(rows) != self.lines or any(row.width != self.columns for row in rows):
                raise ValueError("rows of another size than the screen")
        self.main_rows[:] = main
        if alternate is not None:
            self.buffer[:] = alternate

    def _new_buffer(self) -> list[Row]:
        return self._blank_rows(self.lines)

    def write_process_input(self, data: str) -> None:
        if self.responder is not None:
            self.responder(data)

    @property
    def display(self) -> list[str]:
        return [row.display() for row in self.buffer]

    # -- text ----------------------------------------------------------------

    def draw(self, data: str) -> None:
        if self.charset == 0 and self.g0_charset is not pyte.charsets.LAT1_MAP:
            data = data.translate(self.g0_charset)
        elif self.charset == 1:
            data = data.translate(self.g1_charset)
        if not data.isascii():
            self._draw_unicode(data)
        else:
            cursor = self.cursor
            x = cursor.x
            end = x + len(data)
            if end <= self.columns and mo.IRM not in self.mode:
                # Fits on the row: the common case, without the wrapping loop.
                self.buffer[cursor.y].put(x, data, self.pen.attrs)
                cursor.x = end
            else:
                self._draw_narrow(data)
        self.last_char = data[-1:] or self.last_char

    def _wrap_if_pending(self) -> bool:
        """At the right edge: wrap (DECAWM) or stay on the last column. True if wrapped."""
        if mo.DECAWM in self.mode:
            self.cursor.x = 0
            self.index()
            return True
        self.cursor.x = self.columns - 1
        return False

    def _draw_narrow(self, data: str) -> None:
        """Characters one cell wide each: written a whole row's worth at a time."""
        cursor = self.cursor
        columns = self.columns
        attrs = self.pen.attrs
        insert = mo.IRM in self.mode
        while data:
            if cursor.x >= columns:
                self._wrap_if_pending()
            x = cursor.x
            space = columns - x
            if len(data) <= space:
                chunk, data = data, ""
            else:
                chunk, data = data[:space], data[space:]
            row = self.buffer[cursor.y]
            if insert:
                row.insert_blanks(x, len(chunk), attrs)
            row.put(x, chunk, attrs)
            cursor.x = x + len(chunk)

    def _draw_unicode(self, data: str) -> None:
        """Split into runs of one width: each run of narrow or of wide characters is
        written at once; what joins the cluster of the cell before (zero-width marks,
        a skin tone, an emoji after a ZWJ, a flag's second half) goes into that cell."""
        start = 0
        kind = 1
        kinds = CHAR_KINDS
        for i, ch in enumerate(data):
            ch_kind = kinds.get(ch)
            if ch_kind is None:
                ch_kind = char_kind(ch)
            if ch_kind == AFTER_ZWJ and i and kinds.get(data[i - 1]) in (1, 2):
                # After a character that took a cell of its own (not a ZWJ, nor a mark
                # that may have been left out after one): an emoji that joins nothing.
                ch_kind = char_width(ch)
            if ch_kind == kind:
                continue  # One more of the run's width.
            if start < i:
                self._draw_run(data[start:i], kind)
            joining = ch_kind in (JOINING, AFTER_ZWJ)
            width = char_width(ch) if joining else ch_kind
            if (width == 0 or (joining and joins(self._cell_before_cursor()[1], ch))) and (
                self._combine(ch) or width == 0
            ):
                start = i + 1
            elif width in (1, 2):
                start, kind = i, width
            else:
                start = i + 1  # Unprintable.
        if start < len(data):
            self._draw_run(data[start:], kind)

    def _draw_run(self, chars: str, width: int) -> None:
        if width == 1:
            self._draw_narrow(chars)
        else:
            self._draw_wide(chars)

    def _draw_wide(self, chars: str) -> None:
        """Characters two cells wide: the second cell of each is an empty stub, as in pyte."""
        cursor = self.cursor
        columns = self.columns
        if columns < 2:
            return
        attrs = self.pen.attrs
        insert = mo.IRM in self.mode
        while chars:
            if cursor.x + 2 > columns:
                if mo.DECAWM in self.mode:
                    cursor.x = 0
                    self.index()
                else:
                    cursor.x = columns - 2
            x = cursor.x
            count = min(len(chars), (columns - x) // 2)
            piece, chars = chars[:count], chars[count:]
            row = self.buffer[cursor.y]
            if insert:
                row.insert_blanks(x, 2 * count, attrs)
            row.put(x, " ".join(piece) + " ", attrs)
            row.put_stubs(x + 1, count)
            cursor.x = x + 2 * count

    def _cell_before_cursor(self) -> tuple[int, str]:
        """The column and cluster of the cell just before the cursor (the first half of
        a wide one); (-1, "") at the start of a row."""
        x = min(self.cursor.x, self.columns) - 1
        row = self.buffer[self.cursor.y]
        if x > 0 and row.data_at(x) == "" and row.data_at(x - 1):
            x -= 1
        return (x, row.data_at(x)) if x >= 0 else (-1, "")

    def _combine(self, mark: str) -> bool:
        """Add a codepoint to the cluster of the cell before the cursor; False when it
        cannot join. A cluster that becomes two cells wide (``❤`` then VS16, a flag's
        second letter) takes the next cell too, as the terminal around it draws it. At
        the last column there is no next cell: a VS16 is left out (the emoji keeps its
        one-cell text form) and a printing character does not join."""
        x, data = self._cell_before_cursor()
        if not data:
            return False
        row = self.buffer[self.cursor.y]
        cluster = data + mark
        stub = x + 1
        if cluster_width(cluster) == 2 and cluster_width(data) < 2:
            if stub >= self.columns or self.cursor.x != stub:
                return False
            row.put(stub, " ", row[x].attrs)
            row.put_stubs(stub, 1)
            self.cursor.x = stub + 1
        row.put_special(x, cluster)
        return True

    def repeat_last(self, count: int) -> None:
        """REP: repeat the last printed character (ncurses uses it)."""
        if self.last_char:
            self.draw(self.last_char * max(1, min(count, self.columns * self.lines)))

    # -- scrolling -----------------------------------------------------------

    def _region(self) -> tuple[int, int]:
        margins = self.margins
        return (0, self.lines - 1) if margins is None else (margins.top, margins.bottom)

    def _blank_rows(self, count: int) -> list[Row]:
        columns = self.columns
        return [Row(columns) for _ in range(count)]

    def scroll_up(self, count: int = 1, *, into_history: bool = True) -> None:
        """Move the scroll region's lines up by ``count`` (SU, and index at the bottom).

        Lines leaving a full-screen region of the main screen go to the scrollback."""
        top, bottom = self._region()
        buffer = self.buffer
        if count == 1 and top == 0 and bottom == self.lines - 1:  # A line of a log:
            gone = [buffer.pop(0)]  # without slicing the buffer.
            buffer.append(Row(self.columns))
        else:
            count = max(1, min(count, bottom - top + 1))
            gone = buffer[top : top + count]
            del buffer[top : top + count]
            buffer[bottom - count + 1 : bottom - count + 1] = self._blank_rows(count)
        keep = (
            into_history
            and top == 0
            and bottom == self.lines - 1
            and self._main_buffer is None
            and self.scrollback.maxlen
        )
        if keep:
            for row in gone:
                self.scrollback.append(row)
        if keep and self.on_scrollback is not None:
            self.on_scrollback(count)

    def scroll_down(self, count: int = 1) -> None:
        """Move the scroll region's lines down by ``count`` (SD, and reverse index at the top)."""
        top, bottom = self._region()
        count = max(1, min(count, bottom - top + 1))
        buffer = self.buffer
        del buffer[bottom - count + 1 : bottom + 1]
        buffer[top:top] = self._blank_rows(count)

    def linefeed(self) -> None:
        """LF (pyte's, without its layers: a log calls it for every line)."""
        self.index()
        if mo.LNM in self.mode:
            self.cursor.x = 0

    def index(self) -> None:
        _top, bottom = self._region()
        if self.cursor.y == bottom:
            self.scroll_up(1)
        elif self.cursor.y < self.lines - 1:
            self.cursor.y += 1

    def reverse_index(self) -> None:
        top, _bottom = self._region()
        if self.cursor.y == top:
            self.scroll_down(1)
        elif self.cursor.y > 0:
            self.cursor.y -= 1

    def insert_lines(self, count: int | None = None) -> None:
        top, bottom = self._region()
        if not top <= self.cursor.y <= bottom:
            return
        saved_margins = self.margins
        self.margins = Margins(self.cursor.y, bottom)
        self.scroll_down(count or 1)
        self.margins = saved_margins
        self.cursor.x = 0

    def delete_lines(self, count: int | None = None) -> None:
        top, bottom = self._region()
        if not top <= self.cursor.y <= bottom:
            return
        saved_margins = self.margins
        self.margins = Margins(self.cursor.y, bottom)
        try:
            self.scroll_up(count or 1, into_history=False)
        finally:
            self.margins = saved_margins
        self.cursor.x = 0

    # -- erasing and editing ---------------------------------------------------

    def _blank_attrs(self) -> Attrs:
        """What erased cells look like: the pen's colours, never its protection."""
        attrs = self.pen.attrs
        if attrs.bg == "default" and not attrs.reverse:
            return DEFAULT_ATTRS  # Blanks that look default are default: rows stay one run.
        return attrs._replace(protected=False) if attrs.protected else attrs

    def _blank_line(self, y: int, selective: bool = False) -> None:
        if selective:
            self.buffer[y].erase_unprotected(0, self.columns, self._blank_attrs())
        else:
            self.buffer[y] = Row(self.columns, self._blank_attrs())

    def erase_in_display(
        self, how: int = 0, *args: object, selective: bool = False, **kwargs: object
    ) -> None:
        """ED, and DECSED (``selective``: cells protected by DECSCA stay)."""
        if how == 0:
            self.erase_in_line(0, selective=selective)
            for y in range(self.cursor.y + 1, self.lines):
                self._blank_line(y, selective)
        elif how == 1:
            self.erase_in_line(1, selective=selective)
            for y in range(0, self.cursor.y):
                self._blank_line(y, selective)
        elif how == 2:
            for y in range(self.lines):
                self._blank_line(y, selective)
        elif how == 3:
            self.scrollback.clear()
            if self.on_scrollback is not None:
                self.on_scrollback(0)

    def erase_in_line(
        self, how: int = 0, *args: object, selective: bool = False, **kwargs: object
    ) -> None:
        """EL, and DECSEL (``selective``: cells protected by DECSCA stay)."""
        x = min(self.cursor.x, self.columns)
        if how == 0:
            start, end = x, self.columns
        elif how == 1:
            start, end = 0, x + 1
        elif how == 2:
            self._blank_line(self.cursor.y, selective)
            return
        else:
            return
        row = self.buffer[self.cursor.y]
        if selective:
            row.erase_unprotected(start, end, self._blank_attrs())
        else:
            row.erase(start, end, self._blank_attrs())

    def set_protection(self, on: bool) -> None:
        """DECSCA: characters written from now on are (or are not) kept by DECSED/DECSEL."""
        attrs = self.pen.attrs
        if attrs.protected != on:
            self.pen = self._pens.with_attrs(self.pen, protected=on)

    def erase_characters(self, count: int | None = None) -> None:
        x = self.cursor.x
        self.buffer[self.cursor.y].erase(x, x + (count or 1), self.pen.attrs)

    def insert_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        self.buffer[self.cursor.y].insert_blanks(x, count or 1, self.pen.attrs)

    def delete_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        self.buffer[self.cursor.y].delete_cells(x, count or 1, self.pen.attrs)

    def alignment_display(self) -> None:
        """DECALN: fill the screen with E's (keeping each cell's style)."""
        for row in self.buffer:
            row.fill("E")

    # -- modes ---------------------------------------------------------------

    def _column_mode(self) -> None:
        """DECCOLM: xterm and tmux clear the screen, home the cursor and reset the margins.
        The width stays the pane's: the child keeps the size it was given."""
        self.margins = None
        self.erase_in_display(2)
        self.cursor_position()

    def set_mode(self, *modes: int, **kwargs: object) -> None:
        private = bool(kwargs.get("private"))
        if private and {3, 5} & set(modes):
            # DECCOLM is applied without resizing; DECSCNM (reverse video) is not supported.
            if 3 in modes:
                self._column_mode()
            modes = tuple(m for m in modes if m not in (3, 5))
        if private:
            shifted = {m << 5 for m in modes}
            if SAVE_CURSOR_MODE in shifted:
                self.save_cursor()
            if shifted & ALT_SCREEN_MODES and self._main_buffer is None:
                if 1049 << 5 in shifted:
                    self.save_cursor()
                self._main_buffer = self.buffer
                self.buffer = self._new_buffer()
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: object) -> None:
        private = bool(kwargs.get("private"))
        if private and {3, 5} & set(modes):
            if 3 in modes:
                self._column_mode()
            modes = tuple(m for m in modes if m not in (3, 5))
        super().reset_mode(*modes, **kwargs)
        if private:
            shifted = {m << 5 for m in modes}
            if shifted & ALT_SCREEN_MODES and self._main_buffer is not None:
                self.buffer = self._main_buffer
                self._main_buffer = None
                self._fit(self.buffer)
                if 1049 << 5 in shifted:
                    self.restore_cursor()
            if SAVE_CURSOR_MODE in shifted:
                self.restore_cursor()

    def save_cursor(self) -> None:
        """DECSC: the pen is saved with the cursor."""
        super().save_cursor()
        self._saved_pens.append(self.pen)

    def restore_cursor(self) -> None:
        if self.savepoints and self._saved_pens:
            self.pen = self._saved_pens.pop()
        super().restore_cursor()
        self._clamp_cursor()

    def mode_state(self, mode: int, private: bool) -> int:
        """DECRQM answer: 1 set, 2 reset."""
        return 1 if (mode << 5 if private else mode) in self.mode else 2

    # -- geometry ------------------------------------------------------------

    def _clamp_cursor(self) -> None:
        self.cursor.x = max(0, min(self.cursor.x, self.columns - 1))
        self.cursor.y = max(0, min(self.cursor.y, self.lines - 1))

    def _fit(self, buffer: list[Row]) -> None:
        """Make ``buffer`` exactly lines x columns (rows past the bottom are dropped)."""
        del buffer[self.lines :]
        buffer.extend(self._blank_rows(self.lines - len(buffer)))
        for row in buffer:
            if row.width != self.columns:
                row.resize(self.columns)

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        lines = max(1, lines or self.lines)
        columns = max(1, columns or self.columns)
        if lines == self.lines and columns == self.columns:
            return
        old_columns = self.columns
        if lines < self.lines and self.cursor.y >= lines:
            # Keep the cursor's line on screen: the lines above it scroll off the top.
            overflow = self.cursor.y - lines + 1
            saved_margins, self.margins = self.margins, None
            self.scroll_up(overflow)
            self.margins = saved_margins
            self.cursor.y -= overflow
        self.lines, self.columns = lines, columns
        self._fit(self.buffer)
        if self._main_buffer is not None:
            self._fit(self._main_buffer)
        self.margins = None
        self.tabstops = {x for x in self.tabstops if x < columns}
        if columns > old_columns:
            self.tabstops.update(range(8 * (old_columns // 8 + 1), columns, 8))
        self._clamp_cursor()

    def set_margins(
        self, top: int | None = None, bottom: int | None = None, **kwargs: object
    ) -> None:
        if kwargs.get("private"):
            return  # CSI ? r restores private modes in xterm; we keep none to restore.
        if top is not None and bottom is not None and top and bottom and top >= bottom:
            return
        super().set_margins(top, bottom)

    # -- attributes ----------------------------------------------------------

    def apply_sgr(self, params: str) -> None:
        """SGR with colon sub-parameters, dim, overline and palette-preserving colours."""
        self.pen = self._pens.after(self.pen, params)

    def select_graphic_rendition(self, *attrs: int, **kwargs: object) -> None:
        if kwargs.get("private"):
            return
        self.apply_sgr(";".join(map(str, attrs)))

    def set_link(self, url: str | None) -> None:
        self.pen = self._pens.with_attrs(self.pen, link=url or None)
