"""A Textual widget that shows a :class:`TerminalEmulator` and sends it keys, pastes and mouse.

Output is parsed as it arrives but painted on a frame tick, so a burst costs
one repaint; only rows that changed are rebuilt, and rendered rows are cached
by line identity so scrolling output reuses the strips it already built.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.keys import encode_key, encode_mouse
from wxtui.terminal.paste import encode_paste
from wxtui.terminal.render import (
    StyleCache,
    grid_width,
    runs_to_strip,
    with_cursor,
    with_highlights,
)
from wxtui.terminal.row import Row
from wxtui.terminal.screen import DEFAULT_SCROLLBACK
from wxtui.terminal.snapshot import Snapshot
from wxtui.terminal.textual_internals import plain_lines, release_strip, split_truecolor

log = logging.getLogger(__name__)

FRAME_INTERVAL = 1 / 60
# Under a flood (this much output between two frames) paint at half rate: the text is
# scrolling past faster than anyone reads, and parsing it is the work that matters.
FLOOD_BYTES = 16 * 1024
FLOOD_FRAME_INTERVAL = 1 / 30
TYPING_WINDOW = 0.25  # After a key or paste, this long at full frame rate.
SYNC_TIMEOUT = 0.5  # How long a child may hold a synchronized update before we paint anyway.
WHEEL_LINES = 3
_BLOCK_CURSOR = Style(reverse=True)
_LINE_CURSOR = Style(underline=True, bold=True)
_MARKER_STYLE = Style(reverse=True, bold=True)
_MATCH_STYLE = Style(bgcolor="yellow", color="black")
_CURRENT_MATCH_STYLE = Style(bgcolor="bright_magenta", color="black", bold=True)
_SELECTION_STYLE = Style(reverse=True)


def _with_marker(strip: Strip, width: int, marker: str) -> Strip:
    """The strip with ``marker`` over its right end (where the view is, and its keys)."""
    start = max(0, width - len(marker))
    return Strip.join(
        [strip.crop(0, start), Strip([Segment(marker[: width - start], _MARKER_STYLE)])]
    )


def _cell_index(text: str, cell: int) -> int:
    """The index in ``text`` where cell ``cell`` begins (wide characters take two)."""
    if text.isascii():
        return min(cell, len(text))
    cells = 0
    for index, ch in enumerate(text):
        if cells >= cell:
            return index
        cells += grid_width(ch)
    return len(text)


class TerminalView(Widget, can_focus=True):
    """The terminal pane. Give it a ``writer`` to send input to the child."""

    DEFAULT_CSS = """
    TerminalView {
        width: 1fr;
        height: 1fr;
        overflow: hidden;
    }
    """

    scroll_offset_lines: reactive[int] = reactive(0, layout=False)
    """How many lines the view is scrolled back into history (0: the live screen)."""

    class _ViewMessage(Message):
        def __init__(self, view: TerminalView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> TerminalView:
            return self.view

    class Bell(_ViewMessage):
        """The child rang the bell."""

    class TitleChanged(_ViewMessage):
        """The child set its window title (OSC 0 or 2)."""

        def __init__(self, view: TerminalView, title: str) -> None:
            super().__init__(view)
            self.title = title

    class Copied(_ViewMessage):
        """Text went to the clipboard (a selection, or the screen)."""

        def __init__(self, view: TerminalView, text: str) -> None:
            super().__init__(view)
            self.text = text

    class Resized(_ViewMessage):
        """The pane's size changed; the child's terminal should follow."""

        def __init__(self, view: TerminalView, rows: int, columns: int) -> None:
            super().__init__(view)
            self.rows = rows
            self.columns = columns

    def __init__(
        self,
        *,
        scrollback: int = DEFAULT_SCROLLBACK,
        reserved_keys: frozenset[str] = frozenset(),
        writer: Callable[[bytes], None] | None = None,
        answers_queries: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._scrollback = scrollback
        # A view of a session whose own terminal (the session host's) answers the
        # child's queries must not answer them a second time.
        self._answers_queries = answers_queries
        self.emulator = self._new_emulator(24, 80)
        self.reserved_keys = reserved_keys
        self.writer = writer
        self._styles = StyleCache()
        # Built strips by row identity, with the row and the version they show.
        self._strips: dict[int, tuple[Row, int, Strip]] = {}
        # What each screen line showed when it was last painted: its row and version.
        self._painted: list[tuple[Row, int]] = []
        self._blank: Strip | None = None
        self._frame_handle: asyncio.TimerHandle | None = None
        self._sync_timer: asyncio.TimerHandle | None = None
        self._last_frame = 0.0
        self._fed = 0  # Bytes parsed since the last frame.
        self._flooding = False  # Did the last frame follow a flood?
        self._typed_at = float("-inf")  # Loop time of the last key or paste sent.
        self._cursor_row = 0
        self._cursor_strip: Strip | None = None
        self._mouse_buttons = 0
        # Scrollback search: matches as (line, first cell, end cell), lines counted from
        # the oldest history line; the current one is shown and highlighted apart.
        self._matches: list[tuple[int, int, int]] = []
        self._matches_by_line: dict[int, list[tuple[int, int]]] = {}
        self._match = -1
        self.search_query = ""
        # A mouse selection: (line, cell) where the drag began and where it is now.
        self._selection: tuple[tuple[int, int], tuple[int, int]] | None = None
        self._dragging = False

    def _new_emulator(self, rows: int, columns: int) -> TerminalEmulator:
        emulator = TerminalEmulator(
            columns,
            rows,
            scrollback=self._scrollback,
            reply=self._write if self._answers_queries else None,
            on_bell=self._on_bell,
            on_title=self._on_title,
        )
        emulator.on_scrollback = self._on_scrollback
        return emulator

    # -- output --------------------------------------------------------------

    def load_snapshot(self, snapshot: Snapshot) -> None:
        """Start over from a snapshot of another terminal (a session that runs
        elsewhere); then the child gets this view's size, if it differs. One that
        brings the lines this view missed keeps a scrolled-back view where it was."""
        if snapshot.history_only:  # More pieces follow: the screen and its size stay.
            snapshot.add_history(self.emulator.history)
            self._history_arrived(snapshot)
            self.refresh()
            return
        rows, columns = snapshot.rows, snapshot.columns
        emulator = self._new_emulator(rows, columns)
        snapshot.restore(emulator, self.emulator)  # A malformed one changes nothing here.
        self.emulator = emulator
        self._drop_strips()
        self._painted.clear()
        self._history_arrived(snapshot)
        height, width = self.size.height, self.size.width
        if height > 0 and width > 0 and (height, width) != (rows, columns):
            self.emulator.resize(height, width)
            self.post_message(self.Resized(self, height, width))
        self._cursor_row = self.emulator.cursor[0]
        if height > 0 and width > 0:  # A hidden view is painted whole once it is shown.
            self.refresh()

    def _history_arrived(self, snapshot: Snapshot) -> None:
        """A snapshot's history is in: a search or selection over the old one ends; a
        view scrolled back over lines this one follows stays where it was."""
        reading = self.scroll_offset_lines if snapshot.appends and not self.search_query else 0
        if self.search_query:
            self.end_search()
        self.clear_selection()
        self.scroll_offset_lines = reading
        if reading and snapshot.lines:  # They went into the history as if scrolled there.
            self._on_scrollback(len(snapshot.lines))

    def feed(self, data: bytes) -> None:
        """Parse child output now; paint it on the next frame.

        A synchronized update the child leaves open longer than ``SYNC_TIMEOUT`` is
        shown as it is (until then the emulator holds its output back).
        """
        self.emulator.feed(data)
        if not self.emulator.holding:
            self._cancel_sync_timeout()
        elif self._sync_timer is None:
            with contextlib.suppress(RuntimeError):  # No loop: nothing paints anyway.
                loop = asyncio.get_running_loop()
                self._sync_timer = loop.call_later(SYNC_TIMEOUT, self._sync_overdue)
        self._fed += len(data)
        self._schedule_frame()

    def _cancel_sync_timeout(self) -> None:
        if self._sync_timer is not None:
            self._sync_timer.cancel()
            self._sync_timer = None

    def _sync_overdue(self) -> None:
        self._sync_timer = None
        self.emulator.release_held()
        self._schedule_frame()

    def feed_text(self, text: str) -> None:
        self.emulator.feed_text(text)
        self._schedule_frame()

    @property
    def next_frame_at(self) -> float | None:
        """Loop time of the frame waiting to be painted, or None when the screen is up to
        date: what frame pacing decided, for tests and benchmarks."""
        return None if self._frame_handle is None else self._frame_handle.when()

    @property
    def last_frame_at(self) -> float:
        """Loop time of the last frame painted."""
        return self._last_frame

    def _schedule_frame(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        now = loop.time()
        # Someone typing sees their echo at full rate, even while the child floods.
        typing = now - self._typed_at < TYPING_WINDOW
        interval = FLOOD_FRAME_INTERVAL if self._flooding and not typing else FRAME_INTERVAL
        when = max(now, self._last_frame + interval)
        if self._frame_handle is not None:
            if self._frame_handle.when() <= when:
                return
            self._frame_handle.cancel()
            self._frame_handle = None
        if when <= now:
            self._frame()  # Idle until now (an echo, say): paint without waiting a turn.
        else:
            self._frame_handle = loop.call_at(when, self._frame)

    def _frame(self) -> None:
        self._frame_handle = None
        self._last_frame = asyncio.get_running_loop().time()
        self._flooding = self._fed >= FLOOD_BYTES
        self._fed = 0
        changed = self._changed_rows()
        if not self.display or not self.is_mounted:
            return
        marked = self.search_query or self._selection is not None
        if self.scroll_offset_lines or marked or len(changed) >= self.emulator.lines:
            self.refresh()
            return
        width = self.size.width
        for y in changed:
            self.refresh(Region(0, y, width, 1))

    def _changed_rows(self) -> list[int]:
        """Every screen line whose row (by identity) or version differs from what was last
        painted there, plus the old and new cursor lines; remembers the screen as painted.

        Comparing with what was painted cannot miss a change, whatever moved the rows
        (scrolling, regions, insert/delete, alternate screen, resize)."""
        buffer = self.emulator.rows
        painted = self._painted
        if len(painted) != len(buffer):
            painted[:] = [(line, -1) for line in buffer]
        cursor_row = self.emulator.cursor[0]
        changed = {self._cursor_row, cursor_row}
        self._cursor_row = cursor_row
        for y, line in enumerate(buffer):
            seen = painted[y]
            if seen[0] is not line or seen[1] != line.version:
                painted[y] = (line, line.version)
                changed.add(y)
        if len(self._strips) > 4 * self.emulator.lines:
            live = {id(line) for line in buffer}
            kept = {}
            for key, entry in self._strips.items():
                if key in live:
                    kept[key] = entry
                else:
                    release_strip(entry[2])
            self._strips = kept
        return sorted(y for y in changed if y < len(buffer))

    def _on_scrollback(self, count: int) -> None:
        if count == 0:
            self.scroll_offset_lines = 0
        elif self.scroll_offset_lines:
            self.scroll_offset_lines = min(
                self.scroll_offset_lines + count, len(self.emulator.history)
            )

    def _on_bell(self) -> None:
        self.post_message(self.Bell(self))

    def _on_title(self, title: str) -> None:
        self.post_message(self.TitleChanged(self, title))

    # -- rendering -----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        try:
            return self._render_line(y)
        except Exception:  # A rendering bug must cost one row, never the app.
            log.exception("terminal row %d failed to render", y)
            return Strip.blank(self.size.width)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows as built, without Textual's per-line CSS pass, which costs more than
        the rows themselves during a flood and which a terminal pane does not use."""
        truecolor, filters = split_truecolor(self.get_line_filters())
        background = self.background_colors[1]  # Once a frame: it walks the ancestors.
        if truecolor is None:
            changed = self._styles.recolour_with(None, None)
        else:
            under = background.rich_color

            def recolour(style: Style) -> Style:
                return truecolor.truecolor_style(style, under)

            changed = self._styles.recolour_with(recolour, (truecolor, under))
        if changed:  # Another theme: every row is built again in its colours.
            self._drop_strips()
        x1, x2 = crop.column_span
        strips = plain_lines(self, crop.line_range, x1, x2, filters, background)
        return super().render_lines(crop) if strips is None else strips

    def _drop_strips(self) -> None:
        for _, _, strip in self._strips.values():
            release_strip(strip)
        self._strips.clear()

    def _blank_strip(self, width: int) -> Strip:
        if self._blank is None or self._blank.cell_length != width:
            self._blank = Strip.blank(width)
        return self._blank

    def _render_line(self, y: int) -> Strip:
        width = self.size.width
        emulator = self.emulator
        if self.scroll_offset_lines or self.search_query or self._selection is not None:
            return self._view_line(y, width)
        if y >= emulator.lines:
            return self._blank_strip(width)
        line = emulator.rows[y]
        cached = self._strips.get(id(line))
        if cached is not None and cached[0] is line and cached[1] == line.version:
            strip = cached[2]
        else:
            strip = runs_to_strip(line.runs(), width, self._styles, line.ends)
            if cached is not None:
                release_strip(cached[2])
            self._strips[id(line)] = (line, line.version, strip)
        cursor_row, cursor_column = emulator.cursor
        if y == cursor_row and self.has_focus and emulator.cursor_visible:
            style = _LINE_CURSOR if emulator.cursor_shape in (3, 4, 5, 6) else _BLOCK_CURSOR
            strip = with_cursor(strip, cursor_column, style)
            if self._cursor_strip is not None:
                release_strip(self._cursor_strip)  # Built for one frame only.
            self._cursor_strip = strip
        return strip

    def watch_scroll_offset_lines(self) -> None:
        self.refresh()

    # -- scrollback search ---------------------------------------------------

    @property
    def searching(self) -> bool:
        return bool(self.search_query)

    def _all_lines(self) -> list[str]:
        return self.emulator.scrollback_text() + self.emulator.display()

    def search(self, query: str) -> int:
        """Find ``query`` (ignoring case) in the scrollback and the screen; show the most
        recent match. Returns the number of matches."""
        self.search_query = query
        self._matches = []
        if query:
            needle = query.casefold()
            for index, text in enumerate(self._all_lines()):
                folded = text.casefold()
                start = folded.find(needle)
                while start >= 0:
                    first = grid_width(text[:start]) if not text.isascii() else start
                    last = first + grid_width(text[start : start + len(query)])
                    self._matches.append((index, first, last))
                    start = folded.find(needle, start + max(1, len(needle)))
        self._matches_by_line = {}
        for line, first, last in self._matches:
            self._matches_by_line.setdefault(line, []).append((first, last))
        self._match = len(self._matches) - 1
        self._show_match()
        return len(self._matches)

    def search_step(self, older: bool) -> None:
        """``n`` goes to the next older match, ``N`` to the next newer one (wrapping)."""
        if self._matches:
            self._match = (self._match + (-1 if older else 1)) % len(self._matches)
            self._show_match()

    def end_search(self) -> None:
        """Back to the live view."""
        self.search_query = ""
        self._matches = []
        self._matches_by_line = {}
        self._match = -1
        self.scroll_offset_lines = 0
        self.refresh()

    @property
    def current_match(self) -> tuple[int, int, int] | None:
        """The shown match: (line counted from the oldest history line, first, end cell)."""
        return self._matches[self._match] if self._matches else None

    def _show_match(self) -> None:
        """Scroll so the current match is in view (a third from the top when it was not)."""
        history = len(self.emulator.history)
        if self._matches:
            line = self._matches[self._match][0]
            shown_top = self._top_line
            if not shown_top <= line < shown_top + self.size.height:
                top = max(0, min(line - self.size.height // 3, history))
                self.scroll_offset_lines = history - top
        self.refresh()

    @property
    def _top_line(self) -> int:
        """The view's first line, counted from the oldest history line."""
        return len(self.emulator.history) - self.scroll_offset_lines

    # -- selection and copy --------------------------------------------------------

    def _position(self, event: events.MouseEvent) -> tuple[int, int]:
        """A mouse position as (line counted from the oldest history line, cell)."""
        line = self._top_line + max(0, min(event.y, self.size.height - 1))
        return line, max(0, min(event.x, self.emulator.columns))

    def _ordered_selection(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if self._selection is None:
            return None
        start, end = sorted(self._selection)
        return start, end

    def _selected_span(self, line: int, width: int) -> list[tuple[int, int, Style]]:
        ordered = self._ordered_selection()
        if ordered is None:
            return []
        (first_line, first_cell), (last_line, last_cell) = ordered
        if not first_line <= line <= last_line:
            return []
        start = first_cell if line == first_line else 0
        end = last_cell + 1 if line == last_line else width
        return [(start, end, _SELECTION_STYLE)]

    @property
    def selected_text(self) -> str:
        """The selected cells' text, lines joined by newlines, trailing blanks dropped."""
        ordered = self._ordered_selection()
        if ordered is None:
            return ""
        (first_line, first_cell), (last_line, last_cell) = ordered
        lines = self._all_lines()
        picked = []
        for line in range(first_line, min(last_line, len(lines) - 1) + 1):
            text = lines[line]
            start = _cell_index(text, first_cell) if line == first_line else 0
            end = _cell_index(text, last_cell + 1) if line == last_line else len(text)
            picked.append(text[start:end].rstrip())
        return "\n".join(picked)

    def clear_selection(self) -> None:
        if self._selection is not None:
            self._selection = None
            self.refresh()

    def copy_selection(self) -> str:
        """To the system clipboard (OSC 52 through the terminal wxtui runs in)."""
        text = self.selected_text
        if text:
            self.app.copy_to_clipboard(text)
            self.post_message(self.Copied(self, text))
        return text

    def copy_screen(self) -> str:
        """The whole visible screen (or the scrolled-back view) to the clipboard."""
        top = self._top_line
        lines = self._all_lines()[top : top + self.size.height]
        text = "\n".join(line.rstrip() for line in lines).rstrip("\n")
        self.app.copy_to_clipboard(text)
        self.post_message(self.Copied(self, text))
        return text

    def _view_line(self, y: int, width: int) -> Strip:
        """Line ``y`` of the view over history and screen (scrolled back, searching or
        selecting), with matches and the selection highlighted and a marker on top."""
        history = self.emulator.history
        rows = self.emulator.rows
        index = self._top_line + y
        if index < len(history):
            strip = runs_to_strip(history[index], width, self._styles)
        elif index - len(history) < len(rows):
            strip = runs_to_strip(rows[index - len(history)].runs(), width, self._styles)
        else:
            strip = self._blank_strip(width)
        current = self.current_match
        match, current_match = (
            self._styles.recoloured(style) for style in (_MATCH_STYLE, _CURRENT_MATCH_STYLE)
        )
        spans = [
            (first, last, current_match if (index, first, last) == current else match)
            for first, last in self._matches_by_line.get(index, ())
        ]
        spans.extend(self._selected_span(index, width))
        if spans:
            strip = with_highlights(strip, spans)
        if y == 0 and (self.search_query or self.scroll_offset_lines):
            strip = _with_marker(strip, width, self._marker())
        return strip

    def _marker(self) -> str:
        if not self.search_query:
            return f" scrolled back {self.scroll_offset_lines} lines "
        count = len(self._matches)
        where = f"{self._match + 1}/{count}" if count else "no match"
        return f" search {self.search_query!r}: {where}  n older  N newer  esc live "

    # -- geometry ------------------------------------------------------------

    def screen_text(self) -> list[str]:
        """The live screen's text, one string per row."""
        return self.emulator.display()

    @property
    def terminal_size(self) -> tuple[int, int]:
        """(rows, columns) of the terminal the child sees."""
        return self.emulator.lines, self.emulator.columns

    def resize_terminal(self, rows: int, columns: int) -> None:
        """Size the terminal ahead of layout (before a child starts, say)."""
        self.emulator.resize(rows, columns)

    def on_resize(self, event: events.Resize) -> None:
        rows, columns = self.size.height, self.size.width
        if rows < 1 or columns < 1:
            return  # Never give the child a zero-sized terminal.
        if (rows, columns) != (self.emulator.lines, self.emulator.columns):
            self.emulator.resize(rows, columns)
            self._drop_strips()
            self._cursor_row = self.emulator.cursor[0]
        self.refresh()
        self.post_message(self.Resized(self, rows, columns))

    def on_show(self) -> None:
        self.refresh()

    # -- input ---------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        if self.writer is None or not data:
            return
        try:
            self.writer(data)
        except Exception as exc:  # e.g. the child stopped reading its input.
            self.notify(str(exc), title="Input not sent", severity="warning")

    def _write_typed(self, data: bytes) -> None:
        """Input from the user: its echo should be painted without flood pacing."""
        with contextlib.suppress(RuntimeError):  # No loop: nothing is painted anyway.
            self._typed_at = asyncio.get_running_loop().time()
        self._write(data)

    def scroll_history(self, lines: int) -> None:
        limit = len(self.emulator.history)
        self.scroll_offset_lines = max(0, min(limit, self.scroll_offset_lines + lines))

    async def on_key(self, event: events.Key) -> None:
        if event.key in self.reserved_keys:
            return
        event.stop()
        event.prevent_default()
        self.clear_selection()
        if self.searching:
            if event.key in ("n", "N"):
                self.search_step(older=event.key == "n")
                return
            self.end_search()
            if event.key in ("escape", "enter"):
                return  # Back to the live view; other keys go on to the child.
        history_free = not self.emulator.in_alternate_screen
        if event.key in ("shift+pageup", "shift+pagedown") and history_free:
            page = max(1, self.size.height - 1)
            self.scroll_history(page if event.key == "shift+pageup" else -page)
            return
        if self.scroll_offset_lines:
            self.scroll_offset_lines = 0
        data = encode_key(
            event.key, event.character, app_cursor=self.emulator.application_cursor_keys
        )
        if data is not None:
            self._write_typed(data)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.paste(event.text)

    def paste(self, text: str) -> None:
        """Send text as the terminal would for a paste (bracketed when the child asked)."""
        if self.scroll_offset_lines:
            self.scroll_offset_lines = 0
        self._write_typed(encode_paste(text, bracketed=self.emulator.bracketed_paste))

    def on_focus(self) -> None:
        if self.emulator.focus_reporting:
            self._write(b"\x1b[I")
        self.refresh(Region(0, self.emulator.cursor[0], self.size.width, 1))

    def on_blur(self) -> None:
        if self.emulator.focus_reporting:
            self._write(b"\x1b[O")
        self.refresh(Region(0, self.emulator.cursor[0], self.size.width, 1))

    # -- mouse ---------------------------------------------------------------

    def _mouse_report(self, button: int, event: events.MouseEvent, release: bool = False) -> None:
        report = encode_mouse(
            button,
            event.x,
            event.y,
            release=release,
            sgr=self.emulator.mouse_sgr,
            shift=event.shift,
            meta=event.meta,
            ctrl=event.ctrl,
        )
        if report:
            self._write(report)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        if self.emulator.mouse_tracking:
            event.stop()
            button = {1: 0, 2: 1, 3: 2}.get(event.button, 0)
            self._mouse_buttons = button + 1
            self._mouse_report(button, event)
        elif event.button == 1:  # The child did not ask for the mouse: a drag selects.
            event.stop()
            position = self._position(event)
            self._selection = (position, position)
            self._dragging = True
            self.capture_mouse()
            self.refresh()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.emulator.mouse_tracking:
            event.stop()
            button = {1: 0, 2: 1, 3: 2}.get(event.button, 0)
            self._mouse_buttons = 0
            self._mouse_report(button, event, release=True)
        elif self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()
            if self._selection is not None and self._selection[0] != self._selection[1]:
                self.copy_selection()
            else:
                self.clear_selection()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging and self._selection is not None:
            self._selection = (self._selection[0], self._position(event))
            self.refresh()
            return
        tracking = self.emulator.mouse_tracking
        if tracking == 1003 or (tracking == 1002 and self._mouse_buttons):
            button = (self._mouse_buttons - 1) if self._mouse_buttons else 3
            self._mouse_report(32 + button, event)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        if self.emulator.mouse_tracking:
            self._mouse_report(64, event)
        elif not self.emulator.in_alternate_screen:
            self.scroll_history(WHEEL_LINES)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        if self.emulator.mouse_tracking:
            self._mouse_report(65, event)
        else:
            self.scroll_history(-WHEEL_LINES)
