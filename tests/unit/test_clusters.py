"""Clusters: which characters share a cell and how wide it is, one measure for the grid
and for painting (rich's, as Textual's compositor measures), row by row."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from tests.support.term import Term
from wxtui.terminal.clusters import cluster_width, split_cells
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.render import StyleCache, runs_to_strip

# (what is printed, its cells, columns taken)
TABLE = [
    ("\u2764\ufe0f", ["\u2764\ufe0f"], 2),  # VS16: emoji presentation
    ("\u2600\ufe0f", ["\u2600\ufe0f"], 2),
    ("\u2708\ufe0f", ["\u2708\ufe0f"], 2),
    ("\u2714\ufe0f", ["\u2714\ufe0f"], 2),
    ("\u26a0\ufe0f", ["\u26a0\ufe0f"], 2),
    ("1\ufe0f\u20e3", ["1\ufe0f\u20e3"], 2),  # keycaps
    ("#\ufe0f\u20e3", ["#\ufe0f\u20e3"], 2),
    ("\U0001f44d\U0001f3fd", ["\U0001f44d\U0001f3fd"], 2),  # skin tone
    ("\U0001f1eb\U0001f1f7", ["\U0001f1eb\U0001f1f7"], 2),  # a flag
    (
        "\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea",
        ["\U0001f1eb\U0001f1f7", "\U0001f1e9\U0001f1ea"],
        4,
    ),
    ("\U0001f1eb", ["\U0001f1eb"], 1),  # a regional indicator alone
    ("\U0001f3f3\ufe0f\u200d\U0001f308", ["\U0001f3f3\ufe0f\u200d\U0001f308"], 2),  # ZWJ
    (
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        ["\U0001f468\u200d\U0001f469\u200d\U0001f467"],
        2,
    ),
    ("a\u200db", ["a\u200d", "b"], 2),  # a ZWJ between letters joins nothing
    ("e\u0301\u0301", ["e\u0301\u0301"], 1),  # combining marks
    ("\u2764", ["\u2764"], 1),  # text presentation
    ("\u4e2d\u6587", ["\u4e2d", "\u6587"], 4),
]


@pytest.mark.parametrize(("text", "cells", "columns"), TABLE)
def test_the_grid_puts_each_cluster_in_its_cells_and_the_rest_where_it_belongs(
    text: str, cells: list[str], columns: int
) -> None:
    t = Term(20, 2).feed(f"A{text}B")
    assert split_cells(text) == cells
    assert sum(cluster_width(cell) for cell in cells) == columns
    x = 1
    for cell in cells:
        assert t.cell(0, x).data == cell, t.row(0)
        if cluster_width(cell) == 2:
            assert t.cell(0, x + 1).data == "", "the second half of a wide cluster"
        x += cluster_width(cell)
    assert t.cell(0, x).data == "B" and t.screen.cursor.x == x + 1
    strip = t.strip(0)
    assert strip.cell_length == 20 and sum(s.cell_length for s in strip) == 20
    assert strip.text.startswith(f"A{text}B".replace("\u200db", "b")), "painted as written"


@pytest.mark.parametrize(("text", "cells", "columns"), TABLE)
def test_rich_measures_every_cluster_as_the_grid_does(
    text: str, cells: list[str], columns: int
) -> None:
    for cell in cells:
        painted = cell.rstrip("\u200d")
        assert cell_len(painted) == cluster_width(cell), cell


def test_at_the_last_column_a_cluster_that_would_widen_stays_one_cell() -> None:
    t = Term(4, 2).feed("abc\u2764\ufe0fx")
    assert t.row(0) == "abc\u2764" and t.row(1) == "x", "its text form, one cell"
    t = Term(4, 2).feed("abc\U0001f1eb\U0001f1f7x")  # A flag's second half wraps.
    assert t.row(0) == "abc\U0001f1eb" and t.row(1) == "\U0001f1f7x"
    for y in range(2):
        assert sum(s.cell_length for s in t.strip(y)) == 4


@pytest.mark.parametrize(
    "edit",
    [
        "\u4e2d\x1b[1G\x1b[C\x1b[P",  # DCH on a wide character's second half
        "\u6587\x1b[5Gaa\u4e2d\x1b[@\u4e2d",  # ICH pushes a second half off the edge
    ],
)
def test_a_wide_character_cut_in_half_by_an_edit_paints_the_row_in_its_cells(
    edit: str,
) -> None:
    t = Term(8, 2).feed(edit)
    strip = t.strip(0)
    assert strip.cell_length == 8 and sum(cell_len(s.text) for s in strip) == 8, t.row(0)
    t.feed("\r\n\x1b[31m\u4e2d\x1b[0mabc")  # An ordinary row after it is not thrown off.
    strip = t.strip(1)
    assert strip.text.startswith("\u4e2dabc")
    assert strip.cell_length == 8 and sum(cell_len(s.text) for s in strip) == 8


def test_an_emoji_after_a_zwj_whose_vs16_was_left_out_still_joins() -> None:
    t = Term(6, 2).feed("\x1b[6G\u2764\u200d\ufe0f\U0001f469")
    assert t.cell(0, 5).data == "\u2764\u200d\U0001f469" and t.row(1) == ""


def test_a_live_row_paints_as_its_runs_measured_one_by_one() -> None:
    """The pane paints a live row from the cells its runs cover, without measuring them
    again; whatever edits made the row, that gives the very segments measuring does."""
    pieces = [
        *("\u4e2d", "\u6587", "a", " ", "\U0001f600", "\u2764\ufe0f", "e\u0301"),
        *("a\u200db", "\U0001f1eb\U0001f1f7", "\r\n", "\x1b[31m", "\x1b[0m"),
        *("\x1b[P", "\x1b[2P", "\x1b[@", "\x1b[C", "\x1b[D", "\x1b[1G", "\x1b[3G", "\x1b[K"),
    ]
    rng = random.Random(7)
    styles = StyleCache()
    for _ in range(3000):
        chosen = [rng.choice(pieces) for _ in range(rng.randint(3, 15))]
        emulator = TerminalEmulator(8, 3)
        emulator.feed("".join(chosen).encode())
        for row in emulator.rows:
            painted = runs_to_strip(row.runs(), 8, styles, row.ends)
            measured = runs_to_strip(row.runs(), 8, styles)
            assert [s.text for s in painted] == [s.text for s in measured], chosen
            assert painted.cell_length == sum(cell_len(s.text) for s in painted) == 8
