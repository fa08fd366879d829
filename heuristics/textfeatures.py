"""Text handling every text detector shares: cleaning, folding, tokens, lemmas, contacts.

One place, so that a phrase in a lexicon, a word in a post and a word in the community's
vocabulary are compared in the same form. The form is *folded*: lower case, accents removed,
curly apostrophes made straight, HTML entities and tags undone (comments imported from blogs
and YouTube carry `<br />`, `&#39;` and `<a href=...>`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import DictionaryFactory

# Zero-width characters and the byte-order mark that YouTube appends to every comment.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_APOSTROPHE = re.compile("[’‘ʼ`´]")
# Combining marks left by NFKD ("é" -> "e" + U+0301): removing them removes the accents.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,400}>")

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # a bare domain with a path ("shop.pl/x"), or a well-known ending, even spaced out to dodge
    # filters ("marketglory . com/x")
    r"|\b[a-z0-9][a-z0-9-]{1,62}\.[a-z]{2,6}/[^\s<>\"']*"
    r"|\b[a-z0-9][a-z0-9-]{1,62}\.(?:com|net|org|fr|be|ch|ca|io|co|me|tv|info|biz|shop|store|ly|gl|us|uk|de)"
    r"\b(?:/[^\s<>\"']*)?"
    r"|\b[a-z0-9][a-z0-9-]{1,62} ?\. ?(?:com|net|org)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Phone shapes only (international, French 0X XX XX XX XX, North American), so that a list of
# glucose readings ("350 400 250 300") or a view count is never taken for a phone number.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s.-]?\(?\d\)?(?:[\s.-]?\d){6,12}"
    r"|0\d(?:[\s.-]?\d{2}){4}"
    r"|\(?\d{3}\)?[.-]\d{3}[.-]\d{4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4})(?!\w)"
)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,30}\b")
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")


def clean(text: str) -> str:
    """Undo HTML (entities, `<br />`, links keep their address), drop invisible characters."""
    if "<" in text or "&" in text:
        text = html.unescape(text)
        text = _HREF.sub(lambda m: f" {m.group(1)} ", text)
        text = _TAG.sub(" ", text)
        text = html.unescape(text)  # double-escaped comments (&amp;#39;) exist
    if not text.isascii():
        text = _APOSTROPHE.sub("'", _INVISIBLE.sub("", text))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case without accents: "Abonnez-VOUS à ma boutique" -> "abonnez-vous a ma boutique"."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", _APOSTROPHE.sub("'", text.lower())))


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return fold(char)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text that remembers where each character came from, to quote the original."""

    original: str
    text: str
    origin: tuple[int, ...]
    tokens: frozenset[str] = frozenset()
    """The words of `text`, so a phrase list whose first words are all absent skips its scan."""

    @classmethod
    def of(cls, original: str) -> Folded:
        folded = fold(original)
        if len(folded) == len(original):  # the common case: one character each, same places
            return cls(original, folded, (), frozenset(_TOKEN.findall(folded)))
        out: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(original):
            piece = _fold_char(char)
            out.append(piece)
            origin.extend([index] * len(piece))
        text = "".join(out)
        return cls(original, text, tuple(origin), frozenset(_TOKEN.findall(text)))

    def source(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end:
            return ""
        if not self.origin:
            return self.original[start:end]
        return self.original[self.origin[start] : self.origin[end - 1] + 1]


def words(text: str) -> list[str]:
    """Lower-case words (accents kept, for the lemmatiser); apostrophes split ("n'hésitez")."""
    lowered = text.lower() if text.isascii() else _APOSTROPHE.sub("'", text.lower())
    return _WORD.findall(lowered.replace("'", " "))


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return fold(word)


_PIECES_MAX = 500_000


class Lemmatiser:
    """Folded lemmas of en/fr words: simplemma's, its dictionaries from `dictionaries` (a
    simplemma `DictionaryFactory` giving the very dictionaries simplemma ships, from a
    quicker source: decoding them costs ~0.35 s a language in each process that lemmatises),
    by default simplemma's own. What it works out is kept with it: a console keeps one."""

    def __init__(self, dictionaries: DictionaryFactory | None = None) -> None:
        self.dictionaries = dictionaries
        strategy = DefaultStrategy()
        if dictionaries is not None:
            strategy = DefaultStrategy(dictionary_factory=dictionaries)
        self._simplemma = simplemma.Lemmatizer(lemmatization_strategy=strategy)
        # simplemma is fast but per-word; the caches make re-reading a community cheap.
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)
        self.either = lru_cache(maxsize=200_000)(self._either)
        self.pieces: dict[tuple[str, frozenset[str], int], dict[str, frozenset[str]]] = {}
        """(first language, words dropped, shortest kept) -> a whitespace-separated piece of
        lowered text -> the lemmas of its words (`distinct_lemmas`)."""

    def _lemma(self, word: str, lang: str) -> str:
        return fold(self._simplemma.lemmatize(word, lang))

    def _either(self, word: str, first: str) -> str:
        """The first of `word`'s lemmas in `first`, then the other language, that is not the
        word itself; else the word, folded."""
        folded = _fold_word(word)
        for code in (first, "fr" if first == "en" else "en"):
            lemma = self.lemma(word, code)
            if lemma != folded:
                return lemma
        return folded


