"""The audit log: every moderator action, appended durably, never rewritten.

One JSON object a line in DATA/audit.jsonl. Appends hold DATA/audit.lock and fsync before
returning, so an action that was acknowledged survives `kill -9`, and two consoles on one
data directory never interleave half lines. Signal statuses, notes, check-ins and done
onboarding steps are all folds over this log: there is no second copy to drift.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from console.errors import ActionNotSaved, os_error_line
from console.file_lock import LazyFileLock
from heuristics.model import Status, format_time, parse_time

if TYPE_CHECKING:
    from heuristics.detector import Moderation

#: Actions on a signal that set its status.
STATUS_ACTIONS: dict[str, Status] = {
    "dismiss": "dismissed",
    "snooze": "snoozed",
    "handled": "handled",
    "reopen": "open",
}
#: Every action the log knows. `reply` records a reply sent or copied; `checkin` a private
#: check-in with a member; `no_checkin` asks tact never to suggest one for that member;
#: `onboarding_done` marks an onboarding step as done; `undo` cancels an earlier entry.
ACTIONS = (*STATUS_ACTIONS, "note", "reply", "checkin", "no_checkin", "onboarding_done", "undo")


@dataclass(frozen=True, slots=True)
class Action:
    action: str
    moderator: str
    at: datetime
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    signal: str | None = None
    member: str | None = None
    post: str | None = None
    note: str | None = None
    until: datetime | None = None
    """For `snooze`: when the signal comes back."""
    reply: dict[str, Any] | None = None
    """For `reply`: {"lang", "visibility", "to", "text"} as sent."""
    undoes: str | None = None
    """For `undo`: the id of the entry it cancels."""
    step: str | None = None
    """For `onboarding_done`: which step (e.g. "welcome", "weekly:2026-W12")."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "at": format_time(self.at),
            "moderator": self.moderator,
            "action": self.action,
        }
        for key in ("signal", "member", "post", "note", "reply", "undoes", "step"):
            value = getattr(self, key)
            if value is not None:
                doc[key] = value
        if self.until is not None:
            doc["until"] = format_time(self.until)
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Action:
        until = doc.get("until")
        return cls(
            action=doc["action"],
            moderator=doc.get("moderator", ""),
            at=parse_time(doc["at"]),
            id=doc["id"],
            signal=doc.get("signal"),
            member=doc.get("member"),
            post=doc.get("post"),
            note=doc.get("note"),
            until=parse_time(until) if until else None,
            reply=doc.get("reply"),
            undoes=doc.get("undoes"),
            step=doc.get("step"),
        )


def _after_torn_line(fd: int) -> bytes:
    """A newline if the log ends in the middle of a line (a write cut short: a full disk, a
    power loss), so that the fragment stays a line of its own, skipped when read, instead of
    swallowing the next action."""
    size = os.fstat(fd).st_size
    return b"\n" if size and os.pread(fd, 1, size - 1) != b"\n" else b""


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` until all of `data` is written: a full disk writes part of it, then refuses."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class AuditLog:
    def __init__(self, root: Path) -> None:
        self.path = Path(root) / "audit.jsonl"
        self._lock = LazyFileLock(Path(root) / "audit.lock")

    def append(self, actions: Iterable[Action]) -> list[Action]:
        """Append actions durably (one write, one fsync) and return them. Raises
        `ActionNotSaved` (one line: the file and why) when the log cannot take them."""
        batch = list(actions)
        if not batch:
            return batch
        for a in batch:
            if a.action not in ACTIONS:
                raise ValueError(f"unknown action {a.action!r}")
        payload = b"".join(orjson.dumps(a.to_json()) + b"\n" for a in batch)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock.get():
                # 0666 less the umask: a shared directory's group may append too.
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
                try:
                    _write_all(fd, _after_torn_line(fd) + payload)
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as err:  # named: the file that refused (the log or its lock), else the log
            where = err.filename or self.path
            raise ActionNotSaved(os_error_line(err, "the action was not saved", where)) from None
        return batch

    def record(self, action: str, moderator: str, **fields: Any) -> Action:
        at = fields.pop("at", None) or datetime.now(UTC)
        return self.append([Action(action=action, moderator=moderator, at=at, **fields)])[0]

    def entries(self) -> list[Action]:
        """Every entry, oldest first. A torn last line (a crash mid-append) is skipped."""
        return list(self._iter())

    def _iter(self) -> Iterator[Action]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                yield Action.from_json(orjson.loads(line))
            except (orjson.JSONDecodeError, KeyError, ValueError):
                continue

    def size(self) -> int:
        """Bytes in the log: a cheap poll for other consoles' actions."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0


def effective(entries: Iterable[Action]) -> list[Action]:
    """The entries that still count: those not cancelled by a later `undo`."""
    items = list(entries)
    undone = {a.undoes for a in items if a.action == "undo"}
    return [a for a in items if a.action != "undo" and a.id not in undone]


@dataclass(frozen=True, slots=True)
class SignalState:
    status: Status
    until: datetime | None
    last: Action


def signal_states(entries: Iterable[Action], now: datetime) -> dict[str, SignalState]:
    """The moderators' status of each signal that was acted on; an expired snooze is open."""
    states: dict[str, SignalState] = {}
    for a in effective(entries):
        if a.signal is None or a.action not in STATUS_ACTIONS:
            continue
        states[a.signal] = SignalState(STATUS_ACTIONS[a.action], a.until, a)
    for sid, st in list(states.items()):
        if st.status == "snoozed" and st.until is not None and st.until <= now:
            states[sid] = SignalState("open", None, st.last)
    return states


def member_notes(entries: Iterable[Action]) -> dict[str, list[Action]]:
    """Notes by member id, oldest first."""
    notes: dict[str, list[Action]] = {}
    for a in effective(entries):
        if a.action == "note" and a.member is not None:
            notes.setdefault(a.member, []).append(a)
    return notes


def moderation_facts(entries: Iterable[Action]) -> Moderation:
    """What detectors must honour from the log: don't-check-in marks, check-ins, done steps."""
    from heuristics.detector import Moderation  # not at launch: the console paints first

    no_checkin: set[str] = set()
    last_checkin: dict[str, datetime] = {}
    done: set[tuple[str, str]] = set()
    for a in effective(entries):
        if a.action == "no_checkin" and a.member:
            no_checkin.add(a.member)
        elif a.action == "checkin" and a.member:
            last_checkin[a.member] = max(a.at, last_checkin.get(a.member, a.at))
        elif a.action == "onboarding_done" and a.step:
            done.add((a.member or "*", a.step))
    return Moderation(frozenset(no_checkin), last_checkin, frozenset(done))
