"""The engine with fake detectors: stable ids, incremental == full, statuses merged."""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.config import Settings
from console.context import Tact
from console.signal_state import STATE_FILE, read_state, write_state
from console.signals_service import (
    compute_signals,
    run_engine,
    signal_to_json,
)
from console.store import Store
from heuristics import engine as engine_mod
from heuristics.detector import CommunityData, ImageHashes, ListTable
from heuristics.digests import digest_sum
from heuristics.engine import DetectorConfigError, Engine, EngineState, Vouched, month_key
from heuristics.model import Community, Member, Post, Signal, format_time, parse_time, signal_id
from tests.conftest import NOW, fill, spy_months

T0 = parse_time("2026-01-01T00:00:00Z")
CALLS: dict[str, int] = defaultdict(int)


class FakeRepeat:
    """Groups posts with the same text (≥ 2): an incremental detector like text_repeat."""

    kind = "text_repeat"

    def __init__(self, min_group: int = 2) -> None:
        self.min_group = min_group

    def _signal(self, group: list[Post]) -> Signal:
        return Signal(
            id=signal_id(self.kind, group[0].id),
            kind=self.kind,
            score=round(min(1.0, len(group) / 5), 3),
            at=group[-1].created_at,
            posts=tuple(p.id for p in group),
            members=tuple(dict.fromkeys(p.author for p in group)),
            reasons=(f"{len(group)} posts say the same",),
            evidence={"size": len(group), "last": group[-1].created_at},
        )

    def _groups(self, posts: Sequence[Post], texts: set[str] | None = None) -> list[list[Post]]:
        by_text: dict[str, list[Post]] = defaultdict(list)
        for p in posts:
            if texts is None or p.text in texts:
                by_text[p.text].append(p)
        return [g for g in by_text.values() if len(g) >= self.min_group]

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        CALLS["repeat_full"] += 1
        return [self._signal(g) for g in self._groups(data.posts)]

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        CALLS["repeat_new"] += 1
        CALLS["repeat_new_posts"] += len(new_posts)
        touched = {p.text for p in new_posts}
        by_id = {p.id: p for p in data.posts}
        kept = [s for s in previous if by_id[s.posts[0]].text not in touched]
        return kept + [self._signal(g) for g in self._groups(data.posts, touched)]


class FakeBusy:
    """A time-window detector (no detect_new): fires when the last 7 days hold ≥ `n` posts."""

    kind = "quiet_group"

    def __init__(self, n: int = 3) -> None:
        self.n = n

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        CALLS["busy_full"] += 1
        recent = [p for p in data.posts if now - timedelta(days=7) <= p.created_at < now]
        if len(recent) < self.n:
            return []
        week = now.date().isocalendar()
        return [Signal(signal_id(self.kind, f"{week[0]}-{week[1]}"), self.kind, 0.5, now)]


class FakeLean:
    """An incremental detector that reads nothing but the new posts."""

    kind = "image_repost"

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return []

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        return list(previous)


class Broken:
    kind = "spam"

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        raise RuntimeError("boom")


FAKES = {
    "text_repeat": ("tests.test_engine", "FakeRepeat"),
    "quiet_group": ("tests.test_engine", "FakeBusy"),
    "conflict": ("tests.no_such_module_yet", "ConflictDetector"),
}


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_mod, "REGISTRY", FAKES)
    CALLS.clear()


def post(i: int, text: str, author: str = "m1", day: int = 0) -> Post:
    return Post(f"p{i:03d}", author, T0 + timedelta(days=day, minutes=i), text=text)


def data_of(posts: Sequence[Post], **kw: object) -> CommunityData:
    members = {m: Member(m, T0 - timedelta(days=30)) for m in {p.author for p in posts} | {"m1"}}
    return CommunityData(Community("c", "C", "en"), members, sorted(posts, key=lambda p: p.created_at), **kw)  # type: ignore[arg-type]


def console_data(posts: Sequence[Post], kept: dict[object, object], **kw: object) -> CommunityData:
    """`data_of` as the console's store gives it: with the post table, the month sums its
    writes keep, and the figures a console keeps from one run to the next (`kept`)."""
    ordered = sorted(posts, key=lambda p: p.created_at)
    sums: dict[str, list[Post]] = defaultdict(list)
    for p in ordered:
        sums[month_key(p)].append(p)
    month_sums = {m: digest_sum(ps) for m, ps in sums.items()}
    return data_of(ordered, table=ListTable.of(ordered), month_sums=month_sums, kept=kept, **kw)


def engine() -> Engine:
    return Engine.build({}, registry=FAKES)


def as_json(signals: Sequence[Signal]) -> list[dict[str, object]]:
    return [signal_to_json(s) for s in signals]


