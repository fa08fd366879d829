"""Which perceptual hash finds reposts? Pairwise recall and precision on real photos.

`python -m benchmarks.image_quality` builds the test set of `benchmarks/_photo_edits.py`
from the sixteen photos of tests/data/photos: each photo, its edits (JPEG quality 30-90,
resize 25-200%, crops of 3-10% at each edge, brightness +-10/20%, caption banners of 8 and
15% at the top or bottom, and five combined edits), and three pairs of "shots of one scene"
(two overlapping windows shifted by 25-30%). Pairs that must join: a photo and each of its
edits. Pairs that must not: different photos, and the two shots of a pair.

Every candidate is scored at every threshold; the table keeps, per candidate, the threshold
with the best recall at precision >= 0.99 (the issue's bar: recall >= 0.97 there). tact's
scheme is hashed through the production path (`console.image_hashing.open_for_hashing`,
JPEG draft mode) and also run through the `HashIndex` search the detector uses.
"""

from __future__ import annotations

import io
import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

from benchmarks._photo_edits import Sample, label, test_set
from benchmarks.machine import describe
from console.image_hashing import open_for_hashing
from heuristics.hash_index import HashIndex
from heuristics.image_hash import COLOUR_TOLERANCE, KIND, VIEWS, colour_distance, hash_image, pair_distance
from heuristics.image_repost import DEFAULT_THRESHOLD

OUT = Path(__file__).resolve().parent / "results" / "image_quality.md"
BAR_PRECISION = 0.99


def _int(h: imagehash.ImageHash) -> int:
    return int(str(h), 16)


def _full(sample: Sample) -> Image.Image:
    with sample.open() as img:
        return img.convert("L")


@dataclass(frozen=True)
class Candidate:
    name: str
    bits: int
    hashes: Callable[[Sample], tuple[int, ...]]
    distance: Callable[[tuple[int, ...], tuple[int, ...]], int]


