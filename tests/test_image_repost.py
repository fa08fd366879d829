"""image_repost both ways, on real photos (tests/data/photos, LGPL-3.0, see its README).

It fires on a picture recompressed, resized, cropped at an edge, brightened/darkened or
given a caption banner; it stays silent on two shots of one scene and on different photos.
Pictures go through the real path: JPEG files on disk → `ensure_hashes` → the store →
the detector.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import imagehash
import numpy as np
import orjson
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from benchmarks._photo_edits import (
    banner,
    brightness,
    crop,
    load,
    photo_paths,
    recompress,
    resize,
    shots,
)
from console.hash_view import HashView
from console.image_hashing import ensure_hashes, open_for_hashing
from console.store import Store
from console.tact_config import shipped_templates
from heuristics.detector import CommunityData, ImageHashes
from heuristics.hash_index import HashIndex
from heuristics.image_hash import BITS, KIND, hash_image, pair_distance, phash_regions, same_picture
from heuristics.image_repost import DEFAULT_THRESHOLD, ImageRepostDetector
from heuristics.model import Community, Member, Post, Signal, signal_id

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=40)
PHOTOS = {p.stem: p for p in photo_paths()}

EDITS = {
    "jpeg q30": recompress(30),
    "resize 25%": resize(0.25),
    "resize 200%": resize(2.0),
    "crop 10% left": crop("left", 0.1),
    "crop 7.5% bottom": crop("bottom", 0.075),
    "crop 4% top": crop("top", 0.04),
    "brightness -20%": brightness(0.8),
    "brightness +20%": brightness(1.2),
    "banner 15% top": banner("top", 0.15),
    "banner 15% bottom": banner("bottom", 0.15, "Partagez si vous aimez les chats"),
}


def _members(n: int, lang: str = "en") -> dict[str, Member]:
    return {
        f"m{i}": Member(f"m{i}", START - timedelta(days=100), f"Member {i}", lang)  # type: ignore[arg-type]
        for i in range(n)
    }


def _data(store: Store, posts: Sequence[Post], members: dict[str, Member]) -> CommunityData:
    return CommunityData(
        community=Community("cats", "Cats", "en"),
        members=members,
        posts=sorted(posts, key=lambda p: (p.created_at, p.id)),
        image_hashes=HashView.build(store.image_hashes()),
        templates=shipped_templates(),
    )


def _save(img: Image.Image, path: Path) -> str:
    img.convert("RGB").save(path, "JPEG", quality=90)
    return str(path)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


def _reposts(tmp_path: Path, store: Store, names: Sequence[str]) -> tuple[list[Post], dict[str, str]]:
    """Each photo posted by m0, then each edit of it by another member, a day apart."""
    posts: list[Post] = []
    edit_of: dict[str, str] = {}
    for n, name in enumerate(names):
        original = load(PHOTOS[name])
        first = Post(f"{name}-0", "m0", START + timedelta(hours=n), images=(str(PHOTOS[name]),))
        posts.append(first)
        for i, (edit, fn) in enumerate(EDITS.items(), start=1):
            path = _save(fn(original), tmp_path / f"{name}-{i}.jpg")
            post = Post(f"{name}-{i}", f"m{i}", START + timedelta(days=i, hours=n), images=(path,))
            posts.append(post)
            edit_of[post.id] = edit
    assert ensure_hashes(store, [p for post in posts for p in post.images]) == len(posts)
    return posts, edit_of


def test_fires_once_per_photo_on_every_edit(tmp_path: Path, store: Store) -> None:
    names = ["kite", "pastelhills"]  # a photograph and an illustration
    posts, edit_of = _reposts(tmp_path, store, names)
    signals = ImageRepostDetector().detect(_data(store, posts, _members(12)), NOW)
    assert len(signals) == 2
    for signal, name in zip(sorted(signals, key=lambda s: s.posts[0]), names, strict=True):
        expected = [p.id for p in posts if p.id.startswith(name + "-")]
        missed = sorted(edit_of[p] for p in set(expected) - set(signal.posts))
        assert missed == []
        assert list(signal.posts) == expected  # oldest first
        assert signal.id == signal_id("image_repost", f"{name}-0")
        assert signal.members[0] == "m0" and len(signal.members) == len(EDITS) + 1
        assert signal.reasons[0].startswith(f"{name}-1 shows the same picture as {name}-0 (distance ")
        assert signal.reasons[0].endswith(" of 64 bits)")
        links = signal.evidence["links"]
        assert isinstance(links, list) and all(link["distance"] <= DEFAULT_THRESHOLD for link in links)
        assert signal.evidence["threshold"] == DEFAULT_THRESHOLD and signal.evidence["hash"] == KIND
        assert signal.score >= 0.8  # eleven members over ten days
        assert signal.reply is not None and signal.reply.visibility == "public"
        assert signal.reply.to == expected[-1] and f"{name}-0" in signal.reply.text


def test_silent_on_two_shots_of_one_scene(tmp_path: Path, store: Store) -> None:
    posts = []
    for name in ("bythewater", "colorfulcups", "autumn"):  # two photos and an illustration
        for k, (_, a, b) in enumerate(shots(load(PHOTOS[name]))):
            for side, img in (("a", a), ("b", b)):
                path = _save(img, tmp_path / f"{name}-{k}{side}.jpg")
                posts.append(Post(f"{name}-{k}{side}", "m1" if side == "a" else "m2", START, images=(path,)))
    ensure_hashes(store, [p for post in posts for p in post.images])
    data = _data(store, posts, _members(3))
    hashes = {p.id: data.image_hashes[p.images[0]].hashes for p in posts}
    closest = min(pair_distance(hashes[f"{n}a"], hashes[f"{n}b"]) for n in {p.id[:-1] for p in posts})
    assert closest > DEFAULT_THRESHOLD
    # Each shot alone still matches a recompressed copy of itself: the silence is earned.
    assert ImageRepostDetector().detect(data, NOW) == []


def test_silent_on_sixteen_different_photos(store: Store) -> None:
    posts = [
        Post(f"p{i}", f"m{i % 3}", START + timedelta(days=i), images=(str(path),))
        for i, path in enumerate(PHOTOS.values())
    ]
    ensure_hashes(store, [p.images[0] for p in posts])
    assert ImageRepostDetector().detect(_data(store, posts, _members(3)), NOW) == []


def test_scores_passing_around_above_own_reshare_in_one_thread(tmp_path: Path, store: Store) -> None:
    kite = load(PHOTOS["kite"])
    grey = load(PHOTOS["grey"])
    k3 = _save(banner("top", 0.1)(kite), tmp_path / "3.jpg")
    posts = [
        # The kite passed around by three members over three weeks.
        Post("k1", "m0", START, images=(str(PHOTOS["kite"]),)),
        Post("k2", "m1", START + timedelta(days=9), images=(_save(resize(0.5)(kite), tmp_path / "2.jpg"),)),
        Post("k3", "m2", START + timedelta(days=21), images=(k3,)),
        # m3 posts the grey photo twice in their own thread, an hour apart.
        Post("g1", "m3", START, images=(str(PHOTOS["grey"]),)),
        Post(
            "g2",
            "m3",
            START + timedelta(hours=1),
            "comment",
            parent="g1",
            images=(_save(recompress(40)(grey), tmp_path / "g2.jpg"),),
        ),
    ]
    ensure_hashes(store, [p.images[0] for p in posts])
    members = _members(4, "fr")
    signals = {s.posts[0]: s for s in ImageRepostDetector().detect(_data(store, posts, members), NOW)}
    assert set(signals) == {"k1", "g1"}
    passed, own = signals["k1"], signals["g1"]
    assert passed.score > 0.8 > 0.3 > own.score
    assert passed.evidence["own_reshare"] is False and own.evidence["own_reshare"] is True
    assert own.evidence["same_thread"] is True
    # Replies in the reposter's language: French here, kindly pointing to the first post.
    assert passed.reply is not None and passed.reply.lang == "fr" and passed.reply.to == "k3"
    assert "k1" in passed.reply.text and "Member 0" in passed.reply.text
    assert own.reply is not None and "déjà partagé" in own.reply.text
    assert passed.at == posts[2].created_at


def test_detect_new_equals_a_full_run(tmp_path: Path, store: Store) -> None:
    posts, _ = _reposts(tmp_path, store, ["kite"])
    other = Post("lone", "m1", START, images=(str(PHOTOS["path"]),))
    posts.append(other)
    ensure_hashes(store, [str(PHOTOS["path"])])
    members = _members(12)
    detector = ImageRepostDetector()
    # The original arrives *last*: older crops must be found through their own views.
    old = [p for p in posts if p.id not in ("kite-0", "kite-5")]
    new = [p for p in posts if p.id in ("kite-0", "kite-5")]
    previous = detector.detect(_data(store, old, members), NOW)
    full = detector.detect(_data(store, posts, members), NOW)
    again = detector.detect_new(_data(store, posts, members), new, previous, NOW)
    assert _shape(again) == _shape(full)
    assert len(full) == 1 and len(full[0].posts) == len(EDITS) + 1
    # Nothing new about pictures: the previous signals come back as they were.
    unrelated = Post("text-only", "m3", NOW, text="hello")
    assert detector.detect_new(_data(store, [*posts, unrelated], members), [unrelated], full, NOW) == full


def _shape(signals: Sequence[Signal]) -> list[tuple[str, tuple[str, ...], tuple[str, ...], float]]:
    return sorted((s.id, s.posts, s.reasons, s.score) for s in signals)


def test_ensure_hashes_skips_unreadable_pictures_and_only_hashes_once(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8 not really a jpeg")
    paths = [str(PHOTOS["kite"]), str(bad), str(tmp_path / "missing.jpg"), str(PHOTOS["grey"])]
    with caplog.at_level(logging.WARNING):
        assert ensure_hashes(store, paths) == 2
    assert "broken.jpg" in caplog.text and "missing.jpg" in caplog.text
    stored = store.image_hashes()
    assert set(stored) == {str(PHOTOS["kite"]), str(PHOTOS["grey"])}
    assert stored[str(PHOTOS["kite"])]["kind"] == KIND
    assert ensure_hashes(store, paths[:1]) == 0
    # Hashes of an older scheme are recomputed, not compared with the new ones.
    store.save_image_hashes([{"path": str(PHOTOS["kite"]), "kind": "dhash64", "hashes": [1]}])
    assert ensure_hashes(store, paths[:1]) == 1


def test_region_phash_is_imagehash_phash_on_the_whole_frame() -> None:
    for path in list(PHOTOS.values())[::3]:
        img = open_for_hashing(str(path))
        ours = phash_regions(img, [(0.0, 0.0, 1.0, 1.0)])[0]
        theirs = int(str(imagehash.phash(img)), 16)
        # Same algorithm; only the 32x32 resampling filter differs (triangle vs Lanczos).
        assert (ours ^ theirs).bit_count() <= 4, path.name


def test_same_layout_in_other_colours_is_not_the_same_picture() -> None:
    # Identical grey (so identical pHashes), different colours: a white cat on a green
    # floor and one on a red floor are two pictures.
    grey = load(PHOTOS["kite"]).convert("L")
    flat = Image.new("L", grey.size, 128)
    greenish = Image.merge("YCbCr", (grey, Image.new("L", grey.size, 90), Image.new("L", grey.size, 90)))
    reddish = Image.merge("YCbCr", (grey, flat, Image.new("L", grey.size, 190)))
    a, b = hash_image(greenish), hash_image(reddish)
    assert pair_distance(a, b) == 0
    assert not same_picture(a, b, DEFAULT_THRESHOLD)
    posts = [Post(f"p{i}", f"m{i}", START + timedelta(days=i), images=(f"{i}.jpg",)) for i in range(2)]
    hashes = {"0.jpg": ImageHashes("0.jpg", KIND, a), "1.jpg": ImageHashes("1.jpg", KIND, b)}
    data = CommunityData(Community("c"), _members(2), posts, image_hashes=hashes)
    assert ImageRepostDetector().detect(data, NOW) == []
    # The same picture in its own colours does match.
    again = {"0.jpg": ImageHashes("0.jpg", KIND, a), "1.jpg": ImageHashes("1.jpg", KIND, a)}
    assert (
        len(
            ImageRepostDetector().detect(
                CommunityData(Community("c"), _members(2), posts, image_hashes=again), NOW
            )
        )
        == 1
    )


def test_flat_pictures_never_match() -> None:
    blank = Image.new("RGB", (640, 480), (250, 250, 250))
    hashes = hash_image(blank)
    data = CommunityData(
        Community("c"),
        _members(2),
        [Post(f"p{i}", f"m{i}", START + timedelta(days=i), images=("blank.png",)) for i in range(2)],
        image_hashes={"blank.png": ImageHashes("blank.png", KIND, hashes)},
    )
    assert ImageRepostDetector().detect(data, NOW) == []


def test_hash_index_finds_what_all_pairs_finds() -> None:
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**64 - 1, size=5000, dtype=np.uint64)
    queries = keys[:800].copy()
    flips = [i % 9 for i in range(800)]
    for i, k in enumerate(flips):
        for bit in rng.choice(64, size=k, replace=False):
            queries[i] ^= np.uint64(1) << np.uint64(bit)
    index = HashIndex.build(keys)
    for radius, guaranteed in ((0, 3), (1, 7)):
        qi, ki, dist = index.search(queries, guaranteed, radius=radius)
        found = set(zip(qi.tolist(), ki.tolist(), strict=True))
        brute = np.bitwise_count(queries[:, None] ^ keys[None, :])
        expected = set(zip(*np.nonzero(brute <= guaranteed), strict=True))
        assert found == {(int(a), int(b)) for a, b in expected}
        assert all(int(d) == int(brute[a, b]) for a, b, d in zip(qi, ki, dist, strict=True))
    with pytest.raises(ValueError):
        index.search(queries, 3, radius=2)


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(ValueError):
        ImageRepostDetector(threshold=40)


#: Hash records as another tool may have stored them: ints, hex strings, mixed, and bad ones.
STORED_RECORDS: dict[str, dict[str, Any]] = {
    "a.jpg": {"kind": "k", "hashes": [1, 2**63 + 5]},
    "b.jpg": {"kind": "k", "hashes": ["ff", "0a"]},
    "c.jpg": {"kind": "k", "hashes": [255, "0a"]},
    "d.jpg": {"kind": "k", "hash": "10"},
    "e.jpg": {"kind": "k", "hashes": [True, 1]},
    "f.jpg": {"kind": "k", "hashes": ["zz"]},
    "g.jpg": {"kind": "k", "hashes": []},
    "h.jpg": {"kind": "k"},
}


def test_stored_hash_records_are_read_whether_ints_hex_or_mixed_and_bad_ones_skipped() -> None:
    got = {p: h.hashes for p, h in HashView.build(STORED_RECORDS).items()}
    assert got == {"a.jpg": (1, 2**63 + 5), "b.jpg": (255, 10), "c.jpg": (255, 10), "d.jpg": (16,)}


@given(
    st.integers(1, 6).flatmap(
        lambda m: st.tuples(
            st.just(m),
            st.integers(1, 7).flatmap(
                lambda n: st.tuples(
                    st.lists(st.lists(st.integers(0, 64), min_size=n, max_size=n), min_size=n, max_size=n),
                    st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), max_size=12),
                )
            ),
        )
    )
)
def test_closest_pairs_is_the_least_distance_between_two_posts_pictures(case) -> None:  # type: ignore[no-untyped-def]
    from heuristics.image_repost import _closest_pairs

    m, (matrix, shows) = case
    dist = np.array(matrix, dtype=np.uint8)
    post_of = np.array([a for a, _ in shows], dtype=np.intp)
    pic_of = np.array([b for _, b in shows], dtype=np.intp)
    got = _closest_pairs(dist, post_of, pic_of, m)
    for a in range(m):
        for b in range(m):
            mine = [p for q, p in shows if q == a]
            theirs = [p for q, p in shows if q == b]
            want = min((int(dist[x, y]) for x in mine for y in theirs), default=BITS)
            assert got[a, b] == want


@given(st.lists(st.lists(st.integers(0, 2**64 - 1), min_size=4, max_size=4), min_size=1, max_size=9))
def test_distances_are_the_closest_view_either_way(rows: list[list[int]]) -> None:
    from heuristics.image_repost import _distances

    views = np.array(rows, dtype=np.uint64)
    colours = np.zeros((len(rows), 8), dtype=np.int16)
    got = _distances(views, colours)
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            one = min((a[0] ^ v).bit_count() for v in b)
            other = min((b[0] ^ v).bit_count() for v in a)
            assert got[i, j] == min(one, other)


# -- what a console keeps between runs ---------------------------------------------------------


def _synthetic_hashes(path: str, seed: int) -> ImageHashes:
    """An informative hash record of the detector's kind (random views, a 16-bit centre)."""
    from heuristics.image_hash import VALUES

    rng = np.random.default_rng(seed)
    values = [int(v) for v in rng.integers(0, 2**63, size=VALUES, dtype=np.uint64)]
    values[0] = (1 << 16) - 1 + (seed << 20) % (1 << 40)  # between 8 and 56 bits set
    return ImageHashes(path, KIND, tuple(values))


