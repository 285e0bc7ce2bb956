"""The goals workbook: the committee names its goals and KPIs, weighs them, and links criteria to them.

``export_goals_workbook(project, path)`` writes it; :mod:`crmselect.excel.goals_import` reads it back.
The sheets (the import relies on the layout, and checks it):

- ``Instructions``: what to fill in, and how each weighting method works;
- ``Goals``: the weighting method (B4, a drop-down), the live consistency ratio (B5), and one row
  per goal slot from row 8: ID, name, description, then the method inputs Points, Rank (1 = most
  important; equal ranks tie) and Swing (0-100, the most valued at 100), and the live weight;
- ``KPIs``: three rows per goal slot: KPI, unit, baseline, target, value of one unit a year;
- ``Links``: the catalogue by category, one points column per goal slot (blank or 0: not linked),
  with "unlinked" shown for criteria that serve no goal, and a filter;
- ``AHP committee`` and ``AHP <member>`` (one per committee member): every pair of goal slots once,
  "which matters more" (a drop-down of the pair) and "how much more" (1-9).  A sheet left blank is
  not counted; each filled-in sheet is one voice of group AHP;
- ``AHP result``: the element-wise geometric mean of the filled-in sheets' matrices, its weights
  and consistency ratio;
- ``_crmselect`` (very hidden): kind, version, the slots, the member of each AHP sheet, the criteria,
  and a digest of the goals as exported (the import refuses, without ``--force``, a workbook whose
  goals were edited in the file meanwhile).

Excel has no eigen solver.  Each AHP sheet computes the weights as crmselect does, approximately:
the row geometric means start :data:`POWER_STEPS` steps of the power method (``w <- A w / sum``),
and ``lambda_max = sum(A w)``; the consistency ratio is ``(lambda_max - n) / (n - 1) / RI(n)``.  For
the matrices of a goal weighting this agrees with the eigenvector (``crmselect validate``) to well
within 0.01 (a property test checks the same steps in numpy against the eigen solver).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.excel.safe import put_formula, put_text, put_value
from crmselect.excel.style import (
    Styles,
    decimal_validation,
    fit_rows,
    header,
    list_validation,
    lock_structure,
    mark_input,
    print_setup,
    protect,
    title,
    widths,
    write_meta,
)
from crmselect.files.safe_write import write_atomic
from crmselect.model.weighting import COMMITTEE_AS_ONE, METHOD_LABELS, WeightingMethod
from crmselect.scoring.ahp import RANDOM_INDEX

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.model.goals import Selection
    from crmselect.model.project import Project

KIND = "crmselect goals workbook"
VERSION = 1
INSTRUCTIONS, GOALS, KPIS, LINKS, RESULT = "Instructions", "Goals", "KPIs", "Links", "AHP result"
COMMITTEE = COMMITTEE_AS_ONE  # the AHP sheet for judgments the committee makes together
METHOD_CELL, CR_CELL = "B4", "B5"
GOALS_HEADER, FIRST_GOAL = 7, 8
GOAL_COLUMNS = ("Goal ID", "Goal", "Description", "Points", "Rank (1 = most important)", "Swing (0-100)",
                "Weight (live)", "Criteria linked")
G_ID, G_NAME, G_DESCRIPTION, G_POINTS, G_RANK, G_SWING, G_WEIGHT, G_LINKED = range(1, 9)
KPI_HEADER = 4
KPI_COLUMNS = ("Goal ID", "KPI", "Measure", "Unit", "Baseline", "Target", "Value of one unit a year",
               "Benefit a year at target")
K_GOAL, K_NUMBER, K_NAME, K_UNIT, K_BASELINE, K_TARGET, K_VALUE, K_BENEFIT = range(1, 9)
KPIS_PER_GOAL = 3
LINKS_HEADER = 4
LINK_FIXED = ("ID", "Category", "Criterion", "Description")
L_FIRST_GOAL = len(LINK_FIXED) + 1
PAIR_HEADER, FIRST_PAIR = 4, 5
PAIR_COLUMNS = ("Goal", "versus", "Which matters more", "How much more (1 = equal, 9 = extremely)", "Judgment")
P_A, P_B, P_MORE, P_HOW, P_VALUE = range(1, 6)
MATRIX_COLUMN = 8  # H: the matrix and the power-method rows of an AHP sheet
POWER_STEPS = 24
MIN_SLOTS = 8
METHODS = tuple(m.value for m in WeightingMethod)


def letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def goals_digest(selection: Selection) -> str:
    """A digest of what the goals workbook edits: the goals (with KPIs and links) and the weighting inputs."""
    data = {
        "goals": [g.model_dump(mode="json") for g in selection.goals],
        "weighting": selection.weighting.value,
        "ranking": [r if isinstance(r, str) else list(r) for r in selection.ranking],
        "swing": dict(selection.swing),
        "judgments": {m: [list(j) for j in js] for m, js in selection.judgments.items()},
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def ahp_sheet_name(member: str) -> str:
    return f"AHP {member}"[:31]


@dataclass(frozen=True)
class Layout:
    """Where things are: the goal slots and, per AHP sheet, its member and the matrix rows."""

    slots: int
    members: tuple[str, ...]  # COMMITTEE first, then the committee's members

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """Every pair of slots once, those of the first goals first: (0, 1), (0, 2), (1, 2), (0, 3) ...

        So the pairs of the goals named come first, together, and empty slots' pairs follow below.
        """
        return [(i, j) for j in range(1, self.slots) for i in range(j)]

    def goal_ref(self, slot: int, absolute: bool = True) -> str:
        return f"{GOALS}!$A${FIRST_GOAL + slot}" if absolute else f"{GOALS}!A{FIRST_GOAL + slot}"

    @property
    def matrix_row(self) -> int:
        """Every AHP sheet's matrix starts here, below the longest list of pairs, so its working rows can fold away."""
        return FIRST_PAIR + len(self.pairs) + 3

    @property
    def weights_row(self) -> int:
        """The row holding the final weights of an AHP sheet's matrix."""
        return self.matrix_row + self.slots + 2 + 2 * POWER_STEPS

    @property
    def lambda_row(self) -> int:
        return self.weights_row + 2


