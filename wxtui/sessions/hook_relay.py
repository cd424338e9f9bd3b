"""Relays one Claude Code hook event to the wxtui that owns the session, then exits 0.

Claude waits for most hooks before it goes on, so this must be fast and harmless: it
runs as ``python -I -S hook_relay.py`` (no site, no wxtui imports), never fails, and
never waits for wxtui when nobody listens: it exits at once.

What it sends over the unix socket named in ``WXTUI_HOOK_SOCKET``: one header line,
``wxtui-hook 1 <project id> <pid>,<pid>,...`` (this process's ancestors, nearest
first: wxtui accepts the event only when its own claude process ran the hook), then
the hook's JSON as Claude gave it on standard input; then it closes its side and
prints what wxtui replies. For a ``PermissionRequest`` (Claude shows its dialog
meanwhile) the reply is the user's answer from the inbox, or nothing when the request
was answered in the pane or the session host went away; it may take as long as the
user does. For every other event the reply is nothing, at once.
"""

# The C module behind ``socket``: the Python wrapper's imports (enum, selectors...)
# would cost more than everything else this script does.
import _socket
import os

MAX_EVENT = 8 * 1024 * 1024  # Larger events are dropped, not relayed.
CONNECT_TIMEOUT = 0.2
REPLY_TIMEOUT = 2.0  # For events that wait for no answer.
WAITS_FOR_ANSWER = b'"hook_event_name":"PermissionRequest"'
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
    chunks = []
    size = 0
    while size <= MAX_EVENT and (chunk := os.read(0, 1 << 16)):
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_EVENT:
        return
    header = f"wxtui-hook 1 {project} {','.join(map(str, _ancestors()))}\n".encode()
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.settimeout(CONNECT_TIMEOUT)
        connection.connect(path)
        event = b"".join(chunks)
        connection.sendall(header + event)
        connection.shutdown(_socket.SHUT_WR)
        compact = event.replace(b" ", b"")
        connection.settimeout(None if WAITS_FOR_ANSWER in compact else REPLY_TIMEOUT)
        reply = []
        while chunk := connection.recv(1 << 16):
            reply.append(chunk)
    finally:
        connection.close()
    if reply:
        os.write(1, b"".join(reply))


if __name__ == "__main__":
    try:  # noqa: SIM105 (contextlib is one import too many here)
        relay()
    except BaseException:  # wxtui gone, socket full, bad input: Claude must not notice.
        pass
    os._exit(0)
