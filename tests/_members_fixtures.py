"""A small community for the members rules, with a fixed now (2026-03-15 12:00 UTC, a Sunday)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from heuristics.detector import CommunityData, Moderation
from heuristics.model import Community, Member, Post, parse_time
from heuristics.replies import Templates

NOW = parse_time("2026-03-15T12:00:00Z")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "heuristics" / "templates"


def shipped(kinds: Iterable[str] = ("inactive_member", "onboarding")) -> Templates:
    """The shipped templates of these kinds, read straight from their TOML files."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    for kind in kinds:
        doc = tomllib.loads((TEMPLATES_DIR / f"{kind}.toml").read_text(encoding="utf-8"))
        for lang, variants in doc.items():
            table.setdefault(lang, {})[kind] = dict(variants)
    return Templates(table)


def t(value: str) -> datetime:
    return parse_time(value)


def member(mid: str, joined: str, name: str = "", lang: str | None = None, left: str | None = None) -> Member:
    return Member(mid, t(joined), name or mid.upper(), lang, t(left) if left else None)  # type: ignore[arg-type]


_counter = iter(range(1, 10_000_000))


def post(author: str, at: str, kind: str = "post", text: str = "", parent: str | None = None) -> Post:
    pid = f"p{next(_counter)}"
    return Post(pid, author, t(at), kind, text, (), parent if kind != "comment" else (parent or "p0"))  # type: ignore[arg-type]


def data(
    members: Iterable[Member],
    posts: Iterable[Post] = (),
    moderation: Moderation | None = None,
    community: Community | None = None,
    langs: Mapping[str, str] | None = None,
) -> CommunityData:
    return CommunityData(
        community=community or Community("cats", "Diabetic cats", "en"),
        members={m.id: m for m in members},
        posts=sorted(posts, key=lambda p: (p.created_at, p.id)),
        moderation=moderation or Moderation(),
        templates=shipped(),
        member_langs=dict(langs or {}),  # type: ignore[arg-type]
    )
