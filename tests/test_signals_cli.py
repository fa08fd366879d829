"""`tact signals`: the FORMATS.md JSON shape, order, --kind, --now, exit codes."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime, time, timedelta

import orjson
import pytest

from console.cli import main
from console.context import Tact
from console.signals_service import run_engine
from heuristics import engine as engine_mod
from heuristics.detector import CommunityData
from heuristics.model import Member, Post, Signal, parse_time
from tests.conftest import fill
from tests.test_engine import FAKES

FORMATS_KEYS = {"id", "kind", "score", "at", "posts", "members", "reasons", "reply", "status"}
REPLY_KEYS = {"lang", "visibility", "to", "text"}


def quiet_community(tact: Tact, quiet_from: date) -> None:
    """20 posts a day for 100 days before 2026-03-15, 2 a day from `quiet_from` on."""
    posts = []
    for i in range(1, 101):
        d = date(2026, 3, 15) - timedelta(days=i)
        for j in range(2 if d >= quiet_from else 20):
            at = datetime.combine(d, time(9), tzinfo=UTC) + timedelta(minutes=j)
            posts.append(Post(f"p{d:%m%d}{j:02d}", f"m{j % 5}", at, "comment" if j % 2 else "post", "hi"))
    members = [Member(f"m{i}", datetime(2025, 1, 1, tzinfo=UTC), lang="fr") for i in range(5)]
    fill(tact, members, posts)


def run_cli(tact: Tact, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["--data", str(tact.settings.data), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_json_shape_is_exactly_formats(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    quiet_community(tact, date(2026, 3, 8))
    code, lines, err = run_cli(tact, capsys, "signals", "--json", "--now", "2026-03-15T12:00:00Z")
    assert (code, err) == (0, "")
    docs = [orjson.loads(line) for line in lines]
    quiet = [d for d in docs if d["kind"] == "quiet_group"]
    assert len(quiet) == 1
    for doc in docs:
        assert set(doc) - {"evidence"} == FORMATS_KEYS
        assert isinstance(doc["id"], str) and doc["id"].startswith(doc["kind"] + ":")
        assert isinstance(doc["score"], float) and 0 <= doc["score"] <= 1
        assert parse_time(doc["at"]) and doc["at"].endswith("Z")
        assert all(isinstance(x, list) for x in (doc["posts"], doc["members"], doc["reasons"]))
        assert doc["reply"] is None or set(doc["reply"]) == REPLY_KEYS
        assert doc["status"] in {"open", "snoozed", "dismissed", "handled"}
    q = quiet[0]
    assert q["reply"]["visibility"] == "public" and q["reply"]["to"] is None
    assert q["evidence"]["window"] == ["2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"]
    assert q["evidence"]["count"] == 14
    # Most urgent first, then by id.
    keys = [(-d["score"], d["id"]) for d in docs]
    assert keys == sorted(keys)


def test_kind_filter_and_now(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    quiet_community(tact, date(2026, 3, 8))
    code, lines, _ = run_cli(
        tact, capsys, "signals", "--json", "--kind", "quiet_group", "--now", "2026-03-15"
    )
    assert code == 0 and [orjson.loads(x)["kind"] for x in lines] == ["quiet_group"]
    # A month earlier the group was as busy as usual.
    code, lines, _ = run_cli(
        tact, capsys, "signals", "--json", "--kind", "quiet_group", "--now", "2026-02-15"
    )
    assert code == 0 and lines == []
    # The global --now works too.
    code, lines, _ = run_cli(
        tact, capsys, "--now", "2026-03-15", "signals", "--json", "--kind", "quiet_group"
    )
    assert code == 0 and len(lines) == 1


def test_order_statuses_and_table(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "REGISTRY", FAKES)
    t = parse_time("2026-03-01T00:00:00Z")
    texts = ["a", "a", "b", "b", "b", "b", "c", "c", "c"]
    posts = [Post(f"p{i}", "m1", t + timedelta(hours=i), text=x) for i, x in enumerate(texts)]
    fill(tact, [Member("m1", t, name="[bold]Eve\x1b[31m")], posts)
    code, lines, _ = run_cli(tact, capsys, "signals", "--json", "--kind", "text_repeat")
    docs = [orjson.loads(x) for x in lines]
    assert code == 0 and [d["posts"][0] for d in docs] == ["p2", "p6", "p0"]
    assert docs[0]["members"] == ["m1"] and docs[0]["evidence"]["last"].endswith("Z")
    tact.audit.record("dismiss", "alice", signal=docs[0]["id"])
    code, lines, _ = run_cli(tact, capsys, "signals", "--json", "--kind", "text_repeat")
    assert [orjson.loads(x)["status"] for x in lines] == ["dismissed", "open", "open"]
    code, lines, _ = run_cli(tact, capsys, "signals", "--kind", "text_repeat")
    assert code == 0 and lines[0].split()[:3] == ["SCORE", "KIND", "STATUS"]
    assert "dismissed" in lines[1] and docs[0]["id"] in lines[1]
    assert all("\x1b" not in line for line in lines)


def test_json_lines_are_the_lines_the_run_saved_and_equal_each_signal_encoded(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--json` prints, for a signal the run kept as saved, the line it saved (at a million
    posts, encoding 50,000 signals again cost ~0.6 s): the same bytes as encoding each
    signal, a status merged from the audit log included."""
    import console.signal_state as service  # where the lines are encoded
    from console.commands.signals import terminal_safe
    from console.signals_service import compute_signals, signal_to_json

    monkeypatch.setattr(engine_mod, "REGISTRY", FAKES)
    t = parse_time("2026-03-01T00:00:00Z")
    texts = ["a", "a", "b", "b", "b", "b", "c", "c", "c"]
    fill(
        tact,
        [Member("m1", t)],
        [Post(f"p{i}", "m1", t + timedelta(hours=i), text=x) for i, x in enumerate(texts)],
    )
    code, first, _ = run_cli(tact, capsys, "signals", "--json")
    assert code == 0 and len(first) >= 3
    tact.audit.record("dismiss", "alice", signal=orjson.loads(first[1])["id"])
    encoded: list[str] = []

    def counting(signal: Signal) -> dict[str, object]:
        encoded.append(signal.id)
        return signal_to_json(signal)

    monkeypatch.setattr(service, "signal_to_json", counting)
    code, lines, _ = run_cli(tact, capsys, "signals", "--json")
    assert code == 0 and encoded == [orjson.loads(first[1])["id"]]  # only the one whose status moved
    monkeypatch.undo()
    monkeypatch.setattr(engine_mod, "REGISTRY", FAKES)
    expected = [terminal_safe(orjson.dumps(signal_to_json(s)).decode()) for s in compute_signals(tact)]
    assert lines == expected
    assert orjson.loads(lines[1])["status"] == "dismissed"


