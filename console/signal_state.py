"""The engine's state between runs, on disk: `DATA/derived/signals.json` and one file per kind.

The main file holds the watermark (post ids seen, month sums, member sums, digests) and, per
kind, its fingerprint and the name of the file holding its signals, one JSON document a
line. Kind files are written under a fresh name each time and never rewritten, and the main
file (written last, atomically) names the ones that belong together, so a crash leaves the
old state or the new one whole. A kind whose signals did not change keeps its file: after an
import only the kinds that moved are written. Kind files are read when first needed
(`SavedSignals`): a run that recomputes inactive members in full never parses the 45,000
check-ins it saved last time.
A console knows which line of its kind file each signal it holds came from: writing a kind
again copies the lines of the signals a detector kept and encodes only the new ones (at
scale, a day's few changed check-ins among 46,000, not the 46,000: ~0.5 s).

A missing, damaged or foreign-version state only means a full recompute.
"""

from __future__ import annotations

import contextlib
import numbers
import operator
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, overload

import orjson

from console.storage import atomic_write_bytes, read_json, write_json
from heuristics.engine import EngineState, KindState
from heuristics.model import Reply, Signal, format_time, parse_time

STATE_FILE = "signals.json"
STATE_VERSION = 6
KIND_PREFIX = "signals-"
#: Age past which a temporary file left in the state's folder is a dead write, not one under way.
STALE_TEMP_SECONDS = 3600.0
KIND_SUFFIX = ".jsonl"

Stamps = dict[str, list[int]]


# -- one signal as JSON (FORMATS.md) ---------------------------------------------------------


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Evidence as JSON values: times as FORMATS.md strings, tuples and sets as lists."""
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    # Detectors built on numpy hand back its scalars: numbers stay numbers.
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def signal_to_json(signal: Signal) -> dict[str, Any]:
    """The FORMATS.md object of a signal, plus "evidence" when the detector gave some."""
    doc: dict[str, Any] = {
        "id": signal.id,
        "kind": signal.kind,
        "score": float(signal.score),
        "at": format_time(signal.at),
        "posts": list(signal.posts),
        "members": list(signal.members),
        "reasons": list(signal.reasons),
        "reply": None
        if signal.reply is None
        else {
            "lang": signal.reply.lang,
            "visibility": signal.reply.visibility,
            "to": signal.reply.to,
            "text": signal.reply.text,
        },
        "status": signal.status,
    }
    if signal.evidence:
        # Most evidence is flat (ids, counts, flags): only nested values go through _plain.
        doc["evidence"] = {
            str(k): v if type(v) in _SCALARS else _plain(v) for k, v in signal.evidence.items()
        }
    return doc


def signal_from_json(doc: Mapping[str, Any]) -> Signal:
    reply = doc.get("reply")
    return Signal(
        id=doc["id"],
        kind=doc["kind"],
        score=float(doc["score"]),
        at=parse_time(doc["at"]),
        posts=tuple(doc.get("posts") or ()),
        members=tuple(doc.get("members") or ()),
        reasons=tuple(doc.get("reasons") or ()),
        reply=None
        if not reply
        else Reply(reply["lang"], reply["visibility"], reply.get("to"), reply.get("text", "")),
        status=doc.get("status", "open"),
        evidence=dict(doc.get("evidence") or {}),
    )


# -- one kind's saved signals, read on first use ---------------------------------------------


class StateLost(LookupError):
    """A kind file the state names is missing or does not hold what the state says."""


class SavedSignals(Sequence[Signal]):
    """The signals of one kind as saved in `path` (`size` of them, a line each), parsed
    when first used."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        self._signals: list[Signal] | None = None
        self._rows: dict[int, int] = {}

    @classmethod
    def held(cls, path: Path, signals: Sequence[Signal]) -> SavedSignals:
        """The signals just written to `path` (or read from it), kept as they are."""
        saved = cls(path, len(signals))
        saved._signals = list(signals)
        saved._rows = {id(s): row for row, s in enumerate(saved._signals)}
        return saved

    @property
    def loaded(self) -> bool:
        return self._signals is not None

    def _load(self) -> list[Signal]:
        if self._signals is None:
            try:
                lines = _read_lines(self.path)
                if len(lines) != self.size:
                    raise StateLost(f"{self.path.name}: not the {self.size} signals the state names")
                signals = [signal_from_json(orjson.loads(line)) for line in lines]
            except (orjson.JSONDecodeError, OSError, KeyError, TypeError, ValueError) as err:
                raise StateLost(f"{self.path.name}: {err}") from None
            self._rows = {id(s): row for row, s in enumerate(signals)}
            self._signals = signals
        return self._signals

    def lines_of(self, signals: Sequence[Signal]) -> list[bytes | None]:
        """Per signal, the line of this file it was read from or written as, if it is one of
        ours: a kind file is never rewritten, so reading the lines back saves encoding the
        signals a detector kept (at scale, 46,000 inactive members: ~0.5 s). The lines are
        read here rather than held: they would cost a console ~35 MiB."""
        rows = [self._rows.get(id(s)) for s in signals]
        lines: list[bytes] = []
        if self.loaded and any(row is not None for row in rows):
            with contextlib.suppress(OSError, ValueError):  # cleaned up meanwhile: encoded
                lines = _read_lines(self.path)
        if not lines or len(lines) != self.size:
            return [None] * len(signals)
        return [None if row is None else lines[row] for row in rows]

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> Signal: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Signal]: ...
    def __getitem__(self, i: int | slice) -> Signal | Sequence[Signal]:
        return self._load()[i]

    def __iter__(self) -> Iterator[Signal]:
        return iter(self._load())


