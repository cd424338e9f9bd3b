"""The string-and-spans row against a plain list of cells, the model it must behave as."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Row, runs_text

RED = Attrs(fg=1)
BOLD = Attrs(bold=True)
BLUE_BG = Attrs(bg=4)
STYLES = [DEFAULT_ATTRS, RED, BOLD, BLUE_BG]
WIDTH = 12

Cell = tuple[str, Attrs]


class Model:
    """Cells as a list: slow and obviously right."""

    def __init__(self, width: int) -> None:
        self.cells: list[Cell] = [(" ", DEFAULT_ATTRS)] * width

    def _cut_wide(self, start: int, end: int) -> None:
        cells = self.cells
        if start > 0 and cells[start][0] == "":
            cells[start - 1] = (" ", cells[start - 1][1])
        if end < len(cells) and cells[end][0] == "":
            cells[end] = (" ", cells[end][1])

    def put(self, x: int, chunk: str, attrs: Attrs) -> None:
        self._cut_wide(x, x + len(chunk))
        for i, ch in enumerate(chunk):
            self.cells[x + i] = (ch, attrs)

    def put_wide(self, x: int, ch: str, attrs: Attrs) -> None:
        self._cut_wide(x, x + 2)
        self.cells[x] = (ch, attrs)
        self.cells[x + 1] = ("", attrs)

    def paint(self, start: int, end: int, attrs: Attrs) -> None:
        for x in range(start, end):
            self.cells[x] = (self.cells[x][0], attrs)

    def insert_blanks(self, x: int, count: int, attrs: Attrs) -> None:
        width = len(self.cells)
        count = min(count, width - x)
        self.cells = (self.cells[:x] + [(" ", attrs)] * count + self.cells[x:])[:width]

    def delete_cells(self, x: int, count: int, attrs: Attrs) -> None:
        width = len(self.cells)
        count = min(count, width - x)
        self.cells = self.cells[:x] + self.cells[x + count :] + [(" ", attrs)] * count

    def resize(self, width: int) -> None:
        self.cells = (self.cells + [(" ", DEFAULT_ATTRS)] * width)[:width]


def check(row: Row, model: Model) -> None:
    width = len(model.cells)
    assert row.width == width
    assert row.ends[-1] == width
    assert row.ends == sorted(set(row.ends)), "runs are non-empty and in order"
    assert all(a != b for a, b in itertools.pairwise(row.styles)), "equal neighbours merge"
    assert [(row[x].data, row[x].attrs) for x in range(width)] == model.cells
    assert runs_text(row.runs()) == "".join(data for data, _ in model.cells)


operation = st.one_of(
    st.tuples(
        st.just("put"),
        st.integers(0, WIDTH - 1),
        st.text("abc", min_size=1, max_size=WIDTH),
        st.sampled_from(STYLES),
    ),
    st.tuples(st.just("wide"), st.integers(0, WIDTH - 2), st.just("中"), st.sampled_from(STYLES)),
    st.tuples(
        st.just("paint"), st.integers(0, WIDTH - 1), st.integers(1, WIDTH), st.sampled_from(STYLES)
    ),
    st.tuples(
        st.just("insert"), st.integers(0, WIDTH - 1), st.integers(1, 5), st.sampled_from(STYLES)
    ),
    st.tuples(
        st.just("delete"), st.integers(0, WIDTH - 1), st.integers(1, 5), st.sampled_from(STYLES)
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=25))
def test_row_behaves_as_a_list_of_cells(operations: list[tuple]) -> None:
    row, model = Row(WIDTH), Model(WIDTH)
    for op, x, arg, attrs in operations:
        if op == "put":
            chunk = arg[: WIDTH - x]
            row.put(x, chunk, attrs)
            model.put(x, chunk, attrs)
        elif op == "wide":
            row.put(x, arg + " ", attrs)
            row.put_special(x + 1, "")
            model.put_wide(x, arg, attrs)
        elif op == "paint":
            end = min(WIDTH, x + arg)
            row.paint(x, end, attrs)
            model.paint(x, end, attrs)
        elif op == "insert":
            row.insert_blanks(x, arg, attrs)
            model.insert_blanks(x, arg, attrs)
        else:
            row.delete_cells(x, arg, attrs)
            model.delete_cells(x, arg, attrs)
        check(row, model)


@given(st.integers(1, 30), st.lists(operation, max_size=8))
def test_resize_keeps_the_left_part(width: int, operations: list[tuple]) -> None:
    row, model = Row(WIDTH), Model(WIDTH)
    for op, x, arg, attrs in operations:
        if op == "put":
            row.put(x, arg[: WIDTH - x], attrs)
            model.put(x, arg[: WIDTH - x], attrs)
    row.resize(width)
    model.resize(width)
    check(row, model)


def test_plain_text_on_a_blank_row_stays_one_run() -> None:
    row = Row(20)
    row.put(0, "hello world", DEFAULT_ATTRS)
    assert row.runs() == (("hello world" + " " * 9, DEFAULT_ATTRS),)
    assert row.runs(trim=True) == (("hello world", DEFAULT_ATTRS),)


def test_combining_marks_and_wide_characters_render_as_their_cells() -> None:
    row = Row(6)
    row.put(0, "e", RED)
    row.put_special(0, "e\u0301")
    row.put(1, "中 ", DEFAULT_ATTRS)
    row.put_special(2, "")
    assert row.runs(trim=True) == (("e\u0301", RED), ("中", DEFAULT_ATTRS))
    assert row.display() == "e\u0301中   "


def test_overwriting_half_a_wide_character_blanks_the_other_half() -> None:
    row = Row(4)
    row.put(0, "中 ", DEFAULT_ATTRS)
    row.put_special(1, "")
    row.put(1, "x", DEFAULT_ATTRS)
    assert row.display() == " x  "
    row.put(2, "中 ", DEFAULT_ATTRS)
    row.put_special(3, "")
    row.put(2, "y", DEFAULT_ATTRS)
    assert row.display() == " xy "
