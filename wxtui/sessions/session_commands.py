"""``wxtui session start|stop|restart|send PROJECT``: drive a project's agent in its
session host without a UI (a script, another tool, a peer agent)."""

from __future__ import annotations

import asyncio
from typing import Literal

from wxtui.errors import InvalidInput
from wxtui.sessions.client import HostClient, IgnoringSink
from wxtui.sessions.machines import Machine

SessionAction = Literal["start", "stop", "restart", "send"]


def session_command(
    machine: Machine,
    action: SessionAction,
    project_ref: str,
    text: str = "",
    milestone_ref: str | None = None,
) -> int:
    """``milestone_ref`` (send): a milestone of the project, sent as ``p`` sends it: its
    prompt unless ``text`` is given, in progress from this prompt, its review's base the
    workspace now."""
    if action == "send" and not text.strip() and milestone_ref is None:
        raise InvalidInput("nothing to send: give TEXT (or a milestone with a prompt)")
    print(asyncio.run(_run(machine, action, project_ref, text, milestone_ref)))
    return 0


async def _run(
    machine: Machine,
    action: SessionAction,
    project_ref: str,
    text: str,
    milestone_ref: str | None,
) -> str:
    if action == "stop" and not machine.runs_a_host():
        name = (await machine.find_project(None, project_ref)).name
        return f"{name} is not running"
    client = await machine.connect()
    try:
        project = await machine.find_project(client, project_ref)
        name, project_id = machine.label + project.name, project.id
        milestone = await machine.find_milestone(client, milestone_ref) if milestone_ref else None
        if milestone is not None:
            if milestone.output_project_id != project.id:
                raise InvalidInput(f"{milestone.element_name} is not a milestone of {name}")
            text = text or milestone.prompt or ""
        if action == "send" and not text.strip():
            raise InvalidInput("nothing to send: give TEXT (or a milestone with a prompt)")
        if action == "stop":
            return await _stop(client, project_id, name)
        if action == "restart":
            await _stop(client, project_id, name)
        created = await _attach(client, machine, project_id)
        if action == "send":
            await client.send(project_id, text, milestone.id if milestone else None)
            return f"sent to {name}"
        pid = await _pid(client, project_id)
        if action == "restart":
            return f"restarted {name} (pid {pid})"
        return f"started {name} (pid {pid})" if created else f"{name} already runs (pid {pid})"
    finally:
        await client.close()


async def _attach(client: HostClient, machine: Machine | None, project_id: str) -> bool:
    """Start the session (or join it) without asking for its output."""
    return await client.start(
        project_id,
        IgnoringSink(),
        24,
        80,
        paused=True,
        agent=None if machine is None else machine.agent,
        environ=None if machine is None else machine.environ,
    )


async def _stop(client: HostClient, project_id: str, name: str) -> str:
    status = await client.status()
    if status.session(project_id) is None:
        return f"{name} is not running"
    await _attach(client, None, project_id)
    await client.stop(project_id)
    client.detach(project_id)
    return f"stopped {name}"


async def _pid(client: HostClient, project_id: str) -> int:
    info = (await client.status()).session(project_id)
    return 0 if info is None else info.pid
