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

from crmselect.errors import InputError, WorkbookError
from crmselect.excel.goals_book import (
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
    GOALS,
    GOALS_HEADER,
    K_BASELINE,
    K_NAME,
    K_TARGET,
    K_UNIT,
    K_VALUE,
    KIND,
    KPI_HEADER,
    KPIS,
    KPIS_PER_GOAL,
    L_FIRST_GOAL,
    LINKS,
    LINKS_HEADER,
    METHOD_CELL,
    METHODS,
    P_HOW,
    P_MORE,
    VERSION,
    Layout,
)
from crmselect.excel.safe import DEFAULT_LIMITS, Limits, SheetIssues, is_formula, open_untrusted, raw, read_grid, ref
from crmselect.excel.safe import show as shown
from crmselect.excel.style import read_meta
from crmselect.model.frozen import Id
from crmselect.model.project import Project

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


def _number(cell: Any, sheet: str, at: str, low: float, high: float, out: SheetIssues, whole: bool = False,
            what: str = "a number") -> float | None:
    value = raw(cell)
    if value is None:
        return None
    if is_formula(cell):
        out.formula(sheet, at, value)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        out.add(sheet, at, f"is not {what}", "not_a_number", f"{what} from {low:g} to {high:g}", shown(value))
        return None
    if not low <= value <= high or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        out.add(sheet, at, "is out of range", "out_of_range", f"{kind} from {low:g} to {high:g}", shown(value))
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
        out.add(sheet, at, "is too long", "too_long", f"at most {MAX_TEXT} characters", f"{len(text)} characters")
        return None
    return text


def read_goals_workbook(path: str | Path, project: Project, limits: Limits = DEFAULT_LIMITS) -> GoalsWorkbook:
    """Read and check a goals workbook against ``project``; ``InputError`` lists every problem by sheet and cell."""
    source = Path(path)
    out = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        meta = read_meta(wb, limits.max_rows)
        info = {k: v for k, v, _ in meta or [] if k not in ("goal", "ahp_sheet", "criterion")}
        if meta is None or info.get("kind") != KIND:
            raise WorkbookError(f"{source.name}: is not a crmselect goals workbook (its hidden _crmselect sheet is "
                                "missing or altered); write one with `crmselect goals-workbook`")
        slots = info.get("slots")
        if info.get("version") != VERSION or not isinstance(slots, int) or not 1 <= slots <= 100:
            raise WorkbookError(f"{source.name}: the workbook's layout record is altered or from another version")
        sheets = {str(sheet): str(member) for k, sheet, member in meta if k == "ahp_sheet"}
        layout = Layout(slots=slots, members=tuple(sheets.values()))
        asked = [str(cid) for k, cid, _ in meta if k == "criterion"]
        missing = [name for name in (GOALS, KPIS, LINKS, *sheets) if name not in wb.sheetnames]
        for name in missing:
            out.add(name, "", "sheet is missing (renamed or deleted)", "missing_sheet", name, ", ".join(wb.sheetnames))
        if missing:
            raise InputError(out.issues, f"{len(out.issues)} problem(s) in {source.name}")
        method, goals = _goals(wb[GOALS], layout, out)
        by_slot = {g.slot: g for g in goals}
        kpis = _kpis(wb[KPIS], layout, by_slot, out)
        links = _links(wb[LINKS], layout, by_slot, asked, out, limits)
        members = set(project.committee.member_ids)
        judgments: dict[str, list[tuple[str, str, float]]] = {}
        for sheet, member in sheets.items():
            if member != COMMITTEE and member not in members:
                out.add(sheet, "", f"is the sheet of {member!r}, who is no longer a committee member",
                        "unknown_member", ", ".join(sorted(members)) or "no members", member)
                continue
            judged = _judgments(wb[sheet], sheet, layout, by_slot, out)
            if judged:
                judgments[member] = judged
    notes = []
    if method == "ahp" and not judgments and not out.issues:
        out.add(GOALS, METHOD_CELL, "is ahp, but no AHP sheet holds judgments", "missing_judgments",
                "judgments on 'AHP committee' or the members' sheets, or another method", "ahp")
    if method != "ahp" and judgments:
        notes.append(f"the AHP sheets hold judgments, but the method is {method}: they were not imported")
    _method_inputs(method, goals, out)
    if out.issues:
        count = len(out.issues)
        raise InputError(out.issues, f"{count} problem{'s' if count != 1 else ''} in {source.name}")
    full = tuple(GoalRow(g.slot, g.id, g.name, g.description, g.points, g.rank, g.swing, kpis.get(g.slot, ()),
                         links.get(g.slot, {})) for g in goals)
    return GoalsWorkbook(str(info.get("goals_digest") or ""), method, full,
                         judgments if method == "ahp" else {}, tuple(notes))


