"""Relays one Claude Code hook event to the wxtui that owns the session, then exits 0.

Claude waits for most hooks before it goes on, so this must be fast and harmless: it
runs as ``python -I -S hook_relay.py`` (no site, no wxtui imports), prints nothing,
never fails, and never waits for wxtui: if nobody listens, it exits at once.

What it sends over the unix socket named in ``WXTUI_HOOK_SOCKET``: one header line,
``wxtui-hook 1 <project id> <pid>,<pid>,...`` (this process's ancestors, nearest
first: wxtui accepts the event only when its own claude process ran the hook), then
the hook's JSON as Claude gave it on standard input.
"""

import os
import socket
import sys

MAX_EVENT = 8 * 1024 * 1024  # Larger events are dropped, not relayed.
CONNECT_TIMEOUT = 0.2
ANCESTORS = 4


def _ancestors() -> list[int]:
    chain = []
    pid = os.getppid()
    for _ in range(ANCESTORS):
        chain.append(pid)
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                pid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if pid <= 1:
            break
    return chain


def relay() -> None:
    path = os.environ.get("WXTUI_HOOK_SOCKET")
    project = os.environ.get("WXTUI_PROJECT_ID", "")
    if not path or not project or any(ch.isspace() for ch in project):
        return
    event = sys.stdin.buffer.read(MAX_EVENT + 1)
    if len(event) > MAX_EVENT:
        return
    header = f"wxtui-hook 1 {project} {','.join(map(str, _ancestors()))}\n".encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(CONNECT_TIMEOUT)
        connection.connect(path)
        connection.sendall(header + event)


if __name__ == "__main__":
    try:  # noqa: SIM105 (contextlib is one import too many here)
        relay()
    except BaseException:  # wxtui gone, socket full, bad input: Claude must not notice.
        pass
    os._exit(0)
