"""Answering agents from the inbox (F2) and prompting them from the sidebar, without
opening their sessions: the app, its session host and the fake claude, which shows its
dialog and runs the PermissionRequest hook at once, as Claude does."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from tests.support import FakeClaude, make_app, pane, pane_text, wait_until, workspace
from wxtui.app.inbox import InboxScreen
from wxtui.app.session_pane import SessionState
from wxtui.errors import WxtuiError
from wxtui.sessions.permission_requests import Decision
from wxtui.store import Store


def _waiting(app) -> list[str]:
    """Projects whose agent waits on a request, in inbox order."""
    return [n.project_id for n in app.needs() if n.agent is not None and n.agent.request]


def _asking(inbox: InboxScreen) -> list[str]:
    """The inbox rows that wait for an answer."""
    return [e.project_id for e in inbox.entries if e.request is not None]


def _plain(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _result(app) -> str:
    return str(app.screen.query_one("#inbox-result", Static).render())


async def _type(pilot, text: str) -> None:
    await pilot.press(*(c if c != " " else "space" for c in text))


async def _output_of(app, project_id: str, text: str) -> None:
    """Open the session and wait for ``text`` in its pane."""
    await app.show_project(project_id)
    await wait_until(lambda: text in pane_text(app, project_id), message=text)


async def test_three_waiting_sessions_answered_in_a_row_without_opening_them(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    projects = [store.add_project(n, workspace(tmp_path, n)) for n in ("one", "two", "three")]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        for project in projects:  # Prompted from the app, never opened.
            assert await app.sessions.prompt(project.id, "permission")
        await wait_until(lambda: len(_waiting(app)) == 3, message="three requests")
        assert app.current_project_id is None
        await wait_until(lambda: "(3)" in app.title, message="the header counts them")
        count = app.query_one("#waiting-count", Static)
        await wait_until(lambda: str(count.render()) == "F2 ⚠ 3 to answer", message="sidebar")

        await pilot.press("f2")
        assert isinstance(app.screen, InboxScreen)
        inbox = app.screen
        rows = [_plain(o.prompt) for o in inbox.query_one(OptionList).options]
        assert len(rows) == 3 and all("$ rm -rf build" in row for row in rows)
        assert all("needs permission" in row for row in rows)
        first, second, third = (e.project_id for e in inbox.entries)

        await pilot.press("y")  # The first, allowed once; the next row is selected.
        await wait_until(lambda: _asking(inbox) == [second, third])
        assert "allowed" in _result(app)
        assert inbox.selected is not None and inbox.selected.project_id == second

        await pilot.press("n")  # Denied with a message for Claude.
        assert isinstance(app.focused, Input)
        await _type(pilot, "use make clean")
        await pilot.press("enter")
        await wait_until(lambda: _asking(inbox) == [third])
        assert "denied" in _result(app)
        assert inbox.selected is not None and inbox.selected.project_id == third

        await pilot.press("a")  # Allowed, not to be asked again.
        await wait_until(lambda: not _asking(inbox))
        # What is left: three finished turns, news until they are looked at.
        await wait_until(lambda: all(e.agent.state.value == "done" for e in inbox.entries))
        await pilot.press("escape")
        assert not isinstance(app.screen, InboxScreen)

        await _output_of(app, first, "tool ran: Bash")
        await _output_of(app, second, "hook: deny: use make clean")
        await _output_of(app, third, "hook: allow rules=1")
        assert "tool ran" not in pane_text(app, second)


async def test_answered_in_the_pane_leaves_the_inbox_and_a_late_answer_sends_nothing(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project = store.add_project("solo", workspace(tmp_path, "solo"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await app.sessions.prompt(project.id, "permission")
        await wait_until(lambda: _waiting(app) == [project.id])
        await pilot.press("f2")
        inbox = app.screen
        assert isinstance(inbox, InboxScreen) and len(inbox.entries) == 1
        # Meanwhile someone answers in the pane (another UI, or wxtui attach).
        app.backend.write(project.id, b"3")
        app.backend.write(project.id, b"\r")
        await wait_until(lambda: not _asking(inbox), message="the request goes")
        await pilot.press("escape")
        await _output_of(app, project.id, "dialog: denied")

        # An answer that comes after Claude went on (the inbox showed the request a
        # moment before): the host sends nothing and says why.
        assert await app.sessions.prompt(project.id, "permission")
        await wait_until(lambda: _waiting(app) == [project.id])
        stale = app.needs()[0].agent.request
        app.backend.write(project.id, b"tool-done\r")  # Claude reports the tool ran.
        await wait_until(lambda: not _waiting(app))
        with pytest.raises(WxtuiError, match="already answered"):
            await app.backend.answer(project.id, stale.id, Decision.ALLOW)
        app.backend.write(project.id, b"prompt after\r")
        await _output_of(app, project.id, "echo: prompt after")
        assert "hook: allow" not in pane_text(app, project.id)


async def test_a_prompt_never_goes_into_a_waiting_dialog(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    """Enter on Claude's dialog means "Yes": a prompt sent meanwhile (i, p, the inbox's
    reply, wxtui session send) is refused, and the request still waits."""
    project = store.add_project("careful", workspace(tmp_path, "careful"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)):
        assert await app.sessions.prompt(project.id, "permission")
        await wait_until(lambda: _waiting(app) == [project.id])
        assert not await app.sessions.prompt(project.id, "please also add a README")
        await wait_until(
            lambda: any("answer it first" in str(n.message) for n in app._notifications)
        )
        assert _waiting(app) == [project.id]
        await _output_of(app, project.id, "Do you want to proceed?")
        assert "tool ran" not in pane_text(app, project.id)
        assert "README" not in pane_text(app, project.id)


async def test_typing_after_n_on_a_row_is_never_taken_as_keys(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    """n or r opens the message line on any agent's row (a done one: its next prompt),
    so a message's letters (the k and y of "ok, try") never move or allow anything."""
    asking = store.add_project("asking", workspace(tmp_path, "asking"))
    done = store.add_project("done", workspace(tmp_path, "done"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await app.sessions.prompt(asking.id, "permission")
        assert await app.sessions.prompt(done.id, "build it")
        await wait_until(lambda: [n.project_id for n in app.needs()] == [asking.id, done.id])
        await pilot.press("f2")
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        await pilot.press("j", "n")
        assert isinstance(app.focused, Input)
        await _type(pilot, "not ok, try again")
        await pilot.press("enter")
        await wait_until(lambda: "prompt sent" in _result(app))
        assert _asking(inbox) == [asking.id], "the permission still waits"
        await pilot.press("escape")
        await _output_of(app, done.id, "echo: not ok, try again")
        assert "tool ran" not in pane_text(app, asking.id)


async def test_a_question_and_a_finished_turn_are_replied_to_from_the_inbox(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    asker = store.add_project("asker", workspace(tmp_path, "asker"))
    done = store.add_project("done", workspace(tmp_path, "done"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await app.sessions.prompt(asker.id, "ask")
        assert await app.sessions.prompt(done.id, "build it")
        await wait_until(lambda: _waiting(app) == [asker.id])
        await wait_until(lambda: [n.project_id for n in app.needs()] == [asker.id, done.id])
        await pilot.press("f2")
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        row = _plain(inbox.query_one(OptionList).options[0].prompt)
        assert "Which colour should the button be?" in row and "2. Blue" in row
        await pilot.press("y")  # A question is not a permission: nothing is sent.
        assert "no permission request" in _result(app)
        await pilot.press("r", "2", "enter")
        await wait_until(lambda: not _asking(inbox))
        assert inbox.selected is not None and inbox.selected.project_id == done.id
        await pilot.press("r")
        await _type(pilot, "now test it")
        await pilot.press("enter")
        await wait_until(lambda: "sent" in _result(app))
        await pilot.press("escape")
        await _output_of(app, asker.id, '"Which colour should the button be?": "Blue"')
        await _output_of(app, done.id, "echo: now test it")


async def test_a_one_line_prompt_from_the_sidebar_starts_nothing_on_screen(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    project = store.add_project("quiet", workspace(tmp_path, "quiet"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        await _type(pilot, "hello from the sidebar")
        await pilot.press("enter")
        await wait_until(lambda: app.pane_for(project.id) is not None)
        await wait_until(lambda: app.pane_for(project.id).state is SessionState.RUNNING)
        await wait_until(lambda: any(n.project_id == project.id for n in app.needs()))
        assert app.current_project_id is None and app.focused is app.project_tree
        await _output_of(app, project.id, "echo: hello from the sidebar")


async def test_a_desktop_notification_per_request_none_for_the_session_in_view(
    fake_claude: FakeClaude, store: Store, tmp_path: Path
) -> None:
    calls = tmp_path / "notify-send.log"
    notifier = fake_claude.bin / "notify-send"
    notifier.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> {calls}\necho >> {calls}\n')
    notifier.chmod(0o755)
    watched = store.add_project("watched", workspace(tmp_path, "watched"))
    hidden = store.add_project("hidden", workspace(tmp_path, "hidden"))
    app = make_app(store, environ=dict(os.environ))

    def sent() -> list[str]:
        return calls.read_text().splitlines() if calls.exists() else []

    async with app.run_test(size=(120, 40)):
        await app.show_project(watched.id)
        await wait_until(lambda: "ready" in pane_text(app, watched.id))
        assert await app.sessions.prompt(watched.id, "permission")  # In view: no news.
        assert await app.sessions.prompt(hidden.id, "permission")
        await wait_until(lambda: len(_waiting(app)) == 2)
        await wait_until(lambda: len(sent()) == 1, message=f"one notification: {sent()}")
        assert sent()[0].startswith("--app-name=wxtui|--|wxtui: hidden|needs permission: Bash")
        # The next request of the same session is news again.
        hidden_request = next(n.agent.request for n in app.needs() if n.project_id == hidden.id)
        await app.backend.answer(hidden.id, hidden_request.id, Decision.ALLOW)
        await wait_until(lambda: hidden.id not in _waiting(app))
        assert await app.sessions.prompt(hidden.id, "permission")

        def permissions() -> list[str]:
            return [line for line in sent() if "needs permission" in line]

        await wait_until(lambda: len(permissions()) == 2, message="the second request's")
        assert all("wxtui: hidden|" in line for line in sent()), "none for the one in view"
        # A question is news once (Claude reports it twice: asked, then waiting).
        hidden_request = next(n.agent.request for n in app.needs() if n.project_id == hidden.id)
        await app.backend.answer(hidden.id, hidden_request.id, Decision.ALLOW)
        await wait_until(lambda: hidden.id not in _waiting(app))
        assert await app.sessions.prompt(hidden.id, "ask")
        await wait_until(lambda: hidden.id in _waiting(app))
        await wait_until(lambda: any("Which colour" in line for line in sent()))
        question = next(n.agent.request for n in app.needs() if n.project_id == hidden.id)
        await app.backend.answer(hidden.id, question.id, Decision.REPLY, "1")
        await wait_until(lambda: pane(app, hidden.id).agent.reason == "Tool finished.")
        await wait_until(lambda: any("Tool finished" in line for line in sent()))
        assert sum("Which colour" in line for line in sent()) == 1
