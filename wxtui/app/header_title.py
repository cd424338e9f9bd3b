"""The header: wxtui's title with how many sessions need you (and a marker while keys go
to the program), and the shown project's name with what its agent does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wxtui.app.keymap import key_display
from wxtui.app.session_pane import SessionPane
from wxtui.app.terminal_driver import set_host_title
from wxtui.text import inert

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


class HeaderTitle:
    def __init__(self, app: WxtuiApp, base: str) -> None:
        self.app = app
        self.base = base

    def update(self) -> None:
        """The title: how many sessions need you, and when keys go to the program (the
        outer terminal's window title says the first only)."""
        app = self.app
        urgent = sum(1 for p in app.switcher.panes() if p.urgency is not None)
        title = f"{self.base} ({urgent})" if urgent else self.base
        host_title = title
        if app.passing_keys:
            toggle = key_display(",".join(sorted(app.pass_toggle_keys)))
            title = f"{title}  ⌨ KEYS TO THE PROGRAM ({toggle} gives them back)"
        if title != app.title:
            app.title = title
            set_host_title(app, host_title)

    def follow(self, pane: SessionPane) -> None:
        """The sub-title names the shown project and what its agent does (or the
        program's own title), and when its remote's link is slow or down, that."""
        name = self.app.project_name(pane.project_id)
        detail = pane.agent.summary if pane.agent is not None else pane.window_title
        title = f"{name} — {inert(detail)}" if detail else name
        link = self.app.remotes.trouble(pane.project_id)
        self.app.sub_title = f"{title} — {link}" if link else title
