"""What a detector sees and what it must provide.

A detector is a small class with a `kind` (one of FORMATS.md's signal kinds) whose
`detect(data, now)` is a pure function of the community's data and `now`. Its parameters
(thresholds, windows, word lists) are constructor keyword arguments with sensible
defaults, so the engine can build it from the `[detectors.<kind>]` table of tact.toml.

A detector that can work incrementally also provides `detect_new(data, new_posts, previous,
now)`: given the signals of its kind from the previous run and the posts added since, it
returns the full new list of its signals, touching only what the new posts can change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from heuristics.model import Community, Lang, Member, Post, Signal
from heuristics.replies import Templates


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """Perceptual hashes of one picture, computed once and kept in the store."""

    path: str
    kind: str
    """Which hash (or combination) `hashes` holds, e.g. "phash64+dhash64"."""
    hashes: tuple[int, ...]
    """The hash values as unsigned ints, in the order `kind` names them."""


@dataclass(frozen=True, slots=True)
class Moderation:
    """Facts from the audit log that detectors honour (the console folds them for us)."""

    no_checkin: frozenset[str] = frozenset()
    """Members a moderator marked "don't check in"."""
    last_checkin: Mapping[str, datetime] = field(default_factory=dict)
    """When each member was last checked in on privately."""
    onboarding_done: frozenset[tuple[str, str]] = frozenset()
    """(member id or "*" for group posts, step) pairs already done, e.g. ("m17", "welcome")."""


@dataclass(frozen=True, slots=True)
class CommunityData:
    """Everything a detector may read. Built by the console from the store."""

    community: Community
    members: Mapping[str, Member]
    posts: Sequence[Post]
    """Every post and comment, oldest first."""
    image_hashes: Mapping[str, ImageHashes] = field(default_factory=dict)
    """By image path (as in `Post.images`)."""
    moderation: Moderation = field(default_factory=Moderation)
    templates: Templates = field(default_factory=Templates)
    member_langs: Mapping[str, Lang] = field(default_factory=dict)
    """The language of each member: given in the file, else detected from their posts."""

    def lang_of(self, member_id: str) -> Lang:
        """A member's language; the community's (else English) when unknown."""
        lang = self.member_langs.get(member_id)
        if lang is None:
            member = self.members.get(member_id)
            lang = member.lang if member is not None else None
        return lang or self.community.lang or "en"


@runtime_checkable
class Detector(Protocol):
    kind: str

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]: ...


@runtime_checkable
class IncrementalDetector(Detector, Protocol):
    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]: ...
