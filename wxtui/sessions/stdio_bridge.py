"""``wxtui host --stdio``: this machine's session host, spoken on stdin and stdout.

What a remote's command runs at the far end (``ssh -T buildbox wxtui host --stdio``):
it reaches the host of this machine's database (starting one if none runs) and copies
bytes both ways, unchanged, until either side ends. The host protocol needs nothing
more: ssh carries it, authenticates and encrypts it, and no port is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import threading
from pathlib import Path

from wxtui.errors import WxtuiError
from wxtui.logs import setup_logging
from wxtui.sessions.client import start_host, wait_until_serving
from wxtui.sessions.host_address import host_running, host_socket_path

CHUNK = 64 * 1024


def run_stdio_bridge(db_path: Path, agent: str | None) -> int:
    """Relay stdin/stdout to this database's host until one side ends."""
    setup_logging()
    path = host_socket_path(db_path)
    if not host_running(path):
        start_host(db_path, os.environ, agent)
        try:
            asyncio.run(wait_until_serving(path))
        except WxtuiError as error:
            raise WxtuiError(f"{error} on {socket.gethostname()}") from None
    host = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        host.connect(str(path))
    except OSError as exc:
        raise WxtuiError(f"cannot reach the session host at {path}: {exc.strerror}") from None
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    upstream = threading.Thread(target=_to_host, args=(stdin, host), daemon=True)
    upstream.start()
    _from_host(host, stdout)  # Ends when the host closes (or after the client left).
    return 0


def _to_host(stdin: int, host: socket.socket) -> None:
    """The client's bytes to the host; at their end the host hears it (and lets go)."""
    try:
        while data := os.read(stdin, CHUNK):
            host.sendall(data)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        host.shutdown(socket.SHUT_WR)


def _from_host(host: socket.socket, stdout: int) -> None:
    try:
        while data := host.recv(CHUNK):
            view = memoryview(data)
            while view:
                view = view[os.write(stdout, view) :]
    except OSError:  # The client's side is gone: the host sees this connection end.
        pass
    finally:
        host.close()
