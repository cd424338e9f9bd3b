"""ssh's own questions reach the user in the UI: the remote's command asks through
SSH_ASKPASS (as ssh does when it has no terminal), the app shows the question, and the
answer typed there goes back; a cancelled question fails the link with ssh's words."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support import wait_until
from tests.support.apps import make_app
from tests.support.machines import fake_machine
from wxtui.app.dialogs import FormDialog
from wxtui.app.sidebar import NodeRef
from wxtui.config import Config
from wxtui.store import Store

FAKE_SSH = """#!/bin/sh
# As ssh does without a terminal: the password is asked of $SSH_ASKPASS.
answer=$("$SSH_ASKPASS" "buildbox's password: ") || {
    echo "Permission denied (the question was cancelled)" >&2; exit 255; }
[ "$answer" = sesame ] || { echo "Permission denied, please try again." >&2; exit 255; }
exec "$@"
"""


def _fake_ssh(tmp_path: Path) -> Path:
    script = tmp_path / "fake-ssh"
    script.write_text(FAKE_SSH)
    script.chmod(0o755)
    return script


def _rows(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(app.project_tree.row_text(ref) for ref in app.project_tree.rows)


async def test_a_password_ssh_asks_for_is_asked_in_the_ui(store: Store, tmp_path: Path) -> None:
    machine = fake_machine(tmp_path, "buildbox")
    with machine.store() as remote:
        remote.add_project("api", str(machine.workspace), command="cat")
    command = f"{_fake_ssh(tmp_path)} {machine.command}"
    app = make_app(store, config=Config(remotes={"buildbox": command}))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: isinstance(app.screen, FormDialog), message="the question")
        assert "buildbox's password:" in str(app.screen.query_one(".dialog-title").render())
        field = app.screen.query_one(Input)
        assert field.password, "a password is not shown as it is typed"
        await pilot.press(*"sesame", "enter")
        await wait_until(lambda: "api" in _rows(app), message="linked")


async def test_a_cancelled_question_says_why_the_remote_is_unreachable(
    store: Store, tmp_path: Path
) -> None:
    machine = fake_machine(tmp_path, "buildbox")
    command = f"{_fake_ssh(tmp_path)} {machine.command}"
    app = make_app(store, config=Config(remotes={"buildbox": command}))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: isinstance(app.screen, FormDialog), message="the question")
        await pilot.press("escape")
        heading = NodeRef("machine", "buildbox", "")
        await wait_until(lambda: "unreachable" in app.project_tree.row_text(heading))
        assert "the question was cancelled" in app.project_tree.row_text(heading)
