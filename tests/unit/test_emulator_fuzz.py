"""Random and mutated escape sequences: the emulator never raises and the cursor stays on screen."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.term import Term

PIECES = [
    b"\x1b",
    b"[",
    b"]",
    b"?",
    b">",
    b"<",
    b"=",
    b";",
    b":",
    b"$",
    b" ",
    b"!",
    b"P",
    b"_",
    b"\\",
    b"\x07",
    b"\x18",
    b"\r",
    b"\n",
    b"\t",
    b"\x08",
    b"0",
    b"1",
    b"2",
    b"9",
    b"99",
    b"1049",
    b"2026",
    b"38;2;1;2;3",
    b"48:5:200",
    b"m",
    b"H",
    b"J",
    b"K",
    b"A",
    b"B",
    b"C",
    b"D",
    b"L",
    b"M",
    b"P",
    b"@",
    b"S",
    b"T",
    b"X",
    b"b",
    b"h",
    b"l",
    b"r",
    b"n",
    b"c",
    b"u",
    b"q",
    b"p",
    "中".encode(),
    "😀".encode(),
    "\u0301".encode(),
    "\ufe0f".encode(),
    b"\xff",
    b"\xe4\xb8",
    b"abc",
    b"\x1b[",
    b"\x1b]",
    b"\x1bP",
    b"\x1b(0",
    b"\x1b(B",
    b"\x1b7",
    b"\x1b8",
    b"\x1bM",
    b"\x1bc",
    b"\x1b[?1049h",
    b"\x1b[?1049l",
    b"\x1b[3J",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chunks=st.lists(
        st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), min_size=1, max_size=60
    ),
    columns=st.integers(1, 30),
    lines=st.integers(1, 12),
    resize=st.one_of(st.none(), st.tuples(st.integers(1, 12), st.integers(1, 30))),
)
def test_random_input_never_breaks_the_emulator(chunks, columns, lines, resize) -> None:
    term = Term(columns, lines, scrollback=20)
    half = len(chunks) // 2
    for chunk in chunks[:half]:
        term.feed(chunk)
    if resize is not None:
        term.emulator.resize(*resize)
    for chunk in chunks[half:]:
        term.feed(chunk)
    screen = term.screen
    assert 0 <= screen.cursor.y < screen.lines
    assert 0 <= screen.cursor.x <= screen.columns
    for y in range(screen.lines):
        strip = term.strip(y)
        assert strip.cell_length == screen.columns
        assert not any(unicodedata.category(ch) == "Cc" for seg in strip for ch in seg.text)
    assert len(screen.scrollback) <= 20
