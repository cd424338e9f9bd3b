"""The embedded SQLite store of projects, milestones and Claude conversation ids.

The file is validated before anything is written to it, so a foreign or newer
database is refused untouched rather than "repaired" into ours.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from wxtui.errors import DatabaseBusy, DatabaseRefused, InvalidInput, NotFound, WxtuiError
from wxtui.models import (
    MILESTONE_STATUSES,
    PROJECT_STATUSES,
    Conversation,
    Milestone,
    OutputProject,
)

APPLICATION_ID = 0x77787475  # "wxtu": marks the file as ours.
BUSY_TIMEOUT_MS = 10_000

_SCHEMA_V1 = f"""
CREATE TABLE output_projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    workspace_path TEXT NOT NULL,
    command TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'created' CHECK (status IN {PROJECT_STATUSES!r}),
    claude_session_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    output_project_id TEXT NOT NULL
        REFERENCES output_projects(id) ON DELETE CASCADE,
    element_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN {MILESTONE_STATUSES!r}),
    prompt TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX milestones_by_project ON milestones(output_project_id);
"""

# Version 2: every conversation id a project has used (with when and why), the last
# known state of each project's agent (readable by the CLI while a TUI runs), and the
# milestone whose turn ended, waiting for review.
_SCHEMA_V2 = """
CREATE TABLE conversations (
    output_project_id TEXT NOT NULL
        REFERENCES output_projects(id) ON DELETE CASCADE,
    claude_session_id TEXT NOT NULL,
    source TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX conversations_by_project ON conversations(output_project_id);
INSERT INTO conversations (output_project_id, claude_session_id, source, at)
    SELECT id, claude_session_id, 'stored', updated_at FROM output_projects
    WHERE claude_session_id IS NOT NULL;
CREATE TABLE agent_states (
    output_project_id TEXT PRIMARY KEY
        REFERENCES output_projects(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
ALTER TABLE milestones ADD COLUMN ready_for_review INTEGER NOT NULL DEFAULT 0
"""

# Index i holds the script that takes the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (_SCHEMA_V1, _SCHEMA_V2)
SCHEMA_VERSION = len(MIGRATIONS)

_PROJECT_COLUMNS = (
    "id, name, workspace_path, command, status, claude_session_id, created_at, updated_at"
)
_MILESTONE_COLUMNS = (
    "id, output_project_id, element_name, status, prompt, created_at, updated_at, completed_at"
)


def default_db_path(cli_path: str | None, environ: Mapping[str, str]) -> Path:
    """SPEC order: ``--db``, then ``WXTUI_DB``, then the platform's user data dir;
    resolved once, here (a relative path means the same file to every process, the
    session host too). Only the default location is created: a given path whose
    folder does not exist is a typo, refused with InvalidInput."""
    if cli_path is not None:
        if not cli_path.strip():
            raise InvalidInput("--db needs a path")
        return _existing_folder(Path(cli_path).expanduser().resolve(), "--db")
    if environ.get("WXTUI_DB"):
        return _existing_folder(Path(environ["WXTUI_DB"]).expanduser().resolve(), "WXTUI_DB")
    return (Path(platformdirs.user_data_dir("wxtui", appauthor=False)) / "wxtui.db").resolve()


def _existing_folder(path: Path, given_by: str) -> Path:
    if not path.parent.is_dir():
        raise InvalidInput(f"{given_by}: no such directory: {path.parent}")
    return path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _check_name(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput(f"{what} name must not be empty")
    return cleaned


def check_directory(path: str) -> str:
    """Return the absolute form of an existing directory, or raise InvalidInput."""
    absolute = os.path.abspath(os.path.expanduser(path))
    if os.path.exists(absolute) and not os.path.isdir(absolute):
        raise InvalidInput(f"not a directory: {absolute}")
    if not os.path.isdir(absolute):
        raise InvalidInput(f"directory does not exist: {absolute}")
    return absolute


def check_command(command: str) -> str:
    cleaned = command.strip()
    try:
        shlex.split(cleaned)
    except ValueError as exc:
        raise InvalidInput(f"command cannot be parsed: {exc}") from None
    return cleaned


def check_milestone_status(status: str) -> str:
    if status not in MILESTONE_STATUSES:
        raise InvalidInput(
            f"invalid milestone status {status!r} (choose from {', '.join(MILESTONE_STATUSES)})"
        )
    return status


def _create_private_file(path: Path) -> None:
    """Create missing parent directories (0700) and the database file itself (0600)."""
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _refuse_foreign_file(path: Path) -> None:
    """Only SQLite opens the file: closing any other descriptor of it would drop the
    POSIX locks every connection of this process holds on it (SQLite's own warning),
    and another process could then reset the write-ahead log under them. So a file
    that is not SQLite is found by SQLite, when the database is first read."""
    if not path.is_file():
        raise DatabaseRefused(f"{path} is not a regular file")
    if not os.access(path, os.R_OK):
        raise DatabaseRefused(f"cannot read database {path}: permission denied")


class Store:
    """All reads and writes of the database; every write is one transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path).resolve()  # One name for the file, whatever the cwd or links.
        try:
            if path.exists():
                _refuse_foreign_file(path)
            else:
                _create_private_file(path)
            connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except OSError as exc:
            raise WxtuiError(f"cannot open database {path}: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            raise DatabaseRefused(f"cannot open database {path}: {exc}") from None
        store = cls(connection, path)
        try:
            store._prepare()
        except BaseException:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        db = self._db
        try:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DatabaseRefused(
                f"{self.path} is not a wxtui database (not a SQLite file: {exc})"
            ) from None
        if application_id != APPLICATION_ID and (application_id != 0 or tables or version):
            raise DatabaseRefused(f"{self.path} is not a wxtui database")
        if version > SCHEMA_VERSION:
            raise DatabaseRefused(
                f"{self.path} was written by a newer wxtui (schema {version}, "
                f"this wxtui knows up to {SCHEMA_VERSION})"
            )
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._migrate(version)
        with contextlib.suppress(sqlite3.OperationalError):  # Read-only: keep the journal.
            db.execute("PRAGMA journal_mode = WAL")

    def _migrate(self, version: int) -> None:
        try:
            with self._transaction():
                # Re-read under the write lock: another process may have migrated meanwhile.
                current = self._db.execute("PRAGMA user_version").fetchone()[0]
                for script in MIGRATIONS[current:]:
                    for statement in filter(str.strip, script.split(";")):
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise WxtuiError(f"cannot initialise database {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another process's lock before DatabaseBusy."""
        self._db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose SQLite failures become one-line errors."""
        try:
            with self._transaction() as db:
                yield db
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED")
            error = DatabaseBusy if busy or "locked" in str(exc) else WxtuiError
            raise error(f"database write failed ({self.path}): {exc}") from None
        except sqlite3.Error as exc:
            raise WxtuiError(f"database write failed ({self.path}): {exc}") from None

    def data_version(self) -> int:
        """Changes whenever another connection commits: cheap change detection for the UI."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def version(self) -> tuple[int, int]:
        """Changes whenever anyone commits, this connection included (data_version only
        sees the others' commits)."""
        return self.data_version(), self._db.total_changes

    # -- projects ----------------------------------------------------------------

    def _new_id(self, table: str) -> str:
        while True:
            candidate = secrets.token_hex(4)
            row = self._db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,))
            if row.fetchone() is None:
                return candidate

    def add_project(self, name: str, workspace_path: str, command: str = "") -> OutputProject:
        name = _check_name(name, "project")
        workspace = check_directory(workspace_path)
        command = check_command(command)
        now = _now()
        with self._write() as db:
            if self._project_named(name) is not None:
                raise InvalidInput(f"a project named {name!r} already exists")
            project_id = self._new_id("output_projects")
            db.execute(
                f"INSERT INTO output_projects ({_PROJECT_COLUMNS}) "
                "VALUES (?, ?, ?, ?, 'created', NULL, ?, ?)",
                (project_id, name, workspace, command, now, now),
            )
        return self.get_project(project_id)

    def _project_named(self, name: str) -> OutputProject | None:
        row = self._db.execute(
            f"SELECT {_PROJECT_COLUMNS} FROM output_projects WHERE name = ?", (name,)
        ).fetchone()
        return OutputProject(*row) if row else None

    def get_project(self, project_id: str) -> OutputProject:
        row = self._db.execute(
            f"SELECT {_PROJECT_COLUMNS} FROM output_projects WHERE id = ?", (project_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"unknown project: {project_id}")
        return OutputProject(*row)

    def find_project(self, ref: str) -> OutputProject:
        """A project by id, else by exact name (ids are tried first)."""
        try:
            return self.get_project(ref)
        except NotFound:
            project = self._project_named(ref)
            if project is None:
                raise NotFound(f"unknown project: {ref}") from None
            return project

    def list_projects(self) -> list[OutputProject]:
        rows = self._db.execute(
            f"SELECT {_PROJECT_COLUMNS} FROM output_projects ORDER BY rowid"
        ).fetchall()
        return [OutputProject(*row) for row in rows]

    def edit_project(
        self,
        project_id: str,
        *,
        name: str | None = None,
        workspace_path: str | None = None,
        command: str | None = None,
    ) -> OutputProject:
        project = self.get_project(project_id)
        new_name = project.name if name is None else _check_name(name, "project")
        workspace = (
            project.workspace_path if workspace_path is None else check_directory(workspace_path)
        )
        new_command = project.command if command is None else check_command(command)
        with self._write() as db:
            other = self._project_named(new_name)
            if other is not None and other.id != project_id:
                raise InvalidInput(f"a project named {new_name!r} already exists")
            db.execute(
                "UPDATE output_projects SET name = ?, workspace_path = ?, command = ?, "
                "updated_at = ? WHERE id = ?",
                (new_name, workspace, new_command, _now(), project_id),
            )
        return self.get_project(project_id)

    def _update_project_field(self, project_id: str, column: str, value: str | None) -> None:
        with self._write() as db:
            cursor = db.execute(
                f"UPDATE output_projects SET {column} = ?, updated_at = ? WHERE id = ?",
                (value, _now(), project_id),
            )
            if cursor.rowcount == 0:
                raise NotFound(f"unknown project: {project_id}")

    def set_project_status(self, project_id: str, status: str) -> None:
        if status not in PROJECT_STATUSES:
            raise InvalidInput(f"invalid project status {status!r}")
        self._update_project_field(project_id, "status", status)

    def set_claude_session_id(
        self, project_id: str, session_id: str | None, source: str = "wxtui"
    ) -> None:
        """The conversation the next start resumes; every id set is kept in the history."""
        self.record_conversation(project_id, session_id, source)

    def record_conversation(self, project_id: str, session_id: str | None, source: str) -> bool:
        """Make ``session_id`` current, noting why (``startup``, ``clear``, ``resume``...).

        A repeat of the current id changes nothing. True when something changed."""
        now = _now()
        with self._write() as db:
            row = db.execute(
                "SELECT claude_session_id FROM output_projects WHERE id = ?", (project_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"unknown project: {project_id}")
            if row[0] == session_id:
                return False
            db.execute(
                "UPDATE output_projects SET claude_session_id = ?, updated_at = ? WHERE id = ?",
                (session_id, now, project_id),
            )
            if session_id is not None:
                db.execute(
                    "INSERT INTO conversations (output_project_id, claude_session_id, source, at) "
                    "VALUES (?, ?, ?, ?)",
                    (project_id, session_id, source, now),
                )
        return True

    def conversation_history(self, project_id: str) -> list[Conversation]:
        """Every conversation id the project has used, oldest first."""
        self.get_project(project_id)
        rows = self._db.execute(
            "SELECT claude_session_id, source, at FROM conversations "
            "WHERE output_project_id = ? ORDER BY rowid",
            (project_id,),
        ).fetchall()
        return [Conversation(*row) for row in rows]

    def use_conversation(self, project_id: str, session_id: str) -> None:
        """Make an earlier conversation of this project the one the next start resumes."""
        if all(c.claude_session_id != session_id for c in self.conversation_history(project_id)):
            raise InvalidInput(f"project {project_id} never had conversation {session_id}")
        self.record_conversation(project_id, session_id, "use")

    def set_agent_state(self, project_id: str, state: str, reason: str = "") -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO agent_states (output_project_id, state, reason, updated_at) "
                "SELECT id, ?, ?, ? FROM output_projects WHERE id = ? "
                "ON CONFLICT (output_project_id) DO UPDATE SET "
                "state = excluded.state, reason = excluded.reason, "
                "updated_at = excluded.updated_at",
                (state, reason, _now(), project_id),
            )

    def agent_states(self) -> dict[str, tuple[str, str]]:
        """The last known (state, reason) of each project's agent, by project id."""
        rows = self._db.execute(
            "SELECT output_project_id, state, reason FROM agent_states"
        ).fetchall()
        return {project_id: (state, reason) for project_id, state, reason in rows}

    def remove_project(self, project_id: str) -> None:
        with self._write() as db:
            cursor = db.execute("DELETE FROM output_projects WHERE id = ?", (project_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"unknown project: {project_id}")

    # -- milestones --------------------------------------------------------------

    def add_milestone(
        self, project_id: str, element_name: str, prompt: str | None = None
    ) -> Milestone:
        element_name = _check_name(element_name, "milestone")
        now = _now()
        with self._write() as db:
            self.get_project(project_id)
            self._refuse_duplicate_milestone(project_id, element_name)
            milestone_id = self._new_id("milestones")
            db.execute(
                f"INSERT INTO milestones ({_MILESTONE_COLUMNS}) "
                "VALUES (?, ?, ?, 'pending', ?, ?, ?, NULL)",
                (milestone_id, project_id, element_name, prompt or None, now, now),
            )
        return self.get_milestone(milestone_id)

    def get_milestone(self, milestone_id: str) -> Milestone:
        row = self._db.execute(
            f"SELECT {_MILESTONE_COLUMNS} FROM milestones WHERE id = ?", (milestone_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"unknown milestone: {milestone_id}")
        return Milestone(*row)

    def _refuse_duplicate_milestone(self, project_id: str, name: str) -> None:
        row = self._db.execute(
            "SELECT 1 FROM milestones WHERE output_project_id = ? AND element_name = ?",
            (project_id, name),
        ).fetchone()
        if row is not None:
            raise InvalidInput(f"this project already has a milestone named {name!r}")

    def find_milestone(self, ref: str) -> Milestone:
        """A milestone by id, else by name: unique in the database, or ``PROJECT/NAME``."""
        try:
            return self.get_milestone(ref)
        except NotFound:
            pass
        candidates = [m for m in self.list_milestones() if m.element_name == ref]
        if not candidates and "/" in ref:
            project_ref, _, name = ref.partition("/")
            try:
                project = self.find_project(project_ref)
            except NotFound:
                raise NotFound(f"unknown milestone: {ref}") from None
            candidates = [m for m in self.list_milestones(project.id) if m.element_name == name]
        if not candidates:
            raise NotFound(f"unknown milestone: {ref}")
        if len(candidates) > 1:
            names = ", ".join(
                f"{m.id} ({self.get_project(m.output_project_id).name}/{m.element_name})"
                for m in candidates
            )
            raise InvalidInput(f"milestone name {ref!r} is ambiguous: {names}")
        return candidates[0]

    def list_milestones(self, project_id: str | None = None) -> list[Milestone]:
        if project_id is None:
            query = f"SELECT {_MILESTONE_COLUMNS} FROM milestones ORDER BY rowid"
            rows = self._db.execute(query).fetchall()
        else:
            query = (
                f"SELECT {_MILESTONE_COLUMNS} FROM milestones "
                "WHERE output_project_id = ? ORDER BY rowid"
            )
            rows = self._db.execute(query, (project_id,)).fetchall()
        return [Milestone(*row) for row in rows]

    def edit_milestone(
        self, milestone_id: str, *, element_name: str | None = None, prompt: str | None = None
    ) -> Milestone:
        milestone = self.get_milestone(milestone_id)
        name = (
            milestone.element_name
            if element_name is None
            else _check_name(element_name, "milestone")
        )
        new_prompt = milestone.prompt if prompt is None else (prompt or None)
        with self._write() as db:
            if name != milestone.element_name:
                self._refuse_duplicate_milestone(milestone.output_project_id, name)
            db.execute(
                "UPDATE milestones SET element_name = ?, prompt = ?, updated_at = ? WHERE id = ?",
                (name, new_prompt, _now(), milestone_id),
            )
        return self.get_milestone(milestone_id)

    def set_milestone_status(self, milestone_id: str, status: str) -> Milestone:
        """Set by the user (or on their behalf): a review it waited for is done."""
        check_milestone_status(status)
        now = _now()
        completed_at = now if status == "completed" else None
        with self._write() as db:
            cursor = db.execute(
                "UPDATE milestones SET status = ?, updated_at = ?, completed_at = ?, "
                "ready_for_review = 0 WHERE id = ?",
                (status, now, completed_at, milestone_id),
            )
            if cursor.rowcount == 0:
                raise NotFound(f"unknown milestone: {milestone_id}")
        return self.get_milestone(milestone_id)

    def set_ready_for_review(self, milestone_id: str, ready: bool = True) -> None:
        """The agent's turn for this milestone ended: it waits for the user to review it."""
        with self._write() as db:
            db.execute(
                "UPDATE milestones SET ready_for_review = ? WHERE id = ?",
                (int(ready), milestone_id),
            )

    def milestones_ready_for_review(self) -> set[str]:
        rows = self._db.execute("SELECT id FROM milestones WHERE ready_for_review = 1")
        return {row[0] for row in rows}

    def remove_milestone(self, milestone_id: str) -> None:
        with self._write() as db:
            cursor = db.execute("DELETE FROM milestones WHERE id = ?", (milestone_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"unknown milestone: {milestone_id}")
