"""`tact log [--json]`: the audit log, oldest first (FORMATS.md).

With `--json`, one object a line exactly as stored (undo entries included: the log is never
rewritten, readers fold it). Without, a readable table.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from console.audit import Action
from console.context import Tact
from console.safe_text import one_line


def describe(entry: Action) -> str:
    """What an entry says, on one line: the note, the reply text, the snooze date."""
    parts: list[str] = []
    if entry.member:
        parts.append(f"member {entry.member}")
    if entry.until is not None:
        parts.append(f"until {entry.until:%Y-%m-%d %H:%M}")
    if entry.undoes:
        parts.append(f"undoes {entry.undoes[:8]}")
    if entry.step:
        parts.append(f"step {entry.step}")
    if entry.note:
        parts.append(f"“{entry.note}”")
    if entry.reply:
        reply = entry.reply
        parts.append(f"{reply.get('visibility', '')} {reply.get('lang', '')}: “{reply.get('text', '')}”")
    return one_line(" · ".join(parts))


def run(args: argparse.Namespace, tact: Tact) -> int:
    entries = tact.audit.entries()
    out = sys.stdout
    if args.json:
        for entry in entries:
            out.write(orjson.dumps(entry.to_json()).decode() + "\n")
        return 0
    if not entries:
        print("The audit log is empty.")
        return 0
    rows = [
        (
            f"{entry.at:%Y-%m-%d %H:%M:%S}",
            one_line(entry.moderator, 16),
            entry.action,
            one_line(entry.signal or "", 28),
            describe(entry),
        )
        for entry in entries
    ]
    header = ("when (UTC)", "who", "action", "signal", "details")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])]
        out.write("  ".join([*cells, one_line(row[4], 120)]).rstrip() + "\n")
    return 0
