"""Times as a moderator reads them at a glance: "3 h ago", "2 d ago", then the date."""

from __future__ import annotations

from datetime import datetime, timedelta


def relative_time(then: datetime, now: datetime) -> str:
    """How long before `now` `then` was, in the largest unit that reads naturally.

    Past two months the exact day says more than "9 w ago", so the date is shown instead.
    A time slightly in the future (clock skew between sources) reads as "just now".
    """
    delta = now - then
    seconds = int(delta.total_seconds())
    if seconds < -120:
        return f"in {_span(-seconds)}"
    if seconds < 60:
        return "just now"
    if delta >= timedelta(weeks=9):
        return then.strftime("%Y-%m-%d")
    return f"{_span(seconds)} ago"


def _span(seconds: int) -> str:
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    if hours < 24:
        return f"{hours} h"
    if days < 14:
        return f"{days} d"
    if days < 63:
        return f"{days // 7} w"
    return f"{days // 30} mo"
