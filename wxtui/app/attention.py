"""What needs the user, in one list: ``ctrl+\\`` goes to its first entry, the inbox (F2)
shows all of it, so the two never disagree."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wxtui.app.desktop_notify import DesktopNotifier
from wxtui.app.inbox import InboxScreen
from wxtui.app.session_pane import SessionPane
from wxtui.app.terminal_driver import notify_host_terminal
from wxtui.sessions.agent_state import AgentStatus

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


@dataclass(frozen=True, slots=True)
class Need:
    project_id: str
    reason: str
    since: float | None  # time.monotonic() when it began (None: not known)
    agent: AgentStatus | None = None  # A Claude session's status (None: another program)


def needs(
    panes: Iterable[SessionPane], order: Sequence[str], after: str | None = None
) -> list[Need]:
    """Claude sessions that wait for the user, most urgent first (needs-permission,
    needs-input, error, done and not yet seen, failed exit), oldest first within a rank;
    then other programs that rang the bell, printed while hidden or exited, in sidebar
    ``order`` starting after the project ``after``."""
    by_project = {pane.project_id: pane for pane in panes}
    agents = sorted(
        (p for p in by_project.values() if p.urgency is not None),
        key=lambda p: (p.urgency, p.agent.since if p.agent else 0.0),
    )
    result = [
        Need(
            p.project_id,
            p.agent.summary if p.agent else "",
            p.agent.since if p.agent else None,
            p.agent,
        )
        for p in agents
    ]
    start = order.index(after) + 1 if after in order else 0
    for offset in range(len(order)):
        pane = by_project.get(order[(start + offset) % len(order)])
        if pane is None or pane.urgency is not None or not pane.needs_attention:
            continue
        why = "bell" if pane.bell else "new output" if pane.unseen_output else _exit(pane)
        result.append(Need(pane.project_id, why, None))
    return result


def _exit(pane: SessionPane) -> str:
    return "exited" if pane.returncode is None else f"exited with code {pane.returncode}"


class Announcer:
    """A session that starts needing the user while another pane is shown: a toast
    naming it (unless the inbox is open: it shows it), and (``desktop``) the outer
    terminal's bell and desktop notification, and ``notify-send`` where there is one.
    Once per state or request it enters; none for what was waiting before this UI
    started (the sidebar, the header and the inbox show those)."""

    def __init__(self, app: WxtuiApp, desktop: bool, environ: Mapping[str, str]) -> None:
        self.app = app
        self.desktop = desktop
        self._notifier = DesktopNotifier(environ) if desktop else None
        self._started = time.monotonic()
        self._last: dict[str, tuple[object, ...]] = {}
        self._requests: set[str] = set()  # Requests announced already.

    def announce(self, pane: SessionPane, shown: bool) -> None:
        agent = pane.agent
        if agent is None:
            return
        # A question is news once: first from PreToolUse, then with its request.
        key = (agent.state, agent.reason)
        if key == self._last.get(pane.project_id):
            return
        self._last[pane.project_id] = key
        if agent.request is not None:
            if agent.request.id in self._requests:
                return  # Shown again after a newer one was answered.
            self._requests.add(agent.request.id)
        if pane.urgency is None or agent.since < self._started:
            return
        if shown and pane.view.has_focus:
            return
        name = self.app.project_name(pane.project_id)
        if not isinstance(self.app.screen, InboxScreen):
            self.app.notify(agent.summary, title=name, severity="warning", timeout=6)
        if self.desktop:
            self.app.bell()
            notify_host_terminal(self.app, f"wxtui: {name}", agent.summary)
        if self._notifier is not None:
            self._notifier.notify(f"wxtui: {name}", agent.summary)

    async def close(self) -> None:
        if self._notifier is not None:
            await self._notifier.close()
