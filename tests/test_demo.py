"""The demo community: deterministic, realistic in shape, every signal planted in both languages,
and a ground truth that the data itself confirms."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import imagehash
import orjson
import py3langid
import pytest
from PIL import Image

from console import demo
from console.cli import main
from console.commands import demo as demo_command
from console.demo_text import FORBIDDEN, has_topic_word
from heuristics.model import SIGNAL_KINDS, parse_time

SCALE = 2000
POST_KINDS = ("image_repost", "text_repeat", "self_promotion", "spam", "against_mission", "conflict")
WINDOW_KINDS = ("off_topic_drift", "quiet_group")
MEMBER_KINDS = ("inactive_member", "onboarding")


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert main(["demo", "--out", str(out), "--scale", str(SCALE)]) == 0
    return out


@pytest.fixture(scope="module")
def records(built: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in (built / "community.jsonl").read_bytes().splitlines()]


@pytest.fixture(scope="module")
def truth(built: Path) -> dict[str, Any]:
    return orjson.loads((built / "truth.json").read_bytes())


def posts_of(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "post"]


def members_of(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records if r["type"] == "member"}


def test_same_seed_same_bytes_other_seed_other_community(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    demo.build(again, seed=demo.DEFAULT_SEED, scale=SCALE)
    assert digest(again) == digest(built)
    other = tmp_path / "other"
    demo.build(other, seed=8, scale=SCALE)
    assert (other / "community.jsonl").read_bytes() != (built / "community.jsonl").read_bytes()


def test_shape_of_the_file(records: list[dict[str, Any]], truth: dict[str, Any], built: Path) -> None:
    assert records[0]["type"] == "community" and records[0]["lang"] == "fr"
    assert records[0]["off_topic_tolerance"] == 0.2
    assert {"chat", "insuline", "glycémie", "diabète", "croquettes", "véto", "hypoglycémie"} <= set(
        records[0]["topic"]
    )
    posts = posts_of(records)
    assert len(posts) == SCALE
    members = members_of(records)
    assert demo.members_for(SCALE) <= len(members) <= demo.members_for(SCALE) + 60
    langs = Counter(m.get("lang") for m in members.values())
    assert 0.08 < langs["en"] / len(members) < 0.3
    assert any(m.get("left_at") for m in members.values())
    assert truth["now"] == "2026-11-20T18:00:00Z" and truth["seed"] == demo.DEFAULT_SEED
    times = [parse_time(p["created_at"]) for p in posts]
    assert times == sorted(times)
    assert max(times) < parse_time(truth["now"])
    assert parse_time(truth["now"]) - min(times) > timedelta(days=600)  # about two years
    ids = {p["id"] for p in posts}
    for p in posts:  # parents come first, comments have one
        assert (p.get("parent") in ids) if p["kind"] == "comment" else True
    kinds = Counter(p["kind"] for p in posts)
    assert kinds["comment"] > kinds["post"] > kinds["introduction"] > 10
    pictures = [i for p in posts for i in p.get("images", [])]
    assert SCALE / 20 < len(pictures) < SCALE / 5
    assert all((built / i).is_file() for i in pictures)
    assert sorted(p.name for p in (built / "img").iterdir()) == sorted(Path(i).name for i in pictures)


def test_participation_is_90_9_1(records: list[dict[str, Any]]) -> None:
    members = members_of(records)
    by_author = Counter(p["author"] for p in posts_of(records) if p["author"] in members)
    assert len(by_author) / len(members) < 0.3  # most members lurk
    top = sum(n for _, n in by_author.most_common(max(1, len(members) // 100)))
    assert top / sum(by_author.values()) > 0.3  # the 1% write a large share


def test_daily_and_weekly_rhythm(records: list[dict[str, Any]]) -> None:
    local = [parse_time(p["created_at"]) + timedelta(hours=1) for p in posts_of(records)]
    hours = Counter(t.hour for t in local)
    evening = sum(hours[h] for h in range(18, 23))
    night = sum(hours[h] for h in range(1, 6))
    assert evening > 3 * night > 0  # busy evenings, yet night emergencies happen
    days = Counter(t.weekday() for t in local)
    assert (days[5] + days[6]) / 2 > sum(days[d] for d in range(5)) / 5


def test_every_kind_is_planted_in_both_languages(
    truth: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    posts = {p["id"]: p for p in posts_of(records)}
    members = members_of(records)
    for kind in SIGNAL_KINDS:
        planted = [s for s in truth["signals"] if s["kind"] == kind]
        assert {s["lang"] for s in planted} == {"en", "fr"}, kind
        for s in planted:
            assert all(p in posts for p in s["posts"])
            if kind in POST_KINDS:
                assert s["posts"], s
                assert all(a in members or a.startswith("v") for a in s["members"])
            if kind in WINDOW_KINDS:
                start, end = (parse_time(x) for x in s["window"])
                assert start < end <= parse_time(truth["now"])
            if kind in MEMBER_KINDS:
                assert s["members"] and all(m in members for m in s["members"])


def _lang(text: str) -> str:
    return str(py3langid.classify(text)[0])


def test_planted_texts_are_in_their_language(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    posts = {p["id"]: p for p in posts_of(records)}
    for s in truth["signals"]:
        if s["kind"] in ("text_repeat", "self_promotion", "against_mission", "conflict", "off_topic_drift"):
            for pid in s["posts"]:
                assert _lang(posts[pid]["text"]) == s["lang"], (s["kind"], posts[pid]["text"])


def test_planted_cases_look_like_what_they_are(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    posts = {p["id"]: p for p in posts_of(records)}
    members = members_of(records)
    for s in truth["signals"]:
        texts = [posts[p]["text"].lower() for p in s["posts"]]
        if s["kind"] == "spam":
            assert all(
                posts[p]["author"] not in members and posts[p]["kind"] == "comment" for p in s["posts"]
            )
        elif s["kind"] == "self_promotion":
            assert all(posts[p]["kind"] == "introduction" for p in s["posts"])
            assert all(("site" in t or "shop" in t) and ("recommand" in t or "recommend" in t) for t in texts)
        elif s["kind"] == "text_repeat":
            assert len(texts) >= 3 and len({posts[p]["author"] for p in s["posts"]}) == len(texts)
        elif s["kind"] == "image_repost":
            assert len(s["posts"]) >= 2 and all(len(posts[p]["images"]) == 1 for p in s["posts"])
        elif s["kind"] == "conflict":
            assert len(s["members"]) == 2 and {posts[p]["author"] for p in s["posts"]} == set(s["members"])
            parents = {posts[p]["parent"] for p in s["posts"]}
            assert len(parents) == 1  # one thread
        elif s["kind"] == "off_topic_drift":
            assert all(not has_topic_word(t) for t in texts)


def test_organic_texts_stay_clear_of_planted_words(
    truth: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    import re

    planted = {p for s in truth["signals"] for p in s["posts"]}
    window = next(s for s in truth["signals"] if s["kind"] == "off_topic_drift")["window"][0]
    words = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in FORBIDDEN) + ")", re.IGNORECASE)
    organic = [p for p in posts_of(records) if p["id"] not in planted]
    offenders = [p["text"] for p in organic if words.search(p["text"])]
    assert offenders == []
    # Before the drift window, every organic post and comment is about the group's topic.
    off = [p["text"] for p in organic if p["created_at"] < window and not has_topic_word(p["text"])]
    assert off == []


def test_off_topic_window_exceeds_the_tolerance(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    start = next(s for s in truth["signals"] if s["kind"] == "off_topic_drift")["window"][0]
    tops = [p for p in posts_of(records) if p["kind"] != "comment"]
    recent = [p for p in tops if p["created_at"] >= start]
    before = [p for p in tops if p["created_at"] < start]
    share = sum(not has_topic_word(p["text"]) for p in recent) / len(recent)
    assert share > 0.3
    assert sum(not has_topic_word(p["text"]) for p in before) / len(before) < 0.05
    every = [p for p in posts_of(records) if p["created_at"] >= start]
    assert sum(not has_topic_word(p["text"]) for p in every) / len(every) > 0.25


def test_quiet_weeks_are_far_below_usual(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    times = [parse_time(p["created_at"]) for p in posts_of(records)]
    for s in (s for s in truth["signals"] if s["kind"] == "quiet_group"):
        start, end = (parse_time(x) for x in s["window"])
        inside = sum(start <= t < end for t in times)
        around = (
            sum(start - timedelta(days=28) <= t < start or end <= t < end + timedelta(days=28) for t in times)
            / 8
        )
        assert inside < 0.35 * around, (s["window"], inside, around)


def _independent_inactive(records: list[dict[str, Any]], now: str) -> list[str]:
    limit = parse_time(now) - timedelta(weeks=8)
    last: dict[str, Any] = {}
    for p in posts_of(records):
        t = parse_time(p["created_at"])
        last[p["author"]] = max(t, last.get(p["author"], t))
    out = []
    for m in members_of(records).values():
        if m.get("left_at"):
            continue
        seen = last.get(m["id"])
        if (seen is not None and seen < limit) or (seen is None and parse_time(m["joined_at"]) < limit):
            out.append(m["id"])
    return out


def test_inactive_members_match_the_rule(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    expected = _independent_inactive(records, truth["now"])
    assert truth["inactive_members"] == expected
    members = members_of(records)
    posted = {p["author"] for p in posts_of(records)}
    assert any(m in posted for m in expected) and any(m not in posted for m in expected)
    assert not any(members[m].get("left_at") for m in expected)
    for s in (s for s in truth["signals"] if s["kind"] == "inactive_member"):
        assert set(s["members"]) <= set(expected)


def test_onboarding_steps_match_the_rule(truth: dict[str, Any], records: list[dict[str, Any]]) -> None:
    now = parse_time(truth["now"])
    expected = []
    for m in members_of(records).values():
        if m.get("left_at"):
            continue
        joined = parse_time(m["joined_at"])
        for step, days in (("welcome", 0), ("checkin_2m", 61), ("anniversary_1y", 365)):
            if joined + timedelta(days=days) <= now < joined + timedelta(days=days + 7):
                expected.append({"member": m["id"], "step": step})
    expected.append({"member": "*", "step": "weekly:2026-W47"})
    assert truth["onboarding"] == expected
    steps = Counter(e["step"] for e in expected)
    assert steps["welcome"] >= 2 and steps["checkin_2m"] >= 2 and steps["anniversary_1y"] >= 2
    for s in (s for s in truth["signals"] if s["kind"] == "onboarding"):
        assert {"member": s["members"][0], "step": s["step"]} in expected


def _phash(path: Path) -> imagehash.ImageHash:
    with Image.open(path) as img:
        return imagehash.phash(img.convert("L"))


def test_pictures_differ_and_reposts_stay_close(
    truth: dict[str, Any], records: list[dict[str, Any]], built: Path
) -> None:
    reposted = {p for s in truth["signals"] if s["kind"] == "image_repost" for p in s["posts"][1:]}
    bases = [built / i for p in posts_of(records) if p["id"] not in reposted for i in p.get("images", [])]
    hashes = [_phash(p) for p in bases]
    closest = min(a - b for a, b in itertools.combinations(hashes, 2))
    assert closest >= 10
    posts = {p["id"]: p for p in posts_of(records)}
    for s in (s for s in truth["signals"] if s["kind"] == "image_repost"):
        first = _phash(built / posts[s["posts"][0]]["images"][0])
        for pid in s["posts"][1:]:
            path = built / posts[pid]["images"][0]
            assert path.read_bytes() != (built / posts[s["posts"][0]]["images"][0]).read_bytes()
            assert first - _phash(path) <= 26  # a banner or crop moves a whole-picture hash most


def _store_files(root: Path) -> Iterator[tuple[str, bytes]]:
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != ".lock":
            yield str(p.relative_to(root)), p.read_bytes()


def test_demo_imports_and_reimport_changes_nothing(built: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert main(["--data", str(data), "import", str(built / "community.jsonl")]) == 0
    before = dict(_store_files(data))
    assert main(["--data", str(data), "import", str(built / "community.jsonl")]) == 0
    assert dict(_store_files(data)) == before
    from console.store import Store

    store = Store(data)
    assert store.post_count() == SCALE
    by_month: defaultdict[str, int] = defaultdict(int)
    for month in store.months():
        by_month[month] += len(store.posts_in_month(month))
    assert sum(by_month.values()) == SCALE


def test_scale_too_small_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "x"), "--scale", "10"]) == 2
    assert capsys.readouterr().err.strip() == f"tact demo: --scale must be at least {demo.MIN_SCALE}"


def test_tact_demo_builds_once_then_opens_the_console_at_the_demo_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_command, "demo_cache_dir", lambda: tmp_path / "cache")
    opened: list[Any] = []

    def fake_run(self: Any, **kwargs: Any) -> None:
        opened.append(self.tact)

    from console.app import TactApp

    monkeypatch.setattr(TactApp, "run", fake_run)
    assert main(["--moderator", "bob", "demo", "--scale", "600"]) == 0
    (tact,) = opened
    assert tact.now() == parse_time("2026-11-20T18:00:00Z") and tact.moderator == "bob"
    assert tact.store.post_count() == 600
    marker = tmp_path / "cache" / "seed7-scale600" / "complete.json"
    stamp = marker.stat().st_mtime_ns
    assert main(["demo", "--scale", "600"]) == 0  # cached: not rebuilt
    assert marker.stat().st_mtime_ns == stamp
    marker.unlink()  # an interrupted build is redone
    (tmp_path / "cache" / "seed7-scale600" / "files" / "truth.json").unlink()
    assert main(["demo", "--scale", "600"]) == 0
    assert marker.exists() and (tmp_path / "cache" / "seed7-scale600" / "files" / "truth.json").exists()
    assert opened[-1].store.post_count() == 600


def test_phrase_grammar_expands_every_group() -> None:
    import random

    from console.demo_phrases import expand, literal

    rng = random.Random(1)
    seen = {expand("a [b|c [d|e]] f[|g]", rng) for _ in range(200)}
    assert seen == {"a b f", "a b fg", "a c d f", "a c d fg", "a c e f", "a c e fg"}
    assert literal("Bonjour [à tous|] {cat}") == "Bonjour  {cat}"
    assert expand("no groups", rng) == "no groups"


def test_organic_texts_are_rarely_near_identical(
    truth: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    """Members write their own words: template collisions would be false text repeats."""
    from rapidfuzz import fuzz, process

    planted = {p for s in truth["signals"] for p in s["posts"]}
    by_month: defaultdict[str, list[str]] = defaultdict(list)
    for p in posts_of(records):
        if p["id"] not in planted and len(p["text"]) >= 60:
            by_month[p["created_at"][:7]].append(p["text"])
    close = total = 0
    for texts in by_month.values():
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=90)
        close += int(((scores >= 90).sum() - len(texts)) // 2)
        total += len(texts)
    assert close < 0.01 * total, (close, total)


def test_writing_again_over_a_bigger_demo_leaves_no_stale_pictures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    demo.build(out, seed=3, scale=1200)
    (out / "img" / "keep-me.jpg").write_bytes(b"not ours")
    demo.build(out, seed=4, scale=600)
    referenced = {
        Path(i).name
        for line in (out / "community.jsonl").read_bytes().splitlines()
        for i in orjson.loads(line).get("images", [])
    }
    assert {p.name for p in (out / "img").iterdir()} == referenced | {"keep-me.jpg"}
