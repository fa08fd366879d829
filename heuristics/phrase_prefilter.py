"""Which texts could hold a phrase of some `PhraseList`s — for a whole community at C speed.

A text detector that matches word lists (conflict, against_mission) cleans, folds and scans
every post with `textfeatures`: some 70 µs a post, a minute at a million posts, while only a
few posts in a hundred hold any listed word. `PhrasePrefilter.candidates(texts)` says which
texts *may* match, and a text it leaves out provably has no match, so skipping the expensive
reading there changes no verdict (tests compare with and without it on real corpora).

Why it is exact. `PhraseList` matches an entry on the folded text `F = Folded.of(clean(t))`
with word boundaries, and each entry's tokens are separated by non-word characters; so every
run of word characters ("piece") inside an entry's tokens is a maximal run of word characters
of `F` (a token ending in `*` gives a maximal run *starting with* that piece). The prefilter
builds `X`, a bytes image of `F` in which every maximal run of ASCII word characters of `F`
is a space-delimited token, and asks, per entry, that all its ASCII pieces be tokens of `X`
(or start one, for `*`). An entry with no ASCII piece ("€") makes every text a candidate.

How `X` is built without folding every text. Most texts are made only of characters whose
clean-then-fold is one character and known in advance: ASCII (but `<` and `&`, which start
HTML that `clean` undoes), accented Latin-1 letters ("é" -> "e"), and characters that fold
to no ASCII word character at all (emoji, "€", "’", "œ"). For those, `X` is the text itself
through one byte table (`bytes.translate`): letters folded, everything that is not an ASCII
word character made a space — a space where `F` has a non-ASCII word character only adds
tokens, never removes one. Any other text (HTML, combining accents, invisible characters,
ligatures, full-width letters…) is cleaned and folded exactly, as the detectors do, first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from heuristics.lexicons import LEXICONS
from heuristics.textfeatures import Folded, clean, fold

_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
_PIECE = re.compile(r"\w+")
_CHUNK = 20_000  # texts per pass: bounds the memory of one joined image (a few MB)
# Non-Latin-1 blocks whose characters are classified one by one (punctuation, symbols,
# Latin Extended, Greek, Cyrillic, emoji...); characters outside them always take the exact
# (slow) path, which only costs time.
_CLASSIFIED = ((0x100, 0x3000), (0xFE00, 0x10000), (0x1F000, 0x1FB00))


@dataclass(frozen=True, slots=True)
class _Chars:
    table: bytes
    """Latin-1 byte -> its folded ASCII word character, or a space."""
    bad_latin1: tuple[bytes, ...]
    """The Latin-1 characters among them, each as a byte."""
    unsafe: re.Pattern[str]
    """A character the table (with "?" for whatever lies beyond Latin-1) cannot stand for:
    "<" and "&" (HTML), the soft hyphen, "¼", combining marks, invisible characters, letters
    beyond Latin-1 that fold to ASCII ("ā", "ﬁ", full-width "ａ")... and anything outside the
    blocks classified one by one. Its text is cleaned and folded exactly instead."""
    astral_safe: frozenset[str]
    """Characters beyond the BMP that `unsafe` finds but the table can stand for (emoji)."""

    def is_unsafe(self, text: str) -> bool:
        astral = self.astral_safe
        return any(m.group() not in astral for m in self.unsafe.finditer(text))


def _cleaned(char: str) -> str | None:
    """What `clean` makes of `char` between two letters (None: deleted or merged away)."""
    out = clean(f"a{char}a")
    if len(out) != 3 or out[0] != "a" or out[2] != "a":
        return None
    return out[1]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _image(char: str) -> str | None:
    """The byte `char` becomes in `X` (an ASCII word character or a space), None if unsafe."""
    cleaned = _cleaned(char)
    if cleaned is None or char in "<&":
        return None
    folded = fold(cleaned)
    if not folded:
        return None  # a combining mark: folding deletes it and joins the words around it
    if len(folded) == 1 and _ASCII_WORD.match(folded) and _is_word(char):
        return folded if ord(char) < 256 else None  # only Latin-1 goes through the table
    if _ASCII_WORD.search(folded):
        return None  # "ﬁ" -> "fi", "①" -> "1": the table would lose letters
    return " "


@cache
def _chars() -> _Chars:
    table = bytearray(b" " * 256)
    unsafe: list[tuple[int, int]] = []

    def mark(code: int) -> None:
        if unsafe and unsafe[-1][1] == code - 1:
            unsafe[-1] = (unsafe[-1][0], code)
        else:
            unsafe.append((code, code))

    for code in range(256):
        image = _image(chr(code))
        if image is None:
            mark(code)
        else:
            table[code] = ord(image)
    top = 256
    for lo, hi in _CLASSIFIED:
        if hi > 0x10000:
            break
        if lo > top:
            unsafe.append((top, lo - 1))
        for code in range(lo, hi):
            if _image(chr(code)) is None:
                mark(code)
        top = hi
    # Beyond the BMP, one range (a long list of ranges makes every search slow) and a set.
    unsafe.append((top, 0x10FFFF))
    astral = frozenset(
        chr(code)
        for lo, hi in _CLASSIFIED
        if hi > 0x10000
        for code in range(lo, hi)
        if _image(chr(code)) is not None
    )
    ranges = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in unsafe)
    bad = tuple(bytes([code]) for code in range(256) if _image(chr(code)) is None)
    return _Chars(bytes(table), bad, re.compile(f"[{ranges}]"), astral)


def _pieces(phrase: str) -> list[tuple[str, bool]]:
    """(piece, is_prefix) for each run of word characters an entry's match must show as a
    whole word of the folded text (or, for a trailing `*`, as the start of one)."""
    out: list[tuple[str, bool]] = []
    for token in re.split(r"[\s'-]+", fold(phrase)):  # as textfeatures._phrase_pattern reads it
        if not token or token == "~":
            continue
        stem = token.rstrip("*")
        star = token.endswith("*")
        runs = list(_PIECE.finditer(stem))
        for i, run in enumerate(runs):
            prefix = star and i == len(runs) - 1 and run.end() == len(stem)
            if run.group().isascii():
                out.append((run.group(), prefix))
    return out


def _trie(words: dict[str, bool]) -> str:
    """A regex body matching any of `words` (word -> is a prefix), factored by first letters
    so that the engine tries a handful of branches at each position, not every word."""
    if not words:
        return "(?!)"
    groups: dict[str, dict[str, bool]] = {}
    ends: list[bool] = []
    for word, prefix in words.items():
        if word:
            groups.setdefault(word[0], {})[word[1:]] = prefix
        else:
            ends.append(prefix)
    branches = [re.escape(first) + _trie(rest) for first, rest in sorted(groups.items())]
    if ends:
        # The word may end here: as a prefix, whatever follows; else at the end of a token.
        branches.append("" if any(ends) else "(?= )")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@dataclass(frozen=True, slots=True)
class PhrasePrefilter:
    """The texts that may hold an entry of the given phrases (see the module's docstring)."""

    entries: tuple[tuple[tuple[str, bool], ...], ...]
    """Each entry's ASCII pieces: (piece, is_prefix)."""
    related: dict[str, tuple[int, ...]]
    """Key piece found by the scan -> the entries it may belong to: those keyed by it and
    those keyed by a prefix piece it starts with."""
    keys: re.Pattern[bytes]
    """One key piece per entry, as a whole token of the image (or the start of one)."""
    always: bool
    """Some entry has no ASCII piece: every text is a candidate."""
    weights: tuple[float, ...] = ()
    """Per entry, at least what it can add to a text's score (for `candidates(at_least=)`)."""

    @classmethod
    def of(
        cls, phrases: Iterable[str], sample: Sequence[str] = (), weights: Mapping[str, float] | None = None
    ) -> PhrasePrefilter:
        """`sample` (some texts of the community) only guides which piece of each entry the
        first scan looks for — the rarest there; any choice gives the same candidates'
        verdicts, the rarest gives the fewest candidates to check one by one.

        `weights` (by entry, as the phrase list holds it: stripped) bound what each entry can
        add to a text's score; a text then needs its present entries' bounds to reach
        `at_least`. The bound is the weight, never below 0, plus 0.005 for a weight rounded
        to two decimals after it is scaled down."""
        # Every scan folds its texts with this table (~0.15 s to build, once a process): it is
        # built with the prefilter, so a console's warm-up, which examines no new post, makes
        # it before the first import instead of during it.
        _chars()
        common = LEXICONS["en"].STOPWORDS | LEXICONS["fr"].STOPWORDS
        seen = Counter(_image_of(list(sample)).split()) if sample else Counter()
        vocabulary = sorted(seen)
        entries: list[tuple[tuple[str, bool], ...]] = []
        bounds: list[float] = []
        keyed: dict[str, list[int]] = {}
        key_prefix: dict[str, bool] = {}
        always = False
        for phrase in dict.fromkeys(p.strip() for p in phrases if p.strip()):
            pieces = tuple(dict.fromkeys(_pieces(phrase)))
            if not pieces:
                always = True
                continue

            def rarity(piece: tuple[str, bool]) -> tuple[int, bool, int]:
                word = piece[0].encode("ascii")
                if piece[1]:
                    at = bisect_left(vocabulary, word)
                    count = 0
                    while at < len(vocabulary) and vocabulary[at].startswith(word):
                        count += seen[vocabulary[at]]
                        at += 1
                else:
                    count = seen[word]
                return (-count, piece[0] not in common, len(piece[0]))

            key, prefix = max(pieces, key=rarity)
            keyed.setdefault(key, []).append(len(entries))
            key_prefix[key] = key_prefix.get(key, False) or prefix
            entries.append(pieces)
            if weights is not None:
                bounds.append(max(weights[phrase], 0.0) + 0.005)
        related = {
            key: tuple(
                i
                for other, indices in keyed.items()
                if other == key or (key_prefix[other] and key.startswith(other))
                for i in indices
            )
            for key in keyed
        }
        keys = re.compile(b" " + _trie(key_prefix).encode("ascii"))
        return cls(tuple(entries), related, keys, always, tuple(bounds))

    def candidates(self, texts: Sequence[str], at_least: float | None = None) -> list[int]:
        """Indices (ascending) of the texts in which some entry may match — and, with
        `at_least` (needs `weights`), whose entries that may match weigh that much together."""
        if self.always:
            return list(range(len(texts)))
        if at_least is not None and len(self.weights) != len(self.entries):
            raise ValueError("at_least needs the entries' weights")
        out: list[int] = []
        for lo in range(0, len(texts), _CHUNK):
            out.extend(lo + i for i in self._chunk(texts[lo : lo + _CHUNK], at_least))
        return out

    def may_match(self, text: str) -> bool:
        return bool(self.candidates([text]))

    def _chunk(self, texts: Sequence[str], at_least: float | None) -> list[int]:
        pieces = list(texts)
        starts = [0, *accumulate(len(p) + 1 for p in pieces)]
        image = _image_of(pieces, starts)
        # Text i is image[starts[i] + 1 : starts[i + 1]] (the image has a space before each).
        hits: dict[int, set[str]] = {}
        for match in self.keys.finditer(image):
            i = bisect_right(starts, match.start()) - 1
            hits.setdefault(i, set()).add(match.group()[1:].decode("ascii"))
        out = []
        entries, related = self.entries, self.related
        for i, found in sorted(hits.items()):
            tokens = set(image[starts[i] + 1 : starts[i + 1]].decode("ascii").split())
            wanted = {e for key in found for e in related[key]}
            if at_least is None:
                if any(_entry_in(entries[e], tokens) for e in wanted):
                    out.append(i)
            elif sum(self.weights[e] for e in wanted if _entry_in(entries[e], tokens)) >= at_least:
                out.append(i)
        return out


def _image_of(texts: list[str] | Sequence[str], starts: list[int] | None = None) -> bytes:
    """The texts as one ASCII image: " " + image(text 0) + " " + image(text 1) ... + " ",
    each text's image as long as the text (its exact fold when the table can't stand for it:
    then `texts` is updated in place and `starts` recomputed)."""
    chars = _chars()
    # A "?" of the text reads as a space either way; so that every "?" of `raw` marks a
    # character beyond Latin-1, the text's own become spaces first.
    joined = " ".join(texts).replace("?", " ")
    raw = joined.encode("latin-1", "replace")
    flagged: set[int] = set()
    bounds = starts if starts is not None else [0, *accumulate(len(p) + 1 for p in texts)]
    for byte in chars.bad_latin1:  # "<", "&", soft hyphen...: rare, found at memchr speed
        at = raw.find(byte)
        while at != -1:
            i = bisect_right(bounds, at) - 1
            flagged.add(i)
            at = raw.find(byte, bounds[i + 1])
    at = raw.find(b"?")
    while at != -1:  # a text with characters beyond Latin-1: are they all ones the table covers?
        i = bisect_right(bounds, at) - 1
        if chars.is_unsafe(texts[i]):
            flagged.add(i)
        at = raw.find(b"?", bounds[i + 1])
    if flagged:
        pieces = texts if isinstance(texts, list) else list(texts)
        for i in flagged:
            pieces[i] = Folded.of(clean(pieces[i])).text
        raw = " ".join(pieces).replace("?", " ").encode("latin-1", "replace")
        if starts is not None:
            starts[:] = [0, *accumulate(len(p) + 1 for p in pieces)]
    return b" " + raw.translate(chars.table) + b" "


def _entry_in(entry: tuple[tuple[str, bool], ...], tokens: set[str]) -> bool:
    for piece, prefix in entry:
        if prefix:
            if not any(t.startswith(piece) for t in tokens):
                return False
        elif piece not in tokens:
            return False
    return True
