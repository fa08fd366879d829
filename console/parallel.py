"""A big signal run spread over two processes: the detectors are independent of each other.

A full recompute at a million posts is minutes of pure Python in one process; the machine
tact targets has two cores. `forked_runner` gives the engine a runner (heuristics/engine.py
`Runner`) that forks once: the child inherits the loaded data (copy-on-write, nothing is
pickled on the way in), runs its share of the detectors and sends back their outcomes,
pickled through a pipe, while the parent runs the rest. Small communities and incremental
runs, where a fork costs more than it saves, stay in one process, unless the process is
cold: a fresh `tact signals` after an import works out, for each detector, what a console
keeps from one run to the next (seconds at a million posts). If the child fails in any
way its detectors run again in the parent: a run never loses a kind to the parallelism.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from heuristics.engine import Job, Outcome, Runner, run_in_order
from heuristics.model import Signal

#: Rough seconds of each detector's full run at a million posts, not counting the reading of
#: the posts (~12 s, paid once by each process that reads them): only their proportions matter
#: (they balance the two halves). From a full run at 1M (`benchmarks/scale.py`), 2026-11-26.
COST: Mapping[str, float] = {
    "text_repeat": 25.0,
    "spam": 23.0,
    "against_mission": 6.3,
    "conflict": 6.3,
    "image_repost": 4.0,
    "inactive_member": 1.8,
    "self_promotion": 0.9,
    "off_topic_drift": 0.9,
    "onboarding": 0.2,
    "quiet_group": 0.1,
}
INCREMENTAL_COST: Mapping[str, float] = {
    "image_repost": 1.5,
    "text_repeat": 0.5,
    "self_promotion": 0.2,
}
"""Kinds not listed cost little incrementally (0.1)."""


COLD_INCREMENTAL_COST: Mapping[str, float] = {
    "image_repost": 1.0,
    "text_repeat": 0.6,
    "spam": 0.5,
    "self_promotion": 0.3,
    "conflict": 0.15,
    "against_mission": 0.1,
}
"""An incremental run's seconds at a million posts in a process that kept nothing from a
run before (`benchmarks/scale.py`, the fresh process, 2026-11-26 16:20): every picture
gathered, the lemmatiser's dictionaries read. Kinds not listed: 0.1."""

#: A cold incremental run forks from this many estimated seconds (`COLD_INCREMENTAL_COST`
#: and `COST` scaled to the community's size): below, the fork's copy-on-write faults and the
#: pickled way back cost about what the second core saves.
MIN_COLD_SECONDS = 2.0

#: In a cold incremental run, the child takes the detectors that lemmatise, together: the
#: lemmatiser's dictionaries load once and spam and off topic share the new posts' lemmas;
#: and text repeats, for balance. They send back few signals (`as_before` gives back the
#: previous objects of those unchanged). The parent keeps the inactive members (46,000
#: previous signals at a million posts: decoding and pickling them back would cost more
#: than their run), onboarding with them, the pictures and conflict. Measured at 1M posts,
#: the two halves end within a few tenths of a second of each other (about 2.5 s each);
#: moving text repeats to the parent won in one pair of runs and lost in the other.
COLD_CHILD = frozenset({"spam", "self_promotion", "against_mission", "off_topic_drift", "text_repeat"})


def job_cost(kind: str, job: Job, cold: bool = False) -> float:
    if job.mode == "incremental":
        return (COLD_INCREMENTAL_COST if cold else INCREMENTAL_COST).get(kind, 0.1)
    return COST.get(kind, 1.0)


#: Below this many posts a full run takes a few seconds: not worth a second process.
MIN_POSTS = 50_000
#: Nor below this many estimated seconds of work (see `COST`).
MIN_COST = 20.0


#: Kinds that share figures computed once per run (`CommunityData.memo`: per-member stats)
#: and so run in the same process.
TOGETHER: tuple[frozenset[str], ...] = (frozenset({"inactive_member", "onboarding"}),)


