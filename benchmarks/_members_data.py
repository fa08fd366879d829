"""A synthetic community for the members benchmarks and for trying the members screen by hand.

`python -m benchmarks._members_data DIR [MEMBERS] [POSTS]` fills DIR (a tact data directory)
with MEMBERS members and POSTS posts and comments over two years, a 90-9-1 shape, some
members who left, a few hostile names (markup and escape sequences) and a handful of notes,
check-ins and don't-check-in marks in the audit log. Deterministic (seeded).
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta
from pathlib import Path

from console.config import Settings
from console.context import Tact
from heuristics.model import Community, Member, Post, parse_time

NOW = parse_time("2026-03-15T12:00:00Z")
HOSTILE = [
    "[@click=app.quit]Quit me[/]",
    "[link=file:///etc/passwd]Ev[/]",
    "\x1b[31mRed\x1b[0m Rob",
    "Zoé [b]",
]
FIRST = ["Louis", "Marie", "Anna", "Paul", "Chloé", "Hugo", "Emma", "Jules", "Léa", "Tom", "Sarah", "Noah"]
LAST = ["Favre", "Martin", "Smith", "Dubois", "Brown", "Moreau", "Wilson", "Laurent", "Taylor", "Roux"]


def populate(tact: Tact, members: int, posts: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    start = NOW - timedelta(days=730)
    people: list[Member] = []
    for i in range(members):
        joined = start + timedelta(seconds=rng.randrange(int((NOW - start).total_seconds())))
        name = HOSTILE[i % len(HOSTILE)] if i % 997 == 3 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        left = joined + timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.03 else None
        lang = "fr" if rng.random() < 0.7 else "en"
        people.append(Member(f"m{i}", joined, name, lang, left if left and left < NOW else None))  # type: ignore[arg-type]
    # 90-9-1: a few creators write most threads, commenters answer, the rest read.
    creators = [m for m in people if rng.random() < 0.05]
    commenters = [m for m in people if rng.random() < 0.2] + creators
    out: list[Post] = []
    threads: list[Post] = []
    for j in range(posts):
        comment = threads and rng.random() < 0.65
        pool = commenters if comment else creators
        author = pool[int(rng.paretovariate(1.2)) % len(pool)] if rng.random() < 0.7 else rng.choice(pool)
        lo = max(author.joined_at, start)
        span = int((NOW - lo).total_seconds())
        if span <= 0:
            continue
        # recent activity is denser: square the uniform draw towards now
        at = NOW - timedelta(seconds=int(span * rng.random() ** 1.6))
        kind = "comment" if comment else ("introduction" if rng.random() < 0.1 else "post")
        parent = rng.choice(threads[-200:]).id if comment else None
        p = Post(f"p{j}", author.id, at, kind, "", (), parent)  # type: ignore[arg-type]
        out.append(p)
        if not comment:
            threads.append(p)
    tact.store.save_people(Community("bench", "Chats diabétiques", "fr", topic=("chat",)), people)
    tact.store.save_posts(out)
    for m in people[:: max(members // 40, 1)]:
        tact.audit.record("note", "alice", member=m.id, note=f"[b]note[/b] about {m.id}")
    for m in people[5 :: max(members // 25, 1)]:
        tact.audit.record("no_checkin", "bob", member=m.id)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    members = int(argv[1]) if len(argv) > 1 else 2000
    posts = int(argv[2]) if len(argv) > 2 else 20000
    tact = Tact.open(Settings(folder, "alice"), NOW)
    populate(tact, members, posts)
    print(f"wrote {members} members and {posts} posts into {folder} (now = 2026-03-15T12:00:00Z)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
