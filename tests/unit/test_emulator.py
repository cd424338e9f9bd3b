"""The emulator, fed bytes directly: every pyte defect the widget depends on being fixed."""

from __future__ import annotations

import pytest
from rich.color import Color

from tests.support.term import Term

# -- text ------------------------------------------------------------------------


def test_plain_text_wrap_and_newlines() -> None:
    t = Term(10, 4).feed("0123456789abc\r\nxyz")
    assert t.rows() == ["0123456789", "abc", "xyz", ""]


def test_text_exactly_filling_a_row_does_not_add_a_blank_row() -> None:
    t = Term(5, 3).feed("abcde\r\nfg")
    assert t.rows() == ["abcde", "fg", ""]


def test_zero_width_codepoints_do_not_drop_the_rest() -> None:
    t = Term(30, 3).feed("a\u2764\ufe0fb \U0001f468\u200d\U0001f469 c e\u0301 end")
    row = t.row(0)
    assert row.startswith("a\u2764\ufe0fb")
    assert row.endswith("c e\u0301 end")


def test_wide_character_at_last_column_wraps() -> None:
    t = Term(5, 3).feed("abcd中x")
    assert t.rows() == ["abcd", "中x", ""]
    assert t.cell(1, 0).data == "中" and t.cell(1, 1).data == ""


def test_wide_characters_occupy_two_cells() -> None:
    t = Term(10, 2).feed("中文ab")
    assert t.row(0) == "中文ab"
    assert t.screen.cursor.x == 6
    assert t.strip(0).cell_length == 10


def test_split_utf8_across_reads() -> None:
    t = Term(10, 2)
    data = "é中😀".encode()
    for i in range(len(data)):
        t.feed(data[i : i + 1])
    assert t.row(0) == "é中😀"


def test_invalid_utf8_becomes_replacement_character() -> None:
    assert Term(10, 2).feed(b"a\xff\xfeb").row(0) == "a\ufffd\ufffdb"


def test_split_escape_sequence_across_reads() -> None:
    t = Term(10, 2).feed(b"\x1b[3").feed(b"1").feed(b"mX")
    assert t.row(0) == "X"
    assert t.cell(0, 0).fg == 1


def test_dec_line_drawing_charset() -> None:
    t = Term(10, 2).feed("\x1b(0lqk\x1b(B lqk")
    assert t.row(0) == "┌─┐ lqk"


def test_repeat_last_character() -> None:
    assert Term(10, 2).feed("a\x1b[4b").row(0) == "aaaaa"


# -- sequences that must be consumed -----------------------------------------------


@pytest.mark.parametrize(
    "sequence",
    [
        "\x1b[>1u",
        "\x1b[<u",
        "\x1b[<1u",
        "\x1b[=1;1u",
        "\x1b[>4;2m",
        "\x1b[>4m",
        "\x1bP1$r0m\x1b\\",
        "\x1bPq#0;2;0;0;0#0!10~\x1b\\",
        "\x1b_Ga=T,f=100;AAAA\x1b\\",
        "\x1b^privacy message\x1b\\",
        "\x1bXsos string\x1b\\",
        "\x1b]11;?\x07",
        "\x1b]10;?\x1b\\",
        "\x1b]52;c;aGVsbG8=\x07",
        "\x1b]133;A\x07",
        "\x1b]9;notify\x07",
        "\x1b]777;notify;title;body\x1b\\",
        "\x1b]1337;SetMark\x07",
        "\x1b[?2026$p",
    ],
)
def test_sequences_are_consumed_without_garbage_or_attributes(sequence: str) -> None:
    t = Term(40, 2).feed(f"A{sequence}B")
    assert t.row(0) == "AB"
    assert t.cell(0, 1) == t.cell(0, 0)._replace(data="B")


def test_kitty_keyboard_query_goes_unanswered() -> None:
    t = Term().feed("\x1b[?u")
    assert t.replies == []


@pytest.mark.parametrize(
    "sequence", ["\x1b[?6n", "\x1b[?r", "\x1b[3K", "\x1b[4J", "\x1b[?5J", "\x1b[99;99;99z"]
)
def test_sequences_that_break_pyte_keep_the_stream_alive(sequence: str) -> None:
    t = Term(20, 3).feed(f"before{sequence}after")
    assert "after" in t.row(0)


def test_no_byte_sequence_stops_the_emulator() -> None:
    t = Term(20, 3)
    for byte in range(256):
        t.feed(bytes([0x1B, 0x5B, byte]))
        t.feed(bytes([0x1B, byte]))
    t.feed("\x1b[0m\x1b[H\x1b[2Jalive")
    assert t.row(0) == "alive"


