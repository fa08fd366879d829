"""detect_lang: py3langid restricted to en/fr; too short or unsure -> None."""

from __future__ import annotations

import pytest

from heuristics.language import detect_lang


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (["Bonjour à tous, mon chat Caramel vient d'être diagnostiqué diabétique."], "fr"),
        (["Hello everyone, my cat was diagnosed with diabetes last week."], "en"),
        (["Merci beaucoup", "on commence l'insuline demain matin", "il va mieux"], "fr"),
        (["Thanks!", "we start insulin tomorrow morning", "he is doing better"], "en"),
        (['Merci&#39;<br />je suis perdue avec les courbes <a href="http://x.fr">ici</a>'], "fr"),
    ],
)
def test_detects_english_and_french(texts: list[str], lang: str) -> None:
    assert detect_lang(texts) == lang


@pytest.mark.parametrize(
    "texts", [[], ["ok"], ["merci !"], ["lol", "👍", "ok"], ["http://www.example.com/a/b/c/d"]]
)
def test_short_texts_give_none(texts: list[str]) -> None:
    assert detect_lang(texts) is None


def test_only_english_or_french_is_ever_returned() -> None:
    german = ["Meine Katze hat Diabetes und bekommt jeden Tag zweimal Insulin vom Tierarzt."]
    assert detect_lang(german) in {"en", "fr", None}


def test_the_threshold_is_a_parameter() -> None:
    text = ["merci pour tout"]
    assert detect_lang(text, min_letters=30) is None
    assert detect_lang(text, min_letters=5, min_confidence=0.5) == "fr"


def test_the_identifier_holds_no_table_for_other_languages() -> None:
    # A console keeps the identifier for its lifetime: the 97-language table py3langid's
    # `set_languages` keeps beside the restricted one would be ~27 MiB held for nothing.
    import numpy as np

    from heuristics.language import _identifier

    identifier = _identifier()
    held: list[object] = []
    for name in type(identifier).__slots__:
        value = getattr(identifier, name, None)
        held.extend(value if isinstance(value, tuple) else [value])
    tables = [a for a in held if isinstance(a, np.ndarray) and a.size > 2]
    assert tables
    assert all(a.shape[-1] == 2 for a in tables), [a.shape for a in tables]
