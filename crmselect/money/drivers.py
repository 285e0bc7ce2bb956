"""The NPV tornado of one offer's TCO: each input of :data:`TORNADO_INPUTS` varied on its own
between a low and a high value, the NPV recorded at both, the inputs sorted by the swing.
Used by ``TcoResult.tornado()`` and ``TcoComparison.tornado(bid_id)`` (:mod:`crmselect.money.costs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.money.kernels import TcoInputs, tco_npv
from crmselect.money.labels import localised
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
else:
    pd = lazy_module("pandas")


# ---------------------------------------------------------------------------- tornado
#: Inputs the tornado varies.  "relative": base ± pct %.  Tuples: a documented absolute low/high:
#: discount rate ±5 points around the assumption; user growth ±5 points; the renewal escalator
#: over 0..12 %/yr (uncapped Salesforce uplifts reported at 7-12 %, domain_facts §3.1; the
#: contract caps still apply); maintenance uplift 0..8 %/yr (Oracle's claimed 3-8 %).  Downtime is
#: varied as ± pct % of the unavailable share (100 - uptime).  The names are English keys of the table (code and
#: tests read them); a display says them in the current language (:meth:`Tornado.shown`).
TORNADO_INPUTS: tuple[tuple[str, str, str | tuple[float, float]], ...] = (
    ("users", N_("users"), "relative"),
    ("user_growth_pct", N_("user growth %/yr"), "points:5"),
    ("discount_rate_pct", N_("discount rate %"), "points:5"),
    ("subscription_per_user_month", N_("subscription per user-month"), "relative"),
    ("subscription_discount_pct", N_("subscription discount %"), "relative"),
    ("renewal_escalator_pct", N_("renewal escalator %"), (0.0, 12.0)),
    ("licence_per_user", N_("licence per user"), "relative"),
    ("maintenance_pct", N_("maintenance %"), "relative"),
    ("maintenance_uplift_pct", N_("maintenance uplift %"), (0.0, 8.0)),
    ("hardware_initial", N_("hardware"), "relative"),
    ("hosting_per_year", N_("hosting per year"), "relative"),
    ("database_os_per_year", N_("database/OS per year"), "relative"),
    ("premium_support_per_year", N_("premium support"), "relative"),
    ("consumption_per_year", N_("consumption"), "relative"),
    ("third_party_per_year", N_("third party"), "relative"),
    ("answer_third_party_per_year", N_("third party (answers)"), "relative"),
    ("admin_fte", N_("admin FTE"), "relative"),
    ("dba_fte", N_("DBA FTE"), "relative"),
    ("loaded_cost_per_fte", N_("loaded cost per FTE"), "relative"),
    ("services_cost", N_("implementation services"), "relative"),
    ("data_migration_cost", N_("data migration"), "relative"),
    ("integration_cost", N_("integration"), "relative"),
    ("training_cost", N_("training"), "relative"),
    ("effort_days", N_("extra effort days"), "relative"),
    ("cost_per_effort_day", N_("cost per effort day"), "relative"),
    ("go_live_days", N_("go-live days"), "relative"),
    ("uptime_pct", N_("uptime % (downtime ± pct)"), "downtime"),
    ("downtime_cost_per_user_hour", N_("downtime cost per user-hour"), "relative"),
)

_BOUNDS = {
    "subscription_discount_pct": (0.0, 100.0),
    "maintenance_pct": (0.0, 100.0),
    "user_growth_pct": (-50.0, 200.0),
    "discount_rate_pct": (0.0, 50.0),
    "users": (1.0, math.inf),
}


def _low_high(inputs: TcoInputs, field: str, how: str | tuple[float, float], pct: float) -> tuple[float, float]:
    base = float(getattr(inputs, field))
    if isinstance(how, tuple):
        low, high = how
    elif how == "relative":
        low, high = base * (1 - pct / 100), base * (1 + pct / 100)
    elif how.startswith("points:"):
        step = float(how.split(":")[1])
        low, high = base - step, base + step
    else:  # downtime: vary the unavailable share
        down = 100.0 - base
        low, high = 100.0 - down * (1 - pct / 100), 100.0 - min(down * (1 + pct / 100), 100.0)
    lo_bound, hi_bound = _BOUNDS.get(field, (0.0, math.inf))
    return max(low, lo_bound), min(high, hi_bound)


@dataclass(frozen=True, eq=False)
class Tornado:
    """NPV swing of each input between its low and high value, largest first."""

    label: str
    base_npv: float
    table: pd.DataFrame

    def frame(self) -> pd.DataFrame:
        """Index: input; columns: base, low, high, npv_low, npv_high, swing (sorted by swing)."""
        return self.table.copy()

    def shown(self) -> pd.DataFrame:
        """The table as a reader sees it: each input named in the current language (the keys stay English)."""
        out = self.table.copy()
        out.index = pd.Index([_(str(name)) for name in out.index], name=out.index.name)
        return out

    def plot(self, ax: Axes | None = None, *, top: int = 12) -> Axes:
        from crmselect.show import plots

        return plots.tornado(self.shown().head(top), base=self.base_npv, ax=ax,
                             title=_("NPV tornado: {label}").format(label=self.label))

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {"npv_low": "money", "npv_high": "money", "swing": "money"}
        shown, formats = localised(self.shown(), formats)
        return tables.to_html(
            shown,
            caption=_("What moves the NPV of {label} most (base {npv})").format(label=self.label,
                                                                               npv=f"{self.base_npv:,.0f}"),
            formats=formats,
            default_format="number",
        )


def tornado(inputs: TcoInputs, *, pct: float = 20.0, label: str = "") -> Tornado:
    """Vary each input of :data:`TORNADO_INPUTS` on its own and record the NPV at low and high."""
    if not 0 < pct < 100:
        raise AnalysisError(f"pct must be within 0..100 exclusive (received {pct})")
    base_npv = tco_npv(inputs)
    rows = []
    for field, name, how in TORNADO_INPUTS:
        low, high = _low_high(inputs, field, how, pct)
        cast = int if field in {"horizon_years"} else float
        values = []
        for value in (low, high):
            values.append(tco_npv(inputs.replace(**{field: cast(value)})))
        swing = abs(values[1] - values[0])
        if swing > 1e-6 * max(1.0, abs(base_npv)):
            rows.append(
                {
                    "input": name,
                    "base": float(getattr(inputs, field)),
                    "low": low,
                    "high": high,
                    "npv_low": values[0],
                    "npv_high": values[1],
                    "swing": swing,
                }
            )
    columns = ["input", "base", "low", "high", "npv_low", "npv_high", "swing"]
    table = pd.DataFrame(rows, columns=columns).set_index("input").sort_values("swing", ascending=False)
    return Tornado(label=label or "offer", base_npv=base_npv, table=table)


__all__ = ["TORNADO_INPUTS", "Tornado", "tornado"]
