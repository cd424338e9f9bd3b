"""Driving a program in a real terminal: tmux with send-keys and capture-pane."""

from __future__ import annotations

import os
import subprocess
import time


class Tmux:
    """One tmux session on a private server, for driving the installed app as a user."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.base = ["tmux", "-L", f"wxtui-{name}-{os.getpid()}", "-f", "/dev/null"]
        self.env = {k: v for k, v in os.environ.items() if k != "TMUX"}

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True, env=self.env
        ).stdout

    def start(self, command: str, columns: int = 160, lines: int = 45, history: int = 2000) -> None:
        """``history``: how many lines the pane keeps above its screen."""
        self.run(
            "start-server",
            ";",
            "set-option",
            "-g",
            "history-limit",
            str(history),
            ";",
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(columns),
            "-y",
            str(lines),
            command,
        )

    def history(self) -> str:
        """The pane's history and screen."""
        return self.run("capture-pane", "-p", "-S", "-", "-E", "-", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")
            time.sleep(0.05)

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)
