"""The Tracking sheet of the scorecard workbook ("Tracking", 跟踪): the business case tracked, when the selection has
``actuals.yaml``.

The same figures as ``crmselect track`` and the decision paper's "Business case tracked" section, as values:

- promised, planned and actual go-live (days after signature), per phase of ``phases.yaml`` and for the whole
  roll-out (:meth:`crmselect.money.tracking.TrackingResult.go_lives`);
- earned against expected per goal and, with phases, per phase at each checkpoint (rates a year and amounts to
  date since the signature, undiscounted);
- the realised ROI to date against the forecast band (P10/P50/P90 of the implementation-risk draws), only when
  prices may be shown; while they are sealed a sentence says so and no price-derived figure is on the sheet.

This is a report, not an input: the committee types actual values into the tracking workbook of
``crmselect track --template`` (:mod:`crmselect.excel.tracking_book`).  Every text goes in through
:mod:`crmselect.excel.safe`; :meth:`crmselect.excel.book.Book.finish` fits the columns (CJK measured by display
width) and protects the sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from crmselect.excel.scorecard_words import money_format, sealed
from crmselect.excel.style import fit_rows, print_setup, title, widths
from crmselect.model.ids import sheet_name
from crmselect.show.i18n import N_, _
from crmselect.words import marker_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.excel.book import Book, ScorecardData
    from crmselect.model.project import Project
    from crmselect.money.tracking import TrackingResult

TRACKING = "Tracking"
TRACKING_TITLE = N_("Tracking")
#: today's date, as of which actuals.yaml is checked (no date after it); tests replace it
today: Callable[[], dt.date] = dt.date.today
#: the forecast band's draws and seed: those of the decision paper and of ``crmselect track --draws 5000 --seed 0``
DRAWS = 5_000
SEED = 0


def tracked(project: Project, *, prices_visible: bool, draws: int = DRAWS,
            seed: int = SEED) -> tuple[TrackingResult, dict[str, str]] | None:
    """The tracked business case of ``project`` (None without ``actuals.yaml``) and its phases' names in roll-out
    order; the realised ROI rows only when ``prices_visible``."""
    from crmselect.evaluation import evaluate
    from crmselect.files.actuals import load_actuals, signature_date
    from crmselect.files.phases import load_phase_plan
    from crmselect.money.phasing import phase_schedule
    from crmselect.money.tracking import realised_roi, track

    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    goal_phases = None if plan is None else {goal: phase.id for phase in plan.phases for goal in phase.goals}
    actuals = load_actuals(project.root, project, goal_phases=goal_phases, today=today)
    if actuals is None:
        return None
    signed = signature_date(actuals, project)
    if signed is None:  # refused by the loader; kept for the type checker
        return None
    planned = None if plan is None else dict(phase_schedule(project, actuals.bid, plan).goal_go_live_days)
    scores = evaluate(project, reveal_prices=prices_visible).technical_goal_scores[actuals.bid]
    result = track(project, actuals, signed, goal_scores=scores, goal_go_live_days=planned, goal_phases=goal_phases)
    if prices_visible and result.rows:
        result = realised_roi(project, result, actuals, goal_scores=scores, goal_go_live_days=planned, n=draws,
                              random_state=seed)
    names = {} if plan is None else {phase.id: str(phase.name) for phase in plan.phases}
    return result, names


def _sheet(book: Book) -> Worksheet:
    if TRACKING not in book.titles:
        book.titles[TRACKING] = sheet_name(_(TRACKING_TITLE), book.titles.values())
    return book.sheet(TRACKING)


def _phase_word(names: dict[str, str], phase: str) -> str:
    from crmselect.money.tracking import WHOLE

    return _("Whole roll-out") if phase == WHOLE else names.get(phase, phase)


def _order(names: dict[str, str], phase: str) -> int:
    """Phases in roll-out order, the whole roll-out last."""
    order = list(names)
    return order.index(phase) if phase in order else len(order)


def write_tracking_sheet(book: Book, project: Project, result: TrackingResult, phase_names: dict[str, str],
                         data: ScorecardData | None = None) -> Worksheet:
    """The Tracking sheet of ``result`` (see the module)."""
    ws = _sheet(book)
    title(ws, _("Business case tracked: {label}").format(label=result.label), book.styles,
          _("Signed on {date}. Earned is what the KPIs' actual values show, from each goal's actual go-live; expected "
            "is the approved business case, from the planned go-live. Amounts to date are since the signature and "
            "undiscounted.").format(date=result.signed.isoformat()))
    if data is not None and marker_text(data.prices):
        book.note(ws, 3, marker_text(data.prices))
    money = money_format(project.selection.currency)
    row = 4
    book.band(ws, row, _("Go-live"), 6)
    row += 1
    book.header(ws, row, [_("Go-live"), _("Promised (days)"), _("Planned (days)"), _("Actual date"),
                          _("Actual (days)"), _("Against the plan (days)")])
    header_rows = [row]
    for go_live in sorted(result.go_lives, key=lambda g: _order(phase_names, g.phase)):
        row += 1
        book.text(ws, row, 1, _phase_word(phase_names, go_live.phase))
        book.value(ws, row, 2, go_live.promised_days, "#,##0")
        book.value(ws, row, 3, go_live.planned_days, "#,##0")
        if go_live.actual is None:
            book.text(ws, row, 4, _("not live yet"))
        else:
            book.value(ws, row, 4, go_live.actual, "yyyy-mm-dd")
        book.value(ws, row, 5, go_live.actual_days, "#,##0")
        book.value(ws, row, 6, go_live.late_days, "+#,##0;-#,##0;0")
    if not result.rows:
        row += 2
        book.note(ws, row, _("No checkpoint recorded yet."))
    names = {goal.id: str(goal.name) for goal in project.selection.goals}
    earned_head = [_("Earned a year"), _("Expected a year"), _("Earned to date"), _("Expected to date"),
                   _("Earned / expected")]
    groups = [("goal", result.goals_frame(), _("Earned against expected per goal"), _("Goal"))]
    if result.phased:
        groups.append(("phase", result.phases_frame(), _("Earned against expected per phase"), _("Phase")))
    for by, frame, band, column in groups if result.rows else ():
        row += 2
        book.band(ws, row, band, 7)
        row += 1
        book.header(ws, row, [_("Checkpoint (months)"), column, *earned_head])  # names only, never ids
        header_rows.append(row)
        items = list(frame.reset_index().iterrows())
        if by == "phase":
            items.sort(key=lambda item: (int(item[1]["checkpoint"]), _order(phase_names, str(item[1]["phase"]))))
        for _index, item in items:
            row += 1
            key = str(item[by])
            book.value(ws, row, 1, int(item["checkpoint"]), "0")
            book.text(ws, row, 2, names.get(key, key) if by == "goal" else _phase_word(phase_names, key))
            for offset, field in enumerate(("earned_rate", "expected_rate", "earned_to_date", "expected_to_date")):
                book.value(ws, row, 3 + offset, float(item[field]), money)
            ratio = float(item["earned_vs_expected"])
            book.value(ws, row, 7, ratio if math.isfinite(ratio) else None, "0%")
    if result.rows:
        row += 2
        book.band(ws, row, _("Realised ROI to date against the forecast band"), 9)
        row += 1
        if not result.roi:
            book.note(ws, row, _("Realised ROI and its forecast band are {sealed}.").format(sealed=sealed()))
        else:
            book.header(ws, row, [_("Checkpoint (months)"), _("Earned to date"), _("Cost to date"), _("Cost from"),
                                  _("Realised ROI"), _("Planned ROI"), "P10", "P50", "P90"])
            header_rows.append(row)
            for roi in result.roi:
                row += 1
                book.value(ws, row, 1, roi.checkpoint, "0")
                book.value(ws, row, 2, roi.earned_to_date, money)
                book.value(ws, row, 3, roi.cost_to_date, money)
                book.text(ws, row, 4, _("recorded") if roi.cost_source == "recorded" else _("planned TCO"))
                book.value(ws, row, 5, roi.realised_roi, "0%")
                book.value(ws, row, 6, roi.planned_roi, "0%")
                for offset, value in enumerate(roi.band):
                    book.value(ws, row, 7 + offset, value, "0%")
            row += 1
            book.note(ws, row, _("The band: {draws} draws of the implementation-risk model (seed {seed}), as "
                                 "`crmselect track DIR --draws {draws} --seed {seed}`.").format(
                draws=DRAWS, seed=SEED))
    widths(ws, {"A": 22, "B": 36, "C": 14, "D": 14, "E": 14, "F": 14, "G": 14, "H": 14, "I": 12})
    fit_rows(ws, header_rows)
    ws.freeze_panes = "A4"
    print_setup(ws)
    return ws


def write_tracking(book: Book, data: ScorecardData) -> bool:
    """The Tracking sheet of the scorecard workbook when the selection has ``actuals.yaml``; False otherwise."""
    found = tracked(data.project, prices_visible=data.prices.visible)
    if found is None:
        return False
    result, names = found
    write_tracking_sheet(book, data.project, result, names, data)
    return True


__all__ = ["DRAWS", "SEED", "TRACKING", "tracked", "write_tracking", "write_tracking_sheet"]