#: simplemma's own dictionaries: what a caller that passes no lemmatiser gets.
LEMMATISER = Lemmatiser()


def lemmas(text: str, lang: str | None, lemmatiser: Lemmatiser = LEMMATISER) -> list[str]:
    """Folded lemmas of `text`, trying `lang` first and then the other language (members of a
    bilingual group mix them); without a language, French then English."""
    # One cached call a word: a community's texts repeat the same few thousand words.
    first = "en" if lang == "en" else "fr"
    either = lemmatiser.either
    return [either(word, first) for word in words(text) if not word.isdigit()]


def distinct_lemmas(
    text: str,
    lang: str | None,
    drop: frozenset[str] = frozenset(),
    min_len: int = 0,
    lemmatiser: Lemmatiser = LEMMATISER,
) -> set[str]:
    """`set(lemmas(text, lang))` without the lemmas in `drop` or shorter than `min_len`
    (off topic reads the content words of a quarter's posts on every run)."""
    # A match of `_WORD` never spans whitespace, so a text's words are its pieces' words; a
    # community's texts share a few hundred thousand pieces, so a text costs a split, a set
    # and a C-level map instead of a regex pass and a call per word.
    first = "en" if lang == "en" else "fr"
    key = (first, drop, min_len)
    table = lemmatiser.pieces.get(key)
    if table is None:
        table = lemmatiser.pieces.setdefault(key, {})
    lowered = text.lower() if text.isascii() else _APOSTROPHE.sub("'", text.lower())
    pieces = set(lowered.replace("'", " ").split())
    try:
        return set().union(*map(table.__getitem__, pieces))
    except KeyError:
        if len(table) > _PIECES_MAX:  # bounded, like the lru caches
            table.clear()
        for piece in pieces:
            if piece not in table:
                found = (lemmatiser.either(w, first) for w in _WORD.findall(piece) if not w.isdigit())
                table[piece] = frozenset(w for w in found if len(w) >= min_len and w not in drop)
        return set().union(*map(table.__getitem__, pieces))


# -- reading a raw text word by word (the promotional screen) ------------------------------
#
# `Folded.of(clean(text))` costs a few microseconds a text; a screen that runs over every
# comment of a community reads the raw text instead, one `\w+` run at a time, and folds each
# distinct word once. That is exact only when cleaning and folding map the raw text's runs one
# to one onto the folded text's runs: no HTML to undo, no invisible character to drop, and no
# character that folds to several (or none: combining accents) or changes from word to
# non-word character when folded. `unscreenable` finds the characters that break this.

# Blocks whose characters are checked one by one (Latin, Greek, Cyrillic, punctuation, symbols,
# emoji); a character outside them sends its text the slow, exact way.
_SCREENED_BLOCKS = ((0x0000, 0x3000), (0x1F000, 0x1FB00))


