"""Small SVG charts for the health report: no JavaScript, no fonts, no network.

Each function returns one `<svg>` element as a string. Every piece of text that enters one
is escaped here (`html.escape`), whatever its source, so a caller cannot forget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from heuristics.health import WEEKDAYS, Band

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
GRID = "#e3e6ea"
INK = "#3a4150"
MUTED = "#7a8291"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    color: str
    values: Sequence[float | None]
    """None leaves a gap (e.g. a week with no post to judge)."""
    width: float = 2.0
    dash: str = ""


def _nice_top(top: float, integer: bool = False) -> tuple[float, float]:
    """A round axis top and step for values up to `top` (4 or 5 grid lines); whole steps
    when the values are counts (nobody joins 2.5 times)."""
    if top <= 0:
        return (4.0, 1.0) if integer else (1.0, 0.25)
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * magnitude
        if integer and step != int(step):
            continue
        if step >= raw:
            break
    return step * math.ceil(top / step), step


def _fmt(v: float, percent: bool) -> str:
    if percent:
        return f"{v:.0f}%"
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 or v >= 10 else f"{v:.1f}"


def _frame(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" {FONT}>'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def line_chart(
    title: str,
    series: Sequence[Series],
    labels: Sequence[str],
    band: Sequence[Band | None] | None = None,
    hline: tuple[float, str, str] | None = None,
    percent: bool = False,
    width: int = 560,
    height: int = 220,
    every: int = 1,
) -> str:
    """Lines over shared x labels, an optional shaded band (the usual range) and an optional
    horizontal reference line (value, colour, name)."""
    left, right, top_pad, bottom = 44, 12, 12, 44
    pw, ph = width - left - right, height - top_pad - bottom
    n = max(len(labels), 1)
    values = [v for s in series for v in s.values if v is not None]
    if band:
        values += [b.high for b in band if b is not None]
    if hline:
        values.append(hline[0])
    ymax, step = _nice_top(max(values, default=0.0))

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top_pad + ph - ph * v / ymax

    body: list[str] = []
    v = 0.0
    while v <= ymax + 1e-9:
        body.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(_fmt(v, percent))}</text>'
        )
        v += step
    if band:
        # One polygon per unbroken run of known bands: high edge forward, low edge back.
        runs: list[list[int]] = []
        for i, b in enumerate(band):
            if b is None:
                continue
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            pts = [f"{x(i):.1f},{y(band[i].high):.1f}" for i in run]  # type: ignore[union-attr]
            pts += [f"{x(i):.1f},{y(band[i].low):.1f}" for i in reversed(run)]  # type: ignore[union-attr]
            body.append(
                f'<polygon points="{" ".join(pts)}" fill="#9aa5b8" fill-opacity="0.28" stroke="none"/>'
            )
    if hline:
        body.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(hline[0]):.1f}" y2="{y(hline[0]):.1f}" '
            f'stroke="{hline[1]}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    for s in series:
        segments: list[list[str]] = [[]]
        for i, val in enumerate(s.values):
            if val is None:
                segments.append([])
            else:
                segments[-1].append(f"{x(i):.1f},{y(val):.1f}")
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{s.color}"/>')
            elif seg:
                body.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{s.color}" '
                    f'stroke-width="{s.width}" stroke-linejoin="round"{dash}/>'
                )
    for i in range(n - 1, -1, -every):
        anchor = "end" if i == n - 1 else "middle"  # the newest label must not run off the edge
        body.append(
            f'<text x="{x(i):.1f}" y="{top_pad + ph + 16}" font-size="11" text-anchor="{anchor}" '
            f'fill="{MUTED}">{escape(labels[i])}</text>'
        )
    body.append(_legend(series, band is not None, hline, left, height - 8))
    return _frame(width, height, title, body)


def _legend(
    series: Sequence[Series], band: bool, hline: tuple[float, str, str] | None, x0: int, y0: int
) -> str:
    parts: list[str] = []
    x = float(x0)
    items: list[tuple[str, str]] = [(s.color, s.name) for s in series]
    if band:
        items.append(("band", "usual range"))
    if hline:
        items.append((hline[1], hline[2]))
    for color, name in items:
        if color == "band":
            parts.append(
                f'<rect x="{x:.0f}" y="{y0 - 9}" width="16" height="10" fill="#9aa5b8" fill-opacity="0.4"/>'
            )
        else:
            parts.append(
                f'<line x1="{x:.0f}" x2="{x + 16:.0f}" y1="{y0 - 4}" y2="{y0 - 4}" '
                f'stroke="{color}" stroke-width="3"/>'
            )
        parts.append(f'<text x="{x + 21:.0f}" y="{y0}" font-size="11" fill="{INK}">{escape(name)}</text>')
        x += 30 + 6.5 * len(name)
    return "".join(parts)


def bar_chart(
    title: str,
    values: Sequence[float],
    labels: Sequence[str],
    color: str = "#3f9a6b",
    width: int = 560,
    height: int = 200,
    every: int = 1,
) -> str:
    left, right, top_pad, bottom = 44, 12, 12, 28
    pw, ph = width - left - right, height - top_pad - bottom
    n = max(len(values), 1)
    ymax, step = _nice_top(max(values, default=0.0), integer=True)
    slot = pw / n
    body: list[str] = []
    v = 0.0
    while v <= ymax + 1e-9:
        yy = top_pad + ph - ph * v / ymax
        body.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" font-size="11" text-anchor="end" fill="{MUTED}">'
            f"{escape(_fmt(v, False))}</text>"
        )
        v += step
    for i, val in enumerate(values):
        h = ph * val / ymax
        body.append(
            f'<rect x="{left + i * slot + slot * 0.12:.1f}" y="{top_pad + ph - h:.1f}" '
            f'width="{slot * 0.76:.1f}" height="{h:.1f}" fill="{color}"><title>{escape(labels[i])}: '
            f"{escape(_fmt(val, False))}</title></rect>"
        )
    for i in range(n - 1, -1, -every):
        anchor = "end" if i == n - 1 else "middle"
        xx = left + (i + 1) * slot if i == n - 1 else left + (i + 0.5) * slot
        body.append(
            f'<text x="{xx:.1f}" y="{top_pad + ph + 16}" font-size="11" '
            f'text-anchor="{anchor}" fill="{MUTED}">{escape(labels[i])}</text>'
        )
    return _frame(width, height, title, body)


def stacked_shares(
    title: str,
    rows: Sequence[tuple[str, Sequence[float]]],
    names: Sequence[str],
    colors: Sequence[str],
    width: int = 560,
) -> str:
    """One horizontal bar per row, split into shares that sum to 1, with the percentages."""
    left, right, row_h, top_pad = 64, 110, 20, 26
    pw = width - left - right
    height = top_pad + row_h * len(rows) + 8
    body: list[str] = []
    x = float(left)
    for name, color in zip(names, colors, strict=True):
        body.append(f'<rect x="{x:.0f}" y="6" width="12" height="12" fill="{color}"/>')
        body.append(f'<text x="{x + 17:.0f}" y="16" font-size="11" fill="{INK}">{escape(name)}</text>')
        x += 30 + 6.5 * len(name)
    for r, (label, shares) in enumerate(rows):
        yy = top_pad + r * row_h
        body.append(
            f'<text x="{left - 8}" y="{yy + 13}" font-size="11" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        xx = float(left)
        for share, color in zip(shares, colors, strict=True):
            w = pw * max(share, 0.0)
            body.append(
                f'<rect x="{xx:.1f}" y="{yy + 2}" width="{w:.1f}" height="{row_h - 5}" fill="{color}"/>'
            )
            xx += w
        text = " / ".join(f"{100 * s:.0f}" for s in shares)
        body.append(
            f'<text x="{left + pw + 8}" y="{yy + 13}" font-size="11" fill="{MUTED}">{escape(text)} %</text>'
        )
    return _frame(width, height, title, body)


def heat_grid(title: str, grid: Sequence[Sequence[int]], hot: str = "#e8961e", width: int = 560) -> str:
    """Weekday rows × 24 hour columns, the darker the busier."""
    left, top_pad, cell_h = 40, 20, 22
    cw = (width - left - 8) / 24
    height = top_pad + 7 * cell_h + 26
    peak = max((max(row) for row in grid), default=0)
    r1, g1, b1 = int(hot[1:3], 16), int(hot[3:5], 16), int(hot[5:7], 16)
    body: list[str] = []
    for h in range(0, 24, 3):
        body.append(
            f'<text x="{left + h * cw + cw / 2:.1f}" y="{top_pad - 6}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{h:02d}h</text>'
        )
    for d, name in enumerate(WEEKDAYS):
        yy = top_pad + d * cell_h
        weight = ' font-weight="bold"' if d >= 5 else ""
        body.append(
            f'<text x="{left - 6}" y="{yy + 15}" font-size="11" text-anchor="end" fill="{INK}"{weight}>'
            f"{name}</text>"
        )
        for h in range(24):
            value = grid[d][h]
            f = value / peak if peak else 0.0
            r = int(246 + (r1 - 246) * f)
            g = int(247 + (g1 - 247) * f)
            b = int(249 + (b1 - 249) * f)
            body.append(
                f'<rect x="{left + h * cw:.1f}" y="{yy}" width="{cw - 1.5:.1f}" height="{cell_h - 2}" rx="2" '
                f'fill="rgb({r},{g},{b})"><title>{name} {h:02d}:00 — {value}</title></rect>'
            )
    yy = top_pad + 7 * cell_h + 14
    body.append(f'<text x="{left}" y="{yy}" font-size="11" fill="{MUTED}">less</text>')
    for i in range(5):
        f = i / 4
        r = int(246 + (r1 - 246) * f)
        g = int(247 + (g1 - 247) * f)
        b = int(249 + (b1 - 249) * f)
        body.append(
            f'<rect x="{left + 30 + i * 16}" y="{yy - 10}" width="14" height="12" fill="rgb({r},{g},{b})"/>'
        )
    body.append(f'<text x="{left + 30 + 5 * 16 + 4}" y="{yy}" font-size="11" fill="{MUTED}">more</text>')
    return _frame(width, height, title, body)


def hbars(title: str, items: Sequence[tuple[str, int]], color: str = "#d9822b", width: int = 560) -> str:
    """Labelled horizontal bars, e.g. open signals per kind."""
    left, right, row_h = 130, 50, 22
    height = max(row_h * len(items) + 8, 30)
    top = max((n for _, n in items), default=0)
    body: list[str] = []
    if not items:
        body.append(f'<text x="8" y="20" font-size="12" fill="{MUTED}">none</text>')
    for r, (label, n) in enumerate(items):
        yy = 4 + r * row_h
        w = (width - left - right) * n / top if top else 0
        body.append(
            f'<text x="{left - 8}" y="{yy + 14}" font-size="12" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{yy + 3}" width="{w:.1f}" height="{row_h - 7}" rx="2" fill="{color}"/>'
            f'<text x="{left + w + 6:.1f}" y="{yy + 14}" font-size="12" fill="{INK}">{n}</text>'
        )
    return _frame(width, height, title, body)
