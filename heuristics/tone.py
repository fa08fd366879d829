"""The tone check: reads a moderator's own draft and points out where it turns frontal.

Moderators set the tone of their group; a reply that reads as a rule being enforced
("no self-promo here!!!") tends to start the very drift it wants to stop. This module finds
four things in a draft, in English and in French:

- prohibitions ("not allowed", "forbidden", "no self-promo", "interdit", "pas de pub ici",
  "ce n'est pas autorisé"): the whole sentence is offered a redirecting rewording;
- shouting capitals (a run of words in capitals): offered in lower case;
- runs of exclamation marks ("!!!"): offered as one;
- blame in the second person ("you should have", "you must", "tu aurais dû", "vous devez"):
  offered as a suggestion for next time.

Each finding carries its span in the draft and a gentler text for that span, so the
composer can show it beside the draft and apply it. Pure: no I/O, no UI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import simplemma

from heuristics.model import Lang

ToneKind = Literal["prohibition", "shouting", "exclamation", "blame"]

#: What each kind of finding means, said quietly (the composer shows it beside the draft).
MESSAGES: dict[ToneKind, str] = {
    "prohibition": "reads as a rule being enforced; a redirect invites instead",
    "shouting": "capitals read as shouting",
    "exclamation": "several exclamation marks read as alarm or anger",
    "blame": "blames the member; a suggestion for next time lands better",
}


@dataclass(frozen=True, slots=True)
class ToneFinding:
    start: int
    end: int
    """`text[start:end]` is the frontal part."""
    kind: ToneKind
    lang: Lang
    """The language of the matched words (and of `suggestion`)."""
    matched: str
    """`text[start:end]` as it was checked (the whole sentence, for a prohibition)."""
    suggestion: str
    """A gentler text to put in place of `text[start:end]`."""

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


_APOS = "['’]"

# Prohibitions: (pattern, language, topic). The topic picks the redirect offered.
_PROHIBITION_SOURCES: tuple[tuple[str, Lang, str], ...] = (
    (r"\bno\s+self[- ]?promo(?:tion)?s?\b", "en", "promo"),
    (r"\bno\s+(?:ads|advertising|advertisements?|spam)\b", "en", "promo"),
    (r"\bnot\s+(?:allowed|permitted|tolerated)\b", "en", "rule"),
    (r"\b(?:forbidden|prohibited|banned)\b", "en", "rule"),
    (r"\b(?:do\s+not|don" + _APOS + r"t)\s+post\b", "en", "rule"),
    (r"\bpas\s+de\s+pub(?:licit[ée]s?)?\b", "fr", "promo"),
    (r"\b(?:auto-?promo(?:tion)?)\s+(?:est\s+)?interdite?s?\b", "fr", "promo"),
    (r"\binterdite?s?\b", "fr", "rule"),
    (
        r"\b(?:n"
        + _APOS
        + r"est|c"
        + _APOS
        + r"est)\s+pas\s+(?:autoris[ée]e?s?|permise?s?|tol[ée]r[ée]e?s?)",
        "fr",
        "rule",
    ),
    (r"\bpas\s+(?:autoris[ée]e?s?|permise?s?)\b", "fr", "rule"),
    (r"\bnon\s+autoris[ée]e?s?\b", "fr", "rule"),
)
_PROHIBITIONS = tuple((re.compile(p, re.IGNORECASE), lang, topic) for p, lang, topic in _PROHIBITION_SOURCES)

#: The redirect offered for a prohibition sentence (DEVELOPERS.md: thank, then invite).
_REDIRECTS: dict[tuple[Lang, str], str] = {
    ("en", "promo"): (
        "Thank you for introducing yourself! We'd love to hear your own story: "
        "what works well for you, and what works less well?"
    ),
    ("en", "rule"): (
        "This group works best when we stay close to what we share here; "
        "would you tell us a little more about your own experience?"
    ),
    ("fr", "promo"): (
        "Merci de vous être présenté·e ! Nous aimerions beaucoup connaître votre histoire : "
        "qu'est-ce qui marche bien pour vous, et moins bien ?"
    ),
    ("fr", "rule"): (
        "Le groupe fonctionne mieux quand on reste proche de ce qui nous réunit ; "
        "pourriez-vous nous en dire un peu plus sur votre expérience ?"
    ),
}

# Blame in the second person: (pattern, language, rewrite of the match).
_Rewrite = Callable[[re.Match[str]], str]


def _fixed(text: str) -> _Rewrite:
    return lambda _m: text


_IRREGULAR = {
    "gone": "go", "done": "do", "been": "be", "seen": "see", "taken": "take", "told": "tell",
    "written": "write", "given": "give", "made": "make", "had": "have", "said": "say",
    "got": "get", "gotten": "get", "brought": "bring", "thought": "think", "bought": "buy",
    "kept": "keep", "left": "leave", "sent": "send", "put": "put", "read": "read",
    "asked": "ask", "checked": "check", "waited": "wait", "posted": "post",
}  # fmt: skip


def _base_form(word: str) -> str:
    low = word.lower()
    return _IRREGULAR.get(low) or str(simplemma.lemmatize(low, lang="en"))


def _should_have(m: re.Match[str]) -> str:
    verb = m.group("verb")
    return f"next time, it may help to {_base_form(verb)}" if verb else "next time, it may help to"


_BLAME_SOURCES: tuple[tuple[str, Lang, _Rewrite], ...] = (
    (
        r"\byou\s+(?:should|shouldn" + _APOS + r"t|ought\s+to)\s+have(?:\s+(?P<verb>[a-z]+))?",
        "en",
        _should_have,
    ),
    (r"\byou\s+(?:must|have\s+to|need\s+to)\b", "en", _fixed("you could")),
    (r"\byou\s+should\b", "en", _fixed("you could")),
    (r"\btu\s+aurais\s+d[ûu]\b", "fr", _fixed("la prochaine fois, tu pourrais")),
    (r"\bvous\s+auriez\s+d[ûu]\b", "fr", _fixed("la prochaine fois, vous pourriez")),
    (r"\bvous\s+devez\b", "fr", _fixed("vous pourriez")),
    (r"\btu\s+dois\b", "fr", _fixed("tu pourrais")),
)
_BLAME = tuple((re.compile(p, re.IGNORECASE), lang, rewrite) for p, lang, rewrite in _BLAME_SOURCES)

_UPPER = "A-ZÀ-ÖØ-Þ"
# A run of words in capitals (letters only, at least two of them a word), e.g. "STOP POSTING".
_SHOUT = re.compile(rf"\b[{_UPPER}]{{2,}}(?:[ \t,'’-]+[{_UPPER}]{{2,}})*\b")
#: Capitalised words that are names, not shouting.
_ACRONYM_LIST = "OK FIV FELV URL PDF USA UK EU HTML ASAP FAQ FYI DM PM SMS USB TV PS NB RDV SVP MP IA AI BG"
_ACRONYMS = frozenset(re.findall(r"\S+", _ACRONYM_LIST + " GS IM SC UI ID PZI NPH AAHA ISFM CKD UTI"))
_EXCLAIM = re.compile(r"!{2,}|(?:![ \t]*){3,}")
_GREETING = re.compile(
    r"(?:hi|hello|hey|dear|bonjour|bonsoir|salut|coucou|chère?)\b[^,.!?\n]{0,40},\s*", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”»)]*|\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence holding text[start:end], terminal punctuation included."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    after = _SENTENCE_END.search(text, end)
    right = after.end() if after else len(text)
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    # Keep the greeting: "Hi Anna, no ads here." rewords only what follows "Hi Anna, ".
    greeting = _GREETING.match(text, left, start)
    if greeting:
        left = greeting.end()
    return left, right


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\"'«“(")
    return not before or before[-1] in ".!?…\n:"


def _match_case(text: str, at: int, suggestion: str) -> str:
    if not suggestion:
        return suggestion
    first = suggestion[0].upper() if _starts_sentence(text, at) else suggestion[0].lower()
    return first + suggestion[1:]


def _shouting(text: str) -> Iterable[ToneFinding]:
    for m in _SHOUT.finditer(text):
        words = re.findall(rf"[{_UPPER}]+", m.group())
        loud = [w for w in words if w not in _ACRONYMS]
        # One short word in capitals is emphasis or a name; shouting is longer than that.
        if not loud or (len(loud) == 1 and len(loud[0]) < 4) or sum(map(len, loud)) < 5:
            continue
        lang: Lang = "fr" if re.search(r"[À-ÖØ-Þ]", m.group()) else "en"
        lowered = _match_case(text, m.start(), m.group().lower())
        yield ToneFinding(m.start(), m.end(), "shouting", lang, m.group(), lowered)


def check_tone(text: str, lang: Lang | None = None) -> list[ToneFinding]:
    """Every frontal spot of `text`, in order, with a gentler text for each.

    `lang` is the draft's language when known; it only decides the language of the
    redirect offered when a prohibition is written in the other one (a French reply that
    quotes "not allowed" still gets a French redirect).
    """
    found: list[ToneFinding] = []
    sentences: set[tuple[int, int]] = set()
    for pattern, plang, topic in _PROHIBITIONS:
        for m in pattern.finditer(text):
            start, end = _sentence_around(text, m.start(), m.end())
            if (start, end) in sentences:
                continue
            sentences.add((start, end))
            out_lang: Lang = lang or plang
            found.append(
                ToneFinding(
                    start,
                    end,
                    "prohibition",
                    out_lang,
                    text[start:end],
                    _match_case(text, start, _REDIRECTS[(out_lang, topic)]),
                )
            )
    for pattern, plang, rewrite in _BLAME:
        for m in pattern.finditer(text):
            found.append(
                ToneFinding(
                    m.start(), m.end(), "blame", plang, m.group(), _match_case(text, m.start(), rewrite(m))
                )
            )
    found.extend(_shouting(text))
    for m in _EXCLAIM.finditer(text):
        found.append(ToneFinding(m.start(), m.end(), "exclamation", lang or "en", m.group(), "!"))
    return _without_overlaps(found)


def _without_overlaps(found: list[ToneFinding]) -> list[ToneFinding]:
    """Keep the widest finding where several overlap (a prohibition sentence contains the
    capitals and the "!!!" it is written with: rewording the sentence fixes all three)."""
    kept: list[ToneFinding] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def apply(text: str, findings: Iterable[ToneFinding]) -> str:
    """`text` with each finding's span replaced by its suggestion (overlaps skipped)."""
    out = text
    last_start = len(text) + 1
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        # A finding from an older draft no longer matches its span: skip it, never garble.
        if f.end > last_start or out[f.start : f.end] != f.matched:
            continue
        out = out[: f.start] + f.suggestion + out[f.end :]
        last_start = f.start
    return out


def gentler(text: str, lang: Lang | None = None) -> str:
    """The whole draft with every finding applied: what the composer offers in one key."""
    return apply(text, check_tone(text, lang))
