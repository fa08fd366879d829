"""text_repeat: near-identical texts posted again — chain messages, a caption passed around.

Comparing every pair of a million posts is 5·10^11 comparisons, so texts are *blocked*
first: MinHash signatures over word bigrams, cut into bands (LSH); only texts sharing a
whole band are compared, with rapidfuzz. Two texts with most bigrams in common (a chain
message with a name changed or a line added) share a band with near certainty, two posts
on the same topic almost never do. Candidates are confirmed by rapidfuzz similarity of the
folded texts (`max(ratio, token_sort_ratio)`), grouped with a union-find: one signal a group,
posts oldest first, each reason quoting the similarity.

Only posts within `window_days` of each other are compared (30 by default: chain messages
travel in waves of days; a copy links to the previous ones, so a longer wave still forms one
group), which also keeps an incremental run to the recent posts. In a band shared by many
texts, each is compared with the `bucket_partners` latest before it within the window.

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

How it stays fast at a million posts (each step exact, none a guess):
- a text with fewer than `min_shared_words` content words can share that many with no
  other: it is dropped before any hashing (most posts are short replies);
- texts are folded and split into words in numpy, a few thousand at a time (`_Folder`),
  and hashed into MinHash signatures for all of them at once (a word is known by a 64-bit
  hash of its characters: exact but for a collision, about 1 in 10^10 at a million words);
- candidate pairs are made a slice at a time, text after text (the rows they read stay in
  the cache), and go through upper bounds of what they must reach (lengths bound rapidfuzz's
  ratio; bit sets of each text's blanks and words tell most filled-in templates; words per
  class bound the shared content words), then rapidfuzz's `cpdist` on what is left (a few
  thousand pairs of 27 million at a million posts), then the word and template tests;
- an incremental run reads only the window before the new posts (`CommunityData.since`)
  and looks the posts of the groups it re-renders up by id.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from rapidfuzz import fuzz, process
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


_MICROSECOND = timedelta(microseconds=1)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _slots(text: str) -> set[str]:
    """The blanks a template fills, folded: numbers ("3,5"), and the capitalised words but
    the first one and the common ones ("Simba pèse 4,2 kg" → simba, 4,2). The first word is
    left out: a copied message gains a prefix ("Je relaie : …", "Seen in another group: …")."""
    out = set(_NUMBER.findall(text))
    for t in _TOKEN.findall(text)[1:]:
        if t[0].isupper():
            folded = _fold(t)
            if folded not in COMMON:
                out.add(folded)
    return out


def _folded(text: str) -> str:
    """A text's folded words joined by spaces: what rapidfuzz compares."""
    return " ".join(_TOKEN.findall(_fold(text)))


def _folded_many(texts: list[str]) -> list[str]:
    """`_folded` of many texts, in numpy a batch at a time (as `_Texts`)."""
    folder = _Folder()
    out: list[str] = []
    for lo in range(0, len(texts), _BATCH):
        batch = texts[lo : lo + _BATCH]
        w = folder.words(batch)
        # Each word's characters, then a space, or a NUL after a text's last word.
        step = w.length + 1
        out_start = np.cumsum(step) - step
        total = int(step.sum())
        src = np.repeat(w.start - out_start, step) + np.arange(total)
        chars = w.chars[np.minimum(src, len(w.chars) - 1)].astype(np.uint32)
        last = np.ones(len(w.doc), dtype=bool)
        last[:-1] = w.doc[1:] != w.doc[:-1]
        chars[out_start + w.length] = np.where(last, 0, 32)
        folded = chars.tobytes().decode("utf-32-le").split("\x00")[:-1]
        # A text without a word has no NUL of its own: those batches one text at a time.
        out += folded if len(folded) == len(batch) else map(_folded, batch)
    return out


def _content_words(folded: str) -> list[str]:
    """The words of a folded text that are not common ones, in order."""
    return [t for t in folded.split() if t not in COMMON]


def _words(text: str) -> set[str]:
    """The folded words and whole numbers of a text (what a slot is looked up in)."""
    return {t for t in _TOKEN.findall(_fold(text)) if not t[0].isdigit()} | set(_NUMBER.findall(text))


def _blanks(text: str, folded: str) -> tuple[set[str], set[str]]:
    """`(_slots(text), _words(text))` given the text's folded words joined by spaces (as
    `_Texts.folded`): the numbers found once, the words without tokenising again."""
    numbers = set(_NUMBER.findall(text))
    slots = set(numbers)
    for t in _TOKEN.findall(text)[1:]:
        if t[0].isupper():
            f = _fold(t)
            if f not in COMMON:
                slots.add(f)
    return slots, {t for t in folded.split() if not t[0].isdigit()} | numbers


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


def _mix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64): spreads token and shingle codes."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


# -- folding and tokenising many texts at once ------------------------------------------------
#
# A run looks at every post, and most of them are short: tokenising each in Python (a regex,
# a translate, a set per text) cost seconds a 100,000 posts. Here the texts of a batch are
# joined, encoded as UTF-32 and folded through a table of code points, so a word is a run of
# non-zero codes and its id a polynomial hash of those codes, all in numpy. The table says
# what `_fold` then `_TOKEN` do to each character alone; the few characters where that is not
# what they do in a text (a combining accent that joins two runs, a letter that folds to two,
# Σ whose lower case depends on the next letter) send their text through `_fold` first.

