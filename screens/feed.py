"""The activity feed: newest posts first, threads opening in place, search, the way into a post.

The feed never reads the whole store. It asks `Store.months()` for the partitions and reads
them newest first, one month at a time, in a thread worker, as the moderator scrolls down.
Because months arrive newest first, every comment newer than a loaded post is already
loaded when the post is, so comment counts and threads come from memory, exactly, without
the post index. A search or a member's posts reach further back and read what they need.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input
from textual.worker import get_current_worker

from console.context import Tact
from console.feed_head import FIRST_PAGE, Entry, FeedHead, read_head, read_newest, write_head
from console.safe_text import one_line
from console.store import Store, month_of
from heuristics.model import Post
from screens.frame import wait_until_painted
from screens.messages import StoreChanged
from screens.widgets.post_list import ColumnHeader, PostList, Row
from screens.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    # Imported when a post is first opened, not at launch.
    from screens.post_view import KnownPost

#: Posts to read each time the moderator nears the end of what is loaded.
NEXT_PAGE = 300
#: A search stops after this many matches; a moderator refines rather than scrolls 10k hits.
MAX_RESULTS = 2000
#: Seconds of quiet typing before the search runs.
SEARCH_DELAY = 0.25

View = Literal["feed", "search", "member"]


def _entries(rows: list[Row]) -> list[Entry]:
    return [Entry(r.post, r.comments) for r in rows if r.depth == 0]


class FeedSource:
    """The feed's reading of the store, month by month, newest first.

    Used by one worker at a time (the screen never starts a second load while one runs);
    the UI thread only reads `children` and `names`.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.generation = store.generation()
        self.pending: list[str] = list(reversed(store.months()))
        self.names: dict[str, str] = store.member_names()
        self.children: defaultdict[str, list[Post]] = defaultdict(list)
        self.by_id: dict[str, Post] = {}
        """Every post of the loaded months (references to the store's cached lists)."""
        self.oldest: str | None = None
        self.loaded = 0
        """Top-level posts handed out so far."""

    @property
    def more(self) -> bool:
        return bool(self.pending)

    def next_rows(self, at_least: int) -> list[Row]:
        """Read months until `at_least` more top-level posts are found (or none are left)."""
        top, oldest = read_newest(self.store, self.pending, at_least, self.by_id, self.children)
        self.oldest = oldest or self.oldest
        self.loaded += len(top)
        return [Row(p, comments=len(self.children.get(p.id, ()))) for p in top]

    def knows_thread_of(self, post: Post) -> bool:
        """True when every answer to `post` is loaded (its month and all newer ones are)."""
        return self.oldest is not None and month_of(post.created_at) >= self.oldest

    def known(self, post: Post) -> KnownPost | None:
        """The post with its comments and parent, if all of them are in memory."""
        parent = self.by_id.get(post.parent) if post.parent is not None else None
        if not self.knows_thread_of(post) or (post.parent is not None and parent is None):
            return None
        from screens.post_view import KnownPost

        comments = sorted(self.children.get(post.id, ()), key=lambda p: (p.created_at, p.id))
        return KnownPost(post, comments, parent, self.names)

    def child_rows(self, post_id: str) -> list[Row]:
        kids = sorted(self.children.get(post_id, ()), key=lambda p: (p.created_at, p.id))
        return [Row(c, comments=len(self.children.get(c.id, ()))) for c in kids]


# -- what the workers send back ------------------------------------------------------------


@dataclass
class FeedLoaded(Message):
    source: FeedSource
    rows: list[Row]
    reset: bool


@dataclass
class HeadLoaded(Message):
    head: FeedHead


@dataclass
class ResultsFound(Message):
    token: int
    rows: list[Row]
    done: bool
    where: str = ""
    """The month being searched, for the status line."""


@dataclass
class ChildrenFound(Message):
    post_id: str
    rows: list[Row]


