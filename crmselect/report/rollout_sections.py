"""The paper's roll-out sections (issue 22): the roll-out plan of the recommended bid, and the business case tracked.

- **Roll-out plan**: the phases of ``phases.yaml`` when the selection has one (the paper says so); else the plan
  crmselect proposes (:func:`crmselect.money.phasing.propose_plan`) with a cap the paper states and explains
  (:func:`assumed_cap`); else, when no plan can be proposed, the big bang, with the reason.  Each phase's goals,
  effort, planned and P10/P50/P90 go-live (:func:`crmselect.money.phase_risk.plan_risk`, the paper's draws and
  seed), what phasing buys in plain words, and phased against big bang: ROI and payback only once prices are
  revealed.  Effort days come from prices when a bid gives its services as a cost only (services cost / cost of
  an effort day): they are then sealed too.
- **Business case tracked** (only when ``actuals.yaml`` exists): promised, planned and actual go-live, earned
  against expected per goal and per phase at each checkpoint (:func:`crmselect.money.tracking.track`), and the
  realised ROI against the forecast band (:func:`crmselect.money.tracking.realised_roi`), sealed until the reveal.

:func:`gather_rollout` and :func:`gather_tracking` compute (called by :func:`crmselect.report.facts.gather`); the
sections only read :class:`~crmselect.report.facts.Facts`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from crmselect.report.charts import svg_of
from crmselect.report.content import Block, Callout, Figure, Paragraph, Section, Table
from crmselect.report.facts import RISK_DRAWS, SEED, Facts
from crmselect.report.sections import sealed_note
from crmselect.show.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.evaluation import Evaluation
    from crmselect.model.actuals import Actuals
    from crmselect.model.phases import PhasePlan
    from crmselect.model.project import Project
    from crmselect.money.phase_risk import PlanResult
    from crmselect.money.tracking import TrackingResult

#: the paper's today (the tracking file refuses dates after it); tests replace it
today: Callable[[], dt.date] = dt.date.today

#: A proposal's cap, when the selection has no phases.yaml: this share of what the bid needs in all, so that the
#: roll-out has at least two phases (or what the largest goal needs alone, when that is more).
CAP_SHARE = 0.5

Origin = Literal["file", "proposed", "big_bang"]


# ---------------------------------------------------------------------------- gathering
@dataclass(frozen=True)
class Rollout:
    """The roll-out plan the paper shows for the recommended bid, where it comes from, and its draws."""

    bid: str
    origin: Origin
    result: PlanResult
    cap_days: float | None  # the cap assumed for a proposal
    total_effort_days: float
    largest_goal_days: float
    effort_from_prices: bool  # effort days derived from the services cost: sealed until the reveal
    big_bang_reason: str = ""  # why no plan could be proposed (origin big_bang)


@dataclass(frozen=True)
class Tracking:
    """The tracked business case of the bought bid (``actuals.yaml``)."""

    actuals: Actuals
    result: TrackingResult  # with the realised ROI rows once prices may be shown
    phase_names: Mapping[str, str]  # phase id -> name (phases.yaml)


def assumed_cap(total_days: float, largest_goal_days: float) -> float:
    """The cap of a proposal the paper makes: :data:`CAP_SHARE` of the bid's whole effort, at least what the
    largest goal needs alone (a smaller cap fits no plan), and 1 day when the bid needs no effort at all."""
    return max(CAP_SHARE * total_days, largest_goal_days, 1.0)


def effort_from_prices(project: Project, bid_id: str) -> bool:
    """True when the bid's effort days include services given only as a cost (days = cost / cost of a day)."""
    plan = project.bid(bid_id).offer.implementation
    return plan.services_days is None and plan.services_cost > 0 and \
        project.selection.assumptions.cost_per_effort_day > 0


