"""Contract and SLA levers ranked by what they are worth to each bid: the result of re-scoring each concession.

For every open finding of every bid, :meth:`crmselect.evaluation.Evaluation.levers` concedes the finding's
lever (:mod:`crmselect.whatif.lever_asks`: the terms changed to the rule's threshold), runs the whole
evaluation again on the changed selection, and keeps the bid's total and rank before and after.  This
module holds those outcomes and ranks them.

The unit conceded.  Hours, days and percentage points do not compare across levers, so levers are ranked
per lever conceded: the gain of the whole concession (each lever one unit), largest first, then by
severity and code.  For a lever whose term is a figure the gain per unit of that figure (per hour of
RTO, per day of notice, per percentage point of credit) is shown beside it, the gain spread over the
amount conceded: a score moves only when the term reaches its threshold.

Gains do not add up: two levers of one area may share the floor of its score (``max(0, 1 - Σ penalty)``),
and one concession may clear two findings (a tested recovery plan is also a plan).  The NPV before and
after a concession (some levers change the TCO: renewal caps, maintenance terms, uptime, credits) is a
price figure and stays sealed until prices are revealed.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.show import tables
from crmselect.show.i18n import N_, _, current, using

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: Per unit key of :mod:`crmselect.whatif.lever_asks`: what one unit of the conceded term is (translated when shown).
UNITS: dict[str, str] = {
    "lever": N_("lever"),
    "uptime_pp": N_("percentage point of uptime"),
    "maintenance_hour": N_("hour a year of excluded maintenance"),
    "notice_hour": N_("hour of maintenance notice"),
    "credit_pp": N_("percentage point of service credit"),
    "sev1_hour": N_("hour of sev1 response"),
    "rpo_hour": N_("hour of RPO"),
    "rto_hour": N_("hour of RTO"),
    "renewal_notice_day": N_("day of renewal notice"),
    "renewal_year": N_("year of renewal term"),
    "renewal_cap_pp": N_("percentage point of renewal cap"),
    "export_day": N_("day of export window"),
    "liability_month": N_("month of liability cap"),
    "preview_day": N_("day of upgrade preview"),
    "uplift_pp": N_("percentage point of maintenance uplift"),
    "breach_hour": N_("hour of breach notice"),
}
#: Column keys of :meth:`LeverTable.frame` -> their label (translated when shown; the keys stay in the data).
COLUMN_LABELS: dict[str, str] = {
    "bid": N_("bid"), "label": N_("bid"), "order": N_("order"), "code": N_("code"), "area": N_("area"),
    "severity": N_("severity"), "title": N_("title"), "lever": N_("lever"), "unit": N_("unit"),
    "before": N_("term now"), "after": N_("term conceded"), "amount": N_("amount conceded"),
    "gain": N_("score gain per lever"), "gain_per_unit": N_("score gain per unit"),
    "total_before": N_("total now"), "total_after": N_("total after"), "rank_before": N_("rank now"),
    "rank_after": N_("rank after"), "rank_changes": N_("rank changes"), "npv_before": N_("NPV now"),
    "npv_after": N_("NPV after"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
#: Said of the findings no concession of the offer's own terms clears (listed as "bid code").
UNMODELLED_NOTE = N_("No concession of the vendor's own terms clears these findings (a newer rule, or the terms of "
                     "a partner or our own): {items}")


@dataclass(frozen=True)
class LeverOutcome:
    """One lever of one bid: what is conceded and the bid's total and rank before and after (re-scored)."""

    bid: str
    label: str
    code: str
    area: str
    severity: str
    unit: str
    before: float | None
    after: float | None
    amount: float
    total_before: float
    total_after: float
    rank_before: str  # "1", "2=", "out"
    rank_after: str
    npv_before: float | None = None  # None: sealed (or the same evaluation had no NPV)
    npv_after: float | None = None

    @property
    def gain(self) -> float:
        """How much the bid's total rises when it concedes this lever (one lever: the unit of the ranking)."""
        return self.total_after - self.total_before

    @property
    def gain_per_unit(self) -> float:
        """The gain spread over the amount conceded in the term's own unit (equal to ``gain`` for a whole lever)."""
        return self.gain / self.amount if self.amount > 0 else math.nan

    @property
    def rank_changes(self) -> bool:
        return self.rank_before != self.rank_after


