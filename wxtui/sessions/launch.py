"""How a project's agent is launched: command resolution and Claude's conversation rules.

The conversation id is stored *before* the process starts, so a crash at any
moment still leaves the id the next start must resume.
"""

from __future__ import annotations

import glob
import os
import shlex
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxtui import __version__
from wxtui.errors import InvalidInput
from wxtui.models import OutputProject
from wxtui.sessions.claude_hooks import new_settings_path, plan_settings

DEFAULT_AGENT = "claude"
SESSION_PICKING_FLAGS = frozenset({"--resume", "-r", "--continue", "-c", "--session-id"})
# Claude's exact words when it will not take a conversation id (``{id}``: that id).
REFUSALS = ("No conversation found with session ID: {id}", "Session ID {id} is already in use")


@dataclass(frozen=True, slots=True)
class HookSetup:
    """Where a Claude session's hooks report: the relay's socket, and the folder for the
    per-session settings file."""

    socket_path: Path
    settings_dir: Path
    command: str


@dataclass(frozen=True, slots=True)
class LaunchPlan:
    argv: list[str]
    cwd: str
    env: dict[str, str]
    # The conversation this launch continues or begins, when wxtui manages it.
    claude_session_id: str | None = None
    resuming: bool = False
    # True when the id is new: the caller stores it before the launch (SPEC: a restart
    # must find the conversation even if wxtui dies right after starting Claude).
    new_conversation: bool = False
    # The settings file to write before the launch (Claude sessions with hooks).
    settings_path: Path | None = None
    settings: dict[str, Any] | None = None
    # Why state tracking is off for this Claude session, when it is.
    tracking_off: str = ""

    @property
    def is_claude(self) -> bool:
        return is_claude(self.argv)


def resolve_command(project_command: str, agent: str | None, environ: Mapping[str, str]) -> str:
    """SPEC order: the project's command, ``--agent``, ``WXTUI_AGENT``, then ``claude``."""
    for candidate in (project_command, agent, environ.get("WXTUI_AGENT")):
        if candidate and candidate.strip():
            return candidate
    return DEFAULT_AGENT


def split_command(command: str) -> list[str]:
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise InvalidInput(f"command cannot be parsed: {exc}") from None
    if not argv:
        raise InvalidInput("empty command")
    return argv


def is_claude(argv: list[str]) -> bool:
    return os.path.basename(argv[0]) == "claude"


def picks_own_session(argv: list[str]) -> bool:
    """True when the user's command line already names a conversation."""
    return any(arg.split("=", 1)[0] in SESSION_PICKING_FLAGS for arg in argv[1:])


