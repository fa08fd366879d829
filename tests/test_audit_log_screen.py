"""The audit log screen: newest first, filterable, undone entries marked, follows the log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.context import Tact
from screens.audit_log import AuditLogScreen
from tests.conftest import NOW
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
