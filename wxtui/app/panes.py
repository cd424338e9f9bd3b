"""The main area: an empty notice, or the pane of the project being shown.

Panes are created on demand, sized to the area before their child starts (so the
agent draws its first screen at the right size), kept while the app runs (a pane
outlives its process) and removed with their project.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import ContentSwitcher, Static

from wxtui.app.session_pane import PaneSessions, SessionPane

EMPTY_NO_PROJECTS = """[b]No projects yet.[/b]

Press [b]a[/b] to add one here, or from a shell:

  wxtui project add NAME --dir PATH
  wxtui milestone add NAME "First milestone" --prompt "What to do"

Press [b]F1[/b] for every key."""

EMPTY_PICK = (
    "[b]No session open.[/b]\n\n"
    "Choose a project or milestone in the sidebar and press [b]enter[/b] to start (or "
    "resume) its agent session.\n\n"
    "Press [b]F1[/b] for every key."
)

EMPTY = "empty"


class PaneSwitcher(ContentSwitcher):
    """Shows one :class:`SessionPane` at a time (or the empty notice)."""

    def __init__(
        self, sessions: PaneSessions, reserved_keys: frozenset[str], *, id: str | None = None
    ) -> None:
        super().__init__(id=id, initial=EMPTY)
        self._sessions = sessions
        self._reserved_keys = reserved_keys
        self._empty = Static(EMPTY_PICK, id=EMPTY)
        self._shown: SessionPane | None = None  # Asked for on every session event: kept.
        self._by_project: dict[str, SessionPane] = {}

    def compose(self) -> ComposeResult:
        yield self._empty

    @property
    def current_pane(self) -> SessionPane | None:
        """The pane shown, if any."""
        return self._shown

    def pane_for(self, project_id: str) -> SessionPane | None:
        """The project's pane, if it has been opened."""
        return self._by_project.get(project_id)

    def panes(self) -> list[SessionPane]:
        return list(self._by_project.values())

    def reserve_keys(self, keys: frozenset[str]) -> None:
        """The keys every pane leaves to the app (and those opened later)."""
        self._reserved_keys = keys
        for pane in self._by_project.values():
            pane.view.reserved_keys = keys

    async def pane(self, project_id: str) -> SessionPane:
        """The project's pane, created (at this area's size) if it is not open yet."""
        (pane,) = await self.panes_of([project_id])
        return pane

    async def panes_of(self, project_ids: list[str]) -> list[SessionPane]:
        """The projects' panes; those not open yet are created and mounted together."""
        new = [
            SessionPane(project_id, self._sessions, self._reserved_keys)
            for project_id in dict.fromkeys(project_ids)
            if project_id not in self._by_project
        ]
        if new:
            for pane in new:
                if self.size.width > 0 and self.size.height > 0:
                    pane.fit(self.size.height, self.size.width)
                pane.display = False  # Until it is shown (a switcher shows one child).
                self._by_project[pane.project_id] = pane
            await self.mount(*new)
        return [self._by_project[project_id] for project_id in project_ids]

    async def discard(self, pane: SessionPane) -> None:
        """Remove a pane (its project is gone); the notice takes its place if it was shown."""
        if self._shown is pane:
            self.show_empty(has_projects=True)
        self._by_project.pop(pane.project_id, None)
        await pane.remove()

    def show(self, pane: SessionPane) -> None:
        previous = self._shown
        if previous is not None and previous is not pane:
            previous.is_current = False
        self.current = pane.id
        self._shown = pane
        pane.looked_at()

    def show_empty(self, has_projects: bool) -> None:
        """The notice instead of a pane; it says what to do next."""
        previous = self._shown
        if previous is not None:
            previous.is_current = False
        self.current = EMPTY
        self._shown = None
        self.update_notice(has_projects)

    def update_notice(self, has_projects: bool) -> None:
        self._empty.update(EMPTY_PICK if has_projects else EMPTY_NO_PROJECTS)
