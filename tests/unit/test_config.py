"""The settings file: checked with a one-line error naming the line, never rewritten
except for the theme the user picks, and applied by the app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import fails, make_app, ok, run
from wxtui.app.inbox import InboxScreen
from wxtui.config import Config, load_config
from wxtui.store import Store


def _run_with(config: Path, *args: str, db: Path | None = None):
    return run(*args, db=db, env={"WXTUI_CONFIG": str(config)})


def test_config_path_and_a_good_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert ok(_run_with(config, "config", "path")).strip() == str(config)
    config.write_text(
        'theme = "nord"\nagent = "claude --model x"\nnotifications = false\n'
        'sidebar_width = 30\n\n[keys]\ninbox = "f6"\nadd-project = "A"\n'
    )
    assert "ok" in ok(_run_with(config, "config", "check"))
    loaded = load_config(config)
    assert (loaded.theme, loaded.agent, loaded.notifications, loaded.sidebar_width) == (
        "nord",
        "claude --model x",
        False,
        30,
    )


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('theme = "nord"\ncolour = 3\n', "unknown setting 'colour'", 2),
        ("theme = [\n", "not valid TOML", None),
        ('notifications = "yes"\n', "notifications must be a bool", 1),
        ('[keys]\nno-such-binding = "f6"\n', "unknown binding id", 2),
        ('\n[keys]\ninbox = "ctrl+a"\n', "passes to Claude", 3),
        ('[keys]\nadd-project = "m"\n', "is add-milestone's key", 2),
        ("sidebar_width = -5\n", "sidebar_width must be 16 to 80 columns", 1),
        ("\nsidebar_width = 1000\n", "sidebar_width must be 16 to 80 columns", 2),
        ('theme = "no-such-theme"\n', "unknown theme 'no-such-theme'", 1),
        ('[keys]\ninbox = "f66"\n', "'f66' for inbox is not a key", 2),
        ('[keys]\nadd-project = "ctrl+nothing"\n', "is not a key", 2),
    ],
)
def test_a_bad_file_is_one_line_naming_the_line_and_is_never_rewritten(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    result = _run_with(config, "config", "check")
    fails(result, message)
    if line is not None:
        assert f"{config}:{line}:" in result.stderr
    db = tmp_path / "wxtui.db"
    fails(_run_with(config, db=db), message)  # The TUI refuses to start, saying why.
    assert config.read_text() == content
    assert not db.exists()


def test_a_refused_start_on_an_existing_database_leaves_no_host_running(
    tmp_path: Path,
) -> None:
    """With a database already there, wxtui starts its host while the UI loads; keys
    the app refuses (or an unknown --open) end that host too."""
    from tests.support import wait_until_sync
    from wxtui.sessions.host_address import host_running, host_socket_path

    db = tmp_path / "wxtui.db"
    Store.open(db).close()
    config = tmp_path / "config.toml"
    config.write_text('[keys]\ninbox = "f66"\n')
    fails(_run_with(config, db=db), "'f66' for inbox is not a key")
    config.write_text("")
    fails(_run_with(config, "--open", "nope", db=db), "unknown project")

    def no_host() -> bool:
        hosts = [
            pid
            for pid in os.listdir("/proc")
            if pid.isdigit() and _cmdline(pid).endswith(f"{db}\0host\0")
        ]
        return not hosts and not host_running(host_socket_path(db))

    wait_until_sync(no_host, message="the host started for the refused UI ended")


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline") as cmdline:
            return cmdline.read()
    except OSError:
        return ""


async def test_the_app_applies_keys_agent_and_saves_only_the_theme_line(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    content = '# mine\nagent = "sh -c \'echo from-config; exec cat\'"\n\n[keys]\ninbox = "f6"\n'
    path.write_text(content)
    config = load_config(path)
    assert isinstance(config, Config)
    project = store.add_project("p", str(tmp_path))
    app = make_app(
        store, config=config, environ={k: v for k, v in os.environ.items() if k != "WXTUI_AGENT"}
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, InboxScreen)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("escape")
        await app.show_project(project.id)
        from tests.support import pane_text, wait_until

        await wait_until(lambda: "from-config" in pane_text(app, project.id))
        app.theme = "nord"
        await pilot.pause()
    assert path.read_text() == 'theme = "nord"\n' + content


async def test_a_remapped_app_key_moves_in_the_pane_and_in_the_palette(
    store: Store, tmp_path: Path
) -> None:
    """The pane leaves exactly the app's keys (as remapped) to the app, and the palette
    names the key the user chose."""
    from tests.support import pane_text, wait_until
    from wxtui.app.commands import WxtuiCommands
    from wxtui.terminal.widget import TerminalView

    path = tmp_path / "config.toml"
    path.write_text('[keys]\nsidebar = "f6"\n')
    config = load_config(path)
    assert isinstance(config, Config)
    project = store.add_project("p", str(tmp_path), command="sh -c 'echo ready; exec cat'")
    app = make_app(store, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(project.id)
        await wait_until(lambda: "ready" in pane_text(app, project.id))
        await pilot.press("ctrl+right_square_bracket")
        await wait_until(lambda: "^]" in pane_text(app, project.id), message="ctrl+] to cat")
        assert isinstance(app.focused, TerminalView)
        await pilot.press("f6")
        await pilot.pause()
        assert app.focused is app.project_tree
        entries = {title: help for title, _c, help in WxtuiCommands(app.screen).targets()}
        assert entries["Back to the sidebar, cursor on the current project"] == "key: F6"
        assert entries["Add project"] == "key: a"


async def test_a_sidebar_wider_than_the_window_allows_leaves_the_pane_room(
    store: Store,
) -> None:
    store.add_project("p", "/tmp")
    app = make_app(store, config=Config(sidebar_width=80))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one("#sidebar").outer_size.width == 60, "the pane keeps 20 columns"
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert app.query_one("#sidebar").outer_size.width == 80


async def test_a_binding_set_to_nothing_leaves_its_key_to_the_program(
    store: Store, tmp_path: Path
) -> None:
    """``inbox = ""``: config check accepts it, F2 reaches the program in the pane (htop's
    setup, mc's menus), and the palette still reaches the inbox."""
    from tests.support import pane_text, wait_until
    from wxtui.app.commands import WxtuiCommands

    path = tmp_path / "config.toml"
    path.write_text('[keys]\ninbox = ""\n')
    assert ok(_run_with(path, "config", "check")).endswith(": ok\n")
    config = load_config(path)
    project = store.add_project("p", str(tmp_path), command="sh -c 'echo ready; exec cat'")
    app = make_app(store, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f2")  # In the sidebar: nothing.
        await pilot.pause()
        assert not isinstance(app.screen, InboxScreen)
        await app.show_project(project.id)
        await wait_until(lambda: "ready" in pane_text(app, project.id))
        await pilot.press("f2")
        await wait_until(lambda: "^[OQ" in pane_text(app, project.id), message="F2 to cat")
        assert not isinstance(app.screen, InboxScreen)
        entries = {title: help for title, _c, help in WxtuiCommands(app.screen).targets()}
        assert entries["Inbox: every session that needs you"] == "key: (no key)"


async def test_f12_hands_every_key_to_the_program_until_f12_again(
    store: Store, tmp_path: Path
) -> None:
    """htop's F2 and mc's F-key menus: F12 passes every key (F1-F11, ctrl+q, ctrl+], alt+N)
    to the program in the pane, with a marker in the header; F12 again gives them back."""
    from tests.support import pane_text, wait_until

    project = store.add_project("p", str(tmp_path), command="sh -c 'echo ready; exec cat'")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.show_project(project.id)
        await wait_until(lambda: "ready" in pane_text(app, project.id))
        await pilot.press("f12")
        assert "KEYS TO THE PROGRAM (F12 gives them back)" in app.title
        await pilot.press("f2", "f1", "ctrl+right_square_bracket", "ctrl+q", "enter")
        # (The pty takes ctrl+q itself: XON.)
        await wait_until(lambda: "^[OQ^[OP^]" in pane_text(app, project.id), message="keys")
        assert not isinstance(app.screen, InboxScreen) and app.is_running
        assert app.focused is app.pane_for(project.id).view
        await pilot.press("f12")
        assert "KEYS TO THE PROGRAM" not in app.title
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen), "the app has its keys back"
