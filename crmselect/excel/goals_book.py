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

The AHP sheets and their maths in cells are in :mod:`crmselect.excel.goals_ahp`; where things are,
and the workbook's words, in :mod:`crmselect.excel.goals_layout`.  The workbook is written in the
current language (sheet names, headers, instructions, the method's drop-down) and records it, with
its sheet names, so the import reads it in that language.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.excel.form_language import (
    decimal_validation,
    fit_rows,
    formula_sheet,
    formula_text,
    list_validation,
    meta_rows,
    print_setup,
    words,
)
from crmselect.excel.goals_ahp import judgment_sheet, result_sheet
from crmselect.excel.goals_layout import (
    COMMITTEE,
    FIRST_GOAL,
    FIRST_PAIR,
    G_DESCRIPTION,
    G_ID,
    G_LINKED,
    G_NAME,
    G_POINTS,
    G_RANK,
    G_SWING,
    G_WEIGHT,
    GOAL_COLUMNS,
    GOALS_HEADER,
    K_BASELINE,
    K_BENEFIT,
    K_GOAL,
    K_NAME,
    K_NUMBER,
    K_TARGET,
    K_UNIT,
    K_VALUE,
    KIND,
    KPI_COLUMNS,
    KPI_HEADER,
    KPIS_PER_GOAL,
    L_FIRST_GOAL,
    LINK_FIXED,
    LINKS_HEADER,
    MATRIX_COLUMN,
    METHOD_CELL,
    METHOD_TEXT,
    MIN_SLOTS,
    POWER_STEPS,
    SHEETS,
    VERSION,
    Layout,
    ahp_sheet_name,
    ahp_sheet_names,
    goals_digest,
    letter,
    method_label,
    method_labels,
    translated,
)
from crmselect.excel.goals_text import instructions
from crmselect.excel.safe import put_formula, put_text, put_value
from crmselect.excel.style import Styles, header, lock_structure, mark_input, protect, title, widths, write_meta
from crmselect.files.safe_write import write_atomic
from crmselect.show.i18n import SOURCE_LANGUAGE, _, current, using

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from crmselect.model.goals import Selection
    from crmselect.model.project import Project


# ---------------------------------------------------------------------------- the other sheets
def _goals_sheet(wb: Workbook, project: Project, layout: Layout, styles: Styles) -> None:
    selection = project.selection
    ws = wb.create_sheet(layout.sheet("goals"))
    title(ws, _("Goals and weights: {selection}").format(selection=selection.name), styles,
          _("{company}. Fill in the yellow cells; the weights follow the method chosen in B4.").format(
              company=selection.company))
    put_text(ws, 4, 1, _("Weighting method")).font = styles.bold
    method = put_text(ws, 4, 2, method_label(selection.weighting.value))
    mark_input(method, styles)
    labels = method_labels()
    choose = list_validation(labels, _("points, rank_order (ROC), swing or ahp (see Instructions).")
                             if current().language == SOURCE_LANGUAGE else "; ".join(labels), _("Weighting method"))
    ws.add_data_validation(choose)
    choose.add(METHOD_CELL)
    explained = "; ".join(f"{m} = {_(text)}" for m, text in METHOD_TEXT.items()) \
        if current().language == SOURCE_LANGUAGE else _("Choose one of: {values}").format(values="; ".join(labels))
    put_text(ws, 4, 3, explained).font = styles.muted
    put_text(ws, 5, 1, _("Consistency ratio (AHP)")).font = styles.bold
    cr = f"{formula_sheet(layout.sheet('result'))}!${letter(MATRIX_COLUMN)}${layout.lambda_row + 2}"
    every_pair, ahp = formula_text(_("fill in every pair")), formula_text(method_label("ahp"))
    put_formula(ws, 5, 2, f'=IF($B$4<>{ahp},"",IFERROR({cr},{every_pair}))').number_format = "0.000"
    put_text(ws, 5, 3, _("Above 0.10 the judgments contradict each other: revisit them (crmselect validate names "
                         "the pairs).")).font = styles.muted
    header(ws, GOALS_HEADER, translated(GOAL_COLUMNS), styles)
    last = FIRST_GOAL + layout.slots - 1
    ids = f"$A${FIRST_GOAL}:$A${last}"
    ranks = f"$E${FIRST_GOAL}:$E${last}"
    points = decimal_validation(0, 1_000_000, _("Points for this goal (weighting: {method}); weights are "
                                                "normalised.").format(method=method_label("points")))
    rank = decimal_validation(1, layout.slots, _("1 = most important; give equal ranks to tie (weighting: "
                                                 "{method}).").format(method=method_label("rank_order")))
    swing = decimal_validation(0, 100, _("Swing from worst to best: the most valued at 100 (weighting: {method})."
                                         ).format(method=method_label("swing")))
    for dv in (points, rank, swing):
        ws.add_data_validation(dv)
    roc_k, roc = letter(G_LINKED + 3), letter(G_LINKED + 4)  # the rank order centroid by position, off to the side
    put_text(ws, GOALS_HEADER, G_LINKED + 3, _("position")).font = styles.muted
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
        ahp_weight = f"INDEX({formula_sheet(layout.sheet('result'))}!${letter(MATRIX_COLUMN)}${layout.weights_row}:" \
                     f"${letter(MATRIX_COLUMN + layout.slots - 1)}${layout.weights_row},{k + 1})"
        choices = ",".join(formula_text(label) for label in labels)
        incomplete = formula_text(_("incomplete"))
        put_formula(ws, row, G_WEIGHT, f'=IF(A{row}="","",IFERROR(CHOOSE(MATCH($B$4,{{{choices}}},0),'
                    f'D{row}/SUMIF({ids},"?*",$D${FIRST_GOAL}:$D${last}),{roc_weight},'
                    f'F{row}/SUMIF({ids},"?*",$F${FIRST_GOAL}:$F${last}),{ahp_weight}),'
                    f'{incomplete}))').number_format = "0.0%"
        links_column = letter(L_FIRST_GOAL + k)
        put_formula(ws, row, G_LINKED, f'=IF(A{row}="","",COUNTIF({formula_sheet(layout.sheet("links"))}!'
                    f'{links_column}:{links_column},">0"))')
    total = last + 1
    put_text(ws, total, G_NAME, _("Total weight")).font = styles.bold
    put_formula(ws, total, G_WEIGHT, f"=SUM(G{FIRST_GOAL}:G{last})").number_format = "0.0%"
    widths(ws, {"A": 22, "B": 34, "C": 50, "D": 9, "E": 12, "F": 10, "G": 11, "H": 10, "K": 8, "L": 8})
    for helper in (roc_k, roc):  # the rank order centroid by position: working, not for reading
        ws.column_dimensions[helper].hidden = True
    for row in range(FIRST_GOAL, total + 1):
        for column in (G_WEIGHT, G_LINKED):
            ws.cell(row=row, column=column).alignment = styles.top
    ws.print_area = f"A1:{letter(G_LINKED)}{total}"
    fit_rows(ws, range(GOALS_HEADER, total + 1))
    fit_rows(ws, range(4, 6))
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
    ws = wb.create_sheet(layout.sheet("kpis"))
    title(ws, _("KPIs: up to three per goal"), styles,
          _("Today's baseline, the target, and what one unit of improvement is worth a year in {currency}. Leave a "
            "row blank when the goal has fewer KPIs.").format(currency=selection.currency))
    header(ws, KPI_HEADER, translated(KPI_COLUMNS), styles)
    number = decimal_validation(None, None, _("A number in the KPI's unit."))
    value = decimal_validation(0, None, _("What one unit of improvement is worth a year, in {currency}.").format(
        currency=selection.currency))
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
    ws = wb.create_sheet(layout.sheet("links"))
    title(ws, _("Links: which criteria serve which goal, with points"), styles,
          _("Points 1-5 (5 = essential to the goal); blank or 0 = not linked. A criterion that serves no goal "
            "weighs nothing. Use the filter to show one category or the unlinked criteria."))
    last_goal = L_FIRST_GOAL + layout.slots - 1
    header(ws, LINKS_HEADER, (*translated(LINK_FIXED), *([""] * layout.slots), _("Goals served"), _("Status")),
           styles)
    for k in range(layout.slots):
        slot = formula_text(_("(slot {number})").format(number=k + 1))
        put_formula(ws, LINKS_HEADER, L_FIRST_GOAL + k, f'=IF({layout.goal_ref(k)}="",{slot},'
                    f'{layout.goal_ref(k)})')
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).font = styles.header_font
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).fill = styles.header_fill
        ws.cell(row=LINKS_HEADER, column=L_FIRST_GOAL + k).alignment = styles.wrap
    points = decimal_validation(0, 1000, _("Points 1-5 (5 = essential to this goal); blank or 0 = not linked."))
    ws.add_data_validation(points)
    categories = {cat.id: words(cat.name) for cat in project.categories}
    unlinked = formula_text(_("unlinked"))
    order = {cat.id: i for i, cat in enumerate(project.categories)}
    criteria = sorted(project.criteria, key=lambda c: order.get(c.category or "", len(order)))
    row, current, asked = LINKS_HEADER, None, []
    first_letter, last_letter = letter(L_FIRST_GOAL), letter(last_goal)
    for criterion in criteria:
        if criterion.category != current:
            current = criterion.category
            row += 1
            put_text(ws, row, 2, categories.get(current or "", current or _("Other"))).font = styles.bold
            for column in range(1, last_goal + 3):
                ws.cell(row=row, column=column).fill = styles.band_fill
        row += 1
        asked.append(criterion.id)
        put_text(ws, row, 1, criterion.id)
        put_text(ws, row, 2, categories.get(criterion.category or "", criterion.category or ""))
        put_text(ws, row, 3, words(criterion.name)).font = styles.bold
        put_text(ws, row, 4, words(criterion.description))
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
        put_formula(ws, row, last_goal + 2, f'=IF({letter(last_goal + 1)}{row}=0,{unlinked},"")')
    from openpyxl.formatting.rule import FormulaRule

    status = letter(last_goal + 2)
    ws.conditional_formatting.add(f"{status}{LINKS_HEADER + 1}:{status}{row}",
                                  FormulaRule(  # type: ignore[no-untyped-call]
                                      formula=[f'{status}{LINKS_HEADER + 1}={unlinked}'],
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


def build_goals_workbook(project: Project) -> Workbook:
    """The goals workbook of ``project`` (its goals, KPIs, weighting inputs and links filled in), in the
    current language."""
    from openpyxl import Workbook

    selection = project.selection
    members = project.committee.members
    voices = (COMMITTEE, *(m.id for m in members))
    names = {role: _(name) for role, name in SHEETS.items()}
    layout = Layout(slots=max(MIN_SLOTS, len(selection.goals) + 3), members=voices, names=names,
                    ahp=ahp_sheet_names(voices, tuple(names.values())))
    wb = Workbook()
    styles = Styles()
    instructions(wb, project, layout, styles)
    _goals_sheet(wb, project, layout, styles)
    _kpi_sheet(wb, project, layout, styles)
    asked = _links_sheet(wb, project, layout, styles)
    member_names = {m.id: m.name for m in members}
    for member in layout.members:
        judgment_sheet(wb, layout, member, member_names.get(member, member), selection, styles)
    result_sheet(wb, layout, styles)
    wb.active = wb.sheetnames.index(layout.sheet("goals"))
    meta: list[tuple[str, object, object]] = [
        ("kind", KIND, None), ("version", VERSION, None), ("selection", selection.name, None),
        ("slots", layout.slots, None), ("goals_digest", goals_digest(selection), None),
        ("exported_at", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), None),
        *meta_rows(names),
    ]
    meta += [("goal", goal.id, k) for k, goal in enumerate(selection.goals)]
    meta += [("ahp_sheet", layout.ahp_sheet(m), m) for m in layout.members]
    meta += [("criterion", cid, None) for cid in asked]
    write_meta(wb, meta)
    lock_structure(wb)
    return wb


def export_goals_workbook(project: Project, path: str | Path, *, force: bool = False,
                          language: str | None = None) -> Path:
    """Write the goals workbook to ``path`` atomically (an existing file only with ``force``), in ``language``
    (default: the current one)."""
    target = Path(path)
    with using(language or current()):
        wb = build_goals_workbook(project)
    write_atomic(target, wb.save, overwrite=force)
    return target


__all__ = [
    "COMMITTEE",
    "FIRST_GOAL",
    "FIRST_PAIR",
    "KIND",
    "LINKS_HEADER",
    "L_FIRST_GOAL",
    "POWER_STEPS",
    "Layout",
    "ahp_sheet_name",
    "build_goals_workbook",
    "export_goals_workbook",
    "goals_digest",
]
