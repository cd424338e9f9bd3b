"""Our emulator against a real terminal: tmux shows every corpus stream, we must show the same text."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support.conformance_corpus import CORPUS
from tests.support.term import Term

COLUMNS, LINES = 100, 30

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _visible(rows: list[str]) -> list[str]:
    rows = [row.rstrip() for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.fixture(scope="module")
def tmux_screens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("conformance")
    socket = f"wxtui-conformance-{os.getpid()}"
    config = root / "tmux.conf"
    config.write_text("set -g status off\nset -g history-limit 0\n")
    base = ["tmux", "-L", socket, "-f", str(config)]
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    screens: dict[str, list[str]] = {}
    try:
        for name, data in CORPUS.items():
            path = root / f"{name}.bin"
            path.write_bytes(data)
            command = f"stty -onlcr; cat {path}; tmux wait-for -S {name}; sleep 120"
            subprocess.run(
                [
                    *base,
                    "new-session",
                    "-d",
                    "-s",
                    name,
                    "-x",
                    str(COLUMNS),
                    "-y",
                    str(LINES),
                    command,
                ],
                check=True,
                env=env,
            )
        for name in CORPUS:
            subprocess.run([*base, "wait-for", name], check=True, env=env, timeout=30)
            captured = subprocess.run(
                [*base, "capture-pane", "-p", "-t", name],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            ).stdout
            screens[name] = _visible(captured.split("\n"))
    finally:
        subprocess.run([*base, "kill-server"], env=env, capture_output=True)
    return screens


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name", list(CORPUS))
def test_same_visible_text_as_tmux(name: str, tmux_screens: dict[str, list[str]]) -> None:
    term = Term(COLUMNS, LINES).feed(CORPUS[name])
    assert _visible(term.emulator.display()) == tmux_screens[name]


def test_tmux_screens_are_not_empty(tmux_screens: dict[str, list[str]]) -> None:
    assert all(tmux_screens[name] for name in CORPUS)