# ---------------------------------------------------------------------------- the AHP maths in cells
def _ahp_block(ws: Worksheet, layout: Layout, styles: Styles, cell_of: dict[tuple[int, int], str]) -> None:
    """The matrix (from ``cell_of[(i, j)]`` formulas), its weights by geometric mean + power steps, and CR."""
    n, top, left = layout.slots, layout.matrix_row, MATRIX_COLUMN
    col = [letter(left + j) for j in range(n)]
    active = [f'{layout.goal_ref(i)}<>""' for i in range(n)]
    put_text(ws, top - 1, left - 1, "Matrix").font = styles.bold
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

    vector_row("row geometric mean", "GEOMEAN({first}{r}:{last}{r})".replace("{first}", first).replace(
        "{last}", last), row)
    vector_row("start", f"{{c}}{row}/SUM(${first}${row}:${last}${row})", row + 1)
    previous = row + 1
    for step in range(POWER_STEPS):
        raw_row, norm_row = previous + 1, previous + 2
        vector_row(f"A w, step {step + 1}",
                   f"SUMPRODUCT(${first}{{r}}:${last}{{r}},${first}${previous}:${last}${previous})", raw_row)
        final = step == POWER_STEPS - 1
        vector_row("weights" if final else "w", f"{{c}}{raw_row}/SUM(${first}${raw_row}:${last}${raw_row})",
                   norm_row)
        previous = norm_row
    assert previous == layout.weights_row
    vector_row("A w (for lambda max)",
               f"SUMPRODUCT(${first}{{r}}:${last}{{r}},${first}${previous}:${last}${previous})", previous + 1)
    lam = layout.lambda_row
    count = f'COUNTIF(${first}${top - 1}:${last}${top - 1},"?*")'
    ri = "{" + ",".join(f"{RANDOM_INDEX[k]:g}" for k in range(1, 11)) + "}"
    labels = ("goals (n)", "lambda max", "consistency ratio")
    formulas = (f"={count}", f"=SUM(${first}${previous + 1}:${last}${previous + 1})",
                f'=IF({letter(left)}{lam}<3,0,({letter(left)}{lam + 1}-{letter(left)}{lam})/'
                f'({letter(left)}{lam}-1)/INDEX({ri},MIN({letter(left)}{lam},10)))')
    for k, (label, formula) in enumerate(zip(labels, formulas, strict=True)):
        put_text(ws, lam + k, left - 1, label).font = styles.bold
        put_formula(ws, lam + k, left, formula).number_format = "0.000"
    put_text(ws, layout.weights_row, left - 1, "weights").font = styles.bold
    for working in (*range(top + n, layout.weights_row), layout.weights_row + 1):  # the steps: folded away
        ws.row_dimensions[working].outlineLevel = 1
        ws.row_dimensions[working].hidden = True
    for j in range(n):
        ws.column_dimensions[col[j]].width = 17
        ws.cell(row=top - 1, column=left + j).alignment = styles.wrap
    ws.column_dimensions[letter(left - 1)].width = 20
    ws.row_dimensions[top - 1].height = 27


