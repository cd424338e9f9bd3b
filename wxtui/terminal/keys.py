"""Textual key events to the bytes an xterm sends.

Works from ``event.key`` (``ctrl+a``, ``alt+shift+up``...), because
``event.character`` is absent for modified keys when keys are synthesised.
"""

from __future__ import annotations

from textual.keys import key_to_character

_CURSOR_KEYS = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_TILDE_KEYS = {
    "insert": 2,
    "delete": 3,
    "pageup": 5,
    "pagedown": 6,
    "f5": 15,
    "f6": 17,
    "f7": 18,
    "f8": 19,
    "f9": 20,
    "f10": 21,
    "f11": 23,
    "f12": 24,
}
_SS3_FUNCTION_KEYS = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
_PLAIN_KEYS = {
    "enter": "\r",
    "tab": "\t",
    "backspace": "\x7f",
    "escape": "\x1b",
    "space": " ",
}
_CTRL_SYMBOLS = {
    "@": "\x00",
    "at": "\x00",
    "space": "\x00",
    "left_square_bracket": "\x1b",
    "backslash": "\x1c",
    "right_square_bracket": "\x1d",
    "circumflex_accent": "\x1e",
    "underscore": "\x1f",
    "minus": "\x1f",
    "question_mark": "\x7f",
    "backspace": "\x08",
    "enter": "\r",
}
_NAMED_CHARACTERS = {"at": "@", "backslash": "\\", "underscore": "_"}
_MODIFIER_BITS = {"shift": 1, "alt": 2, "meta": 2, "ctrl": 4}


def _split(key: str) -> tuple[frozenset[str], str]:
    parts = key.split("+")
    # "ctrl+plus" is fine, but a literal "+" key arrives as "plus"; guard against empties anyway.
    base = parts[-1] or "plus"
    return frozenset(p for p in parts[:-1] if p), base


def _base_character(base: str) -> str | None:
    if len(base) == 1:
        return base
    return _NAMED_CHARACTERS.get(base) or key_to_character(base)


def encode_key(key: str, character: str | None = None, *, app_cursor: bool = False) -> bytes | None:
    """Bytes for one key press, or None for a key the terminal has no encoding for."""
    text = _encode(key, character, app_cursor)
    return None if text is None else text.encode("utf-8")


def _encode(key: str, character: str | None, app_cursor: bool) -> str | None:
    modifiers, base = _split(key)
    if base == "tab" and modifiers == {"shift"}:
        return "\x1b[Z"
    if "alt" in modifiers or "meta" in modifiers:
        inner_key = "+".join([*(m for m in sorted(modifiers) if m not in ("alt", "meta")), base])
        inner = _encode(inner_key, None, app_cursor) if base not in _CURSOR_KEYS else None
        if inner is not None and base not in _TILDE_KEYS and base not in _SS3_FUNCTION_KEYS:
            return "\x1b" + inner
    code = 1 + sum(_MODIFIER_BITS.get(m, 0) for m in modifiers)
    if base in _CURSOR_KEYS:
        final = _CURSOR_KEYS[base]
        if code > 1:
            return f"\x1b[1;{code}{final}"
        return ("\x1bO" if app_cursor else "\x1b[") + final
    if base in _TILDE_KEYS:
        number = _TILDE_KEYS[base]
        return f"\x1b[{number};{code}~" if code > 1 else f"\x1b[{number}~"
    if base in _SS3_FUNCTION_KEYS:
        final = _SS3_FUNCTION_KEYS[base]
        return f"\x1b[1;{code}{final}" if code > 1 else f"\x1bO{final}"
    if "ctrl" in modifiers:
        if base in _CTRL_SYMBOLS:
            return _CTRL_SYMBOLS[base]
        char = _base_character(base)
        if char is not None and len(char) == 1 and char.isascii() and char.isalpha():
            return chr(ord(char.lower()) & 0x1F)
        if char is not None and char.isdigit():
            return char
        return None
    if base in _PLAIN_KEYS and not (modifiers - {"shift"}):
        return _PLAIN_KEYS[base]
    if character and character.isprintable():
        return character
    char = _base_character(base)
    if char is None:
        return None
    return char.upper() if "shift" in modifiers else char


def encode_mouse(
    button: int,
    column: int,
    row: int,
    *,
    release: bool = False,
    sgr: bool,
    shift: bool = False,
    meta: bool = False,
    ctrl: bool = False,
) -> bytes:
    """A mouse report as xterm sends it: SGR (mode 1006) when the child asked for it,
    else the classic ``CSI M`` form (which cannot say where past column or row 223).
    ``column`` and ``row`` count from 0; ``button`` is xterm's (0-2, 32+ motion, 64+ wheel)."""
    x, y = column + 1, row + 1
    button |= (4 if shift else 0) | (8 if meta else 0) | (16 if ctrl else 0)
    if sgr:
        return f"\x1b[<{button};{x};{y}{'m' if release else 'M'}".encode()
    if x < 224 and y < 224:
        code = 3 if release else button
        return bytes([0x1B, 0x5B, 0x4D, 32 + code, 32 + x, 32 + y])
    return b""
