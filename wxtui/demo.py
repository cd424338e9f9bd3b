"""``wxtui demo``: the real app on a throwaway database whose sessions run the user's shell."""

from __future__ import annotations

import os
import shlex
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from wxtui.store import Store

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp

DEMO_PROJECTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "billing-service",
        (
            ("Convert invoice models", "Port the invoice models to the new ORM."),
            ("Rewrite payment gateway", "Replace the payment gateway client."),
            ("Add audit log", ""),
        ),
    ),
    (
        "legacy-reports",
        (
            ("Inventory report", "Convert the inventory report to the new engine."),
            ("Sales dashboard", ""),
        ),
    ),
    (
        "mobile-api",
        (
            ("Auth endpoints", "Generate the auth endpoints from the spec."),
            ("Push notifications", ""),
            ("Rate limiting", ""),
        ),
    ),
)

_WELCOME_SCRIPT = 'printf "\\033[1;36m%s\\033[0m\\n\\n" "$1"; exec "${SHELL:-/bin/sh}" -i'


def demo_command(project_name: str) -> str:
    welcome = f"wxtui demo: this is the {project_name} session (your shell; type exit to end it)"
    return shlex.join(["/bin/sh", "-c", _WELCOME_SCRIPT, "wxtui-demo", welcome])


def populate_demo(store: Store, root: Path) -> None:
    for name, milestones in DEMO_PROJECTS:
        workspace = root / name
        workspace.mkdir(exist_ok=True)
        project = store.add_project(name, str(workspace), demo_command(name))
        for index, (element_name, prompt) in enumerate(milestones):
            milestone = store.add_milestone(project.id, element_name, prompt or None)
            if index == 0:
                store.set_milestone_status(milestone.id, "completed")
            elif index == 1:
                store.set_milestone_status(milestone.id, "in_progress")


SHOWCASE_SESSION = (
    "sh -c \"printf '\\033[1mAgent session\\033[0m\\n\\n"
    "  \\033[32m✓ PASS\\033[0m  tests/test_store.py\\n"
    "  \\033[31m✗ FAIL\\033[0m  tests/test_cli.py\\n"
    "  \\033[38;5;208m256-colour orange\\033[0m  \\033[38;2;120;80;220mtruecolour violet\\033[0m\\n"
    "  \\033[7m reverse \\033[0m \\033[4munderline\\033[0m \\033[3mitalic\\033[0m"
    "\\n\\n> '; exec cat\""
)


def populate_showcase(store: Store, root: Path) -> dict[str, str]:
    """The demo projects with a scripted, always identical session: for screenshots and tests."""
    ids: dict[str, str] = {}
    statuses = ("completed", "in_progress", "pending", "failed")
    for offset, (name, milestones) in enumerate(DEMO_PROJECTS):
        workspace = root / name
        workspace.mkdir(exist_ok=True)
        project = store.add_project(name, str(workspace), SHOWCASE_SESSION)
        ids[name] = project.id
        for index, (element_name, prompt) in enumerate(milestones):
            milestone = store.add_milestone(project.id, element_name, prompt or None)
            store.set_milestone_status(milestone.id, statuses[(index + offset) % len(statuses)])
    return ids


def demo_app(store: Store, root: Path, agent: str | None = None) -> WxtuiApp:
    """The app on a demo store: every session, new projects' too, runs the demo shell
    (unless ``--agent`` says otherwise), so the demo never starts a real agent."""
    from wxtui.app.app import WxtuiApp

    shell = demo_command("new project")
    return WxtuiApp(
        store,
        agent=agent or shell,
        title_suffix="demo",
        new_project_dir=str(root),  # A new project gets a folder named after it there.
        new_project_command=shell,
    )


def run_demo(agent: str | None = None) -> int:
    """Ignores ``--db`` and ``WXTUI_DB``: the demo database lives and dies in a temp dir."""
    from wxtui.logs import setup_logging

    setup_logging()

    with tempfile.TemporaryDirectory(prefix="wxtui-demo-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o700)
        with Store.open(root / "wxtui.db") as store:
            populate_demo(store, root)
            app = demo_app(store, root, agent)
            app.run()
        return app.return_code or 0
