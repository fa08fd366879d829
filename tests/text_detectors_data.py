"""Small hand-made communities for the text detectors' tests (no store, no I/O but the
templates, which the console would load: the tests load them the same way)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from heuristics.detector import CommunityData
from heuristics.model import Community, Member, Post, parse_time
from heuristics.replies import Templates

NOW = parse_time("2026-03-15T12:00:00Z")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "heuristics" / "templates"
KINDS = ("self_promotion", "spam", "off_topic_drift", "against_mission", "conflict")

CATS_EN = Community(
    "cats",
    "Diabetic Cats",
    "en",
    "Support for owners of diabetic cats",
    ("cat", "insulin", "glucose", "diabetes"),
    0.2,
)
CATS_FR = Community(
    "chats",
    "Chats diabétiques",
    "fr",
    "Entraide entre propriétaires de chats diabétiques",
    ("chat", "insuline", "glycémie", "diabète"),
    0.2,
)


def load_templates(kinds: Iterable[str] = KINDS) -> Templates:
    table: dict[str, dict[str, dict[str, str]]] = {}
    for kind in kinds:
        with (TEMPLATES_DIR / f"{kind}.toml").open("rb") as handle:
            for lang, variants in tomllib.load(handle).items():
                table.setdefault(lang, {})[kind] = dict(variants)
    return Templates(table)


def member(mid: str, lang: str = "en", joined_days_ago: float = 200, name: str = "") -> Member:
    return Member(mid, NOW - timedelta(days=joined_days_ago), name or mid.upper(), lang)  # type: ignore[arg-type]


def post(
    pid: str,
    author: str,
    text: str,
    days_ago: float = 1,
    kind: str = "post",
    parent: str | None = None,
) -> Post:
    return Post(pid, author, NOW - timedelta(days=days_ago), kind, text, (), parent)  # type: ignore[arg-type]


def data(
    posts: Iterable[Post],
    members: Iterable[Member] = (),
    community: Community = CATS_EN,
    templates: Templates | None = None,
) -> CommunityData:
    ordered = sorted(posts, key=lambda p: (p.created_at, p.id))
    return CommunityData(
        community,
        {m.id: m for m in members},
        ordered,
        templates=load_templates() if templates is None else templates,
    )


# Everyday posts of a diabetic-cat group, for the vocabulary the off-topic judgement learns.
GROUP_EN = (
    "My cat Felix was diagnosed with diabetes, we start insulin tomorrow",
    "His glucose curve looks better since we switched to wet food",
    "Is a nadir of 80 too low for my cat on Lantus insulin?",
    "The vet says my cat could reach remission with a low carb diet",
    "How do you test blood glucose at home without stressing your cat?",
    "My kitty drinks a lot of water and pees a lot, could it be diabetes?",
    "We had a hypo scare last night, honey on the gums helped, glucose back to 120",
    "Which glucose meter do you use for your diabetic cat?",
    "Insulin dose reduced to 1 unit after a good curve this week",
    "Shot time is so much easier with treats, my cat barely notices the insulin",
)
GROUP_FR = (
    "Mon chat a été diagnostiqué diabétique, on commence l'insuline demain",
    "Sa courbe de glycémie est meilleure depuis la pâtée sans céréales",
    "Le véto pense que ma chatte peut être en rémission avec un régime adapté",
    "Quel lecteur de glycémie utilisez-vous pour votre chat diabétique ?",
    "Petite hypo cette nuit, du miel sur les gencives et la glycémie est remontée",
    "Ma chatte boit beaucoup et urine partout, le véto parle de diabète",
    "Combien d'unités d'insuline donnez-vous matin et soir à votre chat ?",
    "Les piqûres d'insuline se passent bien avec des friandises",
)


def everyday(days: int = 20, per_day: int = 2, lang: str = "en", start_days_ago: float = 30) -> list[Post]:
    texts = GROUP_EN if lang == "en" else GROUP_FR
    out = []
    for i in range(days * per_day):
        out.append(post(f"g{i}", f"m{i % 6}", texts[i % len(texts)], start_days_ago - i / per_day))
    return out


def regulars(lang: str = "en") -> list[Member]:
    return [member(f"m{i}", lang) for i in range(6)]
