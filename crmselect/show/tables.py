"""Views: a DataFrame in, readable HTML (or terminal text) out.  Formatting lives here, never in the results.

Formats are named per column (``percent``, ``money``, ``score`` ...) so results keep raw floats
(habit 6 in ARCHITECTURE.md).  No jinja2: the HTML is built and escaped here.  :func:`to_text` is the
terminal's table: widths measured in display columns (``wcwidth``), so Chinese text lines up.
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from crmselect.imports import lazy_module

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

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


def format_value(value: Any, kind: str | None, *, locale: str | None = None, currency: str = "CNY") -> str:
    """One cell as text.  Without ``locale``, Python's formats (:data:`FORMATS`); with it, the locale's
    (:mod:`crmselect.show.formats`, Babel): ``money`` is then ``¥1,234`` in ``currency`` for zh-CN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind and isinstance(value, int | float) and not isinstance(value, bool):
        if locale is not None:
            return _localised(value, kind, locale, currency)
        return FORMATS[kind].format(value)
    if isinstance(value, float):
        return f"{value:,.3f}"
    return str(value)


def _localised(value: float, kind: str, locale: str, currency: str) -> str:
    from crmselect.show import formats

    if kind == "percent":
        return formats.format_percent(value, locale, digits=1)
    if kind == "money":
        return formats.format_money(value, currency, locale, digits=0)
    digits = {"score": 3, "number": 2, "integer": 0}[kind]
    return formats.format_number(value, locale, digits=digits)


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
    locale: str | None = None,
    currency: str = "CNY",
) -> str:
    """An HTML table of ``frame``: per-column formats, colour scale on some columns, struck-out rows and columns.

    With ``locale`` (``en``, ``zh-CN``) numbers, percentages and ``currency`` amounts are formatted the
    locale's way (:mod:`crmselect.show.formats`); without it, with Python's formats as before."""
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
            shown = format_value(value, kind, locale=locale, currency=currency)
            parts.append(f"<td{cls}{style}>{html.escape(shown)}</td>")
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


# ---------------------------------------------------------------- text tables for the terminal
def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 for each wide (CJK) character, 0 for combining marks.

    ``wcwidth`` measures it; a character it cannot measure (a control character, shown escaped by the
    CLI) counts as one column, so the width is never negative.
    """
    if text.isascii() and text.isprintable():  # one column per character: no need to load wcwidth's tables
        return len(text)
    from wcwidth import wcwidth

    return sum(max(wcwidth(char), 0) if char >= " " else 1 for char in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (right-aligned with ``right``)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


@dataclass(frozen=True)
class Grid:
    """A table as plain tuples, for the terminal: what :func:`to_text` prints, built without pandas.

    ``crmselect rank`` prints its scorecard from one (``Scorecard.grid()``), so the command never imports
    pandas; :meth:`frame` is the same table as a DataFrame, for everything else."""

    index_name: Any
    index: tuple[Any, ...]
    columns: tuple[Any, ...]
    cells: tuple[tuple[Any, ...], ...]  # one tuple per column, one value per row

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.columns) or any(len(column) != len(self.index) for column in self.cells):
            raise ValueError(f"a grid needs one column of {len(self.index)} cells per column label "
                             f"({len(self.columns)}); received {[len(column) for column in self.cells]}")

    def map_cells(self, function: Callable[[Any, Any], Any]) -> Grid:
        """Every cell passed through ``function(column label, value)``."""
        cells = tuple(tuple(function(label, value) for value in column)
                      for label, column in zip(self.columns, self.cells, strict=True))
        return replace(self, cells=cells)

    def relabelled(self, relabel: Callable[[Any], Any], *, cells: bool = False, columns: bool = True,
                   index: bool = True) -> Grid:
        """A copy with column labels, index labels and the index name (and with ``cells`` every cell) relabelled."""
        return Grid(
            index_name=relabel(self.index_name) if self.index_name is not None else None,
            index=tuple(relabel(v) for v in self.index) if index else self.index,
            columns=tuple(relabel(v) for v in self.columns) if columns else self.columns,
            cells=tuple(tuple(relabel(v) for v in column) for column in self.cells) if cells else self.cells,
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({label: list(column) for label, column in zip(self.columns, self.cells, strict=True)},
                            index=pd.Index(list(self.index), name=self.index_name))


def to_text(
    frame: pd.DataFrame | Grid,
    *,
    formatters: Mapping[Any, Callable[[Any], str]] | None = None,
    float_format: Callable[[float], str] | None = None,
    na_rep: str = "NaN",
    index: bool = True,
    gap: int = 2,
) -> str:
    """``frame`` (a DataFrame or a :class:`Grid`) as a plain-text table that lines up with Chinese (wide) and
    Latin text mixed.

    A stand-in for ``DataFrame.to_string`` (same ``formatters``, ``float_format`` and ``na_rep``),
    measuring each cell's display width with ``wcwidth`` instead of ``len``: every column starts at
    the same display column on every row.  Numbers are right-aligned, text left-aligned, each
    header aligned as its column; the index (its name, if any, heads it) comes first.  A missing
    value (None, NaN) is ``na_rep``, whatever the formatter.
    """
    if isinstance(frame, Grid):
        grid = frame
    else:
        head = frame.index.names if frame.index.nlevels > 1 else frame.index.name
        grid = Grid(head if _label(head) else frame.columns.name, tuple(frame.index), tuple(frame.columns),
                    tuple(tuple(frame.iloc[:, position].tolist()) for position in range(frame.shape[1])))
    formatters = dict(formatters or {})
    columns: list[tuple[str, list[str], bool]] = []
    if index:
        columns.append((_label(grid.index_name), [_label(label) for label in grid.index], False))
    for column, values in zip(grid.columns, grid.cells, strict=True):
        numeric = bool(values) and all(_number(v) or _missing(v) for v in values) and any(_number(v) for v in values)
        formatter = formatters.get(column)
        floats = None if formatter or float_format else _float_digits(list(values))
        cells = [na_rep if _missing(v) else formatter(v) if formatter else _cell(v, float_format, floats)
                 for v in values]
        columns.append((_label(column), cells, numeric))
    widths = [max([display_width(head), *(display_width(c) for c in cells)]) for head, cells, _ in columns]
    spacer = " " * gap
    lines = [spacer.join(pad(head, width, right=numeric) for (head, _, numeric), width in zip(columns, widths,
                                                                                                strict=True))]
    for row in range(len(grid.index)):
        lines.append(spacer.join(pad(cells[row], width, right=numeric)
                                 for (_, cells, numeric), width in zip(columns, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list) or _is_pandas(value, "Index"):
        return " ".join(_label(v) for v in value if v is not None)
    return str(value)


def _missing(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")  # a value cannot be pandas' NA before pandas is imported
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def _is_pandas(value: Any, kind: str) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, getattr(pandas, kind))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not _missing(value)


def _float_digits(values: list[Any]) -> int | None:
    """The fewest decimals (1 to 6) that show every float of a column as 6 decimals would, as pandas does."""
    floats = [v for v in values if isinstance(v, float) and math.isfinite(v)]
    if not floats:
        return None
    for digits in range(1, 7):
        if all(round(v, digits) == round(v, 6) for v in floats):
            return digits
    return 6


def _cell(value: Any, float_format: Callable[[float], str] | None, digits: int | None) -> str:
    if isinstance(value, float):
        if float_format is not None:
            return float_format(value)
        if not math.isfinite(value) or abs(value) >= 1e15 or digits is None:
            return f"{value:g}"
        return f"{value:.{digits}f}"
    return str(value)