def test_missing_modules_are_skipped_and_ids_are_stable() -> None:
    eng = engine()
    assert set(eng.detectors) == {"text_repeat", "quiet_group"}
    assert eng.skipped == ("conflict",)
    posts = [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b"), post(5, "c")]
    first = eng.run(data_of(posts), T0 + timedelta(days=2))
    again = engine().run(data_of(posts), T0 + timedelta(days=2))
    assert [s.id for s in first.signals] == [s.id for s in again.signals]
    assert len([s for s in first.signals if s.kind == "text_repeat"]) == 2
    # Sorted most urgent first, then by id.
    keys = [(-s.score, s.id) for s in first.signals]
    assert keys == sorted(keys)


def test_incremental_passes_only_new_posts_and_reruns_window_detectors() -> None:
    eng = engine()
    old = [post(1, "a"), post(2, "a"), post(3, "b")]
    r1 = eng.run(data_of(old), T0 + timedelta(days=1))
    assert r1.modes == {"text_repeat": "full", "quiet_group": "full"}
    new = [*old, post(4, "b"), post(5, "z")]
    r2 = eng.run(data_of(new), T0 + timedelta(days=1), r1.state)
    assert r2.modes == {"text_repeat": "incremental", "quiet_group": "full"}
    assert CALLS["repeat_new_posts"] == 2
    full = engine().run(data_of(new), T0 + timedelta(days=1))
    assert as_json(r2.signals) == as_json(full.signals)


def test_an_edited_old_post_forces_a_full_recompute() -> None:
    eng = engine()
    old = [post(1, "a"), post(2, "a"), post(3, "b")]
    r1 = eng.run(data_of(old), T0)
    edited = [post(1, "a"), post(2, "changed"), post(3, "b"), post(4, "b")]
    r2 = eng.run(data_of(edited), T0, r1.state)
    assert r2.modes["text_repeat"] == "full"
    assert as_json(r2.signals) == as_json(engine().run(data_of(edited), T0).signals)
    assert all(s.posts[0] != "p001" for s in r2.signals)


def test_a_late_image_hash_or_removed_post_forces_a_full_recompute() -> None:
    eng = engine()
    posts = [post(1, "a"), Post("p002", "m1", T0, text="a", images=("x.jpg",))]
    r1 = eng.run(data_of(posts), T0)
    hashed = data_of(posts, image_hashes={"x.jpg": ImageHashes("x.jpg", "phash64", (5,))})
    assert eng.run(hashed, T0, r1.state).modes["text_repeat"] == "full"
    assert eng.run(data_of(posts[:1]), T0, r1.state).modes["text_repeat"] == "full"


def test_vouched_months_are_not_fingerprinted_but_the_others_are() -> None:
    eng = engine()
    jan = [post(1, "a"), post(2, "a")]
    feb = [post(3, "b", day=40), post(4, "b", day=41)]
    r1 = eng.run(data_of(jan + feb), T0)
    assert set(r1.state.month_sums) == {"2026-01", "2026-02"}
    # February edited, January vouched for: the edit is still seen.
    edited = [*jan, post(3, "x", day=40), post(4, "b", day=41)]
    r2 = eng.run(data_of(edited), T0, r1.state, Vouched(months=frozenset({"2026-01"})))
    assert r2.modes["text_repeat"] == "full"
    # New posts in March, the old months vouched for: incremental, and equal to a full run.
    more = [*jan, *feb, post(5, "a", day=60), post(6, "c", day=61)]
    both = frozenset({"2026-01", "2026-02"})
    r3 = eng.run(data_of(more), T0, r1.state, Vouched(months=both, images=True, members=True))
    assert r3.modes["text_repeat"] == "incremental"
    assert as_json(r3.signals) == as_json(engine().run(data_of(more), T0).signals)
    assert r3.state.month_sums == engine().run(data_of(more), T0).state.month_sums


def test_changed_params_force_a_full_run_of_that_kind_only() -> None:
    posts = [post(1, "a"), post(2, "a"), post(3, "a")]
    r1 = engine().run(data_of(posts), T0)
    other = Engine.build({"text_repeat": {"min_group": 3}}, registry=FAKES)
    r2 = other.run(data_of(posts), T0, r1.state)
    assert r2.modes["text_repeat"] == "full"
    assert r1.state.kinds["quiet_group"].fingerprint == r2.state.kinds["quiet_group"].fingerprint


def test_unknown_detector_parameter_is_a_config_error() -> None:
    with pytest.raises(DetectorConfigError) as err:
        Engine.build({"text_repeat": {"min_grop": 3}}, registry=FAKES)
    assert err.value.kind == "text_repeat" and err.value.field == "min_grop"


def test_a_failing_detector_keeps_its_previous_signals_and_spares_the_others() -> None:
    reg = {**FAKES, "spam": ("tests.test_engine", "Broken")}
    posts = [post(1, "a"), post(2, "a")]
    r = Engine.build({}, registry=reg).run(data_of(posts), T0)
    assert r.errors == {"spam": "RuntimeError: boom"}
    assert r.modes["spam"] == "failed" and "spam" not in r.state.kinds
    assert any(s.kind == "text_repeat" for s in r.signals)


def test_kinds_subset_keeps_the_other_kinds_state_and_catches_up_later() -> None:
    posts = [post(1, "a"), post(2, "a")]
    r1 = engine().run(data_of(posts), T0)
    only_busy = Engine.build({}, ["quiet_group"], registry=FAKES)
    more = [*posts, post(3, "a"), post(4, "q"), post(5, "q")]
    r2 = only_busy.run(data_of(more), T0, r1.state)
    assert r2.state.kinds["text_repeat"] == r1.state.kinds["text_repeat"]
    assert [s.kind for s in r2.signals] == [] or {s.kind for s in r2.signals} == {"quiet_group"}
    r3 = engine().run(data_of(more), T0, r2.state)
    assert r3.modes["text_repeat"] == "incremental"
    assert CALLS["repeat_new_posts"] == 3
    assert as_json(r3.signals) == as_json(engine().run(data_of(more), T0).signals)


TEXTS = st.sampled_from(["a", "b", "c", "d"])


def state_roundtrip(folder: Path, state: EngineState) -> EngineState:
    """`state` saved into `folder` and read back, as between two processes."""
    path = folder / STATE_FILE
    write_state(path, state, 0, {})
    back = read_state(path)
    assert back is not None
    return back.state


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=4),
    roundtrip=st.booleans(),
)
def test_incremental_equals_full_on_the_same_data(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], cuts: list[int], roundtrip: bool
) -> None:
    folder = tmp_path_factory.mktemp("state")
    posts = [post(i, t, author=f"m{i % 3}", day=i % 9) for i, t in enumerate(texts)]
    now = T0 + timedelta(days=10)
    state: EngineState | None = None
    eng = engine()
    for cut in [*sorted(cuts), len(posts)]:
        r = eng.run(data_of(posts[:cut]), now, state)
        state = r.state
        if roundtrip:  # through the JSON the console saves, as between two processes
            state = state_roundtrip(folder, state)
    full = engine().run(data_of(posts), now)
    assert as_json(r.signals) == as_json(full.signals)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(TEXTS, min_size=2, max_size=20),
    steps=st.lists(
        st.tuples(st.sampled_from(["add", "append", "edit", "drop"]), st.integers(0, 19), TEXTS),
        min_size=1,
        max_size=5,
    ),
    vouch=st.booleans(),
    console=st.booleans(),
)
def test_incremental_equals_full_after_edits_and_removals(
    texts: list[str], steps: list[tuple[str, int, str]], vouch: bool, console: bool
) -> None:
    """Whatever happens between runs, the result equals a full run on the data as it is.

    With `vouch`, the caller vouches (as the console does from file stamps) for exactly
    the months the step did not touch. With `console`, every run gets what a console's store
    gives: the post table, the month sums its writes keep, and the same `CommunityData.kept`.
    """
    kept: dict[object, object] = {}

    def data(posts: Sequence[Post]) -> CommunityData:
        return console_data(posts, kept) if console else data_of(posts)

    posts = {p.id: p for p in (post(i, t, day=(i * 11) % 90) for i, t in enumerate(texts))}
    now = T0 + timedelta(days=100)
    eng = engine()
    state = eng.run(data(list(posts.values())), now).state
    for n, (op, i, text) in enumerate(steps):
        before = {p.id: p for p in posts.values()}
        ids = sorted(posts)
        if op in ("add", "append"):
            # "append": after every post, as an import of the latest posts (the table grows)
            new = post(100 + n, text, day=(i * 7) % 90 if op == "add" else 95)
            posts[new.id] = new
        elif op == "edit":
            old = posts[ids[i % len(ids)]]
            posts[old.id] = Post(old.id, old.author, old.created_at, text=text)
        elif len(posts) > 1:
            del posts[ids[i % len(ids)]]
        touched = {
            month_key(p)
            for pid in set(before) | set(posts)
            for p in (before.get(pid), posts.get(pid))
            if p is not None and before.get(pid) != posts.get(pid)
        }
        months = {month_key(p) for p in [*before.values(), *posts.values()]} - touched
        vouched = Vouched(months=frozenset(months), images=True, members=True) if vouch else None
        r = eng.run(data(list(posts.values())), now, state, vouched)
        known = kept.get("engine.known")
        if known is not None:  # the set a console keeps is exactly its ids, grown or not
            assert known.set == set(known.ids)  # type: ignore[attr-defined]
        state = r.state
        full = engine().run(data_of(list(posts.values())), now)
        assert as_json(r.signals) == as_json(full.signals)
        assert dict(r.state.month_sums) == dict(full.state.month_sums)


