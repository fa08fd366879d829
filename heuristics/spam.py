"""spam: a promotional or off-topic comment, typically from a stranger.

The shared explainable scorer (`promo_scorer`) reads the text; three more readable features
come from what tact knows beyond it, with weights set by hand in `promo_weights.EXTRA_WEIGHTS`:
"the author is not a member" (no member record: a blog commenter, a passing account), "the
author joined today" (joined the day of the comment, or after it), and "off topic for this
community" (`off_topic.TopicModel`: the comment shares little with the group's vocabulary).

Examined: every comment, and the posts of strangers (introductions aside: those are
self_promotion's). A stranger gets no suggested reply (answering invites more; hiding it is the
usual answer); a member gets a gentle public word.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from heuristics.detector import CommunityData
from heuristics.grouping import member_name
from heuristics.model import Post, Reply, Signal, signal_id
from heuristics.off_topic import TopicModel
from heuristics.promo_scorer import PromoScore, PromoScorer, default_scorer
from heuristics.reply_defaults import about_text, group_name, render_reply
from heuristics.textfeatures import quote

_DAY = timedelta(days=1)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


class SpamDetector:
    kind = "spam"
    #: Bumped when the verdicts change for the same data (the engine then recomputes in full).
    version = "2"

    def __init__(
        self,
        threshold: float | None = None,
        use_off_topic: bool = True,
        reply_to_strangers: bool = False,
        weights: dict[str, float] | None = None,
    ) -> None:
        self.scorer: PromoScorer = (
            default_scorer()
            if threshold is None and not weights
            else PromoScorer(weights, threshold=threshold)
        )
        self.use_off_topic = use_off_topic
        self.reply_to_strangers = reply_to_strangers

    def _examined(self, data: CommunityData, post: Post) -> bool:
        if post.is_comment:
            return True
        return post.author not in data.members and post.kind != "introduction"

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return self._examine(data, data.posts)

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Each comment is judged on its own: examine the new ones, keep the earlier verdicts.
        (The group's vocabulary grows with the new posts; earlier verdicts are not revisited.)"""
        fresh = {p.id for p in new_posts}
        kept = [s for s in previous if s.kind == self.kind and not (set(s.posts) & fresh)]
        return kept + self._examine(data, new_posts)

    def _examine(self, data: CommunityData, posts: Sequence[Post]) -> list[Signal]:
        candidates = [p for p in posts if self._examined(data, p)]
        model: TopicModel | None = None
        topic = data.community.topic
        off_weight = self.scorer.weights.get("off_topic", 0.0)
        # Most comments cannot reach the threshold even if off topic: the screen tells which
        # from their words alone, without scoring them (the verdicts are the same).
        screen = self.scorer.screen()
        unknown = ("off_topic",) if self.use_off_topic else ()
        out = []
        for post in candidates:
            extra = self._author(data, post)
            if not screen.may_flag(post.text, extra, unknown):
                continue
            score = self.scorer.score(post.text, topic, extra)
            # The group's vocabulary is read only when being off topic could tip the verdict, or
            # adds a reason to a signal: most comments are far below the threshold either way.
            if self.use_off_topic and _logistic(score.logit + off_weight) >= score.threshold:
                if model is None:
                    model = TopicModel.build(data)
                verdict = model.judge(post, data.lang_of(post.author))
                if verdict is not None and verdict.off_topic:
                    extra["off_topic"] = (1.0, verdict.unfamiliar[:4])
                    score = self.scorer.score(post.text, topic, extra)
            if score.promotional:
                out.append(self._signal(data, post, score))
        return out

    def _author(self, data: CommunityData, post: Post) -> dict[str, tuple[float, tuple[str, ...]]]:
        member = data.members.get(post.author)
        if member is None:
            return {"stranger": (1.0, (post.author,))}
        if post.created_at - member.joined_at < _DAY:
            return {"joined_today": (1.0, (member.joined_at.date().isoformat(),))}
        return {}

    def _signal(self, data: CommunityData, post: Post, score: PromoScore) -> Signal:
        stranger = post.author not in data.members
        name = member_name(data, post.author)
        who = "a stranger (no member record)" if stranger else f"member {name}"
        lang = data.lang_of(post.author)
        reply = None
        if not stranger or self.reply_to_strangers:
            text = render_reply(
                data,
                self.kind,
                lang,
                name=name,
                group=group_name(data.community),
                about=about_text(data.community, lang),
            )
            reply = Reply(lang, "public", post.id, text) if text else None
        kind = "comment" if post.is_comment else "post"
        words = [w for h in score.hits if h.contribution > 0 for w in h.matches][:3]
        lead = f"{post.id}: a {kind} by {who}" + (f" — {quote(words, 3)}" if words else "")
        return Signal(
            id=signal_id(self.kind, post.id),
            kind=self.kind,
            score=round(score.probability, 3),
            at=post.created_at,
            posts=(post.id,),
            members=(post.author,),
            reasons=(lead, *score.reasons()),
            reply=reply,
            evidence={**score.evidence(), "stranger": stranger},
        )
