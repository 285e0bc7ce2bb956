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

from crmselect.show.i18n import N_, _, current

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.record.envelopes import PriceAccess, SealState
    from crmselect.scoring.scorecard import KnockOut, Scorecard, Unchecked
    from crmselect.scoring.weighting import DerivedWeights

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

METHODS: dict[str, str] = {
    "points": N_("points"), "rank_order": N_("rank order (ROC)"), "swing": N_("swing weights"),
    "ahp": N_("AHP pairwise judgments"),
}

_UNCHECKED_WHY = {
    "not every demo scenario is scored": N_("not every demo scenario is scored"),
    "not computed": N_("not computed"),
}


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


def local(text: Any) -> str:
    """Catalogue text (a :class:`~crmselect.model.text.LocalText`) in the current language; other text as is."""
    in_ = getattr(text, "in_", None)
    return str(in_(current().language)) if callable(in_) else str(text)


# ------------------------------------------------------------------ records of a computation
def rule_text(rule: str) -> str:
    """A must-have's rule in words (``scoring.values.minimum_text``), in the current language."""
    if rule == "yes":
        return _("yes")
    if rule == "yes or no":
        return _("yes or no")
    if match := re.fullmatch(r"at least (\S+) of 5 \(committee score\)", rule):
        return _("at least {value} of 5 (committee score)").format(value=match.group(1))
    if match := re.fullmatch(r"at (least|most) (.+)", rule):
        text = _("at least {value}") if match.group(1) == "least" else _("at most {value}")
        return text.format(value=match.group(2))
    return rule


def answer_text(answer: str) -> str:
    return {"yes": _("yes"), "no": _("no")}.get(answer, answer)


def knockout_reason(knockout: KnockOut) -> str:
    """Why a bid is out, without its name: ``COM-011 退出时免费导出数据 必须为 是；实际回答为 否``."""
    return _("{criterion} {name} must be {rule}; answered {answer}").format(
        criterion=knockout.criterion, name=local(knockout.criterion_name), rule=rule_text(knockout.rule),
        answer=answer_text(knockout.answer))


def knockout_text(knockout: KnockOut) -> str:
    text = _("{bid}: {criterion} {name} must be {rule}; answered {answer}").format(
        bid=knockout.label, criterion=knockout.criterion, name=local(knockout.criterion_name),
        rule=rule_text(knockout.rule), answer=answer_text(knockout.answer))
    return _("{text} ({reason})").format(text=text, reason=knockout.reason) if knockout.reason else text


def unchecked_text(pending: Unchecked) -> str:
    why = _(_UNCHECKED_WHY[pending.why]) if pending.why in _UNCHECKED_WHY else pending.why
    return _("{bid}: {criterion} not checked yet ({why})").format(bid=pending.label, criterion=pending.criterion,
                                                                   why=why)


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


def method_text(weights: DerivedWeights | str) -> str:
    """How the goal weights were made (``points``, ``rank order (ROC)``, ``group AHP ...``); a text stays as is."""
    if isinstance(weights, str):
        return weights
    if weights.method.value == "ahp" and len(weights.members) > 1:
        return _("group AHP pairwise judgments ({count} members, geometric mean)").format(count=len(weights.members))
    key = weights.method.value
    return _(METHODS[key]) if key in METHODS else weights.label


# ------------------------------------------------------------------ the envelopes
def marker_text(access: PriceAccess) -> str:
    """The mark on every output made with the price seal opened before the reveal ("" otherwise)."""
    if access.unsealed_entry is None:
        return ""
    return _("UNSEALED VIEW: prices opened before the reveal by {member} (decision log entry {entry}: {why})").format(
        member=access.unsealed_by, entry=access.unsealed_entry, why=access.unsealed_why)


def seal_warning_lines(state: SealState, limit: int = 12) -> list[str]:
    """What the dashboard says first while the technical inputs differ from the committee's seal ([] otherwise)."""
    if not state.drifted:
        return []
    lines = [_("WARNING: the technical inputs changed after the lock (decision log entry {entry}); the totals shown "
               "are not the ones the committee sealed.").format(entry=state.sealed_at)]
    if state.unnamed_drift and not state.drift:
        lines.append("  " + _("the sealed values' copy (seals/) is missing or was changed, so the fields cannot be "
                              "named"))
    lines += [f"  - {change}" for change in state.drift[:limit]]
    if len(state.drift) > limit:
        lines.append("  " + _("... and {count} more").format(count=len(state.drift) - limit))
    lines.append(_("Put the files back, or record a re-lock with who and why: "
                   "crmselect --member ID relock DIR --why TEXT"))
    return lines


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
