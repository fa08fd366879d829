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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import simplemma

# Zero-width characters and the byte-order mark that YouTube appends to every comment.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,400}>")
_SPACES = re.compile(r"\s+")

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
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")


def clean(text: str) -> str:
    """Undo HTML (entities, `<br />`, links keep their address), drop invisible characters."""
    if "<" in text or "&" in text:
        text = html.unescape(text)
        text = _HREF.sub(lambda m: f" {m.group(1)} ", text)
        text = _TAG.sub(" ", text)
        text = html.unescape(text)  # double-escaped comments (&amp;#39;) exist
    text = text.translate(_INVISIBLE).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without accents: "Abonnez-VOUS à ma boutique" -> "abonnez-vous a ma boutique"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text that remembers where each character came from, to quote the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> Folded:
        if original.isascii():  # the common case: one character each, same places
            return cls(original, original.lower(), ())
        out: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(original):
            piece = fold(char)
            out.append(piece)
            origin.extend([index] * len(piece))
        return cls(original, "".join(out), tuple(origin))

    def source(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end:
            return ""
        if not self.origin:
            return self.original[start:end]
        return self.original[self.origin[start] : self.origin[end - 1] + 1]


def words(text: str) -> list[str]:
    """Lower-case words (accents kept, for the lemmatiser); apostrophes split ("n'hésitez")."""
    return _WORD.findall(text.lower().translate(_APOSTROPHES).replace("'", " "))


@lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    # simplemma is fast but per-word; the cache makes re-reading a community cheap.
    return fold(simplemma.lemmatize(word, lang=lang))


def lemmas(text: str, lang: str | None) -> list[str]:
    """Folded lemmas of `text`, trying `lang` first and then the other language (members of a
    bilingual group mix them); without a language, French then English."""
    langs = ("fr", "en") if lang != "en" else ("en", "fr")
    out: list[str] = []
    for word in words(text):
        if word.isdigit():
            continue
        folded = fold(word)
        lemma = folded
        for code in langs:
            lemma = _lemma(word, code)
            if lemma != folded:
                break
        out.append(lemma)
    return out


def urls(text: str) -> list[str]:
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
    return EMAIL.findall(text)


def phones(text: str) -> list[str]:
    return [m.group(0) for m in PHONE.finditer(text)]


def handles(text: str) -> list[str]:
    return HANDLE.findall(text)


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

    @classmethod
    def of(cls, phrases: Iterable[str]) -> PhraseList:
        unique = tuple(dict.fromkeys(p.strip() for p in phrases if p.strip()))
        if not unique:
            return cls((), re.compile(r"(?!x)x"), ())
        bodies = [_phrase_pattern(p) for p in unique]
        # Longer entries first in the alternation, so "check out my" wins over "check out".
        order = sorted(range(len(unique)), key=lambda i: -len(unique[i]))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(bodies[i] for i in order) + r")(?!\w)")
        return cls(unique, pattern, tuple(re.compile(b) for b in bodies))

    @classmethod
    def pairs(cls, firsts: Iterable[str], seconds: Iterable[str], gap: int = 2) -> PhraseList:
        """One entry: any of `firsts`, up to `gap` words, any of `seconds` ("my new music channel")."""
        firsts, seconds = tuple(firsts), tuple(seconds)
        one = "|".join(_phrase_pattern(p) for p in sorted(set(firsts), key=len, reverse=True))
        two = "|".join(_phrase_pattern(p) for p in sorted(set(seconds), key=len, reverse=True))
        body = rf"(?:{one})[\s'-]+(?:\w+[\s'-]+){{0,{gap}}}?(?:{two})"
        label = f"{'/'.join(firsts)} … {'/'.join(seconds)}"
        return cls((label,), re.compile(rf"(?<!\w){body}(?!\w)"), (re.compile(body),))

    def find(self, text: Folded) -> list[str]:
        """The words of `text` that matched, as written there, one per occurrence, in order."""
        return [text.source(m.start(), m.end()).strip() for m in self.pattern.finditer(text.text)]

    def entries(self, text: Folded) -> list[tuple[str, int, int]]:
        """(lexicon entry, start, end in the folded text) for each match."""
        out: list[tuple[str, int, int]] = []
        for match in self.pattern.finditer(text.text):
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