def gather_rollout(project: Project, evaluation: Evaluation, bid_id: str | None, *,
                   prices_visible: bool) -> Rollout | None:
    """The roll-out plan of ``bid_id`` (the recommended bid; None: no plan): ``phases.yaml``, else a proposal with
    :func:`assumed_cap`, else the big bang; the per-phase draws with the paper's draws and seed."""
    from crmselect.errors import AnalysisError
    from crmselect.files.phases import load_phase_plan
    from crmselect.model.phases import PhasePlan
    from crmselect.money.phase_risk import plan_risk
    from crmselect.money.phasing import MAX_PROPOSAL_GOALS, goal_efforts, propose_plan

    if bid_id is None:
        return None
    scores = evaluation.technical_goal_scores[bid_id]
    efforts = goal_efforts(project, bid_id)
    total = efforts.total_days
    largest = max((efforts.alone(goal) for goal in efforts.goal_ids), default=0.0)
    plan: PhasePlan | None = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    origin: Origin = "file"
    cap = None
    reason = ""
    if plan is None:
        goals = len(project.selection.goal_ids)
        if goals < 2:
            reason = _("the selection has one goal, so there is nothing to put in phases")
        elif goals > MAX_PROPOSAL_GOALS:
            reason = _("the selection has {count} goals and a proposal handles at most {most} (the exact search "
                       "would take too long); write phases.yaml by hand, or group goals").format(
                count=goals, most=MAX_PROPOSAL_GOALS)
        else:
            cap = assumed_cap(total, largest)
            try:
                plan = propose_plan(project, bid_id, effort_cap_days=cap, overhead_days=0.0, goal_scores=scores)
                origin = "proposed"
            except AnalysisError as error:
                reason = str(error)
                cap = None
        if plan is None:
            origin = "big_bang"
            plan = PhasePlan.big_bang(project.selection, name=_("All goals (big bang)"))
    result = plan_risk(project, bid_id, plan, n=RISK_DRAWS, random_state=SEED, goal_scores=scores,
                       prices_visible=prices_visible)
    return Rollout(bid=bid_id, origin=origin, result=result, cap_days=cap, total_effort_days=total,
                   largest_goal_days=largest, effort_from_prices=effort_from_prices(project, bid_id),
                   big_bang_reason=reason)


def gather_tracking(project: Project, evaluation: Evaluation, *, prices_visible: bool,
                    on: dt.date | None = None) -> Tracking | None:
    """The tracked business case when the selection has ``actuals.yaml`` (None otherwise), checked as of ``on``
    (default: :data:`today`); the realised ROI and its band (the paper's draws and seed) only when prices may be
    shown."""
    from crmselect.files.actuals import load_actuals, signature_date
    from crmselect.files.phases import load_phase_plan
    from crmselect.money.phasing import phase_schedule
    from crmselect.money.tracking import realised_roi, track

    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    goal_phases = None if plan is None else {goal: plan.phase_of(goal).id for goal in project.selection.goal_ids}
    day = on or today()
    actuals = load_actuals(project.root, project, goal_phases=goal_phases, today=lambda: day)
    if actuals is None:
        return None
    signed = signature_date(actuals, project)
    if signed is None:  # the loader refuses actuals without a signature date; kept for the type checker
        return None
    planned = None if plan is None else dict(phase_schedule(project, actuals.bid, plan).goal_go_live_days)
    scores = evaluation.technical_goal_scores[actuals.bid]
    result = track(project, actuals, signed, goal_scores=scores, goal_go_live_days=planned, goal_phases=goal_phases)
    if prices_visible and result.rows:
        result = realised_roi(project, result, actuals, goal_scores=scores, goal_go_live_days=planned, n=RISK_DRAWS,
                              random_state=SEED)
    names = {} if plan is None else {phase.id: str(phase.name) for phase in plan.phases}
    return Tracking(actuals=actuals, result=result, phase_names=names)


# ---------------------------------------------------------------------------- the roll-out section
def _days(facts: Facts, value: float) -> str:
    return facts.number(value, 0)


