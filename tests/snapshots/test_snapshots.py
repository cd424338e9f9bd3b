"""Pictures of the main states, compared with stored SVG snapshots (pytest-textual-snapshot).

Deterministic by construction: fixed size, fixed program output, no clock, pid or path.
Update them with ``pytest tests/snapshots --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import make_app, pane_text, wait_until, workspace
from wxtui.app.session_pane import SessionState
from wxtui.demo import populate_showcase
from wxtui.store import Store

SIZE = (120, 34)
SMALL = (80, 24)


@pytest.fixture
def seeded_app(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir("/")
    ids = populate_showcase(store, tmp_path)
    return make_app(store, poll_interval=60), ids


def test_main_screen_with_live_session(snap_compare, seeded_app) -> None:
    app, ids = seeded_app

    async def run_before(pilot) -> None:
        await app.show_project(ids["billing-service"])
        await wait_until(lambda: "> " in pane_text(app, ids["billing-service"]), message="output")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_exited_session(snap_compare, store: Store, tmp_path: Path) -> None:
    project = store.add_project(
        "short-lived", workspace(tmp_path, "s"), command="sh -c 'echo finished the work; exit 3'"
    )
    app = make_app(store, poll_interval=60)

    async def run_before(pilot) -> None:
        await app.show_project(project.id)
        await wait_until(
            lambda: app.pane_for(project.id).state is SessionState.EXITED, message="exit"
        )
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_empty_state(snap_compare, store: Store) -> None:
    assert snap_compare(make_app(store, poll_interval=60), terminal_size=SIZE)


@pytest.mark.parametrize(
    ("name", "keys", "cursor_line"),
    [
        ("add_project", ["a"], 0),
        ("add_milestone", ["m"], 0),
        ("confirm_delete", ["d"], 0),
        ("milestone_status", ["t"], 2),
        ("help", ["f1"], 0),
        ("inbox", ["f2"], 0),
    ],
)
@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x34", "80x24"])
def test_dialogs(
    snap_compare, seeded_app, name: str, keys: list[str], cursor_line: int, size: tuple[int, int]
) -> None:
    """Every dialog fits (or scrolls) with its buttons and close keys, down to 80x24."""
    app, _ids = seeded_app

    async def run_before(pilot) -> None:
        app.project_tree.cursor_line = cursor_line
        await pilot.press(*keys)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, (160, 45)], ids=["80x24", "160x45"])
def test_inbox_with_a_long_command_and_an_edit(
    snap_compare, fake_claude, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    """What an agent asks, in full: a Bash command that wraps, an Edit as a diff."""
    billing = store.add_project("billing", workspace(tmp_path, "billing"))
    frontend = store.add_project("frontend", workspace(tmp_path, "frontend"))
    app = make_app(store, poll_interval=60)

    async def run_before(pilot) -> None:
        await pilot.press("f2")  # Open first: rows arrive live, no toasts.
        assert await app.sessions.prompt(billing.id, "permission-long")
        await wait_until(lambda: len(app.screen.entries) == 1, message="billing's request")
        assert await app.sessions.prompt(frontend.id, "permission-edit")
        await wait_until(lambda: len(app.screen.entries) == 2, message="frontend's request")
        app.clear_notifications()  # "Sent to ..." lasts two seconds: not in the picture.
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, (160, 45)], ids=["80x24", "160x45"])
def test_review_of_a_milestone(snap_compare, store: Store, tmp_path: Path, size) -> None:
    """The files a milestone changed and the first one's diff, highlighted."""
    from tests.support.git_repo import repository
    from wxtui.milestone_changes import snapshot

    workspace = repository(
        tmp_path / "repo",
        {
            "billing.py": "def total(invoice):\n"
            "    return sum(line.amount for line in invoice.lines)\n",
            "notes.md": "# Notes\n",
        },
    )
    project = store.add_project("billing", str(workspace), command="sh -c 'exec cat'")
    milestone = store.add_milestone(project.id, "Round totals")
    snapshot(workspace, milestone.id, "base")
    (workspace / "billing.py").write_text(
        "from decimal import Decimal\n\n\ndef total(invoice) -> Decimal:\n"
        "    amount = sum(line.amount for line in invoice.lines)\n"
        "    return amount.quantize(Decimal('0.01'))\n"
    )
    (workspace / "notes.md").unlink()
    (workspace / "rules.py").write_text("RATE = 0.2\n")
    app = make_app(store, poll_interval=60)

    async def run_before(pilot) -> None:
        await app.open_review(project.id, milestone.id)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
