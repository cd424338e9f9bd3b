"""Where a command's sessions are: this machine's host, or a remote's through its link.

The command line's session commands (``attach``, ``session send``...) take either: a
local machine finds projects in its own database and starts a host if none runs; a
remote one asks its host (over ssh), whose store is the one that counts there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wxtui.models import Milestone, OutputProject
from wxtui.sessions.client import HostClient, connect_or_start
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.sessions.remote_link import Remote, open_link, version_note
from wxtui.store import Store


class Machine(Protocol):
    """A machine's session host and store, as a command reaches them."""

    @property
    def label(self) -> str:
        """How projects of this machine are named: "" here, ``NAME:`` for a remote."""
        ...

    @property
    def agent(self) -> str | None:
        """The agent a session started from here runs (None: the host's default)."""
        ...

    @property
    def environ(self) -> Mapping[str, str] | None:
        """The environment a session started from here gets (None: the host's)."""
        ...

    def runs_a_host(self) -> bool:
        """Whether a host may be running (False only when surely none does)."""
        ...

    async def connect(self) -> HostClient:
        """A client of the machine's host (started if none runs)."""
        ...

    async def find_project(self, client: HostClient | None, ref: str) -> OutputProject:
        """The project ``ref`` names (``client``: the host's, None before connecting)."""
        ...

    async def find_milestone(self, client: HostClient | None, ref: str) -> Milestone: ...


@dataclass(frozen=True, slots=True)
class LocalMachine:
    db_path: Path
    agent: str | None = None
    label: str = ""

    @property
    def environ(self) -> Mapping[str, str]:
        return os.environ

    def runs_a_host(self) -> bool:
        return host_running(host_socket_path(self.db_path))

    async def connect(self) -> HostClient:
        return await connect_or_start(self.db_path, os.environ, self.agent)

    async def find_project(self, client: HostClient | None, ref: str) -> OutputProject:
        with Store.open(self.db_path) as store:
            return store.find_project(ref)

    async def find_milestone(self, client: HostClient | None, ref: str) -> Milestone:
        with Store.open(self.db_path) as store:
            return store.find_milestone(ref)


@dataclass(frozen=True, slots=True)
class RemoteMachine:
    """A remote reached from a terminal: ssh may ask for a password or a host key."""

    remote: Remote

    @property
    def label(self) -> str:
        return f"{self.remote.name}:"

    @property
    def agent(self) -> None:
        return None  # The remote's own settings decide.

    @property
    def environ(self) -> None:
        return None  # This machine's environment means nothing there.

    def runs_a_host(self) -> bool:
        return True  # Asked there.

    async def connect(self) -> HostClient:
        client, _link = await open_link(self.remote, interactive=True)
        if note := version_note(self.remote.name, client):
            print(f"wxtui: {note}", file=sys.stderr)
        return client

    async def find_project(self, client: HostClient | None, ref: str) -> OutputProject:
        assert client is not None
        return OutputProject(**await client.store("project.find", ref=ref))

    async def find_milestone(self, client: HostClient | None, ref: str) -> Milestone:
        assert client is not None
        return Milestone(**await client.store("milestone.find", ref=ref))
