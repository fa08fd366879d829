"""`tact act SIGNAL_ID ACTION [--note TEXT] [--until T]`: record a moderator action.

The id is checked against the signals tact computes now and against the signals already in
the audit log (a dismissed signal can be reopened), so a typo is an error, not a silent
entry about a signal that does not exist.
"""

from __future__ import annotations

import argparse
import importlib

from console import triage
from console.context import Tact
from console.errors import BadInput
from console.safe_text import one_line
from heuristics.model import Signal, format_time


def _computed(tact: Tact) -> list[Signal] | None:
    """The signals due now, or None while the signals service is not available."""
    try:
        service = importlib.import_module("console.signals_service")
    except ImportError:
        return None
    compute = getattr(service, "compute_signals", None)
    if compute is None:
        return None
    return list(compute(tact))


def find_signal(tact: Tact, signal_id: str) -> Signal | None:
    """The signal with that id (None when only the audit log knows it, or when signals
    cannot be computed here); raises BadInput when nobody knows the id."""
    computed = _computed(tact)
    if computed is None:
        return None
    for signal in computed:
        if signal.id == signal_id:
            return signal
    if any(a.signal == signal_id for a in tact.audit.entries()):
        return None
    raise BadInput(f"tact act: no signal {one_line(signal_id, 80)!r} (see `tact signals --json`)")


def run(args: argparse.Namespace, tact: Tact) -> int:
    sid: str = args.signal_id
    action: str = args.action
    if action == "snooze" and args.until is None:
        raise BadInput("tact act: snooze needs --until (an ISO-8601 date or date-time)")
    if action == "note" and not (args.note or "").strip():
        raise BadInput("tact act: note needs --note TEXT")
    if args.until is not None and action != "snooze":
        raise BadInput(f"tact act: --until only goes with snooze, not {action}")
    signal = find_signal(tact, sid)
    if action == "note":
        authors: dict[str, str] = {}
        if signal is not None and signal.reply is not None and signal.reply.to:
            post = tact.store.post(signal.reply.to)
            if post is not None:
                authors[post.id] = post.author
        member = triage.subject_member(signal, authors) if signal is not None else None
        entry = triage.note(tact, member, args.note, signal=sid)
    else:
        entry = triage.bulk(tact, action, [sid], note=args.note, until=args.until)[0]
    extra = f" until {format_time(entry.until)}" if entry.until else ""
    who = one_line(entry.moderator)
    print(f"{entry.action} {one_line(sid, 80)}{extra} (recorded as {entry.id} by {who})")
    return 0
