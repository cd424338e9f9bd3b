"""wxtui: one persistent Claude Code session per project, in a keyboard-driven terminal UI."""

__version__ = "0.1.0"
