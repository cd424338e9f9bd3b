"""Which characters share a cell, and how wide a cell's cluster is: one measure for the
screen's grid and for painting it.

A cell holds a grapheme cluster as terminals draw them: a character with the
zero-width marks after it (combining accents, variation selectors, a zero-width
joiner), an emoji with its skin-tone modifier, an emoji joined to the next by a ZWJ
(``👨‍👩‍👧``), a pair of regional indicators (a flag, ``🇫🇷``). Its width is what
Textual's compositor (rich's ``cell_len``) and current terminals (kitty, WezTerm,
foot, iTerm2, tmux 3.4 and later) give it: an emoji presentation sequence (``❤️``,
``1️⃣``), a flag, a modified or joined emoji take two cells. (tmux 3.3 still draws
``❤️`` in one cell and ``👍🏽`` in four.) A ZWJ between letters joins nothing: the
letter after it takes a cell of its own.
"""

from __future__ import annotations

from wcwidth import wcwidth

VS16 = "\ufe0f"  # Emoji presentation.
ZWJ = "\u200d"
KEYCAP = "\u20e3"

_WIDTHS: dict[str, int] = {}


def char_width(ch: str) -> int:
    """One codepoint's own width: 0 (a mark), 1, 2, or -1 (unprintable)."""
    width = _WIDTHS.get(ch)
    if width is None:
        # A regional indicator alone is one cell; a pair (a flag) is one cluster of two.
        width = _WIDTHS[ch] = 1 if is_regional_indicator(ch) else wcwidth(ch)
    return width


def is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def is_skin_tone(ch: str) -> bool:
    return "\U0001f3fb" <= ch <= "\U0001f3ff"


def is_pictographic(ch: str) -> bool:
    """Emoji that a ZWJ joins (Extended_Pictographic, by its blocks)."""
    code = ord(ch)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2300 <= code <= 0x23FF
        or 0x2B00 <= code <= 0x2BFF
        or code in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    )


JOINING = 3  # char_kind of a skin tone or regional indicator: may join the cell before.
AFTER_ZWJ = 4  # char_kind of an emoji: joins the cell before only after a ZWJ.
CHAR_KINDS: dict[str, int] = {}  # char_kind's answers so far (a hot loop reads them).


def char_kind(ch: str) -> int:
    """What the screen needs to know of a codepoint, in one lookup: its width (0, 1, 2,
    or -1 for unprintable) when it can only stand alone or be a mark, else ``JOINING``
    or ``AFTER_ZWJ`` (printing characters that may join the cell before: the screen asks
    :func:`joins` only for these, so text of other kinds costs nothing more)."""
    kind = CHAR_KINDS.get(ch)
    if kind is None:
        if is_regional_indicator(ch) or is_skin_tone(ch):
            kind = JOINING
        elif is_pictographic(ch):
            kind = AFTER_ZWJ
        else:
            kind = char_width(ch)
        CHAR_KINDS[ch] = kind
    return kind


def joins(cell: str, ch: str) -> bool:
    """Whether printing ``ch`` right after the cell holding ``cell`` extends its cluster
    instead of taking a cell of its own."""
    if not cell:
        return False
    if char_width(ch) == 0:
        return True
    if cell.endswith(ZWJ):
        return is_pictographic(ch) and is_pictographic(cell[0])
    if is_skin_tone(ch):
        return is_pictographic(cell[0]) and len(cell) == 1
    if is_regional_indicator(ch):
        return len(cell) == 1 and is_regional_indicator(cell)
    return False


def cluster_width(cell: str) -> int:
    """How many columns a cell's cluster takes: 1 or 2 (0 for nothing printable)."""
    if not cell:
        return 0
    base = char_width(cell[0])
    if len(cell) == 1:
        return max(0, base)
    if base == 2:
        return 2
    if is_regional_indicator(cell[0]):
        return 2 if len(cell) > 1 and is_regional_indicator(cell[1]) else 1
    if VS16 in cell and (is_pictographic(cell[0]) or KEYCAP in cell or cell[0] in "#*0123456789"):
        return 2
    return max(0, base)


def split_cells(text: str) -> list[str]:
    """``text`` (a row's cells, stubs left out) cut into its cells' clusters."""
    cells: list[str] = []
    for ch in text:
        if cells and joins(cells[-1], ch):
            cells[-1] += ch
        else:
            cells.append(ch)
    return cells


def text_width(text: str) -> int:
    """Columns ``text`` takes on the screen, cell by cell."""
    if text.isascii():
        return len(text)
    return sum(cluster_width(cell) for cell in split_cells(text))
