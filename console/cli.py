"""The `tact` command line (FORMATS.md): global options, then a command.

Each command lives in `console/commands/<name>.py` as `run(args, tact) -> int`, imported
only when chosen, so `tact --help` and launching the console stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import datetime

from console.config import Settings
from console.context import Tact
from console.errors import BadInput, TactError, os_error_line
from console.safe_text import one_line
from heuristics.model import parse_time

_MODULES = {"import": "import_file"}  # `import` is a Python keyword


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise BadInput(f"{self.prog}: {message}")


def time_arg(value: str) -> datetime:
    try:
        return parse_time(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date or date-time: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tact", description="See the weak signals of your community early.")
    parser.add_argument("--data", help="data directory (default: $TACT_DATA or the user data dir)")
    parser.add_argument("--moderator", help="your name in the audit log (default: $TACT_MODERATOR or login)")
    parser.add_argument("--now", type=time_arg, help="take this ISO-8601 time as now")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", help="open (or write) the bundled demo community")
    demo.add_argument("--out", help="write the community file, pictures and truth.json here")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--scale", type=int, default=None, help="number of posts and comments")

    imp = sub.add_parser("import", help="import a community file (JSON Lines)")
    imp.add_argument("file")
    imp.add_argument("--skip-invalid", action="store_true", help="import the good lines, list the bad")

    sig = sub.add_parser("signals", help="compute what is due")
    sig.add_argument("--json", action="store_true", help="one JSON object a line")
    sig.add_argument("--now", dest="sub_now", type=time_arg)
    sig.add_argument("--kind", action="append", help="only this kind (repeatable)")

    act = sub.add_parser("act", help="record a moderator action on a signal")
    act.add_argument("signal_id")
    act.add_argument("action", choices=["dismiss", "snooze", "handled", "note", "reopen"])
    act.add_argument("--note")
    act.add_argument("--until", type=time_arg)

    log = sub.add_parser("log", help="print the audit log, oldest first")
    log.add_argument("--json", action="store_true")

    rep = sub.add_parser("report", help="write the community health report")
    rep.add_argument("--format", default="md,html", help="md, html or both (default md,html)")
    rep.add_argument("--now", dest="sub_now", type=time_arg)
    rep.add_argument("--period", default="30d", help="window: e.g. 30d, 12w, 3m (default 30d)")
    rep.add_argument("--out", default=".", help="output folder (default: here)")

    mem = sub.add_parser("members", help="list members (e.g. the inactive ones)")
    mem.add_argument("--inactive", action="store_true")
    mem.add_argument("--weeks", type=int)
    mem.add_argument("--json", action="store_true")
    mem.add_argument("--now", dest="sub_now", type=time_arg)

    onb = sub.add_parser("onboarding", help="list the onboarding steps that are due")
    onb.add_argument("--json", action="store_true")
    onb.add_argument("--now", dest="sub_now", type=time_arg)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return _run(argv, [])


def _run(argv: Sequence[str] | None, kept: list[object]) -> int:
    """`main`, the data directory's objects left in `kept` (see `entry`)."""
    try:
        args = build_parser().parse_args(argv)
        now = getattr(args, "sub_now", None) or args.now
        tact = Tact.open(Settings.resolve(args.data, args.moderator), now)
        kept.append(tact)
        name = args.command or "console"
        module = importlib.import_module(f"console.commands.{_MODULES.get(name, name)}")
        return int(module.run(args, tact))
    except TactError as err:
        print(one_line(err), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("tact: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `tact members --inactive | head`: the reader has all it wanted. Quiet, as a shell
        # tool is (`entry` does not flush to the closed pipe again).
        return 141  # 128 + SIGPIPE, what the shell reports for such a pipe
    except OSError as err:
        print(f"tact: {one_line(os_error_line(err))}", file=sys.stderr)
        return 1


def entry() -> None:
    # The data directory's objects stay referenced here until the exit below: returning from
    # `main` would free a million posts' worth of them one by one (~0.4 s after `tact
    # signals` at a million posts).
    kept: list[object] = []
    code = _run(None, kept)
    # End here, without the interpreter's teardown: it would wait for a console's worker
    # still computing, and free what is left the same way (~1 s). Every file tact writes is
    # closed (and moderator actions fsynced) before a command returns.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the last of the output, to a reader already gone
        code = 141
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)
