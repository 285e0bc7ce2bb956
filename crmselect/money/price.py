"""Price in the scorecard: lowest/price, value for money, or kept apart on a score-vs-NPV chart.

The price of a bid is the NPV of its TCO (:mod:`crmselect.money.costs`).  Three methods:

- ``lowest_over_price``: score = lowest NPV / the bid's NPV (the cheapest bid gets 1);
- ``value_for_money``: technical score per unit of cost, ``technical / NPV``, divided by the best
  ratio (the best value gets 1).  The technical score is the scorecard total with the price
  envelope still sealed; :func:`crmselect.evaluation.evaluate` passes it in as numbers;
- ``kept_apart``: price does not enter the score (:func:`price_values` gives no values); look at
  :func:`price_frontier` instead - technical score against NPV with the Pareto frontier: a bid is
  efficient when no other bid scores at least as high for no more money (and is better in one).

:func:`price_values` only *provides* the values of the ``computed_from: price`` criteria; the
scoring module keeps ``envelope: price`` criteria hidden until the committee reveals prices
(the two-envelope lock).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.goals import Assumptions, ComputedFrom
from crmselect.money.costs import TcoComparison, compare_tco
from crmselect.money.labels import localised
from crmselect.show.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

METHODS: tuple[str, ...] = ("lowest_over_price", "value_for_money", "kept_apart")


# ---------------------------------------------------------------------------- kernels
def lowest_over_price(costs: npt.ArrayLike) -> FloatArray:
    """``min(cost) / cost``: 1 for the cheapest bid, less for dearer ones.  Costs must be > 0."""
    c = np.asarray(costs, dtype=float)
    return c.min() / c  # type: ignore[no-any-return]


def value_for_money(technical: npt.ArrayLike, costs: npt.ArrayLike) -> FloatArray:
    """``(technical / cost) / max(technical / cost)``: 1 for the best value (0 when all score 0)."""
    ratio = np.asarray(technical, dtype=float) / np.asarray(costs, dtype=float)
    best = ratio.max()
    return ratio / best if best > 0 else np.zeros_like(ratio)  # type: ignore[no-any-return]


def pareto_efficient(technical: npt.ArrayLike, costs: npt.ArrayLike) -> BoolArray:
    """True where no other bid has technical >= and cost <= with one of them strict."""
    t = np.asarray(technical, dtype=float)
    c = np.asarray(costs, dtype=float)
    dominated = (
        (t[None, :] >= t[:, None])
        & (c[None, :] <= c[:, None])
        & ((t[None, :] > t[:, None]) | (c[None, :] < c[:, None]))
    )
    return np.asarray(~dominated.any(axis=1), dtype=np.bool_)


def price_scores(
    costs: Mapping[str, float], method: str = "lowest_over_price", technical: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Price score in 0..1 per bid from its cost (NPV); validates and calls the kernels."""
    if method not in METHODS:
        raise AnalysisError(f"method must be one of {list(METHODS)} (received {method!r})")
    if method == "kept_apart" or not costs:
        return {}
    ids = list(costs)
    c = np.array([costs[i] for i in ids], dtype=float)
    if not np.all(np.isfinite(c)) or np.any(c <= 0):
        raise AnalysisError(
            f"every cost must be a positive number (received {dict(zip(ids, c.tolist(), strict=True))})"
        )
    if method == "lowest_over_price":
        values = lowest_over_price(c)
    else:
        if technical is None:
            raise AnalysisError("value_for_money needs the technical scores")
        missing = [i for i in ids if i not in technical]
        if missing:
            raise AnalysisError(f"no technical score for bids {missing}")
        values = value_for_money([technical[i] for i in ids], c)
    return {i: float(v) for i, v in zip(ids, values, strict=True)}


