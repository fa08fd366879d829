"""Import a community file (FORMATS.md: JSON Lines of community, member and post records).

The whole file is checked before anything is written: a bad line aborts the import with
`FILE:LINE: field: problem` and the store stays exactly as it was (not even its generation
moves). With `skip_invalid` the good lines are imported and the bad ones reported.
Importing the same file again writes nothing: records equal to the stored ones are skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from console.errors import BadInput
from console.feed_head import refresh_head
from console.gc_pause import gc_paused
from console.member_langs import member_langs
from console.progress import ProgressBar, quiet
from console.records import (
    COMMUNITY_KEYS,
    MEMBER_KEYS,
    POST_KEYS,
    community_to_doc,
    member_to_doc,
    post_to_doc,
)
from console.store import Store
from console.store_posts import StorePosts
from heuristics.model import LANGS, POST_KINDS, Community, Member, Post, parse_time


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad line: where, which field, what is wrong (our words; values shown short)."""

    line: int
    field: str
    message: str

    def format(self, file: str) -> str:
        return f"{file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    file: str
    community: str
    """"added", "updated", "unchanged" or "" (no community record in the file)."""
    members_added: int = 0
    members_updated: int = 0
    posts_added: int = 0
    posts_updated: int = 0
    unchanged: int = 0
    pictures_hashed: int | None = None
    """None when picture hashing is not available."""
    skipped: tuple[Problem, ...] = field(default=())

    def line(self) -> str:
        parts = [
            f"imported {self.file}:",
            f"{self.members_added} members added, {self.members_updated} updated;",
            f"{self.posts_added} posts added, {self.posts_updated} updated;",
            f"{self.unchanged} records unchanged",
        ]
        if self.community:
            parts[-1] += f"; community {self.community}"
        if self.pictures_hashed:
            parts[-1] += f"; {self.pictures_hashed} pictures hashed"
        if self.skipped:
            parts[-1] += f"; {len(self.skipped)} bad lines skipped"
        return " ".join(parts)


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message


