"""The live heart of the scorecard workbook: Weights, Scores and Goals, written as formulas.

The workbook keeps the model's linearity visible (ARCHITECTURE.md):

- Weights: goal points are the yellow inputs; goal weight = points / sum of points; each goal's
  "weight per point" = goal weight / the points of its visible criteria; criterion weight =
  sum over goals of (the criterion's points in that goal x the goal's weight per point).
- Scores: goal score = SUMPRODUCT(criterion values, the goal's points) / the goal's points;
  total = SUMPRODUCT(goal weights, goal scores); rank among bids not knocked out (ties share).

Change a goal's points in Excel and criterion weights, totals, ranks and the winner follow.
Criterion values (answers, committee scores, computed SLA/contract/price values) are constants
computed by crmselect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmselect.excel.book import Book, ScorecardData
from crmselect.excel.scorecard_words import (
    kind,
    literal,
    money_format,
    number,
    status,
    sum_total,
)
from crmselect.excel.style import (
    BAD,
    GOOD,
    MIDDLE,
    decimal_validation,
    fit_rows,
    grey_row,
    mark_input,
    print_setup,
    title,
    widths,
)
from crmselect.show.i18n import _, ngettext
from crmselect.words import (
    answer,
    local,
    method_text,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.scoring.scorecard import Scorecard

WEIGHTS, SCORES, GOALS = "Weights", "Scores", "Goals"
HEADER_ROW = 4
FIRST = HEADER_ROW + 1
PERCENT, SCORE, VALUE = "0.0%", "0.000", "0.00"
TIE = "1E-9"  # the scorecard's tie tolerance


def letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def colour_scale(ws: Worksheet, cells: str, low: float = 0.0, high: float = 1.0) -> None:
    from openpyxl.formatting.rule import ColorScaleRule

    rule = ColorScaleRule(  # type: ignore[no-untyped-call]
        start_type="num", start_value=low, start_color=BAD, mid_type="num", mid_value=(low + high) / 2,
        mid_color=MIDDLE, end_type="num", end_value=high, end_color=GOOD)
    ws.conditional_formatting.add(cells, rule)


def define(book: Book, name: str, sheet: str, cells: str) -> None:
    """A workbook-wide name for ``cells`` on the sheet whose English key is ``sheet``."""
    from openpyxl.workbook.defined_name import DefinedName

    book.wb.defined_names[name] = DefinedName(name, attr_text=book.ref(sheet, cells))


@dataclass(frozen=True)
class Layout:
    """Where the live cells are, for the other sheets to point at."""

    goals: int
    bids: int
    criteria: int
    weights_goal_row: int  # Weights: first goal row (goal g at +g)
    weight_column: int  # Weights: normalised goal weight column
    scores_total_row: int
    scores_rank_row: int
    scores_first_bid_column: int
    weights_sheet: str = f"'{WEIGHTS}'!"  # how formulas name the Weights and Scores sheets (quoted titles)
    scores_sheet: str = f"'{SCORES}'!"

    def weight_ref(self, g: int) -> str:
        return f"{self.weights_sheet}${letter(self.weight_column)}${self.weights_goal_row + g}"

    def goal_score_ref(self, b: int, g: int) -> str:
        return f"{self.scores_sheet}${letter(self.scores_first_bid_column + b)}${FIRST + g}"

    def goal_row_ref(self, g: int) -> str:
        """Goal ``g``'s scores of every bid (a row of the Scores sheet), for INDEX."""
        first, last = letter(self.scores_first_bid_column), letter(self.scores_first_bid_column + self.bids - 1)
        return f"{self.scores_sheet}${first}${FIRST + g}:${last}${FIRST + g}"

    def total_ref(self, b: int) -> str:
        return f"{self.scores_sheet}${letter(self.scores_first_bid_column + b)}${self.scores_total_row}"

    def rank_ref(self, b: int) -> str:
        return f"{self.scores_sheet}${letter(self.scores_first_bid_column + b)}${self.scores_rank_row}"


# ---------------------------------------------------------------------------- Weights
POINTS_COL, WEIGHT_COL, VISIBLE_COL, PER_POINT_COL = 3, 4, 5, 6
CRIT_ID_COL = 8  # criteria table starts at column H
CRIT_POINTS_COL = CRIT_ID_COL + 3