# -- attributes and colours ----------------------------------------------------------


def test_basic_attributes_render_as_styles() -> None:
    t = Term(40, 2).feed(
        "\x1b[1mB\x1b[0m\x1b[2mD\x1b[0m\x1b[3mI\x1b[0m\x1b[4mU\x1b[0m"
        "\x1b[9mS\x1b[0m\x1b[7mR\x1b[0m\x1b[5mK\x1b[0m\x1b[53mO\x1b[0mN"
    )
    styles = [t.style_at(0, x) for x in range(9)]
    assert styles[0].bold
    assert styles[1].dim
    assert styles[2].italic
    assert styles[3].underline
    assert styles[4].strike
    assert styles[5].reverse
    assert styles[6].blink and not styles[6].bold, "blink renders as blink"
    assert styles[7].overline
    assert not any((styles[8].bold, styles[8].dim, styles[8].underline, styles[8].reverse))


def test_sgr_22_clears_bold_and_dim() -> None:
    t = Term().feed("\x1b[1;2mA\x1b[22mB")
    assert not t.cell(0, 1).bold and not t.cell(0, 1).dim


def test_16_and_256_colours_keep_palette_meaning() -> None:
    t = Term().feed("\x1b[31mA\x1b[91mB\x1b[38;5;196mC\x1b[48;5;21mD\x1b[44mE\x1b[104mF")
    assert [t.cell(0, x).fg for x in range(3)] == [1, 9, 196]
    assert t.cell(0, 3).bg == 21 and t.cell(0, 4).bg == 4 and t.cell(0, 5).bg == 12
    assert t.style_at(0, 0).color == Color.from_ansi(1)
    assert t.style_at(0, 2).color == Color.from_ansi(196)


def test_truecolour_semicolon_and_colon_forms() -> None:
    t = Term().feed("\x1b[38;2;10;20;30mA\x1b[38:2::40:50:60mB\x1b[48:2:1:2:3mC\x1b[38:5:100mD")
    assert t.cell(0, 0).fg == "0a141e"
    assert t.cell(0, 1).fg == "28323c"
    assert t.cell(0, 2).bg == "010203"
    assert t.cell(0, 3).fg == 100
    assert t.style_at(0, 0).color == Color.from_rgb(10, 20, 30)


def test_colon_underline_styles_and_underline_colour() -> None:
    t = Term().feed("\x1b[4:3mA\x1b[4:0mB\x1b[58:2::255:0:0mC\x1b[58;5;9mD\x1b[59mE")
    assert t.cell(0, 0).underscore and not t.cell(0, 1).underscore
    assert t.row(0) == "ABCDE"
    assert t.cell(0, 2).fg == "default"


def test_default_colours_after_reset() -> None:
    t = Term().feed("\x1b[31;42mA\x1b[39mB\x1b[49mC\x1b[mD")
    assert (t.cell(0, 1).fg, t.cell(0, 1).bg) == ("default", 2)
    assert (t.cell(0, 2).fg, t.cell(0, 2).bg) == ("default", "default")
    assert t.cell(0, 3).attrs == t.cell(0, 3).attrs._replace(fg="default", bg="default", bold=False)


# -- OSC ----------------------------------------------------------------------------


def test_titles_are_kept_and_reported() -> None:
    t = Term().feed("\x1b]0;first\x07\x1b]2;second\x1b\\")
    assert t.emulator.title == "second"
    assert t.titles == ["first", "second"]


def test_hyperlinks_render_as_links() -> None:
    t = Term().feed("\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ plain")
    assert t.cell(0, 0).link == "https://example.com"
    assert t.style_at(0, 0).link == "https://example.com"
    assert t.cell(0, 5).link is None


# -- alternate screen ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", [47, 1047, 1049])
def test_alternate_screen_restores_main_screen_exactly(mode: int) -> None:
    t = Term(20, 5).feed("\x1b[32mmain 1\x1b[0m\r\nmain 2")
    before_rows = t.rows()
    before_cells = [t.screen.buffer[y].runs() for y in range(5)]
    t.feed(f"\x1b[?{mode}h\x1b[2J\x1b[Halt screen\r\nfull of stuff")
    assert t.rows()[0] == "alt screen"
    assert t.screen.in_alternate_screen
    t.feed(f"\x1b[?{mode}l")
    assert t.rows() == before_rows
    assert [t.screen.buffer[y].runs() for y in range(5)] == before_cells
    assert not t.screen.in_alternate_screen


