"""self_promotion: an introduction, or a new member's first posts, mostly promoting a business.

The text is scored by the shared explainable scorer (`promo_scorer`), with the community's
topic words counting against promotion. Examined: every `introduction`, and the first
`first_posts` posts (not comments: those are the spam detector's) of a member within
`new_member_days` of joining. The suggested reply is public and never frontal: it thanks the
person for introducing themselves and invites them to tell what works well and less well for
them (DEVELOPERS.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from heuristics.detector import CommunityData
from heuristics.grouping import member_name
from heuristics.model import Post, Reply, Signal, signal_id
from heuristics.promo_scorer import PromoScore, PromoScorer, default_scorer
from heuristics.reply_defaults import group_name, render_reply

_ORDINALS = {1: "first", 2: "second", 3: "third"}


class SelfPromotionDetector:
    kind = "self_promotion"
    #: Bumped when the verdicts change for the same data (the engine then recomputes in full).
    version = "2"

    def __init__(
        self,
        threshold: float | None = None,
        first_posts: int = 3,
        new_member_days: int = 30,
        weights: dict[str, float] | None = None,
    ) -> None:
        self.first_posts = first_posts
        self.new_member_days = new_member_days
        self.scorer: PromoScorer = (
            default_scorer()
            if threshold is None and not weights
            else PromoScorer(weights, threshold=threshold)
        )

    # -- which posts -------------------------------------------------------------------------

    def _candidates(self, data: CommunityData, posts: Sequence[Post]) -> list[tuple[Post, int | None]]:
        """(post, rank among the member's first posts or None for an introduction)."""
        wanted = {p.id for p in posts}
        authors = {p.author for p in posts if p.author in data.members}
        ranks: dict[str, int] = {}
        seen: dict[str, int] = defaultdict(int)
        table = data.columns()
        # One pass over the post table (no post is read), oldest first, counting each
        # author's threads: a post's rank is how many they had started by then.
        for pid, author, kind in zip(table.id, table.author, table.kind, strict=True):
            if author not in authors or kind == "comment":
                continue
            seen[author] += 1
            if pid in wanted:
                ranks[pid] = seen[author]
        out: list[tuple[Post, int | None]] = []
        for post in posts:
            if post.kind == "introduction":
                out.append((post, None))
                continue
            rank = ranks.get(post.id)
            member = data.members.get(post.author)
            if (
                rank is not None
                and member is not None
                and rank <= self.first_posts
                and post.created_at - member.joined_at <= timedelta(days=self.new_member_days)
            ):
                out.append((post, rank))
        return out

    # -- runs --------------------------------------------------------------------------------

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return self._examine(data, data.posts)

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """A post's verdict depends only on itself and the author's earlier posts: examine the
        new ones, keep the rest."""
        fresh = {p.id for p in new_posts}
        kept = [s for s in previous if s.kind == self.kind and not (set(s.posts) & fresh)]
        return kept + self._examine(data, new_posts)

    def _examine(self, data: CommunityData, posts: Sequence[Post]) -> list[Signal]:
        topic = data.community.topic
        out = []
        for post, rank in self._candidates(data, posts):
            score = self.scorer.score(post.text, topic)
            if score.promotional:
                out.append(self._signal(data, post, rank, score))
        return out

    def _signal(self, data: CommunityData, post: Post, rank: int | None, score: PromoScore) -> Signal:
        name = member_name(data, post.author)
        if rank is None:
            what = f"{post.id} is the introduction of {name}"
        else:
            member = data.members[post.author]
            days = (post.created_at - member.joined_at).days
            ordinal = _ORDINALS.get(rank, f"{rank}th")
            plural = "s" if days != 1 else ""
            what = f"{post.id} is the {ordinal} post of {name}, {days} day{plural} after joining"
        lang = data.lang_of(post.author)
        text = render_reply(
            data,
            self.kind,
            lang,
            "default" if rank is None else "first_post",
            name=name,
            group=group_name(data.community),
        )
        return Signal(
            id=signal_id(self.kind, post.id),
            kind=self.kind,
            score=round(score.probability, 3),
            at=post.created_at,
            posts=(post.id,),
            members=(post.author,),
            reasons=(what, *score.reasons()),
            reply=Reply(lang, "public", post.id, text) if text else None,
            evidence={**score.evidence(), "post_kind": post.kind, "rank": rank},
        )
