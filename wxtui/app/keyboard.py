"""Keys in the order they were typed, for the sidebar and the terminal panes."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TextArea

from wxtui.app.sidebar import ProjectTree
from wxtui.app.textual_internals import check_bindings, propagation_stopped, take_key
from wxtui.terminal.widget import TerminalView


async def handle_key_in_order(
    app: App[Any], event: events.Key, focused: Widget, passing: frozenset[str] | None = None
) -> None:
    """Handle a key for the sidebar or a terminal pane completely, before the next key.
    ``passing``: keys go to the program in the pane, all but these.

    Textual runs app-level (priority) bindings at once but hands other keys to the
    focused widget's own queue, whose bindings run only after the key bubbles back up:
    in a burst (``enter ctrl+] down down`` from a script or a fast typist) a later
    ``ctrl+]`` moved the focus before an earlier ``enter`` had opened its session, and
    arrows reached the wrong widget, and in a form the characters typed after a Tab
    went into the field it left. For the sidebar, the panes and text fields every key
    is dispatched here, in arrival order, with Textual's own binding lookup.
    """
    if isinstance(focused, TerminalView) and passing is not None and event.key not in passing:
        await focused.on_key(event)  # Keys to the program: the app's keys too.
        return
    if await check_bindings(app, event.key, priority=True):
        return
    if isinstance(focused, TerminalView):
        await focused.on_key(event)
    elif isinstance(focused, ProjectTree):
        if event.character and event.character.isdigit():
            focused.type_digit(event.character)
            return
        focused.end_number()  # Any other key: the next digit starts a new number.
    elif isinstance(focused, (Input, TextArea)):
        await take_key(focused, event)
    if propagation_stopped(event):
        return
    await check_bindings(app, event.key)
