"""Screen lines to Textual strips, with the attribute→Style conversion cached."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from wxtui.terminal.row import Attrs, Runs

STYLE_CACHE_LIMIT = 4096
_COLOURS: dict[object, Color | None] = {"default": None}


def _colour(value: str | int) -> Color | None:
    try:
        return _COLOURS[value]
    except KeyError:
        pass
    colour: Color | None
    if isinstance(value, int):
        colour = Color.from_ansi(value)
    else:
        try:  # "rrggbb", as the screen stores truecolour.
            colour = Color.from_rgb(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
        except ValueError:
            colour = None
    if len(_COLOURS) >= STYLE_CACHE_LIMIT:
        _COLOURS.clear()
        _COLOURS["default"] = None
    _COLOURS[value] = colour
    return colour


class StyleCache:
    """One rich ``Style`` per distinct cell attribute set (cells share attribute tuples)."""

    def __init__(self) -> None:
        self._styles: dict[Attrs, Style] = {}

    def __call__(self, attrs: Attrs) -> Style:
        style = self._styles.get(attrs)
        if style is None:
            if len(self._styles) >= STYLE_CACHE_LIMIT:
                self._styles.clear()  # Endless truecolour: the collector would walk them all.
            fg, bg, bold, italics, underscore, strike, reverse, blink, dim, overline, link = attrs
            flags = bold or italics or underscore or strike or reverse or blink or dim or overline
            if not (flags or link):  # Colours alone: the cheap constructor.
                style = self._styles[attrs] = Style.from_color(_colour(fg), _colour(bg))
                return style
            style = self._styles[attrs] = Style(
                color=_colour(fg),
                bgcolor=_colour(bg),
                bold=bold or blink or None,
                dim=dim or None,
                italic=italics or None,
                underline=underscore or None,
                strike=strike or None,
                reverse=reverse or None,
                overline=overline or None,
                link=link,
            )
        return style

    def clear(self) -> None:
        self._styles.clear()


def runs_to_strip(runs: Runs, width: int, styles: StyleCache) -> Strip:
    segments = []
    length = 0
    ascii_only = True
    for text, attrs in runs:
        if text:
            segments.append(Segment(text, styles(attrs)))
            if ascii_only and text.isascii():
                length += len(text)
            else:
                ascii_only = False
    if not ascii_only:
        return Strip(segments).adjust_cell_length(width)
    # ASCII is one cell a character: the strip's length is known without measuring it.
    if length < width:
        segments.append(Segment(" " * (width - length)))
    elif length > width:
        return Strip(segments, length).crop(0, width)
    return Strip(segments, width)


def with_cursor(strip: Strip, x: int, style: Style) -> Strip:
    """The strip with the cell at ``x`` restyled as the cursor."""
    if x >= strip.cell_length:
        return strip
    left, middle, right = strip.divide([x, x + 1, strip.cell_length])
    if middle.cell_length == 0:
        return strip
    cursor = Strip([Segment(seg.text, (seg.style or Style()) + style) for seg in middle])
    return Strip.join([left, cursor, right])
