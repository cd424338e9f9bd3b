"""Synthetic terminal output corpora, deterministic for a given size.

Each corpus is whole lines (or whole frames) of at least ``size`` bytes: a cut in the
middle of an escape sequence would swallow whatever is printed after it.
"""

from __future__ import annotations

import random


def plain_log(size: int) -> bytes:
    rng = random.Random(1)
    words = ["GET", "POST", "/api/v1/items", "200", "404", "ms", "user", "session", "cache", "hit"]
    out = bytearray()
    i = 0
    while len(out) < size:
        line = f"2026-11-24 12:{i % 60:02d}:{i % 59:02d} INFO worker-{i % 8} " + " ".join(
            rng.choice(words) for _ in range(rng.randint(6, 14))
        )
        out += line.encode() + b"\r\n"
        i += 1
    return bytes(out)


def colour_heavy(size: int) -> bytes:
    rng = random.Random(2)
    out = bytearray()
    while len(out) < size:
        parts = []
        for _ in range(rng.randint(5, 12)):
            kind = rng.random()
            if kind < 0.4:
                parts.append(f"\x1b[38;5;{rng.randint(0, 255)}m")
            elif kind < 0.7:
                parts.append(
                    f"\x1b[38;2;{rng.randint(0, 255)};{rng.randint(0, 255)};{rng.randint(0, 255)}m"
                )
            else:
                parts.append(f"\x1b[{rng.choice([1, 3, 4, 7, 31, 32, 33, 34])}m")
            parts.append("token" + str(rng.randint(0, 999)) + " ")
            parts.append("\x1b[0m")
        out += "".join(parts).encode() + b"\r\n"
    return bytes(out)


def claude_redraw(size: int) -> bytes:
    """Ink-style frames: move up over the previous frame, erase each line, redraw, in sync blocks."""
    out = bytearray()
    frame = 0
    height = 12
    while len(out) < size:
        chunk = ["\x1b[?2026h", "\x1b[2K\x1b[1A" * (height - 1), "\x1b[2K\x1b[G"]
        rows = []
        for row in range(height):
            rows.append(
                f"\x1b[38;2;215;119;87m\u2502\x1b[0m \x1b[1m\u273b\x1b[0m step {frame} row {row} "
                f"\x1b[2mthinking about the code\x1b[0m \x1b[38;5;{(frame + row) % 256}m\u25cf\x1b[0m"
            )
        chunk.append("\r\n".join(rows))
        chunk.append("\x1b[?2026l")
        out += "".join(chunk).encode()
        frame += 1
    return bytes(out)  # Whole frames only: a cut would leave an update open.


def unicode_text(size: int) -> bytes:
    rng = random.Random(3)
    samples = [
        "中文字符",
        "日本語のテキスト",
        "한국어",
        "émigré café",
        "😀🚀✨",
        "αβγδ",
        "→ ✓ ✗ ●",
        "e\u0301",
    ]
    out = bytearray()
    while len(out) < size:
        line = " ".join(rng.choice(samples) for _ in range(rng.randint(4, 10)))
        out += line.encode() + b"\r\n"
    return bytes(out)


CORPORA = {
    "plain": plain_log,
    "colour": colour_heavy,
    "redraw": claude_redraw,
    "unicode": unicode_text,
}


def cut_at_utf8_boundary(data: bytes) -> bytes:
    """Corpora are cut by size; drop a trailing partial UTF-8 sequence."""
    return data.decode("utf-8", "ignore").encode()
