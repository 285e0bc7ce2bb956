"""Page 1: the whole recommendation in plain words.

The winner and the runner-up with the margin; how robust the choice is (stability intervals, SMAA);
TCO, NPV and payback (after the reveal); go-live P50/P90 against the promise; the top red flags with what
to ask for; the knock-outs with their reasons; who decided, and when.
"""

from __future__ import annotations

import math

from crmselect.report.content import Block, Bullets, Callout, Paragraph, Section, Table
from crmselect.report.facts import Facts
from crmselect.show.i18n import _
from crmselect.words import knockout_text, seal_warning_lines

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
TOP_FLAGS = 3


def member_name(facts: Facts, member: str) -> str:
    """A committee member's display name (the id when the committee file does not know it)."""
    for person in facts.project.committee.members:
        if person.id == member:
            return f"{person.name}"
    return member


def state_callouts(facts: Facts) -> list[Block]:
    """What a reader must know before reading any figure: sealed prices, drift after the lock, a broken log."""
    out: list[Block] = []
    if facts.sealed:
        out.append(Callout(_("Technical report: prices are sealed until the committee reveals them in the decision "
                             "log. This paper shows no price, cost or NPV; make it again after the reveal."),
                           "warning"))
    lines = seal_warning_lines(facts.seal)
    if lines:
        out.append(Callout("\n".join(line.strip() for line in lines), "warning"))
    if facts.log_problems:
        out.append(Callout(_("The decision log does not verify ({count} problems, listed in the last section): "
                             "a tampered record decides nothing.").format(count=len(facts.log_problems)), "warning"))
    return out


def recommendation(facts: Facts) -> list[Block]:
    ranked = facts.ranked
    card = facts.evaluation.scorecard
    if not ranked:
        return [Callout(_("No bid can be recommended: every bid is knocked out by a must-have requirement. The "
                          "knock-outs and their reasons are listed below."), "warning")]
    winner = ranked[0]
    if len(ranked) == 1:
        return [Paragraph(_("Recommended: {winner}, the only bid that passes every must-have requirement (total "
                            "score {total} of 1).").format(winner=facts.label(winner),
                                                          total=facts.score(facts.total(winner))))]
    if len(card.winners) > 1:
        tied = _(", ").join(facts.label(b) for b in card.winners)
        return [Callout(_("No single recommendation: {bids} tie for first place (total score {total} of 1). The "
                          "committee decides between them.").format(bids=tied,
                                                                    total=facts.score(facts.total(winner))),
                        "warning")]
    runner = ranked[1]
    margin = facts.total(winner) - facts.total(runner)
    share = margin / facts.total(winner) if facts.total(winner) > 0 else math.nan
    return [Paragraph(_("Recommended: {winner}, total score {total} of 1. Runner-up: {runner}, {runner_total}. "
                        "Margin: {margin} points ({share} of the winner's total).").format(
        winner=facts.label(winner), total=facts.score(facts.total(winner)), runner=facts.label(runner),
        runner_total=facts.score(facts.total(runner)), margin=facts.score(margin), share=facts.percent(share, 1)))]


def bids_table(facts: Facts) -> Table:
    """Every eligible bid, best first: score, chance of winning, money (after the reveal), go-live, red flags."""
    columns = [_("Rank"), _("Bid"), _("Total score")]
    smaa = facts.smaa
    if smaa is not None:
        columns.append(_("Chance of winning (SMAA)"))
    if not facts.sealed:
        columns += [_("TCO"), _("NPV of cost"), _("Payback (months)")]
    columns += [_("Go-live promised (days)"), _("Go-live P50 / P90 (days)"), _("High red flags")]
    tco = facts.evaluation.tco
    rows = []
    for bid in facts.ranked:
        row = [facts.number(facts.evaluation.scorecard.ranks[facts.evaluation.scorecard.bid_ids.index(bid)]),
               facts.label(bid), facts.score(facts.total(bid))]
        if smaa is not None:
            first = dict(zip(smaa.labels, smaa.first_rank.tolist(), strict=True))
            row.append(facts.percent(first.get(facts.label(bid)), 1))
        if not facts.sealed:
            payback = facts.returns[bid].payback_months() if facts.returns is not None else None
            row += [facts.money(tco[bid].total), facts.money(tco[bid].npv),
                    facts.number(payback, 0) if payback is not None else _("never")]
        risk = facts.risks[bid]
        row += [facts.number(risk.claimed_go_live_days, 0),
                f"{facts.number(risk.percentile('go_live_days', 50), 0)} / "
                f"{facts.number(risk.percentile('go_live_days', 90), 0)}",
                facts.number(sum(f.severity.value == "high" for f in facts.evaluation.checks.findings(bid)))]
        rows.append(tuple(row))
    numeric = tuple(i for i, c in enumerate(columns) if i != 1)
    return Table(tuple(columns), tuple(rows), caption=_("The eligible bids, best first"), numeric=numeric,
                 share=((1, 20),), small=True,
                 bold=(0,) if rows else ())


