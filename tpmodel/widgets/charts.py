"""The page's charts as inline SVG strings (cheap to redraw on every move) and its small HTML tables."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..formatting import format_money
from .numbers import nice_ceiling


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high - low <= 0:
        return [low]
    step = nice_ceiling((high - low) / count)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(math.ceil((high - first) / step) + 1)]


def svg(width: int, height: int, title: str, body: list[str]) -> str:
    """An SVG chart drawn on a `width` x `height` canvas, shown at that size or narrower: it scales down
    (keeping its proportions) to the width the page has, so no chart is clipped on a small screen."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        f'<text x="{width / 2}" y="14" text-anchor="middle" font-weight="bold" font-size="12">'
        f"{html.escape(title)}</text>{''.join(body)}</svg>"
    )


def column_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    line: tuple[str, Sequence[float]] | None = None,
    colors: Sequence[str] = ("#2b7bb9", "#f28e2b", "#59a14f"),
    width: int = 380,
    height: int = 250,
) -> str:
    """Stacked columns (positive parts up, negative down) with an optional line, as an SVG string."""
    left, right, top = 52, 10, 24
    slanted = (width - left - right) / max(1, len(labels)) < 6.5 * max(map(len, labels), default=0)
    bottom = 62 if slanted else 36  # room for year names written slanted
    names = list(series)
    ups = [sum(max(0.0, series[n][i]) for n in names) for i in range(len(labels))]
    downs = [sum(min(0.0, series[n][i]) for n in names) for i in range(len(labels))]
    extra = list(line[1]) if line else []
    lo, hi = min([0.0, *downs, *extra]), max([0.0, *ups, *extra])
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    span = (hi - lo) or 1.0
    plot_h, plot_w = height - top - bottom, width - left - right

    def y(v: float) -> float:
        return top + (hi - v) / span * plot_h

    body = [
        f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
        f'<text x="{left - 4}" y="{y(t) + 4:.1f}" text-anchor="end">{t:,.0f}</text>'
        for t in ticks
    ]
    slot = plot_w / max(1, len(labels))
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        up = down = 0.0
        for k, name in enumerate(names):
            v = float(series[name][i])
            base = up if v >= 0 else down
            y0, y1 = sorted((y(base), y(base + v)))
            body.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{max(0.5, y1 - y0):.1f}" '
                f'fill="{colors[k % len(colors)]}"><title>{html.escape(name)} {label}: {v:,.1f}</title></rect>'
            )
            up, down = (up + v, down) if v >= 0 else (up, down + v)
        cx, cy = x + slot * 0.35, height - bottom + 14
        turn = f' transform="rotate(-30 {cx:.1f} {cy})"' if slanted else ""
        body.append(f'<text x="{cx:.1f}" y="{cy}" text-anchor="{"end" if turn else "middle"}"{turn}>{label}</text>')
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#555"/>')
    if line:
        points = " ".join(f"{left + (i + 0.5) * slot:.1f},{y(v):.1f}" for i, v in enumerate(line[1]))
        body.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-width="2"/>')
        body += [
            f'<circle cx="{left + (i + 0.5) * slot:.1f}" cy="{y(v):.1f}" r="3"><title>{line[0]} {labels[i]}: '
            f"{v:,.1f}</title></circle>"
            for i, v in enumerate(line[1])
        ]
    keys = [*names, *([line[0]] if line else [])]
    x = left
    for k, name in enumerate(keys):
        color = colors[k % len(colors)] if k < len(names) else "black"
        x += 0 if k == 0 else 24 + 6.5 * len(keys[k - 1])
        body.append(
            f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{height - 5}">{html.escape(name)}</text>'
        )
    return svg(width, height, title, body)


