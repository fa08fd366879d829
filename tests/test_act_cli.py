"""`tact act` and `tact log`: the FORMATS.md command line for moderator actions."""

from __future__ import annotations

import errno
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from console import cli
from console.commands import act
from console.context import Tact
from heuristics.model import Reply, Signal
from tests.conftest import NOW, refuse_opening

ROOT = Path(__file__).resolve().parent.parent

SIGNALS = [
    Signal("spam:1", "spam", 0.9, NOW, posts=("p1",), members=("m1",)),
    Signal(
        "self_promotion:2", "self_promotion", 0.7, NOW, posts=("p2",), members=("m2",),
        reply=Reply("fr", "public", "p2", "Bonjour !"),
    ),
]  # fmt: skip


@pytest.fixture
def known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(act, "_computed", lambda tact: SIGNALS)


def tact_cli(tact: Tact, *argv: str) -> int:
    return cli.main(["--data", str(tact.settings.data), "--moderator", "bob", *argv])


def log_json(tact: Tact, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert tact_cli(tact, "log", "--json") == 0
    return [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_each_action_is_recorded_and_log_json_prints_them_oldest_first(
    tact: Tact, known: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tact_cli(tact, "act", "spam:1", "dismiss", "--note", "a neighbour, not spam") == 0
    assert tact_cli(tact, "act", "spam:1", "reopen") == 0
    assert tact_cli(tact, "act", "self_promotion:2", "snooze", "--until", "2026-03-20") == 0
    assert tact_cli(tact, "act", "self_promotion:2", "note", "--note", "runs a cat-sitting business") == 0
    assert tact_cli(tact, "act", "spam:1", "handled") == 0
    docs = log_json(tact, capsys)
    assert [d["action"] for d in docs] == ["dismiss", "reopen", "snooze", "note", "handled"]
    assert all(d["moderator"] == "bob" for d in docs)
    assert docs[0]["note"] == "a neighbour, not spam"
    assert docs[2]["until"] == "2026-03-20T00:00:00Z"
    assert docs[3]["member"] == "m2" and docs[3]["signal"] == "self_promotion:2"
    assert [d["at"] for d in docs] == sorted(str(d["at"]) for d in docs)


def test_unknown_signal_is_a_one_line_error_with_status_2(
    tact: Tact, known: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tact_cli(tact, "act", "spam:nope", "dismiss") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "spam:nope" in err
    assert tact.audit.entries() == []


def test_a_log_another_login_made_private_is_a_one_line_error_naming_it(
    tact: Tact, known: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tact.audit.path
    refuse_opening(monkeypatch, log)
    assert tact_cli(tact, "act", "spam:1", "dismiss") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{log}: the action was not saved: permission denied" in err and "g+rwX" in err
    assert "Traceback" not in err and "Errno" not in err
    monkeypatch.undo()
    assert tact.audit.entries() == []


def test_any_refused_file_is_a_one_line_error_naming_it(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = tact.settings.data / "meta.json"

    def refused(*args: Any, **kwargs: Any) -> Tact:
        raise PermissionError(errno.EACCES, "Permission denied", str(meta))

    monkeypatch.setattr(cli.Tact, "open", refused)
    assert tact_cli(tact, "signals") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"tact: {meta}: permission denied (") and "chmod -R g+rwX" in err


def test_a_signal_known_only_from_the_log_can_be_reopened(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(act, "_computed", lambda tact: [])
    tact.audit.record("dismiss", "alice", signal="spam:old")
    assert tact_cli(tact, "act", "spam:old", "reopen") == 0
    assert tact_cli(tact, "act", "spam:never", "reopen") == 2


@pytest.mark.parametrize(
    "argv",
    [
        ("act", "spam:1", "snooze"),
        ("act", "spam:1", "note"),
        ("act", "spam:1", "dismiss", "--until", "2026-03-20"),
        ("act", "spam:1", "shout"),
        ("act", "spam:1", "snooze", "--until", "next tuesday"),
    ],
)
def test_bad_usage_is_one_line_status_2_and_records_nothing(
    tact: Tact, known: None, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    assert tact_cli(tact, *argv) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert tact.audit.entries() == []


def test_log_without_json_is_a_readable_table_and_escapes_are_stripped(
    tact: Tact, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tact_cli(tact, "log") == 0
    assert "empty" in capsys.readouterr().out
    tact.audit.record("note", "alice", member="m1", note="evil \x1b]52;c;aGk=\x07 [red]note[/red]")
    tact.audit.record("snooze", "bob", signal="spam:1", until=NOW + timedelta(days=1))
    assert tact_cli(tact, "log") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["when", "(UTC)", "who"]
    assert "\x1b" not in out and "[red]note[/red]" in out
    assert "until 2026-03-16 12:00" in lines[2]


def test_the_installed_command_exits_2_with_one_line(tact: Tact) -> None:
    code = "from console.cli import entry; entry()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "--data", str(tact.settings.data), "act", "x", "snooze"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
