"""Claude Code's hooks, relayed to wxtui: state, conversation ids that follow /clear, and
bad input. The fake claude runs the hook commands as Claude does; the real Claude Code
is in tests/e2e/test_real_claude.py."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import FakeClaude, RecordingSink, wait_until
from wxtui.sessions.agent_state import AgentState, AgentTracker, tool_summary
from wxtui.sessions.claude_hooks import HOOK_EVENTS, RELAY_SCRIPT, merge, plan_settings
from wxtui.sessions.hook_server import parse_message
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.store import Store


def _state(sink: RecordingSink) -> tuple[str, str]:
    status = sink.statuses[-1]
    return status.state.value, status.reason


async def _started(sessions: ProjectSessions, project_id: str, sink: RecordingSink) -> int:
    session, _ = await sessions.start(project_id, sink, 24, 80)
    await wait_until(lambda: "ready" in sink.text, message="fake claude ready")
    await wait_until(lambda: _state(sink)[0] == "done", message="SessionStart")
    return session.pty.pid


async def _running_claude(store: Store, tmp_path: Path):
    """A project whose fake claude is started and has reported its SessionStart."""
    project = store.add_project("p", str(tmp_path))
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await _started(sessions, project.id, sink)
    return project, sessions, sink


async def test_claude_gets_per_launch_settings_removed_at_exit(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project, sessions, sink = await _running_claude(store, tmp_path)
    start = fake_claude.starts()[-1]
    settings = Path(start["settings"])
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.parent.stat().st_mode) == 0o700
    content = json.loads(settings.read_text())
    assert content["disableAgentView"] is True
    assert set(content["hooks"]) == set(HOOK_EVENTS)
    assert start["agent_view_off"] == "1"
    assert start["argv"][0] == "--session-id", "the conversation rules still apply"
    sessions.write(project.id, b"quit\r")
    await wait_until(lambda: bool(sink.exits))
    assert not settings.exists()
    await sessions.stop_all()


async def test_states_follow_the_hooks(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project, sessions, sink = await _running_claude(store, tmp_path)
    assert sink.statuses[0].state is AgentState.STARTING
    assert not sink.statuses[-1].attention, "ready for a prompt is no news"

    sessions.write(project.id, b"prompt build the thing\r")
    await wait_until(lambda: _state(sink) == ("done", "Answer to build the thing"))
    assert any(s.state is AgentState.WORKING for s in sink.statuses)
    assert sink.statuses[-1].attention
    await sessions.writes.flush()
    assert store.agent_states()[project.id] == ("done", "Answer to build the thing")

    sessions.write(project.id, b"permission\r")
    await wait_until(lambda: _state(sink) == ("needs-permission", "Bash: rm -rf build"))
    sessions.write(project.id, b"\r")  # The user answers in the pane.
    await wait_until(lambda: _state(sink)[0] == "working")
    sessions.write(project.id, b"tool-done\r")
    await wait_until(lambda: _state(sink) == ("working", "thinking"))

    sessions.write(project.id, b"fail\r")
    await wait_until(lambda: _state(sink) == ("error", "rate_limit: API Error: 429"))
    await sessions.stop(project.id)
    await wait_until(lambda: _state(sink) == ("exited", "stopped"))
    await sessions.writes.flush()
    assert store.agent_states()[project.id] == ("exited", "stopped")
    await sessions.stop_all()


async def test_clear_stores_the_new_conversation_and_a_restart_resumes_it(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project, sessions, sink = await _running_claude(store, tmp_path)
    first = store.get_project(project.id).claude_session_id
    sessions.write(project.id, b"clear\r")
    await wait_until(lambda: "cleared to" in sink.text)
    new = sink.text.split("cleared to ")[1].split()[0]
    await wait_until(lambda: store.get_project(project.id).claude_session_id == new, timeout=2)
    history = [(c.claude_session_id, c.source) for c in store.conversation_history(project.id)]
    assert history == [(first, "wxtui"), (new, "clear")]
    # The cleared conversation's transcript exists (Claude writes it); restart resumes it.
    transcript = fake_claude.config / "projects" / "x" / f"{new}.jsonl"
    transcript.parent.mkdir(parents=True, exist_ok=True)
    transcript.write_text('{"type": "start"}\n')
    await sessions.stop(project.id)
    sink2 = RecordingSink()
    await _started(sessions, project.id, sink2)
    assert fake_claude.starts()[-1]["argv"] == ["--resume", new]
    await sessions.stop_all()


async def test_a_nested_claude_run_by_a_tool_leaves_the_project_id_alone(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project, sessions, sink = await _running_claude(store, tmp_path)
    own = store.get_project(project.id).claude_session_id
    sessions.write(project.id, b"nested\r")
    await wait_until(lambda: "nested done" in sink.text)
    sessions.write(project.id, b"prompt after\r")  # Hooks are relayed in order per process.
    await wait_until(lambda: _state(sink) == ("done", "Answer to after"))
    await sessions.writes.flush()
    assert store.get_project(project.id).claude_session_id == own
    assert len(store.conversation_history(project.id)) == 1
    await sessions.stop_all()


async def test_a_milestone_prompt_ties_the_turn_and_ends_ready_for_review(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project = store.add_project("p", str(tmp_path))
    milestone = store.add_milestone(project.id, "m", "port the models")
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await _started(sessions, project.id, sink)
    assert sessions.tracks_prompts(project.id)
    sessions.expect_prompt(project.id, milestone.id, "port the models")
    assert store.get_milestone(milestone.id).status == "pending"
    sessions.write(project.id, b"prompt port the models\r")
    await wait_until(lambda: store.milestones_ready_for_review() == {milestone.id})
    assert store.get_milestone(milestone.id).status == "in_progress"
    assert sink.milestone_changes >= 2
    await sessions.stop_all()


async def test_users_own_settings_are_merged_and_unreadable_ones_turn_tracking_off(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    own = tmp_path / "own.json"
    own.write_text(json.dumps({"env": {"MINE": "1"}, "hooks": {"Stop": [{"hooks": []}]}}))
    merged = store.add_project("merged", str(tmp_path), command=f"claude --settings {own}")
    broken = store.add_project("broken", str(tmp_path), command="claude --settings /no/such.json")
    sessions = ProjectSessions(store)
    sink = RecordingSink()
    await _started(sessions, merged.id, sink)
    content = json.loads(Path(fake_claude.starts()[-1]["settings"]).read_text())
    assert content["env"] == {"MINE": "1"}
    assert len(content["hooks"]["Stop"]) == 2, "theirs, then ours"
    assert json.loads(own.read_text())["hooks"] == {"Stop": [{"hooks": []}]}, "never rewritten"
    sink2 = RecordingSink()
    await sessions.start(broken.id, sink2, 24, 80)
    await wait_until(lambda: "ready" in sink2.text)
    assert any("state tracking is off" in notice for notice in sink2.notices)
    assert fake_claude.starts()[-1]["settings"] == "/no/such.json"
    await sessions.stop_all()


def test_settings_plans() -> None:
    path = Path("/run/x.json")
    plan = plan_settings(["claude", "--model", "m"], path, "relay")
    assert plan.argv == ["claude", "--model", "m", "--settings", "/run/x.json"]
    plan = plan_settings(["claude", '--settings={"model": "x"}'], path, "relay")
    assert plan.argv == ["claude", "--settings", "/run/x.json"]
    assert plan.settings is not None and plan.settings["model"] == "x"
    assert plan_settings(["claude", "--settings"], path, "relay").settings is None
    assert merge({"hooks": "junk"}, {"hooks": {"Stop": [1]}})["hooks"] == {"Stop": [1]}


# -- the relay -----------------------------------------------------------------------------


def _relay(env: dict[str, str], payload: bytes = b'{"hook_event_name": "Stop"}'):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(RELAY_SCRIPT)],
        input=payload,
        capture_output=True,
        env=env,
        timeout=10,
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("situation", ["no socket file", "stale socket file", "no variable"])
def test_a_hook_fired_when_wxtui_is_gone_returns_at_once(tmp_path: Path, situation: str) -> None:
    path = tmp_path / "hooks.sock"
    if situation == "stale socket file":
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(str(path))
        stale.close()  # The file stays; nobody listens.
    env = {"WXTUI_PROJECT_ID": "p1"}
    if situation != "no variable":
        env["WXTUI_HOOK_SOCKET"] = str(path)
    result, elapsed = _relay(env)
    assert result.returncode == 0
    assert result.stdout == b"" and result.stderr == b""
    assert elapsed < 2.0


def test_the_relay_sends_the_event_with_its_ancestry(tmp_path: Path) -> None:
    path = tmp_path / "hooks.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    server.settimeout(10)
    result, _ = _relay({"WXTUI_HOOK_SOCKET": str(path), "WXTUI_PROJECT_ID": "p1"})
    assert result.returncode == 0
    connection, _ = server.accept()
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    connection.close()
    server.close()
    message = parse_message(data)
    assert message is not None
    assert message.project_id == "p1" and message.name == "Stop"
    assert message.ancestors[0] == os.getpid(), "the relay's parent comes first"


# -- bad input -------------------------------------------------------------------------------


def _send(path: str, data: bytes) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        connection.sendall(data)


async def test_bad_input_on_the_socket_is_dropped_and_harms_no_project(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    one = store.add_project("one", str(tmp_path))
    two = store.add_project("two", str(tmp_path))
    sessions = ProjectSessions(store)
    sink_one, sink_two = RecordingSink(), RecordingSink()
    pid_one = await _started(sessions, one.id, sink_one)
    await _started(sessions, two.id, sink_two)
    socket_path = next(
        line.split("=", 1)[1]
        for line in Path(f"/proc/{pid_one}/environ").read_bytes().decode().split("\0")
        if line.startswith("WXTUI_HOOK_SOCKET=")
    )
    header = f"wxtui-hook 1 {one.id} {pid_one}\n".encode()
    huge = json.dumps({"hook_event_name": "Stop", "last_assistant_message": "big " * 250_000})
    for junk in [
        b"",
        b"GET / HTTP/1.1\r\n\r\n",
        b"\xff\xfe\x00junk" * 1000,
        header + b"{not json",
        header + b"[1, 2, 3]",
        header + b'{"hook_event_name": "NoSuchEvent"}',
        header + b'{"no_event_name": true}',
        f"wxtui-hook 1 nosuchproject {pid_one}\n".encode() + b'{"hook_event_name": "Stop"}',
        f"wxtui-hook 1 {one.id} 1,2\n".encode() + b'{"hook_event_name": "StopFailure"}',  # stale
        f"wxtui-hook 1 {one.id} x,y\n".encode() + b"{}",
        f"wxtui-hook 1 {two.id} {pid_one}\n".encode() + b'{"hook_event_name": "StopFailure"}',
    ]:
        await asyncio.to_thread(_send, socket_path, junk)
    await asyncio.to_thread(_send, socket_path, header + huge.encode())
    await wait_until(lambda: _state(sink_one)[1].startswith("big big"), message="the huge event")
    assert len(_state(sink_one)[1]) <= 200
    assert _state(sink_one)[0] == "done"
    assert _state(sink_two) == ("done", "ready for a prompt")
    sessions.write(two.id, b"prompt still fine\r")
    await wait_until(lambda: _state(sink_two) == ("done", "Answer to still fine"))
    await sessions.stop_all()


def test_the_tracker_without_hooks_guesses_from_the_title() -> None:
    tracker = AgentTracker()
    status = tracker.title("✶ Compiling the parser")
    assert status is not None and status.state is AgentState.WORKING and status.guessed
    status = tracker.title("✳ Claude Code")
    assert status is not None and status.state is AgentState.DONE and status.guessed
    assert "guessed" in status.summary
    assert tracker.title("plain title") is None
    tracker.hook({"hook_event_name": "SessionStart"})
    assert tracker.title("✶ busy") is None, "hooks, once seen, are the truth"


def test_tool_summaries_are_one_line() -> None:
    assert tool_summary("Bash", {"command": "make\nmake install"}) == "Bash: make"
    assert tool_summary("Edit", {"file_path": "/a/b.py", "old_string": "x"}) == "Edit: /a/b.py"
    assert tool_summary("Odd", "not a dict") == "Odd"
    assert len(tool_summary("Bash", {"command": "x" * 1000})) < 220
