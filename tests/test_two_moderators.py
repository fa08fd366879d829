"""Two consoles on one data directory: each sees the other's actions within a poll, and
every action lands exactly once (appends, never overwrites)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from console.audit import signal_states
from console.config import Settings
from console.context import Tact
from heuristics.model import signal_id
from screens.signals import SignalsScreen
from tests.conftest import NOW
from tests.triage_data import TriageApp, community

pytestmark = pytest.mark.anyio

SELF_PROMO = signal_id("self_promotion", "p3")
REPOST = signal_id("image_repost", "p1")
CONFLICT = signal_id("conflict", "p4")
SPAM = signal_id("spam", "p6")
INACTIVE = signal_id("inactive_member", "m4")
POLL = 0.2


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def loaded(pilot: Pilot[Any]) -> SignalsScreen:
    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, SignalsScreen) and screen.loaded:
            return screen
    raise AssertionError("the signals never loaded")


async def settle(*pilots: Pilot[Any], seconds: float = 3 * POLL) -> None:
    for pilot in pilots:
        await pilot.pause(seconds)


def ids(screen: SignalsScreen) -> list[str]:
    return [s.id for s in screen.queue.rows]


async def test_two_consoles_see_each_other_and_never_overwrite(tact: Tact) -> None:
    community(tact)
    bob = Tact.open(Settings(tact.settings.data, "bob"), NOW)
    app_a, app_b = TriageApp(tact, poll_seconds=POLL), TriageApp(bob, poll_seconds=POLL)
    async with app_a.run_test(size=(120, 36)) as alice, app_b.run_test(size=(120, 36)) as bobs:
        screen_a, screen_b = await loaded(alice), await loaded(bobs)
        assert ids(screen_a) == ids(screen_b) == [SELF_PROMO, REPOST, CONFLICT, SPAM, INACTIVE]

        await alice.press("h")  # alice: the self-promotion is handled
        await settle(alice, bobs)
        # Bob's cursor was on it: it moved on to the next signal, as after his own action.
        assert screen_b.queue.current is not None and screen_b.queue.current.id == REPOST
        await bobs.press("down", "d", "enter")  # bob: dismisses the conflict
        await settle(alice, bobs)
        assert ids(screen_a) == ids(screen_b) == [REPOST, SPAM, INACTIVE]

        # Both act on the same signal within one poll (bob has not seen alice's snooze yet):
        # both actions are kept, in the log's order.
        assert screen_b.poll_timer is not None
        screen_b.poll_timer.pause()
        await bobs.press("home")
        await alice.press("s", "t")
        await bobs.press("h")
        screen_b.poll_timer.resume()
        await settle(alice, bobs)
        assert ids(screen_a) == ids(screen_b) == [SPAM, INACTIVE]

        # Undo takes back only one's own step: bob's undo leaves alice's snooze in force.
        await bobs.press("u")
        await settle(alice, bobs)
        assert ids(screen_a) == ids(screen_b) == [SPAM, INACTIVE]

        # A note written in one console shows in the other's detail pane.
        await bobs.press("home", "n", *"ask about the insulin dose", "enter")
        await settle(alice, bobs)
        assert screen_a.queue.current is not None and screen_a.queue.current.id == SPAM
        notes = [n.note for n in screen_a.state.notes.get("m1", [])]
        assert notes == ["ask about the insulin dose"]

    entries = tact.audit.entries()
    assert len({a.id for a in entries}) == len(entries)
    summary = [(a.moderator, a.action, a.signal) for a in entries]
    assert summary[:2] == [("alice", "handled", SELF_PROMO), ("bob", "dismiss", CONFLICT)]
    assert summary[2:4] == [("alice", "snooze", REPOST), ("bob", "handled", REPOST)]
    assert summary[4] == ("bob", "undo", REPOST)
    assert summary[5] == ("bob", "note", SPAM)
    states = signal_states(entries, NOW)
    assert states[REPOST].status == "snoozed"
    assert states[SELF_PROMO].status == "handled" and states[CONFLICT].status == "dismissed"
