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

At scale: a post without a listed insult or attack scores 0, so `PhrasePrefilter` leaves it
out before any folding, and only the threads of hostile posts are put together (walking up
their parents). An incremental run walks up from the new posts to their roots and down the
post table's `parent` column to the rest of those threads: no pass over every post.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import compress, islice

from heuristics.detector import CommunityData, PostTable
from heuristics.grouping import member_name
from heuristics.lexicons import LEXICONS, merged
from heuristics.model import LANGS, Post, Reply, Signal, signal_id
from heuristics.phrase_prefilter import PhrasePrefilter
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
        posts = list(data.posts)
        hostile = self._hostile(posts)
        if not hostile:
            return []
        find = _finder(data, posts)
        walked = _walk_up(find, [p for p, _ in hostile])
        if walked is None:  # a cycle of parents: the walk over every post decides, as it always did
            every = _roots([p.id for p in posts], [p.parent for p in posts])
            roots = {p.id: every[p.id] for p, _ in hostile}
        else:
            roots = walked[0]
        threads: dict[str, list[tuple[Post, Hostility]]] = defaultdict(list)
        for post, h in hostile:
            threads[roots[post.id]].append((post, h))
        # A post's parent is always in its thread: the authors answered are those of the parents.
        parents = find({p.parent for p, _ in hostile if p.parent})
        authors = {pid: p.author for pid, p in parents.items()}
        signals = (self._thread(data, root, items, authors) for root, items in threads.items())
        return [s for s in signals if s is not None]

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Re-examine only the threads the new posts belong to, found through the post table
        (a walk up from the new posts, then down from their roots), not a pass over every post."""
        table = data.columns()
        walked = _walk_up(data.posts_by_id, new_posts)
        if walked is None:  # a cycle of parents: the walk over every row decides, as in a full run
            every = _roots(table.id, table.parent)
            touched = {every.get(p.id, p.id) for p in new_posts}
            rows = [r for r, pid in enumerate(table.id) if every[pid] in touched]
            root_of = {table.id[r]: every[table.id[r]] for r in rows}
        else:
            roots, known = walked
            touched = {roots[p.id] for p in new_posts}
            starts = [data.row_of_post(known[root]) for root in touched]
            lo = min((r for r in starts if r is not None), default=0) if None not in starts else 0
            rows, root_of = _thread_rows(table, touched, lo)
        # Every post of these threads: an older answer whose parent just arrived headed a
        # thread of its own until now, and that thread's signal goes too.
        touched_ids = {signal_id(self.kind, pid) for pid in (*touched, *root_of)}
        kept = [s for s in previous if s.kind == self.kind and s.id not in touched_ids]
        found = data.posts_by_id(root_of)
        threads: dict[str, list[Post]] = defaultdict(list)
        for r in rows:
            pid = table.id[r]
            if pid in found:
                threads[root_of[pid]].append(found[pid])
        scores = {id(p): h for p, h in self._hostile([p for posts in threads.values() for p in posts])}
        fresh = []
        for root, posts in threads.items():
            hostile = [(p, scores[id(p)]) for p in posts if id(p) in scores]
            signal = self._thread(data, root, hostile, {p.id: p.author for p in posts})
            if signal is not None:
                fresh.append(signal)
        return kept + fresh

    def _hostile(self, posts: Sequence[Post]) -> list[tuple[Post, Hostility]]:
        """The hostile posts, in order. Only the posts holding a listed insult or attack can
        score at all: the others are left out before any folding (`PhrasePrefilter`)."""
        texts = [p.text for p in posts]
        if self.hostile_post <= 0:
            maybe: Iterable[int] = range(len(posts))
        else:
            lex = _lexicon()
            sample = texts[:: max(1, len(texts) // 5000)]
            maybe = PhrasePrefilter.of((*lex.insults.phrases, *lex.attacks.phrases), sample).candidates(texts)
        out = []
        for i in maybe:
            h = hostility(posts[i])
            if h.score >= self.hostile_post:
                out.append((posts[i], h))
        return out

    def _thread(
        self,
        data: CommunityData,
        root: str,
        hostile: list[tuple[Post, Hostility]],
        author_of: Mapping[str, str],
    ) -> Signal | None:
        """The signal of one thread from its hostile posts (in order) and the authors of the
        posts they answer."""
        if not hostile:
            return None
        exchanges = sum(1 for (a, _), (b, _) in itertools.pairwise(hostile) if a.author != b.author)
        total = sum(h.score for _, h in hostile) + self.exchange_bonus * exchanges
        if total < self.threshold:
            return None

        def target(post: Post) -> str | None:
            author = author_of.get(post.parent) if post.parent else None
            return author if author is not None and author != post.author else None

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


def _roots(ids: Sequence[str], parents: Sequence[str | None]) -> dict[str, str]:
    """Post id -> the id of its thread's first post (following `parent`), for every post.
    (Where parents run in a cycle, the root depends on which post comes first.)"""
    parent = dict(zip(ids, parents, strict=True))
    roots: dict[str, str] = {}
    for post_id in ids:
        chain = []
        current = post_id
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


Finder = Callable[[Iterable[str]], Mapping[str, Post]]


def _finder(data: CommunityData, posts: Sequence[Post]) -> Finder:
    """Posts by id: the store's lookup, else a map of `posts` made on first need."""
    if data.lookup is not None:
        return data.posts_by_id
    by_id: dict[str, Post] = {}

    def find(ids: Iterable[str]) -> dict[str, Post]:
        if not by_id:
            by_id.update((p.id, p) for p in posts)
        return {pid: by_id[pid] for pid in ids if pid in by_id}

    return find


