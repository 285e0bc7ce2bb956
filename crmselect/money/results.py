"""TCO results that show themselves: :class:`TcoResult` (one offer's cost lines x periods, NPV,
cumulative cost) and :class:`TcoComparison` (several offers side by side, crossovers).  Built by
:func:`crmselect.money.costs.tco` and :func:`crmselect.money.costs.compare_tco`; the numbers come from
:mod:`crmselect.money.kernels`.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.project import deployment_words
from crmselect.money.drivers import Tornado, tornado
from crmselect.money.kernels import (
    LINES,
    BoolArray,
    FloatArray,
    TcoInputs,
    cheaper_periods,
    cost_schedule,
    crossing_times,
    crossover_time,
    discount_factors,
    monthly_flows,
    npv,
    timed_flows,
    users_by_year,
    yearly,
)
from crmselect.money.labels import localised
from crmselect.show.i18n import _, current

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
else:
    pd = lazy_module("pandas")


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class AnswerCost:
    """What one answer to a linked criterion costs: effort days at t = 0, a third-party product a year."""

    criterion: str
    code: str
    effort: str
    effort_days: float
    third_party_cost_per_year: float = 0.0
    third_party_product: str = ""
    upgrade_risk: bool = False  # custom code: its effort is partly redone at every upgrade


# ---------------------------------------------------------------------------- results
def _readonly(array: npt.ArrayLike) -> Any:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


def year_labels(horizon_years: int) -> list[str]:
    return ["initial", *[f"year {t}" for t in range(1, horizon_years + 1)]]


def shown_by_label(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame indexed by bid id with a ``label`` column, as a reader sees it: indexed by the bid's label (index
    name ``bid``), and its ``deployment`` cells in words in the current language (``on-premise``, ``本地部署``).
    The frame itself keeps the ids: other code looks bids up by them."""
    out = frame.set_index("label")
    out.index.name = "bid"
    if "deployment" in out.columns:
        language = current().language
        out["deployment"] = out["deployment"].map(lambda kind: deployment_words(str(kind), language))
    return out


