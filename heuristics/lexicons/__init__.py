"""Word lists per language, as Python data (heuristics do no I/O).

Each language module (`en`, `fr`) defines the same names; `LEXICONS[lang]` gives it. Entries
are matched on folded text (see `textfeatures.PhraseList`): case and accents don't matter, a
trailing `*` matches any ending, spaces also match hyphens and apostrophes. Communities extend
some lists through detector parameters (e.g. `AgainstMissionDetector(extra_words=...)`).
"""

from __future__ import annotations

from types import ModuleType

from heuristics.lexicons import en, fr
from heuristics.model import Lang

LEXICONS: dict[Lang, ModuleType] = {"en": en, "fr": fr}


def merged(name: str, langs: tuple[Lang, ...] = ("en", "fr")) -> tuple[str, ...]:
    """The list `name` of several languages, in order, without duplicates."""
    out: dict[str, None] = {}
    for lang in langs:
        out.update(dict.fromkeys(getattr(LEXICONS[lang], name)))
    return tuple(out)
