"""The signal engine: builds the detectors, runs them, and re-examines only what changed.

Pure like the rest of `heuristics/`: the console hands in the community's data and the
previous run's `EngineState` (it keeps that in a derived file) and gets back the signals
and the next state. Nothing here reads or writes a file.

Incremental rules, per detector kind:
- no previous state for the kind, or its fingerprint (module, class, version, parameters)
  changed, or the previous run failed for it → a full `detect`;
- a detector implementing `detect_new` (see `heuristics.detector.IncrementalDetector`) gets
  only the posts it has not seen yet, with its previous signals;
- any other detector runs `detect` again (the time-window ones depend on now); one
  implementing `detect_again` (`heuristics.detector.ReusingDetector`) is handed its previous
  signals to give back those it finds unchanged — the same objects, which the console's state
  then keeps without encoding them again;
- when nothing at all changed — same store (the caller vouches), same `now`, same
  moderation facts, same parameters — any detector's previous signals are reused as they
  are (mode "reused"): a console on the demo's fixed clock recomputes for free.

Posts and members seen before are fingerprinted (`post_digest`, `member_digest`, summed per
month); if any of them was edited or removed since, every kind's state is dropped and all
run in full, so the incremental result always equals a full recompute on the same data. The
caller may vouch (`Vouched`) for months, pictures and members it knows unchanged (the console
compares file stamps), so a run after an import only fingerprints the months it touched. Incremental detectors
must therefore depend only on posts, members, the community, templates and image hashes —
not on the moderation facts or on `now` beyond the signals' own scores.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from itertools import chain, compress
from operator import attrgetter
from typing import Any, Literal

from heuristics.detector import (
    CommunityData,
    Detector,
    IncrementalDetector,
    Mark,
    PostTable,
    ReusingDetector,
    grew_from,
    mark_of,
    starts_with,
)
from heuristics.digests import MASK as _MASK
from heuristics.digests import member_digest, picture_digest, post_digest
from heuristics.model import Post, Signal, format_time

#: kind → (module, class): the agreed detector classes, imported only when the engine runs.
REGISTRY: dict[str, tuple[str, str]] = {
    "image_repost": ("heuristics.image_repost", "ImageRepostDetector"),
    "text_repeat": ("heuristics.text_repeat", "TextRepeatDetector"),
    "self_promotion": ("heuristics.self_promotion", "SelfPromotionDetector"),
    "spam": ("heuristics.spam", "SpamDetector"),
    "off_topic_drift": ("heuristics.off_topic", "OffTopicDriftDetector"),
    "against_mission": ("heuristics.against_mission", "AgainstMissionDetector"),
    "conflict": ("heuristics.conflict", "ConflictDetector"),
    "quiet_group": ("heuristics.quiet_group", "QuietGroupDetector"),
    "inactive_member": ("heuristics.inactive", "InactiveMemberDetector"),
    "onboarding": ("heuristics.onboarding", "OnboardingDetector"),
}

Mode = Literal["full", "incremental", "reused", "failed"]


class DetectorConfigError(ValueError):
    """A `[detectors.<kind>]` table the detector's constructor refuses."""

    def __init__(self, kind: str, field_name: str | None, problem: str) -> None:
        super().__init__(f"[detectors.{kind}]{' ' + field_name if field_name else ''}: {problem}")
        self.kind = kind
        self.field = field_name
        self.problem = problem


# -- fingerprints of what a detector has seen (per post: heuristics/digests.py) ----------------


def context_digest(data: CommunityData) -> str:
    """The community record and the reply templates: a change re-runs every detector."""
    c = data.community
    doc = {
        "community": [c.id, c.name, c.lang, c.about, list(c.topic), c.off_topic_tolerance],
        "templates": data.templates.table,
    }
    return hashlib.blake2b(_canonical(doc), digest_size=8).hexdigest()


