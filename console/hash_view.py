"""The picture hashes a console keeps between runs, packed.

At a million posts a console holds the hashes of ~72,000 pictures, 18 64-bit values each.
As `ImageHashes` objects (a tuple of Python ints: 36 bytes an int) that was ~78 MiB; packed
in one `array('Q')` it is ~10 MiB, plus the paths and a row number per path. `HashView` is a
read-only `Mapping[str, ImageHashes]` over that storage that builds the `ImageHashes` a
lookup asks for (equal to the one the plain build would hold, `hashes` a tuple of ints).

A view never changes once handed out: `updated` makes a new view that shares the old one's
rows and appends the records written since (a re-hashed picture gets a new row; its old row
stays for the old view). It also says which paths changed between the two (`changed_since`),
which is how a detector that kept what it read last run knows it still holds.
"""

from __future__ import annotations

import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, pairwise
from operator import eq
from typing import Any, TypeVar, overload

from console.storage import framed, unframed
from heuristics.detector import ImageHashes

T = TypeVar("T")

#: How many updates a view remembers the changed paths of (a console has one per import).
HISTORY = 32

_ABSENT = -1
"""In a view's overlay: the path had hashes in the base and has none now."""

_MAGIC = b"tact hash view 1\n"


def _hash_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 16)
        except ValueError:
            return None
    return None


_INT = {int}


def record_values(rec: Mapping[str, Any]) -> tuple[str, list[int]] | None:
    """(kind, values) of one stored hash record, tolerant of int or hex values.

    A record holds "kind" and either "hashes" (a list, in the order the kind names them)
    or a single "hash"; a record that holds neither, an empty list or a value that is not an
    int or a hex string is skipped (None) rather than guessed.
    """
    raw = rec.get("hashes")
    if raw is None and "hash" in rec:
        raw = [rec["hash"]]
    if not isinstance(raw, list) or not raw:
        return None
    kind = str(rec.get("kind", ""))
    if set(map(type, raw)) == _INT:  # what tact's own hashing stores (no bools)
        return kind, raw
    try:  # hex strings (one C-level conversion each)
        return kind, [int(v, 16) for v in raw]
    except (TypeError, ValueError):
        pass
    values = [_hash_value(v) for v in raw]
    if any(v is None for v in values):
        return None
    return kind, [v for v in values if v is not None]


class _Rows:
    """Append-only packed rows shared by the views made from one another: a view reads only
    the rows its paths name, and no row is ever written again, so appending for a newer view
    (or for two made from the same view) changes nothing an older one reads."""

    def __init__(self) -> None:
        self.values = array("Q")
        self.starts = array("Q", [0])
        """Row i is values[starts[i]:starts[i + 1]]."""
        self.kinds: list[str] = []
        self.odd: dict[int, tuple[int, ...]] = {}
        """Rows whose values do not fit 64 unsigned bits (kept as given; never tact's own)."""
        self._kind_of: dict[str, str] = {}
        self._unpack: dict[int, Callable[[array[int], int], tuple[int, ...]]] = {}
        self.lock = threading.Lock()
        """Held while appending (a console may run the engine in two threads at once)."""

    def __len__(self) -> int:
        return len(self.kinds)

    def append(self, kind: str, values: list[int]) -> int:
        row = len(self.kinds)
        try:
            self.values.extend(values)
        except (OverflowError, TypeError):
            # extend() may have appended some values before failing: drop them.
            del self.values[self.starts[-1] :]
            self.odd[row] = tuple(values)
        self.starts.append(len(self.values))
        self.kinds.append(self._kind_of.setdefault(kind, kind))
        return row

    def entry(self, path: str, row: int) -> ImageHashes:
        odd = self.odd.get(row) if self.odd else None
        if odd is not None:
            return ImageHashes(path, self.kinds[row], odd)
        start, end = self.starts[row], self.starts[row + 1]
        # One C call from the buffer to a tuple of ints (a slice then tuple() costs ~40 % more).
        unpack = self._unpack.get(end - start)
        if unpack is None:
            unpack = self._unpack[end - start] = struct.Struct(f"={end - start}Q").unpack_from
        return ImageHashes(path, self.kinds[row], unpack(self.values, start * 8))


