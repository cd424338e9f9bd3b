"""``wxtui host``, ``wxtui host status`` and ``wxtui host stop``."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from wxtui.errors import WxtuiError
from wxtui.logs import setup_logging
from wxtui.sessions.client import HostClient
from wxtui.sessions.host import SessionHost
from wxtui.sessions.host_address import host_running, host_socket_path
from wxtui.sessions.host_status import HostStatus
from wxtui.sessions.lock import LockHeld
from wxtui.sessions.pty import STOP_GRACE
from wxtui.store import Store

STOP_TIMEOUT = 5.0 + STOP_GRACE * 2


def run_host(db_path: Path, agent: str | None) -> int:
    """Serve this database's sessions here until stopped."""
    setup_logging()
    with Store.open(db_path) as store:
        host = SessionHost(store, host_socket_path(db_path), agent=agent)
        try:
            asyncio.run(host.run())
        except LockHeld as held:
            raise WxtuiError(
                f"a session host already runs for {db_path} (pid {held.pid or 'unknown'})"
            ) from None
    return 0


async def _ask(db_path: Path, stop: bool) -> HostStatus | None:
    """The host's status (as it stopped, with ``stop``); None when no host runs."""
    path = host_socket_path(db_path)
    if not host_running(path):
        return None
    client = await HostClient.connect(path)
    try:
        if stop:
            return await client.shutdown() or HostStatus(0, "", str(db_path))
        return await client.status()
    finally:
        await client.close()


def _none_runs(db_path: Path) -> str:
    path = host_socket_path(db_path)
    left = (
        f" (one that ended left its socket {path}; the next replaces it)" if path.exists() else ""
    )
    return f"no session host runs for {db_path}{left}"


def host_status(db_path: Path, *, as_json: bool) -> int:
    status = asyncio.run(_ask(db_path, stop=False))
    if as_json:
        fields = status.to_json() if status is not None else {}
        print(json.dumps({"running": status is not None, **fields}, indent=2))
        return 0
    if status is None:
        print(_none_runs(db_path))
        return 0
    print(f"session host pid {status.pid}, wxtui {status.version}")
    with Store.open(db_path) as store:
        names = {p.id: p.name for p in store.list_projects()}
    for session in status.sessions:
        name = names.get(session.project, session.project)
        state = session.state + (f": {session.reason}" if session.reason else "")
        print(f"  {name}  pid {session.pid}  {state}")
    if not status.sessions:
        print("  no sessions")
    return 0


def host_stop(db_path: Path) -> int:
    status = asyncio.run(_ask(db_path, stop=True))
    if status is None:
        print(_none_runs(db_path))
        return 0
    path = host_socket_path(db_path)
    deadline = time.monotonic() + STOP_TIMEOUT
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not status.pid:  # It went away before it answered.
        print("stopped the session host")
        return 0
    print(f"stopped the session host (pid {status.pid}) and {len(status.sessions)} session(s)")
    return 0
