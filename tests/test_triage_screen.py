"""The signals screen, driven with the keyboard only; the audit log says what happened."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from console.audit import member_notes, signal_states
from console.context import Tact
from console.safe_text import clean
from heuristics.model import signal_id
from screens.composer import ComposerScreen
from screens.dialogs import SnoozeDialog, TextDialog
from screens.signals import SignalsScreen
from tests.conftest import NOW, refuse_opening
from tests.layout_race import layout_pass, settle
from tests.triage_data import HOSTILE, LONG_LINE, TriageApp, community

SELF_PROMO = signal_id("self_promotion", "p3")
REPOST = signal_id("image_repost", "p1")
CONFLICT = signal_id("conflict", "p4")
SPAM = signal_id("spam", "p6")
INACTIVE = signal_id("inactive_member", "m4")

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def loaded(pilot: Pilot[Any]) -> SignalsScreen:
    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, SignalsScreen) and screen.loaded:
            await pilot.pause()
            return screen
    raise AssertionError("the signals never loaded")


def queue_ids(screen: SignalsScreen) -> list[str]:
    return [s.id for s in screen.queue.rows]


def detail_lines(screen: SignalsScreen) -> list[str]:
    """The lines of the evidence pane, as the terminal gets them."""
    return screen.detail.body.text_lines()


def section(lines: list[str], first: str, until: str) -> list[str]:
    """The lines from the one holding `first` up to (not including) the one starting `until`."""
    start = next(i for i, line in enumerate(lines) if first in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(until)), len(lines))
    return lines[start:end]


async def test_queue_is_most_urgent_first_with_counts_per_kind(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert queue_ids(screen) == [SELF_PROMO, REPOST, CONFLICT, SPAM, INACTIVE]
        bar = str(screen.query_one("#filter-bar", Static).render())
        assert "all 5" in bar and "image repost 1" in bar and "spam 1" in bar
        await pilot.press("4")  # spam
        assert queue_ids(screen) == [SPAM]
        await pilot.press("f")  # the next kind present after spam: conflict
        assert queue_ids(screen) == [CONFLICT]
        await pilot.press("0")
        assert len(screen.queue.rows) == 5


async def test_triage_a_queue_end_to_end_with_the_keyboard_only(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        # h: handled; the cursor moves on to the next signal.
        await pilot.press("h")
        assert queue_ids(screen)[0] == REPOST and screen.queue.current.id == REPOST  # type: ignore[union-attr]
        # d: dismiss with a reason.
        await pilot.press("d")
        assert isinstance(pilot.app.screen, TextDialog)
        await pilot.press(*"same cat, new photo", "enter")
        await pilot.pause()
        assert screen.queue.current.id == CONFLICT  # type: ignore[union-attr]
        # s: snooze until tomorrow.
        await pilot.press("s")
        assert isinstance(pilot.app.screen, SnoozeDialog)
        await pilot.press("t")
        await pilot.pause()
        assert queue_ids(screen) == [SPAM, INACTIVE]
        # u: undo the snooze; the conflict comes back under the cursor.
        await pilot.press("u")
        await pilot.pause()
        assert queue_ids(screen) == [CONFLICT, SPAM, INACTIVE]
        assert screen.queue.current.id == CONFLICT
        # n: a note on the member.
        await pilot.press("n", *"prefers private messages", "enter")
        await pilot.pause()
        # space, space: mark two, then d dismisses both (bulk), without a reason.
        await pilot.press("space", "space")
        assert screen.queue.marked == {CONFLICT, SPAM}
        await pilot.press("d", "enter")
        await pilot.pause()
        assert queue_ids(screen) == [INACTIVE]
        assert screen.queue.marked == set()
        # r: reply; ctrl+r records it as sent by hand, and the signal as handled.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ComposerScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert queue_ids(screen) == []
        assert "Nothing to triage" in detail_lines(screen)[0]

    entries = tact.audit.entries()
    states = signal_states(entries, NOW)
    assert {sid: st.status for sid, st in states.items()} == {
        SELF_PROMO: "handled",
        REPOST: "dismissed",
        CONFLICT: "dismissed",
        SPAM: "dismissed",
        INACTIVE: "handled",
    }
    assert [a.action for a in entries] == [
        "handled", "dismiss", "snooze", "undo", "note", "dismiss", "dismiss", "reply", "handled",
    ]  # fmt: skip
    assert all(a.moderator == "alice" for a in entries)
    assert entries[1].note == "same cat, new photo"
    assert entries[3].undoes == entries[2].id
    assert entries[2].until is not None and entries[2].until.isoformat() == "2026-03-16T08:00:00+00:00"
    assert entries[5].at == entries[6].at and entries[5].note is None  # one bulk step
    notes = member_notes(entries)
    assert [n.note for n in notes["m3"]] == ["prefers private messages"]
    reply = entries[7]
    assert reply.signal == INACTIVE and reply.member == "m4"
    text = "Bonjour Chloé, comment allez-vous ?"
    assert reply.reply == {"lang": "fr", "visibility": "private", "to": "m4", "text": text}


async def test_bulk_handled_asks_first_and_undo_takes_the_whole_step_back(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("space", "space", "space", "h")
        await pilot.press("n")  # "no": nothing recorded, marks kept
        assert tact.audit.entries() == []
        assert len(screen.queue.marked) == 3
        await pilot.press("h", "y")
        await pilot.pause()
        assert queue_ids(screen) == [SPAM, INACTIVE]
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.queue.rows) == 5
    assert signal_states(tact.audit.entries(), NOW) == {}


async def test_notes_show_in_the_detail_pane_with_author_and_date(tact: Tact) -> None:
    community(tact)
    tact.audit.record("note", "bob", member="m2", note="runs a [b]pet-sitting[/b] business")
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        notes = "\n".join(section(detail_lines(screen), "Notes on these members", "Suggested"))
        assert "runs a [b]pet-sitting[/b] business" in notes
        assert "— bob," in notes


async def test_hostile_member_text_renders_literally_and_wrapped(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "down")
        assert screen.queue.current.id == CONFLICT  # type: ignore[union-attr]
        await pilot.pause()
        pane = detail_lines(screen)
        width = screen.detail.body.scrollable_content_region.width
        lines = section(pane, "[red]Mallory[/red]", "Why")
        text = "\n".join(pane)
        # p4 is the left column: read it back, wrapping undone, and find the text verbatim.
        column = lines[0].index("[red]Mallory[/red]", 1)
        left = "".join("".join(line[:column] for line in lines).split())
        assert "".join(clean(HOSTILE).split()) in left
        assert "\x1b" not in text and "\x07" not in text and "aGVsbG8" not in text
        assert all(len(line) <= width for line in pane)
        # The 10,000-character line wraps into many lines instead of running off the pane.
        z_lines = [line for line in lines if "ZZZZZZZZZZ" in line]
        assert len(z_lines) > 20
        # The member name with markup in it stays literal in the queue too.
        assert "[red]Mallory[/red]" in screen.queue.who(screen.queue.current)  # type: ignore[arg-type]
        reasons = "\n".join(section(pane, "Why", "Suggested reply"))
        assert "[@click=app.quit]" in reasons and "\x1b" not in reasons
        # Nothing hostile escaped to the app: still running, still on the signals screen.
        assert pilot.app.is_running and pilot.app.screen is screen
    assert LONG_LINE  # the fixture really holds a 10,000-character line
    assert len(LONG_LINE) == 10_000


async def test_the_image_repost_shows_a_timeline_of_who_posted_when(tact: Tact, tmp_path: Path) -> None:
    from tests.triage_data import make_pictures

    community(tact, make_pictures(tmp_path / "pics"))
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down")
        timeline = "\n".join(section(detail_lines(screen), "Timeline", "Why"))
        assert "Timeline" in timeline
        assert timeline.index("Anna Weber") < timeline.index("Chloé Martin")
        assert "curve-0.png" in timeline and "curve-1.png" in timeline


async def test_o_opens_the_post_in_the_feed(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert pilot.app.current_mode == "feed"


async def test_the_palette_offers_the_triage_actions(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"snooze")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(pilot.app.screen, SnoozeDialog)


async def test_help_lists_every_action_key(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        shown = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert {"reply", "dismiss_signal", "snooze", "handled", "note", "open_post", "undo", "mark"} <= shown


async def test_a_failing_loader_is_said_not_crashed(tact: Tact) -> None:
    def broken(_tact: Tact) -> list[Any]:
        raise RuntimeError("detector exploded [@click=app.quit]")

    async with TriageApp(tact, loader=broken).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert screen.queue.rows == []
        assert pilot.app.is_running


def toasts(pilot: Pilot[Any]) -> list[str]:
    """The notifications on screen, as text."""
    return [str(toast.render()) for toast in pilot.app.screen.query("Toast")]


async def test_an_action_the_log_refuses_is_said_and_the_console_carries_on(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk, or a shared directory whose log another login made private: no
    traceback, no signal shown as handled, the refusal said with the file; once the log takes
    actions again the same key works."""
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36), notifications=True) as pilot:
        screen = await loaded(pilot)
        with monkeypatch.context() as patch:
            refuse_opening(patch, tact.audit.path)
            await pilot.press("h")
            await pilot.pause()
            assert pilot.app.is_running and pilot.app.screen is screen
            assert queue_ids(screen)[0] == SELF_PROMO  # still open, still under the cursor
            await pilot.pause(0.1)  # the toast is mounted after the refresh
            said = " ".join(toasts(pilot))
            assert f"{tact.audit.path}: the action was not saved: permission denied" in said
            await pilot.press("u")  # nothing was done: nothing to take back, nothing written
            await pilot.pause()
        assert tact.audit.entries() == []
        await pilot.press("h")
        await pilot.pause()
        assert SELF_PROMO not in queue_ids(screen)
        assert [(a.action, a.signal) for a in tact.audit.entries()] == [("handled", SELF_PROMO)]


