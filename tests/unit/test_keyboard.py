"""Meta keys from a real terminal reach wxtui as alt+<key>, not as Textual's macOS guesses."""

from __future__ import annotations

from textual._xterm_parser import XTermParser

from wxtui.app.textual_internals import pass_meta_keys_through
from wxtui.terminal.keys import encode_key


def _keys(data: str) -> list[str]:
    return [event.key for event in XTermParser().feed(data) if hasattr(event, "key")]


def test_meta_digits_and_word_motions_arrive_as_alt_keys() -> None:
    pass_meta_keys_through()
    assert _keys("\x1b1\x1b9\x1bb\x1bfx") == ["alt+1", "alt+9", "alt+b", "alt+f", "x"]


def test_meta_word_motions_reach_the_child_as_escape_prefixed_bytes() -> None:
    pass_meta_keys_through()
    assert [encode_key(key) for key in _keys("\x1bb\x1bf")] == [b"\x1bb", b"\x1bf"]