# ---------------------------------------------------------------------------- frontier display
@dataclass(frozen=True, eq=False)
class PriceFrontier:
    """Technical score against NPV of cost, with the efficient (Pareto) bids marked."""

    table: pd.DataFrame

    def frame(self) -> pd.DataFrame:
        """Index bid; columns label, technical, npv, efficient, value_for_money."""
        return self.table.copy()

    @property
    def efficient(self) -> tuple[str, ...]:
        return tuple(str(i) for i in self.table.index[self.table["efficient"]])

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        shown = self.table.set_index("label")
        return plots.frontier(
            shown,
            x="npv",
            y="technical",
            efficient="efficient",
            xlabel=_("NPV of cost"),
            ylabel=_("technical score"),
            title=_("Score against price (efficient bids joined)"),
            ax=ax,
        )

    def svg(self, *, width: int = 640, height: int = 360) -> str:
        """The chart of :meth:`plot` as inline SVG (drawn by the browser: the dashboard redraws it on every slider
        move), in the current look's vendor colours and currency."""
        from crmselect.show import formats, style, svg
        from crmselect.show.i18n import current

        language = current().language
        palette = style.palette_for(list(self.table["label"]))
        divisor, _word = style.money_unit(float(self.table["npv"].abs().max()) if len(self.table) else 0.0)
        dots = []
        for label, npv, score, good in zip(self.table["label"].astype(str), self.table["npv"].to_numpy(float),
                                           self.table["technical"].to_numpy(float),
                                           self.table["efficient"].to_numpy(bool), strict=True):
            look = palette.style(label)
            tip = _("{bid}: NPV of cost {npv}, technical score {score}").format(
                bid=label, npv=formats.format_number(float(npv), language, digits=0),
                score=formats.format_number(float(score), language, digits=3))
            dots.append(svg.Dot(label, float(npv), float(score), look.colour, look.marker, bool(good), tip))
        return svg.frontier_chart(
            dots, x_label=style.money_label(_("NPV of cost"), divisor=divisor),
            y_label=_("technical score"), title=_("Score against price (efficient bids joined)"),
            x_format=lambda value: formats.format_number(value / divisor, language),
            y_format=lambda value: formats.format_number(value, language, digits=2),
            efficient_name=_("efficient"), dominated_name=_("dominated"), width=width, height=height)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {"technical": "score", "npv": "money", "value_for_money": "score"}
        shown, formats = localised(self.table, formats)
        return tables.to_html(
            shown,
            caption=_("Score against price: the Pareto frontier"),
            formats=formats,
            notes=[_("Efficient bids: {bids}.").format(bids=", ".join(self.efficient) or _("none"))],
        )


def frontier(
    costs: Mapping[str, float], technical: Mapping[str, float], labels: Mapping[str, str] | None = None
) -> PriceFrontier:
    """The score-vs-NPV frontier from plain mappings (bid id -> value)."""
    ids = list(costs)
    missing = [i for i in ids if i not in technical]
    if missing:
        raise AnalysisError(f"no technical score for bids {missing}")
    c = np.array([costs[i] for i in ids], dtype=float)
    t = np.array([technical[i] for i in ids], dtype=float)
    table = pd.DataFrame(
        {
            "label": [(labels or {}).get(i, i) for i in ids],
            "technical": t,
            "npv": c,
            "efficient": pareto_efficient(t, c),
            "value_for_money": value_for_money(t, c) if ids else [],
        },
        index=pd.Index(ids, name="bid"),
    )
    return PriceFrontier(table)


# ---------------------------------------------------------------------------- wrappers
def price_criteria(project: Project) -> tuple[str, ...]:
    return tuple(c.id for c in project.criteria if c.computed_from is ComputedFrom.price)


def price_values(
    project: Project,
    method: str = "lowest_over_price",
    *,
    bid_ids: Iterable[str] | None = None,
    comparison: TcoComparison | None = None,
    technical: Mapping[str, float] | None = None,
    assumptions: Assumptions | None = None,
) -> dict[str, dict[str, float]]:
    """{criterion id: {bid id: 0..1}} for every criterion with ``computed_from: price``.

    ``comparison``: a TCO comparison already computed (else one is made).  ``bid_ids``: score
    among these bids only (e.g. those not knocked out).  ``technical``: {bid id: technical score}
    (the sealed scorecard's totals) is required for ``value_for_money``.  ``kept_apart`` returns no criteria.
    """
    if method not in METHODS:
        raise AnalysisError(f"method must be one of {list(METHODS)} (received {method!r})")
    criteria = price_criteria(project)
    if method == "kept_apart" or not criteria:
        return {}
    comparison = comparison or compare_tco(project, bid_ids, assumptions=assumptions)
    npvs = comparison.npvs()
    if bid_ids is not None:
        wanted = list(bid_ids)
        npvs = {b: npvs[b] for b in wanted}
    scores = price_scores(npvs, method, None if technical is None else dict(technical))
    return {criterion: dict(scores) for criterion in criteria}


def price_frontier(
    project: Project,
    *,
    technical: Mapping[str, float],
    comparison: TcoComparison | None = None,
    assumptions: Assumptions | None = None,
) -> PriceFrontier:
    """Technical score (price envelope sealed: {bid id: total}) against NPV for every bid, the efficient ones marked."""
    comparison = comparison or compare_tco(project, assumptions=assumptions)
    labels = {r.bid_id: r.label for r in comparison.results}
    return frontier(comparison.npvs(), technical, labels)