@lru_cache(maxsize=1)
def _screen_chars() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    word = re.compile(r"\w")
    unsafe: list[int] = [ord("<"), ord("&"), 0x03A3]  # HTML; capital sigma lowers by context
    preimages: dict[str, list[str]] = {}
    for lo, hi in _SCREENED_BLOCKS:
        for code in range(lo, hi):
            char = chr(code)
            if 0xD800 <= code < 0xE000 or _INVISIBLE.match(char):
                unsafe.append(code)
                continue
            folded = fold(char)
            if (
                len(folded) != 1
                or (word.match(char) is None) != (word.match(folded) is None)
                or (char.isdecimal() and not "0" <= char <= "9")  # screens read [0-9] for \d
            ):
                unsafe.append(code)
            elif word.match(folded) is None:
                preimages.setdefault(folded, []).append(char)
    covered = 0
    for lo, hi in _SCREENED_BLOCKS:  # what lies between the blocks is unsafe too
        unsafe.extend(range(covered, lo))
        covered = hi
    runs: list[list[int]] = []
    for code in sorted(set(unsafe)):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    runs.append([covered, 0x10FFFF])

    def char_class(pairs: list[list[int]]) -> re.Pattern[str]:
        body = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in pairs)
        return re.compile(f"[{body}]")

    # Split at the end of the basic plane: a class within it is a bitmap the matcher reads at
    # once; one that reaches past it is a list of ranges tried in turn (forty times slower).
    # The first pattern stops at any character past the plane too (one range, as fast).
    basic = [[a, min(b, 0xFFFF)] for a, b in runs if a <= 0xFFFF]
    astral = [[max(a, 0x10000), b] for a, b in runs if b > 0xFFFF]
    first = re.compile(f"{char_class(basic).pattern}|[\U00010000-\U0010ffff]")
    return first, char_class(astral), {k: "".join(v) for k, v in preimages.items()}


def unscreenable(text: str) -> bool:
    r"""True when `text` holds a character after which its `\w+` runs, folded one by one, are
    not the runs of `Folded.of(clean(text)).text` (see above): read such a text in full."""
    if text.isascii():
        return "<" in text or "&" in text
    basic, astral, _ = _screen_chars()
    found = basic.search(text)
    if found is None:
        return False
    if found.group() <= "\uffff":
        return True
    # The first was past the basic plane (an emoji, mostly): look closer there and after it.
    return astral.search(text) is not None or basic.search(text, found.end()) is not None


def folds_to(char: str) -> str:
    """Every non-word character of the screened blocks that folds to `char`."""
    return _screen_chars()[2].get(char, char)


def word_runs(text: str) -> list[str]:
    r"""The `\w+` runs of `text`, as written."""
    return _TOKEN.findall(text)


def urls(text: str) -> list[str]:
    if "." not in text:  # every address has a dot; most texts have none worth a scan
        return []
    return [m.group(0).rstrip(".,;:!?)") for m in URL.finditer(text)]


# Referral codes, tracking tags and link shorteners: someone is counting the clicks.
_TRACKED = re.compile(
    r"[?&#](?:ref|r|aff|affiliate|utm_\w+|invite|code|id)=|/ref/|/share/|/invite/|"
    r"^(?:https?://)?(?:www\.)?(?:bit\.ly|goo\.gl|tinyurl\.com|t\.co|ow\.ly|adf\.ly|shhort\.com|"
    r"linkbucks\.com|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at)\b",
    re.IGNORECASE,
)


def tracked(url: str) -> bool:
    """A referral, tracking or shortened link ("?ref=…", "bit.ly/…")."""
    return bool(_TRACKED.search(url))


def domain(url: str) -> str:
    """The host of a URL without "www.", folded: "https://www.Shop.fr/x" -> "shop.fr"."""
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split("?", 1)[0]
    return host.removeprefix("www.").removeprefix("m.")


def emails(text: str) -> list[str]:
    return EMAIL.findall(text) if "@" in text else []


def phones(text: str) -> list[str]:
    return [m.group(0) for m in PHONE.finditer(text)]


def handles(text: str) -> list[str]:
    return HANDLE.findall(text) if "@" in text else []


def _phrase_pattern(phrase: str) -> str:
    """Regex body of one lexicon entry: `*` = any ending, `~` = any one word (or none)."""
    body = ""
    pending_separator = False
    for token in re.split(r"[\s'-]+", fold(phrase)):
        if not token:
            continue
        if token == "~":
            body += (r"[\s'-]+" if pending_separator else "") + r"(?:\w+[\s'-]+)?"
            pending_separator = False
            continue
        if pending_separator:
            body += r"[\s'-]+"
        body += re.escape(token.rstrip("*")) + (r"\w*" if token.endswith("*") else "")
        pending_separator = True
    return body


