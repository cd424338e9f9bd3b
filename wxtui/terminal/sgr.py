"""SGR (select graphic rendition): the pen text is written with, and how SGR changes it.

Output repeats the same few colour changes, so each :class:`Pen` remembers where
each SGR sequence seen from it leads: a repeated change is one dict lookup instead
of a parse.
"""

from __future__ import annotations

from typing import Any

from wxtui.terminal.row import DEFAULT_ATTRS, Attrs, intern_attrs

_CACHE_LIMIT = 4096
_TRANSITIONS_PER_PEN = 64


class Pen:
    """Attributes to write with, and the pens SGR sequences from here lead to."""

    __slots__ = ("after", "attrs")

    def __init__(self, attrs: Attrs) -> None:
        self.attrs = attrs
        self.after: dict[str, Pen] = {}


class Pens:
    """One pen per distinct attribute set, bounded (endless truecolour would grow it)."""

    def __init__(self) -> None:
        self.default = Pen(DEFAULT_ATTRS)
        self._pens: dict[Attrs, Pen] = {DEFAULT_ATTRS: self.default}

    def get(self, attrs: Attrs) -> Pen:
        pen = self._pens.get(attrs)
        if pen is None:
            if len(self._pens) > _CACHE_LIMIT:
                # Start over, but keep the default pen and what it learnt.
                self._pens = {DEFAULT_ATTRS: self.default}
            pen = self._pens[attrs] = Pen(attrs)
        return pen

    def after(self, pen: Pen, params: str) -> Pen:
        """The pen after SGR ``params`` from ``pen``."""
        following = pen.after.get(params)
        if following is None:
            following = self.get(compute_sgr(pen.attrs, params))
            # Most colour changes start from the default pen (after a reset): it learns more.
            limit = _TRANSITIONS_PER_PEN * (16 if pen.attrs is DEFAULT_ATTRS else 1)
            if len(pen.after) < limit:
                pen.after[params] = following
        return following

    def with_attrs(self, pen: Pen, **changes: Any) -> Pen:
        """The pen with some attributes changed (protection, a link)."""
        return self.get(intern_attrs(pen.attrs._replace(**changes)))


def compute_sgr(attrs: Attrs, params: str) -> Attrs:
    """The attributes after one SGR sequence's parameters (``params`` as sent, ``;``-joined)."""
    if params in ("", "0") and attrs.link is None and not attrs.protected:
        return DEFAULT_ATTRS
    items = params.split(";") if params else ["0"]
    if (
        items[0] in ("38", "48")
        and len(items) in (3, 5)
        and (len(items), items[1]) in ((5, "2"), (3, "5"))
    ):
        # One colour alone, the common case that misses the cache: skip the general loop.
        colour = _colour(items[1:])
        if colour is not None:
            fields = (colour, *attrs[1:]) if items[0] == "38" else (attrs[0], colour, *attrs[2:])
            return intern_attrs(tuple.__new__(Attrs, fields))
    changes: dict[str, Any] = {}  # Attrs field -> value
    i = 0
    count = len(items)
    while i < count:
        item = items[i]
        i += 1
        if ":" in item:
            sub = item.split(":")
            code = _int(sub[0])
            if code in (38, 48):
                colour = _colour(sub[1:])
                if colour is not None:
                    changes["fg" if code == 38 else "bg"] = colour
            elif code == 4:
                changes["underscore"] = _int(sub[1]) != 0 if len(sub) > 1 else True
            continue
        code = _int(item)
        if code == 0:
            attrs = DEFAULT_ATTRS._replace(link=attrs.link, protected=attrs.protected)
            changes.clear()
        elif 30 <= code <= 37:
            changes["fg"] = code - 30
        elif 40 <= code <= 47:
            changes["bg"] = code - 40
        elif 90 <= code <= 97:
            changes["fg"] = code - 82
        elif 100 <= code <= 107:
            changes["bg"] = code - 92
        elif code in (38, 48, 58):
            kind = _int(items[i]) if i < count else 0
            take = 2 if kind == 5 else 4 if kind == 2 else 1
            colour = _colour(items[i : i + take])
            i += take
            if colour is not None and code != 58:
                changes["fg" if code == 38 else "bg"] = colour
        elif code in _SGR_FLAGS:
            field, value = _SGR_FLAGS[code]
            changes[field] = value
        elif code == 22:
            changes["bold"] = changes["dim"] = False
        elif code == 39:
            changes["fg"] = "default"
        elif code == 49:
            changes["bg"] = "default"
    # Equal attribute sets become one object, so their cell caches are shared.
    return intern_attrs(attrs._replace(**changes) if changes else attrs)


_SGR_FLAGS: dict[int, tuple[str, bool]] = {
    1: ("bold", True),
    2: ("dim", True),
    3: ("italics", True),
    4: ("underscore", True),
    5: ("blink", True),
    6: ("blink", True),
    7: ("reverse", True),
    9: ("strikethrough", True),
    21: ("underscore", True),
    23: ("italics", False),
    24: ("underscore", False),
    25: ("blink", False),
    27: ("reverse", False),
    29: ("strikethrough", False),
    53: ("overline", True),
    55: ("overline", False),
}


def _int(text: str) -> int:
    if len(text) > 9:
        text = text.lstrip("0")[:10]  # Leading zeros mean nothing.
    if not text or not text.isdigit():
        return 0
    return int(text)


def _colour(args: list[str]) -> int | str | None:
    """``5;n`` / ``2;r;g;b`` (and the colon form ``2::r:g:b`` with a colour-space id)."""
    if not args:
        return None
    kind = _int(args[0])
    if kind == 5 and len(args) >= 2:
        index = _int(args[1])
        return index if 0 <= index <= 255 else None
    if kind == 2 and len(args) >= 4:
        r, g, b = args[-3:]
        return f"{_channel(r):02x}{_channel(g):02x}{_channel(b):02x}"
    return None


def _channel(text: str) -> int:
    try:
        return min(255, int(text))  # Parameters are ASCII digits (or empty): see the parser.
    except ValueError:
        return 0
