"""Emoji and other clusters as the pane paints them: each in its cells, the rest of the
row where it belongs (a marker drawn at a fixed column with CUP stays there); and, for
the clusters tmux 3.3 draws as current terminals do, the same screen as tmux."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import wait_until
from tests.support.painted import Glass, PaintedComparison, program_env
from tests.support.terminal_app import TerminalApp
from tests.unit.test_clusters import TABLE
from wxtui.terminal.clusters import cluster_width

MARK_COLUMN = 30  # 1-based, as CHA takes it.


def _lines(texts: list[str]) -> bytes:
    return "".join(f"A{text}B\x1b[{MARK_COLUMN}G|\r\n" for text in texts).encode()


async def test_each_cluster_is_painted_in_its_cells_and_the_row_keeps_its_place(
    tmp_path: Path,
) -> None:
    texts = [text for text, _cells, _columns in TABLE]
    sample = tmp_path / "sample.txt"
    sample.write_bytes(_lines(texts))
    glass = Glass(40, len(texts) + 2)
    app = TerminalApp(["cat", str(sample)], env=program_env(tmp_path), cwd=str(tmp_path))
    app.driver_class = glass.driver_class()
    async with app.run_test(size=(40, len(texts) + 2), headless=False):
        app.start()
        await wait_until(lambda: app.exit_code is not None and "|" in glass.rows()[len(texts) - 1])
        await wait_until(lambda: glass.rows()[: len(texts)] == _painted_rows(app))
        screen = glass.emulator.screen
        for y, (text, cells, columns) in enumerate(TABLE):
            row = screen.buffer[y]
            x = 1
            for cell in cells:
                assert row[x].data == cell.rstrip("\u200d"), (text, glass.rows()[y])
                x += cluster_width(cell)
            assert row[x].data == "B", (text, glass.rows()[y])
            assert x == 1 + columns
            assert row[MARK_COLUMN - 1].data == "|", f"{text!r} shifted the row"


def _painted_rows(app: TerminalApp) -> list[str]:
    rows = app.view.emulator.display()
    return [row.replace("\u200db", "b").rstrip() for row in rows if row.strip()]


# Drawn alike by tmux 3.3 and current terminals (tmux 3.3 draws a VS16 emoji in one cell
# and a skin-toned one in four: those are held to the grid above, not to tmux).
ALIKE = [
    "a\u200db",
    "e\u0301\u0301",
    "\u2764",
    "\u4e2d\u6587",
    "\U0001f1eb",
    "\U0001f1eb\U0001f1f7",
]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
async def test_clusters_tmux_draws_as_terminals_do_match_tmux(tmp_path: Path) -> None:
    sample = tmp_path / "alike.txt"
    sample.write_bytes(_lines(ALIKE))
    # capture-pane prints a ZWJ that joined nothing in the wrong place: left out.
    comparison = PaintedComparison(
        ["sh", "-c", f"cat {sample}; sleep 30"],
        tmp_path,
        40,
        10,
        mask=lambda row: row.replace("\u200d", ""),
    )
    try:
        async with comparison.app.run_test(size=(40, 10), headless=False):
            comparison.app.start()
            await comparison.agree(settle="|")
    finally:
        comparison.close()