def split(kinds: list[str], cost: Mapping[str, float] = COST) -> tuple[list[str], list[str]]:
    """Two groups of about equal cost (greedy, heaviest first); order kept within each, and
    the kinds of a `TOGETHER` set kept on one side."""
    units: list[list[str]] = []
    placed: set[str] = set()
    for kind in kinds:
        if kind in placed:
            continue
        unit = [k for together in TOGETHER if kind in together for k in kinds if k in together] or [kind]
        units.append(unit)
        placed.update(unit)

    def weight(unit: list[str]) -> float:
        return sum(cost.get(k, 1.0) for k in unit)

    loads = [0.0, 0.0]
    side: dict[str, int] = {}
    for unit in sorted(units, key=lambda u: (-weight(u), u)):
        i = 0 if loads[0] <= loads[1] else 1
        side.update(dict.fromkeys(unit, i))
        loads[i] += weight(unit)
    return [k for k in kinds if side[k] == 0], [k for k in kinds if side[k] == 1]


def forked_runner(posts: int, min_posts: int = MIN_POSTS, cold: bool = False) -> Runner:
    """A runner that forks for a big run: `posts` >= `min_posts` and `MIN_COST` seconds of
    work; or, `cold` (this process kept nothing from a run before), an incremental run of
    `MIN_COLD_SECONDS` estimated at this size, the lemmatising kinds in the child."""

    def run(jobs: Mapping[str, Job], done: Callable[[str], None]) -> Mapping[str, Outcome]:
        # Forking a process with other threads running (the console computes in a worker)
        # may copy a lock another thread holds: only a single-threaded caller forks.
        if posts < min_posts or threading.active_count() != 1 or not hasattr(os, "fork"):
            return run_in_order(jobs, done)
        costs = {kind: job_cost(kind, job) for kind, job in jobs.items()}
        if sum(costs.values()) >= MIN_COST:
            mine, theirs = split(list(jobs), costs)
            return _run_forked(jobs, mine, theirs, done)
        # A warm incremental run is a second of work: measured at 1M posts, a fork then costs
        # more (copy-on-write faults, both halves reading the same months) than it saves.
        cold_seconds = sum(job_cost(kind, job, cold=True) for kind, job in jobs.items()) * posts / 1e6
        theirs = [kind for kind in jobs if kind in COLD_CHILD]
        if not cold or cold_seconds < MIN_COLD_SECONDS or not theirs or len(theirs) == len(jobs):
            return run_in_order(jobs, done)
        return _run_forked(jobs, [kind for kind in jobs if kind not in COLD_CHILD], theirs, done)

    return run


def _run_forked(
    jobs: Mapping[str, Job], mine: list[str], theirs: list[str], done: Callable[[str], None]
) -> dict[str, Outcome]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run its share, send it, leave without running any cleanup
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps({k: jobs[k].run() for k in theirs}, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as sink:
                sink.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    out: dict[str, Outcome] = {}
    pipe = os.fdopen(read_end, "rb")
    try:
        for kind in mine:
            out[kind] = jobs[kind].run()
            done(kind)
        # The child blocks on a full pipe until this read: it never waits on the parent's work.
        payload = pipe.read()
    finally:
        pipe.close()  # if we stop early, the child's write fails and it exits
        _, status = os.waitpid(pid, 0)
    theirs_out: dict[str, Outcome] | None = None
    if status == 0:
        with contextlib.suppress(Exception):  # a damaged payload: run those kinds here instead
            loaded = pickle.loads(payload)
            if isinstance(loaded, dict) and set(loaded) == set(theirs):
                theirs_out = loaded
    for kind in theirs:
        if theirs_out is not None:
            found = theirs_out[kind]
            out[kind] = replace(found, signals=as_before(found.signals, jobs[kind].previous))
        else:
            out[kind] = jobs[kind].run()
        done(kind)
    return out


def as_before(signals: tuple[Signal, ...], before: Sequence[Signal]) -> tuple[Signal, ...]:
    """`signals` (copies, from the child), each one equal to a signal of `before` given as
    that very object: the objects of the previous state are those whose saved lines the
    console knows (`SavedSignals.lines_of`); a copy would be encoded again (~0.3 s of a fresh
    `tact signals` at a million posts) and held twice."""
    if not signals or not before:
        return signals
    previous = {s.id: s for s in before}
    return tuple(s if (p := previous.get(s.id)) is None or p != s else p for s in signals)
