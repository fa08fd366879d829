"""spam: the promotional scorer on comments, plus stranger / joined today / off topic."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from heuristics.model import Post, Signal
from heuristics.promo_scorer import PromoScreen
from heuristics.spam import SpamDetector
from tests.text_detectors_data import CATS_FR, NOW, data, everyday, member, post, regulars

DATA = Path(__file__).resolve().parent / "data"


def thread(*comments: tuple[str, str, str], lang: str = "en") -> list[Post]:
    root = post("root", "m1", "Felix's glucose curve today, does the nadir look right?", 0.5)
    return [
        *everyday(lang=lang),
        root,
        *(
            post(pid, author, text, 0.4 - i * 0.01, "comment", "root")
            for i, (pid, author, text) in enumerate(comments)
        ),
    ]


def test_a_strangers_promotional_comment_fires_without_a_reply() -> None:
    d = data(
        thread(("c1", "visitor", "Great post! Check out my channel for cute cat videos, subscribe!")),
        regulars(),
    )
    (signal,) = SpamDetector().detect(d, NOW)
    assert signal.posts == ("c1",) and signal.members == ("visitor",)
    assert signal.reasons[0].startswith("c1: a comment by a stranger (no member record)")
    assert any(r.startswith('the author is not a member: "visitor" (+1.0)') for r in signal.reasons)
    assert any(r.startswith("calls to action") for r in signal.reasons)
    assert signal.reply is None  # answering a stranger's spam invites more
    assert signal.evidence["stranger"] is True


def test_an_off_topic_stranger_comment_fires_even_without_promotional_words() -> None:
    d = data(
        thread(("c1", "visitor", "Cheap replica watches and designer handbags, best quality guaranteed")),
        regulars(),
    )
    (signal,) = SpamDetector().detect(d, NOW)
    assert any(r.startswith("off topic for this community") for r in signal.reasons)


def test_a_member_recommending_a_vet_stays_silent() -> None:
    d = data(
        thread(
            (
                "c1",
                "m2",
                "I recommend our vet, Dr Patel at the Oakwood clinic, she knows diabetic cats well.",
            ),
            ("c2", "m3", "Check my cat's curve from last week, it looked just like this"),
            ("c3", "visitor", "So sorry your cat is unwell, sending hugs from a cat lover"),
            ("c4", "m4", "So cute, he looks like my Iris. Good luck with the insulin."),
        ),
        regulars(),
    )
    assert SpamDetector().detect(d, NOW) == []


def test_french_comment_from_a_member_who_joined_today_gets_a_gentle_reply() -> None:
    members = [*regulars("fr"), member("m9", "fr", 0.45, "Karine")]
    d = data(
        thread(("c1", "m9", "Découvrez ma boutique d'accessoires, code promo MINOU pour -15% !"), lang="fr"),
        members,
        CATS_FR,
    )
    (signal,) = SpamDetector().detect(d, NOW)
    assert any(r.startswith("the author joined today") for r in signal.reasons)
    assert signal.reply is not None and signal.reply.lang == "fr" and signal.reply.visibility == "public"
    assert signal.reply.text.startswith(
        "Bonjour Karine, merci de votre passage ! Chats diabétiques est un lieu pour"
    )
    assert "entraide entre propriétaires" in signal.reply.text


def test_french_genuine_comment_stays_silent() -> None:
    d = data(
        thread(
            ("c1", "m2", "Je vous recommande notre véto, très à l'écoute pour les chats diabétiques."),
            lang="fr",
        ),
        regulars("fr"),
        CATS_FR,
    )
    assert SpamDetector().detect(d, NOW) == []


def test_detect_new_examines_only_new_comments_and_keeps_ids() -> None:
    detector = SpamDetector()
    base = thread(("c1", "visitor", "Subscribe to my channel!! http://bit.ly/xyz"))
    before = detector.detect(data(base, regulars()), NOW)
    new = post(
        "c2", "other", "Earn $500 a week from home, contact me at jobs@example.com", 0.1, "comment", "root"
    )
    after = detector.detect_new(data([*base, new], regulars()), [new], before, NOW)
    assert sorted(s.posts for s in after) == [("c1",), ("c2",)]
    assert before[0].id in {s.id for s in after}
    assert sorted(s.id for s in after) == sorted(
        s.id for s in detector.detect(data([*base, new], regulars()), NOW)
    )


def test_the_screen_changes_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    # The YouTube comments as comments of strangers, new members and regulars: the signals
    # (ids, scores, reasons) are the same whether the screen leaves texts out or not.
    texts: list[str] = []
    for path in sorted((DATA / "tubespam").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["CONTENT"] for row in csv.DictReader(handle))
    authors = ["visitor", "m1", "m2", "newbie"]
    comments = [
        post(f"c{i}", authors[i % 4], text, 0.4 - i * 1e-4, "comment", "root") for i, text in enumerate(texts)
    ]
    members = [*regulars(), member("newbie", "en", 0.2)]
    d = data(thread(), members)
    d = data([*d.posts, *comments], members)
    detector = SpamDetector()
    screened = detector.detect(d, NOW)
    monkeypatch.setattr(PromoScreen, "may_flag", lambda *args, **kwargs: True)
    unscreened = detector.detect(d, NOW)

    def key(signals: list[Signal]) -> list[tuple[object, ...]]:
        return sorted((s.id, s.score, s.reasons, s.posts) for s in signals)

    assert key(screened) == key(unscreened)
    assert len(screened) > 300
