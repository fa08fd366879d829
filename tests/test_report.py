"""`tact report`: the files it writes, what they hold, and what they must never hold."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from console.cli import main
from console.context import Tact
from console.health_data import complete, gather, save_kpi_choice
from console.report import html_page, markdown, md_escape
from heuristics.health import parse_period
from heuristics.model import Member, Post, parse_time
from tests.conftest import fill

T = parse_time
HOSTILE = '<img src=x onerror=alert(1)>[b]Zoé[/b] "&" </td><script>'


def _community(tact: Tact) -> None:
    members = [
        Member("m1", T("2025-01-01T00:00:00Z"), name=HOSTILE),
        Member("m2", T("2025-06-01T00:00:00Z"), name="Hélène Active"),
        # Quiet for months: must never be named in the report.
        Member("q1", T("2025-02-01T00:00:00Z"), name="Quentin Quiet"),
        Member("q2", T("2025-12-20T00:00:00Z"), name="Never Posted Nadia"),
    ]
    posts = [
        Post("old", "q1", T("2025-03-01T10:00:00Z"), "post", "an old post"),
        Post("p1", "m1", T("2026-03-10T10:00:00Z"), "post", "How is your cat?"),
        Post("c1", "m2", T("2026-03-10T11:00:00Z"), "comment", "Fine!", parent="p1"),
        Post("i1", "m2", T("2026-03-01T09:00:00Z"), "introduction", "Hello"),
        Post("c2", "m1", T("2026-03-01T10:00:00Z"), "comment", "Welcome", parent="i1"),
    ]
    fill(tact, members, posts)


def _run(tact: Tact, *args: str) -> int:
    return main(["--data", str(tact.settings.data), "--now", "2026-03-15T12:00:00Z", "report", *args])


def test_writes_both_files_and_prints_their_paths(
    tact: Tact, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _community(tact)
    out = tmp_path / "out"
    assert _run(tact, "--out", str(out)) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "report.md"), str(out / "report.html")]
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Community health")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html


def test_format_and_period_options(tact: Tact, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _community(tact)
    assert _run(tact, "--format", "html", "--period", "12w", "--out", str(tmp_path)) == 0
    assert not (tmp_path / "report.md").exists()
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "(12 weeks)" in html and "2025-12-21 12:00" in html  # 84 days before now
    assert _run(tact, "--format", "pdf", "--out", str(tmp_path)) == 2
    assert _run(tact, "--period", "soon", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "--format" in err and "--period" in err


def test_missing_data_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data", str(tmp_path / "nothing"), "report", "--out", str(tmp_path)])
    assert code == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_html_is_self_contained(tact: Tact) -> None:
    _community(tact)
    html = html_page(complete(tact, gather(tact, parse_period("30d"))), ("active_members", "open_signals"))
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"https?://", html)
    assert "<link" not in lowered and "@import" not in lowered and "url(" not in lowered
    assert "<img" not in lowered and "<iframe" not in lowered


def test_hostile_names_are_escaped(tact: Tact) -> None:
    _community(tact)
    view = gather(tact, parse_period("30d"))
    html = html_page(view, ("active_members",))
    # The name is there (m1 is a top contributor), but only as text.
    assert escape(HOSTILE, quote=True) in html
    assert "<img" not in html and "<script>" not in html and "</td><script" not in html
    md = markdown(view, ("active_members",))
    assert "<img" not in md and "<script>" not in md
    assert md_escape(HOSTILE) in md


def test_inactive_members_are_never_named(tact: Tact, tmp_path: Path) -> None:
    _community(tact)
    save_kpi_choice(tact, ["active_members", "retention_3m", "open_signals"])
    assert _run(tact, "--out", str(tmp_path)) == 0
    for name in ("report.md", "report.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "Quentin" not in text and "Nadia" not in text and "q1" not in text and "q2" not in text
        assert "Hélène Active" in text  # the people to thank are named


def test_report_uses_the_chosen_kpis(tact: Tact) -> None:
    _community(tact)
    view = gather(tact, parse_period("30d"))
    md = markdown(view, ("retention_3m",))
    assert "Retention" in md and "Active members |" not in md
