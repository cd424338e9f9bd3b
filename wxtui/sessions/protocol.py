"""What the session host and its clients say to each other over the host's unix socket.

Every message is a frame: a 4-byte big-endian length, a 1-byte kind, then the body.
Control messages carry a JSON object; a session's bytes (output, input, a snapshot)
carry the project id, a NUL, then the bytes as they are, so a flood costs no encoding.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from wxtui.errors import WxtuiError
from wxtui.sessions.agent_state import AgentState, AgentStatus
from wxtui.sessions.permission_requests import PendingRequest

# Frames, HELLO, WELCOME, STATUS, SHUTDOWN and STATUS_REPLY never change: a client of
# another protocol may still ask a host its status and stop it (to restart it).
PROTOCOL = 6
MAX_FRAME = 16 * 1024 * 1024
# A client has at most about this much of a session's output unacknowledged (see the
# host's flow control).
WINDOW = 64 * 1024
_HEADER = struct.Struct(">IB")


class Kind(IntEnum):
    # client -> host
    HELLO = 1  # {"protocol", "version"}
    START = 2  # {"project", "rows", "cols", "paused"}: start (or just attach to) a session
    INPUT = 3  # project, bytes
    RESIZE = 4  # {"project", "rows", "cols"}
    STOP = 5  # {"project"}
    STATUS = 6  # {}
    SHUTDOWN = 7  # {}: stop every session, then the host
    SEND = 8  # {"project", "text", "milestone"}: type a prompt and Enter, once it is ready
    DETACH = 9  # {"project"}
    ACK = 10  # {"project", "bytes"}: that much more of its output and snapshots shown
    PAUSE = 11  # {"project", "paused"}: its output is (not) wanted for now
    ANSWER = 12  # {"project", "request", "decision", "message"}: answer a waiting request
    STORE = 13  # {"id", "op", "args"}: an operation on the host's store (store_service)
    # host -> client
    WELCOME = 64  # {"protocol", "version", "pid"}
    SNAPSHOT = 66  # project, bytes: a terminal.snapshot.Snapshot, encoded
    OUTPUT = 67  # project, bytes
    EVENT = 68  # {"project", "event", ...}: started, failed, exited, notice, status,
    # milestones; output and bell (while paused); live (resumed: what it missed was sent)
    STATUS_REPLY = 69  # {"pid", "version", "sessions": [...]}
    STORE_REPLY = 70  # {"id", "result"} or {"id", "error", "error_kind"}: the reply to STORE


class Event(StrEnum):
    """What an EVENT frame says of a session."""

    STARTED = "started"  # {"created"}: the reply to START
    FAILED = "failed"  # {"error", "elsewhere", "holder"}: the reply to START
    EXITED = "exited"  # {"returncode"}
    NOTICE = "notice"  # {"text"}: one line for the pane
    STATUS = "status"  # see status_fields
    MILESTONES = "milestones"  # a milestone changed on the agent's behalf
    OUTPUT = "output"  # it printed while paused (once per pause)
    BELL = "bell"  # it rang the bell while paused (once per pause)
    LIVE = "live"  # resumed: what it missed was sent
    SENT = "sent"  # {"error"}: the reply to SEND ("" when the prompt went in)
    ANSWERED = "answered"  # {"error"}: the reply to ANSWER ("" when Claude has it)


def encode_event(project_id: str, event: Event, **fields: Any) -> bytes:
    return encode_json(Kind.EVENT, project=project_id, event=event.value, **fields)


def status_fields(status: AgentStatus, tracked: bool) -> dict[str, Any]:
    """An agent's status as a STATUS event carries it (``age``: seconds in that state,
    as clocks of two processes or machines do not compare)."""
    fields: dict[str, Any] = {
        "state": status.state.value,
        "reason": status.reason,
        "guessed": status.guessed,
        "attention": status.attention,
        "tracked": tracked,
        "age": round(max(0.0, time.monotonic() - status.since), 3),
    }
    if status.request is not None:
        fields["request"] = status.request.to_json()
    return fields


def parse_status(body: dict[str, Any]) -> tuple[AgentStatus, bool]:
    """A STATUS event's status, and whether it is tracked (see status_fields)."""
    try:
        state = AgentState(str(body.get("state")))
    except ValueError:
        raise ProtocolError(f"unknown agent state {body.get('state')!r}") from None
    age = body.get("age")
    status = AgentStatus(
        state,
        str(body.get("reason", "")),
        since=time.monotonic() - (age if isinstance(age, (int, float)) and age > 0 else 0.0),
        guessed=bool(body.get("guessed")),
        attention=bool(body.get("attention")),
        request=PendingRequest.from_json(body.get("request")),
    )
    return status, bool(body.get("tracked"))


class ProtocolError(WxtuiError):
    """The other side sent something that is not a frame of this protocol."""


@dataclass(frozen=True, slots=True)
class Frame:
    kind: Kind
    body: bytes

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.body)
        except ValueError as exc:
            raise ProtocolError(f"bad {self.kind.name} message: {exc}") from None
        if not isinstance(value, dict):
            raise ProtocolError(f"bad {self.kind.name} message: not an object")
        return value

    def session_bytes(self) -> tuple[str, bytes]:
        project, nul, data = self.body.partition(b"\0")
        if not nul:
            raise ProtocolError(f"bad {self.kind.name} message: no project id")
        return project.decode("ascii", "replace"), data


def encode(kind: Kind, body: bytes) -> bytes:
    return _HEADER.pack(len(body), kind) + body


def encode_json(kind: Kind, **fields: Any) -> bytes:
    return encode(kind, json.dumps(fields, separators=(",", ":")).encode())


def encode_bytes(kind: Kind, project_id: str, data: bytes) -> bytes:
    return encode(kind, project_id.encode("ascii") + b"\0" + data)


async def read_frame(reader: asyncio.StreamReader) -> Frame | None:
    """The next frame; None at a clean end of the stream."""
    try:
        header = await reader.readexactly(_HEADER.size)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProtocolError("the connection ended inside a frame") from None
        return None
    length, kind = _HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ProtocolError(f"a frame of {length} bytes is over the limit")
    try:
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise ProtocolError("the connection ended inside a frame") from None
    try:
        return Frame(Kind(kind), body)
    except ValueError:
        raise ProtocolError(f"unknown message kind {kind}") from None
