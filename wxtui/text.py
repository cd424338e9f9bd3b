"""Text from outside (user data, a program's title or words) made safe to show."""

from __future__ import annotations


def inert(text: str, replacement: str = "\ufffd") -> str:
    """``text`` with every control or other unprintable character replaced: shown,
    never interpreted by a terminal or a markup parser."""
    return "".join(ch if ch.isprintable() else replacement for ch in text)