def _picture_posts(shows: list[list[int]]) -> list[Post]:
    return [
        Post(f"p{n:03d}", f"m{n % 3}", START + timedelta(hours=n), images=tuple(f"img{i}.jpg" for i in pics))
        for n, pics in enumerate(shows)
    ]


def _as_gathered(pictures: Any) -> tuple[Any, ...]:
    return (pictures.paths, pictures.posts_of, pictures.views.tolist(), pictures.colours.tolist())


@given(
    st.lists(st.lists(st.integers(0, 7), max_size=3), min_size=1, max_size=14),
    st.integers(0, 14),
    st.sets(st.integers(0, 7)),
    st.sets(st.integers(0, 7)),
    st.sets(st.integers(0, 7)),
)
def test_kept_pictures_equal_gathering_every_post_again(
    shows: list[list[int]], cut: int, missing: set[int], rehashed: set[int], hashed_later: set[int]
) -> None:
    """A console's second run extends the pictures it kept: the same as gathering anew, also
    when a picture was re-hashed, hashed only now, or an older post arrived in between."""
    from heuristics.image_repost import _Pictures

    posts = _picture_posts(shows)
    before = {f"img{i}.jpg": _synthetic_hashes(f"img{i}.jpg", i) for i in range(8) if i not in missing}
    after = dict(before)
    for i in rehashed - missing:
        after[f"img{i}.jpg"] = _synthetic_hashes(f"img{i}.jpg", 100 + i)
    for i in hashed_later & missing:
        after[f"img{i}.jpg"] = _synthetic_hashes(f"img{i}.jpg", 200 + i)
    kept: dict[object, object] = {}
    early = posts[: min(cut, len(posts))]
    if cut % 3 == 2 and len(early) > 1:
        early = early[1:]  # the oldest post arrives later: the table did not only grow
    members = _members(3)
    first = CommunityData(Community("c"), members, early, image_hashes=before, kept=kept)
    assert _as_gathered(_Pictures.everything(first)) == _as_gathered(
        _Pictures.everything(CommunityData(Community("c"), members, early, image_hashes=before))
    )
    before_lists = dict(_Pictures.everything(first).posts_of)
    second = CommunityData(Community("c"), members, posts, image_hashes=after, kept=kept)
    fresh = CommunityData(Community("c"), members, posts, image_hashes=after)
    got = _Pictures.everything(second)
    assert _as_gathered(got) == _as_gathered(_Pictures.everything(fresh))
    # The rows of the posts gathered, kept or not: every post that shows a picture.
    assert got.rows == {p.id: row for row, p in enumerate(posts) if p.images}
    if early == posts[: len(early)] and before == after:
        # Only the new rows were gathered: a picture no new post shows keeps its list.
        new_pictures = {p for post in posts[len(early) :] for p in post.images}
        for path, ids in before_lists.items():
            if path not in new_pictures:
                assert got.posts_of[path] is ids


