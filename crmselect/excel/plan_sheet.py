"""The Plan sheet ("Plan", 分期计划): a roll-out in phases for one bid, and what phasing buys.

Two tables, in the workbook's language:

- per phase: its name, its goals (by name), effort days, planned go-live and P10/P50/P90 go-live (days after
  signature), the benefit a year its goals earn and the expected PV of that benefit
  (:meth:`crmselect.money.phase_risk.PlanResult.frame`);
- phased against big bang at P10/P50/P90: first value and everything live, and, only when prices may be shown,
  ROI, NPV net of benefits and payback; while prices are sealed a sentence says so and no price-derived figure
  is on the sheet.

The plain sentences of :meth:`PlanResult.sentences` close the sheet.  Every text goes in through
:mod:`crmselect.excel.safe` (never a formula), figures are values; :meth:`crmselect.excel.book.Book.finish` fits
the columns (CJK text measured by its display width) and protects the sheet.  ``crmselect plan --excel FILE``
writes it as a workbook of its own (:func:`export_plan`); the scorecard export adds it for the bid ranked first
when the selection has ``phases.yaml`` (:func:`write_plan`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.excel.scorecard_words import money_format
from crmselect.excel.style import fit_rows, print_setup, title, widths
from crmselect.model.ids import sheet_name
from crmselect.show.i18n import N_, _
from crmselect.words import marker_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.excel.book import Book, ScorecardData
    from crmselect.money.phase_risk import PlanResult
    from crmselect.record.envelopes import PriceAccess

PLAN = "Plan"
PLAN_TITLE = N_("Plan")
QUANTITIES = {
    "first_value_days": N_("First value (days after signature)"),
    "all_live_days": N_("Everything live (days after signature)"),
    "roi": N_("ROI over the horizon"),
    "net_npv": N_("NPV net of benefits"),
    "payback_months": N_("Payback (months after signature)"),
}


def _plan_sheet(book: Book) -> Worksheet:
    """The Plan sheet, titled in the book's language (a title no other sheet has)."""
    if PLAN not in book.titles:
        book.titles[PLAN] = sheet_name(_(PLAN_TITLE), book.titles.values())
    return book.sheet(PLAN)


def write_plan_sheet(book: Book, result: PlanResult, prices: PriceAccess | None = None) -> Worksheet:
    """The Plan sheet of ``result`` (see the module).  ``prices``: the envelope state, for its marker only; whether
    money is shown follows ``result`` (made with ``prices_visible`` of that state)."""
    ws = _plan_sheet(book)
    title(ws, _("Roll-out plan: {label}").format(label=result.label), book.styles,
          _("Goals go live phase by phase; each phase's go-live is drawn from the implementation-risk model "
            "({draws} draws, seed {seed}), the phases correlated {correlation}, stretched by our readiness.").format(
              draws=f"{result.n:,}", seed="-" if result.seed is None else result.seed,
              correlation=f"{result.correlation:g}"))
    if prices is not None and marker_text(prices):
        book.note(ws, 3, marker_text(prices))
    row = 4
    book.band(ws, row, _("Phases"), 9)
    row += 1
    head = [_("Phase"), _("Goals"), _("Effort (days)"), _("Planned go-live (days)"),
            _("Go-live P10 (days)"), _("Go-live P50 (days)"), _("Go-live P90 (days)"), _("Benefit a year"),
            _("Expected PV of the benefit")]  # phases by their names; the ids stay in phases.yaml
    book.header(ws, row, head)
    header_row = row
    money = money_format(result.currency) if result.currency else "#,##0"
    for _phase_id, item in result.frame().iterrows():
        row += 1
        book.text(ws, row, 1, item["name"])
        book.text(ws, row, 2, item["goals"]).alignment = book.styles.wrap
        for column, key in enumerate(("effort_days", "planned_go_live_days", "P10", "P50", "P90"), start=3):
            book.value(ws, row, column, float(item[key]), "#,##0")
        book.value(ws, row, 8, float(item["annual_benefit"]), money)
        book.value(ws, row, 9, float(item["benefit_pv"]), money)
    row += 2
    book.band(ws, row, _("Phased against big bang (the same draws)"), 7)
    row += 1
    book.header(ws, row, [_("Quantity"), _("Phased P10"), _("Phased P50"), _("Phased P90"), _("Big bang P10"),
                          _("Big bang P50"), _("Big bang P90")])
    comparison = result.comparison()
    formats = {"first_value_days": "#,##0", "all_live_days": "#,##0", "roi": "0%", "net_npv": money,
               "payback_months": "0.0"}
    for quantity, values in comparison.iterrows():
        row += 1
        book.text(ws, row, 1, _(QUANTITIES[str(quantity)]))
        for column, value in enumerate(values.tolist(), start=2):
            if quantity == "payback_months" and (value is None or not math.isfinite(float(value))):
                book.text(ws, row, column, _("never"))
            else:
                book.value(ws, row, column, float(value), formats[str(quantity)])
    row += 2  # while prices are sealed, the sentences below say so
    for sentence in result.sentences():
        book.note(ws, row, sentence)
        row += 1
    widths(ws, {"A": 30, "B": 48, "C": 12, "D": 14, "E": 12, "F": 12, "G": 12, "H": 14, "I": 16})
    fit_rows(ws, [header_row])
    ws.freeze_panes = f"B{header_row + 1}"
    print_setup(ws, title_rows=f"{header_row}:{header_row}")
    return ws


def export_plan(result: PlanResult, path: str | Path, *, force: bool = False,
                prices: PriceAccess | None = None) -> Path:
    """A workbook holding only the Plan sheet of ``result``, written atomically (replacing a file only with
    ``force``), fitted and protected like every crmselect sheet."""
    from crmselect.excel.book import Book
    from crmselect.files.safe_write import write_atomic

    book = Book()
    write_plan_sheet(book, result, prices)
    book.finish()

    def save(tmp: Path) -> None:
        book.wb.save(tmp)

    return write_atomic(path, save, overwrite=force)


def write_plan(book: Book, data: ScorecardData, *, draws: int = 20_000, seed: int = 0) -> bool:
    """The Plan sheet of the scorecard workbook, for the bid ranked first, when the selection has ``phases.yaml``;
    False (no sheet) when it has none, or no bid is ranked first."""
    from crmselect.evaluation import evaluate
    from crmselect.files.phases import load_phase_plan
    from crmselect.money.phase_risk import plan_risk

    project = data.project
    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    winners = data.scorecard.winners
    if plan is None or not winners:
        return False
    bid = winners[0]
    scores = evaluate(project, reveal_prices=data.prices.visible).technical_goal_scores[bid]
    result = plan_risk(project, bid, plan, n=draws, random_state=seed, goal_scores=scores,
                       prices_visible=data.prices.visible)
    write_plan_sheet(book, result, data.prices)
    return True


__all__ = ["PLAN", "export_plan", "write_plan", "write_plan_sheet"]
