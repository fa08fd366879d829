"""The audit log screen: newest first, filterable, undone entries marked, follows the log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.context import Tact
from screens.audit_log import AuditLogScreen
from tests.conftest import NOW, refuse_opening
from tests.layout_race import layout_pass, settle
from tests.triage_data import TriageApp

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


REPLY = "Bonjour Louis, merci de vous être présenté ! Qu'est-ce qui marche bien pour vous ?"


def fill_log(tact: Tact) -> None:
    """A fixed log (fixed ids and times, so the snapshot is stable)."""
    at = NOW - timedelta(hours=3)
    record = tact.audit.record
    record("dismiss", "alice", at=at, id="e1", signal="image_repost:204412f1970e", note="same cat, new photo")
    record(
        "snooze",
        "bob",
        at=at + timedelta(minutes=5),
        id="e2",
        signal="conflict:97a9d0e91249",
        until=NOW + timedelta(days=1),
    )
    record(
        "note",
        "alice",
        at=at + timedelta(minutes=9),
        id="e3",
        member="m3",
        note="prefers private messages [@click=app.quit]x[/]",
    )
    record(
        "reply",
        "bob",
        at=at + timedelta(minutes=12),
        id="e4",
        signal="self_promotion:fa4d4682c222",
        member="m2",
        post="p3",
        reply={"lang": "fr", "visibility": "public", "to": "p3", "text": REPLY},
    )
    record("handled", "bob", at=at + timedelta(minutes=12), id="e5", signal="self_promotion:fa4d4682c222")
    record("undo", "alice", at=at + timedelta(minutes=20), id="e6", undoes="e1",
           signal="image_repost:204412f1970e")  # fmt: skip


def log_screen(pilot: Pilot[Any]) -> AuditLogScreen:
    screen = pilot.app.screen
    assert isinstance(screen, AuditLogScreen)
    return screen


async def test_newest_first_filter_and_entry_pane(tact: Tact) -> None:
    fill_log(tact)
    async with TriageApp(tact, start="log").run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = log_screen(pilot)
        table = screen.query_one(DataTable)
        assert [str(k.value) for k in table.rows] == ["e6", "e5", "e4", "e3", "e2", "e1"]
        # e1 was undone: still listed, marked as such.
        assert str(table.get_row("e1")[5]).startswith("(undone)")
        await pilot.press("slash", *"bob")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["e5", "e4", "e2"]
        await pilot.press("enter", "down")
        await pilot.pause()
        pane = str(screen.query_one("#log-entry", Static).render())
        assert "reply by bob" in pane and "Qu'est-ce qui marche bien pour vous ?" in pane
        await pilot.press("escape")
        await pilot.pause()
        assert len(table.rows) == 6


async def test_the_log_screen_follows_appends_from_another_console(tact: Tact) -> None:
    fill_log(tact)
    async with TriageApp(tact, start="log").run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = log_screen(pilot)
        tact.audit.record("handled", "carol", signal="spam:1")
        screen.poll()
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert len(table.rows) == 7
        assert str(table.get_row_at(0)[1]) == "carol"


def test_snapshot_log_screen(snap_compare: Any, tact: Tact) -> None:
    fill_log(tact)

    async def ready(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("down", "down")

    assert snap_compare(TriageApp(tact, start="log"), terminal_size=(120, 36), run_before=ready)


async def test_r_reopens_the_signal_of_the_highlighted_entry(tact: Tact) -> None:
    fill_log(tact)
    async with TriageApp(tact, start="log").run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"snooze", "enter")  # the snoozed conflict
        await pilot.press("r")
        await pilot.pause()
    last = tact.audit.entries()[-1]
    assert (last.action, last.signal, last.moderator) == ("reopen", "conflict:97a9d0e91249", "alice")


async def test_a_reopen_the_log_refuses_is_said_not_a_crash(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_log(tact)
    before = tact.audit.entries()
    async with TriageApp(tact, start="log").run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"snooze", "enter")
        refuse_opening(monkeypatch, tact.audit.path)
        await pilot.press("r")
        await pilot.pause(0.1)
        assert pilot.app.is_running
        said = [str(toast.render()) for toast in pilot.app.screen.query("Toast")]
        assert any("the action was not saved" in text for text in said)
        assert not any("back in the queue" in text for text in said)
    monkeypatch.undo()
    assert tact.audit.entries() == before


async def test_the_entry_pane_keeps_every_line_when_shown_twice_around_one_layout(tact: Tact) -> None:
    """A pane shown a short entry, laid out, then shown a longer one before its own idle (a
    filter typed fast, a fill then the cursor's highlight) kept the short entry's height: the
    longer entry's reply was cut off."""
    fill_log(tact)
    async with TriageApp(tact, start="log").run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = log_screen(pilot)
        pane = screen.query_one("#log-entry", Static)
        by_id = {e.id: e for e in screen.entries}
        screen._show_entry(by_id["e6"])  # an undo: three lines
        layout_pass(pane)
        screen._show_entry(by_id["e4"])  # bob's reply: head, signal, member, post, the reply
        await settle(pilot)
        text = pane.content
        assert isinstance(text, Text) and "Qu'est-ce qui marche bien pour vous ?" in text.plain
        lines = len(text.wrap(pilot.app.console, pane.content_size.width))
        assert lines > 3
        assert pane.content_size.height == lines
        # The terminal narrowed: the entry wraps on more lines, and the pane follows.
        await pilot.resize_terminal(60, 36)
        await settle(pilot)
        lines = len(text.wrap(pilot.app.console, pane.content_size.width))
        assert pane.content_size.height == min(lines, 11)