@given(
    st.lists(st.lists(st.integers(0, 7), min_size=0, max_size=3), min_size=1, max_size=10),
    st.lists(st.integers(0, 7), max_size=8),
    st.data(),
)
def test_post_rows_are_rows_of_the_post_distances(
    shows: list[list[int]], close: list[int], draw: st.DataObject
) -> None:
    """Rows computed alone equal the rows of the all-pairs matrix, pictures shared between
    posts, unusable pictures and near copies (one bit off) included."""
    from heuristics.image_repost import _post_distances, _post_rows

    hashes = {f"img{i}.jpg": _synthetic_hashes(f"img{i}.jpg", i) for i in range(8) if i != 7}
    for i in close:  # picture i becomes a near copy of picture 0
        if 0 < i < 7:
            values = list(hashes["img0.jpg"].hashes)
            values[1] ^= 1 << i
            hashes[f"img{i}.jpg"] = ImageHashes(f"img{i}.jpg", KIND, tuple(values))
    posts = _picture_posts(shows)
    data = CommunityData(Community("c"), _members(3), posts, image_hashes=hashes)
    which = draw.draw(st.lists(st.integers(0, len(posts) - 1), unique=True))
    assert _post_rows(data, posts, which).tolist() == _post_distances(data, posts)[which].tolist()


