"""The painted pane against tmux, after every small step, with real programs.

Each test runs one program in the terminal widget (what it paints is read off the
glass, see ``tests/support/painted.py``) and the same program in tmux at the same size, sends
both the same bytes one step at a time, and requires the same screen after each.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.support import wait_until
from tests.support.painted import Glass, PaintedComparison, program_env, python_program
from tests.support.terminal_app import TerminalApp

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BASH = ["bash", "--norc", "--noprofile"]


@asynccontextmanager
async def compared(
    argv: Sequence[str], tmp_path: Path, columns: int = 80, lines: int = 24
) -> AsyncIterator[PaintedComparison]:
    comparison = PaintedComparison(argv, tmp_path, columns, lines)
    try:
        async with comparison.app.run_test(size=(columns, lines), headless=False):
            comparison.app.start()
            yield comparison
    finally:
        comparison.close()


def _steps(tmp_path: Path, steps: Sequence[bytes]) -> str:
    path = tmp_path / "steps.bin"
    path.write_bytes(b"\x00".join(steps))
    return str(path)


async def play(tmp_path: Path, steps: Sequence[bytes], columns: int = 80, lines: int = 24) -> None:
    async with compared(
        python_program("step_player.py", _steps(tmp_path, steps)), tmp_path, columns, lines
    ) as c:
        await c.agree(settle="ready")
        for _ in steps:
            await c.send(b" ")
        c.quit(b"q")


# -- a shell ---------------------------------------------------------------------------


async def test_seq_then_a_command(tmp_path: Path) -> None:
    """The reported case: rows that moved when the screen scrolled must be repainted."""
    async with compared(BASH, tmp_path) as c:
        await c.agree(settle="$")
        await c.send(b"seq 1 60\r", settle="60")
        await c.send(b"echo one\r", settle="one")
        await c.send(b"echo two; echo three\r", settle="three")


async def test_a_shell_printing_one_line_at_a_time_past_the_bottom(tmp_path: Path) -> None:
    async with compared(BASH, tmp_path, 60, 12) as c:
        await c.agree(settle="$")
        for i in range(20):
            await c.send(f"echo line {i}\r".encode(), settle=f"line {i}")
        await c.send(b"clear\r")
        await c.send(b"printf 'a\\nb\\nc\\n'\r", settle="c")


# -- byte streams, step by step ----------------------------------------------------------

NUMBERED = b"".join(f"\x1b[{y};1Hrow {y:02d} ........".encode() for y in range(1, 25))


async def test_scroll_region_with_index_and_reverse_index(tmp_path: Path) -> None:
    steps = [
        NUMBERED,
        b"\x1b[5;15r\x1b[15;1H",
        *[f"\n\rindexed {i}".encode() for i in range(4)],
        b"\x1bD\x1bD",
        b"\x1bE next line",
        b"\x1b[5;1H",
        *[f"\x1bMreverse {i}".encode() for i in range(4)],
        b"\x1b[r\x1b[24;1H\n\rfull screen scroll",
        b"\x1b[H\x1bMfrom the top",
    ]
    await play(tmp_path, steps)


async def test_scroll_up_and_down_sequences(tmp_path: Path) -> None:
    steps = [
        NUMBERED,
        b"\x1b[2S",
        b"\x1b[T",
        b"\x1b[3;10r\x1b[2S",
        b"\x1b[4T",
        b"\x1b[r\x1b[5T",
        b"\x1b[40S",
        NUMBERED + b"\x1b[1S\x1b[1T\x1b[1S",
    ]
    await play(tmp_path, steps)


async def test_insert_and_delete_lines(tmp_path: Path) -> None:
    steps = [
        NUMBERED,
        b"\x1b[5;1H\x1b[2L",
        b"\x1b[10;1H\x1b[M",
        b"\x1b[3;20r\x1b[8;1H\x1b[3M",
        b"\x1b[19;1H\x1b[5L",
        b"\x1b[r\x1b[1;1H\x1b[L",
        b"\x1b[24;1H\x1b[10M",
    ]
    await play(tmp_path, steps)


async def test_erases_and_the_alternate_screen(tmp_path: Path) -> None:
    steps = [
        NUMBERED,
        b"\x1b[10;5H\x1b[J",
        NUMBERED + b"\x1b[10;5H\x1b[1J",
        NUMBERED + b"\x1b[12;5H\x1b[K\x1b[13;5H\x1b[1K\x1b[14;5H\x1b[2K",
        b"\x1b[?1049h\x1b[H\x1b[2Jalternate\r\nscreen",
        b"\x1b[5;1H" + b"alt line\r\n" * 30,
        b"\x1b[?1049l",
        b"\x1b[2J\x1b[Hcleared",
        b"\x1b#8",
        b"\x1b[24;1H" + "\u4e16\u754c wide \r\n".encode() * 3,
    ]
    await play(tmp_path, steps)


async def test_a_log_scrolling_a_few_lines_per_step(tmp_path: Path) -> None:
    steps = [
        b"".join(f"step {s} line {i}\r\n".encode() for i in range(s % 4 + 1)) for s in range(30)
    ]
    await play(tmp_path, steps, 50, 10)


# -- full-screen programs ------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
async def test_vim_search_that_scrolls(tmp_path: Path) -> None:
    text = tmp_path / "numbers.txt"
    text.write_text("".join(f"line {i:03d} of the file\n" for i in range(1, 301)))
    argv = ["vim", "-u", "NONE", "-i", "NONE", "-N", "-n", str(text)]
    async with compared(argv, tmp_path) as c:
        await c.agree(settle="line 001")
        await c.send(b"/line 040\r", settle="line 040")
        await c.send(b"/line 02\r", settle="line 020")
        await c.send(b"n", settle="line 021")
        await c.send(b"N", settle="line 020")
        await c.send(b"\x06", settle="line 04")  # ctrl+f
        await c.send(b"\x19\x19\x19")  # ctrl+y: scroll up a line at a time
        await c.send(b"\x05\x05")  # ctrl+e: scroll down a line at a time
        await c.send(b"G", settle="line 300")
        await c.send(b"ggOinserted\x1b", settle="inserted")
        await c.send(b"dd")
        c.quit(b":q!\r")


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
async def test_less_next_match_and_back(tmp_path: Path) -> None:
    text = tmp_path / "numbers.txt"
    text.write_text(
        "".join(f"entry {i:03d}{' match' if i % 17 == 0 else ''}\n" for i in range(1, 301))
    )
    async with compared(["less", str(text)], tmp_path) as c:
        await c.agree(settle="entry 001")
        await c.send(b"/match\r", settle="entry 017")
        for _ in range(3):
            await c.send(b"n")
        await c.send(b"b")
        await c.send(b"b")
        await c.send(b"j")
        await c.send(b"k")
        await c.send(b"G", settle="entry 300")
        c.quit(b"q")


async def test_a_full_screen_program_redrawing_part_of_the_screen(tmp_path: Path) -> None:
    async with compared(python_program("curses_panel.py"), tmp_path) as c:
        await c.agree(settle="presses=0")
        for i in range(25):
            await c.send(b"j", settle=f"presses={i + 1}")
        for i in range(8):
            await c.send(b"k", settle=f"presses={i + 26}")
        c.quit(b"q")


@pytest.mark.skipif(shutil.which("vttest") is None, reason="vttest is not installed")
async def test_vttest_cursor_movements_painted_as_the_screen_holds_them(tmp_path: Path) -> None:
    """vttest checks the emulator against its own description of each screen; tmux 3.3
    draws two of them wrong (a gap in the + border where a backspace follows a character
    at the right margin; right-margin letters lost when a wrap at the scrolling region's
    bottom scrolls it), so here the painted pane is held to the screen model after every
    step, and the model to vttest's description, as xterm draws it."""
    app = TerminalApp(["vttest"], env=program_env(tmp_path), cwd=str(tmp_path))
    glass = Glass(80, 24)
    app.driver_class = glass.driver_class()
    async with app.run_test(size=(80, 24), headless=False):
        app.start()
        assert app.pty is not None

        def shown(settle: str, before: int) -> bool:
            rows = glass.rows()
            return (
                app.received > before
                and any(settle in row for row in rows)
                and any("Push <RETURN>" in row or "Enter choice" in row for row in rows)
                and rows == [row.rstrip() for row in app.view.emulator.display()]
            )

        async def step(data: bytes, settle: str) -> list[str]:
            before = app.received
            app.pty.write(data)
            await wait_until(
                lambda: shown(settle, before),
                message=f"the next screen, with {settle!r}, painted as the model holds it",
            )
            return glass.rows()

        await wait_until(lambda: shown("Enter choice number", 0), message="the menu")
        rows = await step(b"1\r", "Push <RETURN>")
        # "an unbroken border of *'s and +'s around the edge"
        assert rows[0] == "*" * 80 and rows[23] == "*" * 80
        assert rows[1] == "*" + "+" * 78 + "*" and rows[22] == rows[1]
        assert all(row[:2] == "*+" and row[-2:] == "+*" for row in rows[2:22])
        await step(b"\r", "Push <RETURN>")
        rows = await step(b"\r", "autowrap")
        # "The left/right margins should have letters in order" (tmux 3.3 loses some
        # of the right margin's when the wrap happens at the scrolling region's bottom).
        lefts = [row[0] for row in rows[2:20]]
        rights = [row[79] if len(row) == 80 else " " for row in rows[2:20]]
        assert "".join(lefts) == "IJKLMNOPQRSTUVWXYZ", rows
        assert "".join(rights) == "ijklmnopqrstuvwxyz", rows
        await step(b"\r", "autowrap")  # Its 132-column run: the pane keeps its width.
        await step(b"\r", "inside ESC")
        rows = await step(b"\r", "leading zeros")
        # vttest's leading-zeros screen: "This is a correct sentence" on its own line.
        assert any(row.startswith("This is a correct sentence") for row in rows)
        await step(b"\r", "Enter choice number")
        app.pty.write(b"0\r")
