"""The steering committee's scorecard workbook: live where it matters, explained everywhere else.

``export_scorecard(project, path, lang=None)`` (and ``crmselect scorecard DIR --out FILE.xlsx``) writes
the sheets Summary, Weights, Scores, Goals, Committee, TCO, SLA, Contract, Negotiation, Sensitivity, Decision log
and About, in the language ``lang`` (``None``: the current one, which the CLI sets from ``--lang`` or
the selection's ``locale``): sheet titles, headers, notes and chart titles are translated, catalogue
text is shown in that language, names from the selection's files as written.

Goal points on the Weights sheet are input cells; criterion weights, goal scores, totals, ranks
and the winner are formulas, so the committee can try other weights in Excel.
Every sheet is protected: only the yellow inputs take edits.  The Summary lists the bids in rank order,
live (knocked-out bids last, greyed, and out of every chart).  Each formula carries the result
crmselect computed as its cached value (:mod:`crmselect.excel.cached`), so viewers and pandas that
do not calculate show numbers, and the workbook asks Excel to recalculate on open.

``read_weights(path)`` reads the goal points back (for example after the committee settled on
new weights in Excel), safely, naming sheet and cell for every problem, whatever the workbook's language.

Questionnaires and score sheets live in :mod:`crmselect.excel.questionnaire`,
:mod:`crmselect.excel.questionnaire_import`, :mod:`crmselect.excel.scoresheet` and
:mod:`crmselect.excel.scoresheet_import`; safe reading and writing in :mod:`crmselect.excel.safe`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from crmselect.errors import InputError
from crmselect.excel.book import SHEET_TITLES, Book, Expected, ScorecardData, gather
from crmselect.excel.cached import store_results
from crmselect.excel.safe import DEFAULT_LIMITS, Limits, SheetIssues, is_formula, open_untrusted, raw, read_grid, show
from crmselect.excel.scorecard_words import (
    deployment,
    knockout_reason,
    literal,
    money_format,
    sealed,
    status,
    summary_notes,
)
from crmselect.excel.scores import (
    FIRST,
    GOALS,
    HEADER_ROW,
    POINTS_COL,
    SCORE,
    WEIGHTS,
    Layout,
    colour_scale,
    letter,
    summary_order,
    write_goals,
    write_scores,
    write_weights,
)
from crmselect.excel.style import fit_rows, grey_row, print_setup, title, widths
from crmselect.files.safe_write import write_atomic
from crmselect.model.ids import sheet_name
from crmselect.record.envelopes import PriceAccess
from crmselect.show.i18n import LANGUAGES, Translator, _, current, translator, using
from crmselect.words import (
    marker_text,
    seal_warning_text,
    why_unchecked,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from crmselect.model.project import Project

SUMMARY = "Summary"


@dataclass(frozen=True)
class ScorecardExport:
    """What was written: the file, its sheets, what was left out and why, and the value crmselect
    computed for every formula cell ({(sheet, cell): value}; "" for an empty result)."""

    path: Path
    sheets: tuple[str, ...]
    left_out: tuple[str, ...]
    expected: dict[tuple[str, str], Expected]


def _bar_chart(book: Book, anchor: str, title_text: str, data_ref: tuple[str, int, int, int, int],
               categories: tuple[str, int, int, int], stacked: bool) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "col"
    chart.title = title_text
    sheet, min_col, max_col, min_row, max_row = data_ref
    chart.add_data(Reference(book.ws(sheet), min_col=min_col, max_col=max_col, min_row=min_row, max_row=max_row),
                   titles_from_data=True)
    cat_sheet, col, first, last = categories
    chart.set_categories(Reference(book.ws(cat_sheet), min_col=col, min_row=first, max_row=last))
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.y_axis.scaling.min = 0
    chart.y_axis.numFmt = SCORE
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 9, 18
    book.ws(SUMMARY).add_chart(chart, anchor)


def write_summary(book: Book, data: ScorecardData, layout: Layout, contributions_top: str,
                  tco: dict[str, tuple[str, str]], sla: dict[str, str], contract: dict[str, str]) -> None:
    """The Summary: one row per bid in rank order, live.

    Row k shows the bid with the k-th smallest key of ``SummaryOrder`` on the Scores sheet (its rank, then its
    place among the bids; knocked-out bids after every rank): ``MATCH(SMALL(...))`` finds it and ``INDEX``
    or ``CHOOSE`` fetch its figures.  These classic functions work alike in every Excel and in LibreOffice
    (``SORT`` and ``SORTBY`` need Excel 365), so the rows re-sort when the committee changes the goal points,
    and the rank is a number (tied bids share it and say so in their own column).
    """
    card, selection = data.scorecard, data.project.selection
    ws = book.ws(SUMMARY)  # created first, so that it is the first sheet
    subtitle = _("{company}. Totals and ranks follow the goal points on the {weights} sheet.").format(
        company=selection.company, weights=book.title_of(WEIGHTS))
    if not tco:
        subtitle += _(" NPV and cost per user-year: {sealed}.").format(sealed=sealed())
    warning = seal_warning_text(data.seal)
    for mark in (marker_text(data.prices), warning.splitlines()[0] if warning else ""):
        subtitle = f"{mark} {subtitle}" if mark else subtitle
    title(ws, _("CRM selection scorecard: {name}").format(name=selection.name), book.styles, subtitle)
    book.text(ws, 3, 1, _("First place at these weights")).font = book.styles.bold
    winners = [card.labels[b] for b, r in enumerate(card.ranks) if r == 1]
    none, tied = _("none"), _(" (tied first place)")
    expected = none if not winners else winners[0] + (tied if len(winners) > 1 else "")
    book.formula(ws, 3, 3, f'=IF(COUNTIF(Ranks,1)=0,{literal(none)},INDEX(BidLabels,1,MATCH(1,Ranks,0))&'
                           f'IF(COUNTIF(Ranks,1)>1,{literal(tied)},""))', expected).font = book.styles.title_font
    head = 5
    columns = [_("Bid"), _("Deployment"), _("Total"), _("Rank"), _("Tie"), _("Status")]
    columns += [_("NPV"), _("Cost per user-year")] if tco else []
    columns += [_("SLA findings")] if sla else []
    columns += [_("Contract findings")] if contract else []
    goal_first = len(columns) + 1
    helper = goal_first + layout.goals  # the bid shown in each row (its column on the Scores sheet); hidden
    book.header(ws, head, [*columns, *card.goal_names, _("Bid column on the Scores sheet")])
    bids = {bid.id: bid for bid in data.project.bids}
    money = money_format(selection.currency)
    order = summary_order(card)
    eligible = sum(bool(card.eligible[b]) for b in order)
    tie_word = literal(_("tied"))

    def choose(at: str, items: list[str]) -> str:
        return f"CHOOSE({at},{','.join(items)})"

    for k, b in enumerate(order):
        row, bid_id = head + 1 + k, card.bid_ids[b]
        at = f"${letter(helper)}{row}"
        book.formula(ws, row, helper, f"=MATCH(SMALL(SummaryOrder,{k + 1}),SummaryOrder,0)", float(b + 1))
        book.formula(ws, row, 1, f"=INDEX(BidLabels,1,{at})", card.labels[b])
        shown = [deployment(bids[i].offer.deployment.value) for i in card.bid_ids]
        book.formula(ws, row, 2, "=" + choose(at, [literal(text) for text in shown]), shown[b])
        book.formula(ws, row, 3, f"=INDEX(Totals,1,{at})", card.totals[b], SCORE).font = book.styles.bold
        rank = card.ranks[b]
        book.formula(ws, row, 4, f'=IF(ISNUMBER(INDEX(Ranks,1,{at})),INDEX(Ranks,1,{at}),"")',
                     float(rank) if rank == rank else "", "0").font = book.styles.bold
        ties = rank == rank and int(np.sum(card.ranks == rank)) > 1
        book.formula(ws, row, 5, f'=IF(ISNUMBER(D{row}),IF(COUNTIF(Ranks,D{row})>1,{tie_word},""),"")',
                     _("tied") if ties else "")
        book.formula(ws, row, 6, f"=INDEX(Statuses,1,{at})", status(card, b))
        column = 7
        if tco:
            for part in (0, 1):
                cells = [tco[i][part] for i in card.bid_ids]
                result = data.tco[bid_id]
                value = result.npv if part == 0 else result.cost_per_user_year
                book.formula(ws, row, column + part, "=" + choose(at, cells), value, money)
            column += 2
        for refs, area in ((sla, "sla"), (contract, "contract")):
            if refs:
                count = sum(f.area == area for f in data.checks.findings(bid_id))
                book.formula(ws, row, column, "=" + choose(at, [book.requote(refs[i]) for i in card.bid_ids]), count)
                column += 1
        for g in range(layout.goals):
            book.formula(ws, row, goal_first + g, f"=INDEX({layout.goal_row_ref(g)},1,{at})",
                         card.goal_matrix[b, g], SCORE)
        if not card.eligible[b]:
            grey_row(ws, row, goal_first + layout.goals - 1, book.styles)
    ws.column_dimensions[letter(helper)].hidden = True
    last = head + layout.bids
    if eligible:  # knocked-out bids (grey, last) stay out of the colour scales
        colour_scale(ws, f"C{head + 1}:C{head + eligible}")
        if layout.goals:
            colour_scale(ws, f"{letter(goal_first)}{head + 1}:{letter(goal_first + layout.goals - 1)}{head + eligible}")
    book.note(ws, last + 1, _("Rows follow the ranks: change the goal points on the {weights} sheet and the order, "
                              "ranks and charts follow. Knocked-out bids (grey) come last, without a rank, and stay "
                              "out of the charts.").format(weights=book.title_of(WEIGHTS)))
    row = last + 3
    book.band(ws, row, _("Knock-outs and open checks (knocked-out bids stay visible, without a rank)"), 6)
    for knockout in card.knockouts:
        row += 1
        book.text(ws, row, 1, knockout.label)
        book.text(ws, row, 2, knockout_reason(knockout))
    for pending in card.unchecked:
        row += 1
        book.text(ws, row, 1, pending.label)
        book.text(ws, row, 2, _("{criterion} not checked yet: {why}").format(criterion=pending.criterion,
                                                                              why=why_unchecked(pending)))
    if not card.knockouts and not card.unchecked:
        row += 1
        book.text(ws, row, 1, _("No bid is knocked out."))
    row += 2
    for note in summary_notes(card):
        book.note(ws, row, note)
        row += 1
    chart_row = row + 1
    if eligible:
        _bar_chart(book, f"A{chart_row}", _("Total score"), (SUMMARY, 3, 3, head, head + eligible),
                   (SUMMARY, 1, head + 1, head + eligible), stacked=False)
        top = int(contributions_top)
        _bar_chart(book, f"F{chart_row}", _("Contribution of each goal to the total"),
                   (GOALS, 2, 1 + layout.goals, top, top + eligible), (GOALS, 1, top + 1, top + eligible),
                   stacked=True)
    widths(ws, {"A": 24, "B": 12, "C": 9, "D": 7, "E": 8, "F": 16})
    for c in range(7, goal_first + layout.goals):
        widths(ws, {letter(c): 12})
    fit_rows(ws, [head])
    ws.freeze_panes = f"B{head + 1}"
    print_setup(ws, title_rows=f"{head}:{head}")


def build_scorecard(data: ScorecardData) -> tuple[Workbook, dict[tuple[str, str], Expected], tuple[str, ...]]:
    """Lay ``data`` out as a workbook; returns it, the expected value of every formula, and the sheet names."""
    from crmselect.excel.money_sheets import write_checks, write_tco
    from crmselect.excel.negotiation_sheet import write_negotiation
    from crmselect.excel.plan_sheet import write_plan
    from crmselect.excel.sheets import write_about, write_committee, write_log, write_sensitivity
    from crmselect.excel.tracking_sheet import write_tracking

    book = Book()
    book.sheet(SUMMARY)  # first sheet; filled once the others exist
    write_weights(book, data)
    layout = write_scores(book, data)
    contributions_top, _ = write_goals(book, data, layout)
    write_committee(book, data)
    tco = write_tco(book, data)
    sla = write_checks(book, data, "sla")
    contract = write_checks(book, data, "contract")
    write_negotiation(book, data)
    write_plan(book, data)  # the bid ranked first, when the selection has phases.yaml
    write_tracking(book, data)  # the business case tracked, when the selection has actuals.yaml
    if data.sensitivity is not None:
        write_sensitivity(book, data.sensitivity)
    write_log(book, data)
    sheets = [*book.wb.sheetnames, book.title_of("About")]
    write_about(book, data, sheets)
    write_summary(book, data, layout, contributions_top, tco, sla, contract)
    book.finish()  # every sheet fitted and protected, whoever wrote it
    book.wb.active = 0
    book.wb.calculation.fullCalcOnLoad = True
    return book.wb, book.expected, tuple(book.wb.sheetnames)


def export_scorecard(project: Project, path: str | Path, *, force: bool = False, smaa_samples: int = 20_000,
                     random_state: int = 0, prices: PriceAccess | None = None,
                     lang: str | Translator | None = None) -> ScorecardExport:
    """Write the scorecard workbook of ``project`` to ``path`` atomically; replace a file only with ``force``.

    Price figures follow the log's envelopes unless ``prices`` opens them (a logged unseal).  ``lang``
    (``en``, ``zh-CN``) is the workbook's language; ``None``: the current one (:func:`crmselect.show.i18n.current`).
    """
    with using(current() if lang is None else lang):
        data = gather(project, smaa_samples=smaa_samples, random_state=random_state, prices=prices)
        workbook, expected, sheets = build_scorecard(data)
    def save(tmp: Path) -> None:
        workbook.save(tmp)
        store_results(tmp, expected)  # readers that do not calculate show crmselect's numbers, not blanks

    written = write_atomic(path, save, overwrite=force)
    return ScorecardExport(written, sheets, tuple(data.left_out), expected)


def weights_titles() -> tuple[str, ...]:
    """The title of the Weights sheet in every language crmselect writes (a workbook may be in any)."""
    titles = (sheet_name(translator(language).gettext(SHEET_TITLES[WEIGHTS])) for language in LANGUAGES)
    return tuple(dict.fromkeys(titles))


def read_weights(path: str | Path, project: Project | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> dict[str, float]:
    """The goal points on the Weights sheet of a scorecard workbook: {goal id: points}.

    With ``project`` the goal ids must be exactly the selection's.  Every problem (formulas,
    text, negative or non-finite numbers, unknown or missing goals) is reported with its cell.
    """
    source = Path(path)
    out = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        titles = weights_titles()
        found = [name for name in wb.sheetnames if name in titles]
        if not found:
            out.add(WEIGHTS, "", "sheet is missing; is this a crmselect scorecard?", "missing_sheet",
                    " | ".join(titles), ", ".join(wb.sheetnames))
            raise InputError(out.issues, f"1 problem in {source.name}")
        sheet = found[0]
        rows = read_grid(wb[sheet], FIRST, FIRST + 200, POINTS_COL)
    weights: dict[str, float] = {}
    seen: set[str] = set()
    for offset, (id_cell, _name, points) in enumerate(rows):
        goal = raw(id_cell)
        if goal is None:
            break
        cell = f"{letter(POINTS_COL)}{FIRST + offset}"
        value = raw(points)
        if str(goal) in seen:
            out.add(sheet, f"A{FIRST + offset}", "is a duplicate goal", "duplicate_row", "each goal once", goal)
            continue
        seen.add(str(goal))
        if is_formula(points):
            out.formula(sheet, cell, value)
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            out.add(sheet, cell, f"points of goal {goal} are not a number of at least 0", "invalid_weight",
                    "a number >= 0", show(value))
        else:
            weights[str(goal)] = float(value)
    if project is not None:
        expected = set(project.selection.goal_ids)
        for goal in sorted(seen - expected):
            out.add(sheet, f"A{HEADER_ROW + 1}:A{HEADER_ROW + len(seen)}", "names a goal not in the selection",
                    "unknown_goal", ", ".join(project.selection.goal_ids), goal)
        for goal in sorted(expected - seen):
            out.add(sheet, "", f"has no row for goal {goal}", "missing_row", "every goal of the selection", "no row")
    if out.issues:
        raise InputError(out.issues, f"{len(out.issues)} problem{'s' if len(out.issues) != 1 else ''} in {source.name}")
    if sum(weights.values()) <= 0:
        out.add(sheet, f"{letter(POINTS_COL)}{FIRST}:{letter(POINTS_COL)}{FIRST + max(len(weights) - 1, 0)}",
                "goal points sum to 0", "zero_weights", "at least one goal with points above 0", "all 0")
        raise InputError(out.issues, f"1 problem in {source.name}")
    return weights
