"""Claude's requests that wait for the user: a tool's permission, or a question it asks
(``AskUserQuestion``), answered through its ``PermissionRequest`` hook.

Claude shows its own dialog and runs the hook at the same time; whichever answers
first counts. The hook's relay waits on the session host for a decision, so an answer
from the inbox or ``wxtui inbox answer`` reaches exactly that request of that session,
and the pane's dialog keeps working for whoever answers there. An answer is only ever
the hook's reply: nothing is typed into the pane.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wxtui.errors import InvalidInput

QUESTION_TOOL = "AskUserQuestion"
# What the wire and the inbox carry of a tool's input: long file contents are cut (the
# host keeps the request whole, and answers are made from that).
PREVIEW_CHARS = 64 * 1024


class Decision(StrEnum):
    ALLOW = "allow"  # once
    ALWAYS = "always"  # and don't ask again, as Claude's own dialog offers
    DENY = "deny"  # with an optional message that Claude receives
    REPLY = "reply"  # the answer to a question

    @property
    def done(self) -> str:
        """What was done, in a word or three: "allowed", "denied"..."""
        return _DONE[self]


_DONE = {
    Decision.ALLOW: "allowed",
    Decision.ALWAYS: "allowed, and not asked again",
    Decision.DENY: "denied",
    Decision.REPLY: "answered",
}


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    header: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """One request as the hook reported it. ``id`` is the host's own, unique for the
    host's life; ``suggestions``: the permission rules Claude's "don't ask again" adds."""

    id: str
    tool: str
    tool_input: Mapping[str, Any]
    suggestions: tuple[Mapping[str, Any], ...] = field(default=())

    @classmethod
    def from_hook(cls, event: Mapping[str, Any]) -> PendingRequest:
        tool = event.get("tool_name")
        tool_input = event.get("tool_input")
        suggestions = event.get("permission_suggestions")
        return cls(
            id=secrets.token_hex(8),
            tool=tool if isinstance(tool, str) else "a tool",
            tool_input=tool_input if isinstance(tool_input, dict) else {},
            suggestions=tuple(
                s
                for s in (suggestions if isinstance(suggestions, list) else [])
                if isinstance(s, dict)
            ),
        )

    @property
    def is_question(self) -> bool:
        return self.tool == QUESTION_TOOL

    def questions(self) -> list[Question]:
        questions = self.tool_input.get("questions")
        found = []
        for item in questions if isinstance(questions, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                continue
            options = item.get("options")
            labels = tuple(
                str(option["label"])
                for option in (options if isinstance(options, list) else [])
                if isinstance(option, dict) and isinstance(option.get("label"), str)
            )
            header = item.get("header")
            found.append(
                Question(item["question"], header if isinstance(header, str) else "", labels)
            )
        return found

    def to_json(self) -> dict[str, Any]:
        """The request as the wire carries it (long strings of its input cut)."""
        return {
            "id": self.id,
            "tool": self.tool,
            "input": _cut(self.tool_input),
            "always": bool(self.suggestions) or not self.is_question,
        }

    @classmethod
    def from_json(cls, value: object) -> PendingRequest | None:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return None
        tool_input = value.get("input")
        return cls(
            id=value["id"],
            tool=str(value.get("tool", "")),
            tool_input=tool_input if isinstance(tool_input, dict) else {},
        )


def hook_output(request: PendingRequest, decision: Decision, message: str = "") -> dict[str, Any]:
    """What the PermissionRequest hook prints for this answer (Claude's hook output).
    InvalidInput when the answer does not fit the request."""
    if request.is_question and decision is Decision.REPLY:
        answers = question_answers(request.questions(), message)
        tool_input = {**request.tool_input, "answers": answers}
        verdict: dict[str, Any] = {"behavior": "allow", "updatedInput": tool_input}
    elif decision is Decision.REPLY:
        raise InvalidInput(f"{request.tool} asks for a permission: allow, always or deny")
    elif decision is Decision.DENY:
        verdict = {"behavior": "deny", "message": message.strip() or "The user said no."}
    elif request.is_question:
        raise InvalidInput("Claude asked a question: reply with the answer")
    elif decision is Decision.ALWAYS:
        if not request.suggestions:  # Nothing narrower to add than the whole tool: no.
            raise InvalidInput(
                'Claude offers no "don\'t ask again" for this request: allow or deny'
            )
        verdict = {"behavior": "allow", "updatedPermissions": list(request.suggestions)}
    else:
        verdict = {"behavior": "allow"}
    return {"hookSpecificOutput": {"hookEventName": "PermissionRequest", "decision": verdict}}


def question_answers(questions: Sequence[Question], reply: str) -> dict[str, str]:
    """Claude's ``answers`` (question -> answer) from a reply: one line per question,
    in order (one line answers them all); a number picks that option."""
    if not reply.strip():
        raise InvalidInput("the reply is empty")
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    answers = {}
    for index, question in enumerate(questions):
        line = lines[min(index, len(lines) - 1)]
        if line.isdigit() and 1 <= int(line) <= len(question.options):
            line = question.options[int(line) - 1]
        answers[question.text] = line
    return answers


def encode_output(output: Mapping[str, Any]) -> bytes:
    return json.dumps(output, separators=(",", ":")).encode()


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > PREVIEW_CHARS:
        left = len(value) - PREVIEW_CHARS
        return value[:PREVIEW_CHARS] + f"\n… {left} more characters"
    if isinstance(value, dict):
        return {str(k): _cut(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut(v) for v in value]
    return value
