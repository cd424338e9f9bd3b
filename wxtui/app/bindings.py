"""The keys that work anywhere in the app (priority bindings: the terminal pane passes
every other key to its program). Each has an id, by which config.toml remaps it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

GLOBAL_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+q",
        "quit",
        "Quit",
        id="quit",
        tooltip="quit; agents keep running in the session host",
        priority=True,
    ),
    Binding(
        "ctrl+right_square_bracket",
        "sidebar",
        "Sidebar",
        id="sidebar",
        tooltip="back to the sidebar, cursor on the current project",
        key_display="^]",
        priority=True,
    ),
    Binding(
        "ctrl+backslash",
        "next_attention",
        "Next",
        id="next-attention",
        tooltip="the session that needs you most",
        key_display="^\\",
        priority=True,
    ),
    Binding("f1", "help", "Help", id="help", tooltip="this help", priority=True),
    Binding(
        "f2",
        "inbox",
        "Inbox",
        id="inbox",
        tooltip="inbox: every session that needs you",
        priority=True,
    ),
    Binding(
        "f3",
        "toggle_sidebar",
        "Sidebar on/off",
        id="toggle-sidebar",
        tooltip="hide or show the sidebar (remembered)",
        show=False,
        priority=True,
    ),
    Binding(
        "f4",
        "search",
        "Search",
        id="search",
        tooltip="search the scrollback: n older, N newer, esc live",
        show=False,
        priority=True,
    ),
    Binding(
        "f5",
        "copy_screen",
        "Copy screen",
        id="copy-screen",
        tooltip="copy the visible screen",
        show=False,
        priority=True,
    ),
    Binding(
        "f12",
        "pass_keys",
        "Keys to program",
        id="pass-keys",
        tooltip="every key to the program in the pane (F1-F11 too), until F12 again",
        show=False,
        priority=True,
    ),
    *(
        Binding(
            f"alt+{n}",
            f"switch({n})",
            f"Project {n}",
            show=False,
            priority=True,
            id=f"project-{n}",
        )
        for n in range(1, 10)
    ),
]


def binding(binding_id: str) -> Binding:
    return next(b for b in GLOBAL_BINDINGS if isinstance(b, Binding) and b.id == binding_id)


INBOX_BINDING = binding("inbox")
PASS_KEYS_BINDING = binding("pass-keys")
