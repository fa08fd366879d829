"""Perceptual hashes of one picture: a PIL image in, hash values out (no file I/O).

The scheme was chosen by measurement (`python -m benchmarks.image_quality`): a single
64-bit dHash or pHash of the whole picture misses a fifth of the reposts, mostly edge crops
and caption banners, because both change what the whole frame holds. So tact hashes the
*centre* of the picture (the middle 70% x 70%: a caption banner of up to 15% at the top or
bottom never reaches it) and, to survive edge crops, sixteen "as if cropped" views of that
centre: where the centre of the original would sit if this picture had lost 2.5, 5, 7.5 or
10% at its left, right, top or bottom edge. Two pictures match when one's centre hash is
within a few bits of any view of the other's (see `pair_distance`); the index only ever
stores centre hashes, and queries with the views.

Each hash is a standard pHash (imagehash's algorithm: 32x32 grey, DCT, 8x8 lowest
frequencies against their median), computed here with one batched matrix product because
seventeen regions through `imagehash.phash` one by one cost 17 resizes *and* 17 SciPy DCT
calls; `tests/test_image_repost.py` checks the values equal imagehash's bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np
from PIL import Image

#: The hash kind stored beside the values: a change of scheme changes it, so stored hashes
#: of an older scheme are recomputed rather than compared with incompatible ones.
KIND = "phash64-centre70-crops17+chroma"

#: Bits per hash, for reasons ("distance 4 of 64 bits").
BITS = 64

#: The share cut from each side to get the centre region.
MARGIN = 0.15

#: The edge crops the views compensate for; crops in between land within a few bits.
CROPS = (0.025, 0.05, 0.075, 0.1)

#: JPEGs may be decoded in draft mode down to (at least) this size: enough pixels for a
#: 32x32 sample of a 70% region, and every repost decodes to about the same scale.
DRAFT_SIZE = (64, 64)

_SAMPLE = 32
_LOW = 8
#: Largest AC coefficient of a region with less than a quarter grey level of detail.
_FLAT = 0.25 * _SAMPLE * _SAMPLE

Box = tuple[float, float, float, float]


def regions(margin: float = MARGIN, crops: Sequence[float] = CROPS) -> list[Box]:
    """The hashed regions as (left, top, right, bottom) shares: the centre first, then the
    views "as if this picture had lost `c` at one edge" for each crop `c`."""
    boxes: list[Box] = [(margin, margin, 1 - margin, 1 - margin)]
    for c in crops:
        # The original's centre [m, 1-m] seen in a picture that lost c at its near edge.
        lo, hi = (margin - c) / (1 - c), (1 - margin - c) / (1 - c)
        boxes += [
            (lo, margin, hi, 1 - margin),  # lost c at the left
            (1 - hi, margin, 1 - lo, 1 - margin),  # at the right
            (margin, lo, 1 - margin, hi),  # at the top
            (margin, 1 - hi, 1 - margin, 1 - lo),  # at the bottom
        ]
    return boxes


REGIONS: tuple[Box, ...] = tuple(regions())
VIEWS = len(REGIONS)
#: Values stored per picture: the VIEWS pHashes, then the chroma signature.
VALUES = VIEWS + 1
#: Chroma bytes of one picture may differ this much (of 255) from a copy: JPEG at
#: quality 30 and brightness +-20% stay well within it (benchmarks/image_quality.py).
COLOUR_TOLERANCE = 24


@cache
def _dct_rows() -> np.ndarray:
    """The 8 lowest-frequency rows of the 32-point DCT-II (scale is irrelevant: only the
    comparison with the median counts)."""
    n = np.arange(_SAMPLE)
    k = np.arange(_LOW)[:, None]
    return np.cos(np.pi * (2 * n + 1) * k / (2 * _SAMPLE))


def _resample(n: int, start: float, stop: float) -> np.ndarray:
    """A (32, n) matrix taking `n` pixels to 32 samples of [start, stop), with an
    antialiased triangle filter (Pillow's BILINEAR resize, as a matrix)."""
    scale = (stop - start) / _SAMPLE
    width = max(scale, 1.0)
    centres = start + (np.arange(_SAMPLE) + 0.5) * scale
    weights = np.clip(1 - np.abs(np.arange(n) + 0.5 - centres[:, None]) / width, 0, None)
    return weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=64)
