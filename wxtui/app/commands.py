"""Command palette: every project and milestone by fuzzy name, and every action."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from wxtui.app.sidebar import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Add project", "add_project", "Create a new project"),
    ("Add milestone", "add_milestone", "Add a milestone to the selected project"),
    ("Edit", "edit", "Edit the selected project or milestone"),
    ("Delete", "delete", "Delete the selected project or milestone"),
    ("Send prompt", "send_prompt", "Send the selected milestone's prompt to its session"),
    ("Set milestone status", "set_status", "Mark the selected milestone"),
    ("Restart session", "restart_session", "Restart the selected project's session"),
    ("Stop session", "stop_session", "Stop the selected project's session"),
    ("Filter sidebar", "filter", "Filter projects and milestones by name"),
    ("Next session needing attention", "next_attention", "Jump to the session that needs you most"),
    ("Inbox", "inbox", "Every session that needs you, with reason and age"),
    ("Search the scrollback", "search", "Find text in the open session's scrollback (F4)"),
    ("Hide or show the sidebar", "toggle_sidebar", "F3; remembered across runs"),
    ("Copy the screen", "copy_screen", "The open session's visible screen to the clipboard (F5)"),
    ("Help", "help", "Show the key map"),
)


class WxtuiCommands(Provider):
    def targets(self) -> list[tuple[str, object, str]]:
        app: WxtuiApp = self.app  # type: ignore[assignment]
        targets: list[tuple[str, object, str]] = []
        for project in app.store.list_projects():
            targets.append(
                (f"Open {inert(project.name)}", partial(app.open_project, project.id), "project")
            )
            for milestone in app.store.list_milestones(project.id):
                targets.append(
                    (
                        f"Open {inert(project.name)} › {inert(milestone.element_name)}",
                        partial(app.open_project, project.id, milestone.id),
                        f"milestone, {milestone.status.replace('_', ' ')}",
                    )
                )
        for title, action, help_text in ACTIONS:
            targets.append((title, partial(app.run_action, action), help_text))
        return targets

    async def discover(self) -> Hits:
        for title, callback, help_text in self.targets():
            yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self.targets():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)  # type: ignore[arg-type]