class HashView(Mapping[str, ImageHashes]):
    """A read-only picture-path → `ImageHashes` mapping over packed rows (see the module)."""

    __slots__ = ("_base", "_len", "_overlay", "_rows", "_steps", "_version")

    def __init__(
        self,
        rows: _Rows,
        base: dict[str, int],
        overlay: dict[str, int],
        steps: tuple[tuple[object, frozenset[str]], ...] = (),
    ) -> None:
        self._rows = rows
        self._base = base
        self._overlay = overlay
        """Paths changed since `base` was made: their row, or _ABSENT."""
        added = sum(1 for p, r in overlay.items() if r != _ABSENT and p not in base)
        dropped = sum(1 for p, r in overlay.items() if r == _ABSENT and p in base)
        self._len = len(base) + added - dropped
        self._version = object()
        self._steps = steps
        """(an earlier view's version, the paths changed from it to the next), oldest first."""

    @classmethod
    def build(cls, records: Mapping[str, Mapping[str, Any]]) -> HashView:
        """The view of the store's hash records (bad records skipped: `record_values`)."""
        rows = _Rows()
        base: dict[str, int] = {}
        for path, rec in records.items():
            found = record_values(rec)
            if found is not None:
                base[path] = rows.append(*found)
        return cls(rows, base, {})

    def updated(self, records: Mapping[str, Mapping[str, Any]]) -> HashView:
        """This view with `records` (written since it was made) in place of what it had for
        them: a path whose new record is bad has no hashes any more. This view is unchanged."""
        rows = self._rows
        overlay = dict(self._overlay)
        with rows.lock:
            for path, rec in records.items():
                found = record_values(rec)
                overlay[path] = _ABSENT if found is None else rows.append(*found)
        base = self._base
        if len(overlay) * 8 > len(base):  # fold the overlay in: lookups stay one dict deep
            base = {**base, **overlay}
            for path in [p for p, r in overlay.items() if r == _ABSENT]:
                del base[path]
            overlay = {}
        steps = (*self._steps[-(HISTORY - 1) :], (self._version, frozenset(records)))
        return HashView(rows, base, overlay, steps)

    def dump(self) -> bytes | None:
        """This view as bytes (`load` reads them back) when it is a plain build: every path
        its own row, in order, none changed since, no value beyond 64 bits. A fresh process
        then starts from the packed rows instead of parsing and packing 100,000 records
        (`console.store.ViewFile`, `console.signals_service.HASH_VIEW_FILE`)."""
        rows = self._rows
        base = self._base
        plain = not self._overlay and not rows.odd and len(rows) == len(base)
        if not plain or not all(map(eq, base.values(), range(len(base)))):
            return None
        kinds = list(dict.fromkeys(rows.kinds))
        if len(kinds) > 255:
            return None
        number = {kind: i for i, kind in enumerate(kinds)}
        head = {"byteorder": sys.byteorder, "paths": list(base), "kinds": kinds, "values": len(rows.values)}
        kind_of_row = bytes(number[kind] for kind in rows.kinds)
        return framed(_MAGIC, head, kind_of_row, rows.values.tobytes(), rows.starts.tobytes())

    @classmethod
    def load(cls, raw: bytes | memoryview) -> HashView | None:
        """The view `dump` wrote, or None for bytes that are not one (damaged, or another
        machine's byte order)."""
        found = unframed(_MAGIC, raw)
        if found is None:
            return None
        head, raw = found
        at = 0
        try:
            paths, kinds, count = head["paths"], head["kinds"], head["values"]
            if head.get("byteorder") != sys.byteorder or type(count) is not int:
                return None
            if not isinstance(paths, list) or not isinstance(kinds, list):
                return None
            if not all(isinstance(p, str) for p in paths) or not all(isinstance(k, str) for k in kinds):
                return None
            n = len(paths)
            rows = _Rows()
            rows.kinds = [kinds[i] for i in raw[at : at + n]]
            rows._kind_of = {kind: kind for kind in kinds}
            at += n
            rows.values.frombytes(raw[at : at + 8 * count])
            at += 8 * count
            starts = array("Q")
            starts.frombytes(raw[at:])
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        whole = len(rows.kinds) == n and len(rows.values) == count and len(starts) == n + 1
        if not whole or starts[0] != 0 or starts[-1] != count or any(a > b for a, b in pairwise(starts)):
            return None
        rows.starts = starts
        base = dict(zip(paths, range(n), strict=True))
        return cls(rows, base, {}) if len(base) == n else None

    @property
    def version(self) -> object:
        return self._version

    def changed_since(self, version: object) -> frozenset[str] | None:
        if version is self._version:
            return frozenset()
        changed: list[frozenset[str]] = []
        for before, paths in reversed(self._steps):
            changed.append(paths)
            if before is version:
                return frozenset(chain.from_iterable(changed))
        return None

    def _row(self, path: str) -> int | None:
        row = self._overlay.get(path) if self._overlay else None
        if row is None:
            return self._base.get(path)
        return None if row == _ABSENT else row

    def __getitem__(self, path: str) -> ImageHashes:
        row = self._row(path)
        if row is None:
            raise KeyError(path)
        return self._rows.entry(path, row)

    @overload
    def get(self, path: str, /) -> ImageHashes | None: ...
    @overload
    def get(self, path: str, default: ImageHashes, /) -> ImageHashes: ...
    @overload
    def get(self, path: str, default: T, /) -> ImageHashes | T: ...
    def get(self, path: str, default: object = None, /) -> object:
        row = self._row(path)
        return default if row is None else self._rows.entry(path, row)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._row(path) is not None

    def __iter__(self) -> Iterator[str]:
        overlay = self._overlay
        for path in self._base:
            if overlay.get(path) != _ABSENT:
                yield path
        base = self._base
        for path, row in overlay.items():
            if row != _ABSENT and path not in base:
                yield path

    def __len__(self) -> int:
        return self._len

    def nbytes(self) -> int:
        """The bytes of packed values this view's storage holds (rows of other views too)."""
        rows = self._rows
        return rows.values.itemsize * len(rows.values) + rows.starts.itemsize * len(rows.starts)
