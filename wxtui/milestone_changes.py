"""What an agent changed for a milestone: git snapshots of the workspace taken when the
milestone's prompt went in (its base) and when its turn ended (its end), and the diff
between them (or the base and the workspace now, while the turn runs).

A snapshot never touches the user's git state: the working tree is read through a
temporary index of its own (so the user's index, branch and stash list stay as they
are), written as a commit object, and kept under ``refs/wxtui/milestones/<id>/`` (a
namespace of its own, removed with the milestone). Untracked files count, ignored ones
do not, as ``git status`` sees them.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wxtui.errors import InvalidInput, WxtuiError
from wxtui.models import Milestone
from wxtui.store import Store

log = logging.getLogger(__name__)

REF_ROOT = "refs/wxtui/milestones"
MAX_SHOWN_LINES = 50_000  # A file's diff longer than this is named, not shown.
Edge = Literal["base", "end"]
ChangeKind = Literal["added", "modified", "deleted", "renamed"]
_KINDS: Mapping[str, ChangeKind] = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed"}
_IDENTITY = {
    "GIT_AUTHOR_NAME": "wxtui",
    "GIT_AUTHOR_EMAIL": "wxtui@localhost",
    "GIT_COMMITTER_NAME": "wxtui",
    "GIT_COMMITTER_EMAIL": "wxtui@localhost",
}


class NotAGitWorkspace(InvalidInput):
    """Review needs git: the workspace is not in a git work tree."""


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    status: ChangeKind
    added: int | None  # Lines; None for a binary file.
    deleted: int | None
    old_path: str | None = None  # A renamed file's former path.

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "added": self.added,
            "deleted": self.deleted,
        }
        if self.old_path is not None:
            found["old_path"] = self.old_path
        return found


@dataclass(frozen=True, slots=True)
class Changes:
    base: str  # The base snapshot's commit.
    end: str | None  # The end snapshot's, or None: against the workspace now.
    files: list[FileChange]

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "end": self.end, "files": [f.to_json() for f in self.files]}


def _git(
    workspace: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True
) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(workspace), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
            timeout=120,
        )
    except FileNotFoundError:
        raise WxtuiError("review needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise WxtuiError(f"git {args[0]} took too long in {workspace}") from None
    if check and done.returncode != 0:
        raise WxtuiError(f"git {args[0]} failed in {workspace}: {done.stderr.strip()[:200]}")
    return done.stdout


def check_workspace(workspace: Path) -> None:
    """NotAGitWorkspace, in one line, unless ``workspace`` is in a git work tree."""
    if not workspace.is_dir():
        raise NotAGitWorkspace(f"review needs the workspace, and {workspace} does not exist")
    inside = _git(workspace, "rev-parse", "--is-inside-work-tree", check=False).strip()
    if inside != "true":
        raise NotAGitWorkspace(f"review needs git: {workspace} is not in a git work tree")


def ref_name(milestone_id: str, edge: Edge) -> str:
    if not milestone_id.isalnum():
        raise InvalidInput(f"not a milestone id: {milestone_id!r}")
    return f"{REF_ROOT}/{milestone_id}/{edge}"


def _tree_of_workspace(workspace: Path) -> str:
    """The working tree as git would commit it with ``git add -A``, through an index of
    its own (the user's index is never read or written)."""
    with tempfile.TemporaryDirectory(prefix="wxtui-index-") as directory:
        env = {"GIT_INDEX_FILE": str(Path(directory) / "index")}
        top = _top(workspace)
        if _git(top, "rev-parse", "--verify", "-q", "HEAD", check=False).strip():
            _git(top, "read-tree", "HEAD", env=env)  # Tracked files stay tracked (even ignored).
        _git(top, "add", "-A", ".", env=env)
        return _git(top, "write-tree", env=env).strip()


def _top(workspace: Path) -> Path:
    return Path(_git(workspace, "rev-parse", "--show-toplevel").strip())


def _scope(workspace: Path) -> str:
    """The workspace within its repository, as a pathspec (``.`` for the whole)."""
    return _git(workspace, "rev-parse", "--show-prefix").strip() or "."


def snapshot(workspace: Path, milestone_id: str, edge: Edge) -> str:
    """Record the workspace as the milestone's ``edge``; the commit's id."""
    check_workspace(workspace)
    tree = _tree_of_workspace(workspace)
    head = _git(workspace, "rev-parse", "--verify", "-q", "HEAD", check=False).strip()
    parents = ["-p", head] if head else []
    message = f"wxtui: milestone {milestone_id} ({edge})"
    commit = _git(workspace, "commit-tree", tree, *parents, "-m", message, env=_IDENTITY).strip()
    _git(workspace, "update-ref", ref_name(milestone_id, edge), commit)
    return commit


def record(workspace: Path, milestone_id: str, edge: Edge) -> str | None:
    """:func:`snapshot` on the agent's behalf: never fails (a workspace without git has
    nothing to record, and the review says so; any other trouble is logged)."""
    try:
        return snapshot(workspace, milestone_id, edge)
    except NotAGitWorkspace:
        return None
    except WxtuiError as error:
        log.warning("milestone %s: no %s snapshot: %s", milestone_id, edge, error)
        return None


def start_range(store: Store, milestone: Milestone) -> None:
    """The milestone's work starts now: its base; and the range of every other milestone
    of the project whose end was not recorded (an agent whose turns wxtui does not see)
    ends here, so milestones in a row each get their own."""
    workspace = workspace_of(store, milestone)
    commit = record(workspace, milestone.id, "base")
    if commit is None:
        return
    # Sent again: a new range, from here.
    _git(workspace, "update-ref", "-d", ref_name(milestone.id, "end"), check=False)
    for other in store.list_milestones(milestone.output_project_id):
        if other.id == milestone.id:
            continue
        if _resolve(workspace, other.id, "base") and not _resolve(workspace, other.id, "end"):
            _git(workspace, "update-ref", ref_name(other.id, "end"), commit, check=False)


def close_range(workspace: Path, milestone_id: str) -> None:
    """Reviewed (approved or rejected): its range ends now if its end was not recorded
    (an agent whose turns wxtui does not see), so later work is not counted in it."""
    try:
        check_workspace(workspace)
    except NotAGitWorkspace:
        return
    if _resolve(workspace, milestone_id, "base") and not _resolve(workspace, milestone_id, "end"):
        record(workspace, milestone_id, "end")


def set_status(store: Store, milestone_id: str, status: str) -> Milestone:
    """A milestone's status as the user sets it, with its review's range: in progress
    starts it, completed or failed (reviewed) ends it."""
    milestone = store.get_milestone(milestone_id)
    if status == "in_progress":
        start_range(store, milestone)
    elif status in ("completed", "failed"):
        close_range(workspace_of(store, milestone), milestone.id)
    return store.set_milestone_status(milestone.id, status)


def remove_milestone(store: Store, milestone_id: str) -> None:
    """The milestone, and its snapshots' refs."""
    milestone = store.get_milestone(milestone_id)
    store.remove_milestone(milestone.id)
    forget(workspace_of(store, milestone), milestone.id)


def remove_project(store: Store, project_id: str) -> None:
    """The project, its milestones, and their snapshots' refs."""
    project = store.get_project(project_id)
    milestones = store.list_milestones(project.id)
    store.remove_project(project.id)
    for milestone in milestones:
        forget(Path(project.workspace_path), milestone.id)


def workspace_of(store: Store, milestone: Milestone) -> Path:
    """The workspace of the milestone's project."""
    return Path(store.get_project(milestone.output_project_id).workspace_path)


def forget(workspace: Path, milestone_id: str) -> None:
    """Remove the milestone's refs (its snapshots become unreachable)."""
    if not workspace.is_dir():
        return
    for edge in ("base", "end"):
        _git(workspace, "update-ref", "-d", ref_name(milestone_id, edge), check=False)


def _resolve(workspace: Path, milestone_id: str, edge: Edge) -> str | None:
    found = _git(
        workspace, "rev-parse", "--verify", "-q", ref_name(milestone_id, edge), check=False
    )
    return found.strip() or None


def changes(workspace: Path, milestone_id: str) -> Changes:
    """The files the milestone changed: its base against its end (or the workspace now)."""
    return open_review(workspace, milestone_id).changes


@dataclass(frozen=True, slots=True)
class Review:
    """A milestone's range, fixed when opened (the workspace may move on meanwhile)."""

    top: Path  # The repository's top: file paths are relative to it.
    scope: str  # The workspace within it.
    changes: Changes
    target: str  # The end's commit, or the tree of the workspace when it was opened.

    def too_big(self, change: FileChange) -> bool:
        return (change.added or 0) + (change.deleted or 0) > MAX_SHOWN_LINES

    def diff(self, path: str | None = None) -> str:
        """The unified diff of one file (its old path too, for a rename), or of all; a
        file of more than MAX_SHOWN_LINES changed lines is named, with the command that
        shows it."""
        changes = [f for f in self.changes.files if path is None or f.path == path]
        shown = [f for f in changes if not self.too_big(f)]
        notes = "".join(
            f"{f.path}: {(f.added or 0) + (f.deleted or 0)} lines changed, too many to show "
            f"here (git diff {self.changes.base[:12]} {self.target[:12]} -- {f.path})\n"
            for f in changes
            if self.too_big(f)
        )
        if not shown:
            return notes
        paths = [p for f in shown for p in (f.path, f.old_path) if p]
        text = _git(
            self.top, "diff", "-M", "--no-color", self.changes.base, self.target, "--", *paths
        )
        return notes + text


def open_review(workspace: Path, milestone_id: str) -> Review:
    base, end, target = _range(workspace, milestone_id)
    top, scope = _top(workspace), _scope(workspace)
    numstat = _git(top, "diff", "--numstat", "-z", "-M", base, target, "--", scope)
    files = _parse_numstat(numstat, _statuses(top, base, target, scope))
    return Review(top, scope, Changes(base, end, files), target)


def diff_text(workspace: Path, milestone_id: str) -> str:
    """The milestone's changes as a unified diff (binary files named, not shown)."""
    return open_review(workspace, milestone_id).diff()


def _range(workspace: Path, milestone_id: str) -> tuple[str, str | None, str]:
    check_workspace(workspace)
    base = _resolve(workspace, milestone_id, "base")
    if base is None:
        raise InvalidInput(
            "this milestone has no base snapshot: its changes are recorded from when its "
            "prompt is sent (p, or the milestone set to in_progress)"
        )
    end = _resolve(workspace, milestone_id, "end")
    return base, end, end or _tree_of_workspace(workspace)


def _statuses(
    top: Path, base: str, target: str, scope: str
) -> dict[str, tuple[ChangeKind, str | None]]:
    fields = _git(top, "diff", "--name-status", "-z", "-M", base, target, "--", scope).split("\0")
    found: dict[str, tuple[ChangeKind, str | None]] = {}
    index = 0
    while index < len(fields) and fields[index]:
        code = fields[index][0]
        if code == "R":
            old, new = fields[index + 1], fields[index + 2]
            found[new] = ("renamed", old)
            index += 3
        else:
            found[fields[index + 1]] = (_KINDS.get(code, "modified"), None)
            index += 2
    return found


def _parse_numstat(
    text: str, statuses: Mapping[str, tuple[ChangeKind, str | None]]
) -> list[FileChange]:
    files = []
    fields = text.split("\0")
    index = 0
    while index < len(fields) and fields[index]:
        added, deleted, path = fields[index].split("\t", 2)
        index += 1
        if not path:  # A rename: old and new paths follow.
            path = fields[index + 1]
            index += 2
        status, old = statuses.get(path, ("modified", None))
        files.append(
            FileChange(
                path,
                status,
                None if added == "-" else int(added),
                None if deleted == "-" else int(deleted),
                old,
            )
        )
    return files
