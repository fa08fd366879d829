"""The demo community: "Chats diabétiques", built deterministically from a seed.

A French-speaking support group for owners of diabetic cats with ~15% English-speaking
members, on a fixed clock (the community ends at NOW). Members join over the years as the
group grows; 1.5% create, 9.5% comment, 4% only introduce themselves, the rest lurk (the
90-9-1 shape). Posts follow the daily and weekly rhythm of such a group (evenings,
weekends, hypoglycaemia emergencies at night). Every signal kind of FORMATS.md is planted
in both languages and written to truth.json beside the community file:

    {"seed", "now", "scale", "signals": [{"kind", "posts", "members", "lang", "window"?}],
     "inactive_members": [...], "onboarding": [{"member", "step"}]}

`inactive_members` and `onboarding` are computed from the generated data by the rules
below (`inactive_rule`, `onboarding_rule`), so they list every case, planted or not.

The generator streams: events are planned as small tuples, then written in time order
one line at a time, so a million posts fit in memory.
"""

from __future__ import annotations

import math
import os
import random
import re
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import imagehash
import numpy as np
import orjson
from PIL import Image

from console import demo_text as T
from console.demo_pictures import base_picture, jpeg_bytes, repost
from console.errors import BadInput
from console.progress import ProgressBar, quiet
from heuristics.model import Lang

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DEFAULT_SEED = 7
DEFAULT_SCALE = 20_000
MIN_SCALE = 500
DAY = 86_400
HOUR = 3_600
INACTIVE_WEEKS = 8
CHECKIN_DAYS = 61  # two months before NOW (Sept 20 -> Nov 20)
ANNIVERSARY_DAYS = 365
DUE_DAYS = 7  # an onboarding step is due during the week after its date
OFF_TOPIC_DAYS = 28
OFF_TOPIC_SHARE = 0.45
QUIET_ACCEPT = 0.1
#: Two past weeks where the group went quiet (summer holidays, a February lull).
QUIET_WINDOWS: tuple[tuple[str, Lang], ...] = (("2026-08-10", "fr"), ("2026-02-09", "en"))

# Local (Paris) hour and weekday weights: evenings and weekends are busy, nights are not.
_HOURS = (
    0.35,
    0.25,
    0.2,
    0.15,
    0.15,
    0.2,
    0.5,
    0.9,
    1.0,
    0.8,
    0.7,
    0.7,
    0.9,
    0.9,
    0.7,
    0.7,
    0.8,
    1.0,
    1.3,
    1.5,
    1.7,
    1.7,
    1.3,
    0.7,
)
_WEEKDAYS = (0.9, 0.9, 0.9, 0.9, 1.0, 1.25, 1.3)
_RHYTHM_MAX = max(_HOURS) * max(_WEEKDAYS)
_LOCAL_OFFSET = HOUR  # the group's members mostly live in UTC+1


@lru_cache(maxsize=8192)
def _iso_day(day: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(day * DAY))


_PICTURE_NAME = re.compile(r"p\d+-\d+\.jpg")


