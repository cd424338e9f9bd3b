"""Screen lines to Textual strips, with the attribute→Style conversion cached."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from wxtui.terminal.clusters import ZWJ, cluster_width, split_cells, text_width
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
    """One rich ``Style`` per distinct cell attribute set (cells share attribute tuples),
    passed through ``recolour`` if one is set (the theme's colours for ANSI ones)."""

    def __init__(self) -> None:
        self._styles: dict[Attrs, Style] = {}
        self._recolour: Callable[[Style], Style] | None = None
        self._recolour_key: object = None

    def recolour_with(self, recolour: Callable[[Style], Style] | None, key: object) -> bool:
        """Map every style through ``recolour`` from now on; ``key`` names it (the same
        key: the same mapping). True when that changed the styles."""
        if key == self._recolour_key:
            return False
        self._recolour, self._recolour_key = recolour, key
        self._styles.clear()
        return True

    def recoloured(self, style: Style) -> Style:
        """A style made elsewhere (a highlight), mapped as the cells' are."""
        return style if self._recolour is None else self._recolour(style)

    def __call__(self, attrs: Attrs) -> Style:
        style = self._styles.get(attrs)
        if style is None:
            if len(self._styles) >= STYLE_CACHE_LIMIT:
                self._styles.clear()  # Endless truecolour: the collector would walk them all.
            style = self._styles[attrs] = self.recoloured(self._style(attrs))
        return style

    @staticmethod
    def _style(attrs: Attrs) -> Style:
        fg, bg, bold, italics, underscore, strike, reverse, blink, dim, overline, link, _ = attrs
        flags = bold or italics or underscore or strike or reverse or blink or dim or overline
        if not (flags or link):  # Colours alone: the cheap constructor.
            return Style.from_color(_colour(fg), _colour(bg))
        return Style(
            color=_colour(fg),
            bgcolor=_colour(bg),
            bold=bold or None,
            blink=blink or None,
            dim=dim or None,
            italic=italics or None,
            underline=underscore or None,
            strike=strike or None,
            reverse=reverse or None,
            overline=overline or None,
            link=link,
        )

    def clear(self) -> None:
        self._styles.clear()


FIT_CACHE_LIMIT = 4096
_FITTED: dict[str | tuple[str, int], tuple[str, int]] = {}
_VARIATION_SELECTORS = dict.fromkeys(map(ord, "\ufe0e\ufe0f"))


def grid_width(text: str) -> int:
    """Cells ``text`` takes on the screen, by the screen's own measure."""
    return text_width(text)


def fit_text(text: str, cells: int | None = None) -> tuple[str, int]:
    """``text`` as Textual will measure it the same as the screen did, and its width.

    The screen decides every cell's width (wxtui.terminal.clusters, the measure rich
    uses too); the compositor measures segments again with rich, which still joins a
    few things across cells (a ZWJ at the end of a letter's cell with the next
    letter). Such a cell is drawn in a form both agree on, so no row ever loses or
    gains a cell. Cached: a run is checked once. ``cells``: how many cells the run
    covers, when the caller knows (a row's run); if rich agrees, nothing is measured
    again (a wide character cut in half by an edit does not agree: measured then).
    """
    key: str | tuple[str, int] = text if cells is None else (text, cells)
    fitted = _FITTED.get(key)
    if fitted is None:
        if len(_FITTED) >= FIT_CACHE_LIMIT:
            _FITTED.clear()
        measured = cell_len(text)
        if cells is not None and measured == cells and ZWJ not in text:
            fitted = (text, cells)  # (rich joins across a ZWJ where the grid may not)
        else:
            width = grid_width(text)
            if measured == width:
                fitted = (text, width)
            else:
                fitted = ("".join(_fit_cell(cell) for cell in split_cells(text)), width)
        _FITTED[key] = fitted
    return fitted


def _fit_cell(cell: str) -> str:
    width = cluster_width(cell)
    bare = cell.rstrip(ZWJ)  # A ZWJ that joined nothing would join the next cell for rich.
    for form in (bare, bare.translate(_VARIATION_SELECTORS), cell[0]):
        if cell_len(form) == width:
            return form
    return "\ufffd" + " " * (width - 1) if width else ""


def runs_to_strip(
    runs: Runs, width: int, styles: StyleCache, ends: Sequence[int] | None = None
) -> Strip:
    """One row as a strip whose cells are the screen's: nothing is measured twice.
    ``ends``: where each run ends, for a live row (whose runs need no measuring)."""
    segments = []
    length = 0
    for index, (text, attrs) in enumerate(runs):
        if text:
            if text.isascii():
                length += len(text)  # One cell a character.
            else:
                known = None if ends is None else ends[index] - (ends[index - 1] if index else 0)
                text, cells = fit_text(text, known)
                length += cells
            segments.append(Segment(text, styles(attrs)))
    if length < width:
        segments.append(Segment(" " * (width - length)))
    elif length > width:
        return Strip(segments, length).crop(0, width)
    return Strip(segments, width)


def with_highlights(strip: Strip, spans: list[tuple[int, int, Style]]) -> Strip:
    """The strip with each span of cells ``[start, end)`` restyled (search matches)."""
    for start, end, style in spans:
        end = min(end, strip.cell_length)
        if start >= end:
            continue
        left, middle, right = strip.divide([start, end, strip.cell_length])
        marked = Strip([Segment(seg.text, (seg.style or Style()) + style) for seg in middle])
        strip = Strip.join([left, marked, right])
    return strip


def with_cursor(strip: Strip, x: int, style: Style) -> Strip:
    """The strip with the cell at ``x`` restyled as the cursor."""
    if x >= strip.cell_length:
        return strip
    left, middle, right = strip.divide([x, x + 1, strip.cell_length])
    if middle.cell_length == 0:
        return strip
    cursor = Strip([Segment(seg.text, (seg.style or Style()) + style) for seg in middle])
    return Strip.join([left, cursor, right])
