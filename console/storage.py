"""A TinyDB storage that parses with orjson and never leaves a half-written file, and the
reading of a large file with the small tail of what was written since (`read_tail`)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    Temporary file in the same folder, fsync, rename over the target, fsync the folder:
    a crash (even `kill -9` or power loss) leaves either version intact.

    `durable=False` is for caches, derived files a reader rebuilds when they are missing or
    damaged: renamed into place without the fsyncs. A `kill -9` still leaves either version
    (the written pages outlive the process); only a power loss may leave a torn file, which
    reads as damaged. An fsync flushes the file system's journal, so one just after an import
    waits for the import's own writes to reach the disk too (0.5 s seen for a 2 MB file).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if not durable:
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _new_temporary(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, open for writing, with the mode any new file gets (0666
    less the umask). `mkstemp` makes it 0600, and the rename gives that mode to `path`:
    another moderator's login, in the group a shared data directory belongs to, could then
    no longer read the file (nor the store at all)."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:  # (one chance in 2**48)
            continue


def read_json(path: Path) -> Any | None:
    """The parsed content of a JSON file, or None when it does not exist or is empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return orjson.loads(raw) if raw else None


def write_json(path: Path, value: Any, *, durable: bool = True) -> None:
    atomic_write_bytes(path, orjson.dumps(value), durable=durable)


def framed(magic: bytes, head: Any, *body: bytes) -> bytes:
    """A binary file that says what it is: `magic`, `head` as JSON after its length (8
    bytes), then `body` (`unframed` reads it back)."""
    encoded = orjson.dumps(head)
    return b"".join((magic, len(encoded).to_bytes(8, "little"), encoded, *body))


def unframed(magic: bytes, raw: bytes | memoryview) -> tuple[Any, memoryview] | None:
    """`framed`'s head, parsed, and its body (not copied); None when `raw` is not one."""
    view = memoryview(raw)
    at = len(magic) + 8
    if view[: len(magic)] != magic or len(view) < at:
        return None
    end = at + int.from_bytes(view[len(magic) : at], "little")
    try:
        head = orjson.loads(view[at:end]) if end <= len(view) else None
    except orjson.JSONDecodeError:
        return None
    return None if head is None else (head, view[end:])


def file_identity(path: Path) -> list[int]:
    """A file's identity: every write replaces the file (new inode, mtime, size); [] if none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def read_json_identified(path: Path) -> tuple[Any | None, list[int]]:
    """`read_json`, with the identity of the very file read (taken from the open file: the
    path may name a newer one by the time the caller looks). ValueError if damaged."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
    except FileNotFoundError:
        return None, []
    return (orjson.loads(raw) if raw else None), [st.st_mtime_ns, st.st_size, st.st_ino]


def new_token() -> str:
    """A name for a freshly written base file, which the tails written after it repeat."""
    return os.urandom(8).hex()


#: A tail is folded into its base once it outgrows both this many bytes and a sixteenth of
#: the base: a reader then parses at most a few percent of what the base costs it.
TAIL_MIN_BYTES = 256 * 1024
TAIL_SHARE = 16


def tail_fits(tail_bytes: int, base: Path) -> bool:
    """Whether a tail of `tail_bytes` may stay beside `base` rather than be compacted."""
    base_bytes = (file_identity(base) or [0, 0])[1]
    return tail_bytes <= max(TAIL_MIN_BYTES, base_bytes // TAIL_SHARE)


def read_tail(
    path: Path, base: Path, base_identity: list[int], token: str | None, token_of: Callable[[Any], Any]
) -> tuple[Any | None, list[int]] | None:
    """The tail file `path` of the base file `base`, read while `base` was the file whose
    identity is `base_identity` and whose token is `token`: (the parsed tail, or None when
    there is none for that base; the tail file's identity). None when `base` was replaced
    meanwhile: the caller's base and this tail may then not go together, read both again.

    Writers (under the store's lock) append by replacing the tail, naming the token of the
    base it extends; they compact by writing a new base (a new token) and then deleting the
    tail. A tail naming another token is the stale one of an older base, whose records the
    base holds (a compaction stopped before it deleted the tail). Base files never come back
    once replaced, so the base unchanged after the tail was read means the two go together.
    ValueError when the tail is damaged (no writer of tact leaves one).
    """
    doc, identity = read_json_identified(path)
    if file_identity(base) != base_identity:
        return None
    if token is None or not isinstance(doc, dict) or token_of(doc) != token:
        return None, identity
    return doc, identity


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
