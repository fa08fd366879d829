"""Small helpers shared by the repeat detectors (image_repost, text_repeat)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from heuristics.detector import CommunityData
from heuristics.model import Post, Reply


class UnionFind:
    """Groups of ids joined pair by pair; the root of a group is its smallest id."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while parent[x] != root:  # path compression: later finds are one step
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return list(out.values())


def member_name(data: CommunityData, member_id: str) -> str:
    member = data.members.get(member_id)
    return member.display_name if member is not None else member_id


def reply_to_repost(
    data: CommunityData, kind: str, first: Post, last: Post, variant: str = "default"
) -> Reply | None:
    """Public, to the latest repost, in its author's language, kindly pointing to the first
    post (the `own` variant when the author re-shares their own post)."""
    lang = data.lang_of(last.author)
    text = data.templates.render(
        kind,
        lang,
        "own" if last.author == first.author else variant,
        name=member_name(data, last.author),
        first_author=member_name(data, first.author),
        first_post=first.id,
        first_date=first.created_at.date().isoformat(),
    )
    return Reply(lang, "public", last.id, text) if text else None


def span_words(span: timedelta) -> str:
    """ "less than a day", "1 day", "12 days": for reasons."""
    days = span / timedelta(days=1)
    if days < 1:
        return "less than a day"
    return f"{days:.0f} day{'s' if round(days) != 1 else ''}"
