"""A git workspace for the review tests: files committed on ``main`` by a test identity."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(workspace: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(workspace), *args], capture_output=True, text=True, check=True
    ).stdout


def repository(workspace: Path, files: dict[str, str]) -> Path:
    """``workspace`` as a repository whose one commit holds ``files``."""
    workspace.mkdir(parents=True, exist_ok=True)
    git(workspace, "init", "-q", "-b", "main")
    for name, text in files.items():
        (workspace / name).write_text(text)
    git(workspace, "add", ".")
    git(workspace, "-c", "user.email=u@x", "-c", "user.name=u", "commit", "-qm", "init")
    return workspace
