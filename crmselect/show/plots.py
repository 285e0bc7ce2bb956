"""Views: DataFrames in, matplotlib Axes out.  Plots never compute and never call ``plt.show()``.

matplotlib is imported inside each function, so ``import crmselect`` stays light.

- **Languages.** Titles, axis labels and legend entries a caller passes are drawn as given (the
  caller translates them).  The words a plot adds itself ("year", "rank change", "(knocked out)")
  are in the current language of :mod:`crmselect.show.i18n` (``using("zh-CN")`` around the call,
  as a widget does with its translator), and so are the percentages it writes.
- **Chinese text** renders through a CJK font fallback (Noto Sans CJK from ``fonts-noto-cjk`` on
  Debian): a figure made by :func:`axes` adds it to every text when drawn; on a caller's own Axes,
  each plot function adds it to the texts it made (:func:`with_cjk_fallback`).  Neither touches
  pyplot's global rcParams: only ``rc_context`` blocks, restored on exit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from crmselect.show.i18n import _, current

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

P = ParamSpec("P")

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")


def font_families() -> list[str]:
    """DejaVu Sans for Latin text, then the first installed CJK font as fallback."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[name for name in CJK_FAMILIES if name in installed][:1]]


def axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """The caller's Axes, or a new figure's; the figure uses the CJK-capable font chain."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.family": font_families()}):
        _, new_ax = plt.subplots(figsize=figsize, FigureClass=_cjk_figure_class())
    return new_ax  # type: ignore[no-any-return]


def font_context() -> Any:
    """A context manager that draws text with the CJK-capable font chain (for labels set later)."""
    import matplotlib.pyplot as plt

    return plt.rc_context({"font.family": font_families()})


def cjk_fallback() -> str | None:
    """The installed CJK font family used as the last fallback, or None when there is none."""
    families = font_families()
    return families[1] if len(families) > 1 else None


@functools.cache
def _cjk_figure_class() -> type:
    """A Figure that gives every text the CJK font as its last fallback when it is drawn.

    Text artists take their font from rcParams when they are *created*, so labels, titles and
    legends a caller adds after :func:`axes` returns (and tick labels made during drawing) would
    otherwise miss the fallback and draw Chinese names as empty boxes ("Glyph ... missing").
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    class CjkFigure(Figure):  # type: ignore[misc]
        def draw(self, renderer: Any) -> None:
            cjk = cjk_fallback()
            if cjk is None:
                super().draw(renderer)
                return
            with plt.rc_context({"font.family": [*plt.rcParams["font.family"], cjk]}):
                add_cjk_fallback(self)
                super().draw(renderer)

    return CjkFigure


def add_cjk_fallback(figure: Figure) -> None:
    """Give every text of ``figure`` (titles, labels, tick labels, legends) the CJK font as its last fallback."""
    from matplotlib.text import Text

    cjk = cjk_fallback()
    if cjk is None:
        return
    for text in figure.findobj(Text):
        family = list(text.get_fontfamily())
        if cjk not in family:
            text.set_fontfamily([*family, cjk])


