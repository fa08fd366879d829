"""text_repeat both ways: chain messages with small edits fire, in French and English;
"merci !" said a hundred times and two different posts on one topic stay silent."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.tact_config import shipped_templates
from heuristics.detector import CommunityData, ListTable
from heuristics.model import Community, Member, Post, Signal, signal_id
from heuristics.text_repeat import (
    _NUMBER,
    _NUMBER_SALT,
    _TOKEN,
    COMMON,
    TextRepeatDetector,
    _bit_sets,
    _blanks,
    _fold,
    _not_swapped,
    _slots,
    _stable_argsort,
    _token_hash,
    _words,
)

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=30)

CHAIN_FR = (
    "ATTENTION à tous les propriétaires de chats : un nouveau lot de croquettes contaminées circule "
    "dans les animaleries de la région. Vérifiez le numéro de lot sur le paquet et partagez ce "
    "message au plus grand nombre pour protéger nos compagnons !"
)
CHAIN_FR_EDITED = (
    "Attention à tous les propriétaires de chats : un nouveau lot de croquettes contaminées circule "
    "dans les animaleries de notre région. Vérifiez bien le numéro de lot sur le paquet et partagez "
    "ce message au plus grand nombre pour protéger nos compagnons !!"
)
CHAIN_EN = (
    "Please read: a batch of insulin pens was recalled this week because the dose counter can "
    "stick. Check the lot number on the box before the next injection and copy this to your "
    "groups so every cat owner sees it."
)
CHAIN_EN_EDITED = (
    "PLEASE READ - a batch of insulin pens was recalled this week because the dose counter can "
    "stick! Check the lot number on your box before the next injection, and copy this to your "
    "groups so every diabetic cat owner sees it."
)
SAME_TOPIC = (
    "My cat Felix was diagnosed with diabetes last month. We started insulin twice a day and his "
    "glucose curve is slowly coming down, but he hates the ear pricks.",
    "Our vet just confirmed diabetes for Luna. She is on insulin now, twice a day with meals, and "
    "we test her glucose at home with ear pricks; any tips to make it easier?",
)
VOCAB = (
    "chat insuline glucose vétérinaire croquettes courbe piqûre dose matin soir repas eau "
    "poids soif litière cat insulin vet food curve dose morning evening meal water weight thirst "
    "litter kidney diet wet dry protein hypo sleepy playful jumps purrs"
)


def _members(n: int) -> dict[str, Member]:
    langs = ["fr", "en"]
    return {
        f"m{i}": Member(f"m{i}", START - timedelta(days=90), f"Member {i}", langs[i % 2])  # type: ignore[arg-type]
        for i in range(n)
    }


def _data(posts: Sequence[Post], n_members: int = 8) -> CommunityData:
    return CommunityData(
        community=Community("cats", "Chats", "fr"),
        members=_members(n_members),
        posts=sorted(posts, key=lambda p: (p.created_at, p.id)),
        templates=shipped_templates(),
    )


def _post(
    pid: str, author: str, days: float, text: str, kind: str = "post", parent: str | None = None
) -> Post:
    return Post(pid, author, START + timedelta(days=days), kind, text, parent=parent)  # type: ignore[arg-type]


def _filler(n: int, seed: int = 1) -> list[Post]:
    """Ordinary, varied posts, so the chain messages are found among others."""
    rng = random.Random(seed)
    vocab = VOCAB.split()
    return [
        _post(
            f"f{i}",
            f"m{i % 8}",
            rng.uniform(0, 29),
            " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 40))),
        )
        for i in range(n)
    ]


def _by_first(signals: list[Signal]) -> dict[str, Signal]:
    return {s.posts[0]: s for s in signals}


def test_fires_on_chain_messages_in_french_and_english_with_small_edits() -> None:
    posts = [
        *_filler(200),
        _post("fr1", "m0", 1, CHAIN_FR),
        _post("fr2", "m2", 6, CHAIN_FR_EDITED),
        _post("fr3", "m4", 12.5, "Vu sur un autre groupe : " + CHAIN_FR.lower()),
        _post("en1", "m1", 2, CHAIN_EN),
        _post("en2", "m3", 3, CHAIN_EN_EDITED, "comment", parent="f1"),
    ]
    signals = _by_first(TextRepeatDetector().detect(_data(posts), NOW))
    assert set(signals) == {"fr1", "en1"}
    fr, en = signals["fr1"], signals["en1"]
    assert fr.posts == ("fr1", "fr2", "fr3") and fr.members == ("m0", "m2", "m4")
    assert en.posts == ("en1", "en2")
    assert fr.id == signal_id("text_repeat", "fr1")
    assert fr.reasons[0].startswith("fr2 repeats the text of fr1 (") and fr.reasons[0].endswith("% similar)")
    links = fr.evidence["links"]
    assert isinstance(links, list) and all(88 <= link["similarity"] < 100 for link in links)
    # Gentle public replies in the latest poster's language, pointing at the first post.
    assert fr.reply is not None and fr.reply.lang == "fr" and fr.reply.to == "fr3" and "fr1" in fr.reply.text
    assert en.reply is not None and en.reply.lang == "en" and en.reply.to == "en2" and "en1" in en.reply.text
    assert fr.score > en.score  # three members over twelve days beats two within a day


def test_silent_on_short_common_texts_repeated() -> None:
    common = [
        "merci !",
        "Merci beaucoup !!",
        "thank you",
        "+1",
        "Bienvenue à toi !",
        "Thanks so much, welcome!",
    ]
    posts = [
        _post(f"c{i}", f"m{i % 8}", i / 10, common[i % len(common)], "comment", "f0") for i in range(120)
    ]
    detector = TextRepeatDetector()
    assert detector.detect(_data([*_filler(5), *posts]), NOW) == []
    # Long enough, but only courtesies: still nothing to say.
    polite = "Merci beaucoup à tous, bonne soirée et à bientôt, bisous à tous !"
    assert detector.tokens(polite) is None
    assert detector.tokens(CHAIN_FR) is not None


def test_silent_on_two_different_posts_on_the_same_topic() -> None:
    posts = [_post("a", "m1", 1, SAME_TOPIC[0]), _post("b", "m2", 2, SAME_TOPIC[1]), *_filler(50)]
    assert TextRepeatDetector().detect(_data(posts), NOW) == []


def test_own_repeat_is_silent_by_default_and_scores_low_when_asked() -> None:
    posts = [_post("x1", "m1", 1, CHAIN_EN), _post("x2", "m1", 1.1, CHAIN_EN_EDITED)]
    # One member posting their own text again is not a chain message passed around.
    assert TextRepeatDetector().detect(_data(posts), NOW) == []
    (signal,) = TextRepeatDetector(own_repeats=True).detect(_data(posts), NOW)
    assert signal.score < 0.3 and signal.evidence["own_repeat"] is True
    assert signal.reply is not None and "You already posted" in signal.reply.text
    assert TextRepeatDetector(own_repeats=True, reply=False).detect(_data(posts), NOW)[0].reply is None


# Ordinary replies built from the same short sentences, as members answer one another
# (the demo's comments look like this): near-identical by any text measure, not a chain.
TEMPLATE_REPLIES = (
    "Le débat était vraiment lamentable. J'ai vu un reportage là-dessus en janvier.",
    "Le débat était vraiment lamentable. J'ai vu un reportage là-dessus en juillet.",
    "Bonsoir Hugo, une glycémie à 3,3 g/L avant l'injection, c'est encore haut pour un chat. "
    "Courage, on est passés par là.",
    "Une glycémie à 3,3 g/L avant l'injection, c'est encore haut pour un chat. "
    "Courage, on est passés par là.",
    "Attention à l'hypo : surtout pas d'augmentation sans l'avis du véto. Notre véto nous a conseillé "
    "des courbes tous les 5 jours au début. Bon courage pour la suite.",
    "Bonsoir Ashley, attention à l'hypo : surtout pas d'augmentation sans l'avis du véto. Notre véto "
    "nous a conseillé des courbes tous les 5 jours au début. Bon courage pour la suite.",
    "Une glycémie à 4,2 g/L avant l'injection, c'est encore haut pour un chat. Notre véto nous a "
    "conseillé des courbes tous les 6 jours au début.",
    "Une glycémie à 2,6 g/L avant l'injection, c'est encore haut pour un chat. Notre véto nous a "
    "conseillé des courbes tous les 6 jours au début.",
)
TEMPLATE_POSTS = (
    "Hector surveille le frigo où on range l'insuline. Il a bien mérité son repos après la courbe "
    "d'hier. Toute expérience est la bienvenue.",
    "Chloe surveille le frigo où on range l'insuline. Il a bien mérité son repos après la courbe "
    "d'hier. Toute expérience est la bienvenue.",
    "Une glycémie à 3,5 g/L ce matin pour Simba, il pèse 4,2 kg et mange une pâtée maison au poulet.",
    "Une glycémie à 3,4 g/L ce matin pour Simba, il pèse 3,2 kg et mange une pâtée maison au poulet.",
)


def test_silent_on_template_replies_and_filled_in_posts() -> None:
    replies = [
        _post(f"r{i}", f"m{i % 8}", 1 + i, text, "comment", parent="f0")
        for i, text in enumerate(TEMPLATE_REPLIES)
    ]
    posts = [_post(f"t{i}", f"m{(i + 3) % 8}", 2 + i, text) for i, text in enumerate(TEMPLATE_POSTS)]
    detector = TextRepeatDetector()
    assert detector.detect(_data([*_filler(30), *replies, *posts]), NOW) == []
    # The same chain message still fires among them, and as replies when long enough.
    chain = [
        _post("c1", "m1", 3, CHAIN_FR, "comment", parent="f0"),
        _post("c2", "m2", 4, CHAIN_FR_EDITED, "comment", parent="f1"),
    ]
    (signal,) = detector.detect(_data([*_filler(30), *replies, *posts, *chain]), NOW)
    assert signal.posts == ("c1", "c2")
    # Names and numbers swapped in a template are blanks filled in, not a copy.
    assert detector.filled_template(
        "Bonsoir à tous, Oreo surveille le frigo où on range l'insuline.",
        "Bonsoir à tous, Réglisse surveille le frigo où on range l'insuline.",
    )
    assert detector.filled_template(TEMPLATE_POSTS[2], TEMPLATE_POSTS[3])
    assert not detector.filled_template(CHAIN_FR, "Vu sur un autre groupe : " + CHAIN_FR)
    assert not detector.filled_template("Je relaie : " + CHAIN_FR, "Vu sur un autre groupe : " + CHAIN_FR)


def test_detect_new_equals_a_full_run() -> None:
    base = [*_filler(150, seed=3), _post("fr1", "m0", 1, CHAIN_FR), _post("en1", "m1", 2, CHAIN_EN)]
    later = [
        _post("fr2", "m2", 20, CHAIN_FR_EDITED),
        _post("en2", "m3", 21, CHAIN_EN_EDITED),
        _post("zz", "m5", 22, "merci !"),
    ]
    detector = TextRepeatDetector()
    previous = detector.detect(_data(base), NOW)
    assert previous == []
    full = detector.detect(_data([*base, *later]), NOW)
    again = detector.detect_new(_data([*base, *later]), later, previous, NOW)
    assert sorted((s.id, s.posts, s.reasons) for s in again) == sorted(
        (s.id, s.posts, s.reasons) for s in full
    )
    assert len(full) == 2
    # A third copy joins the French group; the English one is kept as it was.
    third = [_post("fr3", "m6", 25, CHAIN_FR)]
    after = detector.detect_new(_data([*base, *later, *third]), third, full, NOW)
    assert _by_first(after)["fr1"].posts == ("fr1", "fr2", "fr3")
    assert _by_first(after)["en1"] is _by_first(full)["en1"]


def test_repeats_months_apart_are_not_compared_by_default() -> None:
    posts = [_post("old", "m1", -200, CHAIN_EN), _post("new", "m2", 1, CHAIN_EN_EDITED)]
    assert TextRepeatDetector().detect(_data(posts), NOW) == []
    assert len(TextRepeatDetector(window_days=0).detect(_data(posts), NOW)) == 1
    # Incrementally too: the old post is outside the window, so it is not even read.
    assert TextRepeatDetector().detect_new(_data(posts), posts[1:], [], NOW) == []


def test_bad_params_are_refused() -> None:
    with pytest.raises(ValueError):
        TextRepeatDetector(min_similarity=0)
    with pytest.raises(ValueError):
        TextRepeatDetector(min_words=1)


# -- the fast paths against the reference, pair by pair and post by post ---------------------

# Letters that fold to two, to none (decomposed accents), Σ, digits of other scripts...
WORDS = [
    *[
        "Ça",
        "glycémie",
        "Œuvre",
        "İstanbul",
        "ΣΟΦΙΑ",
        "straße",
        "ﬁnal",
        "42",
        "3,5",
        "g/L",
        "café",
        "café",
        "été",
    ],
    *[
        "naïve",
        "Zoë",
        "ǅemal",
        "ĳssel",
        "under_score",
        "😀emoji",
        "insuline",
        "véto",
        "courbe",
        "matin",
        "merci",
        "bonjour",
    ],
    *[
        "the",
        "and",
        "les",
        "des",
        "chat",
        "cat",
        "dose",
        "Ǆ",
        "ǆ",
        "Ŀ",
        "ŉ",
        "K",
        "Å",
        "12345",
        "Ⅻ",
        "²",
        "٣",
        "一二三",
        "ا",
    ],
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
            st.lists(st.sampled_from(VOCAB.split() + WORDS), min_size=10, max_size=40).map(" ".join),
        ),
        max_size=12,
    )
)
def test_texts_in_numpy_are_exactly_the_reference(texts: list[str]) -> None:
    """Which texts could repeat, their folded words and their counts: the numpy fold and
    tokeniser decide exactly what `tokens` and `could_repeat` do one text at a time."""
    detector = TextRepeatDetector(min_chars=10, min_words=3, min_content_words=2, min_shared_words=3)
    got = detector._texts(texts)
    expected = [i for i, t in enumerate(texts) if detector.could_repeat(t)]
    assert got.rows.tolist() == expected
    for k, i in enumerate(expected):
        toks = detector.tokens(texts[i]) or []
        assert got.folded([k]) == {k: " ".join(toks)}
        assert got.sizes[k] == len(toks)
        assert got.content[k] == sum(t not in COMMON for t in toks)
        assert got.length[k] == len(" ".join(toks))
    assert got.tokens.tolist() == [_token_hash(t) for i in expected for t in detector.tokens(texts[i]) or []]


def test_a_text_is_dropped_only_when_it_has_too_few_content_words_to_share() -> None:
    detector = TextRepeatDetector()
    # 13 content words: can never share 14 with anything, so it is not even hashed.
    short = (
        "Attention croquettes contaminées circulent animaleries région vérifiez numéro lot "
        "paquet partagez message vite"
    )
    assert detector.tokens(short) is not None and not detector.could_repeat(short)
    assert detector.could_repeat(CHAIN_FR) and detector.could_repeat(CHAIN_EN)
    assert detector._texts([short, CHAIN_FR, "merci !", CHAIN_EN]).rows.tolist() == [1, 3]


def _edited(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(rng.randint(0, 6)):
        op = rng.random()
        i = rng.randrange(len(words))
        if op < 0.4:
            words[i] = rng.choice(VOCAB.split())
        elif op < 0.7:
            words.insert(i, rng.choice(VOCAB.split()))
        elif len(words) > 1:
            del words[i]
    out = " ".join(words)
    if rng.random() < 0.3:
        out = rng.choice(["Vu ailleurs : ", "PLEASE READ ", "Je relaie : "]) + out
    return out.upper() if rng.random() < 0.1 else out


@pytest.mark.parametrize("seed", range(6))
def test_bounds_before_rapidfuzz_drop_no_pair_the_full_test_keeps(seed: int) -> None:
    """Every pair of near copies, given as candidates: what `_confirmed` keeps after its
    cheap bounds is exactly what the pair-by-pair definition keeps."""
    rng = random.Random(seed)
    bases = [CHAIN_FR, CHAIN_EN, CHAIN_FR_EDITED, TEMPLATE_REPLIES[4], SAME_TOPIC[0]]
    posts = sorted(
        (
            _post(
                f"p{i}",
                f"m{rng.randrange(4)}",
                rng.uniform(0, 60),
                _edited(rng, rng.choice(bases)),
                *(("comment", "f0") if rng.random() < 0.3 else ("post", None)),
            )
            for i in range(40)
        ),
        key=lambda p: (p.created_at, p.id),
    )
    detector = TextRepeatDetector()
    texts = detector._texts([p.text for p in posts])
    n = len(texts.rows)
    pairs = np.array([(a, b) for a in range(n) for b in range(a + 1, n)], dtype=np.int64).reshape(-1, 2)
    got = {(a.id, b.id) for a, b in detector._confirmed(texts, posts, pairs)}
    expected = set()
    for a, b in pairs.tolist():
        one, other = posts[texts.rows[a]], posts[texts.rows[b]]
        x, y = " ".join(detector.tokens(one.text) or []), " ".join(detector.tokens(other.text) or [])
        need = detector.min_shared_words + (detector.reply_extra_words if one.parent and other.parent else 0)
        if (
            abs(one.created_at - other.created_at) <= timedelta(days=30)
            and one.author != other.author
            and detector.similarity(x, y) >= detector.min_similarity
            and detector.shared_words(x, y) >= need
            and not detector.filled_template(one.text, other.text)
        ):
            expected.add((one.id, other.id))
    assert got == expected
    assert expected  # the edits leave real copies among them


def test_a_long_text_whose_word_counts_overflow_the_bag_is_still_confirmed() -> None:
    """The word bag holds at most 255 words of a class; a text with more content words (a
    long chain message) gets no bound from it, so its copy is still found."""
    long = " ".join([CHAIN_FR] * 16)
    posts = [_post("a", "m1", 1, long), _post("b", "m2", 2, "Je relaie : " + long)]
    detector = TextRepeatDetector()
    texts = detector._texts([p.text for p in posts])
    assert (texts.content > 255).all()
    (signal,) = detector.detect(_data(posts), NOW)
    assert signal.posts == ("a", "b")


@pytest.mark.parametrize(
    "text", [CHAIN_FR, CHAIN_EN_EDITED, *TEMPLATE_POSTS, "Ça pèse 4,2 kg, Œdipe ΣΑΣ ﬁn e\u0301té 3.5 Zoé"]
)
def test_blanks_from_the_folded_words_are_the_slots_and_words_of_the_text(text: str) -> None:
    folded = " ".join(_TOKEN.findall(_fold(text)))
    assert _blanks(text, folded) == (_slots(text), _words(text))
    texts = TextRepeatDetector(min_chars=1, min_words=2, min_content_words=1, min_shared_words=1)._texts(
        [text]
    )
    assert texts.folded([0]) == {0: folded}


def test_a_chain_passed_many_times_forms_one_group_with_few_comparisons() -> None:
    """Each copy is compared with the latest `bucket_partners` copies only, and the copies
    still form one group, oldest first."""
    rng = random.Random(4)
    copies = [
        _post(f"c{i:02}", f"m{i % 8}", i * 0.2, _edited(rng, CHAIN_EN) if i else CHAIN_EN) for i in range(60)
    ]
    detector = TextRepeatDetector(bucket_partners=3)
    posts = sorted(copies, key=lambda p: p.created_at)
    texts = detector._texts([p.text for p in posts])
    seconds = np.array([int(posts[r].created_at.timestamp()) for r in texts.rows], dtype=np.int64)
    pairs = detector._candidates(detector._band_keys(texts), seconds)
    assert pairs is not None and len(np.unique(pairs, axis=0)) <= 3 * detector.bands * len(texts.rows)
    assert (pairs[:, 0] < pairs[:, 1]).all()
    (signal,) = detector.detect(_data(copies), NOW)
    assert len(signal.posts) >= 55 and signal.posts[0] == "c00"


class _Rows(Sequence[Post]):
    """A post sequence that counts the rows read and refuses a pass over all of them."""

    def __init__(self, posts: list[Post]) -> None:
        self._posts = posts
        self.read = 0

    def __len__(self) -> int:
        return len(self._posts)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        got = self._posts[i]
        self.read += len(got) if isinstance(i, slice) else 1
        return got

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("detect_new iterated over every post")


def test_detect_new_reads_only_the_window_and_the_posts_it_names() -> None:
    old = [*_filler(400, seed=5), _post("fr1", "m0", 1, CHAIN_FR)]
    for p in list(old):  # a long history before the window
        old.append(Post(p.id + "x", p.author, p.created_at - timedelta(days=200), p.kind, p.text))
    old = sorted(old, key=lambda p: (p.created_at, p.id))
    new = [_post("fr2", "m2", 29.5, CHAIN_FR_EDITED), _post("fr3", "m3", 29.6, CHAIN_FR)]
    posts = sorted([*old, *new], key=lambda p: (p.created_at, p.id))
    detector = TextRepeatDetector()
    full = detector.detect(_data(posts), NOW)
    previous = detector.detect(_data(old), NOW)
    rows = _Rows(posts)
    by_id = {p.id: p for p in posts}
    looked_up: list[str] = []

    def lookup(ids):  # type: ignore[no-untyped-def]
        looked_up.extend(ids)
        return {i: by_id[i] for i in ids if i in by_id}

    data = replace(_data(posts), posts=rows, table=ListTable.of(posts), lookup=lookup)
    again = detector.detect_new(data, new, previous, NOW)
    assert [(s.id, s.posts, s.score) for s in again] == [(s.id, s.posts, s.score) for s in full]
    assert again[0].posts == ("fr1", "fr2", "fr3")
    window = sum(p.created_at >= new[0].created_at - timedelta(days=30) for p in posts)
    assert rows.read <= window < 0.6 * len(posts)
    assert set(looked_up) <= {"fr1", "fr2", "fr3"}


@settings(max_examples=25, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 3), st.floats(0, 50), st.integers(0, 5)), min_size=2, max_size=30
    ),
    cut=st.integers(0, 30),
    partners=st.integers(1, 4),
)
def test_detect_new_equals_a_full_run_wherever_the_new_posts_fall(
    picks: list[tuple[int, float, int]], cut: int, partners: int
) -> None:
    """New posts older than some seen before (an archive imported late), chain copies in
    buckets fuller than `bucket_partners`: still the same signals as a full run."""
    bases = [CHAIN_FR, CHAIN_EN, CHAIN_FR_EDITED, CHAIN_EN_EDITED]
    rng = random.Random(len(picks) * 31 + cut)
    posts = [
        _post(f"p{i:02}", f"m{author}", day, _edited(rng, bases[base]))
        for i, (base, day, author) in enumerate(picks)
    ]
    order = list(range(len(posts)))
    rng.shuffle(order)
    seen = sorted(order[: min(cut, len(posts) - 1)])
    old = [posts[i] for i in seen]
    new = [p for i, p in enumerate(posts) if i not in set(seen)]
    detector = TextRepeatDetector(bucket_partners=partners)
    full = detector.detect(_data(posts), NOW)
    again = detector.detect_new(_data(posts), new, detector.detect(_data(old), NOW), NOW)
    assert sorted((s.id, s.posts, s.score, s.reasons) for s in again) == sorted(
        (s.id, s.posts, s.score, s.reasons) for s in full
    )


BLANKS = [
    "Simba",
    "Oreo",
    "Ǆemal",
    "Œdipe",
    "ΣΑΣ",
    "E\u0301te",
    "Zoé",
    "Ⅻ",
    "İstanbul",
    "Ĳssel",
    "A3",
    "3,5",
    "3.5",
    "3",
    "4,2kg",
    "a3",
    "٣,٤",
    "²",
    "3,,5",
    "3,5,",
    ".5",
    "1.2.3",
    "Merci",
    "Chat",
]


def _blank_bits(values: set[str]) -> np.ndarray:
    """The bits `_Texts.sig`/`caps` give those words and numbers (as `_blanks` spells them)."""
    ids = [_token_hash(v, int(_NUMBER_SALT) if _NUMBER.fullmatch(v) else 0) for v in values]
    return _bit_sets(np.zeros(len(ids), dtype=np.int64), np.array(ids, dtype=np.uint64), 1)[0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.lists(st.sampled_from([*BLANKS, *VOCAB.split(), ",", ".", " "]), min_size=3, max_size=30).map(
                " ".join
            ),
            st.lists(st.sampled_from([*BLANKS, *VOCAB.split(), ",", "."]), min_size=3, max_size=30).map(
                "".join
            ),
            st.text(min_size=3, max_size=60),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_bit_sets_hold_no_blank_a_text_lacks_and_every_word_it_has(texts: list[str]) -> None:
    """What makes the bit-set bound of `filled_template` exact: a text's `caps` bits are
    bits of its blanks (`_slots`), its `sig` bits cover every word and number (`_words`) that
    a blank can be (not a common word)."""
    detector = TextRepeatDetector(min_chars=1, min_words=2, min_content_words=0, min_shared_words=0)
    got = detector._texts(texts)
    for k, r in enumerate(got.rows.tolist()):
        text = texts[r]
        slots, words = _blanks(text, " ".join(_TOKEN.findall(_fold(text))))
        assert (got.caps[k] & ~_blank_bits(slots)).sum() == 0, text
        assert (_blank_bits(words - COMMON) & ~got.sig[k]).sum() == 0, text
        assert not slots & COMMON  # so the common words need no bit
        if not any(_fold(c) != c.lower() for c in text) and text.isascii():
            # Plain text: every blank is there (the bound bites as much as it can).
            assert (got.caps[k] == _blank_bits(slots)).all(), text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(BLANKS), min_size=0, max_size=3),
    st.lists(st.sampled_from(BLANKS), min_size=0, max_size=3),
    st.integers(0, 2),
)
def test_the_bit_set_bound_never_drops_a_pair_filled_template_keeps(
    one: list[str], other: list[str], names: int
) -> None:
    body = "une glycémie à {} pour {} ce matin avec la dose de {} unités"
    x = "Bonsoir " + body.format(*(one + ["chat"] * 3)[:3])
    y = "Bonsoir " + body.format(*(other + ["chat"] * 3)[:3])
    detector = TextRepeatDetector(min_chars=1, min_words=2, min_content_words=0, min_shared_words=0)
    detector.max_swapped_names = names
    texts = detector._texts([x, y])
    kept = bool(_not_swapped(texts, np.array([0]), np.array([1]), names)[0])
    if not detector.filled_template(x, y):
        assert kept, (x, y)


def test_the_bit_set_bound_drops_templates_with_other_names_and_numbers() -> None:
    x = "Bonsoir, Oreo surveille sa glycémie : 3,5 g/L ce matin après la dose de 2 unités"
    y = "Bonsoir, Ginger surveille sa glycémie : 3,4 g/L ce matin après la dose de 2 unités"
    z = "Je relaie : Bonsoir, Oreo surveille sa glycémie : 3,5 g/L ce matin après la dose de 2 unités"
    texts = TextRepeatDetector(min_shared_words=1)._texts([x, y, z])
    assert texts.rows.tolist() == [0, 1, 2]
    kept = _not_swapped(texts, np.array([0, 0, 1]), np.array([1, 2, 2]), 1).tolist()
    assert kept == [False, True, False]
    assert TextRepeatDetector().filled_template(x, y) and not TextRepeatDetector().filled_template(x, z)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 6), max_size=200))
def test_the_band_key_sort_is_a_stable_argsort(keys: list[int]) -> None:
    """Equal high bits with other low bits (the small keys) take the slow path."""
    array = np.array(keys, dtype=np.uint64)
    order, got = _stable_argsort(array)
    assert order.tolist() == np.argsort(array, kind="stable").tolist()
    assert got.tolist() == array[order].tolist()
