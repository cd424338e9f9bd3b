"""One list of what needs the user: the sidebar's markers, ctrl+\\ and the inbox (F2)
always agree."""

from __future__ import annotations

from pathlib import Path

from tests.support import make_app, pane_text, project_label, wait_until, workspace
from wxtui.app.inbox import InboxScreen
from wxtui.store import Store

SHELL = "sh -c 'echo ready; exec cat'"


async def test_a_bell_in_a_hidden_session_is_in_the_inbox_and_where_ctrl_backslash_goes(
    store: Store, tmp_path: Path
) -> None:
    ringing = store.add_project("ringing", workspace(tmp_path, "r"), command=SHELL)
    shown = store.add_project("shown", workspace(tmp_path, "s"), command=SHELL)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(ringing.id)
        await wait_until(lambda: "ready" in pane_text(app, ringing.id))
        await app.show_project(shown.id)
        await wait_until(lambda: "ready" in pane_text(app, shown.id))
        app.backend.write(ringing.id, b"\x07\r")  # cat echoes the bell back.
        await wait_until(lambda: "!" in project_label(app, ringing.id), message="the marker")
        await pilot.press("f2")
        await pilot.pause()
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        assert [(e.project_id, e.reason) for e in inbox.entries] == [(ringing.id, "bell")]
        await pilot.press("escape")
        await pilot.press("ctrl+backslash")
        await wait_until(lambda: app.current_project_id == ringing.id, message="went there")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert app.screen.entries == [], "seen: nothing needs you now"


async def test_the_sidebars_actions_run_from_the_palette_wherever_the_focus_is(
    store: Store, tmp_path: Path
) -> None:
    from wxtui.app.commands import WxtuiCommands
    from wxtui.app.dialogs import FormDialog

    shown = store.add_project("shown", workspace(tmp_path, "s"), command=SHELL)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(shown.id)  # The focus is in the terminal pane.
        targets = {title: run for title, run, _help in WxtuiCommands(app.screen).targets()}
        await targets["Add project"]()  # type: ignore[operator]
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)


async def test_every_project_has_a_number_and_typing_it_moves_there(
    store: Store, tmp_path: Path
) -> None:
    ids = [store.add_project(f"p{n}", workspace(tmp_path, f"p{n}")).id for n in range(1, 13)]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert project_label(app, ids[11]).startswith("12 ")
        assert project_label(app, ids[0]).startswith(" 1 ")
        await pilot.press("1", "2")
        assert app.project_tree.selected_ref.id == ids[11]
        await pilot.press("3")  # There is no 123rd: the third.
        assert app.project_tree.selected_ref.id == ids[2]
        await pilot.press("1", "down", "2")  # Another key in between: a new number.
        assert app.project_tree.selected_ref.id == ids[1], "the second, not the twelfth"
