"""The money results' column keys, index names and kept words, said in the current language when shown.

Frames keep their keys (``npv``, ``go_live_days``, ``saas``): other code and tests read them.  The HTML
of a result (``_repr_html_``) shows :func:`localised` copies, translated at display time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

LABELS: dict[str, str] = {
    "bid": N_("bid"), "label": N_("bid"), "deployment": N_("deployment"), "initial": N_("initial"),
    "total": N_("total"), "npv": N_("NPV"), "cost_per_user_year": N_("cost per user and year"),
    "go_live_days": N_("go-live (days)"), "npv_rank": N_("NPV rank"), "line": N_("cost line"),
    "saas": N_("SaaS"), "on_premise": N_("on-premise"), "hosted": N_("hosted"),
    "annual_benefit": N_("annual benefit"), "roi": N_("ROI"), "risk_npv": N_("risk-adjusted NPV"),
    "risk_roi": N_("risk-adjusted ROI"), "payback_months": N_("payback (months)"),
    "risk_payback_months": N_("risk-adjusted payback (months)"),
    "base": N_("base"), "low": N_("low"), "high": N_("high"), "npv_low": N_("NPV at low"),
    "npv_high": N_("NPV at high"), "swing": N_("swing"), "input": N_("input"),
    "technical": N_("technical score"), "efficient": N_("efficient"), "value_for_money": N_("value for money"),
    "checkpoint": N_("checkpoint"), "months": N_("months"), "benefits_pv": N_("benefits (PV)"),
    "costs_pv": N_("costs (PV)"), "net_benefit": N_("net benefit"), "paid_back": N_("paid back"),
    "risk_benefits_pv": N_("risk-adjusted benefits (PV)"), "risk_costs_pv": N_("risk-adjusted costs (PV)"),
    "risk_net_benefit": N_("risk-adjusted net benefit"), "risk_paid_back": N_("risk-adjusted paid back"),
}
_HORIZON = re.compile(r"^horizon \((\d+) years\)$")
_MONTHS = re.compile(r"^(\d+) months$")
_ROI_AT = re.compile(r"^roi_(\d+)m$")


def label(key: object) -> object:
    """A column key, index name or kept word, as shown in the current language (other values as they are)."""
    if isinstance(key, str) and key in LABELS:
        return _(LABELS[key])
    if isinstance(key, str) and (match := _ROI_AT.match(key)):
        return _("ROI at {months} months").format(months=match.group(1))
    if isinstance(key, str) and (match := _HORIZON.match(key)):
        return _("horizon ({years} years)").format(years=match.group(1))
    if isinstance(key, str) and (match := _MONTHS.match(key)):
        return _("{months} months").format(months=match.group(1))
    if isinstance(key, bool):
        return _("yes") if key else _("no")
    return key


def localised(frame: pd.DataFrame, formats: Mapping[str, str] | None = None, *,
              cells: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict[str, str]]:
    """A copy of ``frame`` with its labels (and the words in the columns ``cells``) in the current language, and
    ``formats`` keyed by the shown labels."""
    out = frame.copy()
    for column in cells:
        if column in out.columns:
            out[column] = out[column].map(label)
    out = out.rename(columns=label, index=label)
    out.index.name = label(out.index.name)
    return out, {str(label(key)): kind for key, kind in (formats or {}).items()}


__all__ = ["LABELS", "label", "localised"]
