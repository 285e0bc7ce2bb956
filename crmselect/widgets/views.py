"""The results' tables and charts as the widgets show them: in the widget's language.

A result object shows itself in English (``_repr_html_``, ``plot``).  In English the widgets show
exactly that; in another language they show the same data (the result's ``frame()`` and fields),
relabelled at the surface (:mod:`crmselect.widgets.wording`), with numbers, percentages and money
formatted per locale (:mod:`crmselect.show.formats`) and charts drawn by
:mod:`crmselect.show.plots` with translated titles.  Nothing here computes a number.

Every function speaks the current language: a widget calls them inside ``using(self.translator)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crmselect.show import formats, plots, tables
from crmselect.show.i18n import N_, SOURCE_LANGUAGE, _, current
from crmselect.widgets.wording import knockout_text, label, localised, scorecard_notes, status_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from crmselect.money.costs import TcoComparison
    from crmselect.money.returns import RoiComparison
    from crmselect.scoring.scorecard import KnockOut, Scorecard
    from crmselect.whatif.sensitivity import Sweep

__all__ = [
    "crossings_html",
    "grey_out",
    "out_label",
    "percent",
    "periods_text",
    "roi_html",
    "scorecard_html",
    "smaa_html",
    "smaa_plot",
    "source_language",
    "stacked_plot",
    "sweep_html",
    "tco_html",
]


def source_language() -> bool:
    """True when the current language is English, the language the results show themselves in."""
    return current().language == SOURCE_LANGUAGE


def percent(value: float, digits: int = 1) -> str:
    return formats.format_percent(value, current().language, digits=digits)


def _number(value: float, digits: int) -> str:
    return formats.format_number(value, current().language, digits=digits)


# ------------------------------------------------------------------ the scorecard
def scorecard_html(card: Scorecard) -> str:
    """Goals x bids with weights, totals, ranks and status, and the scorecard's notes."""
    if source_language():
        return card._repr_html_()
    frame = card.frame()
    rows = {"Total": label("Total"), "Rank": label("Rank"), "Status": label("Status")}
    frame.loc["Rank"] = [None, *(label(str(v)) for v in frame.loc["Rank"].iloc[1:])]
    frame.loc["Status"] = [None, *(status_text(str(v)) for v in frame.loc["Status"].iloc[1:])]
    frame = frame.rename(index=rows, columns={"weight": label("weight")})
    frame.index.name = label("goal")
    return tables.to_html(
        frame, caption=_("Scorecard: goal scores (0-1) by bid"), formats={label("weight"): "percent"},
        default_format="score", colour_columns=list(card.labels), colour_range=(0.0, 1.0),
        struck_columns=card.knocked_out_labels, notes=scorecard_notes(card), locale=current().language,
    )


def stacked_plot(card: Scorecard, ax: Axes) -> Axes:
    """Each goal's contribution to each bid's total, stacked (``Scorecard.plot("stacked")``)."""
    if source_language():
        return card.plot("stacked", ax=ax)
    import pandas as pd

    frame = pd.DataFrame(card.contributions, index=list(card.labels), columns=list(card.goal_names))
    return plots.stacked_bars(frame, ax=ax, title=_("Contribution of each goal to the total"),
                              ylabel=_("weighted score"), struck=card.knocked_out_labels)


# ------------------------------------------------------------------ TCO
def periods_text(comparison: TcoComparison, a: str, b: str, *, discounted: bool = False) -> str:
    """Which of two bids is cheaper when, in words (``TcoComparison.periods_text``)."""
    if source_language():
        return comparison.periods_text(a, b, discounted=discounted)
    from crmselect.money.kernels import cheaper_periods

    cumulative = comparison.cumulative(discounted=discounted)
    periods = cheaper_periods(cumulative[a].to_numpy(), cumulative[b].to_numpy())
    if not periods:
        return _("{a} and {b} cost the same throughout").format(a=comparison[a].label, b=comparison[b].label)
    parts = []
    for index, (start, end, which) in enumerate(periods):
        bid = comparison[(a, b)[which]].label
        if len(periods) == 1:
            parts.append(_("{bid} is cheaper throughout").format(bid=bid))
        elif index == 0:
            parts.append(_("{bid} is cheaper until year {end}").format(bid=bid, end=_number(end, 2)))
        elif index == len(periods) - 1:
            parts.append(_("{bid} after year {start}").format(bid=bid, start=_number(start, 2)))
        else:
            parts.append(_("{bid} from year {start} to {end}").format(bid=bid, start=_number(start, 2),
                                                                       end=_number(end, 2)))
    return _(", ").join(parts)


