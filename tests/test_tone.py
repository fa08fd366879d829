"""The tone check finds frontal wording in both languages and offers a gentler text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heuristics.tone import apply, check_tone, gentler


def kinds(text: str) -> list[str]:
    return [f.kind for f in check_tone(text)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Self-promotion is not allowed here.", "en"),
        ("Links to shops are forbidden.", "en"),
        ("No self-promo please.", "en"),
        ("La publicité est interdite.", "fr"),
        ("Pas de pub ici.", "fr"),
        ("Ce n'est pas autorisé dans le groupe.", "fr"),
        ("Ce n’est pas autorisé dans le groupe.", "fr"),
    ],
)
def test_prohibitions_are_found_and_redirected_in_their_language(text: str, lang: str) -> None:
    findings = check_tone(text)
    assert [f.kind for f in findings] == ["prohibition"]
    f = findings[0]
    assert f.lang == lang
    assert (f.start, f.end) == (0, len(text))  # the whole sentence is reworded
    assert f.suggestion and f.suggestion != text
    for frontal in ("not allowed", "forbidden", "interdit", "pas de pub", "autorisé"):
        assert frontal not in f.suggestion.lower()


def test_the_greeting_is_kept_and_the_rest_of_the_draft_untouched() -> None:
    text = "Hi Anna, self-promotion is not allowed here. See you soon."
    out = gentler(text)
    assert out.startswith("Hi Anna, this group")
    assert out.endswith("See you soon.")
    assert "not allowed" not in out


def test_self_promotion_prohibition_becomes_thanks_and_an_invitation() -> None:
    out = gentler("NO SELF PROMO HERE!!!")
    assert out.startswith("Thank you for introducing yourself")
    assert "?" in out and "!!!" not in out and "PROMO" not in out
    fr = gentler("Pas de pub ici !")
    assert fr.startswith("Merci de vous être présenté")


def test_shouting_capitals_are_offered_in_lower_case_but_acronyms_are_not_shouting() -> None:
    [f] = check_tone("Please STOP POSTING THIS picture.")
    assert f.kind == "shouting" and f.matched == "STOP POSTING THIS"
    assert f.suggestion == "stop posting this"
    assert check_tone("My cat has FIV and CKD, is that OK?") == []
    assert check_tone("I use PZI insulin.") == []
    assert gentler("ARRÊTEZ DE POSTER ÇA.") == "Arrêtez de poster ça."


def test_exclamation_runs_become_one() -> None:
    findings = check_tone("Thanks!!! Really!! Fine!")
    assert [f.matched for f in findings] == ["!!!", "!!"]
    assert gentler("Thanks!!! Really!! Fine!") == "Thanks! Really! Fine!"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You should have asked first.", "Next time, it may help to ask first."),
        ("Sorry, you should have checked the dose.", "Sorry, next time, it may help to check the dose."),
        ("You must read the rules.", "You could read the rules."),
        ("Tu aurais dû demander avant.", "La prochaine fois, tu pourrais demander avant."),
        ("Vous devez lire les règles.", "Vous pourriez lire les règles."),
    ],
)
def test_blame_in_the_second_person_becomes_a_suggestion(text: str, expected: str) -> None:
    assert kinds(text) == ["blame"]
    assert gentler(text) == expected


def test_a_gentle_reply_has_no_findings() -> None:
    for text in (
        "Hi Louis, thank you for introducing yourself! What works well for you with Caramel?",
        "Bonjour Louis, merci de votre présentation ! Qu'est-ce qui marche bien pour vous ?",
        "",
    ):
        assert check_tone(text) == []


def test_spans_point_at_the_draft_and_do_not_overlap() -> None:
    text = "Hello. YOU SHOULD HAVE ASKED!!! Ads are forbidden here!!! You must stop."
    findings = check_tone(text)
    for f in findings:
        assert text[f.start : f.end] == f.matched
    for a, b in itertools.pairwise(findings):
        assert a.end <= b.start
    out = gentler(text)
    assert "forbidden" not in out and "!!!" not in out and "must" not in out


def test_apply_skips_findings_from_an_older_draft() -> None:
    findings = check_tone("You must stop!!!")
    assert apply("Something else entirely", findings) == "Something else entirely"


@given(st.text(max_size=300))
def test_never_crashes_and_spans_are_valid(text: str) -> None:
    findings = check_tone(text)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched
    assert isinstance(gentler(text), str)