def test_1049_saves_and_restores_cursor() -> None:
    t = Term(20, 5).feed("ab\r\ncd")
    t.feed("\x1b[?1049h\x1b[4;10Hx\x1b[?1049l")
    assert (t.screen.cursor.y, t.screen.cursor.x) == (1, 2)


def test_1048_saves_and_restores_cursor() -> None:
    t = Term(20, 5).feed("\x1b[3;4H\x1b[?1048h\x1b[H\x1b[?1048l")
    assert (t.screen.cursor.y, t.screen.cursor.x) == (2, 3)


def test_decsc_saves_the_pen_and_decrc_restores_it() -> None:
    t = Term(20, 3).feed("\x1b[1;31m\x1b7\x1b[0;32mgreen\x1b8r")
    assert t.row(0) == "rreen"
    assert t.cell(0, 0).attrs.fg == 1 and t.cell(0, 0).attrs.bold
    assert t.cell(0, 1).attrs.fg == 2 and not t.cell(0, 1).attrs.bold


def test_alternate_screen_keeps_no_scrollback() -> None:
    t = Term(10, 3).feed("\x1b[?1049h" + "x\r\n" * 20 + "\x1b[?1049l")
    assert len(t.screen.scrollback) == 0


def test_program_dying_in_alternate_screen_then_reset() -> None:
    t = Term(10, 3).feed("main").feed("\x1b[?1049hvim stuff").feed("\x1bc")
    assert not t.screen.in_alternate_screen
    assert t.rows() == ["", "", ""]


# -- replies --------------------------------------------------------------------------


def test_device_attribute_and_status_replies() -> None:
    t = Term(20, 5).feed("\x1b[c\x1b[>c\x1b[5n\x1b[3;7H\x1b[6n\x1b[?6n")
    assert t.replies == [
        b"\x1b[?62;22c",
        b"\x1b[>1;10;0c",
        b"\x1b[0n",
        b"\x1b[3;7R",
        b"\x1b[?3;7R",
    ]


def test_version_and_colour_queries_are_answered_in_their_own_terminator() -> None:
    t = Term().feed("\x1b[>q\x1b]11;?\x07\x1b]10;?\x1b\\\x1b]4;1;?;232;?\x07\x1b]11;#000000\x07")
    assert t.replies == [
        b"\x1bP>|wxtui\x1b\\",
        b"\x1b]11;rgb:1212/1212/1212\x07",
        b"\x1b]10;rgb:e0e0/e0e0/e0e0\x1b\\",
        b"\x1b]4;1;rgb:cdcd/0000/0000\x07",
        b"\x1b]4;232;rgb:0808/0808/0808\x07",
    ], "setting a colour is no query"


def test_the_keyboard_protocol_query_goes_unanswered_and_device_attributes_follow() -> None:
    """A terminal without the kitty keyboard protocol says nothing to ``CSI ? u``; the
    device attributes asked right after tell the program so (the protocol's own test)."""
    t = Term().feed("\x1b[?u\x1b[c")
    assert t.replies == [b"\x1b[?62;22c"]


def test_mode_query_reports_synchronized_output() -> None:
    t = Term().feed("\x1b[?2026$p\x1b[?2026h\x1b[?2026$pheld")
    assert t.replies == [b"\x1b[?2026;2$y"]
    assert t.emulator.holding and t.row(0) == "", "an open update's output is held back"
    t.feed("\x1b[?2026l")
    assert t.replies == [b"\x1b[?2026;2$y", b"\x1b[?2026;1$y"], "answered when it ends"
    assert not t.emulator.holding and t.row(0) == "held"


# -- geometry -------------------------------------------------------------------------


def test_cursor_clamped_after_shrinking_resize() -> None:
    t = Term(80, 24).feed("\x1b[20;70Hx")
    t.emulator.resize(10, 40)
    assert 0 <= t.screen.cursor.x < 40 and 0 <= t.screen.cursor.y < 10


def test_shrinking_keeps_the_cursor_line_and_scrolls_the_rest_off() -> None:
    t = Term(20, 6).feed("\r\n".join(f"line {i}" for i in range(6)))
    t.emulator.resize(3, 20)
    assert t.rows() == ["line 3", "line 4", "line 5"]
    assert t.emulator.scrollback_text()[-1].rstrip() == "line 2"


def test_growing_keeps_content() -> None:
    t = Term(10, 3).feed("abc\r\ndef")
    t.emulator.resize(5, 20)
    assert t.rows() == ["abc", "def", "", "", ""]


