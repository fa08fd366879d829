"""The rooms' walls: dependencies flow screens -> console -> heuristics, never back."""

from __future__ import annotations

import ast
import subprocess
import sys
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


def test_the_launch_imports_only_what_the_feed_needs() -> None:
    """`tact` paints the feed in under a second: every other screen, the detectors, the chart
    and image libraries and the file lock are imported when first used, not at launch."""
    launch = "import console.cli, console.commands.console, console.app, screens.feed"
    code = f"import sys; {launch}; print(' '.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = set(run.stdout.split())
    assert "screens.feed" in loaded  # the probe works
    later = {
        "filelock",
        "numpy",
        "PIL",
        "rapidfuzz",
        "plotext",
        "textual_plotext",
        "textual_image",
        "heuristics.detector",
        "heuristics.engine",
        "console.signals_service",
        "screens.commands",
        "screens.post_view",
        "screens.signals",
        "screens.members",
        "screens.calendar",
        "screens.health",
        "screens.audit_log",
        "screens.help",
    }
    assert loaded & later == set()


def test_the_code_is_ruff_and_mypy_clean() -> None:
    """The style rules hold in CI, not only on a developer's machine."""
    checks = [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--check", "--no-cache", "."],
        ["mypy", "heuristics", "console", "screens", "tests", "benchmarks"],
    ]
    for check in checks:
        run = subprocess.run([sys.executable, "-m", *check], capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, f"{' '.join(check)}:\n{run.stdout[-3000:]}{run.stderr[-1000:]}"
