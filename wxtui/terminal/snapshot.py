"""A terminal's whole state, to rebuild it elsewhere.

:func:`repaint` gives the bytes that draw it again: fed to a fresh emulator of the
same size (or a real terminal), they rebuild the same history, screen (main and
alternate), cursor, pen, scroll region, modes and title. Only what a repaint cannot
express is left out (tab stops, saved cursors other than the alternate screen's,
character sets).

A :class:`Snapshot` is what a session host sends a client that attaches or falls
behind: the history and the screen's rows as plain data, loaded without parsing a byte
of them (10,000 lines parse in about 150 ms and load in a few; a screen of colourful
output parses in 4-6 ms and loads in well under one), and a repaint of the rest
(cursor, modes, title).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from itertools import chain
from operator import itemgetter
from typing import Any

from pyte import modes as mo

from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Row, Runs, intern_attrs, valid_styles
from wxtui.terminal.scrollback import Position, Scrollback

# Private modes a program turns on and a repaint must restore (DECTCEM is restored on
# its own: it is on by default).
_PRIVATE_MODES = (1, 7, 9, 1000, 1002, 1003, 1004, 1006, 2004)
# What a program that ended (or was cut off) may have left on: the alternate screen,
# its keyboard, mouse, paste and synchronized-output modes, a hidden cursor, a pen.
RESET_MODES = "\x1b[?1049l\x1b[?1;1000;1002;1003;1004;1006;2004;2026l\x1b[?25h\x1b[0m"
_FLAGS = (
    ("bold", "1"),
    ("dim", "2"),
    ("italics", "3"),
    ("underscore", "4"),
    ("blink", "5"),
    ("reverse", "7"),
    ("strikethrough", "9"),
    ("overline", "53"),
)


def _colour(value: str | int, base: int) -> str:
    """``base`` 38 for the foreground, 48 for the background."""
    if isinstance(value, int):
        return f"{base};5;{value}"
    if value == "default":
        return ""
    return f"{base};2;{int(value[0:2], 16)};{int(value[2:4], 16)};{int(value[4:6], 16)}"


def sgr(attrs: Attrs) -> str:
    """The SGR sequence that sets exactly ``attrs`` (from any pen)."""
    params = ["0"]
    params.extend(code for name, code in _FLAGS if getattr(attrs, name))
    params.extend(p for p in (_colour(attrs.fg, 38), _colour(attrs.bg, 48)) if p)
    return f"\x1b[{';'.join(params)}m"


def _pen(attrs: Attrs, previous: Attrs | None) -> str:
    """From the pen ``previous`` (None: unknown) to ``attrs``: SGR, hyperlink, DECSCA."""
    out = []
    if previous is None or attrs[:10] != previous[:10]:
        out.append(sgr(attrs))
    if previous is None or attrs.link != previous.link:
        out.append(f"\x1b]8;;{attrs.link or ''}\x1b\\")
    if previous is None or attrs.protected != previous.protected:
        out.append(f'\x1b[{1 if attrs.protected else 0}"q')
    return "".join(out)


def _line(runs: Runs) -> str:
    out = []
    pen: Attrs | None = None
    for text, attrs in runs:
        out.append(_pen(attrs, pen))
        out.append(text)
        pen = attrs
    if pen is not None and pen != DEFAULT_ATTRS:
        out.append(_pen(DEFAULT_ATTRS, pen))
    return "".join(out)


def repaint(emulator: TerminalEmulator, history: bool = True, rows: bool = True) -> bytes:
    """Bytes that make a fresh emulator of the same size show what ``emulator`` shows
    (without ``history``: all but its history; without ``rows``: neither its screens'
    rows, which a :class:`Snapshot` carries as data)."""
    screen = emulator.screen
    out: list[str] = ["\x1b[0m"]
    if screen.title:
        out.append(f"\x1b]2;{screen.title}\x07")
    alternate = emulator.in_alternate_screen
    main = screen.main_rows if rows else ()
    # History and the main screen, line after line: the lines scroll into the history
    # as they did the first time, and the main screen ends up in place.
    lines = [*(screen.scrollback if history else ()), *(row.runs(trim=True) for row in main)]
    out.append("\r\n".join(_line(runs) for runs in lines))
    if alternate:
        if screen.savepoints:  # Where the main screen's cursor goes back to.
            saved = screen.savepoints[-1].cursor
            out.append(f"\x1b[{saved.y + 1};{min(saved.x, screen.columns - 1) + 1}H")
        out.append("\x1b[?1049h")
        for y, row in enumerate(screen.buffer if rows else ()):
            out.append(f"\x1b[{y + 1};1H{_line(row.runs(trim=True))}")
    if screen.margins is not None:
        out.append(f"\x1b[{screen.margins.top + 1};{screen.margins.bottom + 1}r")
    for mode in _PRIVATE_MODES:
        on = (mode << 5) in screen.mode
        default_on = mode == 7
        if on != default_on:
            out.append(f"\x1b[?{mode}{'h' if on else 'l'}")
    if mo.IRM in screen.mode:
        out.append("\x1b[4h")
    if mo.LNM in screen.mode:
        out.append("\x1b[20h")
    out.append(_cursor(emulator))
    if screen.cursor_shape:
        out.append(f"\x1b[{screen.cursor_shape} q")
    if not emulator.cursor_visible:
        out.append("\x1b[?25l")
    out.append(_pen(screen.pen.attrs, None))
    return "".join(out).encode()


def _cursor(emulator: TerminalEmulator) -> str:
    """The cursor where it is; at the right edge, waiting to wrap, by writing the last
    cell again (nothing else puts a terminal in that state)."""
    screen = emulator.screen
    x, y = screen.cursor.x, screen.cursor.y
    if x < screen.columns:
        return f"\x1b[{y + 1};{x + 1}H"
    last = screen.buffer[y][screen.columns - 1]
    if last.data == "":  # The second half of a wide character: write the whole of it.
        first = screen.buffer[y][screen.columns - 2]
        redraw = f"\x1b[{y + 1};{screen.columns - 1}H{_pen(first.attrs, None)}{first.data}"
    else:
        redraw = f"\x1b[{y + 1};{screen.columns}H{_pen(last.attrs, None)}{last.data or ' '}"
    return redraw + "\x1b[0m"


# A catch-up snapshot's history comes in pieces of about this much JSON, each a frame
# that loads in 1-2 ms (a colour flood missed for a moment is 100-300 KB: 5-9 ms).
HISTORY_PIECE = 32 * 1024
STYLE_SIZE = 80  # About how much JSON a style of the history takes.
# A row as data: [text, [run ends], [style indices], [[column, content], ...]]; the
# last part only for a row with cells that are not one codepoint (see Row.special).
RowData = list[Any]


def _export_rows(screens: list[list[Row]]) -> tuple[list[list[Any]], list[list[RowData]]]:
    """Each screen's rows as data, with one table of the styles they use."""
    index: dict[Attrs, int] = {}
    exported = []
    for rows in screens:
        encoded: list[RowData] = []
        for row in rows:
            ids = [index.setdefault(attrs, len(index)) for attrs in row.styles]
            item: RowData = [row.text, list(row.ends), ids]
            if row.special:
                item.append([list(pair) for pair in sorted(row.special.items())])
            encoded.append(item)
        exported.append(encoded)
    return [list(attrs) for attrs in index], exported


