"""A remote through a real sshd on localhost (a throwaway key, a free port): the
transport users run. Skipped where sshd is missing (CI installs it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support import WXTUI, ok, run, wait_until
from tests.support.apps import make_app, pane_text, project_label
from tests.support.machines import fake_machine, kill_links
from tests.support.sshd import SSHD, running_sshd
from wxtui.config import Config
from wxtui.store import Store

pytestmark = pytest.mark.skipif(SSHD is None, reason="sshd is not installed")

SHELL = "env PS1='$ ' bash --norc --noprofile"


async def test_a_remote_through_ssh_open_type_drop_the_link_and_reopen(
    store: Store, tmp_path: Path
) -> None:
    machine = fake_machine(tmp_path, "sshbox")
    with machine.store() as remote:
        shell = remote.add_project("shell", str(machine.workspace), command=SHELL).id
    qualified = f"sshbox:{shell}"
    with running_sshd(tmp_path / "sshd") as sshd:
        command = sshd.ssh(machine.command)
        listed = run("session", "list", "--remote", "sshbox", env=_config_file(tmp_path, command))
        assert "shell" in ok(listed)
        config = Config(remotes={"sshbox": command})
        app = make_app(store, config=config)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(lambda: _listed(app, qualified), timeout=20)
            await app.show_project(qualified)
            await wait_until(lambda: "$" in pane_text(app, qualified))
            await pilot.press(*"echo over-$HOME", "enter")
            await wait_until(lambda: f"over-{machine.root / 'home'}" in pane_text(app, qualified))
            await pilot.press(*"for i in $(seq 1 30); do echo n-$i; sleep 0.1; done", "enter")
            await wait_until(lambda: "n-2" in pane_text(app, qualified))
            assert kill_links(machine), "no link through ssh"
            await wait_until(lambda: "went away" in pane_text(app, qualified))
            await wait_until(lambda: "n-30" in pane_text(app, qualified), timeout=20)
        again = make_app(store, config=config)
        async with again.run_test(size=(120, 36)):
            await wait_until(lambda: _listed(again, qualified), timeout=20)
            await wait_until(lambda: "●" in project_label(again, qualified))
    subprocess.run([WXTUI, "--db", str(machine.db), "host", "stop"], capture_output=True)


def _listed(app, project_id: str) -> bool:  # type: ignore[no-untyped-def]
    return any(ref.id == project_id for ref in app.project_tree.rows)


def _config_file(tmp_path: Path, command: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    ok(run("remote", "add", "sshbox", "--", command, env={"WXTUI_CONFIG": str(path)}))
    return {"WXTUI_CONFIG": str(path)}
