"""``wxtui session start|stop|restart|send PROJECT``: drive a project's agent in its
session host without a UI (a script, another tool, a peer agent)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Literal

from wxtui.errors import InvalidInput
from wxtui.sessions.client import HostClient, IgnoringSink, connect_or_start
from wxtui.sessions.host import host_running, host_socket_path
from wxtui.store import Store

SessionAction = Literal["start", "stop", "restart", "send"]


def session_command(
    db_path: Path,
    action: SessionAction,
    project_ref: str,
    agent: str | None,
    text: str = "",
    milestone_ref: str | None = None,
) -> int:
    """``milestone_ref`` (send): a milestone of the project, sent as ``p`` sends it: its
    prompt unless ``text`` is given, in progress from this prompt, its review's base the
    workspace now."""
    with Store.open(db_path) as store:
        project = store.find_project(project_ref)
        milestone = store.find_milestone(milestone_ref) if milestone_ref else None
    if milestone is not None:
        if milestone.output_project_id != project.id:
            raise InvalidInput(f"{milestone.element_name} is not a milestone of {project.name}")
        text = text or milestone.prompt or ""
    if action == "send" and not text.strip():
        raise InvalidInput("nothing to send: give TEXT (or a milestone with a prompt)")
    milestone_id = milestone.id if milestone is not None else None
    print(asyncio.run(_run(db_path, action, project.id, project.name, agent, text, milestone_id)))
    return 0


async def _run(
    db_path: Path,
    action: SessionAction,
    project_id: str,
    name: str,
    agent: str | None,
    text: str,
    milestone_id: str | None = None,
) -> str:
    if action == "stop" and not host_running(host_socket_path(db_path)):
        return f"{name} is not running"
    client = await connect_or_start(db_path, os.environ, agent)
    try:
        if action == "stop":
            return await _stop(client, project_id, name)
        if action == "restart":
            await _stop(client, project_id, name)
        created = await _attach(client, project_id, agent)
        if action == "send":
            await client.send(project_id, text, milestone_id)
            return f"sent to {name}"
        pid = await _pid(client, project_id)
        if action == "restart":
            return f"restarted {name} (pid {pid})"
        return f"started {name} (pid {pid})" if created else f"{name} already runs (pid {pid})"
    finally:
        await client.close()


async def _attach(client: HostClient, project_id: str, agent: str | None) -> bool:
    """Start the session (or join it) without asking for its output."""
    return await client.start(
        project_id, IgnoringSink(), 24, 80, paused=True, agent=agent, environ=os.environ
    )


async def _stop(client: HostClient, project_id: str, name: str) -> str:
    status = await client.status()
    if status.session(project_id) is None:
        return f"{name} is not running"
    await _attach(client, project_id, None)
    await client.stop(project_id)
    client.detach(project_id)
    return f"stopped {name}"


async def _pid(client: HostClient, project_id: str) -> int:
    info = (await client.status()).session(project_id)
    return 0 if info is None else info.pid
