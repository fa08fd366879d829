"""off_topic_drift: per-post judgement against the group's own vocabulary, and the share of
off-topic posts over a sliding window against the community's tolerance."""

from __future__ import annotations

from dataclasses import replace

from heuristics.detector import CommunityData
from heuristics.off_topic import OffTopicDriftDetector, TopicModel, off_topic_flags
from heuristics.replies import Templates
from heuristics.textfeatures import LEMMATISER, Lemmatiser
from tests.text_detectors_data import CATS_EN, CATS_FR, NOW, data, everyday, member, post, regulars

OFF_EN = (
    "Anyone know a good mechanic for my car, the brakes are squeaking badly",
    "Selling two concert tickets for Saturday, great seats near the stage",
    "What do you think about the election results and the new government?",
    "Recipe of the day: chocolate cake with strawberries and whipped cream",
)
OFF_FR = (
    "Vends appartement trois pièces avec balcon, quartier calme, proche de la gare",
    "Quelqu'un a regardé le match de football hier soir ? Quel but incroyable",
    "Recette du jour : gâteau au chocolat avec des fraises et de la crème fouettée",
    "Que pensez-vous des élections et du nouveau gouvernement ?",
)


def drifting(lang: str = "en", off: int = 4) -> CommunityData:
    texts = OFF_EN if lang == "en" else OFF_FR
    posts = everyday(days=20, per_day=2, lang=lang, start_days_ago=21)
    posts += [post(f"off{i}", f"m{i}", texts[i % len(texts)], 2 + i * 0.2) for i in range(off)]
    return data(posts, regulars(lang), CATS_EN if lang == "en" else CATS_FR)


def test_each_post_is_judged_against_the_groups_vocabulary() -> None:
    d = drifting()
    flags = off_topic_flags(d)
    assert sorted(pid for pid, off in flags.items() if off) == ["off0", "off1", "off2", "off3"]
    model = TopicModel.build(d)
    verdict = model.judge(d.posts[-1], "en")
    assert verdict is not None
    judged = {p.id: model.judge(p, "en") for p in d.posts}
    car = judged["off0"]
    assert car is not None and car.off_topic and "mechanic" in car.unfamiliar
    assert "off0 is off topic" in car.reason()


def test_short_posts_are_not_judged() -> None:
    d = data(
        [*everyday(), post("s1", "m1", "Merci !", 0.5), post("s2", "m2", "thanks so much", 0.4)], regulars()
    )
    model = TopicModel.build(d)
    assert model.judge(d.posts[-1], "en") is None and model.judge(d.posts[-2], "fr") is None
    assert off_topic_flags(d)["s1"] is False


def test_drift_above_tolerance_fires_with_window_share_and_gentle_public_reply() -> None:
    (signal,) = OffTopicDriftDetector().detect(drifting(), NOW)
    assert set(signal.posts) == {"off0", "off1", "off2", "off3"}
    assert signal.evidence["tolerance"] == 0.2 and signal.evidence["window_days"] == 7
    assert isinstance(signal.evidence["share"], float) and signal.evidence["share"] > 0.2
    window = signal.evidence["window"]
    assert isinstance(window, list) and window[0] < window[1]
    assert "were off topic; the group tolerates 20%" in signal.reasons[0]
    assert signal.reply is not None and signal.reply.visibility == "public" and signal.reply.to is None
    assert signal.reply.text.startswith("Hello everyone! A gentle reminder of what Diabetic Cats is about:")


def test_french_drift_gets_a_french_reminder() -> None:
    (signal,) = OffTopicDriftDetector().detect(drifting("fr"), NOW)
    assert signal.reply is not None and signal.reply.lang == "fr"
    assert "entraide entre propriétaires de chats diabétiques" in signal.reply.text


def test_within_tolerance_stays_silent() -> None:
    assert OffTopicDriftDetector().detect(drifting(off=1), NOW) == []
    # A cat-photo group that tolerates more says nothing about the same posts.
    tolerant = drifting()
    tolerant = replace(tolerant, community=replace(tolerant.community, off_topic_tolerance=0.5))
    assert OffTopicDriftDetector().detect(tolerant, NOW) == []


def test_an_on_topic_post_with_new_words_is_not_off_topic() -> None:
    d = data(
        [
            *everyday(),
            post("n1", "m1", "Started ProZinc for my diabetic cat, curve attached, nadir at 110", 0.3),
        ],
        regulars(),
    )
    assert off_topic_flags(d)["n1"] is False


