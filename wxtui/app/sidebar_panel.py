"""The left column: the filter box over the tree of projects and milestones, with its
width and whether it is shown, remembered across runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from wxtui.app.dialogs import text_dialog
from wxtui.app.sidebar import FilterBox, ProjectTree
from wxtui.app.ui_state import (
    MAX_SIDEBAR,
    MIN_SIDEBAR,
    UiState,
    UiStateFile,
    default_sidebar_width,
)

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

MIN_PANE = 20  # Columns the terminal pane keeps whatever width the sidebar is given.


class Sidebar(Vertical):
    """``configured_width``: config.toml's ``sidebar_width`` (None: fit the terminal).

    It owns the keys that act on what the sidebar shows (the tree's own keys move its
    cursor): add, edit, delete, a milestone's status and prompt, restart and stop a
    project's session, the filter, its own width."""

    # The footer shows the common keys; help (F1, ?) and the palette list every one.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "less_than_sign",
            "resize_sidebar(-4)",
            "Narrower",
            show=False,
            id="sidebar-narrower",
            tooltip="narrower sidebar (remembered)",
        ),
        Binding(
            "greater_than_sign",
            "resize_sidebar(4)",
            "Wider",
            show=False,
            id="sidebar-wider",
            tooltip="wider sidebar (remembered)",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="clear-filter",
            tooltip="clear the filter",
        ),
        Binding("a", "add_project", "Add project", id="add-project", tooltip="add project"),
        Binding("m", "add_milestone", "Milestone", id="add-milestone", tooltip="add milestone"),
        Binding("e", "edit", "Edit", id="edit", tooltip="edit project or milestone"),
        Binding("d", "delete", "Delete", id="delete", tooltip="delete project or milestone"),
        Binding(
            "p",
            "send_prompt",
            "Send prompt",
            id="send-prompt",
            tooltip="send the milestone's prompt to the session",
        ),
        Binding(
            "i",
            "prompt_session",
            "Prompt",
            show=False,
            id="prompt-session",
            tooltip="type a one-line prompt into the session without opening it",
        ),
        Binding(
            "v",
            "review_milestone",
            "Review",
            show=False,
            id="review-milestone",
            tooltip="review what the agent changed for the milestone",
        ),
        Binding(
            "t",
            "set_status",
            "Status",
            show=False,
            id="set-status",
            tooltip="set milestone status",
        ),
        Binding(
            "r",
            "restart_session",
            "Restart",
            show=False,
            id="restart-session",
            tooltip="restart session",
        ),
        Binding("s", "stop_session", "Stop", show=False, id="stop-session", tooltip="stop session"),
        Binding("slash", "filter", "Filter", show=False, id="filter", tooltip="filter by name"),
    ]

    def __init__(
        self, tree: ProjectTree, configured_width: int | None, state: UiState, file: UiStateFile
    ) -> None:
        super().__init__(id="sidebar")
        self.projects = tree
        self.filter_box = FilterBox(tree, id="filter")
        self._configured = configured_width
        self._file = file
        self._state = state

    def compose(self) -> ComposeResult:
        yield self.filter_box
        yield self.projects
        yield Static("", id="waiting-count")

    def show_waiting(self, asking: int, other: int, inbox_key: str) -> None:
        """The line under the projects: how many agents wait for an answer (and how
        many other sessions need you), and the inbox's key; hidden when none do."""
        line = self.query_one("#waiting-count", Static)
        parts = [f"⚠ {asking} to answer"] if asking else []
        if other:
            parts.append(f"{other} more" if asking else f"{other} need{'s' * (other == 1)} you")
        line.update(f"{inbox_key} {', '.join(parts)}" if parts else "")
        line.display = bool(parts)

    @property
    def hidden(self) -> bool:
        return self._state.sidebar_hidden

    def width_for(self, columns: int) -> int:
        """As the user left it (unless config.toml's sidebar_width changed since), else
        as config.toml says, else fitted to the terminal; never so wide that the pane
        keeps fewer than MIN_PANE columns, nor narrower than MIN_SIDEBAR."""
        resized = self._state.sidebar_width
        if resized is not None and self._state.configured_width == self._configured:
            wanted = resized
        else:
            wanted = self._configured or default_sidebar_width(columns)
        return max(MIN_SIDEBAR, min(wanted, MAX_SIDEBAR, columns - MIN_PANE))

    def fit(self, columns: int) -> None:
        self.styles.width = self.width_for(columns)
        self.display = not self._state.sidebar_hidden

    def toggle(self, columns: int) -> None:
        """Hide it, or show it again (remembered)."""
        self._state.sidebar_hidden = not self._state.sidebar_hidden
        self.fit(columns)
        self._file.save(self._state)

    def toggle_shown(self, pane_view: Widget | None) -> None:
        """F3: hidden (the focus goes to ``pane_view``, the pane shown) or shown again
        (with the focus)."""
        screen = self.screen
        hiding = not self.hidden
        if hiding and screen.focused is self.projects and pane_view is not None:
            screen.set_focus(pane_view)
        self.toggle(self.app.size.width)
        if not hiding:
            screen.set_focus(self.projects)

    def come_back(self, project_id: str | None) -> None:
        """ctrl+]: the focus here at once (keys already typed go to the sidebar), the
        filter cleared and the cursor on ``project_id``; shown if it was hidden."""
        if self.hidden:
            self.toggle_shown(None)
        self.clear_filter()
        if project_id is not None:
            self.projects.select_project(project_id)
        self.screen.set_focus(self.projects)

    def resize(self, delta: int, columns: int) -> None:
        """Narrower or wider (remembered, until config.toml's sidebar_width changes)."""
        width = self.width_for(columns) + delta
        self._state.sidebar_width = max(MIN_SIDEBAR, min(MAX_SIDEBAR, width))
        self._state.configured_width = self._configured
        self.fit(columns)
        self._file.save(self._state)

    # -- actions -------------------------------------------------------------------

    @property
    def _app(self) -> WxtuiApp:
        return cast("WxtuiApp", self.app)

    def action_add_project(self) -> None:
        self._app.forms.add_project()

    def action_add_milestone(self) -> None:
        self._app.forms.add_milestone()

    def action_edit(self) -> None:
        self._app.forms.edit()

    def action_delete(self) -> None:
        self._app.forms.delete()

    def action_set_status(self) -> None:
        self._app.forms.set_status()

    async def action_restart_session(self) -> None:
        if (project_id := self._app.selected_project_id()) is not None:
            await self._app.sessions.restart_project(project_id)

    async def action_stop_session(self) -> None:
        if (project_id := self._app.selected_project_id()) is not None:
            await self._app.sessions.stop(project_id)

    async def action_send_prompt(self) -> None:
        ref = self.projects.selected_ref
        if ref is None or ref.kind != "milestone":
            self.notify("Select a milestone with a prompt first.", severity="warning")
            return
        await self._app.sessions.send_prompt(ref)

    async def action_review_milestone(self) -> None:
        ref = self.projects.selected_ref
        if ref is None or ref.kind != "milestone":
            self.notify("Select a milestone to review.", severity="warning")
            return
        await self._app.open_review(ref.project_id, ref.id)

    def action_prompt_session(self) -> None:
        project_id = self._app.selected_project_id()
        if project_id is None:
            self.notify("Select a project first.", severity="warning")
            return
        name = self._app.project_name(project_id)

        async def send(text: str | None) -> None:
            if text:
                await self._app.sessions.prompt(project_id, text)

        dialog = text_dialog(
            f"Prompt for {name}", "Sent as if typed in its pane, then enter", "prompt", "Send"
        )
        self.app.push_screen(dialog, send)

    def action_filter(self) -> None:
        self.screen.set_focus(self.open_filter())  # At once: the keys typed next.

    def action_clear_filter(self) -> None:
        self.clear_filter()

    def action_resize_sidebar(self, delta: int) -> None:
        """< and > : narrower or wider, remembered across runs."""
        self.resize(delta, self.app.size.width)

    def open_filter(self) -> FilterBox:
        self.filter_box.add_class("visible")
        return self.filter_box

    def clear_filter(self) -> None:
        """Hide the filter box and show every project again (a hidden filter never filters)."""
        field = self.filter_box
        field.remove_class("visible")
        if field.value or self.projects.filter_text:
            field.value = ""
            self.projects.set_filter("")


# Every key that works in the sidebar: the tree's own, then the sidebar's.
SIDEBAR_BINDINGS: list[BindingType] = [*ProjectTree.BINDINGS, *Sidebar.BINDINGS]
