"""Moderator actions on signals, as functions over `Tact`: each one appends to the audit log.

The signals screen, the `tact act` command and the tests all go through here, so an action
means the same thing wherever it is taken. Nothing is ever rewritten: a status is the fold
of the log (`console.audit.signal_states`), and undo appends an `undo` entry.

Actions taken together (a bulk dismiss, a reply marked as sent and handled) are appended in
one write with one timestamp, and `undo` cancels them together: undo means "take back my
last step", not "take back a fraction of it".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from console.audit import Action, AuditLog, effective
from console.context import Tact
from console.errors import BadInput, TactError
from heuristics.model import Post, Signal
from heuristics.replies import Templates

SignalRef = Signal | str


def _sid(signal: SignalRef) -> str:
    return signal if isinstance(signal, str) else signal.id


def _clock() -> datetime:
    # Actions are stamped with the wall clock even when `tact.now()` is pinned (the demo,
    # `--now`): the log says when a moderator acted, and undo tells steps apart by it.
    return datetime.now(UTC)


def _append(tact: Tact, actions: Iterable[Action]) -> list[Action]:
    return tact.audit.append(actions)


def _action(tact: Tact, action: str, at: datetime, **fields: Any) -> Action:
    return Action(action=action, moderator=tact.moderator, at=at, **fields)


def subject_member(signal: Signal, authors: dict[str, str] | None = None) -> str | None:
    """The member a note or a reply is about: the author of the post the reply answers,
    else the signal's first member (for member kinds: the member)."""
    if signal.reply is not None and signal.reply.to and authors:
        author = authors.get(signal.reply.to)
        if author:
            return author
    return signal.members[0] if signal.members else None


def dismiss(tact: Tact, signal: SignalRef, reason: str | None = None) -> Action:
    """A false positive (or not worth acting on); `reason` helps tune the detectors."""
    return bulk(tact, "dismiss", [signal], note=reason)[0]


def snooze(tact: Tact, signal: SignalRef, until: datetime) -> Action:
    """Hide the signal until `until`; it comes back open after that."""
    return bulk(tact, "snooze", [signal], until=until)[0]


def handled(tact: Tact, signal: SignalRef, note: str | None = None) -> Action:
    return bulk(tact, "handled", [signal], note=note)[0]


def reopen(tact: Tact, signal: SignalRef, note: str | None = None) -> Action:
    return bulk(tact, "reopen", [signal], note=note)[0]


def note(tact: Tact, member: str | None, text: str, signal: SignalRef | None = None) -> Action:
    """A note shared by the moderators, about a member (shown wherever the member appears)."""
    if not text.strip():
        raise BadInput("a note needs some text")
    fields: dict[str, Any] = {"member": member, "note": text}
    if signal is not None:
        fields["signal"] = _sid(signal)
    return _append(tact, [_action(tact, "note", _clock(), **fields)])[0]


def reply(
    tact: Tact,
    signal: SignalRef,
    text: str,
    lang: str,
    visibility: str,
    to: str | None,
    mark_handled: bool = True,
    member: str | None = None,
) -> list[Action]:
    """Record a reply the moderator sent or copied, and (by default) the signal as handled,
    in one step: undo takes both back."""
    if not text.strip():
        raise BadInput("a reply needs some text")
    at = _clock()
    sid = _sid(signal)
    doc = {"lang": lang, "visibility": visibility, "to": to, "text": text}
    actions = [_action(tact, "reply", at, signal=sid, reply=doc, post=to, member=member)]
    if mark_handled:
        actions.append(_action(tact, "handled", at, signal=sid))
    return _append(tact, actions)


def bulk(
    tact: Tact,
    action: str,
    signals: Sequence[SignalRef],
    note: str | None = None,
    until: datetime | None = None,
) -> list[Action]:
    """One status action on several signals, appended in one write (one fsync)."""
    if action not in ("dismiss", "snooze", "handled", "reopen"):
        raise BadInput(f"not a signal action: {action}")
    if action == "snooze" and until is None:
        raise BadInput("snooze needs --until (a date or date-time)")
    at = _clock()
    until = until if action == "snooze" else None
    batch = [_action(tact, action, at, signal=_sid(s), note=note or None, until=until) for s in signals]
    return _append(tact, batch)


