"""History lines: read back exactly as they were, bounded, and invisible to the collector."""

from __future__ import annotations

import gc

from wxtui.terminal import scrollback as scrollback_module
from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, Row
from wxtui.terminal.scrollback import Scrollback

RED = Attrs(fg=1)
BLUE_BG = Attrs(bg=4)


def styled_row() -> Row:
    row = Row(20)
    row.put(0, "red", RED)
    row.put(3, " plain", DEFAULT_ATTRS)
    return row


def test_lines_read_back_as_runs_without_trailing_default_blanks() -> None:
    history = Scrollback(10)
    history.append(styled_row())
    assert history[0] == (("red", RED), (" plain", DEFAULT_ATTRS))
    assert history[0][0][1] is history[0][0][1], "attributes come back as one shared object"
    assert history[0][1][1] is DEFAULT_ATTRS


def test_blank_and_coloured_blank_lines() -> None:
    history = Scrollback(10)
    history.append(Row(8))
    history.append(Row(8, BLUE_BG))
    row = Row(8)
    row.put(0, "ab", RED)
    history.append(row)
    assert history[0] == ()
    assert history[1] == (("        ", BLUE_BG),), "a coloured background is kept"
    assert history[2] == (("ab", RED),)


def test_wide_characters_and_combining_marks() -> None:
    history = Scrollback(10)
    row = Row(8)
    row.put(0, "中 e", RED)
    row.put_stubs(1, 1)
    row.put_special(2, "e\u0301")
    history.append(row)
    assert history[0] == (("中e\u0301", RED),)


def test_bounded_oldest_first() -> None:
    history = Scrollback(3)
    for i in range(5):
        row = Row(10)
        row.put(0, f"line {i}", DEFAULT_ATTRS)
        history.append(row)
    assert [runs[0][0] for runs in history] == ["line 2", "line 3", "line 4"]
    history.clear()
    assert len(history) == 0 and not history


def test_style_tables_go_with_their_last_line(monkeypatch) -> None:
    monkeypatch.setattr(scrollback_module, "GENERATION_SIZE", 4)
    history = Scrollback(3)
    for i in range(50):
        row = Row(10)
        row.put(0, f"c{i}", Attrs(fg=f"{i:06x}"))
        history.append(row)
    assert [runs[0][1].fg for runs in history] == ["00002f", "000030", "000031"]
    assert [runs[0][0] for runs in history] == ["c47", "c48", "c49"]
    assert len(history._tables) <= 2, "tables no line refers to are dropped"


def test_kept_lines_are_not_tracked_by_the_collector() -> None:
    history = Scrollback(10)
    history.append(styled_row())
    gc.collect()
    assert not gc.is_tracked(history._lines[0])