def test_the_signal_id_is_stable_as_the_window_slides() -> None:
    d = drifting()
    a = OffTopicDriftDetector().detect(d, NOW)
    later = replace(d, posts=[*d.posts, post("off9", "m2", OFF_EN[0], 0.1)])
    b = OffTopicDriftDetector().detect(later, NOW)
    assert [s.id for s in a] == [s.id for s in b]
    assert "off9" in b[0].posts


def test_without_templates_the_reply_falls_back() -> None:
    d = replace(drifting(), templates=Templates())
    (signal,) = OffTopicDriftDetector().detect(d, NOW)
    assert signal.reply is not None and signal.reply.text.startswith("Hello everyone!")


def test_members_language_mix_does_not_hide_drift() -> None:
    members = [member(f"m{i}", "fr" if i % 2 else "en") for i in range(6)]
    d = drifting()
    d = replace(d, members={m.id: m for m in members})
    assert len(OffTopicDriftDetector().detect(d, NOW)) == 1


def test_a_bilingual_description_gives_the_part_in_the_reply_language() -> None:
    d = drifting("fr")
    about = "Entraide entre propriétaires de chats diabétiques · Support for owners of diabetic cats"
    d = replace(d, community=replace(d.community, about=about))
    (signal,) = OffTopicDriftDetector().detect(d, NOW)
    assert signal.reply is not None
    assert "entraide entre propriétaires de chats diabétiques" in signal.reply.text
    assert "Support for owners" not in signal.reply.text


def test_a_description_whose_stop_words_tell_its_languages_does_not_load_the_model(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Loading py3langid costs a fresh process ~0.6 s: parts whose stop words are of one
    language only are told without it; a part with none still asks the model."""
    import heuristics.language as language_mod
    from heuristics.reply_defaults import _about, about_text

    asked: list[str] = []
    real = language_mod.detect_lang

    def counting(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        asked.extend(texts)
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(language_mod, "detect_lang", counting)
    _about.cache_clear()
    both = "Entraide entre propriétaires de chats diabétiques · Support for owners of diabetic cats"
    community = drifting("fr").community
    assert about_text(replace(community, about=both), "en") == "support for owners of diabetic cats"
    french = "entraide entre propriétaires de chats diabétiques"
    assert about_text(replace(community, about=both), "fr") == french
    assert asked == []
    bare = "Chats diabétiques · Diabetic cats"  # no stop word: the model's to tell
    about_text(replace(community, about=bare), "en")
    assert asked == ["Chats diabétiques", "Diabetic cats"]
    _about.cache_clear()


def test_lemmas_kept_between_runs_are_those_of_the_text_as_it_is_now(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A console hands every run the same `kept` dict: a later run lemmatises only texts it
    has not met (an edited post is a new text), and finds what a run from nothing finds."""
    import heuristics.off_topic as off_topic_mod

    calls: list[str] = []
    real = off_topic_mod.content_lemmas

    def counting(text: str, lang: str | None, lemmatiser: Lemmatiser = LEMMATISER) -> set[str]:
        calls.append(text)
        return real(text, lang, lemmatiser)

    monkeypatch.setattr(off_topic_mod, "content_lemmas", counting)
    kept: dict[object, object] = {}
    first = replace(drifting(), kept=kept)
    assert OffTopicDriftDetector().detect(first, NOW)
    assert len(calls) == len({p.text for p in first.posts})  # once per text, posts sharing one too
    calls.clear()
    posts = list(first.posts)
    at = next(i for i, p in enumerate(posts) if p.id == "off0")
    posts[at] = replace(posts[at], text="Our vet changed the insulin dose after the glucose curve")
    edited = replace(first, posts=posts, memo={})
    again = OffTopicDriftDetector().detect(edited, NOW)
    assert calls == [posts[at].text]
    assert again == OffTopicDriftDetector().detect(replace(edited, memo={}, kept={}), NOW)
    assert again != OffTopicDriftDetector().detect(replace(first, memo={}, kept={}), NOW)


def test_kept_figures_are_bounded_and_keep_those_used_last() -> None:
    from heuristics.detector import Kept

    kept: Kept[str, int] = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # used: now the newest
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)
