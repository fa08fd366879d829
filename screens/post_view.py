"""One post in full: its text wrapped, its pictures, its comments and the notes on its author."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from console.audit import Action, member_notes
from console.context import Tact
from console.safe_text import one_line, plain
from heuristics.model import Post
from screens.widgets.post_card import body, byline, card
from screens.widgets.steady_footer import SteadyFooter


@dataclass(frozen=True)
class KnownPost:
    """What the opener already holds in memory, so a post opens without the post index.

    At a million posts the first `Store.post` loads an index of every post (seconds); the
    feed has the post, its comments and the names at hand for everything it shows.
    """

    post: Post
    comments: list[Post]
    parent: Post | None
    names: dict[str, str]


@dataclass
class PostLoaded(Message):
    post: Post | None
    parent: Post | None = None
    comments: list[Post] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[Action] = field(default_factory=list)


class PostBody(VerticalScroll):
    """The scrolling body of the post view (named for the key help)."""

    HELP_TITLE = "scrolling"


class PostViewScreen(Screen[None]):
    """A post, read in full. `escape` goes back to the list it came from."""

    CSS_PATH = "post_view.tcss"
    HELP = "One post in full: the text, the pictures, every comment, and the moderators' notes on its author."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", tooltip="Back to the list"),
        Binding("u", "parent", "Parent", tooltip="Open the post this comment answers"),
        Binding("j", "scroll('down')", "Down", show=False, tooltip="Scroll down"),
        Binding("k", "scroll('up')", "Up", show=False, tooltip="Scroll up"),
        Binding("space", "scroll('page_down')", "Page down", show=False, tooltip="One screen further"),
    ]

    def __init__(self, tact: Tact, post_id: str, known: KnownPost | None = None) -> None:
        super().__init__()
        self.tact = tact
        self.post_id = post_id
        self.post: Post | None = None
        self._known = known

    def compose(self) -> ComposeResult:
        yield Header()
        yield PostBody(id="body")
        yield SteadyFooter()

    def on_mount(self) -> None:
        scroll = self.query_one("#body", VerticalScroll)
        scroll.loading = True
        scroll.focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        store = self.tact.store
        known = self._known
        if known is not None and known.post.id == self.post_id:
            notes = member_notes(self.tact.audit.entries()).get(known.post.author, [])
            self.post_message(PostLoaded(known.post, known.parent, known.comments, known.names, notes))
            return
        post = store.post(self.post_id)
        if post is None:
            self.post_message(PostLoaded(None))
            return
        parent = store.post(post.parent) if post.parent else None
        comments = store.children(post.id)
        notes = member_notes(self.tact.audit.entries()).get(post.author, [])
        self.post_message(PostLoaded(post, parent, comments, store.member_names(), notes))

    @on(PostLoaded)
    async def _loaded(self, message: PostLoaded) -> None:
        scroll = self.query_one("#body", VerticalScroll)
        scroll.loading = False
        post = message.post
        self.post = post
        self.refresh_bindings()
        if post is None:
            missing = Text.assemble("No post ", (one_line(self.post_id, 60), "bold"), " here.")
            await scroll.mount(Static(missing))
            return
        now = self.tact.now()

        def name(member_id: str) -> str:
            return message.names.get(member_id, member_id)

        widgets: list[Static] = []
        if message.parent is not None:
            quote = Text("In answer to ", style="dim")
            quote.append_text(byline(message.parent, name(message.parent.author), now))
            quote.append("\n")
            quote.append(one_line(message.parent.text, 300), style="italic")
            widgets.append(Static(quote, classes="parent"))
        widgets.append(Static(byline(post, name(post.author), now), classes="byline"))
        widgets.append(Static(body(post), classes="text"))
        widgets.append(Static(Text(f"id {one_line(post.id, 80)}", style="dim"), classes="meta"))

        widgets.append(_heading(f"Pictures ({len(post.images)})"))
        if post.images:
            widgets.extend(Static(plain(path, keep_newlines=False), classes="item") for path in post.images)
        else:
            widgets.append(Static(Text("none", style="dim"), classes="item"))

        widgets.append(_heading(f"Comments ({len(message.comments)})"))
        if message.comments:
            widgets.extend(Static(card(c, name(c.author), now), classes="comment") for c in message.comments)
        else:
            widgets.append(Static(Text("none yet", style="dim"), classes="item"))

        author = one_line(name(post.author), 60)
        widgets.append(_heading(f"Notes on {author} ({len(message.notes)})"))
        if message.notes:
            for note in reversed(message.notes):
                line = Text.assemble(
                    (one_line(note.moderator, 40), "bold"), (f" · {note.at:%Y-%m-%d %H:%M}\n", "dim")
                )
                line.append_text(plain(note.note or ""))
                widgets.append(Static(line, classes="note"))
        else:
            widgets.append(Static(Text("no notes", style="dim"), classes="item"))
        await scroll.mount_all(widgets)

    def action_back(self) -> None:
        self.dismiss()

    def action_parent(self) -> None:
        if self.post is not None and self.post.parent:
            self.app.switch_screen(PostViewScreen(self.tact, self.post.parent))

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#body", VerticalScroll)
        {"down": scroll.scroll_down, "up": scroll.scroll_up, "page_down": scroll.scroll_page_down}[where]()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "parent":
            return self.post is not None and self.post.parent is not None
        return True


def _heading(title: str) -> Static:
    # `title` is built by this module; the only member content in it went through one_line.
    return Static(Text(title, style="bold"), classes="heading")
