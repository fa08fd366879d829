"""The rooms' walls: dependencies flow screens -> console -> heuristics, never back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_roots(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_heuristics_do_no_io_and_know_no_ui() -> None:
    forbidden = {
        "textual",
        "rich",
        "console",
        "screens",
        "tinydb",
        "httpx",
        "filelock",
        "os",
        "shutil",
        "subprocess",
        "socket",
        "platformdirs",
    }
    bad = {f: names & forbidden for f, names in imported_roots("heuristics").items() if names & forbidden}
    assert bad == {}


def test_console_never_imports_screens_except_through_the_app() -> None:
    bad = {f: n for f, n in imported_roots("console").items() if "screens" in n and not f.endswith("app.py")}
    assert bad == {}


def test_only_the_store_touches_tinydb() -> None:
    users = {f for root in ("console", "screens") for f, n in imported_roots(root).items() if "tinydb" in n}
    assert users == {"console/store.py", "console/storage.py"}
