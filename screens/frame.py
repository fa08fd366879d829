"""Letting a frame reach the terminal before a worker thread holds the interpreter.

Parsing a month of posts or the post index is one long call into orjson or a dict build that
holds the GIL for a few hundred milliseconds at a million posts: started just after a screen
was given something to show, it keeps the UI thread from painting it. A worker waits here
first.
"""

from __future__ import annotations

import threading
import time

from textual.widget import Widget

#: Seconds given to the terminal after the refresh. The first refresh after a mount may be one
#: Textual makes inside its start-up batch and never writes out; the frame that reaches the
#: terminal comes ~0.1 s (CPU) later, and a long call must not start before it, even on a busy
#: machine.
FRAME_GRACE = 0.35


def wait_until_painted(painted: threading.Event, timeout: float = 2.0) -> None:
    """From a worker: return once `painted` is set (by a `call_after_refresh`) and the frame
    has had time to go out."""
    painted.wait(timeout)
    time.sleep(FRAME_GRACE)


def wait_for_frame(widget: Widget, timeout: float = 2.0) -> None:
    """From a worker: return once `widget`'s next refresh is done and its frame out."""
    painted = threading.Event()
    widget.app.call_from_thread(widget.call_after_refresh, painted.set)
    wait_until_painted(painted, timeout)
