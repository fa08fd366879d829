"""A small fixed community for the feed's tests and snapshots (now = 2026-03-15 12:00 UTC)."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from textual.app import App

from console.context import Tact
from heuristics.model import Community, Member, Post, PostKind, parse_time
from tests.conftest import NOW, fill

MEMBERS = [
    Member("m1", parse_time("2025-06-01"), "Louis Favre", "fr"),
    Member("m2", parse_time("2025-08-12"), "Anne Martin", "fr"),
    Member("m3", parse_time("2025-11-03"), "Sam Carter", "en"),
    Member("m4", parse_time("2026-03-14T09:00:00Z"), "Chloé Durand", "fr"),
    Member("m5", parse_time("2025-01-20"), "Priya Natarajan", "en"),
]

TEXTS = [
    "Bonjour, la glycémie de Minou est remontée à 3 g ce matin, faut-il augmenter la dose ?",
    "Our vet switched Tigger to ProZinc, his curve looks much flatter now. Thanks all!",
    "Photo du jour : Caramel qui dort sur le radiateur après son injection.",
    "Does anyone weigh food with a kitchen scale? I never know how much wet food to give.",
    "Rappel : jamais d'insuline si le chat n'a pas mangé. En cas de doute, appelez le vétérinaire.",
    "Hypo last night at 2 am, honey on the gums worked. Shaking still, but eating again.",
]


def community_posts() -> list[Post]:
    """18 posts over four months and 7 comments: three under p2, a nested pair under p5, two under p12."""
    posts: list[Post] = []
    hours = [2, 5, 26, 50, 75, 130, 200, 330, 500, 700, 900, 1100, 1300, 1500, 1700, 1900, 2100, 2300]
    for i, h in enumerate(hours):
        kind: PostKind = "introduction" if i in (1, 7) else "post"
        author = MEMBERS[i % len(MEMBERS)].id
        images = tuple(f"img/p{i}-{k}.jpg" for k in range(i % 3))
        posts.append(Post(f"p{i}", author, NOW - timedelta(hours=h), kind, TEXTS[i % len(TEXTS)], images))
    posts += [
        Post("c1", "m2", NOW - timedelta(hours=25), "comment", "Oui, parlez-en au véto avant.", parent="p2"),
        Post("c2", "m3", NOW - timedelta(hours=20), "comment", "Same here, check for ketones.", parent="p2"),
        Post("c3", "m1", NOW - timedelta(hours=3), "comment", "Merci pour vos réponses !", parent="p2"),
        Post("c4", "m5", NOW - timedelta(hours=120), "comment", "Which dose was that?", parent="p5"),
        Post("c5", "m1", NOW - timedelta(hours=100), "comment", "1 unit twice a day.", parent="c4"),
        Post("c6", "m4", NOW - timedelta(hours=1290), "comment", "Superbe photo !", parent="p12"),
        Post("c7", "m2", NOW - timedelta(hours=4), "comment", "Late answer: yes.", parent="p12"),
    ]
    return posts


def fill_community(tact: Tact) -> Tact:
    community = Community("chats", "Chats diabétiques", "fr", "Entraide", ("chat", "insuline"))
    return fill(tact, MEMBERS, community_posts(), community)


def screen_text(app: App[None]) -> str:
    """What the terminal shows right now, as plain text (cells only, no styles or controls)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)
