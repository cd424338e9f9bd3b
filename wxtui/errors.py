"""Exceptions shared by every layer, so the CLI and the app can map them to exit codes and panes."""

from __future__ import annotations


class WxtuiError(Exception):
    """A failure that deserves a one-line message rather than a traceback (exit status 1)."""

    exit_code = 1


class InvalidInput(WxtuiError):
    """The user asked for something that cannot be done as given (exit status 2)."""

    exit_code = 2


class NotFound(InvalidInput):
    """An unknown project or milestone."""


class DatabaseRefused(InvalidInput):
    """The database file is not ours or is too new: we refuse to touch it."""


class DatabaseBusy(WxtuiError):
    """Another process held the database's write lock for longer than we wait: the
    write may be tried again."""
