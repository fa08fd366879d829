"""All near-duplicate pairs among 100,000 pictures: the multi-index search vs all pairs.

`python -m benchmarks.near_dup_search`. The haystack holds the real repost test set of
`benchmarks/_photo_edits.py` (16 photos and their edits, hashed by tact) and synthetic
pictures up to 100,000: each synthetic centre hash draws every bit with the frequency that
bit has in real photos (perceptual hashes are not uniform, and skew is what fills index
buckets), and its sixteen crop views differ from the centre by as many bits as real views
do (measured on the real set). Figures, all in this process:

- tact: `HashIndex` over the centres, every view of every picture as a query (what
  `ImageRepostDetector.detect` runs), then the whole detector on 100,000 posts;
- baseline: all pairs with imagehash's `-` (one comparison per pair, timed on a sample and
  extrapolated; tact's relation would need 34 comparisons per pair, so this is generous to
  the baseline), and all pairs in NumPy (XOR + popcount, vectorised, sampled likewise);
- recall: the must-join pairs of the real set found within the haystack.
"""

from __future__ import annotations

import io
import itertools
import os
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import imagehash
import numpy as np

from benchmarks._photo_edits import label, test_set
from benchmarks.machine import describe, write_results
from console.image_hashing import open_for_hashing
from heuristics.detector import CommunityData, ImageHashes
from heuristics.hash_index import HashIndex
from heuristics.image_hash import KIND, VALUES, VIEWS, hash_image, same_picture
from heuristics.image_repost import DEFAULT_THRESHOLD, ImageRepostDetector
from heuristics.model import Community, Post

OUT = Path(__file__).resolve().parent / "results" / "near_dup_search.md"
N = 100_000


