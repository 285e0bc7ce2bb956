"""Records of a computation in words, in the current language (:mod:`crmselect.show.i18n`).

Results keep their data and English wording (``KnockOut.rule`` is ``"at least C"``); the surfaces say
them through these functions, so the CLI, the workbooks and the dashboard use the same words.  Catalogue
text (criterion names) is shown in the current language; names from the selection's files as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmselect.model.text import LocalText
from crmselect.show.formats import format_number
from crmselect.show.i18n import N_, _, current, pgettext

if TYPE_CHECKING:
    from crmselect.record.envelopes import PriceAccess, SealState
    from crmselect.scoring.scorecard import KnockOut, Unchecked
    from crmselect.scoring.weighting import DerivedWeights

METHODS = {"points": N_("points"), "rank_order": N_("rank order (ROC)"), "swing": N_("swing weights"),
           "ahp": N_("AHP pairwise judgments")}
UNITS = {
    "years": N_("years"), "year": N_("year"), "days": N_("days"), "hours": N_("hours"), "minutes": N_("minutes"),
    "months": N_("months"), "customers": N_("customers"), "users": N_("users"), "calls/day": N_("calls/day"),
    "GB": N_("GB"), "%": N_("%"), "percent": N_("percent"),
}
UNCHECKED_WHY = {
    "not every demo scenario is scored": N_("not every demo scenario is scored"),
    "not computed": N_("not computed"),
    "a price criterion; checked when prices are revealed": N_("a price criterion; checked when prices are revealed"),
}
_NUMBER_UNIT = re.compile(r"^(-?[0-9.]+(?:e[+-]?[0-9]+)?) (.+)$")


def local(text: object) -> str:
    """Catalogue text in the current language (other text as written)."""
    return text.in_(current().language) if isinstance(text, LocalText) else str(text)


def answer(text: str) -> str:
    """A bid's answer as shown: codes and scores as written, units and words translated."""
    if text in UNCHECKED_WHY:
        return _(UNCHECKED_WHY[text])
    if text in ("yes", "no"):
        return _("yes") if text == "yes" else _("no")
    if (match := _NUMBER_UNIT.match(text)) and match.group(2) in UNITS:
        value = match.group(1) if current().language == "en" else format_number(float(match.group(1)))
        return f"{value} {_(UNITS[match.group(2)])}"
    return text


def answer_text(text: str) -> str:
    return answer(text)


def rule_text(rule: str, label: object = "") -> str:
    """A must-have's rule in words (``scoring.values.minimum_text``); ``label`` is the catalogue label of a
    compliance minimum's code (``C`` -> Configuration), shown in the current language."""
    if label and (match := re.fullmatch(r"at least (\S+) \(.*\)", rule)):
        return _("at least {value}").format(value=_("{code} ({label})").format(code=match.group(1), label=local(label)))
    if rule == "yes":
        return _("yes")
    if rule == "yes or no":
        return _("yes or no")
    if match := re.fullmatch(r"at least (\S+) of 5 \(committee score\)", rule):
        return _("at least {value} of 5 (committee score)").format(value=match.group(1))
    if match := re.fullmatch(r"at (least|most) (\S+)( .+)?", rule):
        unit = (match.group(3) or "").strip()
        value = match.group(2) + (" " + _(UNITS[unit]) if unit in UNITS else (" " + unit if unit else ""))
        text = _("at least {value}") if match.group(1) == "least" else _("at most {value}")
        return text.format(value=value)
    return rule


def knockout_text(knockout: KnockOut) -> str:
    """``Brightquill CRM: COM-011 Data export at exit must be yes; answered no (reason)``."""
    text = _("{bid}: {criterion} {name} must be {rule}; answered {answer}").format(
        bid=knockout.label, criterion=knockout.criterion, name=local(knockout.criterion_name),
        rule=rule_text(knockout.rule, knockout.rule_label), answer=answer(knockout.answer))
    return _("{text} ({reason})").format(text=text, reason=knockout.reason) if knockout.reason else text


def why_unchecked(pending: Unchecked) -> str:
    return _(UNCHECKED_WHY[pending.why]) if pending.why in UNCHECKED_WHY else pending.why


def unchecked_text(pending: Unchecked) -> str:
    return _("{bid}: {criterion} not checked yet ({why})").format(bid=pending.label, criterion=pending.criterion,
                                                                   why=why_unchecked(pending))


def method_text(weights: DerivedWeights | str) -> str:
    """How the goal weights were made (``points``, ``group AHP pairwise judgments (3 members, ...)``)."""
    if isinstance(weights, str):
        return weights
    if weights.method.value == "ahp" and len(weights.members) > 1:
        return _("group AHP pairwise judgments ({count} members, geometric mean)").format(count=len(weights.members))
    key = weights.method.value
    return _(METHODS[key]) if key in METHODS else weights.label


def entry_kind(kind: str) -> str:
    """A decision log entry's kind (``lock``, ``reveal_prices`` ...)."""
    kinds = {
        "open": pgettext("decision log entry kind", "open"),
        "adopt": pgettext("decision log entry kind", "adopt"),
        "key_added": pgettext("decision log entry kind", "key_added"),
        "weight_change": pgettext("decision log entry kind", "weight_change"),
        "consensus_override": pgettext("decision log entry kind", "consensus_override"),
        "lock": pgettext("decision log entry kind", "lock"),
        "relock": pgettext("decision log entry kind", "relock"),
        "offer_round": pgettext("decision log entry kind", "offer_round"),
        "reveal_prices": pgettext("decision log entry kind", "reveal_prices"),
        "unseal_view": pgettext("decision log entry kind", "unseal_view"),
        "changed": pgettext("decision log entry kind", "changed"),
        "note": pgettext("decision log entry kind", "note"),
        "scenario_saved": pgettext("decision log entry kind", "scenario_saved"),
        "scenario_exported": pgettext("decision log entry kind", "scenario_exported"),
        "exported": pgettext("decision log entry kind", "exported"),
        "actual_recorded": pgettext("decision log entry kind", "actual_recorded"),
        "plan_written": pgettext("decision log entry kind", "plan_written"),
    }
    return kinds.get(kind, kind)


def marker_text(access: PriceAccess) -> str:
    """The mark on every output made with the price seal opened before the reveal ("" otherwise)."""
    if access.unsealed_entry is None:
        return ""
    return _("UNSEALED VIEW: prices opened before the reveal by {member} (decision log entry {entry}: {why})").format(
        member=access.unsealed_by, entry=access.unsealed_entry, why=access.unsealed_why)


def seal_warning_lines(state: SealState | None, limit: int = 12) -> list[str]:
    """What every surface says first while the technical inputs differ from the committee's seal ([] otherwise)."""
    if state is None or not state.drifted:
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


def seal_warning_text(state: SealState | None, limit: int = 12) -> str:
    return "\n".join(seal_warning_lines(state, limit))


__all__ = ["METHODS", "UNCHECKED_WHY", "UNITS", "answer", "answer_text", "entry_kind", "knockout_text", "local",
           "marker_text", "method_text", "rule_text", "seal_warning_lines", "seal_warning_text", "unchecked_text",
           "why_unchecked"]
