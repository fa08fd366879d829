"""Which language (en or fr) a member writes in, from their texts.

py3langid restricted to English and French, with two guards a moderator would ask for:
texts too short to tell ("ok", "merci !", "lol") give None rather than a coin toss, and so
does a verdict below `min_confidence`. The console calls this for members whose record has
no `lang`, and falls back to the community's language when it gets None.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from heuristics.model import LANGS, Lang
from heuristics.textfeatures import URL, clean

#: Fewer letters than this (links and digits aside) and we don't guess.
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.9
#: Enough text to be sure; more only costs time.
MAX_CHARS = 4000


@cache
def _identifier() -> Any:
    # Loaded once a process (about a second): the model ships in the py3langid wheel.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(list(LANGS))
    # `set_languages` keeps the full 97-language table beside the restricted one, ~27 MiB a
    # console would hold for nothing: the identifier kept is built from the restricted one.
    return LanguageIdentifier(
        full.nb_ptc,
        full.nb_pc,
        full.nb_classes,
        full.tk_nextmove,
        full.tk_output,
        norm_probs=True,
        tk_row=full.tk_row,
    )


def detect_lang(
    texts: Iterable[str], min_letters: int = MIN_LETTERS, min_confidence: float = MIN_CONFIDENCE
) -> Lang | None:
    """The language of `texts` taken together, or None when too short or unsure."""
    parts: list[str] = []
    size = 0
    for text in texts:
        plain = URL.sub(" ", clean(text))
        parts.append(plain)
        size += len(plain)
        if size >= MAX_CHARS:
            break
    joined = " ".join(parts)[:MAX_CHARS]
    if sum(c.isalpha() for c in joined) < min_letters:
        return None
    lang, confidence = _identifier().classify(joined)
    if lang not in LANGS or confidence < min_confidence:
        return None
    return "fr" if lang == "fr" else "en"
