"""The quality benchmark's matching rule, and its pipeline on a small hand-made demo folder."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import orjson

from benchmarks.quality import Planted, main, matches, planted_from_truth, score
from heuristics.model import Signal, parse_time

AT = parse_time("2026-03-10T00:00:00Z")


def sig(kind: str, posts: tuple[str, ...] = (), members: tuple[str, ...] = (), **evidence: object) -> Signal:
    return Signal(f"{kind}:{posts}{members}", kind, 0.5, AT, posts, members, evidence=evidence)


def test_matching_rule_per_kind_family() -> None:
    repost = Planted("image_repost", posts=frozenset({"p1", "p2"}))
    assert matches(sig("image_repost", ("p2", "p9")), repost)
    assert not matches(sig("image_repost", ("p3",)), repost)
    assert not matches(sig("text_repeat", ("p1",)), repost)
    window = (parse_time("2026-03-01"), parse_time("2026-03-08"))
    quiet = Planted("quiet_group", window=window)
    assert matches(sig("quiet_group", window=["2026-03-07T00:00:00Z", "2026-03-14T00:00:00Z"]), quiet)
    assert not matches(sig("quiet_group", window=["2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"]), quiet)
    inactive = Planted("inactive_member", members=frozenset({"m3"}))
    assert matches(sig("inactive_member", members=("m3",)), inactive)
    welcome = Planted("onboarding", members=frozenset({"m3"}), step="welcome")
    assert matches(sig("onboarding", members=("m3",), member="m3", step="welcome"), welcome)
    assert not matches(sig("onboarding", members=("m3",), member="m3", step="checkin"), welcome)
    weekly = Planted("onboarding", members=frozenset({"*"}), step="weekly:2026-W10")
    assert matches(sig("onboarding", members=("m1", "m2"), member="*", step="weekly:2026-W10"), weekly)


def test_precision_and_recall_count_both_sides() -> None:
    truth = {
        "signals": [
            {"kind": "spam", "posts": ["p1"], "members": [], "lang": "en"},
            {"kind": "spam", "posts": ["p2"], "members": [], "lang": "en"},
        ],
        "inactive_members": ["m1"],
        "onboarding": [{"member": "m2", "step": "welcome"}],
    }
    planted = planted_from_truth(truth)
    detected = [
        sig("spam", ("p1",)),
        sig("spam", ("p7",)),
        sig("spam", ("p8",)),
        sig("inactive_member", members=("m1",)),
    ]
    by_kind = {s.kind: s for s in score(detected, planted)}
    assert (by_kind["spam"].precision, by_kind["spam"].recall) == (1 / 3, 1 / 2)
    assert (by_kind["inactive_member"].precision, by_kind["inactive_member"].recall) == (1.0, 1.0)
    assert by_kind["onboarding"].recall == 0.0 and by_kind["onboarding"].precision is None
    assert by_kind["conflict"].planted == 0 and by_kind["conflict"].recall is None


def test_pipeline_on_a_small_demo_folder(tmp_path: Path) -> None:
    """A hand-made stand-in for `tact demo --out`: a busy group with one planted quiet week."""
    now = datetime(2026, 3, 15, 12, tzinfo=UTC)
    lines = [{"type": "community", "id": "g", "name": "G", "lang": "en", "topic": ["cat"]}]
    lines += [
        {"type": "member", "id": f"m{i}", "joined_at": "2025-06-01T00:00:00Z", "lang": "en"} for i in range(4)
    ]
    n = 0
    for back in range(1, 90):
        d = now.date() - timedelta(days=back)
        for j in range(1 if d >= date(2026, 3, 8) else 15):
            n += 1
            at = datetime.combine(d, time(10), tzinfo=UTC) + timedelta(minutes=j)
            lines.append(
                {
                    "type": "post",
                    "id": f"p{n}",
                    "author": f"m{j % 4}",
                    "created_at": at.isoformat(),
                    "text": f"my cat is doing fine today, glucose reading number {n}",
                }
            )
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "community.jsonl").write_bytes(b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    truth = {
        "seed": 0,
        "now": "2026-03-15T12:00:00Z",
        "signals": [
            {
                "kind": "quiet_group",
                "posts": [],
                "members": [],
                "lang": "en",
                "window": ["2026-03-08T00:00:00Z", "2026-03-15T12:00:00Z"],
            }
        ],
        "inactive_members": [],
        "onboarding": [],
    }
    (demo / "truth.json").write_bytes(orjson.dumps(truth))
    out = tmp_path / "quality.md"
    assert main(["--demo", str(demo), "--out", str(out)]) == 0
    row = next(line for line in out.read_text().splitlines() if line.startswith("| quiet_group"))
    assert row == "| quiet_group | 1 | 1 | 1.00 | 1.00 |"
