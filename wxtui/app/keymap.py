"""Remapping keys by binding id (``[keys]`` in config.toml), checked before it is used.

App-wide keys work inside the terminal pane, so they may only take keys Claude Code and
readline leave free (SPEC): ctrl+], ctrl+\\, ctrl+^, F1-F12, alt+digits (and ctrl+q).
Sidebar keys may be anything that does not collide with another sidebar key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.binding import Binding
from textual.keys import Keys

from wxtui.config import ConfigError, key_line

FREE_IN_THE_PANE = re.compile(
    r"(ctrl\+right_square_bracket|ctrl\+backslash|ctrl\+circumflex_accent|ctrl\+q"
    r"|f([1-9]|1[0-2])|alt\+[0-9])"
)


def _bindings(bindings: Iterable[object]) -> dict[str, Binding]:
    return {b.id: b for b in bindings if isinstance(b, Binding) and b.id}


def check_keymap(
    keys: Mapping[str, str],
    app_bindings: Iterable[object],
    other_scopes: Iterable[Iterable[object]],
    path: Path,
) -> None:
    """ConfigError (with the line) for an unknown id, a collision or a key the pane needs.
    ``other_scopes``: the bindings of the sidebar, the inbox...: keys need only differ
    within one."""
    scopes = {"app": _bindings(app_bindings)}
    scopes.update({f"scope {n}": _bindings(b) for n, b in enumerate(other_scopes)})
    for binding_id in keys:
        if not any(binding_id in scope for scope in scopes.values()):
            line = key_line(path, binding_id)
            known = ", ".join(sorted({i for scope in scopes.values() for i in scope}))
            raise ConfigError(f"{path}:{line}: unknown binding id {binding_id!r} (known: {known})")
    for name, scope in scopes.items():
        owners: dict[str, list[str]] = {}
        for binding_id, binding in scope.items():
            remapped = keys.get(binding_id)
            for key in (binding.key if remapped is None else remapped).split(","):
                key = key.strip()
                if not key:
                    continue  # Unbound ("").
                if remapped and not is_key_name(key):
                    raise ConfigError(
                        f"{path}:{key_line(path, binding_id)}: {key!r} for {binding_id} is not "
                        "a key (a character, or a name such as f5, ctrl+], alt+1, escape)"
                    )
                if name == "app" and remapped and not FREE_IN_THE_PANE.fullmatch(key):
                    raise ConfigError(
                        f"{path}:{key_line(path, binding_id)}: {key!r} for {binding_id} is a key "
                        "the terminal pane passes to Claude; use ctrl+], ctrl+\\, ctrl+^, "
                        "F1-F12 or alt+digits"
                    )
                owners.setdefault(key, []).append(binding_id)
        for key, ids in owners.items():
            changed = [binding_id for binding_id in ids if binding_id in keys]
            if len(ids) > 1 and changed:
                other = next(binding_id for binding_id in ids if binding_id != changed[0])
                line = key_line(path, changed[0])
                raise ConfigError(f"{path}:{line}: {key!r} for {changed[0]} is {other}'s key")


_MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})
# Names of keys that are not characters (Textual's, with "enter" and friends).
_NAMED_KEYS = frozenset(
    {key.value.rsplit("+", 1)[-1] for key in Keys}
    | {"enter", "space", "tab", "backspace", "delete", "insert", "pageup", "pagedown"}
)


# Textual names a key by its character's Unicode name (question_mark, less_than_sign).
_CHARACTER_NAMES = frozenset(
    unicodedata.name(chr(code), "").lower().replace("-", "_").replace(" ", "_")
    for code in range(0x21, 0x250)
)


def is_key_name(key: str) -> bool:
    """A key Textual can report: a character, or a named key (f1-f24, escape, up, a
    character's name such as right_square_bracket), after any modifiers."""
    *modifiers, base = key.split("+")
    if not base or any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    return len(base) == 1 or base in _NAMED_KEYS or base in _CHARACTER_NAMES


_KEY_NAMES = {
    "right_square_bracket": "]",
    "backslash": "\\",
    "circumflex_accent": "^",
    "question_mark": "?",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "slash": "/",
    "escape": "esc",
}


def key_display(key: str) -> str:
    """``ctrl+right_square_bracket`` as a user writes it: ``ctrl+]``; ``f1`` as ``F1``."""
    if not key.strip():
        return "(no key)"
    shown = []
    for one in key.split(","):
        parts = one.strip().split("+")
        parts[-1] = _KEY_NAMES.get(parts[-1], parts[-1])
        if re.fullmatch(r"f\d+", parts[-1]):
            parts[-1] = parts[-1].upper()
        shown.append("+".join(parts))
    return " / ".join(shown)


def key_rows(bindings: Iterable[object], keys: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key as shown, what it does) for each binding with an id, as remapped; the nine
    project keys as one row."""
    rows = []
    projects = []
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.id:
            continue
        key = key_display(effective_key(binding, keys))
        if binding.id.startswith("project-"):
            projects.append(key)
            continue
        rows.append((key, binding.tooltip or binding.description))
    if projects:
        rows.append((f"{projects[0]} … {projects[-1]}", "switch to project 1-9"))
    return rows


def effective_key(binding: Binding, keys: Mapping[str, str]) -> str:
    """The binding's key as the user remapped it (``[keys]``), else its own."""
    return keys.get(binding.id, binding.key) if binding.id else binding.key


def priority_keys(bindings: Iterable[object], keys: Mapping[str, str]) -> frozenset[str]:
    """Every key of the app-wide (priority) bindings, as remapped: the terminal pane
    leaves these to the app instead of sending them to the child."""
    found: set[str] = set()
    for binding in bindings:
        if isinstance(binding, Binding) and binding.priority:
            found.update(k.strip() for k in effective_key(binding, keys).split(","))
    return frozenset(found - {""})


def unbound(keys: Mapping[str, str]) -> frozenset[str]:
    """The binding ids ``[keys]`` sets to "": their keys reach the terminal pane's program
    (the palette and the help still reach their actions)."""
    return frozenset(binding_id for binding_id, key in keys.items() if not key.strip())
