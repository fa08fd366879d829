"""Bulk work with the cyclic garbage collector paused.

Reading a million posts creates millions of container objects (orjson's dicts, `Post`s,
tuples) that all live to the end of the run; the collector, triggered by allocation counts,
scans them over and over for cycles they do not have. Measured at 1M posts: parsing the
month files 8.9 → 3.1 s, building the posts 9.3 → 5.9 s, a full signal run 101 → 77 s.
Reference counting still frees everything; only cycles wait until the collector is back on.

A signal run also leaves behind what a console keeps until the next one (the post index's
columns, the id -> row map, the signals): millions of references the collector would walk
at its next pass, which it makes at once since everything allocated in the block is young
(~0.3 s at 1M posts, on the console's UI thread), and again each time they move up a
generation. `gc_paused(freeze=True)` moves every object alive at the end of the block into
the collector's permanent generation (`gc.freeze`, as CPython documents for long-lived
servers): never walked again, still freed by reference counting when dropped. The price is
that garbage cycles alive at that moment are never collected: a few kilobytes of a run's
leftovers and the widgets of a screen closed later, bounded by the number of runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """The collector off for the block, back as it was after (with `freeze`, everything
    alive then frozen first). Overlapping uses from two threads never leave it off: the first
    to leave turns it back on (the other then runs with it on, slower, never wrong)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()
