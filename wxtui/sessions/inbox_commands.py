"""``wxtui inbox [--json]`` and ``wxtui inbox answer``: the agents that need the user, and
their answers, for a status bar, a script or another tool (the same rows and the same
answers as the UI's inbox, from the session host)."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxtui.errors import InvalidInput, WxtuiError
from wxtui.sessions.agent_state import URGENCY, AgentState, short_duration
from wxtui.sessions.client import HostClient, IgnoringSink
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.sessions.host_status import SessionInfo
from wxtui.sessions.permission_requests import Decision, PendingRequest
from wxtui.store import Store


@dataclass(frozen=True, slots=True)
class InboxRow:
    project_id: str
    name: str
    state: AgentState
    reason: str
    waited: float  # Seconds in this state.
    request: PendingRequest | None

    def to_json(self, now: datetime.datetime) -> dict[str, Any]:
        since = now - datetime.timedelta(seconds=self.waited)
        return {
            "project": self.project_id,
            "name": self.name,
            "state": self.state.value,
            "reason": self.reason,
            "tool": self.request.tool if self.request else None,
            "tool_input": dict(self.request.tool_input) if self.request else None,
            "request": self.request.id if self.request else None,
            "since": since.isoformat(timespec="seconds"),
        }


def inbox_rows(sessions: list[SessionInfo], names: dict[str, str]) -> list[InboxRow]:
    """The agents that need the user, most urgent first, oldest first within a rank (as
    the UI's inbox orders Claude's sessions; the UI also hides news it showed you)."""
    rows = []
    for info in sessions:
        try:
            state = AgentState(info.state)
        except ValueError:
            continue  # Another program than Claude: no state.
        if not info.attention or state not in URGENCY:
            continue
        request = PendingRequest.from_json(info.request)
        rows.append(
            InboxRow(
                info.project,
                names.get(info.project, info.project),
                state,
                info.reason,
                info.age,
                request,
            )
        )
    return sorted(rows, key=lambda row: (URGENCY[row.state], -row.waited))


def inbox_command(db_path: Path, as_json: bool) -> int:
    with Store.open(db_path) as store:
        names = {p.id: p.name for p in store.list_projects()}
    rows = asyncio.run(_rows(db_path, names))
    if as_json:
        now = datetime.datetime.now(datetime.UTC)
        print(json.dumps([row.to_json(now) for row in rows], indent=2, ensure_ascii=False))
    elif not rows:
        print("Nothing needs you right now.")
    for row in [] if as_json else rows:
        print(f"{row.name}  {row.state.value}  {short_duration(row.waited)}  {row.reason}")
    return 0


async def _rows(db_path: Path, names: dict[str, str]) -> list[InboxRow]:
    path = host_socket_path(db_path)
    if not host_running(path):
        return []  # No session host: no agent runs.
    client = await HostClient.connect(path)
    try:
        return inbox_rows((await client.status()).sessions, names)
    finally:
        await client.close()


def answer_command(
    db_path: Path, project_ref: str, decision: Decision, message: str, request_id: str | None
) -> int:
    """Answer what the project's agent waits for; ``request_id`` (from ``inbox --json``):
    only that request, nothing if it was answered meanwhile. A reply to an agent that
    waits for its next prompt is sent as one."""
    with Store.open(db_path) as store:
        project = store.find_project(project_ref)
    print(asyncio.run(_answer(db_path, project.id, project.name, decision, message, request_id)))
    return 0


async def _answer(
    db_path: Path,
    project_id: str,
    name: str,
    decision: Decision,
    message: str,
    request_id: str | None,
) -> str:
    path = host_socket_path(db_path)
    if not host_running(path):
        raise WxtuiError(f"{name} is not running")
    client = await HostClient.connect(path)
    try:
        info = (await client.status()).session(project_id)
        if info is None:
            raise WxtuiError(f"{name} is not running")
        request = PendingRequest.from_json(info.request)
        waiting_id = request.id if request is not None else None
        if request_id is not None and request_id != waiting_id:
            raise WxtuiError(f"{name}: request {request_id} was already answered; nothing sent")
        await client.start(project_id, IgnoringSink(), 24, 80, paused=True, environ=os.environ)
        try:
            if request is not None:
                await client.answer(project_id, request.id, decision, message)
                return f"{name}: {decision.done}"
            if decision is Decision.REPLY and info.state == "done":
                if not message.strip():
                    raise InvalidInput("--message: the prompt to send")
                await client.send(project_id, message)
                return f"{name}: sent"
            raise WxtuiError(f"{name} is not waiting for an answer ({info.state})")
        finally:
            client.detach(project_id)
    finally:
        await client.close()
