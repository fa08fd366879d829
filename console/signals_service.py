"""Signals for the console and the CLI: the store's data through the engine, statuses merged.

The engine (heuristics/engine.py) is pure; this module does its I/O: it builds the
`CommunityData` from the store, keeps the previous run in `DATA/derived/signals.json`
(signals per kind, the watermark of posts seen, the store generation), and folds the
moderators' statuses from the audit log into the result. A missing or unreadable state
file only means a full recompute.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import inspect
import numbers
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from console.audit import moderation_facts, signal_states
from console.context import Tact
from console.errors import BadInput, TactError
from console.progress import ProgressBar, quiet
from console.storage import read_json, write_json
from console.store import Store
from console.store_posts import StorePosts
from console.tact_config import TactConfig, detector_error_line, load_config
from heuristics import engine as engine_mod
from heuristics.detector import CommunityData, ImageHashes
from heuristics.engine import (
    DetectorConfigError,
    Engine,
    EngineState,
    KindState,
    RunResult,
    Vouched,
    load_class,
    sort_signals,
)
from heuristics.model import (
    SIGNAL_KINDS,
    Community,
    Lang,
    Reply,
    Signal,
    format_time,
    parse_time,
)

STATE_FILE = "signals.json"
LANGS_FILE = "member_langs.json"
STATE_VERSION = 4

# -- JSON ------------------------------------------------------------------------------------


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
        doc["evidence"] = _plain(signal.evidence)
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


Stamps = dict[str, list[int]]


def _state_to_json(
    state: EngineState, generation: int, stamps: Stamps, known: Mapping[int, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The state file's document. `known` maps `id(signal)` of the signals read from the
    previous file to their documents: a signal a detector kept as it was is not encoded again
    (most of them, after an import)."""
    known = known or {}

    def doc_of(s: Signal) -> dict[str, Any]:
        return known.get(id(s)) or signal_to_json(s)

    return {
        "version": STATE_VERSION,
        "generation": generation,
        "stamps": stamps,
        "post_ids": list(state.post_ids),
        "month_sums": {m: list(v) for m, v in state.month_sums.items()},
        "member_ids": list(state.member_ids),
        "member_sum": state.member_sum,
        "context": state.context,
        "moderation": state.moderation,
        "kinds": {
            kind: {
                "fingerprint": ks.fingerprint,
                "seen": ks.seen,
                "now": ks.now,
                "signals": [doc_of(s) for s in ks.signals],
            }
            for kind, ks in state.kinds.items()
        },
    }


@dataclass(frozen=True, slots=True)
class SavedState:
    state: EngineState
    generation: int
    stamps: Stamps
    docs: dict[int, dict[str, Any]] = field(default_factory=dict, compare=False)
    """`id(signal)` → its document as read, for signals of `state` (see `_state_to_json`)."""


