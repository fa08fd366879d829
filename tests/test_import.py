"""`tact import`: the community file of FORMATS.md, all-or-nothing, idempotent, one-line errors."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from console.cli import main
from console.config import Settings
from console.context import Tact
from console.errors import BadInput
from console.importer import import_file
from console.progress import ProgressBar
from console.store import Store
from heuristics.model import parse_time
from tests.conftest import spy_months

GOOD: list[dict[str, Any]] = [
    {
        "type": "community",
        "id": "chats",
        "name": "Chats diabétiques",
        "lang": "fr",
        "topic": ["chat"],
        "off_topic_tolerance": 0.2,
        "source": "export-v3",
    },
    {"type": "member", "id": "m1", "name": "Louis Favre", "joined_at": "2026-03-02T09:15:00Z", "lang": "fr"},
    {"type": "member", "id": "m2", "joined_at": "2026-03-03T10:00:00", "badge": "gold"},
    {
        "type": "post",
        "id": "p1",
        "author": "m1",
        "created_at": "2026-03-02T10:01:00Z",
        "kind": "introduction",
        "text": "Bonjour à tous",
        "images": ["img/a.jpg"],
        "parent": None,
        "likes": 3,
    },
    {
        "type": "post",
        "id": "p2",
        "author": "m2",
        "created_at": "2026-03-04T08:00:00+02:00",
        "kind": "comment",
        "text": "Bienvenue !",
        "parent": "p1",
    },
    {"type": "post", "id": "p3", "author": "stranger", "created_at": "2026-04-01", "text": "hello"},
]


def write_lines(path: Path, records: Sequence[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "img").mkdir()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(tmp_path / "img" / "a.jpg")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the data directory (but the lock file) with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def run_cli(data: Path, *args: str) -> int:
    return main(["--data", str(data), "import", *args])


def test_import_reads_every_record_kind(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = folder / "data"
    assert run_cli(data, str(write_lines(folder / "c.jsonl", GOOD))) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "2 members added" in out and "3 posts added" in out
    store = Store(data)
    community = store.community()
    assert community is not None and community.name == "Chats diabétiques"
    assert community.extra == {"source": "export-v3"}
    members = store.members()
    assert members["m2"].joined_at == parse_time("2026-03-03T10:00:00Z")  # naive = UTC
    assert members["m2"].lang is None and members["m2"].extra == {"badge": "gold"}
    p1, p2, p3 = (store.post(i) for i in ("p1", "p2", "p3"))
    assert p1 is not None and p2 is not None and p3 is not None
    assert p1.images == (str(folder / "img" / "a.jpg"),)  # stored absolute
    assert Path(p1.images[0]).is_absolute()
    assert p1.extra == {"likes": 3} and p1.kind == "introduction"
    assert p2.created_at == parse_time("2026-03-04T06:00:00Z") and p2.parent == "p1"
    assert p3.kind == "post" and p3.author == "stranger"


def test_reimport_changes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = folder / "data"
    file = write_lines(folder / "c.jsonl", GOOD)
    assert run_cli(data, str(file)) == 0
    before = snapshot(data)
    assert run_cli(data, str(file)) == 0
    assert snapshot(data) == before
    assert (
        "0 posts added, 0 updated; 5 records unchanged; community unchanged"
        in capsys.readouterr().out.splitlines()[-1]
    )


def test_same_id_updates_never_duplicates(folder: Path) -> None:
    data = folder / "data"
    store = Store(data)
    import_file(store, write_lines(folder / "c.jsonl", GOOD))
    changed = [{**GOOD[5], "text": "edited"}, {**GOOD[5], "text": "edited twice", "created_at": "2026-05-02"}]
    summary = import_file(store, write_lines(folder / "d.jsonl", changed))
    assert (summary.posts_added, summary.posts_updated) == (0, 1)
    assert store.post_count() == 3
    p3 = store.post("p3")
    assert p3 is not None and p3.text == "edited twice" and p3.created_at.month == 5
    assert [p.id for p in store.posts_in_month("2026-04")] == []


def test_a_parent_may_be_in_the_store_already(folder: Path) -> None:
    store = Store(folder / "data")
    import_file(store, write_lines(folder / "c.jsonl", GOOD))
    later = [
        {
            "type": "post",
            "id": "p9",
            "author": "m1",
            "created_at": "2026-06-01",
            "kind": "comment",
            "parent": "p3",
        }
    ]
    assert import_file(store, write_lines(folder / "d.jsonl", later)).posts_added == 1


BAD_CASES = [
    # (name, lines of the file (bytes or records), expected message after "FILE:")
    (
        "bad json",
        [GOOD[1], b'{"type": "member", "id": "m9",'],
        "2: json: not valid JSON (unexpected end of data)",
    ),
    ("not an object", [b"[1, 2]"], "1: json: expected a JSON object, got an array"),
    ("missing field", [GOOD[1], {"type": "member", "id": "m9"}], "2: joined_at: missing"),
    ("missing id", [{"type": "post", "author": "m1", "created_at": "2026-01-01"}], "1: id: missing"),
    (
        "wrong type",
        [{"type": "post", "id": 12, "author": "m1", "created_at": "2026-01-01"}],
        "1: id: expected a string, got a number",
    ),
    (
        "wrong type of text",
        [{"type": "post", "id": "p9", "author": "m1", "created_at": "2026-01-01", "text": ["x"]}],
        "1: text: expected a string, got an array",
    ),
    (
        "bad date",
        [{"type": "member", "id": "m9", "joined_at": "2026-13-45"}],
        "1: joined_at: not an ISO-8601 date-time: '2026-13-45'",
    ),
    (
        "unknown parent",
        [
            GOOD[1],
            {
                "type": "post",
                "id": "p9",
                "author": "m1",
                "created_at": "2026-03-05",
                "kind": "comment",
                "parent": "p404",
            },
        ],
        "2: parent: unknown post 'p404' (a parent must come earlier in the file or be in the store)",
    ),
    (
        "parent later in the file",
        [
            {
                "type": "post",
                "id": "c1",
                "author": "m1",
                "created_at": "2026-03-05",
                "kind": "comment",
                "parent": "p8",
            },
            {"type": "post", "id": "p8", "author": "m1", "created_at": "2026-03-04"},
        ],
        "1: parent: unknown post 'p8' (a parent must come earlier in the file or be in the store)",
    ),
    (
        "comment without parent",
        [{"type": "post", "id": "p9", "author": "m1", "created_at": "2026-03-05", "kind": "comment"}],
        "1: parent: missing (a comment needs a parent)",
    ),
    (
        "missing image",
        [
            {
                "type": "post",
                "id": "p9",
                "author": "m1",
                "created_at": "2026-03-05",
                "images": ["img/none.jpg"],
            }
        ],
        "1: images: file not found: 'img/none.jpg'",
    ),
    (
        "images not a list",
        [{"type": "post", "id": "p9", "author": "m1", "created_at": "2026-03-05", "images": "img/a.jpg"}],
        "1: images: expected a list of paths, got a string",
    ),
    (
        "not utf-8",
        [GOOD[1], b'{"type": "member", "id": "m\xe9", "joined_at": "2026-01-01"}'],
        "2: encoding: not UTF-8 (byte 0xe9 at column 28)",
    ),
    ("empty file", [], "1: file: empty (no records)"),
    ("blank lines only", [b"", b"   "], "1: file: empty (no records)"),
    (
        "unknown type",
        [{"type": "reaction", "id": "r1"}],
        "1: type: unknown record type 'reaction' (expected community, member or post)",
    ),
    ("missing type", [{"id": "r1"}], "1: type: missing"),
    (
        "bad kind",
        [{"type": "post", "id": "p9", "author": "m1", "created_at": "2026-03-05", "kind": "story"}],
        "1: kind: expected post, comment or introduction, got 'story'",
    ),
    (
        "bad lang",
        [{"type": "member", "id": "m9", "joined_at": "2026-01-01", "lang": "de"}],
        '1: lang: expected "en" or "fr", got \'de\'',
    ),
    (
        "tolerance out of range",
        [{"type": "community", "id": "c", "off_topic_tolerance": 1.5}],
        "1: off_topic_tolerance: expected a share between 0 and 1, got 1.5",
    ),
    (
        "two communities",
        [{"type": "community", "id": "a"}, {"type": "community", "id": "b"}],
        "2: type: a second community record (the first is on line 1)",
    ),
    (
        "bad line after many good",
        [*GOOD, {"type": "member", "id": "m9", "joined_at": 5}],
        "7: joined_at: expected a string, got a number",
    ),
]


def _write_raw(path: Path, lines: list[object]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else orjson.dumps(x)) + b"\n" for x in lines))
    if not lines:
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_one_line_exit_2_and_store_unchanged(
    folder: Path, capsys: pytest.CaptureFixture[str], lines: list[object], expected: str
) -> None:
    data = folder / "data"
    assert run_cli(data, str(write_lines(folder / "good.jsonl", GOOD))) == 0
    capsys.readouterr()
    before = snapshot(data)
    bad = _write_raw(folder / "bad.jsonl", lines)
    assert run_cli(data, str(bad)) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{bad}:{expected}\n"
    assert captured.out == ""
    assert snapshot(data) == before


def test_missing_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path / "data", str(tmp_path / "nope.jsonl")) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nope.jsonl'}: cannot read: No such file or directory\n"
    assert not (tmp_path / "data" / "meta.json").exists()


def test_skip_invalid_imports_the_good_lines_and_lists_the_bad(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines: list[object] = [
        GOOD[1],
        b"{oops",
        {"type": "post", "id": "p1", "author": "m1", "created_at": "2026-03-02T10:01:00Z"},
        {"type": "post", "id": "p2", "author": "m1", "created_at": "yesterday"},
        {
            "type": "post",
            "id": "c2",
            "author": "m1",
            "created_at": "2026-03-03",
            "kind": "comment",
            "parent": "p2",
        },
        {
            "type": "post",
            "id": "c1",
            "author": "m1",
            "created_at": "2026-03-03",
            "kind": "comment",
            "parent": "p1",
        },
    ]
    file = _write_raw(folder / "mixed.jsonl", lines)
    assert run_cli(folder / "data", str(file), "--skip-invalid") == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{file}:2: json: not valid JSON (unexpected character)",
        f"{file}:4: created_at: not an ISO-8601 date-time: 'yesterday'",
        f"{file}:5: parent: unknown post 'p2' (a parent must come earlier in the file or be in the store)",
    ]
    assert "3 bad lines skipped" in captured.out
    store = Store(folder / "data")
    assert sorted(p.id for p in store.all_posts()) == ["c1", "p1"]


def test_skip_invalid_with_nothing_good_is_still_bad_input(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write_raw(folder / "junk.jsonl", [b"junk", b"[]"])
    assert run_cli(folder / "data", str(file), "--skip-invalid") == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (folder / "data" / "meta.json").exists()


def test_error_quoting_member_content_stays_on_one_clean_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write_raw(folder / "evil.jsonl", [{"type": "x\u001b[31m\nred", "id": "r"}])
    assert run_cli(folder / "data", str(file)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err


def test_progress_bar_on_a_terminal_like_stream_does_not_break(folder: Path) -> None:
    stream = io.StringIO()
    with ProgressBar(enabled=True, stream=stream) as bar:
        summary = import_file(Store(folder / "data"), write_lines(folder / "c.jsonl", GOOD), bar=bar)
    assert summary.posts_added == 3
    assert "Checking" in stream.getvalue()
    assert ProgressBar(stream=io.StringIO()).enabled is False  # not a TTY: no bar


def test_pictures_are_hashed_after_import_when_hashing_exists(folder: Path) -> None:
    pytest.importorskip("console.image_hashing")
    store = Store(folder / "data")
    summary = import_file(store, write_lines(folder / "c.jsonl", GOOD))
    assert summary.pictures_hashed == 1
    assert str(folder / "img" / "a.jpg") in store.image_hashes()


def test_through_a_tact_context(tact: Tact, folder: Path) -> None:
    summary = import_file(tact.store, write_lines(folder / "c.jsonl", GOOD))
    assert summary.members_added == 2 and tact.store.generation() >= 1
    assert isinstance(tact.settings, Settings)


_junk_line = st.one_of(
    st.binary(max_size=80),
    st.text(max_size=80).map(str.encode),
    st.dictionaries(
        st.sampled_from(
            [
                "type",
                "id",
                "author",
                "created_at",
                "joined_at",
                "kind",
                "parent",
                "images",
                "lang",
                "text",
                "topic",
                "off_topic_tolerance",
                "name",
                "left_at",
            ]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False),
            st.text(max_size=12),
            st.sampled_from(["post", "member", "community", "comment", "2026-01-01", "p1", "m1", "fr"]),
            st.lists(st.text(max_size=5), max_size=2),
        ),
        max_size=8,
    ).map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_junk_line, max_size=6), skip=st.booleans())
def test_fuzz_junk_never_gives_a_traceback(lines: list[bytes], skip: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        file = root / "junk.jsonl"
        file.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines))
        store = Store(root / "data")
        try:
            import_file(store, file, skip_invalid=skip)
        except BadInput as err:
            assert "\n" not in str(err).strip()
            if not skip:
                assert not (root / "data" / "meta.json").exists()


def test_an_import_leaves_the_feed_its_first_page(folder: Path) -> None:
    from console.feed_head import read_head

    store = Store(folder / "data")
    import_file(store, write_lines(folder / "c.jsonl", GOOD))
    head = read_head(store)
    assert head is not None and head.generation == store.generation()
    threads = [p for p in store.all_posts() if p.parent is None]
    newest_first = sorted(threads, key=lambda p: p.created_at, reverse=True)
    assert [e.post.id for e in head.rows] == [p.id for p in newest_first]
    assert {e.post.id: e.comments for e in head.rows} == {
        p.id: len(store.children(p.id)) for p in newest_first
    }
    later = [{"type": "post", "id": "p9", "author": "m1", "created_at": "2026-06-01", "text": "new"}]
    import_file(store, write_lines(folder / "d.jsonl", later))
    again = read_head(store)
    assert again is not None and again.rows[0].post.id == "p9"


def test_an_import_detects_member_languages_so_signals_read_no_old_post(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.config import Settings
    from console.context import Tact
    from console.signals_service import load_data

    members = [{"type": "member", "id": f"m{i}", "joined_at": "2026-01-01"} for i in range(3)]
    texts = [
        "Ma chatte est diabétique depuis un an, la glycémie est stable avec deux injections par jour.",
        "My cat has been diabetic for a year, her glucose is steady on two shots a day now.",
    ]
    posts = [
        {
            "type": "post",
            "id": f"p{i}",
            "author": f"m{i % 2}",
            "created_at": f"2026-0{1 + i % 3}-10",
            "text": texts[i % 2],
        }
        for i in range(6)
    ]
    tact = Tact.open(Settings(folder / "data", "alice"))
    stream = io.StringIO()
    with ProgressBar(enabled=True, stream=stream) as bar:
        import_file(tact.store, write_lines(folder / "c.jsonl", [*members, *posts]), bar=bar)
    assert tact.store.derived_path("member_langs.json").exists()
    drawn = [line for line in stream.getvalue().splitlines() if "Detecting languages" in line]
    assert drawn and "3/3" in drawn[-1]  # the bar ends full, not at 0 of 3
    read = spy_months(monkeypatch)
    langs = load_data(Tact.open(Settings(folder / "data", "alice"))).member_langs
    assert langs == {"m0": "fr", "m1": "en"}  # m2 never wrote: unknown, the community's
    assert read == []