def _judgment_sheet(wb: Workbook, layout: Layout, member: str, name: str, selection: Selection,
                    styles: Styles) -> None:
    ws = wb.create_sheet(ahp_sheet_name(member))
    who = "the committee, together" if member == COMMITTEE else name
    title(ws, f"AHP judgments of {who}", styles,
          "For each pair, choose the goal that matters more and how much more (1 = equal, 3 = moderately, "
          "5 = strongly, 7 = very strongly, 9 = extremely). Leave the whole sheet blank to take no part.")
    header(ws, PAIR_HEADER, PAIR_COLUMNS, styles)
    given = {frozenset((a, b)): (a, b, v) for a, b, v in selection.judgments.get(member, ())}
    ids = selection.goal_ids
    how = decimal_validation(1, 9, "1 = equally important ... 9 = extremely more important.")
    ws.add_data_validation(how)
    pick = list_validation("x", "Choose the goal that matters more (either, when they matter equally).")
    pick.formula1 = f"${letter(P_A)}{FIRST_PAIR}:${letter(P_B)}{FIRST_PAIR}"
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
    _ahp_block(ws, layout, styles, position)
    put_text(ws, 2 + 1, MATRIX_COLUMN - 1, "Judged pairs").font = styles.bold
    put_formula(ws, 3, MATRIX_COLUMN, f"=COUNTA(C{FIRST_PAIR}:C{FIRST_PAIR + len(layout.pairs) - 1})")
    widths(ws, {"A": 24, "B": 24, "C": 24, "D": 16, "E": 10, "F": 3, "G": 20})
    ws.freeze_panes = f"A{FIRST_PAIR}"
    print_setup(ws)
    protect(ws)


def _result_sheet(wb: Workbook, layout: Layout, styles: Styles) -> None:
    ws = wb.create_sheet(RESULT)
    title(ws, "AHP result: the committee's judgments combined", styles,
          "Each AHP sheet with judgments is one voice; the combined matrix is their element-wise geometric mean "
          "(Aczel & Saaty 1983). Computed; nothing to fill in here.")
    sheets = [ahp_sheet_name(m) for m in layout.members]
    voices = "+".join(f"('{s}'!$H$3>0)" for s in sheets)
    put_text(ws, 3, MATRIX_COLUMN - 1, "Sheets taking part").font = styles.bold
    put_formula(ws, 3, MATRIX_COLUMN, f"={voices}")
    cell_of: dict[tuple[int, int], str] = {}
    for i in range(layout.slots):
        for j in range(layout.slots):
            if i != j:
                target = f"{letter(MATRIX_COLUMN + j)}{layout.matrix_row + i}"
                logs = "+".join(f"IF('{s}'!$H$3>0,LN('{s}'!{target}),0)" for s in sheets)
                cell_of[(i, j)] = f"IF($H$3=0,NA(),EXP(({logs})/$H$3))"
    _ahp_block(ws, layout, styles, cell_of)
    header(ws, PAIR_HEADER, ("Goal", "Weight"), styles)
    for k in range(layout.slots):
        goal = layout.goal_ref(k)
        put_formula(ws, FIRST_PAIR + k, 1, f'=IF({goal}="","",{goal})')
        put_formula(ws, FIRST_PAIR + k, 2, f'=IF({goal}="","",IFERROR({letter(MATRIX_COLUMN + k)}'
                    f'{layout.weights_row},"incomplete"))').number_format = "0.0%"
    below = FIRST_PAIR + layout.slots + 1
    put_text(ws, below, 1, "Consistency ratio").font = styles.bold
    put_formula(ws, below, 2, f'=IFERROR({letter(MATRIX_COLUMN)}{layout.lambda_row + 2},"incomplete")'
                ).number_format = "0.000"
    put_text(ws, below + 1, 1, "The matrix and its working are below.").font = styles.muted
    widths(ws, {"A": 24, "B": 12, "G": 20})
    print_setup(ws)
    protect(ws)


