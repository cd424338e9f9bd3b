"""Shared helpers for terminal tests: feed bytes, look at text and styles as rendered."""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip

from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.render import StyleCache, runs_to_strip


class Term:
    def __init__(self, columns: int = 40, lines: int = 10, **kwargs) -> None:
        self.replies: list[bytes] = []
        self.titles: list[str] = []
        self.bells = 0
        self.emulator = TerminalEmulator(
            columns,
            lines,
            reply=self.replies.append,
            on_title=self.titles.append,
            on_bell=self._bell,
            **kwargs,
        )
        self.styles = StyleCache()

    def _bell(self) -> None:
        self.bells += 1

    def feed(self, data: bytes | str) -> Term:
        self.emulator.feed(data.encode() if isinstance(data, str) else data)
        return self

    @property
    def screen(self):
        return self.emulator.screen

    def rows(self) -> list[str]:
        return [row.rstrip() for row in self.emulator.display()]

    def row(self, y: int) -> str:
        return self.rows()[y]

    def strip(self, y: int) -> Strip:
        screen = self.screen
        row = screen.buffer[y]  # Painted as the pane paints a live row.
        return runs_to_strip(row.runs(), screen.columns, self.styles, row.ends)

    def style_at(self, y: int, x: int) -> Style:
        column = 0
        for segment in self.strip(y):
            width = segment.cell_length
            if column <= x < column + width:
                return segment.style or Style()
            column += width
        raise IndexError(x)

    def cell(self, y: int, x: int):
        return self.screen.buffer[y][x]