def _goals(ws: Any, layout: Layout, out: SheetIssues) -> tuple[str, list[GoalRow]]:
    heads = read_grid(ws, GOALS_HEADER, GOALS_HEADER, len(GOAL_COLUMNS))[0]
    for column, expected in enumerate(GOAL_COLUMNS, start=1):
        if raw(heads[column - 1]) != expected:
            out.add(GOALS, ref(GOALS_HEADER, column), "header was edited (columns must stay as written)",
                    "edited_header", repr(expected), shown(raw(heads[column - 1])))
    method_cell = read_grid(ws, 4, 4, 2)[0][1]
    method = _text(method_cell, GOALS, METHOD_CELL, out) or ""
    if method not in METHODS:
        out.add(GOALS, METHOD_CELL, "is not a weighting method", "bad_method", ", ".join(METHODS), shown(method))
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
                out.add(GOALS, at(G_ID), "is empty, but the row is filled in", "missing_id",
                        "an ID of letters, digits, _ or - (or clear the whole row)", "an empty cell")
            continue
        try:
            goal_id = _ID.validate_python(goal_id)
        except ValidationError:
            out.add(GOALS, at(G_ID), "is not a valid goal ID", "bad_id",
                    "letters, digits, _ and -, starting with a letter or digit, at most 80", shown(goal_id))
            continue
        if goal_id in seen:
            out.add(GOALS, at(G_ID), f"repeats the goal ID of {seen[goal_id]}", "duplicate_id", "each ID once",
                    goal_id)
            continue
        seen[goal_id] = at(G_ID)
        if not name:
            out.add(GOALS, at(G_NAME), "is empty: every goal needs a name", "missing_name", "the goal's name",
                    "an empty cell")
        goals.append(GoalRow(slot, goal_id, name or "", description, points, rank, swing))
    if not goals and not out.issues:
        out.add(GOALS, ref(FIRST_GOAL, G_ID), "no goal is named", "no_goals", "at least one goal", "none")
    return method, goals


