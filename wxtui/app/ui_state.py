"""What the UI remembers between runs (the sidebar's width and whether it is shown).

A small JSON file in the platform's user state directory. A file that cannot be read is
ignored and left as it is: wxtui then neither trusts nor overwrites it.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from wxtui.config import SIDEBAR_WIDTHS

log = logging.getLogger(__name__)

MIN_SIDEBAR, MAX_SIDEBAR = SIDEBAR_WIDTHS


@dataclass
class UiState:
    sidebar_width: int | None = None  # None: fit the terminal (see default_sidebar_width).
    sidebar_hidden: bool = False
    # config.toml's sidebar_width when the user resized: a new value there wins again.
    configured_width: int | None = None
    # The project shown when the UI last quit, per database: the next UI shows it again.
    last_project: dict[str, str] = field(default_factory=dict)
    # Remotes whose projects the sidebar hides under their heading.
    collapsed_machines: list[str] = field(default_factory=list)


def default_sidebar_width(columns: int) -> int:
    """36 columns on a wide terminal; on a narrow one the agent keeps at least 52."""
    return max(MIN_SIDEBAR + 6, min(36, columns - 52))


def _optional_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def state_path() -> Path:
    return Path(platformdirs.user_state_dir("wxtui", appauthor=False)) / "ui.json"


class UiStateFile:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_path()
        self._writable = True

    def load(self) -> UiState:
        try:
            data = json.loads(self.path.read_text())
            width = data.get("sidebar_width")
            state = UiState(
                sidebar_width=None
                if width is None
                else max(MIN_SIDEBAR, min(MAX_SIDEBAR, int(width))),
                sidebar_hidden=bool(data.get("sidebar_hidden", False)),
                configured_width=_optional_int(data.get("configured_width")),
                last_project={
                    str(db): str(project)
                    for db, project in dict(data.get("last_project") or {}).items()
                },
                collapsed_machines=[str(n) for n in list(data.get("collapsed_machines") or [])],
            )
        except FileNotFoundError:
            return UiState()
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("ignoring %s: %s", self.path, exc)
            self._writable = False
            return UiState()
        return state

    def save(self, state: UiState) -> None:
        if not self._writable:
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(asdict(state)))
            os.chmod(temporary, 0o600)
            temporary.replace(self.path)
        except OSError as exc:
            log.warning("cannot save %s: %s", self.path, exc)
