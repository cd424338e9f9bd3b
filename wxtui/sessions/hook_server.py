"""Receives what ``hook_relay.py`` sends: Claude Code hook events for wxtui's sessions.

A unix socket in wxtui's 0700 runtime directory, itself 0600, accepting only this
user's processes. Anything malformed (bad header, bad JSON, oversized, another
user's connection) is dropped with a log line; nothing a client sends can raise.

A ``PermissionRequest``'s connection stays open: its relay waits for the answer
(:class:`HookReply`); every other connection is closed once its event is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wxtui.sessions.unix_socket import bind_private, peer_uid

log = logging.getLogger(__name__)

MAGIC = b"wxtui-hook 1 "
MAX_MESSAGE = 8 * 1024 * 1024 + 4096
READ_TIMEOUT = 5.0


class HookReply:
    """The open connection of a relay that waits for an answer: ``send`` it once, or
    ``close`` it (the relay then prints nothing and Claude's dialog decides)."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self.kept = False  # Whoever handles the event keeps it to answer later.

    @property
    def closed(self) -> bool:
        return self._writer.is_closing()

    async def send(self, data: bytes) -> bool:
        """The answer, then the end; False when the relay is gone (Claude ended the
        hook: the request was answered or timed out)."""
        if self.closed:
            return False
        try:
            self._writer.write(data)
            await self._writer.drain()
            return True
        except (OSError, RuntimeError):
            return False
        finally:
            self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()


@dataclass(frozen=True, slots=True)
class HookMessage:
    project_id: str
    ancestors: tuple[int, ...]  # The relay's ancestor pids, nearest first.
    event: dict[str, Any]
    reply: HookReply | None = None  # A PermissionRequest's relay, waiting for the answer.

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
        self._replies: weakref.WeakSet[HookReply] = weakref.WeakSet()

    def start(self) -> None:
        """Bind now (so a child started right after can connect), serve on the running loop."""
        # Our own path (it names our pid): a stale one from a crash is replaced.
        sock = bind_private(self.path)
        self._sock = sock
        asyncio.get_running_loop().create_task(self._serve(sock))

    async def _serve(self, sock: socket.socket) -> None:
        self._server = await asyncio.start_unix_server(self._handle, sock=sock, limit=MAX_MESSAGE)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        kept = False
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
            if message is not None and message.name == "PermissionRequest":
                reply = HookReply(writer)
                self._replies.add(reply)
                message = replace(message, reply=reply)
            if message is not None:
                self._on_message(message)
                kept = message.reply is not None and message.reply.kept
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            log.warning("hook socket: connection failed (%s)", exc)
        except Exception:
            log.exception("hook socket: handling an event failed")
        finally:
            if not kept:
                writer.close()

    async def close(self) -> None:
        for reply in list(self._replies):  # Their relays end; Claude's dialogs decide.
            reply.close()
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
