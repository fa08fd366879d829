"""self_promotion: an introduction, or a new member's first posts, mostly promoting a business.

The text is scored by the shared explainable scorer (`promo_scorer`), with the community's
topic words counting against promotion. Examined: every `introduction`, and the first
`first_posts` posts (not comments: those are the spam detector's) of a member within
`new_member_days` of joining. The suggested reply is public and never frontal: it thanks the
person for introducing themselves and invites them to tell what works well and less well for
them (DEVELOPERS.md).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import compress

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
    # The ranks come from the post table (who posted what kind of post when), so only the
    # examined posts are ever built: introductions, and a newcomer's first posts.

    def _window(self) -> timedelta:
        return timedelta(days=self.new_member_days)

    def _candidate_rows(self, data: CommunityData) -> list[tuple[int, int | None]]:
        """Rows of every introduction (rank None) and of each member's first `first_posts`
        posts that may be within `new_member_days` of joining (to be checked on the post)."""
        cols = data.columns()
        kinds, authors, ts = cols.kind, cols.author, cols.ts
        members = data.members
        window = self._window().total_seconds()
        limit: dict[str, float] = {}
        seen: dict[str, int] = {}
        out: list[tuple[int, int | None]] = []
        for row in compress(range(len(kinds)), [k != "comment" for k in kinds]):
            author = authors[row]
            intro = kinds[row] == "introduction"
            if intro:
                out.append((row, None))
            last = limit.get(author)
            if last is None:
                member = members.get(author)
                if member is None:
                    continue
                last = limit[author] = member.joined_at.timestamp() + window
            rank = seen[author] = seen.get(author, 0) + 1
            # The table's seconds are floored: a row past the window by them is past it.
            if not intro and rank <= self.first_posts and ts[row] <= last:
                out.append((row, rank))
        return out

    def _ranks(self, data: CommunityData, posts: Sequence[Post]) -> dict[str, int]:
        """Each post's rank among its author's posts (comments aside), from the table rows
        of those authors up to the last of the posts (a look at one column, no post built)."""
        cols = data.columns()
        rows = {p.id: _row(data, p) for p in posts}
        authors = {p.author for p in posts}
        end = max(rows.values()) + 1
        kinds = cols.kind
        theirs: dict[str, list[int]] = {}
        for row in compress(range(end), map(authors.__contains__, cols.author[:end])):
            if kinds[row] != "comment":
                theirs.setdefault(cols.author[row], []).append(row)
        return {p.id: bisect_right(theirs.get(p.author, []), rows[p.id]) for p in posts}

    def _is_early(self, data: CommunityData, post: Post) -> bool:
        """Within `new_member_days` of the author's joining (before it counts too)."""
        member = data.members.get(post.author)
        return member is not None and post.created_at - member.joined_at <= self._window()

    # -- runs --------------------------------------------------------------------------------

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        rows = self._candidate_rows(data)
        posts = data.posts
        found = [(posts[row], rank) for row, rank in rows]
        return self._examine(data, [(p, r) for p, r in found if r is None or self._is_early(data, p)])

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """A post's verdict depends only on itself and the author's earlier posts: examine the
        new ones, keep the rest."""
        fresh = {p.id for p in new_posts}
        kept = [s for s in previous if s.kind == self.kind and not (set(s.posts) & fresh)]
        early = [
            p for p in new_posts if not p.is_comment and p.kind != "introduction" and self._is_early(data, p)
        ]
        ranks = self._ranks(data, early) if early else {}
        found: list[tuple[Post, int | None]] = []
        for post in new_posts:
            if post.kind == "introduction":
                found.append((post, None))
            elif ranks.get(post.id, self.first_posts + 1) <= self.first_posts:
                found.append((post, ranks[post.id]))
        return kept + self._examine(data, found)

    def _examine(self, data: CommunityData, found: Sequence[tuple[Post, int | None]]) -> list[Signal]:
        topic = data.community.topic
        # Most introductions hold no promotional word: the screen tells which, without scoring.
        screen = self.scorer.screen()
        out = []
        for post, rank in found:
            if not screen.may_flag(post.text):
                continue
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


def _row(data: CommunityData, post: Post) -> int:
    row = data.row_of_post(post)
    if row is None:
        raise LookupError(f"post {post.id!r} is not in the post table")
    return row