def crossings_html(comparison: TcoComparison, *, discounted: bool = False) -> str:
    """Which offer is cheaper when, for every pair whose cumulative costs cross (each crossing, not just the first)."""
    import html

    rows = comparison.crossovers(discounted=discounted)
    if rows.empty:
        return ("<p style='font-family:sans-serif'>" + html.escape(
            _("No two offers' cumulative costs cross within the horizon.")) + "</p>")
    pairs = rows[["a", "b"]].drop_duplicates()
    sentences = [_("{text}.").format(text=periods_text(comparison, str(r.a), str(r.b), discounted=discounted))
                 for r in pairs.itertuples()]
    items = [f"<li>{html.escape(sentence)}</li>" for sentence in sentences]
    return "<ul class='crmselect-crossovers' style='font-family:sans-serif;font-size:12px'>" + "".join(items) + "</ul>"


def _payment_convention(comparison: TcoComparison) -> str:
    from crmselect.money.kernels import LINES

    ahead: dict[tuple[str, ...], list[str]] = {}
    for result in comparison.results:
        lines = tuple(name for name in LINES if name in result.inputs.paid_in_advance)
        ahead.setdefault(lines, []).append(result.label)
    rate = _number(comparison.results[0].discount_rate_pct, 1).rstrip("0").rstrip(".")
    head = _("NPV at {rate} % a year; each year's costs count at the end of the year").format(rate=rate)
    parts = [_("{lines} ({bids})").format(lines=_(", ").join(label(line) for line in lines),
                                          bids=_("all offers") if len(ahead) == 1 else _(", ").join(labels))
             for lines, labels in ahead.items() if lines]
    if not parts:
        return _("{text}.").format(text=head)
    return _("{head}, except lines billed yearly in advance, which count at its start: {lines}.").format(
        head=head, lines=_("; ").join(parts))


def out_label(bid_label: str) -> str:
    """A knocked-out bid's name as a chart legend says it: ``Brightquill CRM (knocked out)``."""
    return _("{text} ({reason})").format(text=bid_label, reason=_("knocked out"))


def _knockout_notes(knockouts: Sequence[KnockOut]) -> list[str]:
    return [_("Knocked out: {what}").format(what=knockout_text(k)) for k in knockouts]


def _status(index: Sequence[str], out: set[str]) -> list[str]:
    return [_("knocked out") if bid in out else "" for bid in index]


#: how a deployment is said to the committee (the bids' files keep the ids)
DEPLOYMENTS = {"saas": N_("SaaS (vendor-hosted)"), "on_premise": N_("on premises"), "hosted": N_("hosted")}


def deployment_text(deployment: str) -> str:
    return _(DEPLOYMENTS[deployment]) if deployment in DEPLOYMENTS else label(deployment)


def _by_name(frame: Any, out: set[str]) -> tuple[Any, set[str]]:
    """``frame`` (bid ids as index, a ``label`` column) with the bids' names as index; the struck names."""
    names = frame["label"].astype(str)
    struck = {str(names[bid]) for bid in out if bid in names.index}
    shown = frame.drop(columns=["label"])
    shown.index = list(names)
    return shown, struck


