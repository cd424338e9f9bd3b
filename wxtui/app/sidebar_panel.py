"""The left column: the filter box over the tree of projects and milestones, with its
width and whether it is shown, remembered across runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from wxtui.app.sidebar import FilterBox, ProjectTree
from wxtui.app.ui_state import (
    MAX_SIDEBAR,
    MIN_SIDEBAR,
    UiState,
    UiStateFile,
    default_sidebar_width,
)

MIN_PANE = 20  # Columns the terminal pane keeps whatever width the sidebar is given.


class Sidebar(Vertical):
    """``configured_width``: config.toml's ``sidebar_width`` (None: fit the terminal)."""

    def __init__(
        self, tree: ProjectTree, configured_width: int | None, state: UiState, file: UiStateFile
    ) -> None:
        super().__init__(id="sidebar")
        self.projects = tree
        self.filter_box = FilterBox(tree, id="filter")
        self._configured = configured_width
        self._file = file
        self._state = state

    def compose(self) -> ComposeResult:
        yield self.filter_box
        yield self.projects

    @property
    def hidden(self) -> bool:
        return self._state.sidebar_hidden

    def width_for(self, columns: int) -> int:
        """As the user left it (unless config.toml's sidebar_width changed since), else
        as config.toml says, else fitted to the terminal; never so wide that the pane
        keeps fewer than MIN_PANE columns, nor narrower than MIN_SIDEBAR."""
        resized = self._state.sidebar_width
        if resized is not None and self._state.configured_width == self._configured:
            wanted = resized
        else:
            wanted = self._configured or default_sidebar_width(columns)
        return max(MIN_SIDEBAR, min(wanted, MAX_SIDEBAR, columns - MIN_PANE))

    def fit(self, columns: int) -> None:
        self.styles.width = self.width_for(columns)
        self.display = not self._state.sidebar_hidden

    def toggle(self, columns: int) -> None:
        """Hide it, or show it again (remembered)."""
        self._state.sidebar_hidden = not self._state.sidebar_hidden
        self.fit(columns)
        self._file.save(self._state)

    def resize(self, delta: int, columns: int) -> None:
        """Narrower or wider (remembered, until config.toml's sidebar_width changes)."""
        width = self.width_for(columns) + delta
        self._state.sidebar_width = max(MIN_SIDEBAR, min(MAX_SIDEBAR, width))
        self._state.configured_width = self._configured
        self.fit(columns)
        self._file.save(self._state)

    def open_filter(self) -> FilterBox:
        self.filter_box.add_class("visible")
        return self.filter_box

    def clear_filter(self) -> None:
        """Hide the filter box and show every project again (a hidden filter never filters)."""
        field = self.filter_box
        field.remove_class("visible")
        if field.value or self.projects.filter_text:
            field.value = ""
            self.projects.set_filter("")
