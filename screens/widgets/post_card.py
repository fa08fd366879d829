"""A post as a block of text: who, when, what kind, then the text itself, all literal.

Shared by the post view (the post and each comment) and any screen that quotes a post.
Every piece of member content goes through `safe_text.plain`: brackets stay brackets.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from console.safe_text import one_line, plain
from heuristics.model import Post
from screens.widgets.reltime import relative_time

KIND_NAMES = {"post": "post", "introduction": "introduction", "comment": "comment"}


def byline(post: Post, author: str, now: datetime) -> Text:
    """One line: who, what kind, when (e.g. Louis Favre · introduction · 3 h ago (date UTC))."""
    return Text.assemble(
        (one_line(author, 60), "bold"),
        " · ",
        (KIND_NAMES.get(post.kind, one_line(post.kind, 20)), "italic"),
        " · ",
        relative_time(post.created_at, now),
        (f" ({post.created_at:%Y-%m-%d %H:%M} UTC)", "dim"),
    )


def body(post: Post) -> Text:
    """The full text, newlines kept, wrapped by whatever shows it."""
    if not post.text.strip():
        return Text("(no text)", style="dim italic")
    return plain(post.text)


def card(post: Post, author: str, now: datetime) -> Text:
    """Byline, then the text, then a line naming the pictures, as one `Text`."""
    text = byline(post, author, now)
    text.append("\n")
    text.append_text(body(post))
    if post.images:
        text.append(f"\n{len(post.images)} picture{'s' if len(post.images) > 1 else ''}", style="dim")
    return text
