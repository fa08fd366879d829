"""Import speed: `tact import` of the demo community beside a naive TinyDB import.

    python -m benchmarks.import_speed [--scale N] [--sample K]

Builds the demo community (20,000 posts by default) in a temporary folder, then measures,
in this process:

- tact: `console.importer.import_file` into an empty data directory (check every line,
  write the month partitions and the index, hash the pictures), then the idempotent
  re-import of the same file;
- the naive baseline: TinyDB with its default JSONStorage, one `insert` per record. Each
  insert rewrites the whole file, so the cost of record i grows with i: the first K records
  are timed in blocks, a per-insert cost a + b*i is fitted to the blocks, and the total for
  all records is extrapolated (and said so in the results);
- for reference, TinyDB default storage with a single `insert_multiple`.

Writes benchmarks/results/import_speed.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from benchmarks.machine import describe
from console.demo import DEFAULT_SCALE, build
from console.importer import import_file
from console.store import Store

HERE = Path(__file__).resolve().parent


def naive_one_by_one(
    lines: list[bytes], path: Path, sample: int, block: int = 250
) -> tuple[float, float, int]:
    """(measured seconds for `sample` records, extrapolated seconds for all, records measured)."""
    sample = min(sample, len(lines))
    blocks: list[tuple[int, float]] = []  # (index of the block's first record, seconds per insert)
    with TinyDB(path) as db:
        started = time.perf_counter()
        for first in range(0, sample, block):
            t0 = time.perf_counter()
            chunk = lines[first : first + block]
            for raw in chunk:
                db.insert(json.loads(raw))
            blocks.append((first + len(chunk) // 2, (time.perf_counter() - t0) / len(chunk)))
        measured = time.perf_counter() - started
    # Least squares for cost(i) = a + b*i over the blocks, then the sum over every record.
    n = len(blocks)
    mean_i = sum(i for i, _ in blocks) / n
    mean_c = sum(c for _, c in blocks) / n
    var = sum((i - mean_i) ** 2 for i, _ in blocks) or 1.0
    b = sum((i - mean_i) * (c - mean_c) for i, c in blocks) / var
    a = mean_c - b * mean_i
    total = len(lines)
    extrapolated = a * total + b * total * (total - 1) / 2 if sample < total else measured
    return measured, max(extrapolated, measured), sample


def naive_bulk(lines: list[bytes], path: Path) -> float:
    started = time.perf_counter()
    with TinyDB(path) as db:
        db.insert_multiple(json.loads(raw) for raw in lines)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_speed")
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE)
    parser.add_argument("--sample", type=int, default=2000, help="records timed for the naive baseline")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tact-bench-import-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        build(root / "demo", scale=args.scale)
        build_s = time.perf_counter() - t0
        file = root / "demo" / "community.jsonl"
        lines = [line for line in file.read_bytes().splitlines() if line.strip()]
        size_mb = file.stat().st_size / 1e6
        print(f"demo built in {build_s:.1f} s: {len(lines)} records, {size_mb:.1f} MB", flush=True)

        pictures = len({p for raw in lines for p in json.loads(raw).get("images", [])})
        # Without picture hashing first (the store and index only), then the real import.
        t0 = time.perf_counter()
        import_file(Store(root / "tact-nohash"), file, hash_pictures=False)
        nohash_s = time.perf_counter() - t0
        store = Store(root / "tact")
        t0 = time.perf_counter()
        summary = import_file(store, file)
        tact_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = import_file(store, file)
        reimport_s = time.perf_counter() - t0
        assert again.posts_added == again.posts_updated == 0
        hash_s = None
        try:
            from console.image_hashing import ensure_hashes

            paths = [p for post in store.iter_posts() for p in post.images]
            t0 = time.perf_counter()
            ensure_hashes(Store(root / "hash-only"), paths)
            hash_s = time.perf_counter() - t0
        except ImportError:
            pass
        print(f"tact import {tact_s:.2f} s, re-import {reimport_s:.2f} s", flush=True)

        measured, naive_s, sampled = naive_one_by_one(lines, root / "naive.json", args.sample)
        print(f"naive: {sampled} inserts in {measured:.1f} s -> {naive_s:.0f} s for all", flush=True)
        bulk_s = naive_bulk(lines, root / "bulk.json")

    estimated = " (extrapolated)" if sampled < len(lines) else ""
    rows = [
        ("tact import without picture hashing", nohash_s, naive_s, f"naive{estimated}"),
        (
            "tact import (check, write partitions + index, hash pictures)",
            tact_s,
            naive_s,
            f"naive{estimated}",
        ),
        ("tact re-import of the same file (nothing written)", reimport_s, naive_s, f"naive{estimated}"),
        ("TinyDB default storage, one insert_multiple (reference)", bulk_s, naive_s, f"naive{estimated}"),
    ]
    lines_md = [
        "## Import speed (`python -m benchmarks.import_speed`)",
        "",
        f"Machine: {describe()}.",
        "",
        f"The demo community at scale {args.scale}: {summary.members_added} members, "
        f"{summary.posts_added} posts and comments, {pictures} pictures, "
        f"{size_mb:.1f} MB of JSON Lines (built in {build_s:.1f} s).",
        "",
        f"Load average when written: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine:"
        " absolute seconds are inflated when busy; both sides are measured in the same process).",
        "",
        "| figure | seconds | baseline | baseline seconds | speed-up |",
        "|---|---:|---|---:|---:|",
    ]
    for name, secs, base, label in rows:
        lines_md.append(f"| {name} | {secs:.2f} | {label} | {base:.0f} | {base / secs:.0f}× |")
    lines_md += [
        "",
        f"Naive baseline: TinyDB 4 with its default JSONStorage, `json.loads` then one `insert` per "
        f"record into one file. Each insert rewrites the whole file, so it is quadratic: the first "
        f"{sampled} records took {measured:.1f} s (timed in blocks of 250); the total for all "
        f"{len(lines)} records is extrapolated from a per-insert cost fitted to those blocks "
        f"(a + b·i).",
    ]
    if hash_s is not None:
        lines_md.append(
            f"Of tact's import, hashing the pictures alone takes {hash_s:.2f} s "
            f"(`console.image_hashing.ensure_hashes`, measured separately on a fresh store)."
        )
    out = HERE / "results" / "import_speed.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines_md) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
