"""phrase_prefilter: the texts it leaves out hold no phrase of the lists, on real corpora (the
demo community, the YouTube spam comments) and on texts built to trip a byte-level reading
(accents composed and decomposed, HTML, invisible characters, ligatures, full-width letters);
and the conflict and against_mission detectors give the same signals with and without it."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console import demo
from heuristics.against_mission import AgainstMissionDetector
from heuristics.conflict import ConflictDetector, _lexicon
from heuristics.detector import CommunityData
from heuristics.model import Community, Member, Post, parse_time
from heuristics.phrase_prefilter import PhrasePrefilter
from heuristics.textfeatures import Folded, PhraseList, clean
from tests.text_detectors_data import CATS_FR, NOW, data, load_templates, member, post

DATA = Path(__file__).resolve().parent / "data"


def _lists() -> dict[str, tuple[PhraseList, ...]]:
    lex = _lexicon()
    return {
        "conflict": (lex.insults, lex.attacks),
        "against_mission": (AgainstMissionDetector(extra_words={"fr": ["cœur brisé"]})._lists[0],),
    }


def _matches(lists: tuple[PhraseList, ...], text: str) -> bool:
    folded = Folded.of(clean(text))
    return any(pl.entries(folded) for pl in lists)


def _tubespam() -> list[str]:
    texts: list[str] = []
    for path in sorted((DATA / "tubespam").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["CONTENT"] for row in csv.DictReader(handle))
    return texts


@pytest.fixture(scope="module")
def demo_posts(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("demo")
    demo.build(out, scale=2000)
    lines = (out / "community.jsonl").read_text(encoding="utf-8").splitlines()
    return [doc for doc in map(json.loads, lines) if doc.get("type") == "post"]


def _assert_exact(texts: list[str]) -> None:
    for kind, lists in _lists().items():
        phrases = [p for pl in lists for p in pl.phrases]
        kept = set(PhrasePrefilter.of(phrases, texts[:500]).candidates(texts))
        missed = [t for i, t in enumerate(texts) if i not in kept and _matches(lists, t)]
        assert missed == [], kind
        # It does leave texts out (else it would prove nothing and save nothing).
        assert len(kept) < len(texts) / 2, kind


def test_exact_on_the_youtube_comments() -> None:
    texts = _tubespam()
    assert len(texts) > 1000
    _assert_exact(texts)


def test_exact_on_the_demo_community(demo_posts: list[dict[str, object]]) -> None:
    texts = [str(doc.get("text") or "") for doc in demo_posts]
    _assert_exact(texts)
    lists = _lists()["conflict"]
    assert sum(_matches(lists, t) for t in texts) > 5  # the planted conflicts are there


TRICKY = [
    "Tu es un IDIOT",
    "t'es un de\u0301bile",  # a decomposed accent: folding joins "de" and "bile"
    "t'es un débile",
    "espèce d'ab\u200bruti",  # an invisible character inside the word
    "quel con\u00ad nard",
    "ｉｄｉｏｔ !",  # full-width letters fold to ASCII
    "you &amp; your <b>stupid</b> cat",
    "you&#39;re an idiot",
    "id<i>iot</i>",
    "ﬁne, you moron",
    "𝐢𝐝𝐢𝐨𝐭",  # mathematical bold letters
    "Āabandon him",
    "cœur brisé",
    "€€",
    "leave Oliver outside",
    "l’abandonner",
    "Ça coûte trop cher pour un chat",
    "pauvre\u00a0type",
    "shut—up",
    "Shut-up!!! 🙏🏻",
    "f*ck you",
    "½ idiot",
    "ǅon't deserve",
]
ALPHABET = st.sampled_from(
    [
        *"aeiouycnltdbrsm '-.,!?<>&;#",
        "é",
        "É",
        "e\u0301",
        "\u200b",
        "\u00ad",
        "’",
        "œ",
        "ﬁ",
        "ｉ",
        "🙏",
        "\u00a0",
        "½",
    ]
)
WORDS = st.sampled_from(
    [
        "idiot",
        "con",
        "nul",
        "shut up",
        "you",
        "abandon",
        "le laisser dehors",
        "à donner",
        "débile",
        "&amp;",
        "<br>",
    ]
)


def test_exact_on_texts_built_to_trip_it() -> None:
    for kind, lists in _lists().items():
        phrases = [p for pl in lists for p in pl.phrases]
        kept = set(PhrasePrefilter.of(phrases).candidates(TRICKY))
        missed = [t for i, t in enumerate(TRICKY) if i not in kept and _matches(lists, t)]
        assert missed == [], kind
    assert any(_matches(_lists()["conflict"], t) for t in TRICKY)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ALPHABET, WORDS), max_size=30).map("".join))
def test_exact_on_any_text(text: str) -> None:
    for lists in _lists().values():
        phrases = [p for pl in lists for p in pl.phrases]
        if _matches(lists, text):
            assert PhrasePrefilter.of(phrases).may_match(text), text
    _assert_weights_bound([text])


def _assert_weights_bound(texts: list[str], threshold: float = 1.0) -> None:
    """A text left out by the weighted bound cannot reach against_mission's threshold."""
    detector = AgainstMissionDetector(
        threshold=threshold, extra_words={"fr": ["cœur brisé"]}, extra_weight=0.7
    )
    phrases = detector._lists[0].phrases
    weights = {p: detector._weights.get(p, detector.extra_weight) for p in phrases}
    kept = set(PhrasePrefilter.of(phrases, texts[:500], weights).candidates(texts, at_least=threshold))
    for i, text in enumerate(texts):
        if i not in kept:
            matches, _ = detector.matches(text, CATS_FR.topic)
            assert sum(m.weight for m in matches) < threshold, text


