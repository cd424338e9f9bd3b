"""The UI's sessions and projects over every machine: this one's session host and each
remote's (through its link).

A remote's project is named here ``NAME:ID`` (its id there, after the remote's name),
so every part of the UI (panes, the sidebar, the inbox) keeps one string per project;
this object sends each call to the machine that id belongs to, with the id that
machine knows. Nothing of a remote is stored here: its projects come from its store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Protocol

from wxtui.errors import NotFound
from wxtui.models import Milestone, OutputProject
from wxtui.sessions.backend import HostedSessions
from wxtui.sessions.client import ClientSink, HostClient
from wxtui.sessions.host_status import HostStatus
from wxtui.sessions.permission_requests import Decision
from wxtui.sessions.remote_link import Remote
from wxtui.sessions.remote_sessions import RemoteSessions


def split(qualified: str) -> tuple[str | None, str]:
    """(the remote's name, or None for this machine; the id that machine knows)."""
    name, colon, own = qualified.partition(":")
    return (name, own) if colon else (None, qualified)


def qualify(remote: str, own: str) -> str:
    return f"{remote}:{own}"


class MachineSessions(Protocol):
    """What this machine's sessions (HostedSessions) and a remote's (RemoteSessions)
    both offer, each by the project ids it knows."""

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool
    ) -> bool: ...

    def write(self, project_id: str, data: bytes) -> None: ...

    def resize(self, project_id: str, rows: int, cols: int) -> None: ...

    def shown(self, project_id: str, shown: bool) -> None: ...

    async def catch_up(self, project_id: str) -> None: ...

    def is_alive(self, project_id: str) -> bool: ...

    async def stop(self, project_id: str) -> None: ...

    async def send_prompt(self, project_id: str, text: str, milestone_id: str | None) -> None: ...

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str
    ) -> None: ...


