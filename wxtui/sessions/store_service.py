"""The store of a machine, offered to clients of its session host.

A UI or CLI on another machine (through ssh) lists, adds, edits and removes projects and
milestones here, in the store where their agents run: nothing is copied between stores.
Only the operations named in OPS exist; each takes plain JSON arguments and gives plain
JSON back, and runs with the store it is handed (the host's writer thread's).
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Callable
from typing import Any

from wxtui.errors import InvalidInput, NotFound, WxtuiError
from wxtui.milestone_changes import remove_milestone, remove_project, set_status
from wxtui.store import Store

# The error kinds a reply names, so that the caller raises the same one.
ERRORS: dict[str, type[WxtuiError]] = {
    "not-found": NotFound,
    "invalid": InvalidInput,
    "error": WxtuiError,
}


def _text(args: dict[str, Any], name: str, default: str | None = None) -> str:
    value = args.get(name, default)
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text")
    return value


def _optional(args: dict[str, Any], name: str) -> str | None:
    value = args.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{name} must be text")
    return value


class CatalogCache:
    """The last catalog made, and the store's version it was made at: a UI on another
    machine asks every second, and the answer is remade only when the store changed."""

    def __init__(self) -> None:
        self.version: tuple[int, int] | None = None
        self.catalog: dict[str, Any] = {}

    def get(self, store: Store) -> dict[str, Any]:
        version = store.version()
        if version != self.version:
            self.catalog, self.version = _listing(store), version
        return self.catalog


def catalog(
    store: Store, args: dict[str, Any], cache: CatalogCache | None = None
) -> dict[str, Any]:
    """Everything a sidebar shows of this machine: projects, milestones, the milestones
    ready for review, the agents' last stored states, and the machine's name; with its
    digest (``since``: the digest the caller has; then only {"digest"} comes back)."""
    listing = _listing(store) if cache is None else cache.get(store)
    if args.get("since") == listing["digest"]:
        return {"digest": listing["digest"]}
    return listing


def _listing(store: Store) -> dict[str, Any]:
    states = store.agent_states()
    listing = {
        "machine": socket.gethostname(),
        "projects": [p.to_dict() for p in store.list_projects()],
        "milestones": [m.to_dict() for m in store.list_milestones()],
        "review": sorted(store.milestones_ready_for_review()),
        "states": {pid: list(state) for pid, state in states.items()},
    }
    digest = hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()[:16]
    return {"digest": digest, **listing}


def _project_add(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    project = store.add_project(
        _text(args, "name"), _text(args, "workspace_path"), _text(args, "command", "")
    )
    return project.to_dict()


def _project_edit(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    project = store.edit_project(
        _text(args, "project"),
        name=_optional(args, "name"),
        workspace_path=_optional(args, "workspace_path"),
        command=_optional(args, "command"),
    )
    return project.to_dict()


def _project_find(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    return store.find_project(_text(args, "ref")).to_dict()


def _project_remove(store: Store, args: dict[str, Any]) -> None:
    remove_project(store, _text(args, "project"))


def _milestone_add(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    milestone = store.add_milestone(
        _text(args, "project"), _text(args, "name"), _optional(args, "prompt")
    )
    return milestone.to_dict()


def _milestone_edit(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    milestone = store.edit_milestone(
        _text(args, "milestone"),
        element_name=_optional(args, "name"),
        prompt=_optional(args, "prompt"),
    )
    return milestone.to_dict()


def _milestone_find(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    return store.find_milestone(_text(args, "ref")).to_dict()


def _milestone_status(store: Store, args: dict[str, Any]) -> dict[str, Any]:
    return set_status(store, _text(args, "milestone"), _text(args, "status")).to_dict()


def _milestone_remove(store: Store, args: dict[str, Any]) -> None:
    remove_milestone(store, _text(args, "milestone"))


OPS: dict[str, Callable[[Store, dict[str, Any]], Any]] = {
    "catalog": catalog,
    "project.add": _project_add,
    "project.edit": _project_edit,
    "project.find": _project_find,
    "project.remove": _project_remove,
    "milestone.add": _milestone_add,
    "milestone.edit": _milestone_edit,
    "milestone.find": _milestone_find,
    "milestone.status": _milestone_status,
    "milestone.remove": _milestone_remove,
}


def run_op(
    store: Store, op: str, args: object, cache: CatalogCache | None = None
) -> dict[str, Any]:
    """A reply for ``op``: {"result": ...}, or {"error": one line, "error_kind": ERRORS key}.
    ``cache``: the catalog made last, kept by the caller (see CatalogCache)."""
    work = OPS.get(op)
    if work is None:
        return {"error": f"unknown store operation {op!r}", "error_kind": "invalid"}
    arguments = args if isinstance(args, dict) else {}
    try:
        if op == "catalog":
            return {"result": catalog(store, arguments, cache)}
        return {"result": work(store, arguments)}
    except NotFound as error:
        return {"error": str(error), "error_kind": "not-found"}
    except InvalidInput as error:
        return {"error": str(error), "error_kind": "invalid"}
    except WxtuiError as error:
        return {"error": str(error), "error_kind": "error"}


def raise_error(reply: dict[str, Any]) -> Any:
    """The result of a reply, or its error raised as the kind the host named."""
    if "error" in reply:
        kind = ERRORS.get(str(reply.get("error_kind")), WxtuiError)
        raise kind(str(reply["error"]))
    return reply.get("result")
