"""What an offer's SLA means in minutes, hours and money: the downtime table and the credit schedule.

The arithmetic itself lives in :mod:`crmselect.checks.slamath` (shared with the TCO); this module turns
one offer's :class:`~crmselect.model.bids.SlaTerms` into a display, and compares the SLAs of all bids.

- Allowed downtime per 30-day month, 90-day quarter and 365-day year at the committed uptime
  (domain_facts §4.1).
- Exposure: scheduled maintenance is excluded from the uptime figure, so the hours a user may
  find the service down are the allowed downtime *plus* the excluded maintenance hours.
- The worst month without a breach: a quarterly or yearly measurement lets a whole quarter's or
  year's allowance fall in one month.
- The credit schedule at and just below each threshold, capped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crmselect.checks.slamath import MINUTES_PER_PERIOD, allowed_downtime_minutes, expected_credit_pct
from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.bids import Certification, Deployment, DowntimeBasis, MeasurementPeriod, Offer, SlaTerms

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

#: The measurement period of an SLA -> the window name used by :mod:`crmselect.checks.slamath`.
WINDOW: dict[MeasurementPeriod, str] = {
    MeasurementPeriod.monthly: "month",
    MeasurementPeriod.quarterly: "quarter",
    MeasurementPeriod.yearly: "year",
}
#: How far below a threshold the credit table looks ("just below 99.9 %" = 99.89 %).
JUST_BELOW = 0.01
#: Actual monthly uptimes at which :func:`compare_sla` reports the credit owed.
CREDIT_PROBES = (99.5, 99.0, 95.0)

BASIS_NOTE = {
    DowntimeBasis.user_minutes: "downtime is counted in user-minutes: partial outages count pro rata",
    DowntimeBasis.whole_service: "downtime counts only when the whole service is down: partial outages do not count",
}


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def worst_month_minutes(terms: SlaTerms) -> float:
    """The most downtime one month can hold without breaching the SLA (NaN without an uptime figure).

    Measured monthly this is the monthly allowance; measured quarterly or yearly, the whole
    period's allowance may fall in one month (up to the month's length).
    """
    if terms.uptime_pct is None:
        return math.nan
    allowed = allowed_downtime_minutes(terms.uptime_pct, WINDOW[terms.measurement_period])
    return min(allowed, MINUTES_PER_PERIOD["month"])


def max_credit_pct(terms: SlaTerms) -> float:
    """The largest credit any month can earn: the biggest tier, limited by the cap (0 without credits)."""
    largest = max((tier.credit_pct for tier in terms.credits), default=0.0)
    return largest if terms.credit_cap_pct is None else min(largest, terms.credit_cap_pct)


def credit_at(terms: SlaTerms, uptime_pct: float) -> float:
    """The credit (% of the monthly fee) owed for a month at ``uptime_pct``, after the cap."""
    return expected_credit_pct(terms.credits, uptime_pct, terms.credit_cap_pct)


def downtime_table(terms: SlaTerms) -> pd.DataFrame:
    """Allowed downtime, excluded maintenance and total exposure per month, quarter and year.

    Columns: ``minutes`` in the window, ``allowed_downtime_min`` and ``allowed_downtime_h`` at the
    committed uptime, ``maintenance_excluded_h`` (the yearly exclusion pro rata),
    ``exposure_h`` (the sum: hours the service may be down without any credit) and ``measured``
    (True for the window the SLA is measured over).  NaN where the SLA gives no figure.
    """
    rows = []
    for period, window in WINDOW.items():
        minutes = MINUTES_PER_PERIOD[window]
        share = minutes / MINUTES_PER_PERIOD["year"]
        allowed = math.nan if terms.uptime_pct is None else allowed_downtime_minutes(terms.uptime_pct, window)
        maintenance = _nan(terms.maintenance_excluded_hours_per_year) * share
        rows.append(
            {
                "window": window,
                "minutes": minutes,
                "allowed_downtime_min": allowed,
                "allowed_downtime_h": allowed / 60.0,
                "maintenance_excluded_h": maintenance,
                "exposure_h": allowed / 60.0 + maintenance,
                "measured": period is terms.measurement_period,
            }
        )
    return pd.DataFrame(rows).set_index("window")


def credit_table(terms: SlaTerms) -> pd.DataFrame:
    """The credit owed at and just below each threshold of the schedule (and at the committed uptime)."""
    points: set[float] = set()
    for tier in terms.credits:
        points.update({tier.below_pct, round(tier.below_pct - JUST_BELOW, 6)})
    if terms.uptime_pct is not None:
        points.add(terms.uptime_pct)
    rows = [
        {
            "uptime_pct": uptime,
            "downtime_min_per_month": allowed_downtime_minutes(uptime, "month"),
            "credit_pct": credit_at(terms, uptime),
        }
        for uptime in sorted((p for p in points if 0.0 <= p <= 100.0), reverse=True)
    ]
    return pd.DataFrame(rows, columns=["uptime_pct", "downtime_min_per_month", "credit_pct"])


def _response(terms: SlaTerms, severity: str) -> float:
    return _nan(terms.response_hours.get(severity))


def sla_facts(terms: SlaTerms) -> dict[str, Any]:
    """The SLA's headline figures as raw values (one row of :func:`compare_sla`)."""
    table = downtime_table(terms)
    year = table.loc["year"]
    facts: dict[str, Any] = {
        "commitment": terms.commitment.value,
        "uptime_pct": _nan(terms.uptime_pct),
        "measured": terms.measurement_period.value,
        "basis": terms.basis.value,
        "allowed_downtime_min_month": table.loc["month", "allowed_downtime_min"],
        "allowed_downtime_h_year": year["allowed_downtime_h"],
        "maintenance_excluded_h_year": year["maintenance_excluded_h"],
        "exposure_h_year": year["exposure_h"],
        "worst_month_min": worst_month_minutes(terms),
    }
    for probe in CREDIT_PROBES:
        facts[f"credit_at_{probe:g}_pct"] = credit_at(terms, probe)
    facts |= {
        "max_credit_pct": max_credit_pct(terms),
        "support_hours": terms.support_hours.value,
        "sev1_response_h": _response(terms, "sev1"),
        "sev2_response_h": _response(terms, "sev2"),
        "rpo_h": _nan(terms.rpo_hours),
        "rto_h": _nan(terms.rto_hours),
        "dr_plan": terms.disaster_recovery_plan,
        "dr_tested": terms.disaster_recovery_tested,
        "secondary_site": terms.secondary_site,
        "soc2_type2": Certification.soc2_type2 in terms.certifications,
        "iso27001": Certification.iso27001 in terms.certifications,
    }
    return facts


