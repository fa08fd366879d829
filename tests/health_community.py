"""A deterministic synthetic community for the health screen's tests and benchmark.

Not the demo community (another module builds that, with planted signals): just enough
shape for health charts to mean something — two years of members joining, a 90-9-1 split,
evening and week-end peaks, introductions that mostly get a welcome, questions that mostly
get an answer — written straight into a store.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from console.context import Tact
from heuristics.model import Community, Member, Post, PostKind

# Relative weight of each hour (UTC) and weekday (Monday first): evenings and week-ends.
HOURS = (2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 8, 9, 8, 7, 7, 8, 9, 11, 13, 14, 12, 8, 4)
WEEKDAYS = (8, 8, 8, 8, 9, 12, 13)


def build(
    tact: Tact,
    now: datetime,
    members: int = 400,
    posts: int = 4000,
    seed: int = 7,
    days: int = 730,
    hostile_names: bool = False,
) -> None:
    rnd = random.Random(seed)
    start = now - timedelta(days=days)
    people: list[Member] = []
    for i in range(members):
        # More joins lately: a growing group.
        joined = start + timedelta(seconds=int((rnd.random() ** 0.7) * days * 86400))
        name = f"Member {i:04d}"
        if hostile_names and i % 50 == 3:
            name = f"[b]<script>alert({i})</script>[/b] & Co"
        people.append(Member(f"m{i}", joined, name=name, lang="fr" if i % 5 else "en"))
    people.sort(key=lambda m: m.joined_at)
    # 90-9-1-ish: a few creators, more commenters, most lurk.
    creators = [m for m in people if rnd.random() < 0.08]
    commenters = [m for m in people if rnd.random() < 0.30] + creators
    out: list[Post] = []
    n = 0
    for m in people:
        if rnd.random() < 0.55 and n < posts:
            t = m.joined_at + timedelta(hours=rnd.uniform(0.5, 48))
            if t < now:
                out.append(
                    Post(f"p{n}", m.id, t, "introduction", f"Hello, I am {m.name}, my cat is diabetic")
                )
                n += 1
    weights = [h * w for w in WEEKDAYS for h in HOURS]
    slots = [(d, h) for d in range(7) for h in range(24)]
    threads: list[Post] = []
    while n < posts:
        day = start + timedelta(days=int((rnd.random() ** 0.8) * days))
        d, h = rnd.choices(slots, weights)[0]
        day = day + timedelta(days=(d - day.weekday()) % 7)
        t = day.replace(hour=h, minute=rnd.randrange(60), second=rnd.randrange(60))
        if t >= now:
            continue
        if rnd.random() < 0.3 or not threads:
            pool = [m for m in creators if m.joined_at <= t]
            if not pool:
                continue
            who = rnd.choice(pool)
            text = "How much insulin should I give?" if rnd.random() < 0.4 else "Her glucose curve today"
            kind: PostKind = "post"
            p = Post(f"p{n}", who.id, t, kind, text)
            threads.append(p)
        else:
            parent = rnd.choice(threads[-60:])
            pool = [m for m in commenters if m.joined_at <= t]
            if not pool:
                continue
            t = parent.created_at + timedelta(minutes=rnd.expovariate(1 / 240))
            if t >= now:
                continue
            p = Post(f"p{n}", rnd.choice(pool).id, t, "comment", "Courage !", parent=parent.id)
        out.append(p)
        n += 1
    # Welcome most introductions.
    intros = [p for p in out if p.kind == "introduction"]
    for p in intros:
        if rnd.random() < 0.75:
            t = p.created_at + timedelta(minutes=rnd.expovariate(1 / 600))
            if t < now:
                who = rnd.choice(commenters)
                out.append(Post(f"w{p.id}", who.id, t, "comment", "Bienvenue !", parent=p.id))
    community = Community(
        "chats", "Chats diabétiques", "fr", topic=("chat", "insuline"), off_topic_tolerance=0.2
    )
    tact.store.save_people(community, people)
    tact.store.save_posts(out)
