"""What the PermissionRequest hook prints for each answer, and what the wire carries."""

from __future__ import annotations

import pytest

from wxtui.errors import InvalidInput
from wxtui.sessions.permission_requests import (
    PREVIEW_CHARS,
    Decision,
    PendingRequest,
    hook_output,
)

BASH = PendingRequest.from_hook(
    {
        "tool_name": "Bash",
        "tool_input": {"command": "make"},
        "permission_suggestions": [{"type": "addDirectories", "directories": ["/w"]}],
    }
)
QUESTION = PendingRequest.from_hook(
    {
        "tool_name": "AskUserQuestion",
        "tool_input": {
            "questions": [
                {
                    "question": "Colour?",
                    "header": "C",
                    "options": [{"label": "Red"}, {"label": "Blue"}],
                },
                {"question": "Size?", "header": "S", "options": [{"label": "Big"}]},
            ]
        },
    }
)


def _decision(request: PendingRequest, decision: Decision, message: str = "") -> dict:
    output = hook_output(request, decision, message)["hookSpecificOutput"]
    assert output["hookEventName"] == "PermissionRequest"
    return output["decision"]


def test_allow_deny_and_always() -> None:
    assert _decision(BASH, Decision.ALLOW) == {"behavior": "allow"}
    assert _decision(BASH, Decision.DENY, " use ninja ") == {
        "behavior": "deny",
        "message": "use ninja",
    }
    assert _decision(BASH, Decision.DENY)["message"], "Claude always hears why"
    always = _decision(BASH, Decision.ALWAYS)
    assert always["updatedPermissions"] == [{"type": "addDirectories", "directories": ["/w"]}]
    bare = PendingRequest.from_hook({"tool_name": "WebFetch", "tool_input": {"url": "u"}})
    with pytest.raises(InvalidInput, match="don't ask again"):  # Never the whole tool.
        hook_output(bare, Decision.ALWAYS)


def test_a_question_takes_a_reply_per_line_or_an_option_number() -> None:
    with pytest.raises(InvalidInput):
        hook_output(QUESTION, Decision.ALLOW)
    with pytest.raises(InvalidInput):
        hook_output(BASH, Decision.REPLY, "yes")
    with pytest.raises(InvalidInput):
        hook_output(QUESTION, Decision.REPLY, "  ")
    answered = _decision(QUESTION, Decision.REPLY, "2\nmedium")
    assert answered["behavior"] == "allow"
    assert answered["updatedInput"]["answers"] == {"Colour?": "Blue", "Size?": "medium"}
    assert answered["updatedInput"]["questions"] == QUESTION.tool_input["questions"]
    one_line = _decision(QUESTION, Decision.REPLY, "1")["updatedInput"]["answers"]
    assert one_line == {"Colour?": "Red", "Size?": "Big"}


def test_the_wire_carries_a_preview_and_reads_back() -> None:
    big = PendingRequest.from_hook(
        {
            "tool_name": "Write",
            "tool_input": {"file_path": "f", "content": "x" * (PREVIEW_CHARS + 10)},
        }
    )
    wire = big.to_json()
    assert wire["input"]["content"].endswith("… 10 more characters")
    back = PendingRequest.from_json(wire)
    assert back is not None and (back.id, back.tool) == (big.id, "Write")
    assert PendingRequest.from_json({"tool": "x"}) is None
    assert PendingRequest.from_json("junk") is None
    assert BASH.id != PendingRequest.from_hook({}).id
