"""The reply composer: tone check as one types, languages, templates, visibility, editor,
clipboard, and the reply recorded in the audit log."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from console.context import Tact
from heuristics.model import Reply, Signal
from heuristics.replies import Templates
from screens.composer import ComposerResult, ComposerScreen
from screens.dialogs import ConfirmDialog
from screens.signal_detail import DetailContext
from tests.conftest import NOW
from tests.triage_data import TriageApp, community, posts

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


EN = {"default": "Hi {name}, thanks for introducing yourself!", "short": "Hi {name}!"}
FR = {"default": "Bonjour {name}, merci de votre présentation !", "short": "Salut {name} !"}
TEMPLATES = Templates({"en": {"self_promotion": EN}, "fr": {"self_promotion": FR}})

SIGNAL = Signal(
    "self_promotion:x", "self_promotion", 0.9, NOW, posts=("p3",), members=("m2",),
    reply=Reply("fr", "public", "p3", "Bonjour Louis, merci de votre présentation !"),
)  # fmt: skip


class ComposerApp(App[None]):
    """Just the composer, over an empty screen; keeps what it returned."""

    def __init__(self, tact: Tact, signal: Signal = SIGNAL) -> None:
        super().__init__()
        self.tact = tact
        self.signal = signal
        self.result: ComposerResult | str | None = "pending"

    def compose(self) -> ComposeResult:
        yield Static("under the composer")

    def on_mount(self) -> None:
        names = {"m2": "Louis Favre"}
        ctx = DetailContext({p.id: p for p in posts()}, lambda m: names.get(m, m), {}, NOW)
        self.push_screen(ComposerScreen(self.tact, self.signal, ctx, "Chats", TEMPLATES), self._done)

    def _done(self, result: ComposerResult | None) -> None:
        self.result = result

    @property
    def composer(self) -> ComposerScreen:
        screen = self.screen
        assert isinstance(screen, ComposerScreen)
        return screen


async def type_at_end(pilot: Pilot[Any], text: str) -> None:
    app = pilot.app
    assert isinstance(app, ComposerApp)
    area = app.composer.draft
    area.move_cursor(area.document.end)
    await pilot.press(*text)


async def test_the_tone_check_reads_the_draft_as_it_is_typed_and_ctrl_g_applies_the_gentler_version(
    tact: Tact,
) -> None:
    app = ComposerApp(tact)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.composer.findings == []
        await type_at_end(pilot, " Vous devez lire les règles!!!")
        # Debounced: nothing yet right after the keys, findings after a pause in typing.
        assert app.composer.findings == []
        await pilot.pause(0.6)
        kinds = [f.kind for f in app.composer.findings]
        assert kinds == ["blame", "exclamation"]
        tone = str(app.composer.query_one("#tone-findings", Static).render())
        assert "Vous devez" in tone and "vous pourriez" in tone.lower()
        await pilot.press("ctrl+g")
        await pilot.pause()
        text = app.composer.draft.text
        assert "Vous devez" not in text and "!!!" not in text
        assert text.endswith("présentation ! Vous pourriez lire les règles!")
        assert app.composer.findings == []
        await pilot.press("ctrl+z")  # the gentler version is an ordinary, undoable edit
        assert "Vous devez" in app.composer.draft.text


async def test_language_and_template_switches_render_the_template_again(tact: Tact) -> None:
    app = ComposerApp(tact)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.composer.lang == "en"
        assert app.composer.draft.text == "Hi Louis Favre, thanks for introducing yourself!"
        head = str(app.composer.query_one("#composer-head", Static).render())
        assert "not the member's language" in head
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.composer.variant == "short" and app.composer.draft.text == "Hi Louis Favre!"
        # An edited draft is not thrown away without asking.
        await type_at_end(pilot, " See you")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.composer.lang == "en" and app.composer.draft.text == "Hi Louis Favre! See you"
        await pilot.press("ctrl+l", "y")
        await pilot.pause()
        assert app.composer.lang == "fr" and app.composer.draft.text == "Salut Louis Favre !"


async def test_visibility_copy_send_and_mark_replied(tact: Tact) -> None:
    app = ComposerApp(tact)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+y")
        assert app.clipboard == "Bonjour Louis, merci de votre présentation !"
        # No source can send yet: ctrl+s is shown but disabled, and nothing happens.
        assert app.composer.check_action("send", ()) is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result == "pending"
        status = str(app.composer.query_one("#composer-status", Static).render())
        assert "no source can post replies yet" in status
        await pilot.press("ctrl+o")
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.result == ComposerResult(
        "Bonjour Louis, merci de votre présentation !", "fr", "private", "p3", "default"
    )


async def test_escape_cancels_and_an_empty_reply_is_not_recorded(tact: Tact) -> None:
    app = ComposerApp(tact)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.composer.draft.text = "   "
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.result == "pending"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_ctrl_e_edits_in_the_editor(tact: Tact, monkeypatch: pytest.MonkeyPatch) -> None:
    # The editor: a shell that replaces the draft file (what a moderator does in vim).
    monkeypatch.setenv("VISUAL", 'sh -c \'printf "Edited in vim [b]x[/b]\\n" > "$0"\'')
    app = ComposerApp(tact)

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:  # the headless test driver cannot suspend
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.composer.draft.text == "Edited in vim [b]x[/b]"


async def test_the_signals_screen_records_the_reply_text_in_the_audit_log(tact: Tact) -> None:
    community(tact)
    async with TriageApp(tact).run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if getattr(pilot.app.screen, "loaded", False):
                break
        await pilot.press("r")
        await pilot.pause()
        composer = pilot.app.screen
        assert isinstance(composer, ComposerScreen)
        composer.draft.text = "Bonjour Louis, bienvenue [b]ici[/b] !"
        await pilot.press("ctrl+o", "ctrl+r")
        await pilot.pause()
    reply, handled = tact.audit.entries()
    assert reply.action == "reply" and handled.action == "handled"
    assert reply.reply == {
        "lang": "fr", "visibility": "private", "to": "p3", "text": "Bonjour Louis, bienvenue [b]ici[/b] !",
    }  # fmt: skip
    assert reply.member == "m2" and reply.signal == handled.signal == "self_promotion:fa4d4682c222"


async def test_escape_sequences_in_the_suggested_reply_never_reach_the_draft(tact: Tact) -> None:
    hostile = Signal(
        "spam:h", "spam", 0.5, NOW, members=("m9",),
        reply=Reply("en", "public", None, "Hi \x1b]52;c;aGk=\x07[b]Eve[/b]\x1b[2J, welcome!"),
    )  # fmt: skip
    app = ComposerApp(tact, hostile)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.composer.draft.text == "Hi [b]Eve[/b], welcome!"
