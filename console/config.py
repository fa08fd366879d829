"""Where things live and who is acting: the command line, the environment, platformdirs."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "tact"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo"


def lemma_cache_dir() -> Path:
    """Where simplemma's dictionaries are kept decoded (`console/lemma_dictionaries.py`)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "lemmas"


def default_moderator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "moderator"


@dataclass(frozen=True, slots=True)
class Settings:
    data: Path
    """The data directory: `--data`, else $TACT_DATA, else the user's data directory."""
    moderator: str
    """Who acts, as the audit log records it: `--moderator`, $TACT_MODERATOR, the login."""

    @classmethod
    def resolve(cls, data: str | None, moderator: str | None) -> Settings:
        data_dir = data or os.environ.get("TACT_DATA") or str(default_data_dir())
        who = moderator or os.environ.get("TACT_MODERATOR") or default_moderator()
        return cls(Path(data_dir).expanduser(), who)

    @property
    def config_file(self) -> Path:
        """Moderator-editable settings and reply templates (TOML), in the data directory."""
        return self.data / "tact.toml"
