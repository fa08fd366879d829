"""text_repeat: near-identical texts posted again — chain messages, a caption passed around.

Comparing every pair of a million posts is 5·10^11 comparisons, so texts are *blocked*
first: MinHash signatures over word bigrams, cut into bands (LSH); only texts sharing a
whole band are compared, with rapidfuzz. Two texts with most bigrams in common (a chain
message with a name changed or a line added) share a band with near certainty, two posts
on the same topic almost never do. Candidates are confirmed by rapidfuzz similarity of the
folded texts (`max(ratio, token_sort_ratio)`), grouped with a union-find: one signal a group,
posts oldest first, each reason quoting the similarity.

Only posts within `window_days` of each other are compared (30 by default: chain messages
travel in waves of days; a copy links to the previous one, so a longer wave still forms one
group), which also keeps an incremental run to the recent posts.

Short and common texts never count ("merci !", "thank you", "+1"): a text needs a minimum
of words and characters and enough words outside the common ones.

What a chain message is not (measured on the demo community, where the members' replies are
built from short sentence templates: precision 0.01 → 1.00 at recall 1.00):
- a shared sentence or two: a pair must share at least `min_shared_words` content words (not
  courtesies, not grammar words) in the same order — chain messages are long texts; two
  replies in threads need `reply_extra_words` more (conversation reuses phrases);
- a template with its blanks filled in: a name or a number inside one text that the other
  lacks, and the other way round (`filled_template`);
- two texts 85–88% alike: in the demo those are templates with a clause swapped, while a
  copy with a prefix or a suffix added stays above 90% (`min_similarity` is 88);
- one member posting their own text again (`own_repeats=True` to report those, low-scored).
All three are decided pair by pair, so an incremental run finds the same groups as a full one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, pairwise

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from heuristics.detector import CommunityData
from heuristics.grouping import UnionFind, reply_to_repost, span_words
from heuristics.lexicons import merged
from heuristics.model import Post, Signal, signal_id
from heuristics.textfeatures import fold

#: Courtesies and reactions that make up most short replies, folded (the lexicons' stop
#: words cover the grammar words).
_COURTESIES = (
    "merci thanks thank thx ty bravo super top genial great awesome nice cool cute adorable",
    "beautiful beau belle magnifique trop mignon mignonne love amour coeur bisous bises courage",
    "bienvenue welcome bonjour bonsoir salut coucou hello hi hey ok oui non yes no lol mdr",
    "haha hihi ptdr oh wow waouh felicitations congrats congratulations agree daccord pareil",
    "same idem plus one also aussi tous toutes tout everyone all bonne good luck chance",
)
COMMON: frozenset[str] = frozenset(w for line in _COURTESIES for w in line.split()) | frozenset(
    fold(w) for w in merged("STOPWORDS")
)

_PRIME = np.uint64(0x9E3779B97F4A7C15)
_TOKEN = re.compile(r"[^\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f]")


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _slots(text: str) -> set[str]:
    """The blanks a template fills, folded: numbers ("3,5"), and the capitalised words but
    the first one and the common ones ("Simba pèse 4,2 kg" → simba, 4,2). The first word is
    left out: a copied message gains a prefix ("Je relaie : …", "Seen in another group: …")."""
    out = set(_NUMBER.findall(text))
    for i, m in enumerate(_TOKEN.finditer(text)):
        t = m.group()
        if i and t[0].isupper():
            folded = _fold(t)
            if folded not in COMMON:
                out.add(folded)
    return out


def _words(text: str) -> set[str]:
    """The folded words and whole numbers of a text (what a slot is looked up in)."""
    return {t for t in _TOKEN.findall(_fold(text)) if not t[0].isdigit()} | set(_NUMBER.findall(text))


def _accent_table() -> dict[int, str]:
    """Latin letters with accents → without (é → e, Œ → OE...), for str.translate."""
    table = {}
    for code in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if base and base != chr(code) and base.isascii():
            table[code] = base
    return table


_ACCENTS = _accent_table()


def _fold(text: str) -> str:
    """Lower case without accents, like `textfeatures.fold` but at C speed (one translate
    for the Latin accents, one regex for decomposed ones): this runs on every post."""
    low = text.lower()
    if low.isascii():
        return low
    low = low.translate(_ACCENTS)
    if low.isascii():
        return low
    return _MARKS.sub("", low)  # text typed in decomposed form (e + combining accent)


@dataclass(frozen=True, slots=True)
class _Texts:
    """The eligible posts of a run, folded, with their MinHash band keys."""

    posts: list[Post]
    folded: list[str]
    bands: np.ndarray
    """(n, bands) uint64 band keys."""


def _mix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64): spreads shingle codes before the MinHash."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _token_id(token: str) -> int:
    """A stable 63-bit id for a word (the same in every process)."""
    digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF


class TextRepeatDetector:
    kind = "text_repeat"

    def __init__(
        self,
        min_similarity: float = 88.0,
        min_words: int = 6,
        min_chars: int = 30,
        min_content_words: int = 4,
        bands: int = 12,
        rows: int = 3,
        spread_days: float = 7.0,
        reply: bool = True,
        max_swapped_names: int = 1,
        window_days: float = 30.0,
        min_shared_words: int = 14,
        own_repeats: bool = False,
        reply_extra_words: int = 3,
    ) -> None:
        if not 0 < min_similarity <= 100:
            raise ValueError("min_similarity must be a percentage in (0, 100]")
        if bands < 1 or rows < 1:
            raise ValueError("bands and rows must be at least 1")
        if min_words < 2:
            raise ValueError("min_words must be at least 2 (texts are compared by word pairs)")
        self.min_similarity = float(min_similarity)
        self.min_words = min_words
        self.min_chars = min_chars
        self.min_content_words = min_content_words
        self.bands = bands
        self.rows = rows
        self.spread = timedelta(days=spread_days)
        self.reply = reply
        self.max_swapped_names = max_swapped_names
        self.min_shared_words = min_shared_words
        self.own_repeats = own_repeats
        self.reply_extra_words = reply_extra_words
        # Chain messages and shared captions travel in waves of days or weeks: two posts
        # further apart than this are not compared (0: no limit). It also bounds what an
        # incremental run must re-read: only the window before the new posts.
        self.window = timedelta(days=window_days) if window_days > 0 else None

    # -- which texts count --------------------------------------------------------------------

    def tokens(self, text: str) -> list[str] | None:
        """The folded words of a text that counts, or None for a short or common one."""
        if len(text) < self.min_chars:
            return None
        toks = _TOKEN.findall(_fold(text))
        if len(toks) < self.min_words:
            return None
        content = set(toks) - COMMON  # set algebra in C first, then the few left
        if len(content) < self.min_content_words:
            return None
        enough = 0
        for t in content:
            if len(t) > 2 and not t.isdigit():
                enough += 1
                if enough == self.min_content_words:
                    return toks
        return None

    def _texts(self, posts: Iterable[Post]) -> _Texts:
        kept: list[Post] = []
        folded: list[str] = []
        ids: list[list[int]] = []
        # Not the built-in hash(): it is salted per process, and the same posts must give
        # the same groups (and signal ids) in every run.
        memo: dict[str, int] = {}
        for post in posts:
            toks = self.tokens(post.text) if post.text else None
            if toks is None:
                continue
            kept.append(post)
            folded.append(" ".join(toks))
            ids.append([memo.get(t) or memo.setdefault(t, _token_id(t)) for t in toks])
        return _Texts(kept, folded, self._band_keys(ids))

    def _band_keys(self, docs: list[list[int]]) -> np.ndarray:
        """MinHash over word bigrams, all documents at once (no Python loop per hash)."""
        n = len(docs)
        if not n:
            return np.zeros((0, self.bands), dtype=np.uint64)
        sizes = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n)
        flat = np.fromiter(chain.from_iterable(docs), dtype=np.int64, count=int(sizes.sum())).view(np.uint64)
        ends = np.cumsum(sizes)
        # Bigrams at every position but where one document ends and the next begins.
        keep = np.ones(len(flat) - 1, dtype=bool)
        keep[ends[:-1] - 1] = False
        codes = _mix(flat[:-1][keep] * _PRIME + flat[1:][keep] + np.uint64(1))
        offsets = np.zeros(n, dtype=np.int64)
        np.cumsum(sizes[:-1] - 1, out=offsets[1:])
        rng = np.random.default_rng(20260315)
        perms = self.bands * self.rows
        # (a*x + b) mod 2^64 with odd a permutes the (already mixed) codes: one multiply-add
        # per permutation instead of a full mix.
        mults = rng.integers(1, 2**63, size=perms, dtype=np.uint64) | np.uint64(1)
        adds = rng.integers(0, 2**63, size=perms, dtype=np.uint64)
        mins = np.empty((n, perms), dtype=np.uint64)
        for i in range(perms):
            mins[:, i] = np.minimum.reduceat(codes * mults[i] + adds[i], offsets)
        keys = mins.reshape(n, self.bands, self.rows)
        band = keys[:, :, 0]
        for r in range(1, self.rows):
            band = _mix(band * _PRIME + keys[:, :, r])
        return band ^ np.arange(self.bands, dtype=np.uint64)  # the same rows in two bands differ

    # -- candidates and confirmation ---------------------------------------------------------

    def _candidates(self, texts: _Texts, new: np.ndarray | None = None) -> set[tuple[int, int]]:
        """Pairs (i < j) of texts sharing a band. In a big bucket each member is paired
        with the bucket's first and its predecessor only: enough to connect a group of
        near-identical texts, linear in its size. With `new`, only pairs touching a new text."""
        n = len(texts.posts)
        pairs: set[tuple[int, int]] = set()
        if n < 2:
            return pairs
        flat = texts.bands.ravel()
        owner = np.repeat(np.arange(n), self.bands)
        order = np.argsort(flat, kind="stable")
        keys, owners = flat[order], owner[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)])
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            members = sorted(set(owners[start : start + size].tolist()))
            if len(members) < 2:
                continue
            if new is not None and not new[members].any():
                continue
            if len(members) <= 8:
                pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
            else:
                pairs.update((members[0], b) for b in members[1:])
                pairs.update(pairwise(members))
        if new is not None:
            pairs = {(a, b) for a, b in pairs if new[a] or new[b]}
        return pairs

    def similarity(self, a: str, b: str) -> float:
        """How alike two folded texts are, 0-100: character edits, or the same words in
        another order."""
        return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))

    def _confirmed(self, texts: _Texts, pairs: Iterable[tuple[int, int]]) -> list[tuple[str, str]]:
        cutoff = self.min_similarity
        out = []
        for a, b in pairs:
            x, y = texts.folded[a], texts.folded[b]
            # score_cutoff lets rapidfuzz give up early on hopeless pairs.
            one, other = texts.posts[a], texts.posts[b]
            if self.window is not None and abs(one.created_at - other.created_at) > self.window:
                continue
            if one.author == other.author and not self.own_repeats:
                continue
            alike = fuzz.ratio(x, y, score_cutoff=cutoff) or fuzz.token_sort_ratio(x, y, score_cutoff=cutoff)
            need = self.min_shared_words
            if one.parent is not None and other.parent is not None:
                need += self.reply_extra_words  # two replies in threads: conversation reuses phrases
            if alike and self.shared_words(x, y) >= need and not self.filled_template(one.text, other.text):
                out.append((one.id, other.id))
        return out

    @staticmethod
    def shared_words(a: str, b: str) -> int:
        """How many content words (not courtesies nor grammar words) two folded texts share,
        in the same order."""
        content_a = [t for t in a.split() if t not in COMMON]
        content_b = [t for t in b.split() if t not in COMMON]
        return int(LCSseq.similarity(content_a, content_b))

    def filled_template(self, a: str, b: str) -> bool:
        """Two texts from one template with different blanks filled in ("Une glycémie à 3,5
        g/L pour Simba" / "Une glycémie à 3,4 g/L pour Simba"; "Bonsoir, Oreo surveille…" /
        "Bonsoir, Ginger surveille…"): each has names or numbers the other lacks. A copied
        message gains a prefix or loses a word; it does not swap its names and numbers. The
        first word is not a blank: copies gain prefixes ("Je relaie : …" / "Vu sur … : …")."""
        swapped = min(len(_slots(a) - _words(b)), len(_slots(b) - _words(a)))
        return swapped >= self.max_swapped_names

    # -- runs --------------------------------------------------------------------------------

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        texts = self._texts(data.posts)
        groups = UnionFind()
        for a, b in self._confirmed(texts, self._candidates(texts)):
            groups.union(a, b)
        return self._signals(data, groups.groups())

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Compare only the new posts (with everything, through the bands); re-render only
        the groups they join."""
        fresh = {p.id for p in new_posts}
        if not fresh:
            return [s for s in previous if s.kind == self.kind]
        posts: Sequence[Post] = data.posts
        if self.window is not None:
            # Posts are oldest first: only those within the window of a new one can pair.
            since = min(p.created_at for p in new_posts) - self.window
            posts = data.posts[bisect_left(data.posts, since, key=lambda p: p.created_at) :]
        texts = self._texts(posts)
        new = np.fromiter((p.id in fresh for p in texts.posts), dtype=bool, count=len(texts.posts))
        links = self._confirmed(texts, self._candidates(texts, new)) if new.any() else []
        mine = [s for s in previous if s.kind == self.kind]
        if not links:
            return mine
        groups = UnionFind()
        for signal in mine:
            for post_id in signal.posts[1:]:
                groups.union(signal.posts[0], post_id)
        for a, b in links:
            groups.union(a, b)
        touched = {groups.find(a) for a, _ in links}
        kept = [s for s in mine if groups.find(s.posts[0]) not in touched]
        return kept + self._signals(data, [g for g in groups.groups() if groups.find(g[0]) in touched])

    # -- one signal a group -----------------------------------------------------------------

    def _signals(self, data: CommunityData, groups: Iterable[list[str]]) -> list[Signal]:
        by_id = {p.id: p for p in data.posts}
        out = []
        for group in groups:
            posts = sorted((by_id[i] for i in group if i in by_id), key=lambda p: (p.created_at, p.id))
            if len(posts) > 1:
                out.append(self._signal(data, posts))
        return out

    def _signal(self, data: CommunityData, posts: list[Post]) -> Signal:
        folded = [" ".join(self.tokens(p.text) or []) for p in posts]
        links = []
        reasons = []
        sims = []
        for i in range(1, len(posts)):
            # The most similar earlier post (the first and the last 30 before it: a chain
            # message passed 500 times must not cost 125,000 comparisons).
            earlier = sorted({0, *range(max(0, i - 30), i)})
            best = max(earlier, key=lambda j: (self.similarity(folded[i], folded[j]), -j))
            sim = self.similarity(folded[i], folded[best])
            sims.append(sim)
            links.append({"post": posts[i].id, "same_as": posts[best].id, "similarity": round(sim, 1)})
            reasons.append(f"{posts[i].id} repeats the text of {posts[best].id} ({sim:.0f}% similar)")
        first, last = posts[0], posts[-1]
        members = list(dict.fromkeys(p.author for p in posts))
        others = [m for m in members if m != first.author]
        span = last.created_at - first.created_at
        if others:
            score = (
                0.45
                + 0.2 * min(len(others) / 3, 1.0)
                + 0.15 * min((len(posts) - 2) / 4, 1.0)
                + 0.2 * min(span / self.spread, 1.0)
            )
            reasons.append(f"posted by {len(members)} members over {span_words(span)}")
        else:
            score = 0.2
            reasons.append(f"{first.author} posted the same text {len(posts)} times")
        excerpt = " ".join(first.text.split())
        return Signal(
            id=signal_id(self.kind, first.id),
            kind=self.kind,
            score=round(min(score, 1.0), 3),
            at=last.created_at,
            posts=tuple(p.id for p in posts),
            members=tuple(members),
            reasons=tuple(reasons),
            reply=reply_to_repost(data, self.kind, first, last) if self.reply else None,
            evidence={
                "min_similarity": self.min_similarity,
                "links": links,
                "lowest_similarity": round(min(sims), 1),
                "excerpt": excerpt[:160] + ("…" if len(excerpt) > 160 else ""),
                "span_days": round(span / timedelta(days=1), 2),
                "own_repeat": not others,
            },
        )
