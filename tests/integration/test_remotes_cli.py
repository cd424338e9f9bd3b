"""Remotes from the command line: ``wxtui remote add|list|remove`` and the commands
that take ``--remote`` (each remote a second machine: its own HOME, database and
runtime directory, reached through ``wxtui host --stdio``)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from tests.integration.test_session_host import Watcher
from tests.support import fails, ok, run, wait_until
from tests.support.machines import FakeMachine, fake_machine
from wxtui.sessions.client import HostClient
from wxtui.sessions.host_address import host_socket_path

CAT = "sh -c 'echo ready; exec cat'"


@pytest.fixture
def config(tmp_path: Path) -> dict[str, str]:
    return {"WXTUI_CONFIG": str(tmp_path / "config.toml")}


@pytest.fixture
def buildbox(tmp_path: Path, config: dict[str, str]) -> FakeMachine:
    machine = fake_machine(tmp_path, "buildbox")
    ok(run("remote", "add", "buildbox", "--", *shlex.split(machine.command), env=config))
    return machine


def test_remotes_are_added_listed_and_removed_in_the_settings_file(
    tmp_path: Path, config: dict[str, str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"  # mine\n')
    ok(
        run(
            "remote",
            "add",
            "gpu",
            "--",
            "ssh",
            "-T",
            "gpu box",
            "wxtui",
            "host",
            "--stdio",
            env=config,
        )
    )
    ok(run("remote", "add", "vm", "--", "ssh -T vm wxtui host --stdio", env=config))
    listed = ok(run("remote", "list", env=config))
    assert listed.splitlines() == [
        "gpu  ssh -T 'gpu box' wxtui host --stdio",
        "vm  ssh -T vm wxtui host --stdio",
    ]
    fails(run("remote", "add", "vm", "--", "ssh", "other", env=config), "exists")
    fails(run("remote", "add", "a:b", "--", "ssh", "x", env=config), "letters, digits")
    unparsable = run("remote", "add", "vm2", "--", 'ssh -T "unterminated', env=config)
    fails(unparsable, "the command cannot be read: No closing quotation")
    ok(run("remote", "remove", "gpu", env=config))
    assert path.read_text() == (
        'theme = "nord"  # mine\n\n[remotes.vm]\ncommand = "ssh -T vm wxtui host --stdio"\n'
    )
    fails(run("remote", "remove", "gpu", env=config), "no remote named 'gpu'")
    ok(run("config", "check", env=config))


def test_a_broken_settings_file_is_refused_and_left_as_it_is(
    tmp_path: Path, config: dict[str, str]
) -> None:
    path = tmp_path / "config.toml"
    broken = "theme = \n[remotes.vm]\n"
    path.write_text(broken)
    fails(run("remote", "add", "gpu", "--", "ssh", "gpu", env=config), "not valid TOML")
    assert path.read_text() == broken
    path.write_text("[remotes.vm]\nport = 22\n")
    fails(run("config", "check", env=config), "config.toml:1: remotes.vm needs a command")


def test_a_project_on_a_remote_lives_in_that_machines_store(
    tmp_path: Path, config: dict[str, str], buildbox: FakeMachine
) -> None:
    local_db = tmp_path / "local.db"
    added = ok(
        run(
            "project",
            "add",
            "api",
            "--dir",
            str(buildbox.workspace),
            "--command",
            CAT,
            "--remote",
            "buildbox",
            db=local_db,
            env=config,
        )
    ).strip()
    with buildbox.store() as store:
        assert [(p.id, p.name) for p in store.list_projects()] == [(added, "api")]
    assert ok(run("project", "list", db=local_db, env=config)).startswith("no projects")
    listed = ok(run("session", "list", "--remote", "buildbox", "--json", db=local_db, env=config))
    assert '"name": "api"' in listed and '"state": "not-started"' in listed
    for where in (".", "relative/dir"):
        fails(
            run("project", "add", "web", "--dir", where, "--remote", "buildbox", env=config),
            "--dir: the workspace's absolute path on buildbox",
        )
    milestone = ok(
        run(
            "milestone", "add", "api", "first", "--prompt", "go", "--remote", "buildbox", env=config
        )
    ).strip()
    with buildbox.store() as store:
        assert store.get_milestone(milestone).element_name == "first"
    fails(
        run("project", "add", "web", "--dir", "/no/such/dir", "--remote", "buildbox", env=config),
        "/no/such/dir",
    )


async def test_a_prompt_sent_to_a_remote_reaches_its_agent(
    config: dict[str, str], buildbox: FakeMachine
) -> None:
    with buildbox.store() as store:
        project = store.add_project("api", str(buildbox.workspace), command=CAT)
    sent = run("session", "send", "--remote", "buildbox", "api", "hello there", env=config)
    assert ok(sent) == "sent to buildbox:api\n"
    # The agent runs on that machine: its host has it, and it echoed the prompt.
    client = await HostClient.connect(host_socket_path(buildbox.db))
    try:
        watcher = Watcher()
        await client.start(project.id, watcher, 24, 80)
        await wait_until(lambda: any("hello there" in row for row in watcher.screen.display()))
    finally:
        await client.close()
    stopped = run("session", "stop", "--remote", "buildbox", "api", env=config)
    assert ok(stopped) == "stopped buildbox:api\n"


def test_an_unreachable_remote_says_why_in_one_line(tmp_path: Path, config: dict[str, str]) -> None:
    refused = "ssh: connect to host nowhere port 22: Connection refused"
    command = f"sh -c {shlex.quote(f'echo {shlex.quote(refused)} >&2; exit 255')}"
    ok(run("remote", "add", "nowhere", "--", command, env=config))
    checked = run("remote", "list", "--check", env=config)
    assert checked.returncode == 1, "a script can tell that a remote is down"
    assert f"[unreachable: nowhere: {refused}]" in checked.stdout
    # From a terminal, ssh's own words are on stderr as it printed them.
    failed = run("session", "list", "--remote", "nowhere", env=config)
    fails(failed, "nowhere: its command ended (exit 255)", code=1)
    assert refused in failed.stderr
    fails(run("session", "list", "--remote", "elsewhere", env=config), "no remote named")


def test_a_remote_of_another_wxtui_says_so_and_what_to_run(
    tmp_path: Path, config: dict[str, str]
) -> None:
    old_host = tmp_path / "old_host.py"
    old_host.write_text(
        "import json, struct, sys\n"
        "sys.stdin.buffer.read(5)\n"
        "body = json.dumps({'protocol': 1, 'version': '0.0.1', 'pid': 1}).encode()\n"
        "sys.stdout.buffer.write(struct.pack('>IB', len(body), 64) + body)\n"
        "sys.stdout.flush()\n"
        "sys.stdin.buffer.read()\n"
    )
    ok(run("remote", "add", "old", "--", sys.executable, str(old_host), env=config))
    fails(
        run("session", "list", "--remote", "old", env=config),
        "old runs wxtui 0.0.1, this is 0.1.0: install the same wxtui on both",
        code=1,
    )


def test_a_chatty_login_shell_is_named_as_the_cause(tmp_path: Path, config: dict[str, str]) -> None:
    """A command that prints something else first (a login message on stdout) is not
    a host: said so, not as a link that merely closed."""
    command = "sh -c 'echo Welcome to buildbox; exec sleep 30'"
    ok(run("remote", "add", "chatty", "--", command, env=config))
    fails(
        run("session", "list", "--remote", "chatty", env=config),
        "chatty: what came back is not a wxtui session host",
        code=1,
    )


def test_a_local_project_with_a_colon_in_its_name_is_not_a_remote(
    tmp_path: Path, config: dict[str, str]
) -> None:
    db = tmp_path / "local.db"
    ok(run("project", "add", "my:proj", "--dir", str(tmp_path), db=db, env=config))
    # Taken as a local project (not "no remote named my"): it gets as far as the terminal.
    fails(run("attach", "my:proj", db=db, env=config), "attach needs a terminal", code=1)
