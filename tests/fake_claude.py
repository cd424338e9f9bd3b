"""A stand-in for the ``claude`` CLI: records how it was started and echoes its input.

Installed as an executable named ``claude`` on PATH by the tests. It records
argv, cwd and pid to ``$FAKE_CLAUDE_LOG`` (one JSON line per start), creates
the transcript file Claude would create for ``--session-id``, and refuses ids
listed in ``$FAKE_CLAUDE_REFUSE`` the way Claude does.
"""

import json
import os
import re
import sys
from pathlib import Path


def transcript_path(session_id: str) -> Path:
    config = Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")
    folder = re.sub(r"[^A-Za-z0-9]", "-", os.getcwd())
    return config / "projects" / folder / f"{session_id}.jsonl"


def main() -> int:
    argv = sys.argv[1:]
    record = {
        "argv": argv,
        "cwd": os.getcwd(),
        "pid": os.getpid(),
        "project": os.environ.get("WXTUI_PROJECT_ID"),
        "term": os.environ.get("TERM"),
    }
    log = os.environ.get("FAKE_CLAUDE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    session_id = None
    for flag in ("--session-id", "--resume"):
        if flag in argv:
            session_id = argv[argv.index(flag) + 1]
    refused = os.environ.get("FAKE_CLAUDE_REFUSE", "").split(",")
    if session_id and session_id in refused:
        print(f"No conversation found with session ID: {session_id}", flush=True)
        return 1
    if "--session-id" in argv and session_id:
        path = transcript_path(session_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"type": "start"}) + "\n")
    print(f"FAKE-CLAUDE pid={os.getpid()} args={' '.join(argv)}", flush=True)
    print("\x1b[32mready\x1b[0m", flush=True)
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line == "quit":
            return 0
        if line.startswith("exit "):
            return int(line.split()[1])
        print(f"echo: {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
