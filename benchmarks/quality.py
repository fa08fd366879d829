"""Detector quality on the demo community's ground truth: precision and recall per kind.

    python -m benchmarks.quality [--demo DIR] [--seed N]

Builds the demo community with `tact demo --out` into a temporary folder (or reads one
already written, `--demo DIR`), imports it into a fresh data directory, computes every
signal at the demo's fixed `now`, and compares with `truth.json`. The matching rule (the
brief's): a detected signal matches a planted one of the same kind if it shares a post
(post kinds), a member (member kinds) or overlaps the window (window kinds). Onboarding
entries also carry a step; when both sides name one they must agree, and the group-wide
entries (member "*") match on the step alone.

Precision = detected signals that match something planted / detected signals;
recall = planted signals matched by something detected / planted signals.
Writes `benchmarks/results/quality.md`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from benchmarks.machine import describe
from heuristics.model import SIGNAL_KINDS, Signal, parse_time

HERE = Path(__file__).resolve().parent
WINDOW_KINDS = frozenset({"quiet_group", "off_topic_drift"})
MEMBER_KINDS = frozenset({"inactive_member", "onboarding"})


@dataclass(frozen=True, slots=True)
class Planted:
    kind: str
    posts: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()
    window: tuple[datetime, datetime] | None = None
    step: str | None = None


@dataclass(frozen=True, slots=True)
class KindScore:
    kind: str
    planted: int
    detected: int
    true_detected: int
    found: int

    @property
    def precision(self) -> float | None:
        return self.true_detected / self.detected if self.detected else None

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None


def planted_from_truth(truth: Mapping[str, Any]) -> list[Planted]:
    """Every planted signal of truth.json, the member lists folded in as member kinds."""
    out: list[Planted] = []
    for doc in truth.get("signals", []):
        window = doc.get("window")
        out.append(
            Planted(
                doc["kind"],
                frozenset(doc.get("posts") or ()),
                frozenset(doc.get("members") or ()),
                (parse_time(window[0]), parse_time(window[1])) if window else None,
                doc.get("step"),
            )
        )
    listed = {(p.kind, m) for p in out for m in p.members}
    for mid in truth.get("inactive_members", []):
        if ("inactive_member", mid) not in listed:
            out.append(Planted("inactive_member", members=frozenset({mid})))
    for doc in truth.get("onboarding", []):
        out.append(Planted("onboarding", members=frozenset({doc["member"]}), step=doc.get("step")))
    return out


def _window_of(signal: Signal) -> tuple[datetime, datetime] | None:
    window = signal.evidence.get("window")
    if isinstance(window, (list, tuple)) and len(window) == 2:
        try:
            return parse_time(str(window[0])), parse_time(str(window[1]))
        except ValueError:
            return None
    return None


def matches(signal: Signal, planted: Planted) -> bool:
    if signal.kind != planted.kind:
        return False
    if planted.kind in WINDOW_KINDS:
        mine = _window_of(signal)
        if mine is None or planted.window is None:
            # A window signal without a window can only be matched by the posts it names.
            return bool(planted.posts & set(signal.posts))
        return mine[0] < planted.window[1] and planted.window[0] < mine[1]
    if planted.kind in MEMBER_KINDS:
        step = signal.evidence.get("step")
        if planted.step is not None and step is not None and str(step) != planted.step:
            return False
        member = signal.evidence.get("member")
        members = set(signal.members) | ({str(member)} if member else set())
        return bool(planted.members & members)
    return bool(planted.posts & set(signal.posts))


def score(
    signals: Sequence[Signal], planted: Sequence[Planted], kinds: Iterable[str] = SIGNAL_KINDS
) -> list[KindScore]:
    out = []
    for kind in kinds:
        mine = [s for s in signals if s.kind == kind]
        truth = [p for p in planted if p.kind == kind]
        true_detected = sum(1 for s in mine if any(matches(s, p) for p in truth))
        found = sum(1 for p in truth if any(matches(s, p) for s in mine))
        out.append(KindScore(kind, len(truth), len(mine), true_detected, found))
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(scores: Sequence[KindScore]) -> str:
    rows = [
        "| kind | planted | detected | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in scores:
        rows.append(f"| {s.kind} | {s.planted} | {s.detected} | {_pct(s.precision)} | {_pct(s.recall)} |")
    return "\n".join(rows)


# -- the demo community ------------------------------------------------------------------------


def build_demo(out: Path, seed: int | None = None, scale: int | None = None) -> Path:
    """`tact demo --out OUT`; while that command is not wired, the generator it will call."""
    from console.cli import main

    args = ["demo", "--out", str(out)]
    if seed is not None:
        args += ["--seed", str(seed)]
    if scale is not None:
        args += ["--scale", str(scale)]
    code = main(args)
    if code == 0 and (out / "truth.json").exists():
        return out
    try:
        from console import demo
    except ImportError:
        raise SystemExit(f"benchmarks: `tact demo --out` failed (exit {code}); pass --demo DIR") from None
    print("benchmarks: `tact demo --out` unavailable; calling console.demo.build directly", file=sys.stderr)
    kwargs: dict[str, Any] = {}
    if seed is not None:
        kwargs["seed"] = seed
    if scale is not None:
        kwargs["scale"] = scale
    demo.build(out, **kwargs)
    return out


def import_demo(demo: Path, data: Path, file: Path | None = None) -> None:
    from console.cli import main

    code = main(["--data", str(data), "import", str(file or demo / "community.jsonl")])
    if code != 0:
        raise SystemExit(f"benchmarks: importing {file or demo / 'community.jsonl'} failed (exit {code})")


def evaluate(demo: Path, work: Path) -> tuple[list[KindScore], dict[str, Any], float, dict[str, str]]:
    from console.config import Settings
    from console.context import Tact
    from console.signals_service import run_engine

    truth = orjson.loads((demo / "truth.json").read_bytes())
    data = work / "data"
    import_demo(demo, data)
    now = parse_time(truth["now"])
    tact = Tact.open(Settings(data, "benchmark"), now)
    started = time.perf_counter()
    result = run_engine(tact, now)
    elapsed = time.perf_counter() - started
    skipped = {k: "module not there yet" for k in result.skipped}
    skipped.update(result.errors)
    return score(result.signals, planted_from_truth(truth)), truth, elapsed, skipped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality")
    parser.add_argument(
        "--demo", type=Path, help="a folder written by `tact demo --out` (default: build one)"
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "quality.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tact-quality-") as tmp:
        work = Path(tmp)
        demo = args.demo or build_demo(work / "demo", args.seed)
        scores, truth, elapsed, skipped = evaluate(demo, work)
    text = table(scores)
    print(text)
    notes = "".join(f"- `{k}` not measured: {v}\n" for k, v in sorted(skipped.items()))
    body = (
        "## Detector quality on the demo community\n\n"
        f"Command: `python -m benchmarks.quality`{' --seed ' + str(args.seed) if args.seed else ''} · "
        f"demo seed {truth.get('seed')} · now {truth.get('now')} · machine: {describe()}\n\n"
        "A detected signal matches a planted one of the same kind if it shares a post (post kinds), "
        "a member (member kinds; onboarding also the step) or overlaps the window (window kinds). "
        "Precision: detected signals matching something planted; recall: planted signals found.\n\n"
        f"{text}\n\n{notes}\nAll signals computed in {elapsed:.2f} s (full run, fresh state).\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(body, encoding="utf-8")
    print(f"written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
