"""The widget with real programs in a real pty, driven through Textual's Pilot."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys

import pytest
from rich.color import Color as RichColor
from textual import events
from textual.geometry import Region

from tests.support import wait_until
from tests.support.terminal_app import TerminalApp
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import Snapshot

ECHO_KEYS = (
    "import os, sys, tty\n"
    "tty.setraw(0)\n"
    "os.write(1, b'ready\\r\\n')\n"
    "while True:\n"
    "    data = os.read(0, 1024)\n"
    "    if data == b'q': break\n"
    "    os.write(1, (repr(data) + '\\r\\n').encode())\n"
)


def _env() -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}


async def test_keys_reach_the_child_including_tab_and_escape() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(80, 24)) as pilot:
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())
        for key in ("a", "ctrl+a", "tab", "shift+tab", "escape", "up", "ctrl+c", "alt+b", "f5"):
            await pilot.press(key)
        expected = [
            "b'a'",
            "b'\\x01'",
            "b'\\t'",
            "b'\\x1b[Z'",
            "b'\\x1b'",
            "b'\\x1b[A'",
            "b'\\x03'",
            "b'\\x1bb'",
            "b'\\x1b[15~'",
        ]
        await wait_until(lambda: all(e in app.screen_text() for e in expected), message="echoes")
        await pilot.press("q")
        await wait_until(lambda: app.exit_code == 0)


async def test_paste_is_bracketed_only_when_asked() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(80, 24)):
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())
        app.view.paste("one\ntwo\x1b[201~")
        await wait_until(lambda: "b'one\\rtwo'" in app.screen_text(), message="raw paste")
        app.view.feed(b"\x1b[?2004h")
        app.view.paste("three")
        await wait_until(
            lambda: "b'\\x1b[200~three\\x1b[201~'" in app.screen_text(), message="bracketed"
        )


async def test_colour_output_renders_styles() -> None:
    script = "print('\\x1b[1;31mred\\x1b[0m \\x1b[38;2;1;2;3mtrue\\x1b[0m \\x1b[7mrev\\x1b[0m')"
    app = TerminalApp([sys.executable, "-c", script])
    async with app.run_test(size=(60, 10)) as pilot:
        app.start()
        await wait_until(lambda: "rev" in app.screen_text())
        await pilot.pause(0.05)
        strip = app.view.render_line(0)
        styles = {seg.text: seg.style for seg in strip if seg.text.strip()}
        # ANSI colours are painted in the theme's colours (Textual's truecolor filter,
        # applied once per style by the pane).
        theme_red = RichColor.from_ansi(1).get_truecolor(app.ansi_theme)
        assert styles["red"].bold and styles["red"].color.triplet == theme_red
        assert styles["true"].color.triplet == (1, 2, 3)
        assert styles["rev"].reverse
        app.ansi_color = True  # The terminal's own ANSI colours: rows are built again.
        await pilot.pause()
        app.view.render_lines(Region(0, 0, 60, 1))
        styles = {seg.text: seg.style for seg in app.view.render_line(0) if seg.text.strip()}
        assert styles["red"].color.number == 1 and styles["red"].color.triplet is None


async def test_resize_reaches_the_child() -> None:
    script = (
        "import signal, shutil, sys, time\n"
        "def show(*a):\n"
        "    s = shutil.get_terminal_size(); print(f'size {s.columns}x{s.lines}', flush=True)\n"
        "signal.signal(signal.SIGWINCH, show)\n"
        "show()\n"
        "time.sleep(30)\n"
    )
    app = TerminalApp([sys.executable, "-c", script])
    async with app.run_test(size=(70, 20)) as pilot:
        app.start()
        await wait_until(lambda: "size 70x20" in app.screen_text(), message="initial size")
        await pilot.resize_terminal(90, 30)
        await wait_until(lambda: "size 90x30" in app.screen_text(), message="resized")
        assert app.view.emulator.columns == 90 and app.view.emulator.lines == 30


async def test_bell_and_title_are_posted() -> None:
    app = TerminalApp([sys.executable, "-c", "print('\\x1b]2;my title\\x07\\x07done')"])
    async with app.run_test(size=(40, 10)):
        app.start()
        await wait_until(lambda: app.bells == 1 and app.titles == ["my title"], message="events")


async def test_scrollback_view_and_return_to_live() -> None:
    app = TerminalApp(
        [
            sys.executable,
            "-c",
            ECHO_KEYS.replace("ready", "\\r\\n".join(f"l{i}" for i in range(60)) + "\\r\\nready"),
        ]
    )
    async with app.run_test(size=(40, 10)) as pilot:
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())
        await pilot.press("shift+pageup")
        assert app.view.scroll_offset_lines == 9
        await pilot.pause(0.05)
        assert "scrolled back 9 lines" in app.view.render_line(0).text
        await pilot.press("x")
        assert app.view.scroll_offset_lines == 0
        await wait_until(lambda: "b'x'" in app.screen_text(), message="key sent after returning")


async def test_mouse_is_forwarded_when_the_child_asks() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)) as pilot:
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())
        app.view.feed(b"\x1b[?1000h\x1b[?1006h")
        await pilot.click(app.view, offset=(5, 3))
        await wait_until(lambda: "\\x1b[<0;6;4M" in app.screen_text(), message="sgr mouse")


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
async def test_vim_edits_and_restores_the_screen(tmp_path) -> None:
    target = tmp_path / "note.txt"
    app = TerminalApp(["vim", "-u", "NONE", "-N", str(target)], env=_env())
    async with app.run_test(size=(80, 24)) as pilot:
        app.view.feed(b"shell line before vim\r\n")
        app.start()
        await wait_until(
            lambda: app.view.emulator.screen.in_alternate_screen, message="vim alt screen"
        )
        await wait_until(lambda: "~" in app.screen_text(), message="vim drawn")
        for key in ("i", "h", "e", "l", "l", "o", "escape"):
            await pilot.press(key)
        await wait_until(lambda: "hello" in app.screen_text(), message="typed text")
        for key in ("colon", "w", "q", "enter"):
            await pilot.press(key)
        await wait_until(lambda: app.exit_code == 0, message="vim exit")
        assert target.read_text() == "hello\n"
        assert not app.view.emulator.screen.in_alternate_screen
        assert "shell line before vim" in app.screen_text()


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
async def test_less_pages_through_a_file(tmp_path) -> None:
    target = tmp_path / "long.txt"
    target.write_text("".join(f"row {i:03d}\n" for i in range(200)))
    app = TerminalApp(["less", str(target)], env={**_env(), "LESS": ""})
    async with app.run_test(size=(60, 20)) as pilot:
        app.start()
        await wait_until(lambda: "row 000" in app.screen_text(), message="first page")
        await pilot.press("space")
        await wait_until(
            lambda: "row 019" in app.screen_text() and "row 000" not in app.screen_text(),
            message="next page",
        )
        await pilot.press("G")
        await wait_until(lambda: "row 199" in app.screen_text(), message="end")
        await pilot.press("q")
        await wait_until(lambda: app.exit_code == 0, message="less exit")


async def test_synchronized_output_holds_the_frame_until_the_child_ends_it() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.view
        view.feed(b"\x1b[?2026hhidden until the end of the update")
        await pilot.pause(0.1)
        assert "hidden" not in view.render_line(0).text, "no frame while the update is open"
        view.feed(b"\x1b[?2026l")
        await wait_until(
            lambda: "hidden until" in view.render_line(0).text, message="frame after end"
        )


async def test_an_update_the_child_never_ends_is_shown_after_the_timeout() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)):
        view = app.view
        view.feed(b"\x1b[?2026hleft open")
        assert view.emulator.holding
        await wait_until(lambda: "left open" in app.screen_text(), message="shown when overdue")
        assert not view.emulator.holding


async def test_focus_reports_when_the_child_asks() -> None:
    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)):
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())
        app.view.feed(b"\x1b[?1004h")
        app.view.blur()
        await wait_until(lambda: "b'\\x1b[O'" in app.screen_text(), message="focus out")
        app.view.focus()
        await wait_until(lambda: "b'\\x1b[I'" in app.screen_text(), message="focus in")


async def test_a_snapshot_with_missed_lines_keeps_a_scrolled_back_view_in_place() -> None:
    """A session in the host: the view missed some output of a flood and gets the lines
    it missed; someone reading back in the history keeps reading the same lines."""
    app = TerminalApp(["true"])  # Never started: the view is fed here.
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.view
        source = TerminalEmulator(view.emulator.columns, view.emulator.lines)
        first = b"".join(b"line %d\r\n" % n for n in range(100))
        view.feed(first)
        source.feed(first)
        await pilot.press("shift+pageup", "shift+pageup")
        await pilot.pause(0.05)
        reading = [view.render_line(y).text for y in range(1, view.size.height)]
        assert reading[0].startswith("line 74 "), reading  # Two pages back in the history.
        missed = source.history.position
        source.feed(b"".join(b"line %d\r\n" % n for n in range(100, 180)))
        view.load_snapshot(Snapshot.of(source, since=missed))
        await pilot.pause(0.05)
        assert [view.render_line(y).text for y in range(1, view.size.height)] == reading
        assert view.emulator.scrollback_text() == source.scrollback_text()
        await pilot.press("x")  # Back to live: the end of what was missed.
        await pilot.pause(0.05)
        assert "line 179" in app.screen_text()


async def test_a_history_in_pieces_arrives_whole_in_a_view_of_another_size() -> None:
    """A session of another size than the view (the UI reopened in a bigger terminal):
    its long history comes in pieces, each loaded in a turn of its own, and every line of
    it arrives; a view reading back in its history keeps reading the same lines."""
    app = TerminalApp(["true"])  # Never started: the view is fed here.
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.view
        source = TerminalEmulator(100, 30)
        source.feed(b"".join(b"\x1b[3%dmline %d\x1b[0m\r\n" % (n % 7 + 1, n) for n in range(3000)))
        bodies, _ = Snapshot.encoded_pieces(source, 10**9, piece=8_000)
        assert len(bodies) > 3
        for body in bodies:
            view.load_snapshot(Snapshot.decode(body))
            await pilot.pause()
        history = source.scrollback_text()
        assert view.emulator.scrollback_text()[: len(history)] == history, "all of it, in order"
        await pilot.press("shift+pageup", "shift+pageup")
        await pilot.pause(0.05)
        reading = [view.render_line(y).text for y in range(1, view.size.height)]
        missed = source.history.position
        source.feed(b"".join(b"\x1b[32mmore %d\x1b[0m\r\n" % n for n in range(2000)))
        for body in Snapshot.encoded_pieces(source, 10**9, missed, piece=8_000)[0]:
            view.load_snapshot(Snapshot.decode(body))
            await pilot.pause()
            assert [view.render_line(y).text for y in range(1, view.size.height)] == reading
        everything = view.emulator.scrollback_text() + view.emulator.display()
        assert [line.rstrip() for line in everything if line.startswith("more")] == [
            f"more {n}" for n in range(2000)
        ]


async def test_wheel_scrolls_history_when_the_child_has_no_mouse() -> None:
    app = TerminalApp(
        [
            sys.executable,
            "-c",
            ECHO_KEYS.replace("ready", "\\r\\n".join(f"l{i}" for i in range(40)) + "\\r\\nready"),
        ]
    )
    async with app.run_test(size=(40, 10)) as pilot:
        app.start()
        await wait_until(lambda: "ready" in app.screen_text())

        def wheel(kind: type[events.MouseEvent]) -> events.MouseEvent:
            return kind(app.view, 1, 1, 0, 0, 0, False, False, False)

        app.view.post_message(wheel(events.MouseScrollUp))
        await pilot.pause()
        assert app.view.scroll_offset_lines == 3
        app.view.post_message(wheel(events.MouseScrollDown))
        await pilot.pause()
        assert app.view.scroll_offset_lines == 0


async def test_floods_paint_at_half_rate_but_typing_gets_full_rate() -> None:
    """Frame pacing, read off the scheduled frame: output of more than FLOOD_BYTES between
    two frames halves the frame rate, until the user types."""
    from wxtui.terminal import widget as terminal_widget

    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.view
        view.focus()
        flood = b"x" * (terminal_widget.FLOOD_BYTES + 1)
        view.feed(flood)
        await wait_until(lambda: view.next_frame_at is None, message="first frame")
        loop = asyncio.get_running_loop()
        view.feed(b"more")
        assert view.next_frame_at is not None
        expected = max(loop.time(), view.last_frame_at + terminal_widget.FLOOD_FRAME_INTERVAL)
        assert view.next_frame_at == pytest.approx(expected, abs=0.002)
        await pilot.press("a")  # No child: the key goes nowhere, but it counts as typing.
        last_frame = view.last_frame_at
        view.feed(b"echo")
        expected = max(loop.time(), last_frame + terminal_widget.FRAME_INTERVAL)
        if view.next_frame_at is None:  # Due already: painted at once.
            assert view.last_frame_at == pytest.approx(expected, abs=0.002)
        else:
            assert view.next_frame_at == pytest.approx(expected, abs=0.002)


async def test_rows_scrolled_away_leave_no_cyclic_garbage() -> None:
    """Textual's compositor leaves each strip it divides referring to itself; the widget
    breaks that when a row is retired, so a flood's rows are freed at once instead of
    piling up for (and lengthening) the collector's full passes."""
    import gc

    from textual.strip import Strip

    app = TerminalApp([sys.executable, "-c", ECHO_KEYS])
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.view
        for batch in range(6):
            view.feed("".join(f"batch {batch} line {i}\r\n" for i in range(12)).encode())
            await pilot.pause()
            await wait_until(lambda: view.next_frame_at is None, message="frame")
            await pilot.pause()
        gc.collect()
        gc.disable()
        try:
            gc.set_debug(gc.DEBUG_SAVEALL)
            for batch in range(6, 12):
                view.feed("".join(f"batch {batch} line {i}\r\n" for i in range(12)).encode())
                await wait_until(lambda: view.next_frame_at is None, message="frame")
                await pilot.pause()
            gc.collect()
            cyclic_strips = [o for o in gc.garbage if isinstance(o, Strip)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
        assert "batch 11 line 11" in app.screen_text()
        assert cyclic_strips == []
