"""A program that asks its terminal something (device attributes, as vttest and many
TUIs do at start) gets one answer at once, from the session host's terminal, whether a
UI watches the session, has it paused, is attaching, or is gone."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from tests.integration.test_session_host import Watcher
from tests.support import make_app, pane_text, wait_until
from wxtui.sessions.client import HostClient, connect_or_start
from wxtui.sessions.host_address import host_socket_path
from wxtui.store import Store

ASKS = Path(__file__).parents[1] / "support" / "programs" / "asks_its_terminal.py"


def _asker(delay: float = 0.0, log: Path | None = None) -> str:
    return shlex.join([sys.executable, str(ASKS), str(delay), *([str(log)] if log else [])])


@pytest.mark.parametrize("client", ["gone", "paused", "watching", "two watching"])
async def test_a_query_is_answered_once_whoever_watches(
    host_db: Path, tmp_path: Path, client: str
) -> None:
    log = tmp_path / "answers.log"
    with Store.open(host_db) as store:
        project = store.add_project("asker", str(tmp_path), command=_asker(0.3, log)).id
    first = await connect_or_start(host_db)
    watchers = [Watcher()]
    await first.start(project, watchers[0], 24, 80, paused=client == "paused")
    clients = [first]
    if client == "gone":
        await first.close()
        clients = []
    elif client == "two watching":
        second = await HostClient.connect(host_socket_path(host_db))
        watchers.append(Watcher())
        await second.start(project, watchers[1], 24, 80)
        clients.append(second)
    await wait_until(lambda: log.exists() and "answers" in log.read_text(), message="answered")
    assert log.read_text() == "answers: 1\n", "one answer, not one per client"
    # Whoever looks now sees what it printed after the answer.
    late = await HostClient.connect(host_socket_path(host_db))
    seen = Watcher()
    await late.start(project, seen, 24, 80)
    await wait_until(lambda: "answers: 1" in seen.text(), message="the answer on screen")
    assert "answered: ESC[?62;22c" in seen.text()
    for each in [*clients, late]:
        await each.close()


async def test_twenty_sessions_that_ask_at_start_all_come_up_in_the_app(
    store: Store, tmp_path: Path
) -> None:
    """Each pane shows its program's output; every one got exactly one answer."""
    projects = [
        store.add_project(f"asker-{i:02}", str(tmp_path), command=_asker()).id for i in range(20)
    ]
    app = make_app(store)
    async with app.run_test(size=(120, 36)):
        for project in projects:
            await app.show_project(project)
        for project in projects:
            await app.show_project(project)
            await wait_until(
                lambda project=project: "answers: 1" in pane_text(app, project),
                message=f"{project}'s answer painted",
            )
            assert "answered: ESC[?62;22c" in pane_text(app, project)
        await app.backend.stop_all()