def _state_from_json(doc: Any) -> SavedState | None:
    """The saved state, or None when it is missing, from another version or damaged."""
    if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
        return None
    try:
        docs: dict[int, dict[str, Any]] = {}
        kinds: dict[str, KindState] = {}
        for kind, ks in doc["kinds"].items():
            signals = []
            for sdoc in ks["signals"]:
                signal = signal_from_json(sdoc)
                docs[id(signal)] = sdoc
                signals.append(signal)
            kinds[kind] = KindState(
                str(ks["fingerprint"]), int(ks["seen"]), tuple(signals), str(ks.get("now", ""))
            )
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
        return SavedState(state, int(doc["generation"]), stamps, docs)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def _stamp(path: Path) -> list[int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def store_stamps(store: Store) -> Stamps:
    """The identity of every file the detectors' data comes from.

    The store replaces a file atomically on each write (a new inode, a new mtime), so an
    unchanged stamp means unchanged content: such months need no fingerprinting. The
    layout is the one `console/store.py` documents.
    """
    stamps = {f"posts/{m}": _stamp(store.posts_dir / f"{m}.json") for m in store.months()}
    stamps["images"] = _stamp(store.root / "images.json")
    stamps["people"] = _stamp(store.root / "community.json")
    return stamps


def vouched_since(saved: SavedState, generation: int, stamps: Stamps) -> Vouched:
    old = saved.stamps
    months = frozenset(
        key.removeprefix("posts/")
        for key, value in stamps.items()
        if key.startswith("posts/") and value and old.get(key) == value
    )
    return Vouched(
        everything=saved.generation == generation and old == stamps,
        months=months,
        images=old.get("images") == stamps["images"],
        members=bool(stamps["people"]) and old.get("people") == stamps["people"],
    )


def read_state(path: Path) -> SavedState | None:
    try:
        return _state_from_json(read_json(path))
    except (orjson.JSONDecodeError, OSError):
        return None


# -- the community data ----------------------------------------------------------------------


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


def image_hashes_from_store(records: Mapping[str, Mapping[str, Any]]) -> dict[str, ImageHashes]:
    """The store's hash records as `ImageHashes`, tolerant of int or hex values.

    A record holds "kind" and either "hashes" (a list, in the order the kind names them)
    or a single "hash"; records that hold neither are skipped rather than guessed.
    """
    out: dict[str, ImageHashes] = {}
    for path, rec in records.items():
        raw = rec.get("hashes")
        if raw is None and "hash" in rec:
            raw = [rec["hash"]]
        if not isinstance(raw, list):
            continue
        values = [_hash_value(v) for v in raw]
        if not values or any(v is None for v in values):
            continue
        out[path] = ImageHashes(path, str(rec.get("kind", "")), tuple(v for v in values if v is not None))
    return out


def _member_langs(tact: Tact, data: StorePosts, members: Mapping[str, Any]) -> dict[str, Lang]:
    """Each member's language: as given, else detected from their posts (cached by post count,
    so a run after an import reads only the posts of members who wrote since)."""
    langs: dict[str, Lang] = {mid: m.lang for mid, m in members.items() if m.lang}
    missing = {mid for mid in members if mid not in langs}
    if not missing:
        return langs
    try:
        # Looked up at run time: the language module lands with another change, and until
        # it does a member without a given language is simply unknown (community default).
        detect_lang = importlib.import_module("heuristics.language").detect_lang
    except (ImportError, AttributeError):
        return langs
    index = tact.store.post_index()
    written = Counter(index.author)
    counts = {mid: written.get(mid, 0) for mid in missing}
    path = tact.store.derived_path(LANGS_FILE)
    try:
        cache = read_json(path) or {}
    except (orjson.JSONDecodeError, OSError):
        cache = {}
    if not isinstance(cache, dict):
        cache = {}
    def cached(mid: str) -> bool:
        hit = cache.get(mid)
        return isinstance(hit, list) and len(hit) == 2 and hit[0] == counts[mid]

    stale = {mid for mid in missing if not cached(mid)}
    texts: dict[str, list[str]] = {mid: [] for mid in stale}
    if stale:
        rows = [i for i, author in enumerate(index.author) if author in stale]
        for i in rows:
            p = data[i]
            bucket = texts[p.author]
            if sum(map(len, bucket)) < 4000 and p.text:
                bucket.append(p.text)
    changed = False
    for mid in missing:
        if mid not in stale:
            lang = cache[mid][1]
        else:
            lang = detect_lang(texts[mid]) if texts[mid] else None
            cache[mid] = [counts[mid], lang]
            changed = True
        if lang in ("en", "fr"):
            langs[mid] = lang
    if changed:
        with contextlib.suppress(OSError):  # a cache: losing it only costs time
            write_json(path, cache)
    return langs


def load_data(tact: Tact, config: TactConfig | None = None) -> CommunityData:
    """Everything the detectors read, from the store and the audit log."""
    config = config or load_config(tact.settings.config_file)
    store = tact.store
    community = store.community() or Community(id="community")
    members = store.members()
    index = store.post_index()
    posts = StorePosts(store, index)
    return CommunityData(
        community=community,
        members=members,
        posts=posts,
        image_hashes=image_hashes_from_store(store.image_hashes()),
        moderation=moderation_facts(tact.audit.entries()),
        templates=config.templates,
        member_langs=_member_langs(tact, posts, members),
        table=index,
        lookup=posts.lookup,
    )


# -- computing -------------------------------------------------------------------------------


def _source_prints(kinds: Iterable[str]) -> dict[str, str]:
    """A hash of each detector module's source: editing a detector's code re-runs it in full."""
    out: dict[str, str] = {}
    for kind in kinds:
        try:
            cls = load_class(kind, engine_mod.REGISTRY)
            if cls is None:
                continue
            src = Path(inspect.getfile(cls)).read_bytes()
        except (OSError, TypeError, ImportError):
            continue
        out[kind] = hashlib.blake2b(src, digest_size=8).hexdigest()
    return out


def build_engine(config: TactConfig, kinds: Iterable[str] | None = None) -> Engine:
    # Read the registry at call time so tests can put fake detectors in it.
    registry = engine_mod.REGISTRY
    chosen = list(registry) if kinds is None else list(kinds)
    try:
        return Engine.build(config.detectors, chosen, registry=registry, extra=_source_prints(chosen))
    except DetectorConfigError as err:
        raise BadInput(detector_error_line(config, err.kind, err.field, err.problem)) from None


def check_kinds(kinds: Iterable[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    chosen = list(dict.fromkeys(kinds))
    for k in chosen:
        if k not in SIGNAL_KINDS:
            raise BadInput(f"unknown signal kind {k!r} (one of {', '.join(SIGNAL_KINDS)})")
    return chosen


def run_engine(
    tact: Tact,
    now: datetime | None = None,
    kinds: Iterable[str] | None = None,
    bar: ProgressBar | None = None,
) -> RunResult:
    """One engine run against the saved state, which it then replaces. Statuses not merged.

    `bar` shows the detectors done (the first run on a big community takes a while)."""
    chosen = check_kinds(kinds)
    now = now or _clock(tact)
    config = load_config(tact.settings.config_file)
    engine = build_engine(config, chosen)
    store = tact.store
    state_path = store.derived_path(STATE_FILE)
    # Stamps before reading: a write racing with us then only makes the next run check more.
    generation = store.generation()
    stamps = store_stamps(store)
    saved = read_state(state_path)
    data = load_data(tact, config)
    previous = saved.state if saved else None
    vouched = vouched_since(saved, generation, stamps) if saved else None
    task = (bar or quiet()).task("computing signals", total=len(engine.detectors))
    result = engine.run(data, now, previous, vouched, progress=task)
    if not store.exists():  # nothing imported (or a mistyped --data): create no folders
        return result
    if vouched is not None and vouched.everything and set(result.modes.values()) <= {"reused"}:
        return result  # the saved state is exactly this run's
    try:
        # `saved` stays alive until here, so the ids in its `docs` still name its signals.
        write_json(
            state_path, _state_to_json(result.state, generation, stamps, saved.docs if saved else None)
        )
    except OSError as err:
        raise TactError(f"{state_path}: cannot save the signals state: {err.strerror or err}") from None
    return result


def _clock(tact: Tact) -> datetime:
    """tact's now; the wall clock is taken to the minute, so that recomputing within the same
    minute (a console refreshing, `tact act` checking an id) reuses the last run whole."""
    now = tact.now()
    return now if tact.fixed_now is not None else now.replace(second=0, microsecond=0)


def last_signals(tact: Tact) -> list[Signal] | None:
    """The signals of the last run as saved (statuses merged), without computing anything:
    for showing something at once while a recompute runs. None when there was no run."""
    saved = read_state(tact.store.derived_path(STATE_FILE))
    if saved is None:
        return None
    signals = sort_signals(s for ks in saved.state.kinds.values() for s in ks.signals)
    return merge_statuses(tact, signals, tact.now())


def merge_statuses(tact: Tact, signals: Iterable[Signal], now: datetime) -> list[Signal]:
    """Each signal with the status the moderators gave it (an expired snooze is open)."""
    states = signal_states(tact.audit.entries(), now)
    out = []
    for s in signals:
        st = states.get(s.id)
        status = st.status if st is not None else "open"
        out.append(s if s.status == status else replace(s, status=status))
    return out


def compute_signals(
    tact: Tact, now: datetime | None = None, kinds: Iterable[str] | None = None
) -> list[Signal]:
    """What is due at `now` (default: tact's now), most urgent first, statuses merged.

    Incremental: only what the posts imported since the last run can change is re-examined.
    A detector that raises keeps showing its previous signals; `run_engine` (which the CLI
    uses) also says which detectors failed.
    """
    now = now or _clock(tact)
    result = run_engine(tact, now, kinds)
    return merge_statuses(tact, result.signals, now)
