"""The health screen, driven with Pilot and pinned with a snapshot (now fixed, 120×40)."""

from __future__ import annotations

import io
import time
from datetime import datetime, timedelta

import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import SelectionList, Static
from textual_plotext import PlotextPlot

from console import health_data
from console.app import TactApp
from console.context import Tact
from console.health_data import load_kpi_choice
from heuristics.health import DEFAULT_KPIS, Columns, OffTopicWeek, SignalFact, off_topic_weekly
from screens.health import HealthScreen, Panel
from screens.kpi_picker import KpiPicker
from tests.conftest import NOW, refuse_opening
from tests.health_community import build

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the health screen shows its latest load with every step done.

    A finished worker has posted every view it made, so once `wait_for_complete` returns one
    pause delivers them and lays them out. The loop covers a screen (or its worker) not up yet
    on the first call; the period check keeps the complete view of the period before a `p`
    from passing for the new one."""
    deadline = time.monotonic() + 30
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, HealthScreen):
            view = screen.view
            if view is not None and view.complete and view.period == screen.period:
                return
        assert time.monotonic() < deadline, "the health screen never finished loading"
        await pilot.pause(0.02)


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signals and off-topic flags fixed here, so the pictures don't move when the detectors
    (other modules, tuned separately) change, and the tests don't wait for the engine."""
    signals = [
        SignalFact("s1", "conflict", NOW - timedelta(days=3), "open"),
        SignalFact("s2", "spam", NOW - timedelta(days=2), "open"),
        SignalFact("s3", "spam", NOW - timedelta(days=9), "handled"),
        SignalFact("s4", "inactive_member", NOW - timedelta(days=1), "open"),
    ]

    def off_topic(tact: Tact, cols: Columns, now: datetime, notes: list[str]) -> list[OffTopicWeek]:
        flags = {pid: i % 6 == 0 for i, pid in enumerate(cols.ids) if cols.kinds[i] != "comment"}
        return off_topic_weekly(cols, flags, now)

    monkeypatch.setattr(health_data, "_signals", lambda tact, now, notes: signals)
    monkeypatch.setattr(health_data, "_off_topic", off_topic)


def small(tact: Tact) -> Tact:
    build(tact, NOW, members=120, posts=900, hostile_names=True)
    return tact


def health(app: TactApp) -> HealthScreen:
    screen = app.screen
    assert isinstance(screen, HealthScreen), screen
    return screen


def text_of(screen: HealthScreen, selector: str) -> str:
    return as_text(screen.query_one(selector, Static))


def as_text(widget: Static) -> str:
    """What a Static shows, as plain text (tables rendered the way Rich draws them)."""
    content = widget.content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def test_opens_with_kpis_charts_and_no_loading_left(tact: Tact) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = health(app)
        assert screen.view is not None and screen.view.complete
        assert not any(p.loading for p in screen.query(Panel))
        kpis = text_of(screen, "#kpis")
        for label in ("Active members", "Retention", "Introductions answered", "Median time to first reply"):
            assert label in kpis
        k = screen.view.kpis
        assert f"{k.active_members.num} of {k.active_members.den}" in kpis
        assert "120 members" in text_of(screen, "#title")
        assert "Peak:" in text_of(screen, "#heat")
        assert "90-9-1" in text_of(screen, "#ladder")
        assert screen.query_one("#daily", PlotextPlot).size.height > 5


async def test_panel_bodies_fill_their_cells_whatever_their_text(tact: Tact, pinned: None) -> None:
    """A body sized by its text kept the height of "Computing signals…" when it was drawn
    twice around one layout pass (a loaded machine): its bars were cut off. Sized by its
    cell, it cannot be."""
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = health(app)
        for body in ("#heat", "#signals", "#joins", "#ladder", "#thanks"):
            widget = screen.query_one(body)
            panel = widget.parent
            assert isinstance(panel, Panel)
            assert widget.outer_size.height == panel.content_size.height, body


async def test_hostile_member_names_stay_literal(tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = health(app)
        names = [name for name, _ in screen.view.contributors] if screen.view else []
        thanks = text_of(screen, "#thanks")
        for name in names:
            assert name[:40] in thanks  # brackets kept: not parsed as markup


async def test_waiting_toggle_period_and_refresh(tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = health(app)
        await pilot.press("w")
        assert "wait over 2 h" in str(screen.query_one("#heat-panel", Panel).border_title)
        assert "posts waited over 2 h" in text_of(screen, "#heat")
        await pilot.press("w")
        assert "writes" in str(screen.query_one("#heat-panel", Panel).border_title)
        await pilot.press("p")
        await settle(pilot)
        assert screen.view is not None and screen.view.period.days == 84
        assert "12 weeks" in text_of(screen, "#title")


async def test_kpi_picker_choice_is_shown_and_persisted(tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KpiPicker)
        chooser = app.screen.query_one(SelectionList)
        assert set(chooser.selected) == set(DEFAULT_KPIS)
        await pilot.press("space")  # untick the first: active members
        await pilot.press("end", "space")  # tick the last: posts and comments
        await pilot.press("enter")
        await pilot.pause()
        screen = health(app)
        kpis = text_of(screen, "#kpis")
        assert "Active members" not in kpis and "Posts and comments" in kpis
    chosen = load_kpi_choice(tact)
    assert "active_members" not in chosen and "posts" in chosen
    assert tact.store.derived_path("health_kpis.json").exists()


async def test_a_kpi_choice_that_cannot_be_saved_is_shown_and_said(
    tact: Tact, pinned: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        refuse_opening(monkeypatch, tact.store.derived_path("health_kpis.json").parent)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("space", "enter")  # untick active members
        await pilot.pause(0.1)
        assert app.is_running
        screen = health(app)
        assert "Active members" not in text_of(screen, "#kpis")  # for now, all the same
        said = " ".join(str(toast.render()) for toast in screen.query("Toast"))
        assert "health_kpis.json: the KPI choice was not saved: permission denied" in said
    monkeypatch.undo()
    assert "active_members" in load_kpi_choice(tact)


async def test_escape_leaves_the_kpis_as_they_were(tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("space", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
    assert load_kpi_choice(tact) == DEFAULT_KPIS


async def test_an_empty_store_draws_without_error(tact: Tact) -> None:
    app = TactApp(tact, start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = health(app)
        assert screen.view is not None
        assert "Nobody wrote" in text_of(screen, "#thanks")
        assert "0 members" in text_of(screen, "#title")


async def test_help_lists_the_health_keys(tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = " ".join(as_text(w) for w in app.screen.query(Static))
        for words in ("Choose which KPIs", "KPI period", "posts left waiting", "Recompute"):
            assert words in shown


def test_snapshot_health(snap_compare: object, tact: Tact, pinned: None) -> None:
    tact.audit.record("handled", "alice", signal="s3", at=NOW - timedelta(days=9) + timedelta(hours=5))
    app = TactApp(small(tact), start="health")

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


def test_snapshot_health_waiting_scrolled(snap_compare: object, tact: Tact, pinned: None) -> None:
    app = TactApp(small(tact), start="health")

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)  # the waiting list may load in a worker: scroll once it is there
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]
