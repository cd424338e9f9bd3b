"""The inbox (F2): every session that needs the user, most urgent first, answered in
place: a permission allowed (y), always allowed (a) or denied with a message (n), a
question or a finished turn replied to (r), without opening the session."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wxtui.app.request_view import describe_request
from wxtui.sessions.agent_state import LOOKS, AgentState, AgentStatus, short_duration
from wxtui.sessions.permission_requests import Decision, PendingRequest


@dataclass(frozen=True, slots=True)
class InboxEntry:
    project_id: str
    name: str
    reason: str
    since: float | None  # time.monotonic() when it began (None: not known)
    agent: AgentStatus | None = None  # A Claude session's status (None: another program)

    @property
    def request(self) -> PendingRequest | None:
        return self.agent.request if self.agent is not None else None

    @property
    def asks_permission(self) -> bool:
        return self.request is not None and not self.request.is_question

    @property
    def takes_reply(self) -> bool:
        """A question Claude asked, or an agent that waits for its next prompt."""
        if self.request is not None:
            return self.request.is_question
        return self.agent is not None and self.agent.state is AgentState.DONE


# What the inbox does with an answer: "" once it went in, else why not.
Answerer = Callable[[InboxEntry, Decision, str], Awaitable[str]]

INBOX_BINDINGS: list[BindingType] = [
    Binding("escape", "close", "Close", id="inbox-close", tooltip="close the inbox"),
    Binding("enter", "go", "Go there", id="inbox-go", tooltip="open that session"),
    Binding("y", "answer('allow')", "Allow", id="inbox-allow", tooltip="allow this once"),
    Binding(
        "a",
        "answer('always')",
        "Always",
        id="inbox-always",
        tooltip="allow, and don't ask again (as Claude's dialog offers)",
    ),
    Binding(
        "n",
        "answer('deny')",
        "Deny",
        id="inbox-deny",
        tooltip="deny, with an optional message for Claude",
    ),
    Binding(
        "r",
        "answer('reply')",
        "Reply",
        id="inbox-reply",
        tooltip="answer Claude's question, or send the next prompt",
    ),
    Binding("j", "cursor(1)", "Down", show=False, id="inbox-down", tooltip="next row"),
    Binding("k", "cursor(-1)", "Up", show=False, id="inbox-up", tooltip="previous row"),
    Binding(
        "J,shift+down",
        "scroll_lines(3)",
        "Scroll down",
        show=False,
        id="inbox-scroll-down",
        tooltip="scroll a tall request (a long diff) down",
    ),
    Binding(
        "K,shift+up",
        "scroll_lines(-3)",
        "Scroll up",
        show=False,
        id="inbox-scroll-up",
        tooltip="scroll a tall request up",
    ),
    Binding("f2", "close", "Close", show=False),
]


def age(since: float, now: float | None = None) -> str:
    """How long a row has waited, to the minute (the rows are redrawn when it moves)."""
    seconds = (time.monotonic() if now is None else now) - since
    if seconds < 60:
        return "just now"
    return short_duration(seconds)


def _signature(entry: InboxEntry) -> tuple[object, ...]:
    agent = entry.agent
    return (
        entry.project_id,
        entry.name,
        entry.reason,
        agent.state if agent else None,
        entry.request.id if entry.request else None,
        age(entry.since) if entry.since is not None else None,
    )


class InboxScreen(ModalScreen[str | None]):
    """Dismissed with the chosen project's id (enter), or None (esc, F2). Its rows follow
    the sessions while it is open (:meth:`refresh_entries`)."""

    BINDINGS: ClassVar[list[BindingType]] = INBOX_BINDINGS

    def __init__(self, entries: Callable[[], list[InboxEntry]], answer: Answerer) -> None:
        super().__init__(classes="dialog")
        self._source = entries
        self._answer = answer
        self.entries: list[InboxEntry] = entries()
        self._asking: tuple[InboxEntry, Decision] | None = None  # A message being typed.
        self._answered: set[str] = set()  # Request ids answered here (until they go).
        # What the rows show (see _signature): redrawn only when that changes.
        self._shown = [_signature(entry) for entry in self.entries]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body inbox-body"):
            yield Static(self._title(), id="inbox-title", classes="dialog-title")
            yield Static("Nothing needs you right now.", id="inbox-empty")
            yield OptionList(*self._options(), id="inbox-list")
            yield Input(id="inbox-message", compact=True)
            yield Static("", id="inbox-result")
        yield Footer()

    def on_mount(self) -> None:
        self._show_empty()
        self.set_focus(self.query_one(OptionList))
        self.set_interval(1.0, self.refresh_entries)  # The ages move on.

    # -- rows --------------------------------------------------------------------

    def _title(self) -> str:
        asking = sum(1 for e in self.entries if e.request is not None)
        title = f"Inbox: {len(self.entries)} need you"
        return f"{title}, {asking} to answer" if asking else title

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for entry in self.entries:
            if options:
                options.append(None)  # A rule between rows.
            options.append(Option(_row(entry), id=entry.project_id))
        return options

    def _show_empty(self) -> None:
        self.query_one("#inbox-empty").display = not self.entries
        self.query_one(OptionList).display = bool(self.entries)

    def refresh_entries(self, select: str | None = None) -> None:
        """The rows as the sessions are now; the selection stays on its project (or
        moves to ``select``'s; when that row went, to the row that took its place)."""
        entries = [
            entry
            for entry in self._source()
            if entry.request is None or entry.request.id not in self._answered
        ]
        shown = [_signature(entry) for entry in entries]
        if select is None and shown == self._shown:
            return  # Nothing to redraw: the list keeps where it was scrolled.
        self._shown = shown
        options = self.query_one(OptionList)
        if select is None and (selected := self.selected) is not None:
            select = selected.project_id
        index = options.highlighted
        self.entries = entries
        options.clear_options()
        options.add_options(self._options())
        ids = [entry.project_id for entry in entries]
        if select in ids:
            options.highlighted = ids.index(select)
        elif entries:
            options.highlighted = min(index or 0, len(entries) - 1)
        self.query_one("#inbox-title", Static).update(self._title())
        self._show_empty()

    @property
    def selected(self) -> InboxEntry | None:
        index = self.query_one(OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    # -- actions -----------------------------------------------------------------

    def action_close(self) -> None:
        if self._asking is not None:
            self._stop_asking()
            return
        self.dismiss(None)

    def action_go(self) -> None:
        if (entry := self.selected) is not None:
            self.dismiss(entry.project_id)

    def action_scroll_lines(self, lines: int) -> None:
        options = self.query_one(OptionList)
        options.scroll_to(y=options.scroll_y + lines, animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter (the list's own key) or a click: open that session.
        self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    async def action_answer(self, decision: str) -> None:
        """y and a on a permission request; n and r open the message line on any row
        that takes one (a permission: why not; a question: the answer; an agent that
        is done: its next prompt), so what is typed next is never taken as keys."""
        entry = self.selected
        if entry is None:
            return
        chosen = Decision(decision)
        if chosen in (Decision.DENY, Decision.REPLY):
            if entry.asks_permission:
                self._ask(entry, Decision.DENY)
            elif entry.takes_reply:
                self._ask(entry, Decision.REPLY)
            else:
                self._say(f"{entry.name}: nothing to answer here ({entry.reason})")
            return
        if not entry.asks_permission:
            self._say(f"{entry.name}: no permission request here")
            return
        await self._send(entry, chosen, "")

    def _ask(self, entry: InboxEntry, decision: Decision) -> None:
        self._asking = (entry, decision)
        field = self.query_one("#inbox-message", Input)
        if decision is Decision.DENY:
            field.placeholder = f"Why not, for Claude ({entry.name}; enter denies, esc cancels)"
        elif entry.request is not None:
            field.placeholder = "Your answer, or an option's number (enter sends, esc cancels)"
        else:
            field.placeholder = f"Prompt for {entry.name} (enter sends, esc cancels)"
        field.value = ""
        field.add_class("visible")
        self.set_focus(field)

    def _stop_asking(self) -> None:
        self._asking = None
        field = self.query_one("#inbox-message", Input)
        field.remove_class("visible")
        field.value = ""
        self.set_focus(self.query_one(OptionList))

    @on(Input.Submitted, "#inbox-message")
    async def _message_typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self._asking is None:
            return
        entry, decision = self._asking
        if decision is Decision.REPLY and not event.value.strip():
            self._say("Type the answer first (esc cancels).")
            return
        self._stop_asking()
        await self._send(entry, decision, event.value)

    async def _send(self, entry: InboxEntry, decision: Decision, message: str) -> None:
        error = await self._answer(entry, decision, message)
        if error:
            self._say(f"{entry.name}: {error}")
            self.refresh_entries()
            return
        if entry.request is not None:
            self._answered.add(entry.request.id)
        self._say(f"{entry.name}: {decision.done if entry.request else 'prompt sent'}")
        self.refresh_entries(select=self._next_after(entry))

    def _next_after(self, entry: InboxEntry) -> str | None:
        """The row to answer next: the one below (or, at the end, above) ``entry``."""
        ids = [e.project_id for e in self.entries]
        if entry.project_id not in ids or len(ids) < 2:
            return None
        index = ids.index(entry.project_id)
        return ids[index + 1] if index + 1 < len(ids) else ids[index - 1]

    def _say(self, text: str) -> None:
        self.query_one("#inbox-result", Static).update(Text(text))


def _row(entry: InboxEntry) -> Text:
    """A row: the project, its state and how long it has waited; then, indented, what
    it asks."""
    text = Text()
    agent = entry.agent
    if agent is not None:
        look = LOOKS[agent.state]
        text.append(f"{look.symbol} ", style=look.style)
    text.append(f"{entry.name}  ", style="bold")
    if agent is not None:
        text.append(LOOKS[agent.state].words, style="dim")
    if entry.since is not None:
        waited = age(entry.since)
        text.append(f"  {waited}" if waited == "just now" else f"  {waited} ago", style="dim")
    request = entry.request
    if request is not None:
        body = describe_request(request)
    else:
        body = Text(agent.reason if agent is not None and agent.reason else entry.reason)
    for line in body.split("\n"):
        text.append("\n  ")
        text.append_text(line)
    return text
