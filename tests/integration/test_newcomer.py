"""What a newcomer meets in the first ten minutes: the demo, the filter, dialogs, help,
markers and the prompt editor, through the real app (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from tests.support import (
    FakeClaude,
    make_app,
    milestone_labels,
    pane,
    pane_text,
    project_label,
    project_labels,
    project_rows,
    wait_until,
    workspace,
)
from wxtui.app.dialogs import FormDialog
from wxtui.app.help_screen import HelpScreen
from wxtui.app.session_pane import SessionState
from wxtui.app.sidebar import exit_marker
from wxtui.config import Config
from wxtui.demo import demo_app, populate_demo
from wxtui.store import Store


async def test_the_demo_never_starts_a_real_agent(
    store: Store, tmp_path: Path, fake_claude: FakeClaude
) -> None:
    populate_demo(store, tmp_path)
    app = demo_app(store, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        values = dialog.values()
        assert values["command"].startswith("/bin/sh"), "the dialog shows the demo shell"
        assert Path(values["dir"]).is_relative_to(tmp_path)
        dialog.query_one("#field-name", Input).value = "mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = next(p for p in store.list_projects() if p.name == "mine")
        bare = store.add_project("bare", workspace(tmp_path, "bare"))  # no command at all
        for project in (added, bare):
            await app.show_project(project.id)
            await wait_until(lambda p=project: "wxtui demo" in pane_text(app, p.id))
        assert fake_claude.starts() == [], "claude never ran"


async def test_a_filter_never_keeps_filtering_out_of_sight(store: Store, tmp_path: Path) -> None:
    for name in ("reports", "billing", "mobile"):
        store.add_project(name, workspace(tmp_path, name))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", "r", "e", "p", "enter")
        await pilot.pause()
        assert [ref.id for ref in project_rows(app)] == [store.list_projects()[0].id]
        await pilot.press("escape")  # esc in the sidebar clears it
        await pilot.pause()
        assert len(project_labels(app)) == 3
        await pilot.press("slash", "m", "o", "b", "enter", "ctrl+right_square_bracket")
        await pilot.pause()
        assert not app.query_one("#filter", Input).has_class("visible")
        assert len(project_labels(app)) == 3, "hiding the box clears the filter"


async def test_f1_closes_help_and_the_palette_has_one_quit(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        from wxtui.app.commands import WxtuiCommands

        ours = [title for title, _c, _h in WxtuiCommands(app.screen).targets()]
        system = [command.title for command in app.get_system_commands(app.screen)]
        assert [t for t in ours + system if t.lower().startswith("quit")] == ["Quit"]
        assert "Stop every session and quit" in ours


async def test_edit_keeps_the_name_and_the_prompt_is_multi_line(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project("alpha", workspace(tmp_path, "a"), command="sh -c 'exec cat'")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "2", "enter")  # The first key must not replace the name.
        await pilot.pause()
        assert store.get_project(project.id).name == "alpha2"
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-name", Input).value = "step"
        area = dialog.query_one("#field-prompt", TextArea)
        area.focus()
        await pilot.pause()
        await pilot.press("o", "n", "e", "enter", "t", "w", "o", "ctrl+s")
        await pilot.pause()
        (milestone,) = store.list_milestones(project.id)
        assert milestone.prompt == "one\ntwo"


async def test_send_prompt_to_an_agent_that_died_at_once_leaves_the_milestone_alone(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project("dies", workspace(tmp_path, "d"), command="sh -c 'echo x; exit 3'")
    milestone = store.add_milestone(project.id, "m", "do it")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.project_tree.cursor_line = 1
        await pilot.press("p")
        await wait_until(lambda: pane(app, project.id).state is SessionState.EXITED)
        await pilot.pause(0.5)
        assert store.get_milestone(milestone.id).status == "pending"


def test_exit_markers_are_red_only_for_failure() -> None:
    assert exit_marker(0).style == "dim"
    assert exit_marker(None, stopped=True).detail == "stopped"
    assert "red" in exit_marker(2).style and exit_marker(2).detail == "exited 2"


async def test_deleting_the_open_project_clears_the_header(store: Store, tmp_path: Path) -> None:
    project = store.add_project("doomed", workspace(tmp_path, "x"), command="sh -c 'exec cat'")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(project.id)
        await pilot.pause()
        assert app.sub_title.startswith("doomed")
        await pilot.press("ctrl+right_square_bracket", "d", "y")
        await wait_until(lambda: not store.list_projects())
        await pilot.pause()
        assert "doomed" not in app.sub_title


async def test_the_sidebar_hides_and_resizes_and_remembers(
    store: Store, tmp_path: Path, private_user_dirs: Path
) -> None:
    from wxtui.app.ui_state import state_path

    state_path().unlink(missing_ok=True)
    project = store.add_project("alpha", workspace(tmp_path, "a"), command="sh -c 'exec cat'")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one("#sidebar")
        assert sidebar.outer_size.width == 28, "at 80 columns the agent keeps 52"
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert sidebar.outer_size.width == 36
        await app.show_project(project.id)
        await pilot.press("f3")
        await pilot.pause()
        assert not sidebar.display
        assert pane(app, project.id).view.size.width == 80
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one("#sidebar")
        assert not sidebar.display, "remembered"
        await pilot.press("ctrl+right_square_bracket")  # The sidebar comes back for it.
        await pilot.pause()
        assert sidebar.display and sidebar.outer_size.width == 36
        assert app.focused is app.project_tree
    # A new sidebar_width in config.toml wins over the width the user left.
    app = make_app(store, config=Config(sidebar_width=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+right_square_bracket")
        await pilot.pause()
        assert app.query_one("#sidebar").outer_size.width == 30
        await pilot.press("less_than_sign")
        await pilot.pause()
    app = make_app(store, config=Config(sidebar_width=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+right_square_bracket")
        await pilot.pause()
        assert app.query_one("#sidebar").outer_size.width == 26, "the resize is remembered"


async def test_a_broken_ui_state_file_is_ignored_and_never_overwritten(store: Store) -> None:
    from wxtui.app.ui_state import state_path

    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("greater_than_sign", "f3")
        await pilot.pause()
    assert path.read_text() == "{not json"
    path.unlink()


async def test_search_the_scrollback_highlights_moves_and_returns_to_live(
    store: Store, tmp_path: Path
) -> None:
    lines = "; ".join(f"echo line {i:03d}{' needle' if i % 40 == 0 else ''}" for i in range(200))
    project = store.add_project(
        "logs", workspace(tmp_path, "l"), command=f"sh -c '{lines}; echo end-of-log; exec cat'"
    )
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.show_project(project.id)
        await wait_until(lambda: "end-of-log" in pane_text(app, project.id))
        view = pane(app, project.id).view
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"NEEDLE", "enter")
        await pilot.pause()
        assert view.searching and view.current_match is not None
        shown = [str(view.render_line(y).text) for y in range(view.size.height)]
        assert "1/5" not in shown[0] and "5/5" in shown[0], shown[0]
        assert any("line 160 needle" in row for row in shown), "the newest match is in view"
        row = next(y for y, text in enumerate(shown) if "line 160 needle" in text)
        styles = [seg.style for seg in view.render_line(row) if "needle" in seg.text]
        assert styles and styles[0].bgcolor is not None, "the match is highlighted"
        for _ in range(4):
            await pilot.press("n")
        await pilot.pause()
        shown = [str(view.render_line(y).text) for y in range(view.size.height)]
        assert "1/5" in shown[0] and any("line 000 needle" in r for r in shown)
        await pilot.press("N")
        await pilot.pause()
        assert "2/5" in str(view.render_line(0).text)
        await pilot.press("escape")
        await pilot.pause()
        assert not view.searching and view.scroll_offset_lines == 0
        assert "end-of-log" in "".join(
            str(view.render_line(y).text) for y in range(view.size.height)
        )


async def test_drag_selects_and_copies_and_f5_copies_the_screen(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project(
        "sel",
        workspace(tmp_path, "s"),
        command="sh -c 'echo alpha beta gamma; echo second line here; exec cat'",
    )
    app = make_app(store)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # The terminal's clipboard is not reachable here.
    async with app.run_test(size=(120, 30)) as pilot:
        await app.show_project(project.id)
        await wait_until(lambda: "second line here" in pane_text(app, project.id))
        view = pane(app, project.id).view
        await pilot.mouse_down(view, offset=(6, 0))
        await pilot.hover(view, offset=(5, 1))
        await pilot.mouse_up(view, offset=(5, 1))
        await pilot.pause()
        assert copied == ["beta gamma\nsecond"]
        shown = [seg for seg in view.render_line(0) if "beta" in seg.text]
        assert shown and shown[0].style.reverse, "the selection is highlighted"
        await pilot.press("x")  # A key clears the selection (and reaches the child).
        await pilot.pause()
        assert not any(seg.style and seg.style.reverse for seg in view.render_line(0))
        await pilot.press("f5")
        await pilot.pause()
        assert copied[-1].startswith("alpha beta gamma\nsecond line here")


async def test_long_names_end_in_an_ellipsis(store: Store, tmp_path: Path) -> None:
    store.add_project("a-very-long-project-name-that-does-not-fit", workspace(tmp_path, "l"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        label = app.project_tree.render_line(0).text
        assert label.endswith("…") and "a-very-long" in label
        assert len(label) + 2 <= app.query_one("#sidebar").size.width


async def test_an_item_deleted_from_the_cli_meanwhile_never_breaks_an_action(
    store: Store, tmp_path: Path
) -> None:
    project = store.add_project("p", workspace(tmp_path, "p"), command="sh -c 'exec cat'")
    app = make_app(store, poll_interval=60)  # No poll in between: the sidebar is stale.
    async with app.run_test(size=(120, 36)) as pilot:
        for key in ("e", "d", "t", "p"):
            milestone = store.add_milestone(project.id, f"gone {key}", "prompt")
            app.reload()
            app.project_tree.cursor_line = 1
            with Store.open(store.path) as other:  # The CLI, another connection.
                other.remove_milestone(milestone.id)
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running
            assert not isinstance(app.screen, FormDialog)
            assert len(milestone_labels(app, project.id)) == 0, "the sidebar caught up"


async def test_a_long_sidebar_scrolls_with_its_cursor_and_a_click_opens_a_row(
    store: Store, tmp_path: Path
) -> None:
    for i in range(40):
        project = store.add_project(
            f"p{i:02d}", workspace(tmp_path, "w"), command="sh -c 'exec cat'"
        )
        store.add_milestone(project.id, f"m{i:02d}")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.project_tree
        await pilot.press("end")
        await pilot.pause()
        assert tree.selected_ref is not None and tree.row_text(tree.selected_ref).endswith("m39")
        shown = [tree.render_line(y).text for y in range(tree.size.height)]
        assert any("m39" in line for line in shown), "the cursor's row is in view"
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert tree.cursor_line == tree.size.height - 1
        await pilot.press("slash", "3", "7", "enter", "down", "enter")
        await wait_until(lambda: app.current_project_id is not None, message="opened")
        assert project_label(app, app.current_project_id).endswith("p37")
        await pilot.press("ctrl+right_square_bracket", "escape", "home")
        await pilot.pause()
        line = next(y for y in range(tree.size.height) if "p02" in tree.render_line(y).text)
        await pilot.click(tree, offset=(4, line))
        await wait_until(lambda: app.current_project_id == project_rows(app)[2].id, message="click")


async def test_the_demos_new_project_gets_a_folder_named_after_it(
    store: Store, tmp_path: Path
) -> None:
    populate_demo(store, tmp_path)
    app = demo_app(store, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"my api", "ctrl+s")
        await wait_until(lambda: any(p.name == "my api" for p in store.list_projects()))
    project = store.find_project("my api")
    assert project.workspace_path == str(tmp_path / "my-api")
    assert (tmp_path / "my-api").is_dir()
