"""The real app under Pilot, with real PTYs running the fake ``claude``."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.support import (
    FakeClaude,
    RecordingSink,
    cursor_label,
    make_app,
    milestone_labels,
    pane,
    pane_text,
    project_label,
    project_labels,
    project_rows,
    session_pid,
    wait_until,
    workspace,
)
from wxtui.app.dialogs import ConfirmDialog, FormDialog, StatusDialog
from wxtui.app.help_screen import HelpScreen
from wxtui.app.inbox import InboxScreen
from wxtui.app.session_pane import SessionState
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.store import Store
from wxtui.terminal.widget import TerminalView


@pytest.fixture
def seeded(store: Store, tmp_path: Path, fake_claude: FakeClaude):
    alpha = store.add_project("alpha", workspace(tmp_path, "alpha"))
    a1 = store.add_milestone(alpha.id, "first", "Write the first thing")
    a2 = store.add_milestone(alpha.id, "second")
    beta = store.add_project("beta", workspace(tmp_path, "beta"))
    b1 = store.add_milestone(beta.id, "only")
    return {"alpha": alpha, "beta": beta, "a1": a1, "a2": a2, "b1": b1}


async def _ok(pilot) -> None:
    """Submit the open dialog from the keyboard (enter in a field)."""
    pilot.app.screen.query(Input).first().focus()
    await pilot.press("enter")
    await pilot.pause()


def _pid(text: str) -> int:
    match = re.search(r"FAKE-CLAUDE pid=(\d+)", text)
    assert match, text
    return int(match.group(1))


async def _open_via_sidebar(pilot, app, line: int) -> None:
    """Put the sidebar cursor on a tree line and press enter."""
    app.project_tree.focus()
    app.project_tree.cursor_line = line
    await pilot.press("enter")


async def test_milestones_of_a_project_share_one_process(
    seeded, fake_claude: FakeClaude, store: Store
) -> None:
    alpha, beta = seeded["alpha"], seeded["beta"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        # Tree lines: 0 alpha, 1 first, 2 second, 3 beta, 4 only.
        await _open_via_sidebar(pilot, app, 1)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id), message="alpha session")
        first_pid = _pid(pane_text(app, alpha.id))
        await pilot.pause()
        assert isinstance(app.focused, TerminalView)

        await pilot.press("ctrl+right_square_bracket")
        assert app.focused is app.project_tree
        assert app.project_tree.selected_ref.id == alpha.id, "cursor on the current project"

        await _open_via_sidebar(pilot, app, 2)
        await pilot.pause()
        assert _pid(pane_text(app, alpha.id)) == first_pid
        assert len(fake_claude.starts()) == 1, "a second milestone never starts a second agent"
        assert await session_pid(app, alpha.id) == first_pid

        await _open_via_sidebar(pilot, app, 4)
        await wait_until(lambda: "ready" in pane_text(app, beta.id), message="beta session")
        assert _pid(pane_text(app, beta.id)) != first_pid
        assert len(fake_claude.starts()) == 2
        assert app.switcher.current == f"pane-{beta.id}"
        assert app.sub_title.split(" — ")[0] == "beta"


async def test_typing_reaches_the_agent_and_ctrl_p_belongs_to_it(seeded, store: Store) -> None:
    alpha = seeded["alpha"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        await pilot.pause()
        await pilot.press("h", "i", "ctrl+p", "enter")
        await wait_until(lambda: "echo: hi^P" in pane_text(app, alpha.id), message="echo")
        assert not app.screen.query("CommandPalette")


async def test_exit_then_enter_restarts_with_resume(
    seeded, fake_claude: FakeClaude, store: Store
) -> None:
    alpha = seeded["alpha"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        await pilot.pause()
        for key in "exit 3":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await wait_until(lambda: pane(app, alpha.id).state is SessionState.EXITED, message="exit")
        await pilot.pause()
        text = pane_text(app, alpha.id)
        assert "exited with code 3" in text and "ready" in text, "last screen stays visible"
        assert "exited 3" in project_label(app, alpha.id)
        await pilot.press("enter")
        await wait_until(lambda: len(fake_claude.starts()) == 2, message="restart")
        sid = store.get_project(alpha.id).claude_session_id
        assert fake_claude.starts()[0]["argv"] == ["--session-id", sid]
        assert fake_claude.starts()[1]["argv"] == ["--resume", sid]
        await wait_until(lambda: pane(app, alpha.id).state is SessionState.RUNNING)


async def test_quit_ends_every_child_quickly(seeded, store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await _open_via_sidebar(pilot, app, 3)
        await wait_until(
            lambda: (
                app.backend.is_alive(seeded["alpha"].id)
                and app.backend.is_alive(seeded["beta"].id)
                and all("ready" in pane_text(app, p.id) for p in (seeded["alpha"], seeded["beta"]))
            )
        )
        pids = [await session_pid(app, p.id) for p in (seeded["alpha"], seeded["beta"])]
        started = time.monotonic()
        await pilot.press("ctrl+q")
        await wait_until(lambda: not app.is_running, timeout=5)
    assert time.monotonic() - started < 5
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_alt_digits_switch_projects_from_the_terminal(seeded, store: Store) -> None:
    alpha, beta = seeded["alpha"], seeded["beta"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        await pilot.pause()
        await pilot.press("alt+2")
        await wait_until(lambda: "ready" in pane_text(app, beta.id))
        assert app.current_project_id == beta.id
        await pilot.press("alt+1")
        await pilot.pause()
        assert app.current_project_id == alpha.id and isinstance(app.focused, TerminalView)


async def test_background_output_of_other_programs_marks_the_project_and_next_jumps(
    store: Store, tmp_path: Path
) -> None:
    shell = "sh -c 'echo ready; exec cat'"
    alpha = store.add_project("alpha", workspace(tmp_path, "a"), command=shell)
    beta = store.add_project("beta", workspace(tmp_path, "b"), command=shell)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        await _open_via_sidebar(pilot, app, 1)
        await wait_until(lambda: "ready" in pane_text(app, beta.id))
        await pilot.pause()
        app.backend.write(alpha.id, b"ping\r")
        await wait_until(
            lambda: "◆" in project_label(app, alpha.id),
            message="unseen marker",
        )
        assert "ping" not in pane_text(app, alpha.id), "a hidden pane gets no output"
        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert app.current_project_id == alpha.id
        assert "ping" in pane_text(app, alpha.id), "what it printed while hidden is shown"
        assert "●" in project_label(app, alpha.id)


async def test_next_attention_and_inbox_rank_what_claude_needs(seeded, store: Store) -> None:
    alpha, beta = seeded["alpha"], seeded["beta"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        await _open_via_sidebar(pilot, app, 3)
        await wait_until(lambda: "ready" in pane_text(app, beta.id))
        await _open_via_sidebar(pilot, app, 0)  # alpha shown, beta in the background
        app.backend.write(beta.id, b"finish the report\r")
        await wait_until(
            lambda: "Answer to finish" in project_label(app, beta.id),
            message="the turn's answer on beta's line (cut to the sidebar's width)",
        )
        assert project_label(app, beta.id).startswith("2 ✓")
        await wait_until(lambda: app.title == "wxtui (1)", message="the header's count")
        await pilot.press("ctrl+right_square_bracket")
        await _open_via_sidebar(pilot, app, 3)  # beta shown: its news is seen
        await wait_until(lambda: app.title == "wxtui")
        # alpha asks for a permission, beta finishes another turn: permission first.
        await _open_via_sidebar(pilot, app, 4)
        app.backend.write(beta.id, b"again\r")
        await pilot.press("ctrl+right_square_bracket")
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: pane(app, beta.id).urgency is not None)
        app.backend.write(alpha.id, b"permission\r")
        await pilot.press("ctrl+right_square_bracket")
        await _open_via_sidebar(pilot, app, 3)
        await wait_until(lambda: pane(app, alpha.id).urgency == 0, message="needs permission")
        await wait_until(  # The sidebar follows the pane's change message.
            lambda: (
                "⚠" in project_label(app, alpha.id) and "Bash: rm" in project_label(app, alpha.id)
            )
        )
        assert pane(app, alpha.id).agent.reason == "Bash: rm -rf build"
        await pilot.press("f2")
        await pilot.pause()
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        assert [e.project_id for e in inbox.entries] == [alpha.id]
        await pilot.press("escape")
        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert app.current_project_id == alpha.id, "needs-permission first"
        assert "needs permission" in app.sub_title


async def test_add_project_dialog_validates(store: Store, tmp_path: Path, fake_claude) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        assert "No projects yet" in str(app.query_one("#empty").render())
        await pilot.press("a")
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-dir").value = str(tmp_path / "missing")
        await _ok(pilot)
        assert "must not be empty" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#field-name").value = "gamma"
        await _ok(pilot)
        assert "does not exist" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#field-dir").value = str(tmp_path)
        await _ok(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        [project] = store.list_projects()
        assert project.name == "gamma" and project.workspace_path == str(tmp_path)
        assert app.project_tree.selected_ref.id == project.id
        await pilot.press("a")
        app.screen.query_one("#field-name").value = "gamma"
        app.screen.query_one("#field-dir").value = str(tmp_path)
        await _ok(pilot)
        assert "already exists" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press("escape")
        assert len(store.list_projects()) == 1


async def test_add_edit_and_status_of_milestones(seeded, store: Store) -> None:
    alpha = seeded["alpha"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 0
        await pilot.press("m")
        app.screen.query_one("#field-name").value = "third"
        app.screen.query_one("#field-prompt").value = "do three"
        await _ok(pilot)
        await pilot.pause()
        names = [m.element_name for m in store.list_milestones(alpha.id)]
        assert names == ["first", "second", "third"]
        app.project_tree.cursor_line = 1
        await pilot.press("e")
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-name").value = "first, renamed"
        await _ok(pilot)
        await pilot.pause()
        assert store.get_milestone(seeded["a1"].id).element_name == "first, renamed"
        app.project_tree.cursor_line = 1
        await pilot.press("t")
        assert isinstance(app.screen, StatusDialog)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert store.get_milestone(seeded["a1"].id).status == "completed"
        assert "✓" in cursor_label(app)


async def test_edit_project_refuses_duplicate_name(seeded, store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 0
        await pilot.press("e")
        app.screen.query_one("#field-name").value = "beta"
        await _ok(pilot)
        assert "already exists" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#field-name").value = "alpha2"
        await _ok(pilot)
        await pilot.pause()
        assert store.get_project(seeded["alpha"].id).name == "alpha2"


async def test_delete_project_stops_its_session(seeded, store: Store) -> None:
    alpha = seeded["alpha"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        pid = await session_pid(app, alpha.id)
        await pilot.press("ctrl+right_square_bracket")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(lambda: app.pane_for(alpha.id) is None, message="pane removed")
        assert [p.name for p in store.list_projects()] == ["beta"]
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_delete_milestone_asks_first(seeded, store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 2
        await pilot.press("d")
        await pilot.press("n")
        assert len(store.list_milestones(seeded["alpha"].id)) == 2
        app.project_tree.cursor_line = 2
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        assert [m.element_name for m in store.list_milestones(seeded["alpha"].id)] == ["first"]


async def test_send_prompt_pastes_then_submits(seeded, store: Store) -> None:
    alpha, a1 = seeded["alpha"], seeded["a1"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 1
        await pilot.press("p")
        await wait_until(lambda: store.get_milestone(a1.id).status == "in_progress")
        await wait_until(lambda: "ready for review" in milestone_labels(app, alpha.id)[0])
        assert app.current_project_id is None, "the session is not opened"
        assert app.focused is app.project_tree, "the focus stays where the user was"
        await pilot.press("j")  # A sidebar key moves the cursor; the agent gets nothing.
        assert app.project_tree.cursor_line == 2
        await app.show_project(alpha.id)
        await wait_until(
            lambda: "echo: Write the first thing" in pane_text(app, alpha.id),
            message="prompt submitted",
        )
        assert "echo: j" not in pane_text(app, alpha.id)


async def test_command_that_cannot_start_shows_error_and_app_goes_on(
    store: Store, tmp_path: Path
) -> None:
    broken = store.add_project(
        "broken", workspace(tmp_path, "b"), command="no-such-agent-xyz --flag"
    )
    fine = store.add_project(
        "fine", workspace(tmp_path, "f"), command="sh -c 'echo fine-ready; exec cat'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await pilot.pause()
        assert "command not found: no-such-agent-xyz" in pane_text(app, broken.id)
        assert pane(app, broken.id).state is SessionState.FAILED
        assert any("no-such-agent-xyz" in str(n.message) for n in app._notifications)
        await _open_via_sidebar(pilot, app, 1)
        await wait_until(lambda: "fine-ready" in pane_text(app, fine.id))


async def test_second_wxtui_shows_the_holder_instead_of_starting(
    seeded, fake_claude, store: Store, tmp_path: Path
) -> None:
    alpha = seeded["alpha"]
    with Store.open(store.path) as other_store:
        other = ProjectSessions(other_store)

        await other.start(alpha.id, RecordingSink(), 24, 80)
        app = make_app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            await _open_via_sidebar(pilot, app, 0)
            await pilot.pause()
            assert f"running in another wxtui (pid {os.getpid()})" in pane_text(app, alpha.id)
            assert len(fake_claude.starts()) == 1
        await other.stop_all()


async def test_palette_opens_projects_and_milestones(seeded, store: Store) -> None:
    beta = seeded["beta"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query("CommandInput")
        for key in "Open beta":
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(lambda: "ready" in pane_text(app, beta.id), message="palette opened beta")


async def test_help_screen_and_filter(seeded, store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("slash")
        for key in "only":
            await pilot.press(key)
        await pilot.pause()
        labels = project_labels(app)
        assert len(labels) == 1 and "beta" in labels[0]
        await pilot.press("escape")
        await pilot.pause()
        assert len(project_labels(app)) == 2


async def test_open_flag_starts_focused(seeded, store: Store) -> None:
    beta = seeded["beta"]
    app = make_app(store, open_project_id=beta.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "ready" in pane_text(app, beta.id))
        await pilot.pause()
        assert isinstance(app.focused, TerminalView) and app.current_project_id == beta.id


async def test_changes_from_another_process_appear(seeded, store: Store, tmp_path: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        with Store.open(store.path) as cli_store:
            cli_store.add_project("from-cli", str(tmp_path))
        await wait_until(
            lambda: any("from-cli" in label for label in project_labels(app)),
            message="external project",
        )


async def test_restart_and_stop_from_the_sidebar(
    seeded, fake_claude: FakeClaude, store: Store
) -> None:
    alpha = seeded["alpha"]
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_via_sidebar(pilot, app, 0)
        await wait_until(lambda: "ready" in pane_text(app, alpha.id))
        first = await session_pid(app, alpha.id)
        await pilot.press("ctrl+right_square_bracket")
        await pilot.press("r")
        await wait_until(lambda: len(fake_claude.starts()) == 2, message="restarted")
        await wait_until(lambda: app.backend.is_alive(alpha.id))
        assert await session_pid(app, alpha.id) not in (0, first)
        sid = store.get_project(alpha.id).claude_session_id
        assert fake_claude.starts()[1]["argv"] == ["--resume", sid]
        await pilot.press("ctrl+right_square_bracket")
        await pilot.press("s")
        await wait_until(
            lambda: pane(app, alpha.id).state is SessionState.EXITED, message="stopped"
        )
        assert not app.backend.is_alive(alpha.id)
        assert "stopped" in project_label(app, alpha.id)
        assert "session stopped" in pane_text(app, alpha.id)


async def test_cli_writes_while_the_tui_runs(seeded, store: Store, tmp_path: Path) -> None:
    import subprocess
    import sys

    wxtui = str(Path(sys.executable).with_name("wxtui"))
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        for i in range(5):
            result = subprocess.run(
                [wxtui, "--db", str(store.path), "milestone", "add", "alpha", f"from cli {i}"],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert result.returncode == 0, result.stderr
        await wait_until(
            lambda: len(milestone_labels(app, seeded["alpha"].id)) == 7,
            message="milestones added from the CLI",
        )


async def test_deleting_a_project_keeps_the_cursor_where_it_was(
    seeded, store: Store, tmp_path: Path
) -> None:
    """Rows: alpha, first, second, beta, only, gamma. Deleting beta leaves the cursor on
    the row that took its place (gamma), not at the top."""
    gamma = store.add_project("gamma", workspace(tmp_path, "gamma"))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 3
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(lambda: len(project_rows(app)) == 2, message="beta deleted")
        assert app.project_tree.selected_ref.id == gamma.id