# ---------------------------------------------------------------------------- the other sheets
def _goals_sheet(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> None:
    selection = project.selection
    ws = wb.create_sheet(GOALS)
    title(ws, f"Goals and weights: {selection.name}", styles,
          f"{selection.company}. Fill in the yellow cells; the weights follow the method chosen in B4.")
    put_text(ws, 4, 1, "Weighting method").font = styles.bold
    method = put_text(ws, 4, 2, selection.weighting.value)
    mark_input(method, styles)
    choose = list_validation(",".join(METHODS), "points, rank_order (ROC), swing or ahp (see Instructions).",
                             "Weighting method")
    ws.add_data_validation(choose)
    choose.add(METHOD_CELL)
    put_text(ws, 4, 3, "; ".join(f"{m.value} = {METHOD_LABELS[m]}" for m in WeightingMethod)).font = styles.muted
    put_text(ws, 5, 1, "Consistency ratio (AHP)").font = styles.bold
    cr = f"'{RESULT}'!${letter(MATRIX_COLUMN)}${layout.lambda_row + 2}"
    put_formula(ws, 5, 2, f'=IF($B$4<>"ahp","",IFERROR({cr},"fill in every pair"))').number_format = "0.000"
    put_text(ws, 5, 3, "Above 0.10 the judgments contradict each other: revisit them (crmselect validate names "
             "the pairs).").font = styles.muted
    header(ws, GOALS_HEADER, GOAL_COLUMNS, styles)
    last = FIRST_GOAL + layout.slots - 1
    ids = f"$A${FIRST_GOAL}:$A${last}"
    ranks = f"$E${FIRST_GOAL}:$E${last}"
    points = decimal_validation(0, 1_000_000, "Points for this goal (weighting: points); weights are normalised.")
    rank = decimal_validation(1, layout.slots, "1 = most important; give equal ranks to tie (weighting: rank_order).")
    swing = decimal_validation(0, 100, "Swing from worst to best: the most valued at 100 (weighting: swing).")
    for dv in (points, rank, swing):
        ws.add_data_validation(dv)
    roc_k, roc = letter(G_LINKED + 3), letter(G_LINKED + 4)  # the rank order centroid by position, off to the side
    put_text(ws, GOALS_HEADER, G_LINKED + 3, "position").font = styles.muted
    put_text(ws, GOALS_HEADER, G_LINKED + 4, "ROC").font = styles.muted
    n_ranked = f"COUNT({ranks})"
    for k in range(layout.slots):
        row = FIRST_GOAL + k
        put_value(ws, row, G_LINKED + 3, k + 1).font = styles.muted
        put_formula(ws, row, G_LINKED + 4, f"=IF({roc_k}{row}>{n_ranked},0,SUMPRODUCT(({roc_k}${FIRST_GOAL}:"
                    f"{roc_k}${last}>={roc_k}{row})*({roc_k}${FIRST_GOAL}:{roc_k}${last}<={n_ranked})/{roc_k}$"
                    f"{FIRST_GOAL}:{roc_k}${last})/{n_ranked})").font = styles.muted
    goals = selection.goals
    for k in range(layout.slots):
        row = FIRST_GOAL + k
        goal = goals[k] if k < len(goals) else None
        for column in (G_ID, G_NAME, G_DESCRIPTION, G_POINTS, G_RANK, G_SWING):
            cell = ws.cell(row=row, column=column)
            mark_input(cell, styles)
            cell.alignment = styles.wrap
        points.add(f"D{row}")
        rank.add(f"E{row}")
        swing.add(f"F{row}")
        if goal is not None:
            put_text(ws, row, G_ID, goal.id)
            put_text(ws, row, G_NAME, goal.name)
            if goal.description:
                put_text(ws, row, G_DESCRIPTION, goal.description)
            put_value(ws, row, G_POINTS, goal.weight)
            put_value(ws, row, G_RANK, _rank_of(selection, goal.id))
            put_value(ws, row, G_SWING, selection.swing.get(goal.id))
        start, size = f'COUNTIF({ranks},"<"&E{row})+1', f"COUNTIF({ranks},E{row})"
        roc_weight = (f"SUMPRODUCT(({roc_k}${FIRST_GOAL}:{roc_k}${last}>={start})*({roc_k}${FIRST_GOAL}:{roc_k}${last}"
                      f"<{start}+{size})*{roc}${FIRST_GOAL}:{roc}${last})/{size}")
        ahp_weight = f"INDEX('{RESULT}'!${letter(MATRIX_COLUMN)}${layout.weights_row}:" \
                     f"${letter(MATRIX_COLUMN + layout.slots - 1)}${layout.weights_row},{k + 1})"
        put_formula(ws, row, G_WEIGHT, f'=IF(A{row}="","",IFERROR(CHOOSE(MATCH($B$4,{{"points","rank_order",'
                    f'"swing","ahp"}},0),D{row}/SUMIF({ids},"?*",$D${FIRST_GOAL}:$D${last}),{roc_weight},'
                    f'F{row}/SUMIF({ids},"?*",$F${FIRST_GOAL}:$F${last}),{ahp_weight}),"incomplete"))'
                    ).number_format = "0.0%"
        links_column = letter(L_FIRST_GOAL + k)
        put_formula(ws, row, G_LINKED, f'=IF(A{row}="","",COUNTIF({LINKS}!{links_column}:{links_column},">0"))')
    total = last + 1
    put_text(ws, total, G_NAME, "Total").font = styles.bold
    put_formula(ws, total, G_WEIGHT, f"=SUM(G{FIRST_GOAL}:G{last})").number_format = "0.0%"
    widths(ws, {"A": 22, "B": 34, "C": 50, "D": 9, "E": 12, "F": 10, "G": 11, "H": 10, "K": 8, "L": 8})
    for helper in (roc_k, roc):  # the rank order centroid by position: working, not for reading
        ws.column_dimensions[helper].hidden = True
    for row in range(FIRST_GOAL, total + 1):
        for column in (G_WEIGHT, G_LINKED):
            ws.cell(row=row, column=column).alignment = styles.top
    ws.print_area = f"A1:{letter(G_LINKED)}{total}"
    fit_rows(ws, range(GOALS_HEADER, total + 1))
    ws.freeze_panes = f"C{FIRST_GOAL}"
    print_setup(ws)
    protect(ws)


def _rank_of(selection: Selection, goal_id: str) -> int | None:
    for place, item in enumerate(selection.ranking, start=1):
        if goal_id == item or (not isinstance(item, str) and goal_id in item):
            return place
    return None


def _kpi_sheet(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> None:
    selection = project.selection
    ws = wb.create_sheet(KPIS)
    title(ws, "KPIs: up to three per goal", styles,
          f"Today's baseline, the target, and what one unit of improvement is worth a year in "
          f"{selection.currency}. Leave a row blank when the goal has fewer KPIs.")
    header(ws, KPI_HEADER, KPI_COLUMNS, styles)
    number = decimal_validation(None, None, "A number in the KPI's unit.")
    value = decimal_validation(0, None, f"What one unit of improvement is worth a year, in {selection.currency}.")
    ws.add_data_validation(number)
    ws.add_data_validation(value)
    row = KPI_HEADER
    for k in range(layout.slots):
        goal = selection.goals[k] if k < len(selection.goals) else None
        for m in range(KPIS_PER_GOAL):
            row += 1
            put_formula(ws, row, K_GOAL, f'=IF({layout.goal_ref(k)}="","",{layout.goal_ref(k)})').font = styles.bold
            put_value(ws, row, K_NUMBER, m + 1)
            for column in (K_NAME, K_UNIT, K_BASELINE, K_TARGET, K_VALUE):
                cell = ws.cell(row=row, column=column)
                mark_input(cell, styles)
                cell.alignment = styles.wrap
            number.add(f"E{row}:F{row}")
            value.add(f"G{row}")
            put_formula(ws, row, K_BENEFIT, f'=IF(C{row}="","",ABS(F{row}-E{row})*G{row})').number_format = "#,##0"
            for column in (K_GOAL, K_NUMBER, K_BENEFIT):
                ws.cell(row=row, column=column).alignment = styles.top
            ws.cell(row=row, column=K_VALUE).number_format = "#,##0.##"
            if goal is not None and m < len(goal.kpis):
                kpi = goal.kpis[m]
                put_text(ws, row, K_NAME, kpi.name)
                put_text(ws, row, K_UNIT, kpi.unit)
                put_value(ws, row, K_BASELINE, kpi.baseline)
                put_value(ws, row, K_TARGET, kpi.target)
                put_value(ws, row, K_VALUE, kpi.value_per_unit)
    widths(ws, {"A": 22, "B": 5, "C": 48, "D": 24, "E": 10, "F": 10, "G": 14, "H": 14})
    fit_rows(ws, range(KPI_HEADER, row + 1))
    ws.freeze_panes = f"C{KPI_HEADER + 1}"
    print_setup(ws)
    protect(ws)


def _links_sheet(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> list[str]:
    selection = project.selection
    ws = wb.create_sheet(LINKS)
    title(ws, "Links: which criteria serve which goal, with points", styles,
          "Points 1-5 (5 = essential to the goal); blank or 0 = not linked. A criterion that serves no goal "
          "weighs nothing. Use the filter to show one category or the unlinked criteria.")
    last_goal = L_FIRST_GOAL + layout.slots - 1
    header(ws, LINKS_HEADER, (*LINK_FIXED, *([""] * layout.slots), "Goals served", "Status"), styles)
    for k in range(layout.slots):
        put_formula(ws, LINKS_HEADER, L_FIRST_GOAL + k, f'=IF({layout.goal_ref(k)}="","(slot {k + 1})",'
                    f'{layout.goal_ref(k)})')
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).font = styles.header_font
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).fill = styles.header_fill
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).alignment = styles.wrap
    points = decimal_validation(0, 1000, "Points 1-5 (5 = essential to this goal); blank or 0 = not linked.")
    ws.add_data_validation(points)
    categories = {cat.id: cat.name for cat in project.categories}
    order = {cat.id: i for i, cat in enumerate(project.categories)}
    criteria = sorted(project.criteria, key=lambda c: order.get(c.category or "", len(order)))
    row, current, asked = LINKS_HEADER, None, []
    first_letter, last_letter = letter(L_FIRST_GOAL), letter(last_goal)
    for criterion in criteria:
        if criterion.category != current:
            current = criterion.category
            row += 1
            put_text(ws, row, 2, categories.get(current or "", current or "Other")).font = styles.bold
            for column in range(1, last_goal + 3):
                ws.cell(row=row, column=column).fill = styles.band_fill
        row += 1
        asked.append(criterion.id)
        put_text(ws, row, 1, criterion.id)
        put_text(ws, row, 2, categories.get(criterion.category or "", criterion.category or ""))
        put_text(ws, row, 3, criterion.name).font = styles.bold
        put_text(ws, row, 4, criterion.description)
        for column in range(1, 5):
            ws.cell(row=row, column=column).alignment = styles.wrap
        for k in range(layout.slots):
            cell = ws.cell(row=row, column=L_FIRST_GOAL + k)
            mark_input(cell, styles)
            cell.alignment = styles.center
            if k < len(selection.goals):
                put_value(ws, row, L_FIRST_GOAL + k, selection.goals[k].criteria.get(criterion.id))
        points.add(f"{first_letter}{row}:{last_letter}{row}")
        put_formula(ws, row, last_goal + 1, f'=COUNTIF({first_letter}{row}:{last_letter}{row},">0")')
        put_formula(ws, row, last_goal + 2, f'=IF({letter(last_goal + 1)}{row}=0,"unlinked","")')
    from openpyxl.formatting.rule import FormulaRule

    status = letter(last_goal + 2)
    ws.conditional_formatting.add(f"{status}{LINKS_HEADER + 1}:{status}{row}",
                                  FormulaRule(  # type: ignore[no-untyped-call]
                                      formula=[f'{status}{LINKS_HEADER + 1}="unlinked"'],
                                              fill=styles.fills.get("medium"), font=styles.muted))
    widths(ws, {"A": 11, "B": 18, "C": 30, "D": 50, **{letter(L_FIRST_GOAL + k): 11 for k in range(layout.slots)},
                letter(last_goal + 1): 9, status: 10})
    fit_rows(ws, range(LINKS_HEADER, row + 1))
    ws.freeze_panes = ws.cell(row=LINKS_HEADER + 1, column=L_FIRST_GOAL)
    ws.auto_filter.ref = f"A{LINKS_HEADER}:{status}{row}"
    print_setup(ws, title_rows=f"{LINKS_HEADER}:{LINKS_HEADER}")
    protect(ws)
    ws.protection.autoFilter = False
    ws.protection.sort = True
    return asked


