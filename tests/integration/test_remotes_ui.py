"""One sidebar over several machines: this one's session host and two remotes (each a
second machine in every way but the kernel: its own HOME, database and runtime
directory, reached through ``wxtui host --stdio``), in the real app."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.support import stop_host, wait_until
from tests.support.apps import make_app, pane_text, project_label
from tests.support.machines import FakeMachine, fake_machine, kill_links
from wxtui.app.session_pane import SessionState
from wxtui.app.sidebar import NodeRef
from wxtui.config import Config
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store

SHELL = "env PS1='$ ' bash --norc --noprofile"
CAT = "sh -c 'echo ready; exec cat'"


@pytest.fixture
def machines(tmp_path: Path) -> tuple[FakeMachine, FakeMachine]:
    return fake_machine(tmp_path, "buildbox"), fake_machine(tmp_path, "gpu")


def _config(*machines: FakeMachine, unreachable: str | None = None) -> Config:
    remotes = {m.name: m.command for m in machines}
    if unreachable is not None:
        remotes["offline"] = unreachable
    return Config(remotes=remotes)


def _machine_label(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return app.project_tree.row_text(NodeRef("machine", name, ""))


async def test_projects_of_two_remotes_and_this_machine_in_one_sidebar(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    buildbox, gpu = machines
    store.add_project("local-app", str(tmp_path), command=CAT)
    with buildbox.store() as remote:
        api = remote.add_project("api", str(buildbox.workspace), command=SHELL).id
        remote.add_milestone(api, "port the models")
    with gpu.store() as remote:
        remote.add_project("trainer", str(gpu.workspace), command=CAT)
    app = make_app(store, config=_config(buildbox, gpu))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "api" in _machine_rows(app) and "trainer" in _machine_rows(app))
        rows = [app.project_tree.row_text(ref) for ref in app.project_tree.rows]
        assert rows[0].endswith("local-app")
        assert rows.index(_machine_label(app, "buildbox")) < rows.index(_machine_label(app, "gpu"))
        assert any("port the models" in row for row in rows)
        # Open the remote project, type: the agent runs on that machine.
        qualified = f"buildbox:{api}"
        await app.show_project(qualified)
        await wait_until(lambda: "$" in pane_text(app, qualified), message="the remote shell")
        await pilot.press(*"echo from-$HOME", "enter")
        home = str(buildbox.root / "home")
        await wait_until(lambda: f"from-{home}" in pane_text(app, qualified))
        assert "buildbox:api" in app.sub_title
        await wait_until(lambda: "●" in project_label(app, qualified))


def _machine_rows(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(app.project_tree.row_text(ref) for ref in app.project_tree.rows)


async def test_a_dropped_link_recovers_with_nothing_lost(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    """The link's command is killed while the remote agent prints: the pane says so,
    keys typed meanwhile are refused with a message, and once the link is back the pane
    shows everything the agent printed meanwhile; the agent never noticed."""
    buildbox, _gpu = machines
    with buildbox.store() as remote:
        counter = remote.add_project("counter", str(buildbox.workspace), command=SHELL).id
    qualified = f"buildbox:{counter}"
    app = make_app(store, config=_config(buildbox))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "counter" in _machine_rows(app))
        await app.show_project(qualified)
        await wait_until(lambda: "$" in pane_text(app, qualified))
        await pilot.press(*"for i in $(seq 1 40); do echo line-$i; sleep 0.1; done", "enter")
        await wait_until(lambda: "line-3" in pane_text(app, qualified))
        agent_pid = _agent_pid(buildbox)
        assert kill_links(buildbox), "no link was running"
        await wait_until(lambda: "went away" in pane_text(app, qualified), message="said")
        await pilot.press("x")
        await wait_until(lambda: "keys not sent" in pane_text(app, qualified))
        await wait_until(
            lambda: "line-40" in pane_text(app, qualified), timeout=20, message="caught up"
        )
        assert "went away" not in pane_text(app, qualified), "the screen is the agent's"
        assert app.pane_for(qualified).state is SessionState.RUNNING
        assert _agent_pid(buildbox) == agent_pid, "the agent ran on, untouched"
        emulator = app.pane_for(qualified).view.emulator
        lines = {row.strip() for row in [*emulator.scrollback_text(), *emulator.display()]}
        assert {f"line-{i}" for i in range(1, 41)} <= lines, "every line is there"


def _agent_pid(machine: FakeMachine) -> int:
    """The pid of that machine's only agent, from its host's status."""
    import json
    import subprocess

    from tests.support import WXTUI

    status = subprocess.run(
        [WXTUI, "--db", str(machine.db), "host", "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    (session,) = json.loads(status.stdout)["sessions"]
    return int(session["pid"])


async def test_an_unreachable_remote_says_why_and_the_rest_works(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    buildbox, _gpu = machines
    local = store.add_project("local-app", str(tmp_path), command=CAT).id
    with buildbox.store() as remote:
        remote.add_project("api", str(buildbox.workspace), command=CAT)
    refused = "ssh: connect to host offline port 22: Connection refused"
    unreachable = f"sh -c \"echo '{refused}' >&2; exit 255\""
    app = make_app(store, config=_config(buildbox, unreachable=unreachable))
    async with app.run_test(size=(120, 36)):
        await wait_until(lambda: "unreachable" in _machine_label(app, "offline"))
        assert refused in _machine_label(app, "offline")
        await wait_until(lambda: "api" in _machine_rows(app))
        await app.show_project(local)
        await wait_until(lambda: "ready" in pane_text(app, local))


async def test_a_project_made_on_a_remote_from_the_sidebar_lives_there(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    buildbox, _gpu = machines
    app = make_app(store, config=_config(buildbox))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "connecting" not in _machine_label(app, "buildbox"))
        app.project_tree.select_ref(NodeRef("machine", "buildbox", ""))
        await pilot.press("a")
        await pilot.press(*"api", "tab", *str(buildbox.workspace), "enter")
        await wait_until(lambda: "api" in _machine_rows(app), message="listed")
        with buildbox.store() as remote:
            (project,) = remote.list_projects()
        assert project.name == "api" and project.workspace_path == str(buildbox.workspace)
        assert store.list_projects() == [], "nothing is copied here"
        qualified = f"buildbox:{project.id}"
        assert app.project_tree.selected_ref == NodeRef("project", qualified, qualified)
        await pilot.press("m")  # A milestone of it, also there.
        await pilot.press(*"first", "ctrl+s")
        await wait_until(lambda: "first" in _machine_rows(app), message="milestone listed")
        with buildbox.store() as remote:
            assert [m.element_name for m in remote.list_milestones(project.id)] == ["first"]
        # Enter on the heading hides its projects; the next UI remembers it.
        app.project_tree.select_ref(NodeRef("machine", "buildbox", ""))
        await pilot.press("enter")
        assert "api" not in _machine_rows(app) and "▸ buildbox (1)" in _machine_rows(app)
    again = make_app(store, config=_config(buildbox))
    async with again.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "▸ buildbox (1)" in _machine_rows(again))
        again.project_tree.select_ref(NodeRef("machine", "buildbox", ""))
        await pilot.press("enter")  # Shown again (the state file is the user's).
        await wait_until(lambda: "api" in _machine_rows(again))


async def test_the_inbox_answers_an_agent_on_a_remote_and_the_next_ui_finds_it(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine], fake_claude
) -> None:
    buildbox, _gpu = machines
    with buildbox.store() as remote:
        agent = remote.add_project("agent", str(buildbox.workspace)).id  # claude there
    qualified = f"buildbox:{agent}"
    app = make_app(store, config=_config(buildbox))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "agent" in _machine_rows(app))
        assert await app.sessions.prompt(qualified, "permission")
        await wait_until(lambda: "(1)" in app.title, message="the header counts it")
        await pilot.press("f2")
        await wait_until(lambda: "buildbox:agent" in _inbox_text(app), message="in the inbox")
        await pilot.press("y")
        await wait_until(lambda: app.pane_for(qualified).agent.request is None, message="sent")
        await pilot.press("escape")
        await app.show_project(qualified)
        await wait_until(lambda: "tool ran: Bash" in pane_text(app, qualified))
    # The UI quits; the agent runs on there; the next UI shows it as it is.
    again = make_app(store, config=_config(buildbox))
    async with again.run_test(size=(120, 36)):
        await wait_until(lambda: again.pane_for(qualified) is not None, message="found")
        await wait_until(
            lambda: "●" in project_label(again, qualified) or "✓" in project_label(again, qualified)
        )
    assert len(fake_claude.starts()) == 1, "one agent, started once, on that machine"


def _inbox_text(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList).options
    return "\n".join(str(o.prompt) for o in options)


async def test_a_relink_brings_back_only_what_ran(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    """After the link comes back, a session stopped before stays stopped, and when
    that machine's host was stopped meanwhile nothing is started again: the panes say
    the sessions ended."""
    buildbox, _gpu = machines
    with buildbox.store() as remote:
        kept = remote.add_project("kept", str(buildbox.workspace), command=CAT).id
        stopped = remote.add_project("stopped", str(buildbox.workspace), command=CAT).id
    kept_id, stopped_id = f"buildbox:{kept}", f"buildbox:{stopped}"
    app = make_app(store, config=_config(buildbox))
    async with app.run_test(size=(120, 36)):
        await wait_until(lambda: "stopped" in _machine_rows(app))
        for project in (stopped_id, kept_id):
            await app.show_project(project)
            await wait_until(lambda project=project: "ready" in pane_text(app, project))
        await app.sessions.stop(stopped_id)
        await wait_until(lambda: app.pane_for(stopped_id).state is SessionState.EXITED)
        assert kill_links(buildbox)
        await wait_until(lambda: "went away" in pane_text(app, kept_id))
        await wait_until(lambda: app.backend.remotes["buildbox"].linked, message="relinked")
        await wait_until(lambda: "went away" not in pane_text(app, kept_id), message="back")
        assert app.pane_for(stopped_id).state is SessionState.EXITED
        assert [
            s.project for s in (await app.backend.remotes["buildbox"].client.status()).sessions
        ] == [kept]
        # That machine's host stopped (its agents with it) while the link was down.
        assert kill_links(buildbox)
        stop_host(host_socket_path(buildbox.db))
        await wait_until(lambda: app.pane_for(kept_id).state is SessionState.EXITED, timeout=20)
        assert "ended on buildbox meanwhile" in pane_text(app, kept_id)
        await wait_until(lambda: app.backend.remotes["buildbox"].linked, message="relinked")
        assert (await app.backend.remotes["buildbox"].client.status()).sessions == []


async def test_a_link_that_hangs_is_shown_as_slow_until_it_answers(
    store: Store, tmp_path: Path, machines: tuple[FakeMachine, FakeMachine]
) -> None:
    buildbox, _gpu = machines
    with buildbox.store() as remote:
        api = remote.add_project("api", str(buildbox.workspace), command=CAT).id
    app = make_app(store, config=_config(buildbox))
    async with app.run_test(size=(120, 36)):
        await wait_until(lambda: "api" in _machine_rows(app))
        await app.show_project(f"buildbox:{api}")
        await wait_until(lambda: "ready" in pane_text(app, f"buildbox:{api}"))
        assert kill_links(buildbox, signal.SIGSTOP)
        try:
            await wait_until(
                lambda: "slow: no answer for" in _machine_label(app, "buildbox"), timeout=15
            )
            # The shown pane's header says so too.
            await wait_until(lambda: "slow: no answer for" in app.sub_title)
        finally:
            kill_links(buildbox, signal.SIGCONT)
        await wait_until(lambda: "slow" not in _machine_label(app, "buildbox"), timeout=15)
        await wait_until(lambda: "slow" not in app.sub_title)
