"""A stand-in for the ``claude`` CLI: records how it was started and echoes its input.

Installed as an executable named ``claude`` on PATH by the tests. It records
argv (without ``--settings``), the settings file, cwd and pid to ``$FAKE_CLAUDE_LOG``
(one JSON line per start), echoes input lines with control characters in caret form, creates the transcript file Claude would create for
``--session-id``, and refuses ids listed in ``$FAKE_CLAUDE_REFUSE`` the way Claude does.

Given ``--settings FILE``, it runs the hook commands there as Claude does (through
``/bin/sh -c``, the event's JSON on stdin): SessionStart at start, and for input lines
``permission``
(PreToolUse and PermissionRequest for Bash), ``tool-done`` (PostToolUse),
``clear`` (SessionEnd, then SessionStart with a new id), ``fail`` (StopFailure) and
``nested`` (another fake claude run as a tool would, with ``-p``, which fires its
own SessionStart with its own id); any other line is a prompt (UserPromptSubmit, then
Stop with ``Answer to TEXT``; a leading ``prompt `` is dropped).
"""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

HOOKS: dict = {}
SESSION = {"id": ""}


def fire(event: str, **fields) -> None:
    payload = json.dumps(
        {"session_id": SESSION["id"], "cwd": os.getcwd(), "hook_event_name": event, **fields}
    )
    for matcher in HOOKS.get(event, []):
        for hook in matcher.get("hooks", []):
            subprocess.run(["/bin/sh", "-c", hook["command"]], input=payload.encode(), check=False)


def transcript_path(session_id: str) -> Path:
    config = Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")
    folder = re.sub(r"[^A-Za-z0-9]", "-", os.getcwd())
    return config / "projects" / folder / f"{session_id}.jsonl"


def main() -> int:
    argv = sys.argv[1:]
    settings = None
    if "--settings" in argv:
        index = argv.index("--settings")
        settings = argv[index + 1]
        del argv[index : index + 2]
        if Path(settings).is_file():
            HOOKS.update(json.loads(Path(settings).read_text()).get("hooks", {}))
    record = {
        "argv": argv,
        "settings": settings,
        "agent_view_off": os.environ.get("CLAUDE_CODE_DISABLE_AGENT_VIEW"),
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
    if exit_saying := os.environ.get("FAKE_CLAUDE_EXIT_SAYING"):  # {id}: the id it was given.
        print(exit_saying.replace("{id}", session_id or ""), flush=True)
        return 1
    refused = os.environ.get("FAKE_CLAUDE_REFUSE", "").split(",")
    if session_id and session_id in refused:
        print(f"No conversation found with session ID: {session_id}", flush=True)
        return 1
    if "--session-id" in argv and session_id:
        path = transcript_path(session_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"type": "start"}) + "\n")
    SESSION["id"] = session_id or str(uuid.uuid4())
    if "-p" in argv:
        fire("SessionStart", source="startup")
        print("nested done", flush=True)
        return 0
    fire("SessionStart", source="resume" if "--resume" in argv else "startup")
    print(f"FAKE-CLAUDE pid={os.getpid()} args={' '.join(argv)}", flush=True)
    print("\x1b[32mready\x1b[0m", flush=True)
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line == "quit":
            return 0
        if line.startswith("exit "):
            return int(line.split()[1])
        shown = "".join(f"^{chr(ord(c) + 64)}" if ord(c) < 32 else c for c in line)
        print(f"echo: {shown}", flush=True)  # control characters in caret form, as received
        if line == "permission":
            tool_input = {"command": "rm -rf build", "description": "Clean"}
            fire("PreToolUse", tool_name="Bash", tool_input=tool_input)
            fire("PermissionRequest", tool_name="Bash", tool_input=tool_input)
        elif line == "tool-done":
            fire("PostToolUse", tool_name="Bash", tool_input={}, tool_response={})
        elif line == "fail":
            fire("StopFailure", error="rate_limit", last_assistant_message="API Error: 429")
        elif line == "clear":
            fire("SessionEnd", reason="clear")
            SESSION["id"] = str(uuid.uuid4())
            fire("SessionStart", source="clear")
            print(f"cleared to {SESSION['id']}", flush=True)
        elif line == "nested":
            subprocess.run([sys.argv[0], "-p", "do something", *sys.argv[1:]], check=False)
        elif line.strip():  # Any other line is a prompt: one turn, answered at once.
            prompt = line.removeprefix("prompt ")
            fire("UserPromptSubmit", prompt=prompt)
            fire("Stop", last_assistant_message=f"Answer to {prompt}\nmore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
