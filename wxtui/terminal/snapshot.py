"""A terminal's whole state, to rebuild it elsewhere.

:func:`repaint` gives the bytes that draw it again: fed to a fresh emulator of the
same size (or a real terminal), they rebuild the same history, screen (main and
alternate), cursor, pen, scroll region, modes and title. Only what a repaint cannot
express is left out (tab stops, saved cursors other than the alternate screen's,
character sets).

A :class:`Snapshot` is what a session host sends a client that attaches: the history
as plain data, loaded without parsing a byte of it (10,000 lines parse in about
150 ms, and load in a few), and a repaint of the screen alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyte import modes as mo

from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Runs
from wxtui.terminal.scrollback import Position

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


def repaint(emulator: TerminalEmulator, history: bool = True) -> bytes:
    """Bytes that make a fresh emulator of the same size show what ``emulator`` shows
    (without ``history``: all but its history)."""
    screen = emulator.screen
    out: list[str] = ["\x1b[0m"]
    if screen.title:
        out.append(f"\x1b]2;{screen.title}\x07")
    alternate = emulator.in_alternate_screen
    main = screen.main_rows
    # History and the main screen, line after line: the lines scroll into the history
    # as they did the first time, and the main screen ends up in place.
    lines = [*(screen.scrollback if history else ()), *(row.runs(trim=True) for row in main)]
    out.append("\r\n".join(_line(runs) for runs in lines))
    if alternate:
        if screen.savepoints:  # Where the main screen's cursor goes back to.
            saved = screen.savepoints[-1].cursor
            out.append(f"\x1b[{saved.y + 1};{min(saved.x, screen.columns - 1) + 1}H")
        out.append("\x1b[?1049h")
        for y, row in enumerate(screen.buffer):
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


@dataclass(frozen=True)
class Snapshot:
    """A terminal of ``rows`` x ``columns``: its history as :meth:`Scrollback.export`
    gives it, and a repaint of everything else.

    With ``since`` (a client that missed some output since then), only the history
    lines that came after it: ``appends`` says they follow the history the client has.
    """

    rows: int
    columns: int
    styles: list[Any]
    lines: list[Any]
    screen: bytes
    appends: bool = False

    @classmethod
    def of(cls, emulator: TerminalEmulator, since: Position | None = None) -> Snapshot:
        styles, lines, everything = emulator.history.export(since)
        screen = repaint(emulator, history=False)
        return cls(emulator.lines, emulator.columns, styles, lines, screen, not everything)

    @classmethod
    def encoded_within(
        cls, emulator: TerminalEmulator, limit: int, since: Position | None = None
    ) -> tuple[bytes, int]:
        """:meth:`of` encoded in at most about ``limit`` bytes: when the history is too
        big (per-character colour takes room), its oldest lines are left out and the
        whole history is replaced. Also how many lines were left out."""
        body = cls.of(emulator, since).encode()
        total = len(emulator.history)
        kept = total
        while len(body) > limit and kept > 0:
            kept = min(kept - 1, int(kept * limit / len(body) * 0.9))
            styles, lines = emulator.history.export_newest(kept)
            screen = repaint(emulator, history=False)
            body = cls(emulator.lines, emulator.columns, styles, lines, screen).encode()
        return body, total - kept

    def restore(self, emulator: TerminalEmulator, previous: TerminalEmulator | None = None) -> None:
        """Make ``emulator``, a fresh one of this size, what this snapshot was taken of;
        it takes the place of ``previous``, whose history it goes on from if this
        snapshot ``appends``."""
        if self.appends:
            if previous is not None:
                emulator.history = previous.history
            emulator.history.extend(self.styles, self.lines)
        else:
            emulator.history.load(self.styles, self.lines)
        emulator.feed(self.screen)

    def encode(self) -> bytes:
        """One line of JSON (ASCII: no newline inside), a newline, the screen's bytes."""
        head = {"rows": self.rows, "columns": self.columns, "styles": self.styles}
        head["lines"] = self.lines
        head["appends"] = self.appends
        return json.dumps(head, separators=(",", ":")).encode() + b"\n" + self.screen

    @classmethod
    def decode(cls, data: bytes) -> Snapshot:
        """Raises ValueError on anything :meth:`encode` would not have made."""
        head, newline, screen = data.partition(b"\n")
        try:
            fields = json.loads(head)
            rows, columns = fields["rows"], fields["columns"]
            styles, lines = fields["styles"], fields["lines"]
            appends = fields.get("appends", False)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"a malformed snapshot ({exc})") from None
        if not newline or not all(type(v) is int and v > 0 for v in (rows, columns)):
            raise ValueError("a malformed snapshot (its size)")
        if not isinstance(styles, list) or not isinstance(lines, list) or type(appends) is not bool:
            raise ValueError("a malformed snapshot (its history)")
        return cls(rows, columns, styles, lines, screen, appends)