def _origin_text(facts: Facts, rollout: Rollout) -> str:
    label = facts.label(rollout.bid)
    plan = rollout.result.plan
    if rollout.origin == "file":
        text = _("The roll-out plan is the committee's own, from phases.yaml in the selection, applied to {bid}, the "
                 "recommended bid.").format(bid=label)
        if plan.bid is not None and plan.bid != rollout.bid:
            text += " " + _("It was written for {other}; a plan applies to any bid.").format(
                other=facts.label(plan.bid) if plan.bid in facts.evaluation.scorecard.bid_ids else plan.bid)
        text += " " + _("Each phase adds {days} days for its own testing, cut-over and training.").format(
            days=facts.number(plan.overhead_days, 0))
        return text
    if rollout.origin == "proposed":
        assert rollout.cap_days is not None
        shown = not (facts.sealed and rollout.effort_from_prices)
        cap = _("{cap} effort days").format(cap=_days(facts, rollout.cap_days)) if shown else _(
            "a number of effort days (sealed: the bid gives its services as a cost)")
        text = _("The selection has no phases.yaml, so this is the plan crmselect proposes for {bid}, the recommended "
                 "bid: the goals in phases, in the order with the most expected discounted benefit over {years} "
                 "years, with at most {cap} in one phase.").format(
            bid=label, years=facts.project.selection.assumptions.horizon_years, cap=cap)
        why = _("That cap is an assumption of this paper: half of what the bid needs in all, so that the roll-out has "
                "at least two phases, or what the largest goal needs alone when that is more.")
        overhead = _("No days are assumed for each phase's own testing, cut-over and training (the default of "
                     "phases.yaml): with none, a phase boundary only moves value earlier, so the proposal splits as "
                     "far as the cap allows.")
        how = _("To keep, change or refine it: `crmselect plan DIR --bid {id} --propose --cap DAYS --overhead DAYS "
                "--write`, or write phases.yaml by hand (docs/PHASES.md).").format(id=rollout.bid)
        return " ".join((text, why, overhead, how))
    return _("The selection has no phases.yaml and no phased plan could be proposed for {bid}: {reason}. So this is "
             "the big bang: every goal goes live at once.").format(bid=label, reason=rollout.big_bang_reason)


def go_live_frame(facts: Facts, rollout: Rollout) -> tuple[object, object]:
    """The figure's rows: each phase (P10, P50, P90, planned days) and the big bang from the same draws."""
    import pandas as pd

    result = rollout.result
    frame = result.frame()
    phases = pd.DataFrame({"P10": frame["P10"], "P50": frame["P50"], "P90": frame["P90"],
                           "planned": frame["planned_go_live_days"]})
    phases.index = [str(name) for name in frame["name"]]
    draws = result.big_bang_go_live_days
    low, mid, high = (float(v) for v in np.percentile(draws, (10, 50, 90)))
    big = pd.DataFrame({"P10": [low], "P50": [mid], "P90": [high], "planned": [result.schedule.big_bang_go_live_days]},
                       index=[_("Everything at once (big bang)")])
    return phases, big


def _values(frame: pd.DataFrame, key: str) -> list[float]:
    return [float(v) for v in frame.loc[key].to_numpy(dtype=float)]


def _payback(facts: Facts, value: float) -> str:
    return _("never") if value is None or not math.isfinite(value) else facts.number(value, 1)


