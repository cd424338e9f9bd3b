"""The sidebar: projects (always expanded) with their milestones, each with a status marker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from wxtui.agent_state import LOOKS, AgentState, AgentStatus
from wxtui.models import Milestone, OutputProject

MILESTONE_MARKERS = {
    "pending": ("○", "dim"),
    "in_progress": ("▶", "bold yellow"),
    "completed": ("✓", "bold green"),
    "failed": ("✗", "bold red"),
}


@dataclass(frozen=True, slots=True)
class NodeRef:
    kind: str  # "project" or "milestone"
    id: str
    project_id: str


@dataclass(frozen=True, slots=True)
class ProjectMarker:
    symbol: str
    style: str
    detail: str = ""
    detail_style: str = ""


NOT_STARTED = ProjectMarker("○", "dim")
RUNNING = ProjectMarker("●", "green")
UNSEEN = ProjectMarker("◆", "bold cyan")
BELL = ProjectMarker("!", "bold yellow")
ELSEWHERE = ProjectMarker("◌", "magenta", "elsewhere")
FAILED = ProjectMarker("✗", "bold red", "failed")


def exit_marker(returncode: int | None, stopped: bool = False) -> ProjectMarker:
    """Stopped on purpose, a clean exit, or a failure: only a failure is red."""
    if stopped:
        return ProjectMarker("■", "dim", "stopped")
    if returncode == 0:
        return ProjectMarker("✕", "dim", "exited 0")
    return ProjectMarker("✕", "bold red", f"exited {returncode}")


def agent_marker(status: AgentStatus, seen: bool) -> ProjectMarker:
    """A running Claude session's marker: its state's symbol and colour, and the reason
    (an exited one is shown by :func:`exit_marker`, from its exit code)."""
    look = LOOKS[status.state]
    style = look.style
    if status.state is AgentState.DONE and (seen or not status.attention):
        style = "green"  # Seen, or merely ready: no longer news.
    detail = status.reason or look.words
    if status.guessed:
        detail = f"{detail} (guessed)"
    return ProjectMarker(look.symbol, style, detail, "dim" if seen else "")


def inert(text: str) -> str:
    """Control characters in user data are shown, never interpreted."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


PROJECT_INDENT = 2  # The expand/collapse icon.
MILESTONE_INDENT = 4  # The guide lines.


