"""Near-neighbour search over 64-bit perceptual hashes, close to linear in their number.

Multi-index hashing: each key is cut into four 16-bit chunks (every fourth bit, see
`spread`) and each chunk column is sorted once, with a direct table of where each chunk
value starts. Two hashes within 3 bits of each other agree exactly on at least one chunk
(pigeonhole), so a query only meets the keys sharing one of its four chunks — one table
lookup each — instead of every key. With `radius=1` each chunk is also probed at its 16
one-bit neighbours, which extends the guarantee to 7 bits at 17 times the probes.
Beyond the guarantee a pair is still found whenever one chunk happens to agree, which for
the image views of `heuristics.image_hash` (several views per picture, each a chance) is
nearly always: `benchmarks/near_dup_search.py` measures that recall against all pairs.

Everything runs in NumPy over whole arrays: no Python loop per hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: Bit i of a hash goes to chunk i % CHUNKS: chunk sizes and where each starts.
CHUNKS = 4
SIZES = tuple(len(range(c, 64, CHUNKS)) for c in range(CHUNKS))
OFFSETS = tuple(sum(SIZES[:c]) for c in range(CHUNKS))
#: Queries handled per step, to bound the memory of the candidate arrays.
_BATCH = 1 << 17


def _interleave_table() -> np.ndarray:
    """Per byte position and byte value, where its bits go so that chunk c holds every
    CHUNKS-th bit (c, c+CHUNKS, ...). Perceptual hashes are skewed in their first bits
    (the lowest frequencies); spreading those over all chunks evens out the bucket sizes,
    and Hamming distances don't change under a permutation of bits."""
    table = np.zeros((8, 256), dtype=np.uint64)
    for pos in range(8):
        for value in range(256):
            out = 0
            for b in range(8):
                if value >> b & 1:
                    bit = pos * 8 + b
                    out |= 1 << (OFFSETS[bit % CHUNKS] + bit // CHUNKS)
            table[pos, value] = out
    return table


_SPREAD = _interleave_table()


def as_array(values: Iterable[int]) -> np.ndarray:
    """Unsigned 64-bit hashes as a NumPy array."""
    return np.fromiter(values, dtype=np.uint64)


def spread(values: np.ndarray) -> np.ndarray:
    """The hashes with their bits interleaved over the chunks (see `_interleave_table`)."""
    as_bytes = np.ascontiguousarray(values, dtype="<u8").view(np.uint8).reshape(-1, 8)
    out = _SPREAD[0][as_bytes[:, 0]]
    for pos in range(1, 8):
        out |= _SPREAD[pos][as_bytes[:, pos]]
    return out


def _chunk(values: np.ndarray, i: int) -> np.ndarray:
    mask = np.uint64((1 << SIZES[i]) - 1)
    return ((values >> np.uint64(OFFSETS[i])) & mask).astype(np.intp)


@dataclass(frozen=True, slots=True, eq=False)
class HashIndex:
    keys: np.ndarray
    """The indexed hashes (uint64, bits interleaved), in the caller's order: results name
    them by position."""
    orders: tuple[np.ndarray, ...]
    """Per chunk, the positions of `keys` sorted by that chunk."""
    starts: tuple[np.ndarray, ...]
    """Per chunk, where each of the 2^16 chunk values starts in that order (a direct
    table: one lookup per query instead of a binary search)."""

    @classmethod
    def build(cls, keys: Iterable[int] | np.ndarray) -> HashIndex:
        array = keys if isinstance(keys, np.ndarray) else as_array(keys)
        array = spread(array.astype(np.uint64, copy=False))
        orders, starts = [], []
        for i in range(CHUNKS):
            chunk = _chunk(array, i)
            # 16-bit values: NumPy's stable sort is a radix sort there, linear in n.
            small = chunk.astype(np.uint16) if SIZES[i] <= 16 else chunk
            orders.append(np.argsort(small, kind="stable").astype(np.int32))
            start = np.zeros((1 << SIZES[i]) + 1, dtype=np.int32)
            np.cumsum(np.bincount(chunk, minlength=1 << SIZES[i]), out=start[1:])
            starts.append(start)
        return cls(array, tuple(orders), tuple(starts))

    def __len__(self) -> int:
        return len(self.keys)

    def search(
        self, queries: Iterable[int] | np.ndarray, max_distance: int, radius: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (query position, key position, distance) with distance <= max_distance
        among the pairs that share a chunk (within `radius` bits: 0 or 1). Each pair once."""
        if radius not in (0, 1):
            raise ValueError("radius must be 0 or 1")
        q = queries if isinstance(queries, np.ndarray) else as_array(queries)
        q = spread(q.astype(np.uint64, copy=False))
        found_q: list[np.ndarray] = []
        found_k: list[np.ndarray] = []
        found_d: list[np.ndarray] = []
        probes = [[0] + ([1 << b for b in range(size)] if radius else []) for size in SIZES]
        for first in range(0, len(q), _BATCH):
            batch = q[first : first + _BATCH]
            qs, ks, ds = [], [], []
            for i in range(CHUNKS):
                chunk = _chunk(batch, i)
                for probe in probes[i]:
                    wanted = chunk ^ probe if probe else chunk
                    lo = self.starts[i][wanted]
                    counts = self.starts[i][wanted + 1] - lo
                    total = int(counts.sum())
                    if not total:
                        continue
                    # Expand every [lo, lo + count) run into positions without a Python loop.
                    owner = np.repeat(np.arange(len(batch), dtype=np.int32), counts)
                    offset = np.repeat(lo - (np.cumsum(counts, dtype=np.int64) - counts), counts)
                    cand = self.orders[i][offset + np.arange(total)]
                    dist = np.bitwise_count(batch[owner] ^ self.keys[cand])
                    near = dist <= max_distance
                    qs.append(owner[near])
                    ks.append(cand[near])
                    ds.append(dist[near])
            if not qs:
                continue
            qi = np.concatenate(qs).astype(np.int64)
            ki = np.concatenate(ks).astype(np.int64)
            dist = np.concatenate(ds).astype(np.int64)
            # A pair agreeing on several chunks was met several times: keep it once.
            _, once = np.unique(qi * len(self.keys) + ki, return_index=True)
            found_q.append(qi[once] + first)
            found_k.append(ki[once])
            found_d.append(dist[once])
        if not found_q:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(found_q), np.concatenate(found_k), np.concatenate(found_d)
