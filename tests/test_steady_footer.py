"""The footer rebuilds its keys only when what it shows changes."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from screens.widgets.steady_footer import SteadyFooter

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Keys(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "thing", "Thing"),
        Binding("y", "other", "Other"),
    ]
    enabled = True

    def compose(self) -> ComposeResult:
        yield Static("hello")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: shown, dimmed (False would hide the key).
        return True if self.enabled or action != "thing" else None

    def action_thing(self) -> None: ...
    def action_other(self) -> None: ...


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


async def test_the_footer_is_rebuilt_only_when_its_keys_change(monkeypatch: pytest.MonkeyPatch) -> None:
    composed: list[int] = []
    real = SteadyFooter.compose

    def counting(self: SteadyFooter) -> Any:
        composed.append(1)
        return real(self)

    monkeypatch.setattr(SteadyFooter, "compose", counting)
    async with KeysApp().run_test(size=(80, 10)) as pilot:
        await pilot.pause(0.1)
        screen = pilot.app.screen
        assert isinstance(screen, Keys)
        footer = screen.query_one(SteadyFooter)
        shown = {k.key: k.has_class("-disabled") for k in footer.query(FooterKey)}
        assert shown["x"] is False and shown["y"] is False
        before = len(composed)
        for _ in range(3):  # what a focus move or a screen's refresh says: maybe changed
            screen.refresh_bindings()
            await pilot.pause(0.05)
        assert len(composed) == before  # the same keys: nothing rebuilt
        screen.enabled = False
        screen.refresh_bindings()
        await pilot.pause(0.1)
        assert len(composed) == before + 1
        keys = {k.key: k.has_class("-disabled") for k in footer.query(FooterKey)}
        assert keys["x"] is True and keys["y"] is False, keys  # shown dimmed
