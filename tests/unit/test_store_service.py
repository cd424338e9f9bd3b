"""A machine's store as its host offers it to other machines' UIs."""

from __future__ import annotations

from pathlib import Path

from wxtui.errors import NotFound
from wxtui.sessions.store_service import CatalogCache, raise_error, run_op
from wxtui.store import Store


def test_the_catalog_is_made_again_only_when_the_store_changed(tmp_path: Path) -> None:
    """A UI elsewhere asks every second: the answer is remade after a change made
    through this connection or by another process, and an unchanged one is a digest."""
    with Store.open(tmp_path / "wxtui.db") as store, Store.open(tmp_path / "wxtui.db") as other:
        cache = CatalogCache()
        first = raise_error(run_op(store, "catalog", {}, cache))
        assert first["projects"] == []
        assert raise_error(run_op(store, "catalog", {}, cache)) is first, "not made again"
        unchanged = raise_error(run_op(store, "catalog", {"since": first["digest"]}, cache))
        assert unchanged == {"digest": first["digest"]}
        raise_error(run_op(store, "project.add", {"name": "a", "workspace_path": str(tmp_path)}))
        second = raise_error(run_op(store, "catalog", {"since": first["digest"]}, cache))
        assert [p["name"] for p in second["projects"]] == ["a"]
        other.add_project("b", str(tmp_path))  # Another process's write.
        third = raise_error(run_op(store, "catalog", {}, cache))
        assert [p["name"] for p in third["projects"]] == ["a", "b"]


def test_an_operations_error_comes_back_as_its_kind(tmp_path: Path) -> None:
    with Store.open(tmp_path / "wxtui.db") as store:
        reply = run_op(store, "project.find", {"ref": "nothing"})
        assert reply["error_kind"] == "not-found"
        try:
            raise_error(reply)
        except NotFound as error:
            assert "nothing" in str(error)
        else:
            raise AssertionError("no error")
        assert run_op(store, "drop.tables", {})["error"] == "unknown store operation 'drop.tables'"
