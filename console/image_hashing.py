"""Hash the pictures the store doesn't know yet (called by the importer after saving posts).

Decoding is the expensive part, so JPEGs are decoded in draft mode (libjpeg's DCT scaling
straight to 1/2, 1/4 or 1/8 of their size, in grey): the hashes only need about 64 pixels a
side. `benchmarks/hash_throughput.py` measures it against a full decode.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import IO, Any

from PIL import Image, UnidentifiedImageError

from console.store import Store
from heuristics.image_hash import DRAFT_SIZE, KIND, hash_image

log = logging.getLogger(__name__)

#: Below this many pictures a process pool costs more (start-up, imports) than it saves.
PARALLEL_MIN = 400
#: Hashes saved per store write: the hash table is rewritten whole on each save.
SAVE_BATCH = 20_000
_CHUNK = 64


def open_for_hashing(source: str | IO[bytes]) -> Image.Image:
    """Open a picture (a path or a binary file) and decode only as much as the hashes need
    (raises OSError / ValueError)."""
    img = Image.open(source)
    if img.format == "JPEG":
        # draft() picks the largest DCT scale that stays >= DRAFT_SIZE: 64x fewer pixels
        # to decode for a 1024x768 photo (the hashes sample 32x32 per region anyway), and
        # in YCbCr, the JPEG's own colour space: Y is the grey, no conversion at all.
        img.draft("YCbCr", DRAFT_SIZE)
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


@contextlib.contextmanager
def _single_threaded_blas() -> Iterator[None]:
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {n: os.environ.get(n) for n in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def ensure_hashes(store: Store, paths: Iterable[str], progress: Callable[[int], Any] | None = None) -> int:
    """Hash every picture of `paths` not yet in the store (or hashed with an older scheme).

    Returns how many were hashed and saved. Unreadable pictures are skipped with a warning
    (they will be tried again next time). `progress`, if given, is called with the number
    of pictures done so far.
    """
    known = store.image_hashes()
    unique = list(dict.fromkeys(paths))
    todo = [p for p in unique if known.get(p, {}).get("kind") != KIND]
    if not todo:
        return 0
    workers = min(_workers(), 4)
    if workers > 1 and len(todo) >= PARALLEL_MIN:
        # Fresh interpreters with one BLAS thread each: the per-picture matrix products are
        # tiny, and threads fighting over the same cores only slow them down.
        with _single_threaded_blas():
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            pool: ProcessPoolExecutor | None = executor
            results: Iterable[list[tuple[str, tuple[int, ...] | None, str]]] = executor.map(
                _hash_chunk, _chunks(todo, _CHUNK)
            )
    else:
        pool = None
        results = map(_hash_chunk, _chunks(todo, _CHUNK))
    saved = 0
    done = len(unique) - len(todo)  # the ones already hashed count as done for the bar
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