def with_cjk_fallback(draw: Callable[P, Axes]) -> Callable[P, Axes]:
    """A plot function whose texts get the CJK fallback also on a caller's Axes (not made by :func:`axes`)."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> Axes:
        ax = draw(*args, **kwargs)
        if not isinstance(ax.figure, _cjk_figure_class()):
            add_cjk_fallback(ax.figure)  # type: ignore[arg-type]
        return ax

    return drawn


def _percent(value: float) -> str:
    from crmselect.show.formats import format_percent

    return format_percent(value, current().language)


# ---------------------------------------------------------------- what-if (sensitivity, SMAA)
@with_cjk_fallback
def sweep_lines(lines: Any, breakpoints: Any, *, current: float, goal: str, ax: Axes | None = None) -> Axes:
    """Totals as straight lines over one goal's weight 0..1.

    ``lines``: one row per bid with columns ``at 0`` and ``at 1``; ``breakpoints``: columns
    ``weight`` and ``total`` (where two lines cross); ``current``: the committee's weight.
    """
    ax = axes(ax)
    for label, row in lines.iterrows():
        ax.plot([0.0, 1.0], [row["at 0"], row["at 1"]], label=str(label))
    if len(breakpoints):
        ax.scatter(breakpoints["weight"], breakpoints["total"], color="black", zorder=3, s=18, label=_("rank change"))
    ax.axvline(current, color="grey", linestyle="--", linewidth=1,
               label=_("current ({weight})").format(weight=_percent(current)))
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel(_("weight of {goal} (other goals rescaled in proportion)").format(goal=goal))
    ax.set_ylabel(_("total score"))
    ax.legend(fontsize="small", loc="best")
    return ax


@with_cjk_fallback
def interval_bars(frame: Any, *, current: str, outer: tuple[str, str], inner: tuple[str, str], title: str = "",
                  ax: Axes | None = None) -> Axes:
    """A light band per row between the ``outer`` columns, a dark one between ``inner``, a tick at ``current``."""
    ax = axes(ax)
    y = list(range(len(frame)))
    lo, hi = frame[outer[0]].to_numpy(float), frame[outer[1]].to_numpy(float)
    ax.barh(y, hi - lo, left=lo, color="#9ecae1", label=f"{outer[0]} .. {outer[1]}")
    lo, hi = frame[inner[0]].to_numpy(float), frame[inner[1]].to_numpy(float)
    ax.barh(y, hi - lo, left=lo, height=0.4, color="#3182bd", label=f"{inner[0]} .. {inner[1]}")
    ax.scatter(frame[current].to_numpy(float), y, marker="|", s=200, color="black", zorder=3, label=current)
    ax.set_yticks(y, [str(i) for i in frame.index])
    ax.set_xlim(0.0, 1.0)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.legend(fontsize="small", loc="best")
    return ax


@with_cjk_fallback
def grouped_bars(frame: Any, *, title: str = "", ax: Axes | None = None) -> Axes:
    """Bars per row (index) with one bar per column, side by side."""
    ax = axes(ax)
    n = max(len(frame.columns), 1)
    width = 0.8 / n
    for i, column in enumerate(frame.columns):
        x = [k + (i - (n - 1) / 2) * width for k in range(len(frame))]
        ax.bar(x, frame[column].to_numpy(float), width=width, label=str(column))
    ax.set_xticks(range(len(frame)), [str(i) for i in frame.index], rotation=30, ha="right")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


@with_cjk_fallback
def horizontal_bars(series: Any, *, title: str = "", xlabel: str = "", ax: Axes | None = None) -> Axes:
    """One horizontal bar per entry of ``series`` (index = labels), first entry on top."""
    ax = axes(ax)
    y = list(range(len(series)))
    ax.barh(y, series.to_numpy(float), color="#3182bd")
    ax.set_yticks(y, [str(i) for i in series.index])
    ax.invert_yaxis()
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return ax


@with_cjk_fallback
def acceptability_bars(frame: Any, *, title: str = "", xlabel: str = "", ax: Axes | None = None) -> Axes:
    """Horizontal bars per row (index), stacked over the columns (e.g. SMAA rank acceptabilities)."""
    ax = axes(ax)
    y = list(range(len(frame)))
    left = [0.0] * len(frame)
    for column in frame.columns:
        values = frame[column].to_numpy(float)
        ax.barh(y, values, left=left, label=str(column))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(y, [str(i) for i in frame.index])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


# ---------------------------------------------------------------- money (TCO, ROI, risk, price)
@with_cjk_fallback
def cumulative_cost(curves: Any, *, crossovers: Any = None, ax: Axes | None = None) -> Axes:
    """Cumulative cost per period: ``curves`` has periods (0 = initial) as index and one column per bid.

    ``crossovers`` (optional): rows with columns ``year`` and ``cumulative_cost`` to mark.
    """
    ax = axes(ax)
    years = curves.index.to_numpy(float)
    for column in curves.columns:
        ax.plot(years, curves[column].to_numpy(float), marker="o", markersize=3, label=str(column))
    if crossovers is not None and len(crossovers):
        ax.scatter(crossovers["year"], crossovers["cumulative_cost"], color="black", zorder=3, s=30,
                   label=_("crossover"))
        for row in crossovers.itertuples():
            ax.annotate(f"{row.year:.1f}", (row.year, row.cumulative_cost), textcoords="offset points",
                        xytext=(4, -12), fontsize="small")
    ax.set_xticks(years, [_("initial") if y == 0 else f"{y:g}" for y in years])
    ax.set_xlabel(_("year"))
    ax.set_ylabel(_("cumulative cost"))
    ax.legend(fontsize="small", loc="best")
    return ax


@with_cjk_fallback
def tornado(frame: Any, *, base: float, title: str = "", ax: Axes | None = None) -> Axes:
    """Horizontal bars from ``base`` to ``npv_low`` and to ``npv_high`` per input (index), first on top."""
    ax = axes(ax)
    y = list(range(len(frame)))
    low, high = frame["npv_low"].to_numpy(float), frame["npv_high"].to_numpy(float)
    ax.barh(y, low - base, left=base, color="#3182bd", label=_("input at low"))
    ax.barh(y, high - base, left=base, color="#e6550d", label=_("input at high"))
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(y, [str(i) for i in frame.index])
    ax.invert_yaxis()
    ax.set_xlabel(_("NPV of cost"))
    ax.set_title(title)
    ax.legend(fontsize="small", loc="lower right")
    return ax


@with_cjk_fallback
def histogram(values: Any, *, markers: Any = None, bins: int = 60, xlabel: str = "", title: str = "",
              ax: Axes | None = None) -> Axes:
    """Histogram of one column of draws (a Series or one-column DataFrame), with labelled vertical markers."""
    ax = axes(ax)
    data = values.iloc[:, 0] if hasattr(values, "columns") else values
    ax.hist(data.to_numpy(float), bins=bins, color="#9ecae1", edgecolor="white")
    colours = ["black", "#e6550d", "#31a354", "#756bb1", "#636363"]
    for i, (label, x) in enumerate((markers or {}).items()):
        ax.axvline(float(x), color=colours[i % len(colours)], linestyle="--", linewidth=1, label=str(label))
    if markers:
        ax.legend(fontsize="small", loc="best")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_("draws"))
    ax.set_title(title)
    return ax


@with_cjk_fallback
def cumulative_lines(frame: Any, *, markers: Any = None, xlabel: str = "", ylabel: str = "", title: str = "",
                     ax: Axes | None = None) -> Axes:
    """One line per column over the index, a zero line, and labelled vertical markers (e.g. checkpoints)."""
    ax = axes(ax)
    x = frame.index.to_numpy(float)
    for column in frame.columns:
        ax.plot(x, frame[column].to_numpy(float), label=str(column))
    ax.axhline(0.0, color="black", linewidth=0.8)
    for label, position in (markers or {}).items():
        ax.axvline(float(position), color="grey", linestyle=":", linewidth=1)
        ax.annotate(str(label), (float(position), 0.0), textcoords="offset points", xytext=(2, 4),
                    fontsize="small", rotation=90, color="grey")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small", loc="best")
    return ax


@with_cjk_fallback
def frontier(frame: Any, *, x: str, y: str, efficient: str, title: str = "", xlabel: str = "", ylabel: str = "",
             ax: Axes | None = None) -> Axes:
    """Scatter of rows (labels = index) on ``x`` vs ``y``; rows flagged ``efficient`` joined as a frontier."""
    ax = axes(ax)
    flags = frame[efficient].to_numpy(bool)
    xs, ys = frame[x].to_numpy(float), frame[y].to_numpy(float)
    ax.scatter(xs[~flags], ys[~flags], color="#9e9e9e", label=_("dominated"), zorder=2)
    ax.scatter(xs[flags], ys[flags], color="#e6550d", label=_("efficient"), zorder=3)
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    line = [i for i in order if flags[i]]
    ax.plot([xs[i] for i in line], [ys[i] for i in line], color="#e6550d", linewidth=1, drawstyle="steps-post")
    for label, xv, yv in zip(frame.index, xs, ys, strict=True):
        ax.annotate(str(label), (xv, yv), textcoords="offset points", xytext=(4, 4), fontsize="small")
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    ax.set_title(title)
    ax.legend(fontsize="small", loc="best")
    return ax


# ---------------------------------------------------------------- SLA and contract checks
SEVERITY_COLOURS = {"high": "#d73027", "medium": "#fc8d59", "low": "#fee08b"}


def severity_bars(counts: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Vertical bars per row (index = bid labels) stacked by severity columns ``high``, ``medium``, ``low``.

    ``title`` defaults to "SLA and contract findings" in the current language."""
    return _coloured_columns(counts, colours=SEVERITY_COLOURS, ylabel=_("findings"), legend=_("severity"),
                             title=_("SLA and contract findings") if title is None else title, ax=ax)