class StatusLine(Widget):
    """One line under the list. Not a `Static`: its update asks for a layout pass of the whole
    screen, which costs more than the keypress it reports on."""

    text: reactive[Text] = reactive(Text, layout=False)

    def render(self) -> Text:
        return self.text


class FeedScreen(Screen[None]):
    """Newest posts first; `enter` opens one, `space` opens its thread in place."""

    CSS_PATH = "feed.tcss"
    AUTO_FOCUS = "#posts"
    HELP = (
        "The feed lists posts and introductions, newest first, with their comments folded "
        "underneath. Older months load as you scroll. Search finds text or author names; "
        "a lists every post of the highlighted post's author."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="Find posts by text or author name", id="feed-search"),
        Binding("escape", "clear", "Back to feed", tooltip="Leave the search and go back to the feed"),
        Binding("a", "author", "Author", show=False, tooltip="Every post and comment of this post's author"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the store again now"),
    ]

    def __init__(self, tact: Tact, head: Future[FeedHead | None] | None = None) -> None:
        super().__init__()
        self.tact = tact
        self._early_head = head
        """The saved first page being read since launch (`read_head_soon`), if it is."""
        self._source: FeedSource | None = None
        self._head: FeedHead | None = None
        """The saved first page, while it stands in for the store (see `console.feed_head`)."""
        self._head_painted = threading.Event()
        """Set once the saved first page is on screen: the loader waits for it."""
        self._loading = False
        self._view: View = "feed"
        self._saved: tuple[list[Row], int] | None = None
        """The feed's rows and cursor while a search or a member's posts are shown."""
        self._token = 0
        """Bumped by each search so results of an older one are dropped."""
        self._results_title = ""
        self._results_where = ""
        self._results_done = True
        self._search_timer: Timer | None = None
        self._index_counts: tuple[int, Counter[str]] | None = None

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The search box is mounted on the first `/` (see `action_search`), not at launch:
        # hidden until then, it would only cost its stylesheet before the first frame.
        yield Header()
        yield ColumnHeader()
        yield PostList(self._name_of, self.tact.now, id="posts")
        yield StatusLine(id="status")
        yield SteadyFooter()

    @property
    def post_list(self) -> PostList:
        return self.query_one(PostList)

    def _name_of(self, member_id: str) -> str:
        if self._source is not None:
            names = self._source.names
        elif self._head is not None:
            names = self._head.names
        else:
            return member_id
        return names.get(member_id, member_id)

    def on_mount(self) -> None:
        self.post_list.focus()
        early, self._early_head = self._early_head, None
        shown = None
        if early is not None and early.done() and early.exception() is None:
            shown = early.result()
        if shown is not None:
            # Read while Textual was imported: the first frame shows the rows.
            self._show_head(shown)
            self.call_after_refresh(self._head_painted.set)
        else:
            self.post_list.loading = True
            self._set_status(Text("Reading the newest posts…"))
        self._start_load(reset=True, early=early, shown=shown)

    def on_screen_resume(self) -> None:
        if self._source is not None and self._source.generation != self.tact.store.generation():
            self._start_load(reset=True)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        if self._source is None or self._source.generation != message.generation:
            self._start_load(reset=True)

    # -- the public door for other screens -------------------------------------------------

    def show_post(self, post_id: str) -> None:
        """Put the cursor on `post_id` if it is in the list, and open it."""
        from screens.post_view import PostViewScreen

        index = self.post_list.index_of(post_id)
        if index is not None:
            self.post_list.cursor = index
        post = self._source.by_id.get(post_id) if self._source is not None else None
        known = self._source.known(post) if self._source is not None and post is not None else None
        self.app.push_screen(PostViewScreen(self.tact, post_id, known))

    def show_member(self, member_id: str) -> None:
        """List every post and comment of `member_id`, newest first (escape returns)."""
        self._enter_results("member", f"Posts by {self._name_of(member_id)}")
        self._member_posts(member_id, self._token)

    # -- loading the feed ------------------------------------------------------------------

    def _start_load(
        self, reset: bool, early: Future[FeedHead | None] | None = None, shown: FeedHead | None = None
    ) -> None:
        """Read the store (`reset`: from the newest month again; else the next page).

        `early` is the saved first page being read since launch, `shown` that page when it is
        already on screen; without them the first load reads the page itself."""
        if reset:
            # A reload must win over a page load still running; the older one's result is
            # dropped in `_feed_loaded` because its source is no longer current.
            rows = self._saved[0] if self._saved is not None else self.post_list.rows
            want = max(FIRST_PAGE, sum(1 for r in rows if r.depth == 0))
            self._loading = True
            self._load(None, want, first=self._source is None, early=early, shown=shown)
        elif not self._loading and self._source is not None and self._source.more:
            self._loading = True
            self._load(self._source, NEXT_PAGE)

    @work(thread=True, group="feed-load", exit_on_error=False)
    def _load(
        self,
        source: FeedSource | None,
        want: int,
        first: bool = False,
        early: Future[FeedHead | None] | None = None,
        shown: FeedHead | None = None,
    ) -> None:
        store = self.tact.store
        head = shown
        if first and head is None:
            head = early.result() if early is not None else read_head(store)
            if head is not None:
                self.post_message(HeadLoaded(head))
        if head is not None:
            # Paint the saved first page now and read the store behind it, once it is on
            # screen: parsing a month holds the GIL long enough to delay that first paint.
            wait_until_painted(self._head_painted)
        reset = source is None
        if source is None:
            source = FeedSource(store)
        rows = source.next_rows(want)
        if reset and head is None and rows:
            # Saved first, even before the community name is known: the app may be closed
            # as soon as the page is on screen, and the next launch wants it.
            write_head(store, source.generation, _entries(rows), source.names, None)
        self.post_message(FeedLoaded(source, rows, reset))
        if not reset:
            return
        name = head.community if head is not None else None
        if name is None:
            community = store.community()
            name = (community.name or community.id) if community is not None else ""
            if rows:
                write_head(store, source.generation, _entries(rows), source.names, name)
        self.app.call_from_thread(self._set_community, name)

    def _set_community(self, name: str) -> None:
        self.app.sub_title = one_line(name, 60)

    @on(HeadLoaded)
    def _head_loaded(self, message: HeadLoaded) -> None:
        if self._source is not None or self.post_list.rows:
            self._head_painted.set()
            return  # the store was quicker
        self._show_head(message.head)
        self.call_after_refresh(self._head_painted.set)

    def _show_head(self, head: FeedHead) -> None:
        self._head = head
        self.post_list.loading = False
        self.post_list.set_rows([Row(e.post, comments=e.comments) for e in head.rows])
        if head.community is not None:
            self._set_community(head.community)
        self._set_status(Text.assemble(("Newest first", "bold"), (" · reading the store…", "dim italic")))

    @on(FeedLoaded)
    def _feed_loaded(self, message: FeedLoaded) -> None:
        if not message.reset and message.source is not self._source:
            return  # a page of a source a reload replaced
        self._loading = False
        self._source = message.source
        self._head = None
        post_list = self.post_list
        post_list.loading = False
        if message.reset:
            # Keep the cursor on its post and the open threads open: a reload (or the real
            # rows replacing the saved first page) must not move what the moderator reads.
            in_feed = self._view == "feed"
            rows, cursor = (post_list.rows, post_list.cursor) if in_feed else (self._saved or ([], 0))
            keep = rows[min(cursor, len(rows) - 1)].post.id if rows else None
            expanded = [r.post.id for r in rows if r.expanded]
            post_list.more_available = in_feed and message.source.more
            post_list.set_rows(list(message.rows))
            self._reopen(expanded)
            if keep is not None and (i := post_list.index_of(keep)) is not None:
                post_list.cursor = i
            if not in_feed:
                self._saved = (list(post_list.rows), post_list.cursor)
                post_list.set_rows(rows)  # the results stay on screen
        elif self._view == "feed":
            post_list.more_available = message.source.more
            post_list.append_rows(message.rows)
        elif self._saved is not None:
            self._saved[0].extend(message.rows)
        self._refresh_status()

    def _reopen(self, expanded: Sequence[str]) -> None:
        source = self._source
        if source is None:
            return
        for post_id in expanded:
            index = self.post_list.index_of(post_id)
            if index is not None and source.knows_thread_of(self.post_list.rows[index].post):
                self.post_list.expand_at(index, source.child_rows(post_id))

    @on(PostList.NearEnd)
    def _near_end(self) -> None:
        if self._view == "feed":
            self._start_load(reset=False)

    # -- threads and posts -----------------------------------------------------------------

    @on(PostList.ExpandRequested)
    def _expand(self, message: PostList.ExpandRequested) -> None:
        source = self._source
        if source is not None and source.knows_thread_of(message.row.post):
            self.post_list.expand_at(message.index, source.child_rows(message.row.post.id))
        else:
            self._children(message.row.post.id)

    @work(thread=True, group="children", exit_on_error=False)
    def _children(self, post_id: str) -> None:
        counts = self._counts()
        rows = [Row(c, comments=counts[c.id]) for c in self.tact.store.children(post_id)]
        self.post_message(ChildrenFound(post_id, rows))

    @on(ChildrenFound)
    def _children_found(self, message: ChildrenFound) -> None:
        index = self.post_list.index_of(message.post_id)
        if index is not None:
            self.post_list.expand_at(index, message.rows)

    @on(PostList.Selected)
    def _open(self, message: PostList.Selected) -> None:
        self.show_post(message.row.post.id)

    def _counts(self) -> Counter[str]:
        """Answers per post over the whole store, from the post index (worker threads only)."""
        store = self.tact.store
        generation = store.generation()
        if self._index_counts is None or self._index_counts[0] != generation:
            index = store.post_index()
            self._index_counts = (generation, Counter(p for p in index.parent if p is not None))
        return self._index_counts[1]

    # -- search and a member's posts -------------------------------------------------------

    async def action_search(self) -> None:
        search = self._search_box()
        if search is None:
            search = Input(
                placeholder="Search text or author · enter: browse the results · escape: back",
                id="search",
                compact=True,
            )
            await self.mount(search, after=self.query_one(Header))
        self.add_class("-searching")
        self.refresh_bindings()
        search.focus()

    def _search_box(self) -> Input | None:
        found = self.query("#search").results(Input)
        return next(found, None)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        query = event.value.strip()
        if not query:
            self._token += 1
            self._leave_results()
            return
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._run_search(query))

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        query = event.value.strip()
        if query and (self._view != "search" or self._results_title != _search_title(query)):
            self._run_search(query)
        self.post_list.focus()

    def _run_search(self, query: str) -> None:
        self._enter_results("search", _search_title(query))
        self._search(query, self._token)

    def _enter_results(self, view: View, title: str) -> None:
        if self._view == "feed":
            self._saved = (list(self.post_list.rows), self.post_list.cursor)
        self._view = view
        self._token += 1
        self._results_title = title
        self._results_where = ""
        self._results_done = False
        self.post_list.more_available = False
        self.post_list.set_rows([])
        self.post_list.loading = True
        self._refresh_status()
        # What escape and `a` do depends on the view: the footer must follow.
        self.refresh_bindings()

    def _leave_results(self) -> None:
        if self._view == "feed":
            return
        self._view = "feed"
        rows, cursor = self._saved or ([], 0)
        self._saved = None
        self.post_list.loading = False
        self.post_list.more_available = self._source is not None and self._source.more
        self.post_list.set_rows(rows, cursor)
        self._refresh_status()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, token: int) -> None:
        worker = get_current_worker()
        store = self.tact.store
        needle = query.casefold()
        names = store.member_names()
        authors = {m for m, name in names.items() if needle in name.casefold() or needle == m.casefold()}
        # Months are read newest first, so every answer to a matching post is counted
        # before the post itself is reached: counts come without the post index.
        answers: Counter[str] = Counter()
        found = 0
        loaded_from = self._source.oldest if self._source is not None else None
        for month in reversed(store.months()):
            if worker.is_cancelled:
                return
            # Months the feed holds come from the store's cache; older ones through a
            # throw-away reader, so a search of five years leaves one month in memory, not all.
            reader = store if loaded_from is not None and month >= loaded_from else Store(store.root)
            posts = reader.posts_in_month(month)
            answers.update(p.parent for p in posts if p.parent is not None)
            hits = [
                Row(p, comments=answers[p.id], match=needle)
                for p in reversed(posts)
                if p.author in authors or needle in p.text.casefold()
            ][: MAX_RESULTS - found]
            found += len(hits)
            self.post_message(ResultsFound(token, hits, done=False, where=month))
            if found >= MAX_RESULTS:
                break
        self.post_message(ResultsFound(token, [], done=True))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _member_posts(self, member_id: str, token: int) -> None:
        counts = self._counts()
        posts = self.tact.store.posts_by(member_id)
        rows = [Row(p, comments=counts[p.id]) for p in reversed(posts)]
        self.post_message(ResultsFound(token, rows, done=True))

    @on(ResultsFound)
    def _results(self, message: ResultsFound) -> None:
        if message.token != self._token or self._view == "feed":
            return
        post_list = self.post_list
        post_list.loading = False
        if message.rows:
            post_list.append_rows(message.rows)
        self._results_where = message.where
        self._results_done = message.done
        self._refresh_status()

    def action_clear(self) -> None:
        self._token += 1
        if self._search_timer is not None:
            self._search_timer.stop()
        if (search := self._search_box()) is not None:
            with search.prevent(Input.Changed):
                search.value = ""
        self.remove_class("-searching")
        self.refresh_bindings()
        self._leave_results()
        self.post_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            # Shown only when there is something to leave.
            return self._view != "feed" or self.has_class("-searching")
        if action == "author":
            return self._view != "member"
        return True

    def action_author(self) -> None:
        row = self.post_list.row
        if row is not None:
            self.show_member(row.post.author)

    def action_reload(self) -> None:
        self._start_load(reset=True)

    # -- status line ------------------------------------------------------------------------

    def _set_status(self, text: Text) -> None:
        self.query_one(StatusLine).text = text

    def _refresh_status(self) -> None:
        post_list = self.post_list
        if self._view != "feed":
            n = len(post_list.rows)
            text = Text.assemble((self._results_title, "bold"), f" · {n:,} post{'s' if n != 1 else ''}")
            if not self._results_done:
                text.append(f" · searching {self._results_where or '…'}", style="italic")
            elif self._view == "search" and n >= MAX_RESULTS:
                text.append(f" · first {MAX_RESULTS:,} shown, refine the search", style="italic")
            text.append(" · escape: back to the feed", style="dim")
            self._set_status(text)
            return
        source = self._source
        if source is None or not post_list.rows:
            self._set_status(
                Text("No posts yet. Import a community file: tact --data DIR import FILE", style="italic")
            )
            return
        text = Text.assemble(
            ("Newest first", "bold"),
            f" · {source.loaded:,} posts back to {source.oldest}",
        )
        text.append(" · scroll for older" if source.more else " · everything loaded", style="dim")
        # No cursor position here: a line repainted at the bottom with the cursor's line near the
        # top widens each keypress's screen update to everything between them.
        self._set_status(text)


def _search_title(query: str) -> str:
    # The query is the moderator's own text, but it may be pasted from a post: one line, no escapes.
    return f"Search “{one_line(query, 40)}”"
