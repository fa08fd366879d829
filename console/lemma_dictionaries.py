"""simplemma's dictionaries, decoded once per machine and user and kept in the user's cache.

simplemma ships each language's dictionary front-coded and compressed; decoding one takes
~0.35 s of pure Python (en and fr: ~0.7 s), in every process that lemmatises: every fresh
`tact signals`, the console's first run. The decoded pairs, kept as one file a language
(`simplemma-<version>-<lang>.pairs` under the user's cache directory), read back in about a
third of that. A missing, damaged or other version's file is decoded again and rewritten;
one that cannot be written only costs the decoding.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from console.storage import atomic_write_bytes

_MAGIC = "tact lemma pairs 1"
_SEP = "\0"


def _simplemma_version() -> str:
    try:
        return version("simplemma")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class CachedDictionaries:
    """A simplemma `DictionaryFactory` giving simplemma's own dictionaries, as plain dicts,
    from `folder` when they were decoded before (see the module). Equal objects (the same
    folder and simplemma version) share one decoded dictionary a language in a process."""

    folder: Path
    version: str = field(default_factory=_simplemma_version)

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return _dictionary(self, lang)

    def path(self, lang: str) -> Path:
        return self.folder / f"simplemma-{self.version}-{lang}.pairs"

    def _header(self, lang: str, count: int) -> str:
        return f"{_MAGIC} {self.version} {lang} {count}\n"

    def _read(self, lang: str) -> dict[str, str] | None:
        try:
            text = self.path(lang).read_bytes().decode()
        except (OSError, UnicodeDecodeError):
            return None
        head, _, body = text.partition("\n")
        prefix, _, number = head.rpartition(" ")
        if f"{prefix} 0\n" != self._header(lang, 0) or not number.isdigit():
            return None
        flat = body.split(_SEP) if body else []
        count = int(number)
        if len(flat) != 2 * count:
            return None
        found = dict(zip(flat[0::2], flat[1::2], strict=True))
        return found if len(found) == count else None

    def _decode(self, lang: str) -> dict[str, str]:
        """simplemma's decoding (raises its ValueError for a language it does not have)."""
        found = dict(DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang).items())
        if not any(_SEP in k or _SEP in v for k, v in found.items()):
            body = _SEP.join(x for pair in found.items() for x in pair)
            with contextlib.suppress(OSError):
                atomic_write_bytes(
                    self.path(lang), (self._header(lang, len(found)) + body).encode(), durable=False
                )
        return found


@lru_cache(maxsize=8)
def _dictionary(source: CachedDictionaries, lang: str) -> dict[str, str]:
    """A language's dictionary, once per process and folder (simplemma keeps its own once per
    process too): each `Tact` makes its own lemmatiser, a test session hundreds."""
    return source._read(lang) or source._decode(lang)
