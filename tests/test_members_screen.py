"""The members screen, driven with the keyboard (and a click) and pinned by a snapshot."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from console.app import TactApp
from console.audit import member_notes, moderation_facts
from console.context import Tact
from heuristics.model import Member
from screens.members import COLUMNS, MembersScreen, fold
from screens.widgets.sort_table import SortHeader, SortTable, layout
from tests._members_fixtures import NOW, member, t
from tests.conftest import fill, refuse_opening
from tests.test_members_rules import MEMBERS, POSTS

pytestmark = pytest.mark.anyio
SIZE = (110, 32)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


EVIL = "[@click=app.quit]Eve[/] \x1b[31mred\x1b]8;;http://x\x07"


def community(tact: Tact) -> Tact:
    members: list[Member] = [*MEMBERS, member("evil", "2025-01-01T10:00:00Z", EVIL, "fr")]
    fill(tact, members, [p for p in POSTS if p.created_at <= NOW])
    tact.audit.record("no_checkin", "bob", member="nock", at=NOW)
    tact.audit.record("checkin", "bob", member="checked", at=t("2026-02-20T10:00:00Z"))
    tact.audit.record("checkin", "bob", member="checked_old", at=t("2025-12-01T10:00:00Z"))
    tact.audit.record("note", "bob", member="evil", note="[link=file:///etc/passwd]click[/link]", at=NOW)
    return tact


async def ready(pilot: Pilot[None]) -> MembersScreen:
    app = pilot.app
    for _ in range(100):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, MembersScreen) and screen.loaded is not None:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("the members screen never loaded")


def keys(screen: MembersScreen) -> list[str]:
    return screen.query_one(SortTable).shown_keys()


async def test_every_member_with_figures_sort_and_filter(tact: Tact) -> None:
    app = TactApp(community(tact), start="members")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        table = screen.query_one(SortTable)
        assert table.visible_count == len(MEMBERS) + 1
        # sorted by name first; "2" sorts by joined date, again reverses
        await pilot.press("2")
        joined = [screen.loaded.by_id[k].member.joined_at for k in keys(screen)]  # type: ignore[union-attr]
        assert joined == sorted(joined)
        await pilot.press("2")
        assert keys(screen)[0] == "today"
        # a click on the "Rung" title sorts by rung
        header = screen.query_one(SortHeader)
        widths = layout(COLUMNS, header.size.width - 1)
        x = sum(w + 1 for w in widths[:8]) + 2  # inside the "Rung" title
        assert header.column_at(x) == 8
        await pilot.click(SortHeader, offset=(x, 0))
        assert table.sort_column == 8
        rungs = [screen.loaded.by_id[k].stats.rung for k in keys(screen)]  # type: ignore[union-attr]
        assert rungs.index("creator") > rungs.index("lurker")
        # `/` filters as you type, escape clears
        await pilot.press("slash", *"comment")
        assert keys(screen) == ["commenter"]
        await pilot.press("escape")
        assert table.visible_count == len(MEMBERS) + 1


async def test_inactive_view_checkin_and_no_checkin_are_recorded(tact: Tact) -> None:
    app = TactApp(community(tact), start="members")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("i")
        shown = set(keys(screen))
        assert shown == {"exact", "commenter", "never_old", "checked_old", "evil"}
        detail = str(screen.query_one("#members-detail-text").render())
        assert "Suggested private check-in" in detail
        table = screen.query_one(SortTable)
        first = table.key
        position = table.cursor
        await pilot.press("c")
        assert first not in keys(screen) and len(keys(screen)) == 4
        facts = moderation_facts(tact.audit.entries())
        assert first in facts.last_checkin
        # the cursor stays in place: on the next member of the list
        assert table.cursor == min(position, 3)
        second = table.key
        await pilot.press("x")
        assert second in moderation_facts(tact.audit.entries()).no_checkin
        assert second not in keys(screen)
        # back to everyone: the two are still members, no longer flagged
        await pilot.press("i")
        assert first is not None and second is not None
        assert {first, second} <= set(keys(screen))
        assert screen.loaded is not None and not screen.loaded.by_id[first].inactive
        # `u` undoes the don't-check-in mark: the member is flagged again after the reload
        await pilot.press("u")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert second not in moderation_facts(tact.audit.entries()).no_checkin
        assert screen.loaded is not None and screen.loaded.by_id[second].inactive


async def test_a_check_in_the_log_refuses_leaves_the_member_flagged(
    tact: Tact, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TactApp(community(tact), start="members")
    before = len(tact.audit.entries())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await ready(pilot)
        await pilot.press("i")
        flagged = keys(screen)
        with monkeypatch.context() as patch:
            refuse_opening(patch, tact.audit.path)
            await pilot.press("c", "x")
            assert app.is_running and keys(screen) == flagged
            await pilot.press("u")  # nothing was done here: nothing to take back
        assert len(tact.audit.entries()) == before
        await pilot.press("c")
        assert keys(screen) == flagged[1:]  # checked on: out of the list


async def test_note_and_jump_to_feed(tact: Tact) -> None:
    app = TactApp(community(tact), start="members")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"regular", "enter")
        assert keys(screen) == ["reg"]
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"likes [b]tea[/b]", "enter")
        await pilot.pause()
        notes = member_notes(tact.audit.entries())
        assert [a.note for a in notes["reg"]] == ["likes [b]tea[/b]"]
        assert "likes [b]tea[/b]" in str(screen.query_one("#members-detail-text").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "feed"


async def test_hostile_names_and_notes_stay_literal(tact: Tact) -> None:
    app = TactApp(community(tact), start="members")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"evil", "enter")
        assert keys(screen) == ["evil"]
        detail = screen.query_one("#members-detail-text").render()
        text = str(detail)
        assert "[@click=app.quit]Eve[/]" in text and "[link=file:///etc/passwd]click[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        table = screen.query_one(SortTable)
        cells = table.cells_of(table.shown_keys()[0])
        # what reaches the terminal: the rendered line holds the literal name, no escape
        line = "".join(seg.text for seg in table.render_line(0))
        assert "[@click=app.quit]Eve[/]" in line and "\x1b" not in line
        assert cells[0].startswith("[@click=app.quit]Eve[/] ") and "\x1b" not in cells[0]
        await pilot.click(SortTable, offset=(3, 0))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MembersScreen)


def test_snapshot_members(snap_compare: object, tact: Tact) -> None:
    app = TactApp(community(tact), start="members")

    async def before(pilot: Pilot[None]) -> None:
        await ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


def test_snapshot_members_inactive(snap_compare: object, tact: Tact) -> None:
    app = TactApp(community(tact), start="members")

    async def before(pilot: Pilot[None]) -> None:
        await ready(pilot)
        await pilot.press("i", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


def test_filter_ignores_case_and_accents() -> None:
    assert fold("Élodie LÉA") == "elodie lea"
    assert "elodie" in fold("m7 Élodie Favre creator fr")


async def test_a_bad_tact_toml_is_said_not_hidden(tact: Tact) -> None:
    community(tact)
    bad = '[detectors.inactive_member]\nweeks = "[b]eight"\n'
    tact.settings.config_file.write_text(bad, encoding="utf-8")
    app = TactApp(tact, start="members")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            summary = str(app.screen.query_one("#members-summary").render())
            if "Could not load" in summary:
                break
        assert "Could not load" in summary and "weeks" in summary and "[b]eight" in summary
