"""What a project's agent is doing, from Claude Code's hook events.

Matching Claude's screen with patterns breaks whenever its UI changes; its hooks say
exactly what happens. When a Claude session's hooks stay silent (disabled by policy,
an old Claude), its window title is the fallback, and the state is marked a guess.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from wxtui.sessions.permission_requests import PendingRequest
from wxtui.text import inert


class AgentState(StrEnum):
    NOT_STARTED = "not-started"
    STARTING = "starting"
    WORKING = "working"
    NEEDS_PERMISSION = "needs-permission"
    NEEDS_INPUT = "needs-input"
    DONE = "done"
    ERROR = "error"
    EXITED = "exited"


# How urgently each state needs the user (lower first); states not here never do.
URGENCY: Mapping[AgentState, int] = {
    AgentState.NEEDS_PERMISSION: 0,
    AgentState.NEEDS_INPUT: 1,
    AgentState.ERROR: 2,
    AgentState.DONE: 3,
    AgentState.EXITED: 4,  # Only when it failed: a clean exit or a stop is no news.
}


@dataclass(frozen=True, slots=True)
class StateLook:
    """How a state is shown: a one-cell symbol, a Rich style, and words."""

    symbol: str
    style: str
    words: str


LOOKS: Mapping[AgentState, StateLook] = {
    AgentState.NOT_STARTED: StateLook("○", "dim", "not started"),
    AgentState.STARTING: StateLook("◌", "cyan", "starting"),
    AgentState.WORKING: StateLook("●", "green", "working"),
    AgentState.NEEDS_PERMISSION: StateLook("⚠", "bold black on yellow", "needs permission"),
    AgentState.NEEDS_INPUT: StateLook("?", "bold yellow", "needs input"),
    AgentState.DONE: StateLook("✓", "bold cyan", "done"),
    AgentState.ERROR: StateLook("✗", "bold red", "error"),
    AgentState.EXITED: StateLook("✕", "red", "exited"),
}

REASON_LIMIT = 200
STOPPED = "stopped"  # The reason of a session ended on purpose.


@dataclass(frozen=True, slots=True)
class AgentStatus:
    """A state, why (one line), since when, and whether it was only guessed.

    ``attention``: the state is news for the user (a turn that ended, an error, a
    question); a session that merely became ready for a prompt is not. ``request``:
    the permission request or question that can be answered without the pane."""

    state: AgentState
    reason: str = ""
    since: float = field(default_factory=time.monotonic)
    guessed: bool = False
    attention: bool = False
    request: PendingRequest | None = None

    @classmethod
    def ended(cls, returncode: int, stopped: bool) -> AgentStatus:
        """A session's end: ``stopped`` on purpose, or its exit code (news if not 0)."""
        reason = STOPPED if stopped else f"code {returncode}"
        return cls(AgentState.EXITED, reason, attention=returncode != 0 and not stopped)

    @property
    def stopped(self) -> bool:
        """Ended on purpose (a stop, a restart, quitting), not by an exit of its own."""
        return self.state is AgentState.EXITED and self.reason == STOPPED

    @property
    def urgency(self) -> int | None:
        return URGENCY.get(self.state) if self.attention else None

    @property
    def summary(self) -> str:
        words = LOOKS[self.state].words + (" (guessed)" if self.guessed else "")
        return f"{words}: {self.reason}" if self.reason else words


