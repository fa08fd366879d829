"""The domain types every room shares: frozen, time-zone aware, free of I/O."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

PostKind = Literal["post", "comment", "introduction"]
POST_KINDS: tuple[PostKind, ...] = ("post", "comment", "introduction")
Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
Visibility = Literal["public", "private"]
Status = Literal["open", "snoozed", "dismissed", "handled"]

#: The signal kinds of FORMATS.md, in the order screens list them.
SIGNAL_KINDS: tuple[str, ...] = (
    "image_repost",
    "text_repeat",
    "self_promotion",
    "spam",
    "off_topic_drift",
    "against_mission",
    "conflict",
    "quiet_group",
    "inactive_member",
    "onboarding",
)

#: How soon a kind usually needs a moderator, 0 first. Within a tier the score decides;
#: the routine cadence (onboarding, a quiet week) and the private check-ins on silent
#: members come after, so 1,600 quiet members never bury one cruelty post or one quarrel.
URGENCY_TIER: dict[str, int] = {"quiet_group": 1, "onboarding": 1, "inactive_member": 2}


def utc(dt: datetime) -> datetime:
    """Return `dt` as an aware UTC datetime; a naive one is taken to be UTC (FORMATS.md)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_time(value: str) -> datetime:
    """Parse an ISO-8601 date or date-time into aware UTC; raises ValueError."""
    dt = datetime.fromisoformat(value.strip())  # 3.11 reads "Z" and dates alone
    if dt.tzinfo is UTC:
        return dt
    return utc(dt)


def format_time(dt: datetime) -> str:
    """ISO-8601 in UTC with a trailing Z, the form FORMATS.md shows."""
    return utc(dt).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Community:
    id: str
    name: str = ""
    lang: Lang | None = None
    about: str = ""
    topic: tuple[str, ...] = ()
    off_topic_tolerance: float = 0.2
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    """Unknown keys of the record, kept as imported (FORMATS.md: unknown keys are kept)."""


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    joined_at: datetime
    name: str = ""
    lang: Lang | None = None
    left_at: datetime | None = None
    """When the member left the group, if the source says so (an extension field)."""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def display_name(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    author: str
    created_at: datetime
    kind: PostKind = "post"
    text: str = ""
    images: tuple[str, ...] = ()
    """Absolute paths of the post's pictures (the importer resolves relative ones)."""
    parent: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_comment(self) -> bool:
        return self.kind == "comment"


@dataclass(frozen=True, slots=True)
class Reply:
    lang: Lang
    visibility: Visibility
    to: str | None
    """The post (or member, for private messages) the reply answers."""
    text: str


@dataclass(frozen=True, slots=True)
class Signal:
    id: str
    """Stable: the same across runs for the same evidence (see `signal_id`)."""
    kind: str
    score: float
    at: datetime
    posts: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    reply: Reply | None = None
    status: Status = "open"
    evidence: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    """Machine-readable evidence: matched words, distances, thresholds, windows."""


def signal_id(kind: str, *keys: str) -> str:
    """A stable id from the signal kind and the keys that identify its evidence.

    Ids must not change when unrelated data changes, so detectors pass the smallest
    identifying key: the first post of a repost cluster, the post of a spam comment,
    the member and the due step of an onboarding signal, the window of a quiet period.
    """
    digest = hashlib.blake2b("\x1f".join((kind, *keys)).encode(), digest_size=6).hexdigest()
    return f"{kind}:{digest}"
