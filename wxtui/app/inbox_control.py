"""What needs the user, over every pane and machine: the inbox (F2), ``ctrl+\\``, and
the counts in the header and at the foot of the sidebar. One list decides them all
(attention.needs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxtui.app.attention import Need, needs
from wxtui.app.inbox import InboxEntry, InboxScreen
from wxtui.app.keymap import unbound
from wxtui.app.session_pane import SessionPane
from wxtui.app.textual_internals import unbind
from wxtui.errors import WxtuiError
from wxtui.sessions.permission_requests import Decision

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


class InboxControl:
    def __init__(self, app: WxtuiApp, inbox_key: str) -> None:
        self.app = app
        self.inbox_key = inbox_key  # As the sidebar's count names it.

    def needs(self) -> list[Need]:
        """Every session that needs the user, most urgent first (see attention.needs)."""
        app = self.app
        order = [p.id for p in app.backend.list_projects()]
        return needs(app.switcher.panes(), order, after=app.current_project_id)

    def pane_changed(self, pane: SessionPane) -> None:
        """A pane's state changed: the open inbox and the sidebar's count follow."""
        app = self.app
        if isinstance(app.screen, InboxScreen):
            app.screen.refresh_entries()
        needing = [p for p in app.switcher.panes() if p.urgency is not None or p.needs_attention]
        asking = sum(1 for p in needing if p.agent is not None and p.agent.request is not None)
        app.sidebar.show_waiting(asking, len(needing) - asking, self.inbox_key)

    async def next_attention(self) -> None:
        """ctrl+\\: the first session of the inbox that is not the one shown."""
        app = self.app
        waiting = [n for n in self.needs() if n.project_id != app.current_project_id]
        if not waiting:
            app.notify("No other session needs attention.", timeout=2)
            return
        need = waiting[0]
        await app.show_project(need.project_id)
        app.notify(need.reason, title=app.project_name(need.project_id), timeout=3)

    def toggle(self) -> None:
        """F2: every session that needs the user, with reason and age (closed again)."""
        app = self.app
        if isinstance(app.screen, InboxScreen):
            app.pop_screen()
            return
        inbox = InboxScreen(self.entries, self.answer)
        unbind(inbox, unbound(app.config.keys))
        app.push_screen(inbox, self._after)

    def entries(self) -> list[InboxEntry]:
        name = self.app.project_name
        return [
            InboxEntry(n.project_id, name(n.project_id), n.reason, n.since, n.agent)
            for n in self.needs()
        ]

    async def answer(self, entry: InboxEntry, decision: Decision, message: str) -> str:
        """An answer from the inbox: to the request the agent waits on, else (a reply to
        an agent that waits for its next prompt) as a prompt. "" once it went in."""
        app = self.app
        request = entry.request
        if request is None:
            sent = await app.sessions.prompt(entry.project_id, message)
            return "" if sent else "not sent"
        try:
            await app.backend.answer(entry.project_id, request.id, decision, message)
        except WxtuiError as error:
            return str(error)
        return ""

    def _after(self, project_id: str | None) -> None:
        if project_id:
            self.app.open_project(project_id)
