"""History lines: read back exactly as they were, bounded, and invisible to the collector."""

from __future__ import annotations

import gc

import pytest

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


def test_plain_lines_of_a_log() -> None:
    """The commonest line (one default style) has a short way in: it reads back, and
    travels, as any other."""
    history = Scrollback(10)
    row = Row(12)
    row.put(0, "GET /items", DEFAULT_ATTRS)
    history.append(row)
    history.append(Row(12))
    history.append(styled_row())
    expected = [(("GET /items", DEFAULT_ATTRS),), (), (("red", RED), (" plain", DEFAULT_ATTRS))]
    assert list(history) == expected
    copy = Scrollback(10)
    copy.load(*history.export()[:2])
    assert list(copy) == expected


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


def filled(lines: int, maxlen: int = 100) -> Scrollback:
    history = Scrollback(maxlen)
    for i in range(lines):
        row = Row(12)
        row.put(0, f"c{i}", Attrs(fg=f"{i:06x}", bold=i % 2 == 0))
        row.put(4, " plain", DEFAULT_ATTRS)
        history.append(row)
    return history


def test_exported_lines_load_back_the_same_across_style_generations(monkeypatch) -> None:
    monkeypatch.setattr(scrollback_module, "GENERATION_SIZE", 4)
    source = filled(30, maxlen=20)
    styles, lines, everything = source.export()
    assert everything
    copy = Scrollback(20)
    copy.load(styles, lines)
    assert list(copy) == list(source)
    copy.append(styled_row())  # It goes on like any history.
    assert copy[-1] == (("red", RED), (" plain", DEFAULT_ATTRS)) and len(copy) == 20


def test_loading_keeps_the_newest_lines_that_fit() -> None:
    styles, lines, _ = filled(10).export()
    copy = Scrollback(4)
    copy.load(styles, lines)
    assert [runs[0][0] for runs in copy] == ["c6", "c7", "c8", "c9"]


def test_the_lines_since_a_position_extend_a_copy_taken_then(monkeypatch) -> None:
    """A client that missed output gets only the lines it has not seen."""
    monkeypatch.setattr(scrollback_module, "GENERATION_SIZE", 4)
    source = filled(5, maxlen=12)
    copy = Scrollback(12)
    copy.load(*source.export()[:2])
    mark = source.position
    for i in range(5, 9):
        row = Row(12)
        row.put(0, f"c{i}", Attrs(fg=i))
        source.append(row)
    styles, lines, everything = source.export(since=mark)
    assert not everything and [line[0] for line in lines] == [f"c{i}" for i in range(5, 9)]
    assert len(styles) == 4, "only the styles these lines use"
    copy.extend(styles, lines)
    assert list(copy) == list(source)
    for _ in range(9, 20):  # Past maxlen: the oldest go, the newest stay.
        copy.append(styled_row())
        source.append(styled_row())
    assert list(copy) == list(source) and len(copy) == 12
    assert source.export(since=source.position)[1] == [], "nothing new"


def test_after_a_clear_or_more_lines_than_it_keeps_the_whole_history_is_sent() -> None:
    source = filled(5, maxlen=6)
    mark = source.position
    source.clear()
    source.append(styled_row())
    _, lines, everything = source.export(since=mark)
    assert everything and len(lines) == 1
    mark = source.position
    for _ in range(10):
        source.append(styled_row())
    _, lines, everything = source.export(since=mark)
    assert not everything and len(lines) == 6, "all it keeps"


def test_malformed_history_is_refused_and_changes_nothing() -> None:
    copy = filled(2)
    before = list(copy)
    styles, lines, _ = filled(3).export()
    bad_cases = [
        (styles, [["text", 4, 99]]),  # a style that is not in the table
        (styles, [["text", 4]]),  # an end without a style
        (styles, [[7, 4, 0]]),  # no text
        (styles, [["text", "4", 0]]),
        (styles, ["text"]),
        ([["default"]], lines),  # a style with too few fields
        ([[[1], *styles[0][1:]]], lines),  # a field no style has
        ([["zzz", *styles[0][1:]]], lines),  # a colour no terminal has
        ([[256, *styles[0][1:]]], lines),
    ]
    for bad_styles, bad_lines in bad_cases:
        with pytest.raises(ValueError, match="malformed"):
            copy.load(bad_styles, bad_lines)
        assert list(copy) == before
