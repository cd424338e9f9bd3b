"""A unified diff, syntax-highlighted, with a line cursor: only the rows on screen are
rendered (and highlighted, once), so a diff of thousands of lines opens at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from wxtui.text import inert

LineKind = Literal["meta", "hunk", "added", "deleted", "context"]
_MARKS = {"added": "+", "deleted": "-", "context": " "}
_LOOKS = {
    "meta": Style(bold=True),
    "hunk": Style(color="cyan"),
    "added": Style(bgcolor="#0f2f14"),
    "deleted": Style(bgcolor="#3a1214"),
    "context": Style(),
}
HIGHLIGHT_CACHE = 4096
SIDE_BY_SIDE = 100  # Columns of the diff from which old and new are shown beside each other.


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: LineKind
    text: str  # Without the +/-/space mark.
    old: int | None  # Line numbers in the old and the new file.
    new: int | None


def parse_diff(diff: str) -> list[DiffLine]:
    """``git diff`` output as lines with their numbers in the old and new file."""
    lines: list[DiffLine] = []
    old = new = 0
    for raw in diff.splitlines():
        if raw.startswith("@@"):
            try:
                ranges = raw.split("@@")[1].split()
                old = int(ranges[0][1:].split(",")[0])
                new = int(ranges[1][1:].split(",")[0])
            except (IndexError, ValueError):
                old = new = 0
            lines.append(DiffLine("hunk", raw, None, None))
        elif raw.startswith("+") and not raw.startswith("+++"):
            lines.append(DiffLine("added", raw[1:], None, new))
            new += 1
        elif raw.startswith("-") and not raw.startswith("---"):
            lines.append(DiffLine("deleted", raw[1:], old, None))
            old += 1
        elif raw.startswith(" "):
            lines.append(DiffLine("context", raw[1:], old, new))
            old += 1
            new += 1
        else:
            lines.append(DiffLine("meta", raw, None, None))
    return lines


def _syntax_for(path: str) -> Syntax | None:
    """A highlighter for the file's language (None: plain text)."""
    name = Syntax.guess_lexer(path) if path else "text"
    lexer = Syntax("", name).lexer if name not in ("text", "default") else None
    return None if lexer is None else Syntax("", lexer, theme="monokai")


