"""A file lock made on first use.

`filelock` is some 25 modules (~25 ms of a launch that must stay under a second). The console
opens the store and the audit log at launch but locks only when it writes, so the import
waits until then.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import FileLock


class LazyFileLock:
    """One `FileLock` on `path`, made the first time it is asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: FileLock | None = None
        self._making = threading.Lock()
        """Two threads asking at once get the same lock (it is reentrant only with itself)."""

    def get(self) -> FileLock:
        if self._lock is None:
            with self._making:
                if self._lock is None:
                    from filelock import FileLock

                    self._lock = FileLock(self.path)
        return self._lock
