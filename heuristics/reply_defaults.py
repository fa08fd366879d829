"""Built-in reply texts for the text detectors, used when no template is loaded.

The console loads `heuristics/templates/<kind>.toml` (which moderators may edit) and passes
them in `CommunityData.templates`; a detector run without them (a unit test, a script) still
suggests a reply from these copies of the files' `[en]`/`[fr]` tables. A test keeps them equal
to the TOML files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from heuristics.detector import CommunityData
from heuristics.lexicons import LEXICONS
from heuristics.model import Community, Lang
from heuristics.replies import Templates
from heuristics.textfeatures import words

DEFAULTS: dict[str, dict[str, dict[str, str]]] = {
    "self_promotion": {
        "en": {
            "default": (
                "Hi {name}, thank you for introducing yourself, and welcome to {group}! We'd "
                "love to get to know you and your cat: what works well for you at the moment, "
                "and what is harder? Everyone here learns from each other's experience."
            ),
            "first_post": (
                "Hi {name}, welcome to {group}, and thank you for your first post! Tell us a "
                "little about you and your cat: what works well for you, and what is harder "
                "at the moment?"
            ),
        },
        "fr": {
            "default": (
                "Bonjour {name}, merci de vous être présenté·e, et bienvenue dans {group} ! "
                "Nous aimerions beaucoup faire votre connaissance, et celle de votre chat : "
                "qu'est-ce qui fonctionne bien pour vous en ce moment, et qu'est-ce qui est "
                "plus difficile ? Ici, chacun apprend de l'expérience des autres."
            ),
            "first_post": (
                "Bonjour {name}, bienvenue dans {group}, et merci pour votre premier message "
                "! Parlez-nous un peu de vous et de votre chat : qu'est-ce qui fonctionne "
                "bien pour vous, et qu'est-ce qui est plus difficile en ce moment ?"
            ),
        },
    },
    "spam": {
        "en": {
            "default": (
                "Hi {name}, thanks for stopping by! {group} is a place for {about}, so we "
                "keep the comments for that. If you have a cat with diabetes, we'd love to "
                "hear how things are going for you."
            ),
        },
        "fr": {
            "default": (
                "Bonjour {name}, merci de votre passage ! {group} est un lieu pour {about}, "
                "alors nous gardons les commentaires pour cela. Si vous avez un chat "
                "diabétique, nous serions ravis de savoir comment ça se passe pour vous."
            ),
        },
    },
    "off_topic_drift": {
        "en": {
            "default": (
                "Hello everyone! A gentle reminder of what {group} is about: {about}. Lots of "
                "friendly posts lately have wandered a little further; that's lovely, and "
                "we'd also like to make sure nobody's urgent question gets lost among them. "
                "Thank you all for keeping the group focused!"
            ),
        },
        "fr": {
            "default": (
                "Bonjour à toutes et à tous ! Un petit rappel de ce qui nous réunit dans "
                "{group} : {about}. Beaucoup de messages sympathiques se sont un peu éloignés "
                "du sujet ces derniers jours ; c'est agréable, et nous voulons aussi "
                "qu'aucune question urgente ne se perde au milieu. Merci à chacun de garder "
                "le groupe centré sur l'essentiel !"
            ),
        },
    },
    "against_mission": {
        "en": {
            "default": (
                "Hi {name}, I'm writing to you privately about your recent post. {group} "
                "exists to help our cats live well, and what it describes goes against that, "
                "so we can't leave it in the group as it is. If you are going through a hard "
                "time (costs, time, a difficult decision), please tell us: members and vets "
                "here have found solutions for many situations, and we would really like to "
                "help you and your cat."
            ),
        },
        "fr": {
            "default": (
                "Bonjour {name}, je vous écris en privé au sujet de votre dernière "
                "publication. {group} existe pour aider nos chats à bien vivre, et ce qu'elle "
                "décrit va à l'encontre de cela : nous ne pouvons pas la laisser telle quelle "
                "dans le groupe. Si vous traversez une période difficile (coût, temps, "
                "décision douloureuse), dites-le-nous : des membres et des vétérinaires ici "
                "ont trouvé des solutions à bien des situations, et nous aimerions vraiment "
                "vous aider, vous et votre chat."
            ),
        },
    },
    "conflict": {
        "en": {
            "default": (
                "Hi {name}, I'm writing to you privately about the discussion with {other}. I "
                "can see the subject matters to you, and different opinions are welcome in "
                "{group}, but personal remarks and insults are not how we talk to each other "
                "here. Could you take a step back and keep to the facts from now on? Thank "
                "you for helping keep the group a safe place for everyone."
            ),
        },
        "fr": {
            "default": (
                "Bonjour {name}, je vous écris en privé au sujet de l'échange avec {other}. "
                "Je vois que le sujet vous tient à cœur, et les avis différents sont les "
                "bienvenus dans {group}, mais les remarques personnelles et les insultes ne "
                "font pas partie de notre façon d'échanger. Pourriez-vous prendre un peu de "
                "recul et vous en tenir aux faits désormais ? Merci de nous aider à garder le "
                "groupe accueillant pour tout le monde."
            ),
        },
    },
}


def render_reply(
    data: CommunityData, kind: str, lang: Lang, variant: str = "default", **fields: object
) -> str:
    """The community's template for (kind, lang, variant), else the built-in one; "" if none."""
    text = data.templates.render(kind, lang, variant, **fields)
    if text:
        return text
    table: Mapping[str, Mapping[str, Mapping[str, str]]] = {
        lang: {kind: DEFAULTS.get(kind, {}).get(lang, {})}
    }
    return Templates(table).render(kind, lang, variant, **fields)


