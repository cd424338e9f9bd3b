"""Regenerate the README screenshots: ``python screenshots/generate.py``.

Runs the real app headless on a throwaway database with scripted sessions and
saves an SVG of each main state next to this file. The main screen and the inbox show
agents in the states wxtui tracks (working, waiting for a permission, done): their
sessions run the test suite's scripted ``claude``, which reports its turns through
Claude Code's hooks as the real one does.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from wxtui.app.app import WxtuiApp
from wxtui.demo import populate_showcase
from wxtui.store import Store

HERE = Path(__file__).parent
FAKE_CLAUDE = HERE.parent / "tests" / "support" / "fake_claude.py"
SIZE = (140, 38)


async def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the screen never showed what the screenshot needs")
        await asyncio.sleep(0.02)


async def _shoot(name: str, prepare: Callable[[WxtuiApp, object, dict], Awaitable[None]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Store.open(root / "wxtui.db") as store:
            if name in ("main", "inbox"):
                ids = _scripted_agents(store, root)
            else:
                ids = populate_showcase(store, root) if name != "empty" else {}
            app = WxtuiApp(store, poll_interval=60)
            async with app.run_test(size=SIZE) as pilot:
                await prepare(app, pilot, ids)
                await pilot.pause(0.2)
                app.save_screenshot(f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / (name + '.svg')}")


def _scripted_agents(store: Store, root: Path) -> dict[str, str]:
    """The showcase projects, their sessions the scripted ``claude`` (on PATH)."""
    bin_dir = root / "bin"
    bin_dir.mkdir()
    script = bin_dir / "claude"
    script.write_text(f"#!{sys.executable}\n" + FAKE_CLAUDE.read_text())
    script.chmod(0o755)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    os.environ["CLAUDE_CONFIG_DIR"] = str(root / "claude-config")
    os.environ["FAKE_CLAUDE_BANNER"] = "✻ Claude Code (scripted for this screenshot)"
    ids = populate_showcase(store, root)
    for project_id in ids.values():
        store.edit_project(project_id, command="")  # The agent: `claude`.
    return ids


def _text(app: WxtuiApp, project_id: str) -> str:
    pane = app.pane_for(project_id)
    return "" if pane is None else "\n".join(pane.view.emulator.display())


async def main_screen(app: WxtuiApp, pilot, ids: dict) -> None:
    await app.show_project(ids["legacy-reports"])
    await _wait_for(lambda: "> " in _text(app, ids["legacy-reports"]))
    await app.show_project(ids["billing-service"])
    await _wait_for(lambda: "> " in _text(app, ids["billing-service"]))


async def _agents(app: WxtuiApp, ids: dict) -> None:
    """Three scripted agents: one done, one working, one waiting for a permission."""
    scripts = {
        "billing-service": [b"prompt Port the invoice models\r"],
        "mobile-api": [b"permission\r", b"\r", b"tool-done\r"],
        "legacy-reports": [b"permission\r"],
    }
    for name, lines in scripts.items():
        await app.show_project(ids[name])
        await _wait_for(lambda name=name: "ready" in _text(app, ids[name]))
        for line in lines:
            app.backend.write(ids[name], line)
            await asyncio.sleep(0.3)
    await _wait_for(lambda: app.pane_for(ids["legacy-reports"]).urgency == 0)


async def agents_screen(app: WxtuiApp, pilot, ids: dict) -> None:
    await _agents(app, ids)
    await app.show_project(ids["billing-service"])
    await pilot.press("ctrl+right_square_bracket")


async def inbox(app: WxtuiApp, pilot, ids: dict) -> None:
    await _agents(app, ids)
    await app.show_project(ids["billing-service"])
    await pilot.press("f2")


async def sidebar(app: WxtuiApp, pilot, ids: dict) -> None:
    await main_screen(app, pilot, ids)
    await pilot.press("ctrl+right_square_bracket", "down", "down")


async def add_project(app: WxtuiApp, pilot, ids: dict) -> None:
    await pilot.press("a")


async def palette(app: WxtuiApp, pilot, ids: dict) -> None:
    await pilot.press("ctrl+p")
    for key in "open mob":
        await pilot.press("space" if key == " " else key)


async def help_screen(app: WxtuiApp, pilot, ids: dict) -> None:
    await pilot.press("f1")


async def empty(app: WxtuiApp, pilot, ids: dict) -> None:
    return None


async def main() -> None:
    os.chdir("/")  # The add-project dialog shows the current directory.
    for name, prepare in (
        ("main", agents_screen),
        ("inbox", inbox),
        ("sidebar", sidebar),
        ("add-project", add_project),
        ("palette", palette),
        ("help", help_screen),
        ("empty", empty),
    ):
        await _shoot(name, prepare)


if __name__ == "__main__":
    asyncio.run(main())
