"""What the command line prints: JSON, and tables of aligned columns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wxtui.models import OutputProject


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def print_table(rows: list[tuple[str, ...]]) -> None:
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))


def print_sessions(
    projects: list[OutputProject], states: Mapping[str, tuple[str, str]], *, as_json: bool
) -> None:
    """``session list``: each project's conversation and its agent's last state."""
    rows = [
        {
            "output_project_id": p.id,
            "name": p.name,
            "claude_session_id": p.claude_session_id,
            "state": states.get(p.id, ("not-started", ""))[0],
            "reason": states.get(p.id, ("not-started", ""))[1],
        }
        for p in projects
    ]
    if as_json:
        print_json(rows)
        return
    print_table(
        [
            (
                str(r["output_project_id"]),
                r["claude_session_id"] or "-",
                str(r["state"]),
                str(r["name"]),
            )
            for r in rows
        ]
    )