def tco_html(comparison: TcoComparison, currency: str = "CNY", *, knockouts: Sequence[KnockOut] = ()) -> str:
    """One row per bid (by name): deployment, initial, total, NPV, cost per user-year, go-live, NPV rank; knocked-out
    bids (``knockouts``, the scorecard's) stay, grey and struck through, with why in the notes."""
    out = {k.bid for k in knockouts}
    frame = comparison.frame()
    frame["deployment"] = [deployment_text(str(v)) for v in frame["deployment"]]
    if out:
        frame["status"] = _status(list(frame.index), out)
    kinds = {"initial": "money", "total": "money", "npv": "money", "cost_per_user_year": "money",
             "go_live_days": "integer", "npv_rank": "integer"}
    frame, struck = _by_name(frame, out)
    shown = localised(frame)
    shown.index.name = label("bid")
    notes = [_("{text}.").format(text=periods_text(comparison, str(r.a), str(r.b)))
             for r in comparison.crossovers()[["a", "b"]].drop_duplicates().itertuples()]
    notes.append(_payment_convention(comparison))
    notes += _knockout_notes(knockouts)
    first = comparison.results[0]
    caption = _("TCO over {years} years, NPV at {rate} %").format(
        years=first.horizon_years, rate=_number(first.discount_rate_pct, 1).rstrip("0").rstrip("."))
    return tables.to_html(shown, caption=caption, formats={label(k): v for k, v in kinds.items()}, notes=notes,
                          struck_rows=struck, locale=current().language, currency=currency)


ROI_COLUMNS = ("label", "annual_benefit", "go_live_days", "npv", "roi", "risk_roi", "payback_months",
               "risk_payback_months")


def roi_html(returns: RoiComparison, currency: str = "CNY", *, knockouts: Sequence[KnockOut] = ()) -> str:
    """One row per bid: benefit a year (earned by fit), planned go-live, NPV, ROI plain and risk-adjusted, payback
    ("never" when it does not come within the horizon); knocked-out bids grey and struck through."""
    out = {k.bid for k in knockouts}
    frame = returns.frame()[list(ROI_COLUMNS)]
    for column in ("payback_months", "risk_payback_months"):
        frame[column] = [_("never") if v is None or v != v else _number(float(v), 1) for v in frame[column]]
    if out:
        frame["status"] = _status(list(frame.index), out)
    kinds = {"annual_benefit": "money", "npv": "money", "go_live_days": "integer", "roi": "percent",
             "risk_roi": "percent"}
    frame, struck = _by_name(frame, out)
    shown = localised(frame)
    shown.index.name = label("bid")
    return tables.to_html(shown, caption=_("ROI by bid"), formats={label(k): v for k, v in kinds.items()},
                          notes=_knockout_notes(knockouts), struck_rows=struck, locale=current().language,
                          currency=currency)


def grey_out(ax: Axes, labels: Sequence[str]) -> Axes:
    """Draw the lines of knocked-out bids (by their ``labels``) grey and dashed, named "(knocked out)"."""
    out = set(labels)
    if not out:
        return ax
    for line in ax.get_lines():
        if line.get_label() in out:
            line.set_color(OUT_GREY)
            line.set_linestyle("--")
            line.set_alpha(0.8)
            line.set_label(out_label(str(line.get_label())))
    if ax.get_legend() is not None:
        ax.legend()
    return ax


OUT_GREY = "#9a9a9a"


# ------------------------------------------------------------------ what-if
def sweep_html(result: Sweep) -> str:
    """One row per rank change of a goal's sweep: where, who overtakes whom, the order after."""
    note = _("{goal} weighs {weight} now; {count} rank change(s) in 0..100 %").format(
        goal=result.goal, weight=percent(result.current), count=len(result.t))
    return tables.to_html(localised(result.frame()), caption=_("Sweep of {goal}").format(goal=result.goal),
                          formats={label("weight"): "percent"}, default_format="score", notes=[note],
                          locale=current().language)


