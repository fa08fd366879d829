"""A TinyDB storage that parses with orjson and never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    Temporary file in the same folder, fsync, rename over the target, fsync the folder:
    a crash (even `kill -9` or power loss) leaves either version intact.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_json(path: Path) -> Any | None:
    """The parsed content of a JSON file, or None when it does not exist or is empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return orjson.loads(raw) if raw else None


def write_json(path: Path, value: Any) -> None:
    atomic_write_bytes(path, orjson.dumps(value))


class OrjsonStorage(Storage):
    """TinyDB storage: one JSON file, parsed by orjson, replaced atomically on write."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json(self._path)
        return data if isinstance(data, dict) else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json(self._path, data)

    def close(self) -> None:  # nothing is held open between calls
        pass
