"""A milestone's review from the command line: a git workspace, an agent that edits, adds
and deletes files once a milestone's prompt went in, and the installed ``wxtui`` with its
session host. The user's git state (status, index, stash, branch) is never touched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_session_commands import _attach
from tests.support import fails, ok, run, stop_host, wait_until_sync
from tests.support.git_repo import editing_agent, git, repository
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store


def _user_state(workspace: Path) -> tuple[str, str, str, str]:
    """What the user sees of their repository."""
    return (
        git(workspace, "status", "--porcelain=v1", "-uall"),
        git(workspace, "stash", "list"),
        git(workspace, "branch", "--show-current"),
        git(workspace, "diff", "--cached", "--stat"),
    )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    workspace = repository(
        tmp_path / "ws", {"a.txt": "one\ntwo\nthree\n", "old.txt": "old\n", "b.txt": "keep\n"}
    )
    (workspace / "b.txt").write_text("keep\nmine, not the agent's\n")  # The user's own edit.
    git(workspace, "add", "b.txt")  # ...staged: the index must stay as it is.
    agent = editing_agent(tmp_path)
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        project = store.add_project("rv", str(workspace), command=str(agent))
        store.add_milestone(project.id, "m1", prompt="the first")
        store.add_milestone(project.id, "m2", prompt="the second")
    yield db, workspace
    stop_host(host_socket_path(db))


def _screen(db: Path) -> str:
    import asyncio

    async def read() -> str:
        client, watcher = await _attach(db, "rv")
        try:
            return watcher.text()
        finally:
            await client.close()

    return asyncio.run(read())


def _review(db: Path, milestone: str) -> dict:
    return json.loads(ok(run("milestone", "review", milestone, "--json", db=db)))


def test_each_milestone_reviews_exactly_its_own_changes(world: tuple[Path, Path]) -> None:
    db, workspace = world
    before = _user_state(workspace)
    ok(run("milestone", "status", "m1", "in_progress", db=db))
    ok(run("session", "send", "rv", "the first", db=db))
    wait_until_sync(lambda: "did the first" in _screen(db))
    first = _review(db, "m1")
    assert first["end"] is None, "the turn runs: against the workspace now"
    assert first["files"] == [
        {"path": "a.txt", "status": "modified", "added": 2, "deleted": 1},
        {"path": "new.txt", "status": "added", "added": 1, "deleted": 0},
        {"path": "old.txt", "status": "deleted", "added": 0, "deleted": 1},
    ]
    diff = ok(run("milestone", "review", "m1", db=db))
    assert "-two\n+TWO\n three\n+four\n" in diff and "+new\n" in diff
    assert "mine, not the agent's" not in diff, "the user's own edit is not the agent's"

    # The next one, in a row, sent as p sends it: its prompt, in progress from here.
    ok(run("session", "send", "rv", "--milestone", "m2", db=db))
    assert "in_progress  m2" in ok(run("milestone", "list", "rv", db=db))
    wait_until_sync(lambda: "did the second" in _screen(db))
    assert _review(db, "m1")["files"] == first["files"], "m1's range ended where m2's began"
    second = _review(db, "m2")["files"]
    assert {f["path"]: f["status"] for f in second} == {"new.txt": "modified", "c.txt": "renamed"}

    # The user's repository: untouched by snapshots and reviews (the agent's own edits
    # show as the agent left them).
    _status, stash, branch, staged = _user_state(workspace)
    assert (stash, branch) == (before[1], before[2]) == ("", "main\n")
    assert staged == before[3], "the index is the user's"
    assert (
        git(workspace, "for-each-ref", "--format=%(refname)", "refs/heads") == "refs/heads/main\n"
    )


def test_reject_sends_the_comment_to_the_agent_and_approve_completes(
    world: tuple[Path, Path],
) -> None:
    db, workspace = world
    ok(run("milestone", "status", "m1", "in_progress", db=db))
    ok(run("session", "send", "rv", "the first", db=db))
    wait_until_sync(lambda: "did the first" in _screen(db))
    fails(run("milestone", "reject", "m1", "-m", " ", db=db), "--comment")
    assert "in_progress" in ok(run("milestone", "list", "rv", db=db)), "nothing changed"
    rejected = ok(run("milestone", "reject", "m1", "-m", "a.txt line 2: keep it lowercase", db=db))
    assert rejected.startswith("rejected m1: failed")
    wait_until_sync(
        lambda: (
            "got: Review of milestone 'm1': not accepted. a.txt line 2: keep it lowercase"
            in _screen(db)
        )
    )
    assert "failed" in ok(run("milestone", "list", "rv", db=db))
    assert ok(run("milestone", "approve", "m1", db=db)) == "approved m1: completed\n"
    assert "completed" in ok(run("milestone", "list", "rv", db=db))
    assert _review(db, "m1")["files"], "an approved milestone keeps its range"

    ok(run("milestone", "remove", "m1", db=db))  # Its refs go with it.
    assert "refs/wxtui" not in git(workspace, "for-each-ref")


def test_review_needs_git_and_a_start(tmp_path: Path, world: tuple[Path, Path]) -> None:
    db, _workspace = world
    fails(run("milestone", "review", "m1", db=db), "no base snapshot")
    fails(run("session", "send", "rv", db=db), "nothing to send")
    plain = tmp_path / "plain"
    plain.mkdir()
    with Store.open(db) as store:
        project = store.add_project("plain", str(plain))
        store.add_milestone(project.id, "p1")
    ok(run("milestone", "status", "p1", "in_progress", db=db))
    fails(run("milestone", "review", "p1", "--json", db=db), "review needs git")


@pytest.mark.parametrize(("size", "side_by_side"), [((120, 36), False), ((200, 40), True)])
async def test_the_review_screen_lists_the_files_and_sends_line_comments(
    world: tuple[Path, Path], size: tuple[int, int], side_by_side: bool
) -> None:
    from textual.widgets import OptionList

    from tests.support import make_app, pane_text, wait_until
    from wxtui.app.diff_view import DiffView
    from wxtui.app.review_screen import ReviewScreen

    db, workspace = world
    before = _user_state(workspace)
    with Store.open(db) as store:
        app = make_app(store)
        project = store.find_project("rv")
        m1 = store.find_milestone("m1")
        async with app.run_test(size=size) as pilot:
            await app.sessions.send_prompt(_ref(app, m1.id))  # p: its prompt goes in.
            await wait_until(lambda: store.get_milestone(m1.id).status == "in_progress")
            await app.show_project(project.id)
            await wait_until(lambda: "did the first" in pane_text(app, project.id))
            await app.open_review(project.id, m1.id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            files = screen.query_one("#review-files", OptionList)
            assert [o.id for o in files.options] == ["a.txt", "new.txt", "old.txt"]
            diff = screen.query_one("#review-diff", DiffView)
            body = [(line.kind, line.text) for line in diff.lines if line.kind != "meta"]
            assert body == [
                ("hunk", "@@ -1,3 +1,4 @@"),
                ("context", "one"),
                ("deleted", "two"),
                ("added", "TWO"),
                ("context", "three"),
                ("added", "four"),
            ]
            assert diff.side_by_side is side_by_side
            # From "one" to "TWO" (line 2): past "two" (deleted) above it, or beside it.
            await pilot.press(*(["j"] if side_by_side else ["j", "j"]))
            assert diff.current is not None and diff.current.text == "TWO"
            await pilot.press("c")
            await pilot.press(*"lowercase")
            await pilot.press("ctrl+s")
            await pilot.press("m", "j", "j", "c")  # A range: from TWO to "four".
            await pilot.press(*"keep")
            await pilot.press("ctrl+s")
            await pilot.press("s")
            await wait_until(
                lambda: "got: - a.txt:2: lowercase" in pane_text(app, project.id),
                message="the comment reached the agent",
            )
            await wait_until(lambda: "got: - a.txt:2-4: keep" in pane_text(app, project.id))
            await pilot.press("a")  # Approve: completed.
            await wait_until(lambda: store.get_milestone(m1.id).status == "completed")
            assert not isinstance(app.screen, ReviewScreen)
            await app.backend.stop_all()
    assert _user_state(workspace)[1:] == before[1:]


def _ref(app, milestone_id: str):
    from wxtui.app.sidebar import NodeRef

    milestone = app.store.get_milestone(milestone_id)
    return NodeRef("milestone", milestone.id, milestone.output_project_id)


def test_ranges_follow_a_resend_a_review_and_a_subfolder(tmp_path: Path) -> None:
    """The workspace a folder of a bigger repository: only its files, diffs included; a
    reviewed milestone's range ends there; a milestone sent again starts a new one; a
    huge file is named, not printed; the refs go with the project."""
    repo = repository(tmp_path / "repo", {"top.txt": "top\n", "ws/x.txt": "x\n"})
    workspace = repo / "ws"
    db = tmp_path / "wxtui.db"
    with Store.open(db) as store:
        project = store.add_project("sub", str(workspace), command="sh -c 'exec cat'")
        store.add_milestone(project.id, "m1")
        store.add_milestone(project.id, "m2")
    ok(run("milestone", "status", "m1", "in_progress", db=db))
    (workspace / "x.txt").write_text("x\nmore\n")
    (repo / "top.txt").write_text("outside the workspace\n")
    files = _review(db, "m1")["files"]
    assert files == [{"path": "ws/x.txt", "status": "modified", "added": 1, "deleted": 0}]
    assert "+more" in ok(run("milestone", "review", "m1", db=db))

    ok(run("milestone", "approve", "m1", db=db))  # Reviewed: its range ends here.
    ok(run("milestone", "status", "m2", "in_progress", db=db))
    (workspace / "huge.txt").write_text("line\n" * 50_001)
    assert _review(db, "m1")["files"] == files, "later work is not m1's"
    review = ok(run("milestone", "review", "m2", db=db))
    assert "ws/huge.txt: 50001 lines changed, too many to show here" in review
    assert review.count("\n") < 10

    ok(run("milestone", "status", "m1", "in_progress", db=db))  # Sent again: from here.
    assert _review(db, "m1")["files"] == []
    (workspace / "x.txt").write_text("x\n")
    assert _review(db, "m1")["files"][0]["deleted"] == 1

    assert "refs/wxtui" in git(repo, "for-each-ref")
    ok(run("project", "remove", "sub", db=db))
    assert "refs/wxtui" not in git(repo, "for-each-ref")


def test_a_comment_says_which_file_version_its_lines_are_in() -> None:
    from wxtui.app.review_screen import Comment

    assert Comment("a.txt", 2, "why", old=True).prompt_line() == (
        "- a.txt:2 (before the change): why"
    )
    assert Comment("a.txt", 2, "ok", last=4).prompt_line() == "- a.txt:2-4: ok"
    assert Comment(None, None, "all good").prompt_line() == "- overall: all good"
