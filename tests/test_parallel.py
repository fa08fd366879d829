"""A big run spread over two processes gives exactly what one process gives."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta

import pytest

from console.parallel import COLD_CHILD, _run_forked, forked_runner, split
from heuristics.engine import Engine, Job, Outcome, run_in_order
from heuristics.model import Member, Post, Signal, parse_time, signal_id
from tests.test_engine import data_of, post

NOW = parse_time("2026-03-15T12:00:00Z")
CHAIN = (
    "Please share this message with every cat owner you know: the new insulin pens from the "
    "pharmacy downtown were recalled because the dose counter sticks after twenty clicks and "
    "several diabetic cats received double doses last week before anyone noticed the problem"
)


def test_split_balances_the_cost_and_keeps_the_order() -> None:
    a, b = split(["x", "heavy", "y", "z"], {"heavy": 3.0, "x": 1.0, "y": 1.0, "z": 1.0})
    assert sorted(a + b) == ["heavy", "x", "y", "z"]
    assert {tuple(a), tuple(b)} == {("heavy",), ("x", "y", "z")}
    assert split([]) == ([], [])
    # Kinds that share a run's per-member figures stay together, whatever their costs.
    a, b = split(
        ["inactive_member", "x", "onboarding"], {"inactive_member": 1.0, "x": 1.5, "onboarding": 1.0}
    )
    assert {tuple(a), tuple(b)} == {("inactive_member", "onboarding"), ("x",)}


def _outcome(kind: str) -> Outcome:
    # What the child computes must come back whole: signals, pid-independent.
    sig = Signal(signal_id(kind, "k"), kind, 0.5, NOW, ("p1",), ("m1",), (f"{kind} reason",))
    return Outcome("full", (sig,), seconds=0.0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_forked_outcomes_equal_those_run_in_order() -> None:
    jobs = {k: Job("full", lambda k=k: _outcome(k)) for k in ("a", "b", "c")}  # type: ignore[misc]
    seen: list[str] = []
    forked = _run_forked(jobs, ["a"], ["b", "c"], seen.append)
    assert forked == run_in_order(jobs, lambda _: None)
    assert sorted(seen) == ["a", "b", "c"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_child_that_dies_costs_time_not_signals() -> None:
    parent = os.getpid()

    def fragile() -> Outcome:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a word
        return _outcome("b")

    jobs: Mapping[str, Job] = {"a": Job("full", lambda: _outcome("a")), "b": Job("full", fragile)}
    out = _run_forked(jobs, ["a"], ["b"], lambda _: None)
    assert out == {"a": _outcome("a"), "b": _outcome("b")}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_the_engine_through_the_forked_runner_equals_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    forks: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # pytest-xdist runs a thread
    posts = [post(i, CHAIN + f" number {i % 4}", f"m{i % 5}", i % 7) for i in range(40)]
    # A stranger's promotional comment (spam), a chain message (text repeats), a newcomer to
    # welcome and silent members (onboarding, inactive members): kinds from both halves.
    pitch = (
        "Check out my channel and subscribe!!! Best deals on pet food at http://cheap-pet-deals.example.com"
    )
    spam = Post(
        "s1", "stranger", posts[0].created_at + timedelta(hours=1), "comment", pitch, parent=posts[0].id
    )
    data = data_of([*posts, spam])
    members = {k: v for k, v in data.members.items() if k != "stranger"}
    data = replace(data, members={**members, "new": Member("new", NOW - timedelta(days=1))})
    parent_side, child_side = split(list(Engine.build().detectors))
    members_side = parent_side if "onboarding" in parent_side else child_side
    other_side = child_side if members_side is parent_side else parent_side
    assert "inactive_member" in members_side and "spam" in other_side
    spread = Engine.build().run(data, NOW, runner=forked_runner(posts=len(posts), min_posts=1))
    assert forks == [1]
    single = Engine.build().run(data, NOW)
    assert [(s.id, s.score, s.posts) for s in spread.signals] == [
        (s.id, s.score, s.posts) for s in single.signals
    ]
    assert spread.modes == single.modes
    kinds = {s.kind for s in spread.signals}
    assert {"onboarding", "inactive_member", "text_repeat", "spam"} <= kinds  # from both sides
    # Small runs stay in one process.
    Engine.build().run(data, NOW, runner=forked_runner(posts=len(posts)))
    assert forks == [1]


def _where(kind: str) -> Outcome:
    """An outcome that says which process computed it."""
    sig = Signal(signal_id(kind, "k"), kind, 0.5, NOW, ("p1",), ("m1",), (f"pid {os.getpid()}",))
    return Outcome("incremental", (sig,), seconds=0.0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_cold_incremental_run_sends_the_lemmatising_kinds_to_the_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh `tact signals` after an import (nothing kept in the process) forks; a console's
    warm run, a small community and a process with other threads do not."""
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)  # pytest-xdist runs a thread
    kinds = ["image_repost", "text_repeat", "spam", "off_topic_drift", "conflict", "inactive_member"]
    jobs = {k: Job("incremental", lambda k=k: _where(k)) for k in kinds}  # type: ignore[misc]
    seen: list[str] = []
    out = forked_runner(posts=1_000_000, cold=True)(jobs, seen.append)
    assert sorted(seen) == sorted(kinds)
    parent = f"pid {os.getpid()}"
    in_child = {k for k, o in out.items() if o.signals[0].reasons[0] != parent}
    assert in_child == {"text_repeat", "spam", "off_topic_drift"} == set(kinds) & COLD_CHILD
    for runner in (
        forked_runner(posts=1_000_000),  # warm: what a console kept makes it a second of work
        forked_runner(posts=100_000, cold=True),  # small: the fork would cost what it saves
    ):
        out = runner(jobs, lambda _: None)
        assert {o.signals[0].reasons[0] for o in out.values()} == {parent}
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    out = forked_runner(posts=1_000_000, cold=True)(jobs, lambda _: None)
    assert {o.signals[0].reasons[0] for o in out.values()} == {parent}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_what_the_child_sends_back_unchanged_is_the_previous_objects() -> None:
    """The child's signals come back as copies: those equal to a previous signal of the job
    are given back as that very object (whose saved line the console knows), the others as
    they came."""
    kept = Signal(signal_id("spam", "a"), "spam", 0.5, NOW, ("p1",), ("m1",), ("same",))
    moved = Signal(signal_id("spam", "b"), "spam", 0.5, NOW, ("p2",), ("m1",), ("before",))
    new = Signal(signal_id("spam", "c"), "spam", 0.7, NOW, ("p3",), ("m2",), ("new",))

    def run() -> Outcome:
        return Outcome("incremental", (replace(kept), replace(moved, reasons=("after",)), new))

    jobs = {"spam": Job("incremental", run, [kept, moved]), "other": Job("full", lambda: _outcome("other"))}
    out = _run_forked(jobs, ["other"], ["spam"], lambda _: None)
    got = out["spam"].signals
    assert got[0] is kept
    assert got[1] is not moved and got[1].reasons == ("after",)
    assert got[2] == new and got[2] is not new  # a copy: it went through the pipe