def iso(ts: float) -> str:
    """ISO-8601 UTC to the second (the day part cached: a million posts share ~2,000 days)."""
    day, rest = divmod(int(ts), DAY)
    hour, rest = divmod(rest, HOUR)
    return f"{_iso_day(day)}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def members_for(scale: int) -> int:
    """~scale/10 members up to the default size, then sub-linear (1M posts -> ~50,000)."""
    if scale <= DEFAULT_SCALE:
        return max(50, scale // 10)
    return round(2000 * (scale / DEFAULT_SCALE) ** 0.823)


def planted_count(base: int, scale: int) -> int:
    return max(1, round(base * math.sqrt(scale / DEFAULT_SCALE)))


def inactive_rule(joined: float, last_post: float | None, left: float | None, now: float) -> bool:
    """Inactive at `now`: last post or comment more than 8 weeks ago, or never posted and
    joined more than 8 weeks ago. Members who left are never listed."""
    if left is not None:
        return False
    limit = now - INACTIVE_WEEKS * 7 * DAY
    return last_post < limit if last_post is not None else joined < limit


def onboarding_rule(joined: float, left: float | None, now: float) -> list[str]:
    """The personal onboarding steps due at `now`: each is due during the week after its date
    (joining; two months = 61 days after; one year = 365 days after)."""
    if left is not None:
        return []
    steps = []
    for step, days in (("welcome", 0), ("checkin_2m", CHECKIN_DAYS), ("anniversary_1y", ANNIVERSARY_DAYS)):
        due = joined + days * DAY
        if due <= now < due + DUE_DAYS * DAY:
            steps.append(step)
    return steps


def weekly_step(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"weekly:{year}-W{week:02d}"


class _Hashes:
    """A growing array of 64-bit hashes, compared all at once with numpy."""

    def __init__(self) -> None:
        self._data = np.zeros(1024, dtype=np.uint64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, s: slice) -> np.ndarray:
        return self._data[s]

    def append(self, value: np.uint64) -> None:
        if self._n == len(self._data):
            self._data = np.concatenate([self._data, np.zeros(len(self._data), dtype=np.uint64)])
        self._data[self._n] = value
        self._n += 1


def _hashes(img: Image.Image) -> tuple[np.uint64, np.uint64]:
    grey = img.convert("L")
    out = []
    for h in (imagehash.phash(grey), imagehash.dhash(grey)):
        out.append(np.uint64(int.from_bytes(np.packbits(h.hash.flatten()).tobytes(), "big")))
    return out[0], out[1]


def _paint(out: str, size: tuple[int, int], items: list[tuple[str, str]]) -> int:
    """Draw and save organic pictures (a worker process's job): each depends on its key only."""
    for rel, key in items:
        Path(out, rel).write_bytes(jpeg_bytes(base_picture(f"{key}-0", size), 85))
    return len(items)


class _Painter:
    """At large scale, organic pictures are drawn by worker processes while the main process
    writes the text, in batches. Only used when the uniqueness check is off (it needs every
    earlier hash, so it runs in order in the main process)."""

    BATCH = 256

    def __init__(self, out: Path, size: tuple[int, int], bar: ProgressBar) -> None:
        self.out = out
        self.size = size
        self.pending: list[tuple[str, str]] = []
        self.futures: list[Future[int]] = []
        workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)
        self.pool = ProcessPoolExecutor(max(1, workers))
        self.task = bar.task("Drawing pictures")
        self.done = 0

    @classmethod
    @contextmanager
    def maybe(
        cls, out: Path, size: tuple[int, int], enabled: bool, bar: ProgressBar
    ) -> Iterator[_Painter | None]:
        if not enabled:
            yield None
            return
        painter = cls(out, size, bar)
        try:
            yield painter
            painter.flush()
            for future in painter.futures:
                painter.done += future.result()
                painter.task.update(painter.done)
        finally:
            painter.pool.shutdown(cancel_futures=True)

    def add(self, pid: str, k: int, key: str) -> str:
        rel = f"img/{pid}-{k + 1}.jpg"
        self.pending.append((rel, key))
        if len(self.pending) >= self.BATCH:
            self.flush()
        return rel

    def flush(self) -> None:
        if self.pending:
            self.futures.append(self.pool.submit(_paint, str(self.out), self.size, self.pending))
            self.pending = []
        while self.futures and self.futures[0].done():  # keep the progress moving
            self.done += self.futures.pop(0).result()
            self.task.update(self.done)


@dataclass(slots=True)
class _Member:
    join: float
    lang: Lang
    name: str
    cat: str
    role: str  # creator, contributor, intro, lurker, promo
    start: float = 0.0
    end: float = 0.0
    left: float | None = None
    reserved: bool = False  # planted for a member-level signal: never an actor elsewhere
    forced: int = -1  # a fixed number of organic posts
    show_lang: bool = True
    id: str = ""


@dataclass(slots=True)
class _Plant:
    author: int  # member index, or -1 for a stranger
    stranger: str
    kind: str
    text: str
    signal: int | None
    images: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """(base picture key, edits); no edits = the original."""
    parent: str | None = None
    """A plant ref, or "recent" for any recent on-topic thread."""
    ref: str | None = None
    offtopic: bool = False


@dataclass(slots=True)
class _Thread:
    ts: float
    pid: str
    kind: str
    author: int
    offtopic: bool
    planted: bool


class DemoBuilder:
    """Plans then writes one demo community. Use `build(out, seed, scale, bar)`."""

    def __init__(self, seed: int, scale: int, now: datetime = NOW) -> None:
        if scale < MIN_SCALE:
            raise BadInput(f"tact demo: --scale must be at least {MIN_SCALE}")
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(seed)
        self.now_dt = now
        self.now = now.timestamp()
        years = 2 if scale <= 100_000 else 5
        self.start = self.now - years * 365 * DAY
        self.small = scale > 100_000
        self.pic_size = (64, 48) if self.small else (320, 240)
        self.members: list[_Member] = []
        self.plants: list[_Plant] = []
        self.plant_times: list[float] = []
        self.signals: list[dict[str, Any]] = []
        self.window_start = self.now - OFF_TOPIC_DAYS * DAY
        self.quiet = [
            (datetime.fromisoformat(d).replace(tzinfo=UTC).timestamp(), lang) for d, lang in QUIET_WINDOWS
        ]
        self.offtopic_signal: dict[Lang, int] = {}
        self._offtopic_posts: dict[Lang, list[str]] = {"fr": [], "en": []}
        # Picture uniqueness: hashes of every base picture so far (checked up to a size).
        self._painter: _Painter | None = None
        self._phash = _Hashes()
        self._dhash = _Hashes()
        self._bases: dict[str, Image.Image] = {}

    # -- time -----------------------------------------------------------------------------

    def in_quiet(self, ts: float) -> bool:
        return any(q <= ts < q + 7 * DAY for q, _ in self.quiet)

    def rhythm_time(self, a: float, b: float) -> float:
        """A time in [a, b) following the group's daily and weekly rhythm."""
        rng = self.rng.random
        b = min(b, self.now - 60)
        if b <= a:
            return b
        for _ in range(200):
            ts = a + rng() * (b - a)
            local = int(ts) + _LOCAL_OFFSET
            days = local // DAY
            weight = _HOURS[(local % DAY) // HOUR] * _WEEKDAYS[(days + 3) % 7] / _RHYTHM_MAX
            if self.in_quiet(ts):
                weight *= QUIET_ACCEPT
            if rng() < weight:
                return float(int(ts))
        return float(int(a + rng() * (b - a)))

    def _bands(self) -> list[float]:
        n = self.now
        return [
            n - d * DAY
            for d in (
                DUE_DAYS,
                CHECKIN_DAYS,
                CHECKIN_DAYS + DUE_DAYS,
                ANNIVERSARY_DAYS,
                ANNIVERSARY_DAYS + DUE_DAYS,
                INACTIVE_WEEKS * 7,
            )
        ]

    def plant_time(self) -> float:
        """A time for a planted case: the last ~10 months, more often recent, never in a quiet
        week or the off-topic window (so each case is read alone)."""
        for _ in range(100):
            ts = self.now - 30 * DAY - 270 * DAY * self.rng.random() ** 2
            quiet = any(q - DAY <= ts < q + 8 * DAY for q, _ in self.quiet)
            if not quiet and not any(abs(ts - b) < 3 * DAY for b in self._bands()):
                return self.rhythm_time(ts, ts + 6 * HOUR)
        return ts

    # -- members --------------------------------------------------------------------------

    def plan_members(self) -> None:
        rng = self.rng
        n = members_for(self.scale)
        span = self.now - self.start
        bands = self._bands()
        founders = max(3, int(n * 0.03))
        for i in range(n):
            lang: Lang = "en" if rng.random() < 0.15 else "fr"
            while True:
                if i < founders:
                    join = self.start + rng.random() * 10 * DAY
                else:
                    join = self.start + span * math.sqrt(rng.random())
                if join < self.now - HOUR and not any(abs(join - b) < 2 * DAY for b in bands):
                    break
            r = rng.random()
            if i < founders:
                role = "creator" if r < 0.3 else "contributor" if r < 0.8 else "lurker"
            else:
                role = (
                    "creator"
                    if r < 0.015
                    else "contributor"
                    if r < 0.11
                    else "intro"
                    if r < 0.15
                    else "lurker"
                )
            m = _Member(join, lang, T.member_name(rng, lang), T.cat_name(rng), role)
            m.start = join + rng.random() * 3 * DAY
            life = rng.expovariate(1 / (600 * DAY)) if role == "creator" else rng.expovariate(1 / (200 * DAY))
            m.end = min(self.now - 60, m.start + max(life, 7 * DAY))
            m.show_lang = rng.random() > 0.08
            self.members.append(m)
        # Enough members of each language take part for every planted case to have actors.
        for lang in ("fr", "en"):
            active = [m for m in self.members if m.lang == lang and m.role in ("creator", "contributor")]
            quiet = [
                m
                for m in self.members
                if m.lang == lang and m.role == "lurker" and m.join < self.start + span / 2
            ]
            for m in quiet[: max(0, 12 - len(active))]:
                m.role = "contributor"
            for _ in range(12 - len(active) - len(quiet)):  # a very small demo: add founders
                m = _Member(
                    self.start + rng.random() * 30 * DAY,
                    lang,
                    T.member_name(rng, lang),
                    T.cat_name(rng),
                    "contributor",
                )
                m.start, m.end = m.join + DAY, self.now - rng.random() * 200 * DAY
                self.members.append(m)
        # A few members left the group (they are never inactive nor onboarded).
        leavers = max(3, n // 200)
        for m in rng.sample(self.members, leavers):
            if m.join < self.now - 40 * DAY:
                m.left = m.join + (self.now - 5 * DAY - m.join) * rng.uniform(0.3, 0.95)
                m.end = min(m.end, m.left - HOUR)

    def _planted_member(self, lang: Lang, join: float, role: str = "lurker") -> int:
        m = _Member(join, lang, T.member_name(self.rng, lang), T.cat_name(self.rng), role, reserved=True)
        m.start, m.end = join, join
        self.members.append(m)
        return len(self.members) - 1

    def plan_member_signals(self) -> None:
        rng = self.rng
        for lang in ("fr", "en"):
            lang_: Lang = lang
            for step, lo, hi in (
                ("welcome", 1.5, 5.5),
                ("checkin_2m", CHECKIN_DAYS + 1.5, CHECKIN_DAYS + 5.5),
                ("anniversary_1y", ANNIVERSARY_DAYS + 1.5, ANNIVERSARY_DAYS + 5.5),
            ):
                idx = self._planted_member(lang_, self.now - rng.uniform(lo, hi) * DAY)
                self._signal("onboarding", lang_, members=[idx], step=step)
            # Once active, silent for ~11 weeks now.
            idx = self._planted_member(lang_, self.now - 300 * DAY, "contributor")
            m = self.members[idx]
            m.start, m.end, m.forced = m.join + DAY, self.now - 77 * DAY, 8
            self._signal("inactive_member", lang_, members=[idx])
            # Joined five months ago, never posted.
            idx = self._planted_member(lang_, self.now - 150 * DAY)
            self._signal("inactive_member", lang_, members=[idx])

    def _signal(self, kind: str, lang: Lang, members: list[int] | None = None, **extra: Any) -> int:
        self.signals.append(
            {"kind": kind, "posts": [], "members": list(members or []), "lang": lang, **extra}
        )
        return len(self.signals) - 1

    # -- planted posts --------------------------------------------------------------------

    def _actors(self) -> dict[str, list[int]]:
        pools: dict[str, list[int]] = {"fr": [], "en": []}
        for i, m in enumerate(self.members):
            if m.role in ("creator", "contributor") and not m.reserved:
                pools[m.lang].append(i)
        return pools

    def actor(self, lang: Lang, ts: float, avoid: tuple[int, ...] = ()) -> int:
        pool = self.pools[lang] or self.pools["fr"] or self.pools["en"]
        for _ in range(300):
            i = pool[int(self.rng.random() * len(pool))]
            m = self.members[i]
            if i not in avoid and m.join < ts - 3 * DAY and (m.left is None or m.left > ts + DAY):
                return i
        for i in pool:  # the earliest members of that language
            m = self.members[i]
            if i not in avoid and m.join < ts and (m.left is None or m.left > ts):
                return i
        raise RuntimeError("no member can act at that time")

    def add(self, ts: float, plant: _Plant) -> None:
        self.plants.append(plant)
        self.plant_times.append(min(ts, self.now - 60))

    def plan_posts(self) -> None:
        rng, s = self.rng, self.scale
        self.pools = self._actors()
        edits_cycle: tuple[tuple[str, ...], ...] = (
            ("recompress",),
            ("resize", "recompress"),
            ("crop",),
            ("brightness", "resize"),
            ("banner",),
            ("crop", "brightness"),
            ("banner", "resize"),
            ("brightness",),
        )
        e = 0
        langs: tuple[Lang, Lang] = ("fr", "en")
        for lang in langs:
            for g in range(planted_count(6, s)):
                sig = self._signal("image_repost", lang)
                ts = self.plant_time() - 30 * DAY
                first = self.actor(lang, ts)
                key = f"{self.seed}-repost-{lang}-{g}"
                self.add(ts, _Plant(first, "", "post", "", sig, images=[(key, ())]))
                by_one = g == 0  # the first group: one member posts it again and again
                for _ in range(1 + int(rng.random() * 3)):
                    ts = min(ts + rng.uniform(2, 20) * DAY, self.now - DAY)
                    who = first if by_one else self.actor(lang, ts, avoid=(first,))
                    self.add(ts, _Plant(who, "", "post", "", sig, images=[(key, edits_cycle[e % 8])]))
                    e += 1
            for c in range(planted_count(3, s)):
                sig = self._signal("text_repeat", lang)
                ts = self.plant_time() - 20 * DAY
                count = 3 + int(rng.random() * 3)
                used: tuple[int, ...] = ()
                for text in T.chain_variants(rng, lang, c, count):
                    who = self.actor(lang, ts, avoid=used)
                    used += (who,)
                    self.add(ts, _Plant(who, "", "post", text, sig))
                    ts = min(ts + rng.uniform(0.5, 6) * DAY, self.now - DAY)
            for k in range(planted_count(4, s)):
                sig = self._signal("self_promotion", lang)
                join = self.plant_time()
                idx = self._planted_member(lang, join, "promo")
                self.signals[sig]["members"].append(idx)
                text = T.promo_intro(rng, lang, self.members[idx].name, k)
                self.add(join + rng.uniform(1, 30) * HOUR, _Plant(idx, "", "introduction", text, sig))
            for k in range(planted_count(6, s)):
                sig = self._signal("spam", lang)
                stranger = f"v{rng.randrange(100_000, 999_999)}"
                self.add(
                    self.plant_time(),
                    _Plant(-1, stranger, "comment", T.spam_text(rng, lang, k), sig, parent="recent"),
                )
            for k in range(planted_count(3, s)):
                sig = self._signal("against_mission", lang)
                ts = self.plant_time()
                who = self.actor(lang, ts)
                text = T.against_mission_text(rng, lang, k, self.members[who].cat)
                self.add(ts, _Plant(who, "", "post", text, sig))
            for k in range(planted_count(2, s)):
                ts = self.plant_time()
                a = self.actor(lang, ts)
                b = self.actor(lang, ts, avoid=(a,))
                sig = self._signal("conflict", lang, members=[a, b])
                ref = f"conflict-{lang}-{k}"
                root = T.conflict_root(rng, lang, self.members[a].cat, k)
                self.add(ts, _Plant(a, "", "post", root, None, ref=ref))
                for step in range(4):
                    ts += rng.uniform(0.3, 2) * HOUR
                    who, to = (b, a) if step % 2 == 0 else (a, b)
                    text = T.insult(lang, 4 * k + step, self.members[to].name.split()[0])
                    self.add(ts, _Plant(who, "", "comment", text, sig, parent=ref))
            # Off-topic drift: the organic drift in the recent window, plus two sure ones.
            sig = self._signal("off_topic_drift", lang, window=[iso(self.window_start), iso(self.now)])
            self.offtopic_signal[lang] = sig
            for _ in range(2):
                ts = self.rhythm_time(self.window_start + DAY, self.now - DAY)
                who = self.actor(lang, ts)
                self.add(ts, _Plant(who, "", "post", T.off_topic_text(rng, lang), sig, offtopic=True))
        for start, lang in self.quiet:
            self._signal("quiet_group", lang, window=[iso(start), iso(start + 7 * DAY)])

    # -- organic events -------------------------------------------------------------------

    def plan_events(self) -> list[tuple[float, int, int, int]]:
        """(time, order, member index, what): what >= 0 is a plant, -1 organic, -2 introduction."""
        rng = self.rng
        events: list[tuple[float, int, int, int]] = [
            (ts, i, p.author, i) for i, (ts, p) in enumerate(zip(self.plant_times, self.plants, strict=True))
        ]
        organic = self.scale - len(events)
        counts: dict[int, int] = {}
        intro_at: dict[int, float] = {}
        for i, m in enumerate(self.members):
            if m.role == "intro" or (
                m.role in ("creator", "contributor") and not m.reserved and rng.random() < 0.5
            ):
                t = m.join + rng.uniform(0.2, 48) * HOUR
                if t < self.now - 60 and (m.left is None or t < m.left):
                    intro_at[i] = t
            if m.forced >= 0:
                counts[i] = m.forced
        organic -= len(intro_at) + sum(counts.values())
        weights = {
            i: (20.0 if m.role == "creator" else 1.0) * max(m.end - m.start, DAY)
            for i, m in enumerate(self.members)
            if m.role in ("creator", "contributor") and m.forced < 0 and m.end > m.start
        }
        total = sum(weights.values()) or 1.0
        raw = {i: organic * w / total for i, w in weights.items()}
        floor = {i: int(v) for i, v in raw.items()}
        rest = organic - sum(floor.values())
        for i in sorted(raw, key=lambda i: (floor[i] - raw[i], i))[: max(rest, 0)]:
            floor[i] += 1
        counts.update(floor)
        order = len(events)
        for i, t in intro_at.items():
            events.append((t, order, i, -2))
            order += 1
        for i in sorted(counts):
            m = self.members[i]
            for _ in range(counts[i]):
                events.append((self.rhythm_time(m.start, m.end), order, i, -1))
                order += 1
        events.sort()
        return events

    # -- pictures -------------------------------------------------------------------------

    def _unique_base(self, key: str) -> Image.Image:
        """A new base picture, redrawn until its perceptual hashes (phash and dhash, 64 bits)
        are both at least 14 bits away from every earlier base picture's."""
        check = len(self._phash) < 20_000 and not self.small
        img = base_picture(f"{key}-0", self.pic_size)
        for attempt in range(1, 12):
            if not check:
                return img
            ph, dh = _hashes(img)
            n = len(self._phash)
            if n == 0 or (
                np.bitwise_count(self._phash[:n] ^ ph).min() >= 14
                and np.bitwise_count(self._dhash[:n] ^ dh).min() >= 14
            ):
                break
            img = base_picture(f"{key}-{attempt}", self.pic_size)
        self._phash.append(ph)
        self._dhash.append(dh)
        return img

    # -- writing --------------------------------------------------------------------------

    def build(self, out: Path, bar: ProgressBar | None = None) -> dict[str, Any]:
        bar = bar or quiet()
        out.mkdir(parents=True, exist_ok=True)
        (out / "img").mkdir(exist_ok=True)
        # Pictures of an earlier demo written here would linger beside the new ones: remove
        # ours (named p<post>-<n>.jpg), never anything else.
        for old in (out / "img").glob("p*-*.jpg"):
            if _PICTURE_NAME.fullmatch(old.name):
                old.unlink()
        self.plan_members()
        self.plan_member_signals()
        self.plan_posts()
        # Member ids follow joining order (plants keep referring to list positions).
        joined = sorted(self.members, key=lambda m: m.join)
        for rank, m in enumerate(joined, start=1):
            m.id = f"m{rank}"
        events = self.plan_events()
        task = bar.task("Writing the demo community", total=len(events))
        last_post: dict[str, float] = {}
        with (out / "community.jsonl").open("wb") as fh:
            fh.write(
                orjson.dumps(
                    {
                        "type": "community",
                        "id": "chats-diabetiques",
                        "name": "Chats diabétiques",
                        "lang": "fr",
                        "about": "Entraide entre propriétaires de chats diabétiques"
                        " · Support for owners of diabetic cats",
                        "topic": list(T.TOPIC),
                        "off_topic_tolerance": 0.2,
                        "source": "tact demo",
                    }
                )
                + b"\n"
            )
            for m in joined:
                doc: dict[str, Any] = {"type": "member", "id": m.id, "name": m.name, "joined_at": iso(m.join)}
                if m.show_lang or m.reserved:
                    doc["lang"] = m.lang
                if m.left is not None:
                    doc["left_at"] = iso(m.left)
                fh.write(orjson.dumps(doc) + b"\n")
            with _Painter.maybe(out, self.pic_size, self.small, bar) as painter:
                self._painter = painter
                self._write_posts(fh, out, events, last_post, task)
            self._painter = None
        truth = self._truth(last_post, joined)
        (out / "truth.json").write_bytes(orjson.dumps(truth, option=orjson.OPT_INDENT_2) + b"\n")
        return truth

    def _write_posts(
        self,
        fh: Any,
        out: Path,
        events: list[tuple[float, int, int, int]],
        last_post: dict[str, float],
        task: Any,
    ) -> None:
        rng = self.rng
        threads: deque[_Thread] = deque()
        refs: dict[str, str] = {}
        pic = 0
        for n, (ts, _, ai, what) in enumerate(events, start=1):
            pid = f"p{n}"
            while threads and threads[0].ts < ts - 4 * DAY:
                threads.popleft()
            images: list[str] = []
            parent: str | None = None
            thread: _Thread | None = None
            plant = self.plants[what] if what >= 0 else None
            m = self.members[ai] if ai >= 0 else None
            if plant is not None:
                kind, text = plant.kind, plant.text
                author = plant.stranger or (m.id if m else "")
                if plant.parent == "recent":
                    on_topic = [t for t in threads if not t.offtopic and not t.planted]
                    parent = (
                        on_topic[-1 - int(rng.random() * min(len(on_topic), 10))].pid
                        if on_topic
                        else f"p{n - 1}"
                    )
                elif plant.parent is not None:
                    parent = refs[plant.parent]
                for key, edits in plant.images:
                    if not text and m is not None:
                        text = T.post_text(rng, m.lang, "photo", m.cat)
                    img = self._bases.get(key)
                    if img is None:
                        img = self._bases[key] = self._unique_base(key)
                    edited = (
                        repost(
                            img,
                            edits,
                            rng,
                            "" if self.small else ("Trop mignon" if m and m.lang == "fr" else "So cute"),
                        )
                        if edits
                        else img
                    )
                    quality = 60 + int(rng.random() * 25) if edits else 88
                    images.append(self._save(out, pid, len(images), edited, quality))
                if plant.ref is not None:
                    refs[plant.ref] = pid
                if kind != "comment":
                    # Members answer a planted picture or introduction as any other; chain
                    # messages, conflicts and cruelty get no organic replies that could blur them.
                    tkind = "photo" if images else "introduction" if kind == "introduction" else ""
                    thread = _Thread(ts, pid, tkind or "dose", ai, plant.offtopic, not tkind)
            else:
                assert m is not None
                author = m.id
                # About one picture per ten posts: lean on pictures when behind that pace.
                behind = pic < self.scale * n / (10 * len(events))
                kind, text, parent, thread, n_pics = self._organic(ts, ai, m, what == -2, threads, behind)
                for _ in range(n_pics):
                    key = f"{self.seed}-o{pic}"
                    pic += 1
                    if self._painter is not None:  # large scale: drawn by worker processes
                        images.append(self._painter.add(pid, len(images), key))
                    else:
                        images.append(self._save(out, pid, len(images), self._unique_base(key), 85))
            if thread is not None:
                thread.pid = pid
                threads.append(thread)
                if thread.offtopic and not thread.planted and m is not None:
                    self._offtopic_posts[m.lang].append(pid)
            doc: dict[str, Any] = {
                "type": "post",
                "id": pid,
                "author": author,
                "created_at": iso(ts),
                "kind": kind,
                "text": text,
            }
            if images:
                doc["images"] = images
            if parent is not None:
                doc["parent"] = parent
            fh.write(orjson.dumps(doc) + b"\n")
            last_post[author] = ts
            if plant is not None and plant.signal is not None:
                sig = self.signals[plant.signal]
                sig["posts"].append(pid)
                if (
                    ai >= 0
                    and ai not in sig["members"]
                    and sig["kind"] not in ("off_topic_drift", "conflict")
                ):
                    sig["members"].append(ai)
                elif ai < 0:
                    sig["members"].append(author)
            if n % 1000 == 0:
                task.update(n)
        task.update(len(events))

    def _save(self, out: Path, pid: str, k: int, img: Image.Image, quality: int) -> str:
        rel = f"img/{pid}-{k + 1}.jpg"
        (out / rel).write_bytes(jpeg_bytes(img, quality))
        return rel

    def _organic(
        self, ts: float, ai: int, m: _Member, intro: bool, threads: deque[_Thread], behind: bool = False
    ) -> tuple[str, str, str | None, _Thread | None, int]:
        """(kind, text, parent, new thread, number of new pictures) of an organic event."""
        rng = self.rng
        if intro:
            pics = 1 if rng.random() < 0.4 else 0
            return (
                "introduction",
                T.intro_text(rng, m.lang, m.name.split()[0], m.cat),
                None,
                _Thread(ts, "", "introduction", ai, False, False),
                pics,
            )
        p_post = 0.3 if m.role == "creator" else 0.08
        for _ in range(3 if threads and rng.random() > p_post else 0):
            j = len(threads) - 1 - min(len(threads) - 1, int(rng.expovariate(0.12)))
            t = threads[j]
            if t.author != ai and not (t.planted and not t.offtopic):
                starter = self.members[t.author] if t.author >= 0 else m
                if t.offtopic:
                    subject = t.kind.removeprefix("off:") if t.kind.startswith("off:") else ""
                    text = T.off_topic_reply(rng, m.lang, self.members[t.author].name.split()[0], subject)
                else:
                    text = T.reply_text(rng, m.lang, t.kind, starter.cat, starter.name.split()[0])
                return "comment", text, t.pid, None, 0
        if ts >= self.window_start and rng.random() < OFF_TOPIC_SHARE:
            text, subject = T.off_topic_post(rng, m.lang)
            return "post", text, None, _Thread(ts, "", f"off:{subject}", ai, True, False), 0
        hour = ((int(ts) + _LOCAL_OFFSET) % DAY) // HOUR
        if hour < 6 and rng.random() < 0.6:
            kind = "hypo"
        else:
            kind = rng.choices(T.POST_TYPES, T.POST_TYPE_WEIGHTS)[0]
        pics = (2 if rng.random() < 0.15 else 1) if kind == "photo" else (1 if rng.random() < 0.04 else 0)
        if behind and not pics and kind != "hypo" and rng.random() < 0.5:
            pics = 1
        return (
            "post",
            T.post_text(rng, m.lang, kind, m.cat),
            None,
            _Thread(ts, "", kind, ai, False, False),
            pics,
        )

    def _truth(self, last_post: dict[str, float], joined: list[_Member]) -> dict[str, Any]:
        ids = [m.id for m in self.members]
        signals = []
        for sig in self.signals:
            members = [ids[x] if isinstance(x, int) else x for x in sig["members"]]
            signals.append({**sig, "members": members})
        # The organic off-topic posts of the window join their language's drift signal.
        for lang, index in self.offtopic_signal.items():
            signals[index]["posts"] = sorted(
                set(signals[index]["posts"]) | set(self._offtopic_posts[lang]), key=lambda p: int(p[1:])
            )
        inactive = [m.id for m in joined if inactive_rule(m.join, last_post.get(m.id), m.left, self.now)]
        onboarding = [
            {"member": m.id, "step": step}
            for m in joined
            for step in onboarding_rule(m.join, m.left, self.now)
        ]
        onboarding.append({"member": "*", "step": weekly_step(self.now_dt)})
        return {
            "seed": self.seed,
            "now": iso(self.now),
            "scale": self.scale,
            "signals": signals,
            "inactive_members": inactive,
            "onboarding": onboarding,
        }


def build(
    out: Path, seed: int = DEFAULT_SEED, scale: int = DEFAULT_SCALE, bar: ProgressBar | None = None
) -> dict[str, Any]:
    """Write `out`/community.jsonl, `out`/img/*.jpg and `out`/truth.json; returns the truth."""
    return DemoBuilder(seed, scale).build(Path(out), bar)
