"""``wxtui session start|stop|restart|send``, and where the CLI finds its database and
session host: a relative path, another environment, a symlink, a typo."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_session_host import Watcher
from tests.support import fails, ok, run, stop_host, wait_until
from wxtui.sessions.client import HostClient
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store

CAT = "sh -c 'echo ready; exec cat'"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "wxtui.db"
    with Store.open(path) as store:
        store.add_project("alpha", str(tmp_path), command=CAT)
    yield path
    stop_host(host_socket_path(path))


def _pid(line: str) -> int:
    return int(line.rsplit("pid ", 1)[1].rstrip(")\n"))


async def _attach(db: Path, project: str = "alpha") -> tuple[HostClient, Watcher]:
    """A client watching the session: its screen as it is now, then its output."""
    with Store.open(db) as store:
        project_id = store.find_project(project).id
    client = await HostClient.connect(host_socket_path(db))
    watcher = Watcher()
    await client.start(project_id, watcher, 24, 80)
    return client, watcher


def test_start_stop_and_restart_without_a_ui(db: Path) -> None:
    started = ok(run("session", "start", "alpha", db=db))
    assert started.startswith("started alpha (pid ")
    pid = _pid(started)
    assert ok(run("session", "start", "alpha", db=db)) == f"alpha already runs (pid {pid})\n"
    restarted = ok(run("session", "restart", "alpha", db=db))
    assert restarted.startswith("restarted alpha") and _pid(restarted) != pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert ok(run("session", "stop", "alpha", db=db)) == "stopped alpha\n"
    assert ok(run("session", "stop", "alpha", db=db)) == "alpha is not running\n"
    with pytest.raises(ProcessLookupError):
        os.kill(_pid(restarted), 0)


async def test_send_types_a_prompt_and_enter_starting_the_session(db: Path) -> None:
    assert ok(run("session", "send", "alpha", "port the invoice models", db=db)) == (
        "sent to alpha\n"
    )
    client, watcher = await _attach(db)
    # cat echoes the line once Enter reached it: the tty's echo and cat's own.
    await wait_until(lambda: watcher.text().count("port the invoice models") == 2)
    await client.close()


def test_send_to_an_unknown_project_fails_in_one_line(db: Path) -> None:
    fails(run("session", "send", "nope", "hi", db=db), "unknown project: nope")


def test_a_relative_database_is_the_same_file_for_the_host(db: Path, tmp_path: Path) -> None:
    """The host runs elsewhere: a relative --db (or WXTUI_DB) is resolved before it."""
    ok(run("session", "start", "alpha", db=Path("wxtui.db"), cwd=tmp_path))
    status = ok(run("host", "status", db=db, cwd=Path("/")))
    assert "alpha  pid" in status
    env_status = ok(run("host", "status", cwd=tmp_path, env={"WXTUI_DB": "wxtui.db"}))
    assert env_status == status


def test_the_host_is_found_whatever_the_callers_runtime_directory(db: Path, tmp_path: Path) -> None:
    ok(run("session", "start", "alpha", db=db))
    other = tmp_path / "elsewhere"
    other.mkdir(mode=0o700)
    status = run("host", "status", db=db, env={"XDG_RUNTIME_DIR": str(other)})
    assert "alpha  pid" in ok(status)


def test_a_symlinked_database_reaches_the_same_host_and_agent(db: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(db)
    first = _pid(ok(run("session", "start", "alpha", db=db)))
    assert _pid(ok(run("session", "start", "alpha", db=link))) == first
    assert ok(run("host", "status", db=link)) == ok(run("host", "status", db=db))


def test_database_paths_that_are_typos_are_refused(tmp_path: Path) -> None:
    fails(run("project", "list", db=tmp_path / "no" / "such" / "x.db"), "no such directory")
    assert not (tmp_path / "no").exists(), "nothing was created"
    fails(run("--db", "", "project", "list"), "--db needs a path")
    fails(run("project", "list", env={"WXTUI_DB": str(tmp_path / "nope/x.db")}), "WXTUI_DB")


def test_send_to_a_program_that_draws_nothing_goes_in(db: Path, tmp_path: Path) -> None:
    with Store.open(db) as store:
        store.add_project("silent", str(tmp_path), command="cat")
    assert ok(run("session", "send", "silent", "hello", db=db)) == "sent to silent\n"


def test_host_status_lists_the_registrys_record_of_each_session(db: Path) -> None:
    """The host's status comes from its one registry (the seed's PTYSessionManager):
    each running session with the registry's id and times."""
    import json
    import re

    pid = _pid(ok(run("session", "start", "alpha", db=db)))
    ok(run("session", "send", "alpha", "again", db=db))  # Joined: its activity moves on.
    status = json.loads(ok(run("host", "status", "--json", db=db)))
    (session,) = status["sessions"]
    assert session["pid"] == pid
    assert re.fullmatch(r"[0-9a-f]{32}", session["session_id"])
    assert session["created_at"] < session["last_activity"]
