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

from typing import TYPE_CHECKING

from crmselect.show.i18n import _
from crmselect.show.labels import LABELS, label, localised
from crmselect.words import (
    answer_text,
    knockout_text,
    local,
    marker_text,
    method_text,
    rule_text,
    seal_warning_lines,
    unchecked_text,
)

if TYPE_CHECKING:

    from crmselect.scoring.scorecard import KnockOut, Scorecard

def knockout_reason(knockout: KnockOut) -> str:
    """Why a bid is out, without its name: ``COM-011 退出时免费导出数据 必须为 是；实际回答为 否``."""
    return _("{criterion} {name} must be {rule}; answered {answer}").format(
        criterion=knockout.criterion, name=local(knockout.criterion_name),
        rule=rule_text(knockout.rule, knockout.rule_label),
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
