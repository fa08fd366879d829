"""Errors that end a command with one line on stderr instead of a traceback."""

from __future__ import annotations


class TactError(Exception):
    """A runtime failure: exit status 1."""

    exit_code = 1


class BadInput(TactError):
    """Bad usage or bad input (e.g. `FILE:LINE: field: problem`): exit status 2."""

    exit_code = 2


#: Said after a refusal to read or write: the usual cause is a data directory shared by
#: several logins where one login's files stayed private (see the README).
SHARED_HINT = (
    "a directory shared by several moderators must be writable by their group: see the README, chmod -R g+rwX"
)


def os_error_line(err: OSError, what: str = "", where: object = None) -> str:
    """One line for a failed read or write: the file (`where`, else the error's), what failed
    (`what`), the system's reason, and for a refusal what usually causes it."""
    where = str(where or err.filename or "tact")
    why = err.strerror or str(err) or type(err).__name__
    line = f"{where}: {what + ': ' if what else ''}{why[:1].lower()}{why[1:]}"
    return f"{line} ({SHARED_HINT})" if isinstance(err, PermissionError) else line


class ActionNotSaved(TactError):
    """A moderator's action (the audit log) or choice (the health screen's KPIs) could not
    be saved: it does not count."""


def error_text(err: BaseException) -> str:
    """What a screen says of a failure: tact's own errors and the system's as their one
    line, anything else (a bug) with its type, which is what a bug report needs."""
    if isinstance(err, TactError):
        return str(err)
    if isinstance(err, OSError):
        return os_error_line(err)
    return f"{type(err).__name__}: {err}"