def write_weights(book: Book, data: ScorecardData) -> Worksheet:
    card, selection = data.scorecard, data.project.selection
    ws = book.sheet(WEIGHTS)
    title(ws, _("Weights: goal points (yellow) drive every weight, total and rank"), book.styles,
          _("Criterion weight = sum over goals of its points x the goal's weight per point. "
            "Edit only the yellow cells."))
    g_count, j_count = len(card.goal_ids), len(card.criterion_ids)
    book.header(ws, HEADER_ROW, [_("Goal ID"), _("Goal"), _("Points (input)"), _("Weight"),
                                 _("Points of its criteria"), _("Weight per point")])
    last_goal = FIRST + g_count - 1
    c_first, c_last = FIRST, FIRST + j_count - 1
    points_range = f"${letter(POINTS_COL)}${FIRST}:${letter(POINTS_COL)}${last_goal}"
    validation = decimal_validation(0, None, _("Points for this goal (any number from 0); weights are normalised."))
    ws.add_data_validation(validation)
    goals = {goal.id: goal for goal in selection.goals}
    derived = data.weighting
    by_method = derived is not None and derived.method.value != "points"
    start = {g: (100.0 * derived.as_dict()[g] if derived is not None and by_method else goals[g].weight or 0.0)
             for g in card.goal_ids}
    points_sum = sum(start.values())
    visible = [bool(card.share[g].any()) for g in range(g_count)]
    for g, goal_id in enumerate(card.goal_ids):
        row, goal = FIRST + g, goals[goal_id]
        book.text(ws, row, 1, goal_id)
        book.text(ws, row, 2, goal.name)
        cell = book.value(ws, row, POINTS_COL, round(start[goal_id], 2), "0.##")
        mark_input(cell, book.styles)
        validation.add(cell.coordinate)
        book.formula(ws, row, WEIGHT_COL, f"=IF(SUM({points_range})=0,0,C{row}/SUM({points_range}))",
                     card.goal_weights[g], PERCENT)
        column = letter(CRIT_POINTS_COL + g)
        goal_points = sum(p for cid, p in goal.criteria.items() if cid in card.criterion_ids)
        if j_count:
            book.formula(ws, row, VISIBLE_COL, f"=SUM({column}{c_first}:{column}{c_last})", goal_points, "0.##")
        else:
            book.value(ws, row, VISIBLE_COL, 0)
        book.formula(ws, row, PER_POINT_COL, f"=IF(E{row}=0,0,D{row}/E{row})",
                     card.goal_weights[g] / goal_points if visible[g] and goal_points else 0.0, "0.0000%")
    total = last_goal + 1
    book.text(ws, total, 2, sum_total()).font = book.styles.bold
    book.formula(ws, total, POINTS_COL, f"=SUM({points_range})", points_sum, "0.##")
    book.formula(ws, total, WEIGHT_COL, f"=SUM(D{FIRST}:D{last_goal})", float(card.goal_weights.sum()), PERCENT)
    unlinked = ngettext("{count} catalogue criterion serves no goal and weighs 0",
                        "{count} catalogue criteria serve no goal and weigh 0", len(card.unlinked)).format(
        count=number(len(card.unlinked)))
    book.note(ws, total + 2, _("{unlinked}; {count} price criteria are hidden until prices are revealed.").format(
        unlinked=unlinked, count=number(len(card.hidden_criteria))) if card.prices_hidden else unlinked + _("."))
    if derived is not None:
        method = _("The committee's weights come from {method}").format(method=method_text(derived))
        if derived.cr is not None:
            method += _(" (consistency ratio {cr})").format(cr=number(derived.cr, 3))
        book.note(ws, total + 3, method + (_("; the points start at those weights x 100.") if by_method else _(".")))

    weight_col = CRIT_POINTS_COL + g_count
    book.header(ws, HEADER_ROW, [_("Criterion ID"), _("Criterion"), _("Answered by"),
                                 *[_("Points: {goal}").format(goal=g) for g in card.goal_names], _("Criterion weight")],
                CRIT_ID_COL)
    links = {(g, cid): p for g, goal_id in enumerate(card.goal_ids) for cid, p in goals[goal_id].criteria.items()}
    for j, cid in enumerate(card.criterion_ids):
        row = c_first + j
        book.text(ws, row, CRIT_ID_COL, cid)
        book.text(ws, row, CRIT_ID_COL + 1, local(card.criterion_names[j]))
        book.text(ws, row, CRIT_ID_COL + 2, kind(card.criterion_kinds[j]))
        terms = []
        for g in range(g_count):
            points_col = CRIT_POINTS_COL + g
            book.value(ws, row, points_col, links.get((g, cid)))
            terms.append(f"{letter(points_col)}{row}*${letter(PER_POINT_COL)}${FIRST + g}")
        book.formula(ws, row, weight_col, "=" + "+".join(terms), card.criterion_weights[j], "0.00%")
    if j_count:
        book.text(ws, c_last + 1, CRIT_ID_COL + 1, sum_total()).font = book.styles.bold
        w = letter(weight_col)
        book.formula(ws, c_last + 1, weight_col, f"=SUM({w}{c_first}:{w}{c_last})",
                     float(card.criterion_weights.sum()), PERCENT)
        colour_scale(ws, f"{w}{c_first}:{w}{c_last}", 0.0, float(max(card.criterion_weights.max(), 1e-9)))
        define(book, "CriterionWeights", WEIGHTS, f"${w}${c_first}:${w}${c_last}")
    define(book, "GoalPoints", WEIGHTS, points_range)
    define(book, "GoalWeights", WEIGHTS, f"$D${FIRST}:$D${last_goal}")
    widths(ws, {"A": 14, "B": 34, "C": 12, "D": 10, "E": 12, "F": 12, "G": 3, "H": 12, "I": 36, "J": 14})
    for g in range(g_count + 1):
        widths(ws, {letter(CRIT_POINTS_COL + g): 11})
    fit_rows(ws, [HEADER_ROW])
    ws.freeze_panes = f"A{FIRST}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    return ws