def test_the_weights_bound_leaves_out_only_posts_below_the_threshold(
    demo_posts: list[dict[str, object]],
) -> None:
    texts = [str(doc.get("text") or "") for doc in demo_posts] + TRICKY + _tubespam()[:300]
    for threshold in (0.3, 0.5, 1.0, 1.6):
        _assert_weights_bound(texts, threshold)
    detector = AgainstMissionDetector()
    phrases = detector._lists[0].phrases
    weights = {p: detector._weights.get(p, 1.0) for p in phrases}
    prefilter = PhrasePrefilter.of(phrases, (), weights)
    # "sans véto" weighs 0.5 alone: present, yet it cannot reach 1.0 by itself.
    assert prefilter.candidates(["Je soigne sans véto."]) == [0]
    assert prefilter.candidates(["Je soigne sans véto."], at_least=1.0) == []
    assert prefilter.candidates(["Je soigne sans véto, je vais le laisser dehors."], at_least=1.0) == [0]


def _community(docs: list[dict[str, object]]) -> CommunityData:
    posts = sorted(
        (
            Post(
                str(d["id"]),
                str(d["author"]),
                parse_time(str(d["created_at"])),
                str(d.get("kind") or "post"),  # type: ignore[arg-type]
                str(d.get("text") or ""),
                (),
                d.get("parent"),  # type: ignore[arg-type]
            )
            for d in docs
        ),
        key=lambda p: (p.created_at, p.id),
    )
    members = {p.author: Member(p.author, NOW, p.author, "fr") for p in posts}
    community = Community("chats", "Chats", "fr", "", CATS_FR.topic, 0.2)
    return CommunityData(community, members, posts, templates=load_templates())


def _everything(self: PhrasePrefilter, texts: object, at_least: object = None) -> Iterator[int]:
    return iter(range(len(texts)))  # type: ignore[arg-type]


@pytest.mark.parametrize("detector", [ConflictDetector(), AgainstMissionDetector()], ids=lambda d: d.kind)
def test_same_signals_with_and_without_it(
    demo_posts: list[dict[str, object]], detector: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    community = _community(demo_posts)
    now = community.posts[-1].created_at
    fast = detector.detect(community, now)  # type: ignore[attr-defined]
    assert fast
    monkeypatch.setattr(PhrasePrefilter, "candidates", _everything)
    slow = detector.detect(community, now)  # type: ignore[attr-defined]
    assert fast == slow


def test_an_entry_without_ascii_letters_makes_every_text_a_candidate() -> None:
    texts = ["Bonjour", "€€ pas cher", "hello"]
    assert PhrasePrefilter.of(["idiot", "€€"]).candidates(texts) == [0, 1, 2]
    assert PhrasePrefilter.of(["idiot"]).candidates(texts) == []


def test_a_community_without_listed_words_leaves_every_text_out() -> None:
    texts = ["Bonjour, comment va votre chat ?", "His glucose curve looks better today."] * 50
    phrases = [p for pl in _lists()["conflict"] for p in pl.phrases]
    assert PhrasePrefilter.of(phrases, texts).candidates(texts) == []
    assert data([post("p", "m", texts[0])], [member("m")]).posts  # the helpers still build data


def test_the_fold_table_is_built_with_the_prefilter_before_any_scan() -> None:
    # A console's warm-up builds against_mission's prefilter over no new post: the table its
    # first import's scan needs (~0.15 s) must be made then, not during the import.
    from heuristics import phrase_prefilter

    phrase_prefilter._chars.cache_clear()
    PhrasePrefilter.of(["chaton maltraité"])
    assert phrase_prefilter._chars.cache_info().currsize == 1
