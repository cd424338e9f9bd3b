from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from wxtui.errors import DatabaseRefused, InvalidInput, NotFound
from wxtui.store import APPLICATION_ID, SCHEMA_VERSION, Store, default_db_path


def test_location_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, y = tmp_path / "x", tmp_path / "y"
    x.mkdir(), y.mkdir()
    assert default_db_path(str(x / "a.db"), {"WXTUI_DB": str(y / "b.db")}) == x / "a.db"
    assert default_db_path(None, {"WXTUI_DB": str(y / "b.db")}) == y / "b.db"
    assert default_db_path(None, {}).name == "wxtui.db"
    monkeypatch.chdir(x)
    assert default_db_path("a.db", {}) == x / "a.db", "resolved against the working directory"


def test_new_database_is_private_versioned_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "wxtui.db"
    with Store.open(path) as store:
        store.add_project("p", str(tmp_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_project_crud_and_unicode_names(store: Store, tmp_path: Path) -> None:
    project = store.add_project("  Ünïcødé 项目 🚀  ", str(tmp_path), "claude --model x")
    assert project.name == "Ünïcødé 项目 🚀"
    assert len(project.id) == 8 and int(project.id, 16) >= 0
    assert project.status == "created" and project.claude_session_id is None
    assert store.find_project(project.id) == project
    assert store.find_project("Ünïcødé 项目 🚀") == project
    edited = store.edit_project(project.id, name="renamed", command="")
    assert edited.name == "renamed" and edited.command == ""
    assert edited.workspace_path == str(tmp_path)
    store.set_claude_session_id(project.id, "abc")
    assert store.get_project(project.id).claude_session_id == "abc"
    store.remove_project(project.id)
    assert store.list_projects() == []


def test_ids_tried_before_names(store: Store, tmp_path: Path) -> None:
    first = store.add_project("first", str(tmp_path))
    second = store.add_project(first.id, str(tmp_path))
    assert store.find_project(first.id) == first
    assert store.find_project(second.id) == second


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_names_refused(store: Store, tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput, match="must not be empty"):
        store.add_project(name, str(tmp_path))


def test_duplicate_names_are_case_sensitive(store: Store, tmp_path: Path) -> None:
    store.add_project("app", str(tmp_path))
    store.add_project("App", str(tmp_path))
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_project("app", str(tmp_path))
    other = store.add_project("other", str(tmp_path))
    with pytest.raises(InvalidInput, match="already exists"):
        store.edit_project(other.id, name="App")
    assert [p.name for p in store.list_projects()] == ["app", "App", "other"]


def test_missing_directory_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        store.add_project("p", str(tmp_path / "nope"))
    assert store.list_projects() == []


def test_unparseable_command_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot be parsed"):
        store.add_project("p", str(tmp_path), "claude 'unclosed")


def test_milestones_and_cascade(store: Store, tmp_path: Path) -> None:
    project = store.add_project("p", str(tmp_path))
    first = store.add_milestone(project.id, "one", "do the thing")
    second = store.add_milestone(project.id, "two")
    assert [m.element_name for m in store.list_milestones(project.id)] == ["one", "two"]
    assert first.status == "pending" and first.prompt == "do the thing" and second.prompt is None
    done = store.set_milestone_status(first.id, "completed")
    assert done.status == "completed" and done.completed_at is not None
    assert store.set_milestone_status(first.id, "failed").completed_at is None
    with pytest.raises(InvalidInput, match="invalid milestone status"):
        store.set_milestone_status(first.id, "done")
    store.remove_project(project.id)
    assert store.list_milestones() == []
    with pytest.raises(NotFound):
        store.get_milestone(second.id)


def test_milestone_for_unknown_project(store: Store) -> None:
    with pytest.raises(NotFound):
        store.add_milestone("deadbeef", "x")


def _snapshot(path: Path) -> bytes:
    return path.read_bytes()


def test_not_sqlite_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 50)
    before = _snapshot(path)
    with pytest.raises(DatabaseRefused, match="not a wxtui database"):
        Store.open(path)
    assert _snapshot(path) == before
    assert sorted(os.listdir(tmp_path)) == ["notes.db"]


def test_foreign_sqlite_database_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    before = _snapshot(path)
    with pytest.raises(DatabaseRefused, match="not a wxtui database"):
        Store.open(path)
    assert _snapshot(path) == before


def test_newer_schema_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "wxtui.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = _snapshot(path)
    with pytest.raises(DatabaseRefused, match="newer wxtui"):
        Store.open(path)
    assert _snapshot(path) == before


def test_data_version_sees_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "wxtui.db"
    with Store.open(path) as watcher, Store.open(path) as writer:
        before = watcher.data_version()
        writer.add_project("p", str(tmp_path))
        assert watcher.data_version() != before
        assert [p.name for p in watcher.list_projects()] == ["p"]


def test_a_version_1_database_migrates_forward_with_its_data(tmp_path: Path) -> None:
    from wxtui.store import MIGRATIONS

    path = tmp_path / "v1.db"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO output_projects VALUES "
        "('p1', 'old', ?, '', 'active', 'aaaa-1', '2026-01-01', '2026-01-02')",
        (str(tmp_path),),
    )
    db.execute(
        "INSERT INTO milestones VALUES ('m1', 'p1', 'step', 'in_progress', 'go', 'x', 'y', NULL)"
    )
    db.close()
    with Store.open(path) as store:
        project = store.get_project("p1")
        assert project.claude_session_id == "aaaa-1"
        assert store.get_milestone("m1").status == "in_progress"
        history = store.conversation_history("p1")
        assert [(c.claude_session_id, c.source) for c in history] == [("aaaa-1", "stored")]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_conversation_history_and_use(store: Store, tmp_path: Path) -> None:
    project = store.add_project("p", str(tmp_path))
    store.set_claude_session_id(project.id, "one")
    assert store.record_conversation(project.id, "one", "resume") is False, "a repeat is no change"
    store.record_conversation(project.id, "two", "clear")
    history = store.conversation_history(project.id)
    assert [(c.claude_session_id, c.source) for c in history] == [
        ("one", "wxtui"),
        ("two", "clear"),
    ]
    store.use_conversation(project.id, "one")
    assert store.get_project(project.id).claude_session_id == "one"
    assert store.conversation_history(project.id)[-1].source == "use"
    with pytest.raises(InvalidInput):
        store.use_conversation(project.id, "never")
    assert store.get_project(project.id).claude_session_id == "one"


def test_agent_states_and_review_flags(store: Store, tmp_path: Path) -> None:
    project = store.add_project("p", str(tmp_path))
    milestone = store.add_milestone(project.id, "m")
    store.set_agent_state(project.id, "working", "Bash")
    store.set_agent_state(project.id, "done", "All good")
    store.set_agent_state("no-such-project", "done")  # Ignored: nothing to attach it to.
    assert store.agent_states() == {project.id: ("done", "All good")}
    store.set_ready_for_review(milestone.id)
    assert store.milestones_ready_for_review() == {milestone.id}
    store.set_milestone_status(milestone.id, "completed")
    assert store.milestones_ready_for_review() == set()
    store.remove_project(project.id)
    assert store.agent_states() == {}
