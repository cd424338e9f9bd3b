"""A stand-in for the ``claude`` CLI: records how it was started and echoes its input.

Installed as an executable named ``claude`` on PATH by the tests. It records
argv (without ``--settings``), the settings file, cwd and pid to ``$FAKE_CLAUDE_LOG``
(one JSON line per start), echoes input lines with control characters in caret form, creates the transcript file Claude would create for
``--session-id``, and refuses ids listed in ``$FAKE_CLAUDE_REFUSE`` the way Claude does.

Given ``--settings FILE``, it runs the hook commands there as Claude does (through
``/bin/sh -c``, the event's JSON on stdin): SessionStart at start, and for input lines
``permission``, ``permission-long``, ``permission-edit`` (PreToolUse, then a dialog
and the PermissionRequest hook at once, as Claude does: whichever answers first counts;
``1``/``2`` allow and ``3`` denies in the dialog, and a hook's decision is printed),
``ask`` (the same for an AskUserQuestion), ``tool-done`` (PostToolUse of the tool last
asked for), ``other-tool-done`` (PostToolUse of another tool, as a subagent's),
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
import threading
import uuid
from pathlib import Path

HOOKS: dict = {}
SESSION = {"id": ""}
DIALOG: dict = {}  # The request the dialog shows: {"tool", "input"}; empty when none.
LOCK = threading.Lock()
EVENT_LINES = frozenset({"clear", "nested", "tool-done", "other-tool-done", "fail"})
LAST: dict = {"tool": "Bash", "input": {}}  # The last tool asked for (tool-done reports it).
TOOLS = {
    "permission": ("Bash", {"command": "rm -rf build", "description": "Clean"}),
    "permission-long": (
        "Bash",
        {
            "command": "find . -name '*.pyc' -delete && "
            + " && ".join(f"python -m pytest tests/part{n} -q --maxfail=1" for n in range(8)),
            "description": "Clean and run every part of the test suite",
        },
    ),
    "permission-edit": (
        "Edit",
        {
            "file_path": "/srv/app/src/app.py",
            "old_string": "def main():\n    print('hello')\n    return 0",
            "new_string": "def main() -> int:\n    print('hello, world')\n    return 0",
        },
    ),
    "ask": (
        "AskUserQuestion",
        {
            "questions": [
                {
                    "question": "Which colour should the button be?",
                    "header": "Colour",
                    "multiSelect": False,
                    "options": [
                        {"label": "Red", "description": "A red button"},
                        {"label": "Blue", "description": "A blue button"},
                    ],
                }
            ]
        },
    ),
}


def fire(event: str, **fields) -> list[bytes]:
    """Run the event's hooks; what each printed."""
    payload = json.dumps(
        {"session_id": SESSION["id"], "cwd": os.getcwd(), "hook_event_name": event, **fields}
    )
    printed = []
    for matcher in HOOKS.get(event, []):
        for hook in matcher.get("hooks", []):
            done = subprocess.run(
                ["/bin/sh", "-c", hook["command"]],
                input=payload.encode(),
                stdout=subprocess.PIPE,
                check=False,
            )
            printed.append(done.stdout)
    return printed


def ask_permission(tool: str, tool_input: dict) -> None:
    """Claude's dialog, with the PermissionRequest hook running meanwhile."""
    fire("PreToolUse", tool_name=tool, tool_input=tool_input)
    request = {"tool": tool, "input": tool_input}
    LAST.update(request)
    with LOCK:
        DIALOG.clear()
        DIALOG.update(request)
    print("Do you want to proceed?  1. Yes  2. Yes, and don't ask again  3. No", flush=True)
    suggestions = [{"type": "addRules", "rules": [{"toolName": tool}], "behavior": "allow"}]

    def hook() -> None:
        printed = fire(
            "PermissionRequest",
            tool_name=tool,
            tool_input=tool_input,
            permission_suggestions=suggestions,
        )
        for output in printed:
            if not output.strip():
                continue
            decision = json.loads(output)["hookSpecificOutput"]["decision"]
            with LOCK:
                if request != DIALOG:
                    print("hook answered late: ignored", flush=True)
                    return
                DIALOG.clear()
            if decision["behavior"] == "deny":
                print(f"hook: deny: {decision.get('message', '')}", flush=True)
                fire("Stop", last_assistant_message=f"Denied: {decision.get('message', '')}")
                return
            answers = decision.get("updatedInput", {}).get("answers")
            rules = decision.get("updatedPermissions")
            print(
                "hook: allow"
                + (f" answers={json.dumps(answers)}" if answers else "")
                + (f" rules={len(rules)}" if rules else ""),
                flush=True,
            )
            run_tool(tool, tool_input)
            return

    threading.Thread(target=hook, daemon=True).start()


def run_tool(tool: str, tool_input: dict) -> None:
    print(f"tool ran: {tool}", flush=True)
    fire("PostToolUse", tool_name=tool, tool_input=tool_input, tool_response={})
    fire("Stop", last_assistant_message="Tool finished.")


def answer_in_dialog(line: str) -> bool:
    """A key typed at the dialog: True when it answered it."""
    with LOCK:
        if not DIALOG or line not in ("1", "2", "3"):
            return False
        request = dict(DIALOG)
        DIALOG.clear()
    if line == "3":
        print("dialog: denied", flush=True)
    else:
        print("dialog: allowed", flush=True)
        run_tool(request["tool"], request["input"])
    return True


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
    banner = os.environ.get("FAKE_CLAUDE_BANNER")  # The screenshots' (no test reads it).
    print(banner or f"FAKE-CLAUDE pid={os.getpid()} args={' '.join(argv)}", flush=True)
    print("\x1b[32mready\x1b[0m", flush=True)
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line == "quit":
            return 0
        if line.startswith("exit "):
            return int(line.split()[1])
        shown = "".join(f"^{chr(ord(c) + 64)}" if ord(c) < 32 else c for c in line)
        print(f"echo: {shown}", flush=True)  # control characters in caret form, as received
        if answer_in_dialog(line):
            continue
        # As Claude, for any prompt (the other commands stand for events, not prompts).
        if line.strip() and line not in EVENT_LINES:
            fire("UserPromptSubmit", prompt=line.removeprefix("prompt "))
        if line in TOOLS:
            ask_permission(*TOOLS[line])
        elif line == "other-tool-done":  # A subagent's tool, beside the one asked for.
            fire("PostToolUse", tool_name="Read", tool_input={"file_path": "x"}, tool_response={})
        elif line == "tool-done":
            fire("PostToolUse", tool_name=LAST["tool"], tool_input=LAST["input"], tool_response={})
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
            fire("Stop", last_assistant_message=f"Answer to {prompt}\nmore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
