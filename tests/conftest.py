from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from wxtui.store import Store

TESTS = Path(__file__).parent


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


USER_DIR_VARIABLES = (
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR",
)


@pytest.fixture(autouse=True, scope="session")
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The suite never touches the user's own data, logs, config or runtime files:
    every place wxtui would write to lives under a temporary folder (for child
    processes too, which inherit the environment)."""
    root = tmp_path_factory.mktemp("user-dirs")
    with pytest.MonkeyPatch.context() as patch:
        for name in USER_DIR_VARIABLES:
            path = root / name.lower()
            path.mkdir(mode=0o700)
            patch.setenv(name, str(path))
        patch.setenv("WXTUI_LOG", str(root / "log" / "wxtui.log"))
        patch.setenv("WXTUI_RUNTIME_DIR", str(root / "runtime"))
        patch.setenv("WXTUI_CONFIG", str(root / "config.toml"))
        patch.delenv("WXTUI_DB", raising=False)
        yield root


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "wxtui.db") as opened:
        yield opened


class FakeClaude:
    """The fake ``claude`` on PATH, with its start log and config dir."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.config = root / "claude-config"
        self.log = root / "claude-starts.jsonl"
        script = self.bin / "claude"
        script.write_text(f"#!{sys.executable}\n" + (TESTS / "fake_claude.py").read_text())
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


@pytest.fixture
def fake_claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeClaude:
    return FakeClaude(tmp_path, monkeypatch)


AsyncPredicate = Callable[[], Awaitable[bool]]


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
