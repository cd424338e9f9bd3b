"""A pyte-based terminal emulator and Textual widget, independent of the rest of wxtui."""

from wxtui.terminal.emulator import TerminalEmulator

__all__ = ["TerminalEmulator"]
