"""Launch planning: which command runs, with which Claude arguments and environment."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from wxtui.errors import InvalidInput
from wxtui.sessions.launch import (
    claude_config_dir,
    picks_own_session,
    plan_launch,
    resolve_command,
    transcript_exists,
)
from wxtui.store import Store


def test_command_resolution_order() -> None:
    env = {"WXTUI_AGENT": "from-env"}
    assert resolve_command("own", "cli", env) == "own"
    assert resolve_command("", "cli", env) == "cli"
    assert resolve_command("", None, env) == "from-env"
    assert resolve_command("  ", None, {}) == "claude"


@pytest.mark.parametrize(
    "argv, picks",
    [
        (["claude"], False),
        (["claude", "--resume", "x"], True),
        (["claude", "-r", "x"], True),
        (["claude", "--continue"], True),
        (["claude", "-c"], True),
        (["claude", "--session-id=abc"], True),
        (["claude", "--model", "opus"], False),
    ],
)
def test_picks_own_session(argv: list[str], picks: bool) -> None:
    assert picks_own_session(argv) is picks


def test_config_dir_and_transcript_lookup(tmp_path: Path) -> None:
    assert claude_config_dir({"CLAUDE_CONFIG_DIR": str(tmp_path)}) == tmp_path
    assert claude_config_dir({}) == Path.home() / ".claude"
    sid = str(uuid.uuid4())
    folder = tmp_path / "projects" / "-some-where"
    folder.mkdir(parents=True)
    assert not transcript_exists(sid, tmp_path)
    (folder / f"{sid}.jsonl").write_text("")
    assert not transcript_exists(sid, tmp_path), "an empty transcript is no conversation"
    (folder / f"{sid}.jsonl").write_text("{}\n")
    assert transcript_exists(sid, tmp_path)


def test_a_plan_for_a_new_conversation_writes_nothing(store: Store, tmp_path: Path) -> None:
    project = store.add_project("p", str(tmp_path))
    plan = plan_launch(project, agent=None, environ={"CLAUDE_CONFIG_DIR": str(tmp_path)})
    assert store.get_project(project.id).claude_session_id is None, "planning stores nothing"
    new = plan.claude_session_id
    assert plan.new_conversation and new is not None and uuid.UUID(new).version == 4
    assert plan.argv == ["claude", "--session-id", new]
    assert plan.cwd == str(tmp_path)
    assert plan.env["TERM"] == "xterm-256color" and plan.env["COLORTERM"] == "truecolor"
    assert plan.env["WXTUI_PROJECT_ID"] == project.id and plan.env["WXTUI_PROJECT_NAME"] == "p"


def test_plan_rejects_unparseable_agent(store: Store, tmp_path: Path) -> None:
    project = store.add_project("p", str(tmp_path))
    with pytest.raises(InvalidInput):
        plan_launch(project, agent="claude 'oops", environ={})


def test_child_environment_describes_the_pane_not_the_outer_terminal(
    store: Store, tmp_path: Path
) -> None:
    from wxtui import __version__
    from wxtui.sessions.launch import child_environment

    project = store.add_project("p", str(tmp_path))
    outer = {
        "TMUX": "/tmp/tmux-0/default,1,0",
        "TMUX_PANE": "%1",
        "STY": "1.pts",
        "ZELLIJ": "0",
        "ZELLIJ_SESSION_NAME": "z",
        "TERM_PROGRAM": "tmux",
        "TERM_PROGRAM_VERSION": "3.3a",
        "TERMINAL_EMULATOR": "JetBrains-JediTerm",
        "KITTY_WINDOW_ID": "3",
        "WEZTERM_PANE": "1",
        "ITERM_SESSION_ID": "w0",
        "VTE_VERSION": "7000",
        "WT_SESSION": "abc",
        "TERM": "tmux-256color",
    }
    env = child_environment(project, {**outer, "HOME": "/home/u", "PATH": "/bin", "LANG": "C"})
    assert env["HOME"] == "/home/u" and env["PATH"] == "/bin" and env["LANG"] == "C"
    assert env["TERM"] == "xterm-256color" and env["COLORTERM"] == "truecolor"
    assert env["TERM_PROGRAM"] == "wxtui" and env["TERM_PROGRAM_VERSION"] == __version__
    assert env["WXTUI_PROJECT_ID"] == project.id
    for name in set(outer) - {"TERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION"}:
        assert name not in env, name
