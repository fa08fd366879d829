"""tact.toml: the moderators' settings for detectors and reply templates, without code.

    [detectors.quiet_group]        # constructor parameters of that kind's detector
    ratio = 0.5

    [templates.fr.quiet_group]     # overrides a shipped template (or adds a variant)
    default = "Bonjour à tous ! ..."

The shipped templates are `heuristics/templates/<kind>.toml` (one `[en]`/`[fr]` table each);
the file's templates are merged over them. Other top-level tables are left to the modules
that own them. A bad file is a `BadInput` naming the file, the line where we can, and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from console.errors import BadInput, TactError
from heuristics.model import LANGS, SIGNAL_KINDS
from heuristics.replies import Templates

TemplateTable = dict[str, dict[str, dict[str, str]]]


@dataclass(frozen=True, slots=True)
class TactConfig:
    detectors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """kind → constructor keyword arguments of its detector."""
    templates: Templates = field(default_factory=Templates)
    """The shipped templates with the file's overrides merged in."""
    path: Path | None = None
    """The file read, when there was one."""
    raw: Mapping[str, Any] = field(default_factory=dict)
    """The whole parsed file, for the tables other modules own."""

    def line_of(self, *keys: str) -> int | None:
        return _line_of(self.path, keys) if self.path else None


_HEADER = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in dotted.split(".")]


def _line_of(path: Path, keys: tuple[str, ...]) -> int | None:
    """The first line that defines `keys` (a table header or a key), else the closest one.

    A best effort for error messages: good enough for the tables tact.toml holds.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = list(keys)
    table: list[str] = []
    best: tuple[int, int] | None = None  # (common prefix length, line)
    for n, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            found = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            found = table + _parts(key.group(1))
        if found[: len(wanted)] == wanted:
            return n
        common = 0
        for a, b in zip(found, wanted, strict=False):
            if a != b:
                break
            common += 1
        if common and (best is None or common > best[0]):
            best = (common, n)
    return best[1] if best else None


def _where(path: Path, keys: tuple[str, ...]) -> str:
    line = _line_of(path, keys)
    return f"{path}:{line}" if line else str(path)


def shipped_templates() -> Templates:
    """The default templates of every kind, from `heuristics/templates/*.toml`."""
    table: TemplateTable = {}
    folder = resources.files("heuristics") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        kind = entry.name[: -len(".toml")]
        try:
            doc = tomllib.loads(entry.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            # A broken shipped file is our bug, not the moderator's input.
            raise TactError(f"heuristics/templates/{entry.name}: {err}") from None
        for lang, variants in doc.items():
            if lang in LANGS and isinstance(variants, dict):
                table.setdefault(lang, {})[kind] = {k: v for k, v in variants.items() if isinstance(v, str)}
    return Templates(table)


def load_config(path: Path) -> TactConfig:
    """Read tact.toml (absent → defaults). Raises BadInput on anything malformed."""
    defaults = shipped_templates()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return TactConfig(templates=defaults)
    except OSError as err:
        raise BadInput(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        doc = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            problem = msg[: m.start()].strip()
            raise BadInput(f"{path}:{m.group(1)}: {problem} (column {m.group(2)})") from None
        raise BadInput(f"{path}: {msg}") from None

    detectors = doc.get("detectors", {})
    if not isinstance(detectors, dict):
        raise BadInput(f"{_where(path, ('detectors',))}: detectors: must be a table of [detectors.<kind>]")
    params: dict[str, dict[str, Any]] = {}
    for kind, table in detectors.items():
        if kind not in SIGNAL_KINDS:
            raise BadInput(
                f"{_where(path, ('detectors', kind))}: detectors.{kind}: unknown signal kind "
                f"(one of {', '.join(SIGNAL_KINDS)})"
            )
        if not isinstance(table, dict):
            raise BadInput(f"{_where(path, ('detectors', kind))}: detectors.{kind}: must be a table")
        params[kind] = dict(table)

    overrides = doc.get("templates", {})
    if not isinstance(overrides, dict):
        where = _where(path, ("templates",))
        raise BadInput(f"{where}: templates: must be a table of [templates.<lang>.<kind>]")
    merged: TemplateTable = {}
    for lang, kinds in overrides.items():
        if lang not in LANGS:
            where = _where(path, ("templates", lang))
            raise BadInput(f"{where}: templates.{lang}: unknown language (en or fr)")
        if not isinstance(kinds, dict):
            raise BadInput(f"{_where(path, ('templates', lang))}: templates.{lang}: must be a table")
        for kind, variants in kinds.items():
            where = _where(path, ("templates", lang, kind))
            if kind not in SIGNAL_KINDS:
                raise BadInput(f"{where}: templates.{lang}.{kind}: unknown signal kind")
            if not isinstance(variants, dict):
                raise BadInput(f'{where}: templates.{lang}.{kind}: must be a table of variant = "text"')
            for variant, text in variants.items():
                if not isinstance(text, str):
                    raise BadInput(
                        f"{_where(path, ('templates', lang, kind, variant))}: "
                        f"templates.{lang}.{kind}.{variant}: must be a string"
                    )
            merged.setdefault(lang, {})[kind] = dict(variants)
    return TactConfig(params, defaults.merged(merged), path, doc)


def detector_error_line(config: TactConfig, kind: str, field_name: str | None, problem: str) -> str:
    """The one-line message for a `[detectors.<kind>]` table a detector refused."""
    keys = ("detectors", kind, field_name) if field_name else ("detectors", kind)
    line = config.line_of(*keys)
    where = f"{config.path or 'tact.toml'}{f':{line}' if line else ''}"
    name = f"detectors.{kind}.{field_name}" if field_name else f"detectors.{kind}"
    return f"{where}: {name}: {problem}"
