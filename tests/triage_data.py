"""A small community with signals built by hand, for the triage screens' tests.

The screens take a loader callable, so these tests do not depend on which detectors exist:
they inject signals whose every field is known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from console.app import TactApp
from console.context import Tact
from heuristics.model import Member, Post, Reply, Signal, signal_id
from screens.signals import SignalsScreen
from tests.conftest import NOW, fill

HOSTILE = (
    "[@click=app.quit]click me[/] [link=https://evil.example]x[/link] [bold red]LOUD[/]"
    " \x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x1b]0;title\x07 end"
)
LONG_LINE = "Z" * 10_000


def members() -> list[Member]:
    return [
        Member("m1", NOW - timedelta(days=400), name="Anna Weber", lang="en"),
        Member("m2", NOW - timedelta(days=20), name="Louis Favre", lang="fr"),
        Member("m3", NOW - timedelta(days=90), name="[red]Mallory[/red]", lang="en"),
        Member("m4", NOW - timedelta(days=60), name="Chloé Martin", lang="fr"),
    ]


def posts(pictures: Sequence[str] = ()) -> list[Post]:
    return [
        Post("p1", "m1", NOW - timedelta(days=9), text="Caramel's glucose curve this week, thoughts?",
             images=tuple(pictures[:1])),
        Post("p2", "m4", NOW - timedelta(days=4), text="Regardez cette courbe !",
             images=tuple(pictures[1:2])),
        Post("p3", "m2", NOW - timedelta(days=2), kind="introduction",
             text="Bonjour ! Je suis pet-sitter, visitez mon site chats-heureux.fr et recommandez-moi."),
        Post("p4", "m3", NOW - timedelta(hours=5), text=HOSTILE),
        Post("p5", "m3", NOW - timedelta(hours=3), text=LONG_LINE),
        Post("p6", "m1", NOW - timedelta(hours=1), text="Is Caramel still doing well on PZI?"),
    ]  # fmt: skip


def signals() -> list[Signal]:
    return [
        Signal(
            signal_id("self_promotion", "p3"), "self_promotion", 0.91, NOW - timedelta(days=2),
            posts=("p3",), members=("m2",),
            reasons=("p3 is an introduction that mostly promotes a business (site, 'recommandez-moi')",),
            reply=Reply("fr", "public", "p3",
                        "Bonjour Louis, merci de vous être présenté ! Qu'est-ce qui marche bien pour vous ?"),
            evidence={"words": ["visitez mon site", "recommandez-moi", "chats-heureux.fr"]},
        ),
        Signal(
            signal_id("image_repost", "p1"), "image_repost", 0.87, NOW - timedelta(days=4),
            posts=("p1", "p2"), members=("m1", "m4"),
            reasons=("p2 shows the same picture as p1 (distance 4 of 64 bits)",),
            reply=Reply("fr", "public", "p2", "Bonjour Chloé, cette image a déjà circulé ici : merci !"),
            evidence={"distance": 4},
        ),
        Signal(
            signal_id("conflict", "p4"), "conflict", 0.8, NOW - timedelta(hours=3),
            posts=("p4", "p5"), members=("m3",),
            reasons=("p4 holds hostile words: " + HOSTILE,),
            reply=Reply("en", "private", "m3", "Hi, could we talk privately about the thread?"),
            evidence={"words": ["LOUD", "click me"]},
        ),
        Signal(
            signal_id("spam", "p6"), "spam", 0.6, NOW - timedelta(hours=1),
            posts=("p6",), members=("m1",), reasons=("p6 looks promotional",),
        ),
        Signal(
            signal_id("inactive_member", "m4"), "inactive_member", 0.5, NOW - timedelta(days=1),
            members=("m4",), reasons=("Chloé Martin has not posted for 9 weeks",),
            reply=Reply("fr", "private", "m4", "Bonjour Chloé, comment allez-vous ?"),
        ),
    ]  # fmt: skip


def community(tact: Tact, pictures: Sequence[str] = ()) -> Tact:
    return fill(tact, members(), posts(pictures))


def make_pictures(folder: Path) -> list[str]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, color in enumerate(((200, 120, 40), (40, 120, 200))):
        path = folder / f"curve-{i}.png"
        Image.new("RGB", (64, 48), color).save(path)
        paths.append(str(path))
    return paths


class TriageApp(TactApp):
    """The real app, with the signals screen fed by `loader` instead of the detectors."""

    def __init__(
        self,
        tact: Tact,
        loader: Callable[[Tact], Sequence[Signal]] = lambda _t: signals(),
        poll_seconds: float | None = None,
        start: str = "signals",
    ) -> None:
        self.loader = loader
        self.poll_seconds = poll_seconds
        super().__init__(tact, start=start)

    def _factory(self, mode: str) -> Callable[[], SignalsScreen]:
        if mode == "signals":
            return lambda: SignalsScreen(self.tact, loader=self.loader, poll_seconds=self.poll_seconds)
        return super()._factory(mode)  # type: ignore[return-value]
