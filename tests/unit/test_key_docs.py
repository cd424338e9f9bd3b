"""The README's key table and the help screen say what the bindings do: one source."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from tests.support import make_app
from wxtui.app.app import WxtuiApp
from wxtui.app.help_screen import HelpScreen
from wxtui.app.inbox import INBOX_BINDINGS
from wxtui.app.keymap import key_display
from wxtui.app.sidebar_panel import SIDEBAR_BINDINGS
from wxtui.store import Store

README = Path(__file__).parents[2] / "README.md"


def _bindings() -> list[Binding]:
    every = [*WxtuiApp.BINDINGS, *SIDEBAR_BINDINGS, *INBOX_BINDINGS]
    return [b for b in every if isinstance(b, Binding) and b.id]


def test_every_binding_is_in_the_readme_key_table() -> None:
    table = "\n".join(
        line
        for line in README.read_text().splitlines()
        if re.match(r"\| (anywhere|sidebar|inbox|terminal) \|", line)
    )
    documented = set(re.findall(r"`([^`]+)`", table))
    for binding in _bindings():
        if binding.id in {f"project-{n}" for n in range(2, 9)}:
            continue  # The table says `alt+1` … `alt+9`.
        for key in key_display(binding.key).split(" / "):
            assert key in documented, (
                f"{binding.id}: `{key}` is missing from the README's key table"
            )


async def test_the_help_lists_every_binding_as_remapped(store: Store) -> None:
    from wxtui.config import Config

    app = make_app(store, config=Config(keys={"inbox": "f6"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {key: what for _section, rows in app.screen.sections for key, what in rows}
        assert shown["F6"].startswith("inbox") and "F2" not in shown
        for binding in _bindings():
            if not binding.id.startswith("project-") and binding.id != "inbox":
                assert key_display(binding.key) in shown, binding.id
        assert "alt+1 … alt+9" in shown