def test_an_import_of_the_latest_posts_digests_only_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console whose post table only grew knows the rows it saw by their number: it builds
    no set of ids, and of the month the import added to it digests only the new posts (the
    writer's month sum accounts for the others)."""
    posts = [post(i, "a" if i % 2 else "b", day=40 + i % 5) for i in range(12)]
    kept: dict[object, object] = {}
    eng = engine()
    state = eng.run(console_data(posts, kept), NOW).state
    more = [*posts, post(20, "a", day=48), post(21, "c", day=49)]
    digested: list[str] = []
    real = engine_mod.post_digest

    def spy(p: Post) -> int:
        digested.append(p.id)
        return real(p)

    monkeypatch.setattr(engine_mod, "post_digest", spy)
    kept.clear()
    months = frozenset({month_key(p) for p in more}) - {month_key(more[-1])}
    r = eng.run(console_data(more, kept), NOW, state, Vouched(months=months, images=True, members=True))
    assert sorted(digested) == ["p020", "p021"]
    assert "engine.known" not in kept
    assert r.modes["text_repeat"] == "incremental"
    assert as_json(r.signals) == as_json(engine().run(data_of(more), NOW).signals)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pictured=st.lists(st.sampled_from(["", "a.jpg", "b.jpg", "c.jpg"]), min_size=1, max_size=8),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.sampled_from(["", "a.jpg", "d.jpg", "e.jpg"]), st.integers(0, 90)),
            st.tuples(
                st.just("hash"), st.sampled_from(["a.jpg", "b.jpg", "d.jpg", "e.jpg"]), st.integers(1, 9)
            ),
        ),
        min_size=1,
        max_size=5,
    ),
    console=st.booleans(),
)
def test_knowing_which_pictures_were_hashed_gives_what_checking_them_all_gives(
    pictured: list[str], steps: list[tuple[str, str, int]], console: bool
) -> None:
    """The console tells the engine which pictures were hashed since the last run: the sums,
    the mode and the signals are those of a run that checks every picture. With `console`,
    the told runs get the post table, month sums and kept figures a console has."""
    kept: dict[object, object] = {}

    def told_data(posts: list[Post], hashes: dict[str, ImageHashes]) -> CommunityData:
        if console:
            return console_data(posts, kept, image_hashes=dict(hashes))
        return data_of(posts, image_hashes=dict(hashes))

    posts = [
        Post(f"p{i:03d}", "m1", T0 + timedelta(days=i * 13), text="same", images=(path,) if path else ())
        for i, path in enumerate(pictured)
    ]
    hashes: dict[str, ImageHashes] = {"a.jpg": ImageHashes("a.jpg", "phash64", (1,))}
    eng = engine()
    state = eng.run(data_of(posts, image_hashes=dict(hashes)), T0).state
    for n, (op, path, value) in enumerate(steps):
        changed: set[str] = set()
        months = {month_key(p) for p in posts}
        if op == "add":
            new = Post(
                f"q{n}",
                "m1",
                T0 + timedelta(days=value, hours=n),
                text="same",
                images=(path,) if path else (),
            )
            months.discard(month_key(new))
            posts.append(new)
        else:
            old = hashes.get(path)
            hashes[path] = ImageHashes(path, "phash64", ((old.hashes[0] if old else 0) + value,))
            changed.add(path)
        data = data_of(posts, image_hashes=dict(hashes))
        vouched = Vouched(months=frozenset(months), pictures=frozenset(changed))
        told = eng.run(told_data(posts, hashes), T0, state, vouched)
        checked = engine().run(data, T0, state, Vouched(months=frozenset(months)))
        assert told.modes == checked.modes
        assert dict(told.state.month_sums) == dict(checked.state.month_sums)
        assert told.state.post_ids == checked.state.post_ids
        assert as_json(told.signals) == as_json(checked.signals)
        seen_shows_it = any(set(p.images) & changed for p in posts if p.id in state.post_ids)
        assert (told.modes["text_repeat"] == "full") == seen_shows_it
        state = told.state


# -- the service: state file, statuses --------------------------------------------------------


