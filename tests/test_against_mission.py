"""against_mission: cruelty, gore, abandonment — in both languages, with the look-alikes that
must stay silent, and the community's own words."""

from __future__ import annotations

import pytest

from heuristics.against_mission import AgainstMissionDetector
from heuristics.model import Signal
from tests.text_detectors_data import CATS_EN, CATS_FR, NOW, data, member, post

FIRES = [
    ("fr", "Mon chat est à donner, je n'ai plus le temps pour les piqûres."),
    ("fr", "Je n'en peux plus, je vais le laisser dehors cette nuit et tant pis."),
    ("fr", "Le véto coûte trop cher, je vais l'euthanasier moi-même."),
    ("fr", "J'ai abandonné mon chat sur une aire d'autoroute, je n'avais plus le choix."),
    ("en", "He keeps peeing everywhere, I'm going to put him down myself."),
    ("en", "Free to a good home: diabetic cat, 9 years old, insulin included."),
    ("en", "He bit me during the shot so I kicked him across the room."),
    ("en", "I'm going to put him down without a vet, his insulin is too expensive."),
    ("en", "I'll stop the insulin and leave Oliver outside, nature will decide."),
]
SILENT = [
    ("fr", "Mon chat est à donner... non je plaisante 😄 il dort sur mes genoux."),
    ("fr", "J'ai de la Lantus à donner, non entamée, date encore bonne, à qui ça rend service ?"),
    ("fr", "Je ne vais jamais le laisser dehors, même quand il fait ses besoins partout."),
    ("fr", "Il ne faut surtout pas l'abandonner, le diabète se soigne très bien."),
    ("en", "We had to put him down at the vet yesterday. Thank you all for your support."),
    ("en", "Never leave him outside when his glucose is low, keep him warm."),
    ("en", "I abandoned the dry food, wet food only now and his numbers are much better."),
    ("fr", "N'abandonnez pas, les piqûres deviennent faciles avec le temps pour votre chat."),
]


def one(lang: str, text: str, **params: object) -> list[Signal]:
    d = data(
        [post("p1", "m1", text, 1)],
        [member("m1", lang, 100, "Alex")],
        CATS_EN if lang == "en" else CATS_FR,
    )
    return AgainstMissionDetector(**params).detect(d, NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "text"), FIRES)
def test_fires(lang: str, text: str) -> None:
    (signal,) = one(lang, text)
    assert signal.posts == ("p1",) and signal.members == ("m1",)
    assert signal.reply is not None and signal.reply.visibility == "private" and signal.reply.to == "m1"
    assert signal.reply.lang == lang
    assert signal.reasons[-1].startswith("total ") and "≥ threshold 1.00" in signal.reasons[-1]


@pytest.mark.parametrize(("lang", "text"), SILENT)
def test_stays_silent_on_look_alikes(lang: str, text: str) -> None:
    assert one(lang, text) == []


def test_reasons_quote_the_words_and_the_list_entry() -> None:
    (signal,) = one("fr", "Mon chat est à donner, urgent.")
    assert signal.reasons[0] == 'p1 by Alex says "à donner"'
    assert signal.reasons[1] == '"à donner" (list entry "a donner", weight 1.00)'
    assert signal.evidence["words"] == {"à donner": 1.0}


def test_firm_but_kind_private_reply_in_french() -> None:
    (signal,) = one("fr", "Mon chat est à donner, urgent.")
    assert signal.reply is not None
    text = signal.reply.text
    assert text.startswith("Bonjour Alex, je vous écris en privé") and "aider" in text


def test_the_community_extends_the_list() -> None:
    text = "Les chats errants, il faudrait les piéger et les relâcher loin d'ici."
    assert one("fr", text) == []
    (signal,) = one("fr", text, extra_words={"fr": ["les pieger"]})
    assert "les piéger" in signal.reasons[0]


def test_detect_new_keeps_old_verdicts_and_adds_new_ones() -> None:
    members = [member("m1", "fr"), member("m2", "en")]
    first = [post("p1", "m1", "Chaton à donner, vite", 2)]
    detector = AgainstMissionDetector()
    before = detector.detect(data(first, members, CATS_FR), NOW)
    new = post("p2", "m2", "I'll drown the kittens if nobody takes them", 1)
    after = detector.detect_new(data([*first, new], members, CATS_FR), [new], before, NOW)
    assert sorted(s.posts for s in after) == [("p1",), ("p2",)]
    assert after[0].id == before[0].id
