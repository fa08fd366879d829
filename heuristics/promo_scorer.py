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
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
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
    folds_to,
    handles,
    phones,
    quote,
    tracked,
    unscreenable,
    urls,
    word_runs,
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


# The lexicon lists behind each phrase feature (own_business: any owner word, up to two words,
# then any business noun). `_lists` and the screen's index are both built from this.
_SOURCES: dict[str, str] = {
    "cta": "CALLS_TO_ACTION",
    "business": "BUSINESS_WORDS",
    "platform": "PLATFORMS",
    "audience": "AUDIENCE_WORDS",
    "contact": "CONTACT_PHRASES",
    "please": "PLEASE",
    "care": "CARE_WORDS",
    "my_pet": "MY_PET",
}
_PAIRS: dict[str, tuple[str, str]] = {"own_business": ("SELF_OWNERS", "BUSINESS_NOUNS")}


@cache
def _lists() -> _Lists:
    # Both languages at once: French promoters write "like" and "follow", English posts
    # quote French shop names; a word list never needs the language detected first.
    made = {name: PhraseList.of(merged(source)) for name, source in _SOURCES.items()}
    made.update({name: PhraseList.pairs(merged(a), merged(b)) for name, (a, b) in _PAIRS.items()})
    return _Lists(**made)


@cache
def _topic_list(topic: tuple[str, ...]) -> PhraseList:
    words = [fold(t) for t in topic if t.strip()]
    return PhraseList.of([w for t in words for w in (t, t + "s", t + "x")])


def features(text: str, topic: Iterable[str] = ()) -> dict[str, tuple[float, tuple[str, ...]]]:
    """The readable features of `text`: name -> (value, the words that fired). Absent = 0."""
    lists = _lists()
    plain = clean(text)
    folded = Folded.of(plain)
    links = urls(plain)
    found: dict[str, tuple[float, tuple[str, ...]]] = {}
    _promotional(found, plain, folded, links, lists, PROMOTIONAL)
    _put(found, "care", lists.care.find(folded))
    _put(found, "my_pet", lists.my_pet.find(folded))
    if "?" in _prose(plain, links):
        found["question"] = (1.0, ("?",))
    topic_list = _topic_list(tuple(topic))
    if topic_list.phrases:
        _put(found, "topic", topic_list.find(folded))
    _promo_share(found, plain, links)
    return found


#: The features `_promotional` finds: the only ones that can make a text's score high.
PROMOTIONAL = frozenset(
    {"cta", "own_business", "link", "tracked_link", "contact", "business", "platform", "audience", "please"}
)


def _put(found: dict[str, tuple[float, tuple[str, ...]]], name: str, matches: list[str]) -> None:
    if matches:
        # Case-insensitive de-duplication, keeping the first spelling seen.
        unique = tuple(reversed({m.lower(): m for m in reversed(matches)}.values()))
        # Several different calls to action say more than one; three say it all.
        value = float(min(len(unique), 3)) if name in _COUNTED else 1.0
        found[name] = (value, unique)


def _promotional(
    found: dict[str, tuple[float, tuple[str, ...]]],
    plain: str,
    folded: Folded,
    links: list[str],
    lists: _Lists,
    wanted: Collection[str],
) -> None:
    """The promotional features of a text, in reason order; only those in `wanted` are looked
    for (the screen knows the others cannot fire: it saves the look)."""
    if "cta" in wanted:
        _put(found, "cta", _calls_to_action(folded, lists))
    if "own_business" in wanted:
        _put(found, "own_business", lists.own_business.find(folded))
    _put(found, "link", [domain(u) or u for u in links])
    _put(found, "tracked_link", [u for u in links if tracked(u)])
    if "contact" in wanted:
        _put(found, "contact", emails(plain) + phones(plain) + handles(plain) + lists.contact.find(folded))
    for name in ("business", "platform", "audience", "please"):
        if name in wanted:
            _put(found, name, getattr(lists, name).find(folded))


def _prose(plain: str, links: list[str]) -> str:
    prose = plain
    for link in links:  # a "?" or words inside an address say nothing about the sentence
        prose = prose.replace(link, " ")
    return prose