def test_service_persists_state_and_recomputes_incrementally(tact) -> None:  # type: ignore[no-untyped-def]
    members = [Member("m1", T0 - timedelta(days=30))]
    fill(tact, members, [post(1, "a"), post(2, "a")])
    assert run_engine(tact).modes["text_repeat"] == "full"
    assert tact.store.derived_path("signals.json").exists()
    tact.store.save_posts([post(3, "a"), post(4, "b")])
    r = run_engine(tact)
    assert r.modes["text_repeat"] == "incremental"
    assert CALLS["repeat_new_posts"] == 2
    # Nothing changed at all: every detector's previous signals are reused.
    assert run_engine(tact).modes == {"text_repeat": "reused", "quiet_group": "reused"}
    assert CALLS["repeat_new_posts"] == 2 and CALLS["repeat_new"] == 1
    # Another now: window detectors run again; the watermark is trusted (no new posts).
    later = run_engine(tact, NOW + timedelta(hours=1))
    assert later.modes == {"text_repeat": "incremental", "quiet_group": "full"}
    assert CALLS["repeat_new_posts"] == 2
    # A moderator's action changes what the window detectors honour: no reuse.
    tact.audit.record("onboarding_done", "alice", member="m1", step="welcome")
    assert run_engine(tact, NOW + timedelta(hours=1)).modes["quiet_group"] == "full"


def test_service_sees_an_edited_post_and_a_late_picture_hash(tact) -> None:  # type: ignore[no-untyped-def]
    pic = Post("p010", "m1", T0 + timedelta(days=40), text="look", images=("/x/cat.jpg",))
    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), pic])
    run_engine(tact)
    tact.store.save_posts([post(3, "a", day=70)])
    assert run_engine(tact).modes["text_repeat"] == "incremental"
    tact.store.save_image_hashes([{"path": "/x/cat.jpg", "kind": "phash64", "hashes": [7]}])
    assert run_engine(tact).modes["text_repeat"] == "full"
    assert run_engine(tact, NOW + timedelta(hours=1)).modes["text_repeat"] == "incremental"
    tact.store.save_posts([post(2, "edited")])
    r = run_engine(tact)
    assert r.modes["text_repeat"] == "full"
    assert [s.posts for s in r.signals if s.kind == "text_repeat"] == [("p001", "p003")]
    tact.store.save_people(None, [Member("m1", T0, name="Renamed")])
    assert run_engine(tact).modes["text_repeat"] == "full"


