"""Other machines for the remote tests: a command with its own HOME, database, runtime
directory, settings and log (a second machine in every way but the kernel), reached as
a remote's command is, through ``wxtui host --stdio``."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.support import WXTUI
from wxtui.store import Store


@dataclass(frozen=True)
class FakeMachine:
    name: str
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "wxtui.db"  # Found (and its host stopped) by conftest.

    @property
    def workspace(self) -> Path:
        return self.root / "work"

    @property
    def command(self) -> str:
        """What [remotes.NAME] runs: this machine's host on stdin and stdout."""
        environment = {
            "HOME": self.root / "home",
            "WXTUI_DB": self.db,
            "WXTUI_RUNTIME_DIR": self.root / "run",
            "WXTUI_CONFIG": self.root / "config.toml",
            "WXTUI_LOG": self.root / "wxtui.log",
            "XDG_DATA_HOME": self.root / "data",
        }
        assignments = [f"{k}={shlex.quote(str(v))}" for k, v in environment.items()]
        return " ".join(["env", *assignments, shlex.quote(WXTUI), "host", "--stdio"])

    def store(self) -> Store:
        return Store.open(self.db)


def fake_machine(tmp_path: Path, name: str) -> FakeMachine:
    machine = FakeMachine(name, tmp_path / name)
    for folder in ("home", "work"):
        (machine.root / folder).mkdir(parents=True)
    Store.open(machine.db).close()
    return machine


def kill_links(machine: FakeMachine, signal_number: int | None = None) -> int:
    """The far end of every link to ``machine`` dies (as when ssh drops), or gets
    ``signal_number`` (SIGSTOP: a link that hangs): each ``wxtui host --stdio`` whose
    database is that machine's. How many there were."""
    import os
    import signal

    sent = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"--stdio" in cmdline and f"WXTUI_DB={machine.db}".encode() in environ:
            os.kill(int(entry.name), signal.SIGKILL if signal_number is None else signal_number)
            sent += 1
    return sent
