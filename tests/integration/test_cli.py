"""The installed ``wxtui`` command, run as a subprocess against temporary databases."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import fails, ok, run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "wxtui.db"


def test_version() -> None:
    assert ok(run("--version")).startswith("wxtui ")


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wxtui", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("wxtui ")


def test_project_lifecycle(db: Path, tmp_path: Path) -> None:
    pid = ok(
        run(
            "project",
            "add",
            "Alpha ✨",
            "--dir",
            str(tmp_path),
            "--command",
            "claude --model opus",
            db=db,
        )
    ).strip()
    assert len(pid) == 8
    listed = json.loads(ok(run("project", "list", "--json", db=db)))
    assert [p["id"] for p in listed] == [pid]
    assert set(listed[0]) == {
        "id",
        "name",
        "workspace_path",
        "command",
        "status",
        "claude_session_id",
        "created_at",
        "updated_at",
    }
    assert listed[0]["name"] == "Alpha ✨" and listed[0]["command"] == "claude --model opus"
    assert "Alpha ✨" in ok(run("project", "list", db=db))

    mid = ok(run("milestone", "add", "Alpha ✨", "First", "--prompt", "Do it", db=db)).strip()
    ok(run("milestone", "add", pid, "Second", db=db))
    shown = json.loads(ok(run("project", "show", "Alpha ✨", "--json", db=db)))
    assert [m["element_name"] for m in shown["milestones"]] == ["First", "Second"]
    assert shown["milestones"][0]["prompt"] == "Do it"
    assert "First" in ok(run("project", "show", pid, db=db))

    ok(run("milestone", "status", mid, "completed", db=db))
    milestones = json.loads(ok(run("milestone", "list", pid, "--json", db=db)))
    assert milestones[0]["status"] == "completed" and milestones[0]["completed_at"]
    assert set(milestones[0]) == {
        "id",
        "output_project_id",
        "element_name",
        "status",
        "prompt",
        "created_at",
        "updated_at",
        "completed_at",
    }

    ok(run("project", "edit", pid, "--name", "Beta", "--command", "", db=db))
    shown = json.loads(ok(run("project", "show", "Beta", "--json", db=db)))
    assert shown["name"] == "Beta" and shown["command"] == ""

    ok(run("milestone", "remove", mid, db=db))
    ok(run("project", "remove", "Beta", db=db))
    assert json.loads(ok(run("project", "list", "--json", db=db))) == []


def test_dir_defaults_to_current_directory(db: Path, tmp_path: Path) -> None:
    work = tmp_path / "here"
    work.mkdir()
    pid = ok(run("project", "add", "p", db=db, cwd=work)).strip()
    assert json.loads(ok(run("project", "show", pid, "--json", db=db)))["workspace_path"] == str(
        work
    )


def test_wxtui_db_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    ok(run("project", "add", "p", "--dir", str(tmp_path), env={"WXTUI_DB": str(path)}))
    assert path.exists()


def _dump(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("output_projects", "milestones")
        ]
    finally:
        conn.close()


def test_bad_input_is_refused_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    pid = ok(run("project", "add", "p", "--dir", str(tmp_path), db=db)).strip()
    mid = ok(run("milestone", "add", pid, "m", db=db)).strip()
    before = _dump(db)
    fails(run("project", "add", "p", "--dir", str(tmp_path), db=db), "already exists")
    fails(run("project", "add", "q", "--dir", str(tmp_path / "missing"), db=db), "does not exist")
    fails(run("project", "add", "   ", "--dir", str(tmp_path), db=db), "must not be empty")
    fails(run("project", "show", "nope", db=db), "unknown project")
    fails(run("project", "edit", pid, "--dir", str(tmp_path / "missing"), db=db), "does not exist")
    fails(run("project", "remove", "nope", db=db), "unknown project")
    fails(run("milestone", "add", "nope", "m", db=db), "unknown project")
    fails(run("milestone", "status", mid, "done", db=db), "invalid milestone status")
    fails(run("milestone", "status", "ffffffff", "completed", db=db), "unknown milestone")
    fails(run("milestone", "remove", "ffffffff", db=db), "unknown milestone")
    fails(run("session", "forget", "nope", db=db), "unknown project")
    fails(run("project", "frobnicate", db=db), "invalid choice")
    assert _dump(db) == before


def test_broken_database_is_refused_and_kept(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00garbage" * 1000)
    before = broken.read_bytes()
    fails(run("project", "list", db=broken), str(broken))
    fails(run("project", "add", "p", "--dir", str(tmp_path), db=broken), "not a wxtui database")
    assert broken.read_bytes() == before


def test_newer_database_is_refused(db: Path, tmp_path: Path) -> None:
    ok(run("project", "list", db=db))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    fails(run("project", "list", db=db), "newer wxtui")


def test_session_list_and_forget(db: Path, tmp_path: Path) -> None:
    pid = ok(run("project", "add", "p", "--dir", str(tmp_path), db=db)).strip()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE output_projects SET claude_session_id = 'abc' WHERE id = ?", (pid,))
    conn.close()
    sessions = json.loads(ok(run("session", "list", "--json", db=db)))
    assert sessions == [
        {
            "output_project_id": pid,
            "name": "p",
            "claude_session_id": "abc",
            "state": "not-started",
            "reason": "",
        }
    ]
    assert "abc" in ok(run("session", "list", db=db))
    ok(run("session", "forget", "p", db=db))
    assert json.loads(ok(run("session", "list", "--json", db=db)))[0]["claude_session_id"] is None


def test_shell_metacharacters_are_just_names(db: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = f"x; touch {marker} $(touch {marker}) `touch {marker}`"
    pid = ok(run("project", "add", name, "--dir", str(tmp_path), db=db)).strip()
    assert json.loads(ok(run("project", "show", pid, "--json", db=db)))["name"] == name
    assert not marker.exists()


def test_open_unknown_project_is_refused(db: Path) -> None:
    fails(run("--open", "nope", db=db), "unknown project")


def test_session_history_use_and_state(db: Path, tmp_path: Path) -> None:
    from wxtui.store import Store

    pid = ok(run("project", "add", "p", "--dir", str(tmp_path), db=db)).strip()
    with Store.open(db) as store:
        store.set_claude_session_id(pid, "first-id")
        store.record_conversation(pid, "second-id", "clear")
        store.set_agent_state(pid, "needs-permission", "Bash: rm -rf build")
    history = json.loads(ok(run("session", "history", "p", "--json", db=db)))
    assert [h["claude_session_id"] for h in history] == ["first-id", "second-id"]
    assert [h["source"] for h in history] == ["wxtui", "clear"]
    assert all(h["at"] for h in history)
    assert "second-id" in ok(run("session", "history", pid, db=db))
    (listed,) = json.loads(ok(run("session", "list", "--json", db=db)))
    assert listed["claude_session_id"] == "second-id"
    assert (listed["state"], listed["reason"]) == ("needs-permission", "Bash: rm -rf build")
    ok(run("session", "use", "p", "first-id", db=db))
    (listed,) = json.loads(ok(run("session", "list", "--json", db=db)))
    assert listed["claude_session_id"] == "first-id"
    fails(run("session", "use", "p", "not-an-id-of-p", db=db), "never had conversation")
    (listed,) = json.loads(ok(run("session", "list", "--json", db=db)))
    assert listed["claude_session_id"] == "first-id"


def test_milestones_by_name_edit_and_unique_names(db: Path, tmp_path: Path) -> None:
    ok(run("project", "add", "alpha", "--dir", str(tmp_path), db=db))
    ok(run("project", "add", "beta", "--dir", str(tmp_path), db=db))
    first = ok(run("milestone", "add", "alpha", "Port models", db=db)).strip()
    ok(run("milestone", "add", "beta", "Port models", db=db))
    only = ok(run("milestone", "add", "alpha", "Write docs", db=db)).strip()
    fails(run("milestone", "add", "alpha", "Write docs", db=db), "already has a milestone")
    ok(run("milestone", "status", "Write docs", "completed", db=db))
    fails(run("milestone", "status", "Port models", "completed", db=db), "ambiguous")
    result = run("milestone", "status", "Port models", "completed", db=db)
    assert first in result.stderr and "beta/Port models" in result.stderr, "lists candidates"
    ok(run("milestone", "status", "alpha/Port models", "in_progress", db=db))
    ok(run("milestone", "edit", first, "--name", "Port all models", "--prompt", "go", db=db))
    fails(run("milestone", "edit", only, "--name", "Port all models", db=db), "already has")
    fails(run("milestone", "edit", only, db=db), "nothing to change")
    shown = json.loads(ok(run("milestone", "list", "alpha", "--json", db=db)))
    assert [(m["element_name"], m["status"], m["prompt"]) for m in shown] == [
        ("Port all models", "in_progress", "go"),
        ("Write docs", "completed", None),
    ]
    ok(run("milestone", "remove", "alpha/Write docs", db=db))
    fails(run("milestone", "remove", "no/such", db=db), "unknown milestone")


def test_cli_messages_a_newcomer_meets(db: Path, tmp_path: Path) -> None:
    assert "no projects" in ok(run("project", "list", db=db))
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    fails(run("project", "add", "p", "--dir", str(a_file), db=db), "not a directory")
    ok(run("project", "add", "p", "--dir", str(tmp_path), db=db))
    listing = ok(run("project", "list", db=db)).splitlines()
    assert listing[0].split() == ["ID", "STATUS", "NAME", "WORKSPACE"]
    fails(run("project", "edit", "p", db=db), "nothing to change")
    for command in (["project", "show"], ["milestone", "add"], ["milestone", "status"]):
        help_text = ok(run(*command, "--help"))
        positional = help_text.split("positional arguments:")[1].split("options:")[0]
        for line in positional.strip().splitlines():
            assert len(line.split(None, 1)) == 2 or line.startswith("    "), help_text
