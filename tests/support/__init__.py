"""What the tests share: waiting on conditions, the fake agent, a recording sink, the
installed command, and the real app on a temporary database.

Larger helpers are modules of this package: ``painted`` (what the app painted vs tmux),
``tmux``, ``term`` (an emulator fed directly), ``terminal_app`` (the widget alone),
``anthropic_stub`` and ``claude_code`` (the real Claude Code, offline),
``conformance_corpus``, and ``fake_claude.py`` / ``programs/`` (run as child processes).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.apps import (
    cursor_label,
    make_app,
    milestone_labels,
    pane,
    pane_text,
    project_label,
    project_labels,
    project_rows,
    session_pid,
    workspace,
)

__all__ = [
    "WXTUI",
    "FakeClaude",
    "RecordingSink",
    "cursor_label",
    "fails",
    "make_app",
    "milestone_labels",
    "ok",
    "pane",
    "pane_text",
    "project_label",
    "project_labels",
    "project_rows",
    "run",
    "session_pid",
    "stop_host",
    "wait_until",
    "wait_until_sync",
    "workspace",
]

SUPPORT = Path(__file__).parent


async def wait_until(
    predicate: Callable[[], bool], timeout: float = 10.0, message: str = "condition"
) -> None:
    """Poll a condition until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        await asyncio.sleep(0.01)


def wait_until_sync(
    predicate: Callable[[], bool], timeout: float = 10.0, message: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(0.02)


class FakeClaude:
    """The fake ``claude`` on PATH, with its start log and config dir."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.config = root / "claude-config"
        self.log = root / "claude-starts.jsonl"
        script = self.bin / "claude"
        script.write_text(f"#!{sys.executable}\n" + (SUPPORT / "fake_claude.py").read_text())
        script.chmod(0o755)
        monkeypatch.setenv("PATH", f"{self.bin}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(self.config))
        monkeypatch.setenv("FAKE_CLAUDE_LOG", str(self.log))
        monkeypatch.delenv("WXTUI_AGENT", raising=False)
        monkeypatch.delenv("WXTUI_DB", raising=False)

    def starts(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


class RecordingSink:
    """A session sink that records what a project's pane would be shown."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.exits: list[int] = []
        self.notices: list[str] = []
        self.statuses: list = []
        self.milestone_changes = 0

    def feed(self, data: bytes) -> None:
        self.output += data

    def session_exited(self, returncode: int) -> None:
        self.exits.append(returncode)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def agent_status(self, status, tracked: bool) -> None:
        self.statuses.append(status)

    def milestones_changed(self) -> None:
        self.milestone_changes += 1

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


# -- the installed command -----------------------------------------------------------

WXTUI = str(Path(sys.executable).with_name("wxtui"))


def run(*args: str, db: Path | None = None, cwd: Path | None = None, env: dict | None = None):
    argv = [WXTUI] + (["--db", str(db)] if db else []) + list(args)
    environment = {**os.environ, **(env or {})}
    environment.pop("WXTUI_DB", None) if env is None or "WXTUI_DB" not in env else None
    return subprocess.run(
        argv, capture_output=True, text=True, cwd=cwd, env=environment, timeout=30
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def fails(result: subprocess.CompletedProcess, pattern: str, code: int = 2) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("wxtui: error:") and pattern in last, result.stderr
    assert result.stdout == ""


# -- session hosts ----------------------------------------------------------------------


def stop_host(socket_path: Path, timeout: float = 10.0) -> None:
    """Stop the session host at ``socket_path`` (its agents end) and wait until it is gone."""
    import socket as sockets

    from wxtui.sessions.protocol import PROTOCOL, Kind, encode_json

    probe = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
    try:
        probe.connect(str(socket_path))
    except OSError:
        probe.close()
        socket_path.unlink(missing_ok=True)  # Left by a killed host.
        return
    with probe:
        probe.sendall(encode_json(Kind.HELLO, protocol=PROTOCOL) + encode_json(Kind.SHUTDOWN))
        probe.settimeout(timeout)
        try:
            while probe.recv(65536):  # Until the host closes the connection.
                pass
        except OSError:
            pass
    deadline = time.monotonic() + timeout
    while socket_path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
