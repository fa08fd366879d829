"""The signals screen opens on the last run at once and refreshes it in place; the demo
warms the engine's state when it builds its cache; the filter bar breaks between kinds."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from console.commands.demo import cached_demo
from console.config import Settings
from console.context import Tact
from console.signals_service import STATE_FILE, last_signals
from heuristics.model import Signal, parse_time, signal_id
from screens.signals import QuickLoader, SignalsScreen, last_run, warm_up
from tests.triage_data import TriageApp, community, signals

pytestmark = pytest.mark.anyio
REPOST = signal_id("image_repost", "p1")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class WarmApp(TriageApp):
    """The triage app whose signals screen also has a quick (last run) loader."""

    def __init__(self, tact: Tact, loader: Callable[[Tact], Sequence[Signal]], quick: QuickLoader) -> None:
        self.quick = quick
        super().__init__(tact, loader=loader)

    def _factory(self, mode: str) -> Callable[[], SignalsScreen]:
        if mode == "signals":
            return lambda: SignalsScreen(self.tact, loader=self.loader, poll_seconds=None, quick=self.quick)
        return super()._factory(mode)


async def until(pilot: Pilot[Any], check: Callable[[], bool]) -> None:
    for _ in range(250):
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError("never happened")


def bar_text(screen: SignalsScreen) -> str:
    return str(screen.query_one("#filter-bar", Static).render())


async def test_last_run_shows_at_once_then_refreshes_with_the_cursor_kept(tact: Tact) -> None:
    community(tact)
    release = threading.Event()
    fresh = signals()
    # The recompute finds a new, more urgent signal: the rows shift, the cursor must not.
    newcomer = replace(fresh[3], id=signal_id("spam", "p5"), posts=("p5",), score=0.99)

    def slow(_t: Tact) -> list[Signal]:
        release.wait(10)
        return [newcomer, *fresh]

    async with WarmApp(tact, slow, lambda _t: signals()).run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, SignalsScreen) and pilot.app.screen.loaded)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        assert screen.updating and "updating…" in str(screen.sub_title)
        assert len(screen.queue.rows) == 5
        await pilot.press("down")
        assert screen.queue.current is not None and screen.queue.current.id == REPOST
        release.set()
        await until(pilot, lambda: not screen.updating)
        assert [s.id for s in screen.queue.rows][:2] == [newcomer.id, fresh[0].id]
        assert screen.queue.current is not None and screen.queue.current.id == REPOST
        assert str(screen.sub_title) == "Signals"
        assert "all 6" in bar_text(screen)


async def test_the_last_run_shows_before_any_post_is_read(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding posts needs the post index (a second at a million posts): the last run's queue
    must not wait for it; the detail reads the posts of the signal it shows."""
    from console.store import Store
    from screens.signal_detail import read_posts

    community(tact)
    posts_free, release = threading.Event(), threading.Event()
    real = Store.posts

    def slow_posts(self: Store, ids: Any, stop: Any = None) -> Any:
        posts_free.wait(10)
        return real(self, ids, stop)

    monkeypatch.setattr(Store, "posts", slow_posts)

    def slow(_t: Tact) -> list[Signal]:
        release.wait(10)
        return signals()

    async with WarmApp(tact, slow, lambda _t: signals()).run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, SignalsScreen) and pilot.app.screen.loaded)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        assert len(screen.queue.rows) == 5 and len(screen.state.posts) == 0
        current = screen.queue.current
        assert current is not None and screen.detail.signal is current
        posts_free.set()
        await until(pilot, lambda: set(read_posts(current)) <= set(screen.state.posts))
        release.set()
        await until(pilot, lambda: not screen.updating)


async def test_without_a_last_run_the_loading_state_shows(tact: Tact) -> None:
    community(tact)
    release = threading.Event()

    def slow(_t: Tact) -> list[Signal]:
        release.wait(10)
        return signals()

    async with WarmApp(tact, slow, lambda _t: None).run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        assert not screen.loaded and "Loading signals" in bar_text(screen)
        release.set()
        await until(pilot, lambda: screen.loaded)
        assert len(screen.queue.rows) == 5 and not screen.updating


