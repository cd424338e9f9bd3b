"""A minimal host app for the terminal widget: one TerminalView running one real program."""

from __future__ import annotations

from textual.app import App, ComposeResult

from wxtui.sessions.pty import BidirectionalPTY
from wxtui.terminal.widget import TerminalView


class TerminalApp(App[None]):
    def __init__(
        self, argv: list[str], env: dict[str, str] | None = None, cwd: str | None = None
    ) -> None:
        super().__init__()
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.pty: BidirectionalPTY | None = None
        self.exit_code: int | None = None
        self.bells = 0
        self.titles: list[str] = []
        self.received = 0  # Bytes of output so far.

    def compose(self) -> ComposeResult:
        yield TerminalView(reserved_keys=frozenset({"ctrl+q"}))

    @property
    def view(self) -> TerminalView:
        return self.query_one(TerminalView)

    def start(self) -> None:
        view = self.view
        self.pty = BidirectionalPTY.spawn(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            rows=view.emulator.lines,
            cols=view.emulator.columns,
            on_output=self._output,
            on_exit=self._exited,
        )
        view.writer = self.pty.write
        view.focus()

    def _output(self, data: bytes) -> None:
        self.received += len(data)
        self.view.feed(data)

    def _exited(self, code: int) -> None:
        self.exit_code = code

    def on_terminal_view_resized(self, event: TerminalView.Resized) -> None:
        if self.pty is not None:
            self.pty.resize(event.rows, event.columns)

    def on_terminal_view_bell(self, event: TerminalView.Bell) -> None:
        self.bells += 1

    def on_terminal_view_title_changed(self, event: TerminalView.TitleChanged) -> None:
        self.titles.append(event.title)

    async def on_unmount(self) -> None:
        if self.pty is not None:
            await self.pty.close(grace=0.5)

    def screen_text(self) -> str:
        return "\n".join(self.view.emulator.display())