class DiffView(ScrollView, can_focus=True):
    """One file's diff; ``cursor`` is the line a comment goes on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[DiffLine] = []
        self.rows: list[Row] = []  # What each screen row shows (see _rows_of).
        self.path = ""
        self.commented: set[int] = set()  # Line numbers (in the new file; the old one
        # for a deleted line) with a comment.
        self.side_by_side = False
        self._syntax: Syntax | None = None  # One per file: its lexer is made once.
        self._highlighted: dict[int, Text] = {}  # By id() of a DiffLine of self.lines.

    def show(self, path: str, diff: str) -> None:
        self.path = path
        self.lines = parse_diff(diff)
        self._syntax = _syntax_for(path)
        self._highlighted.clear()
        self._layout(keep=None)
        self.scroll_to(y=0, animate=False)

    def _layout(self, keep: DiffLine | None) -> None:
        """Rows for the width: side by side from SIDE_BY_SIDE columns; the cursor stays
        on ``keep``'s row (else the first line of code)."""
        self.side_by_side = self.size.width >= SIDE_BY_SIDE
        self.rows = (
            _side_by_side(self.lines)
            if self.side_by_side
            else [(line, None) for line in self.lines]
        )
        index = next(
            (i for i, row in enumerate(self.rows) if keep is not None and keep in row), None
        )
        if index is None:
            index = next((i for i, row in enumerate(self.rows) if _code(row) is not None), 0)
        self.set_reactive(DiffView.cursor, index)
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.refresh()

    def on_resize(self) -> None:
        if (self.size.width >= SIDE_BY_SIDE) != self.side_by_side:
            self._layout(keep=self.current)
        self.virtual_size = Size(self.size.width, len(self.rows))

    def watch_cursor(self, old: int, new: int) -> None:
        if new < self.scroll_offset.y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_offset.y + self.size.height:
            self.scroll_to(y=new - self.size.height + 1, animate=False)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if end else 0

    @property
    def current(self) -> DiffLine | None:
        """The line of code under the cursor (side by side: the new one, if any)."""
        if not 0 <= self.cursor < len(self.rows):
            return None
        return _code(self.rows[self.cursor])

    def _content(self, line: DiffLine) -> Text:
        """The line's code, highlighted as its file's language (once)."""
        found = self._highlighted.get(id(line))
        if found is None:
            if line.kind in _MARKS and self._syntax is not None:
                found = self._syntax.highlight(inert(line.text, " "))
                found.rstrip()
            else:
                found = Text(inert(line.text, " "))
            if len(self._highlighted) >= HIGHLIGHT_CACHE:
                self._highlighted.clear()
            self._highlighted[id(line)] = found
        return found

    def _cell(self, line: DiffLine | None, numbers: str, cursor: bool) -> Text:
        """One line of code with its gutter: ``numbers`` "both", "old" or "new"."""
        if line is None:
            return Text()
        if line.kind not in _MARKS:
            text = Text(inert(line.text, " "))
            text.stylize(_LOOKS[line.kind])
            return text
        number = line.new if line.new is not None else line.old
        shown = {
            "both": f"{line.old or '':>5} {line.new or '':>5} ",
            "old": f"{line.old or '':>5} ",
            "new": f"{line.new or '':>5} ",
        }[numbers]
        mark = "●" if number in self.commented else " "
        gutter = Text(shown + mark + _MARKS[line.kind], style="dim")
        if cursor:
            gutter.stylize(Style(reverse=True))
        text = Text.assemble(gutter, self._content(line))
        text.stylize(_LOOKS[line.kind])
        return text

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width)
        left, right = self.rows[index]
        cursor = index == self.cursor and self.has_focus
        console = self.app.console
        if not self.side_by_side or (left is not None and left.kind not in _MARKS):
            text = self._cell(left, "both", cursor)
            strip = Strip(list(text.render(console)))
            look = _LOOKS[left.kind] if left is not None else Style()
            strip = strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)
            return strip.extend_cell_length(width, look).simplify()
        half = (width - 1) // 2
        halves = []
        for line, numbers, size in ((left, "old", half), (right, "new", width - 1 - half)):
            text = self._cell(line, numbers, cursor and line is _code((left, right)))
            strip = Strip(list(text.render(console))).crop(0, size)
            halves.append(strip.extend_cell_length(size, _LOOKS[line.kind] if line else Style()))
        rule = Strip([Segment("│", Style(dim=True))])
        return Strip.join([halves[0], rule, halves[1]]).simplify()


Row = tuple[DiffLine | None, DiffLine | None]


def _code(row: Row) -> DiffLine | None:
    """The row's line of code a comment goes on (the new side first)."""
    left, right = row
    for line in (right, left):
        if line is not None and line.kind in _MARKS:
            return line
    return None


def _side_by_side(lines: list[DiffLine]) -> list[Row]:
    """Old and new beside each other: context on both sides, a run of deleted lines
    beside the added lines that follow it; headers and hunks across."""
    rows: list[Row] = []
    deleted: list[DiffLine] = []
    added: list[DiffLine] = []

    def flush() -> None:
        for n in range(max(len(deleted), len(added))):
            rows.append(
                (deleted[n] if n < len(deleted) else None, added[n] if n < len(added) else None)
            )
        deleted.clear()
        added.clear()

    for line in lines:
        if line.kind == "deleted":
            if added:
                flush()
            deleted.append(line)
        elif line.kind == "added":
            added.append(line)
        else:
            flush()
            rows.append((line, line) if line.kind == "context" else (line, None))
    flush()
    return rows