class AllMachines:
    """Where ``HostedSessions`` serves this machine, this serves every machine."""

    def __init__(
        self,
        local: HostedSessions,
        remotes: list[Remote],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self.local = local
        # Every link reads within the local one's budget: a flood from each machine
        # would otherwise take a budget's worth of every loop turn.
        self.remotes = {r.name: RemoteSessions(r, changed, local.read_budget) for r in remotes}

    # -- the machines --------------------------------------------------------------

    def link_all(self, environ: Callable[[str], Mapping[str, str]] | None = None) -> None:
        """Start keeping every remote's link up; ``environ``: each link command's
        environment, by remote (so that ssh asks its questions in the UI)."""
        for remote in self.remotes.values():
            if environ is not None:
                remote.environ = environ(remote.name)
            remote.keep_linked()

    def remote_of(self, qualified: str) -> RemoteSessions | None:
        name, _own = split(qualified)
        if name is None:
            return None
        remote = self.remotes.get(name)
        if remote is None:
            raise NotFound(f"no remote named {name!r}")
        return remote

    def configured_remote(self, qualified: str | None) -> RemoteSessions | None:
        """As :meth:`remote_of`, but None also for a remote no longer in the settings (and
        for no id at all): for what only asks whether a link is up."""
        try:
            return None if qualified is None else self.remote_of(qualified)
        except NotFound:
            return None

    # -- projects ------------------------------------------------------------------

    def list_projects(self) -> list[OutputProject]:
        """This machine's projects, then each remote's (in the settings file's order)."""
        projects = self.local.store.list_projects()
        for name in self.remotes:
            projects.extend(self.remote_projects(name))
        return projects

    def all_milestones(self) -> dict[str, list[Milestone]]:
        """Every project's milestones, by project id."""
        found: dict[str, list[Milestone]] = {}
        for milestone in self.local.store.list_milestones():
            found.setdefault(milestone.output_project_id, []).append(milestone)
        for name in self.remotes:
            for milestone in self.remote_milestones(name):
                found.setdefault(milestone.output_project_id, []).append(milestone)
        return found

    def get_project(self, project_id: str) -> OutputProject:
        name, _own = split(project_id)
        if name is None:
            return self.local.store.get_project(project_id)
        self.remote_of(project_id)
        for project in self.remote_projects(name):
            if project.id == project_id:
                return project
        raise NotFound(f"unknown project: {project_id}")

    def get_milestone(self, milestone_id: str) -> Milestone:
        name, _own = split(milestone_id)
        if name is None:
            return self.local.store.get_milestone(milestone_id)
        self.remote_of(milestone_id)
        for milestone in self.remote_milestones(name):
            if milestone.id == milestone_id:
                return milestone
        raise NotFound(f"unknown milestone: {milestone_id}")

    def milestones_ready_for_review(self) -> set[str]:
        ready = self.local.store.milestones_ready_for_review()
        for name in self.remotes:
            ready |= self.remote_review(name)
        return ready

    def name_of(self, project_id: str) -> str:
        """How the UI names a project: ``NAME:project`` for a remote's."""
        project = self.get_project(project_id)
        name, _own = split(project_id)
        return project.name if name is None else f"{name}:{project.name}"

    def remote_projects(self, name: str) -> list[OutputProject]:
        catalog = self.remotes[name].catalog
        return [replace(p, id=qualify(name, p.id)) for p in catalog.projects]

    def remote_milestones(self, name: str) -> list[Milestone]:
        return [
            replace(m, id=qualify(name, m.id), output_project_id=qualify(name, m.output_project_id))
            for m in self.remotes[name].catalog.milestones
        ]

    def remote_review(self, name: str) -> set[str]:
        return {qualify(name, i) for i in self.remotes[name].catalog.review}

    # -- the backend the UI's panes use (as HostedSessions) --------------------------

    @property
    def outlives_the_ui(self) -> bool:
        return self.local.outlives_the_ui

    @property
    def client(self) -> HostClient | None:
        """This machine's host client (its version is checked at start)."""
        return self.local.client

    async def connect(self) -> HostClient | None:
        """This machine's host, started if none runs."""
        return await self.local.connect()

    def _route(self, project_id: str) -> tuple[MachineSessions, str]:
        """The sessions of the machine the project is on, and its id there."""
        remote = self.remote_of(project_id)
        return (self.local, project_id) if remote is None else (remote, split(project_id)[1])

    async def start(
        self, project_id: str, sink: ClientSink, rows: int, cols: int, shown: bool = True
    ) -> bool:
        machine, own = self._route(project_id)
        return await machine.start(own, sink, rows, cols, shown)

    def write(self, project_id: str, data: bytes) -> None:
        machine, own = self._route(project_id)
        machine.write(own, data)

    def resize(self, project_id: str, rows: int, cols: int) -> None:
        machine, own = self._route(project_id)
        machine.resize(own, rows, cols)

    def shown(self, project_id: str, shown: bool) -> None:
        machine, own = self._route(project_id)
        machine.shown(own, shown)

    async def catch_up(self, project_id: str) -> None:
        machine, own = self._route(project_id)
        await machine.catch_up(own)

    def is_alive(self, project_id: str) -> bool:
        machine, own = self._route(project_id)
        return machine.is_alive(own)

    async def stop(self, project_id: str) -> None:
        machine, own = self._route(project_id)
        await machine.stop(own)

    def forget(self, project_id: str) -> None:
        """The project's pane is gone (a remote attaches it no more after a relink)."""
        if (remote := self.remote_of(project_id)) is not None:
            remote.forget(split(project_id)[1])

    async def send_prompt(self, project_id: str, text: str, milestone_id: str | None) -> None:
        machine, own = self._route(project_id)
        milestone = None if milestone_id is None else split(milestone_id)[1]
        await machine.send_prompt(own, text, milestone)

    async def answer(
        self, project_id: str, request_id: str, decision: Decision, message: str = ""
    ) -> None:
        machine, own = self._route(project_id)
        await machine.answer(own, request_id, decision, message)

    async def running(self) -> list[str]:
        """Every machine's running sessions (a remote that is down has none)."""
        found = await asyncio.gather(
            self.local.running(), *(r.running() for r in self.remotes.values())
        )
        local, *remote_lists = found
        qualified = [
            qualify(name, own)
            for name, owns in zip(self.remotes, remote_lists, strict=True)
            for own in owns
        ]
        return [*local, *qualified]

    async def status(self) -> HostStatus | None:
        return await self.local.status()

    async def stop_all(self) -> None:
        """Stop this machine's sessions and host (a remote's agents are that machine's
        to stop: ``wxtui session stop --remote``)."""
        await self.local.stop_all()

    async def leave(self) -> int:
        await asyncio.gather(*(r.close() for r in self.remotes.values()))
        return await self.local.leave()
