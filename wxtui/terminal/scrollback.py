"""Lines that scrolled off the top of the screen, kept where the garbage collector can't see them.

Tens of thousands of history lines per session live for the whole session. Kept
as tuples of (text, attributes) runs, every one of them is an object the cyclic
collector walks on each full collection: with 30 busy sessions that is a stall
of about 50 ms every few seconds. A line here is one flat tuple of a string and
ints (run ends and indices into a table of attributes), and the table holds plain
tuples of the attribute fields: CPython stops tracking such tuples (and a dict of
them) at their first collection. Lines are smaller this way too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import accumulate, chain

from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Row, Runs, intern_attrs

# (text, end, style index, end, style index, ...): ends are offsets into the text.
Line = tuple[str | int, ...]

STYLE_TABLE_LIMIT = 65_536


class Scrollback:
    """A bounded history of lines, oldest first, read back as :data:`Runs`."""

    def __init__(self, maxlen: int) -> None:
        self._lines: deque[Line] = deque(maxlen=max(0, maxlen))
        self._styles: list[tuple[object, ...]] = []  # Attrs fields, as a plain tuple.
        self._index: dict[tuple[object, ...], int] = {}
        self._table_limit = STYLE_TABLE_LIMIT

    @property
    def maxlen(self) -> int:
        return self._lines.maxlen or 0

    def __len__(self) -> int:
        return len(self._lines)

    def __bool__(self) -> bool:
        return bool(self._lines)

    def __getitem__(self, index: int) -> Runs:
        return self._decode(self._lines[index])

    def __iter__(self) -> Iterator[Runs]:
        return map(self._decode, list(self._lines))

    def clear(self) -> None:
        self._lines.clear()
        self._styles.clear()
        self._index.clear()

    def append(self, row: Row) -> None:
        """Keep ``row`` as it looks now, without its trailing default blanks."""
        if len(self._styles) >= self._table_limit:
            self._compact()
        if row.special is not None:
            self._lines.append(self._encode(row.runs(trim=True)))
            return
        text, ends, styles = row.text, row.ends, row.styles
        count = len(ends)
        if styles[-1] is DEFAULT_ATTRS:
            last_start = ends[-2] if count > 1 else 0
            cut = max(len(text.rstrip(" ")), last_start)
            text = text[:cut]
            if cut == last_start:
                count -= 1
            ends = [*ends[: count - 1], cut] if count else []
        ids = [self._id(attrs) for attrs in styles[:count]]
        self._lines.append((text, *chain.from_iterable(zip(ends, ids, strict=True))))

    # -- encoding ------------------------------------------------------------

    def _id(self, attrs: Attrs) -> int:
        fields = tuple(attrs)
        index = self._index.get(fields)
        if index is None:
            index = self._index[fields] = len(self._styles)
            self._styles.append(fields)
        return index

    def _encode(self, runs: Runs) -> Line:
        text = "".join(piece for piece, _ in runs)
        ends = accumulate(len(piece) for piece, _ in runs)
        ids = [self._id(attrs) for _, attrs in runs]
        return (text, *chain.from_iterable(zip(ends, ids, strict=True)))

    def _decode(self, line: Line) -> Runs:
        text = line[0]
        styles = self._styles
        runs = []
        start = 0
        for i in range(1, len(line), 2):
            end = line[i]
            attrs = intern_attrs(tuple.__new__(Attrs, styles[line[i + 1]]))
            runs.append((text[start:end], attrs))
            start = end
        return tuple(runs)

    def _compact(self) -> None:
        """The table is full (endless distinct truecolour): rebuild it from the lines
        still kept, and let it grow to twice that before the next rebuild."""
        runs = [self._decode(line) for line in self._lines]
        self._styles, self._index = [], {}
        self._lines = deque((self._encode(line) for line in runs), maxlen=self._lines.maxlen)
        self._table_limit = max(STYLE_TABLE_LIMIT, 2 * len(self._styles))
