"""Answering what an agent waits for without its pane: permission requests and
questions, through the PermissionRequest hook (the fake claude shows its dialog and
runs the hook at once, as Claude does; the real Claude Code is in
tests/e2e/test_real_claude.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import FakeClaude, RecordingSink, wait_until
from wxtui.errors import InvalidInput
from wxtui.sessions.agent_state import AgentState
from wxtui.sessions.permission_requests import Decision, PendingRequest
from wxtui.sessions.project_sessions import ProjectSessions
from wxtui.store import Store


async def _waiting(
    sessions: ProjectSessions, project_id: str, sink: RecordingSink, line: bytes
) -> PendingRequest:
    """Type ``line`` into the fake claude; the request it then waits on."""
    sessions.write(project_id, line + b"\r")
    await wait_until(
        lambda: bool(sink.statuses) and sink.statuses[-1].request is not None,
        message=f"a waiting request; pane: {sink.text[-300:]}",
    )
    request = sink.statuses[-1].request
    assert request is not None
    return request


async def _started(sessions: ProjectSessions, project_id: str) -> RecordingSink:
    sink = RecordingSink()
    await sessions.start(project_id, sink, 24, 80)
    await wait_until(lambda: bool(sink.statuses) and sink.statuses[-1].state is AgentState.DONE)
    return sink


@pytest.fixture
async def claude(fake_claude: FakeClaude, store: Store, tmp_path: Path):
    """A project whose fake claude is ready for a prompt; every session ends after."""
    project = store.add_project("p", str(tmp_path))
    sessions = ProjectSessions(store)
    try:
        yield project, sessions, await _started(sessions, project.id)
    finally:
        await sessions.stop_all()


async def test_allow_from_outside_the_pane_runs_the_tool(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    status = sink.statuses[-1]
    assert (status.state, status.reason) == (AgentState.NEEDS_PERMISSION, "Bash: rm -rf build")
    assert request.tool == "Bash" and request.tool_input["command"] == "rm -rf build"
    assert await sessions.answer(project.id, request.id, Decision.ALLOW) == ""
    await wait_until(lambda: "tool ran: Bash" in sink.text, message=sink.text[-300:])
    assert "hook: allow\r\n" in sink.text, "allowed once: no rules added"
    await wait_until(lambda: sink.statuses[-1].reason == "Tool finished.")
    # The same request again: nothing is sent.
    late = await sessions.answer(project.id, request.id, Decision.ALLOW)
    assert "already answered" in late
    assert sink.text.count("tool ran:") == 1


async def test_always_adds_what_the_dialog_offers_and_deny_carries_the_message(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    assert await sessions.answer(project.id, request.id, Decision.ALWAYS) == ""
    await wait_until(lambda: "hook: allow rules=1" in sink.text, message=sink.text[-300:])

    request = await _waiting(sessions, project.id, sink, b"permission-edit")
    assert request.tool == "Edit"
    answer = await sessions.answer(project.id, request.id, Decision.DENY, "keep the old signature")
    assert answer == ""
    await wait_until(lambda: "hook: deny: keep the old signature" in sink.text)
    await wait_until(lambda: sink.statuses[-1].reason == "Denied: keep the old signature")
    assert sink.text.count("tool ran:") == 1


async def test_a_question_is_answered_with_an_option_or_words(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"ask")
    status = sink.statuses[-1]
    assert status.state is AgentState.NEEDS_INPUT
    assert status.reason == "Which colour should the button be?"
    with pytest.raises(InvalidInput):  # A question is not allowed or denied.
        await sessions.answer(project.id, request.id, Decision.ALLOW)
    assert await sessions.answer(project.id, request.id, Decision.REPLY, "2") == ""
    await wait_until(lambda: "answers=" in sink.text, message=sink.text[-300:])
    assert '{"Which colour should the button be?": "Blue"}' in sink.text

    request = await _waiting(sessions, project.id, sink, b"ask")
    await sessions.answer(project.id, request.id, Decision.REPLY, "green, with a border")
    await wait_until(lambda: "green, with a border" in sink.text, message=sink.text[-300:])


async def test_answered_in_the_pane_first_then_a_late_answer_sends_nothing(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    sessions.write(project.id, b"3")  # The user says no in the dialog...
    sessions.write(project.id, b"\r")
    await wait_until(lambda: "dialog: denied" in sink.text)
    assert sink.statuses[-1].state is AgentState.WORKING
    assert sink.statuses[-1].request is None
    late = await sessions.answer(project.id, request.id, Decision.ALLOW)
    assert "already answered" in late
    sessions.write(project.id, b"prompt next\r")  # Whatever followed has been printed.
    await wait_until(lambda: sink.statuses[-1].reason == "Answer to next")
    assert "tool ran:" not in sink.text and "hook" not in sink.text


async def test_claude_going_on_or_ending_leaves_nothing_to_answer(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    sessions.write(project.id, b"tool-done\r")  # Claude reports the tool ran.
    await wait_until(lambda: sink.statuses[-1].reason == "thinking")
    assert "already answered" in await sessions.answer(project.id, request.id, Decision.DENY)

    request = await _waiting(sessions, project.id, sink, b"permission")
    await sessions.stop(project.id)
    await wait_until(lambda: bool(sink.exits))
    assert "not running" in await sessions.answer(project.id, request.id, Decision.ALLOW)


async def test_two_sessions_waiting_are_answered_each_its_own(claude, store: Store) -> None:
    first, sessions, sink_a = claude
    second = store.add_project("b", first.workspace_path)
    sink_b = await _started(sessions, second.id)
    request_a = await _waiting(sessions, first.id, sink_a, b"permission")
    request_b = await _waiting(sessions, second.id, sink_b, b"permission")
    # An id of one session does not answer another's request.
    assert "already answered" in await sessions.answer(second.id, request_a.id, Decision.ALLOW)
    assert await sessions.answer(second.id, request_b.id, Decision.DENY, "not b") == ""
    assert await sessions.answer(first.id, request_a.id, Decision.ALLOW) == ""
    await wait_until(lambda: "tool ran: Bash" in sink_a.text)
    await wait_until(lambda: "hook: deny: not b" in sink_b.text)
    assert "tool ran" not in sink_b.text


async def test_answer_and_enter_typed_at_once_in_the_pane_count_as_its_answer(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    sessions.write(project.id, b"1\r")  # From wxtui attach, say: one chunk.
    await wait_until(lambda: "dialog: allowed" in sink.text)
    assert "already answered" in await sessions.answer(project.id, request.id, Decision.DENY)


async def test_another_agent_s_tool_leaves_the_request_waiting(claude) -> None:
    project, sessions, sink = claude
    request = await _waiting(sessions, project.id, sink, b"permission")
    sessions.write(project.id, b"other-tool-done\r")  # A subagent's Read finished.
    await wait_until(lambda: "echo: other-tool-done" in sink.text)
    assert await sessions.answer(project.id, request.id, Decision.ALLOW) == ""
    await wait_until(lambda: "tool ran: Bash" in sink.text)
