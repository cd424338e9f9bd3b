"""One project's terminal pane: its emulator view plus the state the sidebar shows.

The pane outlives its process: after an exit the last screen stays, and
``enter`` starts the project again (resuming the conversation).
"""

from __future__ import annotations

import asyncio
import contextlib
from enum import Enum
from typing import Protocol

from textual import events
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input

from wxtui.app.sidebar import (
    BELL,
    ELSEWHERE,
    FAILED,
    NOT_STARTED,
    RUNNING,
    UNSEEN,
    ProjectMarker,
    agent_marker,
    exit_marker,
)
from wxtui.sessions.agent_state import AgentState, AgentStatus
from wxtui.terminal.snapshot import RESET_MODES, Snapshot
from wxtui.terminal.widget import TerminalView
from wxtui.text import inert


class PaneSessions(Protocol):
    """What a pane needs of the sessions: its input and its size go there (the host
    follows the title on its own terminal of the session)."""

    def write(self, project_id: str, data: bytes) -> None: ...

    def resize(self, project_id: str, rows: int, cols: int) -> None: ...

    def shown(self, project_id: str, shown: bool) -> None: ...


class SessionState(Enum):
    NOT_STARTED = "not started"
    RUNNING = "running"
    EXITED = "exited"
    FAILED = "failed"
    ELSEWHERE = "in another wxtui"