_BATCH = 4096
"""Texts folded at once: bounds the memory of the character arrays."""
_SEP = "\n"
"""Joins the texts of a batch: not a word character, so no word spans two texts."""
_P = 0x100000001B3
"""Odd, so invertible modulo 2**64: a word's hash is read off prefix sums."""
_P_INV = pow(_P, -1, 2**64)
_LENGTH_SALT = np.uint64(0x9E3779B97F4A7C15)
_NUMBER_SALT = np.uint64(0x2545F4914F6CDD1D)
_WORD_BINS = 128
"""Classes of content words (by the low bits of their id) in the bag that bounds how many
two texts share."""
_HASH_CHUNK = 1 << 16
"""Word pairs of the texts hashed at once (MinHash): a few hundred KB, kept in the cache."""
_SIG_WORDS = 4
"""64-bit words of the bit sets of words that bound `filled_template` (256 bits a text)."""
_SLACK = 1e-9
"""Bounds are compared with this much slack: never drop a pair rapidfuzz would keep."""


def _powers(base: int, n: int) -> np.ndarray:
    out = np.empty(n, dtype=np.uint64)
    if n:
        out[0] = 1
        out[1:] = np.uint64(base)
        np.cumprod(out, out=out)
    return out


@dataclass(slots=True)
class _Batch:
    """The words of a batch of texts: one row per word, in text order."""

    chars: np.ndarray
    """The folded code of every word character, words one after the other."""
    start: np.ndarray
    """Where each word starts in `chars`."""
    length: np.ndarray
    doc: np.ndarray
    """Which text of the batch each word is in."""
    hash: np.ndarray
    digits: np.ndarray
    """True for a word of digits only."""
    upper: np.ndarray
    """True for a word whose first character in the text is a capital (False throughout a
    text that went through `_fold` first: there the capitals are gone)."""
    number_doc: np.ndarray
    """The text of each number of `_NUMBER` in the texts (as they are, not folded)."""
    number_hash: np.ndarray
    """An id of each number's characters (never a word's id but by a collision)."""