# ---------------------------------------------------------------------------- Scores
def summary_key(card: Scorecard, b: int) -> float:
    """Where bid ``b`` stands on the Summary: its rank (knocked out: after every rank), then its place
    among the bids, as a fraction, so the keys differ and ties keep the bids' order."""
    count = len(card.bid_ids)
    rank = card.ranks[b]
    return (float(rank) if rank == rank else float(count + 1)) + b / (count + 1)


def summary_order(card: Scorecard) -> list[int]:
    """The bids (indices) in the Summary's order at these weights: by rank, knocked-out bids last."""
    return sorted(range(len(card.bid_ids)), key=lambda b: summary_key(card, b))


def write_scores(book: Book, data: ScorecardData) -> Layout:
    card = data.scorecard
    ws = book.sheet(SCORES)
    g_count, j_count, b_count = len(card.goal_ids), len(card.criterion_ids), len(card.bid_ids)
    title(ws, _("Scores: goal scores, totals and ranks follow the {weights} sheet").format(
        weights=book.title_of(WEIGHTS)), book.styles,
          _("Criterion values run from 0 (worst) to 1 (best). A knocked-out bid keeps its scores but gets no rank."))
    first_bid = 4
    last_bid_col = letter(first_bid + b_count - 1)
    book.header(ws, HEADER_ROW, [_("ID"), _("Goal / criterion"), _("Weight"), *card.labels])
    total_row, rank_row = FIRST + g_count, FIRST + g_count + 1
    eligible_row, status_row = rank_row + 1, rank_row + 2
    c_first = status_row + 3
    c_last = c_first + j_count - 1
    w_first = FIRST
    weight_col = letter(CRIT_POINTS_COL + g_count)
    for g, goal_id in enumerate(card.goal_ids):
        row = FIRST + g
        book.text(ws, row, 1, goal_id)
        book.text(ws, row, 2, card.goal_names[g]).font = book.styles.bold
        book.formula(ws, row, 3, "=" + book.ref(WEIGHTS, f"$D${FIRST + g}"), card.goal_weights[g], PERCENT)
        points_col = letter(CRIT_POINTS_COL + g)
        points = book.ref(WEIGHTS, f"${points_col}${w_first}:${points_col}${w_first + j_count - 1}")
        visible = book.ref(WEIGHTS, f"$E${FIRST + g}")
        for b in range(b_count):
            col = letter(first_bid + b)
            formula = (f"=IF({visible}=0,0,SUMPRODUCT({col}${c_first}:{col}${c_last},{points})/{visible})"
                       if j_count else "=0")
            book.formula(ws, row, first_bid + b, formula, card.goal_matrix[b, g], SCORE)
    book.text(ws, total_row, 2, _("Total")).font = book.styles.bold
    book.formula(ws, total_row, 3, f"=SUM(C{FIRST}:C{total_row - 1})", float(card.goal_weights.sum()), PERCENT)
    book.text(ws, rank_row, 2, _("Rank")).font = book.styles.bold
    book.text(ws, eligible_row, 2, _("Eligible (passes every must-have)"))
    book.text(ws, status_row, 2, _("Status"))
    order_row = status_row + 1
    book.note(ws, order_row, _("Order on the Summary (rank, then bid; knocked out last)"), 2)
    totals = f"${letter(first_bid)}${total_row}:${last_bid_col}${total_row}"
    eligible = f"${letter(first_bid)}${eligible_row}:${last_bid_col}${eligible_row}"
    yes, out = literal(_("yes")), literal(_("out"))
    for b in range(b_count):
        col = letter(first_bid + b)
        book.formula(ws, total_row, first_bid + b, f"=SUMPRODUCT($C${FIRST}:$C${total_row - 1},{col}{FIRST}:"
                     f"{col}{total_row - 1})", card.totals[b], SCORE).font = book.styles.bold
        rank = card.ranks[b]
        book.formula(ws, rank_row, first_bid + b,
                     f'=IF({col}{eligible_row}={yes},1+SUMPRODUCT(({totals}>{col}{total_row}+{TIE})*'
                     f'({eligible}={yes})),{out})', _("out") if rank != rank else float(rank)).font = book.styles.bold
        book.text(ws, eligible_row, first_bid + b, _("yes") if card.eligible[b] else _("no"))
        book.text(ws, status_row, first_bid + b, status(card, b)).alignment = book.styles.wrap
        book.formula(ws, order_row, first_bid + b, f'=IF(ISNUMBER({col}{rank_row}),{col}{rank_row},{b_count + 1})'
                     f"+{b}/{b_count + 1}", summary_key(card, b), "0.000").font = book.styles.muted
    if g_count:
        colour_scale(ws, f"D{FIRST}:{last_bid_col}{total_row}")
    book.band(ws, c_first - 1, _("Criteria that serve the goals (value 0 to 1; weight from the {weights} sheet)")
              .format(weights=book.title_of(WEIGHTS)), first_bid + b_count - 1)
    answer_col = first_bid + b_count + 1
    book.header(ws, HEADER_ROW, [_("Answer: {bid}").format(bid=label) for label in card.labels], answer_col)
    for j, cid in enumerate(card.criterion_ids):
        row = c_first + j
        book.text(ws, row, 1, cid)
        book.text(ws, row, 2, local(card.criterion_names[j]))
        book.formula(ws, row, 3, "=" + book.ref(WEIGHTS, f"${weight_col}${w_first + j}"), card.criterion_weights[j],
                     "0.00%")
        for b in range(b_count):
            book.value(ws, row, first_bid + b, float(card.criterion_values[b, j]), VALUE)
            if card.answers[b][j]:
                book.text(ws, row, answer_col + b, answer(card.answers[b][j]))
    if j_count:
        colour_scale(ws, f"D{c_first}:{last_bid_col}{c_last}")
    row = c_last + 2
    if card.unlinked:
        book.band(ws, row, _("Features that serve no goal (weight 0; shown for information)"),
                  first_bid + b_count - 1)
        for j, cid in enumerate(card.unlinked):
            book.text(ws, row + 1 + j, 1, cid)
            book.text(ws, row + 1 + j, 2, local(card.unlinked_names[j]))
            book.value(ws, row + 1 + j, 3, 0, "0.00%")
            for b in range(b_count):
                book.value(ws, row + 1 + j, first_bid + b, float(card.unlinked_values[b, j]), VALUE)
    define(book, "Totals", SCORES, totals)
    define(book, "Ranks", SCORES, f"${letter(first_bid)}${rank_row}:${last_bid_col}${rank_row}")
    define(book, "BidLabels", SCORES, f"${letter(first_bid)}${HEADER_ROW}:${last_bid_col}${HEADER_ROW}")
    define(book, "Statuses", SCORES, f"${letter(first_bid)}${status_row}:${last_bid_col}${status_row}")
    define(book, "SummaryOrder", SCORES, f"${letter(first_bid)}${order_row}:${last_bid_col}${order_row}")
    widths(ws, {"A": 12, "B": 40, "C": 9})
    for b in range(b_count):
        widths(ws, {letter(first_bid + b): 13, letter(answer_col + b): 16})
    fit_rows(ws, [HEADER_ROW, status_row])
    ws.freeze_panes = f"D{FIRST}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    return Layout(g_count, b_count, j_count, FIRST, WEIGHT_COL, total_row, rank_row, first_bid,
                  book.ref(WEIGHTS, ""), book.ref(SCORES, ""))


