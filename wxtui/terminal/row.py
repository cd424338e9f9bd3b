"""One screen row as a string plus style spans, instead of pyte's dict of cells.

Log-like output writes whole runs of text in one style and scrolls lines off
the top by the thousand; with a string per row, writing a run is one string
splice, and a line leaving the screen is already in the compact form the
scrollback keeps (runs of text and shared attributes). Column ``x`` is always
``text[x]``; cells that are not one codepoint (a wide character's second half,
combining marks) are the rare exception kept in ``special``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain
from typing import Any, NamedTuple


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
    protected: bool = False  # DECSCA: kept from selective erases.


DEFAULT_ATTRS = Attrs()
_HEX = frozenset("0123456789abcdefABCDEF")
_FIELD_TYPES = {type(None), str, int, bool}  # What a style's fields may hold.


def valid_styles(styles: Sequence[Any]) -> bool:
    """Each of ``styles`` is an :class:`Attrs`' fields as a list or tuple, of the types
    and colours an Attrs may hold: a style from elsewhere (a session host's history or
    screen) is checked before it is painted. Loops in C where it can: a history of
    thousands of styles is checked while a UI attaches."""
    return (
        set(map(type, styles)) <= {list, tuple}
        and not set(map(len, styles)) - {len(Attrs._fields)}
        and set(map(type, chain.from_iterable(styles))) <= _FIELD_TYPES
        and _valid_colours(styles)
    )


def _valid_colours(styles: Sequence[Sequence[object]]) -> bool:
    colours = {value for fields in styles for value in fields[:2]}
    return all(
        value == "default"
        or (type(value) is int and 0 <= value <= 255)
        or (type(value) is str and len(value) == 6 and _HEX.issuperset(value))
        for value in colours
    )


_INTERNED_ATTRS: dict[Attrs, Attrs] = {DEFAULT_ATTRS: DEFAULT_ATTRS}
_INTERN_LIMIT = 8192


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


class Char(NamedTuple):
    """A cell as pyte's API presents it, ``(data, attrs)``; also the cursor's pen."""

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


# A line as the renderer and the scrollback take it: runs of (text, shared attributes).
Runs = tuple[tuple[str, Attrs], ...]


def runs_text(runs: Runs) -> str:
    return "".join(text for text, _ in runs)


class Row:
    """A row of ``width`` cells: ``text`` has one character per column, and run ``i``
    of ``styles`` covers columns ``ends[i-1]`` (or 0) up to ``ends[i]``.

    ``special`` maps a column to its real content where that is not ``text[x]``:
    ``""`` for the second half of a wide character, several codepoints for a
    character with combining marks. It is ``None`` for almost every row.

    ``version`` goes up with every change, so a painter that remembers which row
    (by identity) and which version it last drew at each line knows exactly what to
    draw again, whatever moved or changed the row.
    """

    __slots__ = ("ends", "special", "styles", "text", "version")

    def __init__(self, width: int, attrs: Attrs = DEFAULT_ATTRS) -> None:
        self.text = " " * width
        self.ends = [width]
        self.styles = [attrs]
        self.special: dict[int, str] | None = None
        self.version = 0

    @classmethod
    def restored(
        cls, text: str, ends: list[int], styles: list[Attrs], special: dict[int, str] | None
    ) -> Row:
        """A row as another emulator had it (a session host's snapshot), loaded without
        parsing a byte. Raises ValueError if the parts do not make a row."""
        width = len(text)
        if (
            not ends
            or len(ends) != len(styles)
            or ends[-1] != width
            or ends[0] <= 0
            or ends != sorted(set(ends))  # Strictly increasing.
        ):
            raise ValueError("a row's runs do not cover it")
        if special and (min(special) < 0 or max(special) >= width):
            raise ValueError("a row's special cells are outside it")
        row = cls.__new__(cls)
        row.text, row.ends, row.styles = text, ends, styles
        row.special = special or None
        row.version = 0
        return row

    @property
    def width(self) -> int:
        return len(self.text)

    # -- reading -------------------------------------------------------------

    def __getitem__(self, x: int) -> Char:
        data = self.text[x]
        if self.special is not None:
            data = self.special.get(x, data)
        return Char(data, self.styles[bisect_right(self.ends, x)])

    def data_at(self, x: int) -> str:
        if self.special is not None and x in self.special:
            return self.special[x]
        return self.text[x]

    def runs(self, trim: bool = False) -> Runs:
        """The row as runs; with ``trim``, trailing default blanks are left out."""
        text: str | list[str]
        if self.special is None:
            text = self.text
        else:
            cells = list(self.text)
            for x, data in self.special.items():
                cells[x] = data
            text = cells
        runs = []
        start = 0
        for end, attrs in zip(self.ends, self.styles, strict=True):
            piece = text[start:end]
            runs.append((piece if type(piece) is str else "".join(piece), attrs))
            start = end
        if trim and runs[-1][1] is DEFAULT_ATTRS:
            last = runs[-1][0].rstrip(" ")
            if last:
                runs[-1] = (last, DEFAULT_ATTRS)
            else:
                runs.pop()
        return tuple(runs)

    def display(self) -> str:
        if self.special is None:
            return self.text
        return runs_text(self.runs())

    # -- writing -------------------------------------------------------------

    def put(self, x: int, chunk: str, attrs: Attrs) -> None:
        """Write single-width characters from column ``x`` (the caller keeps it in bounds)."""
        end = x + len(chunk)
        text = self.text
        self.text = text[:x] + chunk + text[end:] if x or end < len(text) else chunk
        self.version += 1
        if self.special is not None:
            self._forget_special(x, end)
        styles = self.styles
        if len(styles) == 1 and styles[0] is attrs:
            return
        self.paint(x, end, attrs)

    def put_special(self, x: int, data: str) -> None:
        """Record a cell whose content is not one codepoint (after :meth:`put` wrote it)."""
        if self.special is None:
            self.special = {}
        self.special[x] = data
        self.version += 1

    def put_stubs(self, x: int, count: int) -> None:
        """Mark every other column from ``x`` as the second half of a wide character."""
        if self.special is None:
            self.special = {}
        self.special.update(dict.fromkeys(range(x, x + 2 * count, 2), ""))
        self.version += 1

    def paint(self, start: int, end: int, attrs: Attrs) -> None:
        """Give columns ``start``..``end`` the style ``attrs``."""
        ends, styles = self.ends, self.styles
        i = bisect_right(ends, start)
        if styles[i] is attrs and ends[i] >= end:
            return  # Already in that style: overwriting text in place.
        self.version += 1
        j = bisect_left(ends, end, i)
        new_ends = []
        new_styles = []
        run_start = ends[i - 1] if i else 0
        if run_start < start:
            new_ends.append(start)
            new_styles.append(styles[i])
        new_ends.append(end)
        new_styles.append(attrs)
        if ends[j] > end:
            new_ends.append(ends[j])
            new_styles.append(styles[j])
        ends[i : j + 1] = new_ends
        styles[i : j + 1] = new_styles
        # Neighbouring runs of one style become one, so rows stay a few runs long.
        k = i + (run_start < start)
        if k + 1 < len(styles) and styles[k + 1] == attrs:
            del ends[k], styles[k + 1]
        if k and styles[k - 1] == attrs:
            del ends[k - 1], styles[k - 1]

    def erase(self, start: int, end: int, attrs: Attrs) -> None:
        """Blank columns ``start``..``end`` in ``attrs`` (erase line/characters)."""
        start, end = max(0, start), min(end, len(self.text))
        if start < end:
            self.put(start, " " * (end - start), attrs)

    def insert_blanks(self, x: int, count: int, attrs: Attrs) -> None:
        """ICH: shift cells from ``x`` right by ``count``; what passes the edge is lost."""
        width = len(self.text)
        count = min(count, width - x)
        if count <= 0:
            return
        self._replace_spans(
            [*self._spans(0, x), (count, attrs), *self._spans(x, width - count)],
            self.text[:x] + " " * count + self.text[x : width - count],
            shift=(x, count),
        )

    def delete_cells(self, x: int, count: int, attrs: Attrs) -> None:
        """DCH: remove ``count`` cells at ``x``; blanks in ``attrs`` come in at the edge."""
        width = len(self.text)
        count = min(count, width - x)
        if count <= 0:
            return
        self._replace_spans(
            [*self._spans(0, x), *self._spans(x + count, width), (count, attrs)],
            self.text[:x] + self.text[x + count :] + " " * count,
            shift=(x + count, -count),
            drop=(x, x + count),
        )

    def fill(self, char: str) -> None:
        """Every cell shows ``char``, keeping its style (DECALN)."""
        self.text = char * len(self.text)
        self.special = None
        self.version += 1

    def erase_unprotected(self, start: int, end: int, attrs: Attrs) -> None:
        """DECSEL/DECSED: blank the cells of ``start``..``end`` that DECSCA did not protect."""
        run_start = 0
        for run_end, style in list(zip(self.ends, self.styles, strict=True)):
            if not style.protected:
                self.erase(max(start, run_start), min(end, run_end), attrs)
            run_start = run_end

    def resize(self, width: int) -> None:
        old = len(self.text)
        self.version += 1
        if width < old:
            self._replace_spans(self._spans(0, width), self.text[:width])
        elif width > old:
            self.text += " " * (width - old)
            if self.styles[-1] is DEFAULT_ATTRS:
                self.ends[-1] = width
            else:
                self.ends.append(width)
                self.styles.append(DEFAULT_ATTRS)

    # -- helpers -------------------------------------------------------------

    def _spans(self, start: int, end: int) -> list[tuple[int, Attrs]]:
        """(length, attrs) runs covering columns ``start``..``end``."""
        spans = []
        run_start = 0
        for run_end, attrs in zip(self.ends, self.styles, strict=True):
            lo, hi = max(run_start, start), min(run_end, end)
            if lo < hi:
                spans.append((hi - lo, attrs))
            run_start = run_end
        return spans

    def _replace_spans(
        self,
        spans: list[tuple[int, Attrs]],
        text: str,
        shift: tuple[int, int] | None = None,
        drop: tuple[int, int] | None = None,
    ) -> None:
        ends: list[int] = []
        styles: list[Attrs] = []
        column = 0
        for length, attrs in spans:
            column += length
            if styles and styles[-1] == attrs:
                ends[-1] = column
            else:
                ends.append(column)
                styles.append(attrs)
        self.text, self.ends, self.styles = text, ends, styles
        self.version += 1
        if self.special is not None:
            moved = {}
            for x, data in self.special.items():
                if drop is not None and drop[0] <= x < drop[1]:
                    continue
                if shift is not None and x >= shift[0]:
                    x += shift[1]
                if 0 <= x < len(text):
                    moved[x] = data
            self.special = moved or None

    def _forget_special(self, start: int, end: int) -> None:
        """Columns start..end were overwritten: drop their special content, and blank
        the other half of any wide character cut in two (as xterm and tmux do)."""
        special = self.special
        assert special is not None
        if special.get(start) == "" and start > 0:
            special.pop(start - 1, None)
            self.text = self.text[: start - 1] + " " + self.text[start:]
        if special.get(end) == "":
            del special[end]
        for x in [x for x in special if start <= x < end]:
            del special[x]
        if not special:
            self.special = None