def bulk_dismiss(tact: Tact, signals: Sequence[SignalRef], reason: str | None = None) -> list[Action]:
    return bulk(tact, "dismiss", signals, note=reason)


def bulk_handled(tact: Tact, signals: Sequence[SignalRef]) -> list[Action]:
    return bulk(tact, "handled", signals)


def last_step(entries: Sequence[Action], moderator: str) -> list[Action]:
    """This moderator's last step that still counts: the entries appended with it."""
    mine = [a for a in effective(entries) if a.moderator == moderator]
    if not mine:
        return []
    last = mine[-1]
    step: list[Action] = []
    for a in reversed(mine):
        if a.at != last.at:
            break
        step.append(a)
    return step[::-1]


def undo(tact: Tact) -> list[Action]:
    """Cancel this moderator's last step (never another moderator's); returns what was
    cancelled, [] when there is nothing left to undo."""
    step = last_step(tact.audit.entries(), tact.moderator)
    if not step:
        return []
    at = _clock()
    tact.audit.append(_action(tact, "undo", at, undoes=a.id, signal=a.signal, member=a.member) for a in step)
    return step


def snooze_choices(now: datetime) -> dict[str, datetime]:
    """The snooze presets, from `now`: tomorrow and next Monday, both at 08:00 UTC."""
    day = now.astimezone(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    tomorrow = day + timedelta(days=1)
    monday = day + timedelta(days=7 - day.weekday())
    return {"tomorrow": tomorrow, "next week": monday}


class AuditTail:
    """Reads what was appended to the audit log since the last read, by byte offset.

    A console polls `AuditLog.size()` every couple of seconds; when it grew (this
    moderator's action, or another console's), only the new bytes are parsed. A line still
    being written (no newline yet) waits for the next read.
    """

    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit
        self.offset = 0

    def read_new(self) -> list[Action]:
        try:
            with self.audit.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except FileNotFoundError:
            return []
        end = chunk.rfind(b"\n") + 1
        self.offset += end
        out: list[Action] = []
        for line in chunk[:end].splitlines():
            if not line.strip():
                continue
            try:
                out.append(Action.from_json(orjson.loads(line)))
            except (orjson.JSONDecodeError, KeyError, ValueError, TypeError):
                continue
        return out


def reply_templates(tact: Tact) -> Templates:
    """The reply templates: shipped ones with the community's tact.toml merged over them.
    A broken tact.toml leaves the shipped templates (the signals command reports it)."""
    from console.tact_config import load_config, shipped_templates

    try:
        return load_config(tact.settings.config_file).templates
    except TactError:
        return shipped_templates()


def template_fields(
    signal: Signal,
    names: Mapping[str, str],
    community: str = "",
    posts: Mapping[str, Post] | None = None,
) -> dict[str, object]:
    """Fields to render a signal's template again (another language or variant): what the
    detector left in its evidence under "fields", else what the signal itself tells (the
    members' names, the first post, its author and date)."""
    given = signal.evidence.get("fields")
    fields: dict[str, object] = dict(given) if isinstance(given, Mapping) else {}
    posts = posts or {}
    member_names = [names.get(m, m) for m in signal.members]
    if member_names:
        fields.setdefault("name", member_names[0])
        fields.setdefault("names", ", ".join(member_names))
        fields.setdefault("other", ", ".join(member_names[1:]))
    fields.setdefault("count", len(signal.members))
    if community:
        fields.setdefault("community", community)
        fields.setdefault("group", community)
    if signal.posts:
        first = posts.get(signal.posts[0])
        fields.setdefault("first_post", signal.posts[0])
        if first is not None:
            fields.setdefault("first_author", names.get(first.author, first.author))
            fields.setdefault("first_date", first.created_at.date().isoformat())
    if signal.reply is not None and signal.reply.to:
        fields.setdefault("post", signal.reply.to)
    if isinstance(signal.evidence.get("thread"), str):
        fields.setdefault("thread", signal.evidence["thread"])
    for key in ("weeks_inactive", "weeks"):
        if key in signal.evidence:
            fields.setdefault("weeks", signal.evidence[key])
    fields.setdefault("links", "")
    return fields
