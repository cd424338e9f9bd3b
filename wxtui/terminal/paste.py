"""A paste as a terminal sends it: for a program, whether typed in a pane or sent by the
session host (which knows nothing of Textual)."""

from __future__ import annotations


def encode_paste(text: str, *, bracketed: bool) -> bytes:
    """Text as a terminal sends a paste: line ends as CR, bracketed when the program
    asked (mode 2004), with any end-of-paste marker inside the text removed."""
    text = text.replace("\x1b[201~", "").replace("\r\n", "\r").replace("\n", "\r")
    if bracketed:
        text = f"\x1b[200~{text}\x1b[201~"
    return text.encode("utf-8")