def _load_styles(styles: list[Any]) -> list[Attrs]:
    if not valid_styles(styles):
        raise ValueError("a style of the screen is malformed")
    return [intern_attrs(tuple.__new__(Attrs, fields)) for fields in styles]


def _load_rows(styles: list[Attrs], rows: list[Any], columns: int) -> list[Row]:
    """Rows from :func:`_export_rows`; ValueError on anything it would not have made."""
    loaded = []
    for item in rows:
        if type(item) is not list or len(item) not in (3, 4):
            raise ValueError("a row of the screen is malformed")
        text, ends, ids = item[0], item[1], item[2]
        if (
            type(text) is not str
            or len(text) != columns
            or type(ends) is not list
            or type(ids) is not list
            or not set(map(type, chain(ends, ids))) <= {int}
            or (ids and (min(ids) < 0 or max(ids) >= len(styles)))
        ):
            raise ValueError("a row of the screen is malformed")
        special = None
        if len(item) == 4:
            pairs = item[3]
            # Checked a column at a time, in C: a row of CJK text has a pair per cell.
            if (
                type(pairs) is not list
                or not set(map(type, pairs)) <= {list}
                or not set(map(len, pairs)) <= {2}
                or not set(map(type, map(itemgetter(0), pairs))) <= {int}
                or not set(map(type, map(itemgetter(1), pairs))) <= {str}
            ):
                raise ValueError("a row of the screen is malformed")
            special = dict(pairs)
        loaded.append(Row.restored(text, ends, [styles[i] for i in ids], special))
    return loaded


