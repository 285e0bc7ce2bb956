"""The scorecard workbook's Negotiation sheet: what to ask each bid for, in price and in terms.

Two tables, in the workbook's language:

- the price concession that would make each bid that is not winning tie the winner (the NPV to tie, the
  NPV reduction, and that reduction as a discount on the subscription), from
  :meth:`crmselect.evaluation.Evaluation.concessions`; while prices are sealed the table is replaced
  by a sentence saying so, and no price figure appears anywhere on the sheet;
- per bid, its open contract and SLA levers ranked by the score gain of conceding each, from
  :meth:`crmselect.evaluation.Evaluation.levers`, with the rule's title and the lever's text; the NPV
  before and after a concession only once prices may be shown.

Every text goes in through :func:`crmselect.excel.safe.put_text` (never a formula); figures are values.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from crmselect.evaluation import Evaluation, evaluate
from crmselect.excel.scorecard_words import money_format, rank_label, sealed
from crmselect.excel.style import fit_rows, print_setup, title, widths
from crmselect.show.i18n import N_, _
from crmselect.whatif.levers import UNITS, UNMODELLED_NOTE
from crmselect.words import marker_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.excel.book import Book, ScorecardData

NEGOTIATION = "Negotiation"
SEVERITIES = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def _figure(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def write_negotiation(book: Book, data: ScorecardData) -> None:
    """The Negotiation sheet (see the module): price concessions after the reveal, ranked levers always."""
    visible = data.prices.visible
    evaluation = evaluate(data.project, reveal_prices=visible)
    ws = book.sheet(NEGOTIATION)
    title(ws, _("What to ask each bid for: the price to tie the winner, and the contract and SLA levers "
                "worth most to its score"), book.styles,
          _("Levers are ranked by the score gain of each lever conceded, re-scored with the term changed to its "
            "rule's threshold; gains do not add up."))
    row = 4
    marker = marker_text(data.prices)
    if marker:
        book.note(ws, 3, marker)
    book.band(ws, row, _("Price concessions to tie the winner (price method {method})").format(
        method=evaluation.price_method), 6)
    row += 1
    if not visible:
        book.note(ws, row, _("Price concessions are {sealed}.").format(sealed=sealed()))
        row += 2
    else:
        row = _write_concessions(book, ws, evaluation, row, data.project.selection.currency)
    _write_levers(book, ws, evaluation, row, visible, data.project.selection.currency)


def _write_concessions(book: Book, ws: Worksheet, evaluation: Evaluation, row: int, currency: str) -> int:
    money = money_format(currency)
    book.header(ws, row, [_("Bid ID"), _("Bid"), _("NPV now"), _("NPV to tie"), _("NPV reduction"),
                          _("Subscription discount")])
    concessions = evaluation.concessions()
    if not concessions:
        book.note(ws, row + 1, _("No other eligible bid: nothing to negotiate against."))
        return row + 3
    for item in concessions:
        row += 1
        book.text(ws, row, 1, item.bid)
        book.text(ws, row, 2, item.label)
        book.value(ws, row, 3, item.npv, money)
        if item.target_npv is None:
            book.text(ws, row, 4, _("no price ties"))
        else:
            book.value(ws, row, 4, item.target_npv, money)
            book.value(ws, row, 5, item.reduction, money)
        discount = item.subscription_discount_pct
        book.value(ws, row, 6, None if discount is None else discount / 100.0, "0.0%")
    book.note(ws, row + 1, evaluation.tco.payment_convention())
    if evaluation.price_method == "kept_apart":
        book.note(ws, row + 2, _("Price is kept apart from the score: the target is the value-for-money frontier, "
                                 "the NPV at which no other bid scores at least as high for no more money."))
    return row + 4


def _write_levers(book: Book, ws: Worksheet, evaluation: Evaluation, row: int, visible: bool, currency: str) -> None:
    table = evaluation.levers(show_prices=visible)
    book.band(ws, row, _("Contract and SLA levers per bid, worth most first"), 17)
    row += 1
    head = [_("Bid ID"), _("Bid"), _("Order"), _("Code"), _("Severity"), _("Finding"), _("Negotiation lever"),
            _("Unit"), _("Term now"), _("Term conceded"), _("Amount conceded"), _("Score gain per lever"),
            _("Score gain per unit"), _("Total now"), _("Total after"), _("Rank now"), _("Rank after")]
    if visible:
        head += [_("NPV now"), _("NPV after")]
    book.header(ws, row, head)
    header_row = row
    money = money_format(currency)
    for bid in table.bid_ids:
        for order, item in enumerate(table.ranked(bid), start=1):
            row += 1
            words = table.words(item.code, book.lang)
            texts = (item.bid, item.label, None, item.code, _(SEVERITIES.get(item.severity, item.severity)),
                     words[0], words[1], _(UNITS.get(item.unit, item.unit)))
            for column, text in enumerate(texts, start=1):
                if text is not None:
                    book.text(ws, row, column, text).alignment = book.styles.wrap
            book.value(ws, row, 3, order)
            book.value(ws, row, 9, _figure(item.before))
            book.value(ws, row, 10, _figure(item.after))
            book.value(ws, row, 11, item.amount, "0.##")
            book.value(ws, row, 12, item.gain, "0.0000")
            book.value(ws, row, 13, _figure(item.gain_per_unit), "0.00000")
            book.value(ws, row, 14, item.total_before, "0.000")
            book.value(ws, row, 15, item.total_after, "0.000")
            book.text(ws, row, 16, rank_label(item.rank_before))
            book.text(ws, row, 17, rank_label(item.rank_after))
            if visible:
                book.value(ws, row, 18, _figure(item.npv_before), money)
                book.value(ws, row, 19, _figure(item.npv_after), money)
    if table.unmodelled:
        row += 2
        book.note(ws, row, _(UNMODELLED_NOTE).format(
            items=", ".join(f"{bid} {code}" for bid, code in table.unmodelled)))
    widths(ws, {"A": 18, "B": 24, "C": 7, "D": 9, "E": 9, "F": 30, "G": 60, "H": 22, "I": 10, "J": 10, "K": 10,
                "L": 11, "M": 11, "N": 10, "O": 10, "P": 8, "Q": 8, "R": 14, "S": 14})
    fit_rows(ws, [header_row])
    ws.freeze_panes = f"C{header_row + 1}"
    print_setup(ws, title_rows=f"{header_row}:{header_row}")


__all__ = ["NEGOTIATION", "write_negotiation"]
