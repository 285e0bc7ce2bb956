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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

from crmselect.show import style
from crmselect.show.i18n import _, current
from crmselect.show.style import Palette

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


def _pyplot() -> Any:
    """pyplot, with its backend chosen *before* any ``rc_context``: a backend chosen inside one (IPython's inline
    backend switches interactive mode on as it loads) would be undone when the context exits, and every later
    figure of the notebook would stay blank."""
    import matplotlib.pyplot as plt

    plt.get_backend()
    return plt


def axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.5, 4.2)) -> Axes:
    """The caller's Axes, or a new figure's (constrained layout, so outside legends and labels fit).

    The new figure gives every text the CJK font fallback when it is drawn (:func:`_cjk_figure_class`);
    nothing here changes pyplot's global state (rcParams, interactive mode, backend).
    """
    if ax is not None:
        return ax
    plt = _pyplot()
    _, new_ax = plt.subplots(figsize=figsize, FigureClass=_cjk_figure_class(), layout="constrained")
    return new_ax  # type: ignore[no-any-return]


def font_context() -> Any:
    """A context manager that draws text with the CJK-capable font chain (for labels set later)."""
    return _pyplot().rc_context({"font.family": font_families()})


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


#: Keys of shown values that are shares of 1 (weights, chances), drawn in % on their axis.
SHARE_KEYS = ("weight", "new weight", "weight moved", "share", "wins", "share of views won")


def _is_share(name: object) -> bool:
    from crmselect.show.labels import label

    return str(name) in SHARE_KEYS or str(name) in {label(key) for key in SHARE_KEYS}


def _ticks(ax: Axes, axis: str, labels: Sequence[object], **kwargs: Any) -> None:
    positions = list(range(len(labels)))
    if axis == "x":
        ax.set_xticks(positions, [str(i) for i in labels], **kwargs)
    else:
        ax.set_yticks(positions, [str(i) for i in labels], **kwargs)


# ---------------------------------------------------------------- what-if (sensitivity, SMAA)
@with_cjk_fallback
def sweep_lines(lines: Any, breakpoints: Any, *, current: float, goal: str, palette: Palette | None = None,
                ax: Axes | None = None) -> Axes:
    """Totals as straight lines over one goal's weight 0..100 %, one colour per vendor.

    ``lines``: one row per bid with columns ``at 0`` and ``at 1``; ``breakpoints``: columns
    ``weight`` and ``total`` (where two lines cross); ``current``: the committee's weight.
    """
    ax = axes(ax)
    colours = style.palette_for(list(lines.index), palette)
    for name, row in lines.iterrows():
        ax.plot([0.0, 1.0], [row["at 0"], row["at 1"]], label=str(name), markevery=[0, 1], markersize=4,
                **colours.style(name).line())
    if len(breakpoints):
        ax.scatter(breakpoints["weight"], breakpoints["total"], color=style.MARK, zorder=3, s=18,
                   label=_("rank change"))
    ax.axvline(current, color=style.MARK, linestyle="--", linewidth=1,
               label=_("current ({weight})").format(weight=_percent(current)))
    ax.set_xlim(0.0, 1.0)
    style.percent_axis(ax, "x", label=_("weight of {goal} (other goals rescaled in proportion)").format(goal=goal))
    ax.set_ylabel(_("total score"))
    style.legend_outside(ax)
    return ax


@with_cjk_fallback
def interval_bars(frame: Any, *, current: str, outer: tuple[str, str], inner: tuple[str, str], title: str = "",
                  ax: Axes | None = None) -> Axes:
    """A light band per row between the ``outer`` columns, a dark one between ``inner``, a tick at ``current``.

    The columns are weights (0..1), drawn in %."""
    ax = axes(ax)
    y = list(range(len(frame)))
    lo, hi = frame[outer[0]].to_numpy(float), frame[outer[1]].to_numpy(float)
    ax.barh(y, hi - lo, left=lo, color="#9ecae1", label=_("the winner stays first"))
    lo, hi = frame[inner[0]].to_numpy(float), frame[inner[1]].to_numpy(float)
    ax.barh(y, hi - lo, left=lo, height=0.4, color="#3182bd", label=_("the whole ranking holds"))
    ax.scatter(frame[current].to_numpy(float), y, marker="|", s=200, color=style.MARK, zorder=3,
               label=_("the committee's weight"))
    _ticks(ax, "y", list(frame.index))
    ax.set_xlim(0.0, 1.0)
    style.percent_axis(ax, "x", label=_("goal weight"))
    ax.invert_yaxis()
    ax.set_title(title)
    style.legend_outside(ax)
    return ax


