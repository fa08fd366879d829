"""The detail pane of the signals screen: the evidence of one signal, side by side.

It shows the posts involved (author, time, text with the evidence words highlighted), for
an image repost the timeline of who posted the picture when and the pictures themselves
(textual-image, where the terminal can draw them; file names always), the reasons, the
suggested reply and the moderators' notes on the members concerned.

Every piece of member content becomes a `Text` through `safe_text.plain`/`one_line`, so
markup stays literal and escape sequences never reach the terminal; long lines wrap
(words longer than the column fold).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from console.audit import Action
from console.safe_text import one_line, plain
from heuristics.model import Post, Signal
from screens.signal_queue import kind_label
from screens.widgets.picture import HalfBlockPicture
from screens.widgets.reltime import relative_time

#: Past this many characters a post is cut in the pane (the feed shows it whole, key `o`).
POST_CHARS = 1200
#: Posts shown side by side per row of the pane.
COLUMNS = 3
#: Columns a post card needs, its gap included: fewer cards go to a row in a narrow pane.
CARD_WIDTH = 18
#: Pictures drawn for an image repost (the rest are listed by file name).
MAX_PICTURES = 4
#: A long chain of posts (a picture reposted a thousand times) shows its first and its latest
#: posts: they say the most, and reading a thousand posts means reading every month.
ENDS = 12

T = TypeVar("T")


def both_ends(items: Sequence[T]) -> list[T]:
    """All of `items`, or the first and last `ENDS` of a longer list (the pane marks the gap
    after the first `ENDS`)."""
    return list(items) if len(items) <= 2 * ENDS else [*items[:ENDS], *items[-ENDS:]]


def shown_posts(signal: Signal) -> list[str]:
    """The posts of `signal` the pane shows and reads: all of them, or both ends of a long chain."""
    return both_ends(signal.posts)


def read_posts(signal: Signal) -> list[str]:
    """Every post the pane and the actions on `signal` read: the shown ones and the post its
    reply answers."""
    ids = shown_posts(signal)
    if signal.reply is not None and signal.reply.to:
        ids.append(signal.reply.to)
    return ids


_EVIDENCE_WORD_KEYS = ("words", "terms", "matched_words", "keywords", "phrases")


@dataclass(frozen=True)
class DetailContext:
    """What the pane needs besides the signal, gathered by the screen's loader."""

    posts: Mapping[str, Post] = field(default_factory=dict)
    names: Callable[[str], str] = str
    notes: Mapping[str, Sequence[Action]] = field(default_factory=dict)
    now: datetime | None = None
    reading: bool = False
    """Posts missing from `posts` are being read (the pane is shown again once they are)."""


def evidence_words(signal: Signal) -> list[str]:
    """The words a detector matched, longest first: every "words" (or synonym) entry of the
    evidence, however deep (detectors nest them per feature or per post). A words mapping
    contributes its keys (e.g. {"word": weight})."""
    found: set[str] = set()

    def strings(value: object) -> None:
        if isinstance(value, str):
            if value.strip():
                found.add(value.strip())
        elif isinstance(value, Mapping):
            for key, v in value.items():
                strings(v if isinstance(v, str) else key)
        elif isinstance(value, list | tuple | set | frozenset):
            for v in value:
                strings(v)

    def walk(value: object, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(value, Mapping):
            for key, v in value.items():
                if key in _EVIDENCE_WORD_KEYS:
                    strings(v)
                else:
                    walk(v, depth + 1)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, depth + 1)

    walk(signal.evidence)
    return sorted(found, key=len, reverse=True)


def post_card(post: Post | None, post_id: str, ctx: DetailContext, words: Sequence[str]) -> Text:
    """One post as the pane shows it: who, when, then the text, evidence words highlighted."""
    if post is None:
        missing = "  reading…" if ctx.reading else "  not in the store"
        return Text.assemble((one_line(post_id, 40), "bold"), (missing, "dim"))
    # Relative time on the card (the timeline and the feed give the exact one).
    exact = f"{post.created_at:%Y-%m-%d %H:%M}"
    when = relative_time(post.created_at, ctx.now) if ctx.now is not None else exact
    head = Text.assemble(
        (one_line(ctx.names(post.author), 40), "bold"),
        ("\n", ""),
        (f"{when} · {post.kind} {one_line(post.id, 30)}", "dim"),
        ("\n", ""),
    )
    body_source = post.text if len(post.text) <= POST_CHARS else post.text[:POST_CHARS]
    body = plain(body_source)
    if words:
        body.highlight_words(words, "bold reverse", case_sensitive=False)
    if len(post.text) > POST_CHARS:
        body.append(f"… ({len(post.text) - POST_CHARS:,} more characters: o opens the post)", "dim")
    if post.images:
        body.append("\n")
        body.append(Text(" ".join("▣ " + one_line(Path(p).name, 40) for p in post.images), style="dim"))
    card = head + body
    card.overflow = "fold"
    return card


