"""Hash the pictures the store doesn't know yet (called by the importer after saving posts).

Decoding is the expensive part, so JPEGs are decoded in draft mode (libjpeg's DCT scaling
straight to 1/2, 1/4 or 1/8 of their size): the hashes only need a small grey image.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from PIL import Image, UnidentifiedImageError

from console.store import Store
from heuristics.image_hash import DRAFT_SIZE, KIND, hash_image

log = logging.getLogger(__name__)

#: Below this many pictures a process pool costs more (start-up, imports) than it saves.
PARALLEL_MIN = 400
#: Hashes saved per store write: the hash table is rewritten whole on each save.
SAVE_BATCH = 20_000
_CHUNK = 64


def open_for_hashing(path: str) -> Image.Image:
    """Open `path` and decode only as much as the hashes need (raises OSError / ValueError)."""
    img = Image.open(path)
    if img.format == "JPEG":
        # draft() picks the largest DCT scale that stays >= DRAFT_SIZE: 8x fewer pixels to
        # decode for a 1024x768 photo, with no visible change in the hash.
        img.draft("L", DRAFT_SIZE)
    img.load()
    return img


def hash_file(path: str) -> tuple[str, tuple[int, ...] | None, str]:
    """(path, hashes or None, error text): never raises, so one bad file spoils nothing."""
    try:
        with open_for_hashing(path) as img:
            return path, hash_image(img), ""
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        return path, None, f"{type(exc).__name__}: {exc}"


def _hash_chunk(paths: list[str]) -> list[tuple[str, tuple[int, ...] | None, str]]:
    return [hash_file(p) for p in paths]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ensure_hashes(
    store: Store, paths: Iterable[str], progress: Callable[[int], Any] | None = None
) -> int:
    """Hash every picture of `paths` not yet in the store (or hashed with an older scheme).

    Returns how many were hashed and saved. Unreadable pictures are skipped with a warning
    (they will be tried again next time). `progress`, if given, is called with the number
    of pictures done so far.
    """
    known = store.image_hashes()
    todo = [p for p in dict.fromkeys(paths) if known.get(p, {}).get("kind") != KIND]
    if not todo:
        return 0
    workers = min(_workers(), 4)
    if workers > 1 and len(todo) >= PARALLEL_MIN:
        executor = ProcessPoolExecutor(workers)
        pool: ProcessPoolExecutor | None = executor
        results: Iterable[list[tuple[str, tuple[int, ...] | None, str]]] = executor.map(
            _hash_chunk, _chunks(todo, _CHUNK)
        )
    else:
        pool = None
        results = map(_hash_chunk, _chunks(todo, _CHUNK))
    saved = 0
    done = 0
    batch: list[dict[str, Any]] = []
    try:
        for chunk in results:
            for path, hashes, error in chunk:
                done += 1
                if hashes is None:
                    log.warning("cannot read picture %s (%s): skipped", path, error)
                    continue
                batch.append({"path": path, "kind": KIND, "hashes": list(hashes)})
            if len(batch) >= SAVE_BATCH:
                store.save_image_hashes(batch)
                saved += len(batch)
                batch = []
            if progress is not None:
                progress(done)
        store.save_image_hashes(batch)
        saved += len(batch)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return saved
