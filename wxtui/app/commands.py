"""Command palette: every project and milestone by fuzzy name, and every action."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wxtui.app.keymap import effective_key, key_display
from wxtui.app.sidebar import ProjectTree
from wxtui.app.sidebar_panel import Sidebar
from wxtui.text import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

# Bindings that are not commands of their own: moving, opening what is selected, the
# per-project keys (the palette opens projects by name) and quitting (Textual's own entry).
NOT_IN_PALETTE = frozenset(
    {"cursor-down", "cursor-up", "open-selected", "sidebar-help", "quit"}
    | {f"project-{n}" for n in range(1, 10)}
)


def palette_actions(
    bindings: Iterable[object], keys: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(title, action, help) for each binding with an id: the palette finds every action
    by what it does, and says which key does it."""
    actions = []
    seen: set[str] = set()
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.id or binding.id in NOT_IN_PALETTE:
            continue
        action = binding.action.removeprefix("app.")
        if action in seen:
            continue
        seen.add(action)
        what = binding.tooltip or binding.description
        title = what[:1].upper() + what[1:]
        actions.append((title, action, f"key: {key_display(effective_key(binding, keys))}"))
    return actions


class WxtuiCommands(Provider):
    def targets(self) -> list[tuple[str, object, str]]:
        app: WxtuiApp = self.app  # type: ignore[assignment]
        targets: list[tuple[str, object, str]] = []
        milestones = app.backend.all_milestones()
        for project in app.backend.list_projects():
            name = app.project_name(project.id)
            targets.append((f"Open {name}", partial(app.open_project, project.id), "project"))
            for milestone in milestones.get(project.id, []):
                targets.append(
                    (
                        f"Open {name} › {inert(milestone.element_name)}",
                        partial(app.open_project, project.id, milestone.id),
                        f"milestone, {milestone.status.replace('_', ' ')}",
                    )
                )
        keys = app.config.keys
        for title, action, help_text in palette_actions(
            [*app.BINDINGS, *ProjectTree.BINDINGS], keys
        ):
            targets.append((title, partial(app.run_action, action), help_text))
        # The sidebar's own actions run on the sidebar, wherever the focus is.
        for title, action, help_text in palette_actions(Sidebar.BINDINGS, keys):
            targets.append((title, partial(app.run_action, action, app.sidebar), help_text))
        targets.append(
            (
                "Stop every session and quit",
                partial(app.run_action, "stop_everything"),
                "every agent ends (conversations are kept); the session host too",
            )
        )
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
