"""Charts as inline SVG: numbers in, an ``<svg>`` string out, drawn by the browser.

The dashboard redraws a chart on every control move; matplotlib's Agg takes 100-300 ms for one
figure here, a string of SVG well under a millisecond per series.  The browser draws the text, so
Chinese names need no font fallback, and the chart is shown at exactly the size it is drawn at
(``width``/``height`` equal the ``viewBox``, scaled down only as a whole, never squeezed).

The look is :mod:`crmselect.show.style`'s: vendor colours and offer dashes from a palette, amounts
in the selection's currency and unit (:func:`style.money_label`), weights and shares in %, legends
right of the data.  Every mark carries a ``<title>`` (its tooltip) with the value it shows.
Nothing here computes a result; callers pass the numbers a result object holds.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crmselect.show import style

__all__ = ["Bar", "Dot", "Line", "Point", "frontier_chart", "line_chart", "nice_ticks", "stacked_bar_chart"]

FONT = "font-family:sans-serif;font-size:11px;fill:#222"
LEGEND_WIDTH = 190  # px right of the plot
DASHES = {"-": "", "--": "6 3", ":": "2 3", "-.": "6 3 2 3"}


@dataclass(frozen=True)
class Line:
    """One series: its name (legend), points, colour and dash (a matplotlib line style)."""

    name: str
    x: Sequence[float]
    y: Sequence[float]
    colour: str
    linestyle: str = "-"
    faded: bool = False


@dataclass(frozen=True)
class Point:
    """A marked point (a crossover, a rank change) with its tooltip."""

    x: float
    y: float
    tip: str


@dataclass(frozen=True)
class Bar:
    """One row of a stacked bar chart: its label and its segments as (value, colour, tooltip)."""

    label: str
    segments: Sequence[tuple[float, str, str]]
    faded: bool = False
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = [round(first, 12)]
    while ticks[-1] < high - step * 1e-9:  # the last tick at or above the highest value: no line leaves the plot
        ticks.append(round(first + len(ticks) * step, 12))
    return ticks


def _svg(width: int, height: int, body: Sequence[str], css_class: str, title: str) -> str:
    # width/height equal the viewBox: shown at its drawn size, and shrunk as a whole (height:auto) in a narrow box
    return (f"<svg class='crmselect-chart {css_class}' xmlns='http://www.w3.org/2000/svg' width='{width}' "
            f"height='{height}' viewBox='0 0 {width} {height}' role='img' aria-label='{_e(title)}' "
            f"style='max-width:100%;height:auto;display:block'>{''.join(body)}</svg>")


def _wrap(text: str, width: int = 26) -> list[str]:
    """A legend entry on at most two lines of ``width`` characters (the rest cut with an ellipsis; whole in the
    tooltip)."""
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return lines


def _legend(entries: Sequence[tuple[str, str, str, str]], left: int, top: int) -> tuple[list[str], int]:
    """Legend entries (name, colour, kind 'line'/'box'/'dot', dash) from (left, top); the SVG and the bottom y."""
    out = []
    y = top
    for name, colour, kind, dash in entries:
        if kind == "line":
            mark = (f"<line x1='{left}' y1='{y + 6}' x2='{left + 18}' y2='{y + 6}' stroke='{colour}' "
                    f"stroke-width='2' stroke-dasharray='{dash}'/>")
        elif kind == "dot":
            mark = f"<circle cx='{left + 9}' cy='{y + 6}' r='3.5' fill='{colour}'/>"
        else:
            mark = f"<rect x='{left + 4}' y='{y + 1}' width='10' height='10' fill='{colour}'/>"
        lines = _wrap(name)
        text = "".join(f"<tspan x='{left + 24}' dy='{0 if k == 0 else 13}'>{_e(line)}</tspan>"
                       for k, line in enumerate(lines))
        out.append(f"<g><title>{_e(name)}</title>{mark}<text y='{y + 10}' style='{FONT}'>{text}</text></g>")
        y += 13 * len(lines) + 5
    return out, y


@dataclass(frozen=True)
class _Area:
    """The plot area in pixels and the data range it shows."""

    left: float
    right: float
    top: float
    bottom: float
    x0: float
    x1: float
    y0: float
    y1: float

    def px(self, x: float) -> float:
        return self.left + (x - self.x0) / ((self.x1 - self.x0) or 1.0) * (self.right - self.left)

    def py(self, y: float) -> float:
        return self.bottom - (y - self.y0) / ((self.y1 - self.y0) or 1.0) * (self.bottom - self.top)


def _axes(area: _Area, width: int, height: int, title: str, y_ticks: Sequence[tuple[float, str]],
          x_ticks: Sequence[tuple[float, str]], x_label: str, y_label: str) -> list[str]:
    """The white ground, the title, grid lines with the y ticks, the x ticks, both axes and their labels."""
    left, right, top, bottom = area.left, area.right, area.top, area.bottom
    body = [f"<rect x='0' y='0' width='{width}' height='{height}' fill='white'/>"]
    if title:
        body.append(f"<text x='{left}' y='16' style='{FONT};font-weight:bold;font-size:12px'>{_e(title)}</text>")
    for value, text in y_ticks:
        y = area.py(value)
        body.append(f"<line x1='{left}' y1='{y:.1f}' x2='{right}' y2='{y:.1f}' stroke='#e6e6e6'/>"
                    f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end' style='{FONT}'>{_e(text)}</text>")
    for value, text in x_ticks:
        x = area.px(value)
        body.append(f"<line x1='{x:.1f}' y1='{bottom}' x2='{x:.1f}' y2='{bottom + 4}' stroke='#444'/>"
                    f"<text x='{x:.1f}' y='{bottom + 16}' text-anchor='middle' style='{FONT}'>{_e(text)}</text>")
    body.append(f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#444'/>"
                f"<line x1='{left}' y1='{top}' x2='{left}' y2='{bottom}' stroke='#444'/>")
    body.append(f"<text x='{(left + right) / 2:.1f}' y='{height - 8}' text-anchor='middle' style='{FONT}'>"
                f"{_e(x_label)}</text>")
    body.append(f"<text transform='translate(14 {(top + bottom) / 2:.1f}) rotate(-90)' text-anchor='middle' "
                f"style='{FONT}'>{_e(y_label)}</text>")
    return body


def line_chart(lines: Sequence[Line], *, x_ticks: Sequence[tuple[float, str]], x_label: str, y_label: str,
               y_format: Callable[[float], str], x_range: tuple[float, float] | None = None,
               points: Sequence[Point] = (), points_name: str = "", vline: tuple[float, str] | None = None,
               x_format: Callable[[float], str] | None = None, y_floor: float | None = None, title: str = "",
               width: int = 640, height: int = 340, css_class: str = "crmselect-line-chart") -> str:
    """Lines over x with axes, a dashed vertical mark (``vline``: x and its legend text) and marked points."""
    left, right, top, bottom = 74, width - LEGEND_WIDTH, 26 if title else 12, height - 44
    xs = [float(v) for line in lines for v in line.x] or [0.0, 1.0]
    ys = [float(v) for line in lines for v in line.y if math.isfinite(float(v))] or [0.0, 1.0]
    x0, x1 = x_range if x_range is not None else (min(xs), max(xs))
    low = min(ys) if y_floor is None else min(y_floor, min(ys))
    y_ticks = nice_ticks(low, max(ys))
    y0, y1 = y_ticks[0], y_ticks[-1] if y_ticks[-1] > y_ticks[0] else y_ticks[0] + 1.0

    area = _Area(left, right, top, bottom, x0, x1, y0, y1)
    px, py = area.px, area.py
    body = _axes(area, width, height, title, [(v, y_format(v)) for v in y_ticks], x_ticks, x_label, y_label)
    entries: list[tuple[str, str, str, str]] = []
    for line in lines:
        path = " ".join(f"{px(float(x)):.1f},{py(float(y)):.1f}" for x, y in zip(line.x, line.y, strict=True))
        dash = DASHES.get(line.linestyle, "")
        opacity = " stroke-opacity='0.75'" if line.faded else ""
        tips = "; ".join(f"{x_format(float(x)) if x_format else x}: {y_format(float(y))}"
                         for x, y in zip(line.x, line.y, strict=True))
        body.append(f"<polyline points='{path}' fill='none' stroke='{line.colour}' stroke-width='2' "
                    f"stroke-dasharray='{dash}'{opacity}><title>{_e(line.name)}: {_e(tips)}</title></polyline>")
        entries.append((line.name, line.colour, "line", dash))
    if vline is not None:
        x = px(vline[0])
        body.append(f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='{style.MARK}' "
                    f"stroke-dasharray='5 3'><title>{_e(vline[1])}</title></line>")
        entries.append((vline[1], style.MARK, "line", "5 3"))
    for point in points:
        body.append(f"<circle cx='{px(point.x):.1f}' cy='{py(point.y):.1f}' r='3.5' fill='{style.MARK}'>"
                    f"<title>{_e(point.tip)}</title></circle>")
    if points and points_name:
        entries.append((points_name, style.MARK, "dot", ""))
    legend, _end = _legend(entries, right + 12, top)
    body += legend
    return _svg(width, height, body, css_class, title or y_label)


def stacked_bar_chart(bars: Sequence[Bar], *, legend: Sequence[tuple[str, str]], x_max: float,
                      x_format: Callable[[float], str], x_label: str = "", title: str = "", width: int = 640,
                      label_width: int = 200, css_class: str = "crmselect-bar-chart") -> str:
    """Horizontal bars, one per row, stacked from its segments; first row on top; legend (name, colour) right."""
    row = 22
    top = 26 if title else 8
    left, right = label_width, width - LEGEND_WIDTH
    bottom = top + row * len(bars) + 4
    legend_svg, legend_end = _legend([(name, colour, "box", "") for name, colour in legend], right + 12, top)
    height = max(bottom + 40, legend_end + 8)
    scale = (right - left) / (x_max or 1.0)
    body = [f"<rect x='0' y='0' width='{width}' height='{height}' fill='white'/>"]
    if title:
        body.append(f"<text x='{left}' y='16' style='{FONT};font-weight:bold;font-size:12px'>{_e(title)}</text>")
    for value in nice_ticks(0.0, x_max, 4):
        if value > x_max * 1.0001:
            continue
        x = left + value * scale
        body.append(f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='#e6e6e6'/>"
                    f"<text x='{x:.1f}' y='{bottom + 14}' text-anchor='middle' style='{FONT}'>{_e(x_format(value))}"
                    "</text>")
    for k, bar in enumerate(bars):
        y = top + k * row + 3
        opacity = " opacity='0.4'" if bar.faded else ""
        extra = "".join(f" data-{_e(key)}='{_e(value)}'" for key, value in bar.extra.items())
        name = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"  # whole in the tooltip
        parts = [f"<g class='crmselect-bar'{extra}{opacity}><title>{_e(bar.label)}{_e(bar.note)}</title>",
                 f"<text x='{left - 6}' y='{y + 12}' text-anchor='end' style='{FONT}'>{_e(name)}</text>"]
        x = float(left)
        for value, colour, tip in bar.segments:
            span = max(0.0, float(value)) * scale
            if span <= 0:
                continue
            parts.append(f"<rect x='{x:.1f}' y='{y}' width='{span:.1f}' height='16' fill='{colour}' stroke='white' "
                         f"stroke-width='0.5'><title>{_e(tip)}</title></rect>")
            x += span
        parts.append("</g>")
        body.append("".join(parts))
    body.append(f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#444'/>")
    if x_label:
        body.append(f"<text x='{(left + right) / 2:.1f}' y='{bottom + 32}' text-anchor='middle' style='{FONT}'>"
                    f"{_e(x_label)}</text>")
    body += legend_svg
    return _svg(width, height, body, css_class, title or x_label)


@dataclass(frozen=True)
class Dot:
    """One bid on a scatter chart: its name, position, colour and marker (a matplotlib marker letter)."""

    name: str
    x: float
    y: float
    colour: str
    marker: str = "o"
    ringed: bool = False  # efficient: ringed and full colour; otherwise pale
    tip: str = ""


def _mark(dot: Dot, x: float, y: float) -> str:
    size = 5.0 if dot.ringed else 4.0
    ring = f" stroke='{style.MARK}' stroke-width='1.2'" if dot.ringed else ""
    opacity = "" if dot.ringed else " fill-opacity='0.45'"
    paint = f"fill='{dot.colour}'{opacity}{ring}"
    if dot.marker == "s":
        return f"<rect x='{x - size:.1f}' y='{y - size:.1f}' width='{2 * size:.1f}' height='{2 * size:.1f}' {paint}/>"
    if dot.marker in ("^", "v"):
        tip = -1 if dot.marker == "^" else 1
        points = (f"{x:.1f},{y + tip * size * 1.2:.1f} {x - size:.1f},{y - tip * size * 0.8:.1f} "
                  f"{x + size:.1f},{y - tip * size * 0.8:.1f}")
        return f"<polygon points='{points}' {paint}/>"
    if dot.marker == "D":
        points = (f"{x:.1f},{y - size * 1.2:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size * 1.2:.1f} "
                  f"{x - size:.1f},{y:.1f}")
        return f"<polygon points='{points}' {paint}/>"
    return f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{size:.1f}' {paint}/>"


def text_width(text: str) -> float:
    """About how wide ``text`` is at 11 px sans-serif: a CJK character is as wide as the font is high."""
    return sum(11.0 if ord(ch) >= 0x2E80 else 6.3 for ch in text)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0)


def _label_box(name: str, x: float, y: float, marks: Sequence[tuple[float, float, float, float]],
               taken: Sequence[tuple[float, float, float, float]],
               plot: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Where a dot's name goes: of the eight places around the dot, the first that covers no mark and no other
    name and stays in the plot; else the one that covers least."""
    width, height = text_width(name), 13.0
    places = [(x + 8, y - 4 - height), (x + 8, y + 4), (x - 8 - width, y - 4 - height), (x - 8 - width, y + 4),
              (x - width / 2, y - 8 - height), (x - width / 2, y + 8), (x + 8, y - height / 2),
              (x - 8 - width, y - height / 2)]
    best: tuple[float, tuple[float, float, float, float]] | None = None
    for left, top in places:
        box = (left, top, left + width, top + height)
        covered = sum(_overlap(box, other) for other in (*marks, *taken))
        outside = (max(plot[0] - box[0], 0.0) + max(box[2] - plot[2] - 180, 0.0)
                   + max(plot[1] - box[1], 0.0) + max(box[3] - plot[3], 0.0)) * height
        cost = covered + outside
        if cost == 0:
            return box
        if best is None or cost < best[0]:
            best = (cost, box)
    assert best is not None
    return best[1]