def rollout_section(facts: Facts) -> Section:
    title = _("Roll-out plan")
    rollout = facts.rollout
    if rollout is None:
        return Section(title, (Paragraph(_("No bid can be recommended, so there is no roll-out plan.")),),
                       anchor="rollout")
    from crmselect.show.rollout_plots import go_live_ranges

    result = rollout.result
    effort_shown = not (facts.sealed and rollout.effort_from_prices)
    blocks: list[Block] = [Paragraph(_origin_text(facts, rollout))]
    columns = [_("Phase"), _("Goals")]
    columns += [_("Effort (days)")] if effort_shown else []
    columns += [_("Planned"), _("P10"), _("P50"), _("P90")]
    columns += [] if facts.sealed else [_("Benefit a year")]  # as the paper's money: shown once prices are
    rows = []
    for phase, (_id, row) in zip(result.plan.phases, result.frame().iterrows(), strict=True):
        cells = [str(row["name"]), _(", ").join(result.goal_names.get(goal, goal) for goal in phase.goals)]
        cells += [_days(facts, row["effort_days"])] if effort_shown else []
        cells += [_days(facts, row[key]) for key in ("planned_go_live_days", "P10", "P50", "P90")]
        cells += [] if facts.sealed else [facts.money(row["annual_benefit"])]
        rows.append(tuple(cells))
    blocks.append(Table(tuple(columns), tuple(rows), numeric=tuple(range(2, len(columns))), small=True, wide=(1,),
                        caption=_("Go-live in days after signature: planned, and P10/P50/P90 of the implementation-"
                                  "risk draws ({draws} draws per bid, seed {seed}), the phases correlated "
                                  "{correlation}").format(draws=facts.number(result.n), seed=SEED,
                                                          correlation=facts.number(result.correlation, 1))
                        + ("" if facts.sealed else _("; benefit a year by the bid's fit ({currency})").format(
                            currency=facts.currency))))
    if not effort_shown:
        blocks.append(Paragraph(_("Effort days are sealed until prices are revealed: this bid gives its implementation "
                                  "services as a cost, so its days are that cost divided by the cost of an effort "
                                  "day.")))
    phases, big = go_live_frame(facts, rollout)
    blocks.append(Figure(svg_of(lambda: go_live_ranges(phases, compared=big, xlabel=_("days after signature")),
                                prefix="rollout"),
                         _("Go-live of each phase of {bid}: P10 to P90 of the draws, P50 and the plan; the big bang "
                           "from the same draws, in grey").format(bid=facts.label(rollout.bid)), width_pct=75))
    blocks.append(Callout(result.sentences()[0], "good"))
    comparison = result.comparison()
    head = (_("Quantity"), _("Phased P10"), _("Phased P50"), _("Phased P90"), _("Big bang P10"), _("Big bang P50"),
            _("Big bang P90"))
    words = {"first_value_days": _("First value (days after signature)"),
             "all_live_days": _("Everything live (days after signature)"),
             "roi": _("ROI over the horizon"), "payback_months": _("Payback (months after signature)")}
    timing = tuple((words[key], *(_days(facts, v) for v in _values(comparison, key)))
                   for key in ("first_value_days", "all_live_days"))
    blocks.append(Table(head, timing, numeric=(1, 2, 3, 4, 5, 6), small=True, wide=(0,),
                        caption=_("Phased against big bang, from the same draws")))
    if facts.sealed or result.money is None:
        blocks.append(sealed_note())
    else:
        money = ((words["roi"], *(facts.percent(v) for v in _values(comparison, "roi"))),
                 (words["payback_months"], *(_payback(facts, v) for v in _values(comparison, "payback_months"))))
        blocks.append(Table(head, money, numeric=(1, 2, 3, 4, 5, 6), small=True, wide=(0,),
                            caption=_("ROI and payback, phased against big bang")))
        blocks.append(Paragraph(result.sentences()[1]))
    return Section(title, tuple(blocks), anchor="rollout")


# ---------------------------------------------------------------------------- the tracking section
def _ratio(facts: Facts, value: float) -> str:
    return "-" if value is None or not math.isfinite(value) else facts.percent(value)


def _phase_word(tracking: Tracking, phase: str) -> str:
    from crmselect.money.tracking import WHOLE

    return _("Whole roll-out") if phase == WHOLE else tracking.phase_names.get(phase, phase)


def band_word(realised: float, band: tuple[float, ...]) -> str:
    """Where the realised ROI sits against the forecast band P10..P90."""
    if not math.isfinite(realised):
        return "-"
    if realised < band[0]:
        return _("below P10")
    if realised > band[-1]:
        return _("above P90")
    return _("within P10 to P90")


