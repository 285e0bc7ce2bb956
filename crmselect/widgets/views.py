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
from crmselect.show.i18n import SOURCE_LANGUAGE, _, current
from crmselect.widgets.wording import label, localised, scorecard_notes, status_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from crmselect.money.costs import TcoComparison
    from crmselect.scoring.scorecard import Scorecard
    from crmselect.whatif.sensitivity import Sweep

__all__ = [
    "crossings_html",
    "percent",
    "periods_text",
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


def tco_html(comparison: TcoComparison, currency: str = "CNY") -> str:
    """One row per bid: deployment, initial, total, NPV, cost per user-year, go-live, NPV rank."""
    if source_language():
        return comparison._repr_html_()
    frame = comparison.frame()
    frame["deployment"] = [label(str(v)) for v in frame["deployment"]]
    kinds = {"initial": "money", "total": "money", "npv": "money", "cost_per_user_year": "money",
             "go_live_days": "integer", "npv_rank": "integer"}
    shown = localised(frame)
    shown.index.name = "ID"  # the bid ids; the column "label" says the bid's name
    notes = [_("{text}.").format(text=periods_text(comparison, str(r.a), str(r.b)))
             for r in comparison.crossovers()[["a", "b"]].drop_duplicates().itertuples()]
    notes.append(_payment_convention(comparison))
    first = comparison.results[0]
    caption = _("TCO over {years} years, NPV at {rate} %").format(
        years=first.horizon_years, rate=_number(first.discount_rate_pct, 1).rstrip("0").rstrip("."))
    return tables.to_html(shown, caption=caption, formats={label(k): v for k, v in kinds.items()}, notes=notes,
                          locale=current().language, currency=currency)


# ------------------------------------------------------------------ what-if
def sweep_html(result: Sweep) -> str:
    """One row per rank change of a goal's sweep: where, who overtakes whom, the order after."""
    if source_language():
        return result._repr_html_()
    note = _("committee's weight for {goal}: {weight}; {count} rank change(s) in 0..100 %").format(
        goal=result.goal, weight=percent(result.current), count=len(result.t))
    return tables.to_html(localised(result.frame()), caption=_("Sweep of {goal}").format(goal=result.goal),
                          formats={label("weight"): "percent"}, default_format="score", notes=[note],
                          locale=current().language)


def smaa_html(result: Any, model: str) -> str:
    """SMAA rank acceptabilities, first-rank standard error, confidence factor and base rank (``model`` in words)."""
    if source_language():
        return str(result._repr_html_())
    frame = result.frame()
    kinds = {c: "percent" for c in frame.columns if c != "base rank"}
    kinds["base rank"] = "integer"
    colour = [label(c) for c in frame.columns if c.startswith("rank ") and "se" not in c]
    notes = [_("{count} samples; weights: {model}").format(count=_number(result.n, 0), model=model)
             + (_("; scores uncertain (committee spread)") if result.uncertain_scores else ""),
             _("Monte Carlo standard error of a share p is sqrt(p(1-p)/n).")]
    if result.acceptance_rate is not None:
        notes.append(_("rejection sampling acceptance rate {rate}").format(rate=percent(result.acceptance_rate)))
    return tables.to_html(localised(frame), caption=_("SMAA rank acceptability"),
                          formats={label(k): v for k, v in kinds.items()}, colour_columns=colour,
                          colour_range=(0.0, 1.0), notes=notes, locale=current().language)


def smaa_plot(result: Any, model: str, ax: Axes) -> Axes:
    """Rank acceptabilities as stacked horizontal bars (``SmaaResult.plot()``)."""
    if source_language():
        return result.plot(ax=ax)  # type: ignore[no-any-return]
    ranks: Sequence[str] = [f"rank {r}" for r in range(1, len(result.labels) + 1)]
    frame = localised(result.frame()[list(ranks)], index=False)
    return plots.acceptability_bars(frame, title=_("Rank acceptability ({model})").format(model=model),
                                    xlabel=_("share of samples"), ax=ax)

