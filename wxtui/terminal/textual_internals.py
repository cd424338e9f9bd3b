"""Where the terminal widget relies on Textual's internals (checked with textual 8.2).

``pyproject.toml`` caps textual below 9; the tests named here hold each piece when
Textual changes (the app's own reliances are in wxtui/app/textual_internals.py):

- :func:`release_strip`: strips keep a cycle through their divide cache
  (``Strip._divide_cache``, ``Strip._filter_cache``); tests/integration/test_terminal_widget.py.
- :func:`plain_lines`: a terminal pane skips ``Widget.render_lines``'s per-line CSS pass,
  which costs more than the rows during a flood; the snapshots hold the look.
- :func:`split_truecolor`: the pane maps ANSI colours to the theme's once per style
  (``App._filters`` puts ``ANSIToTruecolor`` first); tests/integration/test_terminal_widget.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.color import Color
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Spacing
from textual.strip import Strip
from textual.widget import Widget


def release_strip(strip: Strip) -> None:
    """Break the reference cycle Textual's compositor leaves on a strip it divided (the
    strip's divide cache holds the strip): a flood retires dozens of rows per frame, and
    as cyclic garbage they would wait for, and lengthen, the collector's pauses."""
    strips = [strip]
    filtered = getattr(getattr(strip, "_filter_cache", None), "_cache", None)
    if isinstance(filtered, dict):  # The filtered copies were divided, if filters ran.
        strips.extend(filtered.values())
    for divided in strips:
        divide_cache = getattr(divided, "_divide_cache", None)
        if divide_cache is not None:
            divide_cache.clear()


_NO_SPACING = Spacing(0, 0, 0, 0)


def split_truecolor(
    filters: Sequence[LineFilter],
) -> tuple[ANSIToTruecolor | None, list[LineFilter]]:
    """The app's line filters with ``ANSIToTruecolor`` apart when it runs first (it does:
    ``App._filters``). It maps each style on its own, so a pane can map its styles once
    each instead of every segment of every line of every frame."""
    if filters and isinstance(filters[0], ANSIToTruecolor):
        return filters[0], list(filters[1:])
    return None, list(filters)


def plain_lines(
    widget: Widget,
    lines: Iterable[int],
    x1: int,
    x2: int,
    filters: Sequence[LineFilter],
    background: Color,
) -> list[Strip] | None:
    """The widget's ``render_line`` strips for ``lines`` through ``filters`` (over the
    widget's ``background``, looked up once a frame: it walks the widget's ancestors),
    cropped to ``x1:x2``, without ``Widget.render_lines``'s CSS pass (borders, padding, tint,
    opacity); None when the widget's styles need that pass after all."""
    styles = widget.styles
    if (
        styles.padding != _NO_SPACING
        or styles.tint.a
        or styles.opacity != 1.0
        or styles.text_opacity != 1.0
        or any(edge for edge, _ in styles.border)
        or any(edge for edge, _ in styles.outline)
        or widget.border_title
        or widget.border_subtitle
    ):
        return None
    strips = []
    for y in lines:
        strip = widget.render_line(y)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        strips.append(strip)
    if (x1, x2) != (0, widget.size.width):
        strips = [strip.crop(x1, x2) for strip in strips]
    return strips
