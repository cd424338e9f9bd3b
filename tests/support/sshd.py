"""A real sshd on 127.0.0.1, for the remote tests: started on a free port with a
throwaway host key, letting in this user with a throwaway key, and stopped after."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)


@dataclass(frozen=True)
class Sshd:
    port: int
    key: Path

    def ssh(self, remote_command: str) -> str:
        """A remote's command through this sshd (as a user would write it)."""
        options = [
            "-T",
            "-p", str(self.port),
            "-i", str(self.key),
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR",
        ]  # fmt: skip
        return shlex.join(["ssh", *options, "127.0.0.1"]) + " " + remote_command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_sshd(root: Path) -> Iterator[Sshd]:
    assert SSHD is not None
    root.mkdir(parents=True, exist_ok=True)
    host_key, user_key = root / "host_key", root / "user_key"
    for key in (host_key, user_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    (root / "authorized_keys").write_text((root / "user_key.pub").read_text())
    port = _free_port()
    home = root / "home"
    home.mkdir(exist_ok=True)
    config = root / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"PidFile {root / 'sshd.pid'}\nAuthorizedKeysFile {root / 'authorized_keys'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nStrictModes no\nUsePAM no\nPermitRootLogin yes\n"
        # The login shell would read the user's own rc files (which may do anything):
        # a home of its own keeps the test off them.
        f"SetEnv HOME={home}\n"
    )
    if os.getuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # Its privilege separation.
    server = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=open(root / "sshd.log", "w"),  # noqa: SIM115
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not start: {(root / 'sshd.log').read_text()}")
            time.sleep(0.05)
        yield Sshd(port, user_key)
    finally:
        server.terminate()
        server.wait(timeout=10)