def _read_lines(path: Path) -> list[bytes]:
    """A kind file's lines, one signal's JSON each. A file from before kind files were
    written a line a signal (one JSON list) gives its documents encoded again."""
    raw = path.read_bytes()
    if raw.startswith(b"["):
        docs = orjson.loads(raw)
        if not isinstance(docs, list):
            raise ValueError("not a list of signals")
        return [orjson.dumps(d) for d in docs]
    return raw.split(b"\n") if raw else []


@dataclass(frozen=True, slots=True)
class SavedState:
    state: EngineState
    generation: int
    stamps: Stamps
    files: frozenset[str] = field(default_factory=frozenset)
    """The kind files this state names (kept until a newer state replaces it)."""


def read_state(path: Path) -> SavedState | None:
    """The saved state, or None when it is missing, from another version or damaged."""
    try:
        doc = read_json(path)
    except (orjson.JSONDecodeError, OSError):
        return None
    if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
        return None
    try:
        kinds: dict[str, KindState] = {}
        files: set[str] = set()
        for kind, ks in doc["kinds"].items():
            name = str(ks["file"])
            if "/" in name or not name.startswith(KIND_PREFIX):
                return None
            files.add(name)
            signals = SavedSignals(path.parent / name, int(ks["count"]))
            kinds[kind] = KindState(str(ks["fingerprint"]), int(ks["seen"]), signals, str(ks.get("now", "")))
        state = EngineState(
            tuple(doc["post_ids"]),
            {str(m): (int(v[0]), int(v[1])) for m, v in doc["month_sums"].items()},
            tuple(doc["member_ids"]),
            int(doc["member_sum"]),
            str(doc["context"]),
            str(doc.get("moderation", "")),
            kinds,
        )
        stamps = {str(k): [int(x) for x in v] for k, v in doc["stamps"].items()}
        return SavedState(state, int(doc["generation"]), stamps, frozenset(files))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def write_state(
    path: Path, state: EngineState, generation: int, stamps: Stamps, previous: SavedState | None = None
) -> SavedState:
    """Save `state`: the kind files that changed, then the main file, then the files neither
    it nor `previous` names (a console still reading `previous` finds its files). Returns
    what `read_state` would read back, holding the signals in memory."""
    folder = path.parent
    reused = {id(ks.signals): ks.signals for ks in (previous.state.kinds.values() if previous else ())}
    kinds: dict[str, dict[str, Any]] = {}
    held: dict[str, KindState] = {}
    for kind, ks in state.kinds.items():
        signals = ks.signals
        saved = _saved_as(previous, kind, signals)
        if isinstance(signals, SavedSignals) and id(signals) in reused and signals.path.exists():
            name = signals.path.name  # the kind's signals are as saved: keep the file
            held[kind] = ks
        elif saved is not None:
            name = saved.path.name  # given back one by one, unchanged (`detect_again`)
            held[kind] = replace(ks, signals=SavedSignals.held(saved.path, signals))
        else:
            name = f"{KIND_PREFIX}{kind}-{secrets.token_hex(6)}{KIND_SUFFIX}"
            atomic_write_bytes(folder / name, b"\n".join(kind_lines(kind, signals, previous)), durable=False)
            held[kind] = replace(ks, signals=SavedSignals.held(folder / name, signals))
        kinds[kind] = {
            "fingerprint": ks.fingerprint,
            "seen": ks.seen,
            "now": ks.now,
            "count": len(signals),
            "file": name,
        }
    write_json(
        path,
        {
            "version": STATE_VERSION,
            "generation": generation,
            "stamps": stamps,
            "post_ids": list(state.post_ids),
            "month_sums": {m: list(v) for m, v in state.month_sums.items()},
            "member_ids": list(state.member_ids),
            "member_sum": state.member_sum,
            "context": state.context,
            "moderation": state.moderation,
            "kinds": kinds,
        },
        durable=False,  # derived: a state that reads as damaged is computed again
    )
    keep = {k["file"] for k in kinds.values()} | (previous.files if previous else frozenset())
    for old in folder.glob(f"{KIND_PREFIX}*.json*"):
        if old.name not in keep:
            with contextlib.suppress(OSError):  # another console may be cleaning up too
                old.unlink()
    # A console that quit while writing (`q` does not wait for a run) leaves its temporary
    # file; one that old is no other console's write in progress.
    stale = time.time() - STALE_TEMP_SECONDS
    for temp in folder.glob(".signals*.tmp"):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < stale:
                temp.unlink()
    files = frozenset(k["file"] for k in kinds.values())
    return SavedState(replace(state, kinds=held), generation, dict(stamps), files)


def _saved_as(previous: SavedState | None, kind: str, signals: Sequence[Signal]) -> SavedSignals | None:
    """The previous file of `kind` if `signals` are exactly its signals (the same objects, in
    the same order), else None. Only a file already read can match: nothing is read here."""
    before = previous.state.kinds.get(kind) if previous is not None else None
    if before is None or not isinstance(before.signals, SavedSignals) or not before.signals.loaded:
        return None
    saved = before.signals
    if len(saved) != len(signals) or not all(map(operator.is_, signals, saved)) or not saved.path.exists():
        return None
    return saved


def kind_lines(kind: str, signals: Sequence[Signal], previous: SavedState | None) -> list[bytes]:
    """The lines of signals of `kind`: those a detector kept as they were come from the file
    they were read from or written to (in `previous`), the others are encoded."""
    before = previous.state.kinds.get(kind) if previous is not None else None
    found: list[bytes | None] = [None] * len(signals)
    if before is not None and isinstance(before.signals, SavedSignals):
        found = before.signals.lines_of(signals)
    return [
        orjson.dumps(signal_to_json(s)) if line is None else line
        for s, line in zip(signals, found, strict=True)
    ]
