"""The paper's analytic sections: goals and weights, the scorecard, value for money, money, implementation risk.

Money sections say only that they are sealed until the decision log records the reveal.
"""

from __future__ import annotations

import math

from crmselect.report.charts import svg_of
from crmselect.report.content import Block, Figure, Paragraph, Section, Table
from crmselect.report.facts import Facts
from crmselect.report.summary import member_name
from crmselect.show.i18n import _
from crmselect.words import method_text

CR_THRESHOLD = 0.10


def sealed_note() -> Paragraph:
    return Paragraph(_("Sealed until prices are revealed: the decision log has no reveal yet."))


def goals_section(facts: Facts) -> Section:
    weighting = facts.evaluation.weighting
    selection = facts.project.selection
    names = {goal.id: str(goal.name) for goal in selection.goals}
    blocks: list[Block] = [Paragraph(_("Goal weights by {method}.").format(method=method_text(weighting)))]
    if weighting.cr is not None:
        verdict = _("acceptable") if weighting.cr <= CR_THRESHOLD else _("revisit the judgements")
        blocks.append(Paragraph(_("AHP consistency ratio: {cr} ({verdict})").format(
            cr=facts.number(weighting.cr, 3), verdict=verdict)))
        for member, result in weighting.members.items():
            blocks.append(Paragraph(_("consistency ratio of {member}: {cr}").format(
                member=member_name(facts, member), cr=facts.number(result.cr, 3))))
    rows = []
    for goal in selection.goals:
        weight = weighting.as_dict().get(goal.id, 0.0)
        kpis = "; ".join(_("{kpi}: {baseline} to {target} {unit}").format(
            kpi=kpi.name, baseline=facts.number(kpi.baseline), target=facts.number(kpi.target), unit=kpi.unit)
            for kpi in goal.kpis)
        rows.append((names[goal.id], facts.percent(weight, 1), facts.number(len(goal.criteria)), kpis))
    blocks.append(Table((_("Goal"), _("Weight"), _("Criteria"), _("KPIs (today to target)")), tuple(rows),
                        numeric=(1, 2), wide=(0, 3), small=True))
    changes = [e for e in facts.log_entries if e.kind == "weight_change"]
    if changes:
        blocks.append(Paragraph(_("Weight changes recorded in the decision log: {changes}.").format(
            changes=_(", ").join(_("{who} on {when} (entry {seq})").format(
                who=member_name(facts, e.who), when=facts.when(e.timestamp), seq=e.seq) for e in changes))))
    else:
        blocks.append(Paragraph(_("The weights are those of criteria/goals.yaml; the decision log records no change "
                                  "to them.")))
    return Section(_("Goals and weights"), tuple(blocks), anchor="goals")


def scorecard_section(facts: Facts) -> Section:
    card = facts.evaluation.scorecard
    columns = [_("Goal"), _("Weight")]
    columns += [label if ok else _("{bid} (knocked out)").format(bid=label)
                for label, ok in zip(card.labels, card.eligible, strict=True)]
    rows = []
    for g, name in enumerate(card.goal_names):
        rows.append((str(name), facts.percent(card.goal_weights[g], 1),
                     *(facts.score(card.goal_matrix[b, g]) for b in range(len(card.bid_ids)))))
    rows.append((_("Total"), facts.percent(float(card.goal_weights.sum())),
                 *(facts.score(t) for t in card.totals)))
    rows.append((_("Rank"), "", *(facts.number(r) if not math.isnan(r) else _("out") for r in card.ranks)))
    blocks: list[Block] = [
        Paragraph(_("Each cell is a bid's score on a goal from 0 to 1; the total is the weighted sum. Knocked-out bids "
                    "are shown but not ranked.")),
        Table(tuple(columns), tuple(rows), numeric=tuple(range(1, len(columns))), bold=(len(rows) - 2,), small=True,
              wide=(0,)),
    ]
    if card.prices_hidden and card.hidden_criteria:
        blocks.append(Paragraph(_("Prices are hidden: {count} price criteria stay out until the technical scoring is "
                                  "locked and prices are revealed (decision log).").format(
            count=len(card.hidden_criteria))))
    blocks.append(Figure(svg_of(lambda: card.plot("stacked"), prefix="stacked"),
                         _("Contribution of each goal to each bid's total"), width_pct=75))
    return Section(_("The scorecard"), tuple(blocks), anchor="scorecard")


