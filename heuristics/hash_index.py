"""Near-neighbour search over 64-bit perceptual hashes, close to linear in their number.

Multi-index hashing: each key is cut into four 16-bit chunks and each chunk column is
sorted once. Two hashes within 3 bits of each other agree exactly on at least one chunk
(pigeonhole), so a query only meets the keys sharing one of its four chunks — a binary
search each — instead of every key. With `radius=1` each chunk is also probed at its 16
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

CHUNKS = 4
CHUNK_BITS = 16
_MASK = np.uint64((1 << CHUNK_BITS) - 1)
#: Queries handled per step, to bound the memory of the candidate arrays.
_BATCH = 1 << 17


def as_array(values: Iterable[int]) -> np.ndarray:
    """Unsigned 64-bit hashes as a NumPy array."""
    return np.fromiter(values, dtype=np.uint64)


def _chunk(values: np.ndarray, i: int) -> np.ndarray:
    return ((values >> np.uint64(i * CHUNK_BITS)) & _MASK).astype(np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class HashIndex:
    keys: np.ndarray
    """The indexed hashes (uint64), in the caller's order: results name them by position."""
    orders: tuple[np.ndarray, ...]
    """Per chunk, the positions of `keys` sorted by that chunk."""
    sorted_chunks: tuple[np.ndarray, ...]
    """Per chunk, the chunk values in that sorted order."""

    @classmethod
    def build(cls, keys: Iterable[int] | np.ndarray) -> HashIndex:
        array = keys if isinstance(keys, np.ndarray) else as_array(keys)
        array = array.astype(np.uint64, copy=False)
        orders, sorted_chunks = [], []
        for i in range(CHUNKS):
            chunk = _chunk(array, i)
            order = np.argsort(chunk, kind="stable")
            orders.append(order)
            sorted_chunks.append(chunk[order])
        return cls(array, tuple(orders), tuple(sorted_chunks))

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
        q = q.astype(np.uint64, copy=False)
        found_q: list[np.ndarray] = []
        found_k: list[np.ndarray] = []
        found_d: list[np.ndarray] = []
        probes = [0] + ([1 << b for b in range(CHUNK_BITS)] if radius else [])
        for start in range(0, len(q), _BATCH):
            batch = q[start : start + _BATCH]
            qs, ks = [], []
            for i in range(CHUNKS):
                chunk = _chunk(batch, i)
                for probe in probes:
                    wanted = chunk ^ probe if probe else chunk
                    lo = np.searchsorted(self.sorted_chunks[i], wanted, side="left")
                    hi = np.searchsorted(self.sorted_chunks[i], wanted, side="right")
                    counts = hi - lo
                    total = int(counts.sum())
                    if not total:
                        continue
                    # Expand every [lo, hi) run into positions without a Python loop.
                    owner = np.repeat(np.arange(len(batch)), counts)
                    run_start = np.repeat(lo - np.cumsum(counts) + counts, counts)
                    positions = run_start + np.arange(total)
                    qs.append(owner)
                    ks.append(self.orders[i][positions])
            if not qs:
                continue
            qi = np.concatenate(qs)
            ki = np.concatenate(ks)
            dist = np.bitwise_count(batch[qi] ^ self.keys[ki])
            near = dist <= max_distance
            qi, ki, dist = qi[near], ki[near], dist[near]
            # A pair agreeing on several chunks was met several times: keep it once.
            pair = qi.astype(np.int64) * len(self.keys) + ki
            _, first = np.unique(pair, return_index=True)
            found_q.append(qi[first] + start)
            found_k.append(ki[first])
            found_d.append(dist[first].astype(np.int64))
        if not found_q:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(found_q), np.concatenate(found_k), np.concatenate(found_d)
