"""A ``pyte.Screen`` that is correct for what modern programs send, and fast where it matters.

pyte 0.8.2 drops text after zero-width codepoints, does not wrap a wide
character at the last column, loses the palette meaning of 256 colours, has no
dim attribute, no alternate screen and no scrollback of its own, leaves stale
lines behind in insert/delete line, and marks every row dirty on each scroll.
This subclass fixes those, keeping pyte's buffer layout so its remaining
methods (erase, insert/delete characters, tabs, cursor motion) still apply.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import pyte
from pyte import modes as mo
from pyte.screens import Margins, StaticDefaultDict
from wcwidth import wcwidth

DEFAULT_SCROLLBACK = 10_000

# Private modes, shifted as pyte stores them.
ALT_SCREEN_MODES = frozenset({47 << 5, 1047 << 5, 1049 << 5})
SAVE_CURSOR_MODE = 1048 << 5
SYNC_OUTPUT = 2026 << 5
BRACKETED_PASTE = 2004 << 5
FOCUS_EVENTS = 1004 << 5
MOUSE_SGR = 1006 << 5
MOUSE_MODES = (1003 << 5, 1002 << 5, 1000 << 5, 9 << 5)


class Attrs(NamedTuple):
    """How a cell looks: pyte's attributes plus what pyte lacks (dim, overline, links).

    ``fg``/``bg`` hold ``"default"``, a palette index (int, 0-255) or a
    ``"rrggbb"`` hex string for truecolour. Instances are interned (see
    :func:`intern_attrs`), so equal attributes are one shared object.
    """

    fg: str | int = "default"
    bg: str | int = "default"
    bold: bool = False
    italics: bool = False
    underscore: bool = False
    strikethrough: bool = False
    reverse: bool = False
    blink: bool = False
    dim: bool = False
    overline: bool = False
    link: str | None = None


_INTERNED_ATTRS: dict[Attrs, Attrs] = {}
_INTERN_LIMIT = 65_536


def intern_attrs(attrs: Attrs) -> Attrs:
    """One shared object per distinct style (bounded: output with endless truecolour
    styles would otherwise grow the table forever; sharing is only an optimisation)."""
    shared = _INTERNED_ATTRS.get(attrs)
    if shared is None:
        if len(_INTERNED_ATTRS) >= _INTERN_LIMIT:
            _INTERNED_ATTRS.clear()
            _INTERNED_ATTRS[DEFAULT_ATTRS] = DEFAULT_ATTRS
        shared = _INTERNED_ATTRS[attrs] = attrs
    return shared


DEFAULT_ATTRS = Attrs()
_INTERNED_ATTRS[DEFAULT_ATTRS] = DEFAULT_ATTRS


class Char(NamedTuple):
    """A cell as pyte stores it, ``(data, attrs)``: two references, whatever the styling.

    pyte's methods only ever ``_replace(data=...)`` a cell, which this layout keeps.
    """

    data: str
    attrs: Attrs = DEFAULT_ATTRS

    @property
    def fg(self) -> str | int:
        return self.attrs.fg

    @property
    def bg(self) -> str | int:
        return self.attrs.bg

    @property
    def bold(self) -> bool:
        return self.attrs.bold

    @property
    def italics(self) -> bool:
        return self.attrs.italics

    @property
    def underscore(self) -> bool:
        return self.attrs.underscore

    @property
    def strikethrough(self) -> bool:
        return self.attrs.strikethrough

    @property
    def reverse(self) -> bool:
        return self.attrs.reverse

    @property
    def dim(self) -> bool:
        return self.attrs.dim

    @property
    def link(self) -> str | None:
        return self.attrs.link


BLANK = Char(" ", DEFAULT_ATTRS)
Line = StaticDefaultDict  # column -> Char
# A scrolled-off line, kept compactly: runs of (text, shared attributes).
Runs = tuple[tuple[str, Attrs], ...]

_WIDTHS: dict[str, int] = {}


def char_width(ch: str) -> int:
    width = _WIDTHS.get(ch)
    if width is None:
        width = _WIDTHS[ch] = wcwidth(ch)
    return width


_ATTRS_OF = itemgetter(1)
_DATA = itemgetter(0)


def line_runs(line: Line, columns: int) -> Runs:
    """Group a line's cells into runs of equal attributes (wide-char stubs add no text)."""
    blank = line.default.attrs
    if not line:
        return ((" " * columns, blank),)
    used = min(max(line) + 1, columns)
    cells = list(map(line.__getitem__, range(used)))
    runs = [("".join(map(_DATA, group)), key) for key, group in groupby(cells, _ATTRS_OF)]
    if used < columns:
        if runs[-1][1] == blank:
            runs[-1] = (runs[-1][0] + " " * (columns - used), blank)
        else:
            runs.append((" " * (columns - used), blank))
    return tuple(runs)