async def test_a_narrow_terminal_shows_the_evidence_under_the_queue(tact: Tact) -> None:
    """At 80x24 (an SSH session's default) the panes stack, each the terminal's width, and
    follow the terminal when it is resized."""
    community(tact)
    async with TriageApp(tact).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        queue_pane = screen.query_one("#queue-pane")
        detail = screen.detail
        assert screen.has_class("-narrow")
        assert detail.region.y >= queue_pane.region.bottom
        assert queue_pane.region.width == detail.region.width == 80
        assert queue_pane.region.height >= 5  # the header and four signals at least
        await pilot.press("down")  # the image repost: its two posts side by side, whole
        await pilot.pause()
        lines = detail_lines(screen)
        heads = next(line for line in lines if "post p1" in line)
        assert "post p2" in heads
        assert any("Caramel's glucose curve" in line for line in lines)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert detail.region.y == queue_pane.region.y
        assert detail.region.x >= queue_pane.region.right
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert detail.region.y >= queue_pane.region.bottom


def test_post_cards_go_as_many_to_a_row_as_the_width_allows() -> None:
    from rich.console import Console

    from screens.signal_detail import CARD_WIDTH, COLUMNS, PostCards

    cards = PostCards([Text(f"card{i} words") for i in range(4)])

    def rows(width: int) -> list[list[str]]:
        console = Console(width=width, color_system=None, legacy_windows=False)
        with console.capture() as out:
            console.print(cards)
        return [[w for w in line.split() if w.startswith("card")] for line in out.get().splitlines()]

    def per_row(width: int) -> list[list[str]]:
        return [row for row in rows(width) if row]

    assert per_row(CARD_WIDTH * COLUMNS + 20) == [["card0", "card1", "card2"], ["card3"]]
    assert per_row(CARD_WIDTH * 2) == [["card0", "card1"], ["card2", "card3"]]
    assert per_row(CARD_WIDTH - 1) == [["card0"], ["card1"], ["card2"], ["card3"]]