def _promo_share(found: dict[str, tuple[float, tuple[str, ...]]], plain: str, links: list[str]) -> None:
    # Share of the text's words that sit inside a promotional match: a short text that is
    # nothing but "subscribe to my channel" scores higher than a long story with one link.
    promo_words = len(links)
    for name in _PROMO_FEATURES:
        if name in found:
            promo_words += sum(len(words(m)) for m in found[name][1])
    if not promo_words:  # nothing promotional: no share (and no need to count the words)
        return
    total = len(words(_prose(plain, links))) + len(links)
    if total:
        share = min(1.0, promo_words / total)
        if share > 0:
            found["promo_share"] = (share, ())


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

    def screen(self) -> PromoScreen:
        """A screen for one run over many texts (it keeps what it learns for that run only)."""
        return PromoScreen(self)


# -- the screen: which texts cannot reach the threshold, decided without scoring them ----------
#
# Scoring a text costs some 200 µs (cleaning, folding, a dozen phrase lists); a community's
# comments almost never hold a promotional word. The screen reads the raw text's words once,
# each distinct word folded once per run, and knows from them which promotional phrase lists
# *could* match (every word an entry needs is there), and from one regular expression whether
# a link, an address, a phone number or a currency sign could be there. The features it rules
# out are certainly absent; those it cannot rule out it computes exactly, as `features` does.
# The features that only lower a score (care words, a question) and the topic words are taken
# at their largest possible contribution. That sum bounds the score from above: when even
# the bound is below the threshold, the text cannot be flagged (tests/test_promo.py checks
# the screened and unscreened verdicts agree on the whole tubespam corpus and the demo).

#: The largest value of the features the screen does not compute (counted ones stop at 3).
_UNSCREENED_TOP: dict[str, float] = {"care": 3.0, "my_pet": 1.0, "question": 1.0, "topic": 1.0}

# Words that tell little alone: an entry is looked up by its rarest-looking word instead
# ("have a look at" by "look"). A matter of speed only: every word an entry needs is checked.
_COMMON = frozenset(
    {"a", "an", "and", "at", "be", "for", "get", "go", "have", "i", "if", "in", "is", "it", "me", "my",
     "no", "not", "of", "on", "or", "our", "out", "see", "the", "this", "to", "up", "us", "we", "you",
     "your", "au", "de", "des", "du", "en", "et", "je", "la", "le", "les", "ma", "mes", "moi", "mon",
     "nos", "notre", "nous", "par", "pas", "pour", "sur", "ta", "te", "tes", "ton", "un", "une", "vos",
     "votre"}
)  # fmt: skip

# Anything that could start a link or a phone number, on the raw text, besides "://" and "@"
# looked for on their own (`PromoScreen._possible`): `urls`, `emails`, `handles` and `phones`
# find nothing where none of this is found. `textfeatures.URL` is case-insensitive: its
# `[a-z]` is also "ı", "ſ" and the Kelvin sign. Every phone shape of `textfeatures.PHONE` has
# 7 digits or more, apart only by `[\s.()-]`. (Separate searches: each is a fast scan for
# its first character; one alternation of them all would try every branch at every character.)
_DOTS = re.compile(
    r"\.(?:(?<=[wW][wW][wW]\.)|[a-zA-Zıſ\u212a]|\s+(?:[cC][oO][mM]|[nN][eE][tT]|[oO][rR][gG]))"
)
_DIGITS = re.compile(r"[0-9](?:[\s.()-]*[0-9]){6}")  # other digits make a text unscreenable

_OWNER = "<owner>"
_TOKEN_SPLIT = re.compile(r"[\s'-]+")

#: What the screen lets through for a text: feature -> the entries of its list that may match
#: (None: the whole list). A feature not named cannot fire.
Possible = dict[str, set[str] | None]


@dataclass(frozen=True, slots=True)
class _ScreenIndex:
    exact: Mapping[str, frozenset[str]]
    """Folded word -> the entry words it is (an owner word is also `_OWNER`)."""
    prefixes: Mapping[int, Mapping[str, frozenset[str]]]
    """Length -> folded beginning -> the entry words ending in `*` that it starts."""
    entries: Mapping[str, tuple[tuple[str, str, frozenset[str]], ...]]
    """An entry's rarest word -> (feature, entry, every word the entry needs)."""
    keys: frozenset[str]
    signs: str
    """The characters that fold to an entry made of a sign alone ("$", "€")."""
    sign_entries: tuple[tuple[str, str], ...]
    """(feature, entry) of those entries."""
    hint_features: frozenset[str]
    """Features a link, address, phone number or sign may bring."""
    always: frozenset[str]
    """Features with an entry the screen cannot read by words: always computed in full."""


