"""Views: a DataFrame in, readable HTML out.  Formatting lives here, never in the results.

Formats are named per column (``percent``, ``money``, ``score`` ...) so results keep raw floats
(habit 6 in ARCHITECTURE.md).  No jinja2: the HTML is built and escaped here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

FORMATS: dict[str, str] = {
    "percent": "{:.1%}",
    "money": "{:,.0f}",
    "score": "{:.3f}",
    "number": "{:,.2f}",
    "integer": "{:,.0f}",
}

_CSS = (
    "<style>.crmselect-table{border-collapse:collapse;font-family:sans-serif;font-size:12px;margin:4px 0}"
    ".crmselect-table th,.crmselect-table td{border:1px solid #d0d7de;padding:3px 8px}"
    ".crmselect-table th{background:#f3f5f7;text-align:left}"
    ".crmselect-table td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".crmselect-table caption{font-weight:bold;text-align:left;padding:4px 0}"
    ".crmselect-table tr.crmselect-out td{color:#8a8a8a;text-decoration:line-through}"
    ".crmselect-note{font-family:sans-serif;font-size:12px;color:#444}</style>"
)


def format_value(value: Any, kind: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind and isinstance(value, int | float) and not isinstance(value, bool):
        return FORMATS[kind].format(value)
    if isinstance(value, float):
        return f"{value:,.3f}"
    return str(value)


def _colour(value: float, low: float, high: float) -> str:
    """A red-yellow-green background for ``value`` between ``low`` and ``high``."""
    if high <= low or math.isnan(value):
        return ""
    t = min(max((value - low) / (high - low), 0.0), 1.0)
    red, yellow, green = (248, 105, 107), (255, 235, 132), (99, 190, 123)
    a, b, u = (red, yellow, t * 2) if t < 0.5 else (yellow, green, (t - 0.5) * 2)
    rgb = tuple(round(x + (y - x) * u) for x, y in zip(a, b, strict=True))
    return f"background:rgb{rgb}"


def to_html(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    formats: Mapping[str, str] | None = None,
    default_format: str | None = None,
    colour_columns: Iterable[str] = (),
    colour_range: tuple[float, float] | None = None,
    struck_rows: Iterable[Any] = (),
    notes: Iterable[str] = (),
    struck_columns: Iterable[Any] = (),
) -> str:
    """An HTML table of ``frame``: per-column formats, colour scale on some columns, struck-out rows and columns."""
    formats = dict(formats or {})
    coloured = [c for c in colour_columns if c in frame.columns]
    if coloured and colour_range is None:
        values = frame[coloured].to_numpy(dtype=float)
        finite = values[~pd.isna(values)]
        colour_range = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    struck = set(struck_rows)
    parts = [_CSS, '<table class="crmselect-table">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    index_name = html.escape(str(frame.index.name or ""))
    parts.append("<thead><tr><th>" + index_name + "</th>")
    struck_cols = set(struck_columns)
    out_style = "color:#8a8a8a;text-decoration:line-through"
    parts.extend(
        f'<th style="{out_style}" title="knocked out">{html.escape(str(col))}</th>' if col in struck_cols
        else f"<th>{html.escape(str(col))}</th>"
        for col in frame.columns
    )
    parts.append("</tr></thead><tbody>")
    for label, row in frame.iterrows():
        css_class = ' class="crmselect-out"' if label in struck else ""
        parts.append(f"<tr{css_class}><th>{html.escape(str(label))}</th>")
        for col, value in row.items():
            kind = formats.get(str(col), default_format)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            style = ""
            if col in coloured and numeric and colour_range is not None:
                style = f' style="{_colour(float(value), *colour_range)}"'
            if col in struck_cols:
                style = f' style="{out_style}"'
            cls = ' class="num"' if numeric else ""
            parts.append(f"<td{cls}{style}>{html.escape(format_value(value, kind))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.extend(f'<p class="crmselect-note">{html.escape(note)}</p>' for note in notes)
    return "".join(parts)


SEVERITY_BACKGROUNDS = {"high": "#f8d0cc", "medium": "#fde2c8", "low": "#fff4c2"}


def severity_html(
    frame: pd.DataFrame, *, column: str = "severity", caption: str = "", notes: Iterable[str] = ()
) -> str:
    """An HTML table of findings whose rows are tinted by their ``column`` value (high, medium, low)."""
    parts = [_CSS, '<table class="crmselect-table">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns) + "</tr></thead>")
    parts.append("<tbody>")
    for _, row in frame.iterrows():
        colour = SEVERITY_BACKGROUNDS.get(str(row.get(column, "")), "")
        style = f' style="background:{colour}"' if colour else ""
        cells = "".join(f"<td>{html.escape(format_value(value, None))}</td>" for value in row.to_numpy())
        parts.append(f"<tr{style}>{cells}</tr>")
    parts.append("</tbody></table>")
    if frame.empty:
        parts.append('<p class="crmselect-note">no findings</p>')
    parts.extend(f'<p class="crmselect-note">{html.escape(note)}</p>' for note in notes)
    return "".join(parts)
