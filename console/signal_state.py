"""The engine's state between runs, on disk: `DATA/derived/signals.json` and one file per kind.

The main file holds the watermark (post ids seen, month sums, member sums, digests) and, per
kind, its fingerprint and the name of the file holding its signals. Kind files are written
under a fresh name each time and never rewritten, and the main file (written last,
atomically) names the ones that belong together, so a crash leaves the old state or the new
one whole. A kind whose signals did not change keeps its file: after an import only the kinds
that moved are written. Kind files are read when first needed (`SavedSignals`): a run that
recomputes inactive members in full never parses the 45,000 check-ins it saved last time.

A missing, damaged or foreign-version state only means a full recompute.
"""

from __future__ import annotations

import contextlib
import numbers
import operator
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast, overload

import orjson

from console.storage import read_json, write_json
from heuristics.engine import EngineState, KindState
from heuristics.model import Reply, Signal, format_time, parse_time

STATE_FILE = "signals.json"
STATE_VERSION = 6
KIND_PREFIX = "signals-"

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
    """The signals of one kind as saved in `path` (`size` of them), parsed when first used."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        self._signals: list[Signal] | None = None
        self._docs: dict[int, dict[str, Any]] = {}

    @classmethod
    def held(
        cls, path: Path, signals: Sequence[Signal], docs: Sequence[dict[str, Any]] | None = None
    ) -> SavedSignals:
        """The signals just written to `path`, kept as they are (nothing to read again),
        with the documents written for them if given (the next write reuses them)."""
        saved = cls(path, len(signals))
        saved._signals = list(signals)
        if docs is not None:
            saved._docs = {id(s): d for s, d in zip(saved._signals, docs, strict=True)}
        return saved

    @property
    def loaded(self) -> bool:
        return self._signals is not None

    def _load(self) -> list[Signal]:
        if self._signals is None:
            try:
                docs = read_json(self.path)
                if not isinstance(docs, list) or len(docs) != self.size:
                    raise StateLost(f"{self.path.name}: not the {self.size} signals the state names")
                signals = [signal_from_json(d) for d in docs]
            except (orjson.JSONDecodeError, OSError, KeyError, TypeError, ValueError) as err:
                raise StateLost(f"{self.path.name}: {err}") from None
            if len(docs) <= HELD_DOCS:  # as `write_state` holds them
                self._docs = {id(s): d for s, d in zip(signals, docs, strict=True)}
            self._signals = signals
        return self._signals

    def doc_of(self, signal: Signal) -> dict[str, Any] | None:
        """The document `signal` was read from, if it is one of ours (saves encoding it again)."""
        return self._docs.get(id(signal))

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


#: A kind file written or read with at most this many signals keeps their documents in
#: memory: the next write of the kind (say, one repost group of 1,500 changed) encodes only
#: what changed. Bigger kinds (46,000 inactive members at scale: ~60 MiB of documents) would
#: double their memory for it; they are encoded again when written (~0.4 s at that size).
HELD_DOCS = 5_000


def write_state(
    path: Path, state: EngineState, generation: int, stamps: Stamps, previous: SavedState | None = None
) -> SavedState:
    """Save `state`: the kind files that changed, then the main file, then the files neither
    it nor `previous` names (a console still reading `previous` finds its files). Returns
    what `read_state` would read back, holding the signals in memory."""
    folder = path.parent
    reused = {id(ks.signals): ks.signals for ks in (previous.state.kinds.values() if previous else ())}
    kinds: dict[str, dict[str, Any]] = {}
    written: dict[str, list[dict[str, Any]]] = {}
    for kind, ks in state.kinds.items():
        signals = ks.signals
        saved = _saved_as(previous, kind, signals)
        if isinstance(signals, SavedSignals) and id(signals) in reused and signals.path.exists():
            name = signals.path.name  # the kind's signals are as saved: keep the file
            _keep_docs(written, kind, signals, signals)
        elif saved is not None:
            name = saved.path.name  # given back one by one, unchanged (`detect_again`)
            _keep_docs(written, kind, signals, saved)
        else:
            name = f"{KIND_PREFIX}{kind}-{secrets.token_hex(6)}.json"
            docs = [_doc(s, previous) for s in signals]
            write_json(folder / name, docs)
            if len(docs) <= HELD_DOCS:
                written[kind] = docs
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
    )
    keep = {k["file"] for k in kinds.values()} | (previous.files if previous else frozenset())
    for old in folder.glob(f"{KIND_PREFIX}*.json"):
        if old.name not in keep:
            with contextlib.suppress(OSError):  # another console may be cleaning up too
                old.unlink()
    held = {
        kind: replace(
            ks, signals=SavedSignals.held(folder / kinds[kind]["file"], ks.signals, written.get(kind))
        )
        for kind, ks in state.kinds.items()
    }
    files = frozenset(k["file"] for k in kinds.values())
    return SavedState(replace(state, kinds=held), generation, dict(stamps), files)


def _keep_docs(
    written: dict[str, list[dict[str, Any]]], kind: str, signals: Sequence[Signal], source: SavedSignals
) -> None:
    """The documents of a kept file's signals, when `source` holds them all (in memory)."""
    if not source.loaded or not source._docs or len(signals) > HELD_DOCS:
        return
    docs = [source.doc_of(s) for s in signals]
    if all(d is not None for d in docs):
        written[kind] = cast(list[dict[str, Any]], docs)


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


def _doc(signal: Signal, previous: SavedState | None) -> dict[str, Any]:
    """The signal's document: the one it was read from when a detector kept it as it was."""
    if previous is not None:
        saved = previous.state.kinds.get(signal.kind)
        if saved is not None and isinstance(saved.signals, SavedSignals):
            doc = saved.signals.doc_of(signal)
            if doc is not None:
                return doc
    return signal_to_json(signal)