def test_the_bar_on_a_terminal_draws_without_a_thread_so_a_big_run_may_fork(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal `tact signals` draws its bar, and from no thread of its own: a big run
    forks only from a single-threaded process (with the bar's thread, a fresh run at a million
    posts stayed in one process). The bar still shows each detector done."""
    import io
    import threading

    import console.commands.signals as command
    from console.progress import ProgressBar

    stream = io.StringIO()
    real_run = command.run_engine
    threads: list[int] = []

    def on_a_terminal(*args: object, **kwargs: object) -> ProgressBar:
        return ProgressBar(True, stream, **kwargs)  # type: ignore[arg-type]

    def run(*args: object, **kwargs: object) -> object:
        threads.append(threading.active_count())
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "ProgressBar", on_a_terminal)
    monkeypatch.setattr(command, "run_engine", run)
    quiet_community(tact, date(2026, 3, 8))
    before = threading.active_count()
    code, lines, _ = run_cli(tact, capsys, "signals", "--now", "2026-03-15T12:00:00Z")
    assert code == 0 and lines[0].split()[:2] == ["SCORE", "KIND"]
    assert threads == [before]
    drawn = stream.getvalue()
    assert "computing signals" in drawn and "10/10" in drawn
    with ProgressBar(True, io.StringIO()):  # the import's bar keeps its thread (smooth ticking)
        assert threading.active_count() == before + 1


def test_unknown_kind_is_exit_2(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run_cli(tact, capsys, "signals", "--json", "--kind", "quiet")
    assert code == 2 and lines == []
    assert "unknown signal kind 'quiet'" in err and err.count("\n") == 1


def test_bad_config_is_exit_2_naming_file_line_field(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    tact.settings.data.mkdir(parents=True, exist_ok=True)
    (tact.settings.data / "tact.toml").write_text("[detectors.quiet_group]\nwindow = 3\n")
    code, _, err = run_cli(tact, capsys, "signals", "--json")
    assert code == 2
    assert "tact.toml:2: detectors.quiet_group.window: unknown parameter" in err and err.count("\n") == 1


def test_a_failing_detector_is_exit_1_but_the_others_print(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "REGISTRY", {**FAKES, "spam": ("tests.test_engine", "Broken")})
    t = parse_time("2026-03-01T00:00:00Z")
    fill(tact, [Member("m1", t)], [Post(f"p{i}", "m1", t, text="a") for i in range(2)])
    code, lines, err = run_cli(tact, capsys, "signals", "--json")
    assert code == 1 and len(lines) == 1
    assert "spam: RuntimeError: boom" in err and err.count("\n") == 1


def test_empty_data_dir_prints_nothing(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run_cli(tact, capsys, "signals", "--json", "--kind", "quiet_group")
    assert (code, lines, err) == (0, [], "")
    assert not tact.settings.data.exists()


HOSTILE = "buy\x9b31m now\x1b]8;;http://x\x07 \u202egnp.exe"


class Hostile:
    """Quotes a member's text in its reasons, as real detectors do."""

    kind = "spam"

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        return [Signal("spam:x", "spam", 0.5, now, (p.id,), reasons=(p.text,)) for p in data.posts[:1]]


def test_json_output_is_terminal_safe_and_still_equal(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_mod, "REGISTRY", {"spam": ("tests.test_signals_cli", "Hostile")})
    t = parse_time("2026-03-01T00:00:00Z")
    fill(tact, [Member("m1", t)], [Post("p1", "m1", t, text=HOSTILE)])
    code, lines, _ = run_cli(tact, capsys, "signals", "--json")
    assert code == 0 and len(lines) == 1
    assert not any(ch in lines[0] for ch in "\x1b\x07\x9b\u202e")
    assert orjson.loads(lines[0])["reasons"] == [HOSTILE]
    code, lines, _ = run_cli(tact, capsys, "signals")
    assert not any(ch in "".join(lines) for ch in "\x1b\x07\x9b\u202e")


def test_the_escaped_characters_are_those_a_terminal_may_act_on_and_only_those() -> None:
    """Exactly U+0080-U+009F and the bidi controls are escaped; every other character
    (accents, em dashes, emoji) is left as is, and the JSON reads the same."""
    from console.commands.signals import terminal_safe

    unsafe = {*range(0x80, 0xA0), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    for code in [*range(0x20, 0x2100), 0x1F431, 0xFEFF]:
        if 0xD800 <= code < 0xE000 or code in (0x22, 0x5C):
            continue
        text = f"a{chr(code)}b"
        want = f"a\\u{code:04x}b" if code in unsafe else text
        assert terminal_safe(text) == want, hex(code)
        assert orjson.loads(f'"{terminal_safe(text)}"') == text


def test_signals_run_with_the_collector_paused_then_restored(
    tact: Tact, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A million posts are millions of long-lived containers: the collector rescanning them
    # cost a quarter of a full run (console/gc_pause.py).
    from tests.test_engine import GcWatch

    monkeypatch.setattr(engine_mod, "REGISTRY", {"spam": ("tests.test_engine", "GcWatch")})
    GcWatch.seen.clear()
    t = parse_time("2026-03-01T00:00:00Z")
    fill(tact, [Member("m1", t)], [Post("p1", "m1", t, text="a")])
    assert gc.isenabled()
    code, _, _ = run_cli(tact, capsys, "signals", "--json")
    assert code == 0 and GcWatch.seen == [False] and gc.isenabled()
    # A detector that raises leaves the collector on too.
    monkeypatch.setattr(engine_mod, "REGISTRY", {"spam": ("tests.test_engine", "Broken")})
    run_cli(tact, capsys, "signals", "--json")
    assert gc.isenabled()


def test_a_signal_run_freezes_what_it_leaves(tact: Tact) -> None:
    # What a console keeps after a run must not be walked by the collector at its next pass.
    t = parse_time("2026-03-01T00:00:00Z")
    fill(tact, [Member("m1", t)], [Post("p1", "m1", t, text="a")])
    gc.unfreeze()
    result = run_engine(tact, tact.now())
    assert gc.get_freeze_count() > 0 and gc.isenabled()
    # The collector's generations hold no object the run left (frozen ones are in none).
    assert gc.is_tracked(result.state)
    assert not any(o is result.state for o in gc.get_objects())


def test_gc_paused_restores_what_it_found() -> None:
    from console.gc_pause import gc_paused

    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it off: leaves it off
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_a_reader_that_stops_early_gets_no_error(tact: Tact) -> None:
    """`tact members | head -1`: no "Broken pipe" message, no traceback, the shell's code."""
    import subprocess
    import sys

    from heuristics.model import Community, Member

    joined = datetime(2026, 1, 5, tzinfo=UTC)
    tact.store.save_people(
        Community("c"), [Member(f"m{i}", joined, f"Member number {i}") for i in range(3000)]
    )
    code = "from console.cli import entry; entry()"
    args = ["--data", str(tact.store.root), "--now", "2026-11-20T18:00:00Z", "members"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # one line read, then the reader is gone
    proc.stdout.close()
    status = proc.wait(timeout=60)
    assert proc.stderr.read().decode() == "" and status == 141


def test_the_command_line_exits_with_the_data_directory_still_held(
    tact: Tact, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`entry` ends the process while the data directory's objects are still referenced:
    freeing a million posts' worth one by one cost ~0.4 s after the output was written."""
    import sys
    import weakref

    import console.cli as cli

    opened: list[weakref.ref[Tact]] = []
    real_open = Tact.open

    def open_(*args: object, **kwargs: object) -> Tact:
        made = real_open(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(weakref.ref(made))
        return made

    alive_at_exit: list[bool] = []

    def exit_(code: int) -> None:
        alive_at_exit.append(all(ref() is not None for ref in opened))
        raise SystemExit(code)

    monkeypatch.setattr(Tact, "open", open_)
    monkeypatch.setattr(cli.os, "_exit", exit_)
    monkeypatch.setattr(sys, "argv", ["tact", "--data", str(tact.settings.data), "signals", "--json"])
    with pytest.raises(SystemExit):
        cli.entry()
    assert opened and alive_at_exit == [True]