@dataclass(frozen=True)
class LeverTable:
    """Per bid, its open levers ranked by score gain per lever conceded (see the module for the unit)."""

    outcomes: tuple[LeverOutcome, ...]
    texts: Mapping[str, Mapping[str, tuple[str, str]]]  # {code: {language: (title, lever)}}
    bid_ids: tuple[str, ...]
    labels: tuple[str, ...]
    unmodelled: tuple[tuple[str, str], ...] = ()  # (bid, code) of findings with no concession modelled
    prices_shown: bool = False

    def ranked(self, bid: str) -> tuple[LeverOutcome, ...]:
        """The levers of ``bid``, largest gain first (then high severity first, then code)."""
        if bid not in self.bid_ids:
            raise AnalysisError(_("unknown bid {bid}; allowed {allowed}").format(
                bid=repr(bid), allowed=str(list(self.bid_ids))))
        own = [o for o in self.outcomes if o.bid == bid]
        return tuple(sorted(own, key=lambda o: (-round(o.gain, 12), SEVERITY_ORDER.get(o.severity, 3), o.code)))

    def outcome(self, bid: str, code: str) -> LeverOutcome:
        for item in self.outcomes:
            if item.bid == bid and item.code == code:
                return item
        raise AnalysisError(_("no open lever {code} for bid {bid}").format(code=code, bid=bid))

    def words(self, code: str, language: str | None = None) -> tuple[str, str]:
        """The title and lever text of ``code`` in ``language`` (None: the current language)."""
        chosen = current().language if language is None else language
        by_language = self.texts.get(code, {})
        return by_language.get(chosen) or by_language.get("en") or (code, "")

    def frame(self, bid: str | None = None, language: str | None = None) -> pd.DataFrame:
        """One row per lever, each bid's levers in ranked order (``order`` 1 = worth most); texts in ``language``.

        NPV columns are present only when prices are shown."""
        rows = []
        for bid_id in self.bid_ids if bid is None else (bid,):
            for order, item in enumerate(self.ranked(bid_id), start=1):
                title, lever = self.words(item.code, language)
                with using(language or current().language):
                    unit = _(UNITS.get(item.unit, item.unit))
                row: dict[str, object] = {
                    "bid": item.bid, "label": item.label, "order": order, "code": item.code, "area": item.area,
                    "severity": item.severity, "title": title, "lever": lever, "unit": unit,
                    "before": item.before, "after": item.after, "amount": item.amount, "gain": item.gain,
                    "gain_per_unit": item.gain_per_unit, "total_before": item.total_before,
                    "total_after": item.total_after, "rank_before": item.rank_before,
                    "rank_after": item.rank_after, "rank_changes": item.rank_changes,
                }
                if self.prices_shown:
                    row["npv_before"], row["npv_after"] = item.npv_before, item.npv_after
                rows.append(row)
        columns = [k for k in COLUMN_LABELS if self.prices_shown or not k.startswith("npv")]
        return pd.DataFrame(rows, columns=columns)

    def _notes(self) -> list[str]:
        notes = [_("Ranked by the score gain of each lever conceded (one lever = one unit: hours, days and "
                   "percentage points do not compare); the gain per unit spreads a figure's gain over the amount "
                   "conceded. Gains do not add up."),
                 _("Each gain is the bid's total re-scored with that term changed to its rule's threshold.")]
        if not self.prices_shown:
            notes.append(_("Prices are sealed: totals leave price out, and no NPV is shown."))
        if self.unmodelled:
            notes.append(_(UNMODELLED_NOTE).format(
                items=", ".join(f"{bid} {code}" for bid, code in self.unmodelled)))
        return notes

    def __str__(self) -> str:
        lines = []
        for bid, label in zip(self.bid_ids, self.labels, strict=True):
            ranked = self.ranked(bid)
            lines.append(label)
            if not ranked:
                lines.append("  " + _("no open lever"))
            for order, item in enumerate(ranked, start=1):
                title, lever = self.words(item.code)
                rank = (_("rank {before} -> {after}").format(
                    before=_rank(item.rank_before), after=_rank(item.rank_after))
                        if item.rank_changes else _("rank stays {rank}").format(rank=_rank(item.rank_before)))
                per_unit = ("" if item.unit == "lever" else "; " + _("{gain} per {unit}").format(
                    gain=f"{item.gain_per_unit:+.5f}", unit=_(UNITS.get(item.unit, item.unit))))
                lines.append(f"  {order}. {item.code} {title}: {item.gain:+.4f}{per_unit}; {rank}")
                lines.append(f"     {lever}")
            lines.append("")
        lines.extend(self._notes())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        shown = ["order", "code", "severity", "title", "lever", "unit", "amount", "gain", "gain_per_unit",
                 "rank_before", "rank_after", *(["npv_before", "npv_after"] if self.prices_shown else [])]
        parts = []
        for bid, label in zip(self.bid_ids, self.labels, strict=True):
            frame = self.frame(bid)[shown].set_index("order")
            frame = frame.rename(columns=lambda key: _(COLUMN_LABELS[key]))
            frame.index.name = _(COLUMN_LABELS["order"])
            formats = {_(COLUMN_LABELS["gain"]): "score", _(COLUMN_LABELS["gain_per_unit"]): "score",
                       _(COLUMN_LABELS["npv_before"]): "money", _(COLUMN_LABELS["npv_after"]): "money"}
            parts.append(tables.to_html(frame, caption=_("Levers for {bid}").format(bid=label), formats=formats))
        parts.extend(f'<p class="crmselect-note">{html.escape(note)}</p>' for note in self._notes())
        return "".join(parts)


def lever_table(outcomes: Sequence[LeverOutcome], texts: Mapping[str, Mapping[str, tuple[str, str]]],
                bid_ids: Sequence[str], labels: Sequence[str], *, unmodelled: Sequence[tuple[str, str]] = (),
                prices_shown: bool = False) -> LeverTable:
    """The validating wrapper: every outcome names a known bid, every amount is positive and finite."""
    problems = [f"{o.bid} {o.code}: unknown bid" for o in outcomes if o.bid not in bid_ids]
    problems += [f"{o.bid} {o.code}: amount {o.amount} must be > 0" for o in outcomes
                 if not (math.isfinite(o.amount) and o.amount > 0)]
    if problems:
        raise AnalysisError("lever outcomes: " + "; ".join(problems))
    if not prices_shown:
        outcomes = [o if o.npv_before is None and o.npv_after is None
                    else LeverOutcome(**{**o.__dict__, "npv_before": None, "npv_after": None}) for o in outcomes]
    return LeverTable(tuple(outcomes), texts, tuple(bid_ids), tuple(labels), tuple(unmodelled), prices_shown)


__all__ = ["COLUMN_LABELS", "UNITS", "UNMODELLED_NOTE", "LeverOutcome", "LeverTable", "lever_table"]


def _rank(rank: str) -> str:
    """A rank as shown: ``1``, ``2=``, or "out" (knocked out) in the current language."""
    return _("out") if rank == "out" else rank
