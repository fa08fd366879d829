"""off_topic_drift: more off-topic posts over a recent window than the group tolerates.

Whether one post is on topic is judged against the community itself, not a fixed list: the
vocabulary its members actually use (document frequencies of simplemma lemmas over the
community's recent posts — those using its topic words when there are enough of them —, the
IDF side of TF-IDF) plus the community's `topic` words. Each
content word of a post (stop words aside) is *familiar* in proportion to how many of the
group's other posts use it — fully once `familiar_share` of them (and at least five) do — and
topic words are always familiar. A post whose mean familiarity is below `min_familiarity`,
with no topic word, is off topic; one with fewer than `min_words` content words ("merci !")
is not judged at all.

The share of off-topic posts among judged top-level posts is measured over a sliding window
(`window_days`, default 7) ending at each day; each run of days above the community's
`off_topic_tolerance` is one signal (its id from the run's first day, so it stays stable as the
run grows), with the run's off-topic posts, the window, the share and the tolerance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from heuristics.detector import CommunityData, Kept
from heuristics.lexicons import merged
from heuristics.model import Post, Reply, Signal, format_time, signal_id, utc
from heuristics.reply_defaults import about_text, group_name, render_reply
from heuristics.textfeatures import LEMMATISER, Lemmatiser, distinct_lemmas, lemmas, quote

_STOP = frozenset(merged("STOPWORDS"))


def content_lemmas(text: str, lang: str | None, lemmatiser: Lemmatiser = LEMMATISER) -> set[str]:
    """The distinct lemmas of `text` that can carry a subject (no stop words, no short bits)."""
    return distinct_lemmas(text, lang, _STOP, 3, lemmatiser)


#: Texts whose lemmas a console keeps from one run to the next: off-topic's window (three
#: weeks of a busy group) and the new posts spam reads, with room to spare.
KEPT_LEMMAS = 40_000


def post_lemmas(data: CommunityData, post: Post) -> frozenset[str]:
    """`content_lemmas` of a post, once per run (spam and off-topic read the same recent
    posts), and once per text and language while `data.kept` lasts (the window slides a
    little from one run to the next)."""
    memo = data.memo.setdefault("content_lemmas", {})
    assert isinstance(memo, dict)
    found = memo.get(post.id)
    if found is None:
        lang = data.lang_of(post.author)
        kept: Kept[tuple[str, str], frozenset[str]] = Kept.of(data, "content_lemmas", KEPT_LEMMAS)
        found = kept.get((post.text, lang))
        if found is None:
            found = frozenset(content_lemmas(post.text, lang, data.lemmatiser))
            kept.put((post.text, lang), found)
        memo[post.id] = found
    return found


@dataclass(frozen=True, slots=True)
class Judgement:
    post: str
    off_topic: bool
    familiarity: float
    topic_words: tuple[str, ...]
    familiar: tuple[str, ...]
    unfamiliar: tuple[str, ...]

    def reason(self) -> str:
        if self.topic_words:
            return f"{self.post} uses the group's topic words {quote(self.topic_words)}"
        verdict = "off topic" if self.off_topic else "on topic"
        parts = [f"{self.post} is {verdict}: familiarity {self.familiarity:.2f} with the group's vocabulary"]
        if self.unfamiliar:
            parts.append(f"unfamiliar words {quote(self.unfamiliar, 4)}")
        if self.familiar:
            parts.append(f"familiar: {quote(self.familiar, 3)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class TopicModel:
    """The community's vocabulary: in how many reference posts each lemma occurs."""

    df: Mapping[str, int]
    n_posts: int
    """How many posts `df` counts over (the basis)."""
    topic: frozenset[str]
    own: Mapping[str, frozenset[str]]
    """Lemmas of the reference posts, read once."""
    basis: frozenset[str]
    """The posts `df` counts, so that a post is not familiar with itself."""
    familiar_share: float = 0.01
    min_familiarity: float = 0.3
    min_words: int = 3
    lemmatiser: Lemmatiser = field(default=LEMMATISER, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        data: CommunityData,
        reference_posts: int = 3000,
        until: datetime | None = None,
        **params: float,
    ) -> TopicModel:
        """From the most recent `reference_posts` posts (before `until`), all kinds.

        When enough of them use the community's topic words, only those count as the group's
        vocabulary: a drift that lasts weeks ("je vends une commode", "vacances en Provence")
        must not make its own words familiar.
        """
        if until is None:
            posts = list(data.posts[max(0, len(data.posts) - reference_posts) :])
        else:
            posts = data.until(until, reference_posts)
        own = {p.id: post_lemmas(data, p) for p in posts}
        lemmatiser = data.lemmatiser
        topic = frozenset(
            w for t in data.community.topic for lang in ("en", "fr") for w in lemmas(t, lang, lemmatiser)
        )
        anchored = [pid for pid, words in own.items() if words & topic]
        basis = anchored if topic and len(anchored) >= max(20, len(own) // 5) else list(own)
        df: Counter[str] = Counter()
        for pid in basis:
            df.update(own[pid])
        return cls(df, len(basis), topic, own, frozenset(basis), **params, lemmatiser=lemmatiser)  # type: ignore[arg-type]

    def judge(self, post: Post, lang: str | None, words: frozenset[str] | None = None) -> Judgement | None:
        """On or off topic, with the words that decided; None when too short to tell.
        `words`: the post's `content_lemmas` when the caller has them already."""
        words = self.own.get(post.id, words)
        if words is None:
            words = frozenset(content_lemmas(post.text, lang, self.lemmatiser))
        if len(words) < self.min_words:
            return None
        in_topic = tuple(sorted(words & self.topic))
        if in_topic:
            return Judgement(post.id, False, 1.0, in_topic, (), ())
        self_count = 1 if post.id in self.basis else 0
        # A word is fully familiar once many posts use it; in a small group, five other posts
        # (two look-alike off-topic posts must not make each other familiar).
        full = max(5.0, self.familiar_share * self.n_posts)
        scores = {w: min(1.0, max(0, self.df.get(w, 0) - self_count) / full) for w in words}
        familiarity = sum(scores.values()) / len(scores)
        ranked = sorted(scores, key=lambda w: (-scores[w], w))
        familiar = tuple(w for w in ranked if scores[w] >= 0.5)
        unfamiliar = tuple(w for w in reversed(ranked) if scores[w] < 0.5)
        return Judgement(post.id, familiarity < self.min_familiarity, familiarity, (), familiar, unfamiliar)

    def verdict(self, post_id: str, words: frozenset[str]) -> Verdict | None:
        """`judge`'s verdict and familiarity without the words that decided (a run needs those
        for the three posts its reasons quote, and judges thousands): the same sums in the
        same order, so the same floats."""
        words = self.own.get(post_id, words)
        if len(words) < self.min_words:
            return None
        if not words.isdisjoint(self.topic):
            return Verdict(False, 1.0)
        self_count = 1 if post_id in self.basis else 0
        full = max(5.0, self.familiar_share * self.n_posts)
        df = self.df
        familiarity = sum([min(1.0, max(0, df.get(w, 0) - self_count) / full) for w in words]) / len(words)
        return Verdict(familiarity < self.min_familiarity, familiarity)


class Verdict(NamedTuple):
    off_topic: bool
    familiarity: float


def off_topic_flags(data: CommunityData, posts: Iterable[Post] | None = None) -> dict[str, bool]:
    """Post id -> off topic, for `posts` (default: all). Posts too short to judge are False."""
    model = TopicModel.build(data)
    out: dict[str, bool] = {}
    for post in data.posts if posts is None else posts:
        judged = model.judge(post, data.lang_of(post.author))
        out[post.id] = judged is not None and judged.off_topic
    return out


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    judged: int
    off: int


class OffTopicDriftDetector:
    kind = "off_topic_drift"
    #: Bumped when the verdicts change for the same data (the engine then recomputes in full).
    version = "2"

    def __init__(
        self,
        window_days: int = 7,
        min_posts: int = 5,
        lookback_days: int = 90,
        reference_posts: int = 3000,
        familiar_share: float = 0.01,
        min_familiarity: float = 0.3,
        min_words: int = 3,
        tolerance: float | None = None,
        count_comments: bool = False,
        max_posts: int = 20,
    ) -> None:
        self.window_days = window_days
        self.min_posts = min_posts
        self.lookback_days = lookback_days
        self.reference_posts = reference_posts
        self.familiar_share = familiar_share
        self.min_familiarity = min_familiarity
        self.min_words = min_words
        self.tolerance = tolerance
        """Overrides the community's `off_topic_tolerance` when set."""
        self.count_comments = count_comments
        """Comments follow their thread's subject; by default only posts are counted."""
        self.max_posts = max_posts

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        now = utc(now)
        tolerance = data.community.off_topic_tolerance if self.tolerance is None else self.tolerance
        model = TopicModel.build(
            data,
            self.reference_posts,
            now,
            familiar_share=self.familiar_share,
            min_familiarity=self.min_familiarity,
            min_words=self.min_words,
        )
        start = now - timedelta(days=self.lookback_days + self.window_days)
        judged: list[tuple[Post, Verdict]] = []
        for post in data.between(start, now, comments=self.count_comments):
            verdict = model.verdict(post.id, post_lemmas(data, post))
            if verdict is not None:
                judged.append((post, verdict))
        if not judged:
            return []

        def reason(post: Post) -> str:
            found = model.judge(post, data.lang_of(post.author), post_lemmas(data, post))
            assert found is not None  # judged above
            return found.reason()

        runs = self._runs(judged, tolerance, now)
        return [self._signal(data, run, judged, tolerance, now, reason) for run in runs]

    # -- windows -----------------------------------------------------------------------------

    def _window_end(self, day: date, now: datetime) -> datetime:
        return min(now, datetime.combine(day + timedelta(days=1), time(), UTC))

    def _runs(
        self, judged: Sequence[tuple[Post, Verdict]], tolerance: float, now: datetime
    ) -> list[list[_Day]]:
        """Consecutive days whose window (ending that day) is above the tolerance."""
        first = judged[0][0].created_at.date()
        last = now.date()
        runs: list[list[_Day]] = []
        current: list[_Day] = []
        times = [p.created_at for p, _ in judged]
        offs = [j.off_topic for _, j in judged]
        lo = hi = 0
        off_count = 0
        day = first
        while day <= last:
            end = self._window_end(day, now)
            begin = end - timedelta(days=self.window_days)
            while hi < len(times) and times[hi] <= end:
                off_count += offs[hi]
                hi += 1
            while lo < hi and times[lo] <= begin:
                off_count -= offs[lo]
                lo += 1
            n = hi - lo
            if n >= self.min_posts and off_count / n > tolerance:
                current.append(_Day(day, n, off_count))
            elif current:
                runs.append(current)
                current = []
            day += timedelta(days=1)
        if current:
            runs.append(current)
        return runs

    def _signal(
        self,
        data: CommunityData,
        run: list[_Day],
        judged: Sequence[tuple[Post, Verdict]],
        tolerance: float,
        now: datetime,
        reason: Callable[[Post], str],
    ) -> Signal:
        first, last = run[0], run[-1]
        window_start = self._window_end(first.day, now) - timedelta(days=self.window_days)
        window_end = self._window_end(last.day, now)
        peak = max(run, key=lambda d: (d.off / d.judged, d.day))
        peak_share = peak.off / peak.judged
        inside = [(p, j) for p, j in judged if window_start < p.created_at <= window_end and j.off_topic]
        recent = inside[-self.max_posts :]
        score = min(1.0, 0.5 + 0.5 * (peak_share - tolerance) / max(1e-9, 1.0 - tolerance))
        reasons = [
            f"{peak.off} of {peak.judged} posts ({peak_share:.0%}) in the {self.window_days} days to "
            f"{peak.day.isoformat()} were off topic; the group tolerates {tolerance:.0%}",
            f"above the tolerance on {len(run)} day{'s' if len(run) != 1 else ''}, "
            f"{first.day.isoformat()} to {last.day.isoformat()}",
        ]
        reasons += [reason(p) for p, _ in recent[-3:]]
        lang = data.community.lang or "en"
        text = render_reply(
            data,
            self.kind,
            lang,
            group=group_name(data.community),
            about=about_text(data.community, lang),
            window_days=self.window_days,
        )
        return Signal(
            id=signal_id(self.kind, data.community.id, first.day.isoformat()),
            kind=self.kind,
            score=round(score, 3),
            at=window_end,
            posts=tuple(p.id for p, _ in recent),
            members=tuple(dict.fromkeys(p.author for p, _ in recent)),
            reasons=tuple(reasons),
            reply=Reply(lang, "public", None, text) if text else None,
            evidence={
                "window": [format_time(window_start), format_time(window_end)],
                "window_days": self.window_days,
                "share": round(peak_share, 3),
                "off_topic": peak.off,
                "judged": peak.judged,
                "tolerance": tolerance,
                "min_familiarity": self.min_familiarity,
                "posts": {p.id: round(j.familiarity, 3) for p, j in recent},
            },
        )
