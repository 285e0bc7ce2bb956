"""The tracking workbook: a template to record the KPIs at each checkpoint, and its reader.

``export_tracking_template(project, path, bid_id)`` writes one protected sheet (``Tracking``, ``跟踪`` in
Chinese) in the current language:

- the checkpoint table (from row 5): months after go-live, and yellow cells for the date the KPIs were
  measured and the cost to date (optional);
- the KPI table below it: one row per checkpoint and KPI, with the goal's id and name, the KPI's name, unit,
  baseline and target, and a yellow cell for the actual value.

Values already recorded in ``actuals.yaml`` are filled in.  The hidden ``_crmselect`` sheet records the
language, the sheet's name, the bid and where both tables are, so :func:`read_tracking_workbook` reads the
workbook in the language it was written in.  The reader checks every cell and collects every problem, each
naming the sheet and cell: a formula, a header or goal/KPI edited to one the selection does not have, a date
in the future or before go-live, a value that is not a number, a value whose checkpoint has no date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmselect.errors import InputError, Issue, Message, WorkbookError
from crmselect.excel.form_language import (
    date_validation,
    decimal_validation,
    in_language,
    meta_rows,
    print_setup,
    recorded_language,
    recorded_sheets,
    unit,
)
from crmselect.excel.safe import (
    DEFAULT_LIMITS,
    Limits,
    SheetIssues,
    is_formula,
    open_untrusted,
    put_text,
    put_value,
    raw,
    read_grid,
    ref,
    show,
)
from crmselect.excel.style import (
    Styles,
    header,
    lock_structure,
    mark_input,
    protect,
    read_meta,
    title,
    widths,
    write_meta,
)
from crmselect.files.safe_write import write_atomic
from crmselect.model.actuals import Actuals, Checkpoint, KpiActual
from crmselect.model.project import Project
from crmselect.show.i18n import N_, _

KIND = "tracking"
SHEET_ROLE = "tracking"
CHECKPOINT_MONTHS: tuple[int, ...] = (6, 12, 24)
FIRST_CHECKPOINT_ROW = 5
C_MONTHS, C_DATE, C_COST = 1, 2, 3
K_MONTHS, K_GOAL, K_GOAL_NAME, K_KPI, K_UNIT, K_BASELINE, K_TARGET, K_ACTUAL = range(1, 9)
CHECKPOINT_HEADER = (N_("months after go-live"), N_("date measured"), N_("cost to date (optional)"))
KPI_HEADER = (N_("months after go-live"), N_("goal id"), N_("goal"), N_("KPI"), N_("unit"), N_("baseline"),
              N_("target"), N_("actual value"))


def sheet_name() -> str:
    return _("Tracking")


@dataclass(frozen=True)
class Layout:
    """Where the two tables are: the checkpoint rows and the KPI rows (header one row above each)."""

    first_checkpoint: int
    last_checkpoint: int
    first_kpi: int
    last_kpi: int


def _months_of(actuals: Actuals | None) -> tuple[int, ...]:
    recorded = tuple(c.months for c in actuals.checkpoints) if actuals is not None else ()
    return tuple(sorted({*CHECKPOINT_MONTHS, *recorded}))


def export_tracking_template(project: Project, path: str | Path, bid_id: str, *, actuals: Actuals | None = None,
                             overwrite: bool = False) -> Path:
    """Write the tracking workbook for ``bid_id`` (values already in ``actuals`` filled in); atomic."""
    from openpyxl import Workbook

    months = _months_of(actuals)
    goals = [(goal, kpi) for goal in project.selection.goals for kpi in goal.kpis]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name()
    styles = Styles()
    label = next((b.label for b in project.bids if b.id == bid_id), bid_id)
    title(ws, _("Tracking the business case: {selection}").format(selection=project.selection.name), styles,
          _("Bid bought: {bid}. Type the date each checkpoint was measured and each KPI's actual value in the yellow "
            "cells; leave a checkpoint not yet reached blank.").format(bid=label))
    header(ws, FIRST_CHECKPOINT_ROW - 1, [_(h) for h in CHECKPOINT_HEADER], styles)
    dates, numbers = date_validation(_("The day the KPIs were measured")), decimal_validation(
        0, None, _("What the roll-out has cost from signature to that day"))
    ws.add_data_validation(dates)
    ws.add_data_validation(numbers)
    for offset, month in enumerate(months):
        row = FIRST_CHECKPOINT_ROW + offset
        put_value(ws, row, C_MONTHS, month)
        recorded = actuals.checkpoint(month) if actuals is not None else None
        date_cell = put_value(ws, row, C_DATE, recorded.date if recorded else None)
        date_cell.number_format = "yyyy-mm-dd"
        cost_cell = put_value(ws, row, C_COST, recorded.cost_to_date if recorded else None)
        cost_cell.number_format = "#,##0"
        for cell in (date_cell, cost_cell):
            mark_input(cell, styles)
        dates.add(date_cell.coordinate)
        numbers.add(cost_cell.coordinate)
    layout_last_checkpoint = FIRST_CHECKPOINT_ROW + len(months) - 1
    kpi_header_row = layout_last_checkpoint + 3
    header(ws, kpi_header_row, [_(h) for h in KPI_HEADER], styles)
    values = decimal_validation(None, None, _("The KPI's value, in its unit"))
    ws.add_data_validation(values)
    row = kpi_header_row
    for month in months:
        recorded = actuals.checkpoint(month) if actuals is not None else None
        for goal, kpi in goals:
            row += 1
            put_value(ws, row, K_MONTHS, month)
            put_text(ws, row, K_GOAL, goal.id)
            put_text(ws, row, K_GOAL_NAME, goal.name)
            put_text(ws, row, K_KPI, kpi.name)
            put_text(ws, row, K_UNIT, unit(kpi.unit))
            put_value(ws, row, K_BASELINE, kpi.baseline)
            put_value(ws, row, K_TARGET, kpi.target)
            cell = put_value(ws, row, K_ACTUAL, recorded.value(goal.id, kpi.name) if recorded else None)
            mark_input(cell, styles)
            values.add(cell.coordinate)
    widths(ws, {"A": 14, "B": 16, "C": 28, "D": 30, "E": 12, "F": 12, "G": 12, "H": 16})
    print_setup(ws, landscape=True)
    protect(ws)
    layout = Layout(FIRST_CHECKPOINT_ROW, layout_last_checkpoint, kpi_header_row + 1, max(row, kpi_header_row + 1))
    write_meta(wb, [("kind", KIND, None), ("bid", bid_id, None),
                    ("checkpoint_rows", layout.first_checkpoint, layout.last_checkpoint),
                    ("kpi_rows", layout.first_kpi, layout.last_kpi), *meta_rows({SHEET_ROLE: ws.title})])
    lock_structure(wb)
    return write_atomic(path, lambda tmp: wb.save(tmp), overwrite=overwrite)


@dataclass(frozen=True)
class TrackingWorkbook:
    """What a filled-in tracking workbook holds: the bid it was written for and the checkpoints filled in."""

    bid: str
    checkpoints: tuple[Checkpoint, ...]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def read_tracking_workbook(path: str | Path, project: Project, *, today: Callable[[], dt.date] = dt.date.today,
                           first_go_live: dt.date | None = None, limits: Limits = DEFAULT_LIMITS) -> TrackingWorkbook:
    """The checkpoints typed into a tracking workbook; ``InputError`` lists every problem with its sheet and cell."""
    source = Path(path)
    found = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        meta = read_meta(wb, limits.max_rows)
        if meta is None or not any(key == "kind" and value == KIND for key, value, _extra in meta):
            raise WorkbookError(_("{file}: is not a crmselect tracking workbook (write one with `crmselect track DIR "
                                  "--template FILE.xlsx`)").format(file=source.name))
        info = {key: (value, extra) for key, value, extra in meta}
        language = recorded_language({k: v for k, (v, _e) in info.items()}, source.name)
        name = recorded_sheets(meta, {SHEET_ROLE: in_language(language, sheet_name)})[SHEET_ROLE]
        if name not in wb.sheetnames:
            raise InputError([Issue(source.name, name, Message("the sheet is missing"), code="missing_sheet",
                                    allowed=name, received=", ".join(wb.sheetnames))])
        ws = wb[name]
        bid = str(info.get("bid", ("", None))[0] or "")
        first_c, last_c = (int(x) for x in info["checkpoint_rows"])
        first_k, last_k = (int(x) for x in info["kpi_rows"])
        if last_c - first_c > limits.max_rows or last_k - first_k > limits.max_rows:
            raise WorkbookError(_("{file}: the workbook's layout record is damaged").format(file=source.name))
        _check_header(ws, name, first_c - 1, in_language(language, lambda: [_(h) for h in CHECKPOINT_HEADER]), found)
        _check_header(ws, name, first_k - 1, in_language(language, lambda: [_(h) for h in KPI_HEADER]), found)
        dates, costs = _read_checkpoints(ws, name, first_c, last_c, today(), first_go_live, found)
        kpis = _read_kpis(ws, name, first_k, last_k, project, dates, found)
    if found.issues:
        raise InputError(found.issues)
    checkpoints = tuple(Checkpoint(months=m, date=d, cost_to_date=costs.get(m), kpis=tuple(kpis.get(m, ())))
                        for m, d in sorted(dates.items()))
    return TrackingWorkbook(bid=bid, checkpoints=checkpoints)


def _check_header(ws: Any, sheet: str, row: int, expected: Sequence[str], found: SheetIssues) -> None:
    cells = read_grid(ws, row, row, len(expected))[0]
    for column, (cell, wanted) in enumerate(zip(cells, expected, strict=True), start=1):
        if (raw(cell) or "") != wanted:
            found.add(sheet, ref(row, column), Message("is not the header the workbook was written with"),
                      "edited_header", wanted, show(raw(cell)))


def _formulas_reported(cells: Sequence[Any], columns: Iterable[int], sheet: str, row: int, found: SheetIssues) -> bool:
    """Report each formula among ``columns`` (1-based) of a row read back; True when there was one (the row is then
    not read further: a formula is never taken as a figure)."""
    formulas = [column for column in columns if is_formula(cells[column - 1])]
    for column in formulas:
        found.formula(sheet, ref(row, column), raw(cells[column - 1]))
    return bool(formulas)


def _read_checkpoints(ws: Any, sheet: str, first: int, last: int, today: dt.date, first_go_live: dt.date | None,
                      found: SheetIssues) -> tuple[dict[int, dt.date], dict[int, float]]:
    dates: dict[int, dt.date] = {}
    costs: dict[int, float] = {}
    for offset, cells in enumerate(read_grid(ws, first, last, C_COST)):
        row = first + offset
        if _formulas_reported(cells, (C_MONTHS, C_DATE, C_COST), sheet, row, found):
            continue
        months = _number(raw(cells[C_MONTHS - 1]))
        if months is None or not months.is_integer() or months < 0:
            found.add(sheet, ref(row, C_MONTHS), Message("is not a whole number of months"), "edited_months",
                      Message("the months the workbook was written with"), show(raw(cells[C_MONTHS - 1])))
            continue
        typed, cost_typed = raw(cells[C_DATE - 1]), raw(cells[C_COST - 1])
        if typed is None:
            if cost_typed is not None:
                found.add(sheet, ref(row, C_COST), Message("has a cost but its checkpoint has no date"), "no_date",
                          Message("a date in {cell} too", cell=ref(row, C_DATE)), show(cost_typed))
            continue
        date = _date(typed)
        if date is None:
            found.add(sheet, ref(row, C_DATE), Message("is not a date"), "not_a_date",
                      Message("a date such as 2027-06-30"), show(typed))
            continue
        if date > today:
            found.add(sheet, ref(row, C_DATE), Message("is in the future"), "future_date",
                      Message("a date on or before today ({today})", today=today.isoformat()), date.isoformat())
            continue
        if first_go_live is not None and date < first_go_live:
            found.add(sheet, ref(row, C_DATE), Message("is before the go-live"), "before_go_live",
                      Message("on or after {date}", date=first_go_live.isoformat()), date.isoformat())
            continue
        dates[int(months)] = date
        if cost_typed is not None:
            cost = _number(cost_typed)
            if cost is None or cost < 0:
                found.add(sheet, ref(row, C_COST), Message("is not an amount"), "not_a_number",
                          Message("a number >= 0"), show(cost_typed))
            else:
                costs[int(months)] = cost
    return dates, costs


def _read_kpis(ws: Any, sheet: str, first: int, last: int, project: Project, dates: dict[int, dt.date],
               found: SheetIssues) -> dict[int, list[KpiActual]]:
    goals = {g.id: g for g in project.selection.goals}
    out: dict[int, list[KpiActual]] = {}
    for offset, cells in enumerate(read_grid(ws, first, last, K_ACTUAL)):
        row = first + offset
        if _formulas_reported(cells, range(1, len(cells) + 1), sheet, row, found):
            continue
        typed = raw(cells[K_ACTUAL - 1])
        if typed is None:
            continue
        months = _number(raw(cells[K_MONTHS - 1]))
        goal_id, kpi_name = raw(cells[K_GOAL - 1]), raw(cells[K_KPI - 1])
        goal = goals.get(str(goal_id)) if goal_id is not None else None
        if goal is None:
            found.add(sheet, ref(row, K_GOAL), Message("is not a goal of this selection"), "unknown_goal",
                      ", ".join(goals), show(goal_id))
            continue
        names = [k.name for k in goal.kpis]
        if str(kpi_name) not in names:
            found.add(sheet, ref(row, K_KPI), Message("is not a KPI of goal {goal}", goal=goal.id), "unknown_kpi",
                      ", ".join(names) or Message("none: the goal has no KPIs"), show(kpi_name))
            continue
        value = _number(typed)
        if value is None:
            found.add(sheet, ref(row, K_ACTUAL), Message("is not a number"), "not_a_number",
                      Message("a number in the KPI's unit"), show(typed))
            continue
        if months is None or not months.is_integer() or int(months) not in dates:
            found.add(sheet, ref(row, K_ACTUAL), Message("has a value but its checkpoint has no date"), "no_date",
                      Message("the date of checkpoint {months} in the checkpoint table",
                              months=show(raw(cells[K_MONTHS - 1]))), show(typed))
            continue
        out.setdefault(int(months), []).append(KpiActual(goal=goal.id, kpi=str(kpi_name), value=value))
    return out


__all__ = ["TrackingWorkbook", "export_tracking_template", "read_tracking_workbook"]
