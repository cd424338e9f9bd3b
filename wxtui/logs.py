"""The diagnostic log: one rotated file in the platform's user log directory."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3


def log_path() -> Path:
    override = os.environ.get("WXTUI_LOG")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("wxtui", appauthor=False)) / "wxtui.log"


def setup_logging() -> Path | None:
    """Log to the file; a log that cannot be written must never stop the app."""
    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        os.chmod(path, 0o600)
    except OSError:
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger("wxtui")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
