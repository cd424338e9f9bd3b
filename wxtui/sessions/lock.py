"""Per-project locks that keep two wxtui processes from running two agents for one project.

``flock`` is tied to the open file, so the OS releases it when the holder dies:
a crashed wxtui never blocks the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from pathlib import Path

from wxtui.errors import WxtuiError

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def lock_dir_for(db_path: Path) -> Path:
    """Where a database's locks live: beside it (the resolved file, so a path through
    a symlink finds the same locks), so every wxtui on it agrees."""
    db_path = db_path.resolve()
    return db_path.with_name(db_path.name + ".locks")


class LockHeld(WxtuiError):
    def __init__(self, pid: int | None) -> None:
        holder = f"pid {pid}" if pid else "unknown pid"
        super().__init__(f"running in another wxtui ({holder})")
        self.pid = pid


class ProjectLock:
    """Held for as long as a project's session lives in this process."""

    def __init__(self, directory: Path, project_id: str) -> None:
        if not _SAFE_NAME.fullmatch(project_id):  # It becomes a file name.
            raise WxtuiError(f"not a project id: {project_id[:40]!r}")
        self.path = directory / f"{project_id}.lock"
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise LockHeld(pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
