"""Per-launch Claude Code settings: wxtui's hooks, never written into the user's files.

Each Claude session gets ``--settings <file>``, a JSON file in wxtui's runtime
directory (0600, removed when the session ends) with a hook for every event wxtui
follows and ``"disableAgentView": true`` (its agents view would start background
sessions that outlive wxtui). Settings layers merge, so the user's own settings and
hooks keep working; a command that passes its own ``--settings`` is merged with ours.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOOK_EVENTS = (
    "SessionStart",
    "SessionEnd",
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PermissionRequest",
    "Notification",
    "Stop",
    "StopFailure",
)
HOOK_TIMEOUT_SECONDS = 5
# A permission request's hook waits for the user's answer from the inbox (Claude shows
# its own dialog meanwhile): a day, then Claude's dialog alone decides.
ANSWER_TIMEOUT_SECONDS = 24 * 3600
RELAY_SCRIPT = Path(__file__).with_name("hook_relay.py")


def relay_command() -> str:
    """The hook command: this Python, isolated and without site, running the relay."""
    return shlex.join([sys.executable, "-I", "-S", str(RELAY_SCRIPT)])


def hook_settings(command: str) -> dict[str, Any]:
    def hook(event: str) -> dict[str, Any]:
        timeout = ANSWER_TIMEOUT_SECONDS if event == "PermissionRequest" else HOOK_TIMEOUT_SECONDS
        return {"type": "command", "command": command, "timeout": timeout}

    return {
        "hooks": {event: [{"hooks": [hook(event)]}] for event in HOOK_EVENTS},
        "disableAgentView": True,
    }


@dataclass(frozen=True, slots=True)
class SettingsPlan:
    """The argv with wxtui's settings in it, the settings to write, or why not."""

    argv: list[str]
    settings: dict[str, Any] | None
    refusal: str = ""


def _user_settings(value: str) -> dict[str, Any]:
    """``--settings`` takes a file or a JSON string, as Claude does."""
    text = value if value.lstrip().startswith("{") else Path(value).expanduser().read_text()
    loaded = json.loads(text)
    if not isinstance(loaded, dict):
        raise ValueError("not a JSON object")
    return loaded


def merge(user: Mapping[str, Any], ours: Mapping[str, Any]) -> dict[str, Any]:
    """The user's settings with our hooks added after theirs, event by event."""
    merged = dict(user)
    theirs = user.get("hooks")
    hooks = dict(theirs) if isinstance(theirs, Mapping) else {}
    for event, matchers in ours["hooks"].items():
        existing = hooks.get(event)
        hooks[event] = [*(existing if isinstance(existing, list) else []), *matchers]
    merged["hooks"] = hooks
    merged["disableAgentView"] = True
    return merged


def plan_settings(argv: list[str], settings_path: Path, command: str) -> SettingsPlan:
    """Add ``--settings settings_path`` to a claude argv, merging a user's own settings."""
    ours = hook_settings(command)
    for index, arg in enumerate(argv[1:], start=1):
        if arg == "--settings" or arg.startswith("--settings="):
            given = arg.split("=", 1)[1] if "=" in arg else None
            if given is None:
                if index + 1 >= len(argv):
                    return SettingsPlan(argv, None, "--settings has no value")
                given = argv[index + 1]
            try:
                user = _user_settings(given)
            except (OSError, ValueError) as exc:
                return SettingsPlan(argv, None, f"cannot read --settings {given}: {exc}")
            rest = argv[index + 1 :] if "=" in arg else argv[index + 2 :]
            new_argv = [*argv[:index], "--settings", str(settings_path), *rest]
            return SettingsPlan(new_argv, merge(user, ours))
    return SettingsPlan([*argv, "--settings", str(settings_path)], ours)


def new_settings_path(directory: Path, project_id: str) -> Path:
    return directory / f"settings-{project_id}-{os.getpid()}-{secrets.token_hex(4)}.json"


def write_private_json(path: Path, value: Mapping[str, Any]) -> None:
    """A new 0600 file holding ``value`` (never an existing file, never a symlink)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(value, file)