def about_text(community: Community, lang: Lang | None = None) -> str:
    """What the group is about, to fit in a sentence: "entraide entre propriétaires de …".

    A bilingual description ("Entraide entre … · Support for owners of …") gives the part in
    `lang` when one can be told apart.
    """
    return _about(community.about, tuple(community.topic), community.name, community.id, lang)


@lru_cache(maxsize=64)
def _about(about: str, topic: tuple[str, ...], name: str, cid: str, lang: Lang | None) -> str:
    # Cached: a reply per spam comment asks the same question, and telling the description's
    # languages apart runs the language model (≈ 2 ms a call).
    about = about.strip()
    parts = [p.strip() for p in re.split(r"\s[·|/]\s", about) if p.strip()]
    if lang is not None and len(parts) > 1:
        in_lang = [p for p in parts if _part_lang(p) == lang]
        about = in_lang[0] if in_lang else about
    about = about.rstrip(".")
    if not about:
        about = ", ".join(topic) or name or cid
    if len(about) > 1 and about[0].isupper() and about[1].islower():
        about = about[0].lower() + about[1:]
    return about


def _part_lang(part: str) -> Lang | None:
    """The language of one part of a description: told by its stop words when only one
    language's show ("Entraide entre … de …", "Support for … of …"), else by the language
    model. Loading that model costs a process about 0.6 s, and the first reply a fresh
    `tact signals` renders would pay it for a question the stop words answer."""
    found = {_ONLY_IN[word] for word in words(part) if word in _ONLY_IN}
    if len(found) == 1:
        return found.pop()
    from heuristics.language import detect_lang  # py3langid loads only when needed

    return detect_lang([part], min_letters=10, min_confidence=0.7)


def _only_in() -> dict[str, Lang]:
    """Stop word -> the one language whose list has it (words in both tell nothing)."""
    en, fr = LEXICONS["en"].STOPWORDS, LEXICONS["fr"].STOPWORDS
    return {**dict.fromkeys(en - fr, "en"), **dict.fromkeys(fr - en, "fr")}


_ONLY_IN: Mapping[str, Lang] = _only_in()


def group_name(community: Community) -> str:
    return community.name or community.id
