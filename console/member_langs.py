"""Each member's language (en or fr): as given in the community file, else detected from
their first posts, and cached beside the data (`DATA/derived/member_langs.json`).

Replies are written in the member's language. A community file often gives no language, and
detecting 50,000 members' languages from a million posts takes seconds: the importer does it
while it holds the posts in memory, and each signals run after that only looks at the posts
of members who wrote since.
"""

from __future__ import annotations

import contextlib
import importlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from console.storage import read_json, write_json
from console.store import PostIndex, Store
from heuristics.detector import grew_from, mark_of
from heuristics.model import Lang, Member

LANGS_FILE = "member_langs.json"
#: Characters of a member's first posts the language is detected from.
LANG_SAMPLE = 4000


def member_langs(
    store: Store,
    members: Mapping[str, Member],
    text_of: Callable[[int], str],
    progress: Callable[[int], object] | None = None,
) -> dict[str, Lang]:
    """Each member's language: as given, else detected from the first `LANG_SAMPLE`
    characters of their posts, oldest first.

    Cached in `DATA/derived/member_langs.json` per member as [post count, language, sample]:
    the sample is kept while it is shorter than `LANG_SAMPLE` (the member's next posts still
    count) and dropped once full (then nothing they write later changes the result). So a run
    after an import reads only the new posts of the members who wrote, never their old ones.
    `text_of(row)` gives the text of the post at that row of the store's post index (the
    importer answers from the posts it holds in memory); `progress` counts members done.
    """
    langs: dict[str, Lang] = {mid: m.lang for mid, m in members.items() if m.lang}
    missing = {mid for mid in members if mid not in langs}
    if not missing:
        return langs
    try:
        # Looked up at run time: the language module lands with another change, and until
        # it does a member without a given language is simply unknown (community default).
        detect_lang = importlib.import_module("heuristics.language").detect_lang
    except (ImportError, AttributeError):
        return langs
    index = store.post_index()
    written = _authors(store, index)
    counts = {mid: written.get(mid, 0) for mid in missing}
    path = store.derived_path(LANGS_FILE)
    try:
        cache = read_json(path) or {}
    except (orjson.JSONDecodeError, OSError):
        cache = {}
    if not isinstance(cache, dict):
        cache = {}

    def entry(mid: str) -> tuple[int, Any, list[str] | None] | None:
        hit = cache.get(mid)
        if isinstance(hit, list) and len(hit) == 3 and isinstance(hit[0], int):
            sample = hit[2]
            if sample is None or (isinstance(sample, list) and all(isinstance(t, str) for t in sample)):
                return hit[0], hit[1], sample
        return None

    # Members whose posts must be read: all of them (no usable entry, or fewer posts than
    # cached) or only their newest ones (the count grew and the sample is not full yet).
    hits = {mid: entry(mid) for mid in missing}
    whole: set[str] = set()
    newest: dict[str, int] = {}
    for mid, hit in hits.items():
        if hit is not None and hit[0] == counts[mid]:
            continue
        if hit is None or hit[0] > counts[mid]:
            whole.add(mid)
        elif hit[2] is not None:
            newest[mid] = counts[mid] - hit[0]
    rows: dict[str, list[int]] = {mid: [] for mid in whole | set(newest)}
    if whole:
        for i, author in enumerate(index.author):
            bucket = rows.get(author)
            if bucket is not None:
                bucket.append(i)
    elif newest:
        rows = _newest_rows(index.author, newest)
    changed = False
    for done, mid in enumerate(missing, 1):
        if progress is not None and done % 1000 == 0:
            progress(done)
        hit = hits[mid]
        if mid not in rows:
            if hit is not None and hit[0] != counts[mid]:  # a full sample: only the count moves
                cache[mid] = [counts[mid], hit[1], None]
                changed = True
            lang = hit[1] if hit is not None else None
        else:
            sample = [] if mid in whole or hit is None or hit[2] is None else list(hit[2])
            picked = rows[mid] if mid in whole else rows[mid][-newest[mid] :]
            size = sum(map(len, sample))
            for i in picked:
                if size >= LANG_SAMPLE:
                    break
                text = text_of(i)
                if text:
                    sample.append(text)
                    size += len(text)
            lang = detect_lang(sample) if sample else None
            cache[mid] = [counts[mid], lang, sample if size < LANG_SAMPLE else None]
            changed = True
        if lang in ("en", "fr"):
            langs[mid] = lang
    if progress is not None:
        progress(len(missing))  # every member done (the count moves a thousand at a time)
    if changed:
        with contextlib.suppress(OSError):  # a cache: losing it only costs time
            write_json(path, cache, durable=False)
    return langs


_COUNTED = "member_langs.authors"


def _authors(store: Store, index: PostIndex) -> Counter[str]:
    """Posts per author in `index`. A console keeps the count (`Store.kept`) and, when the
    index is the one counted with rows appended (`grew_from`), counts only those rows."""
    kept = store.kept.get(_COUNTED)
    if isinstance(kept, tuple) and grew_from(index, kept[0]):
        counted: Counter[str] = Counter(kept[1])
        counted.update(index.author[kept[0].rows :])
    else:
        counted = Counter(index.author)
    store.kept[_COUNTED] = (mark_of(index), counted)
    return counted


def _newest_rows(authors: Sequence[str], wanted: Mapping[str, int]) -> dict[str, list[int]]:
    """The rows of each member's newest `wanted[member]` posts, oldest first: read from the
    end of the index, which is where an import of the latest posts put them."""
    rows: dict[str, list[int]] = {mid: [] for mid in wanted}
    left = {mid: n for mid, n in wanted.items() if n > 0}
    for i in range(len(authors) - 1, -1, -1):
        if not left:
            break
        n = left.get(authors[i])
        if n is not None:
            rows[authors[i]].append(i)
            if n == 1:
                del left[authors[i]]
            else:
                left[authors[i]] = n - 1
    for found in rows.values():
        found.reverse()
    return rows