def moderation_digest(data: CommunityData) -> str:
    """The moderation facts the time-window detectors honour (check-ins, done steps)."""
    m = data.moderation
    doc = [
        sorted(m.no_checkin),
        sorted((k, format_time(v)) for k, v in m.last_checkin.items()),
        sorted(m.onboarding_done),
    ]
    return hashlib.blake2b(_canonical(doc), digest_size=8).hexdigest()


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False).encode()


# -- state carried from one run to the next --------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindState:
    fingerprint: str
    seen: int
    """How many of `EngineState.post_ids` (a prefix) this kind's signals account for."""
    signals: Sequence[Signal]
    now: str = ""
    """The `now` of the run that produced `signals` (FORMATS.md time)."""


@dataclass(frozen=True, slots=True)
class EngineState:
    post_ids: tuple[str, ...] = ()
    """Every post id seen by a run, in the order first seen (new posts are appended)."""
    month_sums: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Per month of `created_at` ("YYYY-MM", UTC): the sums (mod 2^64) of `post_digest`
    over its posts and of `picture_digest` over those with pictures. They reveal edits and
    removals; the split lets new picture hashes be checked from the post table alone."""
    member_ids: tuple[str, ...] = ()
    member_sum: int = 0
    context: str = ""
    moderation: str = ""
    kinds: Mapping[str, KindState] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Vouched:
    """What the caller knows did not change since the previous state (e.g. from file stamps).

    Everything vouched for is not fingerprinted again, which keeps a run after an import
    proportional to the months the import touched rather than to the whole history.
    """

    everything: bool = False
    """Nothing was written at all (the store's generation is the same)."""
    months: frozenset[str] = frozenset()
    """Months ("YYYY-MM" of `created_at`, UTC) whose posts are exactly as before."""
    images: bool = False
    """No picture hash was added or changed."""
    pictures: frozenset[str] | None = None
    """When `images` is False, the pictures whose hashes were added or changed, if the caller
    knows them: then only the posts showing them are fingerprinted again."""
    members: bool = False
    """No member record was added, changed or removed."""


@dataclass(frozen=True, slots=True)
class RunResult:
    signals: list[Signal]
    """Every kind's signals (status "open"), most urgent first, then by id."""
    state: EngineState
    modes: dict[str, Mode]
    """How each detector ran this time."""
    errors: dict[str, str]
    """kind → one-line error for detectors that raised (their previous signals are kept)."""
    skipped: tuple[str, ...] = ()
    """Kinds whose module does not exist (yet)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """How long each detector took this time (wall clock), for benchmarks and profiles."""


def sort_signals(signals: Iterable[Signal]) -> list[Signal]:
    """Highest score first, then by id. Two C-keyed passes (sorting is stable, also in
    reverse) rather than a tuple per signal: 46,000 check-ins are sorted every run."""
    by_id = sorted(signals, key=attrgetter("id"))
    by_id.sort(key=attrgetter("score"), reverse=True)
    return by_id


def _dedupe(signals: Iterable[Signal]) -> list[Signal]:
    """One signal per id (a detector may produce a duplicate): the highest score wins."""
    signals = list(signals)
    if len(set(map(attrgetter("id"), signals))) == len(signals):
        return signals  # the usual case, settled at C speed
    best: dict[str, Signal] = {}
    for s in signals:
        kept = best.get(s.id)
        if kept is None or s.score > kept.score:
            best[s.id] = s
    return list(best.values())


# -- the engine ------------------------------------------------------------------------------


def load_class(kind: str, registry: Mapping[str, tuple[str, str]] = REGISTRY) -> type | None:
    """The detector class of `kind`, or None while its module does not exist yet.

    Only the module itself missing counts as "not yet": an ImportError raised from inside
    an existing module is a bug and propagates.
    """
    if kind not in registry:
        return None
    module_name, class_name = registry[kind]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is not None and module_name.startswith(err.name):
            return None
        raise
    cls = getattr(module, class_name, None)
    return cls if isinstance(cls, type) else None


def build_detector(kind: str, cls: type, params: Mapping[str, Any]) -> Detector:
    """`cls(**params)`, with a clear error naming the parameter it refuses."""
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        sig = None
    if sig is not None and not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        for name in params:
            if name not in sig.parameters:
                known = ", ".join(sorted(n for n in sig.parameters if n != "self")) or "none"
                raise DetectorConfigError(kind, name, f"unknown parameter (known: {known})")
    try:
        detector: Detector = cls(**params)
        return detector
    except (TypeError, ValueError) as err:
        raise DetectorConfigError(kind, None, str(err)) from err


def fingerprint(kind: str, cls: type, params: Mapping[str, Any], extra: str = "") -> str:
    """Changes when the detector's code version, its parameters or `extra` change."""
    doc = [kind, cls.__module__, cls.__qualname__, str(getattr(cls, "version", "")), dict(params), extra]
    return hashlib.blake2b(_canonical(doc), digest_size=8).hexdigest()


class Engine:
    """Runs a set of detectors, incrementally where it can."""

    def __init__(
        self,
        detectors: Mapping[str, Detector],
        fingerprints: Mapping[str, str] | None = None,
        skipped: Sequence[str] = (),
    ) -> None:
        self.detectors = dict(detectors)
        self.fingerprints = {k: (fingerprints or {}).get(k, "") for k in self.detectors}
        self.skipped = tuple(skipped)

    @classmethod
    def build(
        cls,
        params: Mapping[str, Mapping[str, Any]] | None = None,
        kinds: Iterable[str] | None = None,
        registry: Mapping[str, tuple[str, str]] = REGISTRY,
        extra: Mapping[str, str] | None = None,
    ) -> Engine:
        """Every registered detector (or those of `kinds`) built from its params table.

        `extra` adds to a kind's fingerprint (the console passes a hash of the module's
        source, so editing a detector's code re-runs it in full).
        """
        params = params or {}
        chosen = list(registry) if kinds is None else list(dict.fromkeys(kinds))
        detectors: dict[str, Detector] = {}
        prints: dict[str, str] = {}
        skipped: list[str] = []
        for kind in chosen:
            detector_cls = load_class(kind, registry)
            if detector_cls is None:
                skipped.append(kind)
                continue
            kind_params = dict(params.get(kind, {}))
            detectors[kind] = build_detector(kind, detector_cls, kind_params)
            prints[kind] = fingerprint(kind, detector_cls, kind_params, (extra or {}).get(kind, ""))
        return cls(detectors, prints, skipped)

    def warm(self, data: CommunityData, now: datetime, previous: EngineState) -> None:
        """Run each detector as a run would with no new posts, against its previous signals,
        and forget what it finds. What a console keeps from one run to the next
        (`CommunityData.kept`: lemmas of off-topic's window, every picture gathered, the
        members' absences, the previous signals decoded) is then made before its first import
        instead of during it. Only kinds whose state a run would continue; a detector that
        raises is skipped (the run will say so). What the engine keeps itself (the watermark,
        the pictures the rows show) is made too."""
        _warm_advance(data, previous)
        for kind, detector in self.detectors.items():
            st = previous.kinds.get(kind)
            if st is None or st.fingerprint != self.fingerprints[kind] or st.seen != len(previous.post_ids):
                continue
            try:
                if isinstance(detector, IncrementalDetector):
                    detector.detect_new(data, [], list(st.signals), now)
                elif isinstance(detector, ReusingDetector):
                    detector.detect_again(data, now, list(st.signals))
                else:
                    detector.detect(data, now)
            except Exception:  # warming is only ever a head start
                continue

    def run(
        self,
        data: CommunityData,
        now: datetime,
        previous: EngineState | None = None,
        vouched: Vouched | None = None,
        progress: Callable[[int], object] | None = None,
        runner: Runner | None = None,
    ) -> RunResult:
        """Run every detector; reuse `previous` where the data allows.

        `vouched` is what the caller knows did not change since `previous` was computed;
        without it every post is fingerprinted to find what changed. `progress`, when
        given, is called with the number of detectors done so far. `runner` runs the
        detectors' jobs (default: one after the other, `run_in_order`).
        """
        prev = previous if previous is not None else EngineState()
        vouch = vouched if vouched is not None and previous is not None else Vouched()
        posts = data.posts
        context = context_digest(data)
        moderation = moderation_digest(data)
        now_key = format_time(now)
        unchanged = vouch.everything and prev.context == context
        same_world = unchanged and prev.moderation == moderation

        if unchanged:
            post_ids, month_sums = prev.post_ids, prev.month_sums
            member_ids, member_sum = prev.member_ids, prev.member_sum
            kind_states = dict(prev.kinds)
            unseen: Callable[[], list[Post]] = list
        else:
            post_ids, month_sums, member_ids, member_sum, kind_states, unseen = _advance(
                data, prev, context, vouch
            )
        unseen = cache(unseen)  # built once, and only if a kind asks

        seen_sets: dict[int, frozenset[str]] = {}

        def new_posts_for(seen: int) -> list[Post]:
            if seen == len(prev.post_ids) and kind_states:
                # The common case: the kind saw everything last time (the state survived,
                # so `post_ids` extends the previous ones): exactly the posts new since.
                return unseen()
            if seen not in seen_sets:
                seen_sets[seen] = frozenset(post_ids[:seen])
            known = seen_sets[seen]
            return [posts[i] for i, pid in enumerate(data.columns().id) if pid not in known]

        out_states: dict[str, KindState] = dict(kind_states)
        modes: dict[str, Mode] = {}
        jobs: dict[str, Job] = {}
        for kind, detector in self.detectors.items():
            st = kind_states.get(kind)
            fp = self.fingerprints[kind]
            if (
                same_world
                and st is not None
                and (st.fingerprint, st.now, st.seen) == (fp, now_key, len(post_ids))
            ):
                modes[kind] = "reused"
                continue
            if st is not None and st.fingerprint == fp and isinstance(detector, IncrementalDetector):
                since = (new_posts_for(st.seen), list(st.signals))
                jobs[kind] = Job("incremental", partial(_examine, kind, detector, data, now, since), since[1])
            elif st is not None and st.fingerprint == fp and isinstance(detector, ReusingDetector):
                jobs[kind] = Job("full", partial(_examine, kind, detector, data, now, None, st.signals))
            else:
                jobs[kind] = Job("full", partial(_examine, kind, detector, data, now, None))

        finished: list[str] = []

        def done(kind: str) -> None:
            finished.append(kind)
            if progress is not None:
                progress(len(finished))

        outcomes = (runner or run_in_order)(jobs, done)
        errors: dict[str, str] = {}
        seconds: dict[str, float] = {}
        for kind in jobs:  # in the detectors' order, whatever order they finished in
            out = outcomes[kind]
            modes[kind] = out.mode
            seconds[kind] = out.seconds
            if out.mode == "failed":
                errors[kind] = out.error
                out_states.pop(kind, None)
            else:
                out_states[kind] = KindState(self.fingerprints[kind], len(post_ids), out.signals, now_key)

        state = EngineState(post_ids, month_sums, member_ids, member_sum, context, moderation, out_states)
        signals = [s for kind, st in out_states.items() if kind in self.detectors for s in st.signals]
        # A failed kind keeps showing what it found last time rather than going blank.
        for kind in errors:
            if kind in kind_states:
                signals.extend(kind_states[kind].signals)
        return RunResult(sort_signals(_dedupe(signals)), state, modes, errors, self.skipped, seconds)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one detector's run gave: its kind's signals (sorted, one per id), or an error."""

    mode: Mode
    signals: tuple[Signal, ...] = ()
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Job:
    mode: Literal["full", "incremental"]
    """What the run will be, known before it starts (a runner may plan with it)."""
    run: Callable[[], Outcome]
    previous: Sequence[Signal] = ()
    """The kind's previous signals an incremental run is handed (decoded): most come back
    as they were, and a runner that gets copies back (from another process) can give back
    these objects instead."""


Runner = Callable[[Mapping[str, Job], Callable[[str], None]], Mapping[str, Outcome]]
"""Runs every job (by kind) and calls `done(kind)` as each finishes; the engine's default runs
them one after the other, the console may spread a big run over processes."""


def run_in_order(jobs: Mapping[str, Job], done: Callable[[str], None]) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for kind, job in jobs.items():
        out[kind] = job.run()
        done(kind)
    return out


def _examine(
    kind: str,
    detector: Detector,
    data: CommunityData,
    now: datetime,
    since: tuple[list[Post], list[Signal]] | None,
    before: Sequence[Signal] | None = None,
) -> Outcome:
    """One detector's run: incremental when `since` gives the new posts and the previous
    signals, else full (handed the previous signals `before` to reuse, if it can). A detector
    that raises gives a "failed" outcome, never an exception: a broken detector must not hide
    the others' signals."""
    started = time.perf_counter()
    try:
        if since is not None:
            assert isinstance(detector, IncrementalDetector)
            fresh = detector.detect_new(data, since[0], since[1], now)
            mode: Mode = "incremental"
        elif before is not None:
            assert isinstance(detector, ReusingDetector)
            fresh = detector.detect_again(data, now, before)
            mode = "full"
        else:
            fresh = detector.detect(data, now)
            mode = "full"
    except Exception as err:
        return Outcome("failed", error=f"{type(err).__name__}: {err}", seconds=time.perf_counter() - started)
    mine = tuple(sort_signals(_dedupe(s for s in fresh if s.kind == kind)))
    return Outcome(mode, mine, seconds=time.perf_counter() - started)


def month_key(post: Post) -> str:
    """The month partition of a post, as the store names it ("YYYY-MM" of created_at, UTC)."""
    at = post.created_at
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return f"{at.year:04d}-{at.month:02d}"


def _month_runs(data: CommunityData) -> list[tuple[str, int, int]]:
    """(month, start, stop) slices of `data.posts`, one per month, found by bisection.

    Posts come oldest first, so a month is one contiguous slice: five years of posts cost
    sixty bisections, and a month vouched for is skipped without looking at its posts. With
    the post table the bisections read its times and no post at all. Should the order ever
    be broken, a plain scan gives runs of equal months instead.
    """
    posts = data.posts
    table = data.table
    runs: list[tuple[str, int, int]] = []
    lo, n = 0, len(posts)
    while lo < n:
        key = month_key(posts[lo]) if table is None else _month_of_ts(table.ts[lo])
        year, month = int(key[:4]), int(key[5:])
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        if table is None:
            hi = bisect_left(posts, end, lo=lo, key=attrgetter("created_at"))
            ok = hi > lo and month_key(posts[hi - 1]) == key
        else:
            hi = bisect_left(table.ts, int(end.timestamp()), lo=lo)
            ok = hi > lo and _month_of_ts(table.ts[hi - 1]) == key
        if not ok:
            return _scanned_runs(posts)
        runs.append((key, lo, hi))
        lo = hi
    return runs


def _month_of_ts(ts: int) -> str:
    at = datetime.fromtimestamp(ts, UTC)
    return f"{at.year:04d}-{at.month:02d}"


def _scanned_runs(posts: Sequence[Post]) -> list[tuple[str, int, int]]:
    runs: list[tuple[str, int, int]] = []
    for i, p in enumerate(posts):
        key = month_key(p)
        if runs and runs[-1][0] == key and runs[-1][2] == i:
            runs[-1] = (key, runs[-1][1], i + 1)
        else:
            runs.append((key, i, i + 1))
    return runs


_Advance = tuple[
    tuple[str, ...],
    dict[str, tuple[int, int]],
    tuple[str, ...],
    int,
    dict[str, KindState],
    Callable[[], list[Post]],
]


def _advance(data: CommunityData, prev: EngineState, context: str, vouch: Vouched) -> _Advance:
    """The new watermark; drops every kind's state if something seen before changed.

    Also returns how to get the posts not seen before (in data order), which is what
    incremental detectors get when they saw everything last time: built only if asked, since
    a run that starts over (no kind to continue) never needs them.
    """
    hashes = data.image_hashes
    posts = data.posts
    table = data.table
    runs = _month_runs(data)
    # After an import of the latest posts the table starts with the posts seen before: a row
    # was seen iff it is below `grown`, with no set of a million ids to build or copy.
    grown = _grown_rows(data, prev.post_ids, runs)
    known = _known_ids(data, prev.post_ids) if grown is None else None

    def seen(row: int, pid: str) -> bool:
        if grown is not None:
            return row < grown
        assert known is not None
        return pid in known

    # Per month and slot (0: the posts, 1: their pictures' hashes): is it vouched for, its
    # new sum, and the sum over the posts seen before (must equal the previous sum).
    new_sums: dict[str, list[int]] = {}
    old_sums: dict[str, list[int]] = {}
    trusted: dict[str, tuple[bool, bool]] = {}
    fresh: list[int] = []  # rows of `posts`
    pictures = vouch.pictures
    # Months where a post seen before shows a picture hashed since: all its pictures again.
    moved = _moved_months(data, runs, pictures, grown, seen) if pictures else set()
    for month, lo, hi in runs:
        start = len(fresh)
        trust = trusted.get(month)
        if trust is None:
            was = month in prev.month_sums and month in vouch.months
            trust = trusted[month] = (was, was and vouch.images)
            # Knowing which pictures changed, the sum over the posts seen before carries on.
            base = prev.month_sums.get(month, (0, 0))[1] if pictures is not None and month not in moved else 0
            new_sums[month] = [0, base]
            old_sums[month] = [0, base]
        sums, olds = new_sums[month], old_sums[month]
        kept = data.month_sums.get(month)
        if trust[0]:
            pass
        elif kept is not None and table is not None and not _any_seen(table, lo, hi, grown, known):
            # A month all new to us whose sum the caller keeps: nothing to compare, no read.
            sums[0] = (sums[0] + kept) & _MASK
            fresh.extend(range(lo, hi))
        elif kept is not None and grown is not None:
            # A month the import added to: its sum is the caller's, and the posts seen before
            # sum to it minus the new ones' digests. Only the new posts (the month's last rows)
            # are digested, not the ten thousand before them.
            new_rows = range(max(lo, grown), hi)
            added = sum(map(post_digest, posts[new_rows.start : new_rows.stop]))
            fresh.extend(new_rows)
            sums[0] = (sums[0] + kept) & _MASK
            olds[0] = (olds[0] + kept - added) & _MASK
        else:  # the month's file changed: read its posts (and find the new ones)
            for row, p in enumerate(posts[lo:hi], lo):
                was_seen = seen(row, p.id)
                if not was_seen:
                    fresh.append(row)
                d = post_digest(p)
                sums[0] = (sums[0] + d) & _MASK
                if was_seen:
                    olds[0] = (olds[0] + d) & _MASK
        if trust[1]:
            continue
        if pictures is None or month in moved:  # every pictured post again
            for row, pid, paths in _pictured(data, range(lo, hi)):
                d = picture_digest(pid, paths, hashes)
                sums[1] = (sums[1] + d) & _MASK
                if seen(row, pid):
                    olds[1] = (olds[1] + d) & _MASK
            continue
        # Only `pictures` changed, and no post seen before shows one: those posts keep their
        # digests (in the sum carried on), the new posts add theirs.
        for _, pid, paths in _pictured(data, fresh[start:]):
            sums[1] = (sums[1] + picture_digest(pid, paths, hashes)) & _MASK
    intact = prev.context == context
    for month, before in prev.month_sums.items():
        trust = trusted.get(month, (False, False))
        now_sums = old_sums.get(month, [0, 0])
        for slot in (0, 1):
            if trust[slot]:
                new_sums[month][slot] = before[slot]
            elif now_sums[slot] != before[slot]:
                intact = False
    members = data.members
    if vouch.members and prev.member_ids:
        member_ids, member_sum = prev.member_ids, prev.member_sum
    else:
        member_ids = tuple(members)
        if intact and any(mid not in members for mid in prev.member_ids):
            intact = False
        seen_members = set(prev.member_ids)
        old_member_sum = 0
        member_sum = 0
        for mid, m in members.items():
            d = member_digest(m)
            member_sum = (member_sum + d) & _MASK
            if mid in seen_members:
                old_member_sum = (old_member_sum + d) & _MASK
        intact = intact and old_member_sum == prev.member_sum
    sums_out = {m: (v[0], v[1]) for m, v in new_sums.items()}
    if intact:
        id_of = data.columns().id
        # After an import of the latest posts the new rows are the table's last: its ids are
        # the watermark, and holding its very strings makes the next run's `_grown_rows`
        # compare them by identity.
        if grown is not None and len(fresh) == len(id_of) - grown:
            ids = _watermark(data, tuple(id_of))
        else:
            ids = prev.post_ids + tuple(id_of[r] for r in fresh)
        return ids, sums_out, member_ids, member_sum, dict(prev.kinds), partial(_rows, posts, fresh)
    ids = _watermark(data, tuple(data.columns().id))
    return ids, sums_out, member_ids, member_sum, {}, partial(list, posts)


_WATERMARK = "engine.watermark"


@dataclass(frozen=True, slots=True)
class _Watermark:
    """Post ids that were exactly the rows of the post table `mark` was taken of."""

    ids: tuple[str, ...]
    mark: Mark


def _watermark(data: CommunityData, ids: tuple[str, ...]) -> tuple[str, ...]:
    """`ids` (the post table's ids, all of them), remembered with the table's mark: the next
    run, handed them back as the state's, knows from the table's lineage alone whether the
    table still starts with them."""
    table = data.table
    mark = mark_of(table) if table is not None else None
    if mark is not None:
        data.kept[_WATERMARK] = _Watermark(ids, mark)
    return ids


def _warm_advance(data: CommunityData, prev: EngineState) -> None:
    """What `_advance` keeps from one run to the next, made for a state that saw exactly the
    post table's rows: the next run, after an import of the latest posts, then knows them
    seen from the table's lineage, and the pictures they show, without a pass over them."""
    table, ids = data.table, prev.post_ids
    if table is None or len(table.id) != len(ids) or not _starts_with_ids(data, ids):
        return
    _watermark(data, ids)
    _shown_before(data, table, len(ids))


def _grown_rows(data: CommunityData, ids: tuple[str, ...], runs: list[tuple[str, int, int]]) -> int | None:
    """`len(ids)` when the post table starts with exactly `ids` (what an import of the latest
    posts leaves) and each month is one run of rows; else None (ids are then looked up)."""
    if len({month for month, _, _ in runs}) != len(runs) or not _starts_with_ids(data, ids):
        return None
    return len(ids)


def _starts_with_ids(data: CommunityData, ids: tuple[str, ...]) -> bool:
    """Whether the post table's rows start with exactly `ids` (not empty)."""
    table = data.table
    if table is None or not ids:
        return False
    n = len(ids)
    last = data.kept.get(_WATERMARK)
    if (
        isinstance(last, _Watermark)
        and last.ids is ids
        and last.mark.rows == n
        and grew_from(table, last.mark)
    ):
        return True  # the ids were this table's rows when it had n
    column = table.id
    # Nearly free when the table shares the previous index's strings: identity per row.
    return n <= len(column) and column[n - 1] == ids[-1] and starts_with(column, list(ids))


def _any_seen(table: PostTable, lo: int, hi: int, grown: int | None, known: set[str] | None) -> bool:
    """Whether a row of `lo:hi` was seen before."""
    if grown is not None:
        return lo < grown
    assert known is not None
    return not known.isdisjoint(table.id[lo:hi])


def _moved_months(
    data: CommunityData,
    runs: list[tuple[str, int, int]],
    pictures: frozenset[str],
    grown: int | None,
    seen: Callable[[int, str], bool],
) -> set[str]:
    """The months where a post seen before shows one of `pictures` (hashed since)."""
    table = data.table
    if table is not None and grown is not None and pictures.isdisjoint(_shown_before(data, table, grown)):
        return set()  # the common case: the pictures hashed since are the new posts'
    return {month for month, lo, hi in runs if _shows_any(data, lo, hi, pictures, seen)}


_SHOWN = "engine.shown"


@dataclass(frozen=True, slots=True)
class _Shown:
    images: Sequence[tuple[str, ...]]
    """The pictures column it was made from (its first `rows` rows count)."""
    rows: int
    paths: frozenset[str]
    """Every picture the first `rows` rows show."""
    mark: Mark | None
    """Where the post table stood."""


def _shown_before(data: CommunityData, table: PostTable, rows: int) -> frozenset[str]:
    """The pictures shown by the table's first `rows` rows. A console keeps them
    (`CommunityData.kept`) and adds the rows of its next run: no pass over a million rows'
    pictures after each import."""
    images = table.images
    found = data.kept.get(_SHOWN)
    if (
        isinstance(found, _Shown)
        and found.rows <= rows
        and (grew_from(table, found.mark) or starts_with(images, found.images[: found.rows]))
    ):
        if found.rows == rows:
            return found.paths
        paths = found.paths.union(chain.from_iterable(images[found.rows : rows]))
    else:
        paths = frozenset(chain.from_iterable(images[:rows]))
    data.kept[_SHOWN] = _Shown(images, rows, paths, mark_of(table))
    return paths


_KNOWN = "engine.known"


def _known_ids(data: CommunityData, ids: tuple[str, ...]) -> set[str]:
    """`set(ids)`, read only. A console keeps it (`CommunityData.kept`) with the ids it was
    made of: the next run's ids are those plus the posts that run saw first, so the set is
    copied and grown by those instead of hashing a million ids again."""
    found = data.kept.get(_KNOWN)
    if isinstance(found, _Known):
        if ids is found.ids:
            return found.set
        if starts_with(ids, found.ids):
            # A new set (a copy costs a fifth of hashing them all): a run in another thread
            # (the health screen's) may still be reading the old one.
            grown = found.set.union(ids[len(found.ids) :])
            data.kept[_KNOWN] = _Known(ids, grown)
            return grown
    known = set(ids)
    data.kept[_KNOWN] = _Known(ids, known)
    return known


@dataclass(frozen=True, slots=True)
class _Known:
    ids: tuple[str, ...]
    set: set[str]
    """Exactly `set(ids)`."""


def _pictured(data: CommunityData, rows: range | list[int]) -> Iterator[tuple[int, str, Sequence[str]]]:
    """(row, post id, pictures) of the `rows` that show pictures, from the post table if any."""
    table = data.table
    if table is None:
        posts = data.posts
        return ((r, p.id, p.images) for r in rows if (p := posts[r]).images)
    ids, images = table.id, table.images
    if isinstance(rows, range):  # a month: skip the rows without pictures at C speed
        return ((i, ids[i], images[i]) for i in compress(rows, images[rows.start : rows.stop]))
    return ((i, ids[i], images[i]) for i in rows if images[i])


def _shows_any(
    data: CommunityData, lo: int, hi: int, pictures: frozenset[str], seen: Callable[[int, str], bool]
) -> bool:
    """Whether a post of rows `lo:hi` seen before shows one of `pictures`."""
    if data.table is not None and pictures.isdisjoint(chain.from_iterable(data.table.images[lo:hi])):
        return False  # the common case, settled at C speed
    rows = _pictured(data, range(lo, hi))
    return any(not pictures.isdisjoint(paths) and seen(row, pid) for row, pid, paths in rows)


def _rows(posts: Sequence[Post], rows: list[int]) -> list[Post]:
    """`posts[r]` for each of `rows` (ascending), contiguous runs read as slices."""
    out: list[Post] = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.extend(posts[rows[i] : rows[j] + 1])
        i = j + 1
    return out
