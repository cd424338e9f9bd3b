"""Python memory per emulator, empty and with 10,000 lines of scrollback."""

from __future__ import annotations

import pyte

from benchmarks.corpora import CORPORA
from benchmarks.measure import COLUMNS, LINES, traced_bytes
from benchmarks.report import Report
from wxtui.terminal.emulator import TerminalEmulator


def first_lines(data: bytes, count: int) -> bytes:
    """The corpus up to its ``count``-th line end: just enough to fill the history."""
    end = 0
    for _ in range(count):
        end = data.find(b"\r\n", end) + 2
        if end == 1:
            return data
    return data[:end]


def _mb(size: float) -> str:
    return f"{size / 1e6:.2f} MB"


def bench_memory(report: Report) -> None:
    empty, _views = traced_bytes(lambda: [TerminalEmulator(COLUMNS, LINES) for _ in range(20)])
    report.record("memory", f"memory per emulator, empty {COLUMNS}x{LINES} screen", _mb(empty / 20))
    for name in ("plain", "colour"):
        data = first_lines(CORPORA[name](8_000_000), 10_000 + 2 * LINES)

        def ours(data: bytes = data) -> TerminalEmulator:
            emulator = TerminalEmulator(COLUMNS, LINES, scrollback=10_000)
            emulator.feed(data)
            return emulator

        def stock(data: bytes = data) -> pyte.HistoryScreen:
            history = pyte.HistoryScreen(COLUMNS, LINES, history=10_000)
            pyte.ByteStream(history).feed(data)
            return history

        ours_bytes, emulator = traced_bytes(ours)
        assert isinstance(emulator, TerminalEmulator)
        lines = len(emulator.history)
        del emulator
        stock_bytes, history = traced_bytes(stock)
        del history
        report.record(
            "memory",
            f"memory per session with {lines} lines of scrollback ({name})",
            _mb(ours_bytes),
            f"pyte HistoryScreen {_mb(stock_bytes)}",
            f"{ours_bytes / max(stock_bytes, 1):.2f}x",
            "≤ 15 MB and < 0.25x HistoryScreen",
            ours_bytes <= 15e6 and ours_bytes < 0.25 * stock_bytes,
        )
