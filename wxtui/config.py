"""The user's settings file, ``config.toml``: read and checked, never rewritten (except
the one ``theme`` line when the user picks a theme in the app).

```toml
theme = "nord"            # a Textual theme name
agent = "claude --model opus"   # the default agent command (after --agent and WXTUI_AGENT)
notifications = true      # bell and desktop notification when a session needs you
sidebar_width = 32        # the sidebar's starting width

[keys]                    # binding id = "key[,key...]"
inbox = "f6"
```
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from wxtui.errors import InvalidInput

SIDEBAR_WIDTHS = (16, 80)  # The columns sidebar_width may ask for (the window may allow fewer).
SETTINGS: Mapping[str, type] = {
    "theme": str,
    "agent": str,
    "notifications": bool,
    "sidebar_width": int,
}


class ConfigError(InvalidInput):
    """A settings file that cannot be used, said in one line naming the file and line."""


@dataclass(frozen=True, slots=True)
class Config:
    theme: str | None = None
    agent: str | None = None
    notifications: bool = True
    sidebar_width: int | None = None
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def config_path(environ: Mapping[str, str]) -> Path:
    configured = environ.get("WXTUI_CONFIG")
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_config_dir("wxtui", appauthor=False)) / "config.toml"


def _line_of(text: str, key: str, table: str | None = None) -> int:
    """The line where ``key`` is set (in ``[table]`` when given), 1-based; 0 if not found."""
    in_table = table is None
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = table is not None and stripped.strip("[] ") == table
            if table is None:
                in_table = False
            continue
        if in_table and pattern.match(line):
            return number
    return 0


def load_config(path: Path) -> Config:
    """The settings in ``path`` (defaults when it does not exist); ConfigError otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, object] = {}
    for key, value in data.items():
        if key == "keys":
            continue
        expected = SETTINGS.get(key)
        line = _line_of(text, key)
        if expected is None:
            raise ConfigError(f"{path}:{line}: unknown setting {key!r}")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{path}:{line}: {key} must be a {expected.__name__}")
        width = value if key == "sidebar_width" and isinstance(value, int) else None
        if width is not None and not SIDEBAR_WIDTHS[0] <= width <= SIDEBAR_WIDTHS[1]:
            low, high = SIDEBAR_WIDTHS
            raise ConfigError(f"{path}:{line}: sidebar_width must be {low} to {high} columns")
        values[key] = value
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'keys')}: keys must be a table")
    for binding_id, keys_value in keys.items():
        if not isinstance(keys_value, str):  # "" unbinds: the key goes to the pane.
            line = _line_of(text, binding_id, "keys")
            raise ConfigError(f'{path}:{line}: keys.{binding_id} must be a key name (or "")')
    return Config(keys=dict(keys), path=path, **values)  # type: ignore[arg-type]


def key_line(path: Path, binding_id: str) -> int:
    return setting_line(path, binding_id, "keys")


def setting_line(path: Path, key: str, table: str | None = None) -> int:
    """The line of ``key`` (in ``table``) in the settings file; 0 when not found."""
    try:
        return _line_of(path.read_text(encoding="utf-8"), key, table)
    except OSError:
        return 0


def save_theme(path: Path, theme: str) -> None:
    """Set the ``theme`` line (added at the top when missing); nothing else changes."""
    line = f"theme = {theme!r}".replace("'", '"')
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines(keepends=True)
    number = _line_of(text, "theme")
    if number:
        lines[number - 1] = line + "\n"
    else:
        lines.insert(0, line + "\n")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("".join(lines), encoding="utf-8")
    os.replace(temporary, path)


def default_agent(cli_agent: str | None, environ: Mapping[str, str], config: Config) -> str | None:
    """The agent for projects without a command of their own, as far as the caller
    decides it (SPEC order: ``--agent``, then ``$WXTUI_AGENT``, which the launch reads
    from the environment, then the settings file; ``claude`` after all of them)."""
    if cli_agent:
        return cli_agent
    return None if environ.get("WXTUI_AGENT") else config.agent