def smaa_html(result: Any, model: str) -> str:
    """SMAA rank acceptabilities, the first-rank share's uncertainty, the confidence factor and the rank at the
    current weights, with notes that say each in plain words (``model``: how the weights were drawn, in words)."""
    frame = result.frame()
    names = {"rank 1 ± (se)": _("± on rank 1"), "confidence factor": _("still first with uncertain scores"),
             "base rank": _("rank now")}
    shown = localised(frame).rename(columns={label(key): text for key, text in names.items()})
    shown.index.name = _("bid")
    kinds = {c: "percent" for c in shown.columns if c != names["base rank"]}
    kinds[names["base rank"]] = "integer"
    colour = [label(c) for c in frame.columns if c.startswith("rank ") and "±" not in c]
    notes = [_("{count} sets of weights drawn; weights: {model}").format(count=_number(result.n, 0), model=model)
             + (_("; scores uncertain (committee spread)") if result.uncertain_scores else ""),
             _("Each rank column: how often the bid came in that place."),
             _("± on rank 1: how far the share of first places may be off because the draws are random "
               "(one standard error; more samples make it smaller)."),
             _("Still first with uncertain scores: how often the bid stays first at the weights that typically "
               "make it win when the scores vary too (empty when it never comes first).")]
    if result.acceptance_rate is not None:
        notes.append(_("share of drawn weights kept (within the ranges): {rate}").format(
            rate=percent(result.acceptance_rate)))
    return tables.to_html(shown, caption=_("SMAA: chance of each rank"), formats=kinds, colour_columns=colour,
                          colour_range=(0.0, 1.0), notes=notes, locale=current().language)


def smaa_plot(result: Any, model: str, ax: Axes) -> Axes:
    """Rank acceptabilities as stacked horizontal bars (``SmaaResult.plot()``)."""
    if source_language():
        return result.plot(ax=ax)  # type: ignore[no-any-return]
    ranks: Sequence[str] = [f"rank {r}" for r in range(1, len(result.labels) + 1)]
    frame = localised(result.frame()[list(ranks)], index=False)
    return plots.acceptability_bars(frame, title=_("Rank acceptability ({model})").format(model=model),
                                    xlabel=_("share of samples"), ax=ax)



# ------------------------------------------------------------------ charts, as inline SVG (crmselect.show.svg)
def _bid_style(name: str, names: Sequence[str]) -> tuple[str, str]:
    from crmselect.show import style

    chosen = style.palette_for(list(names)).style(name)
    return chosen.colour, chosen.linestyle


def tco_chart(comparison: TcoComparison, *, discounted: bool = False, out_labels: Sequence[str] = (),
              currency: str | None = None) -> str:
    """Cumulative cost per year, one line per bid in its vendor's colour, every crossing marked; knocked-out bids
    grey and dashed, named "(knocked out)"; amounts in the currency and a unit fit for them."""
    from crmselect.show import style, svg
    from crmselect.show.plots import crossover_year

    curves = comparison.cumulative(discounted=discounted)
    years = [float(y) for y in curves.index]
    labels = {bid: comparison[bid].label for bid in curves.columns}
    out = set(out_labels)
    largest = float(abs(curves.to_numpy(dtype=float)).max()) if curves.size else 1.0
    divisor, _word = style.money_unit(largest)
    language = current().language
    lines = []
    for bid in curves.columns:
        name = labels[bid]
        colour, dash = _bid_style(name, list(labels.values()))
        if name in out:
            colour, dash, name = OUT_GREY, "--", out_label(name)
        lines.append(svg.Line(name, years, [float(v) for v in curves[bid]], colour, dash, faded=labels[bid] in out))
    crossings = comparison.crossovers(discounted=discounted)
    marks = [svg.Point(when, cost, _("{when}: {a} and {b} cost the same").format(
                 when=crossover_year(when), a=labels[str(a)], b=labels[str(b)]))
             for when, cost, a, b in zip(crossings["year"].to_numpy(dtype=float),
                                         crossings["cumulative_cost"].to_numpy(dtype=float),
                                         crossings["a"], crossings["b"], strict=True)]
    axis = {True: _("discounted cumulative cost (NPV)"), False: _("cumulative cost (undiscounted)")}[discounted]

    def year_text(year: float) -> str:
        return _("initial") if year == 0 else f"{year:g}"

    return svg.line_chart(
        lines, x_ticks=[(y, year_text(y)) for y in years], x_label=_("year"), x_format=year_text,
        y_label=style.money_label(axis, divisor=divisor, currency=currency if currency is None or source_language()
                                  else formats.currency_symbol(currency, language)),  # US$ as the tables write it
        y_format=lambda v: formats.format_number(v / divisor, language), y_floor=0.0, points=marks,
        points_name=_("costs cross"), css_class="crmselect-tco-chart")


