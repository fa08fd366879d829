"""64-bit fingerprints of what a detector may read, summed per month to reveal edits.

The engine keeps, per month, the sum (mod 2^64) of `post_digest` over its posts; a later
run compares it with the sum over the posts it had seen to know whether any was edited or
removed. The store keeps the same sum beside each month's file (computed as it writes the
file), so a run that starts over need not read every post just to fingerprint it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from heuristics.detector import ImageHashes
from heuristics.model import Member, Post, format_time

MASK = (1 << 64) - 1
_RS = "\x1e"


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def post_digest(post: Post) -> int:
    """A 64-bit fingerprint of everything a detector may read about one post itself (its
    pictures' hashes are `picture_digest`'s). Hot: it runs over every post of the months an
    import touched, hence the plain f-string."""
    raw = (
        f"{post.id}\x1f{post.author}\x1f{post.created_at.timestamp()!r}\x1f{post.kind}"
        f"\x1f{post.parent or ''}\x1f{post.text}\x1f{_RS.join(post.images)}"
    )
    return _h64(raw.encode("utf-8", "surrogatepass"))


def digest_sum(posts: Iterable[Post], start: int = 0) -> int:
    """`start` plus the `post_digest` of each post, mod 2^64."""
    return (start + sum(map(post_digest, posts))) & MASK


def picture_digest(post_id: str, images: Sequence[str], hashes: Mapping[str, ImageHashes]) -> int:
    """A 64-bit fingerprint of the hashes of one post's pictures: a picture hashed after the
    post was first seen must make image detectors look at the post again. It needs the post
    table's row only, so new hashes are checked without reading a single post."""
    raw = post_id
    for path in images:
        h = hashes.get(path)
        raw += f"\x1f{path}={h.kind}:{h.hashes}" if h else f"\x1f{path}"
    return _h64(raw.encode("utf-8", "surrogatepass"))


def member_digest(member: Member) -> int:
    raw = "\x1f".join(
        (
            member.id,
            format_time(member.joined_at),
            member.name,
            member.lang or "",
            format_time(member.left_at) if member.left_at else "",
        )
    )
    return _h64(raw.encode("utf-8", "surrogatepass"))
