"""The real Claude Code in wxtui, offline against the local API stub.

Slower than the rest (Claude takes a second or two to start): the ``real_claude`` group.
"""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path

import pytest

from tests.support import make_app, pane, pane_text, session_pid, wait_until
from tests.support.claude_code import claude_world, installed, processes_of
from tests.support.painted import Glass, program_env
from tests.support.terminal_app import TerminalApp
from wxtui.app.inbox import InboxScreen
from wxtui.errors import WxtuiError
from wxtui.sessions.permission_requests import Decision
from wxtui.store import Store

pytestmark = [
    pytest.mark.real_claude,
    pytest.mark.skipif(
        not installed(), reason="Claude Code is not installed (.ci/run installs it)"
    ),
]

START = 30.0  # Claude's first start in a fresh config can take a while on a busy machine.


def _state(app, project_id: str) -> tuple[str, str]:
    agent = pane(app, project_id).agent
    return ("", "") if agent is None else (agent.state.value, agent.reason)


async def _type(pilot, text: str) -> None:
    for key in text:
        await pilot.press(key if key != " " else "space")


async def _prompt(pilot, app, project_id: str, text: str) -> None:
    """Type a prompt at Claude's prompt as a user does, and submit it."""
    await wait_until(lambda: "❯" in pane_text(app, project_id), START, "Claude's prompt")
    app.backend.write(project_id, text.encode())
    squeezed = "".join(text.split())
    await wait_until(
        lambda: squeezed in "".join(pane_text(app, project_id).split()),
        10,
        f"the typed prompt; the pane shows:\n{pane_text(app, project_id)}",
    )
    await asyncio.sleep(0.2)  # Claude debounces pasted-looking input before enter.
    app.backend.write(project_id, b"\r")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    path.mkdir()
    return path


async def test_prompt_then_permission_then_error_then_clear(
    store: Store, tmp_path: Path, workspace: Path
) -> None:
    with claude_world(tmp_path, [workspace]) as (_stub, env):
        project = store.add_project("real", str(workspace))
        app = make_app(store, environ=env)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.show_project(project.id)
            await wait_until(lambda: _state(app, project.id)[0] == "done", START, "SessionStart")
            first_id = store.get_project(project.id).claude_session_id
            assert first_id is not None

            # prompt -> working -> done, the reply's first line as the reason
            await _prompt(pilot, app, project.id, "hello there")
            await wait_until(lambda: _state(app, project.id) == ("done", "Reply to: hello there"))
            await wait_until(  # Stored off the event loop, a moment later.
                lambda: store.agent_states()[project.id] == ("done", "Reply to: hello there")
            )

            # a tool that needs permission, shown while another pane... the inbox picks it
            await _prompt(pilot, app, project.id, "WRITE-FILE out.txt")
            await wait_until(lambda: _state(app, project.id)[0] == "needs-permission")
            assert _state(app, project.id)[1].startswith("Bash: echo written > out.txt")
            await pilot.press("ctrl+right_square_bracket")
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, InboxScreen)
            assert [e.project_id for e in app.screen.entries] == [project.id], (
                _state(app, project.id),
                pane(app, project.id).urgency,
                pane(app, project.id).agent,
            )
            await pilot.press("enter")  # Jump there from the inbox...
            await pilot.pause()
            await pilot.press("enter")  # ...and approve in the pane (1. Yes).
            await wait_until(lambda: _state(app, project.id) == ("done", "Tool finished."))
            assert (workspace / "out.txt").read_text() == "written\n"

            # an API error
            await _prompt(pilot, app, project.id, "FAIL-PLEASE")
            await wait_until(lambda: _state(app, project.id)[0] == "error")
            assert "the stub was asked to fail" in _state(app, project.id)[1]

            # /clear: the new conversation is stored within 2 s, with both in the history
            await _prompt(pilot, app, project.id, "/clear")
            await wait_until(
                lambda: store.get_project(project.id).claude_session_id != first_id, 2, "new id"
            )
            cleared = store.get_project(project.id).claude_session_id
            history = [
                (c.claude_session_id, c.source) for c in store.conversation_history(project.id)
            ]
            assert history[0][0] == first_id and history[-1] == (cleared, "clear")
            await _prompt(pilot, app, project.id, "after the clear")
            await wait_until(
                lambda: _state(app, project.id) == ("done", "Reply to: after the clear")
            )

            # a restart resumes the post-clear conversation
            await pilot.press("ctrl+right_square_bracket")
            await pilot.press("r")
            await wait_until(lambda: app.backend.is_alive(project.id))
            pid = await session_pid(app, project.id)
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            assert b"--resume" in argv and cleared.encode() in argv
            await wait_until(lambda: "after the clear" in pane_text(app, project.id), START)
            await app.backend.stop_all()
        assert processes_of(env["WXTUI_TEST_CLAUDE_RUN"]) == [], "every claude process ended"