def tracking_section(facts: Facts) -> Section | None:
    """None when the selection has no actuals.yaml (the paper then has no such section)."""
    tracking = facts.tracking
    if tracking is None:
        return None
    result = tracking.result
    blocks: list[Block] = [Paragraph(_(
        "Tracked in actuals.yaml: what {bid} delivered after the signature on {date}. Earned is what the KPIs' actual "
        "values show, from each goal's actual go-live; expected is the approved business case (the bid's fit), from "
        "the planned go-live. Amounts to date are since the signature and undiscounted.").format(
        bid=result.label, date=facts.date(result.signed)))]
    recommended = facts.ranked[0] if facts.ranked else None
    if recommended is not None and recommended != result.bid_id:
        blocks.append(Callout(_("The bid bought, {bought}, is not the bid this paper recommends ({recommended}).")
                              .format(bought=result.label, recommended=facts.label(recommended)), "warning"))
    order = [*tracking.phase_names]

    def rank(phase: str) -> int:  # phases in roll-out order, the whole roll-out last
        return order.index(phase) if phase in order else len(order)

    rows = []
    for row in sorted(result.go_lives, key=lambda g: rank(g.phase)):
        rows.append((_phase_word(tracking, row.phase),
                     "-" if row.promised_days is None else _days(facts, row.promised_days),
                     _days(facts, row.planned_days), facts.date(row.actual) if row.actual else _("not live yet"),
                     "-" if row.actual_days is None else _days(facts, row.actual_days),
                     "-" if row.late_days is None else f"{row.late_days:+,.0f}"))
    blocks.append(Table((_("Go-live"), _("Promised (days)"), _("Planned (days)"), _("Actual date"), _("Actual (days)"),
                         _("Against the plan (days)")), tuple(rows), numeric=(1, 2, 4, 5), small=True, wide=(0,),
                        caption=_("Promised, planned and actual go-live, in days after signature")))
    if not result.rows:
        blocks.append(Paragraph(_("No checkpoint recorded yet.")))
        return Section(_("Business case tracked"), tuple(blocks), anchor="tracking")
    names = {goal.id: str(goal.name) for goal in facts.project.selection.goals}
    goals = result.goals_frame().reset_index()
    goal_rows = tuple((facts.number(int(r["checkpoint"])), names.get(str(r["goal"]), str(r["goal"])),
                       facts.money(r["earned_rate"]), facts.money(r["expected_rate"]), facts.money(r["earned_to_date"]),
                       facts.money(r["expected_to_date"]), _ratio(facts, r["earned_vs_expected"]))
                      for _i, r in goals.iterrows())
    earned_head = (_("Earned a year"), _("Expected a year"), _("Earned to date"), _("Expected to date"),
                   _("Earned / expected"))
    blocks.append(Table((_("Checkpoint (months)"), _("Goal"), *earned_head), goal_rows, numeric=(0, 2, 3, 4, 5, 6),
                        small=True, wide=(1,), caption=_("Earned against expected per goal ({currency})").format(
                            currency=facts.currency)))
    if result.phased:
        phases = result.phases_frame().reset_index()
        phases = phases.assign(order=[rank(str(p)) for p in phases["phase"]]).sort_values(
            ["checkpoint", "order"], kind="stable")
        phase_rows = tuple((facts.number(int(r["checkpoint"])), _phase_word(tracking, str(r["phase"])),
                            facts.money(r["earned_rate"]), facts.money(r["expected_rate"]),
                            facts.money(r["earned_to_date"]), facts.money(r["expected_to_date"]),
                            _ratio(facts, r["earned_vs_expected"])) for _i, r in phases.iterrows())
        blocks.append(Table((_("Checkpoint (months)"), _("Phase"), *earned_head), phase_rows,
                            numeric=(0, 2, 3, 4, 5, 6), small=True, wide=(1,),
                            caption=_("Earned against expected per phase ({currency})").format(
                                currency=facts.currency)))
    if facts.sealed or not result.roi:
        blocks.append(sealed_note())
        return Section(_("Business case tracked"), tuple(blocks), anchor="tracking")
    roi_rows = tuple((facts.number(r.checkpoint), facts.money(r.earned_to_date), facts.money(r.cost_to_date),
                      _("recorded") if r.cost_source == "recorded" else _("planned TCO"), facts.percent(r.realised_roi),
                      facts.percent(r.planned_roi), *(facts.percent(v) for v in r.band),
                      band_word(r.realised_roi, r.band)) for r in result.roi)
    blocks.append(Table((_("Checkpoint (months)"), _("Earned to date"), _("Cost to date"), _("Cost from"),
                         _("Realised ROI"), _("Planned ROI"), _("P10"), _("P50"), _("P90"), _("Against the forecast")),
                        roi_rows, numeric=(0, 1, 2, 4, 5, 6, 7, 8), small=True,
                        caption=_("Realised ROI to date against the forecast band ({draws} draws, seed {seed}; "
                                  "undiscounted)").format(draws=facts.number(RISK_DRAWS), seed=SEED)))
    return Section(_("Business case tracked"), tuple(blocks), anchor="tracking")


__all__ = ["CAP_SHARE", "Rollout", "Tracking", "assumed_cap", "band_word", "effort_from_prices", "gather_rollout",
           "gather_tracking", "go_live_frame", "rollout_section", "tracking_section"]
