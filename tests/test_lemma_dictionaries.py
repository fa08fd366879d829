"""simplemma's dictionaries kept decoded in the user's cache (console/lemma_dictionaries.py):
the very dictionaries simplemma ships, read back without decoding, rebuilt when damaged, and
lemmas equal to simplemma's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

import console.lemma_dictionaries as cache_mod
from console.config import lemma_cache_dir
from console.lemma_dictionaries import CachedDictionaries
from heuristics.textfeatures import LEMMATISER, Lemmatiser, distinct_lemmas, fold, lemmas

WORDS = (
    "Les chats diabétiques mangeaient mieux après les injections d'insuline ; mon vétérinaire "
    "m'a conseillé des croquettes. The cats were eating better, my vet recommended kibbles, "
    "running tested glucose curves, hypoglycémie, zzqxj unknownword"
)


def _simplemma(lang: str) -> dict[str, str]:
    return dict(DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang).items())


def test_the_dictionaries_are_simplemmas_and_come_back_from_the_file_undecoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_mod._dictionary.cache_clear()
    first = CachedDictionaries(tmp_path).get_dictionary("en")
    assert first == _simplemma("en")
    assert CachedDictionaries(tmp_path).path("en").exists()
    cache_mod._dictionary.cache_clear()  # as a new process

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr(cache_mod, "DefaultDictionaryFactory", no_decoding)
    assert CachedDictionaries(tmp_path).get_dictionary("en") == first


def test_a_damaged_file_is_decoded_again_and_rewritten(tmp_path: Path) -> None:
    cache_mod._dictionary.cache_clear()
    source = CachedDictionaries(tmp_path)
    good = source.get_dictionary("en")
    file = source.path("en")
    raw = file.read_bytes()
    for damaged in (raw[: len(raw) // 2], raw[:10], b"", raw.replace(b"\0", b"\1", 1)):
        file.write_bytes(damaged)
        cache_mod._dictionary.cache_clear()
        assert CachedDictionaries(tmp_path).get_dictionary("en") == good
        assert file.read_bytes() == raw  # written again


def test_lemmas_from_the_kept_dictionaries_equal_simplemmas(tmp_path: Path) -> None:
    cache_mod._dictionary.cache_clear()
    kept = Lemmatiser(CachedDictionaries(tmp_path))
    for lang in ("en", "fr", None):
        assert lemmas(WORDS, lang, kept) == lemmas(WORDS, lang) == lemmas(WORDS, lang, LEMMATISER)
        assert distinct_lemmas(WORDS, lang, frozenset({"le"}), 3, kept) == distinct_lemmas(
            WORDS, lang, frozenset({"le"}), 3
        )
    for word in ("mangeaient", "chats", "running", "vétérinaire", "zzqxj"):
        for lang in ("en", "fr"):
            assert kept.lemma(word, lang) == LEMMATISER.lemma(word, lang)
            assert kept.lemma(word, lang) == fold(simplemma.lemmatize(word, lang=lang))


def test_a_tacts_signal_runs_lemmatise_with_the_users_cache(tact) -> None:  # type: ignore[no-untyped-def]
    from console.signals_service import load_data

    data = load_data(tact)
    assert data.lemmatiser is tact.lemmatiser is load_data(tact).lemmatiser  # kept with the Tact
    assert tact.lemmatiser.dictionaries == CachedDictionaries(lemma_cache_dir())
    assert not str(lemma_cache_dir()).startswith(str(Path.home()))  # the session's own (conftest)
