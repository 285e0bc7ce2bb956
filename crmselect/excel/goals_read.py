"""Reading a filled-in goals workbook back and checking every cell.

Every problem is collected, each naming the sheet and cell, what is allowed and what was
received: a formula where a value belongs, an edited header or criterion id, a missing sheet, a goal
without an ID or name, a duplicate ID, numbers out of range, a half-filled KPI row, links or
judgments for an empty goal slot, a judgment naming neither goal of its pair, an incomplete set of
judgments.  Nothing is returned until the whole workbook is clean; the layout is the one
:mod:`crmselect.excel.goals_book` writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from crmselect.errors import InputError, Message, WorkbookError
from crmselect.excel.form_language import in_language, recorded_language, recorded_sheets
from crmselect.excel.goals_layout import (
    COMMITTEE,
    FIRST_GOAL,
    FIRST_PAIR,
    G_DESCRIPTION,
    G_ID,
    G_NAME,
    G_POINTS,
    G_RANK,
    G_SWING,
    GOAL_COLUMNS,
    GOALS_HEADER,
    K_BASELINE,
    K_NAME,
    K_TARGET,
    K_UNIT,
    K_VALUE,
    KIND,
    KPI_HEADER,
    KPIS_PER_GOAL,
    L_FIRST_GOAL,
    LINKS_HEADER,
    METHOD_CELL,
    P_HOW,
    P_MORE,
    SHEETS,
    VERSION,
    Layout,
    method_labels,
    parse_method,
    translated,
)
from crmselect.excel.safe import DEFAULT_LIMITS, Limits, SheetIssues, is_formula, open_untrusted, raw, read_grid, ref
from crmselect.excel.safe import show as shown
from crmselect.excel.style import read_meta
from crmselect.model.frozen import Id
from crmselect.model.project import Project
from crmselect.show.i18n import _, ngettext

_ID = TypeAdapter(Id)
MAX_POINTS = 1_000_000.0
MAX_LINK_POINTS = 1000.0
MAX_TEXT = 2000


@dataclass(frozen=True)
class GoalRow:
    slot: int
    id: str
    name: str
    description: str
    points: float | None
    rank: float | None
    swing: float | None
    kpis: tuple[dict[str, Any], ...] = ()
    links: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class GoalsWorkbook:
    """What the committee filled in: goals in slot order, the method, the judgments per member."""

    digest: str
    method: str
    goals: tuple[GoalRow, ...]
    judgments: dict[str, list[tuple[str, str, float]]]
    notes: tuple[str, ...] = ()


def _number(cell: Any, sheet: str, at: str, low: float, high: float, out: SheetIssues,
            whole: bool = False) -> float | None:
    value = raw(cell)
    if value is None:
        return None
    if is_formula(cell):
        out.formula(sheet, at, value)
        return None
    kind = Message("a whole number") if whole else Message("a number")
    allowed = Message("{what} from {low} to {high}", what=kind, low=f"{low:g}", high=f"{high:g}")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        out.add(sheet, at, Message("is not {what}", what=kind), "not_a_number", allowed, shown(value))
        return None
    if not low <= value <= high or (whole and value != int(value)):
        out.add(sheet, at, Message("is out of range"), "out_of_range", allowed, shown(value))
        return None
    return float(value)


def _text(cell: Any, sheet: str, at: str, out: SheetIssues) -> str | None:
    value = raw(cell)
    if value is None:
        return None
    if is_formula(cell):
        out.formula(sheet, at, value)
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        out.add(sheet, at, Message("is too long"), "too_long", Message("at most {count} characters", count=MAX_TEXT),
                Message("{count} characters", count=len(text)))
        return None
    return text


def read_goals_workbook(path: str | Path, project: Project, limits: Limits = DEFAULT_LIMITS) -> GoalsWorkbook:
    """Read and check a goals workbook against ``project``; ``InputError`` lists every problem by sheet and cell."""
    source = Path(path)
    out = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        meta = read_meta(wb, limits.max_rows)
        info = {k: v for k, v, _extra in meta or [] if k not in ("goal", "ahp_sheet", "criterion", "sheet")}
        if meta is None or info.get("kind") != KIND:
            raise WorkbookError(_("{file}: is not a crmselect goals workbook (its hidden _crmselect sheet is missing "
                                  "or altered); write one with `crmselect goals-workbook`").format(file=source.name))
        slots = info.get("slots")
        if info.get("version") != VERSION or not isinstance(slots, int) or not 1 <= slots <= 100:
            raise WorkbookError(_("{file}: the workbook's layout record is altered or from another version").format(
                file=source.name))
        language = recorded_language(info, source.name)
        names = recorded_sheets(meta, SHEETS)
        sheets = {str(sheet): str(member) for k, sheet, member in meta if k == "ahp_sheet"}
        layout = Layout(slots=slots, members=tuple(sheets.values()), names=names,
                        ahp={member: sheet for sheet, member in sheets.items()})
        goals_sheet, kpis_sheet, links_sheet = names["goals"], names["kpis"], names["links"]
        asked = [str(cid) for k, cid, _extra in meta if k == "criterion"]
        missing = [name for name in (goals_sheet, kpis_sheet, links_sheet, *sheets) if name not in wb.sheetnames]
        for name in missing:
            out.add(name, "", Message("sheet is missing (renamed or deleted)"), "missing_sheet", name,
                    ", ".join(wb.sheetnames))
        if missing:
            raise InputError(out.issues, _problems(out, source.name))
        method, goals = _goals(wb[goals_sheet], goals_sheet, layout, out, language)
        by_slot = {g.slot: g for g in goals}
        kpis = _kpis(wb[kpis_sheet], kpis_sheet, layout, by_slot, out)
        links = _links(wb[links_sheet], links_sheet, layout, by_slot, asked, out, limits)
        members = set(project.committee.member_ids)
        judgments: dict[str, list[tuple[str, str, float]]] = {}
        for sheet, member in sheets.items():
            if member != COMMITTEE and member not in members:
                out.add(sheet, "", Message("is the sheet of {member}, who is no longer a committee member",
                                           member=repr(member)),
                        "unknown_member", ", ".join(sorted(members)) or Message("no members"), member)
                continue
            judged = _judgments(wb[sheet], sheet, layout, by_slot, out)
            if judged:
                judgments[member] = judged
    notes = []
    if method == "ahp" and not judgments and not out.issues:
        out.add(goals_sheet, METHOD_CELL, Message("is ahp, but no AHP sheet holds judgments"), "missing_judgments",
                Message("judgments on '{sheet}' or the members' sheets, or another method",
                        sheet=layout.ahp_sheet(COMMITTEE)), "ahp")
    if method != "ahp" and judgments:
        notes.append(Message("the AHP sheets hold judgments, but the method is {method}: they were not imported",
                             method=method))
    _method_inputs(method, goals, out, goals_sheet)
    if out.issues:
        raise InputError(out.issues, _problems(out, source.name))
    full = tuple(GoalRow(g.slot, g.id, g.name, g.description, g.points, g.rank, g.swing, kpis.get(g.slot, ()),
                         links.get(g.slot, {})) for g in goals)
    return GoalsWorkbook(str(info.get("goals_digest") or ""), method, full,
                         judgments if method == "ahp" else {}, tuple(notes))


def _problems(out: SheetIssues, name: str) -> str:
    count = len(out.issues)
    return ngettext("{count} problem in {file}", "{count} problems in {file}", count).format(count=count, file=name)


def _goals(ws: Any, sheet: str, layout: Layout, out: SheetIssues, language: str) -> tuple[str, list[GoalRow]]:
    GOALS = sheet  # noqa: N806 - the Goals sheet as this workbook names it
    heads = read_grid(ws, GOALS_HEADER, GOALS_HEADER, len(GOAL_COLUMNS))[0]
    for column, expected in enumerate(in_language(language, translated, GOAL_COLUMNS), start=1):
        if raw(heads[column - 1]) != expected:
            out.add(GOALS, ref(GOALS_HEADER, column), Message("header was edited (columns must stay as written)"),
                    "edited_header", repr(expected), shown(raw(heads[column - 1])))
    method_cell = read_grid(ws, 4, 4, 2)[0][1]
    typed = _text(method_cell, GOALS, METHOD_CELL, out) or ""
    method = parse_method(typed, language) or ""
    if not method:
        out.add(GOALS, METHOD_CELL, Message("is not a weighting method"), "bad_method",
                ", ".join(in_language(language, method_labels)), shown(typed))
    goals: list[GoalRow] = []
    seen: dict[str, str] = {}
    rows = read_grid(ws, FIRST_GOAL, FIRST_GOAL + layout.slots - 1, G_SWING)
    for slot, cells in enumerate(rows):
        row = FIRST_GOAL + slot

        def at(column: int, row: int = row) -> str:
            return ref(row, column)

        goal_id = _text(cells[G_ID - 1], GOALS, at(G_ID), out)
        name = _text(cells[G_NAME - 1], GOALS, at(G_NAME), out)
        description = _text(cells[G_DESCRIPTION - 1], GOALS, at(G_DESCRIPTION), out) or ""
        points = _number(cells[G_POINTS - 1], GOALS, at(G_POINTS), 0, MAX_POINTS, out)
        rank = _number(cells[G_RANK - 1], GOALS, at(G_RANK), 1, layout.slots, out, whole=True)
        swing = _number(cells[G_SWING - 1], GOALS, at(G_SWING), 0, 100, out)
        if goal_id is None:
            if any(raw(c) is not None for c in cells):
                out.add(GOALS, at(G_ID), Message("is empty, but the row is filled in"), "missing_id",
                        Message("an ID of letters, digits, _ or - (or clear the whole row)"), shown(None))
            continue
        try:
            goal_id = _ID.validate_python(goal_id)
        except ValidationError:
            out.add(GOALS, at(G_ID), Message("is not a valid goal ID"), "bad_id",
                    Message("letters, digits, _ and -, starting with a letter or digit, at most 80"), shown(goal_id))
            continue
        if goal_id in seen:
            out.add(GOALS, at(G_ID), Message("repeats the goal ID of {cell}", cell=seen[goal_id]), "duplicate_id",
                    Message("each ID once"), goal_id)
            continue
        seen[goal_id] = at(G_ID)
        if not name:
            out.add(GOALS, at(G_NAME), Message("is empty: every goal needs a name"), "missing_name",
                    Message("the goal's name"), shown(None))
        goals.append(GoalRow(slot, goal_id, name or "", description, points, rank, swing))
    if not goals and not out.issues:
        out.add(GOALS, ref(FIRST_GOAL, G_ID), Message("no goal is named"), "no_goals", Message("at least one goal"),
                Message("none"))
    return method, goals


def _kpis(ws: Any, KPIS: str, layout: Layout, goals: dict[int, GoalRow],  # noqa: N803 - the sheet's name
          out: SheetIssues) -> dict[int, tuple[dict[str, Any], ...]]:
    result: dict[int, tuple[dict[str, Any], ...]] = {}
    rows = read_grid(ws, KPI_HEADER + 1, KPI_HEADER + layout.slots * KPIS_PER_GOAL, K_VALUE)
    for index, cells in enumerate(rows):
        slot, row = index // KPIS_PER_GOAL, KPI_HEADER + 1 + index
        name = _text(cells[K_NAME - 1], KPIS, ref(row, K_NAME), out)
        unit = _text(cells[K_UNIT - 1], KPIS, ref(row, K_UNIT), out)
        baseline = _number(cells[K_BASELINE - 1], KPIS, ref(row, K_BASELINE), -1e12, 1e12, out)
        target = _number(cells[K_TARGET - 1], KPIS, ref(row, K_TARGET), -1e12, 1e12, out)
        value = _number(cells[K_VALUE - 1], KPIS, ref(row, K_VALUE), 0, 1e12, out)
        filled = [raw(c) is not None for c in cells[K_NAME - 1:K_VALUE]]
        if not any(filled):
            continue
        if slot not in goals:
            out.add(KPIS, ref(row, K_NAME), Message("is a KPI for goal slot {slot}, which has no goal ID",
                                                    slot=slot + 1),
                    "kpi_without_goal", Message("KPIs only for named goals"), shown(name))
            continue
        for column, given in ((K_NAME, name), (K_BASELINE, baseline), (K_TARGET, target)):
            if given is None and raw(cells[column - 1]) is None:
                out.add(KPIS, ref(row, column), Message("is empty, but the KPI row is filled in"), "incomplete_kpi",
                        Message("the KPI's name, baseline and target (or clear the row)"), shown(None))
        if name is not None and baseline is not None and target is not None:
            kpi = {"name": name, "unit": unit or "", "baseline": baseline, "target": target,
                   "value_per_unit": value or 0.0}
            result[slot] = (*result.get(slot, ()), kpi)
    return result


def _links(ws: Any, LINKS: str, layout: Layout, goals: dict[int, GoalRow],  # noqa: N803 - the sheet's name
           asked: list[str], out: SheetIssues, limits: Limits) -> dict[int, dict[str, float]]:
    columns = L_FIRST_GOAL + layout.slots - 1
    result: dict[int, dict[str, float]] = {}
    expected = iter(asked)
    last = LINKS_HEADER + len(asked) * 2 + 2
    if last - LINKS_HEADER > limits.max_rows:
        raise WorkbookError(_("sheet {sheet} has more than {count} rows").format(sheet=LINKS, count=limits.max_rows))
    for offset, cells in enumerate(read_grid(ws, LINKS_HEADER + 1, last, columns)):
        row = LINKS_HEADER + 1 + offset
        cid = raw(cells[0])
        if cid is None:
            if any(raw(c) is not None for c in cells[L_FIRST_GOAL - 1:]):
                out.add(LINKS, ref(row, L_FIRST_GOAL), Message("holds points on a row without a criterion"),
                        "stray_value", Message("points only on criterion rows"), Message("a value"))
            continue
        want = next(expected, None)
        if str(cid).strip() != want:
            out.add(LINKS, ref(row, 1), Message("criterion ID was changed (rows must stay as written)"), "altered_id",
                    shown(want), shown(cid))
            continue
        for slot in range(layout.slots):
            column = L_FIRST_GOAL + slot
            points = _number(cells[column - 1], LINKS, ref(row, column), 0, MAX_LINK_POINTS, out)
            if not points:
                continue
            if slot not in goals:
                out.add(LINKS, ref(row, column), Message("links {id} to goal slot {slot}, which has no goal ID",
                                                         id=cid, slot=slot + 1),
                        "link_without_goal", Message("points only in columns of named goals"), f"{points:g}")
                continue
            result.setdefault(slot, {})[want] = points
    remaining = list(expected)
    if remaining:
        out.add(LINKS, "", Message("rows were deleted"), "missing_rows", Message("every criterion row as written"),
                Message("no row for {ids}", ids=", ".join(remaining[:10]) + (" ..." if len(remaining) > 10 else "")))
    return result


def _judgments(ws: Any, sheet: str, layout: Layout, goals: dict[int, GoalRow],
               out: SheetIssues) -> list[tuple[str, str, float]]:
    pairs = layout.pairs
    rows = read_grid(ws, FIRST_PAIR, FIRST_PAIR + len(pairs) - 1, P_HOW)
    judged: list[tuple[str, str, float]] = []
    open_pairs: list[str] = []
    for (i, j), cells in zip(pairs, rows, strict=True):
        row = FIRST_PAIR + pairs.index((i, j))
        more = _text(cells[P_MORE - 1], sheet, ref(row, P_MORE), out)
        how = _number(cells[P_HOW - 1], sheet, ref(row, P_HOW), 1, 9, out)
        active = i in goals and j in goals
        given = raw(cells[P_MORE - 1]) is not None or raw(cells[P_HOW - 1]) is not None
        if not active:
            if given:
                out.add(sheet, ref(row, P_MORE), Message("judges goal slots {first} and {second}, but not both have a "
                                                         "goal ID", first=i + 1, second=j + 1),
                        "judgment_without_goal", Message("judgments only between named goals"), shown(more))
            continue
        a, b = goals[i].id, goals[j].id
        if not given:
            open_pairs.append(Message("{first} vs {second} (row {row})", first=a, second=b, row=row))
            continue
        if more not in (a, b):
            if raw(cells[P_MORE - 1]) is not None or more is None:
                out.add(sheet, ref(row, P_MORE), Message("does not name one of the two goals of the pair"),
                        "bad_choice", Message("{first} or {second}", first=a, second=b), shown(more))
            continue
        if how is None:
            if raw(cells[P_HOW - 1]) is None:
                out.add(sheet, ref(row, P_HOW), Message("is empty, but the pair's goal is chosen"),
                        "incomplete_judgment", Message("1 (equal) to 9 (extremely more important)"), shown(None))
            continue
        judged.append((more, b if more == a else a, how))
    if judged and open_pairs:
        out.add(sheet, "", Message("judges {count} of {total} pairs: every pair is needed (or leave the whole sheet "
                                   "blank)", count=len(judged), total=len(judged) + len(open_pairs)),
                "incomplete_judgments", Message("every pair of goals once"),
                Message("nothing for {pairs}", pairs=", ".join(open_pairs)))
    return judged


def _method_inputs(method: str, goals: list[GoalRow], out: SheetIssues, GOALS: str) -> None:  # noqa: N803
    column = {"points": G_POINTS, "rank_order": G_RANK, "swing": G_SWING}.get(method)
    if column is None:
        return
    allowed = {"points": Message("points from 0"), "rank_order": Message("a rank from 1 (most important)"),
               "swing": Message("a rating from 0 to 100")}[method]
    for goal in goals:
        value = {"points": goal.points, "rank_order": goal.rank, "swing": goal.swing}[method]
        if value is None:
            out.add(GOALS, ref(FIRST_GOAL + goal.slot, column), Message("is empty, but the weighting method is "
                                                                        "{method}", method=method),
                    "missing_input", allowed, shown(None))
    if method == "swing" and goals and all(g.swing is not None for g in goals) and max(
            g.swing or 0.0 for g in goals) != 100:
        out.add(GOALS, ref(FIRST_GOAL, G_SWING), Message("has no goal at 100: the most valued swing is the yardstick"),
                "no_top_swing", Message("the most valued goal at exactly 100"),
                Message("a highest rating of {value}", value=f"{max(g.swing or 0.0 for g in goals):g}"))
    if method == "points" and goals and all(g.points is not None for g in goals) and not any(g.points for g in goals):
        out.add(GOALS, ref(FIRST_GOAL, G_POINTS), Message("are all 0: no goal carries weight"), "zero_weights",
                Message("at least one goal above 0"), "0")


__all__ = ["GoalRow", "GoalsWorkbook", "read_goals_workbook"]