async def test_claude_in_the_session_host_finishes_its_turn_after_the_ui_quits(
    store: Store, tmp_path: Path, workspace: Path
) -> None:
    """Quit mid-turn (a tool running): the agent goes on in the host, and the next UI
    shows its screen and its state, and talks to it."""
    with claude_world(tmp_path, [workspace]) as (_stub, env):
        project = store.add_project("hosted", str(workspace))
        app = make_app(store, environ=env, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.show_project(project.id)
            await wait_until(lambda: _state(app, project.id)[0] == "done", START, "SessionStart")
            await _prompt(pilot, app, project.id, "RUN-NESTED sleep 2; echo finished > out.txt")
            await wait_until(lambda: _state(app, project.id)[0] == "needs-permission")
            app.backend.write(project.id, b"\r")  # 1. Yes
            await wait_until(lambda: _state(app, project.id)[0] == "working", 10, "the tool")
            await pilot.press("ctrl+q")
        assert app.exit_message.startswith("wxtui: 1 agent keeps running;")
        out = workspace / "out.txt"
        await wait_until(out.exists, 20, "the tool finished with no UI")

        app = make_app(store, environ=env, sessions_in_host=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(lambda: app.pane_for(project.id) is not None, START, "attached")
            await wait_until(lambda: _state(app, project.id) == ("done", "Tool finished."))
            await app.show_project(project.id)
            await wait_until(lambda: "Tool finished." in pane_text(app, project.id))
            await _prompt(pilot, app, project.id, "hello again")
            await wait_until(lambda: _state(app, project.id) == ("done", "Reply to: hello again"))
            await app.backend.stop_all()
        await wait_until(lambda: processes_of(env["WXTUI_TEST_CLAUDE_RUN"]) == [], 10, "ended")


async def test_a_nested_claude_p_leaves_the_project_id_alone_and_left_arrow_starts_nothing(
    store: Store, tmp_path: Path, workspace: Path
) -> None:
    with claude_world(tmp_path, [workspace]) as (stub, env):
        project = store.add_project("nested", str(workspace))
        app = make_app(store, environ=env)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.show_project(project.id)
            await wait_until(lambda: _state(app, project.id)[0] == "done", START, "SessionStart")
            own = store.get_project(project.id).claude_session_id
            agent_pid = await session_pid(app, project.id)
            before = set(processes_of(env["WXTUI_TEST_CLAUDE_RUN"]))

            # <- at the empty prompt: Claude's agents view is off, nothing new starts
            app.backend.write(project.id, b"\x1b[D")
            await asyncio.sleep(2.0)  # Give a daemon or background session time to appear.
            assert not any(
                b"claude" in Path(f"/proc/{pid}/cmdline").read_bytes()
                for pid in set(processes_of(env["WXTUI_TEST_CLAUDE_RUN"])) - before
                if Path(f"/proc/{pid}").exists()
            ), "no new claude process"

            # a claude -p run by a tool, even handed the session's own settings
            argv = Path(f"/proc/{agent_pid}/cmdline").read_bytes().decode().split("\0")
            settings = argv[argv.index("--settings") + 1]
            nested = shlex.join(["claude", "-p", "say hi", "--settings", settings])
            await _prompt(pilot, app, project.id, f"RUN-NESTED {nested}")
            await wait_until(lambda: _state(app, project.id)[0] == "needs-permission")
            app.backend.write(project.id, b"\r")
            await wait_until(lambda: _state(app, project.id) == ("done", "Tool finished."), START)
            assert any("say hi" in str(body) for _, _, body in stub.requests), "nested ran"
            assert store.get_project(project.id).claude_session_id == own
            assert [c.claude_session_id for c in store.conversation_history(project.id)] == [own]
            await app.backend.stop_all()


async def test_claude_painted_as_its_screen_holds_it_after_every_step(
    tmp_path: Path, workspace: Path
) -> None:
    """Claude's slash menu is taller than the space left after a few exchanges, so the
    screen scrolls: every row must be repainted. Two Claude runs do not draw identical
    screens (how far its output scrolls depends on the timing of its transient lines),
    so the painted pane is held to the emulator's screen after every step, and the
    emulator to tmux by the byte-stream and program tests."""
    with claude_world(tmp_path, [workspace]) as (_stub, env):
        app = TerminalApp(["claude"], env={**program_env(workspace), **env}, cwd=str(workspace))
        glass = Glass(100, 24)
        app.driver_class = glass.driver_class()

        async def painted_as_held(settle: str, timeout: float = 20.0) -> None:
            def held() -> bool:
                rows = glass.rows()
                model = [row.rstrip() for row in app.view.emulator.display()]
                return rows == model and any(settle in row for row in rows)

            await wait_until(held, timeout, f"{settle!r} painted as the screen holds it")

        async with app.run_test(size=(100, 24), headless=False):
            app.start()
            assert app.pty is not None
            await painted_as_held("❯", START)
            for text in ("first question", "second question", "third question", "fourth"):
                app.pty.write(text.encode())
                await painted_as_held(text)
                await asyncio.sleep(0.2)
                app.pty.write(b"\r")
                await painted_as_held(f"Reply to: {text}")
            app.pty.write(b"/")
            await painted_as_held("/clear")
            app.pty.write(b"c")
            await painted_as_held("/c")
            app.pty.write(b"\x7f\x7f")
            await painted_as_held("❯")


def _asking(inbox: InboxScreen) -> list[str]:
    return [e.project_id for e in inbox.entries if e.request is not None]


def _waiting(app) -> list[str]:
    return [n.project_id for n in app.needs() if n.agent is not None and n.agent.request]


async def test_three_claudes_answered_from_the_inbox_across_a_ui_restart(
    store: Store, tmp_path: Path
) -> None:
    """Three agents ask to run a tool; the UI quits and a new one answers them from the
    inbox, never opening their panes: allowed (the tool runs), denied with a message
    (Claude receives it), and one answered in its own pane first (the inbox's late
    answer sends nothing)."""
    spaces = [tmp_path / f"ws{n}" for n in range(3)]
    for space in spaces:
        space.mkdir()
    with claude_world(tmp_path, spaces) as (stub, env):
        projects = [store.add_project(f"agent{n}", str(s)) for n, s in enumerate(spaces)]
        app = make_app(store, environ=env, sessions_in_host=True)
        async with app.run_test(size=(120, 40)) as pilot:
            for project in projects:
                assert await app.sessions.prompt(project.id, "WRITE-FILE out.txt")
            await wait_until(lambda: len(_waiting(app)) == 3, START, "three requests")
            assert app.current_project_id is None
            await pilot.press("ctrl+q")

        app = make_app(store, environ=env, sessions_in_host=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(lambda: len(_waiting(app)) == 3, START, "the requests, reopened")
            await pilot.press("f2")
            inbox = app.screen
            assert isinstance(inbox, InboxScreen)
            first, second, third = _asking(inbox)
            spaces_of = {p.id: Path(p.workspace_path) for p in projects}
            await pilot.press("y")
            await wait_until(lambda: _asking(inbox) == [second, third])
            await wait_until(lambda: (spaces_of[first] / "out.txt").exists(), 20, "the tool ran")

            await pilot.press("n")
            await _type(pilot, "write notes.txt instead")
            await pilot.press("enter")
            await wait_until(lambda: _asking(inbox) == [third])
            await wait_until(
                lambda: any("write notes.txt instead" in str(body) for _, _, body in stub.requests),
                20,
                "the message reached Claude",
            )

            stale = inbox.entries[inbox.entries.index(inbox.selected)].request
            assert stale is not None and inbox.selected.project_id == third
            app.backend.write(third, b"\r")  # Someone says yes in the pane (1. Yes)...
            await wait_until(lambda: not _asking(inbox), 10, "the row leaves the inbox")
            with pytest.raises(WxtuiError, match="already answered"):
                await app.backend.answer(third, stale.id, Decision.DENY, "too late")
            await wait_until(lambda: (spaces_of[third] / "out.txt").exists(), 20, "pane's yes")
            assert not any("too late" in str(body) for _, _, body in stub.requests)
            assert not (spaces_of[second] / "out.txt").exists()
            assert app.current_project_id is None, "no pane was opened"
            await app.backend.stop_all()
        await wait_until(lambda: processes_of(env["WXTUI_TEST_CLAUDE_RUN"]) == [], 10, "ended")


async def test_a_milestone_s_turn_is_recorded_for_its_review(
    store: Store, tmp_path: Path, workspace: Path
) -> None:
    """p on a milestone: its base is the workspace then; Claude writes a file (allowed
    from the inbox's path); when its turn ends the end is recorded, and the review names
    exactly that file."""
    from tests.support.git_repo import repository
    from wxtui.app.sidebar import NodeRef
    from wxtui.milestone_changes import changes

    repository(workspace, {"README": "hello\n"})
    with claude_world(tmp_path, [workspace]) as (_stub, env):
        project = store.add_project("reviewed", str(workspace))
        milestone = store.add_milestone(project.id, "write", prompt="WRITE-FILE out.txt")
        app = make_app(store, environ=env)
        async with app.run_test(size=(120, 36)):
            await app.sessions.send_prompt(NodeRef("milestone", milestone.id, project.id))
            await wait_until(lambda: bool(_waiting(app)), START, "the permission request")
            request = app.needs()[0].agent.request
            await app.backend.answer(project.id, request.id, Decision.ALLOW)
            await wait_until(
                lambda: milestone.id in store.milestones_ready_for_review(), 30, "the turn ended"
            )
            found = changes(workspace, milestone.id)
            assert found.end is not None, "the end was recorded when the turn ended"
            assert [f.to_json() for f in found.files] == [
                {"path": "out.txt", "status": "added", "added": 1, "deleted": 0}
            ]
            await app.backend.stop_all()
