"""Community health at a glance: activity against its usual level, when the group needs
moderators, who joins and climbs the ladder, how fast signals get handled, and the KPIs the
moderators chose.

The numbers come from `console.health_data` in a worker thread (first the index-only part,
then questions, signals and off-topic share); this module only draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.color import Color as RichColor
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Sparkline, Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from console.context import Tact
from console.errors import error_text
from console.health_data import STEPS, HealthView, gather, load_kpi_choice, run_step, save_kpi_choice
from console.safe_text import one_line, plain
from heuristics.health import (
    WEEKDAYS,
    Band,
    Bucket,
    HeatMap,
    Period,
    human_duration,
    kpi_lines,
    parse_period,
)
from heuristics.ladder import RUNGS, TARGET
from screens.not_saved import unless_not_saved
from screens.widgets.steady_footer import SteadyFooter

PERIODS: tuple[Period, ...] = (parse_period("30d"), parse_period("12w"), parse_period("3m"))


class Panel(Vertical):
    """A bordered box with a title: one picture of the health page."""

    def __init__(self, title: str, *children: Widget, id: str | None = None, legend: str = "") -> None:  # noqa: A002
        super().__init__(*children, id=id)
        self.border_title = title
        self.border_subtitle = legend
        """Our own markup (colour swatches), never member content."""


class Chart(PlotextPlot):
    """A plotext chart that draws itself once per size and data, not on every repaint.

    Textual renders a widget again on each layout pass (the first paint alone has several);
    a plotext build costs tens of milliseconds, so the text is kept until `changed()`.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._version = 0
        self._key: tuple[int, int, int, str] | None = None
        self._text: RenderResult | None = None

    def changed(self) -> None:
        """The figure was redrawn: render it again at the next refresh."""
        self._version += 1
        self.refresh()

    def render(self) -> RenderResult:
        key = (self.size.width, self.size.height, self._version, self.app.theme)
        if self._text is None or key != self._key:
            self._text = super().render()
            self._key = key
        return self._text


class HeatView(Static):
    """Weekday × hour cells, darker where busier."""

    def show(self, heat: HeatMap, waiting: bool) -> None:
        self.update(heat_text(heat, waiting))


_GLYPHS = " ░▒▓█"


def _cell(value: int, top: int, waiting: bool) -> tuple[str, Style]:
    """Two characters for one hour: a shade glyph (readable without colour) and a colour."""
    if top <= 0 or value <= 0:
        return "  ", Style(color="grey35")
    f = value / top
    level = max(1, math.ceil(f * 4))
    # From a dim slate to amber (activity) or to red (posts left waiting).
    lo = (70, 80, 95)
    hi = (230, 50, 50) if waiting else (250, 180, 40)
    rgb = tuple(int(a + (b - a) * f) for a, b in zip(lo, hi, strict=True))
    return _GLYPHS[level] * 2, Style(color=RichColor.from_rgb(*rgb))


def heat_text(heat: HeatMap, waiting: bool) -> Text:
    grid = heat.waiting if waiting else heat.activity
    top = max((max(row) for row in grid), default=0)
    out = Text()
    out.append("     " + "".join(f"{h:<6d}" for h in range(0, 24, 3)) + "\n", style="dim")
    for d, name in enumerate(WEEKDAYS):
        out.append(f"{name}  ", style="bold" if d >= 5 else "")
        for h in range(24):
            glyph, style = _cell(grid[d][h], top, waiting)
            out.append(glyph, style=style)
        out.append("\n")
    out.append("     less ", style="dim")
    for level in range(1, 5):
        glyph, style = _cell(level, 4, waiting)
        out.append(glyph[0], style=style)
    out.append(" more\n", style="dim")
    day, hour, count = heat.peak("waiting" if waiting else "activity")
    what = f"posts waited over {heat.wait_hours} h" if waiting else "posts and comments"
    if count:
        out.append(f"Peak: {WEEKDAYS[day]} {hour:02d}–{hour + 1:02d} h, {count} {what}", style="dim")
    else:
        out.append(f"No {what} in these {heat.days} days.", style="dim")
    return out