def _bar_frame(
    names: Iterable[str], lo: float, hi: float, width: int
) -> tuple[int, int, int, int, Callable[[float], float]]:
    """The frame of a horizontal bar chart: left margin (fits the longest name), top margin, row height,
    plot width, and the map from a value in [lo, hi] to its x position [px]."""
    left, right, top, row = max(110, round(6.2 * max(map(len, names), default=0)) + 10), 56, 24, 22
    span = (hi - lo) or 1.0
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - lo) / span * plot_w

    return left, top, row, plot_w, x


def bar_chart(values: Mapping[str, float], title: str, width: int = 380, height: int | None = None) -> str:
    """Horizontal bars (green gains, red losses) with their values, as an SVG string."""
    numbers = [float(v) for v in values.values()]
    left, top, row, plot_w, x = _bar_frame(values, min(0.0, *numbers), max(0.0, *numbers), width)
    height = height or top + row * len(values) + 24
    body = []
    for i, (name, v) in enumerate(zip(values, numbers, strict=True)):
        y0 = top + i * row + 3
        x0, x1 = sorted((x(0), x(v)))
        color = "#59a14f" if v >= 0 else "#e15759"
        body.append(
            f'<text x="{left - 6}" y="{y0 + 12}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{x0:.1f}" y="{y0}" width="{max(0.5, x1 - x0):.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{max(x0, x1) + 4:.1f}" y="{y0 + 12}">{v:,.1f}</text>'
        )
    body.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top}" y2="{top + row * len(values)}" stroke="#555"/>')
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">£m, present value</text>')
    return svg(width, height, title, body)


def stacked_bar_chart(
    values: Mapping[str, Sequence[float]],
    parts: Sequence[str],
    title: str,
    colors: Sequence[str] = ("#59a14f", "#b07aa1"),
    width: int = 380,
) -> str:
    """Horizontal bars of `parts` stacked per row (positive parts right of the zero line, negative
    left), each part's value in a tooltip and the row's total written beside it, as an SVG string."""
    ups = [sum(max(0.0, float(v)) for v in vs) for vs in values.values()]
    downs = [sum(min(0.0, float(v)) for v in vs) for vs in values.values()]
    left, top, row, plot_w, x = _bar_frame(values, min(0.0, *downs), max(0.0, *ups), width)
    height = top + row * len(values) + 40
    body = []
    for i, (name, numbers) in enumerate(values.items()):
        y0 = top + i * row + 3
        body.append(f'<text x="{left - 6}" y="{y0 + 12}" text-anchor="end">{html.escape(name)}</text>')
        up = down = 0.0
        for k, (part, v) in enumerate(zip(parts, map(float, numbers), strict=True)):
            base = up if v >= 0 else down
            x0, x1 = sorted((x(base), x(base + v)))
            body.append(
                f'<rect x="{x0:.1f}" y="{y0}" width="{max(0.5, x1 - x0):.1f}" height="{row - 6}" '
                f'fill="{colors[k % len(colors)]}"><title>{html.escape(name)}, {html.escape(part)}: {v:,.1f}'
                "</title></rect>"
            )
            up, down = (up + v, down) if v >= 0 else (up, down + v)
        body.append(f'<text x="{x(up) + 4:.1f}" y="{y0 + 12}">{up + down:,.1f}</text>')
    body.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top}" y2="{top + row * len(values)}" stroke="#555"/>')
    for k, part in enumerate(parts):
        body.append(
            f'<rect x="{left + k * 150}" y="{height - 30}" width="10" height="10" fill="{colors[k % len(colors)]}"/>'
            f'<text x="{left + k * 150 + 14}" y="{height - 21}">{html.escape(part)}</text>'
        )
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle">£m, present value</text>')
    return svg(width, height, title, body)


def html_table(frame, caption: str, css_class: str = "tp-table") -> str:
    """A small pandas frame as an HTML table, numbers to 0.1 with thousands separators."""
    return frame.to_html(classes=css_class, float_format=format_money, border=0).replace(
        "<table", f"<table title='{html.escape(caption)}'", 1
    )
