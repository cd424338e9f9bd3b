"""Facts the code keeps in one place, checked where they are used."""

from __future__ import annotations

import inspect

from wxtui.attach import RESTORE
from wxtui.sessions.manager import PTYSessionManager
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.sessions.pty import STOP_GRACE, BidirectionalPTY
from wxtui.terminal.emulator import TerminalEmulator
from wxtui.terminal.snapshot import RESET_MODES
from wxtui.text import inert


def test_one_grace_period_for_every_stop() -> None:
    for stop in (
        BidirectionalPTY.close,
        PTYSessionManager.close_session,
        PTYSessionManager.close_all,
        ProjectSessions.stop,
        ProjectSessions.stop_all,
    ):
        assert inspect.signature(stop).parameters["grace"].default is STOP_GRACE, stop


def test_the_terminal_mode_reset_ends_every_mode_a_program_may_leave_on() -> None:
    """One reset (attach's detach uses it): the alternate screen, mouse, focus, paste and
    synchronized output off, the cursor shown, the pen plain."""
    screen = TerminalEmulator(20, 4)
    screen.feed(b"\x1b[?1049h\x1b[?1000;1002;1003;1004;1006;2004;2026h\x1b[?25l\x1b[1;31m")
    screen.feed(RESET_MODES.encode())
    assert not screen.in_alternate_screen and not screen.bracketed_paste
    assert not screen.focus_reporting and not screen.mouse_sgr
    assert not screen.synchronized and not screen.mouse_tracking and screen.cursor_visible
    assert RESTORE.startswith(RESET_MODES)


def test_outside_text_is_made_inert_with_the_replacement_character() -> None:
    assert inert("name\x1b[31m\x07\x9b") == "name\ufffd[31m\ufffd\ufffd"
    assert inert("tab\there") == "tab\ufffdhere"