def posts_table(signal: Signal, ctx: DetailContext) -> RenderableType | None:
    ids = list(signal.posts)
    if not ids:
        return None
    # Many posts (a long repost chain): the first and the latest ones say the most.
    if len(ids) > COLUMNS * 2:
        ids = ids[:COLUMNS] + ids[-COLUMNS:]
    words = evidence_words(signal)
    if len(ids) == 1:  # one post needs no table (and a table costs a measuring pass)
        return post_card(ctx.posts.get(ids[0]), ids[0], ctx, words)
    return PostCards([post_card(ctx.posts.get(pid), pid, ctx, words) for pid in ids])


@dataclass(frozen=True)
class PostCards:
    """Post cards side by side, as many to a row as the pane's width gives `CARD_WIDTH` each
    (up to `COLUMNS`): decided when drawn, so a narrower terminal stacks them."""

    cards: Sequence[Text]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = max(1, min(COLUMNS, len(self.cards), options.max_width // CARD_WIDTH))
        table = Table.grid(expand=True, padding=(0, 2, 1, 0))
        for _ in range(columns):
            table.add_column(ratio=1, overflow="fold")
        for start in range(0, len(self.cards), columns):
            row: list[RenderableType] = list(self.cards[start : start + columns])
            row += [Text("")] * (columns - len(row))
            table.add_row(*row)
        yield table


def timeline(signal: Signal, ctx: DetailContext) -> Text | None:
    """Who posted the picture when, oldest first (image reposts)."""
    if signal.kind != "image_repost" or not signal.posts:
        return None
    out = Text()
    out.append("Timeline\n", "bold")
    shown = shown_posts(signal)
    for i, pid in enumerate(shown):
        if i == ENDS and len(shown) < len(signal.posts):
            out.append(f"  … {len(signal.posts) - len(shown):,} more …\n", "dim")
        post = ctx.posts.get(pid)
        if post is None:
            out.append(f"  {'reading…' if ctx.reading else '?':<16}  {one_line(pid, 30)}\n", "dim")
            continue
        out.append(f"  {post.created_at:%Y-%m-%d %H:%M}  ", "dim")
        out.append(one_line(ctx.names(post.author), 18).ljust(18), "bold")
        out.append(f" {one_line(post.id, 12)} ")
        out.append(one_line(", ".join(Path(p).name for p in post.images), 40), "dim")
        out.append("\n")
    out.rstrip()
    return out


def pictures(signal: Signal, ctx: DetailContext) -> list[str]:
    """The picture files of an image repost, oldest first, that exist on this machine."""
    if signal.kind != "image_repost":
        return []
    paths: list[str] = []
    for pid in shown_posts(signal):
        post = ctx.posts.get(pid)
        for path in post.images if post else ():
            if path not in paths and Path(path).is_file():
                paths.append(path)
        if len(paths) >= MAX_PICTURES:
            break
    return paths[:MAX_PICTURES]


def reasons_text(signal: Signal) -> Text | None:
    if not signal.reasons:
        return None
    out = Text("Why\n", style="bold")
    # As the timeline: a chain of a thousand reposts gives a thousand reasons, and laying
    # them all out held the pane for a second; its two ends say what the middle says.
    shown = both_ends(signal.reasons)
    for i, reason in enumerate(shown):
        if i == ENDS and len(shown) < len(signal.reasons):
            out.append(f"  … {len(signal.reasons) - len(shown):,} more …\n", "dim")
        out.append("• ")
        out.append(plain(reason))
        out.append("\n")
    out.rstrip()
    return out


def reply_text(signal: Signal, ctx: DetailContext) -> Text:
    if signal.reply is None:
        return Text("No suggested reply for this kind of signal.", style="dim")
    reply = signal.reply
    to = ""
    if reply.to:
        post = ctx.posts.get(reply.to)
        to = f" to {one_line(ctx.names(post.author), 30)}" if post else f" to {one_line(reply.to, 30)}"
    out = Text.assemble(
        ("Suggested reply", "bold"),
        (f"  {reply.visibility} · {reply.lang}{to} · r opens the composer\n", "dim"),
    )
    out.append(plain(reply.text))
    return out


def notes_text(members: Iterable[str], ctx: DetailContext) -> Text:
    out = Text("Notes on these members", style="bold")
    count = 0
    for member in members:
        for entry in ctx.notes.get(member, ()):
            count += 1
            out.append("\n• ")
            out.append(one_line(ctx.names(member), 30), "bold")
            out.append(": ")
            out.append(plain(entry.note or ""))
            out.append(f"  — {one_line(entry.moderator, 20)}, {entry.at:%Y-%m-%d}", "dim")
    if not count:
        out.append("\nNone yet · n adds one (shared with the other moderators)", "dim")
    return out


def note_members(signal: Signal, ctx: DetailContext) -> list[str]:
    """The members whose notes the pane shows: the signal's members and the posts' authors."""
    seen: dict[str, None] = dict.fromkeys(signal.members)
    for pid in shown_posts(signal):
        post = ctx.posts.get(pid)
        if post is not None:
            seen.setdefault(post.author, None)
    return list(seen)


class EvidencePane(ScrollView, can_focus=False):
    """A scrolling view of one Rich renderable, rendered once per update (and per width).

    Why not Statics in a VerticalScroll: each `Static.update` of an auto-height widget asks
    the whole screen for a new layout, and the detail changes on every cursor move. Here an
    update renders the lines once and repaints this pane only.
    """

    DEFAULT_CSS = """
    EvidencePane { height: 1fr; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own keyword
        super().__init__(id=id)
        self._renderable: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._rendered_width = 0

    def update(self, renderable: RenderableType) -> None:
        self._renderable = renderable
        self._render_all()
        if self.scroll_y:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _render_all(self) -> None:
        width = self.scrollable_content_region.width
        self._rendered_width = width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        options = console.options.update(width=width, highlight=False, markup=False)
        lines = console.render_lines(self._renderable, options, style=self.rich_style, pad=True)
        self._lines = [Strip(line, width) for line in lines]
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._rendered_width:
            self._render_all()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._render_all()

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if 0 <= index < len(self._lines):
            strip = self._lines[index]
            # Rendered at this width already (padded): hand the cached strip over as it is.
            return strip if strip.cell_length == width else strip.crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def text_lines(self) -> list[str]:
        """The pane's lines as plain text, as the terminal gets them (for tests)."""
        return [strip.text for strip in self._lines]


class SignalDetail(Vertical, can_focus=False):
    """Evidence, reasons, suggested reply and notes of the selected signal."""

    DEFAULT_CSS = """
    SignalDetail { padding: 0 0 0 1; }
    SignalDetail > #detail-images { height: auto; margin-bottom: 1; display: none; }
    SignalDetail > #detail-images > * { width: 22; height: 8; margin-right: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own keyword
        super().__init__(id=id)
        self.signal: Signal | None = None
        self._pictures: list[str] = []

    def compose(self) -> ComposeResult:
        yield Horizontal(id="detail-images")
        yield EvidencePane(id="detail-body")

    @property
    def body(self) -> EvidencePane:
        return self.query_one("#detail-body", EvidencePane)

    def show_message(self, message: Text) -> None:
        self.signal = None
        self.body.update(message)
        self.show_pictures([])

    def show(self, signal: Signal | None, ctx: DetailContext) -> None:
        """Show `signal` (None: an empty queue): one render of the pane, no layout."""
        self.signal = signal
        if signal is None:
            self.body.update(Text("Nothing to triage here. Well done.", style="bold"))
            self.show_pictures([])
            return
        head = Text.assemble(
            (kind_label(signal.kind), "bold"),
            (f"  score {signal.score:.2f} · {signal.status} · ", "dim"),
            (f"{signal.at:%Y-%m-%d %H:%M}", "dim"),
            (f"  {one_line(signal.id, 40)}", "dim italic"),
        )
        if signal.members and not signal.posts:
            names = ", ".join(one_line(ctx.names(m), 30) for m in signal.members[:12])
            more = len(signal.members) - 12
            head.append("\nMembers: ")
            head.append(names + (f" and {more} more" if more > 0 else ""))
        sections = [
            head,
            posts_table(signal, ctx),
            timeline(signal, ctx),
            reasons_text(signal),
            reply_text(signal, ctx),
            notes_text(note_members(signal, ctx), ctx),
        ]
        parts: list[RenderableType] = []
        for section in sections:
            if section is not None:
                parts += [section, Text("")]
        self.body.update(Group(*parts))

    def scroll_body(self, lines: int) -> None:
        self.body.scroll_relative(y=lines, animate=False)

    def show_pictures(self, paths: Sequence[str]) -> None:
        """Draw the pictures: with textual-image when it was set up before the app started
        (real pixels where the terminal can draw them), else with half blocks."""
        if list(paths) == self._pictures:
            return
        self._pictures = list(paths)
        box = self.query_one("#detail-images", Horizontal)
        box.remove_children()
        box.display = bool(paths)
        if not paths:
            return
        image_module = sys.modules.get("textual_image.widget")
        widgets: list[Widget] = []
        for path in paths:
            try:
                widgets.append(image_module.Image(path) if image_module else HalfBlockPicture(path))
            except Exception:  # a broken picture file must not break triage
                continue
        box.mount_all(widgets)