@dataclass(frozen=True, eq=False)
class TcoResult:
    """One offer's TCO: cost lines x periods (0 = initial, 1..H = years), NPV and cumulative cost."""

    bid_id: str
    label: str
    deployment: str
    inputs: TcoInputs
    initial: FloatArray
    monthly_rate: FloatArray
    from_go_live: BoolArray
    effort_answers: tuple[AnswerCost, ...] = ()

    def __post_init__(self) -> None:
        for name in ("initial", "monthly_rate", "from_go_live"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @classmethod
    def from_inputs(
        cls,
        inputs: TcoInputs,
        *,
        bid_id: str = "offer",
        label: str = "",
        deployment: str = "",
        effort_answers: tuple[AnswerCost, ...] = (),
    ) -> TcoResult:
        initial, rate, from_go_live = cost_schedule(inputs)
        return cls(bid_id, label or bid_id, deployment, inputs, initial, rate, from_go_live, effort_answers)

    # -------------------------------------------------------------- numbers
    @cached_property
    def monthly(self) -> FloatArray:
        """Cash flows per line and month 1..12H (the initial period not included)."""
        return _readonly(monthly_flows(self.monthly_rate, self.from_go_live, self.inputs.go_live_months))  # type: ignore[no-any-return]

    @cached_property
    def flows(self) -> FloatArray:
        """Cash flows per line (rows, in :data:`LINES` order) and payment time 0..H (columns): a year's
        cost at its end, or at its start for lines paid in advance (``inputs.paid_in_advance``)."""
        return _readonly(timed_flows(self.initial, yearly(self.monthly), self.inputs.advance))  # type: ignore[no-any-return]

    @property
    def lines(self) -> tuple[str, ...]:
        return LINES

    @property
    def horizon_years(self) -> int:
        return self.inputs.horizon_years

    @property
    def discount_rate_pct(self) -> float:
        return self.inputs.discount_rate_pct

    @property
    def by_period(self) -> FloatArray:
        """Total cost per period 0..H."""
        return self.flows.sum(axis=0)  # type: ignore[no-any-return]

    @property
    def total(self) -> float:
        """Undiscounted total over the initial period and the horizon."""
        return float(self.flows.sum())

    @property
    def npv(self) -> float:
        """Present value of all costs at the discount rate (t = 0 undiscounted)."""
        return float(npv(self.by_period, self.discount_rate_pct))

    @property
    def users(self) -> FloatArray:
        return users_by_year(self.inputs.users, self.inputs.user_growth_pct, self.horizon_years)

    @property
    def cost_per_user_year(self) -> float:
        """Undiscounted total divided by the user-years of the horizon."""
        return self.total / float(self.users.sum())

    def cumulative(self, *, discounted: bool = False) -> FloatArray:
        """Cumulative cost at t = 0..H (discounted with the TCO's rate if asked)."""
        flows = self.by_period
        if discounted:
            flows = flows * discount_factors(self.discount_rate_pct, flows.size)
        return np.cumsum(flows)

    # -------------------------------------------------------------- views
    def frame(self) -> pd.DataFrame:
        """Cost lines x periods (columns 0 = initial period, 1..H = years), plus a ``total`` column."""
        out = pd.DataFrame(
            self.flows, index=pd.Index(LINES, name="line"), columns=pd.RangeIndex(self.horizon_years + 1)
        )
        out.columns.name = "year"
        out["total"] = out.sum(axis=1)
        return out

    def summary(self) -> dict[str, float]:
        return {
            "total": self.total,
            "npv": self.npv,
            "cost_per_user_year": self.cost_per_user_year,
            "discount_rate_pct": self.discount_rate_pct,
            "horizon_years": float(self.horizon_years),
            "go_live_days": self.inputs.go_live_days,
        }

    def effort_frame(self) -> pd.DataFrame:
        """Answers to linked criteria that cost effort or a third-party product, one row each."""
        out = pd.DataFrame(
            [dataclasses.asdict(a) for a in self.effort_answers],
            columns=[f.name for f in dataclasses.fields(AnswerCost)],
        )
        out["effort_cost"] = out["effort_days"] * self.inputs.cost_per_effort_day
        return out.set_index("criterion")

    def cumulative_frame(self, *, discounted: bool = False) -> pd.DataFrame:
        return pd.DataFrame(
            {self.label: self.cumulative(discounted=discounted)},
            index=pd.RangeIndex(self.horizon_years + 1, name="year"),
        )

    def plot(self, ax: Axes | None = None, *, discounted: bool = False) -> Axes:
        """Cumulative cost curve."""
        from crmselect.show import plots

        return plots.cumulative_cost(self.cumulative_frame(discounted=discounted), ax=ax, discounted=discounted)

    def tornado(self, *, pct: float = 20.0) -> Tornado:
        return tornado(self.inputs, pct=pct, label=self.label)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        shown = self.frame()
        shown = shown.loc[(shown != 0).any(axis=1)]
        shown.columns = [*year_labels(self.horizon_years), _("total")]
        notes = [
            _("Undiscounted total {total}; NPV {npv} at {rate} %; {per_user} per user per year; "
              "go-live after {days} days.").format(
                total=f"{self.total:,.0f}", npv=f"{self.npv:,.0f}", rate=f"{self.discount_rate_pct:g}",
                per_user=f"{self.cost_per_user_year:,.0f}", days=f"{self.inputs.go_live_days:g}")
        ]
        caption = _("TCO: {label}").format(label=self.label)
        return tables.to_html(shown, caption=caption, default_format="money", notes=notes)


@dataclass(frozen=True, eq=False)
class TcoComparison:
    """TCO of several bids side by side: NPV table, cumulative curves, crossovers, tornado."""

    results: tuple[TcoResult, ...]

    def __post_init__(self) -> None:
        if not self.results:
            raise AnalysisError("a TCO comparison needs at least one bid")

    @property
    def bid_ids(self) -> tuple[str, ...]:
        return tuple(r.bid_id for r in self.results)

    def __getitem__(self, bid_id: str) -> TcoResult:
        for result in self.results:
            if result.bid_id == bid_id:
                return result
        raise KeyError(f"no bid {bid_id!r}; bids are {list(self.bid_ids)}")

    def npvs(self) -> dict[str, float]:
        return {r.bid_id: r.npv for r in self.results}

    def frame(self) -> pd.DataFrame:
        """One row per bid: label, deployment, initial, undiscounted total, NPV, cost per user-year, rank."""
        rows = [
            {
                "bid": r.bid_id,
                "label": r.label,
                "deployment": r.deployment,
                "initial": float(r.by_period[0]),
                "total": r.total,
                "npv": r.npv,
                "cost_per_user_year": r.cost_per_user_year,
                "go_live_days": r.inputs.go_live_days,
            }
            for r in self.results
        ]
        out = pd.DataFrame(rows).set_index("bid")
        out["npv_rank"] = out["npv"].rank(method="min").astype(int)
        return out

    def lines(self) -> pd.DataFrame:
        """Cost lines x bids, NPV of each line."""
        data = {r.bid_id: npv(r.flows, r.discount_rate_pct) for r in self.results}
        return pd.DataFrame(data, index=pd.Index(LINES, name="line"))

    def cumulative(self, *, discounted: bool = False) -> pd.DataFrame:
        """Periods (0..H) x bids: cumulative cost."""
        data = {r.bid_id: r.cumulative(discounted=discounted) for r in self.results}
        return pd.DataFrame(data, index=pd.RangeIndex(self.results[0].horizon_years + 1, name="year"))

    def crossover(self, a: str, b: str, *, discounted: bool = False) -> float | None:
        """Year (fractional, t = 0 initial) where the cumulative costs of ``a`` and ``b`` cross, or None."""
        return crossover_time(self[a].cumulative(discounted=discounted), self[b].cumulative(discounted=discounted))

    def crossovers(self, *, discounted: bool = False) -> pd.DataFrame:
        """Every crossing of every pair's cumulative costs: when, at what cost, which is cheaper after it.

        Costs can cross more than once (a hardware refresh, a renewal escalator): each crossing is a
        row, and ``cheaper_after`` is the bid that is cheaper from that crossing to the next one.
        """
        rows = []
        cumulative = self.cumulative(discounted=discounted)
        years = cumulative.index.to_numpy(dtype=float)
        for a, b in itertools.combinations(self.bid_ids, 2):
            line_a, line_b = cumulative[a].to_numpy(), cumulative[b].to_numpy()
            periods = cheaper_periods(line_a, line_b)
            for when in crossing_times(line_a, line_b):
                after = next((p for p in periods if p[0] == when), None)
                cheaper = (a, b)[after[2]] if after is not None else ""
                rows.append({"a": a, "b": b, "year": when, "cumulative_cost": float(np.interp(when, years, line_a)),
                             "cheaper_after": cheaper})
        return pd.DataFrame(rows, columns=["a", "b", "year", "cumulative_cost", "cheaper_after"])

    def cheaper_periods(self, *, discounted: bool = False) -> pd.DataFrame:
        """For every pair whose costs cross: each period in which one bid is cheaper (``from_year``-``to_year``)."""
        rows = []
        cumulative = self.cumulative(discounted=discounted)
        for a, b in itertools.combinations(self.bid_ids, 2):
            line_a, line_b = cumulative[a].to_numpy(), cumulative[b].to_numpy()
            periods = cheaper_periods(line_a, line_b)
            if len(periods) < 2:
                continue  # never cross: one is cheaper throughout (the frame() shows which)
            rows += [{"a": a, "b": b, "from_year": start, "to_year": end, "cheaper": (a, b)[which]}
                     for start, end, which in periods]
        return pd.DataFrame(rows, columns=["a", "b", "from_year", "to_year", "cheaper"])

    def periods_text(self, a: str, b: str, *, discounted: bool = False) -> str:
        """In words: "Bid A is cheaper until year 1.67, Bid B from year 1.67 to 3.80, Bid A after year 3.80"."""
        cumulative = self.cumulative(discounted=discounted)
        periods = cheaper_periods(cumulative[a].to_numpy(), cumulative[b].to_numpy())
        if not periods:
            return _("{a} and {b} cost the same throughout").format(a=self[a].label, b=self[b].label)
        parts = []
        for index, (start, end, which) in enumerate(periods):
            label = self[(a, b)[which]].label
            if len(periods) == 1:
                parts.append(_("{bid} is cheaper throughout").format(bid=label))
            elif index == 0:
                parts.append(_("{bid} is cheaper until year {year}").format(bid=label, year=f"{end:.2f}"))
            elif index == len(periods) - 1:
                parts.append(_("{bid} after year {year}").format(bid=label, year=f"{start:.2f}"))
            else:
                parts.append(_("{bid} from year {start} to {end}").format(bid=label, start=f"{start:.2f}",
                                                                         end=f"{end:.2f}"))
        return ", ".join(parts)

    def payment_convention(self) -> str:
        """How the NPVs count time, in a sentence (in the current language): end of year, except the lines
        each bid pays in advance."""
        from crmselect.show.i18n import _

        ahead: dict[tuple[str, ...], list[str]] = {}
        for result in self.results:
            lines = tuple(name for name in LINES if name in result.inputs.paid_in_advance)
            ahead.setdefault(lines, []).append(result.label)
        head = _("NPV at {rate} % a year; each year's costs count at the end of the year").format(
            rate=f"{self.results[0].discount_rate_pct:g}")
        parts = [_("{lines} ({who})").format(lines=", ".join(_(line) for line in lines),
                                              who=_("all offers") if len(ahead) == 1 else ", ".join(labels))
                 for lines, labels in ahead.items() if lines]
        if not parts:
            return head + _(".")
        return _("{head}, except lines billed yearly in advance, which count at its start: {parts}.").format(
            head=head, parts="; ".join(parts))

    def tornado(self, bid_id: str, *, pct: float = 20.0) -> Tornado:
        return self[bid_id].tornado(pct=pct)

    def plot(self, ax: Axes | None = None, *, discounted: bool = False) -> Axes:
        """Cumulative cost curves, with every crossover marked."""
        from crmselect.show import plots

        curves = self.cumulative(discounted=discounted)
        curves.columns = [self[b].label for b in curves.columns]
        marks = self.crossovers(discounted=discounted)
        return plots.cumulative_cost(curves, crossovers=marks, ax=ax, discounted=discounted)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {
            "initial": "money",
            "total": "money",
            "npv": "money",
            "cost_per_user_year": "money",
            "go_live_days": "integer",
            "npv_rank": "integer",
        }
        notes = []
        pairs = self.crossovers()[["a", "b"]].drop_duplicates()
        for row in pairs.itertuples():
            notes.append(self.periods_text(str(row.a), str(row.b)) + ".")
        first = self.results[0]
        notes.append(self.payment_convention())
        caption = _("TCO over {years} years, NPV at {rate} %").format(years=first.horizon_years,
                                                                       rate=f"{first.discount_rate_pct:g}")
        shown, shown_formats = localised(shown_by_label(self.frame()), formats)
        return tables.to_html(shown, caption=caption, formats=shown_formats, colour_columns=(), notes=notes)


__all__ = ["AnswerCost", "TcoComparison", "TcoResult", "shown_by_label", "year_labels"]
