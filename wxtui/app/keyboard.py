"""Make meta keys reach wxtui (and its terminals) as the terminal sent them.

Textual maps ESC+digit to macOS option characters (ESC 3 becomes "£") and
ESC b / ESC f to ctrl+left / ctrl+right. In a terminal multiplexer those are
alt+digit (our project switch keys) and meta+b / meta+f (Claude Code's and
readline's word motions), so those sequences are mapped to alt+<key> instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS


@dataclass(frozen=True, slots=True)
class _KeyName:
    """Stands in for a ``Keys`` member: the parser only reads ``.value``."""

    value: str


META_KEYS = {f"\x1b{ch}": f"alt+{ch}" for ch in "0123456789bf"}


def pass_meta_keys_through() -> None:
    for sequence, key in META_KEYS.items():
        ANSI_SEQUENCES_KEYS[sequence] = (_KeyName(key),)  # type: ignore[assignment]
