"""Building the real app on a temporary database for Pilot tests."""

from __future__ import annotations

from pathlib import Path

from wxtui.app.app import WxtuiApp
from wxtui.app.session_pane import SessionPane
from wxtui.app.sidebar import NodeRef
from wxtui.store import Store


def make_app(store: Store, **kwargs) -> WxtuiApp:
    kwargs.setdefault("poll_interval", 0.2)
    return WxtuiApp(store, **kwargs)


def pane(app: WxtuiApp, project_id: str) -> SessionPane:
    found = app.pane_for(project_id)
    assert found is not None, f"no pane for {project_id}"
    return found


def pane_text(app: WxtuiApp, project_id: str) -> str:
    found = app.pane_for(project_id)
    return "" if found is None else "\n".join(found.view.emulator.display())


def workspace(root: Path, name: str) -> str:
    path = root / name
    path.mkdir(exist_ok=True)
    return str(path)


def project_rows(app: WxtuiApp) -> list[NodeRef]:
    """The projects the sidebar shows, in order (after its filter)."""
    return [ref for ref in app.project_tree.rows if ref.kind == "project"]


def project_labels(app: WxtuiApp) -> list[str]:
    return [app.project_tree.row_text(ref) for ref in project_rows(app)]


def project_label(app: WxtuiApp, project_id: str) -> str:
    return app.project_tree.row_text(NodeRef("project", project_id, project_id))


def milestone_labels(app: WxtuiApp, project_id: str) -> list[str]:
    """The project's milestones the sidebar shows."""
    tree = app.project_tree
    return [
        tree.row_text(ref)
        for ref in tree.rows
        if ref.kind == "milestone" and ref.project_id == project_id
    ]


def cursor_label(app: WxtuiApp) -> str:
    ref = app.project_tree.selected_ref
    return "" if ref is None else app.project_tree.row_text(ref)


async def session_pid(app: WxtuiApp, project_id: str) -> int:
    """The pid of the project's agent, as its session host reports it (0: none runs)."""
    status = await app.backend.status()
    info = None if status is None else status.session(project_id)
    return 0 if info is None else info.pid