def short_duration(seconds: float) -> str:
    """``42s``, ``7m``, ``2h05m``: how long a state has lasted."""
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def one_line(text: object, limit: int = REASON_LIMIT) -> str:
    """The first non-empty line of ``text``, printable, at most ``limit`` characters."""
    if not isinstance(text, str):
        return ""
    line = next((part.strip() for part in text[: limit * 8].splitlines() if part.strip()), "")
    line = inert(line, " ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def tool_summary(tool: str, tool_input: object) -> str:
    """``Bash: rm -rf build``: the tool and the gist of its input, on one line."""
    detail = ""
    if isinstance(tool_input, dict):
        for key in ("command", "file_path", "path", "url", "pattern", "query", "prompt"):
            if isinstance(tool_input.get(key), str):
                detail = tool_input[key]
                break
        else:
            detail = next((v for v in tool_input.values() if isinstance(v, str)), "")
    detail = one_line(detail)
    return f"{tool}: {detail}" if detail else tool


def _question(tool_input: object) -> str:
    if isinstance(tool_input, dict):
        questions = tool_input.get("questions")
        if isinstance(questions, list) and questions and isinstance(questions[0], dict):
            return one_line(questions[0].get("question"))
    return "Claude asks a question"


IDLE_TITLE_GLYPH = "✳"


class AgentTracker:
    """Folds one Claude session's events into its :class:`AgentStatus`.

    Every method returns the new status when it changed, else None."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.status = AgentStatus(AgentState.STARTING, since=clock())
        self.hooks_seen = False

    def _set(
        self,
        state: AgentState,
        reason: str = "",
        *,
        attention: bool = False,
        guessed: bool = False,
        request: PendingRequest | None = None,
    ) -> AgentStatus | None:
        current = self.status
        same = (current.state, current.reason, current.guessed, current.request)
        if same == (state, reason, guessed, request):
            if attention and not current.attention:
                self.status = replace(current, attention=True)
                return self.status
            return None
        self.status = AgentStatus(state, reason, self._clock(), guessed, attention, request)
        return self.status

    def waiting(self, request: PendingRequest) -> AgentStatus | None:
        """Claude waits for this request's answer (its dialog shows it too)."""
        if request.is_question:
            return self._set(
                AgentState.NEEDS_INPUT,
                _question(request.tool_input),
                attention=True,
                request=request,
            )
        return self._set(
            AgentState.NEEDS_PERMISSION,
            tool_summary(request.tool, request.tool_input),
            attention=True,
            request=request,
        )

    def answered(self, how: str) -> AgentStatus | None:
        """A request was answered without the pane (from the inbox, or the CLI)."""
        return self._set(AgentState.WORKING, how)

    def hook(self, event: Mapping[str, Any]) -> AgentStatus | None:
        name = event.get("hook_event_name")
        self.hooks_seen = True
        named = event.get("tool_name")
        tool = named if isinstance(named, str) else "a tool"
        if name == "SessionStart":
            return self._set(AgentState.DONE, "ready for a prompt")
        if name == "UserPromptSubmit":
            return self._set(AgentState.WORKING, "thinking")
        if name == "PreToolUse":
            if tool == "AskUserQuestion":
                return self._set(
                    AgentState.NEEDS_INPUT, _question(event.get("tool_input")), attention=True
                )
            return self._set(AgentState.WORKING, tool_summary(tool, event.get("tool_input")))
        if name == "PermissionRequest":
            return self._set(
                AgentState.NEEDS_PERMISSION,
                tool_summary(tool, event.get("tool_input")),
                attention=True,
            )
        if name in ("PostToolUse", "PostToolUseFailure"):
            return self._set(AgentState.WORKING, "thinking")
        if name == "Notification":
            kind = event.get("notification_type")
            if kind == "permission_prompt" and self.status.state is not AgentState.NEEDS_PERMISSION:
                return self._set(
                    AgentState.NEEDS_PERMISSION, one_line(event.get("message")), attention=True
                )
            if kind == "elicitation_dialog":
                return self._set(
                    AgentState.NEEDS_INPUT, one_line(event.get("message")), attention=True
                )
            return None
        if name == "Stop":
            return self._set(
                AgentState.DONE, one_line(event.get("last_assistant_message")), attention=True
            )
        if name == "StopFailure":
            error = one_line(event.get("error")) or "error"
            message = one_line(event.get("last_assistant_message"))
            return self._set(
                AgentState.ERROR, f"{error}: {message}" if message else error, attention=True
            )
        return None

    def user_answered(self) -> AgentStatus | None:
        """The user typed an answer in the pane: no hook says a permission was granted."""
        if self.status.state in (AgentState.NEEDS_PERMISSION, AgentState.NEEDS_INPUT):
            return self._set(AgentState.WORKING, "answered")
        return None

    def title(self, title: str) -> AgentStatus | None:
        """Claude's window title, used only while its hooks are silent: a spinner glyph
        while it works, ``✳`` when it waits."""
        if self.hooks_seen or len(title) < 2 or title[0].isalnum() or title[1] != " ":
            return None
        if title[0] == IDLE_TITLE_GLYPH:
            return self._set(AgentState.DONE, one_line(title[2:]), guessed=True)
        return self._set(AgentState.WORKING, one_line(title[2:]), guessed=True)

    def exited(self, returncode: int, stopped: bool = False) -> AgentStatus | None:
        ended = AgentStatus.ended(returncode, stopped)
        return self._set(ended.state, ended.reason, attention=ended.attention)
