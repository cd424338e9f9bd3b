"""``wxtui session start|stop|restart|send PROJECT``: drive a project's agent in its
session host without a UI (a script, another tool, a peer agent)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Literal

from wxtui.sessions.client import HostClient, IgnoringSink, connect_or_start
from wxtui.sessions.host import host_running, host_socket_path
from wxtui.store import Store

SessionAction = Literal["start", "stop", "restart", "send"]


def session_command(
    db_path: Path, action: SessionAction, project_ref: str, agent: str | None, text: str = ""
) -> int:
    with Store.open(db_path) as store:
        project = store.find_project(project_ref)
    print(asyncio.run(_run(db_path, action, project.id, project.name, agent, text)))
    return 0


async def _run(
    db_path: Path,
    action: SessionAction,
    project_id: str,
    name: str,
    agent: str | None,
    text: str,
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
            await client.send(project_id, text)
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