def test_scroll_region_and_insert_delete_lines() -> None:
    t = Term(10, 5).feed("\r\n".join("abcde"))
    t.feed("\x1b[2;4r\x1b[4;1H\r\nX")
    assert t.rows() == ["a", "c", "d", "X", "e"]
    t.feed("\x1b[r\x1b[2;1H\x1b[L")
    assert t.rows() == ["a", "", "c", "d", "X"]
    t.feed("\x1b[1;1H\x1b[2M")
    assert t.rows() == ["c", "d", "X", "", ""]


def test_delete_lines_leaves_no_stale_line_behind() -> None:
    t = Term(10, 4).feed("a\r\n\r\nc\r\nd\x1b[1;1H\x1b[M")
    assert t.rows() == ["", "c", "d", ""]


def test_scroll_up_and_down_sequences() -> None:
    t = Term(10, 4).feed("1\r\n2\r\n3\r\n4")
    t.feed("\x1b[2S")
    assert t.rows() == ["3", "4", "", ""]
    t.feed("\x1b[1T")
    assert t.rows() == ["", "3", "4", ""]


def test_reverse_index_at_top_scrolls_down() -> None:
    t = Term(10, 3).feed("1\r\n2\r\n3\x1b[H\x1bM")
    assert t.rows() == ["", "1", "2"]


# -- scrollback ---------------------------------------------------------------------


def test_scrollback_keeps_lines_in_order_and_is_bounded() -> None:
    t = Term(20, 5, scrollback=50)
    t.feed("\r\n".join(f"line {i}" for i in range(100)))
    history = [line.rstrip() for line in t.emulator.scrollback_text()]
    assert len(history) == 50
    assert history[0] == "line 45" and history[-1] == "line 94"
    assert t.rows() == [f"line {i}" for i in range(95, 100)]


def test_scrollback_keeps_styles_compactly() -> None:
    t = Term(20, 2).feed("\x1b[31mred\x1b[0m plain\r\n\r\n")
    [runs] = list(t.screen.scrollback)
    assert runs[0][0] == "red" and runs[0][1].fg == 1
    assert runs[1][1] is t.screen.default_char.attrs, "attributes are shared, not copied"
    assert all(isinstance(text, str) for text, _ in runs)


def test_erase_scrollback() -> None:
    t = Term(20, 2).feed("a\r\nb\r\nc\r\n")
    assert t.screen.scrollback
    t.feed("\x1b[3J")
    assert not t.screen.scrollback
    assert t.row(0) == "c"


def test_scroll_region_does_not_feed_scrollback() -> None:
    t = Term(20, 5).feed("\x1b[2;4r\x1b[4;1H" + "x\r\n" * 10)
    assert not t.screen.scrollback


# -- row identity and versions (what painters compare) -------------------------------


def test_scrolling_moves_rows_unchanged_and_writing_bumps_the_version() -> None:
    t = Term(20, 10).feed("\r\n".join(str(i) for i in range(10)))
    before = [(row, row.version) for row in t.screen.buffer]
    t.feed("\r\nnew")
    after = t.screen.buffer
    assert all(after[y] is before[y + 1][0] for y in range(9)), "rows move, not copies"
    assert [row.version for row in after[:9]] == [v for _, v in before[1:]]
    assert all(after[9] is not row for row, _ in before)
    version = after[9].version
    t.feed("!")
    assert after[9].version > version


@pytest.mark.parametrize(
    "data",
    ["\x1b[K", "\x1b[1K", "\x1b[3@", "\x1b[2P", "\x1b[4X", "\x1b#8", "\x1b[31mz", "e\u0301"],
)
def test_every_edit_in_place_bumps_the_row_version(data: str) -> None:
    t = Term(20, 4).feed("abcdefgh\x1b[1;3H")
    row = t.screen.buffer[0]
    version = row.version
    t.feed(data)
    assert t.screen.buffer[0] is not row or row.version > version


def test_rendered_strips_hold_no_control_characters() -> None:
    t = Term(30, 4).feed(
        "\x1b]52;c;ZXZpbA==\x07\x1b]0;\x1b[31mtitle\x07a\x07b\x1bP+q\x1b\\c\x00\x01\x7f\x9bd"
    )
    for y in range(4):
        for segment in t.strip(y):
            assert all(ch.isprintable() for ch in segment.text), repr(segment.text)
    assert t.row(0) == "titleabcd", "an OSC cut short by CSI is dropped, as in xterm"


# -- defects found with vttest and pyte's own tests --------------------------------------