class _Folder:
    """Folds and tokenises texts in numpy; learns each code point once per run."""

    def __init__(self) -> None:
        size = 0x110000
        self.code = np.zeros(size, dtype=np.uint32)
        """What a character folds to, 0 if it is not part of a word."""
        self.known = np.zeros(size, dtype=bool)
        self.special = np.zeros(size, dtype=bool)
        self.digit = np.zeros(size, dtype=np.uint8)
        self.upper = np.zeros(size, dtype=bool)
        self.decimal = np.zeros(size, dtype=bool)
        """What `_NUMBER`'s \\d matches."""
        self._learn(np.arange(128))
        self._pow = _powers(_P, 0)
        self._inv = _powers(_P_INV, 0)

    def _learn(self, codes: np.ndarray) -> None:
        for cp in codes.tolist():
            folded = _fold(chr(cp))
            if cp == 0x3A3 or len(folded) != 1:
                self.special[cp] = True
            elif _TOKEN.match(folded):
                self.code[cp] = ord(folded)
                self.digit[cp] = folded.isdigit()
            # A word character that folds to none, or the other way round: the words of
            # the text are those of its folded form, not its own (`_slots` reads its own).
            if bool(_TOKEN.match(chr(cp))) != bool(self.code[cp]):
                self.special[cp] = True
            self.upper[cp] = chr(cp).isupper()
            self.decimal[cp] = _NUMBER.match(chr(cp)) is not None
        self.known[codes] = True

    def _learn_all(self, chars: np.ndarray) -> bool:
        """Learns the characters not met yet; whether some are special."""
        high = chars[chars >= 128]
        if not len(high):
            return False
        seen = _distinct(high)
        self._learn(seen[~self.known[seen]])
        return bool(self.special[seen].any())

    def _encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        starts = np.cumsum(lengths) - lengths
        raw = _SEP.join(texts).encode("utf-32-le", "surrogatepass")
        return np.frombuffer(raw, dtype=np.uint32), starts

    def _digits(self, word: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Which words are digits only: none of their characters is another one (looked at
        in the few words whose first character is a digit)."""
        out = self.digit[word[start]].astype(bool)
        some = np.flatnonzero(out & (end - start > 1))
        if len(some):
            # Each of those words' characters, and which word it is in.
            size = end[some] - start[some]
            at = np.repeat(start[some] - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))
            other = np.bincount(np.repeat(np.arange(len(some)), size), weights=self.digit[word[at]] == 0)
            out[some] = other == 0
        return out

    def _numbers(self, chars: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What `_NUMBER.findall` finds in each text, as (text, id) rows: the runs of digits
        and of single dots or commas between two digits."""
        digit = (chars - np.uint32(48)) < 10  # ASCII first, the table for the rest
        high = np.flatnonzero(chars >= 128)
        if len(high):
            digit[high] = self.decimal[chars[high]]
        pos = np.flatnonzero(digit)
        # A dot or a comma between two digits (looked at beside the few digits only).
        after = pos[pos + 2 < len(chars)] + 1
        joins = after[((chars[after] == 44) | (chars[after] == 46)) & digit[after + 1]]
        if len(joins):
            pos = np.sort(np.concatenate([pos, joins]))
        k = len(pos)
        if not k:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        first = np.ones(k, dtype=bool)
        first[1:] = pos[1:] != pos[:-1] + 1
        start = np.flatnonzero(first)
        end = np.append(start[1:], k)
        raw = self._run_ids(chars[pos], start, end) ^ _NUMBER_SALT
        return np.searchsorted(starts, pos[start], side="right") - 1, _mix(raw)

    def _run_ids(self, codes: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """A polynomial hash of each run `codes[start:end]`, read off prefix sums."""
        n = len(codes)
        if len(self._pow) < n:
            self._pow = _powers(_P, n)
            self._inv = _powers(_P_INV, n)
        acc = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes.astype(np.uint64) * self._pow[:n], out=acc[1:])
        length = end - start
        return (acc[end] - acc[start]) * self._inv[start] + length.astype(np.uint64) * _LENGTH_SALT

    def words(self, texts: list[str]) -> _Batch:
        chars, starts = self._encode(texts)
        refolded: list[int] = []
        special = self._learn_all(chars)
        number_doc, number_hash = self._numbers(chars, starts)  # in the texts as they are
        if special:
            # Those texts through `_fold` first: their folded words are plain characters
            # (each folds to itself), which the table then reads as they are.
            where = np.flatnonzero(self.special[chars])
            texts = list(texts)
            refolded = np.unique(np.searchsorted(starts, where, side="right") - 1).tolist()
            for d in refolded:
                texts[d] = " ".join(_TOKEN.findall(_fold(texts[d])))
            chars, starts = self._encode(texts)
            self._learn_all(chars)
        codes = self.code[chars]
        pos = np.flatnonzero(codes)
        word = codes[pos]
        n = len(pos)
        first = np.ones(n, dtype=bool)
        first[1:] = pos[1:] != pos[:-1] + 1
        start = np.flatnonzero(first)
        end = np.empty_like(start)
        end[:-1] = start[1:]
        end[-1:] = n
        length = end - start
        raw = self._run_ids(word, start, end)
        at = pos[start]
        firsts = np.searchsorted(at, starts)  # each text's first word
        doc = np.repeat(np.arange(len(texts)), np.diff(firsts, append=len(start)))
        upper = self.upper[chars[at]]
        if refolded:
            plain = np.ones(len(texts), dtype=bool)
            plain[refolded] = False
            upper &= plain[doc]
        return _Batch(
            chars=word,
            start=start,
            length=length,
            doc=doc,
            hash=_mix(raw),
            digits=self._digits(word, start, end),
            upper=upper,
            number_doc=number_doc,
            number_hash=number_hash,
        )


def _token_hash(token: str, salt: int = 0) -> int:
    """The id `_Folder` gives a folded word (for words known in advance: the common ones),
    or with `_NUMBER_SALT` a number."""
    total, power, mask = 0, 1, 2**64 - 1
    for ch in token:
        total = (total + ord(ch) * power) & mask
        power = (power * _P) & mask
    raw = np.array([((total + len(token) * int(_LENGTH_SALT)) & mask) ^ salt], dtype=np.uint64)
    return int(_mix(raw)[0])


_COMMON_IDS = np.array(
    sorted({_token_hash(w) for w in COMMON if _TOKEN.fullmatch(w) and _fold(w) == w}), dtype=np.uint64
)
"""The ids of the common words that a folded word can be (a folded word folds to itself)."""
_SLOT_BITS = 20


def _slot_table(ids: np.ndarray) -> tuple[np.uint64, np.ndarray]:
    """Which bits of a word id index the common ones without two in a slot, and a table by
    them: the common id there, else a value that is never an id in that slot (its bits
    differ). Telling a common word is then one gather and one compare."""
    mask = np.uint64(2**_SLOT_BITS - 1)
    for shift in range(64 - _SLOT_BITS):
        slot = (ids >> np.uint64(shift)) & mask
        if len(np.unique(slot)) == len(ids):
            table = (np.arange(2**_SLOT_BITS, dtype=np.uint64) << np.uint64(shift)) ^ (
                np.uint64(1) << np.uint64(shift)
            )
            table[slot] = ids
            return np.uint64(shift), table
    raise AssertionError("the common words' ids collide in every slot")


_SLOT_SHIFT, _COMMON_SLOTS = _slot_table(_COMMON_IDS)


def _seconds(posts: Sequence[Post]) -> np.ndarray:
    """`created_at` floored to the second, as `ListTable` computes `ts` (a float timestamp
    keeps the microseconds apart from the next second until the year 2242)."""
    return np.fromiter((p.created_at.timestamp() // 1 for p in posts), dtype=np.int64, count=len(posts))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: by a sort (np.unique hashes wide integers, measured
    50 times slower here on a million pair codes)."""
    out = np.sort(values)
    if len(out):
        keep = np.ones(len(out), dtype=bool)
        keep[1:] = out[1:] != out[:-1]
        out = out[keep]
    return out


def _bit_sets(doc: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """(n, _SIG_WORDS) for each text, the bits of its words' ids (bits 40-47 of the id: not
    those the bags and the common-word table read)."""
    bit = (ids >> np.uint64(40)) & np.uint64(64 * _SIG_WORDS - 1)
    one = np.left_shift(np.uint64(1), bit & np.uint64(63))
    word = bit >> np.uint64(6)
    out = np.zeros((n, _SIG_WORDS), dtype=np.uint64)
    count = np.bincount(doc, minlength=n)
    some = np.flatnonzero(count)
    if len(some):
        firsts = (np.cumsum(count) - count)[some]  # `doc` ascending: each text's words in a run
        for k in range(_SIG_WORDS):
            out[some, k] = np.bitwise_or.reduceat(np.where(word == k, one, np.uint64(0)), firsts)
    return out


def _stable_argsort(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.argsort(keys, kind="stable")` for 64-bit keys and the keys in that order, by a
    plain sort (measured twice as fast on 8 million band keys): each key's high bits with its
    index in the low ones, sorted; the rare runs of equal high bits but different keys are
    sorted again."""
    n = len(keys)
    bits = np.uint64(max(1, (n - 1).bit_length()))
    order = np.sort(((keys >> bits) << bits) | np.arange(n, dtype=np.uint64)) & (
        (np.uint64(1) << bits) - np.uint64(1)
    )
    order = order.astype(np.int64)
    got = keys[order]
    if n < 2:
        return order, got
    high = got >> bits
    for value in np.unique(high[1:][(high[1:] == high[:-1]) & (got[1:] != got[:-1])]):
        lo, hi = np.searchsorted(high, [value, value + np.uint64(1)])
        part = order[lo:hi]  # indices ascending: a stable sort on the keys
        order[lo:hi] = part[np.argsort(keys[part], kind="stable")]
        got[lo:hi] = keys[order[lo:hi]]
    return order, got


def _first_per_doc(docs: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Indices of `where` (sorted rows) that are the first of their doc."""
    d = docs[where]
    keep = np.ones(len(where), dtype=bool)
    keep[1:] = d[1:] != d[:-1]
    return where[keep]


@dataclass(slots=True)
class _Texts:
    """The posts of a run that could be part of a repeat, as arrays (row i: `rows[i]` of
    the posts the run read)."""

    rows: np.ndarray
    source: Sequence[str]
    """The texts `rows` index."""
    tokens: np.ndarray
    """Every word id, text after text."""
    sizes: np.ndarray
    """Words per text."""
    content: np.ndarray
    """Words per text that are not common ones (what `shared_words` counts)."""
    length: np.ndarray
    """Characters of the folded text."""
    words: np.ndarray
    """(n, _WORD_BINS) content words per class of their id (bounds `shared_words`; a text
    with more than 255 content words has no bound)."""
    blanks: np.ndarray
    """(n, 2 * _SIG_WORDS) two bit sets of ids (`_bit_sets`), read in one gather: `caps`, then
    `sig`."""

    @property
    def caps(self) -> np.ndarray:
        """(n, _SIG_WORDS) the bits of the text's blanks (`_slots`): its numbers, and its
        capitalised words but the first and the common ones (none in a text that went
        through `_fold` first)."""
        return self.blanks[:, :_SIG_WORDS]

    @property
    def sig(self) -> np.ndarray:
        """(n, _SIG_WORDS) the bits of every number and every word but the common ones of the
        text (a blank is never a common word)."""
        return self.blanks[:, _SIG_WORDS:]

    @classmethod
    def empty(cls) -> _Texts:
        i = np.zeros(0, dtype=np.int64)
        return cls(
            i,
            (),
            np.zeros(0, np.uint64),
            i,
            i,
            i,
            np.zeros((0, _WORD_BINS), np.uint8),
            np.zeros((0, 2 * _SIG_WORDS), np.uint64),
        )

    def folded(self, which: list[int]) -> dict[int, str]:
        """The folded texts of some rows (only those that reach rapidfuzz need them)."""
        texts = [self.source[r] for r in self.rows[which].tolist()]
        return dict(zip(which, _folded_many(texts), strict=True))

    @classmethod
    def concat(cls, parts: list[_Texts]) -> _Texts:
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([p.rows for p in parts]),
            (),
            np.concatenate([p.tokens for p in parts]),
            np.concatenate([p.sizes for p in parts]),
            np.concatenate([p.content for p in parts]),
            np.concatenate([p.length for p in parts]),
            np.concatenate([p.words for p in parts]),
            np.concatenate([p.blanks for p in parts]),
        )


_CHUNK = 1 << 20
"""Candidate pairs generated at once (`_candidates`)."""
_BOUND_CHUNK = 1 << 14
"""Candidate pairs bounded at once: their rows of the bags (a few MB) stay in the cache."""


def _bit_count(sets: np.ndarray) -> np.ndarray:
    """Bits set in each row of `(k, _SIG_WORDS)` bit sets."""
    return np.add.reduce(np.bitwise_count(sets), axis=1, dtype=np.int64)


def _not_swapped(texts: _Texts, a: np.ndarray, b: np.ndarray, names: int) -> np.ndarray:
    """False where `filled_template` is sure for the pair: each text has at least `names`
    blanks that the other's words lack. A blank (a capitalised word or a number) whose bit
    the other text does not set is one: `caps` holds bits of blanks only, `sig` the bits of
    every number and every word a blank can be."""
    one, other = texts.blanks[a], texts.blanks[b]
    w = _SIG_WORDS
    lacks = one[:, :w] & ~other[:, w:], other[:, :w] & ~one[:, w:]
    if names == 1:
        return ~(lacks[0].any(axis=1) & lacks[1].any(axis=1))
    return (_bit_count(lacks[0]) < names) | (_bit_count(lacks[1]) < names)


def _slices(pairs: np.ndarray, size: int) -> Iterable[np.ndarray]:
    return (pairs[lo : lo + size] for lo in range(0, len(pairs), size))


@dataclass(frozen=True, slots=True)
class _Pairs:
    """Candidate pairs, made a slice at a time: the entries of the buckets (texts in bucket
    order), and for each text's entry, in text order, where its partners start and how many."""

    owner: np.ndarray
    """The text of each bucket entry, buckets one after the other."""
    text: np.ndarray
    lo: np.ndarray
    count: np.ndarray
    new: np.ndarray | None

    @classmethod
    def empty(cls) -> _Pairs:
        i = np.zeros(0, dtype=np.int64)
        return cls(i, i, i, i, None)

    def __len__(self) -> int:
        """Pairs before the `new` filter."""
        return int(self.count.sum())

    def chunks(self, size: int) -> Iterable[np.ndarray]:
        """The pairs (i, j), about `size` at a time, j ascending."""
        ends = np.cumsum(self.count)
        start, done = 0, 0
        while start < len(ends):
            stop = max(int(np.searchsorted(ends, done + size, side="right")), start + 1)
            count = self.count[start:stop]
            total = int(ends[stop - 1]) - done
            first = np.repeat(self.lo[start:stop] - (np.cumsum(count) - count), count)
            pairs = np.stack(
                [self.owner[first + np.arange(total)], np.repeat(self.text[start:stop], count)], axis=1
            )
            if self.new is not None:
                pairs = pairs[self.new[pairs[:, 0]] | self.new[pairs[:, 1]]]
            yield pairs
            start, done = stop, int(ends[stop - 1])


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the cheap tests need of each eligible post, as arrays."""

    micro: np.ndarray | None
    """`created_at` in microseconds since the epoch (exact, unlike the table's seconds)."""
    author: np.ndarray | None
    """A number per author."""
    reply: np.ndarray
    """True for a reply in a thread."""

    @classmethod
    def of(cls, posts: list[Post], seconds: np.ndarray | None, with_authors: bool) -> _Facts:
        """With `seconds`, the posts' `created_at` floored to the second (as `PostTable.ts`)."""
        n = len(posts)
        micro = author = None
        if seconds is not None:
            fraction = np.fromiter((p.created_at.microsecond for p in posts), np.int64, n)
            micro = seconds * 1_000_000 + fraction
        if with_authors:
            ids: dict[str, int] = {}
            author = np.fromiter((ids.setdefault(p.author, len(ids)) for p in posts), np.int64, n)
        reply = np.fromiter((p.parent is not None for p in posts), dtype=bool, count=n)
        return cls(micro, author, reply)


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
        bucket_partners: int = 32,
    ) -> None:
        if not 0 < min_similarity <= 100:
            raise ValueError("min_similarity must be a percentage in (0, 100]")
        if bands < 1 or rows < 1:
            raise ValueError("bands and rows must be at least 1")
        if min_words < 2:
            raise ValueError("min_words must be at least 2 (texts are compared by word pairs)")
        if bucket_partners < 1:
            raise ValueError("bucket_partners must be at least 1")
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
        # A text sharing a band with many recent ones (a chain message passed 500 times in
        # a week) is compared with the latest of them only: a copy links to the previous
        # copies, so the group still forms, at a cost linear in its size.
        self.bucket_partners = bucket_partners
        # Chain messages and shared captions travel in waves of days or weeks: two posts
        # further apart than this are not compared (0: no limit). It also bounds what an
        # incremental run must re-read: only the window before the new posts.
        self.window = timedelta(days=window_days) if window_days > 0 else None
        rng = np.random.default_rng(20260315)
        perms = bands * rows
        # (a*x + b) mod 2^32 with odd a permutes the (already mixed) codes: one multiply-add
        # per permutation instead of a full mix.
        self._mults = rng.integers(1, 2**32, size=perms, dtype=np.uint32) | np.uint32(1)
        self._adds = rng.integers(0, 2**32, size=perms, dtype=np.uint32)

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

    def could_repeat(self, text: str) -> bool:
        """Whether a text counts and has enough content words to share `min_shared_words`
        with another (the reference for `_texts`, which decides it for many at once)."""
        toks = self.tokens(text)
        return toks is not None and sum(t not in COMMON for t in toks) >= self.min_shared_words

    def _texts(self, texts: Sequence[str]) -> _Texts:
        """The texts that could be part of a repeat, decided exactly (`could_repeat`) in
        numpy: a text too short, or with too few content words to share `min_shared_words`
        with another, can never be confirmed, so it is dropped before any hashing."""
        folder = _Folder()
        parts = []
        for lo in range(0, len(texts), _BATCH):
            batch = list(texts[lo : lo + _BATCH])
            long = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch)) >= self.min_chars
            keep = np.flatnonzero(long)
            if not len(keep):
                continue
            part = self._batch_texts(folder, [batch[i] for i in keep.tolist()])
            part.rows = keep[part.rows] + lo
            parts.append(part)
        out = _Texts.concat(parts)
        out.source = texts
        return out

    def _batch_texts(self, folder: _Folder, texts: list[str]) -> _Texts:
        w = folder.words(texts)
        m = len(texts)
        sizes = np.bincount(w.doc, minlength=m)
        common = _COMMON_SLOTS[(w.hash >> _SLOT_SHIFT) & np.uint64(2**_SLOT_BITS - 1)] == w.hash
        content = np.bincount(w.doc[~common], minlength=m)
        ok = (sizes >= self.min_words) & (content >= self.min_shared_words)
        # At least `min_content_words` distinct content words of 3 letters or more, not
        # numbers: take the first such word of each text, drop its copies, again.
        left = ~common & (w.length > 2) & ~w.digits & ok[w.doc]
        distinct = np.zeros(m, dtype=np.int64)
        for _ in range(self.min_content_words):
            firsts = _first_per_doc(w.doc, np.flatnonzero(left))
            if not len(firsts):
                break
            distinct[w.doc[firsts]] += 1
            chosen = np.zeros(m, dtype=np.uint64)
            chosen[w.doc[firsts]] = w.hash[firsts]
            left &= w.hash != chosen[w.doc]
        ok &= distinct >= self.min_content_words
        rows = np.flatnonzero(ok)
        if not len(rows):
            return _Texts.empty()
        rank = np.cumsum(ok) - 1
        mine = ok[w.doc]
        words = np.flatnonzero(mine)
        length = w.length[words]
        doc = rank[w.doc[words]]
        n = len(rows)
        wsizes = sizes[rows]
        flen = np.bincount(doc, weights=length, minlength=n).astype(np.int64) + wsizes - 1
        # The capitalised words but each text's first: what `_slots` reads in a text.
        opening = np.ones(len(w.doc), dtype=bool)
        opening[1:] = w.doc[1:] != w.doc[:-1]
        uncommon = np.flatnonzero(mine & ~common)
        caps = uncommon[w.upper[uncommon] & ~opening[uncommon]]
        # And the numbers: blanks too, and words of the text.
        counted = ok[w.number_doc]
        numbers = _bit_sets(rank[w.number_doc[counted]], w.number_hash[counted], n)
        return _Texts(
            rows=rows,
            source=(),
            tokens=w.hash[words],
            sizes=wsizes,
            content=content[rows],
            length=flen,
            words=self._word_bag(w, mine & ~common, rank, n),
            blanks=np.concatenate(
                [
                    _bit_sets(rank[w.doc[caps]], w.hash[caps], n) | numbers,
                    _bit_sets(rank[w.doc[uncommon]], w.hash[uncommon], n) | numbers,
                ],
                axis=1,
            ),
        )

    @staticmethod
    def _word_bag(w: _Batch, content: np.ndarray, rank: np.ndarray, n: int) -> np.ndarray:
        cell = rank[w.doc[content]] * _WORD_BINS + (w.hash[content] & np.uint64(_WORD_BINS - 1)).astype(
            np.int64
        )
        bag = np.bincount(cell, minlength=n * _WORD_BINS).reshape(n, _WORD_BINS)
        return np.minimum(bag, 255).astype(np.uint8)

    def _band_keys(self, texts: _Texts) -> np.ndarray:
        """MinHash over word bigrams, all texts at once (no Python loop per hash)."""
        n = len(texts.rows)
        if not n:
            return np.zeros((0, self.bands), dtype=np.uint64)
        flat, sizes = texts.tokens, texts.sizes
        ends = np.cumsum(sizes)
        # Bigrams at every position but where one text ends and the next begins.
        keep = np.ones(len(flat) - 1, dtype=bool)
        keep[ends[:-1] - 1] = False
        codes = _mix(flat[:-1][keep] * _PRIME + flat[1:][keep] + np.uint64(1))
        offsets = np.zeros(n, dtype=np.int64)
        np.cumsum(sizes[:-1] - 1, out=offsets[1:])
        # 32-bit permutations: half the memory traffic of 64-bit ones, and three rows of
        # 32 bits still make a band that two unrelated texts share by chance once in 2^96.
        high = (codes >> np.uint64(32)).astype(np.uint32)
        perms = self.bands * self.rows
        mins = np.empty((n, perms), dtype=np.uint32)
        # A few thousand texts at a time: their codes stay in the cache across the permutations.
        cuts = np.unique(
            np.append(np.searchsorted(offsets, np.arange(0, len(high), _HASH_CHUNK)), n)
        ).tolist()
        for lo, hi in itertools.pairwise(cuts):
            first = int(offsets[lo])
            part = high[first : int(offsets[hi]) if hi < n else len(high)]
            at = offsets[lo:hi] - first
            out = np.empty_like(part)
            block = np.empty((hi - lo, perms), dtype=np.uint32)
            for i in range(perms):
                np.multiply(part, self._mults[i], out=out)
                out += self._adds[i]
                block[:, i] = np.minimum.reduceat(out, at)
            mins[lo:hi] = block
        keys = mins.astype(np.uint64).reshape(n, self.bands, self.rows)
        band = keys[:, :, 0]
        for r in range(1, self.rows):
            band = _mix(band * _PRIME + keys[:, :, r])
        return band ^ np.arange(self.bands, dtype=np.uint64)  # the same rows in two bands differ

    # -- candidates and confirmation ---------------------------------------------------------

    def _candidates(
        self, bands: np.ndarray, seconds: np.ndarray, new: np.ndarray | None = None
    ) -> np.ndarray | None:
        """All the pairs of `_pairs` at once (i < j)."""
        plan = self._pairs(bands, seconds, new)
        if plan is None:
            return None
        return np.concatenate([np.zeros((0, 2), dtype=np.int64), *plan.chunks(_CHUNK)])

    def _pairs(self, bands: np.ndarray, seconds: np.ndarray, new: np.ndarray | None = None) -> _Pairs | None:
        """Pairs (i < j) of texts sharing a band: each text with the `bucket_partners`
        latest texts of the bucket before it within the window. Texts are in time order.

        With `new` (a mask over the texts), only the pairs with a new text; None when the
        new texts also change which pairs the older ones have (a new text among more than
        `bucket_partners` before a later one): then only a full run is exact."""
        n = len(bands)
        if n < 2:
            return _Pairs.empty()
        flat = bands.ravel()
        order, keys = _stable_argsort(flat)  # within a bucket: text order, so time order
        owner = order // self.bands
        fresh = np.ones(len(keys), dtype=bool)
        fresh[1:] = keys[1:] != keys[:-1]
        repeat = ~fresh
        repeat[1:] &= owner[1:] == owner[:-1]  # one text twice in a bucket (a collision)
        entry = np.flatnonzero(~repeat)
        keys, owner, fresh = keys[entry], owner[entry], fresh[entry]
        bucket = np.cumsum(fresh) - 1
        size = np.bincount(bucket)
        shared = size[bucket] > 1
        entry, keys, owner, fresh = entry[shared], keys[shared], owner[shared], fresh[shared]
        if not len(keys):
            return _Pairs.empty()
        bucket = np.cumsum(fresh) - 1
        at = np.arange(len(keys))
        reach = np.flatnonzero(fresh)[bucket]
        if self.window is not None:
            # Seconds (floored) with one to spare: the exact test is on the pairs.
            t = seconds[owner] - seconds.min()
            span_s = int(self.window.total_seconds()) + 1
            width = int(t.max()) + span_s + 1
            if (int(bucket[-1]) + 1) * width < 2**62:
                flat_t = bucket * width + t
                reach = np.maximum(reach, np.searchsorted(flat_t, flat_t - span_s, side="left"))
        lo = np.maximum(reach, at - self.bucket_partners)
        if new is not None:
            first = int(np.argmax(new)) if new.any() else n
            later = owner >= first
            if (later & ~new[owner] & (at - reach > self.bucket_partners)).any():
                return None
            lo = np.where(later, lo, at)
        # The entries text after text (the flat order of `bands`, no sort needed): a slice
        # of pairs then reads the rows of a few weeks of texts, which stay in the cache.
        place = np.full(len(flat), -1, dtype=np.int64)
        place[order[entry]] = at
        seq = place[place >= 0]
        count = (at - lo)[seq]
        some = count > 0
        seq, count = seq[some], count[some]
        return _Pairs(owner, owner[seq], lo[seq], count, new)

    def _bounded(self, texts: _Texts, facts: _Facts, pairs: np.ndarray) -> np.ndarray:
        """The pairs that pass every cheap test (as `i * n + j`; once per band shared): within the
        window, two members, and upper bounds of the similarity and the shared content
        words that reach the thresholds. Exact: a pair failing one can never be confirmed."""
        a, b = pairs[:, 0], pairs[:, 1]
        # The most selective tests first, the ones nearly every pair passes (time, authors)
        # last, on what is left; the wide gathers (bit sets, bag) after the per-text numbers.
        # (A bag of characters bounded the similarity too: after the blanks' bound it stopped
        # 3k of 12k pairs at a million posts, for 1.8 s of counting: gone.)
        need = np.where(
            facts.reply[a] & facts.reply[b],
            self.min_shared_words + self.reply_extra_words,
            self.min_shared_words,
        )
        fits = np.minimum(texts.content[a], texts.content[b]) >= need
        # rapidfuzz's ratio is 200·LCS/(|x|+|y|) (token_sort_ratio too, on the same characters):
        # the LCS is at most the shorter text.
        cut = self.min_similarity - _SLACK
        la, lb = texts.length[a], texts.length[b]
        fits &= 200 * np.minimum(la, lb) >= cut * (la + lb)
        a, b, need = a[fits], b[fits], need[fits]
        fits = _not_swapped(texts, a, b, self.max_swapped_names)  # most pairs from templates go here
        a, b, need = a[fits], b[fits], need[fits]
        # `shared_words` is an LCS of content words: at most the words the two share, at
        # most the words of a class that both have.
        shared = np.add.reduce(np.minimum(texts.words[a], texts.words[b]), axis=1, dtype=np.uint16)
        fits = (shared >= need) | (texts.content[a] > 255) | (texts.content[b] > 255)
        a, b = a[fits], b[fits]
        if facts.micro is not None and self.window is not None:
            fits = facts.micro[b] - facts.micro[a] <= self.window // _MICROSECOND
            a, b = a[fits], b[fits]
        if facts.author is not None:
            fits = facts.author[a] != facts.author[b]
            a, b = a[fits], b[fits]
        return a * len(texts.rows) + b

    def similarity(self, a: str, b: str) -> float:
        """How alike two folded texts are, 0-100: character edits, or the same words in
        another order."""
        return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))

    def _confirmed(
        self,
        texts: _Texts,
        posts: Sequence[Post],
        pairs: np.ndarray | _Pairs,
        seconds: np.ndarray | None = None,
    ) -> list[tuple[Post, Post]]:
        """The candidate pairs that are repeats. Cheap exact bounds first, over all pairs at
        once (time, authors, shared content words, lengths, blanks), then rapidfuzz on
        what is left, then the word and template tests, pair by pair."""
        if not len(pairs):
            return []
        rows = texts.rows
        eligible = [posts[r] for r in rows.tolist()]
        if seconds is None and self.window is not None:
            seconds = _seconds(eligible)
        facts = _Facts.of(eligible, seconds if self.window is not None else None, not self.own_repeats)
        chunks = pairs.chunks(_BOUND_CHUNK) if isinstance(pairs, _Pairs) else _slices(pairs, _BOUND_CHUNK)
        kept = [self._bounded(texts, facts, chunk) for chunk in chunks]
        code = _distinct(np.concatenate(kept))  # a pair shares several bands
        a, b = code // len(rows), code % len(rows)
        left_a, left_b = a.tolist(), b.tolist()
        folded = texts.folded(_distinct(np.concatenate([a, b])).tolist())
        alike = (
            process.cpdist(
                [folded[i] for i in left_a],
                [folded[i] for i in left_b],
                scorer=fuzz.ratio,
                score_cutoff=self.min_similarity,
                workers=1,
            )
            > 0
        )
        if not alike.all():
            # token_sort_ratio: each text's words sorted once (a text is in many pairs).
            rest = np.flatnonzero(~alike)
            ra, rb = a[rest], b[rest]
            by_row: list[str] = [""] * len(rows)
            for i in _distinct(np.concatenate([ra, rb])).tolist():
                by_row[i] = " ".join(sorted(folded[i].split()))
            alike[rest] = (
                process.cpdist(
                    [by_row[i] for i in ra.tolist()],
                    [by_row[i] for i in rb.tolist()],
                    scorer=fuzz.ratio,
                    score_cutoff=self.min_similarity,
                    workers=1,
                )
                > 0
            )
        out = []
        content: dict[int, list[str]] = {}
        blanks: dict[int, tuple[set[str], set[str]]] = {}
        for k in np.flatnonzero(alike).tolist():
            i, j = left_a[k], left_b[k]
            one, other = eligible[i], eligible[j]
            need_k = self.min_shared_words
            if one.parent is not None and other.parent is not None:
                need_k += self.reply_extra_words  # two replies in threads: conversation reuses phrases
            for r in (i, j):
                if r not in content:
                    content[r] = _content_words(folded[r])
            if LCSseq.similarity(content[i], content[j]) < need_k:
                continue
            for r in (i, j):
                if r not in blanks:
                    blanks[r] = _blanks(eligible[r].text, folded[r])
            if not self._swapped(blanks[i], blanks[j]):
                out.append((one, other))
        return out

    @staticmethod
    def shared_words(a: str, b: str) -> int:
        """How many content words (not courtesies nor grammar words) two folded texts share,
        in the same order."""
        return int(LCSseq.similarity(_content_words(a), _content_words(b)))

    def filled_template(self, a: str, b: str) -> bool:
        """Two texts from one template with different blanks filled in ("Une glycémie à 3,5
        g/L pour Simba" / "Une glycémie à 3,4 g/L pour Simba"; "Bonsoir, Oreo surveille…" /
        "Bonsoir, Ginger surveille…"): each has names or numbers the other lacks. A copied
        message gains a prefix or loses a word; it does not swap its names and numbers. The
        first word is not a blank: copies gain prefixes ("Je relaie : …" / "Vu sur … : …")."""
        return self._swapped((_slots(a), _words(a)), (_slots(b), _words(b)))

    def _swapped(self, a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> bool:
        """`filled_template` from each text's (slots, words)."""
        return min(len(a[0] - b[1]), len(b[0] - a[1])) >= self.max_swapped_names

    # -- runs --------------------------------------------------------------------------------

    def _links(self, posts: Sequence[Post], new: np.ndarray | None = None) -> list[tuple[Post, Post]] | None:
        """The confirmed repeats among `posts` (oldest first); with `new` (a mask over
        `posts`), only those with a new post, or None if only a full run is exact."""
        texts = self._texts([p.text for p in posts])
        fresh = None if new is None else new[texts.rows]
        if fresh is not None and not fresh.any():
            return []
        seconds = _seconds([posts[r] for r in texts.rows.tolist()])
        pairs = self._pairs(self._band_keys(texts), seconds, fresh)
        return None if pairs is None else self._confirmed(texts, posts, pairs, seconds)

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        links = self._links(data.posts if isinstance(data.posts, list) else list(data.posts)) or []
        groups = UnionFind()
        for a, b in links:
            groups.union(a.id, b.id)
        return self._signals(data, groups.groups(), _posts_of(links))

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Compare only the new posts with the posts of the window around them (through
        the bands); re-render only the groups they join."""
        mine = [s for s in previous if s.kind == self.kind]
        fresh = {p.id for p in new_posts}
        if not fresh:
            return mine
        posts: Sequence[Post] = data.posts
        if self.window is not None:
            posts = data.since(min(p.created_at for p in new_posts) - self.window)
        posts = posts if isinstance(posts, list) else list(posts)
        new = np.fromiter((p.id in fresh for p in posts), dtype=bool, count=len(posts))
        links = self._links(posts, new)
        if links is None:
            return self.detect(data, now)
        if not links:
            return mine
        groups = UnionFind()
        for signal in mine:
            for post_id in signal.posts[1:]:
                groups.union(signal.posts[0], post_id)
        for a, b in links:
            groups.union(a.id, b.id)
        touched = {groups.find(a.id) for a, _ in links}
        kept = [s for s in mine if groups.find(s.posts[0]) not in touched]
        redo = [g for g in groups.groups() if groups.find(g[0]) in touched]
        return kept + self._signals(data, redo, _posts_of(links))

    # -- one signal a group -----------------------------------------------------------------

    def _signals(
        self, data: CommunityData, groups: Sequence[list[str]], known: dict[str, Post]
    ) -> list[Signal]:
        missing = {i for group in groups for i in group if i not in known}
        by_id = {**known, **data.posts_by_id(missing)} if missing else known
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


def _posts_of(links: Iterable[tuple[Post, Post]]) -> dict[str, Post]:
    return {p.id: p for pair in links for p in pair}
