"""Turns decoded terminal output into calls on a :class:`TerminalScreen`.

pyte's own stream parser walks one character at a time through a generator,
prints the payload of DCS/APC strings, applies ``CSI > 4;2 m`` as underline
and stops on sequences its handlers reject. This parser tokenises with one
regular expression (whole runs of text at once), consumes every well-formed
sequence, answers device queries, and never raises on any input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pyte import charsets
from pyte import modes as mo

from wxtui.terminal.screen import TerminalScreen

log = logging.getLogger(__name__)

# What XTVERSION answers, and the colours OSC 10/11/12 report: a dark pane, as wxtui
# draws it by default (programs pick light or dark themes from the background).
TERMINAL_NAME = "wxtui"
DEFAULT_COLOURS: dict[str, tuple[int, int, int]] = {
    "10": (0xE0, 0xE0, 0xE0),
    "11": (0x12, 0x12, 0x12),
    "12": (0xE0, 0xE0, 0xE0),
}
_ANSI_16: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
)  # fmt: skip

# C0 controls other than CAN, SUB and ESC may stand inside a control sequence: they are
# executed where they stand and the sequence goes on (xterm, VT100).
_C0_IN_CSI = "\x00-\x17\x19\x1c-\x1f"
_TOKEN = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|\x1b\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])"
    r"|(?P<ctrl>[\x00-\x1a\x1c-\x1f\x7f-\x9f])"
    rf"|\x1b\[(?P<csi_with_controls>[0-?{_C0_IN_CSI}]*[ -/{_C0_IN_CSI}]*[@-~])"
    r"|\x1b\](?P<osc>[^\x07\x1b\x18\x1a]*)(?:\x07|\x1b\\)"
    # A string cut short by CAN, SUB or another escape sequence is dropped, as in xterm.
    r"|\x1b\](?P<osc_abort>[^\x07\x1b\x18\x1a]*)(?:[\x18\x1a]|(?=\x1b[^\\]))"
    r"|\x1b[P_^X](?P<string>[^\x1b\x18\x1a]*)(?:\x1b\\|[\x18\x1a]|(?=\x1b[^\\]))"
    r"|\x1b(?P<esc_inter>[ -/]*)(?P<esc_final>[0-OQ-WYZ\\`a-~])",
    re.S,
)
# What may still become a complete sequence once more output arrives.
_PARTIAL = re.compile(
    rf"\x1b(?:\[[0-?{_C0_IN_CSI}]*[ -/{_C0_IN_CSI}]*"
    r"|\][^\x07\x1b\x18\x1a]*\x1b?|[P_^X][^\x1b\x18\x1a]*\x1b?|[ -/]*)?\Z",
    re.S,
)
_MARKERS = frozenset("<=>?")
MAX_PENDING = 1 << 20  # An unterminated string longer than this is dropped.

_SIMPLE_CSI: dict[str, str] = {
    "@": "insert_characters",
    "A": "cursor_up",
    "B": "cursor_down",
    "C": "cursor_forward",
    "D": "cursor_back",
    "E": "cursor_down1",
    "F": "cursor_up1",
    "G": "cursor_to_column",
    "`": "cursor_to_column",
    "H": "cursor_position",
    "f": "cursor_position",
    "J": "erase_in_display",
    "K": "erase_in_line",
    "L": "insert_lines",
    "M": "delete_lines",
    "P": "delete_characters",
    "X": "erase_characters",
    "a": "cursor_forward",
    "d": "cursor_to_line",
    "e": "cursor_down",
    "g": "clear_tab_stop",
    "r": "set_margins",
}
# DEC Special Graphics as xterm shows them (its dec2ucs table, for 0x5f-0x7e).
# The DEC special graphics set as tmux draws it (and so the terminal around wxtui): the
# arrows and the block on "+,-.0", the line drawing and symbols on "`" to "~"; "_" is
# left as it is.
DEC_SPECIAL_GRAPHICS = str.maketrans(
    {
        **dict(zip(map(ord, "+,-.0"), "→←↑↓▮", strict=True)),
        **dict(zip(range(0x60, 0x7F), "◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·", strict=True)),
    }
)
# str.translate tables: pyte keeps its own as strings, ours is a mapping.
_CHARSETS: dict[str, Any] = {
    "0": DEC_SPECIAL_GRAPHICS,
    "B": charsets.LAT1_MAP,
    "A": charsets.LAT1_MAP,
}


class StreamParser:
    def __init__(
        self,
        screen: TerminalScreen,
        *,
        on_bell: Callable[[], None] | None = None,
        on_title: Callable[[str], None] | None = None,
    ) -> None:
        self.screen = screen
        self.on_bell = on_bell
        self.on_title = on_title
        self._pending = ""

    def feed(self, data: str) -> None:
        if self._pending:
            data = self._pending + data
            self._pending = ""
        screen = self.screen
        draw = screen.draw
        sgr = screen.apply_sgr
        match = _TOKEN.match
        pos = 0
        end = len(data)
        while pos < end:
            m = match(data, pos)
            if m is None:
                if data[pos] == "\x1b" and _PARTIAL.match(data, pos):
                    rest = data[pos:]
                    if len(rest) <= MAX_PENDING:
                        self._pending = rest
                    return
                pos += 1  # A malformed sequence: drop its ESC, show the rest as text.
                continue
            pos = m.end()
            kind = m.lastgroup
            try:
                if kind == "text":
                    draw(m.group(1))
                elif kind == "final":
                    params, inter, final = m.group(2, 3, 4)
                    if final == "m" and not inter and params[:1] not in _MARKERS:
                        sgr(params)  # The most common sequence by far.
                    else:
                        self._csi(params, inter, final)
                elif kind == "ctrl":
                    ch = m.group("ctrl")
                    if ch == "\r":  # Every line of output ends with one or two.
                        screen.cursor.x = 0
                    else:
                        self._control(ch)
                elif kind == "osc":
                    self._osc(m.group("osc"), "\x07" if m.group(0)[-1] == "\x07" else "\x1b\\")
                elif kind == "csi_with_controls":
                    self._csi_with_controls(m.group(kind))
                elif kind == "esc_final":
                    self._escape(m.group("esc_inter"), m.group("esc_final"))
                # DCS, APC, PM and SOS strings are consumed whole.
            except Exception:  # Nothing a child prints may stop the emulator.
                log.exception("terminal sequence %r failed", m.group(0)[:80])

    # -- dispatch ------------------------------------------------------------

    def _control(self, ch: str) -> None:
        screen = self.screen
        if ch == "\r":
            screen.cursor.x = 0
        elif ch in "\n\x0b\x0c":
            screen.linefeed()
        elif ch == "\x08":
            screen.backspace()
        elif ch == "\t":
            screen.tab()
        elif ch == "\x07":
            if self.on_bell is not None:
                self.on_bell()
        elif ch == "\x0e":
            screen.charset = 1
        elif ch == "\x0f":
            screen.charset = 0

    def _csi_with_controls(self, body: str) -> None:
        """Execute the controls inside a sequence, then the sequence without them."""
        kept = []
        for ch in body:
            if ch < " ":
                self._control(ch)
            else:
                kept.append(ch)
        m = _TOKEN.match("\x1b[" + "".join(kept))
        if m is not None and m.lastgroup == "final":
            self._csi(*m.group(2, 3, 4))

    def _escape(self, inter: str, final: str) -> None:
        screen = self.screen
        if inter:
            if inter in "()" and final in _CHARSETS:
                if inter == "(":
                    screen.g0_charset = _CHARSETS[final]
                else:
                    screen.g1_charset = _CHARSETS[final]
            elif inter == "#" and final == "8":
                screen.alignment_display()
            return
        handler = {
            "7": screen.save_cursor,
            "8": screen.restore_cursor,
            "D": screen.index,
            "E": self._next_line,
            "M": screen.reverse_index,
            "H": screen.set_tab_stop,
            "c": self._full_reset,
        }.get(final)
        if handler is not None:
            handler()

    def _next_line(self) -> None:
        self.screen.cursor.x = 0
        self.screen.index()

    def _full_reset(self) -> None:
        self.screen.reset()
        self.screen.scrollback.clear()

    def _csi(self, params: str, inter: str, final: str) -> None:
        screen = self.screen
        marker = params[:1] if params[:1] in "<=>?" else ""
        if marker:
            params = params[1:]
        if final == "m" and not marker and not inter:
            screen.apply_sgr(params)
            return
        if inter:
            self._csi_intermediate(marker, params, inter, final)
            return
        if marker == "?":
            self._csi_private(params, final)
            return
        if marker:
            if marker == ">" and final == "c":
                screen.write_process_input("\x1b[>1;10;0c")
            elif marker == ">" and final == "q" and params in ("", "0"):
                screen.write_process_input(f"\x1bP>|{TERMINAL_NAME}\x1b\\")  # XTVERSION
            return  # XTMODKEYS (m) and others: not supported.
        args = _ints(params)
        if final in _SIMPLE_CSI:
            arity = 2 if final in "Hfr" else 1
            getattr(screen, _SIMPLE_CSI[final])(*args[:arity])
        elif final == "h":
            screen.set_mode(*args)
        elif final == "l":
            screen.reset_mode(*args)
        elif final == "n":
            self._device_status(args[0] if args else 0, private=False)
        elif final == "c":
            if not args or args[0] == 0:
                screen.write_process_input("\x1b[?62;22c")
        elif final == "S":
            screen.scroll_up(args[0] if args else 1)
        elif final == "T" and len(args) <= 1:
            screen.scroll_down(args[0] if args else 1)
        elif final == "b":
            screen.repeat_last(args[0] if args else 1)
        elif final == "s":
            screen.save_cursor()
        elif final == "u":
            screen.restore_cursor()
        elif final == "I":
            for _ in range(max(1, args[0] if args else 1)):
                screen.tab()
        elif final == "Z":
            self._back_tab(args[0] if args else 1)

    def _csi_private(self, params: str, final: str) -> None:
        screen = self.screen
        args = _ints(params)
        if final == "h":
            screen.set_mode(*args, private=True)
        elif final == "l":
            screen.reset_mode(*args, private=True)
        elif final == "n":
            self._device_status(args[0] if args else 0, private=True)
        elif final == "J":
            screen.erase_in_display(args[0] if args else 0, selective=True)
        elif final == "K":
            screen.erase_in_line(args[0] if args else 0, selective=True)
        # ?u (kitty keyboard query) goes unanswered, as in a terminal without the protocol.

    def _csi_intermediate(self, marker: str, params: str, inter: str, final: str) -> None:
        screen = self.screen
        args = _ints(params)
        if inter == " " and final == "q":
            screen.cursor_shape = args[0] if args else 0
        elif inter == "$" and final == "p":
            mode = args[0] if args else 0
            state = screen.mode_state(mode, private=marker == "?")
            prefix = "?" if marker == "?" else ""
            screen.write_process_input(f"\x1b[{prefix}{mode};{state}$y")
        elif inter == "!" and final == "p":
            self._soft_reset()
        elif inter == '"' and final == "q":
            screen.set_protection(bool(args) and args[0] == 1)

    def _soft_reset(self) -> None:
        screen = self.screen
        screen.reset_pen()
        screen.cursor.hidden = False
        screen.margins = None
        screen.mode.difference_update({mo.IRM, mo.DECOM, 1 << 5})
        screen.mode.update({mo.DECAWM, mo.DECTCEM})

    def _device_status(self, mode: int, private: bool) -> None:
        screen = self.screen
        if mode == 5:
            screen.write_process_input("\x1b[0n")
        elif mode == 6:
            y = screen.cursor.y + 1
            if screen.margins is not None and mo.DECOM in screen.mode:
                y -= screen.margins.top
            x = min(screen.cursor.x, screen.columns - 1) + 1
            screen.write_process_input(f"\x1b[{'?' if private else ''}{y};{x}R")

    def _back_tab(self, count: int) -> None:
        screen = self.screen
        for _ in range(max(1, count)):
            stops = [x for x in screen.tabstops if x < screen.cursor.x]
            screen.cursor.x = max(stops) if stops else 0

    def _osc(self, payload: str, terminator: str) -> None:
        code, _, rest = payload.partition(";")
        if code in ("4", "10", "11", "12") and rest.endswith("?"):
            self._colour_query(code, rest, terminator)
            return
        if code in ("0", "1"):
            self.screen.set_icon_name(rest)
        if code in ("0", "2"):
            self.screen.set_title(rest)
            if self.on_title is not None:
                self.on_title(rest)
        elif code == "8":
            _params, _, url = rest.partition(";")
            self.screen.set_link(url)
        # 4/10/11/12 (setting colours), 52 (clipboard), 133 (prompt marks),
        # 9 and 777 (notifications): consumed, never applied or echoed.

    def _colour_query(self, code: str, rest: str, terminator: str) -> None:
        """OSC 10/11/12 ask the default foreground, background and cursor colours; OSC 4
        a palette entry (several ``index;?`` pairs may come at once). Answered in the
        query's own terminator, as xterm does."""
        write = self.screen.write_process_input
        if code != "4":
            colour = DEFAULT_COLOURS[code]
            write(f"\x1b]{code};{_x11_rgb(colour)}{terminator}")
            return
        parts = rest.split(";")
        for index, spec in zip(parts[::2], parts[1::2], strict=False):
            if spec == "?" and index.isdigit() and int(index) < 256:
                write(f"\x1b]4;{index};{_x11_rgb(palette_colour(int(index)))}{terminator}")


def palette_colour(index: int) -> tuple[int, int, int]:
    """xterm's 256-colour palette entry as (r, g, b)."""
    if index < 16:
        return _ANSI_16[index]
    if index < 232:
        index -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return levels[index // 36], levels[index // 6 % 6], levels[index % 6]
    grey = 8 + (index - 232) * 10
    return grey, grey, grey


def _x11_rgb(colour: tuple[int, int, int]) -> str:
    return "rgb:" + "/".join(f"{c:02x}{c:02x}" for c in colour)


def _ints(params: str) -> list[int]:
    """CSI parameters as pyte expects them: missing ones are 0, sub-parameters ignored."""
    if not params:
        return []
    values = []
    for part in params.split(";"):
        head = part.split(":", 1)[0]
        if len(head) > 4:
            head = head.lstrip("0")[:5]  # Leading zeros mean nothing; the value is capped.
        values.append(min(int(head), 9999) if head.isdigit() else 0)
    return values
