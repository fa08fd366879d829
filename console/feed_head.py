"""The feed's first screenful, kept beside the data so the console paints at once.

At a million posts the newest month alone holds ~20,000 posts and the member list 50,000
names; reading them costs more than the whole launch budget (1 s on two cores). So the feed
writes the rows of its first page, with the author names and comment counts it showed, to
`DATA/derived/feed_head.json`, stamped with the store generation. The next launch paints
from that small file, then reads the store behind it. Any write to the store bumps the
generation and so retires the file. A missing or stale file is built again at launch by a
child process, beside the Textual import (`read_head_soon`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from console.records import doc_to_post, post_to_doc
from console.storage import atomic_write_bytes
from console.store import Store
from heuristics.model import Post, parse_time

FILE = "feed_head.json"
VERSION = 1
#: Rows kept: more than the tallest terminal shows, fewer than a month holds.
HEAD_ROWS = 200
#: Posts to read before the first paint: enough to fill a tall terminal twice.
FIRST_PAGE = 150
#: Seconds the launch waits for a child building the first page before reading the store.
CHILD_PATIENCE = 5.0


@dataclass(frozen=True, slots=True)
class Entry:
    """A top-level post of the feed and how many answers it has in the months read."""

    post: Post
    comments: int


@dataclass(frozen=True, slots=True)
class FeedHead:
    generation: int
    rows: list[Entry]
    names: dict[str, str]
    """Display names of the authors in `rows`."""
    community: str | None
    """The community's name for the header (None when not known yet)."""


def read_head(store: Store) -> FeedHead | None:
    """The saved first page if it matches the store as it is now, else None."""
    try:
        doc: Any = orjson.loads(store.derived_path(FILE).read_bytes())
        if doc.get("version") != VERSION or doc.get("generation") != store.generation():
            return None
        rows = [Entry(doc_to_post(r["post"]), int(r["comments"])) for r in doc["rows"]]
        names = {str(k): str(v) for k, v in doc["names"].items()}
        community = doc.get("community")
        name = str(community) if community is not None else None
        return FeedHead(int(doc["generation"]), rows, names, name)
    except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
        return None


def read_head_soon(store: Store) -> Future[FeedHead | None]:
    """The saved first page as a future, for the console to hand to the feed.

    Read at once when it matches the store (a few milliseconds). When it does not (a store
    another tool wrote, or a cache someone cleared), a child process builds it from the
    store on the other core while this one imports Textual: built here, in a thread, the
    same work would contend with that import for the GIL and delay the first paint by
    about half a second at a million posts. Without `fork`, or once other threads run (a
    fork would copy their locks mid-use), the future holds None and the feed reads the
    store itself, as it always can.
    """
    future: Future[FeedHead | None] = Future()
    head = read_head(store)
    if head is not None or not hasattr(os, "fork") or threading.active_count() > 1:
        future.set_result(head)
        return future
    pid = os.fork()
    if pid == 0:  # the child: build the page, then leave without running the parent's exits
        code = 1
        try:
            refresh_head(store)
            code = 0
        finally:
            os._exit(code)

    def wait() -> None:
        try:
            future.set_result(_read_when_built(store, pid))
        except BaseException as err:  # handed to whoever waits on the future
            future.set_exception(err)

    threading.Thread(target=wait, name="tact-feed-head", daemon=True).start()
    return future


def _read_when_built(store: Store, pid: int) -> FeedHead | None:
    """The page child `pid` builds, once it exits; None if it fails or takes too long (the
    feed then reads the store itself, which is no slower than waiting any longer)."""
    deadline = time.monotonic() + CHILD_PATIENCE
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return read_head(store) if os.waitstatus_to_exitcode(status) == 0 else None
        if time.monotonic() > deadline:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            return None
        time.sleep(0.005)


def write_head(
    store: Store, generation: int, rows: Sequence[Entry], names: dict[str, str], community: str | None
) -> None:
    """Save the first `HEAD_ROWS` rows; a read-only data directory is not an error."""
    top = list(rows[:HEAD_ROWS])
    doc = {
        "version": VERSION,
        "generation": generation,
        "community": community,
        "names": {r.post.author: names.get(r.post.author, r.post.author) for r in top},
        "rows": [{"post": post_to_doc(r.post), "comments": r.comments} for r in top],
    }
    # Not fsynced (a cache: a torn file reads as no file), for the write sits on the launch
    # path (before the first page is handed to the screen).
    with contextlib.suppress(OSError):
        atomic_write_bytes(store.derived_path(FILE), orjson.dumps(doc), durable=False)


def read_newest(
    store: Store,
    pending: list[str],
    at_least: int,
    by_id: dict[str, Post],
    children: defaultdict[str, list[Post]],
) -> tuple[list[Post], str | None]:
    """Top-level posts, newest first, from the months of `pending` (newest first; consumed)
    until `at_least` are found. Every post read goes into `by_id` and `children`; returns
    the posts and the oldest month read (None if none was)."""
    top: list[Post] = []
    oldest = None
    while pending and len(top) < at_least:
        month = pending.pop(0)
        posts = store.posts_in_month(month)
        for p in posts:
            by_id[p.id] = p
            if p.parent is not None:
                children[p.parent].append(p)
        top.extend(p for p in reversed(posts) if p.parent is None)
        oldest = month
    return top, oldest


def refresh_head(store: Store) -> None:
    """Write the first page the feed will show, as the store is now (after an import, or in a
    child at launch). The same page as `read_newest` gives, built from the months' documents:
    only the page's posts become `Post`s, the others are counted (at a million posts the
    newest month alone holds ~20,000; building them all was most of the child's half second)."""
    generation = store.generation()
    comments: Counter[str] = Counter()
    top: list[tuple[datetime, str, dict[str, Any]]] = []
    for month in reversed(store.months()):
        for doc in store.month_documents(month):
            parent = doc.get("parent")
            if parent is not None:
                comments[parent] += 1
            else:
                top.append((parse_time(doc["created_at"]), doc["id"], doc))
        if len(top) >= FIRST_PAGE:
            break
    if not top:
        return
    top.sort(key=lambda t: (t[0], t[1]), reverse=True)  # newest first, as the feed lists
    entries = [Entry(doc_to_post(doc), comments[pid]) for _, pid, doc in top[:HEAD_ROWS]]
    community = store.community()
    name = (community.name or community.id) if community is not None else ""
    write_head(store, generation, entries, store.member_names(), name)
