"""The UI hears of every start, stop and state change, whoever caused it: a session
started from the command line appears in it, and one stopped with `wxtui host stop`
says stopped, not that it failed."""

from __future__ import annotations

from pathlib import Path

from tests.support import (
    FakeClaude,
    make_app,
    ok,
    pane_text,
    project_label,
    run,
    wait_until,
)
from wxtui.app.session_pane import SessionState
from wxtui.store import Store

SHELL = "sh -c 'echo ready; exec cat'"


def _stopped(label: str) -> bool:
    """The sidebar says "■ NAME stopped"."""
    return "■" in label and label.endswith("stopped")


async def test_a_session_started_from_the_command_line_appears_in_the_ui(
    host_db: Path, tmp_path: Path
) -> None:
    with Store.open(host_db) as store:
        cli = store.add_project("from-cli", str(tmp_path), command=SHELL).id
        other = store.add_project("other", str(tmp_path), command=SHELL).id
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)):
            await app.show_project(other)  # The UI has a host connection now.
            assert "○" in project_label(app, cli)
            ok(run("session", "start", "from-cli", db=host_db))
            await wait_until(lambda: app.pane_for(cli) is not None, message="it appeared")
            await wait_until(lambda: "●" in project_label(app, cli), message="marked running")
            await app.show_project(cli)
            assert app.pane_for(cli).state is SessionState.RUNNING
            ok(run("session", "stop", "from-cli", db=host_db))
            await wait_until(lambda: _stopped(project_label(app, cli)), message="stopped")


async def test_host_stop_leaves_panes_saying_stopped(
    host_db: Path, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    with Store.open(host_db) as store:
        shell = store.add_project("shell", str(tmp_path), command=SHELL).id
        agent = store.add_project("agent", str(tmp_path)).id  # The fake claude.
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)):
            await app.show_project(shell)
            await app.show_project(agent)
            await wait_until(lambda: "✓" in project_label(app, agent), message="claude ready")
            ok(run("host", "stop", db=host_db))
            for project in (shell, agent):
                await wait_until(
                    lambda project=project: _stopped(project_label(app, project)),
                    message=f"{project} stopped",
                )
                assert "exited -1" not in project_label(app, project)
            await wait_until(lambda: "stopped" in app.sub_title, message="the header says so")
            assert "working" not in app.sub_title


async def test_the_next_ui_shows_the_session_the_last_one_showed(
    host_db: Path, tmp_path: Path
) -> None:
    with Store.open(host_db) as store:
        first = store.add_project("first", str(tmp_path), command=SHELL).id
        second = store.add_project("second", str(tmp_path), command=SHELL).id
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.show_project(first)
            await app.show_project(second)
            await pilot.press(*"where I was", "enter")
            await wait_until(lambda: pane_text(app, second).count("where I was") == 2)
            await pilot.press("ctrl+q")
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)):
            await wait_until(lambda: app.current_project_id == second, message="back there")
            await wait_until(lambda: pane_text(app, second).count("where I was") == 2)
        app = make_app(store, sessions_in_host=True, open_project_id=first)
        async with app.run_test(size=(120, 36)):
            await wait_until(lambda: app.current_project_id == first, message="--open wins")


async def test_a_stopped_pane_follows_a_start_from_elsewhere(host_db: Path, tmp_path: Path) -> None:
    with Store.open(host_db) as store:
        alpha = store.add_project("alpha", str(tmp_path), command=SHELL).id
        app = make_app(store, sessions_in_host=True)
        async with app.run_test(size=(120, 36)):
            await app.show_project(alpha)
            await app.backend.stop(alpha)
            await wait_until(lambda: _stopped(project_label(app, alpha)), message="stopped")
            ok(run("session", "send", "alpha", "typed from cli", db=host_db))
            await wait_until(
                lambda: app.pane_for(alpha).state is SessionState.RUNNING, message="running"
            )
            await wait_until(lambda: "typed from cli" in pane_text(app, alpha), message="shown")
            await wait_until(lambda: "●" in project_label(app, alpha), message="marked running")