def _entry_words(phrase: str) -> tuple[list[str], list[str]]:
    """(the words an entry needs, as "word" or "begin*"; its other tokens)."""
    needs: list[str] = []
    others: list[str] = []
    for token in _TOKEN_SPLIT.split(fold(phrase)):
        if not token or token == "~":
            continue
        if re.fullmatch(r"\w+\*?", token):
            needs.append(token)
        else:
            others.append(token)
    return needs, others


@cache
def _screen_index() -> _ScreenIndex:
    exact: dict[str, set[str]] = {}
    prefixes: dict[int, dict[str, set[str]]] = {}
    entries: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
    signs: list[str] = []
    sign_entries: list[tuple[str, str]] = []
    hint_features = {"link", "tracked_link", "contact"}
    always: set[str] = set()

    def learn(word: str, also: str | None = None) -> None:
        if word.endswith("*"):
            prefixes.setdefault(len(word) - 1, {}).setdefault(word[:-1], set()).add(word)
        else:
            exact.setdefault(word, set()).add(word)
            if also:
                exact[word].add(also)

    def add(feature: str, phrase: str, owner: bool = False) -> None:
        needs, others = _entry_words(phrase)
        if not needs:
            if others and all(len(t) == 1 for t in others):
                signs.extend(folds_to(t) for t in others)
                sign_entries.append((feature, phrase))
                hint_features.add(feature)
            else:
                always.add(feature)
            return
        for word in needs:
            learn(word)
        key = max(needs, key=lambda w: (w.rstrip("*") not in _COMMON, len(w)))
        entry = (feature, phrase, frozenset(needs) | ({_OWNER} if owner else set()))
        entries.setdefault(key, []).append(entry)

    lists = _lists()
    for feature in _SOURCES:
        if feature in PROMOTIONAL:
            for phrase in getattr(lists, feature).phrases:
                add(feature, phrase)
    for feature, (firsts, seconds) in _PAIRS.items():
        owners = [_entry_words(p) for p in merged(firsts)]
        single = all(len(n) == 1 and not o and not n[0].endswith("*") for n, o in owners)
        if single:
            for needs, _ in owners:
                learn(needs[0], _OWNER)
        for phrase in merged(seconds):
            add(feature, phrase, owner=single)
    return _ScreenIndex(
        {w: frozenset(v) for w, v in exact.items()},
        {n: {b: frozenset(v) for b, v in table.items()} for n, table in prefixes.items()},
        {k: tuple(v) for k, v in entries.items()},
        frozenset(entries),
        "".join(dict.fromkeys("".join(signs))),
        tuple(sign_entries),
        frozenset(hint_features),
        frozenset(always),
    )


