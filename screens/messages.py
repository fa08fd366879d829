"""Messages more than one screen understands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """Another process (an import, a second console) wrote to the store.

    The app polls `Store.generation()` and sends this to the current screen; screens that
    show store data reload. Repeats merge: only the latest generation matters.
    """

    generation: int
    bubble: ClassVar[bool] = False
    """Each screen decides for itself; the app must not see its own message come back."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreChanged)
