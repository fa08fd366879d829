"""quiet_group both ways: a quiet week fires; a normal week and last year's usual dip don't."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from console.tact_config import shipped_templates
from heuristics.detector import CommunityData
from heuristics.model import Community, Member, Post, Signal
from heuristics.quiet_group import QuietGroupDetector, activity_baseline

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def counts_for(days: int, level: Callable[[date], float], seed: int = 3) -> dict[date, int]:
    """Posts per day over the `days` before today, around `level(day)` with some noise."""
    rng = random.Random(seed)
    out = {}
    for i in range(1, days + 1):
        d = TODAY - timedelta(days=i)
        out[d] = max(0, round(level(d) * rng.uniform(0.8, 1.2)))
    return out


def data_from(counts: Mapping[date, int], lang: str = "en") -> CommunityData:
    posts = []
    for d in sorted(counts):
        for j in range(counts[d]):
            at = datetime.combine(d, time(8), tzinfo=UTC) + timedelta(minutes=7 * j)
            kind = "comment" if j % 3 else "post"
            posts.append(Post(f"p{d.isoformat()}-{j}", f"m{j % 9}", at, kind, "hello"))  # type: ignore[arg-type]
    members = {f"m{i}": Member(f"m{i}", datetime(2024, 1, 1, tzinfo=UTC)) for i in range(9)}
    return CommunityData(
        Community("cats", "Chats diabétiques", lang),  # type: ignore[arg-type]
        members,
        posts,
        templates=shipped_templates(),
    )


def last_week(d: date) -> bool:
    return TODAY - timedelta(days=7) <= d < TODAY


def detect(counts: Mapping[date, int], **params: object) -> list[Signal]:
    return QuietGroupDetector(**params).detect(data_from(counts), NOW)  # type: ignore[arg-type]


def test_silent_on_a_normal_week() -> None:
    assert detect(counts_for(100, lambda d: 20)) == []


def test_fires_on_a_quiet_week_with_evidence_and_a_public_starter() -> None:
    counts = counts_for(100, lambda d: 4 if last_week(d) else 20)
    [s] = QuietGroupDetector().detect(data_from(counts, "fr"), NOW)
    assert s.kind == "quiet_group" and s.posts == () and s.members == ()
    ev = s.evidence
    assert ev["window"] == ["2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"]
    assert ev["count"] == sum(n for d, n in counts.items() if last_week(d))
    assert 120 < float(ev["median"]) < 160  # type: ignore[arg-type]
    assert float(ev["threshold"]) <= 0.6 * float(ev["median"])  # type: ignore[arg-type]
    assert len(ev["weeks"]) == 10  # type: ignore[arg-type]
    assert 0.5 < s.score <= 1.0
    assert s.reply is not None and s.reply.lang == "fr" and s.reply.visibility == "public"
    assert "semaine" in s.reply.text
    assert "below the usual" in s.reasons[0]


def test_the_same_quiet_spell_keeps_one_id_and_a_deeper_silence_scores_higher() -> None:
    counts = counts_for(100, lambda d: 3 if d >= TODAY - timedelta(days=9) else 20)
    data = data_from(counts)
    det = QuietGroupDetector()
    today = det.detect(data, NOW)
    tomorrow = det.detect(data, NOW + timedelta(days=1))  # one more silent day
    assert len(today) == len(tomorrow) == 1
    assert today[0].id == tomorrow[0].id
    assert tomorrow[0].score >= today[0].score


def test_a_past_quiet_week_is_reported_low_without_a_reply() -> None:
    weeks_ago = TODAY - timedelta(days=35)
    counts = counts_for(150, lambda d: 2 if weeks_ago <= d < weeks_ago + timedelta(days=7) else 20)
    [s] = detect(counts)
    assert s.evidence["current"] is False and s.reply is None and s.score < 0.5
    window = s.evidence["window"]
    assert window == ["2026-02-08T00:00:00Z", "2026-02-15T00:00:00Z"]  # its quietest 7 days
    assert any("back above the quiet level" in r for r in s.reasons)
    assert detect(counts, history_weeks=3) == []  # ended before the horizon
    # Quiet again now: the current spell comes first.
    again = {d: (1 if last_week(d) else n) for d, n in counts.items()}
    found = sorted(detect(again), key=lambda x: -x.score)
    assert [x.evidence["current"] for x in found] == [True, False]
    assert found[0].reply is not None and found[0].score > 0.5


def test_a_moderate_dip_within_the_usual_spread_is_silent() -> None:
    assert detect(counts_for(100, lambda d: 15 if last_week(d) else 20)) == []


def test_young_or_tiny_groups_are_not_judged() -> None:
    young = counts_for(20, lambda d: 1 if last_week(d) else 20)  # under 4 full weeks of history
    assert detect(young) == []
    tiny = counts_for(100, lambda d: 0 if last_week(d) else 1)  # ~7 posts a week
    assert detect(tiny) == []
    assert detect(tiny, min_median=5, k=1.5) != []  # judged once the moderators lower the bars


def holidays(d: date) -> bool:
    """The last week of the year and first days of the next: the usual dip."""
    return (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 3)


def test_a_usual_holiday_dip_seen_last_year_is_silent() -> None:
    now = datetime(2026, 1, 2, 12, tzinfo=UTC)
    rng = random.Random(5)
    counts = {}
    for i in range(1, 500):
        d = now.date() - timedelta(days=i)
        counts[d] = round((6 if holidays(d) else 20) * rng.uniform(0.85, 1.15))
    data = data_from(counts)
    found = QuietGroupDetector().detect(data, now)
    assert [s for s in found if s.evidence["current"]] == []
    # Last year's holidays, with no year before to explain them, remain as a past spell.
    assert [s.evidence["spell"][0][:7] for s in found] == ["2024-12"]  # type: ignore[index]
    # Without seasonality this week is a drop: the test shows the seasonal part works.
    plain = QuietGroupDetector(seasonal=False).detect(data, now)
    assert [s for s in plain if s.evidence["current"]] != []
    # And a holiday week far quieter than last year's still fires.
    quieter = {d: (0 if now.date() - timedelta(days=7) <= d < now.date() else n) for d, n in counts.items()}
    [s] = [s for s in QuietGroupDetector().detect(data_from(quieter), now) if s.evidence["current"]]
    assert s.evidence["seasonal_factor"] is not None and float(s.evidence["seasonal_factor"]) < 0.5  # type: ignore[arg-type]
    assert any("last year" in r for r in s.reasons)


def test_activity_baseline_for_the_health_screen() -> None:
    counts = {d: 10 for d in (TODAY - timedelta(days=i) for i in range(1, 8 * 7 + 1))}
    b = activity_baseline(counts, NOW)
    assert b.enough and b.count == 70
    assert b.weeks == (70,) * 7  # weeks before the first post are not zero weeks
    assert b.median == 70 and b.spread == pytest.approx(70**0.5)
    assert b.threshold == pytest.approx(min(70 - 3 * 70**0.5, 0.6 * 70))
    lo, hi = b.daily_band
    assert lo < b.daily_expected == 10 < hi
    empty = activity_baseline({}, NOW)
    assert not empty.enough and empty.count == 0


def test_today_so_far_does_not_count() -> None:
    counts = counts_for(100, lambda d: 20)
    data = data_from(counts)
    early = datetime.combine(TODAY, time(0, 30), tzinfo=UTC)
    assert QuietGroupDetector().detect(data, early) == []


def test_bad_params_are_refused() -> None:
    with pytest.raises(ValueError):
        QuietGroupDetector(ratio=1.5)


def test_a_bilingual_group_gets_a_starter_in_both_languages() -> None:
    counts = counts_for(100, lambda d: 4 if last_week(d) else 20)
    base = data_from(counts, "fr")
    joined = datetime(2024, 1, 1, tzinfo=UTC)

    def with_english(n_en: int) -> CommunityData:
        members = {f"m{i}": Member(f"m{i}", joined, lang="en" if i < n_en else "fr") for i in range(20)}
        return replace(base, members=members)

    [both] = QuietGroupDetector().detect(with_english(6), NOW)  # 30% read English
    assert both.reply is not None and both.reply.lang == "fr"
    fr_text = shipped_templates().render("quiet_group", "fr")
    en_text = shipped_templates().render("quiet_group", "en")
    assert both.reply.text == f"{fr_text}\n\n{en_text}"
    [one] = QuietGroupDetector().detect(with_english(1), NOW)  # 5%: the group's language only
    assert one.reply is not None and one.reply.text == fr_text
