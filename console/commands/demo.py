"""`tact demo [--out DIR] [--seed N] [--scale N]`: the bundled demo community.

With `--out`, write the community file, its pictures and truth.json into DIR. Without it,
build the demo once into the user's cache directory (files, then an imported store), and
open the console on it with the demo's fixed clock.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import orjson
from filelock import FileLock

from console.config import Settings, demo_cache_dir
from console.context import Tact
from console.demo import DEFAULT_SCALE, NOW, build
from console.importer import import_file
from console.progress import ProgressBar
from console.signals_service import STATE_FILE, run_engine
from heuristics.model import parse_time

#: Bumped when the generator changes, so cached demos are rebuilt.
GENERATOR_VERSION = 5
_MARKER = "complete.json"


def _write(out: Path, seed: int, scale: int) -> None:
    with ProgressBar() as bar:
        build(out, seed, scale, bar)


def cached_demo(seed: int, scale: int, root: Path | None = None) -> tuple[Path, str]:
    """The data directory of the cached demo (built when missing or incomplete) and its now."""
    base = (root or demo_cache_dir()) / f"seed{seed}-scale{scale}"
    base.parent.mkdir(parents=True, exist_ok=True)
    # Two consoles launched at once must not build into the same folder together.
    with FileLock(base.parent / f".{base.name}.lock"):
        return _cached_demo(base, seed, scale)


def _cached_demo(base: Path, seed: int, scale: int) -> tuple[Path, str]:
    marker = base / _MARKER
    expected = {"version": GENERATOR_VERSION, "seed": seed, "scale": scale}
    try:
        done = orjson.loads(marker.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        done = None
    if not (isinstance(done, dict) and {k: done.get(k) for k in expected} == expected):
        if base.exists():
            shutil.rmtree(base)
        print(f"Building the demo community in {base} (once)…", file=sys.stderr)
        with ProgressBar() as bar:
            truth = build(base / "files", seed, scale, bar)
            import_file(
                Tact.open(Settings(base / "data", "demo")).store, base / "files" / "community.jsonl", bar=bar
            )
            warm_signals(base / "data", truth["now"], bar)
        # Written last: a build interrupted anywhere above is redone next time.
        marker.write_bytes(orjson.dumps({**expected, "now": truth["now"]}))
        done = {**expected, "now": truth["now"]}
    now = str(done.get("now") or NOW.isoformat())
    if not Tact.open(Settings(base / "data", "demo")).store.derived_path(STATE_FILE).exists():
        # A demo cached before the signals were computed at build time (or whose state was
        # removed): compute them now, once, rather than in front of the moderator.
        with ProgressBar() as bar:
            warm_signals(base / "data", now, bar)
    return base / "data", now


def warm_signals(data: Path, now: str, bar: ProgressBar) -> None:
    """Run every detector once at the demo's fixed now, so the engine's state file is saved
    and the Signals screen opens on it at once (its first run takes a minute on the demo)."""
    run_engine(Tact.open(Settings(data, "demo"), parse_time(now)), parse_time(now), bar=bar)


def run(args: argparse.Namespace, tact: Tact) -> int:
    scale = args.scale if args.scale is not None else DEFAULT_SCALE
    if args.out:
        out = Path(args.out)
        _write(out, args.seed, scale)
        print(out / "community.jsonl")
        return 0
    data, now = cached_demo(args.seed, scale)
    from console.commands.console import open_console  # the UI loads only when it is shown

    return open_console(Tact.open(Settings(data, tact.settings.moderator), parse_time(now)))
