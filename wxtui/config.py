"""The user's settings file, ``config.toml``: read and checked, never rewritten (except
the one ``theme`` line when the user picks a theme in the app, and the ``[remotes.NAME]``
table that ``wxtui remote add`` and ``remote remove`` write or take out).

```toml
theme = "nord"            # a Textual theme name
agent = "claude --model opus"   # the default agent command (after --agent and WXTUI_AGENT)
notifications = true      # bell and desktop notification when a session needs you
sidebar_width = 32        # the sidebar's starting width

[keys]                    # binding id = "key[,key...]"
inbox = "f6"

[remotes.buildbox]        # another machine's agents: a command that speaks its host
command = "ssh -T buildbox wxtui host --stdio"
```
"""

from __future__ import annotations

import json
import os
import re
import shlex
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
    remotes: dict[str, str] = field(default_factory=dict)  # name -> command
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
        if key in ("keys", "remotes"):
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
    remotes = _remotes(path, text, data.get("remotes", {}))
    return Config(keys=dict(keys), remotes=remotes, path=path, **values)  # type: ignore[arg-type]


REMOTE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


def check_remote_name(name: str) -> str:
    """A remote's name: letters, digits, ``_.-`` (it is written ``NAME:PROJECT``)."""
    if not REMOTE_NAME.fullmatch(name):
        raise InvalidInput(f"a remote's name is letters, digits, '_', '.' and '-' (not {name!r})")
    return name


def _remotes(path: Path, text: str, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{_line_of(text, 'remotes')}: remotes must be a table")
    remotes: dict[str, str] = {}
    for name, entry in table.items():
        line = _header_line(text, name) or _line_of(text, "command")
        if not REMOTE_NAME.fullmatch(name):
            raise ConfigError(f"{path}:{line}: a remote's name is letters, digits, '_.-'")
        command = entry.get("command") if isinstance(entry, dict) else None
        if not isinstance(command, str) or not command.strip():
            raise ConfigError(f"{path}:{line}: remotes.{name} needs a command (text)")
        if unknown := sorted(set(entry) - {"command"}):
            raise ConfigError(f"{path}:{line}: unknown setting remotes.{name}.{unknown[0]}")
        if (why := _unreadable(command)) is not None:
            raise ConfigError(f"{path}:{line}: remotes.{name}: its command cannot be read: {why}")
        remotes[name] = command
    return remotes


def _unreadable(command: str) -> str | None:
    """Why a command line cannot be split into words as a shell would (None: it can)."""
    try:
        shlex.split(command)
    except ValueError as exc:
        return str(exc)
    return None


def _header_line(text: str, name: str) -> int:
    """The line of ``[remotes.NAME]``; 0 when the remote is not written that way."""
    header = re.compile(rf"^\s*\[\s*remotes\s*\.\s*[\"']?{re.escape(name)}[\"']?\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            return number
    return 0


def add_remote(path: Path, name: str, command: str) -> None:
    """Write ``[remotes.NAME]`` at the end of the settings file (which must be valid);
    ConfigError if the name is taken."""
    check_remote_name(name)
    if not command.strip():
        raise InvalidInput("a remote needs a command (after --)")
    if (why := _unreadable(command)) is not None:
        raise InvalidInput(f"the command cannot be read: {why}")
    config = load_config(path)
    if name in config.remotes:
        raise ConfigError(f"{path}: a remote named {name!r} exists (remote remove it first)")
    text = _read(path)
    section = f"[remotes.{name}]\ncommand = {json.dumps(command, ensure_ascii=False)}\n"
    separator = (
        "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    )
    _write(path, text + separator + section)


def remove_remote(path: Path, name: str) -> None:
    """Take ``[remotes.NAME]`` and its lines out of the settings file."""
    config = load_config(path)
    if name not in config.remotes:
        raise InvalidInput(f"no remote named {name!r} in {path}")
    text = _read(path)
    start = _header_line(text, name)
    if not start:
        raise ConfigError(
            f"{path}: remotes.{name} is not a [remotes.{name}] table: edit it by hand"
        )
    lines = text.splitlines(keepends=True)
    end = start
    while end < len(lines) and not lines[end].lstrip().startswith("["):
        end += 1
    if end == len(lines):  # The last table: the blank lines before it go too.
        while start > 1 and not lines[start - 2].strip():
            start -= 1
    remaining = "".join(lines[: start - 1] + lines[end:])
    _write(path, remaining)
    if name in load_config(path).remotes:  # Never leave a file half edited unnoticed.
        _write(path, text)
        raise ConfigError(f"{path}: remotes.{name} could not be removed: edit it by hand")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _write(path: Path, text: str) -> None:
    """The whole file, replaced at once (a reader never sees half of it)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


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
    _write(path, "".join(lines))


def default_agent(cli_agent: str | None, environ: Mapping[str, str], config: Config) -> str | None:
    """The agent for projects without a command of their own, as far as the caller
    decides it (SPEC order: ``--agent``, then ``$WXTUI_AGENT``, which the launch reads
    from the environment, then the settings file; ``claude`` after all of them)."""
    if cli_agent:
        return cli_agent
    return None if environ.get("WXTUI_AGENT") else config.agent
