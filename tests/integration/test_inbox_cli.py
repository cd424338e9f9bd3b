"""``wxtui inbox [--json]`` and ``wxtui inbox answer``: the installed command, its session
host (no UI) and the fake claude, which waits on its PermissionRequest hook as Claude
does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_session_commands import _attach
from tests.support import FakeClaude, fails, ok, run, stop_host, wait_until_sync, workspace
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store


@pytest.fixture
def db(tmp_path: Path, fake_claude: FakeClaude) -> Iterator[Path]:
    path = tmp_path / "wxtui.db"
    with Store.open(path) as store:
        for name in ("billing", "frontend", "docs"):
            store.add_project(name, workspace(tmp_path, name))
    yield path
    stop_host(host_socket_path(path))


def _rows(db: Path) -> list[dict]:
    return json.loads(ok(run("inbox", "--json", db=db)))


def _waiting(db: Path, count: int) -> list[dict]:
    wait_until_sync(
        lambda: sum(1 for row in _rows(db) if row["request"]) == count,
        message=f"{count} waiting requests: {_rows(db)}",
    )
    return _rows(db)


async def _screen_of(db: Path, project: str) -> str:
    client, watcher = await _attach(db, project)
    try:
        return watcher.text()
    finally:
        await client.close()


def test_no_host_means_nothing_needs_you(db: Path) -> None:
    assert ok(run("inbox", db=db)) == "Nothing needs you right now.\n"
    assert _rows(db) == []
    fails(run("inbox", "answer", "billing", "allow", db=db), "billing is not running", code=1)
    fails(run("inbox", "answer", "nope", "allow", db=db), "nope", code=2)


def test_rows_say_what_waits_and_answers_reach_exactly_that_request(db: Path) -> None:
    ok(run("session", "send", "billing", "permission", db=db))
    ok(run("session", "send", "frontend", "permission-edit", db=db))
    ok(run("session", "send", "docs", "ask", db=db))
    rows = _waiting(db, 3)
    assert [row["name"] for row in rows] == ["billing", "frontend", "docs"]
    billing, frontend, docs = rows
    assert billing["state"] == "needs-permission" and billing["tool"] == "Bash"
    assert billing["tool_input"] == {"command": "rm -rf build", "description": "Clean"}
    assert frontend["tool"] == "Edit" and "hello, world" in frontend["tool_input"]["new_string"]
    assert docs["state"] == "needs-input" and docs["reason"].startswith("Which colour")
    assert all(row["since"].endswith("+00:00") for row in rows)
    text = ok(run("inbox", db=db))
    assert "billing  needs-permission" in text and "Bash: rm -rf build" in text

    assert ok(run("inbox", "answer", "billing", "allow", db=db)) == "billing: allowed\n"
    # An answer pinned to a request that is gone sends nothing.
    stale = run("inbox", "answer", "billing", "allow", "--request", billing["request"], db=db)
    fails(stale, "already answered; nothing sent", code=1)
    done = ok(run("inbox", "answer", "frontend", "deny", "-m", "keep main()", db=db))
    assert done == "frontend: denied\n"
    fails(run("inbox", "answer", "docs", "always", db=db), "reply with the answer", code=1)
    ok(run("inbox", "answer", "docs", "reply", "-m", "1", "--request", docs["request"], db=db))

    wait_until_sync(lambda: "tool ran: Bash" in _screen_text(db, "billing"))
    wait_until_sync(lambda: "hook: deny: keep main()" in _screen_text(db, "frontend"))
    wait_until_sync(
        lambda: '"Which colour should the button be?": "Red"' in _screen_text(db, "docs")
    )
    wait_until_sync(lambda: not any(row["request"] for row in _rows(db)))
    # A finished turn takes a reply as its next prompt.
    assert ok(run("inbox", "answer", "docs", "reply", "-m", "and now?", db=db)) == "docs: sent\n"
    wait_until_sync(lambda: "echo: and now?" in _screen_text(db, "docs"))
    fails(run("inbox", "answer", "docs", "allow", db=db), "not waiting for an answer", code=1)


def _screen_text(db: Path, project: str) -> str:
    return asyncio.run(_screen_of(db, project))