def downtime_bars(hours: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Vertical bars per row (index = bid labels) stacking the columns (hours a year); NaN draws no segment.

    ``title`` defaults to "Downtime without a breach" in the current language."""
    return _coloured_columns(hours.fillna(0.0), colours={}, ylabel=_("hours a year (no bar = unbounded)"), legend="",
                             title=_("Downtime without a breach") if title is None else title, ax=ax)


@with_cjk_fallback
def _coloured_columns(frame: Any, *, colours: dict[str, str], ylabel: str, legend: str, title: str,
                      ax: Axes | None) -> Axes:
    ax = axes(ax)
    x = list(range(len(frame)))
    bottom = [0.0] * len(frame)
    for column in frame.columns:
        values = frame[column].to_numpy(float)
        ax.bar(x, values, bottom=bottom, label=str(column), color=colours.get(str(column)),
               edgecolor="#555555", linewidth=0.5)
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    ax.set_xticks(x, [str(i) for i in frame.index], rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(title=legend or None, fontsize="small")
    return ax


@with_cjk_fallback
def stacked_bars(
    frame: Any,
    *,
    ax: Axes | None = None,
    title: str = "",
    ylabel: str = "",
    struck: tuple[str, ...] | list[str] = (),
) -> Axes:
    """Stacked bars: one bar per row of ``frame`` (e.g. a bid), one segment per column (e.g. a goal).

    Rows named in ``struck`` (knocked-out bids) are drawn hatched and pale, and their tick label says so.
    """
    from matplotlib.patches import Patch

    ax = axes(ax)
    with font_context():
        bottom = [0.0] * len(frame.index)
        positions = list(range(len(frame.index)))
        faded = [label in set(struck) for label in frame.index]
        handles = []
        for column in frame.columns:
            heights = [float(v) for v in frame[column].to_numpy()]
            bars = ax.bar(positions, heights, bottom=bottom, edgecolor="white")
            handles.append(Patch(facecolor=bars.patches[0].get_facecolor(), label=str(column)))
            for bar, out in zip(bars, faded, strict=True):
                if out:
                    bar.set_alpha(0.35)
                    bar.set_hatch("//")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xticks(positions)
        ax.set_xticklabels([_("{label}\n(knocked out)").format(label=label) if out else str(label)
                            for label, out in zip(frame.index, faded, strict=True)], rotation=30, ha="right")
        if title:
            ax.set_title(title)
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


@with_cjk_fallback
def heatmap(
    frame: Any,
    *,
    ax: Axes | None = None,
    title: str = "",
    vmin: float | None = None,
    vmax: float | None = None,
    struck_columns: tuple[str, ...] | list[str] = (),
    fmt: str = "{:.2f}",
) -> Axes:
    """A heatmap of ``frame`` (rows x columns) with each cell's value written in it.

    Columns named in ``struck_columns`` (knocked-out bids) get a "(knocked out)" tick label and a grey veil.
    """
    ax = axes(ax)
    values = frame.to_numpy(dtype=float)
    with font_context():
        image = ax.imshow(values, cmap="RdYlGn", vmin=vmin, vmax=vmax, aspect="auto")
        ax.set_xticks(range(len(frame.columns)))
        ax.set_xticklabels([_("{label}\n(knocked out)").format(label=c) if c in set(struck_columns) else str(c)
                            for c in frame.columns],
                           rotation=30, ha="right")
        ax.set_yticks(range(len(frame.index)))
        ax.set_yticklabels([str(i) for i in frame.index])
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if values[i, j] == values[i, j]:  # skip NaN
                    ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize="small")
        for j, column in enumerate(frame.columns):
            if column in set(struck_columns):
                ax.axvspan(j - 0.5, j + 0.5, color="grey", alpha=0.45)
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        if title:
            ax.set_title(title)
    return ax
