"""The review of a milestone (``v`` on it in the sidebar): the files the agent changed for
it and each file's diff; comments on lines and on the whole, sent to the agent as one
prompt; approve (completed) or reject (failed, with the comments sent)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wxtui.app.dialogs import text_dialog
from wxtui.app.diff_view import DiffView
from wxtui.errors import WxtuiError
from wxtui.milestone_changes import Review, open_review, set_status, workspace_of
from wxtui.sessions.all_machines import split
from wxtui.text import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


@dataclass(frozen=True, slots=True)
class Comment:
    path: str | None  # None: on the milestone as a whole.
    line: int | None  # In the new file (the old one for a deleted line).
    text: str
    last: int | None = None  # The range's last line, for a comment on several.
    old: bool = False  # Numbered in the file before the change (deleted lines).

    def prompt_line(self) -> str:
        lines = f"{self.line}-{self.last}" if self.last and self.last != self.line else self.line
        where = f"{self.path}:{lines}" if self.path and self.line else self.path or "overall"
        before = " (before the change)" if self.old and self.path else ""
        return f"- {where}{before}: {self.text}"


# What the screen asks of the app: the prompt sent (True once it went in), the status set.
Sender = Callable[[str], Awaitable[bool]]
StatusSetter = Callable[[str], None]

_STATUS_MARKS = {"added": "A", "modified": "M", "deleted": "D", "renamed": "R"}


class ReviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="review-close", tooltip="back to the sessions"),
        Binding("c", "comment", "Comment", id="review-comment", tooltip="comment the line"),
        Binding(
            "m",
            "mark",
            "Mark",
            id="review-mark",
            tooltip="mark a line: c then comments the range",
            show=False,
        ),
        Binding(
            "C", "comment_all", "Overall", id="review-comment-all", tooltip="a general comment"
        ),
        Binding("s", "send", "Send", id="review-send", tooltip="send the comments to the agent"),
        Binding("a", "approve", "Approve", id="review-approve", tooltip="completed"),
        Binding("x", "reject", "Reject", id="review-reject", tooltip="failed, comments sent"),
        Binding("tab", "switch_pane", "Files/diff", show=False),
    ]

    def __init__(self, name: str, review: Review, send: Sender, set_status: StatusSetter) -> None:
        super().__init__()
        self.milestone_name = name
        self.review = review
        self._send = send
        self._set_status = set_status
        self.comments: list[Comment] = []
        # A range's first line: (path, number, numbered before the change).
        self._mark: tuple[str, int, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        files = self.review.changes.files
        with Horizontal(id="review"):
            with Vertical(id="review-files-column"):
                yield OptionList(
                    *(
                        Option(_file_row(f.path, f.status, f.added, f.deleted), id=f.path)
                        for f in files
                    ),
                    id="review-files",
                )
                yield Static("", id="review-comments")
            yield DiffView(id="review-diff")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Review: {self.milestone_name}"
        files = self.review.changes.files
        self.sub_title = f"{len(files)} file{'s' * (len(files) != 1)} changed"
        if files:
            self.set_focus(self.query_one("#review-diff", DiffView))
            self._show(files[0].path)
        else:
            self.query_one("#review-comments", Static).update("Nothing changed.")

    def _show(self, path: str) -> None:
        view = self.query_one("#review-diff", DiffView)
        change = next((f for f in self.review.changes.files if f.path == path), None)
        if change is not None and self.review.too_big(change):
            view.show("", self.review.diff(path))  # Named, with the command that shows it.
        else:
            view.show(path, self.review.diff(path))
        view.commented = {c.line for c in self.comments if c.path == path and c.line}

    @on(OptionList.OptionHighlighted, "#review-files")
    def _file_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show(event.option.id)

    def action_switch_pane(self) -> None:
        files, diff = self.query_one("#review-files"), self.query_one("#review-diff")
        self.set_focus(diff if files.has_focus else files)

    def action_close(self) -> None:
        self.dismiss(None)

    def _ask(self, title: str, then: Callable[[str], None], label: str = "Comment") -> None:
        def done(value: str | None) -> None:
            if value:
                then(value)

        self.app.push_screen(text_dialog(title, label, "comment"), done)

    def action_comment(self) -> None:
        view = self.query_one("#review-diff", DiffView)
        line = view.current
        if line is None or line.kind not in ("added", "deleted", "context"):
            self.notify("Put the cursor on a line of the diff first.", severity="warning")
            return
        old = line.new is None  # A deleted line: only the old file has it.
        number = line.old if old else line.new
        first, last = number, number
        mark = self._mark
        if mark is not None and mark[:1] == (view.path,) and mark[2] == old and number:
            first, last = sorted((mark[1], number))  # One numbering: old or new.
        self._mark = None
        where = f"{first}-{last}" if first != last else f"{first}"
        if old:
            where += " (before the change)"

        def add(text: str) -> None:
            self.comments.append(Comment(view.path, first, text, last, old))
            if first is not None and last is not None:
                view.commented.update(range(first, last + 1))
            view.refresh()
            self._show_comments()

        self._ask(f"Comment on {view.path}:{where}", add)

    def action_mark(self) -> None:
        view = self.query_one("#review-diff", DiffView)
        line = view.current
        number = None if line is None else (line.new if line.new is not None else line.old)
        if line is None or number is None:
            self.notify("Put the cursor on a line of the diff first.", severity="warning")
            return
        self._mark = (view.path, number, line.new is None)
        self.notify(f"Marked {view.path}:{number}: move, then c comments the range.", timeout=3)

    def action_comment_all(self) -> None:
        def add(text: str) -> None:
            self.comments.append(Comment(None, None, text))
            self._show_comments()

        self._ask(f"Comment on {self.milestone_name}", add)

    def _show_comments(self) -> None:
        shown = "\n".join(inert(c.prompt_line(), " ") for c in self.comments)
        self.query_one("#review-comments", Static).update(
            f"{len(self.comments)} comment(s), s sends:\n{shown}"
        )

    def prompt(self, verdict: str = "") -> str:
        """The one prompt the comments go to the agent as."""
        head = f"Review of milestone {self.milestone_name!r}{verdict}:"
        return "\n".join([head, *(c.prompt_line() for c in self.comments)])

    @work(exclusive=True)
    async def action_send(self) -> None:
        if not self.comments:
            self.notify("No comments to send: c comments a line, C the whole.", timeout=3)
            return
        if await self._send(self.prompt()):
            self.comments.clear()
            view = self.query_one("#review-diff", DiffView)
            view.commented.clear()
            view.refresh()
            self._show_comments()

    def action_approve(self) -> None:
        self._set_status("completed")
        self.notify(f"{self.milestone_name}: approved (completed).", timeout=3)
        self.dismiss(None)

    def action_reject(self) -> None:
        def reject(text: str) -> None:
            self.comments.append(Comment(None, None, text))
            self._set_status("failed")
            self.run_worker(self._reject_sent(), exclusive=True)

        self._ask(f"Reject {self.milestone_name}: what should the agent do?", reject, "Why")

    async def _reject_sent(self) -> None:
        await self._send(self.prompt(": not accepted"))
        self.dismiss(None)


def _file_row(path: str, status: str, added: int | None, deleted: int | None) -> Text:
    row = Text(f"{_STATUS_MARKS.get(status, '?')} ", style="bold")
    row.append(inert(path, " "))
    counts = "binary" if added is None else f"+{added} -{deleted}"
    row.append(f"  {counts}", style="dim")
    return row


async def open_milestone_review(app: WxtuiApp, project_id: str, milestone_id: str) -> None:
    """``v``: the milestone's review screen (git is read off the loop); a remote's
    milestone is reviewed where its workspace is."""
    if (remote := app.backend.remote_of(milestone_id)) is not None:
        own = split(milestone_id)[1]
        app.notify(
            f"A review reads the workspace where it is: on {remote.name}, run "
            f"wxtui milestone review {own}",
            severity="warning",
        )
        return
    store = app.store
    found = app.forms.guarded(
        lambda: (milestone := store.get_milestone(milestone_id), workspace_of(store, milestone))
    )
    if found is None:
        return
    milestone, workspace = found
    try:
        review = await asyncio.to_thread(open_review, workspace, milestone.id)
    except WxtuiError as error:
        app.notify(str(error), severity="warning")
        return

    async def send(text: str) -> bool:
        return await app.sessions.prompt(project_id, text, None)

    def status(value: str) -> None:
        app.forms.guarded(lambda: set_status(store, milestone.id, value))
        app.reload()

    app.push_screen(ReviewScreen(milestone.element_name, review, send, status))
