"""Answering from the inbox: five agents ask to run a tool at once; ``y`` in the inbox,
row after row, to each agent's tool starting. The agent is a small program that does
what Claude Code does with a permission request (shows nothing, runs the
PermissionRequest hook from its settings, starts the tool once the hook allows it).
Baseline: the hook's own round trip (relay start, send, an answer at once, exit)."""

from __future__ import annotations

import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.hooks import hook_listener
from benchmarks.measure import ms, pct, stop_host, until
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.sessions.claude_hooks import RELAY_SCRIPT
from wxtui.store import Store

AGENTS = 5
# An agent as Claude Code is to wxtui: its hooks from --settings, a permission request
# per "ask" line, the tool's start (a monotonic time) written once the hook allows it.
AGENT = r"""
import json, os, subprocess, sys, threading, time
settings = json.load(open(sys.argv[sys.argv.index("--settings") + 1]))["hooks"]
def fire(name, **fields):
    event = json.dumps({"session_id": "bench", "hook_event_name": name, **fields}).encode()
    outputs = []
    for matcher in settings.get(name, []):
        for hook in matcher["hooks"]:
            done = subprocess.run(["/bin/sh", "-c", hook["command"]], input=event,
                                  stdout=subprocess.PIPE)
            outputs.append(done.stdout)
    return outputs
def ask():
    for output in fire("PermissionRequest", tool_name="Bash", tool_input={"command": "make"}):
        if output.strip():
            decision = json.loads(output)["hookSpecificOutput"]["decision"]
            if decision["behavior"] == "allow":
                with open(os.environ["BENCH_STARTS"], "a") as starts:
                    starts.write(f"{time.monotonic()}\n")
fire("SessionStart", source="startup")
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "ask":
        fire("UserPromptSubmit", prompt="ask")
        threading.Thread(target=ask, daemon=True).start()
"""


def bench_inbox(report: Report, tmp: Path, rounds: int) -> None:
    import asyncio

    starts = tmp / "inbox-starts.txt"
    db = tmp / "inbox.db"
    bin_dir = tmp / "inbox-bin"
    bin_dir.mkdir()
    agent = bin_dir / "claude"  # wxtui gives its hooks to Claude Code only.
    agent.write_text(f"#!{sys.executable}\n{AGENT}")
    agent.chmod(0o755)
    with Store.open(db) as store:
        ids = [
            store.add_project(f"agent{n}", str(tmp), command=f"{shlex.quote(str(agent))}").id
            for n in range(AGENTS)
        ]
    env = {**os.environ, "BENCH_STARTS": str(starts)}
    samples = asyncio.run(_answer_rounds(db, ids, env, starts, rounds))
    asyncio.run(stop_host(db))
    baseline = _hook_round_trip(tmp, len(samples))
    p50, p90 = statistics.median(samples), pct(samples, 0.9)
    base = statistics.median(baseline)
    report.record(
        "inbox",
        f"y in the inbox to the tool starting, {AGENTS} agents waiting: p50 / p90",
        f"{ms(p50)} / {ms(p90)}",
        f"the hook's round trip alone p50 {ms(base)}",
        f"{p50 / base:.1f}x",
        "p90 ≤ 100 ms",
        p90 <= 0.1,
    )


async def _answer_rounds(
    db: Path, ids: list[str], env: dict[str, str], starts: Path, rounds: int
) -> list[float]:
    """Each round: every agent asks, the inbox opens, y on each row in turn."""
    samples: list[float] = []
    with Store.open(db) as store:
        app = WxtuiApp(store, environ=env, sessions_in_host=True, poll_interval=60)
        async with app.run_test(size=(160, 45)) as pilot:
            for project_id in ids:
                await app.sessions.start(await _pane(app, project_id))
            for _ in range(rounds):
                for project_id in ids:
                    app.backend.write(project_id, b"ask\r")
                await until(lambda: _waiting(app) == len(ids), timeout=30)
                await pilot.press("f2")
                for _ in ids:
                    before = _count(starts)
                    pressed = time.monotonic()
                    await pilot.press("y")
                    await until(lambda before=before: _count(starts) > before, timeout=30)
                    started = float(starts.read_text().splitlines()[-1])
                    samples.append(started - pressed)
                await pilot.press("escape")
            await app.backend.stop_all()
    return samples


async def _pane(app: WxtuiApp, project_id: str):
    return (await app.switcher.panes_of([project_id]))[0]


def _waiting(app: WxtuiApp) -> int:
    return sum(1 for n in app.needs() if n.agent is not None and n.agent.request is not None)


def _count(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _hook_round_trip(tmp: Path, count: int) -> list[float]:
    """The relay run for a PermissionRequest against a listener that answers at once."""
    path = tmp / "inbox-hook.sock"
    answer = json.dumps({"hookSpecificOutput": {"decision": {"behavior": "allow"}}}).encode()
    server, _received = hook_listener(path, answer)
    event = json.dumps({"hook_event_name": "PermissionRequest", "tool_name": "Bash"}).encode()
    env = {**os.environ, "WXTUI_HOOK_SOCKET": str(path), "WXTUI_PROJECT_ID": "bench"}
    times = []
    for _ in range(count):
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-I", "-S", str(RELAY_SCRIPT)],
            input=event,
            env=env,
            stdout=subprocess.PIPE,
            check=True,
        )
        times.append(time.monotonic() - start)
        assert done.stdout == answer
    server.close()
    return times