def sweep_chart(result: Sweep) -> str:
    """Each bid's total as one goal's weight runs 0..100 % (straight lines), the rank changes marked, and the
    goal's weight now as a dashed line."""
    import numpy as np

    from crmselect.show import svg

    labels = list(result.labels)
    lines = []
    for i, name in enumerate(labels):
        colour, dash = _bid_style(name, labels)
        lines.append(svg.Line(name, [0.0, 1.0], [float(result.start[i]), float(result.end[i])], colour, dash))
    totals = result.totals_at(result.t) if len(result.t) else np.zeros((0, len(labels)))
    marks = [svg.Point(float(t), float(totals[k, result.upper[k]]),
                       _("at {weight}: {a} passes {b}").format(weight=percent(float(t)), a=labels[result.upper[k]],
                                                               b=labels[result.lower[k]]))
             for k, t in enumerate(result.t)]
    return svg.line_chart(
        lines, x_range=(0.0, 1.0), x_ticks=[(k / 4, percent(k / 4, 0)) for k in range(5)],
        x_label=_("weight of {goal} (other goals rescaled in proportion)").format(goal=result.goal),
        x_format=lambda v: percent(v, 0), y_label=_("total score"), y_format=lambda v: _number(v, 2),
        points=marks, points_name=_("rank change"),
        vline=(float(result.current), _("now ({weight})").format(weight=percent(float(result.current)))),
        css_class="crmselect-sweep-chart")


def smaa_chart(result: Any, model: str) -> str:
    """Each bid's chance of each rank as a bar stacked from rank 1 (green) to last (red)."""
    from crmselect.show import style, svg

    k = len(result.labels)
    colours = style.rank_colours(k)
    acceptability = result.rank_acceptability
    bars = []
    for i, name in enumerate(result.labels):
        segments = [(float(acceptability[i, r]), colours[r],
                     _("{bid}: rank {rank} in {share} of the draws").format(bid=name, rank=r + 1,
                                                                            share=percent(float(acceptability[i, r]))))
                    for r in range(k)]
        bars.append(svg.Bar(str(name), segments))
    legend = [(_("rank {rank}").format(rank=r + 1), colours[r]) for r in range(k)]
    return svg.stacked_bar_chart(bars, legend=legend, x_max=1.0, x_format=lambda v: percent(v, 0),
                                 x_label=_("share of samples"),
                                 title=_("Rank acceptability ({model})").format(model=model),
                                 css_class="crmselect-smaa-chart")


def contributions_chart(card: Scorecard) -> str:
    """Each bid's total stacked by goal contribution (goal score x weight), in the goals' colours, ranked; the
    knocked-out bids pale, saying so."""
    import numpy as np

    from crmselect.show import style, svg
    from crmselect.widgets.core import ranking_order

    contributions = np.asarray(card.contributions, dtype=float)
    eligible = np.asarray(card.eligible, dtype=bool)
    bars = []
    for i in ranking_order(card):
        segments = [(float(contributions[i, g]), style.goal_colour(g),
                     f"{name}: {_number(float(contributions[i, g]), 3)}") for g, name in enumerate(card.goal_names)]
        note = "" if eligible[i] else " (" + _("knocked out") + ")"
        bars.append(svg.Bar(str(card.labels[i]), segments, faded=not eligible[i], note=note))
    top = float(np.asarray(card.totals, dtype=float).max()) if len(card.bid_ids) else 1.0
    return svg.stacked_bar_chart(bars, legend=[(str(n), style.goal_colour(g)) for g, n in enumerate(card.goal_names)],
                                 x_max=max(top, 1e-9), x_format=lambda v: _number(v, 2), x_label=_("weighted score"),
                                 title=_("Contribution of each goal to the total"),
                                 css_class="crmselect-contributions-chart")
