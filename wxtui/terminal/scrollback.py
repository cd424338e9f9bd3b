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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice
from operator import itemgetter
from typing import cast

from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Row, Runs, intern_attrs, valid_styles

# (text, table generation, end, style index, end, style index, ...): ends are offsets
# into the text, style indices point into that generation's table.
Line = tuple[str | int, ...]
Fields = tuple[object, ...]  # An Attrs' fields as a plain tuple, which the collector skips.
Position = tuple[int, int]  # (times cleared, lines appended since the last clear)

GENERATION_SIZE = 16_384


@dataclass
class _StyleTable:
    """Attributes used by the lines of one generation; dropped with the last of them."""

    styles: list[Fields] = field(default_factory=list)
    index: dict[Fields, int] = field(default_factory=dict)
    lines: int = 0


class Scrollback:
    """A bounded history of lines, oldest first, read back as :data:`Runs`.

    Endless distinct truecolour fills any one table of attributes, so tables come in
    generations: new lines use the newest, and a table goes when its last line does.
    """

    def __init__(self, maxlen: int) -> None:
        self._lines: deque[Line] = deque(maxlen=max(0, maxlen))
        self._clears = 0  # How many times it was cleared,
        self._appended = 0  # and how many lines came since.
        self._tables: dict[int, _StyleTable] = {}
        self._generation = 0
        self._table = self._new_table()

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
        self._clears += 1
        self._appended = 0
        self._lines.clear()
        self._tables.clear()
        self._table = self._new_table()

    def append(self, row: Row) -> None:
        """Keep ``row`` as it looks now, without its trailing default blanks."""
        lines = self._lines
        if not lines.maxlen:
            return
        self._appended += 1
        if len(lines) == lines.maxlen:
            self._release(lines[0])  # Leaves with this append.
        if len(self._table.styles) >= GENERATION_SIZE:
            self._table = self._new_table()
        self._table.lines += 1
        if row.special is not None:
            lines.append(self._encode(row.runs(trim=True)))
            return
        text, ends, styles = row.text, row.ends, row.styles
        if len(styles) == 1 and styles[0] is DEFAULT_ATTRS:  # A plain line of a log.
            text = text.rstrip(" ")
            if text:
                lines.append((text, self._generation, len(text), self._id(DEFAULT_ATTRS)))
            else:
                lines.append(("", self._generation))
            return
        count = len(ends)
        if styles[-1] is DEFAULT_ATTRS:
            last_start = ends[-2] if count > 1 else 0
            cut = max(len(text.rstrip(" ")), last_start)
            text = text[:cut]
            if cut == last_start:
                count -= 1
            ends = [*ends[: count - 1], cut] if count else []
        lines.append(self._pack(text, ends, styles[:count]))

    # -- moving the history elsewhere (a session host's client) ----------------

    @property
    def position(self) -> Position:
        """Where the history is now: :meth:`export` ``since`` it gives what came after."""
        return self._clears, self._appended

    def export(self, since: Position | None = None) -> tuple[list[Fields], list[Line], bool]:
        """The lines as plain data (for JSON): one table of attribute fields, each line
        as ``(text, end, style, end, style, ...)`` into it, and whether they are all of
        the history. With ``since``, only the lines after that :attr:`position` if the
        history was not cleared since then. No runs are rebuilt."""
        everything = since is None or since[0] != self._clears
        if since is None or everything:
            return *self._export_all(), True
        new = max(0, min(self._appended - since[1], len(self._lines)))
        return self._export_some(islice(self._lines, len(self._lines) - new, None))

    def export_newest(self, count: int) -> tuple[list[Fields], list[Line]]:
        """The newest ``count`` lines as :meth:`export` gives them, for a whole history
        that must be smaller (only the styles those lines use)."""
        kept = max(0, min(count, len(self._lines)))
        styles, lines, _ = self._export_some(islice(self._lines, len(self._lines) - kept, None))
        return styles, lines

    def _export_all(self) -> tuple[list[Fields], list[Line]]:
        """Every line, with every table (the whole history refers to most of them)."""
        offsets: dict[int, int] = {}
        styles: list[Fields] = []
        for generation, table in self._tables.items():
            offsets[generation] = len(styles)
            styles.extend(table.styles)
        lines: list[Line] = []
        append = lines.append
        for line in self._lines:
            offset = offsets[line[1]]  # type: ignore[index]
            if offset:
                pairs = line[2:]
                append(
                    (line[0], *(v + offset if i % 2 else v for i, v in enumerate(pairs)))  # type: ignore[operator]
                )
            else:
                append((line[0], *line[2:]))
        return styles, lines

    def _export_some(self, lines_kept: Iterable[Line]) -> tuple[list[Fields], list[Line], bool]:
        """A few lines, with only the styles they use (a table holds up to
        GENERATION_SIZE styles: more than a few lines of colourful output need)."""
        index: dict[tuple[object, object], int] = {}
        styles: list[Fields] = []
        lines: list[Line] = []
        for line in lines_kept:
            table = self._tables[line[1]].styles  # type: ignore[index]
            packed: list[str | int] = [line[0]]
            for i in range(2, len(line), 2):
                key = (line[1], line[i + 1])
                new = index.get(key)
                if new is None:
                    new = index[key] = len(styles)
                    styles.append(table[line[i + 1]])  # type: ignore[index]
                packed += (line[i], new)
            lines.append(tuple(packed))
        return styles, lines, False

    def load(self, styles: Sequence[Sequence[object]], lines: Sequence[Sequence[object]]) -> None:
        """Replace the history with lines from :meth:`export` (the newest ``maxlen``).

        Raises ValueError on anything :meth:`export` would not have made (and then
        changes nothing).
        """
        packed = self._check(styles, lines)
        self.clear()
        self._add(styles, packed)

    def extend(self, styles: Sequence[Sequence[object]], lines: Sequence[Sequence[object]]) -> None:
        """Add lines from :meth:`export` after those kept (the oldest go past ``maxlen``)."""
        self._add(styles, self._check(styles, lines))

    def _check(
        self, styles: Sequence[Sequence[object]], lines: Sequence[Sequence[object]]
    ) -> list[tuple[str, Sequence[int]]]:
        """``lines`` as (text, numbers), checked against ``styles`` a column at a time
        (loops in C: a history is loaded while a UI attaches)."""
        if not valid_styles(styles):
            raise ValueError("a style of the history is malformed")
        kept = lines[-self.maxlen :] if self.maxlen else []
        if not set(map(type, kept)) <= {list, tuple} or not all(
            length % 2 for length in set(map(len, kept))
        ):
            raise ValueError("a line of the history is malformed")
        texts = list(map(itemgetter(0), kept))
        numbers = list(map(itemgetter(slice(1, None)), kept))
        ids = list(chain.from_iterable(map(itemgetter(slice(1, None, 2)), numbers)))
        if (
            not set(map(type, texts)) <= {str}
            or not set(map(type, chain.from_iterable(numbers))) <= {int}
            or (ids and (min(ids) < 0 or max(ids) >= len(styles)))
        ):
            raise ValueError("a line of the history is malformed")
        return list(zip(texts, numbers, strict=True))

    def _add(
        self, styles: Sequence[Sequence[object]], lines: list[tuple[str, Sequence[int]]]
    ) -> None:
        """Checked lines, with their own table of styles (a generation of their own, so
        no style index needs rewriting); new lines go on using that table."""
        if not lines:
            return
        if not self._table.lines:
            del self._tables[self._generation]
        table = self._table = self._new_table()
        table.styles = [tuple(fields) for fields in styles]
        table.index = {fields: i for i, fields in enumerate(table.styles)}
        history = self._lines
        for _ in range(max(0, min(len(history) + len(lines) - self.maxlen, len(history)))):
            self._release(history.popleft())
        generation = self._generation
        history.extend((text, generation, *numbers) for text, numbers in lines)
        table.lines = len(lines)
        self._appended += len(lines)

    # -- encoding ------------------------------------------------------------

    def _new_table(self) -> _StyleTable:
        self._generation += 1
        table = self._tables[self._generation] = _StyleTable()
        return table

    def _release(self, line: Line) -> None:
        generation = line[1]
        assert isinstance(generation, int)
        table = self._tables[generation]
        table.lines -= 1
        if not table.lines and table is not self._table:
            del self._tables[generation]

    def _id(self, attrs: Attrs) -> int:
        table = self._table
        index = table.index.get(attrs)  # Equal to (and hashed as) its fields.
        if index is None:
            fields = tuple(attrs)
            index = table.index[fields] = len(table.styles)
            table.styles.append(fields)
        return index

    def _encode(self, runs: Runs) -> Line:
        text = "".join(piece for piece, _ in runs)
        ends = list(accumulate(len(piece) for piece, _ in runs))
        return self._pack(text, ends, [attrs for _, attrs in runs])

    def _pack(self, text: str, ends: list[int], styles: list[Attrs]) -> Line:
        ids = [self._id(attrs) for attrs in styles]
        return (text, self._generation, *chain.from_iterable(zip(ends, ids, strict=True)))

    def _decode(self, line: Line) -> Runs:
        text = line[0]
        styles = self._tables[line[1]].styles  # type: ignore[index]
        runs = []
        start = 0
        for i in range(2, len(line), 2):
            end = cast(int, line[i])
            attrs = intern_attrs(tuple.__new__(Attrs, styles[line[i + 1]]))  # type: ignore[index]
            runs.append((text[start:end], attrs))  # type: ignore[index]
            start = end
        return tuple(runs)