_DOWNTIME_FORMATS = {
    "minutes": "integer",
    "allowed_downtime_min": "number",
    "allowed_downtime_h": "number",
    "maintenance_excluded_h": "number",
    "exposure_h": "number",
}


@dataclass(frozen=True)
class SlaReport:
    """One offer's SLA in minutes and money: :meth:`frame` is the downtime table."""

    bid: str
    label: str
    deployment: Deployment
    terms: SlaTerms

    def frame(self) -> pd.DataFrame:
        """The downtime table (a new DataFrame each call)."""
        return downtime_table(self.terms)

    def credits(self) -> pd.DataFrame:
        """The credit owed at and just below each threshold."""
        return credit_table(self.terms)

    def facts(self) -> dict[str, Any]:
        return sla_facts(self.terms)

    def notes(self) -> list[str]:
        terms = self.terms
        out = [f"Commitment: {terms.commitment.value}; measured {terms.measurement_period.value}; "
               f"{BASIS_NOTE[terms.basis]}."]
        if terms.uptime_pct is None:
            out.append("No uptime figure: the allowed downtime is unbounded.")
        if terms.maintenance_excluded_hours_per_year is None:
            out.append("Scheduled maintenance excluded from uptime: no limit stated.")
        worst = worst_month_minutes(terms)
        if not math.isnan(worst):
            out.append(f"Worst month without a breach: {worst:,.1f} minutes down.")
        cap = "no cap" if terms.credit_cap_pct is None else f"capped at {terms.credit_cap_pct:g}% of the monthly fee"
        out.append(f"Service credits: {len(terms.credits)} tier(s), {cap}.")
        return out

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        title = f"SLA of {self.label} ({self.deployment.value})"
        parts = [to_html(self.frame(), caption=title, formats=_DOWNTIME_FORMATS, notes=self.notes())]
        if self.terms.credits:
            parts.append(
                to_html(self.credits(), caption="Service credit by monthly uptime",
                        formats={"uptime_pct": "number", "downtime_min_per_month": "number", "credit_pct": "number"})
            )
        return "".join(parts)


def sla_report(offer: Offer, label: str = "") -> SlaReport:
    """The SLA display of one offer."""
    return SlaReport(bid=offer.id, label=label or offer.id, deployment=offer.deployment, terms=offer.sla)


@dataclass(frozen=True)
class SlaComparison:
    """The SLAs of several bids side by side: one row per bid of :func:`sla_facts`."""

    reports: tuple[SlaReport, ...]

    def frame(self) -> pd.DataFrame:
        rows = [{"label": r.label, "deployment": r.deployment.value, **r.facts()} for r in self.reports]
        frame = pd.DataFrame(rows, index=pd.Index([r.bid for r in self.reports], name="bid"))
        return frame

    def report(self, bid: str) -> SlaReport:
        for item in self.reports:
            if item.bid == bid:
                return item
        raise AnalysisError(f"unknown bid {bid!r}; allowed {[r.bid for r in self.reports]}")

    def plot(self, ax: Axes | None = None) -> Axes:
        """Yearly hours each bid may be down without a credit: allowed downtime plus excluded maintenance.

        A bid with no uptime figure or no limit on maintenance has no bar for that part (unbounded).
        """
        from crmselect.show.plots import downtime_bars

        frame = self.frame()
        data = pd.DataFrame(
            {"allowed downtime": frame["allowed_downtime_h_year"],
             "excluded maintenance": frame["maintenance_excluded_h_year"]}
        )
        data.index = pd.Index(frame["label"].tolist())
        return downtime_bars(data, ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        formats = {c: "number" for c in self.frame().columns if c.endswith(("_h", "_min", "_pct", "_year", "_month"))}
        return to_html(self.frame(), caption="SLAs compared (NaN/blank = not stated)", formats=formats,
                       notes=["exposure = allowed downtime + scheduled maintenance excluded from the uptime figure"])


def compare_sla(project: Project, bids: Iterable[str] | None = None) -> SlaComparison:
    """The SLA figures of every bid (or of ``bids``) side by side."""
    known = [bid.id for bid in project.bids]
    wanted = set(known) if bids is None else set(bids)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise AnalysisError(f"unknown bids {unknown}; allowed {known}")
    return SlaComparison(tuple(sla_report(bid.offer, bid.label) for bid in project.bids if bid.id in wanted))
