"""A picture drawn with half blocks: two pixels a cell, in any terminal, with no terminal query.

textual-image draws real pixels (sixel, kitty graphics) but must ask the terminal what it can
do before Textual starts, and importing it (with NumPy and Pillow) costs a tenth of a second
of every launch. tact asks for it only where the environment says graphics work (see
`console.app.wants_graphics`); everywhere else — tmux, a plain SSH session — this widget
shows the reposted pictures well enough to compare them side by side.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF = "▀"


@lru_cache(maxsize=64)
def _pixels(path: str, width: int, height: int) -> tuple[tuple[tuple[int, int, int], ...], ...] | None:
    """RGB rows of the picture fitted into width × height pixels (None if unreadable)."""
    try:
        from PIL import Image  # only when a picture is first shown

        with Image.open(path) as img:
            img.draft("RGB", (width * 4, height * 4))  # JPEG: decode only what is needed
            picture = img.convert("RGB")
            picture.thumbnail((width, height))
            w, h = picture.size
            raw = picture.tobytes()  # RGB bytes (`getdata` is deprecated in Pillow 13)
            data = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    except Exception:  # a missing or broken file must not break triage
        return None
    return tuple(tuple(data[y * w : (y + 1) * w]) for y in range(h))


class HalfBlockPicture(Widget):
    """Draws the picture at `path` in its content region (a file name is not member text:
    nothing here is parsed as markup)."""

    DEFAULT_CSS = "HalfBlockPicture { width: 22; height: 8; }"

    def __init__(self, path: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.path = path

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        rows = _pixels(self.path, width, height * 2) if width and height else None
        if rows is None:
            return Strip.blank(width)
        top = rows[2 * y] if 2 * y < len(rows) else ()
        bottom = rows[2 * y + 1] if 2 * y + 1 < len(rows) else ()
        segments = []
        for x in range(len(top)):
            upper = "#{:02x}{:02x}{:02x}".format(*top[x])
            style = Style(color=upper)
            if x < len(bottom):
                style += Style(bgcolor="#{:02x}{:02x}{:02x}".format(*bottom[x]))
            segments.append(Segment(UPPER_HALF, style))
        return Strip(segments).adjust_cell_length(width)
