"""Regenerate the README screenshots: ``python screenshots/generate.py``.

Runs the real app headless on a throwaway database with scripted sessions and
saves an SVG of each main state next to this file.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from wxtui.app.app import WxtuiApp
from wxtui.demo import populate_showcase
from wxtui.store import Store

HERE = Path(__file__).parent
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
            ids = populate_showcase(store, root) if name != "empty" else {}
            app = WxtuiApp(store, poll_interval=60)
            async with app.run_test(size=SIZE) as pilot:
                await prepare(app, pilot, ids)
                await pilot.pause(0.2)
                app.save_screenshot(f"{name}.svg", path=str(HERE))
    print(f"wrote {HERE / (name + '.svg')}")


def _text(app: WxtuiApp, project_id: str) -> str:
    pane = app.pane_for(project_id)
    return "" if pane is None else "\n".join(pane.view.emulator.display())


async def main_screen(app: WxtuiApp, pilot, ids: dict) -> None:
    await app.show_project(ids["legacy-reports"])
    await _wait_for(lambda: "> " in _text(app, ids["legacy-reports"]))
    await app.show_project(ids["billing-service"])
    await _wait_for(lambda: "> " in _text(app, ids["billing-service"]))


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
        ("main", main_screen),
        ("sidebar", sidebar),
        ("add-project", add_project),
        ("palette", palette),
        ("help", help_screen),
        ("empty", empty),
    ):
        await _shoot(name, prepare)


if __name__ == "__main__":
    asyncio.run(main())
