"""The explainable promotional scorer shared by `self_promotion` and `spam`.

A text is described by a dozen readable features — calls to action, the author's own
channel/site/shop, links, contact details, business words, platforms, audience words, the
share of promotional words — set against signs of a genuine member message (care words such
as cat/vet/insulin, "my cat", a question, the community's topic words). Each feature is found
by word lists in English and French (`heuristics/lexicons`), so every reason quotes the words
that fired and the weight they carried:

    calls to action: "check out", "subscribe" (+2.1)

The weights are a logistic regression over these features, fitted offline by
`python -m benchmarks.tubespam --write-weights` and shipped in `promo_weights.py`; the score
is the logistic of their sum, 0–1. Nothing is learned at run time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from heuristics import promo_weights
from heuristics.lexicons import merged
from heuristics.textfeatures import (
    Folded,
    PhraseList,
    clean,
    domain,
    emails,
    fold,
    handles,
    phones,
    quote,
    tracked,
    urls,
    words,
)

#: Feature name -> the label a reason starts with. Order = order of reasons.
LABELS: dict[str, str] = {
    "cta": "calls to action",
    "own_business": "their own channel, site or shop",
    "link": "links",
    "tracked_link": "referral or shortened links",
    "contact": "contact details",
    "business": "business words",
    "platform": "platforms named",
    "audience": "audience words",
    "please": "pleas",
    "promo_share": "share of promotional words",
    "care": "words of a pet owner",
    "my_pet": "speaks of their own pet",
    "question": "asks a question",
    "topic": "the group's topic words",
    # Extra features the spam detector adds (not in the text; weights set by hand).
    "stranger": "the author is not a member",
    "joined_today": "the author joined today",
    "off_topic": "off topic for this community",
}

# Features worth more with each different word (capped at 3); the others are present or not.
_COUNTED = frozenset({"cta", "business", "platform", "audience", "care"})

# Words that make up the "share of promotional words" (single words; phrases count once per word).
_PROMO_FEATURES = ("cta", "own_business", "business", "platform", "audience", "contact")


@dataclass(frozen=True, slots=True)
class Hit:
    """One feature that fired: its value (1 for present; a share for promo_share), the words."""

    feature: str
    value: float
    matches: tuple[str, ...]
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def reason(self) -> str:
        label = LABELS.get(self.feature, self.feature)
        if self.feature == "promo_share":
            detail = f"{self.value:.0%}"
        elif self.matches:
            detail = quote(self.matches)
        else:
            detail = ""
        sign = "+" if self.contribution >= 0 else "−"
        body = f"{label}: {detail}" if detail else label
        return f"{body} ({sign}{abs(self.contribution):.1f})"


@dataclass(frozen=True, slots=True)
class PromoScore:
    probability: float
    logit: float
    bias: float
    threshold: float
    hits: tuple[Hit, ...]

    @property
    def promotional(self) -> bool:
        return self.probability >= self.threshold

    def reasons(self) -> list[str]:
        """Readable reasons, strongest first, ending with the score against the threshold."""
        ordered = sorted(self.hits, key=lambda h: -abs(h.contribution))
        lines = [h.reason() for h in ordered if abs(h.contribution) >= 0.05]
        cmp = "≥" if self.promotional else "<"
        lines.append(
            f"promotional score {self.probability:.2f} {cmp} threshold {self.threshold:.2f} "
            f"(weights sum {self.logit:+.1f}, base {self.bias:+.1f})"
        )
        return lines

    def evidence(self) -> dict[str, object]:
        return {
            "score": round(self.probability, 4),
            "threshold": self.threshold,
            "base": self.bias,
            "features": {
                h.feature: {"value": round(h.value, 3), "weight": h.weight, "words": list(h.matches)}
                for h in self.hits
            },
        }


@dataclass(frozen=True, slots=True)
class _Lists:
    cta: PhraseList
    own_business: PhraseList
    business: PhraseList
    platform: PhraseList
    audience: PhraseList
    contact: PhraseList
    please: PhraseList
    care: PhraseList
    my_pet: PhraseList


@cache
def _lists() -> _Lists:
    # Both languages at once: French promoters write "like" and "follow", English posts
    # quote French shop names; a word list never needs the language detected first.
    return _Lists(
        cta=PhraseList.of(merged("CALLS_TO_ACTION")),
        own_business=PhraseList.pairs(merged("SELF_OWNERS"), merged("BUSINESS_NOUNS")),
        business=PhraseList.of(merged("BUSINESS_WORDS")),
        platform=PhraseList.of(merged("PLATFORMS")),
        audience=PhraseList.of(merged("AUDIENCE_WORDS")),
        contact=PhraseList.of(merged("CONTACT_PHRASES")),
        please=PhraseList.of(merged("PLEASE")),
        care=PhraseList.of(merged("CARE_WORDS")),
        my_pet=PhraseList.of(merged("MY_PET")),
    )


@cache
def _topic_list(topic: tuple[str, ...]) -> PhraseList:
    words = [fold(t) for t in topic if t.strip()]
    return PhraseList.of([w for t in words for w in (t, t + "s", t + "x")])


def features(text: str, topic: Iterable[str] = ()) -> dict[str, tuple[float, tuple[str, ...]]]:
    """The readable features of `text`: name -> (value, the words that fired). Absent = 0."""
    lists = _lists()
    plain = clean(text)
    folded = Folded.of(plain)
    found: dict[str, tuple[float, tuple[str, ...]]] = {}

    def put(name: str, matches: list[str]) -> None:
        if matches:
            # Case-insensitive de-duplication, keeping the first spelling seen.
            unique = tuple(reversed({m.lower(): m for m in reversed(matches)}.values()))
            # Several different calls to action say more than one; three say it all.
            value = float(min(len(unique), 3)) if name in _COUNTED else 1.0
            found[name] = (value, unique)

    put("cta", _calls_to_action(folded, lists))
    put("own_business", lists.own_business.find(folded))
    links = urls(plain)
    put("link", [domain(u) or u for u in links])
    put("tracked_link", [u for u in links if tracked(u)])
    put("contact", emails(plain) + phones(plain) + handles(plain) + lists.contact.find(folded))
    put("business", lists.business.find(folded))
    put("platform", lists.platform.find(folded))
    put("audience", lists.audience.find(folded))
    put("please", lists.please.find(folded))
    put("care", lists.care.find(folded))
    put("my_pet", lists.my_pet.find(folded))
    prose = plain
    for link in links:  # a "?" or words inside an address say nothing about the sentence
        prose = prose.replace(link, " ")
    if "?" in prose:
        found["question"] = (1.0, ("?",))
    topic_list = _topic_list(tuple(topic))
    if topic_list.phrases:
        put("topic", topic_list.find(folded))

    # Share of the text's words that sit inside a promotional match: a short text that is
    # nothing but "subscribe to my channel" scores higher than a long story with one link.
    total = len(words(prose)) + len(links)
    if total:
        promo_words = len(links)
        for name in _PROMO_FEATURES:
            if name in found:
                promo_words += sum(len(words(m)) for m in found[name][1])
        share = min(1.0, promo_words / total)
        if share > 0:
            found["promo_share"] = (share, ())
    return found


_POSSESSIVES = frozenset(
    {"my", "our", "your", "mon", "ma", "mes", "notre", "nos", "votre", "vos", "ton", "ta", "tes"}
)


_COMPARING = frozenset(
    {"look", "looks", "looked", "looking", "just", "feel", "feels", "felt", "sound", "sounds", "seem",
     "seems", "is", "was", "are", "be", "more", "much", "exactly", "kinda", "act", "acts", "smell"}
)  # fmt: skip


def _calls_to_action(folded: Folded, lists: _Lists) -> list[str]:
    """Calls to action, except those aimed at one's pet: "check my cat's curve" asks for help."""
    out = []
    for match in lists.cta.finditer(folded):
        said = match.group(0).split()
        before = folded.text[max(0, match.start() - 20) : match.start()].split()[-1:]
        if said[0] == "like" and before and before[0] in _COMPARING:
            continue  # "he looks like my Felix" compares; it doesn't ask for a like
        following = folded.text[match.end() : match.end() + 40].split()
        if said[-1] in _POSSESSIVES:
            target = following[:2]
        elif following and following[0] in _POSSESSIVES:
            target = following[1:3]
        else:
            target = []
        if target and lists.care.find(Folded.of(" ".join(target))):
            continue
        out.append(folded.source(match.start(), match.end()).strip())
    return out


class PromoScorer:
    """Logistic scorer over `features`; weights from `promo_weights` unless given."""

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        bias: float | None = None,
        threshold: float | None = None,
    ) -> None:
        self.weights: dict[str, float] = {**promo_weights.WEIGHTS, **promo_weights.EXTRA_WEIGHTS}
        if weights:
            self.weights.update(weights)
        self.bias = promo_weights.BIAS if bias is None else bias
        self.threshold = promo_weights.THRESHOLD if threshold is None else threshold

    def score(
        self,
        text: str,
        topic: Iterable[str] = (),
        extra: Mapping[str, tuple[float, tuple[str, ...]]] | None = None,
    ) -> PromoScore:
        found = features(text, topic)
        if extra:
            found.update(extra)
        hits = tuple(
            Hit(name, value, matches, self.weights[name])
            for name, (value, matches) in found.items()
            if name in self.weights and value
        )
        logit = self.bias + sum(h.contribution for h in hits)
        probability = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))
        return PromoScore(probability, logit, self.bias, self.threshold, hits)


@cache
def default_scorer() -> PromoScorer:
    return PromoScorer()
