"""Receives what ``hook_relay.py`` sends: Claude Code hook events for wxtui's sessions.

A unix socket in wxtui's 0700 runtime directory, itself 0600, accepting only this
user's processes. Anything malformed (bad header, bad JSON, oversized, another
user's connection) is dropped with a log line; nothing a client sends can raise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxtui.sessions.unix_socket import bind_private, peer_uid

log = logging.getLogger(__name__)

MAGIC = b"wxtui-hook 1 "
MAX_MESSAGE = 8 * 1024 * 1024 + 4096
READ_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class HookMessage:
    project_id: str
    ancestors: tuple[int, ...]  # The relay's ancestor pids, nearest first.
    event: dict[str, Any]

    @property
    def name(self) -> str:
        name = self.event.get("hook_event_name")
        return name if isinstance(name, str) else ""


def parse_message(data: bytes) -> HookMessage | None:
    """One relayed event, or None (logged) for anything that is not one."""
    header, newline, body = data.partition(b"\n")
    if not newline or not header.startswith(MAGIC):
        log.warning("hook socket: dropped %d bytes without a valid header", len(data))
        return None
    try:
        project_id, pids = header[len(MAGIC) :].decode("ascii").split(" ")
        ancestors = tuple(int(pid) for pid in pids.split(",") if pid)
        event = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        log.warning("hook socket: dropped a malformed event (%s)", exc)
        return None
    if not isinstance(event, dict) or not isinstance(event.get("hook_event_name"), str):
        log.warning("hook socket: dropped an event without hook_event_name")
        return None
    return HookMessage(project_id, ancestors, event)


class HookServer:
    """Listens on ``path`` and hands every valid event to ``on_message``."""

    def __init__(self, path: Path, on_message: Callable[[HookMessage], None]) -> None:
        self.path = path
        self._on_message = on_message
        self._server: asyncio.base_events.Server | None = None
        self._sock: socket.socket | None = None

    def start(self) -> None:
        """Bind now (so a child started right after can connect), serve on the running loop."""
        # Our own path (it names our pid): a stale one from a crash is replaced.
        sock = bind_private(self.path)
        self._sock = sock
        asyncio.get_running_loop().create_task(self._serve(sock))

    async def _serve(self, sock: socket.socket) -> None:
        self._server = await asyncio.start_unix_server(self._handle, sock=sock, limit=MAX_MESSAGE)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if peer_uid(writer) != os.getuid():
                log.warning("hook socket: refused a connection from another user")
                return
            data = await asyncio.wait_for(reader.read(MAX_MESSAGE + 1), READ_TIMEOUT)
            while len(data) <= MAX_MESSAGE:
                wanted = MAX_MESSAGE + 1 - len(data)
                more = await asyncio.wait_for(reader.read(wanted), READ_TIMEOUT)
                if not more:
                    break
                data += more
            if len(data) > MAX_MESSAGE:
                log.warning("hook socket: dropped an event over %d bytes", MAX_MESSAGE)
                return
            message = parse_message(data)
            if message is not None:
                self._on_message(message)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            log.warning("hook socket: connection failed (%s)", exc)
        except Exception:
            log.exception("hook socket: handling an event failed")
        finally:
            writer.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None
        elif self._sock is not None:
            self._sock.close()
        self._sock = None
        with contextlib.suppress(OSError):
            self.path.unlink()
