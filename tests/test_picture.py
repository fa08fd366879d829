"""Pictures on the signal pane: half blocks anywhere, terminal graphics only where they work."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from textual.app import App, ComposeResult

from console.app import wants_graphics
from screens.widgets.picture import HalfBlockPicture


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_graphics_are_asked_for_only_where_they_work() -> None:
    assert wants_graphics({"TERM": "xterm-kitty"})
    assert wants_graphics({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"})
    assert not wants_graphics({"TERM": "xterm-256color"})
    assert not wants_graphics({"TERM_PROGRAM": "WezTerm", "TMUX": "/tmp/tmux-0/default,1,0"})
    assert not wants_graphics({"TERM": "screen-256color", "KITTY_WINDOW_ID": "1"})
    assert wants_graphics({"TERM": "screen", "TACT_PICTURES": "graphics"})
    assert not wants_graphics({"TERM": "xterm-kitty", "TACT_PICTURES": "blocks"})


@pytest.mark.anyio
async def test_half_blocks_draw_the_picture_top_and_bottom(tmp_path: Path) -> None:
    path = tmp_path / "flag.png"
    img = Image.new("RGB", (40, 40), (255, 0, 0))
    img.paste((0, 0, 255), (0, 20, 40, 40))  # red above, blue below
    img.save(path)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield HalfBlockPicture(str(path))

    async with One().run_test(size=(30, 10)) as pilot:
        widget = pilot.app.query_one(HalfBlockPicture)
        top = widget.render_line(0)
        bottom = widget.render_line(widget.size.height - 1)
        first = next(iter(top))
        last = next(iter(bottom))
        assert first.text == "▀" and first.style is not None and last.style is not None
        assert first.style.color is not None and first.style.color.triplet == (255, 0, 0)
        assert last.style.bgcolor is not None and last.style.bgcolor.triplet == (0, 0, 255)
        # A missing file is blank, not an error.
        widget.path = str(tmp_path / "gone.png")
        assert widget.render_line(0).text.strip() == ""
