"""Building the real app on a temporary database for Pilot tests."""

from __future__ import annotations

from pathlib import Path

from wxtui.app.app import WxtuiApp
from wxtui.app.session_pane import SessionPane
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