def test_a_grown_group_keeps_its_links_and_equals_a_full_run(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New reposts of a known picture: the group's earlier links come from its previous
    signal (also read back from JSON) and only the new rows are computed; the signals equal
    a run from nothing."""
    import heuristics.image_repost as mod
    from console.signal_state import signal_from_json, signal_to_json

    posts, _ = _reposts(tmp_path, store, ["kite", "path"])
    posts.sort(key=lambda p: (p.created_at, p.id))
    members = _members(12)
    detector = ImageRepostDetector()
    computed: list[int] = []
    distances = mod._distances

    def counted(views: np.ndarray, colours: np.ndarray) -> np.ndarray:
        computed.append(len(views))
        return distances(views, colours)

    monkeypatch.setattr(mod, "_distances", counted)
    signals = detector.detect(_data(store, posts[:-6], members), NOW)
    for upto in range(len(posts) - 5, len(posts) + 1):
        computed.clear()
        signals = [signal_from_json(orjson.loads(orjson.dumps(signal_to_json(s)))) for s in signals]
        signals = detector.detect_new(_data(store, posts[:upto], members), [posts[upto - 1]], signals, NOW)
        assert computed == []  # no group's all pairs: the new post's row only
        full = detector.detect(_data(store, posts[:upto], members), NOW)
        assert _shape(signals) == _shape(full)
        assert [s.evidence for s in sorted(signals, key=lambda s: s.id)] == [
            s.evidence for s in sorted(full, key=lambda s: s.id)
        ]


@given(
    st.lists(st.sets(st.integers(0, 11), max_size=5), min_size=2, max_size=16),
    st.integers(-5, 15).filter(bool),
    st.booleans(),
    st.lists(st.integers(0, 15), max_size=16),
)
# p1 meets the group only through the later p2 (3 bits); the new p3 is closer to it (1 bit),
# then exactly as close (a tie: the earlier post stays).
@example([set(), {0, 1, 2, 3, 4, 5, 6}, {0, 1, 2, 3}, {0, 1, 2, 3, 4, 5}], 3, False, [])
@example([set(), {0, 1, 2, 3, 4, 5, 6}, {0, 1, 2, 3}, {0, 1, 2, 3}], 3, True, [])
# The new p2 arrives among old ones: p3, which met the group only through the later p4,
# now has an earlier post within the threshold.
@example([set(), {0, 1}, {0, 1, 2, 3, 4, 5}, set(range(10)), set(range(8))], -5, False, [])
# The new p0, older than p1 and p2, shows the file they share (and make a signal of).
@example([set(), set(), set(), {0, 1, 2, 3, 4, 5, 6, 7, 8}], -1, False, [0, 0, 0])
def test_detect_new_on_grown_groups_equals_a_full_run(
    masks: list[set[int]], cut: int, stored: bool, picks: list[int]
) -> None:
    """Pictures a few bits apart (so posts meet through earlier and through later ones, and a
    new post can be closer than an old link): new posts added after a run give what a full
    run gives, whether the old links are reused or computed again. The new posts are the
    latest, or (a negative `cut`) every `-cut`-th post arriving among the old ones, or (-1)
    the oldest post arriving last. With
    `picks`, post n shows the picture of post `picks[n] % (n + 1)`: the same file shown by
    several posts, a new one possibly older than all the others showing it."""
    from console.signal_state import signal_from_json, signal_to_json
    from heuristics.image_hash import VALUES, VIEWS

    base = 0x0F0F_F0F0_3C3C_C3C3
    rng = np.random.default_rng(7)
    hashes = {}
    for n, mask in enumerate(masks):
        others = [int(v) for v in rng.integers(0, 2**63, size=VIEWS - 1, dtype=np.uint64)]
        centre = base ^ sum(1 << (4 * b) for b in mask)
        hashes[f"img{n}.jpg"] = ImageHashes(f"img{n}.jpg", KIND, (centre, *others, *[0] * (VALUES - VIEWS)))
    shown = [picks[n] % (n + 1) if n < len(picks) else n for n in range(len(masks))]
    posts = [
        Post(f"p{n:02d}", f"m{n % 3}", START + timedelta(hours=n), images=(f"img{shown[n]}.jpg",))
        for n in range(len(masks))
    ]
    members = _members(3)
    new = posts[min(cut, len(posts) - 1) :] if cut > 0 else posts[:1] if cut == -1 else posts[2::-cut]

    def data(shown: Sequence[Post]) -> CommunityData:
        return CommunityData(
            Community("c"), members, list(shown), image_hashes=hashes, templates=shipped_templates()
        )

    detector = ImageRepostDetector()
    previous = detector.detect(data([p for p in posts if p not in new]), NOW)
    if stored:
        previous = [signal_from_json(orjson.loads(orjson.dumps(signal_to_json(s)))) for s in previous]
    got = detector.detect_new(data(posts), new, previous, NOW)
    full = detector.detect(data(posts), NOW)
    assert _shape(got) == _shape(full)
    assert [s.evidence for s in sorted(got, key=lambda s: s.id)] == [
        s.evidence for s in sorted(full, key=lambda s: s.id)
    ]


def test_groups_are_rendered_from_the_rows_gathered_without_a_lookup_by_id() -> None:
    """Re-rendering a group takes its posts' rows from the pictures gathered: the store's
    map of every id (half a second at a million posts, in a fresh process) is not asked."""
    from heuristics.detector import ListTable

    posts = _picture_posts([[0], [1], [0], [2], [1], [0]])
    hashes = {f"img{i}.jpg": _synthetic_hashes(f"img{i}.jpg", i) for i in range(3)}
    asked: list[set[str]] = []

    def locate(ids: Any) -> dict[str, int]:
        wanted = set(ids)
        asked.append(wanted)
        return {p.id: row for row, p in enumerate(posts) if p.id in wanted}

    members = _members(3)
    data = CommunityData(
        Community("c"), members, posts, image_hashes=hashes, table=ListTable.of(posts), locate=locate
    )
    plain = CommunityData(Community("c"), members, posts, image_hashes=hashes)
    detector = ImageRepostDetector()
    found = detector.detect(data, NOW)
    assert _shape(found) == _shape(detector.detect(plain, NOW))
    assert sorted(s.posts for s in found) == [("p000", "p002", "p005"), ("p001", "p004")]
    assert asked == []
