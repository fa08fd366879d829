"""A progress bar for long command-line work (import, demo, hashing), drawn on stderr.

stdout stays clean for what scripts read (JSON lines, paths); the bar goes to stderr and
only when stderr is a terminal, so pipes, CI logs and tests see no escape sequences.

    with ProgressBar() as bar:
        task = bar.task("Reading", total=len(lines))
        for line in lines:
            ...
            task.advance()
        store.save_posts(posts, progress=bar.task("Saving", total=len(posts)))

A `Task` is also a plain `Callable[[int], None]` taking "how many done so far", the shape
`Store.save_posts` and `ensure_hashes` call back with.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Task:
    """One line of the bar. A no-op when the bar is off."""

    def __init__(
        self, progress: Progress | None, task_id: TaskID | None, total: int | None, redraw: bool = False
    ) -> None:
        self._progress = progress
        self._id = task_id
        self.total = total
        self.completed = 0
        self._redraw = redraw

    def advance(self, n: int = 1) -> None:
        self.update(self.completed + n)

    def update(self, completed: int) -> None:
        self.completed = completed
        if self._progress is not None and self._id is not None:
            self._progress.update(self._id, completed=completed)
            if self._redraw:
                self._progress.refresh()

    def __call__(self, completed: int) -> None:
        self.update(completed)

    def finish(self) -> None:
        """Mark the task complete (e.g. when fewer items needed work than announced)."""
        if self.total is not None:
            self.update(self.total)


class ProgressBar:
    """A rich progress display on stderr; silent when stderr is not a terminal.

    `enabled=None` decides from the stream; tests pass a stream or `enabled=False`. With
    `threaded=False` the bar redraws when a task moves instead of from a thread of its own ten
    times a second: `tact signals` forks a big run only from a single-threaded process.
    """

    def __init__(
        self, enabled: bool | None = None, stream: TextIO | None = None, threaded: bool = True
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self._stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.threaded = threaded
        self._progress: Progress | None = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self._stream, stderr=self._stream is sys.stderr),
                transient=False,
                auto_refresh=self.threaded,
            )
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def task(self, description: str, total: int | None = None) -> Task:
        """A new line of the bar. `description` must be our own words, never member content
        (rich reads it as markup)."""
        if self._progress is None:
            return Task(None, None, total)
        task = Task(
            self._progress, self._progress.add_task(description, total=total), total, not self.threaded
        )
        if not self.threaded:
            self._progress.refresh()
        return task


def quiet() -> ProgressBar:
    """A bar that never draws (library use, tests)."""
    return ProgressBar(enabled=False)
