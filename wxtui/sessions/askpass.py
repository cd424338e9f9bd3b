"""ssh's own questions (a password, a passphrase, a new host key), asked in the UI.

The UI runs a remote's command without a terminal, so ssh cannot ask on one. It asks
its ``SSH_ASKPASS`` program instead (``SSH_ASKPASS_REQUIRE=force``): ``wxtui-askpass``,
which hands the question to the UI over a private unix socket and prints the answer
the user typed there. Nothing is stored; a question the user cancels makes ssh fail as
a refused password would, and the remote says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from wxtui.sessions.unix_socket import bind_private, peer_uid

# Asks the user ``prompt`` (ssh's words): the answer, or None when they cancel.
Ask = Callable[[str, str], Awaitable[str | None]]
MAX_QUESTION = 4096
SOCKET_VARIABLE = "WXTUI_ASKPASS_SOCKET"
REMOTE_VARIABLE = "WXTUI_ASKPASS_REMOTE"


def askpass_program() -> str:
    """The ``wxtui-askpass`` installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("wxtui-askpass")
    return str(beside) if beside.exists() else shutil.which("wxtui-askpass") or str(beside)


class AskpassServer:
    """Serves ssh's questions on ``path`` until closed; ``ask`` puts each to the user."""

    def __init__(self, path: Path, ask: Ask) -> None:
        self.path = path
        self.ask = ask
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        sock = bind_private(self.path)
        self._server = await asyncio.start_unix_server(self._serve, sock=sock)

    def environ(self, remote: str) -> dict[str, str]:
        """What a remote's command needs to ask its questions here."""
        return {
            "SSH_ASKPASS": askpass_program(),
            "SSH_ASKPASS_REQUIRE": "force",
            SOCKET_VARIABLE: str(self.path),
            REMOTE_VARIABLE: remote,
        }

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
        with contextlib.suppress(OSError):
            self.path.unlink()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if peer_uid(writer) != os.getuid():
                return
            line = await reader.readline()
            question = json.loads(line[:MAX_QUESTION]) if line else {}
            prompt = str(question.get("prompt", "")).strip() or "ssh asks for a password"
            answer = await self.ask(str(question.get("remote", "")), prompt)
            reply = {"cancel": True} if answer is None else {"answer": answer}
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()
        except (ValueError, OSError):
            pass
        finally:
            writer.close()


def main() -> int:
    """``wxtui-askpass PROMPT``: what ssh runs; prints the UI's answer (exit 1: none)."""
    path = os.environ.get(SOCKET_VARIABLE)
    prompt = sys.argv[1] if len(sys.argv) > 1 else ""
    if not path:
        print("wxtui-askpass: no wxtui UI to ask", file=sys.stderr)
        return 1
    question = {"prompt": prompt, "remote": os.environ.get(REMOTE_VARIABLE, "")}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            connection.sendall(json.dumps(question).encode() + b"\n")
            reply = json.loads(connection.makefile("rb").readline() or b"{}")
    except (OSError, ValueError) as exc:
        print(f"wxtui-askpass: the UI did not answer: {exc}", file=sys.stderr)
        return 1
    if "answer" not in reply:
        return 1
    print(reply["answer"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
