"""What a waiting request asks, in full and readable: a Bash command, the file and a diff
for Edit and Write, the URL for WebFetch, a question with its options."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from rich.text import Text

from wxtui.sessions.permission_requests import PendingRequest
from wxtui.text import inert

MAX_LINES = 60  # Of a file's content or a diff; the rest is counted.


def describe_request(request: PendingRequest) -> Text:
    tool, given = request.tool, request.tool_input
    text = Text()
    if request.is_question:
        for question in request.questions():
            text.append(f"{_clean(question.text)}\n", style="bold")
            for number, option in enumerate(question.options, start=1):
                text.append(f"  {number}. {_clean(option)}\n")
    elif tool == "Bash" and isinstance(given.get("command"), str):
        text.append("Bash  ", style="bold")
        text.append(f"$ {_clean(given['command'], keep_lines=True)}\n")
        if isinstance(given.get("description"), str):
            text.append(f"{_clean(given['description'])}\n", style="dim")
    elif tool in ("Edit", "MultiEdit", "Write") and isinstance(given.get("file_path"), str):
        text.append(f"{tool}  ", style="bold")
        text.append(f"{_clean(given['file_path'])}\n")
        _diff(text, _changes(tool, given))
    elif tool == "WebFetch" and isinstance(given.get("url"), str):
        text.append("WebFetch  ", style="bold")
        text.append(f"{_clean(given['url'])}\n", style="underline")
        if isinstance(given.get("prompt"), str):
            text.append(f"{_clean(given['prompt'])}\n", style="dim")
    else:
        text.append(f"{_clean(tool)}\n", style="bold")
        shown = json.dumps(dict(given), indent=2, ensure_ascii=False).splitlines()
        _lines(text, shown, style="")
    text.rstrip()
    return text


def _changes(tool: str, given: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(old, new) pairs of text the tool changes."""
    if tool == "Write":
        return [("", str(given.get("content", "")))]
    if tool == "MultiEdit" and isinstance(given.get("edits"), list):
        return [
            (str(e.get("old_string", "")), str(e.get("new_string", "")))
            for e in given["edits"]
            if isinstance(e, dict)
        ]
    return [(str(given.get("old_string", "")), str(given.get("new_string", "")))]


def _diff(text: Text, changes: list[tuple[str, str]]) -> None:
    lines: list[str] = []
    for old, new in changes:
        diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3)
        lines.extend(line for line in diff if not line.startswith(("---", "+++")))
    _lines(text, lines, style=None)


def _lines(text: Text, lines: list[str], style: str | None) -> None:
    """Lines under the request, at most MAX_LINES; ``style`` None: coloured as a diff."""
    for line in lines[:MAX_LINES]:
        if style is None:
            look = (
                "green"
                if line.startswith("+")
                else "red"
                if line.startswith("-")
                else "cyan"
                if line.startswith("@@")
                else ""
            )
        else:
            look = style
        text.append(f"{_clean(line, keep_lines=False)}\n", style=look)
    if len(lines) > MAX_LINES:
        text.append(f"… {len(lines) - MAX_LINES} more lines\n", style="dim")


def _clean(value: str, keep_lines: bool = False) -> str:
    """Printable text (a request is Claude's, and may hold anything); multi-line
    commands keep their lines, indented."""
    if keep_lines:
        return "\n  ".join(inert(line, " ") for line in value.splitlines())
    return inert(value.replace("\n", " "), " ")