def frontier_chart(dots: Sequence[Dot], *, x_label: str, y_label: str, x_format: Callable[[float], str],
                   y_format: Callable[[float], str], efficient_name: str, dominated_name: str, title: str = "",
                   max_labelled: int = 8, width: int = 640, height: int = 360,
                   css_class: str = "crmselect-frontier-chart") -> str:
    """Bids as dots (x: cost, y: score), the ringed efficient ones joined by a step line (the frontier).

    Each dot is named beside it (left of it in the right third, below it when another label is near); with more
    than ``max_labelled`` bids only the efficient ones are named, the others keep their tooltip."""
    left, right, top, bottom = 74, width - LEGEND_WIDTH, 26 if title else 12, height - 44
    xs = [d.x for d in dots] or [0.0, 1.0]
    ys = [d.y for d in dots] or [0.0, 1.0]
    x_span = (max(xs) - min(xs)) or abs(max(xs)) or 1.0
    y_span = (max(ys) - min(ys)) or abs(max(ys)) or 1.0
    x_ticks = nice_ticks(min(xs) - 0.15 * x_span, max(xs) + 0.15 * x_span)
    y_ticks = nice_ticks(min(ys) - 0.1 * y_span, max(ys) + 0.1 * y_span)
    x0, x1 = x_ticks[0], x_ticks[-1]
    y0, y1 = y_ticks[0], y_ticks[-1]

    area = _Area(left, right, top, bottom, x0, x1, y0, y1)
    px, py = area.px, area.py
    body = _axes(area, width, height, title, [(v, y_format(v)) for v in y_ticks], [(v, x_format(v)) for v in x_ticks],
                 x_label, y_label)
    efficient = sorted((d for d in dots if d.ringed), key=lambda d: d.x)
    if efficient:  # steps-post: from each efficient bid right at its score, then up to the next one's
        points = [f"{px(efficient[0].x):.1f},{py(efficient[0].y):.1f}"]
        for before, after in itertools.pairwise(efficient):
            points.append(f"{px(after.x):.1f},{py(before.y):.1f}")
            points.append(f"{px(after.x):.1f},{py(after.y):.1f}")
        body.append(f"<polyline class='crmselect-frontier-line' points='{' '.join(points)}' fill='none' "
                    f"stroke='{style.MARK}' stroke-width='1'/>")
    marks = [(px(d.x) - 7, py(d.y) - 7, px(d.x) + 7, py(d.y) + 7) for d in dots]  # no label covers a mark
    taken: list[tuple[float, float, float, float]] = []
    for dot in sorted(dots, key=lambda d: not d.ringed):
        x, y = px(dot.x), py(dot.y)
        tip = dot.tip or f"{dot.name}: {x_format(dot.x)}, {y_format(dot.y)}"
        parts = [f"<g class='crmselect-dot' data-bid='{_e(dot.name)}'><title>{_e(tip)}</title>", _mark(dot, x, y)]
        if dot.ringed or len(dots) <= max_labelled:
            name = dot.name if len(dot.name) <= 32 else dot.name[:31] + "…"
            box = _label_box(name, x, y, marks, taken, (left, top, right, bottom))
            taken.append(box)
            parts.append(f"<text x='{box[0]:.1f}' y='{box[3] - 2:.1f}' style='{FONT}'>{_e(name)}</text>")
        parts.append("</g>")
        body.append("".join(parts))
    legend, _end = _legend([(efficient_name, style.NEUTRAL, "dot", ""), (dominated_name, "#cccccc", "dot", "")],
                           right + 12, top)
    body += legend
    return _svg(width, height, body, css_class, title or y_label)
