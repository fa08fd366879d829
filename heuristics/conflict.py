"""conflict: insults and hostility in a thread, in English and French.

Each post gets a hostility from readable parts: insults (`lexicons/<lang>.INSULTS`, strong 1.0,
mild 0.3–0.8 because "stupid idea" or "mon chat est un idiot" aim at no one), attacks on the
person whatever the words ("shut up", "tu n'y connais rien", `ATTACKS`, 1.0 each), and +1.0
when an insult is addressed — a second-person word shortly before it ("you're an idiot",
"t'es nul", "espèce d'abruti"). A post at or above `hostile_post` is hostile.

A thread (a post and all its comments, found through `parent`) becomes a signal when the
hostility of its hostile posts, plus `exchange_bonus` for each time the hostility passes from
one member to another (an escalating back-and-forth), reaches `threshold`. The signal names the
hostile posts and the members involved (their authors and whom they answered); the suggested
reply is private, to the most hostile member, firmer but calm.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from heuristics.detector import CommunityData
from heuristics.grouping import member_name
from heuristics.lexicons import LEXICONS, merged
from heuristics.model import LANGS, Post, Reply, Signal, signal_id
from heuristics.reply_defaults import group_name, render_reply
from heuristics.textfeatures import Folded, PhraseList, clean, quote

_ADDRESS_WINDOW = 3  # words before an insult in which a second-person word addresses it


@dataclass(frozen=True, slots=True)
class Hostility:
    post: str
    score: float
    insults: tuple[str, ...]
    attacks: tuple[str, ...]
    addressed: bool

    def words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.attacks, *self.insults)))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    insults: PhraseList
    weights: dict[str, float]
    attacks: PhraseList
    address: PhraseList


@cache
def _lexicon() -> _Lexicon:
    weights: dict[str, float] = {}
    for lang in LANGS:
        for entry, weight in LEXICONS[lang].INSULTS:
            weights[entry] = max(weight, weights.get(entry, 0.0))
    return _Lexicon(
        PhraseList.of(weights),
        weights,
        PhraseList.of(merged("ATTACKS")),
        PhraseList.of(merged("SECOND_PERSON")),
    )


def hostility(post: Post) -> Hostility:
    """How hostile one post reads, with the words that say so."""
    lex = _lexicon()
    folded = Folded.of(clean(post.text))
    insults: dict[str, float] = {}
    addressed = False
    for entry, start, end in lex.insults.entries(folded):
        said = folded.source(start, end).strip()
        insults.setdefault(said.lower(), lex.weights.get(entry, 0.5))
        before = " ".join(folded.text[:start].split()[-_ADDRESS_WINDOW:])
        if lex.address.find(Folded.of(before)):
            addressed = True
    attacks = tuple(dict.fromkeys(a.lower() for a in lex.attacks.find(folded)))
    score = sum(insults.values()) + len(attacks) + (1.0 if addressed else 0.0)
    return Hostility(post.id, round(score, 2), tuple(insults), attacks, addressed)


class ConflictDetector:
    kind = "conflict"
    #: Bumped when the verdicts change for the same data (the engine then recomputes in full).
    version = "2"

    def __init__(
        self, threshold: float = 1.5, hostile_post: float = 1.0, exchange_bonus: float = 0.5
    ) -> None:
        self.threshold = threshold
        self.hostile_post = hostile_post
        self.exchange_bonus = exchange_bonus

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        roots = _roots(data.posts)
        threads: dict[str, list[Post]] = defaultdict(list)
        for post in data.posts:
            threads[roots[post.id]].append(post)
        return [s for root, posts in threads.items() if (s := self._thread(data, root, posts)) is not None]

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Re-examine only the threads the new posts belong to."""
        roots = _roots(data.posts)
        touched = {roots.get(p.id, p.id) for p in new_posts}
        touched_ids = {signal_id(self.kind, root) for root in touched}
        kept = [s for s in previous if s.kind == self.kind and s.id not in touched_ids]
        threads: dict[str, list[Post]] = defaultdict(list)
        for post in data.posts:
            if roots[post.id] in touched:
                threads[roots[post.id]].append(post)
        fresh = [s for root, posts in threads.items() if (s := self._thread(data, root, posts)) is not None]
        return kept + fresh

    def _thread(self, data: CommunityData, root: str, posts: Sequence[Post]) -> Signal | None:
        by_id = {p.id: p for p in posts}
        hostile: list[tuple[Post, Hostility]] = []
        for post in posts:
            h = hostility(post)
            if h.score >= self.hostile_post:
                hostile.append((post, h))
        if not hostile:
            return None
        exchanges = sum(1 for (a, _), (b, _) in itertools.pairwise(hostile) if a.author != b.author)
        total = sum(h.score for _, h in hostile) + self.exchange_bonus * exchanges
        if total < self.threshold:
            return None

        def target(post: Post) -> str | None:
            parent = by_id.get(post.parent) if post.parent else None
            return parent.author if parent is not None and parent.author != post.author else None

        members: dict[str, float] = {}
        for post, h in hostile:
            members[post.author] = members.get(post.author, 0.0) + h.score
        involved = list(members)
        for post, _ in hostile:
            t = target(post)
            if t is not None and t not in involved:
                involved.append(t)
        reasons = []
        for post, h in hostile:
            t = target(post)
            to = f" to {member_name(data, t)}" if t else ""
            how = " (addressed to someone)" if h.addressed else ""
            reasons.append(
                f"{post.id} by {member_name(data, post.author)}{to}: {quote(h.words())}{how} (+{h.score:.1f})"
            )
        if exchanges:
            reasons.append(
                f"{exchanges} hostile exchange{'s' if exchanges != 1 else ''} back and forth "
                f"(+{self.exchange_bonus * exchanges:.1f})"
            )
        reasons.append(f"thread hostility {total:.1f} ≥ threshold {self.threshold:.1f}")
        main = max(members, key=lambda m: (members[m], m))
        others = [m for m in involved if m != main]
        lang = data.lang_of(main)
        text = render_reply(
            data,
            self.kind,
            lang,
            name=member_name(data, main),
            other=", ".join(member_name(data, m) for m in others) or "other members",
            group=group_name(data.community),
            thread=root,
        )
        last = max(p.created_at for p, _ in hostile)
        return Signal(
            id=signal_id(self.kind, root),
            kind=self.kind,
            score=round(min(1.0, total / (2 * self.threshold + total) + 0.3), 3),
            at=last,
            posts=tuple(p.id for p, _ in hostile),
            members=tuple(involved),
            reasons=tuple(reasons),
            reply=Reply(lang, "private", main, text) if text else None,
            evidence={
                "thread": root,
                "posts": {
                    h.post: {"score": h.score, "words": list(h.words()), "addressed": h.addressed}
                    for _, h in hostile
                },
                "exchanges": exchanges,
                "total": round(total, 2),
                "threshold": self.threshold,
                "hostile_post": self.hostile_post,
            },
        )


def _roots(posts: Sequence[Post]) -> dict[str, str]:
    """Post id -> the id of its thread's first post (following `parent`)."""
    parent = {p.id: p.parent for p in posts}
    roots: dict[str, str] = {}
    for post in posts:
        chain = []
        current = post.id
        while current not in roots:
            chain.append(current)
            up = parent.get(current)
            if up is None or up not in parent or up in chain:
                roots[current] = current
                break
            current = up
        root = roots[current]
        for pid in chain:
            roots[pid] = root
    return roots
