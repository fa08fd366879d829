"""The community health report for the moderators' monthly meeting: Markdown and HTML.

The HTML page is self-contained: inline SVG charts (`console.svg_charts`), an inline style
sheet, system fonts — no JavaScript, no network, nothing fetched when it is opened.

Member names appear in one place only: the members to thank. Nothing in the report lists
who went quiet; the figures about inactivity are counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from html import escape
from pathlib import Path

from console.health_data import HealthView
from console.safe_text import one_line
from console.storage import atomic_write_bytes
from console.svg_charts import Series, bar_chart, hbars, heat_grid, line_chart, stacked_shares
from heuristics.health import WEEKDAYS, KpiLine, human_duration, kpi_lines
from heuristics.ladder import RUNGS
from heuristics.ladder import TARGET as LADDER_TARGET

FORMATS = ("md", "html")
LADDER_NAMES = ("lurkers", "commenters", "creators")
LADDER_COLORS = ("#c5cbd5", "#3b8fd9", "#e8961e")
TARGET = tuple(LADDER_TARGET[r] for r in RUNGS)  # 90-9-1, in the order of LADDER_NAMES


def _name(value: str) -> str:
    """A member's name on one line, control characters gone (then escaped by the format)."""
    return one_line(value, limit=60)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_escape(value: str) -> str:
    """Member text made inert in Markdown (and in the HTML a Markdown viewer makes of it):
    markup characters backslash-escaped, and <, >, & as entities, so no viewer meets a tag."""
    text = _MD_SPECIAL.sub(r"\\\1", _name(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sparkline(values: Sequence[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    if top <= 0:
        return "▁" * len(values)
    return "".join(bars[min(7, int(v / top * 7.999))] for v in values)


def _window(view: HealthView) -> str:
    start = view.now - timedelta(days=view.period.days)
    return f"{start:%Y-%m-%d %H:%M} – {view.now:%Y-%m-%d %H:%M} UTC ({view.period.text})"


def _kpis(view: HealthView, keys: Sequence[str]) -> list[tuple[KpiLine, str]]:
    before = {line.key: line.value for line in kpi_lines(view.previous, keys)}
    return [(line, before.get(line.key, "—")) for line in kpi_lines(view.kpis, keys)]


def _peak_hours(grid: Sequence[Sequence[int]], n: int = 3) -> str:
    cells = sorted(((grid[d][h], d, h) for d in range(7) for h in range(24)), reverse=True)[:n]
    return ", ".join(f"{WEEKDAYS[d]} {h:02d}–{h + 1:02d} h ({c})" for c, d, h in cells if c) or "none"


DEFINITIONS = (
    ("Active members", "members who wrote at least one post, comment or introduction in the period."),
    (
        "Retention",
        "of the members who joined 90–120 days ago, the share who wrote in the last 30 days.",
    ),
    (
        "Introductions answered within 24 h",
        "introductions of the period (at least a day old) that got a comment from someone else within 24 h.",
    ),
    (
        "Questions with a reply",
        "posts with a question mark (outside links), at least a day old, that someone else answered.",
    ),
    (
        "Time to first reply",
        "median time from a post to the first comment by someone else, answered posts only.",
    ),
    ("Time to triage", "median time from a signal to a moderator's first dismiss, snooze or handled."),
)


def _triage_sentence(view: HealthView) -> str:
    k = view.kpis
    if not k.triaged:
        return f"No signal was triaged in the last {view.period.text}."
    return f"Median time to triage: {human_duration(k.median_triage)} (over {k.triaged} signals triaged)."


# -- Markdown -------------------------------------------------------------------------------


def markdown(view: HealthView, keys: Sequence[str]) -> str:
    name = md_escape(view.community or "Community")
    out: list[str] = [
        f"# Community health — {name}",
        "",
        f"*{_window(view)} · {view.member_count} members · {view.post_count} posts and comments in all*",
        "",
        "## Key figures",
        "",
        "| Figure | This period | Previous period | What it counts |",
        "|---|---:|---:|---|",
    ]
    for line, was in _kpis(view, keys):
        out.append(f"| {line.label} | **{line.value}** | {was} | {line.detail} |")
    days, weeks = view.daily, view.weekly
    out += [
        "",
        "## Activity",
        "",
        f"Posts and comments per day, last 90 days (max {max((b.total for b in days), default=0)}):",
        "",
        f"    {_sparkline([b.total for b in days])}",
        "",
        f"Per week, last two years (max {max((b.total for b in weeks), default=0)}):",
        "",
        f"    {_sparkline([b.total for b in weeks])}",
        "",
        f"The usual range drawn in the HTML report is {view.baseline}.",
        "",
        "## When moderators are most needed",
        "",
        f"Busiest hours ({view.heat.tz}, last {view.heat.days} days): {_peak_hours(view.heat.activity)}.",
        "",
        f"Posts left over {view.heat.wait_hours} h without a reply, most often at: "
        f"{_peak_hours(view.heat.waiting)}.",
        "",
        "## New members",
        "",
        f"{sum(view.new_members[-4:])} in the last 4 weeks, {sum(view.new_members[-52:])} in the last year.",
        "",
        f"    {_sparkline(view.new_members[-52:])}",
    ]
    if view.ladder is not None:
        ladder = view.ladder
        out += [
            "",
            "## Participation ladder (vs 90-9-1)",
            "",
            "| Month | Lurkers | Commenters | Creators |",
            "|---|---:|---:|---:|",
            "| *90-9-1* | 90 % | 9 % | 1 % |",
        ]
        rows = zip(ladder.labels, ladder.lurkers, ladder.commenters, ladder.creators, strict=True)
        for label, lu, co, cr in list(rows)[-6:]:
            out.append(f"| {label} | {100 * lu:.0f} % | {100 * co:.0f} % | {100 * cr:.0f} % |")
    if view.off_topic is not None:
        recent = [w for w in view.off_topic[-4:] if w.share is not None]
        off = sum(w.off_topic for w in recent)
        seen = sum(w.posts for w in recent)
        share = f"{off / seen:.0%}" if seen else "—"
        out += [
            "",
            "## Off-topic share",
            "",
            f"Last 4 weeks: {share} of posts off topic (tolerance {view.tolerance:.0%}).",
        ]
    k = view.kpis
    out += ["", "## Signals", ""]
    if k.open_signals is None:
        out.append("Signals were not available for this report.")
    else:
        out.append(f"{sum(k.open_signals.values())} open. {_triage_sentence(view)}")
        if k.open_signals:
            out += ["", "| Kind | Open |", "|---|---:|"]
            out += [f"| {kind} | {n} |" for kind, n in sorted(k.open_signals.items(), key=lambda kv: -kv[1])]
    out += ["", "## Members to thank", ""]
    if view.contributors:
        out += ["| Member | Posts | Comments | Newcomers welcomed |", "|---|---:|---:|---:|"]
        for who, c in view.contributors:
            out.append(f"| {md_escape(who)} | {c.posts} | {c.comments} | {c.welcomes} |")
    else:
        out.append("Nobody wrote in this period.")
    out += ["", "## How these figures are computed", ""]
    out += [f"- **{term}**: {text}" for term, text in DEFINITIONS]
    if view.notes:
        out += ["", *[f"> {note}" for note in view.notes]]
    out.append("")
    return "\n".join(out)


# -- HTML -----------------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #263040;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; }
.sub { color: #6b7485; margin: 0 0 20px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(176px, 1fr)); gap: 12px;
  margin-bottom: 20px; }
.kpi { background: #fff; border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 2px #0001; }
.kpi .v { font-size: 24px; font-weight: 650; color: #1f5fa8; white-space: nowrap; }
.kpi .l { font-weight: 600; font-size: 13px; }
.kpi .d, .kpi .w { color: #6b7485; font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 14px; }
figure, section.card { background: #fff; border-radius: 10px; padding: 14px 16px; margin: 0;
  box-shadow: 0 1px 2px #0001; }
figcaption { color: #6b7485; font-size: 12px; margin-top: 6px; }
svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td, th { padding: 5px 8px; border-bottom: 1px solid #e6e8ec; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #8a6d1f; font-size: 13px; }
dl { font-size: 13px; color: #4a5364; display: grid; grid-template-columns: max-content 1fr;
  gap: 4px 12px; }
dt { font-weight: 600; }
dd { margin: 0; }
.wide { grid-column: 1 / -1; }
footer { margin-top: 22px; color: #8a93a3; font-size: 12px; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _kpi_cards(view: HealthView, keys: Sequence[str]) -> str:
    cards = []
    for line, was in _kpis(view, keys):
        was_text = f'<div class="w">previous period: {_e(was)}</div>' if was != "—" else ""
        cards.append(
            f'<div class="kpi"><div class="v">{_e(line.value)}</div><div class="l">{_e(line.label)}</div>'
            f'<div class="d">{_e(line.detail)}</div>{was_text}</div>'
        )
    return f'<section class="kpis">{"".join(cards)}</section>'


def _figure(title: str, svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f"<figure><h2>{_e(title)}</h2>{svg}{cap}</figure>"


def html_page(view: HealthView, keys: Sequence[str]) -> str:
    name = view.community or "Community"
    days, weeks = view.daily, view.weekly
    figures = [
        _figure(
            "Posts and comments per day — last 90 days",
            line_chart(
                "Posts and comments per day",
                [
                    Series("posts + comments", "#1f6fc4", [b.total for b in days]),
                    Series("threads", "#e8961e", [b.posts for b in days], 1.5),
                ],
                [f"{b.label:%d %b}" for b in days],
                band=view.daily_band,
                every=15,
            ),
            f"Shaded: the usual range ({view.baseline}).",
        ),
        _figure(
            "Posts and comments per week — last two years",
            line_chart(
                "Posts and comments per week",
                [
                    Series("posts + comments", "#1f6fc4", [b.total for b in weeks]),
                    Series("threads", "#e8961e", [b.posts for b in weeks], 1.5),
                ],
                [f"{b.label:%b %Y}" for b in weeks],
                band=view.weekly_band,
                every=26,
            ),
            "A week below the shaded band is what the quiet-group signal watches for.",
        ),
        _figure(
            f"When the group writes — {view.heat.tz}, last {view.heat.days} days",
            heat_grid("Posts and comments by weekday and hour", view.heat.activity),
            f"Busiest: {_peak_hours(view.heat.activity)}.",
        ),
        _figure(
            f"When posts wait over {view.heat.wait_hours} h for a reply",
            heat_grid("Posts left waiting by weekday and hour", view.heat.waiting, hot="#d2452f"),
            f"When moderators are most needed: {_peak_hours(view.heat.waiting)}.",
        ),
        _figure(
            "New members per week — last year",
            bar_chart(
                "New members per week",
                view.new_members[-52:],
                [f"{b.label:%d %b %y}" for b in weeks[-52:]],
                every=13,
            ),
            f"{sum(view.new_members[-4:])} in the last 4 weeks, {sum(view.new_members[-52:])} in the year.",
        ),
    ]
    if view.ladder is not None:
        ladder = view.ladder
        rows: list[tuple[str, Sequence[float]]] = [("90-9-1", TARGET)]
        months = list(zip(ladder.labels, ladder.lurkers, ladder.commenters, ladder.creators, strict=True))
        rows += [(label, (lu, co, cr)) for label, lu, co, cr in months[-9:]]
        figures.append(
            _figure(
                "Participation ladder against 90-9-1",
                stacked_shares("Participation ladder", rows, LADDER_NAMES, LADDER_COLORS),
                "Lurkers never wrote; commenters only commented; creators started a thread (all time).",
            )
        )
    if view.off_topic is not None:
        weeks_off = view.off_topic
        figures.append(
            _figure(
                "Off-topic share per week",
                line_chart(
                    "Off-topic share per week",
                    [
                        Series(
                            "off topic",
                            "#e8961e",
                            [None if w.share is None else 100 * w.share for w in weeks_off],
                        )
                    ],
                    [f"{w.end:%d %b}" for w in weeks_off],
                    hline=(100 * view.tolerance, "#d2452f", "tolerance"),
                    percent=True,
                    every=6,
                ),
            )
        )
    k = view.kpis
    if k.open_signals is not None:
        items = sorted(k.open_signals.items(), key=lambda kv: (-kv[1], kv[0]))
        figures.append(
            _figure(
                f"Open signals: {sum(k.open_signals.values())}",
                hbars("Open signals per kind", items),
                _triage_sentence(view),
            )
        )
    thanks_rows = "".join(
        f'<tr><td>{_e(_name(who))}</td><td class="n">{c.posts}</td><td class="n">{c.comments}</td>'
        f'<td class="n">{c.welcomes}</td></tr>'
        for who, c in view.contributors
    )
    thanks = (
        '<section class="card"><h2>Members to thank</h2>'
        + (
            '<table><tr><th>Member</th><th class="n">Posts</th><th class="n">Comments</th>'
            f'<th class="n">Newcomers welcomed</th></tr>{thanks_rows}</table>'
            if thanks_rows
            else "<p>Nobody wrote in this period.</p>"
        )
        + "</section>"
    )
    definitions = "".join(f"<dt>{_e(t)}</dt><dd>{_e(d)}</dd>" for t, d in DEFINITIONS)
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in view.notes)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Community health — {_e(name)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>Community health — {_e(name)}</h1>"
        f'<p class="sub">{_e(_window(view))} · {view.member_count} members · '
        f"{view.post_count} posts and comments in all</p>"
        f"{_kpi_cards(view, keys)}"
        f'<div class="grid">{"".join(figures)}{thanks}'
        '<section class="card wide"><h2>How these figures are computed</h2>'
        f"<dl>{definitions}</dl>{notes}</section>"
        "</div>"
        f"<footer>Written by tact on {view.now:%Y-%m-%d %H:%M} UTC. Nobody is named here as inactive: "
        "quiet members get a private word, never a list.</footer>"
        "</main></body></html>\n"
    )


def write_report(view: HealthView, keys: Sequence[str], out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write report.md and/or report.html into `out_dir` (atomically); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        text = markdown(view, keys) if fmt == "md" else html_page(view, keys)
        path = out_dir / f"report.{fmt}"
        atomic_write_bytes(path, text.encode("utf-8"))
        written.append(path)
    return written