class SessionPane(Widget):
    """Receives the project's session output (it is the session's sink)."""

    DEFAULT_CSS = """
    SessionPane { height: 1fr; width: 1fr; }
    """

    # What the sidebar, the header and the inbox show of the pane (the pane itself draws
    # none of it): each change posts one Changed message.
    state: var[SessionState] = var(SessionState.NOT_STARTED)
    unseen_output: var[bool] = var(False)
    bell: var[bool] = var(False)
    agent: var[AgentStatus | None] = var(None)
    """What the agent is doing, when its hooks (or title) say so; None for other programs."""
    status_seen: var[bool] = var(True)
    """The user has looked at the pane since ``agent`` last became news."""
    window_title: var[str] = var("")
    """The program's window title (OSC 0/2), made printable."""

    class Changed(Message):
        """The pane's state, attention flags or title changed: the sidebar marker and the
        header must follow."""

        def __init__(self, pane: SessionPane) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> SessionPane:
            return self.pane

    class MilestonesChanged(Message):
        """The agent's turn changed a milestone (in progress, ready for review)."""

        def __init__(self, pane: SessionPane) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> SessionPane:
            return self.pane

    class RestartRequested(Message):
        """enter on a pane whose session is not running."""

        def __init__(self, pane: SessionPane) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> SessionPane:
            return self.pane

    def __init__(
        self, project_id: str, sessions: PaneSessions, reserved_keys: frozenset[str] = frozenset()
    ) -> None:
        """``reserved_keys`` stay with the app (its app-wide keys); all others go to the child."""
        super().__init__(id=pane_id(project_id))
        self.project_id = project_id
        self.returncode: int | None = None
        self.stopped = False  # Stopped on purpose (s, restart, quit), not an exit of its own.
        self._current = False
        self._sessions = sessions
        self._search: Input | None = None
        self._drawn = asyncio.Event()  # Its program's first visible output was painted.
        # The session host's terminal answers the child's queries, attached or not.
        self.view = TerminalView(
            reserved_keys=reserved_keys, writer=self._input, answers_queries=False
        )

    def on_mount(self) -> None:
        for name in ("state", "unseen_output", "bell", "agent", "status_seen", "window_title"):
            self.watch(self, name, self._changed, init=False)

    @property
    def is_current(self) -> bool:
        """The pane on screen (its session's output matters now)."""
        return self._current

    @is_current.setter
    def is_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self._sessions.shown(self.project_id, current)

    def _changed(self) -> None:
        self.post_message(self.Changed(self))

    def fit(self, rows: int, columns: int) -> None:
        """Size the terminal before the child starts (the pane is not laid out yet)."""
        self.view.resize_terminal(rows, columns)

    @property
    def terminal_size(self) -> tuple[int, int]:
        """(rows, columns) the child gets."""
        return self.view.terminal_size

    def compose(self) -> ComposeResult:
        yield self.view

    # -- scrollback search (F4) -----------------------------------------------

    def open_search(self) -> None:
        """The search box, mounted the first time (most panes are never searched, and a
        UI that attaches to fifty sessions mounts fifty panes)."""
        if self._search is None:
            self._search = Input(
                placeholder="search the scrollback (enter)", id="search", classes="search"
            )
            self.mount(self._search)
        field = self._search
        field.add_class("visible")
        field.value = self.view.search_query
        self.screen.set_focus(field)

    def _close_search_box(self) -> None:
        if self._search is not None:
            self._search.remove_class("visible")
        self.screen.set_focus(self.view)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_search_box()
        if not event.value:
            self.view.end_search()
        elif self.view.search(event.value) == 0:
            self.notify(f"no match for {event.value!r}", timeout=2)

    def on_key(self, event: events.Key) -> None:
        if (
            event.key == "escape"
            and self._search is not None
            and self.screen.focused is self._search
        ):
            event.stop()
            self._close_search_box()

    def _input(self, data: bytes) -> None:
        if self.state is SessionState.RUNNING:
            self._sessions.write(self.project_id, data)
        elif data == b"\r":
            self.post_message(self.RestartRequested(self))

    # -- SessionSink -----------------------------------------------------------

    def feed(self, data: bytes) -> None:
        self.view.feed(data)
        if not self.is_current and not self.unseen_output:
            self.unseen_output = True
        if not self._drawn.is_set():
            self._note_drawn()

    def load_snapshot(self, snapshot: Snapshot) -> None:
        """The session as the host has it (on attach, or after falling behind)."""
        self.view.load_snapshot(snapshot)
        if not self._drawn.is_set():
            self._note_drawn()

    def _note_drawn(self) -> None:
        if any(row.strip() for row in self.view.screen_text()):
            self.call_after_refresh(self._drawn.set)

    async def first_output(self, timeout: float) -> None:
        """Returns once the program's first visible output is painted (or it ended, or
        ``timeout`` seconds passed)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._drawn.wait(), timeout)

    def missed_output(self, bell: bool) -> None:
        if self.is_current:
            return
        if bell:
            self.bell = True
        elif not self.unseen_output:
            self.unseen_output = True

    def session_exited(self, returncode: int) -> None:
        self._drawn.set()
        self.returncode = returncode
        self.state = SessionState.EXITED
        # A program that died mid-screen leaves no alternate screen, mouse or paste modes behind.
        self.view.feed_text(RESET_MODES)
        if self.stopped:
            self.banner("session stopped; press enter to start it again")
        else:
            self.banner(f"process exited with code {returncode}; press enter to restart")

    def notice(self, text: str) -> None:
        self.banner(text, style="1;33")

    def agent_status(self, status: AgentStatus, tracked: bool) -> None:
        self.stopped = status.stopped
        if not tracked:
            return  # Other programs keep the output, bell and exit signals.
        self.status_seen = not status.attention or (self.is_current and self.view.has_focus)
        self.agent = status

    def milestones_changed(self) -> None:
        self.post_message(self.MilestonesChanged(self))

    # -- state changes from the app ---------------------------------------------

    def started(self) -> None:
        self.returncode = None
        self.stopped = False
        self.state = SessionState.RUNNING

    def failed(self, message: str, state: SessionState = SessionState.FAILED) -> None:
        self.state = state
        self.banner(f"{message}; press enter to try again", style="1;31")

    def banner(self, text: str, style: str = "7") -> None:
        """A line of wxtui's own below the child's last output."""
        self.view.feed_text(f"\x1b[0m\r\n\x1b[{style}m[wxtui] {inert(text)}\x1b[0m\r\n")

    def looked_at(self) -> None:
        self.is_current = True
        self.unseen_output = False
        self.bell = False
        self.status_seen = True

    def on_terminal_view_resized(self, event: TerminalView.Resized) -> None:
        event.stop()
        self._sessions.resize(self.project_id, event.rows, event.columns)

    def on_terminal_view_title_changed(self, event: TerminalView.TitleChanged) -> None:
        event.stop()
        self.window_title = inert(event.title)

    def on_terminal_view_bell(self, event: TerminalView.Bell) -> None:
        event.stop()
        if not (self.is_current and self.view.has_focus):
            self.bell = True

    @property
    def urgency(self) -> int | None:
        """How urgently the agent needs the user (lower first), None when it does not."""
        agent = self.agent
        if agent is None:
            return None
        if agent.state in (AgentState.DONE, AgentState.EXITED) and self.status_seen:
            return None  # News that was seen; a question or an error waits for an answer.
        return agent.urgency

    @property
    def marker(self) -> ProjectMarker:
        """The sidebar's mark for this pane."""
        state = self.state
        if state is SessionState.EXITED:
            return exit_marker(self.returncode, stopped=self.stopped)
        if self.agent is not None and state is SessionState.RUNNING:
            return agent_marker(self.agent, seen=self.status_seen)
        if state is SessionState.RUNNING:
            if self.bell:
                return BELL
            return UNSEEN if self.unseen_output else RUNNING
        if state is SessionState.FAILED:
            return FAILED
        if state is SessionState.ELSEWHERE:
            return ELSEWHERE
        return NOT_STARTED

    @property
    def needs_attention(self) -> bool:
        if self.agent is not None:
            return self.urgency is not None or self.bell
        # A session stopped on purpose (s, wxtui session stop, host stop) is no news.
        ended = self.state is SessionState.EXITED and not self.stopped
        return self.bell or self.unseen_output or ended


def pane_id(project_id: str) -> str:
    """A widget id for the project's pane: a remote's ``NAME:ID`` has characters ids may
    not (``:``, ``.``), each spelled ``_HEX_`` (one project, one id)."""
    return "pane-" + "".join(
        c if c.isascii() and (c.isalnum() or c == "-") else f"_{ord(c):x}_" for c in project_id
    )
