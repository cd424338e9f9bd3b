"""Where a database's session host listens, and whether something does: all a client
needs of the host to find it (without importing the host and what it runs)."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

from wxtui.sessions.runtime import user_runtime_dir


def host_socket_path(db_path: Path) -> Path:
    """The host's socket for this database: from the database's resolved path and the
    user alone, so every process of this user finds it, whatever its environment."""
    digest = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:16]
    return user_runtime_dir() / f"host-{digest}.sock"


def host_running(socket_path: Path) -> bool:
    """Something accepts connections on the host's socket."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(socket_path))
    except OSError:
        return False
    finally:
        probe.close()
    return True
