"""`tact members [--inactive [--weeks N]] [--json]`: members with their figures, for scripts.

With `--inactive`, only the members the inactivity rule flags (default: 8 weeks, or
`[detectors.inactive_member] weeks` in tact.toml), each with the suggested private check-in:
one JSON object a line {member, name, lang, last_activity, joined_at, weeks_inactive, reply}.
Without it, every member with joined date, last post and comment, counts over the last 30/90
days and rung. Without `--json`, a plain table for people.
"""

from __future__ import annotations

import argparse
import sys

import orjson

from console.context import Tact
from console.members_service import inactive_json, load_members, member_json
from console.safe_text import one_line


def run(args: argparse.Namespace, tact: Tact) -> int:
    view = load_members(tact, weeks=args.weeks)
    rows = sorted(view.rows, key=lambda r: r.id)
    if args.inactive:
        # Longest silence first (a signal's `at` is when the silence reached the threshold).
        rows = sorted(
            (r for r in rows if r.inactivity is not None),
            key=lambda r: (r.inactivity.since, r.id),  # type: ignore[union-attr]
        )
    out = sys.stdout
    if args.json:
        for row in rows:
            doc = inactive_json(view, row) if args.inactive else member_json(row)
            out.write(orjson.dumps(doc).decode() + "\n")
        return 0
    if args.inactive:
        for row in rows:
            doc = inactive_json(view, row)
            since = doc["last_activity"] or f"never (joined {doc['joined_at'][:10]})"
            out.write(
                f"{one_line(row.id, 20):<20} {one_line(row.member.display_name, 28):<28} {row.lang}  "
                f"{doc['weeks_inactive']:>3} weeks  last: {since[:10] if doc['last_activity'] else since}\n"
            )
        out.write(f"{len(rows)} inactive members (no post for {view.weeks} weeks or more)\n")
        return 0
    for row in rows:
        st = row.stats
        out.write(
            f"{one_line(row.id, 20):<20} {one_line(row.member.display_name, 28):<28} {row.lang}  "
            f"{st.rung:<9} 30d {st.posts_30:>3}/{st.comments_30:<3} 90d {st.posts_90:>4}/{st.comments_90:<4}"
            f"{'  inactive' if row.inactive else ''}\n"
        )
    out.write(f"{len(rows)} members\n")
    return 0
