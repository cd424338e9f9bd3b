"""Desktop notifications through ``notify-send`` (libnotify), for terminals that show
neither OSC 9 nor OSC 777. Never waited on: a notification daemon that hangs or is
missing costs the UI nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import Mapping

log = logging.getLogger(__name__)

NOTIFY_TIMEOUT = 5.0  # A notify-send still running after this is ended.


class DesktopNotifier:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        self._command = shutil.which("notify-send", path=environ.get("PATH"))
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def available(self) -> bool:
        return self._command is not None

    def notify(self, title: str, body: str) -> None:
        if self._command is None:
            return
        task = asyncio.get_running_loop().create_task(self._run(self._command, title, body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, command: str, title: str, body: str) -> None:
        try:
            process = await asyncio.create_subprocess_exec(
                command,
                "--app-name=wxtui",
                "--",
                title,
                body,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                env=self._environ,
            )
        except OSError as error:
            log.warning("notify-send failed: %s", error)
            return
        try:
            await asyncio.wait_for(process.wait(), NOTIFY_TIMEOUT)
        except (TimeoutError, asyncio.CancelledError):
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
