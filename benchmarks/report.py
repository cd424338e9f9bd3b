"""The results table: each figure beside its same-run baseline, printed as it is measured
and written to RESULTS.md at the end."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyte
import textual


@dataclass(frozen=True)
class Row:
    section: str
    figure: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: str


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def record(
        self,
        section: str,
        figure: str,
        value: str,
        baseline: str = "",
        ratio: str = "",
        target: str = "",
        met: bool | None = None,
    ) -> None:
        shown = "" if met is None else ("yes" if met else "**no**")
        self.rows.append(Row(section, figure, value, baseline, ratio, target, shown))
        print(f"[{section}] {figure}: {value} | {baseline} | {ratio} | {target}", flush=True)

    def summary(self) -> str:
        return "\n".join(
            f"{r.figure}: {r.value} | {r.baseline} | {r.ratio} | met {r.met}" for r in self.rows
        )

    def write(self, path: Path, command: str, started: float) -> None:
        pyte_version = getattr(pyte, "__version__", "0.8.2")
        lines = [
            "# wxtui benchmark results",
            "",
            f"Made by `{command}` in {time.time() - started:.0f} s.",
            "",
            f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}, textual {textual.__version__}, "
            f"pyte {pyte_version}",
            "- every figure is a median; the baseline beside it was measured in the same run",
            "",
            "| section | figure | value | baseline (same run) | ratio | target | met |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines.extend(
            f"| {r.section} | {r.figure} | {r.value} | {r.baseline} | {r.ratio} | {r.target} "
            f"| {r.met} |"
            for r in self.rows
        )
        path.write_text("\n".join(lines) + "\n")