def test_last_signals_without_computing_and_the_clock_to_the_minute(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from console.config import Settings
    from console.context import Tact
    from console.signals_service import last_signals

    live = Tact.open(Settings(tmp_path / "d", "alice"))  # the wall clock
    assert last_signals(live) is None
    fill(live, [Member("m1", T0)], [post(1, "a"), post(2, "a")])
    first = compute_signals(live)
    assert [s.id for s in last_signals(live) or []] == [s.id for s in first]
    live.audit.record("dismiss", "alice", signal=first[0].id)
    assert (last_signals(live) or [])[0].status == "dismissed"
    again = run_engine(live)
    # Within the same minute nothing is recomputed (the test may straddle a minute: then
    # the window detector runs again, and the incremental one finds nothing new).
    assert again.modes["text_repeat"] in {"reused", "incremental"}
    assert CALLS["repeat_new_posts"] == 0


def test_corrupt_state_file_means_a_full_recompute(tact) -> None:  # type: ignore[no-untyped-def]
    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a")])
    first = compute_signals(tact)
    tact.store.derived_path("signals.json").write_bytes(b"{not json")
    r = run_engine(tact)
    assert r.modes["text_repeat"] == "full"
    assert [s.id for s in r.signals] == [s.id for s in first]


def test_statuses_are_merged_and_dismissed_stays_dismissed(tact) -> None:  # type: ignore[no-untyped-def]
    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b")])
    signals = compute_signals(tact)
    a = next(s for s in signals if s.posts[0] == "p001")
    b = next(s for s in signals if s.posts[0] == "p003")
    tact.audit.record("dismiss", "alice", signal=a.id, at=NOW)
    tact.audit.record("handled", "alice", signal=b.id, at=NOW)
    tact.store.save_posts([post(5, "a"), post(6, "c")])  # the dismissed group grows
    after = {s.id: s for s in compute_signals(tact)}
    assert after[a.id].status == "dismissed" and after[a.id].posts[-1] == "p005"
    assert after[b.id].status == "handled"
    tact.audit.record("reopen", "bob", signal=a.id, at=NOW)
    assert {s.id: s for s in compute_signals(tact)}[a.id].status == "open"


def test_a_snooze_expires(tact) -> None:  # type: ignore[no-untyped-def]
    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a")])
    sid = compute_signals(tact)[0].id
    tact.audit.record("snooze", "alice", signal=sid, until=NOW + timedelta(days=1), at=NOW)
    assert compute_signals(tact, now=NOW)[0].status == "snoozed"
    assert compute_signals(tact, now=NOW + timedelta(days=2))[0].status == "open"


def test_kinds_filter_and_unknown_kind(tact) -> None:  # type: ignore[no-untyped-def]
    from console.errors import BadInput

    fill(tact, [Member("m1", T0)], [post(i, "a", day=70) for i in range(5)])
    kinds = {s.kind for s in compute_signals(tact, kinds=["text_repeat"])}
    assert kinds == {"text_repeat"}
    with pytest.raises(BadInput):
        compute_signals(tact, kinds=["nope"])


def test_evidence_becomes_plain_json() -> None:
    import numpy as np

    s = Signal(
        "k:1",
        "spam",
        np.float32(0.5),  # type: ignore[arg-type]
        T0,
        evidence={"n": np.int64(3), "x": np.float64(0.25), "at": T0, "set": {"b", "a"}, "t": (1, 2)},
    )
    doc = signal_to_json(s)
    assert doc["score"] == 0.5 and type(doc["score"]) is float
    assert doc["evidence"] == {
        "n": 3,
        "x": 0.25,
        "at": "2026-01-01T00:00:00Z",
        "set": ["a", "b"],
        "t": [1, 2],
    }
    assert type(doc["evidence"]["n"]) is int


def test_load_data_detects_a_missing_member_language_and_caches_it(tact) -> None:  # type: ignore[no-untyped-def]
    from console.signals_service import load_data

    fr = "Bonjour à tous, mon chat est diabétique depuis un mois et je cherche des conseils pour l'insuline."
    en = "Hello everyone, my cat was diagnosed with diabetes last month and I am looking for advice."
    members = [Member("m1", T0), Member("m2", T0), Member("m3", T0, lang="en"), Member("m4", T0)]
    fill(tact, members, [post(1, fr, "m1"), post(2, en, "m2"), post(3, fr, "m3")])
    data = load_data(tact)
    assert data.member_langs == {"m1": "fr", "m2": "en", "m3": "en"}  # given beats detected
    assert data.lang_of("m4") == "en"  # no posts: the community's language
    cache = tact.store.derived_path("member_langs.json")
    assert cache.exists()
    tact.store.save_posts([post(4, fr, "m2"), post(5, fr, "m2"), post(6, fr, "m2")])
    assert load_data(tact).member_langs["m2"] == "fr"  # re-detected: the cache is keyed on post counts


def test_month_runs_by_bisection_and_by_scan_when_out_of_order() -> None:
    from heuristics.detector import ListTable
    from heuristics.engine import _month_runs

    posts = [post(i, "x", day=d) for i, d in enumerate([0, 5, 31, 32, 40, 59, 60, 364, 365])]
    expected = [("2026-01", 2), ("2026-02", 3), ("2026-03", 2), ("2026-12", 1), ("2027-01", 1)]
    plain = CommunityData(Community("c"), {}, posts)
    with_table = CommunityData(Community("c"), {}, posts, table=ListTable.of(posts))
    assert [(m, b - a) for m, a, b in _month_runs(plain)] == expected
    assert _month_runs(with_table) == _month_runs(plain)
    shuffled = [posts[3], posts[0], posts[7], posts[1]]
    for table in (None, ListTable.of(shuffled)):
        data = CommunityData(Community("c"), {}, shuffled, table=table)
        covered = [(m, i) for m, a, b in _month_runs(data) for i in range(a, b)]
        assert covered == [(month_key(p), i) for i, p in enumerate(shuffled)]


def test_state_file_reuses_kept_signal_documents_faithfully(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import orjson

    from console import signal_state

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b")])
    run_engine(tact)
    encoded: list[str] = []

    def encode(s: Signal) -> dict[str, object]:
        if s.kind == "text_repeat":
            encoded.append(s.id)
        return signal_to_json(s)

    monkeypatch.setattr(signal_state, "signal_to_json", encode)
    for n in (5, 6):  # one group changes, the other is kept as it was; twice in one console
        encoded.clear()
        tact.store.save_posts([post(n, "b")])
        r = run_engine(tact)
        assert r.modes["text_repeat"] == "incremental"
        saved = orjson.loads(tact.store.derived_path("signals.json").read_bytes())
        lines = tact.store.derived_path(saved["kinds"]["text_repeat"]["file"]).read_bytes().split(b"\n")
        assert [orjson.loads(x) for x in lines] == [
            signal_to_json(s) for s in r.state.kinds["text_repeat"].signals
        ]
        # Only the changed group's signal is encoded: the other's line is reused, read back
        # from the file the first time, kept in memory from the write the second.
        assert len(encoded) == 1


def test_a_kind_file_of_an_older_tact_one_json_list_reads_back_and_is_rewritten_as_lines(tact) -> None:  # type: ignore[no-untyped-def]
    import orjson

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b")])
    first = run_engine(tact, NOW)
    main = tact.store.derived_path(STATE_FILE)
    kind_file = tact.store.derived_path(orjson.loads(main.read_bytes())["kinds"]["text_repeat"]["file"])
    lines = kind_file.read_bytes().split(b"\n")
    assert [orjson.loads(x) for x in lines] == [
        signal_to_json(s) for s in first.state.kinds["text_repeat"].signals
    ]
    kind_file.write_bytes(orjson.dumps([orjson.loads(x) for x in lines]))  # as tact wrote it before
    other = Tact.open(tact.settings, tact.fixed_now)
    tact.store.save_posts([post(5, "b")])
    again = run_engine(other, NOW)
    assert again.modes["text_repeat"] == "incremental"
    assert [signal_to_json(s) for s in again.signals] == [
        signal_to_json(s) for s in run_engine(Tact.open(tact.settings, tact.fixed_now), NOW).signals
    ]
    rewritten = tact.store.derived_path(orjson.loads(main.read_bytes())["kinds"]["text_repeat"]["file"])
    assert rewritten != kind_file and not rewritten.read_bytes().startswith(b"[")


def test_a_kind_never_read_is_written_again_whole(tmp_path: Path) -> None:
    # A state read back parses no kind file until used: a kind run in full (its previous
    # signals never read), with none saved before or some, gets a file of all its signals.
    import orjson

    from console.signal_state import KindState

    path = tmp_path / STATE_FILE
    kept = [Signal(signal_id("k", str(n)), "k", 0.5, T0, posts=(f"p{n}",)) for n in range(3)]
    for before in ([], kept[:2]):
        state = EngineState((), {}, (), 0, "", "", {"k": KindState("f", 0, before, "")})
        write_state(path, state, 0, {})
        saved = read_state(path)
        assert saved is not None and not saved.state.kinds["k"].signals.loaded  # type: ignore[attr-defined]
        now = replace_kind(saved.state, "k", kept)
        write_state(path, now, 1, {}, saved)
        name = orjson.loads(path.read_bytes())["kinds"]["k"]["file"]
        lines = (tmp_path / name).read_bytes().split(b"\n")
        assert [orjson.loads(x) for x in lines] == [signal_to_json(s) for s in kept]


def replace_kind(state: EngineState, kind: str, signals: list[Signal]) -> EngineState:
    from dataclasses import replace

    return replace(state, kinds={**state.kinds, kind: replace(state.kinds[kind], signals=signals)})


def test_state_keeps_unchanged_kind_files_and_survives_a_lost_one(tact) -> None:  # type: ignore[no-untyped-def]
    import orjson

    from console.signal_state import KIND_PREFIX, SavedSignals, read_state

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b")])
    first = run_engine(tact, NOW)
    main = tact.store.derived_path("signals.json")
    names = {k: v["file"] for k, v in orjson.loads(main.read_bytes())["kinds"].items()}
    # Lazily read: a fresh read parses no kind file until a kind's signals are used.
    saved = read_state(main)
    assert saved is not None
    lazy = saved.state.kinds["text_repeat"].signals
    assert isinstance(lazy, SavedSignals) and not lazy.loaded
    assert len(lazy) == len(first.state.kinds["text_repeat"].signals) and not lazy.loaded
    # Nothing new for text_repeat's groups: its file stays; only the kinds that ran are rewritten.
    tact.store.save_posts([post(5, "zzz", author="m2", day=3)])
    second = run_engine(tact, NOW)
    after = {k: v["file"] for k, v in orjson.loads(main.read_bytes())["kinds"].items()}
    assert after["text_repeat"] == names["text_repeat"]
    # quiet_group ran in full again and, with nothing to say as before, its file stays too.
    assert second.modes["quiet_group"] == "full" and not second.state.kinds["quiet_group"].signals
    assert after["quiet_group"] == names["quiet_group"]
    files = {p.name for p in main.parent.glob(f"{KIND_PREFIX}*")}
    assert set(after.values()) <= files

    # A kind file lost (another console cleaned it up meanwhile): the console that wrote the
    # state still holds it and carries on, writing the files again...
    def lose_kind_files() -> None:
        for name in orjson.loads(main.read_bytes())["kinds"].values():
            tact.store.derived_path(name["file"]).unlink(missing_ok=True)

    lose_kind_files()
    tact.store.save_posts([post(6, "b", author="m2", day=4)])
    mine = run_engine(tact, NOW)
    assert mine.modes["text_repeat"] == "incremental"
    named = [v["file"] for v in orjson.loads(main.read_bytes())["kinds"].values()]
    assert all(tact.store.derived_path(n).exists() for n in named)
    # ...and a console reading the state from disk recomputes in full, with no error.
    lose_kind_files()
    tact.store.save_posts([post(7, "b", author="m2", day=5)])
    other = Tact.open(tact.settings, tact.fixed_now)
    again = run_engine(other, NOW)
    assert set(again.modes.values()) == {"full"}
    assert [s.id for s in again.signals] == [s.id for s in run_engine(other, NOW).signals]


def test_the_state_is_saved_without_waiting_for_the_disk_and_a_torn_one_is_computed_again(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signals state is derived: written without fsync (one just after an import waits
    for the import's own writes). A power loss may then tear its files: a process reading
    them computes again, and finds the same signals."""
    import os

    import orjson

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a"), post(3, "b"), post(4, "b")])
    run_engine(tact, NOW)
    tact.store.save_posts([post(5, "a", day=3)])
    synced: list[int] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real(fd)

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", spy)
        ran = run_engine(tact, NOW)
    assert ran.modes["text_repeat"] == "incremental" and synced == []
    main = tact.store.derived_path("signals.json")
    files = [tact.store.derived_path(k["file"]) for k in orjson.loads(main.read_bytes())["kinds"].values()]
    torn = [f for f in files if f.stat().st_size]
    assert torn  # text repeats' groups at least
    for f in torn:
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    again = run_engine(Tact.open(tact.settings, tact.fixed_now), NOW)
    assert set(again.modes.values()) == {"full"}
    assert as_json(again.signals) == as_json(ran.signals)


def test_after_an_import_of_the_latest_posts_a_console_compares_no_rows(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures a console keeps know from the post index's lineage that it only grew
    (`heuristics.detector.grew_from`): no million-row comparison. An index that did not
    just grow is compared, and either way the signals are a fresh full run's."""
    import heuristics.image_repost as image_mod
    import heuristics.member_stats as stats_mod
    from heuristics.detector import starts_with

    compared: list[int] = []

    def spy(seq: Sequence[object], prefix: Sequence[object]) -> bool:
        compared.append(len(prefix))
        return starts_with(seq, prefix)

    for mod in (engine_mod, stats_mod, image_mod):
        monkeypatch.setattr(mod, "starts_with", spy)
    real = {
        "image_repost": ("heuristics.image_repost", "ImageRepostDetector"),
        "inactive_member": ("heuristics.inactive", "InactiveMemberDetector"),
        "onboarding": ("heuristics.onboarding", "OnboardingDetector"),
    }
    monkeypatch.setattr(engine_mod, "REGISTRY", real)
    cat = Post("p010", "m2", T0 + timedelta(days=40), text="look", images=("/x/cat.jpg",))
    fill(tact, [Member("m1", T0), Member("m2", T0)], [post(1, "a"), post(2, "b", day=3), cat])
    tact.store.save_image_hashes([{"path": "/x/cat.jpg", "kind": "phash64", "hashes": [7]}])
    run_engine(tact)
    other = Store(tact.store.root)  # another process imports
    again = Post("p011", "m1", T0 + timedelta(days=60), text="again", images=("/x/cat.jpg",))
    other.save_posts([again, post(12, "a", day=61)])

    def fresh() -> list[dict[str, object]]:
        return as_json(run_engine(Tact.open(tact.settings, tact.fixed_now), NOW, None).signals)

    compared.clear()
    r = run_engine(tact)
    assert compared == []
    assert r.modes["image_repost"] == "incremental" and r.modes["inactive_member"] == "full"
    assert as_json(r.signals) == fresh()
    other.save_posts([post(13, "c", day=1)])  # older than the rest: rows inserted
    r = run_engine(tact)
    assert compared
    assert as_json(r.signals) == fresh()


def test_new_posts_with_new_pictures_stay_incremental_reading_no_old_month(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]

    cat = Post("p010", "m1", T0 + timedelta(days=40), text="look", images=("/x/cat.jpg",))
    fill(tact, [Member("m1", T0)], [post(1, "a"), cat])
    tact.store.save_image_hashes([{"path": "/x/cat.jpg", "kind": "phash64", "hashes": [7]}])
    monkeypatch.setattr(engine_mod, "REGISTRY", {**FAKES, "image_repost": ("tests.test_engine", "FakeLean")})
    run_engine(tact, kinds=["image_repost"])
    dog = Post("p011", "m1", T0 + timedelta(days=70), text="again", images=("/x/dog.jpg",))
    tact.store.save_posts([dog])
    tact.store.save_image_hashes([{"path": "/x/dog.jpg", "kind": "phash64", "hashes": [9]}])
    monkeypatch.setattr(engine_mod, "REGISTRY", {**FAKES, "image_repost": ("tests.test_engine", "FakeLean")})
    read = spy_months(monkeypatch)
    r = run_engine(tact, kinds=["image_repost"])
    assert r.modes["image_repost"] == "incremental"
    assert set(read) == {"2026-03"}  # the old months' pictures were checked from the index
    # An old post's picture hashed anew is still seen, without reading its month either.
    tact.store.save_image_hashes([{"path": "/x/cat.jpg", "kind": "phash64", "hashes": [8]}])
    read.clear()
    assert run_engine(tact, kinds=["image_repost"]).modes["image_repost"] == "full"


def test_a_member_language_is_updated_from_their_new_posts_only(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.member_langs import LANG_SAMPLE
    from console.signals_service import load_data

    en = "The vet says the insulin dose is fine and the cat eats well again. " * 8
    fr = "La véto dit que la dose d'insuline est bonne et le chat mange bien. " * 8
    long_en = en * (LANG_SAMPLE // len(en) + 1)
    fill(
        tact,
        [Member("m1", T0), Member("m2", T0)],
        [post(1, en, "m1"), post(2, long_en, "m2", day=1)],
    )
    assert load_data(tact).member_langs == {"m1": "en", "m2": "en"}
    read = spy_months(monkeypatch)
    new = [post(10 + i, fr, "m1", day=70) for i in range(3)] + [
        post(20 + i, fr, "m2", day=70) for i in range(3)
    ]
    tact.store.save_posts(new)
    langs = load_data(tact).member_langs
    assert langs["m1"] == "fr"  # a short sample grows with what they write next
    assert langs["m2"] == "en"  # a full sample is settled: their first posts decide
    assert set(read) <= {"2026-03"}  # nobody's old posts were read again


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    batches=st.lists(
        st.lists(st.tuples(st.sampled_from(["m1", "m2", "m3"]), st.booleans()), max_size=4), max_size=4
    )
)
def test_a_console_s_member_languages_follow_the_rule_over_appended_imports(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[tuple[str, bool]]]
) -> None:
    """Another process appends posts; the console's member languages (its kept author count
    grown over the appended rows, the members' newest rows read from the end) are what the
    rule gives from each member's posts, oldest first."""
    from console.member_langs import LANG_SAMPLE
    from console.signals_service import load_data
    from heuristics.language import detect_lang

    en = "The vet says the insulin dose is fine and the cat eats well again. " * 6
    fr = "La véto dit que la dose d'insuline est bonne et le chat mange bien. " * 6
    console = Tact.open(Settings(tmp_path_factory.mktemp("langs") / "data", "alice"), NOW)
    members = [Member(m, T0) for m in ("m1", "m2", "m3")]
    fill(console, members, [post(0, en, "m1")])
    other = Store(console.store.root)
    posts: list[Post] = [post(0, en, "m1")]
    for n, batch in enumerate(batches):
        new = [
            post(1 + len(posts) + i, fr if is_fr else en, mid, day=2 + n)
            for i, (mid, is_fr) in enumerate(batch)
        ]
        other.save_posts(new)
        posts += new
        langs = load_data(console).member_langs
        for mid in ("m1", "m2", "m3"):
            sample: list[str] = []
            for p in posts:
                if p.author == mid and sum(map(len, sample)) < LANG_SAMPLE:
                    sample.append(p.text)
            assert langs.get(mid) == (detect_lang(sample) if sample else None)
    counted = console.store.kept.get("member_langs.authors")
    assert counted is None or counted[1] == Counter(p.author for p in posts)  # type: ignore[index]


class GcWatch:
    """Records whether the cyclic collector ran during its `detect` (see console/gc_pause.py)."""

    kind = "spam"
    seen: ClassVar[list[bool]] = []

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        GcWatch.seen.append(gc.isenabled())
        return []


def test_a_run_from_no_state_reads_no_month_whose_sum_the_store_keeps(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.signals_service import load_data

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "b", day=40), post(3, "c", day=70)])
    monkeypatch.setattr(engine_mod, "REGISTRY", {"image_repost": ("tests.test_engine", "FakeLean")})
    from dataclasses import replace

    from console.store_posts import StorePosts

    data = load_data(tact)
    assert set(data.month_sums) == {"2026-01", "2026-02", "2026-03"}
    read = spy_months(monkeypatch)
    engine = Engine.build(kinds=["image_repost"], registry=engine_mod.REGISTRY)
    lazy = StorePosts(tact.store, tact.store.post_index())  # nothing read through it yet
    kept = engine.run(replace(data, posts=lazy), NOW)
    assert read == []  # the sums came from the store, no post was read to fingerprint
    # The same state as fingerprinting every post.
    read_all = engine.run(replace(data, posts=lazy, month_sums={}), NOW)
    assert len(read) == 3 and kept.state == read_all.state
    # A run after an import continues from that state, reading only the month it touched.
    run_engine(tact, NOW, kinds=["image_repost"])
    tact.store.save_posts([post(4, "d", day=71)])
    read.clear()
    again = run_engine(tact, NOW, kinds=["image_repost"])
    assert again.modes["image_repost"] == "incremental" and set(read) == {"2026-03"}


def test_a_wrong_kept_sum_only_makes_the_next_run_start_over() -> None:
    from heuristics.digests import digest_sum

    engine = Engine.build(kinds=["text_repeat"], registry=FAKES)
    posts = [post(1, "a"), post(2, "a", day=40)]
    members = {"m1": Member("m1", T0)}
    later = CommunityData(Community("c"), members, [*posts, post(3, "a", day=41)])
    right = {"2026-02": digest_sum(posts[1:])}
    for kept, mode in ((right, "incremental"), ({"2026-02": 12345}, "full")):
        table = ListTable.of(posts)  # (the kept sums serve a caller with the post table)
        first = engine.run(CommunityData(Community("c"), members, posts, table=table, month_sums=kept), NOW)
        second = engine.run(later, NOW, first.state)
        assert second.modes["text_repeat"] == mode
        assert [s.id for s in second.signals] == [s.id for s in engine.run(later, NOW).signals]


class FakeSilent:
    """A time-window detector that reuses: one signal per member with no post in the 7 days
    before `now`, given back as the same object when its member's last post is unchanged."""

    kind = "inactive_member"
    handed: ClassVar[list[int]] = []

    def _last(self, data: CommunityData) -> dict[str, datetime]:
        last: dict[str, datetime] = {}
        for p in data.posts:
            last[p.author] = max(last.get(p.author, p.created_at), p.created_at)
        return last

    def _signal(self, member: str, at: datetime) -> Signal:
        return Signal(
            signal_id(self.kind, member),
            self.kind,
            0.5,
            at,
            members=(member,),
            evidence={"last": format_time(at)},
        )

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return [self._signal(m, at) for m, at in self._last(data).items() if now - at > timedelta(days=7)]

    def detect_again(self, data: CommunityData, now: datetime, previous: Sequence[Signal]) -> list[Signal]:
        FakeSilent.handed.append(len(previous))
        before = {(s.members[0], s.evidence["last"]): s for s in previous}
        out = []
        for m, at in self._last(data).items():
            if now - at > timedelta(days=7):
                out.append(before.get((m, format_time(at))) or self._signal(m, at))
        return out


def test_a_reusing_detector_gets_its_previous_signals_and_unchanged_ones_keep_their_file(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "REGISTRY", {"inactive_member": ("tests.test_engine", "FakeSilent")})
    FakeSilent.handed.clear()
    fill(tact, [Member("m1", T0), Member("m2", T0)], [post(1, "a", "m1"), post(2, "b", "m2", day=1)])
    now = T0 + timedelta(days=30)

    def kind_file() -> str:
        saved = read_state(tact.store.derived_path(STATE_FILE))
        assert saved is not None
        signals = saved.state.kinds["inactive_member"].signals
        return signals.path.name  # type: ignore[attr-defined]

    first = run_engine(tact, now)
    assert FakeSilent.handed == [] and len(first.signals) == 2
    name = kind_file()
    # A post by a third member changes none of the two signals: handed back, file kept.
    tact.store.save_posts([post(3, "c", "m3", day=29)])
    second = run_engine(tact, now)
    assert FakeSilent.handed == [2] and second.modes["inactive_member"] == "full"
    assert kind_file() == name
    assert [s.id for s in second.signals] == [s.id for s in first.signals]
    # m1 posts again (no longer silent): a new file, and the same as computing from nothing.
    tact.store.save_posts([post(4, "d", "m1", day=29)])
    third = run_engine(tact, now)
    assert FakeSilent.handed == [2, 2] and kind_file() != name
    plain = Engine.build(kinds=["inactive_member"], registry=engine_mod.REGISTRY).run(load_data_of(tact), now)
    assert [signal_to_json(s) for s in third.signals] == [signal_to_json(s) for s in plain.signals]
    assert [s.members for s in third.signals] == [("m2",)]


def load_data_of(tact: Tact) -> CommunityData:
    from console.signals_service import load_data

    return load_data(tact)


def test_a_console_remembers_the_state_it_wrote_until_another_replaces_it(tact) -> None:  # type: ignore[no-untyped-def]
    from console.signal_state import SavedSignals

    fill(tact, [Member("m1", T0)], [post(1, "a"), post(2, "a")])
    first = run_engine(tact, NOW)
    held = tact.store.remembered(STATE_FILE)
    assert held is not None and held.state.post_ids == first.state.post_ids
    signals = held.state.kinds["text_repeat"].signals
    assert isinstance(signals, SavedSignals) and signals.loaded  # nothing to read back
    assert list(signals) == list(first.state.kinds["text_repeat"].signals)
    # Another console writes a newer state: this one no longer trusts what it holds.
    other = Tact.open(tact.settings, tact.fixed_now)
    other.store.save_posts([post(3, "a", day=1)])
    run_engine(other, NOW)
    assert tact.store.remembered(STATE_FILE) is None
    assert [s.id for s in run_engine(tact, NOW).signals] == [s.id for s in run_engine(other, NOW).signals]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from([0.0, 0.25, 0.5, 1.0])), max_size=12))