class PromoScreen:
    """For one run over many texts: `may_flag` is False only when a text certainly scores
    below the threshold. Words and texts seen are remembered for the run (never longer)."""

    def __init__(self, scorer: PromoScorer) -> None:
        self.scorer = scorer
        self._index = _screen_index()
        weights = scorer.weights
        self._base = scorer.bias + sum(
            max(0.0, weights.get(name, 0.0) * top) for name, top in _UNSCREENED_TOP.items()
        )
        # The logit below which the probability is below the threshold, less a hair of slack
        # (the scorer sums the same terms in another order): one comparison a text, no exp().
        # Thresholds at the very ends of 0-1 screen nothing out (there the rounding of exp()
        # could outweigh the slack).
        threshold = scorer.threshold
        if 1e-6 < threshold < 1.0 - 1e-6:
            self._limit = math.log(threshold / (1.0 - threshold)) - 1e-6
        else:
            self._limit = -math.inf
        self._chunks: dict[str, frozenset[str]] = {}
        """Text between spaces, as written -> the entry words it holds."""
        self._unkeyed: set[str] = set()
        """Text between spaces that holds no entry's rarest word."""
        self._keyed: set[str] = set()
        """Text between spaces that holds the rarest word of some entry."""
        self._parts: dict[str, float] = {}
        self._lists: dict[tuple[str, frozenset[str]], PhraseList] = {}
        self.scored = 0
        """How many texts needed a closer look (their promotional features computed)."""

    def may_flag(
        self,
        text: str,
        extra: Mapping[str, tuple[float, tuple[str, ...]]] | None = None,
        unknown: Iterable[str] = (),
    ) -> bool:
        """Could `scorer.score(text, topic, extra + any of unknown at value 1)` reach the threshold?"""
        return self.bound(text, extra, unknown) >= self._limit

    def bound(
        self,
        text: str,
        extra: Mapping[str, tuple[float, tuple[str, ...]]] | None = None,
        unknown: Iterable[str] = (),
    ) -> float:
        """An upper bound of `scorer.score(text, topic, extra + unknown).logit`, whatever the
        topic and whichever of `unknown` (extra features of value 1) are added."""
        weights = self.scorer.weights
        part = self._parts.get(text)
        bound = self._base + (self._part(text) if part is None else part)
        if extra:
            bound += sum(weights.get(name, 0.0) * value for name, (value, _) in extra.items())
        for name in unknown:
            bound += max(0.0, weights.get(name, 0.0))
        return bound

    def _part(self, text: str) -> float:
        """The exact contribution of the promotional features and their share to the score."""
        found = self._parts.get(text)
        if found is not None:
            return found
        possible = self._possible(text)
        if possible is not None and not possible:
            return 0.0
        self.scored += 1
        plain = clean(text)
        folded = Folded.of(plain)
        wanted: Collection[str]
        if possible is None:
            lists, wanted, links = _lists(), PROMOTIONAL, urls(plain)
        else:
            lists, wanted = self._narrowed(possible), possible.keys()
            links = urls(plain) if "link" in possible else []
        features: dict[str, tuple[float, tuple[str, ...]]] = {}
        _promotional(features, plain, folded, links, lists, wanted)
        _promo_share(features, plain, links)
        weights = self.scorer.weights
        part = sum(weights.get(name, 0.0) * value for name, (value, _) in features.items())
        self._parts[text] = part
        return part

    def _narrowed(self, possible: Possible) -> _Lists:
        """The phrase lists holding only the entries that may match: the same matches (an
        entry left out matches nowhere in the text), one short alternation instead of a long one."""
        base = _lists()
        narrowed: dict[str, PhraseList] = {}
        for feature, entries in possible.items():
            if entries is None or feature not in _SOURCES:
                continue
            key = (feature, frozenset(entries))
            found = self._lists.get(key)
            if found is None:
                found = PhraseList.of(p for p in getattr(base, feature).phrases if p in entries)
                self._lists[key] = found
            narrowed[feature] = found
        return replace(base, **narrowed) if narrowed else base

    def _possible(self, text: str) -> Possible | None:
        """What `text` may hold (see `Possible`); None: it must be read in full."""
        if unscreenable(text):
            return None
        index = self._index
        possible: Possible = dict.fromkeys(index.always) if index.always else {}
        if (
            "@" in text
            or "://" in text
            or any(sign in text for sign in index.signs)
            or _DOTS.search(text) is not None
            or _DIGITS.search(text) is not None
        ):
            for feature in index.hint_features:
                possible.setdefault(feature, set())
            for feature, phrase in index.sign_entries:
                entries = possible.setdefault(feature, set())
                if entries is not None:
                    entries.add(phrase)
        # Each distinct chunk between spaces is split into words, folded and looked up once
        # per run (words never cross a space); most texts are then one set look-up, and only
        # one holding an entry's rarest word is looked at closer.
        chunks = text.split()
        if self._unkeyed.issuperset(chunks):
            return possible
        seen = set(chunks)
        for chunk in seen.difference(self._chunks, self._unkeyed):
            self._learn(chunk)
        if seen.isdisjoint(self._keyed):
            return possible
        known = self._chunks
        met: set[str] = set()
        for chunk in seen:
            found = known.get(chunk)
            if found is not None:
                met |= found
        for key in index.keys.intersection(met):
            for feature, phrase, needs in index.entries[key]:
                if needs <= met:
                    entries = possible.setdefault(feature, set())
                    if entries is not None:
                        entries.add(phrase)
        return possible

    def _learn(self, chunk: str) -> None:
        index = self._index
        found: set[str] = set()
        for word in word_runs(chunk):
            folded = fold(word)
            found.update(index.exact.get(folded, ()))
            for size, table in index.prefixes.items():
                hit = table.get(folded[:size])
                if hit is not None:
                    found |= hit
        if found:
            self._chunks[chunk] = frozenset(found)
        if index.keys.isdisjoint(found):
            self._unkeyed.add(chunk)
        else:
            self._keyed.add(chunk)


@cache
def default_scorer() -> PromoScorer:
    return PromoScorer()
