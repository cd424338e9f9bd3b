from __future__ import annotations

import pytest

from wxtui.terminal.keys import encode_key, encode_mouse

TABLE = [
    # key, character, application cursor mode, bytes
    ("a", "a", False, b"a"),
    ("A", "A", False, b"A"),
    ("shift+a", None, False, b"A"),
    ("exclamation_mark", "!", False, b"!"),
    ("exclamation_mark", None, False, b"!"),
    ("é", "é", False, "é".encode()),
    ("space", " ", False, b" "),
    ("enter", "\r", False, b"\r"),
    ("tab", "\t", False, b"\t"),
    ("shift+tab", None, False, b"\x1b[Z"),
    ("backspace", "\x7f", False, b"\x7f"),
    ("ctrl+h", None, False, b"\x08"),
    ("escape", "\x1b", False, b"\x1b"),
    ("up", None, False, b"\x1b[A"),
    ("down", None, False, b"\x1b[B"),
    ("right", None, False, b"\x1b[C"),
    ("left", None, False, b"\x1b[D"),
    ("up", None, True, b"\x1bOA"),
    ("left", None, True, b"\x1bOD"),
    ("home", None, False, b"\x1b[H"),
    ("end", None, False, b"\x1b[F"),
    ("home", None, True, b"\x1bOH"),
    ("insert", None, False, b"\x1b[2~"),
    ("delete", None, False, b"\x1b[3~"),
    ("pageup", None, False, b"\x1b[5~"),
    ("pagedown", None, False, b"\x1b[6~"),
    ("f1", None, False, b"\x1bOP"),
    ("f4", None, False, b"\x1bOS"),
    ("f5", None, False, b"\x1b[15~"),
    ("f12", None, False, b"\x1b[24~"),
    ("ctrl+a", None, False, b"\x01"),
    ("ctrl+c", None, False, b"\x03"),
    ("ctrl+p", None, False, b"\x10"),
    ("ctrl+z", None, False, b"\x1a"),
    ("ctrl+@", None, False, b"\x00"),
    ("ctrl+space", None, False, b"\x00"),
    ("ctrl+underscore", None, False, b"\x1f"),
    ("ctrl+backslash", None, False, b"\x1c"),
    ("ctrl+right_square_bracket", None, False, b"\x1d"),
    ("ctrl+circumflex_accent", None, False, b"\x1e"),
    ("alt+b", None, False, b"\x1bb"),
    ("alt+f", None, False, b"\x1bf"),
    ("alt+shift+a", None, False, b"\x1bA"),
    ("alt+ctrl+a", None, False, b"\x1b\x01"),
    ("alt+enter", None, False, b"\x1b\r"),
    ("alt+backspace", None, False, b"\x1b\x7f"),
    ("shift+up", None, False, b"\x1b[1;2A"),
    ("alt+left", None, False, b"\x1b[1;3D"),
    ("ctrl+right", None, False, b"\x1b[1;5C"),
    ("ctrl+shift+left", None, True, b"\x1b[1;6D"),
    ("ctrl+home", None, False, b"\x1b[1;5H"),
    ("shift+delete", None, False, b"\x1b[3;2~"),
    ("ctrl+pageup", None, False, b"\x1b[5;5~"),
    ("shift+f1", None, False, b"\x1b[1;2P"),
    ("ctrl+f5", None, False, b"\x1b[15;5~"),
]


@pytest.mark.parametrize(("key", "character", "app_cursor", "expected"), TABLE)
def test_key_encoding(key: str, character: str | None, app_cursor: bool, expected: bytes) -> None:
    assert encode_key(key, character, app_cursor=app_cursor) == expected


def test_every_ctrl_letter() -> None:
    for offset, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        assert encode_key(f"ctrl+{letter}") == bytes([offset + 1])


def test_mouse_reports_in_sgr_and_classic_forms() -> None:
    assert encode_mouse(0, 4, 2, sgr=True) == b"\x1b[<0;5;3M"
    assert encode_mouse(0, 4, 2, sgr=True, release=True) == b"\x1b[<0;5;3m"
    assert encode_mouse(64, 0, 0, sgr=True, ctrl=True, shift=True) == b"\x1b[<84;1;1M"
    assert encode_mouse(1, 4, 2, sgr=False) == b"\x1b[M!%#"
    assert encode_mouse(1, 4, 2, sgr=False, release=True) == b"\x1b[M#%#"
    assert encode_mouse(0, 300, 2, sgr=False) == b"", "past column 223 the classic form cannot say"
    assert encode_mouse(0, 300, 2, sgr=True) == b"\x1b[<0;301;3M"
