"""The Instructions sheet of the goals workbook, in the current language (what to fill in, and how each
weighting method works, named as the workbook's drop-down names it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmselect.excel.form_language import fit_rows, print_setup
from crmselect.excel.goals_layout import COMMITTEE, METHOD_CELL, POWER_STEPS, Layout, method_label
from crmselect.excel.safe import put_text, put_value
from crmselect.excel.style import Styles, protect, title, widths
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from crmselect.model.project import Project


def instructions(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = layout.sheet("instructions")
    selection = project.selection
    title(ws, _("Goals workbook: {selection}").format(selection=selection.name), styles,
          _("{company}. Goals carry the weight; criteria earn weight only through the goals they serve.").format(
              company=selection.company))
    steps = [
        _("{sheet} sheet: name up to {count} business goals (an ID of letters, digits, _ or -, and a name).").format(
            sheet=layout.sheet("goals"), count=layout.slots),
        _("{sheet} sheet: up to three KPIs per goal: the measure, its unit, today's baseline, the target, and what "
          "one unit of improvement is worth a year in {currency}.").format(sheet=layout.sheet("kpis"),
                                                                             currency=selection.currency),
        _("Choose the weighting method in {cell} and fill in its column; the others are ignored:").format(
            cell=f"{layout.sheet('goals')}!{METHOD_CELL}"),
        "  " + _("{method}: any numbers (say, 100 points shared out); each goal's weight is its share.").format(
            method=method_label("points")),
        "  " + _("{method}: rank the goals 1, 2, 3 ... (equal ranks tie); the weights are the rank order centroid "
                 "(Barron & Barrett 1996): for 5 goals 46 %, 26 %, 16 %, 9 %, 4 %.").format(
            method=method_label("rank_order")),
        "  " + _("{method}: imagine every goal at its baseline; the goal whose move to target matters most gets "
                 "100, the others 0-100 by how much their move is worth against it.").format(
            method=method_label("swing")),
        "  " + _("{method}: on the AHP sheets, compare every pair of goals on Saaty's 1-9 scale. Use '{committee}' "
                 "for judgments made together, or each member's own sheet (group AHP: the geometric mean of every "
                 "sheet filled in). A consistency ratio above 0.10 means the judgments contradict each other."
                 ).format(method=method_label("ahp"), committee=layout.ahp_sheet(COMMITTEE)),
        _("{sheet} sheet: give each criterion points for the goals it serves (1-5); blank means not linked.").format(
            sheet=layout.sheet("links")),
        _("The live weights and consistency ratio in this workbook use a stated approximation (geometric mean plus "
          "{steps} power-method steps); crmselect validate reports the exact eigenvector values.").format(
            steps=POWER_STEPS),
        _("Bring it back with: crmselect --member ID import-goals DIR --from goals.xlsx. Every problem is reported "
          "by sheet and cell, and nothing is written until the whole workbook is clean."),
        _("Do not add, delete, move or rename rows, columns or sheets, and do not type formulas."),
    ]
    put_text(ws, 4, 1, _("How to fill it in")).font = styles.bold
    for number, step in enumerate(steps, start=1):
        put_value(ws, 4 + number, 1, number).alignment = styles.top
        put_text(ws, 4 + number, 2, step).alignment = styles.wrap
    widths(ws, {"A": 6, "B": 110})
    fit_rows(ws, range(4, 5 + len(steps)))
    print_setup(ws, landscape=False)
    protect(ws)


__all__ = ["instructions"]
