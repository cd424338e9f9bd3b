"""ProjectSessions with real PTYs and a real store: one agent per project, Claude's
--session-id / --resume rules, and what the user is told when a start fails."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.support import FakeClaude, RecordingSink, wait_until
from wxtui.sessions.launch import plan_launch
from wxtui.sessions.lock import LockHeld
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.sessions.pty import SpawnError
from wxtui.store import Store


async def _start_and_wait(sessions: ProjectSessions, project_id: str, sink: RecordingSink) -> int:
    session, created = await sessions.start(project_id, sink, 24, 80)
    assert created
    await wait_until(lambda: "ready" in sink.text, message="fake claude ready")
    return session.pty.pid


async def _quit(sessions: ProjectSessions, project_id: str, sink: RecordingSink) -> None:
    sessions.write(project_id, b"quit\r")
    await wait_until(lambda: bool(sink.exits), message="exit")


async def test_claude_conversation_lifecycle(fake_claude: FakeClaude, tmp_path: Path) -> None:
    workspace = tmp_path / "work space"
    workspace.mkdir()
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        project = store.add_project("proj", str(workspace))
        sessions = ProjectSessions(store)
        sink = RecordingSink()
        await _start_and_wait(sessions, project.id, sink)
        sid = store.get_project(project.id).claude_session_id
        assert sid is not None
        first = fake_claude.starts()[-1]
        assert first["argv"] == ["--session-id", sid]
        assert first["cwd"] == str(workspace)
        assert first["project"] == project.id and first["term"] == "xterm-256color"
        assert store.get_project(project.id).status == "active"

        # Restart after exit: the transcript now exists, so the conversation resumes.
        await _quit(sessions, project.id, sink)
        assert sink.exits == [0]
        sink2 = RecordingSink()
        await _start_and_wait(sessions, project.id, sink2)
        assert fake_claude.starts()[-1]["argv"] == ["--resume", sid]
        await sessions.stop_all()

    # Restart of wxtui: a new store and manager on the same database resume it too.
    with Store.open(db) as store:
        sessions = ProjectSessions(store)
        sink = RecordingSink()
        await _start_and_wait(sessions, project.id, sink)
        assert fake_claude.starts()[-1]["argv"] == ["--resume", sid]
        await sessions.stop_all()

        # session forget: the next start is a fresh conversation.
        store.set_claude_session_id(project.id, None)
        sink = RecordingSink()
        await _start_and_wait(sessions, project.id, sink)
        new_sid = store.get_project(project.id).claude_session_id
        assert new_sid not in (None, sid)
        assert fake_claude.starts()[-1]["argv"] == ["--session-id", new_sid]
        await sessions.stop_all()


async def test_stored_id_without_transcript_uses_session_id_again(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project = store.add_project("p", str(tmp_path))
    sid = str(uuid.uuid4())
    store.set_claude_session_id(project.id, sid)
    plan = plan_launch(store.get_project(project.id), agent=None, environ=os.environ)
    assert plan.argv == ["claude", "--session-id", sid] and not plan.resuming


async def test_user_command_with_own_resume_untouched(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project = store.add_project("p", str(tmp_path), command="claude --resume mine --verbose")
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await _start_and_wait(sessions, project.id, sink)
    assert fake_claude.starts()[-1]["argv"] == ["--resume", "mine", "--verbose"]
    assert store.get_project(project.id).claude_session_id is None
    await sessions.stop_all()


async def test_non_claude_command_gets_no_arguments(store: Store, tmp_path: Path) -> None:
    project = store.add_project(
        "p", str(tmp_path), command="sh -c 'echo args:$#; echo ready; read x'"
    )
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await _start_and_wait(sessions, project.id, sink)
    assert "args:0" in sink.text
    assert store.get_project(project.id).claude_session_id is None
    await sessions.stop_all()


async def test_refused_conversation_starts_fresh_and_tells_user(
    fake_claude: FakeClaude, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = store.add_project("p", str(tmp_path))
    old = str(uuid.uuid4())
    store.set_claude_session_id(project.id, old)
    monkeypatch.setenv("FAKE_CLAUDE_REFUSE", old)
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await sessions.start(project.id, sink, 24, 80)
    await wait_until(lambda: "ready" in sink.text, message="restarted claude")
    new = store.get_project(project.id).claude_session_id
    assert new not in (None, old)
    assert [s["argv"] for s in fake_claude.starts()] == [
        ["--session-id", old],
        ["--session-id", new],
    ]
    assert sink.notices and old in sink.notices[0] and new in sink.notices[0]
    assert sink.exits == []
    await sessions.stop_all()


@pytest.mark.parametrize(
    ("words", "refused"),
    [
        ("Error: Session ID {id} is already in use.", True),
        ("Error: listen EADDRINUSE: address already in use 127.0.0.1:8080", False),
        ("Error: Session ID 0b5c2d55-0000-4000-8000-000000000000 is already in use.", False),
        ("No conversation found to continue", False),
    ],
)
async def test_only_claudes_refusal_of_that_id_swaps_the_conversation(
    fake_claude: FakeClaude,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    words: str,
    refused: bool,
) -> None:
    project = store.add_project("p", str(tmp_path))
    old = str(uuid.uuid4())
    store.set_claude_session_id(project.id, old)
    monkeypatch.setenv("FAKE_CLAUDE_EXIT_SAYING", words)
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await sessions.start(project.id, sink, 24, 80)
    await wait_until(lambda: bool(sink.exits), message="the agent ended")
    if refused:
        # The new id is refused too (this fake refuses every id): tried once more only.
        assert len(fake_claude.starts()) == 2
        assert store.get_project(project.id).claude_session_id != old
    else:
        assert len(fake_claude.starts()) == 1
        assert store.get_project(project.id).claude_session_id == old
    await sessions.stop_all()


async def test_second_wxtui_never_starts_a_second_agent(
    fake_claude: FakeClaude, tmp_path: Path
) -> None:
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store_a, Store.open(db) as store_b:
        project = store_a.add_project("p", str(tmp_path))
        first = ProjectSessions(store_a)
        second = ProjectSessions(store_b)
        sink = RecordingSink()
        await _start_and_wait(first, project.id, sink)
        with pytest.raises(LockHeld, match=rf"another wxtui \(pid {os.getpid()}\)"):
            await second.start(project.id, RecordingSink(), 24, 80)
        assert len(fake_claude.starts()) == 1
        await first.stop(project.id)
        assert sink.exits, "a stopped session still reports its exit"
        sink_b = RecordingSink()
        await _start_and_wait(second, project.id, sink_b)
        await second.stop_all()


async def test_missing_workspace_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    workspace = tmp_path / "gone"
    workspace.mkdir()
    project = store.add_project("p", str(workspace), command="sh")
    workspace.rmdir()
    sessions = ProjectSessions(store)
    with pytest.raises(Exception, match="working directory does not exist"):
        await sessions.start(project.id, RecordingSink(), 24, 80)
    # The lock was released: a later start (after the directory is back) works.
    workspace.mkdir()
    session, created = await sessions.start(project.id, RecordingSink(), 24, 80)
    assert created and sessions.is_alive(project.id)
    await sessions.stop_all()
    assert not session.alive


async def test_a_new_conversation_id_is_stored_before_claude_starts(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a launch that fails at once leaves the id stored: a crash right after
    starting Claude must still find the conversation (SPEC)."""
    workspace = tmp_path / "w"
    workspace.mkdir()
    project = store.add_project("p", str(workspace))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    sessions = ProjectSessions(store)
    with pytest.raises(SpawnError):
        await sessions.start(project.id, RecordingSink(), 24, 80)
    stored = store.get_project(project.id).claude_session_id
    assert stored is not None and uuid.UUID(stored).version == 4
    await sessions.stop_all()


async def test_the_registry_of_running_sessions_is_the_pty_session_manager(
    store: Store, tmp_path: Path
) -> None:
    """Every milestone of a project shares one session: the seed's manager, keyed by
    output_project_id, is what ProjectSessions asks and fills."""
    project = store.add_project("p", str(tmp_path), command="sh -c 'echo ready; exec cat'")
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    session, created = await sessions.start(project.id, sink, 24, 80)
    again, created_again = await sessions.start(project.id, RecordingSink(), 24, 80)
    assert created and not created_again and again is session
    manager = sessions.manager
    assert manager.get_session_by_output_project(project.id) is session
    (listed,) = manager.list_sessions()
    assert listed["output_project_id"] == project.id and listed["pid"] == session.pid
    assert listed["alive"] is True
    await sessions.stop(project.id)
    assert manager.list_sessions()[0]["alive"] is False
    replaced, created = await sessions.start(project.id, RecordingSink(), 24, 80)
    assert created and manager.get_session_by_output_project(project.id) is replaced
    assert len(manager) == 1, "an ended session is replaced, not kept beside the new one"
    await sessions.stop_all()
