"""Member content is hostile: the one way it becomes something a widget may show.

Everything a member wrote (text, names, file names, error messages quoting them) goes
through `clean` before any widget, and reaches widgets only as `rich.text.Text` built with
`plain`, never as a markup string.
"""

from __future__ import annotations

import re

from rich.text import Text

# CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings and single-character escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"
)


def clean(value: object, keep_newlines: bool = True) -> str:
    """`value` as text with escape sequences and control characters removed.

    Tabs become spaces; newlines are kept unless `keep_newlines` is false (then spaces).
    Unicode format characters that reorder text (bidi overrides) are dropped as well.
    Runs as three regex passes, not a loop per character: the feed cleans every visible
    preview on each repaint, and a member may paste 10,000 characters.
    """
    text = _ESCAPES.sub("", str(value))
    text = _DROP.sub("", text.replace("\r\n", "\n"))
    text = text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return text if keep_newlines else text.replace("\n", " ")


#: C0 and C1 controls but tab and newline (handled above), lone surrogates, and the
#: invisible marks and overrides that reorder text (bidi): what `unicodedata` calls Cc and
#: Cs, plus the bidi format characters.
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""The bidi characters `clean` drops (kept public for tests)."""


def plain(value: object, style: str = "", keep_newlines: bool = True) -> Text:
    """A `Text` holding `value` literally: brackets stay brackets, escapes are gone."""
    return Text(clean(value, keep_newlines), style=style)


def one_line(value: object, limit: int | None = None) -> str:
    """`clean` on one line, whitespace folded, cut to `limit` characters with an ellipsis."""
    text = " ".join(clean(value, keep_newlines=False).split())
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text
