"""The NPV tornado of one offer's TCO: each input of :data:`TORNADO_INPUTS` varied on its own
between a low and a high value, the NPV recorded at both, the inputs sorted by the swing.
Used by ``TcoResult.tornado()`` and ``TcoComparison.tornado(bid_id)`` (:mod:`crmselect.money.costs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from crmselect.errors import AnalysisError
from crmselect.money.kernels import TcoInputs, tco_npv
from crmselect.money.labels import localised
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from matplotlib.axes import Axes


# ---------------------------------------------------------------------------- tornado
#: Inputs the tornado varies.  "relative": base ± pct %.  Tuples: a documented absolute low/high:
#: discount rate ±5 points around the assumption; user growth ±5 points; the renewal escalator
#: over 0..12 %/yr (uncapped Salesforce uplifts reported at 7-12 %, domain_facts §3.1; the
#: contract caps still apply); maintenance uplift 0..8 %/yr (Oracle's claimed 3-8 %).  Downtime is
#: varied as ± pct % of the unavailable share (100 - uptime).
TORNADO_INPUTS: tuple[tuple[str, str, str | tuple[float, float]], ...] = (
    ("users", "users", "relative"),
    ("user_growth_pct", "user growth %/yr", "points:5"),
    ("discount_rate_pct", "discount rate %", "points:5"),
    ("subscription_per_user_month", "subscription per user-month", "relative"),
    ("subscription_discount_pct", "subscription discount %", "relative"),
    ("renewal_escalator_pct", "renewal escalator %", (0.0, 12.0)),
    ("licence_per_user", "licence per user", "relative"),
    ("maintenance_pct", "maintenance %", "relative"),
    ("maintenance_uplift_pct", "maintenance uplift %", (0.0, 8.0)),
    ("hardware_initial", "hardware", "relative"),
    ("hosting_per_year", "hosting per year", "relative"),
    ("database_os_per_year", "database/OS per year", "relative"),
    ("premium_support_per_year", "premium support", "relative"),
    ("consumption_per_year", "consumption", "relative"),
    ("third_party_per_year", "third party", "relative"),
    ("answer_third_party_per_year", "third party (answers)", "relative"),
    ("admin_fte", "admin FTE", "relative"),
    ("dba_fte", "DBA FTE", "relative"),
    ("loaded_cost_per_fte", "loaded cost per FTE", "relative"),
    ("services_cost", "implementation services", "relative"),
    ("data_migration_cost", "data migration", "relative"),
    ("integration_cost", "integration", "relative"),
    ("training_cost", "training", "relative"),
    ("effort_days", "extra effort days", "relative"),
    ("cost_per_effort_day", "cost per effort day", "relative"),
    ("go_live_days", "go-live days", "relative"),
    ("uptime_pct", "uptime % (downtime ± pct)", "downtime"),
    ("downtime_cost_per_user_hour", "downtime cost per user-hour", "relative"),
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

    def plot(self, ax: Axes | None = None, *, top: int = 12) -> Axes:
        from crmselect.show import plots

        return plots.tornado(self.table.head(top), base=self.base_npv, ax=ax,
                             title=_("NPV tornado: {label}").format(label=self.label))

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {"npv_low": "money", "npv_high": "money", "swing": "money"}
        shown, formats = localised(self.table, formats)
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
