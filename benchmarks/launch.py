"""Launch as users feel it: the installed command started in a terminal (tmux, 200x50)
to the first line of its child's output on the screen, with no session host running
and with one already running; against a minimal Textual app started the same way to
its first frame."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import median_of
from benchmarks.report import Report
from wxtui.store import Store

FIRST = "FIRST-LINE-OF-THE-CHILD"
MINIMAL_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    f"        yield Static({FIRST!r})\n"
    "Minimal().run()\n"
)


def _tmux_until_shown(command: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting ``command`` in a fresh 200x50 tmux window to ``FIRST`` on it."""
    socket = f"wxtui-launch-{os.getpid()}-{time.monotonic_ns()}"
    base = ["tmux", "-L", socket, "-f", "/dev/null"]
    # A plain sh to type into (a login shell's start-up files are not what is measured).
    subprocess.run(
        [*base, "new-session", "-d", "-s", "l", "-x", "200", "-y", "50", "sh"], check=True
    )
    try:
        set_env = [f"{key}={value}" for key, value in env.items()]
        line = shlex.join(["env", *set_env, *command])
        start = time.perf_counter()
        subprocess.run([*base, "send-keys", "-t", "l", f"exec {line}", "Enter"], check=True)
        while True:
            screen = subprocess.run(
                [*base, "capture-pane", "-p", "-t", "l"], capture_output=True, text=True
            ).stdout
            if FIRST in screen and "exec env" not in screen:
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"never shown:\n{screen}")
            time.sleep(0.003)
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True)


def _wxtui(db: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("wxtui")), "--db", str(db), *args]


def _stop_host(db: Path, env: dict[str, str]) -> None:
    subprocess.run(_wxtui(db, "host", "stop"), env={**os.environ, **env}, capture_output=True)


def bench_launch(report: Report, tmp: Path, runs: int) -> None:
    if shutil.which("tmux") is None:
        report.record("launch", "launch in tmux: tmux is not installed", "skipped")
        return
    runtime = Path(tempfile.mkdtemp(prefix="wxtui-launch-rt-"))
    env = {"WXTUI_RUNTIME_DIR": str(runtime), "HOME": str(tmp), "TERM": "xterm-256color"}
    db = tmp / "launch.db"
    with Store.open(db) as store:
        command = f"sh -c {shlex.quote(f'echo {FIRST}; exec sleep 600')}"
        project = store.add_project("launch", str(tmp), command=command).id
    app = tmp / "minimal_app.py"
    app.write_text(MINIMAL_APP)

    def minimal() -> float:
        return _tmux_until_shown([sys.executable, str(app)], env)

    def cold() -> float:
        _stop_host(db, env)  # Its agent ends with it: the next launch starts both.
        return _tmux_until_shown(_wxtui(db, "--open", project), env)

    def warm() -> float:
        _stop_host(db, env)
        host = subprocess.Popen(
            _wxtui(db, "host"),
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while subprocess.run(
                _wxtui(db, "host", "status"), env={**os.environ, **env}, capture_output=True
            ).returncode:
                if time.monotonic() > deadline:
                    raise TimeoutError("the host did not start")
                time.sleep(0.05)
            return _tmux_until_shown(_wxtui(db, "--open", project), env)
        finally:
            _stop_host(db, env)
            try:
                host.wait(timeout=30)
            except subprocess.TimeoutExpired:
                host.kill()  # Not what `host stop` should leave: the run is spoilt anyway.
                host.wait()
                raise

    baseline = median_of(runs, minimal)
    for name, measure in (("no session host running", cold), ("a session host running", warm)):
        ours = median_of(runs, measure)
        report.record(
            "launch",
            f"wxtui --open PROJECT in tmux to its child's first line, {name}",
            f"{ours * 1000:.0f} ms",
            f"minimal Textual app to its first frame {baseline * 1000:.0f} ms",
            f"{ours / baseline:.2f}x",
            "≤ 1.5x",
            ours <= 1.5 * baseline,
        )
    _stop_host(db, env)
