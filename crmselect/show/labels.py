"""The labels of shown frames: column keys, index names and kept words, said in the current language.

Results keep their English keys (``Scorecard.frame()`` has ``weight``, ``Total``, ``Rank``); a surface
shows :func:`localised` copies.  One map for the CLI and the widgets, so both say the same words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, overload

from crmselect.show.i18n import N_, _
from crmselect.show.tables import Grid

if TYPE_CHECKING:
    import pandas as pd

# column keys, index names and cells of shown frames -> their English label (translated on use)
LABELS: dict[str, str] = {
    # the scorecard
    "goal": N_("goal"), "weight": N_("weight"), "Total": N_("Total"), "Rank": N_("Rank"), "Status": N_("Status"),
    "eligible": N_("eligible"), "out": N_("out"),
    # TCO and ROI
    "bid": N_("bid"), "label": N_("bid"), "deployment": N_("deployment"), "status": N_("status"),
    "initial": N_("initial"),
    "total": N_("total"), "npv": N_("NPV"), "cost_per_user_year": N_("cost per user and year"),
    "go_live_days": N_("go-live (days)"), "npv_rank": N_("NPV rank"), "annual_benefit": N_("annual benefit"),
    "roi": N_("ROI"), "risk_npv": N_("risk-adjusted NPV"), "risk_roi": N_("risk-adjusted ROI"),
    "payback_months": N_("payback (months)"), "risk_payback_months": N_("risk-adjusted payback (months)"),
    "roi_6m": N_("ROI 6 months"), "roi_12m": N_("ROI 12 months"), "roi_24m": N_("ROI 24 months"),
    "line": N_("cost line"), "saas": N_("SaaS"), "on_premise": N_("on-premise"), "hosted": N_("hosted"),
    "claimed": N_("claimed (days)"), "P(on time)": N_("P(on time)"),
    "go-live P10": N_("go-live P10"), "go-live P50": N_("go-live P50"), "go-live P90": N_("go-live P90"),
    "NPV P10": N_("NPV P10"), "NPV P50": N_("NPV P50"), "NPV P90": N_("NPV P90"),
    "ROI P10": N_("ROI P10"), "ROI P50": N_("ROI P50"), "ROI P90": N_("ROI P90"),
    "payback P10": N_("payback P10"), "payback P50": N_("payback P50"), "payback P90": N_("payback P90"),
    "P(payback)": N_("P(payback)"),
    # cost lines (crmselect.money.kernels.LINES)
    "subscription": N_("subscription"), "licence": N_("licence"), "licence true-ups": N_("licence true-ups"),
    "maintenance": N_("maintenance"), "hardware": N_("hardware"), "hosting": N_("hosting"),
    "database and OS": N_("database and OS"), "premium support": N_("premium support"),
    "consumption": N_("consumption"), "third party": N_("third party"),
    "third party (answers)": N_("third party (answers)"), "admin staff": N_("admin staff"),
    "DBA staff": N_("DBA staff"), "upgrade re-work (custom code)": N_("upgrade re-work (custom code)"),
    "own recovery": N_("own recovery"), "implementation services": N_("implementation services"),
    "data migration": N_("data migration"), "integration": N_("integration"), "training": N_("training"),
    "extra effort": N_("extra effort"), "downtime": N_("downtime"), "service credits": N_("service credits"),
    # sensitivity: the sweep, stability intervals and smallest flips
    "breakpoint": N_("breakpoint"), "overtakes": N_("overtakes"), "overtaken": N_("overtaken"),
    "order after": N_("order after"),
    "winner holds from": N_("winner holds from"), "winner holds to": N_("winner holds to"),
    "below, winner is": N_("below, winner is"), "above, winner is": N_("above, winner is"),
    "ranking holds from": N_("ranking holds from"), "ranking holds to": N_("ranking holds to"),
    "challenger": N_("challenger"), "L1 change": N_("L1 change"), "weight moved": N_("weight moved"),
    "goals up": N_("goals up"), "goals down": N_("goals down"), "base rank": N_("base rank"),
    # SMAA
    "rank 1 ± (se)": N_("rank 1 ± (se)"), "confidence factor": N_("confidence factor"),
    # check severities and the committee's aggregation
    "high": N_("high"), "medium": N_("medium"), "low": N_("low"),
    "allowed downtime": N_("allowed downtime"), "excluded maintenance": N_("excluded maintenance"),
    "mean": N_("mean"), "median": N_("median"), "trimmed_mean": N_("trimmed mean"),
}
_RANK_COLUMN = re.compile(r"^rank (\d+)$")
_KNOCKED_OUT = re.compile(r"^knocked out: (.+)$")
_PASSED_BY = re.compile(r"^passed by (.+)$")


def label(key: str) -> str:
    """A column key, index name or cell of a shown frame, in the current language (others unchanged)."""
    if key in LABELS:
        return _(LABELS[key])
    if match := _RANK_COLUMN.match(key):
        return _("rank {rank}").format(rank=match.group(1))
    if match := _KNOCKED_OUT.match(key):
        return _("knocked out: {rules}").format(rules=match.group(1))
    if match := _PASSED_BY.match(key):
        return _("passed by {bid}").format(bid=match.group(1))
    return key


def _relabel(key: Any) -> Any:
    return label(key) if isinstance(key, str) else key


@overload
def localised(frame: Grid, *, cells: bool = ..., columns: bool = ..., index: bool = ...) -> Grid: ...
@overload
def localised(frame: pd.DataFrame, *, cells: bool = ..., columns: bool = ..., index: bool = ...) -> pd.DataFrame: ...
def localised(frame: pd.DataFrame | Grid, *, cells: bool = False, columns: bool = True,
              index: bool = True) -> pd.DataFrame | Grid:
    """A copy of ``frame`` (a DataFrame or a :class:`~crmselect.show.tables.Grid`) with its column and index
    labels (and with ``cells`` its text cells) translated."""
    if isinstance(frame, Grid):
        return frame.relabelled(_relabel, cells=cells, columns=columns, index=index)
    out = frame.rename(columns=_relabel if columns else None, index=_relabel if index else None)
    out.columns.name = _relabel(out.columns.name)
    out.index.name = _relabel(out.index.name)
    if cells:
        out = out.map(_relabel)
    return out


__all__ = ["LABELS", "label", "localised"]