def value_section(facts: Facts) -> Section:
    if facts.sealed:
        return Section(_("Value for money"), (sealed_note(),), anchor="value")
    frontier = facts.evaluation.price_frontier()
    frame = frontier.frame()
    rows = []
    for _bid, row in frame.iterrows():
        rows.append((str(row["label"]), facts.score(row.get("technical")), facts.money(row.get("npv")),
                     _("yes") if bool(row.get("efficient")) else _("no")))
    blocks: list[Block] = [
        Paragraph(_("Technical score (price left out) against the NPV of cost. A bid is on the frontier when no other "
                    "bid scores at least as high for no more money.")),
        Figure(svg_of(frontier.plot, prefix="frontier"), _("Value for money: score against NPV, with the frontier"),
               width_pct=70),
        Table((_("Bid"), _("Technical score"), _("NPV of cost"), _("On the frontier")), tuple(rows), numeric=(1, 2)),
    ]
    return Section(_("Value for money"), tuple(blocks), anchor="value")


def money_section(facts: Facts) -> Section:
    if facts.sealed or facts.returns is None:
        return Section(_("Money: TCO, NPV and ROI"), (sealed_note(),), anchor="money")
    tco = facts.evaluation.tco
    card = facts.evaluation.scorecard
    rows = []
    for result in tco.results:
        rows.append((result.label, facts.money(float(result.initial.sum())), facts.money(result.total),
                     facts.money(result.npv), facts.money(result.cost_per_user_year),
                     facts.number(result.inputs.go_live_days, 0)))
    blocks: list[Block] = [
        Table((_("Bid"), _("Initial"), _("TCO"), _("NPV of cost"), _("Cost per user and year"),
               _("Go-live planned (days)")), tuple(rows), numeric=(1, 2, 3, 4, 5),
              caption=_("TCO over {years} years plus the initial period ({currency})").format(
                  years=tco.results[0].horizon_years, currency=facts.currency)),
        Paragraph(tco.payment_convention()),
        Figure(svg_of(tco.plot, prefix="tco"),
               _("Cumulative cost over the selection's horizon, with the years in which costs cross"), width_pct=75),
    ]
    winner = card.winner
    if winner is not None:
        blocks.append(Figure(svg_of(tco.tornado(winner).plot, prefix="tornado"),
                             _("What moves the NPV of {bid} most (each input 20 % down and up)").format(
                                 bid=facts.label(winner)), width_pct=75))
    roi_rows = []
    for returns in facts.returns.results:
        summary = returns.summary()

        def months(value: float | None) -> str:
            return facts.number(value, 0) if value is not None else _("never")

        roi_rows.append((returns.label, facts.money(summary["annual_benefit"]), facts.money(summary["npv"]),
                         facts.percent(summary["roi"]), facts.percent(summary["risk_roi"]),
                         months(summary["payback_months"]), months(summary["risk_payback_months"])))
    blocks.append(Table((_("Bid"), _("Benefit a year at full fit"), _("NPV net of benefits"), _("ROI"),
                         _("ROI risk-adjusted"), _("Payback (months)"), _("Payback risk-adjusted (months)")),
                        tuple(roi_rows), numeric=(1, 2, 3, 4, 5, 6), caption=_("Return on investment"), small=True))
    return Section(_("Money: TCO, NPV and ROI"), tuple(blocks), anchor="money")


def risk_section(facts: Facts) -> Section:
    columns = [_("Bid"), _("Promised (days)"), _("Planned (days)"), _("P10"), _("P50"), _("P90"),
               _("Chance on time")]
    if not facts.sealed:
        columns += [_("NPV of cost P50"), _("NPV of cost P90")]
    rows = []
    for risk in facts.risks.values():
        row = [risk.label, facts.number(risk.claimed_go_live_days, 0), facts.number(risk.planned_go_live_days, 0),
               *(facts.number(risk.percentile("go_live_days", q), 0) for q in (10, 50, 90)),
               facts.percent(risk.probability_on_time)]
        if not facts.sealed:
            row += [facts.money(risk.percentile("cost_npv", q)) for q in (50, 90)]
        rows.append(tuple(row))
    first = next(iter(facts.risks.values()), None)
    multiplier = first.readiness_multiplier if first is not None else 1.0
    blocks: list[Block] = [
        Paragraph(_("Go-live in days from a Monte Carlo of delay and cost overrun with a fat right tail (the risk "
                    "model is in the method notes). The plan is the vendor's promise, or our reference plan when the "
                    "promise is shorter; our own readiness stretches every plan by x{factor}.").format(
            factor=facts.number(multiplier, 2))),
        Table(tuple(columns), tuple(rows), numeric=tuple(range(1, len(columns))), small=True),
    ]
    winner = facts.evaluation.scorecard.winner
    if winner is not None:
        risk = facts.risks[winner]
        blocks.append(Figure(svg_of(risk.plot, prefix="risk"),
                             _("Go-live of {bid}: draws of the simulation, with the plan and P10/P50/P90").format(
                                 bid=risk.label), width_pct=70))
    return Section(_("Implementation risk"), tuple(blocks), anchor="risk")


__all__ = ["goals_section", "money_section", "risk_section", "scorecard_section", "value_section"]