def _walk_up(find: Finder, posts: Iterable[Post]) -> tuple[dict[str, str], dict[str, Post]] | None:
    """The root of each of `posts` (as `_roots` finds it) by walking up their parents a level
    at a time, and every post met on the way; None if the parents run in a cycle (then the
    root depends on the order of all posts)."""
    posts = list(posts)
    known = {p.id: p for p in posts}
    pending = {p.parent for p in posts if p.parent} - known.keys()
    while pending:
        found = find(pending)
        known.update(found)
        pending = {p.parent for p in found.values() if p.parent} - known.keys()
    roots: dict[str, str] = {}
    for post in posts:
        chain = [post.id]
        current = post
        while current.id not in roots:
            up = current.parent
            if up is None or up not in known:
                roots[current.id] = current.id
                break
            if up in chain:
                return None
            chain.append(up)
            current = known[up]
        root = roots[current.id]
        for pid in chain:
            roots[pid] = root
    return roots, known


def _thread_rows(table: PostTable, roots: set[str], lo: int) -> tuple[list[int], dict[str, str]]:
    """The rows of the threads of `roots` (their posts and every answer below them, however
    deep), and the root of each of their posts. Answers come after what they answer, so the
    rows from `lo` (the first root's) are searched; should an earlier row answer a post of
    these threads (a clock gone wrong), everything is searched again from row 0."""
    ids, parents = table.id, table.parent
    n = len(ids)
    while True:
        rows = set(compress(range(lo, n), map(roots.__contains__, islice(ids, lo, n))))
        root_of = {root: root for root in roots}
        frontier = set(roots)
        while frontier:
            answers = compress(range(lo, n), map(frontier.__contains__, islice(parents, lo, n)))
            found = [r for r in answers if r not in rows]
            rows.update(found)
            frontier = set()
            for r in found:
                pid = ids[r]
                if pid not in root_of:
                    root_of[pid] = root_of[parents[r]]  # type: ignore[index]
                    frontier.add(pid)
        if lo == 0 or set(root_of).isdisjoint(islice(parents, 0, lo)):
            return sorted(rows), root_of
        lo = 0
