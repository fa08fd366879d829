"""`tact report`: the community health report (Markdown and self-contained HTML)."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.context import Tact
from console.errors import BadInput, TactError
from console.health_data import STEPS, complete, gather, load_kpi_choice
from console.progress import ProgressBar
from console.report import FORMATS, write_report
from heuristics.health import DEFAULT_KPIS, parse_period


def run(args: argparse.Namespace, tact: Tact) -> int:
    formats = [f.strip().lower() for f in str(args.format).split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BadInput(f"tact report: --format: expected md, html or md,html, got {args.format!r}")
    try:
        period = parse_period(str(args.period))
    except ValueError as err:
        raise BadInput(f"tact report: --period: {err}") from None
    if not tact.store.exists():
        raise TactError(f"tact report: no community in {tact.settings.data} (import one with tact import)")
    with ProgressBar() as bar:
        task = bar.task("Health report", total=len(STEPS) + 1)
        view = gather(tact, period)
        task.advance()
        view = complete(tact, view, lambda _step: task.advance())
    # The report shows the KPIs the moderators chose on the health screen (else the defaults).
    keys = load_kpi_choice(tact) or DEFAULT_KPIS
    for path in write_report(view, keys, Path(args.out).expanduser(), list(dict.fromkeys(formats))):
        print(path)
    return 0