def _one(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return (a[0] ^ b[0]).bit_count()


def _sum(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return sum((x ^ y).bit_count() for x, y in zip(a, b, strict=True))


def _banner_aware(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    # whole frame, top 84%, bottom 84%: a banner leaves one of the two intact
    return min((x ^ y).bit_count() for x, y in zip(a, b, strict=True))


def _phash_fb(sample: Sample) -> tuple[int, ...]:
    img = _full(sample)
    w, h = img.size
    boxes = [(0, 0, w, h), (0, 0, w, round(h * 0.84)), (0, round(h * 0.16), w, h)]
    return tuple(_int(imagehash.phash(img.crop(box))) for box in boxes)


def _tact(sample: Sample) -> tuple[int, ...]:
    with open_for_hashing(io.BytesIO(sample.data)) as img:
        return hash_image(img)


def _tact_distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """What the detector decides: the pHash distance, unless the colours disagree."""
    return pair_distance(a, b) if colour_distance(a, b) <= COLOUR_TOLERANCE else 64


CANDIDATES = [
    Candidate("dhash64 (whole picture)", 64, lambda s: (_int(imagehash.dhash(_full(s))),), _one),
    Candidate("phash64 (whole picture)", 64, lambda s: (_int(imagehash.phash(_full(s))),), _one),
    Candidate(
        "phash64 + dhash64 (sum of both)",
        128,
        lambda s: (_int(imagehash.phash(_full(s))), _int(imagehash.dhash(_full(s)))),
        _sum,
    ),
    Candidate("phash64 of whole, top 84%, bottom 84% (closest)", 64, _phash_fb, _banner_aware),
    Candidate(f"centre + {VIEWS - 1} crop views, grey only", 64, _tact, pair_distance),
    Candidate(f"tact: {KIND} (centre + {VIEWS - 1} crop views + colour)", 64, _tact, _tact_distance),
]


@dataclass(frozen=True)
class Score:
    threshold: int
    recall: float
    precision: float
    false_pairs: int
    missed: Counter[str]


def _score(distances: np.ndarray, truth: np.ndarray, threshold: int, edits: Sequence[str]) -> Score:
    hit = distances <= threshold
    tp = int((hit & truth).sum())
    fp = int((hit & ~truth).sum())
    missed = Counter(e for e, h, t in zip(edits, hit, truth, strict=True) if t and not h)
    return Score(threshold, tp / max(1, int(truth.sum())), tp / max(1, tp + fp), fp, missed)


def _family(edit: str) -> str:
    return " + ".join(part.split(" ")[0] for part in edit.split(" + "))


def main() -> int:
    started = time.perf_counter()
    samples = test_set()
    pairs = [(i, j, label(samples[i], samples[j])) for i, j in itertools.combinations(range(len(samples)), 2)]
    judged = [(i, j, bool(v)) for i, j, v in pairs if v is not None]
    truth = np.array([v for *_, v in judged])
    edits = [
        samples[j].edit if samples[i].edit == "original" else samples[i].edit if v else ""
        for i, j, v in judged
    ]
    shots = np.array(
        [samples[i].photo == samples[j].photo and samples[i].edit.startswith("shot") for i, j, _ in judged]
    )
    lines = [
        "## Image repost: which hash (benchmarks/image_quality.py)",
        "",
        f"Machine: {describe()}; load average {os.getloadavg()[0]:.1f} at the start (other work "
        "shares the 2 cores: absolute times are inflated, ratios are measured in the same "
        f"conditions). Command: `python -m benchmarks.image_quality`.",
        "",
        f"Test set: {len(samples)} pictures from the 16 photos of tests/data/photos — "
        f"{int(truth.sum())} must-join pairs (a photo and one of its edits), "
        f"{int((~truth).sum())} must-not-join pairs (different photos, and "
        f"{int(shots.sum())} pairs of overlapping shots of one scene). Best threshold = the highest "
        f"recall with precision >= {BAR_PRECISION}; the bar is recall >= 0.97 there.",
        "",
        "| candidate | bits | threshold | recall | precision | false pairs | shots joined | misses by edit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    chosen_distances: np.ndarray | None = None
    chosen_hashes: list[tuple[int, ...]] = []
    for cand in CANDIDATES:
        hashes = [cand.hashes(s) for s in samples]
        dist = np.array([cand.distance(hashes[i], hashes[j]) for i, j, _ in judged])
        scores = [_score(dist, truth, t, edits) for t in range(cand.bits // 2)]
        ok = [s for s in scores if s.precision >= BAR_PRECISION]
        best = max(ok, key=lambda s: (s.recall, -s.threshold)) if ok else scores[0]
        if cand.distance is _tact_distance:
            best = scores[DEFAULT_THRESHOLD]  # the shipped default, not a threshold picked here
            chosen_distances, chosen_hashes = dist, hashes
        families = Counter(_family(e) for e in best.missed.elements())
        misses = ", ".join(f"{k} {v}" for k, v in families.most_common()) or "none"
        joined_shots = int(((dist <= best.threshold) & shots).sum())
        lines.append(
            f"| {cand.name} | {cand.bits} | {best.threshold} | {best.recall:.3f} | {best.precision:.3f} "
            f"| {best.false_pairs} | {joined_shots} of {int(shots.sum())} | {misses} |"
        )
        print(lines[-1], flush=True)
    assert chosen_distances is not None
    lines += ["", f"tact's scheme at every threshold (shipped default: {DEFAULT_THRESHOLD} bits):", ""]
    lines += ["| threshold | recall | precision | false pairs |", "|---|---|---|---|"]
    for t in range(2, 14, 2):
        s = _score(chosen_distances, truth, t, edits)
        lines.append(f"| {t} | {s.recall:.3f} | {s.precision:.3f} | {s.false_pairs} |")
    closest_negative = int(chosen_distances[~truth].min())
    near_misses = [
        f"{samples[i].photo} / {samples[j].edit} ({d} bits)"
        for (i, j, v), d in zip(judged, chosen_distances.tolist(), strict=True)
        if v and d > DEFAULT_THRESHOLD
    ]
    close_calls = [
        f"{samples[i].photo} {samples[i].edit} ~ {samples[j].photo} {samples[j].edit} ({d} bits)"
        for (i, j, v), d in zip(judged, chosen_distances.tolist(), strict=True)
        if not v and d <= DEFAULT_THRESHOLD + 4
    ]
    farthest_positive = int(chosen_distances[truth].max())
    # The same pairs through the index the detector uses (exact 16-bit chunk match only).
    views = np.array(chosen_hashes, dtype=np.uint64)[:, :VIEWS]
    index = HashIndex.build(views[:, 0])
    qi, ki, _ = index.search(views.ravel(), DEFAULT_THRESHOLD)
    found = {(min(a, b), max(a, b)) for a, b in zip((qi // VIEWS).tolist(), ki.tolist(), strict=True)}
    wanted = [
        (i, j) for (i, j, v), d in zip(judged, chosen_distances, strict=True) if v and d <= DEFAULT_THRESHOLD
    ]
    via_index = sum((i, j) in found for i, j in wanted) / max(1, len(wanted))
    lines += [
        "",
        f"Farthest must-join pair: {farthest_positive} bits; closest must-not-join pair: "
        f"{closest_negative} bits. Through the multi-index search (what the detector runs), "
        f"{via_index:.3f} of the pairs within {DEFAULT_THRESHOLD} bits are found.",
        "",
        f"Missed at {DEFAULT_THRESHOLD} bits: " + ("; ".join(near_misses) or "none") + ".",
        f"Must-not-join pairs within {DEFAULT_THRESHOLD + 4} bits: "
        + ("; ".join(close_calls) or "none")
        + ".",
        "",
        "Why this scheme: whole-picture hashes lose crops and banners, which change what the "
        "frame holds; a hash of the centre (70% x 70%) never sees a 15% banner, and sixteen "
        "views of it 'as if cropped' by 2.5-10% at each edge re-align an edge crop. The "
        "index only stores centres, so search cost stays one entry per picture. pHash "
        "reads grey structure only; the mean colour (Cb, Cr) of the centre's four quarters "
        f"must also agree within {COLOUR_TOLERANCE}/255, which keeps apart different pictures "
        "of one layout (the demo's synthetic cats needed it: precision 0.46 -> 1.0 there).",
        "",
        f"Run time: {time.perf_counter() - started:.0f} s.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-12:]))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