def claude_config_dir(environ: Mapping[str, str]) -> Path:
    configured = environ.get("CLAUDE_CONFIG_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".claude"


def transcript_exists(claude_session_id: str, config_dir: Path) -> bool:
    """A non-empty ``projects/*/<id>.jsonl`` in any project folder."""
    pattern = os.path.join(
        glob.escape(str(config_dir)), "projects", "*", f"{claude_session_id}.jsonl"
    )
    for path in glob.glob(pattern):
        try:
            if os.path.getsize(path) > 0:
                return True
        except OSError:
            continue
    return False


# What describes the terminal wxtui itself runs in (a multiplexer, a terminal emulator):
# the child's terminal is the pane, and a program that believes it runs in tmux or
# kitty changes its behaviour (Claude Code shows tmux hints and drops its window title).
OUTER_TERMINAL_VARIABLES = frozenset(
    {
        "TMUX",
        "TMUX_PANE",
        "TMUX_PLUGIN_MANAGER_PATH",
        "STY",
        "WINDOW",
        "TERMINAL_EMULATOR",
        "TERMINFO",
        "TERMCAP",
        "VTE_VERSION",
        "WT_SESSION",
        "WT_PROFILE_ID",
        "KONSOLE_VERSION",
        "KONSOLE_DBUS_SESSION",
        "KONSOLE_DBUS_SERVICE",
        "KONSOLE_DBUS_WINDOW",
        "GNOME_TERMINAL_SCREEN",
        "GNOME_TERMINAL_SERVICE",
        "TILIX_ID",
        "TERMINATOR_UUID",
        "ALACRITTY_SOCKET",
        "ALACRITTY_LOG",
        "ALACRITTY_WINDOW_ID",
        "GHOSTTY_RESOURCES_DIR",
        "GHOSTTY_BIN_DIR",
        "GHOSTTY_SHELL_FEATURES",
        "WINDOWID",
        "LC_TERMINAL",
        "LC_TERMINAL_VERSION",
        "XTERM_VERSION",
        "XTERM_SHELL",
        "XTERM_LOCALE",
        "MLTERM",
        "ZELLIJ",
        "COLORFGBG",
    }
)
OUTER_TERMINAL_PREFIXES = (
    "TERM_PROGRAM",
    "ZELLIJ_",
    "KITTY_",
    "WEZTERM_",
    "ITERM_",
    "TERM_SESSION_ID",
    "WARP_",
    "TABBY_",
)


def child_environment(project: OutputProject, environ: Mapping[str, str]) -> dict[str, str]:
    """The user's environment, less what describes the outer terminal, plus the pane's own."""
    env = {
        name: value
        for name, value in environ.items()
        if name not in OUTER_TERMINAL_VARIABLES and not name.startswith(OUTER_TERMINAL_PREFIXES)
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        TERM_PROGRAM="wxtui",
        TERM_PROGRAM_VERSION=__version__,
        WXTUI_PROJECT_ID=project.id,
        WXTUI_PROJECT_NAME=project.name,
    )
    return env


def plan_launch(
    project: OutputProject,
    *,
    agent: str | None,
    environ: Mapping[str, str],
    fresh_conversation: bool = False,
    hooks: Callable[[], HookSetup | None] | None = None,
) -> LaunchPlan:
    """How to launch a project's session. Writes nothing: a new conversation id is in
    the plan (``new_conversation``) for the caller to store before launching.

    ``fresh_conversation`` is for Claude refusing the stored id: a new id replaces it.
    With ``hooks`` (asked only for a Claude session), it also gets wxtui's settings.
    """
    argv = split_command(resolve_command(project.command, agent, environ))
    env = child_environment(project, environ)
    if not is_claude(argv):
        return LaunchPlan(argv, project.workspace_path, env)
    env["CLAUDE_CODE_DISABLE_AGENT_VIEW"] = "1"
    extra: dict[str, Any] = {}
    setup = hooks() if hooks is not None else None
    if setup is not None:
        path = new_settings_path(setup.settings_dir, project.id)
        settings = plan_settings(argv, path, setup.command)
        argv = settings.argv
        if settings.settings is None:
            extra["tracking_off"] = settings.refusal
        else:
            extra.update(settings_path=path, settings=settings.settings)
            env["WXTUI_HOOK_SOCKET"] = str(setup.socket_path)
    else:
        extra["tracking_off"] = "hooks are not available"
    if picks_own_session(argv):
        return LaunchPlan(argv, project.workspace_path, env, **extra)
    session_id = None if fresh_conversation else project.claude_session_id
    if session_id is None:
        return LaunchPlan(
            [*argv, "--session-id", (new_id := str(uuid.uuid4()))],
            project.workspace_path,
            env,
            new_id,
            new_conversation=True,
            **extra,
        )
    if transcript_exists(session_id, claude_config_dir(environ)):
        return LaunchPlan(
            [*argv, "--resume", session_id],
            project.workspace_path,
            env,
            session_id,
            True,
            **extra,
        )
    return LaunchPlan(
        [*argv, "--session-id", session_id], project.workspace_path, env, session_id, **extra
    )


def claude_refused(screen_text: str, session_id: str) -> bool:
    """Claude said it will not take ``session_id`` (SPEC rule 4); other text that says
    "already in use" (a port, a file, another id) is no refusal."""
    return any(refusal.format(id=session_id) in screen_text for refusal in REFUSALS)