@dataclass(frozen=True, slots=True)
class PhraseList:
    """A list of words and phrases matched on folded text, on word boundaries.

    A trailing `*` matches any word ending ("subscrib*"), `~` stands for any one word or none
    ("check* ~ out" finds "check it out", "checking them out"); spaces match any run of spaces,
    hyphens or apostrophes ("abonnez vous" finds "abonnez-vous"). Matches are returned as they were written
    in the list, so a reason quotes the lexicon entry a moderator can look up.
    """

    phrases: tuple[str, ...]
    pattern: re.Pattern[str]
    singles: tuple[re.Pattern[str], ...]
    """One pattern per entry, to name the entry behind a match (named groups in the big
    alternation would make every search some twenty times slower)."""
    firsts: frozenset[str] = frozenset()
    """First words of the entries: a text holding none of them cannot match..."""
    prefixes: re.Pattern[str] | None = None
    """...nor any word starting like an entry's first word ("subscri*")..."""
    always: bool = True
    """...unless some entry starts with something else ("€", "% off"): then always scan."""

    @staticmethod
    def _openings(phrases: Iterable[str]) -> tuple[frozenset[str], re.Pattern[str] | None, bool]:
        firsts: set[str] = set()
        prefixes: set[str] = set()
        always = False
        for phrase in phrases:
            first = next((t for t in re.split(r"[\s'-]+", fold(phrase)) if t), "")
            if first.endswith("*") and re.fullmatch(r"\w+", first[:-1]):
                prefixes.add(first[:-1])
            elif re.fullmatch(r"\w+", first):
                firsts.add(first)
            else:
                always = True
        if not prefixes:
            return frozenset(firsts), None, always
        return (
            frozenset(firsts),
            re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(prefixes))) + ")"),
            always,
        )

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseList:
        unique = tuple(dict.fromkeys(p.strip() for p in phrases if p.strip()))
        if not unique:
            return cls((), re.compile(r"(?!x)x"), (), always=False)
        bodies = [_phrase_pattern(p) for p in unique]
        # Longer entries first in the alternation, so "check out my" wins over "check out".
        order = sorted(range(len(unique)), key=lambda i: -len(unique[i]))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(bodies[i] for i in order) + r")(?!\w)")
        firsts, prefixes, always = cls._openings(unique)
        return cls(unique, pattern, tuple(re.compile(b) for b in bodies), firsts, prefixes, always)

    @classmethod
    def pairs(cls, firsts: Iterable[str], seconds: Iterable[str], gap: int = 2) -> PhraseList:
        """One entry: any of `firsts`, up to `gap` words, any of `seconds` ("my new music channel")."""
        firsts, seconds = tuple(firsts), tuple(seconds)
        one = "|".join(_phrase_pattern(p) for p in sorted(set(firsts), key=len, reverse=True))
        two = "|".join(_phrase_pattern(p) for p in sorted(set(seconds), key=len, reverse=True))
        body = rf"(?:{one})[\s'-]+(?:\w+[\s'-]+){{0,{gap}}}?(?:{two})"
        label = f"{'/'.join(firsts)} … {'/'.join(seconds)}"
        openings = cls._openings(firsts)
        return cls((label,), re.compile(rf"(?<!\w){body}(?!\w)"), (re.compile(body),), *openings)

    def may_match(self, text: Folded) -> bool:
        if self.always or not text.tokens or self.firsts & text.tokens:
            return True
        return self.prefixes is not None and self.prefixes.search(text.text) is not None

    def finditer(self, text: Folded) -> Iterator[re.Match[str]]:
        """The matches in `text.text` (none, quickly, when no entry's first word is there)."""
        if not self.may_match(text):
            return iter(())
        return self.pattern.finditer(text.text)

    def find(self, text: Folded) -> list[str]:
        """The words of `text` that matched, as written there, one per occurrence, in order."""
        return [text.source(m.start(), m.end()).strip() for m in self.finditer(text)]

    def entries(self, text: Folded) -> list[tuple[str, int, int]]:
        """(lexicon entry, start, end in the folded text) for each match."""
        out: list[tuple[str, int, int]] = []
        for match in self.finditer(text):
            found = match.group(0)
            entry = next(
                (p for p, single in zip(self.phrases, self.singles, strict=True) if single.fullmatch(found)),
                found,
            )
            out.append((entry, match.start(), match.end()))
        return out


def quote(items: Sequence[str], limit: int = 4) -> str:
    """'"a", "b", "c" and 2 more' — for reasons a moderator reads."""
    unique = list(dict.fromkeys(items))
    shown = ", ".join(f'"{item}"' for item in unique[:limit])
    more = len(unique) - limit
    return f"{shown} and {more} more" if more > 0 else shown
