"""What the widgets say about result objects, in the widget's language.

Result objects keep their data and English column keys (``Scorecard.frame()`` has ``weight``,
``Total``, ``Rank``); the widgets translate at the surface, as the CLI does
(:mod:`crmselect.cli.labels`, a sibling surface this package may not import): :func:`localised`
renames a frame's columns, index and text cells through :data:`LABELS`, and the ``*_text``
functions render the records a computation returns (knock-outs, pending checks, the envelopes)
from their fields.  The messages are the CLI's own msgids, so both surfaces say the same words.

Every function speaks the current language (:func:`crmselect.show.i18n.current`); a widget calls
them inside ``using(self.translator)``.  Names and ids from the selection's files are data and
are shown as written; catalogue text (a criterion's name) is shown in the language when the
catalogue has it (:meth:`crmselect.model.text.LocalText.in_`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmselect.show.i18n import N_, _
from crmselect.words import (  # shared with the other surfaces; re-exported for this surface's callers
    answer_text as answer_text,
)
from crmselect.words import (
    knockout_text as knockout_text,
)
from crmselect.words import (
    local as local,
)
from crmselect.words import (
    marker_text as marker_text,
)
from crmselect.words import (
    method_text as method_text,
)
from crmselect.words import (
    rule_text as rule_text,
)
from crmselect.words import (
    seal_warning_lines as seal_warning_lines,
)
from crmselect.words import (
    unchecked_text as unchecked_text,
)

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.scoring.scorecard import KnockOut, Scorecard

# column keys, index names and cells of the frames the widgets show -> their English label (translated on use)
LABELS: dict[str, str] = {
    # the scorecard
    "goal": N_("goal"), "weight": N_("weight"), "Total": N_("Total"), "Rank": N_("Rank"), "Status": N_("Status"),
    "eligible": N_("eligible"), "out": N_("out"),
    # TCO
    "bid": N_("bid"), "label": N_("bid"), "deployment": N_("deployment"), "initial": N_("initial"),
    "total": N_("total"), "npv": N_("NPV"), "cost_per_user_year": N_("cost per user and year"),
    "go_live_days": N_("go-live (days)"), "npv_rank": N_("NPV rank"), "line": N_("cost line"),
    "saas": N_("saas"), "on_premise": N_("on_premise"), "hosted": N_("hosted"),
    # cost lines (crmselect.money.kernels.LINES)
    "subscription": N_("subscription"), "licence": N_("licence"), "licence true-ups": N_("licence true-ups"),
    "maintenance": N_("maintenance"), "hardware": N_("hardware"), "hosting": N_("hosting"),
    "database and OS": N_("database and OS"), "premium support": N_("premium support"),
    "consumption": N_("consumption"), "third party": N_("third party"),
    "third party (answers)": N_("third party (answers)"), "admin staff": N_("admin staff"),
    "DBA staff": N_("DBA staff"), "implementation services": N_("implementation services"),
    "data migration": N_("data migration"), "integration": N_("integration"), "training": N_("training"),
    "extra effort": N_("extra effort"), "downtime": N_("downtime"), "service credits": N_("service credits"),
    # sensitivity: the sweep and the stability intervals
    "breakpoint": N_("breakpoint"), "overtakes": N_("overtakes"), "overtaken": N_("overtaken"),
    "order after": N_("order after"),
    "winner holds from": N_("winner holds from"), "winner holds to": N_("winner holds to"),
    "below, winner is": N_("below, winner is"), "above, winner is": N_("above, winner is"),
    "ranking holds from": N_("ranking holds from"), "ranking holds to": N_("ranking holds to"),
    # SMAA
    "rank 1 ± (se)": N_("rank 1 ± (se)"), "confidence factor": N_("confidence factor"), "base rank": N_("base rank"),
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


def localised(frame: pd.DataFrame, *, cells: bool = False, columns: bool = True, index: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` with its column and index labels (and with ``cells`` its text cells) translated."""
    out = frame.rename(columns=_relabel if columns else None, index=_relabel if index else None)
    out.columns.name = _relabel(out.columns.name)
    out.index.name = _relabel(out.index.name)
    if cells:
        out = out.map(_relabel)
    return out


# ------------------------------------------------------------------ records of a computation


def knockout_reason(knockout: KnockOut) -> str:
    """Why a bid is out, without its name: ``COM-011 退出时免费导出数据 必须为 是；实际回答为 否``."""
    return _("{criterion} {name} must be {rule}; answered {answer}").format(
        criterion=knockout.criterion, name=local(knockout.criterion_name), rule=rule_text(knockout.rule),
        answer=answer_text(knockout.answer))


def status_text(status: str) -> str:
    """A scorecard status cell (``eligible``, ``knocked out: COM-011 (not yet checked: ...)``)."""
    head, _sep, pending = status.partition(" (not yet checked: ")
    text = label(head)
    if pending:
        text = _("{text} ({details})").format(text=text, details=_("not yet checked: {what}").format(
            what=pending.rstrip(")")))
    return text


def scorecard_notes(card: Scorecard) -> list[str]:
    """``Scorecard.summary_notes`` in the current language: hidden prices, knock-outs, open checks."""
    if card.prices_hidden:
        notes = [_("Prices are hidden: {count} price criteria stay out until the technical scoring is locked and "
                   "prices are revealed (decision log).").format(count=len(card.hidden_criteria))]
    else:
        notes = [_("Prices are revealed: price criteria count in the scores.")]
    notes += [_("Knocked out: {what}").format(what=knockout_text(k)) for k in card.knockouts]
    notes += [_("Not yet checked: {what}").format(what=unchecked_text(u)) for u in card.unchecked]
    if card.empty_goals:
        notes.append(_("Goals with no visible criteria (score 0 for every bid): {goals}").format(
            goals=_(", ").join(card.empty_goals)))
    if card.committee.disagreements:
        notes.append(_("Committee disagreements to discuss: {count}").format(count=len(card.committee.disagreements)))
    notes.append(_("Features that serve no goal (weight 0): {count}").format(count=len(card.unlinked)))
    return notes


# ------------------------------------------------------------------ the envelopes


__all__ = [
    "LABELS",
    "answer_text",
    "knockout_reason",
    "knockout_text",
    "label",
    "local",
    "localised",
    "marker_text",
    "method_text",
    "rule_text",
    "scorecard_notes",
    "seal_warning_lines",
    "status_text",
    "unchecked_text",
]