def runs_text(runs: Runs) -> str:
    return "".join(text for text, _ in runs)


class _CellCache(dict[str, Char]):
    """Interned cells of one attribute set: drawing a character is one dict lookup."""

    def __init__(self, attrs: Attrs) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, ch: str) -> Char:
        cell = self[ch] = tuple.__new__(Char, (ch, self.attrs))
        return cell


_CACHE_LIMIT = 4096


class TerminalScreen(pyte.Screen):
    """The screen model: main and alternate buffers, scrollback, precise dirty rows."""

    def __init__(self, columns: int, lines: int, scrollback: int = DEFAULT_SCROLLBACK) -> None:
        self.scrollback: deque[Runs] = deque(maxlen=max(0, scrollback))
        self.on_scrollback: Callable[[int], None] | None = None
        self._main_buffer: defaultdict[int, Line] | None = None
        self._char_cache: dict[str, Char] = {}
        self._cell_caches: dict[Attrs, _CellCache] = {}
        self._sgr_cache: dict[tuple[Attrs, str], Char] = {}
        self._char_cache_attrs: Attrs | None = None
        self.cursor_shape = 0
        self.responder: Callable[[str], None] | None = None
        self.last_char = ""
        super().__init__(columns, lines)

    # -- state ---------------------------------------------------------------

    @property
    def default_char(self) -> Char:
        return BLANK

    def reset(self) -> None:
        if getattr(self, "_main_buffer", None) is not None:
            self.buffer = self._main_buffer
            self._main_buffer = None
        super().reset()
        self.cursor.attrs = self.default_char
        self.cursor_shape = 0

    @property
    def in_alternate_screen(self) -> bool:
        return self._main_buffer is not None

    def _new_line(self) -> Line:
        return StaticDefaultDict(self.default_char)

    def _new_buffer(self) -> defaultdict[int, Line]:
        return defaultdict(self._new_line)

    def _touch_all(self) -> None:
        self.dirty.update(range(self.lines))

    def write_process_input(self, data: str) -> None:
        if self.responder is not None:
            self.responder(data)

    # -- text ----------------------------------------------------------------

    def draw(self, data: str) -> None:
        if self.charset == 0 and self.g0_charset is not pyte.charsets.LAT1_MAP:
            data = data.translate(self.g0_charset)
        elif self.charset == 1:
            data = data.translate(self.g1_charset)
        if data.isascii():
            self._draw_ascii(data)
        else:
            self._draw_unicode(data)
        self.last_char = data[-1:] or self.last_char

    def _cells(self) -> dict[str, Char]:
        """Cells for each character in the current attributes (shared, immutable)."""
        attrs = self.cursor.attrs.attrs
        if attrs is not self._char_cache_attrs:
            self._char_cache_attrs = attrs
            cache = self._cell_caches.get(attrs)
            if cache is None:
                if len(self._cell_caches) > _CACHE_LIMIT:
                    self._cell_caches.clear()
                cache = self._cell_caches[attrs] = _CellCache(attrs)
            self._char_cache = cache
        return self._char_cache

    def _cell(self, ch: str) -> Char:
        return self._cells()[ch]

    def _wrap_if_pending(self) -> bool:
        """At the right edge: wrap (DECAWM) or stay on the last column. True if wrapped."""
        if mo.DECAWM in self.mode:
            self.cursor.x = 0
            self.index()
            return True
        self.cursor.x = self.columns - 1
        return False

    def _draw_ascii(self, data: str) -> None:
        cursor = self.cursor
        columns = self.columns
        cells = self._cells().__getitem__
        insert = mo.IRM in self.mode
        while data:
            if cursor.x >= columns:
                self._wrap_if_pending()
            x = cursor.x
            space = columns - x
            chunk, data = data[:space], data[space:]
            if insert:
                self.insert_characters(len(chunk))
            end = x + len(chunk)
            self.buffer[cursor.y].update(zip(range(x, end), map(cells, chunk), strict=True))
            cursor.x = end
            self.dirty.add(cursor.y)

    def _draw_unicode(self, data: str) -> None:
        cursor = self.cursor
        columns = self.columns
        insert = mo.IRM in self.mode
        for ch in data:
            width = char_width(ch)
            if width <= 0 or width > columns:
                if width == 0:
                    self._combine(ch)
                continue  # Unprintable, or wider than the whole screen.
            if cursor.x + width > columns:
                if mo.DECAWM in self.mode:
                    cursor.x = 0
                    self.index()
                else:
                    cursor.x = max(0, columns - width)
            if insert:
                self.insert_characters(width)
            line = self.buffer[cursor.y]
            line[cursor.x] = self._cell(ch)
            if width == 2:
                # A wide character's second cell is an empty stub, as pyte expects.
                line[cursor.x + 1] = self._cell("")
            cursor.x += width
            self.dirty.add(cursor.y)

    def _combine(self, mark: str) -> None:
        """Attach a zero-width codepoint to the cell before the cursor."""
        y, x = self.cursor.y, min(self.cursor.x, self.columns) - 1
        line = self.buffer[y]
        if x > 0 and line[x].data == "" and line[x - 1].data:
            x -= 1
        if x < 0:
            return
        cell = line[x]
        if cell.data:
            line[x] = cell._replace(data=cell.data + mark)
            self.dirty.add(y)

    def repeat_last(self, count: int) -> None:
        """REP: repeat the last printed character (ncurses uses it)."""
        if self.last_char:
            self.draw(self.last_char * max(1, min(count, self.columns * self.lines)))

    # -- scrolling -----------------------------------------------------------

    def _region(self) -> tuple[int, int]:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        return top, bottom

    def _shift_dirty(self, top: int, bottom: int, delta: int) -> None:
        """Keep ``dirty`` naming the same (moved) lines after rows top..bottom shift by delta."""
        if not self.dirty or len(self.dirty) >= self.lines:
            return  # Nothing, or everything, is dirty: shifting changes neither.
        moved = set()
        for y in self.dirty:
            if top <= y <= bottom:
                y += delta
                if top <= y <= bottom:
                    moved.add(y)
            else:
                moved.add(y)
        self.dirty = moved

    def scroll_up(self, count: int = 1) -> None:
        """Move the scroll region's lines up by ``count`` (SU, and index at the bottom)."""
        top, bottom = self._region()
        count = max(1, min(count, bottom - top + 1))
        buffer = self.buffer
        keep = (
            top == 0
            and bottom == self.lines - 1
            and self._main_buffer is None
            and self.scrollback.maxlen
        )
        for y in range(top, top + count):
            line = buffer.pop(y, None)
            if keep:
                self.scrollback.append(
                    line_runs(line, self.columns)
                    if line is not None
                    else ((" " * self.columns, self.default_char.attrs),)
                )
        # Renumber in place: a new mapping per scroll would be garbage for the collector.
        pop = buffer.pop
        for y in range(top + count, bottom + 1):
            line = pop(y, None)
            if line is not None:
                buffer[y - count] = line
        self._shift_dirty(top, bottom, -count)
        self.dirty.update(range(bottom - count + 1, bottom + 1))
        if keep and self.on_scrollback is not None:
            self.on_scrollback(count)

    def scroll_down(self, count: int = 1) -> None:
        """Move the scroll region's lines down by ``count`` (SD, and reverse index at the top)."""
        top, bottom = self._region()
        count = max(1, min(count, bottom - top + 1))
        buffer = self.buffer
        for y in range(bottom - count + 1, bottom + 1):
            buffer.pop(y, None)
        for y in range(bottom - count, top - 1, -1):
            line = buffer.pop(y, None)
            if line is not None:
                buffer[y + count] = line
        self._shift_dirty(top, bottom, count)
        self.dirty.update(range(top, top + count))

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
        scrollback, self.scrollback = self.scrollback, deque(maxlen=0)
        try:
            self.scroll_up(count or 1)
        finally:
            self.scrollback = scrollback
            self.margins = saved_margins
        self.cursor.x = 0

    # -- erasing -------------------------------------------------------------

    def _blank_line(self, y: int) -> None:
        attrs = self.cursor.attrs.attrs
        if attrs.bg == "default" and not attrs.reverse:
            self.buffer.pop(y, None)
        else:
            line = self.buffer[y]
            line.clear()
            blank = Char(" ", attrs)
            for x in range(self.columns):
                line[x] = blank
        self.dirty.add(y)

    def erase_in_display(self, how: int = 0, *args: object, **kwargs: object) -> None:
        if how == 0:
            self.erase_in_line(0)
            for y in range(self.cursor.y + 1, self.lines):
                self._blank_line(y)
        elif how == 1:
            self.erase_in_line(1)
            for y in range(0, self.cursor.y):
                self._blank_line(y)
        elif how == 2:
            for y in range(self.lines):
                self._blank_line(y)
        elif how == 3:
            self.scrollback.clear()
            if self.on_scrollback is not None:
                self.on_scrollback(0)

    def erase_in_line(self, how: int = 0, *args: object, **kwargs: object) -> None:
        if how not in (0, 1, 2):
            return
        if how == 2:
            self._blank_line(self.cursor.y)
            return
        super().erase_in_line(how)

    # -- modes ---------------------------------------------------------------

    def set_mode(self, *modes: int, **kwargs: object) -> None:
        private = bool(kwargs.get("private"))
        if private and 5 in modes:  # DECSCNM (reverse video screen): not supported.
            modes = tuple(m for m in modes if m != 5)
        if private:
            shifted = {m << 5 for m in modes}
            if SAVE_CURSOR_MODE in shifted:
                self.save_cursor()
            if shifted & ALT_SCREEN_MODES and self._main_buffer is None:
                if 1049 << 5 in shifted:
                    self.save_cursor()
                self._main_buffer = self.buffer
                self.buffer = self._new_buffer()
                self._touch_all()
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: object) -> None:
        private = bool(kwargs.get("private"))
        if private and 5 in modes:
            modes = tuple(m for m in modes if m != 5)
        super().reset_mode(*modes, **kwargs)
        if private:
            shifted = {m << 5 for m in modes}
            if shifted & ALT_SCREEN_MODES and self._main_buffer is not None:
                self.buffer = self._main_buffer
                self._main_buffer = None
                self._fit_buffer()
                self._touch_all()
                if 1049 << 5 in shifted:
                    self.restore_cursor()
            if SAVE_CURSOR_MODE in shifted:
                self.restore_cursor()

    def restore_cursor(self) -> None:
        super().restore_cursor()
        self._clamp_cursor()

    def mode_state(self, mode: int, private: bool) -> int:
        """DECRQM answer: 1 set, 2 reset."""
        return 1 if (mode << 5 if private else mode) in self.mode else 2

    # -- geometry ------------------------------------------------------------

    def _clamp_cursor(self) -> None:
        self.cursor.x = max(0, min(self.cursor.x, self.columns - 1))
        self.cursor.y = max(0, min(self.cursor.y, self.lines - 1))

    def _fit_buffer(self) -> None:
        for y in [y for y in self.buffer if y >= self.lines]:
            del self.buffer[y]
        for line in self.buffer.values():
            for x in [x for x in line if x >= self.columns]:
                del line[x]

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
        self._fit_buffer()
        if self._main_buffer is not None:
            main, self.buffer = self.buffer, self._main_buffer
            self._fit_buffer()
            self.buffer, self._main_buffer = main, self.buffer
        self.margins = None
        self.tabstops = {x for x in self.tabstops if x < columns}
        if columns > old_columns:
            self.tabstops.update(range(8 * (old_columns // 8 + 1), columns, 8))
        self._clamp_cursor()
        self.dirty = set(range(lines))

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
        """SGR with colon sub-parameters, dim, overline and palette-preserving colours.

        Results are memoised per (attributes, parameters): output repeats the same few
        colour changes, and equal attributes then share one object (and one cell cache).
        """
        key = (self.cursor.attrs.attrs, params)
        cached = self._sgr_cache.get(key)
        if cached is None:
            if len(self._sgr_cache) > _CACHE_LIMIT:
                self._sgr_cache.clear()
            attrs = self._compute_sgr(self.cursor.attrs.attrs, params)
            cached = self._sgr_cache[key] = Char(" ", attrs)
        self.cursor.attrs = cached

    def _compute_sgr(self, attrs: Attrs, params: str) -> Attrs:
        items = params.split(";") if params else ["0"]
        if len(items) == 5 and items[1] == "2" and items[0] in ("38", "48"):
            # Truecolour, the common case that misses the cache: skip the general loop.
            colour = _colour(items[1:])
            if colour is not None:
                field = "fg" if items[0] == "38" else "bg"
                return intern_attrs(attrs._replace(**{field: colour}))
        changes: dict[str, object] = {}
        i = 0
        count = len(items)
        while i < count:
            item = items[i]
            i += 1
            if ":" in item:
                sub = item.split(":")
                code = _int(sub[0])
                if code in (38, 48):
                    colour = _colour(sub[1:])
                    if colour is not None:
                        changes["fg" if code == 38 else "bg"] = colour
                elif code == 4:
                    changes["underscore"] = _int(sub[1]) != 0 if len(sub) > 1 else True
                continue
            code = _int(item)
            if code == 0:
                attrs = DEFAULT_ATTRS._replace(link=attrs.link)
                changes.clear()
            elif 30 <= code <= 37:
                changes["fg"] = code - 30
            elif 40 <= code <= 47:
                changes["bg"] = code - 40
            elif 90 <= code <= 97:
                changes["fg"] = code - 82
            elif 100 <= code <= 107:
                changes["bg"] = code - 92
            elif code in (38, 48, 58):
                kind = _int(items[i]) if i < count else 0
                take = 2 if kind == 5 else 4 if kind == 2 else 1
                colour = _colour(items[i : i + take])
                i += take
                if colour is not None and code != 58:
                    changes["fg" if code == 38 else "bg"] = colour
            elif code in _SGR_FLAGS:
                field, value = _SGR_FLAGS[code]
                changes[field] = value
            elif code == 22:
                changes["bold"] = changes["dim"] = False
            elif code == 39:
                changes["fg"] = "default"
            elif code == 49:
                changes["bg"] = "default"
        # Equal attribute sets become one object, so their cell caches are shared.
        return intern_attrs(attrs._replace(**changes) if changes else attrs)

    def select_graphic_rendition(self, *attrs: int, **kwargs: object) -> None:
        if kwargs.get("private"):
            return
        self.apply_sgr(";".join(map(str, attrs)))

    def set_link(self, url: str | None) -> None:
        link = intern_attrs(self.cursor.attrs.attrs._replace(link=url or None))
        self.cursor.attrs = Char(" ", link)

    def set_title(self, param: str) -> None:
        self.title = param

    def bell(self, *args: object) -> None:
        pass


_SGR_FLAGS: dict[int, tuple[str, bool]] = {
    1: ("bold", True),
    2: ("dim", True),
    3: ("italics", True),
    4: ("underscore", True),
    5: ("blink", True),
    6: ("blink", True),
    7: ("reverse", True),
    9: ("strikethrough", True),
    21: ("underscore", True),
    23: ("italics", False),
    24: ("underscore", False),
    25: ("blink", False),
    27: ("reverse", False),
    29: ("strikethrough", False),
    53: ("overline", True),
    55: ("overline", False),
}


def _int(text: str) -> int:
    if not text or len(text) > 9 or not text.isdigit():
        return 0
    return int(text)


def _colour(args: list[str]) -> int | str | None:
    """``5;n`` / ``2;r;g;b`` (and the colon form ``2::r:g:b`` with a colour-space id)."""
    if not args:
        return None
    kind = _int(args[0])
    if kind == 5 and len(args) >= 2:
        index = _int(args[1])
        return index if 0 <= index <= 255 else None
    if kind == 2 and len(args) >= 4:
        r, g, b = (min(255, _int(v)) for v in args[-3:])
        return f"{r:02x}{g:02x}{b:02x}"
    return None