def _haystack(real: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, VALUES) hashes: the real ones first, then synthetic ones shaped like them."""
    bits = ((real[:, 0:1] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)).astype(np.float64)
    p_one = bits.mean(axis=0)  # per-bit frequency of 1 in real centre hashes
    view_flips = np.bitwise_count(real[:, :1] ^ real[:, 1:]).mean(axis=0)  # bits per view
    n = N - len(real)
    centre_bits = rng.random((n, 64)) < p_one
    centres = (centre_bits.astype(np.uint64) << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
    out = np.empty((n, VIEWS), dtype=np.uint64)  # the pHash views; chroma appended below
    out[:, 0] = centres
    for v in range(1, VIEWS):
        flips = rng.poisson(view_flips[v - 1], size=n).clip(0, 40)
        masks = np.zeros(n, dtype=np.uint64)
        for k in range(int(flips.max()) + 1):
            chosen = flips > k
            masks[chosen] |= np.uint64(1) << rng.integers(0, 64, size=int(chosen.sum())).astype(np.uint64)
        out[:, v] = centres ^ masks
    colours = rng.integers(0, 2**63, size=(n, 1), dtype=np.uint64)  # random chroma bytes
    return np.vstack([real, np.hstack([out, colours])])


def _time(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    rng = np.random.default_rng(1)
    samples = test_set()
    real = np.array([hash_image(open_for_hashing(io.BytesIO(s.data))) for s in samples], dtype=np.uint64)
    hay = _haystack(real, rng)
    pairs_total = N * (N - 1) // 2

    # -- tact: index the centres, query every view -----------------------------------------
    views = np.ascontiguousarray(hay[:, :VIEWS])

    def search() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = HashIndex.build(views[:, 0])
        return index.search(views.ravel(), DEFAULT_THRESHOLD)

    tact_s = _time(search)
    qi, ki, _ = search()
    a, b = qi // VIEWS, ki
    found = {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True) if x != y}
    must = [
        (i, j)
        for i, j in itertools.combinations(range(len(samples)), 2)
        if label(samples[i], samples[j])
        and same_picture(real[i].tolist(), real[j].tolist(), DEFAULT_THRESHOLD)
    ]
    all_must = [
        (i, j) for i, j in itertools.combinations(range(len(samples)), 2) if label(samples[i], samples[j])
    ]
    recall_index = sum(p in found for p in must) / max(1, len(must))
    recall_all = sum(p in found for p in all_must) / max(1, len(all_must))
    synthetic_pairs = sum(1 for x, y in found if x >= len(real) or y >= len(real))

    # -- the whole detector on 100,000 posts, one picture each -------------------------------
    start = datetime(2021, 1, 1, tzinfo=UTC)
    order = list(range(N))
    random.Random(2).shuffle(order)
    posts = [
        Post(f"p{k}", f"m{k % 5000}", start + timedelta(minutes=10 * k), images=(f"img/{i}.jpg",))
        for k, i in enumerate(order)
    ]
    hashes = {f"img/{i}.jpg": ImageHashes(f"img/{i}.jpg", KIND, tuple(hay[i].tolist())) for i in range(N)}
    data = CommunityData(Community("bench"), {}, posts, image_hashes=hashes)
    detector = ImageRepostDetector()
    t = time.perf_counter()
    signals = detector.detect(data, start + timedelta(days=2000))
    detect_s = time.perf_counter() - t
    new = posts[-1000:]
    previous = detector.detect(
        CommunityData(Community("bench"), {}, posts[:-1000], image_hashes=hashes), start
    )
    t = time.perf_counter()
    detector.detect_new(data, new, previous, start)
    incremental_s = time.perf_counter() - t

    # -- baselines: all pairs -----------------------------------------------------------------
    objs = [imagehash.hex_to_hash(f"{int(h):016x}") for h in hay[:2000, 0]]
    sample_pairs = list(itertools.combinations(range(len(objs)), 2))[:300_000]
    t = time.perf_counter()
    for x, y in sample_pairs:
        _ = objs[x] - objs[y] <= DEFAULT_THRESHOLD
    per_pair = (time.perf_counter() - t) / len(sample_pairs)
    imagehash_s = per_pair * pairs_total
    block = hay[:2000, 0]
    t = time.perf_counter()
    np.nonzero(np.bitwise_count(block[:, None] ^ hay[None, :, 0]) <= DEFAULT_THRESHOLD)
    numpy_s = (time.perf_counter() - t) / (len(block) * N) * pairs_total

    lines = [
        "## Image near-duplicate search (benchmarks/near_dup_search.py)",
        "",
        f"Machine: {describe()}; load average {os.getloadavg()[0]:.1f} at the start (other work "
        "shares the 2 cores: absolute times are inflated, ratios are measured in the same "
        f"conditions). Command: `python -m benchmarks.near_dup_search`.",
        "",
        f"{N:,} pictures ({len(real)} real test-set pictures, the rest synthetic with real bit "
        f"frequencies), {VIEWS} pHashes + a colour signature each ({VALUES} values); all pairs "
        f"within {DEFAULT_THRESHOLD} bits.",
        "",
        "| method | time | vs tact |",
        "|---|---|---|",
        f"| tact: multi-index search, {N * VIEWS:,} view queries against {N:,} centres "
        f"| {tact_s:.2f} s | 1× |",
        f"| tact: whole `ImageRepostDetector.detect` on {N:,} posts ({len(signals)} groups) "
        f"| {detect_s:.2f} s | {detect_s / tact_s:.1f}× |",
        f"| tact: `detect_new` for the last 1,000 posts "
        f"| {incremental_s:.2f} s | {incremental_s / tact_s:.1f}× |",
        f"| baseline: all {pairs_total:,} pairs with imagehash `-` (1 comparison a pair; "
        f"{per_pair * 1e6:.2f} µs each on {len(sample_pairs):,} sampled pairs) "
        f"| {imagehash_s:,.0f} s (extrapolated) | {imagehash_s / tact_s:,.0f}× slower |",
        f"| baseline: all pairs, NumPy XOR + popcount (timed on {len(block):,} x {N:,}) "
        f"| {numpy_s:,.1f} s (extrapolated) | {numpy_s / tact_s:,.0f}× slower |",
        "",
        f"Goal: under 2 s for 100,000 hashes — {'met' if tact_s < 2 else 'NOT met'} ({tact_s:.2f} s).",
        "",
        f"Recall through the index: {recall_index:.3f} of the {len(must)} real must-join pairs "
        f"within {DEFAULT_THRESHOLD} bits are found among the {N:,} (and {recall_all:.3f} of all "
        f"{len(all_must)} must-join pairs, the rest being beyond the threshold); "
        f"{synthetic_pairs} pairs involve a synthetic picture (expected ~0: they are unrelated).",
        "Caveat: synthetic hashes keep the per-bit frequencies of real ones but not their "
        "correlations; a real collection fills some index buckets more than this.",
        "",
    ]
    return write_results(OUT, lines)


if __name__ == "__main__":
    raise SystemExit(main())