async def test_a_failing_recompute_keeps_the_last_run_on_screen(tact: Tact) -> None:
    community(tact)

    def broken(_t: Tact) -> list[Signal]:
        raise RuntimeError("detector exploded")

    async with WarmApp(tact, broken, lambda _t: signals()).run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, SignalsScreen) and pilot.app.screen.loaded)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        await until(pilot, lambda: not screen.updating)
        assert len(screen.queue.rows) == 5


@pytest.mark.parametrize("size", [(100, 36), (70, 30)])
async def test_the_filter_bar_breaks_between_kinds(tact: Tact, size: tuple[int, int]) -> None:
    """Every kind and the marks' hint are on screen, at 70 columns too (a terminal split in
    two: four lines of kinds, the hint a fifth)."""
    from screens.signal_queue import kind_label

    community(tact)
    kinds = ["image_repost", "text_repeat", "self_promotion", "spam", "off_topic_drift"]
    kinds += ["against_mission", "conflict", "quiet_group", "inactive_member", "onboarding"]
    base = signals()[0]
    many = [
        replace(base, id=signal_id(kind, "x", str(i)), kind=kind)
        for kind in kinds
        for i in range(1234 if kind == "inactive_member" else 7)
    ]
    async with TriageApp(tact, loader=lambda _t: many).run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, SignalsScreen) and pilot.app.screen.loaded)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        await pilot.press("down", "space")
        lines = bar_text(screen).splitlines()
        assert len(lines) >= 2
        for line in lines:
            # Every line starts with an item: a key, then its label; no count cut from its kind.
            assert line.split()[0] in set("0123456789f") or line.split()[1] == "marked:", lines
        assert any("inactive member 1234" in line for line in lines)
        await pilot.pause()
        assert screen.query_one("#filter-bar", Static).content_size.height == len(lines)  # none cut off
        assert all(kind_label(k) in bar_text(screen) for k in kinds) and "marked:" in lines[-1]


def test_default_screen_opens_on_the_last_run(tact: Tact) -> None:
    screen = SignalsScreen(tact)
    assert screen._quick is last_run
    assert SignalsScreen(tact, loader=lambda _t: [])._quick is None
    # It warms up with the default loader too; a given loader brings its own warm-up (or none).
    assert screen._warm is warm_up
    assert SignalsScreen(tact, loader=lambda _t: [])._warm is None


class WarmedApp(TriageApp):
    """The triage app whose signals screen warms up with `warm`."""

    def __init__(self, tact: Tact, warm: Callable[[Tact], object]) -> None:
        self.warm = warm
        super().__init__(tact)

    def _factory(self, mode: str) -> Callable[[], SignalsScreen]:
        if mode == "signals":
            return lambda: SignalsScreen(self.tact, loader=self.loader, poll_seconds=None, warm=self.warm)
        return super()._factory(mode)


async def test_the_screen_warms_up_once_after_its_first_signals_show(tact: Tact) -> None:
    community(tact)
    seen: list[tuple[Tact, bool]] = []
    app = WarmedApp(tact, lambda t: seen.append((t, app.screen.loaded)))  # type: ignore[attr-defined]
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: len(seen) == 1)
        assert seen[0][0] is tact and seen[0][1]  # the queue was shown first
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        screen.reload()
        await until(pilot, lambda: not screen.updating)
        await pilot.pause(0.1)
        assert len(seen) == 1