#: Which KPIs wait for which step of `console.health_data.STEPS`.
PENDING_KPIS: dict[str, tuple[str, ...]] = {
    "details": ("questions_answered",),
    "signals": ("median_triage", "open_signals"),
}


def kpi_table(view: HealthView, keys: Sequence[str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", min_width=8)
    table.add_column(min_width=36)
    table.add_column(style="dim")
    table.add_column(style="dim", justify="right")
    before = {line.key: line.value for line in kpi_lines(view.previous, keys)}
    waiting = {key for step in view.pending for key in PENDING_KPIS.get(step, ())}
    for line in kpi_lines(view.kpis, keys):
        if line.key in waiting:
            table.add_row("…", line.label, Text("computing…", style="italic"), "")
            continue
        was = before.get(line.key, "—")
        table.add_row(line.value, line.label, line.detail, f"was {was}" if was != "—" else "")
    if not keys:
        table.add_row("", "No KPI chosen — press k to pick some.", "", "")
    return table


def signals_text(view: HealthView) -> Text:
    k = view.kpis
    out = Text()
    if k.open_signals is None:
        computing = "signals" in view.pending
        out.append("Computing signals…" if computing else "Signals are not available.", style="dim italic")
        for note in view.notes:
            if note.startswith("Signals"):
                out.append("\n")
                out.append_text(plain(note, style="dim italic"))  # may quote an error message
        return out
    total = sum(k.open_signals.values())
    out.append(f"{total} open", style="bold")
    if k.triaged:
        out.append(f" · median time to triage {human_duration(k.median_triage)} (over {k.triaged})\n")
    else:
        out.append(f" · none triaged in the last {view.period.text}\n")
    top = max(k.open_signals.values(), default=0)
    for kind, n in sorted(k.open_signals.items(), key=lambda kv: (-kv[1], kv[0])):
        bar = "█" * max(1, round(24 * n / top)) if top else ""
        out.append(f"{kind:<16}", style="")
        out.append(bar, style="bold #e0a040")
        out.append(f" {n}\n")
    return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def thanks_text(view: HealthView) -> Text:
    out = Text()
    if not view.contributors:
        out.append("Nobody wrote in this period.", style="dim")
        return out
    shown = [one_line(name, limit=22) for name, _ in view.contributors]
    width = max(map(len, shown))
    for name, (_, c) in zip(shown, view.contributors, strict=True):
        out.append_text(plain(name.ljust(width), keep_newlines=False))
        out.append(f"  {_n(c.posts, 'post')} · {_n(c.comments, 'comment')}", style="dim")
        if c.welcomes:
            out.append(f" · {_n(c.welcomes, 'welcome')}", style="dim")
        out.append("\n")
    out.append("Worth a thank-you.", style="italic dim")
    return out


def _ticks(labels: Sequence[str], every: int) -> tuple[list[float], list[str]]:
    """Every `every`-th label, counted back from the newest (so "now" always has one)."""
    idx = list(range(len(labels) - 1, -1, -every))[::-1]
    return [float(i) for i in idx], [labels[i] for i in idx]


def _yticks(widget: Chart, top: float) -> None:
    """Whole-number ticks: counts of posts are never 4.6."""
    step = max(1, math.ceil(top / 4))
    magnitude = 10 ** max(0, len(str(step)) - 1)
    step = math.ceil(step / magnitude) * magnitude
    ticks = [float(v) for v in range(0, int(top) + step + 1, step)]
    widget.plt.yticks(ticks, [str(int(t)) for t in ticks])
    widget.plt.ylim(0, ticks[-1])


def draw_activity(
    widget: Chart,
    buckets: Sequence[Bucket],
    bands: Sequence[Band | None],
    every: int,
    label_format: str = "%d %b",
) -> None:
    plt = widget.plt
    plt.clear_figure()
    xs = list(range(len(buckets)))
    banded = [(i, b) for i, b in enumerate(bands) if b is not None]
    if banded:
        bx = [i for i, _ in banded]
        # The quiet-group baseline: its usual level, and the line below which a week is quiet.
        plt.plot(bx, [b.mid for _, b in banded], color="gray", marker="braille")
        plt.plot(bx, [b.low for _, b in banded], color="red", marker="braille")
    plt.plot(xs, [b.total for b in buckets], color="cyan", marker="braille")
    top = max([b.total for b in buckets] + [b.mid for _, b in banded] + [1])
    _yticks(widget, top)
    ticks, labels = _ticks([f"{b.label:{label_format}}" for b in buckets], every)
    plt.xticks(ticks, labels)
    widget.changed()


def column_text(values: Sequence[int], labels: Sequence[str], height: int = 8, every: int = 12) -> Text:
    """A column chart in block characters: exact heights to an eighth of a row, whole-number
    axis, labels counted back from the newest column."""
    top = max([*values, 1])
    eighths = " ▁▂▃▄▅▆▇█"
    out = Text()
    for r in range(height, 0, -1):
        if r == height:
            axis = f"{top:>3}┤"
        elif r == 1:
            axis = "  0┤"
        else:
            axis = "   │"
        out.append(axis, style="dim")
        for v in values:
            fill = min(max(v / top * height - (r - 1), 0.0), 1.0)
            glyph = eighths[math.ceil(fill * 8)] if v > 0 else " "
            out.append(glyph, style="#50c878")
        out.append("\n")
    out.append("   └" + "─" * len(values) + "\n", style="dim")
    line = [" "] * (len(values) + 4)
    for i in range(len(values) - 1, -1, -every):
        text = labels[i]
        start = min(4 + i - len(text) + 1, len(line) - len(text))
        if start >= 0 and all(c == " " for c in line[max(0, start - 1) : start + len(text)]):
            line[start : start + len(text)] = text
    out.append("".join(line).rstrip(), style="dim")
    return out


def new_members_text(view: HealthView, weeks: int = 48) -> Text:
    counts = view.new_members[-weeks:]
    out = column_text(counts, [f"{b.label:%b %y}" for b in view.weekly[-weeks:]])
    out.append(
        f"\n{sum(counts[-4:])} joined in the last 4 weeks, {sum(counts)} in {weeks} weeks", style="dim"
    )
    return out


LADDER_COLORS = {"lurkers": "grey58", "commenters": "cyan", "creators": "#f0a030"}
#: Distinct glyphs too, so the rungs stay apart without colour.
LADDER_GLYPHS = {"lurkers": "░", "commenters": "▓", "creators": "█"}


def _stack(shares: Sequence[float], width: int) -> Text:
    """One bar, lurkers | commenters | creators; a rung with any member gets a cell."""
    cells = [max(1, round(v * width)) if v > 0 else 0 for v in shares]
    cells[0] = max(0, width - cells[1] - cells[2])
    out = Text()
    for n, name in zip(cells, LADDER_COLORS, strict=True):
        out.append(LADDER_GLYPHS[name] * n, style=LADDER_COLORS[name])
    return out


def ladder_text(view: HealthView, months: int = 10, width: int = 26) -> Text:
    ladder = view.ladder
    out = Text()
    if ladder is None:
        computing = "details" in view.pending
        out.append("Computing…" if computing else "The ladder is not available.", style="dim italic")
        return out
    out.append("         ")
    for name, color in LADDER_COLORS.items():
        out.append(f"{LADDER_GLYPHS[name] * 2} ", style=color)
        out.append(f"{name}  ", style="dim")
    out.append("\n")
    out.append("90-9-1   ", style="bold")
    out.append_text(_stack([TARGET[r] for r in RUNGS], width))
    out.append("  90 /  9 /  1\n", style="dim")
    rows = list(zip(ladder.labels, ladder.lurkers, ladder.commenters, ladder.creators, strict=True))
    for label, lurk, comm, crea in rows[-months:]:
        out.append(f"{label:<9}", style="bold" if label == "now" else "dim")
        out.append_text(_stack([lurk, comm, crea], width))
        out.append(f"  {100 * lurk:2.0f} / {100 * comm:2.0f} / {100 * crea:2.0f}\n")
    return out


def draw_off_topic(widget: Chart, view: HealthView) -> None:
    plt = widget.plt
    plt.clear_figure()
    weeks = view.off_topic
    if weeks is None:
        plt.title("computing…" if "off_topic" in view.pending else "off-topic share not available")
        widget.changed()
        return
    xs = [i for i, w in enumerate(weeks) if w.share is not None]
    shares = [100 * (weeks[i].share or 0.0) for i in xs]
    plt.plot(list(range(len(weeks))), [100 * view.tolerance] * len(weeks), color="red", marker="braille")
    plt.plot(xs, shares, color="orange", marker="braille")
    top = max([*shares, 100 * view.tolerance, 1.0])
    if top > 50:  # a share never passes 100 %: quarter ticks read better than 0/30/60/90/120
        plt.yticks([0.0, 25.0, 50.0, 75.0, 100.0], ["0", "25", "50", "75", "100"])
        plt.ylim(0, 100)
    else:
        _yticks(widget, top)
    ticks, labels = _ticks([f"{w.end:%d %b}" for w in weeks], 6)
    plt.xticks(ticks, labels)
    widget.changed()


class HealthScreen(Screen[None]):
    """How is the group doing? One page, scrolled with the arrows."""

    CSS_PATH = "health.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose_kpis", "KPIs", tooltip="Choose which KPIs the panel shows", id="health-kpis"),
        Binding(
            "p",
            "cycle_period",
            "Period",
            tooltip="KPI period: 30 days, 12 weeks, 3 months",
            id="health-period",
        ),
        Binding(
            "w",
            "toggle_waiting",
            "Heat: waiting/all",
            tooltip="Heat map of all activity, or of posts left waiting",
        ),
        Binding("r", "reload", "Refresh", tooltip="Recompute from the store and the audit log"),
        Binding("down,j", "scroll('down')", "Down", show=False),
        Binding("up", "scroll('up')", "Up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
    ]

    waiting: reactive[bool] = reactive(False)
    """Whether the heat map shows posts left waiting for a reply instead of all activity."""

    @dataclass
    class Loaded(Message):
        """A health view is ready (`view.pending` says which slower steps are still to come)."""

        view: HealthView
        token: int
        """Which load it comes from: a thread cannot be stopped mid-step, so late answers
        from an older load are recognised and dropped."""

    @dataclass
    class Failed(Message):
        error: str

    def __init__(self, tact: Tact) -> None:
        super().__init__()
        self.tact = tact
        self.period: Period = PERIODS[0]
        self.kpis: tuple[str, ...] = load_kpi_choice(tact)
        self.view: HealthView | None = None
        self._token = 0

    def compose(self) -> ComposeResult:
        activity = "[cyan]━[/] posts + comments  [gray]━[/] usual  [red]━[/] quiet below"
        yield Header()
        with VerticalScroll(id="health"):
            yield Static(id="title")
            yield Panel("KPIs", Static(id="kpis"), id="kpi-panel")
            with Grid(id="charts"):
                yield Panel(
                    "Posts and comments per day — 90 days",
                    Sparkline([], id="spark"),
                    Chart(id="daily"),
                    id="daily-panel",
                    legend=activity,
                )
                yield Panel("Per week — two years", Chart(id="weekly"), id="weekly-panel", legend=activity)
                yield Panel("When the group writes (13 weeks)", HeatView(id="heat"), id="heat-panel")
                yield Panel("Open signals", Static(id="signals"), id="signals-panel")
                yield Panel("New members per week — 48 weeks", Static(id="joins"), id="joins-panel")
                yield Panel("Participation ladder vs 90-9-1 (%)", Static(id="ladder"), id="ladder-panel")
                yield Panel(
                    "Off-topic share per week (%)",
                    Static(id="offtopic-note"),
                    Chart(id="offtopic"),
                    id="offtopic-panel",
                    legend="[orange]━[/] off topic  [red]━[/] the group's tolerance",
                )
                yield Panel("Members to thank", Static(id="thanks"), id="thanks-panel")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#title", Static).update(Text("Loading…", style="dim"))
        self._start()

    def _set_loading(self, on: bool) -> None:
        # One indicator for the whole page: a spinner per panel would repaint eight times a
        # frame and steal the interpreter from the worker computing the numbers.
        self.query_one("#charts", Grid).loading = on

    def _start(self) -> None:
        self._token += 1
        self._set_loading(True)
        self.load(self._token)

    @work(thread=True, exclusive=True, exit_on_error=False, group="health")
    def load(self, token: int) -> None:
        worker = get_current_worker()
        try:
            view = gather(self.tact, self.period)
            self.post_message(self.Loaded(view, token))
            for key, _words, _step in STEPS:
                if worker.is_cancelled:  # a newer load (refresh, period) took over
                    return
                view = run_step(self.tact, view, key)
                self.post_message(self.Loaded(view, token))
        except Exception as err:  # a broken helper module must not take the screen down
            self.post_message(self.Failed(error_text(err)))

    def on_health_screen_failed(self, message: Failed) -> None:
        self._set_loading(False)
        self.notify(
            plain(message.error).plain,
            title="Health: could not compute everything",
            severity="error",
            markup=False,
        )

    def on_health_screen_loaded(self, message: Loaded) -> None:
        if message.token != self._token:
            return
        view = message.view
        first = self.view is None or self.view.daily is not view.daily
        self.view = view
        self._set_loading(False)
        title = Text()
        title.append_text(plain(view.community or "Community", style="bold", keep_newlines=False))
        title.append(
            f"  ·  {view.member_count} members · {view.post_count} posts · "
            f"{view.now:%Y-%m-%d %H:%M} UTC · KPIs over {view.period.text}",
            style="dim",
        )
        if not view.complete:
            title.append("  ·  computing…", style="italic dim")
        self.query_one("#title", Static).update(title)
        self.query_one("#kpis", Static).update(kpi_table(view, self.kpis))
        if first:  # the later steps leave these pictures as they were: don't redraw them
            self.query_one("#spark", Sparkline).data = [b.total for b in view.daily]
            draw_activity(self.query_one("#daily", Chart), view.daily, view.daily_band, 21)
            draw_activity(self.query_one("#weekly", Chart), view.weekly, view.weekly_band, 26, "%b %y")
            self.watch_waiting(self.waiting)  # draws the heat map; its title names the zone
        self.query_one("#signals", Static).update(signals_text(view))
        self.query_one("#joins", Static).update(new_members_text(view))
        self.query_one("#ladder", Static).update(ladder_text(view))
        draw_off_topic(self.query_one("#offtopic", Chart), view)
        self.query_one("#thanks", Static).update(thanks_text(view))
        missing = view.off_topic is None
        note = (
            "Computing… (reads every post's text)"
            if "off_topic" in view.pending
            else "\n".join(n for n in view.notes if "off-topic" in n)
        )
        self.query_one("#offtopic-note", Static).update(Text(note if missing else "", style="dim italic"))
        self.query_one("#offtopic", Chart).display = not missing

    def watch_waiting(self, waiting: bool) -> None:
        if self.view is not None:
            self.query_one("#heat", HeatView).show(self.view.heat, waiting)
        panel = self.query_one("#heat-panel", Panel)
        zone = self.view.heat.tz if self.view is not None else "UTC"
        panel.border_title = (
            f"When posts wait over 2 h for a reply ({zone}, 13 weeks)"
            if waiting
            else f"When the group writes ({zone}, 13 weeks)"
        )

    def action_toggle_waiting(self) -> None:
        self.waiting = not self.waiting

    def action_reload(self) -> None:
        self._start()

    def action_cycle_period(self) -> None:
        i = PERIODS.index(self.period) if self.period in PERIODS else -1
        self.period = PERIODS[(i + 1) % len(PERIODS)]
        self.notify(f"KPIs over {self.period.text}", timeout=2, markup=False)
        self.action_reload()

    def action_scroll(self, how: str) -> None:
        scroller = self.query_one("#health", VerticalScroll)
        getattr(scroller, f"scroll_{how}")()

    def action_choose_kpis(self) -> None:
        from screens.kpi_picker import KpiPicker

        def chosen(keys: tuple[str, ...] | None) -> None:
            if keys is None:
                return
            self.kpis = keys
            if self.view is not None:
                self.query_one("#kpis", Static).update(kpi_table(self.view, keys))
            with unless_not_saved(self):  # shown for now all the same
                save_kpi_choice(self.tact, keys)

        self.app.push_screen(KpiPicker(self.kpis), chosen)
