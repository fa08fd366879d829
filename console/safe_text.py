"""Member content is hostile: the one way it becomes something a widget may show.

Everything a member wrote (text, names, file names, error messages quoting them) goes
through `clean` before any widget, and reaches widgets only as `rich.text.Text` built with
`plain`, never as a markup string.
"""

from __future__ import annotations

import re
import unicodedata

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
    """
    text = _ESCAPES.sub("", str(value))
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append("\n" if keep_newlines else " ")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI:
            continue
        else:
            out.append(ch)
    return "".join(out)


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def plain(value: object, style: str = "", keep_newlines: bool = True) -> Text:
    """A `Text` holding `value` literally: brackets stay brackets, escapes are gone."""
    return Text(clean(value, keep_newlines), style=style)


def one_line(value: object, limit: int | None = None) -> str:
    """`clean` on one line, whitespace folded, cut to `limit` characters with an ellipsis."""
    text = " ".join(clean(value, keep_newlines=False).split())
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text