def _instructions(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = INSTRUCTIONS
    selection = project.selection
    title(ws, f"Goals workbook: {selection.name}", styles, f"{selection.company}. Goals carry the weight; "
          "criteria earn weight only through the goals they serve.")
    steps = [
        f"Goals sheet: name up to {layout.slots} business goals (an ID of letters, digits, _ or -, and a name).",
        "KPIs sheet: up to three KPIs per goal: the measure, its unit, today's baseline, the target, and what one "
        f"unit of improvement is worth a year in {selection.currency}.",
        "Choose the weighting method in Goals!B4 and fill in its column; the others are ignored:",
        "  points: any numbers (say, 100 points shared out); each goal's weight is its share.",
        "  rank_order: rank the goals 1, 2, 3 ... (equal ranks tie); the weights are the rank order centroid "
        "(Barron & Barrett 1996): for 5 goals 46 %, 26 %, 16 %, 9 %, 4 %.",
        "  swing: imagine every goal at its baseline; the goal whose move to target matters most gets 100, the "
        "others 0-100 by how much their move is worth against it.",
        "  ahp: on the AHP sheets, compare every pair of goals on Saaty's 1-9 scale. Use 'AHP committee' for "
        "judgments made together, or each member's own sheet (group AHP: the geometric mean of every sheet "
        "filled in). A consistency ratio above 0.10 means the judgments contradict each other.",
        "Links sheet: give each criterion points for the goals it serves (1-5); blank means not linked.",
        "The live weights and consistency ratio in this workbook use a stated approximation (geometric mean plus "
        f"{POWER_STEPS} power-method steps); crmselect validate reports the exact eigenvector values.",
        "Bring it back with: crmselect --member ID import-goals DIR --from goals.xlsx. Every problem is reported "
        "by sheet and cell, and nothing is written until the whole workbook is clean.",
        "Do not add, delete, move or rename rows, columns or sheets, and do not type formulas.",
    ]
    put_text(ws, 4, 1, "How to fill it in").font = styles.bold
    for number, step in enumerate(steps, start=1):
        put_value(ws, 4 + number, 1, number).alignment = styles.top
        put_text(ws, 4 + number, 2, step).alignment = styles.wrap
    widths(ws, {"A": 6, "B": 110})
    fit_rows(ws, range(4, 5 + len(steps)))
    print_setup(ws, landscape=False)
    protect(ws)


def build_goals_workbook(project: Project) -> Workbook:
    """The goals workbook of ``project`` (its goals, KPIs, weighting inputs and links filled in)."""
    from openpyxl import Workbook

    selection = project.selection
    members = project.committee.members
    layout = Layout(slots=max(MIN_SLOTS, len(selection.goals) + 3),
                    members=(COMMITTEE, *(m.id for m in members)))
    wb = Workbook()
    styles = Styles()
    _instructions(wb, project, layout, styles)
    _goals_sheet(wb, project, layout, styles)
    _kpi_sheet(wb, project, layout, styles)
    asked = _links_sheet(wb, project, layout, styles)
    names = {m.id: m.name for m in members}
    for member in layout.members:
        _judgment_sheet(wb, layout, member, names.get(member, member), selection, styles)
    _result_sheet(wb, layout, styles)
    wb.active = wb.sheetnames.index(GOALS)
    meta: list[tuple[str, object, object]] = [
        ("kind", KIND, None), ("version", VERSION, None), ("selection", selection.name, None),
        ("slots", layout.slots, None), ("goals_digest", goals_digest(selection), None),
        ("exported_at", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), None),
    ]
    meta += [("goal", goal.id, k) for k, goal in enumerate(selection.goals)]
    meta += [("ahp_sheet", ahp_sheet_name(m), m) for m in layout.members]
    meta += [("criterion", cid, None) for cid in asked]
    write_meta(wb, meta)
    lock_structure(wb)
    return wb


def export_goals_workbook(project: Project, path: str | Path, *, force: bool = False) -> Path:
    """Write the goals workbook to ``path`` atomically (an existing file only with ``force``)."""
    target = Path(path)
    wb = build_goals_workbook(project)
    write_atomic(target, wb.save, overwrite=force)
    return target


__all__ = [
    "COMMITTEE",
    "KIND",
    "POWER_STEPS",
    "Layout",
    "ahp_sheet_name",
    "build_goals_workbook",
    "export_goals_workbook",
    "goals_digest",
]
