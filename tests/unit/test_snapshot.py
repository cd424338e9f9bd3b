"""A repaint rebuilds a terminal: fed to a fresh emulator of the same size, it shows the
same history, screen, cursor, pen, modes and title as the emulator it was taken from.
So does a snapshot (the history and the screens' rows as data, the rest as a repaint),
sent as bytes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import Snapshot, repaint


def state(t: TerminalEmulator) -> dict[str, object]:
    screen = t.screen
    return {
        "history": list(screen.scrollback),
        "main": [row.runs() for row in screen.main_rows],
        "screen": [row.runs() for row in screen.buffer],
        "alternate": t.in_alternate_screen,
        "cursor": (screen.cursor.y, screen.cursor.x),
        "pen": screen.pen.attrs,
        "title": t.title,
        "modes": (
            t.application_cursor_keys,
            t.cursor_visible,
            t.bracketed_paste,
            t.focus_reporting,
            t.mouse_tracking,
            t.mouse_sgr,
        ),
        "margins": screen.margins,
        "shape": screen.cursor_shape,
    }


def rebuilt(source: TerminalEmulator) -> TerminalEmulator:
    copy = TerminalEmulator(source.columns, source.lines)
    copy.feed(repaint(source))
    return copy


def restored(source: TerminalEmulator) -> TerminalEmulator:
    snapshot = Snapshot.decode(Snapshot.of(source).encode())
    copy = TerminalEmulator(snapshot.columns, snapshot.rows)
    snapshot.restore(copy)
    return copy


def check(data: str, columns: int = 30, lines: int = 6) -> None:
    source = TerminalEmulator(columns, lines)
    source.feed(data.encode())
    assert state(rebuilt(source)) == state(source)
    assert state(restored(source)) == state(source)


def test_history_screen_colours_and_cursor() -> None:
    check(
        "".join(f"\x1b[3{i % 8}mline {i}\x1b[0m\r\n" for i in range(20))
        + "\x1b[1;4;38;5;208mbold\x1b[22;48;2;10;20;30m bg \x1b[7mrev\x1b[0m end\x1b[3;5H"
    )


def test_wide_characters_links_and_protected_cells() -> None:
    check(
        "中文 wide\r\n\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ after\r\n"
        '\x1b[1"qkept\x1b[0"q free \x1b[2;53mdim over\x1b[0m'
    )


def test_alternate_screen_with_the_main_screen_behind_it() -> None:
    check(
        "main 1\r\nmain 2\r\n\x1b[?1049h\x1b[H\x1b[44mfull screen app\x1b[0m\x1b[4;3Hhere"
        "\x1b[2;5r\x1b[?1;1000;1006;2004;1004h\x1b[?25l\x1b[5 q\x1b]2;vim\x07\x1b[32m"
    )


def test_a_cursor_waiting_to_wrap_at_the_right_edge() -> None:
    check("x" * 30, columns=30)
    check("\x1b[1;29H中", columns=30)


def test_leaving_the_alternate_screen_after_a_repaint_restores_the_main_screen() -> None:
    source = TerminalEmulator(30, 6)
    source.feed(b"shell prompt $ \x1b[?1049h\x1b[Hin the editor")
    copies = [rebuilt(source), restored(source)]
    for t in (source, *copies):
        t.feed(b"\x1b[?1049lback")
    for copy in copies:
        assert copy.display() == source.display()
        assert copy.screen.cursor.x == source.screen.cursor.x


def test_a_snapshot_keeps_text_json_would_stumble_on() -> None:
    source = TerminalEmulator(30, 6)
    source.feed(b'quote " back\\slash \xed\xa0\x80 \xff invalid utf-8\x01\r\n' * 8)
    assert state(restored(source)) == state(source)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json\nscreen",
        b'{"rows": 0, "columns": 5, "styles": [], "lines": []}\n',
        b'{"rows": 3, "columns": 5, "styles": {}, "lines": []}\n',
        b'{"rows": 3}\n',
        b"[1]\n",
    ],
)
def test_a_malformed_snapshot_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="malformed"):
        Snapshot.decode(data)


def test_the_screens_rows_travel_as_data_not_as_output_to_parse() -> None:
    """A client that falls behind loads the screen (4-6 ms to parse when colourful):
    its rows come as data, exactly as the host has them, wide and combined cells too."""
    source = TerminalEmulator(20, 4)
    source.feed("\x1b[31mred\x1b[0m 中e\u0301 \x1b[?1049h\x1b[44malt\x1b[2;3H".encode())
    snapshot = Snapshot.decode(Snapshot.of(source).encode())
    assert b"red" not in snapshot.screen and b"alt" not in snapshot.screen
    copy = TerminalEmulator(20, 4)
    snapshot.restore(copy)
    assert state(copy) == state(source)
    for mine, theirs in zip(copy.screen.main_rows, source.screen.main_rows, strict=True):
        assert (mine.text, mine.ends, mine.styles, mine.special) == (
            theirs.text,
            theirs.ends,
            theirs.styles,
            theirs.special,
        )


def _with_row(body: bytes, row: object) -> bytes:
    head, _, screen = body.partition(b"\n")
    fields = json.loads(head)
    fields["main"][0] = row
    return json.dumps(fields).encode() + b"\n" + screen


@pytest.mark.parametrize(
    "row",
    [
        "text",
        ["short", [5], [0]],
        ["x" * 10, [4, 4, 10], [0, 0, 0]],  # Runs out of order.
        ["x" * 10, [10], [7]],  # A style that is not there.
        ["x" * 10, [10], [0], [[12, ""]]],  # A cell outside the row.
        ["x" * 10, [10], [0], [["1", "a"]]],
        ["x" * 10, [9], [0]],  # Runs that stop short.
    ],
)
def test_a_malformed_row_is_refused_before_anything_changes(row: object) -> None:
    source = TerminalEmulator(10, 3)
    source.feed(b"\x1b[32mgreen\r\n" * 6)
    previous = TerminalEmulator(10, 3)
    previous.feed(b"kept\r\n" * 5)
    before = state(previous)
    snapshot = Snapshot.decode(_with_row(Snapshot.of(source, since=(0, 0)).encode(), row))
    with pytest.raises(ValueError, match="row"):
        snapshot.restore(TerminalEmulator(10, 3), previous)
    assert state(previous) == before


@pytest.mark.parametrize("colour", ["red", "12345g", 300, -1])
def test_a_screen_style_with_a_colour_no_terminal_has_is_refused(colour: object) -> None:
    source = TerminalEmulator(10, 3)
    source.feed(b"\x1b[32mgreen")
    head, _, screen = Snapshot.of(source).encode().partition(b"\n")
    fields = json.loads(head)
    fields["screen_styles"] = [[colour, *style[1:]] for style in fields["screen_styles"]]
    snapshot = Snapshot.decode(json.dumps(fields).encode() + b"\n" + screen)
    with pytest.raises(ValueError, match="style"):
        snapshot.restore(TerminalEmulator(10, 3))


def test_a_screen_of_the_wrong_height_is_refused_before_the_history_changes() -> None:
    source = TerminalEmulator(10, 3)
    source.feed(b"\x1b[32mgreen\r\n" * 6)
    previous = TerminalEmulator(10, 3)
    previous.feed(b"kept\r\n" * 5)
    before = state(previous)
    snapshot = Snapshot.decode(Snapshot.of(source, since=(0, 0)).encode())
    with pytest.raises(ValueError, match="size"):
        snapshot.restore(TerminalEmulator(10, 4), previous)  # One row more than it has.
    assert state(previous) == before


PIECES = st.sampled_from(
    [
        "word ",
        "\r\n",
        "\x1b[31m",
        "\x1b[1;4m",
        "\x1b[0m",
        "\x1b[48;5;17m",
        "\x1b[38;2;1;2;3m",
        "\x1b[7m",
        "\x1b[H",
        "\x1b[2J",
        "\x1b[K",
        "\x1b[3;2H",
        "\x1b[2;4r",
        "\x1b[r",
        "\x1bM",
        "\x1b[2S",
        "\x1b[L",
        "\x1b[?1049h",
        "\x1b[?1049l",
        "\x1b[?2004h",
        "\x1b[?1000h",
        "\x1b[?25l",
        "\x1b[?25h",
        "中",
        "é",
        "\t",
        "x" * 29,
        "\x1b]2;title\x07",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_any_sequence_of_output_is_rebuilt(pieces: list[str]) -> None:
    check("".join(pieces))


def _restored_in_pieces(bodies: list[bytes], columns: int, lines: int) -> TerminalEmulator:
    """As a client loads them: each into a fresh emulator, going on from the last."""
    target = TerminalEmulator(columns, lines)
    for body in bodies:
        fresh = TerminalEmulator(columns, lines)
        Snapshot.decode(body).restore(fresh, target)
        target = fresh
    return target


def _colourful(lines: int) -> TerminalEmulator:
    source = TerminalEmulator(80, 5)
    for n in range(lines):
        colours = "".join(f"\x1b[38;5;{(n + i) % 256}m{chr(65 + i % 26)}" for i in range(60))
        source.feed(f"{n:05} {colours}\x1b[0m\r\n".encode())
    return source


def _plain(lines: int) -> TerminalEmulator:
    source = TerminalEmulator(80, 5)
    source.feed(b"".join(f"{n:05} a plain line of a log\r\n".encode() for n in range(lines)))
    return source


@pytest.mark.parametrize("history", [_colourful, _plain])
def test_a_big_history_comes_in_pieces_that_make_the_whole(
    history: Callable[[int], TerminalEmulator],
) -> None:
    """A client loads each piece in a turn of its own (a colour flood missed for a
    moment is 100-200 KB: 5-9 ms to load at once). Each piece has the styles its lines
    use (plain output: the whole small table)."""
    source = history(2000)
    bodies, left_out = Snapshot.encoded_pieces(source, 10**9, piece=20_000)
    assert left_out == 0 and len(bodies) > 2
    assert all(len(body) < 3 * 20_000 for body in bodies)
    target = _restored_in_pieces(bodies, 80, 5)
    assert state(target) == state(source)
    since = source.history.position
    source.feed(b"".join(f"more {n}\r\n".encode() for n in range(3000)))
    before = target.display()
    pieces = [
        Snapshot.decode(body) for body in Snapshot.encoded_pieces(source, 10**9, since, 5_000)[0]
    ]
    assert [piece.history_only for piece in pieces] == [True] * (len(pieces) - 1) + [False]
    for piece in pieces:
        fresh = TerminalEmulator(80, 5)
        piece.restore(fresh, target)
        if piece.history_only:
            assert fresh.display() == before, "the screen stays until the last piece"
        target = fresh
    assert state(target) == state(source), "the lines it missed, appended in order"


def test_a_history_too_big_to_send_keeps_its_newest_lines() -> None:
    """Per-character colour makes a history big: what does not fit is its oldest
    lines, left out and counted; the rest (and the screen) arrive whole."""
    source = _colourful(2000)
    whole, none_left_out = Snapshot.encoded_pieces(source, 10**9)
    assert none_left_out == 0
    size = sum(map(len, whole))
    bodies, left_out = Snapshot.encoded_pieces(source, size // 3)
    assert sum(map(len, bodies)) <= size // 3 and 0 < left_out < 2000
    target = _restored_in_pieces(bodies, 80, 5)
    history = target.scrollback_text()
    assert len(history) == len(source.history) - left_out
    assert history == source.scrollback_text()[left_out:], "the newest lines, in order"
    assert target.display() == source.display()
    screen_only, all_left_out = Snapshot.encoded_pieces(source, 1)
    assert all_left_out == len(source.history)
    assert _restored_in_pieces(screen_only, 80, 5).display() == source.display()