# ---------------------------------------------------------------------------- Goals
def write_goals(book: Book, data: ScorecardData, layout: Layout) -> tuple[str, int]:
    """The goals with their KPIs, scores and contributions; returns (contribution range start, rows) for charts."""
    card, selection = data.scorecard, data.project.selection
    goals = {goal.id: goal for goal in selection.goals}
    money = money_format(selection.currency)
    ws = book.sheet(GOALS)
    title(ws, _("Goals: what the committee wants, and how each bid serves it"), book.styles,
          _("Scores and contributions follow the {weights} sheet.").format(weights=book.title_of(WEIGHTS)))
    book.header(ws, HEADER_ROW, [_("Goal ID"), _("Goal"), _("Description"), _("Weight"), _("Criteria"),
                                 *card.labels])
    for g, goal_id in enumerate(card.goal_ids):
        row, goal = FIRST + g, goals[goal_id]
        book.text(ws, row, 1, goal_id)
        book.text(ws, row, 2, goal.name).font = book.styles.bold
        book.text(ws, row, 3, goal.description).alignment = book.styles.wrap
        book.formula(ws, row, 4, f"={layout.weight_ref(g)}", card.goal_weights[g], PERCENT)
        book.value(ws, row, 5, int(card.share[g].astype(bool).sum()))
        for b in range(layout.bids):
            book.formula(ws, row, 6 + b, f"={layout.goal_score_ref(b, g)}", card.goal_matrix[b, g], SCORE)
    last = FIRST + layout.goals - 1
    if layout.goals:
        colour_scale(ws, f"F{FIRST}:{letter(5 + layout.bids)}{last}")

    top = last + 3
    book.band(ws, top - 1, _("Contribution of each goal to the total (weight x goal score); rows add up to the "
                             "totals"), 6 + layout.goals)
    book.header(ws, top, [_("Bid"), *card.goal_names, _("Total")], 1)
    for k, b in enumerate(summary_order(card)):  # the Summary's order, live: by rank, knocked-out bids last
        row = top + 1 + k
        bid = f"MATCH(SMALL(SummaryOrder,{k + 1}),SummaryOrder,0)"
        book.formula(ws, row, 1, f"=INDEX(BidLabels,1,{bid})", card.labels[b])
        for g in range(layout.goals):
            book.formula(ws, row, 2 + g, f"={layout.weight_ref(g)}*INDEX({layout.goal_row_ref(g)},1,{bid})",
                         card.contributions[b, g], SCORE)
        end = letter(1 + layout.goals)
        book.formula(ws, row, 2 + layout.goals, f"=SUM(B{row}:{end}{row})", card.totals[b], SCORE)
        if not card.eligible[b]:
            grey_row(ws, row, 2 + layout.goals, book.styles)
    book.note(ws, top + layout.bids + 1, _("In the order of the Summary: by rank at the current weights, "
                                           "knocked-out bids (grey) last."))

    kpi_top = top + layout.bids + 4
    book.band(ws, kpi_top - 1, _("KPIs: how each goal is measured, and what reaching the target is worth a year"), 7)
    book.header(ws, kpi_top, [_("Goal ID"), _("KPI"), _("Unit"), _("Baseline"), _("Target"), _("Value of one unit"),
                              _("Yearly benefit at target")])
    row = kpi_top
    for goal_id in card.goal_ids:
        for kpi in goals[goal_id].kpis:
            row += 1
            book.text(ws, row, 1, goal_id)
            book.text(ws, row, 2, kpi.name)
            book.text(ws, row, 3, kpi.unit)
            book.value(ws, row, 4, kpi.baseline)
            book.value(ws, row, 5, kpi.target)
            book.value(ws, row, 6, kpi.value_per_unit, money)
            book.formula(ws, row, 7, f"=ABS(E{row}-D{row})*F{row}", kpi.annual_benefit, money)
    widths(ws, {"A": 28, "B": 30, "C": 50, "D": 10, "E": 9})
    for b in range(max(layout.bids, layout.goals) + 2):
        widths(ws, {letter(6 + b): 14})
    fit_rows(ws, [HEADER_ROW, *range(FIRST, last + 1), top, kpi_top])
    ws.freeze_panes = f"C{FIRST}"
    print_setup(ws)
    return f"{top}", layout.bids