@with_cjk_fallback
def grouped_bars(frame: Any, *, title: str = "", percent: bool | None = None, ax: Axes | None = None) -> Axes:
    """Bars per row (index) with one bar per column, side by side.

    ``percent``: the values are shares of 1 (weights), drawn in %; None: when every column is one (:data:`SHARE_KEYS`).
    """
    ax = axes(ax)
    n = max(len(frame.columns), 1)
    width = 0.8 / n
    for i, column in enumerate(frame.columns):
        x = [k + (i - (n - 1) / 2) * width for k in range(len(frame))]
        ax.bar(x, frame[column].to_numpy(float), width=width, label=str(column), color=style.goal_colour(i))
    _ticks(ax, "x", list(frame.index), rotation=30, ha="right")
    if percent if percent is not None else all(_is_share(c) for c in frame.columns):
        style.percent_axis(ax, "y")
    ax.set_title(title)
    style.legend_outside(ax)
    return ax


@with_cjk_fallback
def horizontal_bars(series: Any, *, title: str = "", xlabel: str = "", percent: bool | None = None,
                    palette: Palette | None = None, ax: Axes | None = None) -> Axes:
    """One horizontal bar per entry of ``series`` (index = labels), first entry on top.

    Entries that are bids the palette (given, or the current look's) knows take their vendor's colour.
    ``percent``: values are shares of 1, drawn in %; None: when the series' name or ``xlabel`` says a share.
    """
    ax = axes(ax)
    known = palette or style.current_look().palette
    y = list(range(len(series)))
    if known is not None and all(known.knows(name) for name in series.index):
        for k, name in enumerate(series.index):
            ax.barh([k], [float(series.iloc[k])], **known.style(name).bar())
    else:
        ax.barh(y, series.to_numpy(float), color="#3182bd")
    _ticks(ax, "y", list(series.index))
    ax.invert_yaxis()
    ax.axvline(0.0, color=style.MARK, linewidth=0.8)
    ax.set_title(title)
    if percent if percent is not None else (_is_share(series.name) or _is_share(xlabel)):
        style.percent_axis(ax, "x", label=xlabel)
    else:
        ax.set_xlabel(xlabel)
    return ax


