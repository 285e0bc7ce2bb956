"""What the scorecard workbook says about result objects, in the book's language.

Results keep their English words (a bid's ``status``, ``summary_notes()``, a TCO's
``payment_convention()``, a deployment ``on_premise``); the workbook renders them here from their
fields, with :func:`crmselect.show.i18n._`, so a zh-CN committee reads Chinese.  The English
rendering is word for word what the result says.  Where a message is the CLI's too
(``knocked out: {rules}``), it is the same msgid, so both surfaces speak alike.  Names and ids from
the selection's files are data: they are written as they are.  Catalogue text (``LocalText``)
is shown in the book's language with :func:`local`.  Numbers inside sentences follow the locale
(:mod:`crmselect.show.formats`); numbers in cells keep Excel number formats (:func:`money_format`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmselect.show.formats import currency_symbol, format_number
from crmselect.show.i18n import N_, _
from crmselect.show.labels import label
from crmselect.words import (
    answer,
    knockout_text,
    local,
    rule_text,
    unchecked_text,
)

if TYPE_CHECKING:
    from crmselect.money.results import TcoComparison
    from crmselect.scoring.scorecard import KnockOut, Scorecard

MONEY = "#,##0"


def number(value: float, digits: int | None = None) -> str:
    """A number inside a sentence, in the current locale (``1,234.5``)."""
    return format_number(value, digits=digits)


def money_format(currency: str) -> str:
    """The Excel number format of an amount: whole units with the currency's symbol in the book's language
    (CLDR's: ``"¥"#,##0`` for CNY in zh-CN, ``"CN¥"#,##0`` in English, ``"$"#,##0`` for USD)."""
    symbol = currency_symbol(currency).replace('"', "")
    return f'"{symbol}"#,##0;-"{symbol}"#,##0'


def is_money_format(number_format: str | None) -> bool:
    """Whether ``number_format`` is one :func:`money_format` writes (an amount with its currency)."""
    return bool(number_format) and re.fullmatch(r'"([^"]+)"#,##0;-"\1"#,##0', number_format or "") is not None


def qualified(message: str) -> str:
    """A message with its context before a ``|`` (``"sum of a table|Total"``), translated; untranslated, the
    part after the ``|`` (GLib's ``Q_`` convention: one English word, two Chinese words by context)."""
    text = _(message)
    return text.split("|", 1)[1] if text == message else text


def sum_total() -> str:
    """``Total`` as the heading of a sum (合计), apart from the total score (总分)."""
    return qualified(_SUM_TOTAL)


_SUM_TOTAL = N_("sum of a table|Total")


def literal(text: str) -> str:
    """``text`` as a string literal inside an Excel formula: ``"out"``, ``"淘汰"``."""
    return '"' + text.replace('"', '""') + '"'


# ------------------------------------------------------------------ words of the results' vocabulary

_DEPLOYMENT = {"saas": N_("saas"), "on_premise": N_("on premise"), "hosted": N_("hosted")}
_DEPLOYMENT_KEY = {"saas": N_("saas"), "on_premise": N_("on_premise"), "hosted": N_("hosted")}
_KINDS = {"compliance": N_("compliance"), "number": N_("number"), "computed": N_("computed"),
          "yes_no": N_("yes no"), "committee_score": N_("committee score")}
_AGGREGATION = {"mean": N_("mean"), "median": N_("median"), "trimmed_mean": N_("trimmed mean")}
_LINES = {
    "subscription": N_("subscription"), "licence": N_("licence"), "licence true-ups": N_("licence true-ups"),
    "maintenance": N_("maintenance"), "hardware": N_("hardware"), "hosting": N_("hosting"),
    "database and OS": N_("database and OS"), "premium support": N_("premium support"),
    "consumption": N_("consumption"), "third party": N_("third party"),
    "third party (answers)": N_("third party (answers)"), "admin staff": N_("admin staff"),
    "DBA staff": N_("DBA staff"), "upgrade re-work (custom code)": N_("upgrade re-work (custom code)"),
    "own recovery": N_("own recovery"), "implementation services": N_("implementation services"),
    "data migration": N_("data migration"), "integration": N_("integration"), "training": N_("training"),
    "extra effort": N_("extra effort"), "downtime": N_("downtime"), "service credits": N_("service credits"),
}
_COLUMNS = {
    "weight": N_("weight"), "winner holds from": N_("winner holds from"), "winner holds to": N_("winner holds to"),
    "below, winner is": N_("below, winner is"), "above, winner is": N_("above, winner is"),
    "ranking holds from": N_("ranking holds from"), "ranking holds to": N_("ranking holds to"),
    "rank 1 ± (se)": N_("rank 1 ± (se)"), "confidence factor": N_("confidence factor"),
    "base rank": N_("base rank"),
}
_UNITS = {
    "years": N_("years"), "year": N_("year"), "days": N_("days"), "hours": N_("hours"), "minutes": N_("minutes"),
    "months": N_("months"), "customers": N_("customers"), "users": N_("users"), "calls/day": N_("calls/day"),
    "GB": N_("GB"), "%": N_("%"), "percent": N_("percent"),
}


def rank_label(text: str) -> str:
    """A rank as the scorecard shows it (``1``, ``2=``, ``out``)."""
    return _("out") if text == "out" else text


def deployment(value: str) -> str:
    """A deployment as the Summary shows it (``on premise``)."""
    return _(_DEPLOYMENT[value]) if value in _DEPLOYMENT else value.replace("_", " ")


def deployment_key(value: str) -> str:
    """A deployment as the TCO sheet shows it (``on_premise``)."""
    return _(_DEPLOYMENT_KEY[value]) if value in _DEPLOYMENT_KEY else value


def kind(value: str) -> str:
    """How a criterion is answered (``compliance``, ``committee score`` ...)."""
    return _(_KINDS[value]) if value in _KINDS else value.replace("_", " ")


def aggregation(value: str) -> str:
    return _(_AGGREGATION[value]) if value in _AGGREGATION else value.replace("_", " ")


def cost_line(name: str) -> str:
    return _(_LINES[name]) if name in _LINES else name


def role(value: str) -> str:
    """A committee member's role."""
    return qualified(_ROLES[value]) if value in _ROLES else value.replace("_", " ")


_ROLES = {
    "sales": N_("committee role|sales"), "marketing": N_("committee role|marketing"),
    "service": N_("committee role|service"), "it": N_("committee role|it"), "finance": N_("committee role|finance"),
    "executive_sponsor": N_("committee role|executive sponsor"), "procurement": N_("committee role|procurement"),
    "project_manager": N_("committee role|project manager"),
}


def column(key: str) -> str:
    """A column of a sensitivity or SMAA table, or a cell of its text (``passed by X``): the workbook's own
    wording first, then the labels every shown frame uses (:func:`crmselect.show.labels.label`)."""
    return _(_COLUMNS[key]) if key in _COLUMNS else label(key)


def weight_model(name: str) -> str:
    """How SMAA drew the goal weights."""
    if name == "uniform on the simplex":
        return _("uniform on the simplex")
    if name == "uniform within weight ranges":
        return _("uniform within weight ranges")
    if match := re.fullmatch(r"ordinal \((\d+) statement\(s\), (\d+) goal orders\)", name):
        return _("ordinal ({statements} statement(s), {orders} goal orders)").format(
            statements=match.group(1), orders=match.group(2))
    if match := re.fullmatch(r"around the committee's weights \(spread (.+)\)", name):
        return _("around the committee's weights (spread {spread})").format(spread=match.group(1))
    return name


# ------------------------------------------------------------------ records of a computation

def status(card: Scorecard, b: int) -> str:
    """A bid's status (``eligible``, ``knocked out: COM-011``), as :attr:`Scorecard.status` says it."""
    bid = card.bid_ids[b]
    rules = [k.criterion for k in card.knockouts if k.bid == bid]
    pending = [u.criterion for u in card.unchecked if u.bid == bid]
    text = _("knocked out: {rules}").format(rules=", ".join(rules)) if rules else _("eligible")
    if pending and card.eligible[b]:
        text += _(" (not yet checked: {criteria})").format(criteria=", ".join(pending))
    return text


def knockout_reason(knockout: KnockOut) -> str:
    """The Summary's line on a knocked-out bid."""
    text = _("knocked out by {criterion} {name}: must be {rule}; answered {answer}.").format(
        criterion=knockout.criterion, name=local(knockout.criterion_name),
        rule=rule_text(knockout.rule, knockout.rule_label),
        answer=answer(knockout.answer))
    return text + _(" Why: {reason}").format(reason=knockout.reason) if knockout.reason else text


def summary_notes(card: Scorecard) -> list[str]:
    """:meth:`Scorecard.summary_notes`, in the book's language."""
    if card.prices_hidden:
        notes = [_("Prices are hidden: {count} price criteria stay out until the technical scoring is locked and "
                   "prices are revealed (decision log).").format(count=len(card.hidden_criteria))]
    else:
        notes = [_("Prices are revealed: price criteria count in the scores.")]
    notes += [_("Knocked out: {text}").format(text=knockout_text(k)) for k in card.knockouts]
    notes += [_("Not yet checked: {text}").format(text=unchecked_text(u)) for u in card.unchecked]
    if card.empty_goals:
        notes.append(_("Goals with no visible criteria (score 0 for every bid): {goals}").format(
            goals=", ".join(card.empty_goals)))
    if card.committee.disagreements:
        notes.append(_("Committee disagreements to discuss: {count}").format(count=len(card.committee.disagreements)))
    notes.append(_("Features that serve no goal (weight 0): {count}").format(count=len(card.unlinked)))
    return notes


def payment_convention(tco: TcoComparison) -> str:
    """:meth:`TcoComparison.payment_convention`, in the book's language."""
    from crmselect.money.kernels import LINES

    ahead: dict[tuple[str, ...], list[str]] = {}
    for result in tco.results:
        lines = tuple(name for name in LINES if name in result.inputs.paid_in_advance)
        ahead.setdefault(lines, []).append(result.label)
    head = _("NPV at {rate} % a year; each year's costs count at the end of the year").format(
        rate=number(tco.results[0].discount_rate_pct))
    parts = [_("{lines} ({offers})").format(lines=", ".join(cost_line(line) for line in lines),
                                            offers=_("all offers") if len(ahead) == 1 else ", ".join(labels))
             for lines, labels in ahead.items() if lines]
    if not parts:
        return head + _(".")
    return _("{head}, except lines billed yearly in advance, which count at its start: {parts}.").format(
        head=head, parts="; ".join(parts))


def periods_text(tco: TcoComparison, a: str, b: str) -> str:
    """:meth:`TcoComparison.periods_text`: which offer is cheaper when, in the book's language."""
    from crmselect.money.kernels import cheaper_periods

    cumulative = tco.cumulative()
    periods = cheaper_periods(cumulative[a].to_numpy(), cumulative[b].to_numpy())
    if not periods:
        return _("{a} and {b} cost the same throughout").format(a=tco[a].label, b=tco[b].label)
    parts = []
    for index, (start, end, which) in enumerate(periods):
        label = tco[(a, b)[which]].label
        if len(periods) == 1:
            parts.append(_("{bid} is cheaper throughout").format(bid=label))
        elif index == 0:
            parts.append(_("{bid} is cheaper until year {year}").format(bid=label, year=number(end, 2)))
        elif index == len(periods) - 1:
            parts.append(_("{bid} after year {year}").format(bid=label, year=number(start, 2)))
        else:
            parts.append(_("{bid} from year {start} to {end}").format(bid=label, start=number(start, 2),
                                                                       end=number(end, 2)))
    return _(", ").join(parts)


# ------------------------------------------------------------------ the envelopes
def sealed() -> str:
    return _("sealed until prices are revealed")


