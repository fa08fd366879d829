"""A small run of the scale benchmark: it runs end to end and writes sane figures.

Timings are not asserted (the machine is shared): only that each figure was measured, is
positive and lands in the table with its goal and verdict.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import orjson
import pytest

from benchmarks import scale


@pytest.mark.skipif(shutil.which("tact") is None, reason="the tact command is not installed")
def test_scale_benchmark_small_run(tmp_path: Path) -> None:
    out = tmp_path / "scale.md"
    cache = tmp_path / "cache"
    code = scale.main(
        [
            "--posts",
            "800",
            "--new",
            "100",
            "--keys",
            "20",
            "--no-tmux",
            "--cache",
            str(cache),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## Scale: issue 7's figures at 800 posts")
    assert "--new 100 --no-tmux" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| figure")]
    figures = {row.split(" | ")[0].lstrip("| "): row for row in rows}
    for start in (
        "import of the file (600 posts",
        "launch → first frame with feed rows",
        "keypress → repaint, feed",
        "incremental signals after importing 100 new posts",
        "full signal recompute from scratch (600 posts)",
        "peak memory of the console",
    ):
        row = next((r for key, r in figures.items() if key.startswith(start)), None)
        assert row is not None, start
        assert row.rstrip().endswith(("| yes |", "| **NO** |")), row
    results = orjson.loads((cache / "results.json").read_bytes())
    assert results["split"]["posts"] == 800
    assert results["import_early"]["progress_bar"] is True
    assert results["import_early"]["rss"] > 10 * 1024**2
    assert results["import_early"]["cpu"] > 0
    assert results["naive_import"]["rss"] > 0
    assert results["full_recompute"]["wall"] > 0 and results["full_recompute"]["cpu"] > 0
    assert results["full_recompute"]["signals"] > 0
    assert results["incremental"]["signals"] > 0
    # The console open while another process imported ends with the signals a fresh process
    # computes from the same state and data.
    assert results["incremental"]["signals_console"] == results["incremental"]["signals"]
    assert results["import_late"]["console_before"]["signals"] > 0
    assert results["import_late"]["console_first"]["signals"] > 0
    assert results["import_late"]["wall"] > 0 and results["import_late"]["cpu"] > 0
    assert len(results["probe"]["keys"]) >= 20
    assert all(k > 0 for k in results["probe"]["keys"])
    assert results["probe"]["rss"] > results["naive_open"]["rss"] / 10
    assert results["probe"]["first_paint_from_spawn"] > results["probe"]["first_paint_from_app"] > 0
    # The profiles name real functions with their shares (which ones a sampling profiler
    # catches in a run this short varies, so any named function will do).
    assert any(
        re.match(r"\s*\d+\.\d\s+\d+\.\d\s+\w+ \(", line) for line in results["full_recompute"]["profile"]
    )
    # A rerun reuses every stage (the cache) and writes the same table.
    assert (
        scale.main(["--posts", "800", "--new", "100", "--no-tmux", "--cache", str(cache), "--out", str(out)])
        == 0
    )
    assert out.read_text(encoding="utf-8").split("| figure")[1] == text.split("| figure")[1]
