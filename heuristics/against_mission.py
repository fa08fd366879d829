"""against_mission: a post that goes against the group's mission — animal cruelty, gore,
abandonment ("à donner", "je vais le laisser dehors", "put him down myself").

Word and phrase lists per language (`lexicons/<lang>.AGAINST_MISSION`, each entry with a
weight: 1.0 is enough alone, less needs company), which a community extends through
`extra_words={"fr": [...], "en": [...]}` (weight `extra_weight`, 1.0 by default, each).
Two checks keep look-alikes quiet:
- a phrase preceded closely by a negation or said against ("never leave him outside", "il ne
  faut pas l'abandonner", "instead of abandoning") doesn't count, and a post that says it was
  joking ("… non je plaisante", "just kidding") has its weights divided by four;
- a list phrase counts fully only when it points at an animal (cat, kitten, chat, him, il,
  elle… or one of the community's topic words in its sentence, or a pronoun in the phrase
  itself: "le laisser dehors"): "j'ai des
  croquettes à donner" is a gift to the group, not an abandonment.
The suggested reply is private: firm about the content, kind to the person.

At scale, a post whose list entries cannot add up to the threshold (weights only ever shrink)
is left out by `PhrasePrefilter` before any folding: a few posts in a hundred are read fully.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property

from heuristics.detector import CommunityData
from heuristics.grouping import member_name
from heuristics.lexicons import LEXICONS, merged
from heuristics.model import LANGS, Post, Reply, Signal, signal_id
from heuristics.phrase_prefilter import PhrasePrefilter
from heuristics.reply_defaults import group_name, render_reply
from heuristics.textfeatures import Folded, PhraseList, clean, quote

#: Words that put an animal in the sentence (phrases count fully only then).
_ANIMAL = (
    "cat", "cats", "kitten*", "kitty", "him", "her", "he", "she", "chat", "chats", "chatte*",
    "chaton*", "minou", "matou", "il", "elle",
)  # fmt: skip
#: An entry holding one of these already points at the animal ("le laisser dehors").
_POINTING = PhraseList.of(("him", "her", "le", "la", "l'", "les"))
_NEGATION_WINDOW = 4  # words before a phrase in which a negation cancels it
_JOKE_FACTOR = 0.25
_ALONE_FACTOR = 0.5


@dataclass(frozen=True, slots=True)
class _Match:
    entry: str
    text: str
    weight: float
    note: str = ""


class AgainstMissionDetector:
    kind = "against_mission"
    #: Bumped when the verdicts change for the same data (the engine then recomputes in full).
    version = "2"

    def __init__(
        self,
        threshold: float = 1.0,
        extra_words: Mapping[str, Sequence[str]] | None = None,
        extra_weight: float = 1.0,
    ) -> None:
        self.threshold = threshold
        self.extra_words = {lang: tuple(words) for lang, words in (extra_words or {}).items()}
        self.extra_weight = extra_weight

    @cached_property
    def _weights(self) -> dict[str, float]:
        weights: dict[str, float] = {}
        for lang in LANGS:
            for entry, weight in LEXICONS[lang].AGAINST_MISSION:
                weights[entry] = max(weight, weights.get(entry, 0.0))
        for words in self.extra_words.values():
            for entry in words:
                weights[entry] = max(self.extra_weight, weights.get(entry, 0.0))
        return weights

    @cached_property
    def _extra_entries(self) -> frozenset[str]:
        return frozenset(w for words in self.extra_words.values() for w in words)

    @cached_property
    def _lists(self) -> tuple[PhraseList, PhraseList, PhraseList, PhraseList]:
        return (
            PhraseList.of(self._weights),
            PhraseList.of(merged("NEGATIONS")),
            PhraseList.of(merged("JOKES")),
            PhraseList.of(_ANIMAL),
        )

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return self._examine(data, data.posts)

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        fresh = {p.id for p in new_posts}
        kept = [s for s in previous if s.kind == self.kind and not (set(s.posts) & fresh)]
        return kept + self._examine(data, new_posts)

    def _examine(self, data: CommunityData, posts: Sequence[Post]) -> list[Signal]:
        posts = list(posts)
        out = []
        for i in self._may_score(posts):
            post = posts[i]
            matches, joke = self.matches(post.text, data.community.topic)
            total = sum(m.weight for m in matches)
            if total >= self.threshold:
                out.append(self._signal(data, post, matches, total, joke))
        return out

    def _may_score(self, posts: Sequence[Post]) -> Iterable[int]:
        """The posts that may reach the threshold: only the list phrases weigh anything, and a
        post whose phrases cannot add up to it is left out before any folding
        (`PhrasePrefilter`)."""
        if self.threshold <= 0:
            return range(len(posts))
        texts = [p.text for p in posts]
        sample = texts[:: max(1, len(texts) // 5000)]
        phrases = self._lists[0].phrases
        # Weights are only ever scaled down (alone, joking) or dropped (denied): a post whose
        # present entries weigh less than the threshold together cannot reach it.
        weights = {entry: self._weights.get(entry, self.extra_weight) for entry in phrases}
        return PhrasePrefilter.of(phrases, sample, weights).candidates(texts, at_least=self.threshold)

    def matches(self, text: str, topic: Sequence[str] = ()) -> tuple[list[_Match], str | None]:
        """The phrases that count in `text`, with their weights, and the joke marker if any.
        The community's `topic` words ("insuline", "cat") also put the animal in the sentence."""
        phrases, negations, jokes, _ = self._lists
        animals = _context(tuple(topic))
        folded = Folded.of(clean(text))
        found = phrases.entries(folded)
        if not found:
            return [], None
        joke_found = jokes.find(folded)
        joke = joke_found[0] if joke_found else None
        sentences = _sentence_bounds(folded.text)
        out: list[_Match] = []
        seen: set[str] = set()
        for entry, start, end in found:
            if entry in seen:
                continue
            seen.add(entry)
            # Only the same clause: "je n'en peux plus, je vais le laisser dehors" is no denial.
            clause = re.split(r"[,.;:!?]", folded.text[:start])[-1]
            before = " ".join(clause.split()[-_NEGATION_WINDOW:])
            if negations.find(Folded.of(before)):
                continue
            weight = self._weights.get(entry, self.extra_weight)
            note = ""
            lo, hi = next(((a, b) for a, b in sentences if a <= start < b), (0, len(folded.text)))
            sentence = folded.text[lo:hi].replace(folded.text[start:end], " ")
            if (
                entry not in self._extra_entries
                and not _POINTING.find(Folded.of(entry))
                and not animals.find(Folded.of(entry))
                and not animals.find(Folded.of(sentence))
            ):
                weight *= _ALONE_FACTOR
                note = "no animal named nearby"
            if joke:
                weight *= _JOKE_FACTOR
                note = f'said as a joke ("{joke}")'
            out.append(_Match(entry, folded.source(start, end).strip(), round(weight, 2), note))
        return out, joke

    def _signal(
        self, data: CommunityData, post: Post, matches: list[_Match], total: float, joke: str | None
    ) -> Signal:
        name = member_name(data, post.author)
        reasons = [f"{post.id} by {name} says {quote([m.text for m in matches])}"]
        for m in matches:
            extra = f", {m.note}" if m.note else ""
            reasons.append(f'"{m.text}" (list entry "{m.entry}", weight {m.weight:.2f}{extra})')
        reasons.append(f"total {total:.2f} ≥ threshold {self.threshold:.2f}")
        lang = data.lang_of(post.author)
        text = render_reply(data, self.kind, lang, name=name, group=group_name(data.community), post=post.id)
        score = min(1.0, total / (2 * self.threshold)) if self.threshold > 0 else 1.0
        return Signal(
            id=signal_id(self.kind, post.id),
            kind=self.kind,
            score=round(max(0.5, score), 3),
            at=post.created_at,
            posts=(post.id,),
            members=(post.author,),
            reasons=tuple(reasons),
            reply=Reply(lang, "private", post.author, text) if text else None,
            evidence={
                "words": {m.text: m.weight for m in matches},
                "entries": [m.entry for m in matches],
                "total": round(total, 3),
                "threshold": self.threshold,
                "joke": joke,
            },
        )


@cache
def _context(topic: tuple[str, ...]) -> PhraseList:
    return PhraseList.of((*_ANIMAL, *topic))


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for i, char in enumerate(text):
        if char in ".!?\n":
            bounds.append((start, i + 1))
            start = i + 1
    bounds.append((start, len(text)))
    return bounds
