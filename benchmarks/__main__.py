"""`python -m benchmarks [NAME ...]`: run the benchmarks and gather benchmarks/RESULTS.md.

Each benchmark runs in its own process (so one's memory does not weigh on the next) and
writes `benchmarks/results/<name>.md`; this gathers them, in a fixed order, into one file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.machine import describe

HERE = Path(__file__).resolve().parent
#: Not benchmarks: shared code, and `detector_times`, a working tool that times each detector
#: on a store you point it at (it writes no results file).
SKIP = {"__init__", "__main__", "machine", "detector_times"}


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in SKIP and not p.stem.startswith("_"))


def gather() -> Path:
    parts = [
        "# Benchmark results\n",
        f"Gathered by `python -m benchmarks` on: {describe()}.\n",
        "Each section below was written by `python -m benchmarks.<name>`; every figure stands "
        "beside a baseline measured in the same process.\n",
    ]
    for path in sorted((HERE / "results").glob("*.md")):
        parts.append(path.read_text(encoding="utf-8").strip() + "\n")
    out = HERE / "RESULTS.md"
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    names = argv or available()
    failed: list[str] = []
    for name in names:
        started = time.perf_counter()
        print(f"== benchmarks.{name}", flush=True)
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}"], cwd=HERE.parent)
        print(f"   exit {code} after {time.perf_counter() - started:.1f} s", flush=True)
        if code:
            failed.append(name)
    print(f"wrote {gather()}")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