# -- snapshots (fixed now, 120x36) ------------------------------------------------------------


@pytest.fixture
def snap_tact(tact: Tact) -> Tact:
    return community(tact)


def test_snapshot_signals_screen(snap_compare: Any, snap_tact: Tact) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("down", "down")
        await pilot.press("space")

    assert snap_compare(TriageApp(snap_tact), terminal_size=(120, 36), run_before=ready)


def test_snapshot_signals_screen_narrow(snap_compare: Any, snap_tact: Tact) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("down")  # the image repost: two posts side by side under the queue

    assert snap_compare(TriageApp(snap_tact), terminal_size=(80, 24), run_before=ready)


def test_snapshot_composer(snap_compare: Any, snap_tact: Tact) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("r")
        await pilot.pause()
        composer = pilot.app.screen
        assert isinstance(composer, ComposerScreen)
        composer.draft.cursor_blink = False
        composer.draft.move_cursor(composer.draft.document.end)
        await pilot.press(*" Pas de pub ici !!!")
        composer.check_tone_now()  # what the debounce timer does, without waiting on a busy machine
        await pilot.pause()

    assert snap_compare(TriageApp(snap_tact), terminal_size=(120, 36), run_before=ready)


def test_evidence_words_are_found_in_every_detector_shape() -> None:
    from heuristics.model import Signal
    from screens.signal_detail import evidence_words

    evidence = {
        "features": {"cta": {"words": ["Check out", "recommend me"], "value": 1.0}},  # self-promotion, spam
        "words": {"abandon": 2.0},  # against_mission: word -> weight
        "posts": {"p1": {"words": ["idiot"], "score": 0.9}},  # conflict, per post
        "threshold": 0.5,
    }
    signal = Signal("x", "spam", 0.5, NOW, evidence=evidence)
    assert evidence_words(signal) == ["recommend me", "Check out", "abandon", "idiot"]
    assert evidence_words(Signal("y", "spam", 0.5, NOW)) == []


