"""Conversion between domain objects and the JSON documents the store and exports hold.

One place for the field names of FORMATS.md, shared by the store, the importer and the
demo writer, so the contract cannot drift between them.
"""

from __future__ import annotations

from typing import Any

from heuristics.model import Community, Member, Post, format_time, parse_time

COMMUNITY_KEYS = frozenset({"type", "id", "name", "lang", "about", "topic", "off_topic_tolerance"})
MEMBER_KEYS = frozenset({"type", "id", "name", "joined_at", "lang", "left_at"})
POST_KEYS = frozenset({"type", "id", "author", "created_at", "kind", "text", "images", "parent"})


def _extra(doc: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    if doc.keys() <= known:  # the usual case, checked in C: a million posts are read at once
        return {}
    return {k: v for k, v in doc.items() if k not in known}


def community_to_doc(c: Community) -> dict[str, Any]:
    return {
        **c.extra,
        "type": "community",
        "id": c.id,
        "name": c.name,
        "lang": c.lang,
        "about": c.about,
        "topic": list(c.topic),
        "off_topic_tolerance": c.off_topic_tolerance,
    }


def doc_to_community(d: dict[str, Any]) -> Community:
    return Community(
        id=d["id"],
        name=d.get("name") or "",
        lang=d.get("lang"),
        about=d.get("about") or "",
        topic=tuple(d.get("topic") or ()),
        off_topic_tolerance=float(d.get("off_topic_tolerance", 0.2)),
        extra=_extra(d, COMMUNITY_KEYS),
    )


def member_to_doc(m: Member) -> dict[str, Any]:
    doc: dict[str, Any] = {
        **m.extra,
        "type": "member",
        "id": m.id,
        "name": m.name,
        "joined_at": format_time(m.joined_at),
        "lang": m.lang,
    }
    if m.left_at is not None:
        doc["left_at"] = format_time(m.left_at)
    return doc


def doc_to_member(d: dict[str, Any]) -> Member:
    left = d.get("left_at")
    return Member(
        id=d["id"],
        joined_at=parse_time(d["joined_at"]),
        name=d.get("name") or "",
        lang=d.get("lang"),
        left_at=parse_time(left) if left else None,
        extra=_extra(d, MEMBER_KEYS),
    )


def post_to_doc(p: Post) -> dict[str, Any]:
    return {
        **p.extra,
        "type": "post",
        "id": p.id,
        "author": p.author,
        "created_at": format_time(p.created_at),
        "kind": p.kind,
        "text": p.text,
        "images": list(p.images),
        "parent": p.parent,
    }


def doc_to_post(d: dict[str, Any]) -> Post:
    return Post(
        id=d["id"],
        author=d["author"],
        created_at=parse_time(d["created_at"]),
        kind=d.get("kind") or "post",
        text=d.get("text") or "",
        images=tuple(d.get("images") or ()),
        parent=d.get("parent"),
        extra=_extra(d, POST_KEYS),
    )
