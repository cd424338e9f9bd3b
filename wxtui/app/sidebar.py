"""The sidebar: projects with their milestones, each with a status marker.

Drawn line by line from a flat list of rows (Textual's Line API): with hundreds of
projects and thousands of milestones, filtering is a pass over that list and only the
lines in view are ever rendered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from wxtui.app.textual_internals import resize_virtually
from wxtui.models import Milestone, OutputProject
from wxtui.sessions.agent_state import LOOKS, AgentState, AgentStatus
from wxtui.sessions.all_machines import split
from wxtui.text import inert

MILESTONE_MARKERS = {
    "pending": ("○", "dim"),
    "in_progress": ("▶", "bold yellow"),
    "completed": ("✓", "bold green"),
    "failed": ("✗", "bold red"),
}


@dataclass(frozen=True, slots=True)
class NodeRef:
    kind: str  # "project", "milestone", or "machine" (a remote's heading: id is its name)
    id: str
    project_id: str


@dataclass(frozen=True, slots=True)
class MachineGroup:
    """A remote machine's heading, above its projects (hidden while ``collapsed``)."""

    name: str
    projects: list[OutputProject]
    detail: str = ""  # How its link is: "connecting", "unreachable: why", a version note.
    alarming: bool = False  # The detail is trouble (shown in red).
    collapsed: bool = False


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


NUMBER_PAUSE = 1.0  # Digits typed closer than this make one project number.


