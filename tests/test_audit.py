"""Nothing is lost: moderator actions survive kill -9 and two writers at once."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from console import triage
from console.audit import signal_states
from console.context import Tact
from console.errors import ActionNotSaved
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parent.parent

# A writer that dismisses signals one by one and prints each id once `dismiss` returned
# (that is the acknowledgement a moderator sees on screen).
WRITER = """
import sys
from pathlib import Path
from console import triage
from console.config import Settings
from console.context import Tact
tact = Tact.open(Settings(Path(sys.argv[1]), sys.argv[2]))
for i in range(int(sys.argv[3])):
    entry = triage.dismiss(tact, f"spam:{sys.argv[2]}-{i}", reason=f"{sys.argv[2]} {i}")
    print(entry.id, flush=True)
"""


def writer(data: Path, who: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), who, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def parsed_lines(path: Path) -> list[dict[str, object]]:
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    # Appends are whole lines: the file ends with a newline and every line parses.
    assert lines[-1] == b""
    return [orjson.loads(line) for line in lines[:-1]]


def test_every_acknowledged_action_survives_kill_9(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = writer(data, "alice", 100_000)
    assert proc.stdout is not None
    acknowledged: list[str] = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(acknowledged) == 40
    ids = {doc["id"] for doc in parsed_lines(data / "audit.jsonl")}
    assert set(acknowledged) <= ids


def test_two_writers_at_once_every_action_exactly_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    procs = [writer(data, who, 60) for who in ("alice", "bob")]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    docs = parsed_lines(data / "audit.jsonl")
    assert len(docs) == 120
    ids = [str(doc["id"]) for doc in docs]
    assert sorted(ids) == sorted(outputs[0] + outputs[1])
    notes = sorted(str(doc["note"]) for doc in docs)
    assert notes == sorted(f"{who} {i}" for who in ("alice", "bob") for i in range(60))


def test_undo_cancels_only_my_last_step(tact: Tact) -> None:
    bob = Tact(tact.settings.__class__(tact.settings.data, "bob"), tact.store, tact.audit, NOW)
    triage.dismiss(tact, "spam:a")
    triage.bulk_handled(tact, ["spam:b", "spam:c"])
    triage.dismiss(bob, "spam:d")
    undone = triage.undo(tact)
    assert sorted(a.signal or "" for a in undone) == ["spam:b", "spam:c"]
    states = signal_states(tact.audit.entries(), NOW)
    assert set(states) == {"spam:a", "spam:d"}  # bob's later action is untouched
    assert triage.undo(tact)[0].signal == "spam:a"
    assert triage.undo(tact) == []
    assert set(signal_states(tact.audit.entries(), NOW)) == {"spam:d"}
    # Undo appended, never rewrote: every original entry is still in the log.
    assert [a.action for a in tact.audit.entries()].count("undo") == 3


def test_snooze_comes_back_after_its_date_and_reply_is_recorded_with_handled(tact: Tact) -> None:
    until = triage.snooze_choices(NOW)["tomorrow"]
    assert until.isoformat() == "2026-03-16T08:00:00+00:00"
    assert triage.snooze_choices(NOW)["next week"].isoformat() == "2026-03-16T08:00:00+00:00"  # a Sunday
    triage.snooze(tact, "spam:a", until)
    assert signal_states(tact.audit.entries(), NOW)["spam:a"].status == "snoozed"
    assert signal_states(tact.audit.entries(), until)["spam:a"].status == "open"
    actions = triage.reply(tact, "spam:b", "Hello [b]there[/b]", "en", "private", "p1", member="m1")
    assert [a.action for a in actions] == ["reply", "handled"]
    entry = tact.audit.entries()[-2]
    assert entry.reply == {"lang": "en", "visibility": "private", "to": "p1", "text": "Hello [b]there[/b]"}
    assert entry.moderator == "alice"


def test_an_action_after_a_torn_line_is_whole(tact: Tact) -> None:
    """A write cut short (a power loss, a full disk) leaves half a line: the next action
    starts on a line of its own instead of being glued to it and lost."""
    first = triage.dismiss(tact, "spam:a")
    whole = tact.audit.path.read_bytes()
    tact.audit.path.write_bytes(whole + b'{"action": "handled", "moder')
    second = triage.dismiss(tact, "spam:b", reason="after the torn line")
    assert [a.id for a in tact.audit.entries()] == [first.id, second.id]
    assert tact.audit.entries()[1].note == "after the torn line"


def test_a_full_disk_says_the_action_was_not_saved_and_loses_none_after(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    triage.dismiss(tact, "spam:a")
    real_write = os.write
    calls: list[int] = []

    def full(fd: int, data: Any) -> int:  # part of the line goes in, then the disk is full
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:20]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    said = r"audit\.jsonl: the action was not saved: no space left on device$"
    with pytest.raises(ActionNotSaved, match=said):
        triage.dismiss(tact, "spam:b")
    assert len(calls) == 2  # the rest of the line was tried again, not taken as written
    monkeypatch.undo()
    third = triage.handled(tact, "spam:c")
    entries = tact.audit.entries()
    assert [a.signal for a in entries] == ["spam:a", "spam:c"]
    assert entries[-1].id == third.id