def _operators(boxes: tuple[Box, ...], height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per region, the matrices taking the grey pixels straight to the 8x8 low DCT
    frequencies of its 32x32 sample: low = rows @ pixels @ cols.T. Resampling and DCT are
    both linear, so they fold into one product (pictures share a few sizes: cached)."""
    d = _dct_rows()
    rows = np.stack([d @ _resample(height, top * height, bot * height) for _, top, _, bot in boxes])
    cols = np.stack([(d @ _resample(width, left * width, right * width)).T for left, _, right, _ in boxes])
    # float32: half the memory traffic, and 24 bits are plenty to rank 64 coefficients.
    return rows.astype(np.float32), np.ascontiguousarray(cols, dtype=np.float32)


def phash_regions(img: Image.Image, boxes: Sequence[Box]) -> list[int]:
    """pHash (an unsigned 64-bit int, imagehash's bit order) of each region of `img`.

    The same algorithm as `imagehash.phash` (32x32 grey sample, DCT, 8x8 lowest
    frequencies above their median), but with a triangle resampling folded into the DCT:
    seventeen regions through `imagehash.phash` would mean seventeen resizes and SciPy
    calls, three times the whole budget of a picture.
    """
    grey = _grey(img)
    factor = min(grey.size) // (2 * DRAFT_SIZE[0])
    if factor >= 2:  # a big picture not decoded in draft mode: box-reduce it first
        grey = grey.reduce(factor)
    pixels = np.asarray(grey, dtype=np.float32)
    rows, cols = _operators(tuple(boxes), *pixels.shape)
    low = (rows @ pixels) @ cols  # (regions, 8, 8): small per-region products, one call
    flat = low.reshape(len(boxes), -1)
    # The median of 64 values is the mean of the 32nd and 33rd: a partition, not a sort.
    middle = np.partition(flat, (31, 32), axis=1)
    bits = flat > (middle[:, 31:32] + middle[:, 32:33]) / 2
    # A flat region (blank, one colour) has only rounding noise outside the DC term: its
    # bits would be random. It hashes to 0, which `is_informative` sets aside.
    bits[np.abs(flat[:, 1:]).max(axis=1) < _FLAT] = False
    return np.packbits(bits, axis=1).view(">u8").ravel().tolist()


def _grey(img: Image.Image) -> Image.Image:
    if img.mode == "L":
        return img
    if img.mode == "YCbCr":  # a JPEG decoded in its own colour space: Y is the grey
        return img.getchannel("Y")
    return img.convert("L")


def chroma(img: Image.Image) -> int:
    """The colour of the centre region: mean Cb and Cr of its four quarters, one byte each.

    pHash reads grey structure only, so two different pictures with the same layout (a
    pale cat on a dark floor) can share it; their colours rarely agree. Brightness edits
    scale chroma only mildly, and crops and banners don't reach the centre."""
    colour = img if img.mode == "YCbCr" else img.convert("YCbCr")
    w, h = colour.size
    box = (MARGIN * w, MARGIN * h, (1 - MARGIN) * w, (1 - MARGIN) * h)
    quarters = np.asarray(colour.resize((2, 2), Image.Resampling.BOX, box=box), dtype=np.uint8)
    return int.from_bytes(quarters[:, :, 1:].tobytes(), "big")


def hash_image(img: Image.Image) -> tuple[int, ...]:
    """The hash values of `img`: the `REGIONS` pHashes (the centre first), then `chroma`."""
    return (*phash_regions(img, REGIONS), chroma(img))


def pair_distance(a: Sequence[int], b: Sequence[int]) -> int:
    """The distance between two pictures hashed by `hash_image`: the closest of either's
    centre against any view of the other (a cropped copy's centre meets one of the
    original's views)."""
    return min(
        min((a[0] ^ v).bit_count() for v in b[:VIEWS]),
        min((b[0] ^ v).bit_count() for v in a[:VIEWS]),
    )


def colour_distance(a: Sequence[int], b: Sequence[int]) -> int:
    """The largest difference (0-255) between the chroma bytes of two pictures."""
    x = np.frombuffer(a[VIEWS].to_bytes(8, "big"), dtype=np.uint8).astype(np.int16)
    y = np.frombuffer(b[VIEWS].to_bytes(8, "big"), dtype=np.uint8).astype(np.int16)
    return int(np.abs(x - y).max())


def same_picture(a: Sequence[int], b: Sequence[int], threshold: int) -> bool:
    return pair_distance(a, b) <= threshold and colour_distance(a, b) <= COLOUR_TOLERANCE


def is_informative(hashes: Sequence[int]) -> bool:
    """False for flat pictures (a blank or single-colour image hashes to nearly all zeros
    or ones, and would match every other flat picture)."""
    return 8 <= hashes[0].bit_count() <= 56