def robustness(facts: Facts) -> list[str]:
    """The winner's robustness in sentences: SMAA chance of winning, the tightest weight, the nearest flip."""
    out: list[str] = []
    smaa, intervals, flips = facts.smaa, facts.stability, facts.flips
    if smaa is None or intervals is None or flips is None or len(facts.evaluation.scorecard.winners) != 1:
        return out
    first = sorted(zip(smaa.labels, smaa.first_rank.tolist(), strict=True), key=lambda item: -item[1])
    chances = _(", ").join(_("{bid} {chance}").format(bid=label, chance=facts.percent(p, 1)) for label, p in first
                           if p > 0)
    out.append(_("Chance of winning when the goal weights are uncertain (SMAA, {samples} weight vectors drawn "
                 "uniformly over all weightings): {chances}.").format(samples=facts.number(smaa.n), chances=chances))
    room = [min(w - lo, hi - w) for w, lo, hi in zip(intervals.weights, intervals.winner_lo, intervals.winner_hi,
                                                     strict=True)]
    tight = min(range(len(room)), key=lambda j: room[j])
    out.append(_("{winner} stays first while each goal's weight stays within its stability interval; the tightest "
                 "is {goal}: weight {weight} now, {winner} first from {lo} to {hi}.").format(
        winner=intervals.winner, goal=intervals.goals[tight], weight=facts.percent(intervals.weights[tight], 1),
        lo=facts.percent(intervals.winner_lo[tight], 1), hi=facts.percent(intervals.winner_hi[tight], 1)))
    nearest = next((flip for flip in flips.flips if flip.feasible), None)
    if nearest is not None:
        out.append(_("The smallest change of the weights that lets {challenger} catch up moves {moved} of the total "
                     "weight between goals.").format(challenger=nearest.challenger,
                                                     moved=facts.percent(nearest.distance / 2, 1)))
    return out


def money_sentence(facts: Facts, winner: str) -> str:
    result = facts.evaluation.tco[winner]
    payback = facts.returns[winner].payback_months() if facts.returns is not None else None
    risk_payback = facts.returns[winner].payback_months(risk_adjusted=True) if facts.returns is not None else None
    def months(value: float | None) -> str:
        return _("{months} months").format(months=facts.number(value, 0)) if value is not None else _("never")

    return _("Money: over {years} years plus the initial period, {winner} costs {tco} (TCO); the NPV of that cost at "
             "{rate} % a year is {npv}. It pays back after {payback} ({risk} risk-adjusted).").format(
        years=result.horizon_years, winner=facts.label(winner), tco=facts.money(result.total),
        rate=facts.number(result.discount_rate_pct), npv=facts.money(result.npv), payback=months(payback),
        risk=months(risk_payback))


def go_live_sentence(facts: Facts, winner: str) -> str:
    risk = facts.risks[winner]
    return _("Go-live: {winner} promises {claimed} days; the risk simulation gives {p50} days at P50 and {p90} days "
             "at P90, a {chance} chance of going live within the promise.").format(
        winner=facts.label(winner), claimed=facts.number(risk.claimed_go_live_days, 0),
        p50=facts.number(risk.percentile("go_live_days", 50), 0),
        p90=facts.number(risk.percentile("go_live_days", 90), 0), chance=facts.percent(risk.probability_on_time))


def red_flags(facts: Facts, winner: str) -> list[Block]:
    findings = sorted(facts.evaluation.checks.findings(winner), key=lambda f: SEVERITY_ORDER[f.severity.value])
    if not findings:
        return [Paragraph(_("Red flags of {winner}: none in its SLA and contract.").format(winner=facts.label(winner)))]
    items = tuple(_("{title}. Ask for: {lever}").format(title=f.title, lever=f.lever) for f in findings[:TOP_FLAGS])
    return [Paragraph(_("Top red flags of {winner} ({count} findings in all), and what to ask for in "
                        "negotiation:").format(winner=facts.label(winner), count=len(findings))), Bullets(items)]


def knockouts(facts: Facts) -> list[Block]:
    card = facts.evaluation.scorecard
    if not card.knockouts:
        return [Paragraph(_("Knocked out: none; every bid passes the must-have requirements."))]
    return [Paragraph(_("Knocked out, with the reason:")), Bullets(tuple(knockout_text(k) for k in card.knockouts))]


def decided(facts: Facts) -> str:
    """Who decided, and when: the lock and the reveal as the decision log records them."""
    sentences = []
    for entry in facts.log_entries:
        if entry.kind in ("lock", "relock"):
            sentences.append(_("Technical scoring locked by {who} on {when} (decision log entry {seq}: {why}).").format(
                who=member_name(facts, entry.who), when=facts.when(entry.timestamp), seq=entry.seq, why=entry.why))
        elif entry.kind == "reveal_prices":
            sentences.append(_("Prices revealed by {who} on {when} (entry {seq}: {why}).").format(
                who=member_name(facts, entry.who), when=facts.when(entry.timestamp), seq=entry.seq, why=entry.why))
    if not sentences:
        return _("Decided: nothing is locked in the decision log yet, so this paper is a working draft of the "
                 "committee's view.")
    return " ".join(sentences)


def page_one(facts: Facts) -> Section:
    blocks: list[Block] = [*state_callouts(facts), *recommendation(facts)]
    if facts.ranked:
        blocks.append(bids_table(facts))
    winner = facts.evaluation.scorecard.winner
    sentences = robustness(facts)
    if winner is not None:
        if not facts.sealed:
            sentences.append(money_sentence(facts, winner))
        sentences.append(go_live_sentence(facts, winner))
    if sentences:
        blocks.append(Bullets(tuple(sentences)))
    if winner is not None:
        blocks += red_flags(facts, winner)
    blocks += knockouts(facts)
    blocks.append(Paragraph(decided(facts)))
    return Section(_("The recommendation"), tuple(blocks), anchor="recommendation")


__all__ = ["member_name", "page_one", "state_callouts"]
