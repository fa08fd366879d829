"""conflict: insults, second-person attacks and escalating exchanges in one thread; private
reply; a heated but polite disagreement stays silent."""

from __future__ import annotations

import pytest

from heuristics.conflict import ConflictDetector, _roots, hostility
from heuristics.model import Signal
from tests.text_detectors_data import CATS_FR, NOW, data, member, post

MEMBERS_EN = [member("ann", "en", 300, "Ann"), member("bob", "en", 300, "Bob"), member("cy", "en", 300, "Cy")]
MEMBERS_FR = [member("lea", "fr", 300, "Léa"), member("max", "fr", 300, "Max")]


def test_a_direct_insult_fires_with_a_private_reply_to_the_author() -> None:
    posts = [
        post("t1", "ann", "Lantus or ProZinc for a newly diagnosed cat?", 2),
        post("c1", "bob", "ProZinc worked better for us.", 1.9, "comment", "t1"),
        post("c2", "ann", "You're an idiot, ProZinc is useless.", 1.8, "comment", "c1"),
    ]
    (signal,) = ConflictDetector().detect(data(posts, MEMBERS_EN), NOW)
    assert signal.posts == ("c2",)
    assert signal.members == ("ann", "bob")
    assert signal.reasons[0] == 'c2 by Ann to Bob: "idiot" (addressed to someone) (+2.0)'
    assert signal.reply is not None and signal.reply.visibility == "private" and signal.reply.to == "ann"
    assert signal.reply.text.startswith("Hi Ann, I'm writing to you privately about the discussion with Bob.")
    assert signal.evidence["thread"] == "t1"


def test_an_escalating_back_and_forth_in_french_scores_higher() -> None:
    posts = [
        post("t1", "lea", "Vous donnez des croquettes à votre chat diabétique ?", 3),
        post("c1", "max", "Oui, et alors ? Ça marche très bien.", 2.9, "comment", "t1"),
        post("c2", "lea", "T'es nul, tu ne sais pas de quoi tu parles.", 2.8, "comment", "c1"),
        post("c3", "max", "Espèce d'abrutie, occupe-toi de tes affaires.", 2.7, "comment", "c2"),
        post("c4", "lea", "Pauvre type, tu tues ton chat.", 2.6, "comment", "c3"),
    ]
    (signal,) = ConflictDetector().detect(data(posts, MEMBERS_FR, CATS_FR), NOW)
    assert signal.posts == ("c2", "c3", "c4")
    assert set(signal.members) == {"lea", "max"}
    assert signal.evidence["exchanges"] == 2
    assert any(r.startswith("2 hostile exchanges back and forth") for r in signal.reasons)
    assert signal.reply is not None and signal.reply.lang == "fr" and signal.reply.to == "lea"
    assert signal.reply.text.startswith("Bonjour Léa, je vous écris en privé")

    one_insult = ConflictDetector().detect(data(posts[:3], MEMBERS_FR, CATS_FR), NOW)
    assert one_insult and one_insult[0].score < signal.score


def test_a_heated_but_polite_disagreement_stays_silent() -> None:
    posts = [
        post("t1", "ann", "Is dry food really that bad for diabetic cats?", 2),
        post(
            "c1",
            "bob",
            "I strongly disagree with you, dry food kept my cat's numbers high for months.",
            1.9,
            "comment",
            "t1",
        ),
        post(
            "c2",
            "ann",
            "You are wrong about this, our vet says it's fine in moderation!",
            1.8,
            "comment",
            "c1",
        ),
        post(
            "c3",
            "bob",
            "Then your vet is behind the research, honestly. Please read the studies.",
            1.7,
            "comment",
            "c2",
        ),
        post("c4", "cy", "That's a stupid idea in my opinion, but let's keep calm.", 1.6, "comment", "c3"),
    ]
    assert ConflictDetector().detect(data(posts, MEMBERS_EN), NOW) == []