async def test_snooze_until_a_typed_date_and_a_bad_date_is_said(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        # "t" (tomorrow) inside the typed text is typed, not taken as the key.
        await pilot.press("s", "c", *"next tuesday", "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, SnoozeDialog)
        assert "Not a date" in str(dialog.query_one(".dialog-error", Static).render())
        dialog.query_one("Input").value = ""  # type: ignore[attr-defined]
        await pilot.press(*"2026-04-01", "enter")
        await pilot.pause()
        assert pilot.app.screen is screen
    [entry] = tact.audit.entries()
    assert entry.action == "snooze" and entry.signal == SELF_PROMO
    assert entry.until is not None and entry.until.isoformat() == "2026-04-01T00:00:00+00:00"


async def test_a_snoozed_signal_comes_back_when_its_time_comes(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("s", "t")  # until tomorrow 08:00
        await pilot.pause()
        assert SELF_PROMO not in queue_ids(screen)
        tact.fixed_now = NOW + timedelta(days=1)
        screen.poll()
        await pilot.pause()
        assert SELF_PROMO in queue_ids(screen)


async def test_posts_beyond_the_first_signals_are_read_when_shown(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At a million posts the queue's signals name posts in every month: only the first
    # signals' posts are read with the queue, the others' when the cursor reaches them.
    import screens.signals as signals_screen
    from tests.conftest import spy_months

    monkeypatch.setattr(signals_screen, "PRELOAD", 1)
    community(tact)
    read = spy_months(monkeypatch)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.state.posts) == 1  # the first signal's post (p3) only
        await pilot.press("j")  # the image repost: its posts are read now, off the UI thread
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.queue.current is not None and screen.queue.current.id == REPOST
        assert {"p1", "p2"} <= set(screen.state.posts)
        assert read  # read from the store on demand
        timeline = "\n".join(section(detail_lines(screen), "Timeline", "Why"))
        assert "p1" in timeline and "?" not in timeline  # the detail shown again, with them


def test_a_long_repost_chain_reads_and_shows_its_two_ends() -> None:
    from heuristics.model import Post, Signal
    from screens.signal_detail import ENDS, DetailContext, note_members, pictures, timeline

    posts = {f"p{i}": Post(f"p{i}", f"m{i}", NOW - timedelta(hours=100 - i)) for i in range(100)}
    asked: list[str] = []

    class Counting(dict[str, Post]):
        def get(self, key: str, default: Any = None) -> Any:
            asked.append(key)
            return super().get(key, default)

    signal = Signal("s", "image_repost", 1.0, NOW, posts=tuple(posts), members=("m0",))
    ctx = DetailContext(Counting(posts))
    text = timeline(signal, ctx)
    assert text is not None
    lines = text.plain.splitlines()
    assert "p0" in lines[1] and "p99" in lines[-1] and "… 76 more …" in text.plain
    assert len(lines) == 1 + 2 * ENDS + 1
    pictures(signal, ctx)
    note_members(signal, ctx)
    assert set(asked) == {f"p{i}" for i in [*range(ENDS), *range(100 - ENDS, 100)]}


def test_a_thousand_reasons_show_their_two_ends() -> None:
    """A picture reposted a thousand times has a reason per repost: laying them all out held
    the pane for a second at a million posts. The pane shows both ends, as the timeline."""
    from heuristics.model import Signal
    from screens.signal_detail import ENDS, reasons_text

    reasons = tuple(f"p{i} shows the same picture as p{i + 1}" for i in range(1000))
    text = reasons_text(Signal("s", "image_repost", 1.0, NOW, reasons=reasons))
    assert text is not None
    lines = text.plain.splitlines()
    assert lines[0] == "Why" and lines[1] == f"• {reasons[0]}" and lines[-1] == f"• {reasons[-1]}"
    assert len(lines) == 1 + 2 * ENDS + 1 and f"… {1000 - 2 * ENDS:,} more …" in text.plain
    few = reasons_text(Signal("s", "image_repost", 1.0, NOW, reasons=reasons[: 2 * ENDS]))
    assert few is not None and len(few.plain.splitlines()) == 1 + 2 * ENDS and "more" not in few.plain


async def test_the_filter_bar_keeps_every_line_when_updated_twice_around_one_layout(tact: Tact) -> None:
    """A one-line bar laid out, then given two lines before its own idle (the early queue and
    the recompute landing together on a loaded machine) kept its one line: the second line of
    kinds was cut off."""
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        bar = screen.query_one("#filter-bar", Static)
        pieces = screen._filter_bar_pieces
        screen._filter_bar_pieces = pieces[:1]
        screen._lay_filter_bar()
        layout_pass(bar)
        screen._filter_bar_pieces = [*pieces, Text(" x " + "kind " * 20)]
        screen._lay_filter_bar()
        await settle(pilot)
        lines = str(bar.render()).count("\n") + 1
        assert lines == 2
        assert bar.size.height == lines