def test_c0_controls_inside_a_control_sequence_are_executed_and_it_completes() -> None:
    # vttest's cursor-control screen: BS, CR and VT between the parameters.
    t = Term(20, 5).feed("ABCDE\x1b[2\x08C!\r\n\x1b[\r2C+\x1b[1\x0bA^")
    assert t.row(0) == "ABCDE !", "BS executed, then CUF 2"
    assert t.row(1) == "  +^", "CR executed, then CUF 2; VT down a line, then CUU 1 back up"
    assert t.row(2) == ""


def test_a_control_sequence_with_controls_can_arrive_in_pieces() -> None:
    t = Term(20, 3).feed("ab\x1b[1").feed("\x08").feed("C!")
    assert t.row(0) == "ab!"


def test_parameters_with_many_leading_zeros_mean_their_value() -> None:
    t = Term(20, 6).feed("\x1b[00000000004;000000001Hx\x1b[0000000000031mred")
    assert t.row(3) == "xred"
    assert t.screen.buffer[3][1].fg == 1


def test_deccolm_clears_homes_and_resets_margins_without_resizing() -> None:
    t = Term(40, 6).feed("one\r\ntwo\x1b[2;4r\x1b[5;5H\x1b[?3h")
    assert (t.emulator.columns, t.emulator.lines) == (40, 6)
    assert t.rows() == [""] * 6
    assert (t.screen.cursor.x, t.screen.cursor.y) == (0, 0)
    assert t.screen.margins is None
    t.feed("\x1b[?3lback")
    assert t.emulator.columns == 40 and t.row(0) == "back"


def test_decsca_protects_characters_from_selective_erases_only() -> None:
    t = Term(20, 3).feed('ab\x1b[1"qKEEP\x1b[0"qcd\r\nxy\x1b[1"qZZ\x1b[2"qw')
    t.feed("\x1b[1;1H\x1b[?K")
    assert t.row(0) == "  KEEP"
    t.feed("\x1b[?2J")
    assert t.rows()[:2] == ["  KEEP", "  ZZ"]
    t.feed("\x1b[m\x1b[2J")  # A plain erase erases everything.
    assert t.rows() == ["", "", ""]


def test_sgr_reset_keeps_protection_and_erased_cells_are_not_protected() -> None:
    t = Term(10, 2).feed('\x1b[1"q\x1b[31;0mP\x1b[K\x1b[?2J')
    assert t.row(0) == "P"
    t.feed('\x1b[0"q\x1b[1;5Hx\x1b[?2J')
    assert t.row(0) == "P"


def test_blink_is_rendered_as_blink_not_bold() -> None:
    t = Term(10, 1).feed("\x1b[5mb")
    assert t.style_at(0, 0).blink
    assert not t.style_at(0, 0).bold


def test_dec_special_graphics_follow_tmuxs_table() -> None:
    """As tmux draws them (vttest's character sets screen): arrows and a block on
    "+,-.0", "_" left as it is."""
    t = Term(40, 2).feed("\x1b(0+,-.0_`abcdefghijklmnopqrstuvwxyz{|}~\x1b(B")
    assert t.row(0) == "→←↑↓▮_◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·"


@pytest.mark.parametrize("params", ["38", "48", "38;5", "48;2;1", "38:2", "38;2;1;2"])
def test_colour_sgr_with_missing_parameters_is_a_no_op(params: str, caplog) -> None:
    t = Term(10, 1).feed(f"\x1b[1m\x1b[{params}mx")
    assert t.row(0) == "x"
    assert t.cell(0, 0).bold
    assert t.cell(0, 0).fg == "default"
    assert "failed" not in caplog.text


def test_osc_1_sets_the_icon_name_and_osc_0_both() -> None:
    t = Term(10, 1).feed("\x1b]1;icon\x07\x1b]2;title\x07x")
    assert (t.screen.icon_name, t.screen.title) == ("icon", "title")
    t.feed("\x1b]0;both\x1b\\")
    assert (t.screen.icon_name, t.screen.title) == ("both", "both")
    assert t.row(0) == "x"


@pytest.mark.parametrize(
    ("text", "width"),
    [("\u2764\ufe0f", 2), ("1\ufe0f\u20e3", 2), ("\u263a\ufe0f", 2), ("e\u0301", 1)],
)
def test_every_row_is_exactly_as_wide_as_the_screen_whatever_the_text(
    text: str, width: int
) -> None:
    t = Term(12, 2).feed(f"a{text}b" + "x" * 20)
    for y in range(2):
        strip = t.strip(y)
        assert strip.cell_length == 12
        assert sum(segment.cell_length for segment in strip) == 12, "rich measures it the same"
    assert t.cell(0, 1).data == text, "the grid keeps what was written"
    assert t.cell(0, 1 + width).data == "b"