def test_insulting_ones_own_cat_is_not_a_conflict() -> None:
    posts = [
        post("t1", "ann", "My cat is an idiot, he sat on the glucose meter again 😂", 1),
        post("t2", "lea", "Mon chat est un crétin, il a mangé la bandelette.", 1),
    ]
    assert ConflictDetector().detect(data(posts, [*MEMBERS_EN, *MEMBERS_FR]), NOW) == []
    assert hostility(posts[0]).addressed is False


def test_detect_new_re_examines_only_the_touched_threads() -> None:
    base = [
        post("t1", "ann", "Question about doses", 3),
        post("c1", "bob", "Shut up, you moron.", 2.9, "comment", "t1"),
        post("t2", "cy", "Photo of my cat", 2),
    ]
    detector = ConflictDetector()
    before = detector.detect(data(base, MEMBERS_EN), NOW)
    assert [s.evidence["thread"] for s in before] == ["t1"]
    new = [
        post("c2", "ann", "You're a liar and a jerk.", 1, "comment", "c1"),
        post("c3", "ann", "Cute cat!", 1, "comment", "t2"),
    ]
    after = detector.detect_new(data([*base, *new], MEMBERS_EN), new, before, NOW)
    full = detector.detect(data([*base, *new], MEMBERS_EN), NOW)
    assert [(s.id, s.posts) for s in after] == [(s.id, s.posts) for s in full]
    assert after[0].id == before[0].id and after[0].posts == ("c1", "c2")


def _same(a: list[Signal], b: list[Signal]) -> bool:
    def key(signals: list[Signal]) -> list[tuple[str, float, tuple[str, ...], tuple[str, ...]]]:
        return sorted((s.id, s.score, s.posts, s.reasons) for s in signals)

    return key(a) == key(b)


THREADS = [
    post("t1", "ann", "Lantus or ProZinc?", 10),
    post("c1", "bob", "ProZinc, you moron.", 9, "comment", "t1"),
    post("c2", "ann", "Shut up, idiot.", 8, "comment", "c1"),  # an answer to an answer
    post("t2", "cy", "Photo of my cat", 7),
    post("c3", "bob", "Cute!", 6, "comment", "t2"),
    # Dated before the comment it answers (clocks go wrong): still in t2's thread.
    post("c4", "cy", "You're a liar and a jerk, go away.", 6.5, "comment", "c5"),
    post("c5", "ann", "What a stupid cat, you idiot.", 5, "comment", "c3"),
    post("o1", "cy", "An orphan answer, you idiot, shut up.", 4, "comment", "gone"),
]


@pytest.mark.parametrize("cut", range(1, len(THREADS)))
def test_detect_new_equals_detect_however_threads_nest_and_clocks_run(cut: int) -> None:
    detector = ConflictDetector()
    ordered = sorted(THREADS, key=lambda p: p.created_at)
    new = [p for p in ordered if p.id in {q.id for q in THREADS[cut:]}]
    old = [p for p in ordered if p not in new]
    before = detector.detect(data(old, MEMBERS_EN), NOW)
    after = detector.detect_new(data(ordered, MEMBERS_EN), new, before, NOW)
    full = detector.detect(data(ordered, MEMBERS_EN), NOW)
    assert _same(after, full)
    assert {s.evidence["thread"] for s in full} == {"t1", "t2", "o1"}


def test_parents_in_a_cycle_give_the_same_threads_as_before() -> None:
    # Broken data (each answers the other): the old walk over every post decides the root.
    posts = [
        post("a", "ann", "You idiot, shut up.", 3, "comment", "b"),
        post("b", "bob", "You moron, go away.", 2, "comment", "a"),
        post("n", "cy", "You jerk, nobody asked you.", 1, "comment", "a"),
    ]
    detector = ConflictDetector()
    full = detector.detect(data(posts, MEMBERS_EN), NOW)
    every = _roots([p.id for p in posts], [p.parent for p in posts])
    assert [s.evidence["thread"] for s in full] == [every["a"]]
    before = detector.detect(data(posts[:2], MEMBERS_EN), NOW)
    after = detector.detect_new(data(posts, MEMBERS_EN), posts[2:], before, NOW)
    assert _same(after, full)
