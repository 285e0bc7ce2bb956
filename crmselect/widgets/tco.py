"""TCO explorer: the company's assumptions as controls; cumulative costs, crossovers, NPV and ROI live.

Knocked-out bids stay in every table and chart, marked as the CLI marks them: grey and struck through in the
TCO and ROI tables, with the must-have that put each out (:func:`crmselect.words.knockout_text`), and grey dashed
"(knocked out)" curves on the cumulative-cost chart.

Every number comes from :func:`crmselect.money.costs.compare_tco`; the panel only builds the inputs
(the selection's assumptions with the controls' values, and optionally a negotiated renewal
price cap on every offer) and shows the comparison, in the panel's language (``translator=``,
default: the current one when made; callbacks run inside ``using(self.translator)``), with money
in the selection's currency formatted per locale.
"""

from __future__ import annotations

import dataclasses
import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from crmselect.show.i18n import Translator, _, current, using
from crmselect.widgets import views
from crmselect.widgets.base import ChartView, html_error
from crmselect.widgets.wording import marker_text

if TYPE_CHECKING:
    from crmselect.evaluation import Evaluation
    from crmselect.model.goals import Assumptions
    from crmselect.model.project import Project
    from crmselect.money.costs import TcoComparison
    from crmselect.record.envelopes import PriceAccess

__all__ = ["TcoExplorer", "with_renewal_cap"]


def with_renewal_cap(project: Project, cap_pct: float) -> Project:
    """The project with ``cap_pct`` negotiated as every offer's contractual renewal price cap.

    The TCO takes the lowest of the price list's cap and the contract's cap, so an offer that
    already has a lower cap keeps it.
    """
    vendors = []
    for vendor in project.vendors:
        offers = tuple(
            offer.model_copy(update={"contract": offer.contract.model_copy(update={"renewal_price_cap_pct": cap_pct})})
            for offer in vendor.offers
        )
        vendors.append(vendor.model_copy(update={"offers": offers}))
    return dataclasses.replace(project, vendors=tuple(vendors))


def _slider(description: str, value: float, low: float, high: float, step: float, fmt: str = ".1f") -> Any:
    return w.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        tooltip=description,
        readout_format=fmt,
        continuous_update=False,
        style={"description_width": "17em"},
        layout=w.Layout(width="44em"),
    )