def _kpis(ws: Any, layout: Layout, goals: dict[int, GoalRow],
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
            out.add(KPIS, ref(row, K_NAME), f"is a KPI for goal slot {slot + 1}, which has no goal ID",
                    "kpi_without_goal", "KPIs only for named goals", shown(name))
            continue
        for column, given in ((K_NAME, name), (K_BASELINE, baseline), (K_TARGET, target)):
            if given is None and raw(cells[column - 1]) is None:
                out.add(KPIS, ref(row, column), "is empty, but the KPI row is filled in", "incomplete_kpi",
                        "the KPI's name, baseline and target (or clear the row)", "an empty cell")
        if name is not None and baseline is not None and target is not None:
            kpi = {"name": name, "unit": unit or "", "baseline": baseline, "target": target,
                   "value_per_unit": value or 0.0}
            result[slot] = (*result.get(slot, ()), kpi)
    return result


def _links(ws: Any, layout: Layout, goals: dict[int, GoalRow], asked: list[str], out: SheetIssues,
           limits: Limits) -> dict[int, dict[str, float]]:
    columns = L_FIRST_GOAL + layout.slots - 1
    result: dict[int, dict[str, float]] = {}
    expected = iter(asked)
    last = LINKS_HEADER + len(asked) * 2 + 2
    if last - LINKS_HEADER > limits.max_rows:
        raise WorkbookError(f"sheet {LINKS} has more than {limits.max_rows} rows")
    for offset, cells in enumerate(read_grid(ws, LINKS_HEADER + 1, last, columns)):
        row = LINKS_HEADER + 1 + offset
        cid = raw(cells[0])
        if cid is None:
            if any(raw(c) is not None for c in cells[L_FIRST_GOAL - 1:]):
                out.add(LINKS, ref(row, L_FIRST_GOAL), "holds points on a row without a criterion", "stray_value",
                        "points only on criterion rows", "a value")
            continue
        want = next(expected, None)
        if str(cid).strip() != want:
            out.add(LINKS, ref(row, 1), "criterion ID was changed (rows must stay as written)", "altered_id",
                    shown(want), shown(cid))
            continue
        for slot in range(layout.slots):
            column = L_FIRST_GOAL + slot
            points = _number(cells[column - 1], LINKS, ref(row, column), 0, MAX_LINK_POINTS, out)
            if not points:
                continue
            if slot not in goals:
                out.add(LINKS, ref(row, column), f"links {cid} to goal slot {slot + 1}, which has no goal ID",
                        "link_without_goal", "points only in columns of named goals", f"{points:g}")
                continue
            result.setdefault(slot, {})[want] = points
    remaining = list(expected)
    if remaining:
        out.add(LINKS, "", "rows were deleted", "missing_rows", "every criterion row as written",
                "no row for " + ", ".join(remaining[:10]) + (" ..." if len(remaining) > 10 else ""))
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
                out.add(sheet, ref(row, P_MORE), f"judges goal slots {i + 1} and {j + 1}, but not both have a goal ID",
                        "judgment_without_goal", "judgments only between named goals", shown(more))
            continue
        a, b = goals[i].id, goals[j].id
        if not given:
            open_pairs.append(f"{a} vs {b} (row {row})")
            continue
        if more not in (a, b):
            if raw(cells[P_MORE - 1]) is not None or more is None:
                out.add(sheet, ref(row, P_MORE), "does not name one of the two goals of the pair", "bad_choice",
                        f"{a} or {b}", shown(more))
            continue
        if how is None:
            if raw(cells[P_HOW - 1]) is None:
                out.add(sheet, ref(row, P_HOW), "is empty, but the pair's goal is chosen", "incomplete_judgment",
                        "1 (equal) to 9 (extremely more important)", "an empty cell")
            continue
        judged.append((more, b if more == a else a, how))
    if judged and open_pairs:
        out.add(sheet, "", f"judges {len(judged)} of {len(judged) + len(open_pairs)} pairs: every pair is needed "
                "(or leave the whole sheet blank)", "incomplete_judgments", "every pair of goals once",
                "nothing for " + ", ".join(open_pairs))
    return judged


def _method_inputs(method: str, goals: list[GoalRow], out: SheetIssues) -> None:
    column = {"points": G_POINTS, "rank_order": G_RANK, "swing": G_SWING}.get(method)
    if column is None:
        return
    allowed = {"points": "points from 0", "rank_order": "a rank from 1 (most important)",
               "swing": "a rating from 0 to 100"}[method]
    for goal in goals:
        value = {"points": goal.points, "rank_order": goal.rank, "swing": goal.swing}[method]
        if value is None:
            out.add(GOALS, ref(FIRST_GOAL + goal.slot, column), f"is empty, but the weighting method is {method}",
                    "missing_input", allowed, "an empty cell")
    if method == "swing" and goals and all(g.swing is not None for g in goals) and max(
            g.swing or 0.0 for g in goals) != 100:
        out.add(GOALS, ref(FIRST_GOAL, G_SWING), "has no goal at 100: the most valued swing is the yardstick",
                "no_top_swing", "the most valued goal at exactly 100",
                f"a highest rating of {max(g.swing or 0.0 for g in goals):g}")
    if method == "points" and goals and all(g.points is not None for g in goals) and not any(g.points for g in goals):
        out.add(GOALS, ref(FIRST_GOAL, G_POINTS), "are all 0: no goal carries weight", "zero_weights",
                "at least one goal above 0", "0")


__all__ = ["GoalRow", "GoalsWorkbook", "read_goals_workbook"]
