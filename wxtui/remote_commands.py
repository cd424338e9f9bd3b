"""``wxtui remote add|list|remove`` and the commands that take ``--remote NAME``
(``project add``, ``session list``, ``session send``, ``attach``; ``attach NAME:PROJECT``).

A remote's projects live in its own store: these commands ask its host, through the
remote's command, and copy nothing here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from wxtui.config import add_remote, load_config, remove_remote
from wxtui.errors import InvalidInput, WxtuiError
from wxtui.models import OutputProject
from wxtui.printing import print_sessions
from wxtui.sessions.client import HostClient, HostUnavailable
from wxtui.sessions.machines import RemoteMachine
from wxtui.sessions.remote_link import Remote, open_link, version_note

T = TypeVar("T")
CHECK_TIMEOUT = 15.0  # remote list --check: a remote that has not answered by then is down.


def remotes(config_path: Path) -> list[Remote]:
    """The remotes of the settings file, in its order."""
    return [Remote(n, c) for n, c in load_config(config_path).remotes.items()]


def find_remote(config_path: Path, name: str) -> Remote:
    for remote in remotes(config_path):
        if remote.name == name:
            return remote
    known = ", ".join(r.name for r in remotes(config_path)) or "none yet: wxtui remote add"
    raise InvalidInput(f"no remote named {name!r} (remotes: {known})")


def remote_command(config_path: Path, args: argparse.Namespace) -> int:
    if args.action == "add":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        add_remote(config_path, args.name, _joined(command))
        print(f"added remote {args.name}: {_joined(command)}")
        return 0
    if args.action == "remove":
        remove_remote(config_path, args.name)
        print(f"removed remote {args.name} (its agents and projects are untouched)")
        return 0
    listed = remotes(config_path)
    checks = asyncio.run(_check_all(listed)) if args.check else {}
    # --check: exit 1 when a remote cannot be reached (scripts can tell).
    failed = int(any(c.get("reachable") == "no" for c in checks.values()))
    if args.json:
        rows = [{"name": r.name, "command": r.command, **checks.get(r.name, {})} for r in listed]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return failed
    if not listed:
        print("no remotes (add one: wxtui remote add NAME -- ssh -T HOST wxtui host --stdio)")
    for remote in listed:
        check = checks.get(remote.name)
        said = "" if check is None else f"  [{check['status']}]"
        print(f"{remote.name}  {remote.command}{said}")
    return failed


def _joined(argv: list[str]) -> str:
    """The command as one line (a single argument is taken as a whole command line)."""
    return shlex.join(argv) if len(argv) > 1 else "".join(argv)


async def _check_all(listed: list[Remote]) -> dict[str, dict[str, str]]:
    """Connect to every remote at once: how each answers, in a few words."""

    async def check(remote: Remote) -> dict[str, str]:
        try:
            client, _link = await open_link(remote, timeout=CHECK_TIMEOUT)
        except HostUnavailable as error:
            return {"status": f"unreachable: {error}", "reachable": "no"}
        try:
            note = version_note(remote.name, client)
            return {"status": note or f"ok, wxtui {client.host_version}", "reachable": "yes"}
        finally:
            await client.close()

    results = await asyncio.gather(*(check(r) for r in listed))
    return {remote.name: result for remote, result in zip(listed, results, strict=True)}


def on_remote(config_path: Path, args: argparse.Namespace) -> int:
    """A command given ``--remote NAME``, run against that remote's host."""
    machine = RemoteMachine(find_remote(config_path, args.remote))
    group, action = args.group, getattr(args, "action", None)
    if group == "attach":
        from wxtui.attach import run_attach

        return run_attach(machine, args.project)
    if group == "session" and action in ("start", "stop", "restart", "send"):
        from wxtui.sessions.session_commands import session_command

        text, milestone = getattr(args, "text", ""), getattr(args, "milestone", None)
        return session_command(machine, action, args.project, text, milestone)
    if group == "project" and action == "add":
        return asyncio.run(_project_add(machine, args))
    if group == "milestone" and action == "add":
        return asyncio.run(_milestone_add(machine, args))
    if group == "session" and action == "list":
        return asyncio.run(_session_list(machine, as_json=args.json))
    raise InvalidInput(f"--remote does not go with {group} {action or ''}".strip())


async def _asking(machine: RemoteMachine, ask: Callable[[HostClient], Awaitable[T]]) -> T:
    """``ask`` of the remote's host, over a link opened for it."""
    client = await machine.connect()
    try:
        return await ask(client)
    finally:
        await client.close()


async def _project_add(machine: RemoteMachine, args: argparse.Namespace) -> int:
    if not args.dir.startswith("/"):
        raise InvalidInput(f"--dir: the workspace's absolute path on {machine.remote.name}")
    fields = {"name": args.name, "workspace_path": args.dir, "command": args.command}
    project = await _asking(machine, lambda client: client.store("project.add", **fields))
    print(project["id"])
    return 0


async def _milestone_add(machine: RemoteMachine, args: argparse.Namespace) -> int:
    async def add(client: HostClient) -> Any:
        project = await machine.find_project(client, args.project)
        return await client.store(
            "milestone.add", project=project.id, name=args.name, prompt=args.prompt
        )

    print((await _asking(machine, add))["id"])
    return 0


async def _session_list(machine: RemoteMachine, *, as_json: bool) -> int:
    listing = await _asking(machine, lambda client: client.store("catalog"))
    try:
        projects = [OutputProject(**p) for p in listing["projects"]]
        states = {k: (str(v[0]), str(v[1])) for k, v in listing["states"].items()}
    except (KeyError, TypeError, IndexError) as exc:
        raise WxtuiError(f"{machine.remote.name} sent a listing wxtui cannot read: {exc}") from None
    print_sessions(projects, states, as_json=as_json)
    return 0
