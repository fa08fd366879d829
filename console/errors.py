"""Errors that end a command with one line on stderr instead of a traceback."""

from __future__ import annotations


class TactError(Exception):
    """A runtime failure: exit status 1."""

    exit_code = 1


class BadInput(TactError):
    """Bad usage or bad input (e.g. `FILE:LINE: field: problem`): exit status 2."""

    exit_code = 2
