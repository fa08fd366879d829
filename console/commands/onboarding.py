"""`tact onboarding [--json]`: the onboarding steps due now (not yet done), for scripts.

One JSON object a line: {member ("*" for a group post), step, due, deadline, overdue_days,
members, reply, signal, score}, oldest due first. Mark a step done from the calendar screen
(`d`); it is recorded in the audit log and never proposed again.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from console.context import Tact
from console.members_service import load_onboarding, step_json
from console.safe_text import one_line


def run(args: argparse.Namespace, tact: Tact) -> int:
    now = tact.now()
    _, steps = load_onboarding(tact, now)
    out = sys.stdout
    for step in steps:
        if args.json:
            out.write(orjson.dumps(step_json(step, now)).decode() + "\n")
            continue
        late = step.overdue_days(now)
        status = f"overdue by {late} days" if late else "due"
        who = "group post" if step.member == "*" else one_line(step.member, 20)
        out.write(f"{step.due:%Y-%m-%d}  {one_line(step.step, 22):<22} {who:<20} {status}\n")
    if not args.json:
        out.write(f"{len(steps)} onboarding steps due\n")
    return 0