@with_cjk_fallback
def acceptability_bars(frame: Any, *, title: str = "", xlabel: str = "", ax: Axes | None = None) -> Axes:
    """Horizontal bars per row (index), stacked over the columns (e.g. SMAA rank acceptabilities, in %).

    The columns are ranks, best first: coloured from green (first) to red (last), so a high chance of
    coming last is never green."""
    ax = axes(ax)
    y = list(range(len(frame)))
    left = [0.0] * len(frame)
    for column, colour in zip(frame.columns, style.rank_colours(len(frame.columns)), strict=True):
        values = frame[column].to_numpy(float)
        ax.barh(y, values, left=left, label=str(column), color=colour, edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    _ticks(ax, "y", list(frame.index))
    ax.set_xlim(0.0, 1.0)
    ax.invert_yaxis()
    ax.set_title(title)
    style.percent_axis(ax, "x", label=xlabel)
    style.legend_outside(ax)
    return ax


# ---------------------------------------------------------------- money (TCO, ROI, risk, price)
@with_cjk_fallback
def cumulative_cost(curves: Any, *, crossovers: Any = None, discounted: bool | None = None, currency: str | None = None,
                    palette: Palette | None = None, ax: Axes | None = None) -> Axes:
    """Cumulative cost per period: ``curves`` has periods (0 = initial) as index and one column per bid.

    ``discounted``: True when the curves are discounted (their end is the NPV), False when they are not; the axis
    says which (None: a caller that does not say gets "cumulative cost").
    ``crossovers`` (optional): rows with columns ``year`` and ``cumulative_cost`` to mark; each is
    labelled with its year as :func:`crossover_year` writes it, as tables do.
    """
    ax = axes(ax)
    years = curves.index.to_numpy(float)
    colours = style.palette_for(list(curves.columns), palette)
    for column in curves.columns:
        ax.plot(years, curves[column].to_numpy(float), markersize=4, label=str(column),
                **colours.style(column).line())
    if crossovers is not None and len(crossovers):
        ax.scatter(crossovers["year"], crossovers["cumulative_cost"], color=style.MARK, zorder=3, s=30,
                   label=_("costs cross"))
        for row in crossovers.itertuples() if len(crossovers) <= MAX_LABELLED else ():
            ax.annotate(crossover_year(float(row.year)), (row.year, row.cumulative_cost), textcoords="offset points",
                        xytext=(4, -12), fontsize="small")
    _ticks(ax, "x", [_("initial") if y == 0 else f"{y:g}" for y in years])
    ax.set_xlabel(_("year"))
    label = {True: _("discounted cumulative cost (NPV)"), False: _("cumulative cost (undiscounted)"),
             None: _("cumulative cost")}[discounted]
    style.money_axis(ax, "y", label=label, currency=currency)
    style.legend_outside(ax)
    return ax


MAX_LABELLED = 8  # more crossovers or points than this are marked but not each written out


def crossover_year(year: float) -> str:
    """A crossover's time as every view writes it: "year 3.02" (two decimals, the current language)."""
    from crmselect.show.formats import format_number

    return _("year {year}").format(year=format_number(year, current().language, digits=2))


@with_cjk_fallback
def tornado(frame: Any, *, base: float, title: str = "", currency: str | None = None, ax: Axes | None = None) -> Axes:
    """Horizontal bars from ``base`` to ``npv_low`` and to ``npv_high`` per input (index), first on top."""
    ax = axes(ax)
    y = list(range(len(frame)))
    low, high = frame["npv_low"].to_numpy(float), frame["npv_high"].to_numpy(float)
    ax.barh(y, low - base, left=base, color="#3182bd", label=_("input at low"))
    ax.barh(y, high - base, left=base, color="#e6550d", label=_("input at high"))
    ax.axvline(base, color=style.MARK, linewidth=0.8)
    _ticks(ax, "y", list(frame.index))
    ax.invert_yaxis()
    style.money_axis(ax, "x", label=_("NPV of cost"), currency=currency)
    ax.set_title(title)
    style.legend_outside(ax)
    return ax


#: Columns of draws that are amounts of money (:meth:`RiskResult.plot` names its column by kind).
MONEY_COLUMNS = ("cost_npv", "net_npv", "npv")


@with_cjk_fallback
def histogram(values: Any, *, markers: Any = None, bins: int = 60, xlabel: str = "", title: str = "",
              money: bool | None = None, currency: str | None = None, ax: Axes | None = None) -> Axes:
    """Histogram of one column of draws (a Series or one-column DataFrame), with labelled vertical markers.

    ``money``: the draws are amounts (currency and unit on the axis); None: when the column is one of
    :data:`MONEY_COLUMNS`."""
    ax = axes(ax)
    data = values.iloc[:, 0] if hasattr(values, "columns") else values
    ax.hist(data.to_numpy(float), bins=bins, color="#9ecae1", edgecolor="white")
    colours = [style.MARK, "#e6550d", "#31a354", "#756bb1", "#636363"]
    for i, (label, x) in enumerate((markers or {}).items()):
        ax.axvline(float(x), color=colours[i % len(colours)], linestyle="--", linewidth=1, label=str(label))
    if markers:
        style.legend_outside(ax)
    if money if money is not None else str(data.name) in MONEY_COLUMNS:
        style.money_axis(ax, "x", label=xlabel, currency=currency)
    else:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(_("draws"))
    ax.set_title(title)
    return ax


@with_cjk_fallback
def cumulative_lines(frame: Any, *, markers: Any = None, xlabel: str = "", ylabel: str = "", title: str = "",
                     money: bool = True, currency: str | None = None, palette: Palette | None = None,
                     ax: Axes | None = None) -> Axes:
    """One line per column over the index, a zero line, and labelled vertical markers (e.g. checkpoints).

    Columns that are bids the palette knows take their vendor's colour; ``money``: the values are amounts."""
    ax = axes(ax)
    x = frame.index.to_numpy(float)
    known = palette or style.current_look().palette
    bids = known is not None and all(known.knows(c) for c in frame.columns)
    for i, column in enumerate(frame.columns):
        drawn = known.style(column).line() if bids and known is not None else {
            "color": style.goal_colour(i), "linestyle": style.OFFER_LINESTYLES[i % len(style.OFFER_LINESTYLES)]}
        drawn.pop("marker", None)
        ax.plot(x, frame[column].to_numpy(float), label=str(column), **drawn)
    ax.axhline(0.0, color=style.MARK, linewidth=0.8)
    _checkpoints(ax, markers or {}, span=float(x.max() - x.min()) if len(x) else 1.0)
    ax.set_xlabel(xlabel)
    if money:
        style.money_axis(ax, "y", label=ylabel, currency=currency)
    else:
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    style.legend_outside(ax)
    return ax


def _checkpoints(ax: Axes, markers: Any, *, span: float) -> None:
    """Dotted lines with their labels written down from the top inside the axes (never clipped); a label close
    to the one before it goes on the line's other side."""
    from matplotlib.transforms import blended_transform_factory

    where = blended_transform_factory(ax.transData, ax.transAxes)
    previous: float | None = None
    side = "right"
    for label, position in sorted((markers or {}).items(), key=lambda item: float(item[1])):
        at = float(position)
        ax.axvline(at, color=style.NEUTRAL, linestyle=":", linewidth=1)
        side = ("left" if side == "right" else "right") if previous is not None and at - previous < 0.04 * span \
            else "right"
        ax.text(at, 0.98, f" {label} ", transform=where, rotation=90, va="top", ha=side, fontsize="small",
                color="#555555")
        previous = at


@with_cjk_fallback
def frontier(frame: Any, *, x: str, y: str, efficient: str, title: str = "", xlabel: str = "", ylabel: str = "",
             currency: str | None = None, palette: Palette | None = None, ax: Axes | None = None) -> Axes:
    """Scatter of rows (labels = index) on ``x`` (an amount, e.g. NPV) vs ``y``; efficient rows joined as a frontier.

    Each point has its vendor's colour; efficient ones are ringed, dominated ones pale."""
    from matplotlib.lines import Line2D

    ax = axes(ax)
    flags = frame[efficient].to_numpy(bool)
    xs, ys = frame[x].to_numpy(float), frame[y].to_numpy(float)
    colours = style.palette_for(list(frame.index), palette)
    x_span = float(xs.max() - xs.min()) or 1.0
    y_span = float(ys.max() - ys.min()) or 1.0
    placed: list[tuple[float, float]] = []
    for name, xv, yv, good in zip(frame.index, xs, ys, flags, strict=True):
        look = colours.style(name)
        ax.scatter([xv], [yv], color=look.colour, marker=look.marker, s=60 if good else 40, zorder=3,
                   edgecolors=style.MARK if good else "none", linewidths=1.2, alpha=1.0 if good else 0.45)
        # a label near another one goes below its point; right-hand points are labelled to their left
        if len(frame) > MAX_LABELLED and not good:  # many bids: name the efficient ones, the rest stay pale dots
            placed.append((xv, yv))
            continue
        crowded = any(abs(xv - px) < 0.12 * x_span and abs(yv - py) < 0.06 * y_span for px, py in placed)
        left = xv > xs.min() + 0.7 * x_span
        ax.annotate(str(name), (xv, yv), textcoords="offset points", xytext=(-6 if left else 6, -13 if crowded else 5),
                    ha="right" if left else "left", fontsize="small")
        placed.append((xv, yv))
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    line = [i for i in order if flags[i]]
    ax.plot([xs[i] for i in line], [ys[i] for i in line], color=style.MARK, linewidth=1, drawstyle="steps-post")
    ax.margins(x=0.15, y=0.1)
    style.money_axis(ax, "x", label=xlabel or x, currency=currency)
    ax.set_ylabel(ylabel or y)
    ax.set_title(title)
    handles = [Line2D([], [], linestyle="none", marker="o", markerfacecolor=style.NEUTRAL,
                      markeredgecolor=style.MARK, label=_("efficient")),
               Line2D([], [], linestyle="none", marker="o", markerfacecolor=style.NEUTRAL, alpha=0.45,
                      markeredgecolor="none", label=_("dominated"))]
    style.legend_outside(ax, handles=handles)
    return ax


# ---------------------------------------------------------------- SLA and contract checks
SEVERITY_COLOURS = {"high": "#d73027", "medium": "#fc8d59", "low": "#fee08b"}


def severity_bars(counts: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Vertical bars per row (index = bid labels) stacked by severity columns ``high``, ``medium``, ``low``.

    ``title`` defaults to "SLA and contract findings" in the current language."""
    from crmselect.show.labels import localised

    return _coloured_columns(localised(counts, index=False), colours={_("high"): SEVERITY_COLOURS["high"],
                                                                       _("medium"): SEVERITY_COLOURS["medium"],
                                                                       _("low"): SEVERITY_COLOURS["low"]},
                             ylabel=_("findings"), legend=_("severity"),
                             title=_("SLA and contract findings") if title is None else title, ax=ax)


def downtime_bars(hours: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Vertical bars per row (index = bid labels) stacking the columns (hours a year); NaN draws no segment.

    ``title`` defaults to "Downtime without a breach" in the current language."""
    ax = _coloured_columns(hours.fillna(0.0), colours={}, ylabel=_("hours a year"), legend="",
                           title=_("Downtime without a breach") if title is None else title, ax=ax)
    for position, unbounded in enumerate(hours.isna().any(axis=1).to_numpy()):
        if unbounded:  # no bar would read as "no downtime": say it is unlimited
            ax.annotate(_("no limit"), (position, 0.0), textcoords="offset points", xytext=(0, 4), ha="center",
                        va="bottom", rotation=90, fontsize="small", color="#b00020")
    return ax


@with_cjk_fallback
def _coloured_columns(frame: Any, *, colours: dict[str, str], ylabel: str, legend: str, title: str,
                      ax: Axes | None) -> Axes:
    from crmselect.show.labels import label

    ax = axes(ax)
    x = list(range(len(frame)))
    bottom = [0.0] * len(frame)
    for i, column in enumerate(frame.columns):
        values = frame[column].to_numpy(float)
        ax.bar(x, values, bottom=bottom, label=label(str(column)), color=colours.get(str(column), style.goal_colour(i)),
               edgecolor="#555555", linewidth=0.5)
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    _ticks(ax, "x", list(frame.index), rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    style.legend_outside(ax, title=legend or None)
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
    """Stacked bars: one bar per row of ``frame`` (e.g. a bid), one segment per column (e.g. a goal, in its colour).

    Rows named in ``struck`` (knocked-out bids) are drawn hatched and pale, and their tick label says so.
    """
    from matplotlib.patches import Patch

    ax = axes(ax)
    with font_context():
        bottom = [0.0] * len(frame.index)
        positions = list(range(len(frame.index)))
        faded = [label in set(struck) for label in frame.index]
        handles = []
        for i, column in enumerate(frame.columns):
            heights = [float(v) for v in frame[column].to_numpy()]
            bars = ax.bar(positions, heights, bottom=bottom, edgecolor="white", color=style.goal_colour(i))
            handles.append(Patch(facecolor=style.goal_colour(i), label=str(column)))
            for bar, out in zip(bars, faded, strict=True):
                if out:
                    bar.set_alpha(0.35)
                    bar.set_hatch("//")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        _ticks(ax, "x", [_("{label}\n(knocked out)").format(label=label) if out else str(label)
                         for label, out in zip(frame.index, faded, strict=True)], rotation=30, ha="right")
        if title:
            ax.set_title(title)
        if ylabel:
            ax.set_ylabel(ylabel)
        style.legend_outside(ax, handles=handles)
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
    higher_is_better: bool = True,
) -> Axes:
    """A heatmap of ``frame`` (rows x columns) with each cell's value written in it; high is green unless
    ``higher_is_better`` is False.

    Columns named in ``struck_columns`` (knocked-out bids) get a "(knocked out)" tick label and a grey veil.
    """
    ax = axes(ax)
    values = frame.to_numpy(dtype=float)
    with font_context():
        image = ax.imshow(values, cmap=style.GOOD_HIGH if higher_is_better else style.GOOD_LOW, vmin=vmin, vmax=vmax,
                          aspect="auto")
        _ticks(ax, "x", [_("{label}\n(knocked out)").format(label=c) if c in set(struck_columns) else str(c)
                         for c in frame.columns], rotation=30, ha="right")
        _ticks(ax, "y", list(frame.index))
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