def test_a_warm_up_writes_nothing_and_the_console_s_next_run_is_a_fresh_run_s(tact: Tact) -> None:
    """`warm_signals` makes what a console keeps (nothing written); after another process's
    import the console's run gives what a console that did not warm gives."""
    from console.signals_service import run_engine, warm_signals
    from console.store import Store
    from heuristics.model import Post

    warm_signals(tact)  # no run yet: nothing to warm, nothing fails
    assert not tact.store.kept
    community(tact)
    run_engine(tact)  # an earlier run, saved
    console = Tact.open(tact.settings, tact.fixed_now)  # a console opens: all reused
    assert set(run_engine(console).modes.values()) == {"reused"}
    state = tact.store.derived_path(STATE_FILE)
    before = (state.stat().st_mtime_ns, state.read_bytes())
    kept = set(console.store.kept)
    warm_signals(console)
    assert (state.stat().st_mtime_ns, state.read_bytes()) == before
    assert set(console.store.kept) > kept  # the detectors made what they keep
    t = tact.now() - timedelta(hours=1)
    Store(tact.store.root).save_posts(
        [
            Post("n1", "m1", t, text="Buy cheap followers at spam.example now"),
            Post("n2", "m2", t, text="hello"),
        ]
    )
    warmed = run_engine(console)
    assert "incremental" in warmed.modes.values()
    assert_a_fresh_run_gives(tact, warmed.signals)


def test_the_demo_cache_is_built_with_its_signals_computed(tmp_path: Path) -> None:
    data, now = cached_demo(seed=3, scale=600, root=tmp_path)
    demo = Tact.open(Settings(data, "alice"), parse_time(now))
    assert demo.store.derived_path(STATE_FILE).exists()
    assert last_signals(demo) is not None


def test_after_a_warm_up_the_first_import_compares_no_rows(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up makes what the engine keeps (the watermark, the pictures shown): the
    console's first run after an import of the latest posts knows from the post index's
    lineage that it only grew, as its later runs do, and gives a fresh run's signals."""
    import heuristics.engine as engine_mod
    from console.signals_service import run_engine, warm_signals
    from console.store import Store
    from heuristics.detector import starts_with
    from heuristics.model import Post

    community(tact)
    run_engine(tact)
    console = Tact.open(tact.settings, tact.fixed_now)
    run_engine(console)
    warm_signals(console)
    compared: list[int] = []

    def spy(seq: Sequence[object], prefix: Sequence[object]) -> bool:
        compared.append(len(prefix))
        return starts_with(seq, prefix)

    monkeypatch.setattr(engine_mod, "starts_with", spy)
    latest = max(p.created_at for p in tact.store.all_posts())
    Store(tact.store.root).save_posts([Post("n1", "m1", latest + timedelta(minutes=1), text="hello")])
    first = run_engine(console)
    assert compared == []
    assert "incremental" in first.modes.values()
    assert_a_fresh_run_gives(tact, first.signals)


def assert_a_fresh_run_gives(tact: Tact, signals: Sequence[Signal]) -> None:
    """A copy of the store with no saved state computes `signals` from scratch."""
    from console.signals_service import run_engine, signal_to_json

    copy = tact.store.root.parent / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tact.store.root, copy)
    for saved in (copy / "derived").glob("signals*.json*"):
        saved.unlink()
    fresh = run_engine(Tact.open(Settings(copy, "alice"), tact.fixed_now))
    assert set(fresh.modes.values()) == {"full"}
    assert [signal_to_json(s) for s in signals] == [signal_to_json(s) for s in fresh.signals]


@pytest.mark.parametrize("press_first", [False, True])
async def test_the_console_reads_the_last_run_ahead_for_the_signals_screen(
    tact: Tact, monkeypatch: pytest.MonkeyPatch, press_first: bool
) -> None:
    """A second after launch the console reads the last run in the background, and `S`
    shows that one, not a second reading; opened before then, the screen reads it itself."""
    import screens.signals as signals_screen
    from console.app import TactApp
    from console.signals_service import run_engine

    community(tact)
    run_engine(tact)  # the last run, saved
    reads: list[str] = []
    real = signals_screen.last_run

    def counted(t: Tact) -> list[Signal] | None:
        reads.append(threading.current_thread().name)
        return real(t)

    real_in_two = signals_screen.urgent_first

    def counted_in_two(t: Tact) -> Any:
        reads.append(threading.current_thread().name)
        return real_in_two(t)

    release = threading.Event()
    monkeypatch.setattr(signals_screen, "last_run", counted)
    monkeypatch.setattr(signals_screen, "urgent_first", counted_in_two)
    monkeypatch.setattr(signals_screen, "default_loader", lambda t: release.wait(10) and [])
    app = TactApp(tact, read_ahead=0.3 if press_first else 0.01)
    async with app.run_test(size=(120, 36)) as pilot:
        if not press_first:
            await until(pilot, lambda: app._last_run is not None and app._last_run.done())
            assert len(reads) == 1
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, SignalsScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        saved = last_signals(tact)
        assert saved
        # (Read by the screen, the top of the queue may show a moment before the rest.)
        await until(pilot, lambda: len(screen.state.signals) == len(saved))
        assert [s.id for s in screen.state.signals] == [
            s.id for s in signals_screen.fetch(tact, saved, 0, preload=0).signals
        ]
        await pilot.pause(0.5)  # past the read-ahead's time, when the screen came first
        assert len(reads) == 1 and app._last_run is None
        release.set()


