"""The real Claude Code, offline: installed from the npm registry (``.ci/run`` puts it in
``~/.cache/wxtui-test/claude``), pointed at the local API stub, with a config dir that
has onboarding done, the dummy key approved and the workspace trusted."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.support.anthropic_stub import AnthropicStub

CLAUDE_DIR = Path(
    os.environ.get("WXTUI_TEST_CLAUDE_DIR", Path.home() / ".cache" / "wxtui-test" / "claude")
)
CLAUDE_BIN = CLAUDE_DIR / "node_modules" / ".bin"
DUMMY_KEY = "sk-ant-api03-" + "wxtui-test-key-" * 6
MARKER = "WXTUI_TEST_CLAUDE_RUN"


def installed() -> bool:
    return (CLAUDE_BIN / "claude").exists()


def write_config(config: Path, workspaces: list[Path]) -> None:
    config.mkdir(parents=True, exist_ok=True)
    projects = {
        str(w): {"hasTrustDialogAccepted": True, "hasCompletedProjectOnboarding": True}
        for w in workspaces
    }
    state = {
        "hasCompletedOnboarding": True,
        "lastOnboardingVersion": "9.9.9",
        "numStartups": 3,
        "customApiKeyResponses": {"approved": [DUMMY_KEY[-20:]], "rejected": []},
        "projects": projects,
        "autoUpdates": False,
        "theme": "dark",
    }
    (config / ".claude.json").write_text(json.dumps(state))
    # Recent versions start in an automatic mode that never asks: ask, as users see it.
    settings = {"permissions": {"defaultMode": "default"}}
    (config / "settings.json").write_text(json.dumps(settings))


def environment(stub: AnthropicStub, home: Path, config: Path, run_id: str) -> dict[str, str]:
    return {
        "PATH": f"{CLAUDE_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "ANTHROPIC_BASE_URL": stub.url,
        "ANTHROPIC_API_KEY": DUMMY_KEY,
        "DISABLE_AUTOUPDATER": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_ERROR_REPORTING": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "CLAUDE_CONFIG_DIR": str(config),
        "WXTUI_RUNTIME_DIR": os.environ["WXTUI_RUNTIME_DIR"],
        "WXTUI_LOG": os.environ["WXTUI_LOG"],
        MARKER: run_id,
    }


def processes_of(run_id: str) -> list[int]:
    """Every process started with this run's marker in its environment (Claude starts
    helpers of its own; they inherit it)."""
    found = []
    needle = f"{MARKER}={run_id}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry))
    return found


def end_processes(run_id: str) -> list[int]:
    """End every process of this run, by pid; returns those that were still there."""
    left = processes_of(run_id)
    for pid in left:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while processes_of(run_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@contextmanager
def claude_world(
    tmp_path: Path, workspaces: list[Path]
) -> Iterator[tuple[AnthropicStub, dict[str, str]]]:
    """A stub API, a config dir and the environment to run claude in; at the end every
    process the run caused is ended."""
    stub = AnthropicStub()
    config = tmp_path / "claude-config"
    write_config(config, workspaces)
    run_id = f"{os.getpid()}-{time.monotonic_ns()}"
    try:
        yield stub, environment(stub, tmp_path, config, run_id)
    finally:
        end_processes(run_id)
        stub.close()