class ProjectTree(ScrollView, can_focus=True):
    """Projects (numbered: alt+N opens the Nth) and their milestones; rebuilt from the
    store on change, with the cursor kept on the same project or milestone."""

    DEFAULT_CSS = """
    ProjectTree {
        background: $surface;
        color: $foreground;
        & > .project-tree--guides { color: $surface-lighten-2; }
        & > .project-tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .project-tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .project-tree--guides { color: $surface-lighten-3; }
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"project-tree--cursor", "project-tree--guides"}

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
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    cursor_line: reactive[int] = reactive(0, repaint=False)
    """The row the cursor is on, counted from the top of the (filtered) list."""

    class NodeSelected(Message):
        """A row was chosen with the mouse: open its project's session."""

        def __init__(self, tree: ProjectTree, ref: NodeRef) -> None:
            super().__init__()
            self.tree = tree
            self.ref = ref

        @property
        def control(self) -> ProjectTree:
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._markers: dict[str, ProjectMarker] = {}
        self._typed, self._typed_at = "", float("-inf")  # Digits typed (see type_digit).
        self._projects: dict[str, tuple[int, OutputProject]] = {}  # id -> (index, project)
        self._milestones: dict[str, Milestone] = {}
        self._review: set[str] = set()
        self._machines: dict[str, MachineGroup] = {}
        # Every row, in order, with the text the filter matches: (ref, folded name).
        self._all: list[tuple[NodeRef, str, list[tuple[NodeRef, str]]]] = []
        self._rows: list[NodeRef] = []  # The rows shown (after the filter).
        self._line_of: dict[NodeRef, int] = {}
        self.filter_text = ""
        self._paint_styles = (Style(), Style(), Style())

    # -- data --------------------------------------------------------------------

    def populate(
        self,
        projects: list[OutputProject],
        milestones: dict[str, list[Milestone]],
        ready_for_review: set[str] | None = None,
        machines: list[MachineGroup] | None = None,
    ) -> None:
        """This machine's ``projects``, then each remote machine's under its heading;
        projects are numbered through all of them, in that order."""
        machines = machines or []
        every = [*projects, *(p for group in machines for p in group.projects)]
        self._projects = {p.id: (i, p) for i, p in enumerate(every)}
        self._milestones = {m.id: m for ms in milestones.values() for m in ms}
        self._review = ready_for_review or set()
        self._machines = {group.name: group for group in machines}

        def entry(p: OutputProject) -> tuple[NodeRef, str, list[tuple[NodeRef, str]]]:
            return (
                NodeRef("project", p.id, p.id),
                p.name.casefold(),
                [
                    (NodeRef("milestone", m.id, p.id), m.element_name.casefold())
                    for m in milestones.get(p.id, [])
                ],
            )

        self._all = [entry(p) for p in projects]
        for group in machines:
            self._all.append((NodeRef("machine", group.name, ""), "", []))
            if not group.collapsed:
                self._all.extend(entry(p) for p in group.projects)
        self._refilter()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._refilter()

    def set_marker(self, project_id: str, marker: ProjectMarker) -> None:
        if self._markers.get(project_id) == marker:
            return
        self._markers[project_id] = marker
        line = self._line_of.get(NodeRef("project", project_id, project_id))
        if line is not None:
            self.refresh_line(line)

    def _refilter(self) -> None:
        selected = self.selected_ref
        needle = self.filter_text.casefold()
        rows: list[NodeRef] = []
        for ref, name, children in self._all:
            if ref.kind == "machine":  # Every heading stays: the projects show where.
                rows.append(ref)
            elif needle and needle not in name:
                shown = [child for child, child_name in children if needle in child_name]
                if not shown:
                    continue
                rows.append(ref)
                rows.extend(shown)
            else:
                rows.append(ref)
                rows.extend(child for child, _name in children)
        self._rows = rows
        self._line_of = {ref: line for line, ref in enumerate(rows)}
        resize_virtually(self, Size(0, len(rows)))
        line = self._line_of.get(selected) if selected is not None else None
        if line is None and selected is not None:
            line = self._line_of.get(NodeRef("project", selected.project_id, selected.project_id))
        if line is None:  # Its row is gone (deleted): the row now in its place.
            line = max(0, min(self.cursor_line, len(rows) - 1))
        self._move_to(line)
        self.refresh()

    # -- what is shown -------------------------------------------------------------

    @property
    def rows(self) -> list[NodeRef]:
        """The rows shown, top to bottom (after the filter)."""
        return list(self._rows)

    def row_text(self, ref: NodeRef) -> str:
        """A row's label as plain text (without guides)."""
        return self._label(ref).plain

    def _label(self, ref: NodeRef) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        if ref.kind == "machine":
            group = self._machines[ref.id]
            label.append("▸ " if group.collapsed else "▾ ", style="dim")
            label.append(inert(group.name), style="bold underline")
            if group.collapsed:
                label.append(f" ({len(group.projects)})", style="dim")
            if group.detail:
                label.append(f" {inert(group.detail)}", style="red" if group.alarming else "dim")
            return label
        if ref.kind == "project":
            index, project = self._projects[ref.id]
            marker = self._markers.get(ref.id, NOT_STARTED)
            # Every project's number: alt+1 ... alt+9 open the first nine, and typing a
            # number in the sidebar (12) moves to that project.
            width = len(str(len(self._projects)))
            label.append(f"{index + 1:>{width}} ", style="dim")
            label.append(marker.symbol, style=marker.style)
            label.append(" ")
            label.append(inert(project.name), style="bold")
            if marker.detail:
                label.append(f" {marker.detail}", style=marker.detail_style or marker.style)
            return label
        milestone = self._milestones[ref.id]
        symbol, style = MILESTONE_MARKERS.get(milestone.status, ("?", ""))
        label.append(symbol, style=style)
        label.append(" ")
        label.append(inert(milestone.element_name))
        if milestone.id in self._review:
            label.append(" ready for review", style="bold cyan")
        return label

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles every line uses, looked up once per paint instead of per line.
        self._paint_styles = (
            self.rich_style,
            self.get_component_rich_style("project-tree--guides", partial=True),
            self.get_component_rich_style("project-tree--cursor", partial=True),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        base, guides, cursor = self._paint_styles
        if not 0 <= line < len(self._rows):
            return Strip.blank(width, base)
        ref = self._rows[line]
        text = Text(no_wrap=True, overflow="ellipsis", style=base)
        if ref.kind == "milestone":
            following = self._rows[line + 1] if line + 1 < len(self._rows) else None
            last = following is None or following.kind != "milestone"
            text.append(" └ " if last else " ├ ", style=guides)
        start = len(text)
        text.append_text(self._label(ref))
        if line == self.cursor_line:
            text.stylize(cursor, start)  # The label, as a tree highlights it.
        text.truncate(width, overflow="ellipsis", pad=True)
        return Strip(text.render(self.app.console), width)

    def on_resize(self, event: events.Resize) -> None:
        resize_virtually(self, Size(0, len(self._rows)))

    def watch_cursor_line(self, previous: int, line: int) -> None:
        for changed in (previous, line):
            self.refresh_line(changed)

    def refresh_line(self, line: int) -> None:
        y = line - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- the cursor ----------------------------------------------------------------

    @property
    def selected_ref(self) -> NodeRef | None:
        if 0 <= self.cursor_line < len(self._rows):
            return self._rows[self.cursor_line]
        return None

    def _move_to(self, line: int) -> None:
        line = max(0, min(line, len(self._rows) - 1))
        self.cursor_line = line
        self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True, immediate=True)

    def type_digit(self, digit: str) -> None:
        """A digit typed in the sidebar: the cursor goes to the project of that number,
        or of the number the digits typed within NUMBER_PAUSE seconds make (1 then 2:
        the twelfth)."""
        now = time.monotonic()
        recent = self._typed and now - self._typed_at < NUMBER_PAUSE
        number = self._typed + digit if recent else digit
        projects = [p for _i, p in sorted(self._projects.values(), key=lambda item: item[0])]
        if not 1 <= int(number) <= len(projects):
            number = digit
        self._typed, self._typed_at = number, now
        if 1 <= int(number) <= len(projects):
            self.select_project(projects[int(number) - 1].id)

    def end_number(self) -> None:
        """The digits typed so far are a whole number (another key came)."""
        self._typed = ""

    def machine_of(self, ref: NodeRef) -> str | None:
        """The remote a row belongs to (its heading, a project or a milestone under it);
        None for this machine's."""
        if ref.kind == "machine":
            return ref.id
        name, _own = split(ref.project_id)
        return name if name in self._machines else None

    def select_project(self, project_id: str) -> None:
        line = self._line_of.get(NodeRef("project", project_id, project_id))
        if line is not None:
            self._move_to(line)

    def select_ref(self, ref: NodeRef) -> None:
        """Move the cursor to a project or milestone (its project if it is filtered out)."""
        line = self._line_of.get(ref)
        if line is None:
            self.select_project(ref.project_id)
        else:
            self._move_to(line)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor_line + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor_line - 1)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_line + direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        line = event.y + self.scroll_offset.y
        if 0 <= line < len(self._rows):
            self._move_to(line)
            self.post_message(self.NodeSelected(self, self._rows[line]))


class FilterBox(Input):
    """The sidebar's filter, applied as the user types: in the same frame as the typed
    character (a Changed message would reach the sidebar only after the box repainted,
    a frame later)."""

    def __init__(self, tree: ProjectTree, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter by name", id=id)
        self._tree = tree

    def watch_value(self, value: str) -> None:
        if value != self._tree.filter_text:
            self._tree.set_filter(value)
