"""The AHP sheets of the goals workbook: one sheet of pairwise judgments per voice, and the combined result.

Excel has no eigen solver.  Each AHP sheet computes the weights as crmselect does, approximately:
the row geometric means start :data:`~crmselect.excel.goals_layout.POWER_STEPS` steps of the power
method (``w <- A w / sum``), and ``lambda_max = sum(A w)``; the consistency ratio is
``(lambda_max - n) / (n - 1) / RI(n)``.  For the matrices of a goal weighting this agrees with the
eigenvector (``crmselect validate``) to well within 0.01 (a property test checks the same steps in
numpy against the eigen solver).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmselect.excel.form_language import decimal_validation, formula_sheet, formula_text, list_validation, print_setup
from crmselect.excel.goals_layout import (
    COMMITTEE,
    FIRST_PAIR,
    MATRIX_COLUMN,
    P_A,
    P_B,
    P_HOW,
    P_MORE,
    P_VALUE,
    PAIR_COLUMNS,
    PAIR_HEADER,
    POWER_STEPS,
    Layout,
    letter,
    translated,
)
from crmselect.excel.safe import put_formula, put_text, put_value
from crmselect.excel.style import Styles, header, mark_input, protect, title, widths
from crmselect.scoring.ahp import RANDOM_INDEX
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.model.goals import Selection


def ahp_block(ws: Worksheet, layout: Layout, styles: Styles, cell_of: dict[tuple[int, int], str]) -> None:
    """The matrix (from ``cell_of[(i, j)]`` formulas), its weights by geometric mean + power steps, and CR."""
    n, top, left = layout.slots, layout.matrix_row, MATRIX_COLUMN
    col = [letter(left + j) for j in range(n)]
    active = [f'{layout.goal_ref(i)}<>""' for i in range(n)]
    put_text(ws, top - 1, left - 1, _("Matrix")).font = styles.bold
    for j in range(n):
        put_formula(ws, top - 1, left + j, f'=IF({active[j]},{layout.goal_ref(j)},"")').font = styles.bold
        put_formula(ws, top + j, left - 1, f'=IF({active[j]},{layout.goal_ref(j)},"")').font = styles.bold
    for i in range(n):
        for j in range(n):
            inner = "1" if i == j else cell_of[(i, j)]
            put_formula(ws, top + i, left + j, f'=IF(AND({active[i]},{active[j]}),{inner},"")').number_format = \
                "0.00"
    row = top + n + 1
    first, last = col[0], col[-1]

    def vector_row(label: str, formula_of: str, at: int) -> None:
        put_text(ws, at, left - 1, label).font = styles.muted
        for j in range(n):
            put_formula(ws, at, left + j, f'=IF({active[j]},{formula_of.format(c=col[j], j=j, r=top + j)},"")'
                        ).number_format = "0.0000"

    vector_row(_("row geometric mean"), "GEOMEAN({first}{r}:{last}{r})".replace("{first}", first).replace(
        "{last}", last), row)
    vector_row(_("start"), f"{{c}}{row}/SUM(${first}${row}:${last}${row})", row + 1)
    previous = row + 1
    for step in range(POWER_STEPS):
        raw_row, norm_row = previous + 1, previous + 2
        vector_row(_("A w, step {step}").format(step=step + 1),
                   f"SUMPRODUCT(${first}{{r}}:${last}{{r}},${first}${previous}:${last}${previous})", raw_row)
        final = step == POWER_STEPS - 1
        vector_row(_("weights") if final else _("normalised"),
                   f"{{c}}{raw_row}/SUM(${first}${raw_row}:${last}${raw_row})", norm_row)
        previous = norm_row
    assert previous == layout.weights_row
    vector_row(_("A w (for lambda max)"),
               f"SUMPRODUCT(${first}{{r}}:${last}{{r}},${first}${previous}:${last}${previous})", previous + 1)
    lam = layout.lambda_row
    count = f'COUNTIF(${first}${top - 1}:${last}${top - 1},"?*")'
    ri = "{" + ",".join(f"{RANDOM_INDEX[k]:g}" for k in range(1, 11)) + "}"
    labels = (_("goals (n)"), _("lambda max"), _("consistency ratio"))
    formulas = (f"={count}", f"=SUM(${first}${previous + 1}:${last}${previous + 1})",
                f'=IF({letter(left)}{lam}<3,0,({letter(left)}{lam + 1}-{letter(left)}{lam})/'
                f'({letter(left)}{lam}-1)/INDEX({ri},MIN({letter(left)}{lam},10)))')
    for k, (label, formula) in enumerate(zip(labels, formulas, strict=True)):
        put_text(ws, lam + k, left - 1, label).font = styles.bold
        put_formula(ws, lam + k, left, formula).number_format = "0.000"
    put_text(ws, layout.weights_row, left - 1, _("weights")).font = styles.bold
    for working in (*range(top + n, layout.weights_row), layout.weights_row + 1):  # the steps: folded away
        ws.row_dimensions[working].outlineLevel = 1
        ws.row_dimensions[working].hidden = True
    for j in range(n):
        ws.column_dimensions[col[j]].width = 17
        ws.cell(row=top - 1, column=left + j).alignment = styles.wrap
    ws.column_dimensions[letter(left - 1)].width = 20
    ws.row_dimensions[top - 1].height = 27


def judgment_sheet(wb: Workbook, layout: Layout, member: str, name: str, selection: Selection,
                   styles: Styles) -> None:
    ws = wb.create_sheet(layout.ahp_sheet(member))
    who = _("the committee, together") if member == COMMITTEE else name
    title(ws, _("AHP judgments of {who}").format(who=who), styles,
          _("For each pair, choose the goal that matters more and how much more (1 = equal, 3 = moderately, "
            "5 = strongly, 7 = very strongly, 9 = extremely). Leave the whole sheet blank to take no part."))
    header(ws, PAIR_HEADER, translated(PAIR_COLUMNS), styles)
    given = {frozenset((a, b)): (a, b, v) for a, b, v in selection.judgments.get(member, ())}
    ids = selection.goal_ids
    how = decimal_validation(1, 9, _("1 = equally important ... 9 = extremely more important."))
    ws.add_data_validation(how)
    pick = list_validation(("x",), _("Choose the goal that matters more (either, when they matter equally)."))
    pick.formula1 = f"${letter(P_A)}{FIRST_PAIR}:${letter(P_B)}{FIRST_PAIR}"
    pick.error = _("Choose one of the two goals of the pair.")
    ws.add_data_validation(pick)
    position: dict[tuple[int, int], str] = {}
    for k, (i, j) in enumerate(layout.pairs):
        row = FIRST_PAIR + k
        a_cell, b_cell = f"{letter(P_A)}{row}", f"{letter(P_B)}{row}"
        both = f'OR({layout.goal_ref(i)}="",{layout.goal_ref(j)}="")'  # a pair with an empty slot shows nothing
        put_formula(ws, row, P_A, f'=IF({both},"",{layout.goal_ref(i)})')
        put_formula(ws, row, P_B, f'=IF({both},"",{layout.goal_ref(j)})')
        more, value = ws.cell(row=row, column=P_MORE), ws.cell(row=row, column=P_HOW)
        mark_input(more, styles)
        mark_input(value, styles)
        pick.add(more.coordinate)
        how.add(value.coordinate)
        if i < len(ids) and j < len(ids) and frozenset((ids[i], ids[j])) in given:
            first, second, amount = given[frozenset((ids[i], ids[j]))]
            put_text(ws, row, P_MORE, first if amount >= 1 else second)
            put_value(ws, row, P_HOW, round(amount if amount >= 1 else 1 / amount, 6))
        put_formula(ws, row, P_VALUE, f'=IF(OR({a_cell}="",{b_cell}="",C{row}="",D{row}=""),"",'
                                      f'IF(C{row}={a_cell},D{row},IF(C{row}={b_cell},1/D{row},"?")))'
                    ).number_format = "0.000"
        position[(i, j)] = f'IF(ISNUMBER($E${row}),$E${row},NA())'  # unjudged: the weights wait for it
        position[(j, i)] = f'IF(ISNUMBER($E${row}),1/$E${row},NA())'
    ahp_block(ws, layout, styles, position)
    put_text(ws, 2 + 1, MATRIX_COLUMN - 1, _("Judged pairs")).font = styles.bold
    put_formula(ws, 3, MATRIX_COLUMN, f"=COUNTA(C{FIRST_PAIR}:C{FIRST_PAIR + len(layout.pairs) - 1})")
    widths(ws, {"A": 24, "B": 24, "C": 24, "D": 16, "E": 10, "F": 3, "G": 20})
    ws.freeze_panes = f"A{FIRST_PAIR}"
    print_setup(ws)
    protect(ws)


def result_sheet(wb: Workbook, layout: Layout, styles: Styles) -> None:
    ws = wb.create_sheet(layout.sheet("result"))
    title(ws, _("AHP result: the committee's judgments combined"), styles,
          _("Each AHP sheet with judgments is one voice; the combined matrix is their element-wise geometric mean "
            "(Aczel & Saaty 1983). Computed; nothing to fill in here."))
    sheets = [formula_sheet(layout.ahp_sheet(m)) for m in layout.members]
    voices = "+".join(f"({s}!$H$3>0)" for s in sheets)
    put_text(ws, 3, MATRIX_COLUMN - 1, _("Sheets taking part")).font = styles.bold
    put_formula(ws, 3, MATRIX_COLUMN, f"={voices}")
    cell_of: dict[tuple[int, int], str] = {}
    for i in range(layout.slots):
        for j in range(layout.slots):
            if i != j:
                target = f"{letter(MATRIX_COLUMN + j)}{layout.matrix_row + i}"
                logs = "+".join(f"IF({s}!$H$3>0,LN({s}!{target}),0)" for s in sheets)
                cell_of[(i, j)] = f"IF($H$3=0,NA(),EXP(({logs})/$H$3))"
    ahp_block(ws, layout, styles, cell_of)
    header(ws, PAIR_HEADER, (_("Goal"), _("Weight")), styles)
    incomplete = formula_text(_("incomplete"))
    for k in range(layout.slots):
        goal = layout.goal_ref(k)
        put_formula(ws, FIRST_PAIR + k, 1, f'=IF({goal}="","",{goal})')
        put_formula(ws, FIRST_PAIR + k, 2, f'=IF({goal}="","",IFERROR({letter(MATRIX_COLUMN + k)}'
                    f'{layout.weights_row},{incomplete}))').number_format = "0.0%"
    below = FIRST_PAIR + layout.slots + 1
    put_text(ws, below, 1, _("Consistency ratio")).font = styles.bold
    put_formula(ws, below, 2, f'=IFERROR({letter(MATRIX_COLUMN)}{layout.lambda_row + 2},{incomplete})'
                ).number_format = "0.000"
    put_text(ws, below + 1, 1, _("The matrix and its working are below.")).font = styles.muted
    widths(ws, {"A": 24, "B": 12, "G": 20})
    print_setup(ws)
    protect(ws)


__all__ = ["ahp_block", "judgment_sheet", "result_sheet"]
