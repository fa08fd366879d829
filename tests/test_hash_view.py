"""The console's packed picture-hash view (console/hash_view.py): the same mapping as the
plain build, views that never change once handed out, and values held packed."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.hash_view import HashView
from heuristics.detector import CommunityData, HashesSince, ImageHashes
from heuristics.image_hash import KIND, VALUES
from heuristics.model import Community
from tests.test_image_repost import STORED_RECORDS


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


def _reference_build(records: Mapping[str, Mapping[str, Any]]) -> dict[str, ImageHashes]:
    """The dict build the console used before the packed view (kept verbatim as the oracle)."""
    out: dict[str, ImageHashes] = {}
    for path, rec in records.items():
        raw = rec.get("hashes")
        if raw is None and "hash" in rec:
            raw = [rec["hash"]]
        if not isinstance(raw, list):
            continue
        if raw and set(map(type, raw)) == {int}:
            out[path] = ImageHashes(path, str(rec.get("kind", "")), tuple(raw))
            continue
        try:
            out[path] = ImageHashes(path, str(rec.get("kind", "")), tuple(int(v, 16) for v in raw))
            if raw:
                continue
        except (TypeError, ValueError):
            pass
        out.pop(path, None)
        values = [_hash_value(v) for v in raw]
        if not values or any(v is None for v in values):
            continue
        out[path] = ImageHashes(path, str(rec.get("kind", "")), tuple(v for v in values if v is not None))
    return out


def _reference_update(
    view: Mapping[str, ImageHashes], records: Mapping[str, Mapping[str, Any]]
) -> dict[str, ImageHashes]:
    out = dict(view)
    for path in records:
        out.pop(path, None)
    out.update(_reference_build(records))
    return out


_values = st.one_of(
    st.integers(0, 2**64 - 1),
    st.integers(-(2**70), 2**70),  # what no uint64 holds: kept as given
    st.integers(0, 2**64 - 1).map(lambda v: f"{v:x}"),
    st.sampled_from(["zz", "", "-ff", "0x1f", True, None, 1.5]),
)
_record = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["k1", "k2", 7]), "hashes": st.lists(_values, max_size=4)}
    ),
    st.fixed_dictionaries({"kind": st.sampled_from(["k1", "k2"]), "hash": _values}),
    st.fixed_dictionaries({"hashes": st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=3)}),
    st.fixed_dictionaries({"kind": st.just("k1"), "hashes": st.just("ff")}),
    st.just({"kind": "k1"}),
)
_records = st.dictionaries(st.sampled_from([f"img{i}.jpg" for i in range(8)]), _record, max_size=8)


def _same(view: Mapping[str, ImageHashes], expected: dict[str, ImageHashes]) -> None:
    assert dict(view) == expected
    assert len(view) == len(expected) and set(view) == set(expected)
    for i in range(9):
        path = f"img{i}.jpg"
        assert view.get(path) == expected.get(path)
        assert (path in view) == (path in expected)
        if path in expected:
            got = view[path]
            assert got == expected[path] and type(got.hashes) is tuple
            assert all(type(v) is int for v in got.hashes)
        else:
            with pytest.raises(KeyError):
                view[path]


@given(_records, st.lists(st.tuples(st.integers(0, 10), _records), max_size=6))
def test_any_records_and_updates_give_the_plain_dict_build(
    first: dict[str, dict[str, Any]], updates: list[tuple[int, dict[str, dict[str, Any]]]]
) -> None:
    """Every view equals the plain build of the same records and updates, also after later
    updates were made from it or from an older view (a branch copies, never overwrites)."""
    views = [HashView.build(first)]
    expected = [_reference_build(first)]
    for pick, records in updates:
        at = pick % len(views)  # mostly the newest, sometimes an older view again
        views.append(views[at].updated(records))
        expected.append(_reference_update(expected[at], records))
        for view, want in zip(views, expected, strict=True):
            _same(view, want)
    for i, view in enumerate(views):
        for j, older in enumerate(views):
            changed = view.changed_since(older.version)
            if changed is None:
                continue
            differ = {
                p for p in set(expected[i]) | set(expected[j]) if expected[i].get(p) != expected[j].get(p)
            }
            assert differ <= changed


@given(_records, st.data())
def test_a_dumped_view_loads_back_the_same_and_damaged_bytes_do_not(
    records: dict[str, dict[str, Any]], draw: st.DataObject
) -> None:
    """A plain build goes to bytes and back to the same mapping (what a fresh process starts
    from); a view with a value beyond 64 bits or updated since is not dumped; damaged bytes
    load as nothing, never as another mapping."""
    view = HashView.build(records)
    raw = view.dump()
    expected = _reference_build(records)
    if any(not 0 <= v < 2**64 for h in expected.values() for v in h.hashes):
        assert raw is None
        return
    assert raw is not None
    loaded = HashView.load(raw)
    assert loaded is not None
    _same(loaded, expected)
    cut = draw.draw(st.integers(0, len(raw) - 1))
    assert HashView.load(raw[:cut]) is None
    if records:
        # An updated view is dumped only when it is plain again (its rows its paths'), whole.
        later = view.updated({next(iter(records)): {"kind": "k", "hashes": [1]}})
        again = later.dump()
        assert again is None or dict(HashView.load(again) or {}) == dict(later)


def test_a_view_updated_beside_its_rows_is_not_dumped() -> None:
    records = {f"img{i}.jpg": {"kind": "k", "hashes": [i, 2**63]} for i in range(20)}
    view = HashView.build(records)
    assert HashView.load(view.dump() or b"") is not None
    later = view.updated({"new.jpg": {"kind": "k", "hashes": [2]}})  # held in an overlay
    assert later.dump() is None
    assert HashView.build({"a.jpg": {"kind": "k", "hashes": [2**70]}}).dump() is None  # beyond 64 bits


def test_the_reference_build_is_the_consoles() -> None:
    records: dict[str, dict[str, Any]] = {**STORED_RECORDS, "i.jpg": {"kind": "k", "hashes": [-3, 2**70]}}
    assert _reference_build(records) == dict(HashView.build(records))


def test_changed_since_names_the_updates_and_only_for_its_own_line() -> None:
    a = HashView.build({"x.jpg": {"kind": "k", "hashes": [1]}})
    b = a.updated({"y.jpg": {"kind": "k", "hashes": [2]}})
    c = b.updated({"x.jpg": {"kind": "k", "hashes": [3]}})
    assert isinstance(c, HashesSince)
    assert c.changed_since(c.version) == frozenset()
    assert c.changed_since(b.version) == {"x.jpg"}
    assert c.changed_since(a.version) == {"x.jpg", "y.jpg"}
    assert a.changed_since(c.version) is None  # not an ancestor
    assert c.changed_since(HashView.build({}).version) is None
    assert a["x.jpg"].hashes == (1,) and "y.jpg" not in a  # the older views are as they were
    assert b["x.jpg"].hashes == (1,) and c["x.jpg"].hashes == (3,)


def test_the_view_holds_the_values_packed_not_as_python_ints() -> None:
    """~72,000 pictures of 18 values at 1M posts: as tuples of Python ints (36 bytes each)
    a view held ~1,100 bytes a picture; packed it must hold well under half of that."""
    n = 3000
    rng = np.random.default_rng(1)
    gc.collect()
    tracemalloc.start()
    try:
        records = {
            f"pictures/{i:06d}.jpg": {
                "kind": KIND,
                "hashes": [int(v) for v in rng.integers(0, 2**64 - 1, VALUES, dtype=np.uint64)],
            }
            for i in range(n)
        }
        view = HashView.build(records)
        del records
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held / n < 450, held / n
    assert view.nbytes() >= n * VALUES * 8
    assert len(view) == n and len(view["pictures/000007.jpg"].hashes) == VALUES


def _hashes(path: str, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    values = [int(v) for v in rng.integers(0, 2**63, size=VALUES, dtype=np.uint64)]
    values[0] = (1 << 16) - 1 + (seed << 20) % (1 << 40)  # informative
    return {"kind": KIND, "hashes": values}


def test_image_repost_keeps_its_pictures_by_the_views_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the console's view, the gathered pictures a console keeps are checked by what
    changed since (no pass over every picture), and a re-hashed picture still starts over."""
    from datetime import UTC, datetime, timedelta

    from heuristics import image_repost
    from heuristics.model import Post

    start = datetime(2026, 1, 1, tzinfo=UTC)
    posts = [Post(f"p{n}", "m0", start + timedelta(hours=n), images=(f"img{n % 5}.jpg",)) for n in range(8)]
    view = HashView.build({f"img{i}.jpg": _hashes(f"img{i}.jpg", i) for i in range(4)})
    kept: dict[object, object] = {}

    def everything(view: HashView, upto: int) -> Any:
        return image_repost._Pictures.everything(
            CommunityData(Community("c"), {}, posts[:upto], image_hashes=view, kept=kept)
        )

    def fresh(view: HashView, upto: int) -> Any:
        return image_repost._Pictures.everything(
            CommunityData(Community("c"), {}, posts[:upto], image_hashes=view)
        )

    everything(view, 5)
    slow: list[int] = []
    real = image_repost._Gathered._same_values

    def counted(self: Any, hashes: Any) -> bool:
        slow.append(1)
        return real(self, hashes)

    monkeypatch.setattr(image_repost._Gathered, "_same_values", counted)
    later = view.updated({"img4.jpg": _hashes("img4.jpg", 4)})  # a new post's picture
    got = everything(later, 8)
    want = fresh(later, 8)
    assert (got.paths, got.views.tolist()) == (want.paths, want.views.tolist()) and not slow
    before = kept[image_repost._EVERYTHING]
    rehashed = later.updated({"img1.jpg": _hashes("img1.jpg", 11)})
    got = everything(rehashed, 8)
    want = fresh(rehashed, 8)
    assert (got.paths, got.views.tolist()) == (want.paths, want.views.tolist()) and not slow
    data = CommunityData(Community("c"), {}, posts, image_hashes=rehashed)
    table = data.columns()
    assert not before.still_true(data, table, table.id, table.images)  # type: ignore[attr-defined]
    data = replace(data, image_hashes=later)
    assert before.still_true(data, table, table.id, table.images)  # type: ignore[attr-defined]
    assert not slow
    # A view of another line (the hashes read anew): the values are compared, all of them.
    everything(
        HashView.build({f"img{i}.jpg": _hashes(f"img{i}.jpg", i + 10 * (i == 1)) for i in range(5)}), 8
    )
    assert slow


def test_a_console_s_view_is_brought_up_to_date_not_read_anew(tact: Any) -> None:
    # `load_data` hands the store HashView's own build and update: after another process
    # writes hashes, the console's next view extends the one it kept and says what changed.
    from console.signals_service import load_data
    from console.store import Store

    tact.store.save_image_hashes([{"path": "a.jpg", "kind": "k", "hashes": [1, 2]}])
    first = load_data(tact).image_hashes
    assert isinstance(first, HashView) and load_data(tact).image_hashes is first
    Store(tact.store.root).save_image_hashes([{"path": "b.jpg", "kind": "k", "hashes": [3, 4]}])
    later = load_data(tact).image_hashes
    assert isinstance(later, HashView) and set(later) == {"a.jpg", "b.jpg"}
    assert later.changed_since(first.version) == frozenset({"b.jpg"})
