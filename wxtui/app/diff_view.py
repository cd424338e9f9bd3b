"""A unified diff, syntax-highlighted, with a line cursor: only the rows on screen are
rendered (and highlighted, once), so a diff of thousands of lines opens at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

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
        self.path = ""
        self.commented: set[int] = set()  # Line indexes with a comment.
        self._syntax: Syntax | None = None  # One per file: its lexer is made once.
        self._highlighted: dict[int, Text] = {}

    def show(self, path: str, diff: str) -> None:
        self.path = path
        self.lines = parse_diff(diff)
        self._syntax = _syntax_for(path)
        self._highlighted.clear()
        self.cursor = next((i for i, line in enumerate(self.lines) if line.kind in _MARKS), 0)
        self.virtual_size = Size(self.size.width, len(self.lines))
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.lines))

    def watch_cursor(self, old: int, new: int) -> None:
        if new < self.scroll_offset.y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_offset.y + self.size.height:
            self.scroll_to(y=new - self.size.height + 1, animate=False)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.lines:
            self.cursor = max(0, min(len(self.lines) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        if self.lines:
            self.cursor = len(self.lines) - 1 if end else 0

    @property
    def current(self) -> DiffLine | None:
        return self.lines[self.cursor] if 0 <= self.cursor < len(self.lines) else None

    def _content(self, index: int) -> Text:
        """The line's code, highlighted as its file's language (once)."""
        found = self._highlighted.get(index)
        if found is None:
            line = self.lines[index]
            if line.kind in _MARKS and self._syntax is not None:
                found = self._syntax.highlight(inert(line.text, " "))
                found.rstrip()
            else:
                found = Text(inert(line.text, " "))
            if len(self._highlighted) >= HIGHLIGHT_CACHE:
                self._highlighted.clear()
            self._highlighted[index] = found
        return found

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= len(self.lines):
            return Strip.blank(width)
        line = self.lines[index]
        look = _LOOKS[line.kind]
        gutter = Text(
            f"{line.old or '':>5} {line.new or '':>5} "
            + ("●" if index in self.commented else " ")
            + _MARKS.get(line.kind, ""),
            style="dim",
        )
        row = (
            Text.assemble(gutter, self._content(index))
            if line.kind in _MARKS
            else Text(inert(line.text, " "))
        )
        row.stylize(look)
        if index == self.cursor and self.has_focus:
            row.stylize(Style(reverse=True), 0, len(gutter))
        segments = list(row.render(self.app.console))
        strip = Strip(segments).crop(self.scroll_offset.x, self.scroll_offset.x + width)
        return strip.extend_cell_length(width, look + Style()).simplify()
