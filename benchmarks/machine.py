"""The machine a figure was measured on, for every results file."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime


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
