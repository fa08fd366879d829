"""The onboarding calendar, driven with the keyboard and pinned by a snapshot."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.app import TactApp
from console.audit import moderation_facts
from console.context import Tact
from console.members_service import load_onboarding
from heuristics.model import parse_time
from screens.calendar import CalendarScreen
from tests._members_fixtures import member
from tests.conftest import fill, refuse_opening
from tests.layout_race import layout_pass, settle
from tests.test_onboarding import MEMBERS, POSTS

pytestmark = pytest.mark.anyio
SIZE = (110, 32)
EVIL = "[@click=app.quit]Eve[/] \x1b]52;c;aGk=\x07"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def community(tact: Tact) -> Tact:
    fill(tact, [*MEMBERS, member("evil", "2026-03-14T10:00:00Z", EVIL)], POSTS)
    tact.audit.record("no_checkin", "bob", member="c_nock")
    tact.audit.record("onboarding_done", "bob", member="done", step="welcome")
    return tact


async def ready(pilot: Pilot[None]) -> CalendarScreen:
    for _ in range(100):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, CalendarScreen) and screen.agenda is not None:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("the calendar never loaded")


def shown(screen: CalendarScreen) -> list[tuple[str, str]]:
    return [(s.member, s.step) for s in screen._keys if s is not None]


async def test_overdue_first_then_the_week(tact: Tact) -> None:
    app = TactApp(community(tact), start="calendar")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        steps = shown(screen)
        assert set(steps) == {
            ("sun", "welcome"),
            ("today", "welcome"),
            ("evil", "welcome"),
            ("*", "weekly:2026-W11"),
            ("c1", "checkin_2m"),
            ("c_late", "checkin_2m"),
            ("a1", "anniversary_1y"),
            ("a_quiet", "anniversary_1y"),
            ("*", "anniversary:2026-03"),
        }
        now = tact.now()
        late = [s.overdue_days(now) for s in screen._keys if s is not None]
        overdue = [d for d in late if d]
        # the overdue ones lead, the most overdue first; then the rest
        assert late[: len(overdue)] == sorted(overdue, reverse=True)
        assert all(d == 0 for d in late[len(overdue) :])
        table = screen.query_one(DataTable)
        first_day = table.get_row_at(0)[0]
        assert first_day.plain == "Overdue" and "red" in str(first_day.style)
        summary = str(screen.query_one("#calendar-summary").render())
        assert f"{len(overdue)} overdue" in summary and "weekly post Mon, UTC" in summary


async def test_done_is_recorded_undo_brings_it_back_and_y_copies(tact: Tact) -> None:
    app = TactApp(community(tact), start="calendar")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first = screen._keys[0]
        assert first is not None and first.reply is not None
        await pilot.press("y")
        assert app.clipboard == first.reply.text
        await pilot.press("d")
        assert (first.member, first.step) not in shown(screen)
        assert (first.member, first.step) in moderation_facts(tact.audit.entries()).onboarding_done
        _, steps = load_onboarding(tact)
        assert (first.member, first.step) not in {(s.member, s.step) for s in steps}
        await pilot.press("u")
        await ready(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert (first.member, first.step) in shown(screen)


async def test_a_step_the_log_refuses_stays_due_and_a_refused_undo_can_be_tried_again(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TactApp(community(tact), start="calendar")
    before = len(tact.audit.entries())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        first = screen._keys[0]
        assert first is not None
        with monkeypatch.context() as patch:
            refuse_opening(patch, tact.audit.path)
            await pilot.press("d")
            assert app.is_running and (first.member, first.step) in shown(screen)
        assert len(tact.audit.entries()) == before
        await pilot.press("d")  # the log takes it now
        assert (first.member, first.step) not in shown(screen)
        with monkeypatch.context() as patch:
            refuse_opening(patch, tact.audit.path)
            await pilot.press("u")
            await pilot.pause()
            assert app.is_running and (first.member, first.step) not in shown(screen)
        assert [a.action for a in tact.audit.entries()[before:]] == ["onboarding_done"]
        await pilot.press("u")  # still there to take back
        await ready(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert (first.member, first.step) in shown(screen)
        assert [a.action for a in tact.audit.entries()[before:]] == ["onboarding_done", "undo"]


async def test_hostile_names_stay_literal(tact: Tact) -> None:
    app = TactApp(community(tact), start="calendar")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        table = screen.query_one(DataTable)
        row = next(i for i, s in enumerate(screen._keys) if s is not None and s.member == "evil")
        table.move_cursor(row=row)
        await pilot.pause()
        who = table.get_row_at(row)[2]
        assert who.plain.startswith("[@click=app.quit]Eve[/]") and "\x1b" not in who.plain
        draft = str(screen.query_one("#calendar-draft").render())
        assert "Welcome [@click=app.quit]Eve[/]" in draft and "\x1b" not in draft and "\x07" not in draft
        await pilot.click(DataTable, offset=(40, row + 1))
        await pilot.pause()
        assert app.is_running


def test_snapshot_calendar(snap_compare: object, tact: Tact) -> None:
    app = TactApp(community(tact), start="calendar")

    async def before(pilot: Pilot[None]) -> None:
        await ready(pilot)
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


async def test_midweek_lists_what_is_coming_later_this_week(tact: Tact) -> None:
    community(tact)
    wednesday = Tact.open(tact.settings, parse_time("2026-03-11T12:00:00Z"))
    app = TactApp(wednesday, start="calendar")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        table = screen.query_one(DataTable)
        row = next(i for i, s in enumerate(screen._keys) if s is not None and s.member == "c1")
        assert table.get_row_at(row)[3].plain == "from Thu 12:00"
        assert table.get_row_at(row)[0].plain == "Thu 03-12"
        summary = str(screen.query_one("#calendar-summary").render())
        assert "later this week" in summary and "Week of Mon 2026-03-09" in summary


async def test_the_draft_keeps_every_line_when_shown_twice_around_one_layout(tact: Tact) -> None:
    """A pane shown a short text, laid out by a pass another widget asked for, then shown the
    highlighted step's draft before its own idle (a loaded machine does that) kept the short
    text's height: the draft's reply was cut off and could not be scrolled to."""
    app = TactApp(community(tact), start="calendar")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        pane = screen.query_one("#calendar-draft", Static)
        pane.update(Text("one line"))
        layout_pass(pane)
        screen._detail()
        await settle(pilot)
        text = pane.content
        assert isinstance(text, Text)
        lines = len(text.wrap(app.console, pane.content_size.width))
        assert lines > 3
        assert pane.content_size.height == lines
        # The terminal narrowed: the draft wraps on more lines, and the pane follows.
        await pilot.resize_terminal(60, SIZE[1])
        await settle(pilot)
        narrow = len(text.wrap(app.console, pane.content_size.width))
        assert narrow > lines and pane.content_size.height == narrow
