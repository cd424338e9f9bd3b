"""A git workspace for the review tests: files committed on ``main`` by a test identity."""

from __future__ import annotations

import subprocess
from pathlib import Path

# An agent that changes the workspace for a milestone: "the first" edits a.txt, adds
# new.txt and deletes old.txt; "the second" changes new.txt and renames b.txt.
AGENT = """#!/bin/sh
echo "agent ready"
while IFS= read -r line; do
  case "$line" in
    *first*) printf 'one\\nTWO\\nthree\\nfour\\n' > a.txt; echo new > new.txt; rm -f old.txt
             echo "did the first";;
    *second*) echo more >> new.txt; mv b.txt c.txt
              echo "did the second";;
    *) echo "got: $line";;
  esac
done
"""


def editing_agent(directory: Path) -> Path:
    """The agent above as an executable script in ``directory``."""
    agent = directory / "agent.sh"
    agent.write_text(AGENT)
    agent.chmod(0o755)
    return agent


def git(workspace: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(workspace), *args], capture_output=True, text=True, check=True
    ).stdout


def repository(workspace: Path, files: dict[str, str]) -> Path:
    """``workspace`` as a repository whose one commit holds ``files``."""
    workspace.mkdir(parents=True, exist_ok=True)
    git(workspace, "init", "-q", "-b", "main")
    for name, text in files.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text)
    git(workspace, "add", ".")
    git(workspace, "-c", "user.email=u@x", "-c", "user.name=u", "commit", "-qm", "init")
    return workspace
