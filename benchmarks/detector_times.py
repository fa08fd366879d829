"""Each detector alone on a real store: a full `detect`, and `detect_new` after the newest posts.

    python -m benchmarks.detector_times --data DIR [--kinds spam,conflict] [--new 1000] [--check]

A working tool for detector work at scale (the engine's own per-kind seconds are in
`scale.md`): it loads the store the way the console does (`load_data`: lazy posts over the
post index), times `detect(data, now)`, then `detect_new` with the newest `--new` posts as the
new ones and, as the previous signals, those of `detect` on everything older. `--check` also
compares that incremental result with the full one (signal ids, scores, posts).
`now` is the community's `truth.json` beside DIR (a `tact demo` folder) or the newest post.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from heuristics.detector import CommunityData, ListTable
from heuristics.model import parse_time


def _now(data_dir: Path, data: CommunityData) -> str:
    import orjson

    for truth in (data_dir.parent / "demo" / "truth.json", data_dir.parent / "truth.json"):
        if truth.exists():
            return str(orjson.loads(truth.read_bytes())["now"])
    from heuristics.model import format_time

    return format_time(data.posts[-1].created_at)


def main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(prog="python -m benchmarks.detector_times")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--now", default="")
    parser.add_argument("--check", action="store_true", help="incremental must equal full")
    parser.add_argument("--no-full", action="store_true", help="time detect_new only")
    args = parser.parse_args(argv)

    from console.gc_pause import gc_paused

    with gc_paused():  # as `run_engine` does
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from console.config import Settings
    from console.context import Tact
    from console.signals_service import build_engine, load_data
    from console.tact_config import load_config

    started = time.perf_counter()
    tact = Tact.open(Settings(args.data, "bench"))
    config = load_config(tact.settings.config_file)
    data = load_data(tact, config)
    now = parse_time(args.now or _now(args.data, data))
    print(f"load_data: {time.perf_counter() - started:.2f} s, {len(data.posts):,} posts, now {now}")
    kinds = [k for k in args.kinds.split(",") if k] or None
    engine = build_engine(config, kinds)
    posts = list(data.posts)
    early_posts = posts[: -args.new]
    early = replace(data, posts=early_posts, table=ListTable.of(early_posts), lookup=None)
    new = posts[-args.new :]
    for kind, detector in engine.detectors.items():
        line = f"{kind:16}"
        full = None
        detect_new = getattr(detector, "detect_new", None)
        if not args.no_full or args.check or detect_new is None:
            t = time.perf_counter()
            full = detector.detect(data, now)
            line += f" full {time.perf_counter() - t:7.2f} s ({len(full)} signals)"
        if detect_new is not None:
            previous = detector.detect(early, now)
            t = time.perf_counter()
            inc = detect_new(data, new, previous, now)
            line += f"   incremental {time.perf_counter() - t:6.3f} s"
            if args.check and full is not None:
                a = sorted((s.id, round(s.score, 6), s.posts) for s in full)
                b = sorted((s.id, round(s.score, 6), s.posts) for s in inc)
                line += "   same" if a == b else f"   DIFFERENT ({len(a)} vs {len(b)})"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