def test_signals_sort_most_urgent_first_then_by_id_and_keep_one_per_id(rows: list[tuple[str, float]]) -> None:
    signals = [Signal(f"s:{k}", "spam", score, T0, reasons=(str(n),)) for n, (k, score) in enumerate(rows)]
    assert engine_mod.sort_signals(signals) == sorted(signals, key=lambda s: (-s.score, s.id))
    kept = engine_mod._dedupe(signals)
    assert {s.id for s in kept} == {s.id for s in signals} and len(kept) == len({s.id for s in signals})
    for s in kept:
        assert s.score == max(o.score for o in signals if o.id == s.id)


def test_a_dead_write_s_temporary_file_is_cleaned_up_and_a_live_one_kept(tmp_path: Path) -> None:
    """`q` does not wait for a run still writing its state: its temporary file is removed by
    a later write once it is old; a fresh one may be another console's write under way."""
    import os
    import time

    from console.signal_state import STALE_TEMP_SECONDS

    dead = tmp_path / ".signals.json.ab12cd.tmp"
    live = tmp_path / ".signals-spam-0123456789ab.jsonl.ef34gh.tmp"
    other = tmp_path / ".feed_head.json.42.tmp"
    for path in (dead, live, other):
        path.write_bytes(b"{")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(dead, (old, old))
    os.utime(other, (old, old))
    state = EngineState((), {}, (), 0, "", "", {})
    write_state(tmp_path / STATE_FILE, state, 0, {})
    assert not dead.exists() and live.exists() and other.exists()  # not ours: left alone
    assert read_state(tmp_path / STATE_FILE) is not None
