"""Signals for the console and the CLI: the store's data through the engine, statuses merged.

The engine (heuristics/engine.py) is pure; this module does its I/O: it builds the
`CommunityData` from the store, keeps the previous run in `DATA/derived/signals.json`
(signals per kind, the watermark of posts seen, the store generation), and folds the
moderators' statuses from the audit log into the result. A missing or unreadable state
file only means a full recompute.
"""

from __future__ import annotations

import hashlib
import inspect
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from console.audit import moderation_facts, signal_states
from console.context import Tact
from console.errors import BadInput, TactError, os_error_line
from console.gc_pause import gc_paused
from console.hash_view import HashView
from console.member_langs import member_langs
from console.parallel import forked_runner
from console.progress import ProgressBar, quiet
from console.signal_state import (
    STATE_FILE,
    SavedState,
    Stamps,
    StateLost,
    kind_lines,
    read_state,
    signal_from_json,
    signal_to_json,
    write_state,
)
from console.store import Store, ViewFile, file_identity
from console.store_posts import StorePosts
from console.tact_config import TactConfig, detector_error_line, load_config
from heuristics import engine as engine_mod
from heuristics.detector import CommunityData
from heuristics.engine import (
    DetectorConfigError,
    Engine,
    RunResult,
    Vouched,
    load_class,
    sort_signals,
)
from heuristics.model import (
    SIGNAL_KINDS,
    Community,
    Signal,
)

# The signal JSON and the state file are written by console/signal_state.py; callers that
# always imported them from here keep doing so.
__all__ = ["STATE_FILE", "signal_from_json", "signal_to_json"]


def store_stamps(store: Store) -> Stamps:
    """The identity of every file the detectors' data comes from.

    The store replaces a file atomically on each write (a new inode, a new mtime), so an
    unchanged stamp means unchanged content: such months need no fingerprinting. The
    layout is the one `console/store.py` documents.
    """
    stamps = {f"posts/{m}": file_identity(store.posts_dir / f"{m}.json") for m in store.months()}
    stamps["images"] = store.images_identity()  # the hashes file and its tail
    stamps["people"] = file_identity(store.root / "community.json")
    return stamps


def vouched_since(saved: SavedState, generation: int, stamps: Stamps, store: Store | None = None) -> Vouched:
    """What the store's stamps show unchanged since `saved`; with the `store`, also which
    pictures were hashed since (when the hashes file changed)."""
    old = saved.stamps
    months = frozenset(
        key.removeprefix("posts/")
        for key, value in stamps.items()
        if key.startswith("posts/") and value and old.get(key) == value
    )
    images = old.get("images") == stamps["images"]
    return Vouched(
        everything=saved.generation == generation and old == stamps,
        months=months,
        images=images,
        members=bool(stamps["people"]) and old.get("people") == stamps["people"],
        pictures=None if images or store is None else store.image_paths_since(saved.generation),
    )


#: Where the signal runs keep their view of the picture hashes (`DATA/derived/hash_view.bin`):
#: a fresh `tact signals` then reads only the hashes written since, not 100,000 records.
HASH_VIEW_FILE: ViewFile[HashView] = ViewFile("hash_view.bin", HashView.dump, HashView.load)


# -- the community data ----------------------------------------------------------------------


def load_data(tact: Tact, config: TactConfig | None = None) -> CommunityData:
    """Everything the detectors read, from the store and the audit log."""
    config = config or load_config(tact.settings.config_file)
    store = tact.store
    # Members first: their parse of the community file also gives the community record (the
    # other way round, a fresh process parsed the 50,000 members' file twice).
    members = store.members()
    community = store.community() or Community(id="community")
    index = store.post_index()
    posts = StorePosts(store, index)
    hashes = store.image_view(HashView.build, HashView.updated, HASH_VIEW_FILE)
    return CommunityData(
        community=community,
        members=members,
        posts=posts,
        image_hashes=hashes,
        moderation=moderation_facts(tact.audit.entries()),
        templates=config.templates,
        member_langs=member_langs(store, members, lambda i: posts[i].text),
        table=index,
        lookup=posts.lookup,
        locate=posts.locate,
        month_sums=store.month_sums(),
        lemmatiser=tact.lemmatiser,
        kept=store.kept,
    )