class ProjectTree(Tree[NodeRef]):
    """Rebuilt from the store on change; the cursor stays on the same project or milestone."""

    # The footer shows the common keys; help (F1, ?) and the palette list every one.
    BINDINGS: ClassVar[list[BindingType]] = [
        # Opens the session and focuses it before the next key is handled.
        Binding(
            "enter",
            "app.open_selected",
            "Open",
            show=False,
            id="open-selected",
            tooltip="open the project's session (starts it if needed)",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="cursor-down", tooltip="move down"),
        Binding("k", "cursor_up", "Up", show=False, id="cursor-up", tooltip="move up"),
        Binding(
            "question_mark", "app.help", "Help", show=False, id="sidebar-help", tooltip="this help"
        ),
        Binding(
            "less_than_sign",
            "app.resize_sidebar(-4)",
            "Narrower",
            show=False,
            id="sidebar-narrower",
            tooltip="narrower sidebar (remembered)",
        ),
        Binding(
            "greater_than_sign",
            "app.resize_sidebar(4)",
            "Wider",
            show=False,
            id="sidebar-wider",
            tooltip="wider sidebar (remembered)",
        ),
        Binding(
            "escape",
            "app.clear_filter",
            "Clear filter",
            show=False,
            id="clear-filter",
            tooltip="clear the filter",
        ),
        Binding("a", "app.add_project", "Add project", id="add-project", tooltip="add project"),
        Binding("m", "app.add_milestone", "Milestone", id="add-milestone", tooltip="add milestone"),
        Binding("e", "app.edit", "Edit", id="edit", tooltip="edit project or milestone"),
        Binding("d", "app.delete", "Delete", id="delete", tooltip="delete project or milestone"),
        Binding(
            "p",
            "app.send_prompt",
            "Send prompt",
            id="send-prompt",
            tooltip="send the milestone's prompt to the session",
        ),
        Binding(
            "t",
            "app.set_status",
            "Status",
            show=False,
            id="set-status",
            tooltip="set milestone status",
        ),
        Binding(
            "r",
            "app.restart_session",
            "Restart",
            show=False,
            id="restart-session",
            tooltip="restart session",
        ),
        Binding(
            "s", "app.stop_session", "Stop", show=False, id="stop-session", tooltip="stop session"
        ),
        Binding("slash", "app.filter", "Filter", show=False, id="filter", tooltip="filter by name"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("projects", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self._markers: dict[str, ProjectMarker] = {}
        self._projects: list[OutputProject] = []
        self._milestones: dict[str, list[Milestone]] = {}
        self._review: set[str] = set()
        self.filter_text = ""

    def populate(
        self,
        projects: list[OutputProject],
        milestones: dict[str, list[Milestone]],
        ready_for_review: set[str] | None = None,
    ) -> None:
        self._projects = projects
        self._milestones = milestones
        self._review = ready_for_review or set()
        self._rebuild()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._rebuild()

    def set_marker(self, project_id: str, marker: ProjectMarker) -> None:
        if self._markers.get(project_id) == marker:
            return
        self._markers[project_id] = marker
        for node in self.root.children:
            if node.data is not None and node.data.id == project_id:
                node.set_label(self._project_label(node.data.id))
                break

    def _project_label(self, project_id: str) -> Text:
        index, project = next((i, p) for i, p in enumerate(self._projects) if p.id == project_id)
        marker = self._markers.get(project_id, NOT_STARTED)
        label = Text(no_wrap=True, overflow="ellipsis")
        # alt+1 ... alt+9 open the first nine projects: their numbers are shown.
        label.append(f"{index + 1} " if index < 9 else "  ", style="dim")
        label.append(marker.symbol, style=marker.style)
        label.append(" ")
        label.append(inert(project.name), style="bold")
        if marker.detail:
            label.append(f" {marker.detail}", style=marker.detail_style or marker.style)
        return self._fit(label, PROJECT_INDENT)

    def _milestone_label(self, milestone: Milestone) -> Text:
        symbol, style = MILESTONE_MARKERS.get(milestone.status, ("?", ""))
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append(symbol, style=style)
        label.append(" ")
        label.append(inert(milestone.element_name))
        if milestone.id in self._review:
            label.append(" ready for review", style="bold cyan")
        return self._fit(label, MILESTONE_INDENT)

    def _fit(self, label: Text, indent: int) -> Text:
        """Cut a label that is wider than the sidebar with an ellipsis."""
        room = self.scrollable_content_region.width - indent
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def on_resize(self) -> None:
        if self._projects:
            self._rebuild()

    def _matches(self, text: str) -> bool:
        return self.filter_text.casefold() in text.casefold()

    def _rebuild(self) -> None:
        selected = self.selected_ref
        self.clear()
        cursor_node: TreeNode[NodeRef] | None = None
        for project in self._projects:
            milestones = self._milestones.get(project.id, [])
            shown = milestones
            if self.filter_text and not self._matches(project.name):
                shown = [m for m in milestones if self._matches(m.element_name)]
                if not shown:
                    continue
            ref = NodeRef("project", project.id, project.id)
            node = self.root.add(self._project_label(project.id), data=ref, expand=True)
            if selected == ref:
                cursor_node = node
            for milestone in shown:
                mref = NodeRef("milestone", milestone.id, project.id)
                leaf = node.add_leaf(self._milestone_label(milestone), data=mref)
                if selected == mref:
                    cursor_node = leaf
        if cursor_node is None and selected is not None:
            cursor_node = self.project_node(selected.project_id)
        self._move_to(cursor_node or (self.root.children[0] if self.root.children else None))

    def _move_to(self, node: TreeNode[NodeRef] | None) -> None:
        if node is not None:
            _ = self.last_line  # Lay out the rebuilt tree so the node knows its line.
            self.move_cursor(node)

    @property
    def selected_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return None if node is None else node.data

    def project_node(self, project_id: str) -> TreeNode[NodeRef] | None:
        for node in self.root.children:
            if node.data is not None and node.data.id == project_id:
                return node
        return None

    def select_project(self, project_id: str) -> None:
        self._move_to(self.project_node(project_id))

    def select_ref(self, ref: NodeRef) -> None:
        """Move the cursor to a project or milestone (its project if it is filtered out)."""
        project = self.project_node(ref.project_id)
        if project is not None and ref.kind == "milestone":
            for child in project.children:
                if child.data == ref:
                    self._move_to(child)
                    return
        self._move_to(project)
