"""Scorecard sheets on money and risk: TCO (live sums, NPV and cumulative cost) and the SLA and
contract checks (findings with severity colours and negotiation levers, live counts per bid).

The discount rate on the TCO sheet is an input cell: change it and every NPV follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from crmselect.excel.book import Book, ScorecardData
from crmselect.excel.scorecard_words import (
    cost_line,
    deployment_key,
    money_format,
    payment_convention,
    periods_text,
    sealed,
    sum_total,
)
from crmselect.excel.scores import colour_scale, define, letter
from crmselect.excel.style import (
    SEVERITY_FILLS,
    decimal_validation,
    fit_rows,
    grey_row,
    mark_input,
    print_setup,
    title,
    widths,
)
from crmselect.show.i18n import _
from crmselect.show.style import SeriesStyle, vendor_palette

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TCO, SLA, CONTRACT = "TCO", "SLA", "Contract"
MONEY = "#,##0"


def _line_chart(ws: Worksheet, top: int, periods: int, shown: list[int], anchor: str, money: str,
                looks: list[SeriesStyle]) -> None:
    """Cumulative cost of the bids in ``shown`` (their offsets in the table; knocked-out bids are left out), each
    line in its vendor's colour from :mod:`crmselect.show.style` (``looks[b]``), a vendor's second offer dashed."""
    from openpyxl.chart import LineChart, Reference, Series

    chart = LineChart()
    chart.title = _("Cumulative TCO")
    chart.y_axis.title = _("cumulative cost")
    chart.x_axis.title = _("year (0 = initial)")
    for b in shown:
        values = Reference(ws, min_col=2 + b, max_col=2 + b, min_row=top, max_row=top + periods)
        chart.series.append(Series(values, title_from_data=True))
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + periods))
    chart.y_axis.numFmt = money
    for b, series in zip(shown, chart.series, strict=True):
        series.smooth = False
        series.graphicalProperties.line.solidFill = looks[b].colour.lstrip("#").upper()
        series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
        if looks[b].linestyle != "-":
            series.graphicalProperties.line.dashStyle = "dash"
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, anchor)


def write_tco(book: Book, data: ScorecardData) -> dict[str, tuple[str, str]]:
    """The TCO sheet; returns {bid id: (NPV cell, cost per user-year cell)} for the Summary (none while sealed)."""
    if not data.prices.visible:
        ws = book.sheet(TCO)
        title(ws, _("Total cost of ownership per offer"), book.styles,
              _("TCO, NPV and cost per user-year are {sealed}: the committee locks the technical scoring first, "
                "then opens the price envelope (crmselect reveal-prices).").format(sealed=sealed()))
        widths(ws, {"A": 110})
        print_setup(ws)
        return {}
    comparison = data.tco
    results = list(comparison.results)
    ws = book.sheet(TCO)
    first = results[0]
    horizon = first.horizon_years
    money = money_format(data.project.selection.currency)
    title(ws, _("Total cost of ownership per offer"), book.styles,
          _("Cash flows by payment time in {currency}; 0 is signature. NPV discounts time t by (1 + rate)^t. "
            "Change the yellow discount rate to see NPVs move.").format(currency=data.project.selection.currency))
    book.text(ws, 4, 1, _("Discount rate")).font = book.styles.bold
    rate = book.value(ws, 4, 2, first.discount_rate_pct / 100.0, "0.0%")
    mark_input(rate, book.styles)
    validation = decimal_validation(0, 0.5, _("Yearly discount rate, from 0% to 50%."))
    ws.add_data_validation(validation)
    validation.add("B4")
    define(book, "DiscountRate", TCO, "$B$4")
    book.text(ws, 5, 1, _("Horizon (years)"))
    book.value(ws, 5, 2, horizon)
    book.note(ws, 6, payment_convention(data.tco) + _(" A line billed in advance pays year t's cost at time t - 1."))
    summary_top = 7
    book.header(ws, summary_top, [_("Bid"), _("Deployment"), _("Initial (year 0)"), _("Total (undiscounted)"),
                                  _("NPV"), _("Cost per user-year"), _("Claimed go-live (days)")])
    cumulative_top = summary_top + len(results) + 3
    book.header(ws, cumulative_top, [_("Year"), *[r.label for r in results]])
    block = cumulative_top + horizon + 4
    refs: dict[str, tuple[str, str]] = {}
    period_cols = [letter(2 + t) for t in range(horizon + 1)]
    for b, result in enumerate(results):
        flows = np.asarray(result.flows)
        book.band(ws, block, _("{bid} [{id}], {deployment}").format(
            bid=result.label, id=result.bid_id, deployment=deployment_key(result.deployment)), horizon + 3)
        book.header(ws, block + 1, [_("Cost line"), *[_("Year {year}").format(year=t) for t in range(horizon + 1)],
                                    sum_total()])
        row = block + 1
        shown = [i for i, line in enumerate(result.lines) if np.any(flows[i] != 0)]
        for i in shown:
            row += 1
            book.text(ws, row, 1, cost_line(result.lines[i]))
            for t in range(horizon + 1):
                book.value(ws, row, 2 + t, float(flows[i, t]), money)
            book.formula(ws, row, horizon + 3, f"=SUM(B{row}:{period_cols[-1]}{row})", float(flows[i].sum()), money)
        total = row + 1
        book.text(ws, total, 1, sum_total()).font = book.styles.bold
        by_period = np.asarray(result.by_period)
        for t in range(horizon + 1):
            column = period_cols[t]
            value = f"=SUM({column}{block + 2}:{column}{row})" if shown else "=0"
            book.formula(ws, total, 2 + t, value, float(by_period[t]), money).font = book.styles.bold
        grand = book.formula(ws, total, horizon + 3, f"=SUM(B{total}:{period_cols[-1]}{total})", result.total, money)
        grand.font = book.styles.bold
        npv_row = total + 1
        book.text(ws, npv_row, 1, _("NPV")).font = book.styles.bold
        later = f"NPV(DiscountRate,C{total}:{period_cols[-1]}{total})" if horizon else "0"
        book.formula(ws, npv_row, 2, f"=B{total}+{later}", result.npv, money).font = book.styles.bold
        user_years = float(np.asarray(result.users).sum())
        # summary row, pointing at the block
        s = summary_top + 1 + b
        book.text(ws, s, 1, result.label)
        book.text(ws, s, 2, deployment_key(result.deployment))
        book.formula(ws, s, 3, f"=B{total}", float(by_period[0]), money)
        book.formula(ws, s, 4, f"={letter(horizon + 3)}{total}", result.total, money)
        book.formula(ws, s, 5, f"=B{npv_row}", result.npv, money)
        book.formula(ws, s, 6, f"=D{s}/{user_years!r}", result.cost_per_user_year, money)
        book.value(ws, s, 7, result.inputs.go_live_days)
        refs[result.bid_id] = (book.ref(TCO, f"$E${s}"), book.ref(TCO, f"$F${s}"))
        # cumulative column
        cumulative = np.asarray(result.cumulative())
        for t in range(horizon + 1):
            c = cumulative_top + 1 + t
            if b == 0:
                book.value(ws, c, 1, t)
            here = f"{period_cols[t]}{total}"
            formula = f"={here}" if t == 0 else f"={letter(2 + b)}{c - 1}+{here}"
            book.formula(ws, c, 2 + b, formula, float(cumulative[t]), money)
        block = npv_row + 3
    crossing = data.tco.crossovers()[["a", "b"]].drop_duplicates()
    book.text(ws, block, 1, _("When each offer is cheaper (cumulative cost; costs can cross more than once)")).font = \
        book.styles.bold
    book.note(ws, block + 1, _("Computed by crmselect from the figures above as delivered; it does not follow edits "
                               "to the discount rate.") if len(crossing) else
              _("No two offers' cumulative costs cross within the horizon."))
    for k, pair in enumerate(crossing.itertuples()):
        book.text(ws, block + 2 + k, 1, periods_text(data.tco, str(pair.a), str(pair.b)))
    eligible = dict(zip(data.scorecard.bid_ids, data.scorecard.eligible, strict=True))
    for b, result in enumerate(results):
        if not eligible.get(result.bid_id, True):  # knocked out: greyed, and left out of the chart
            grey_row(ws, summary_top + 1 + b, 7, book.styles)
    shown = [b for b, result in enumerate(results) if eligible.get(result.bid_id, True)]
    if shown:  # green = cheapest, among the bids still in the running
        _npv_scale(ws, " ".join(f"E{summary_top + 1 + b}" for b in shown))
        card = data.scorecard
        palette = vendor_palette(card.vendor_ids, card.bid_ids)
        looks = [palette.style(result.bid_id) for result in results]
        _line_chart(ws, cumulative_top, horizon + 1, shown, f"{letter(len(results) + 3)}{cumulative_top}", money,
                    looks)
    widths(ws, {"A": 26, "B": 14, "C": 14, "D": 16, "E": 14, "F": 14, "G": 14})
    for t in range(horizon + 2):
        widths(ws, {letter(3 + t): 14})
    fit_rows(ws, [summary_top, cumulative_top])
    ws.freeze_panes = "B4"
    print_setup(ws)
    return refs


def _npv_scale(ws: Worksheet, cells: str) -> None:
    from openpyxl.formatting.rule import ColorScaleRule

    from crmselect.excel.style import BAD, GOOD, MIDDLE

    rule = ColorScaleRule(  # type: ignore[no-untyped-call]
        start_type="min", start_color=GOOD, mid_type="percentile", mid_value=50, mid_color=MIDDLE, end_type="max",
        end_color=BAD)
    ws.conditional_formatting.add(cells, rule)


def write_checks(book: Book, data: ScorecardData, area: str) -> dict[str, str]:
    """The SLA or Contract sheet; returns {bid id: cell counting its findings} for the Summary."""
    from openpyxl.formatting.rule import CellIsRule

    report = data.checks
    sheet = SLA if area == "sla" else CONTRACT
    ws = book.sheet(sheet)
    named = book.title_of(sheet)
    if area == "sla":
        heading = _("{sheet} checks: red flags in the service-level terms, and the lever to negotiate each")
    else:
        heading = _("{sheet} checks: red flags in the contract terms, and the lever to negotiate each")
    title(ws, heading.format(sheet=named), book.styles,
          _("Score 1 = no findings. Severity: high (red), medium (pink), low (yellow). Rule codes are stable "
            "({code} ...); see `crmselect checks`.").format(code="SLA001" if area == "sla" else "CTR001"))
    head = 4
    book.header(ws, head, [_("Bid ID"), _("Bid"), _("High"), _("Medium"), _("Low"), _("Findings"),
                           _("{sheet} score").format(sheet=named)])
    findings = [(b, f) for b in report.bids for f in b.findings if f.area == area]
    top = head + len(report.bids) + 3
    book.header(ws, top, [_("Bid ID"), _("Bid"), _("Code"), _("Severity"), _("Finding"), _("Explanation"),
                          _("Negotiation lever")])
    severity_word = {level: _(level) for level in ("high", "medium", "low")}  # the formulas count these words
    for i, (bid, finding) in enumerate(findings):
        row = top + 1 + i
        for column, text in enumerate((bid.bid, bid.label, finding.code, severity_word[finding.severity.value]),
                                      start=1):
            book.text(ws, row, column, text).alignment = book.styles.top
        words = finding.in_(book.lang)  # title, explanation and lever in the book's language
        for column, text in ((5, words.title), (6, words.explanation), (7, words.lever)):
            book.text(ws, row, column, text).alignment = book.styles.wrap
    last = top + len(findings)
    refs: dict[str, str] = {}
    for b, bid in enumerate(report.bids):
        row = head + 1 + b
        book.text(ws, row, 1, bid.bid)
        book.text(ws, row, 2, bid.label)
        mine = [f for f in bid.findings if f.area == area]
        for offset, severity in enumerate(("high", "medium", "low")):
            count = sum(f.severity.value == severity for f in mine)
            formula = (f'=COUNTIFS($A${top + 1}:$A${last},A{row},$D${top + 1}:$D${last},"{severity_word[severity]}")'
                       if findings else "=0")
            book.formula(ws, row, 3 + offset, formula, count)
        book.formula(ws, row, 6, f"=SUM(C{row}:E{row})", len(mine))
        book.value(ws, row, 7, bid.score(area), "0.00")
        refs[bid.bid] = book.ref(sheet, f"$F${row}")
    if findings:
        for severity, colour in SEVERITY_FILLS.items():
            from openpyxl.styles import PatternFill

            rule = CellIsRule(  # type: ignore[no-untyped-call]
                operator="equal", formula=[f'"{severity_word.get(severity, severity)}"'],
                fill=PatternFill("solid", start_color=colour))
            ws.conditional_formatting.add(f"D{top + 1}:D{last}", rule)
    colour_scale(ws, f"G{head + 1}:G{head + len(report.bids)}")
    widths(ws, {"A": 18, "B": 26, "C": 9, "D": 10, "E": 34, "F": 60, "G": 60})
    fit_rows(ws, [head, top, *range(top + 1, last + 1)])
    ws.freeze_panes = f"C{head + 1}"
    print_setup(ws, title_rows=f"{top}:{top}")
    return refs