def _split(styles: list[Any], lines: list[Any], size: int) -> list[tuple[list[Any], list[Any]]]:
    """Exported history ``lines`` in pieces of about ``size`` bytes of JSON (at least
    one, maybe empty), each with only the ``styles`` it uses (a style takes ~80 bytes:
    random truecolour makes the table bigger than the text)."""
    text_size = _json_size(lines)
    table_size = STYLE_SIZE * len(styles)
    if text_size + table_size < size:
        return [(styles, lines)]
    if table_size <= size // 4:  # A small table (plain output) goes with every piece.
        step = max(1, len(lines) * (size - table_size) // text_size)
        return [(styles, lines[i : i + step]) for i in range(0, len(lines), step)]
    pieces: list[tuple[list[Any], list[Any]]] = []
    index: dict[int, int] = {}
    kept: list[Any] = []
    out: list[Any] = []
    used = 0
    for line in lines:
        packed = [line[0]]
        for i in range(1, len(line), 2):
            new = index.get(line[i + 1])
            if new is None:
                new = index[line[i + 1]] = len(kept)
                kept.append(styles[line[i + 1]])
                used += STYLE_SIZE
            packed += (line[i], new)
        out.append(packed)
        used += _json_size([line])
        if used >= size:
            pieces.append((kept, out))
            index, kept, out, used = {}, [], [], 0
    if out or not pieces:
        pieces.append((kept, out))
    return pieces


def _json_size(lines: list[Any]) -> int:
    """About how many bytes of JSON ``lines`` take (non-ASCII text is escaped)."""
    return sum(
        (len(line[0]) if line[0].isascii() else 4 * len(line[0])) + 6 * len(line) for line in lines
    )


@dataclass(frozen=True)
class Snapshot:
    """A terminal of ``rows`` x ``columns``: its history as :meth:`Scrollback.export`
    gives it, its screens' rows as data (``alternate`` only while that screen is
    shown), and a repaint of everything else. Without rows (``main`` empty), a piece
    of history only: the screen stays as it was (see :meth:`encoded_pieces`).

    With ``since`` (a client that missed some output since then), only the history
    lines that came after it: ``appends`` says they follow the history the client has.
    """

    rows: int
    columns: int
    styles: list[Any]
    lines: list[Any]
    screen_styles: list[Any]
    main: list[RowData]
    alternate: list[RowData] | None
    screen: bytes
    appends: bool = False

    @classmethod
    def of(cls, emulator: TerminalEmulator, since: Position | None = None) -> Snapshot:
        styles, lines, everything = emulator.history.export(since)
        return replace(cls._of_screen(emulator), styles=styles, lines=lines, appends=not everything)

    @classmethod
    def _of_screen(cls, emulator: TerminalEmulator) -> Snapshot:
        """Without any history."""
        screen = emulator.screen
        alternate = emulator.in_alternate_screen
        screens = [screen.main_rows, *([screen.buffer] if alternate else [])]
        screen_styles, rows = _export_rows(screens)
        return cls(
            emulator.lines,
            emulator.columns,
            [],
            [],
            screen_styles,
            rows[0],
            rows[1] if alternate else None,
            repaint(emulator, history=False, rows=False),
        )

    @classmethod
    def encoded_pieces(
        cls,
        emulator: TerminalEmulator,
        limit: int,
        since: Position | None = None,
        piece: int = HISTORY_PIECE,
    ) -> tuple[list[bytes], int]:
        """:meth:`of`, encoded as snapshots that each load in a few milliseconds: the
        history in pieces of about ``piece`` bytes, every piece after the first
        appending to the one before, the last with the screen (a client loads them in
        turns of their own, its frames and keys in between; restored in order, they
        make the one snapshot). At most about ``limit`` bytes in all: when the history is
        too big (per-character colour takes room), its oldest pieces are left out and
        the whole history is replaced. Also how many lines were left out."""
        styles, lines, everything = emulator.history.export(since)
        screen = cls._of_screen(emulator)
        history_only = replace(screen, screen_styles=[], main=[], alternate=None, screen=b"")
        split = _split(styles, lines, piece)
        bases = [history_only] * (len(split) - 1) + [screen]  # The screen with the last.
        pieces = [
            replace(base, styles=piece_styles, lines=piece_lines, appends=True)
            for base, (piece_styles, piece_lines) in zip(bases, split, strict=True)
        ]
        pieces[0] = replace(pieces[0], appends=not everything)
        bodies = [snapshot.encode() for snapshot in pieces]
        left_out = 0
        while sum(map(len, bodies)) > limit and pieces[0].lines:
            left_out += len(pieces[0].lines)
            if len(pieces) == 1:  # The screen alone.
                pieces[0] = replace(pieces[0], styles=[], lines=[])
            else:
                del pieces[0], bodies[0]
            pieces[0] = replace(pieces[0], appends=False)
            bodies[0] = pieces[0].encode()
        return bodies, left_out

    def restore(self, emulator: TerminalEmulator, previous: TerminalEmulator | None = None) -> None:
        """Make ``emulator``, a fresh one of this size, what this snapshot was taken of;
        it takes the place of ``previous``, whose history it goes on from if this
        snapshot ``appends`` (and whose screen it keeps, at its size, if this is a piece
        of history only). Raises ValueError on a malformed snapshot, before
        ``previous`` is changed."""
        screen = self
        if self.history_only and previous is not None:  # The screen stays.
            screen = Snapshot._of_screen(previous)
            emulator.resize(previous.lines, previous.columns)
        styles = _load_styles(screen.screen_styles)
        main = _load_rows(styles, screen.main, emulator.columns)
        alternate = (
            None
            if screen.alternate is None
            else _load_rows(styles, screen.alternate, emulator.columns)
        )
        emulator.feed(screen.screen)  # The fresh one only: previous is not touched yet.
        if main:
            emulator.screen.load_rows(main, alternate)
        history = previous.history if self.appends and previous is not None else emulator.history
        self.add_history(history)  # Checked before it changes anything.
        emulator.history = history

    def add_history(self, history: Scrollback) -> None:
        """This snapshot's history lines into ``history``: after its lines if it
        ``appends``, else in their place. ValueError (and nothing changed) if malformed."""
        if self.appends:
            history.extend(self.styles, self.lines)
        else:
            history.load(self.styles, self.lines)

    @property
    def history_only(self) -> bool:
        """A piece of history, without the screen (more pieces follow)."""
        return not self.main

    def screen_text(self) -> str:
        """What its screens show, a line a row (unchecked: to look for text)."""
        rows = [*self.main, *(self.alternate or ())]
        return "\n".join(str(row[0]).rstrip(" ") for row in rows)

    def encode(self) -> bytes:
        """One line of JSON (ASCII: no newline inside), a newline, the screen's bytes."""
        head = {
            "rows": self.rows,
            "columns": self.columns,
            "styles": self.styles,
            "lines": self.lines,
            "screen_styles": self.screen_styles,
            "main": self.main,
            "alternate": self.alternate,
            "appends": self.appends,
        }
        return json.dumps(head, separators=(",", ":")).encode() + b"\n" + self.screen

    @classmethod
    def decode(cls, data: bytes) -> Snapshot:
        """Raises ValueError on anything :meth:`encode` would not have made (the
        history's and rows' contents are checked as :meth:`restore` loads them)."""
        head, newline, screen = data.partition(b"\n")
        try:
            fields = json.loads(head)
            rows, columns = fields["rows"], fields["columns"]
            styles, lines = fields["styles"], fields["lines"]
            screen_styles, main, alternate = (
                fields["screen_styles"],
                fields["main"],
                fields["alternate"],
            )
            appends = fields.get("appends", False)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"a malformed snapshot ({exc})") from None
        if not newline or not all(type(v) is int and v > 0 for v in (rows, columns)):
            raise ValueError("a malformed snapshot (its size)")
        if not isinstance(styles, list) or not isinstance(lines, list) or type(appends) is not bool:
            raise ValueError("a malformed snapshot (its history)")
        if (
            type(screen_styles) is not list
            or type(main) is not list
            or (alternate is not None and type(alternate) is not list)
        ):
            raise ValueError("a malformed snapshot (its screen)")
        return cls(rows, columns, styles, lines, screen_styles, main, alternate, screen, appends)
