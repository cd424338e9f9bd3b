"""A link to another machine's session host: a command whose stdin and stdout speak the
host protocol (``ssh -T buildbox wxtui host --stdio``, see stdio_bridge).

The command is the user's: ssh options, a jump host, a container. wxtui adds nothing to
it and opens no port; ssh authenticates and encrypts. What the command prints on stderr
is kept, so that a link that fails says why (the last line ssh printed).
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from wxtui import __version__
from wxtui.errors import InvalidInput
from wxtui.sessions.client import HostClient, HostUnavailable
from wxtui.sessions.protocol import PROTOCOL
from wxtui.sessions.read_budget import ReadBudget

# ssh may take long to connect (a slow network, a jump host, a password typed).
LINK_TIMEOUT = 120.0
END_WAIT = 2.0  # A link's command that does not end this long after its input did is killed.


@dataclass(frozen=True, slots=True)
class Remote:
    """A machine in ``[remotes.NAME]`` of the settings file."""

    name: str
    command: str

    def argv(self) -> list[str]:
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise InvalidInput(f"remote {self.name}: its command cannot be read: {exc}") from None
        if not argv:
            raise InvalidInput(f"remote {self.name}: its command is empty")
        return argv


class StderrTail:
    """The last lines a link's command printed on stderr (read as they come, so the
    command never blocks on a full pipe)."""

    def __init__(self, stream: asyncio.StreamReader | None, keep: int = 5) -> None:
        self.lines: deque[str] = deque(maxlen=keep)
        self._reading = None if stream is None else asyncio.ensure_future(self._read(stream))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        with contextlib.suppress(Exception):
            while line := await stream.readline():
                text = line.decode(errors="replace").strip()
                if text:
                    self.lines.append(text)

    async def last(self) -> str:
        """The last line, once the command's stderr has ended (or a moment passed)."""
        if self._reading is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._reading), 0.5)
        return self.lines[-1] if self.lines else ""


class RemoteLink:
    """One run of a remote's command, and the host client speaking through it."""

    def __init__(self, remote: Remote, process: asyncio.subprocess.Process) -> None:
        self.remote = remote
        self.process = process
        self.stderr = StderrTail(process.stderr)

    async def why_closed(self) -> str:
        """Why the link ended, in one line: what the command said last, or its exit."""
        said = await self.stderr.last()
        if "unrecognized arguments: --stdio" in said or "invalid choice: 'host'" in said:
            return "its wxtui has no host --stdio: pip install -U wxtui there"
        if said:
            return said
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.process.wait(), 0.5)
        code = self.process.returncode
        if code is None:
            return "the link closed"
        return (
            f"its command was killed (signal {-code})"
            if code < 0
            else f"its command ended (exit {code})"
        )

    def kill(self) -> None:
        """At once (the link is being given up: a UI that quits, say)."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    async def close(self) -> None:
        """End the command: its input closes first (the far end lets go), then a kill."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), END_WAIT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()


async def open_link(
    remote: Remote,
    *,
    interactive: bool = False,
    environ: Mapping[str, str] | None = None,
    timeout: float = LINK_TIMEOUT,
    budget: ReadBudget | None = None,
) -> tuple[HostClient, RemoteLink]:
    """Run the remote's command and greet its host. ``interactive`` (the CLI): the
    command shares this terminal, so ssh asks for a password or a host key there;
    otherwise (the UI) it has no terminal and its stderr is kept for the reason a link
    fails. HostUnavailable says, in one line, why there is no link."""
    name = remote.name
    try:
        process = await asyncio.create_subprocess_exec(
            *remote.argv(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None if interactive else asyncio.subprocess.PIPE,
            start_new_session=not interactive,
            env=None if environ is None else dict(environ),
        )
    except OSError as exc:
        raise HostUnavailable(f"{name}: cannot run {remote.argv()[0]}: {exc.strerror}") from None
    link = RemoteLink(remote, process)
    assert process.stdout is not None and process.stdin is not None
    try:
        client = await HostClient.greet(process.stdout, process.stdin, timeout, budget)
    except HostUnavailable as error:
        with contextlib.suppress(TimeoutError):  # A command that failed is ending.
            await asyncio.wait_for(process.wait(), END_WAIT)
        if process.returncode is None and not await link.stderr.last():
            why = str(error)  # It runs and said nothing: what it sent is no host's.
        else:
            why = await link.why_closed()
        await link.close()
        raise HostUnavailable(f"{name}: {why}") from None
    except BaseException:  # Cancelled (the UI quits): the command must not stay behind.
        link.kill()
        raise
    if client.host_protocol != PROTOCOL:
        await client.close()
        await link.close()
        raise HostUnavailable(
            f"{name} runs wxtui {client.host_version or '(unknown)'}, this is {__version__}: "
            "install the same wxtui on both (pip install -U wxtui)"
        )
    client.on_close(link.close)
    return client, link


def version_note(name: str, client: HostClient) -> str:
    """One line when the two ends run different releases of one protocol ("" if not)."""
    if client.host_version == __version__:
        return ""
    return (
        f"{name} runs wxtui {client.host_version}, this is {__version__}: they work "
        "together; pip install -U wxtui on the older one"
    )