# -- computing -------------------------------------------------------------------------------


def _source_prints(kinds: Iterable[str]) -> dict[str, str]:
    """A hash of each detector module's source: editing a detector's code re-runs it in full."""
    out: dict[str, str] = {}
    for kind in kinds:
        try:
            cls = load_class(kind, engine_mod.REGISTRY)
            if cls is None:
                continue
            src = Path(inspect.getfile(cls)).read_bytes()
        except (OSError, TypeError, ImportError):
            continue
        out[kind] = hashlib.blake2b(src, digest_size=8).hexdigest()
    return out


def build_engine(config: TactConfig, kinds: Iterable[str] | None = None) -> Engine:
    # Read the registry at call time so tests can put fake detectors in it.
    registry = engine_mod.REGISTRY
    chosen = list(registry) if kinds is None else list(kinds)
    try:
        return Engine.build(config.detectors, chosen, registry=registry, extra=_source_prints(chosen))
    except DetectorConfigError as err:
        raise BadInput(detector_error_line(config, err.kind, err.field, err.problem)) from None


def check_kinds(kinds: Iterable[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    chosen = list(dict.fromkeys(kinds))
    for k in chosen:
        if k not in SIGNAL_KINDS:
            raise BadInput(f"unknown signal kind {k!r} (one of {', '.join(SIGNAL_KINDS)})")
    return chosen


def run_engine(
    tact: Tact,
    now: datetime | None = None,
    kinds: Iterable[str] | None = None,
    bar: ProgressBar | None = None,
) -> RunResult:
    """One engine run against the saved state, which it then replaces. Statuses not merged.

    `bar` shows the detectors done (the first run on a big community takes a while)."""
    chosen = check_kinds(kinds)
    now = now or _clock(tact)
    config = load_config(tact.settings.config_file)
    engine = build_engine(config, chosen)
    store = tact.store
    # Frozen after: what the run leaves a console to keep is never walked by the collector.
    with gc_paused(freeze=True):
        return _run_engine(tact, store, engine, now, config, bar)


def warm_signals(tact: Tact, now: datetime | None = None) -> None:
    """Make, in this process, what the signal runs after the next import will reuse
    (`Engine.warm`): a console calls it once its first signals are shown, so that its first
    import costs what the later ones do. Nothing is written. Without a saved state (no run
    yet) there is nothing to warm."""
    now = now or _clock(tact)
    store = tact.store
    config = load_config(tact.settings.config_file)
    engine = build_engine(config)
    with gc_paused(freeze=True):
        saved = store.remembered(STATE_FILE)
        if saved is None:
            saved = read_state(store.derived_path(STATE_FILE))
        if saved is None:
            return
        try:
            engine.warm(load_data(tact, config), now, saved.state)
        except StateLost:  # another console replaced the state meanwhile: the run will see it
            return


def _run_engine(
    tact: Tact, store: Store, engine: Engine, now: datetime, config: TactConfig, bar: ProgressBar | None
) -> RunResult:
    state_path = store.derived_path(STATE_FILE)
    # Nothing kept from a run before in this process (a fresh `tact signals`), known before
    # reading the data puts anything there.
    cold = not store.kept
    # Stamps before reading: a write racing with us then only makes the next run check more.
    generation = store.generation()
    stamps = store_stamps(store)
    # The state this console wrote last is still in memory, its signals too: a console
    # recomputing after an import does not read back what it just wrote.
    saved = store.remembered(STATE_FILE)
    if saved is None:
        read_from = file_identity(state_path)
        saved = read_state(state_path)
        if saved is not None:
            store.remember(STATE_FILE, saved, read_from)
    data = load_data(tact, config)
    previous = saved.state if saved else None
    vouched = vouched_since(saved, generation, stamps, store) if saved else None
    task = (bar or quiet()).task("computing signals", total=len(engine.detectors))
    runner = forked_runner(len(data.posts), cold=cold)
    try:
        result = engine.run(data, now, previous, vouched, progress=task, runner=runner)
    except StateLost:
        # Another console replaced the state (and cleaned its files) while we read it.
        saved = vouched = None
        result = engine.run(data, now, None, None, progress=task, runner=runner)
    if not store.exists():  # nothing imported (or a mistyped --data): create no folders
        return result
    if vouched is not None and vouched.everything and set(result.modes.values()) <= {"reused"}:
        return result  # the saved state is exactly this run's
    try:
        store.remember(STATE_FILE, write_state(state_path, result.state, generation, stamps, saved))
    except OSError as err:
        raise TactError(os_error_line(err, "cannot save the signals state", state_path)) from None
    return result


def _clock(tact: Tact) -> datetime:
    """tact's now; the wall clock is taken to the minute, so that recomputing within the same
    minute (a console refreshing, `tact act` checking an id) reuses the last run whole."""
    now = tact.now()
    return now if tact.fixed_now is not None else now.replace(second=0, microsecond=0)


def last_signals(tact: Tact) -> list[Signal] | None:
    """The signals of the last run as saved (statuses merged), without computing anything:
    for showing something at once while a recompute runs. None when there was no run."""
    found = last_signals_in_two(tact, ())
    return found[0] if found is not None else None


def last_signals_in_two(
    tact: Tact, later: Collection[str]
) -> tuple[list[Signal], Callable[[], list[Signal] | None]] | None:
    """`last_signals` in two steps: the signals of every kind but `later`'s, and a call that
    gives them all (None if the state went meanwhile), reading the state once and decoding no
    kind twice. At a million posts the 46,000 inactive-member check-ins are most of the
    decoding (~1 s) and the bottom of the queue: its top can show first."""
    saved = read_state(tact.store.derived_path(STATE_FILE))
    if saved is None:
        return None
    kinds = saved.state.kinds

    def merged(chosen: Iterable[str]) -> list[Signal] | None:
        try:
            signals = sort_signals(s for kind in chosen for s in kinds[kind].signals)
        except StateLost:
            return None
        return merge_statuses(tact, signals, tact.now())

    first = merged(k for k in kinds if k not in later)
    if first is None:
        return None
    return first, lambda: merged(kinds)


def signal_lines(tact: Tact, signals: Sequence[Signal]) -> list[bytes]:
    """Each signal's FORMATS.md object (`signal_to_json`) encoded: the line the last run
    saved for it when it is a signal that run kept (its status unchanged), else encoded
    here (`kind_lines`, as the state's files are written). At a million posts, encoding the
    50,000 signals again cost `tact signals --json` ~0.6 s after the run had just written them."""
    saved = tact.store.remembered(STATE_FILE)
    previous = saved if isinstance(saved, SavedState) else None
    rows_of: defaultdict[str, list[int]] = defaultdict(list)
    for row, s in enumerate(signals):
        rows_of[s.kind].append(row)
    out = [b""] * len(signals)
    for kind, rows in rows_of.items():
        for row, line in zip(rows, kind_lines(kind, [signals[r] for r in rows], previous), strict=True):
            out[row] = line
    return out


def merge_statuses(tact: Tact, signals: Iterable[Signal], now: datetime) -> list[Signal]:
    """Each signal with the status the moderators gave it (an expired snooze is open)."""
    states = signal_states(tact.audit.entries(), now)
    out = []
    for s in signals:
        st = states.get(s.id)
        status = st.status if st is not None else "open"
        out.append(s if s.status == status else replace(s, status=status))
    return out


def compute_signals(
    tact: Tact, now: datetime | None = None, kinds: Iterable[str] | None = None
) -> list[Signal]:
    """What is due at `now` (default: tact's now), most urgent first, statuses merged.

    Incremental: only what the posts imported since the last run can change is re-examined.
    A detector that raises keeps showing its previous signals; `run_engine` (which the CLI
    uses) also says which detectors failed.
    """
    now = now or _clock(tact)
    result = run_engine(tact, now, kinds)
    return merge_statuses(tact, result.signals, now)