class TcoExplorer:
    """Users, growth, horizon, discount rate, renewal cap and downtime cost as controls."""

    def __init__(self, project: Project, *, prices: PriceAccess | None = None,
                 translator: Translator | None = None) -> None:
        from crmselect.record.envelopes import price_access

        self.translator = translator or current()
        self.project = project
        self.prices = prices or price_access(project)
        with using(self.translator):
            self._build(project)

    def _build(self, project: Project) -> None:
        a = project.selection.assumptions
        self.users = w.BoundedIntText(
            value=a.users, min=1, max=1_000_000, step=10, description=_("Users at go-live"),
            style={"description_width": "17em"},
        )
        self.growth = _slider(_("User growth (% a year)"), a.user_growth_pct, -20.0, 50.0, 1.0)
        self.horizon = w.IntSlider(
            value=a.horizon_years, min=3, max=10, description=_("Horizon (years)"), continuous_update=False,
            style={"description_width": "17em"}, layout=w.Layout(width="44em"),
        )
        self.discount = _slider(_("Discount rate (%)"), a.discount_rate_pct, 0.0, 25.0, 0.5)
        self.cap_on = w.Checkbox(value=False, description=_("Negotiate a renewal price cap for every offer"),
                                 indent=False, layout=w.Layout(width="auto"))
        self.cap = _slider(_("Renewal cap (% a year)"), 3.0, 0.0, 15.0, 0.5)
        self.downtime = _slider(_("Downtime cost (per user-hour)"), a.downtime_cost_per_user_hour, 0.0, 300.0, 5.0,
                                ".0f")
        self.discounted = w.Checkbox(value=False, description=_("Show discounted cumulative cost"), indent=False,
                                     layout=w.Layout(width="auto"))
        self.chart = ChartView("crmselect-tco-chart")
        self.crossings = w.HTML()
        self.table = w.HTML()
        self.returns_table = w.HTML()
        self.comparison: TcoComparison | None = None
        self.evaluation: Evaluation | None = None
        controls = [self.users, self.growth, self.horizon, self.discount, self.cap_on, self.cap, self.downtime,
                    self.discounted]
        for control in controls:
            control.observe(lambda _change: self.update(), names="value")
        if not self.prices.visible:
            self.widget = w.VBox([w.HTML(_(
                "<b>Total cost of ownership</b>: TCO, NPV and cost crossings are <b>sealed until prices are "
                "revealed</b>. The committee locks the technical scoring first, then opens the price envelope."))])
            self.widget.add_class("crmselect-tco")
            return
        marked = marker_text(self.prices)
        marker = [w.HTML(f"<b style='color:#b00'>{html.escape(marked)}</b>")] if marked else []
        self.widget = w.VBox(
            [
                *marker,
                w.HTML(_("<b>Total cost of ownership</b>: change an assumption, the curves and NPVs follow")),
                w.HBox([w.VBox(controls, layout=w.Layout(flex="0 0 auto")),
                        w.VBox([self.chart.html, self.crossings], layout=w.Layout(width="660px"))],
                       layout=w.Layout(flex_flow="row wrap")),
                self.table,
                self.returns_table,
            ]
        )
        self.widget.add_class("crmselect-tco")
        self.update()

    def assumptions(self) -> Assumptions:
        """The selection's assumptions with the controls' values (validated by the model)."""
        base = self.project.selection.assumptions
        return type(base).model_validate(
            {
                **base.model_dump(),
                "users": int(self.users.value),
                "user_growth_pct": float(self.growth.value),
                "horizon_years": int(self.horizon.value),
                "discount_rate_pct": float(self.discount.value),
                "downtime_cost_per_user_hour": float(self.downtime.value),
            }
        )

    def update(self) -> TcoComparison | None:
        """Recompute the comparison with :func:`compare_tco` and redraw (nothing while prices are sealed)."""
        from crmselect.evaluation import evaluate
        from crmselect.money.costs import compare_tco
        from crmselect.money.returns import compare_roi

        if not self.prices.visible:
            return None
        project = with_renewal_cap(self.project, float(self.cap.value)) if self.cap_on.value else self.project
        with using(self.translator):
            try:
                if self.evaluation is None:  # the knock-outs and the goal scores ROI earns by: not on the controls
                    self.evaluation = evaluate(self.project)
                assumptions = self.assumptions()
                comparison = compare_tco(project, assumptions=assumptions)
                returns = compare_roi(project, assumptions=assumptions,
                                      goal_scores=self.evaluation.technical_goal_scores)
            except Exception as error:  # shown to the committee, not swallowed
                self.table.value = html_error(str(error))
                return None
            self.comparison = comparison
            knockouts = self.evaluation.scorecard.knockouts
            out_labels = self.evaluation.scorecard.knocked_out_labels
            discounted = bool(self.discounted.value)
            currency = str(self.project.selection.currency)
            self.chart.draw(lambda: views.tco_chart(comparison, discounted=discounted, out_labels=out_labels,
                                                    currency=currency))
            self.crossings.value = crossover_text(comparison, discounted=discounted)
            self.table.value = views.tco_html(comparison, currency=currency, knockouts=knockouts)
            self.returns_table.value = views.roi_html(returns, currency=currency, knockouts=knockouts)
        return comparison

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def crossover_text(comparison: TcoComparison, *, discounted: bool = False) -> str:
    """Which offer is cheaper when, for every pair whose cumulative costs cross (each crossing, not just the first),
    in the current language."""
    return views.crossings_html(comparison, discounted=discounted)