async def test_read_by_the_screen_the_top_of_the_queue_shows_before_the_last_tier(tact: Tact) -> None:
    """`S` pressed as the console opens: the screen reads the last run itself, and shows every
    kind but the inactive members' check-ins (46,000 to decode at a million posts, the bottom
    of the queue) before it has them."""
    from screens.signals import LATER_KINDS

    community(tact)
    gate = threading.Event()
    release = threading.Event()
    every = signals()
    top = [s for s in every if s.kind not in LATER_KINDS]
    assert "inactive_member" in LATER_KINDS and len(top) < len(every)

    def in_two(_t: Tact) -> tuple[list[Signal], Callable[[], list[Signal]]]:
        return top, lambda: (gate.wait(10), every)[1]

    class InTwoApp(TriageApp):
        def _factory(self, mode: str) -> Callable[[], SignalsScreen]:
            if mode == "signals":
                return lambda: SignalsScreen(
                    self.tact,
                    loader=lambda _t: (release.wait(10), every)[1],
                    poll_seconds=None,
                    quick=lambda _t: every,
                    in_two=in_two,
                )
            return super()._factory(mode)

    async with InTwoApp(tact, loader=lambda _t: every).run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, SignalsScreen) and pilot.app.screen.loaded)
        screen = pilot.app.screen
        assert isinstance(screen, SignalsScreen)
        assert screen.updating
        assert {s.id for s in screen.queue.rows} == {s.id for s in top}
        first = screen.queue.current
        gate.set()
        await until(pilot, lambda: len(screen.queue.rows) == len(every))
        assert screen.queue.current == first  # the cursor stayed where it was
        assert screen.updating  # the recompute still runs
        release.set()
        await until(pilot, lambda: not screen.updating)


async def test_s_while_the_console_reads_ahead_shows_the_top_it_has_read(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-ahead reads the queue's top first: `S` pressed before it has the rest shows
    that top at once, then all of it, without a second reading."""
    import screens.signals as signals_screen
    from console.app import TactApp
    from screens.signals import LATER_KINDS

    community(tact)
    gate = threading.Event()
    release = threading.Event()
    every = signals()
    top = [s for s in every if s.kind not in LATER_KINDS]
    reads: list[str] = []

    def in_two(_t: Tact) -> tuple[list[Signal], Callable[[], list[Signal]]]:
        reads.append(threading.current_thread().name)
        return top, lambda: (gate.wait(10), every)[1]

    monkeypatch.setattr(signals_screen, "urgent_first", in_two)
    monkeypatch.setattr(signals_screen, "default_loader", lambda t: release.wait(10) and [])
    app = TactApp(tact, read_ahead=0.01)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app._last_top is not None and app._last_top.done())
        assert app._last_run is not None and not app._last_run.done()  # the rest still to come
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, SignalsScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, SignalsScreen)
        assert {s.id for s in screen.queue.rows} == {s.id for s in top}
        gate.set()
        await until(pilot, lambda: len(screen.queue.rows) == len(every))
        assert len(reads) == 1  # the read-ahead's, not the screen's own
        release.set()
        await until(pilot, lambda: not screen.updating)