_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _type_name(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _show(value: object, limit: int = 40) -> str:
    """A short quoted rendering of a value from the file, for error messages."""
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def _str(doc: dict[str, Any], key: str, required: bool = False) -> str | None:
    if key not in doc or (doc[key] is None and not required):
        if required:
            raise _Bad(key, "missing")
        return None
    value = doc[key]
    if not isinstance(value, str):
        raise _Bad(key, f"expected a string, got {_type_name(value)}")
    if required and not value.strip():
        raise _Bad(key, "empty")
    return value


def _time(doc: dict[str, Any], key: str, required: bool = False) -> Any:
    value = _str(doc, key, required)
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise _Bad(key, f"not an ISO-8601 date-time: {_show(value)}") from None


def _lang(doc: dict[str, Any]) -> Any:
    value = doc.get("lang")
    if value is None:
        return None
    if value not in LANGS:
        raise _Bad("lang", f'expected "en" or "fr", got {_show(value)}')
    return value


def _extra(doc: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in known}


class _Reader:
    """Checks records one by one, remembering what later lines may refer to."""

    def __init__(self, store: Store, base: Path) -> None:
        self.store = store
        self.base = base
        self.community: Community | None = None
        self.community_line = 0
        self.members: dict[str, Member] = {}
        self.posts: dict[str, Post] = {}
        # Read the store's post ids once: asking the store per line costs a stat each time.
        self.stored: frozenset[str] = frozenset(store.post_index().id)

    def _known_post(self, post_id: str) -> bool:
        return post_id in self.posts or post_id in self.stored

    def record(self, doc: dict[str, Any], line: int) -> None:
        kind = _str(doc, "type", required=True)
        if kind == "post":
            post = self._post(doc)
            self.posts[post.id] = post
        elif kind == "member":
            member = self._member(doc)
            self.members[member.id] = member
        elif kind == "community":
            community = self._community(doc)
            if self.community is not None and self.community.id != community.id:
                raise _Bad("type", f"a second community record (the first is on line {self.community_line})")
            self.community, self.community_line = community, line
        else:
            raise _Bad("type", f"unknown record type {_show(kind)} (expected community, member or post)")

    def _community(self, doc: dict[str, Any]) -> Community:
        cid = _str(doc, "id", required=True)
        topic = doc.get("topic")
        if topic is not None and not (isinstance(topic, list) and all(isinstance(t, str) for t in topic)):
            raise _Bad("topic", f"expected a list of strings, got {_show(topic)}")
        tolerance = doc.get("off_topic_tolerance", 0.2)
        if tolerance is None:
            tolerance = 0.2
        if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
            raise _Bad("off_topic_tolerance", f"expected a number, got {_type_name(tolerance)}")
        if not 0 <= tolerance <= 1:
            raise _Bad("off_topic_tolerance", f"expected a share between 0 and 1, got {tolerance}")
        assert cid is not None
        return Community(
            id=cid,
            name=_str(doc, "name") or "",
            lang=_lang(doc),
            about=_str(doc, "about") or "",
            topic=tuple(topic or ()),
            off_topic_tolerance=float(tolerance),
            extra=_extra(doc, COMMUNITY_KEYS),
        )

    def _member(self, doc: dict[str, Any]) -> Member:
        mid = _str(doc, "id", required=True)
        joined = _time(doc, "joined_at", required=True)
        name = _str(doc, "name") or ""
        lang = _lang(doc)
        left = _time(doc, "left_at")
        assert mid is not None
        return Member(
            id=mid, joined_at=joined, name=name, lang=lang, left_at=left, extra=_extra(doc, MEMBER_KEYS)
        )

    def _post(self, doc: dict[str, Any]) -> Post:
        pid = _str(doc, "id", required=True)
        author = _str(doc, "author", required=True)
        created = _time(doc, "created_at", required=True)
        kind = doc.get("kind")
        if kind is None:
            kind = "post"
        if kind not in POST_KINDS:
            raise _Bad("kind", f"expected post, comment or introduction, got {_show(kind)}")
        text = _str(doc, "text") or ""
        parent = _str(doc, "parent")
        if parent is not None:
            if parent == pid:
                raise _Bad("parent", "a post cannot answer itself")
            if not self._known_post(parent):
                raise _Bad(
                    "parent",
                    f"unknown post {_show(parent)} (a parent must come earlier in the "
                    "file or be in the store)",
                )
        elif kind == "comment":
            raise _Bad("parent", "missing (a comment needs a parent)")
        images = self._images(doc.get("images"))
        assert pid is not None and author is not None
        return Post(
            id=pid,
            author=author,
            created_at=created,
            kind=kind,
            text=text,
            images=images,
            parent=parent,
            extra=_extra(doc, POST_KEYS),
        )

    def _images(self, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise _Bad("images", f"expected a list of paths, got {_type_name(value)}")
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise _Bad("images", f"expected a path (string), got {_show(item)}")
            # normpath, not resolve(): the same file imported twice gives the same path,
            # and symlinked folders keep the name the moderator gave.
            path = os.path.normpath(self.base / item)
            if "\x00" in path or not os.path.isfile(path):
                raise _Bad("images", f"file not found: {_show(item)}")
            out.append(path)
        return tuple(out)


def _lines(path: Path, advance: Callable[[int], None]) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        done = 0
        for number, raw in enumerate(handle, start=1):
            done += len(raw)
            if number % 2048 == 0:
                advance(done)
            yield number, raw
        advance(done)


def read_file(
    store: Store, path: Path, skip_invalid: bool = False, bar: ProgressBar | None = None, label: str = ""
) -> tuple[_Reader, list[Problem]]:
    """Check every line of `path`; returns what is good and the problems found.

    Without `skip_invalid` the first problem raises BadInput at once (nothing is written).
    """
    label = label or str(path)
    bar = bar or quiet()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadInput(f"{label}: not a file")
    except OSError as err:
        raise BadInput(f"{label}: cannot read: {err.strerror or err}") from None
    reader = _Reader(store, path.parent.absolute())
    problems: list[Problem] = []
    records = 0
    task = bar.task("Checking", total=size)
    try:
        for number, raw in _lines(path, task.update):
            try:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    raise _Bad(
                        "encoding", f"not UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})"
                    ) from None
                if number == 1:
                    text = text.removeprefix("\ufeff")
                if not text.strip():
                    continue
                try:
                    doc = orjson.loads(text)
                except orjson.JSONDecodeError as err:
                    # orjson's wording past the first clause changes between versions
                    reason = re.split(r"[:,]", str(err), maxsplit=1)[0]
                    raise _Bad("json", f"not valid JSON ({reason})") from None
                if not isinstance(doc, dict):
                    raise _Bad("json", f"expected a JSON object, got {_type_name(doc)}")
                records += 1
                reader.record(doc, number)
            except _Bad as bad:
                problem = Problem(number, bad.field, bad.message)
                if not skip_invalid:
                    raise BadInput(problem.format(label)) from None
                problems.append(problem)
    except OSError as err:
        raise BadInput(f"{label}: cannot read: {err.strerror or err}") from None
    if records == 0 and not problems:
        raise BadInput(f"{label}:1: file: empty (no records)")
    return reader, problems


def _changed_posts(
    store: Store, posts: dict[str, Post], stored: frozenset[str]
) -> tuple[list[Post], int, int]:
    """(posts to write, how many are new, how many unchanged)."""
    existing_ids = [pid for pid in posts if pid in stored]
    existing = store.posts(existing_ids)
    write: list[Post] = []
    unchanged = 0
    for pid, post in posts.items():
        old = existing.get(pid)
        if old is not None and post_to_doc(old) == post_to_doc(post):
            unchanged += 1
        else:
            write.append(post)
    return write, len(posts) - len(existing), unchanged


def import_file(
    store: Store,
    path: str | Path,
    skip_invalid: bool = False,
    bar: ProgressBar | None = None,
    hash_pictures: bool = True,
) -> ImportSummary:
    """Check then import `path` into `store`; raises BadInput on a bad line (store untouched).

    `hash_pictures=False` leaves the new pictures unhashed (benchmarks time the two apart)."""
    label = str(path)
    bar = bar or quiet()
    with store.lock(), gc_paused():
        reader, problems = read_file(store, Path(path), skip_invalid, bar, label)
        if not (reader.posts or reader.members or reader.community):
            first = problems[0].format(label) if problems else f"{label}:1: file: empty (no records)"
            raise BadInput(f"{first} (no good line to import)")

        community_state = ""
        if reader.community is not None:
            old_c = store.community()
            if old_c is None or old_c.id != reader.community.id:
                community_state = "added" if old_c is None else "updated"
            elif community_to_doc(old_c) != community_to_doc(reader.community):
                community_state = "updated"
            else:
                community_state = "unchanged"
        known = store.members()
        members_new = [m for mid, m in reader.members.items() if mid not in known]
        members_changed = [
            m
            for mid, m in reader.members.items()
            if mid in known and member_to_doc(known[mid]) != member_to_doc(m)
        ]
        unchanged = len(reader.members) - len(members_new) - len(members_changed)
        posts_write, posts_new, posts_same = _changed_posts(store, reader.posts, reader.stored)
        unchanged += posts_same

        people = [*members_new, *members_changed]
        write_community = reader.community if community_state in ("added", "updated") else None
        if write_community is not None or people:
            store.save_people(write_community, people)
        if posts_write:
            store.save_posts(posts_write, progress=bar.task("Saving posts", total=len(posts_write)))

        if posts_write or people:
            _detect_languages(store, reader.posts, bar)
        hashed = _hash_pictures(store, reader.posts.values(), bar) if hash_pictures else None
        if posts_write or people or write_community is not None:
            # The feed's saved first page is retired by this write: the next launch would
            # read the newest month itself before painting. Write it now instead.
            refresh_head(store)
    return ImportSummary(
        file=label,
        community=community_state,
        members_added=len(members_new),
        members_updated=len(members_changed),
        posts_added=posts_new,
        posts_updated=len(posts_write) - posts_new,
        unchanged=unchanged,
        pictures_hashed=hashed,
        skipped=tuple(problems),
    )


def _detect_languages(store: Store, in_file: dict[str, Post], bar: ProgressBar) -> None:
    """Members' languages, from the posts this import holds in memory (older posts are read
    from the store only for members the file says nothing new about and the cache lacks)."""
    index = store.post_index()
    stored = StorePosts(store, index)

    def text_of(row: int) -> str:
        post = in_file.get(index.id[row])
        return (post if post is not None else stored[row]).text

    members = store.members()
    unknown = sum(1 for m in members.values() if not m.lang)
    if unknown:
        member_langs(store, members, text_of, bar.task("Detecting languages", total=unknown))


def _hash_pictures(store: Store, posts: Any, bar: ProgressBar) -> int | None:
    try:
        from console.image_hashing import ensure_hashes
    except ImportError:  # the hashing module is optional until it lands everywhere
        return None
    paths = list(dict.fromkeys(p for post in posts for p in post.images))
    if not paths:
        return 0
    task = bar.task("Hashing pictures", total=len(paths))
    hashed = ensure_hashes(store, paths, task)
    task.finish()
    return hashed
