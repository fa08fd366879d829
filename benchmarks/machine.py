"""The machine a figure was measured on, for every results file, and how `tact` is launched on it."""

from __future__ import annotations

import compileall
import os
import platform
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def describe() -> str:
    """One line: cores, CPU, memory, Python, date."""
    return (
        f"{os.cpu_count()} cores · {cpu_model()} · {memory_gib():.0f} GiB · "
        f"Python {platform.python_version()} · {platform.system()} {platform.release()} · "
        f"{datetime.now(UTC):%Y-%m-%d}"
    )


def write_results(path: Path, lines: list[str]) -> int:
    """Write a benchmark's Markdown section, echo it, and return the exit status 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {path}")
    return 0


def tact_cmd() -> list[str]:
    """The `tact` script installed beside this Python (what `.venv/bin/tact` is in the README's
    quick start), else the one on PATH: a version manager's shim on PATH costs 0.1-0.2 s of
    shell before Python starts, which is not tact's."""
    beside = Path(sys.executable).parent / "tact"
    found = str(beside) if beside.exists() else shutil.which("tact")
    return [found] if found else [sys.executable, "-c", "import console.cli as c; c.entry()"]


def compile_tact() -> None:
    """The bytecode any launch after the first finds (pip compiled the dependencies'; ours is
    written on first import, unless PYTHONDONTWRITEBYTECODE is set, as it is on some hosts)."""
    root = Path(__file__).resolve().parent.parent
    for package in ("console", "screens", "heuristics"):
        compileall.compile_dir(str(root / package), quiet=1)
