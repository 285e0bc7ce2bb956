"""The paper's later sections: SLA and contract findings, sensitivity and SMAA, the committee, stakeholder views,
method notes, and the decision record with the digest of the inputs."""

from __future__ import annotations

import math

from crmselect.checks.slamath import allowed_downtime_minutes
from crmselect.report.charts import svg_of
from crmselect.report.content import Block, Bullets, Callout, Figure, Mono, Paragraph, Section, Table
from crmselect.report.facts import RISK_DRAWS, SEED, Facts
from crmselect.report.summary import SEVERITY_ORDER, member_name
from crmselect.show.i18n import N_, _
from crmselect.words import entry_kind, method_text

AGGREGATIONS = {"mean": N_("mean"), "median": N_("median"), "trimmed_mean": N_("trimmed mean")}
PRICE_METHODS = {"lowest_over_price": N_("the lowest NPV divided by each bid's NPV"),
                 "value_for_money": N_("technical score per unit of NPV"),
                 "kept_apart": N_("kept apart from the score, judged on the value-for-money chart")}


def severity_word(value: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(value, value)


def findings_section(facts: Facts) -> Section:
    checks = facts.evaluation.checks
    counts = checks.by_bid()
    rows = tuple((str(row["label"]), facts.number(row["high"]), facts.number(row["medium"]),
                  facts.number(row["low"]), facts.score(row["sla_score"]), facts.score(row["contract_score"]))
                 for _bid, row in counts.iterrows())
    blocks: list[Block] = [
        Paragraph(_("Each SLA and contract rule that fires on a bid is a finding, with what to ask for in the "
                    "negotiation (the lever). Scores run from 1 (no findings) down as findings add up.")),
        Table((_("Bid"), _("high"), _("medium"), _("low"), _("SLA score"), _("contract score")), rows,
              numeric=(1, 2, 3, 4, 5)),
    ]
    for bid in facts.ranked:
        findings = sorted(checks.findings(bid), key=lambda f: SEVERITY_ORDER[f.severity.value])
        shown = [f for f in findings if f.severity.value != "low"]
        if not findings:
            continue
        table_rows = tuple((severity_word(f.severity.value), f.code, f.title, f.lever) for f in shown)
        left_out = len(findings) - len(shown)
        caption = _("{bid}: findings and levers").format(bid=facts.label(bid))
        if left_out:
            caption += " " + _("({count} low-severity findings left out; `crmselect checks` lists them)").format(
                count=left_out)
        if table_rows:
            blocks.append(Table((_("Severity"), _("Code"), _("Finding"), _("Ask for")), table_rows,
                                caption=caption, small=True, wide=(2, 3)))
        else:
            blocks.append(Paragraph(caption))
    return Section(_("SLA and contract findings"), tuple(blocks), anchor="findings")


def sensitivity_section(facts: Facts) -> Section:
    intervals, flips, smaa = facts.stability, facts.flips, facts.smaa
    if intervals is None or flips is None or smaa is None:
        return Section(_("Sensitivity and SMAA"), (Paragraph(_(
            "Sensitivity needs at least two eligible bids; there is nothing to compare here.")),),
            anchor="sensitivity")
    blocks: list[Block] = [Paragraph(_(
        "Stability interval: how far one goal's weight can move, the other goals sharing the rest in proportion, "
        "before {winner} stops winning. A narrow interval around today's weight means the choice hangs on that "
        "goal.").format(winner=intervals.winner))]
    rows = []
    for j, goal in enumerate(intervals.goals):
        below = intervals.rival_at_lo[j].removeprefix("passed by ")
        above = intervals.rival_at_hi[j].removeprefix("passed by ")
        rows.append((str(goal), facts.percent(intervals.weights[j], 1), facts.percent(intervals.winner_lo[j], 1),
                     facts.percent(intervals.winner_hi[j], 1), below or "-", above or "-"))
    blocks.append(Table((_("Goal"), _("Weight"), _("Winner holds from"), _("Winner holds to"),
                         _("Below, the winner is"), _("Above, the winner is")), tuple(rows), numeric=(1, 2, 3),
                        small=True, wide=(0, 4, 5)))
    blocks.append(Figure(svg_of(intervals.plot, prefix="stability"),
                         _("Stability intervals: the weight ranges keeping {winner} first").format(
                             winner=intervals.winner), width_pct=75))
    blocks.append(Paragraph(_(
        "Smallest change that flips the winner: the least weight, moved between goals, after which a challenger "
        "at least ties {winner}.").format(winner=intervals.winner)))
    flip_rows = tuple((flip.challenger, facts.score(flip.gap),
                       facts.percent(flip.distance / 2, 1) if flip.feasible else _("no weights can")) for flip in
                      flips.flips)
    blocks.append(Table((_("Challenger"), _("Winner's lead"), _("Weight to move")), flip_rows, numeric=(1, 2)))
    blocks.append(Paragraph(_(
        "Rank acceptability (SMAA): the share of {samples} weight vectors, drawn uniformly over every possible "
        "weighting (seed {seed}), under which each bid takes each rank. It answers: if we are unsure of the "
        "weights, how often does each bid win?").format(samples=facts.number(smaa.n), seed=SEED)))
    ranks = smaa.rank_acceptability
    smaa_rows = tuple((label, *(facts.percent(ranks[i, r], 1) for r in range(ranks.shape[1])))
                      for i, label in enumerate(smaa.labels))
    blocks.append(Table((_("Bid"), *(_("rank {rank}").format(rank=r + 1) for r in range(ranks.shape[1]))),
                        smaa_rows, numeric=tuple(range(1, ranks.shape[1] + 1)), small=True))
    blocks.append(Figure(svg_of(smaa.plot, prefix="smaa"), _("Rank acceptability under uncertain weights (SMAA)"),
                         width_pct=75))
    return Section(_("Sensitivity and SMAA"), tuple(blocks), anchor="sensitivity")


def committee_section(facts: Facts) -> Section:
    summary = facts.evaluation.scorecard.committee
    w = _("undefined") if math.isnan(summary.kendall_w) else facts.number(summary.kendall_w, 2)
    blocks: list[Block] = [Paragraph(_(
        "Committee agreement (Kendall's W): {w} over {count} members' rankings of the vendors; 1 means every member "
        "ranks the vendors alike, 0 means no agreement at all.").format(w=w, count=len(summary.w_members)))]
    if summary.disagreements:
        rows = tuple((d.vendor_name or d.vendor, d.scenario_name or d.scenario, facts.number(d.range),
                      _(", ").join(f"{member_name(facts, m)} {facts.number(s)}" for m, s in d.scores))
                     for d in summary.disagreements)
        blocks.append(Table((_("Vendor"), _("Scenario"), _("Range"), _("Scores")), rows, numeric=(2,), small=True,
                            wide=(3,),
                            caption=_("Disagreements still open (range of at least {threshold} points)").format(
                                threshold=facts.number(summary.threshold))))
    else:
        blocks.append(Paragraph(_("No disagreements above the threshold.")))
    if summary.settled:
        blocks.append(Paragraph(_("Disagreements the committee resolved:")))
        blocks.append(Bullets(tuple(_("{vendor} / {scenario}: agreed {value}; {reason} ({by})").format(
            vendor=s.disagreement.vendor_name or s.disagreement.vendor,
            scenario=s.disagreement.scenario_name or s.disagreement.scenario, value=facts.number(s.value),
            reason=s.reason, by=s.by_name or s.by or "-") for s in summary.settled)))
    if summary.missing:
        blocks.append(Paragraph(_("Missing scores: {count}").format(count=len(summary.missing))))
    return Section(_("Committee agreement"), tuple(blocks), anchor="committee")


def views_section(facts: Facts) -> Section:
    views = facts.views
    if views is None:
        return Section(_("Stakeholder views"), (Paragraph(_(
            "No stakeholder views are set in criteria/goals.yaml.")),), anchor="views")
    frame = views.frame()
    columns = (_("Bid"), *(str(c) if c != "Committee" else _("Committee") for c in frame.columns))
    rows = tuple((str(label), *(str(v) if v != "out" else _("out") for v in row))
                 for label, row in zip(frame.index, frame.itertuples(index=False), strict=True))
    blocks: list[Block] = [Paragraph(views.summary()),
                           Table(columns, rows, numeric=tuple(range(1, len(columns))),
                                 caption=_("Rank of each bid under each stakeholder's weights"), small=True)]
    return Section(_("Stakeholder views"), tuple(blocks), anchor="views")


def method_section(facts: Facts) -> Section:
    project = facts.project
    settings = project.settings
    selection = project.selection
    risk = next(iter(facts.risks.values()), None)
    items = []
    if settings is not None:
        items.append(_("Horizon and discounting: {years} years plus the initial period, at {rate} % a year, as of "
                       "{as_of}, in {currency}.").format(years=settings.horizon_years,
                                                        rate=facts.number(settings.discount_rate_pct),
                                                        as_of=facts.date(settings.as_of), currency=facts.currency))
    if not facts.sealed:
        items.append(_("Payment timing: {convention}").format(convention=facts.evaluation.tco.payment_convention()))
    else:
        items.append(_("Payment timing: each year's costs count at the end of the year, except lines billed yearly "
                       "in advance, which count at its start (the figures are sealed)."))
    items.append(_("The SLA month is 30 days ({minutes} minutes): an uptime of 99.9 % allows {allowed} minutes of "
                   "downtime a month.").format(minutes=facts.number(30 * 24 * 60),
                                               allowed=facts.number(allowed_downtime_minutes(99.9, "month"), 1)))
    if risk is not None:
        p = risk.parameters
        items.append(_("Risk model: go-live delay and cost overrun are ratios to the plan, each lognormal with a "
                       "Pareto tail (delay: median {d_median}, tail share {d_tail}, tail exponent {d_alpha}; overrun: "
                       "median {c_median}, tail share {c_tail}, tail exponent {c_alpha}), correlated {rho}; {draws} "
                       "draws per bid, seed {seed}.").format(
            d_median=facts.number(p.duration.median, 2), d_tail=facts.percent(p.duration.tail_share),
            d_alpha=facts.number(p.duration.tail_alpha, 1), c_median=facts.number(p.cost.median, 2),
            c_tail=facts.percent(p.cost.tail_share), c_alpha=facts.number(p.cost.tail_alpha, 1),
            rho=facts.number(p.correlation, 2), draws=facts.number(RISK_DRAWS), seed=SEED))
    items.append(_("Weighting: {method}; committee scores aggregated by {aggregation}.").format(
        method=method_text(facts.evaluation.weighting),
        aggregation=_(AGGREGATIONS.get(project.committee.aggregation.value, project.committee.aggregation.value))))
    method = facts.evaluation.price_method
    items.append(_("Price in the score: {method}.").format(method=_(PRICE_METHODS[method]) if method in PRICE_METHODS
                                                          else method))
    assumptions = selection.assumptions
    items.append(_("Benefits ramp up over {months} months from go-live; risk-adjusted figures take benefits "
                   "{down} % down and costs {up} % up.").format(
        months=assumptions.benefit_ramp_months, down=facts.number(assumptions.risk_benefits_down_pct),
        up=facts.number(assumptions.risk_costs_up_pct)))
    return Section(_("Method notes and assumptions"), (Bullets(tuple(items)),), anchor="method")


def log_section(facts: Facts) -> Section:
    blocks: list[Block] = []
    entries = facts.log_entries
    if not facts.log_expected:
        blocks.append(Paragraph(_("The selection has no decision log yet: nothing has been recorded.")))
    elif facts.log_problems:
        blocks.append(Callout(_("The decision log does not verify:"), "warning"))
        blocks.append(Bullets(facts.log_problems))
    elif entries:
        head = entries[-1]
        blocks.append(Paragraph(_("The chain of hashes verifies: {count} entries; the last is entry {seq}, hash "
                                  "{hash}.").format(count=len(entries), seq=head.seq, hash=head.hash)))
    if entries:
        rows = tuple((str(e.seq), facts.when(e.timestamp), member_name(facts, e.who), entry_kind(e.kind), e.why)
                     for e in entries)
        blocks.append(Table((_("Entry"), _("When"), _("Who"), _("What"), _("Why")), rows, numeric=(0,), small=True,
                            wide=(4,)))
    seal = facts.seal
    if seal is not None and seal.sealed_at is not None:
        state = (_("the technical inputs have changed since") if seal.drifted
                 else _("the technical inputs are unchanged since"))
        blocks.append(Paragraph(_("Seal: entry {seq} sealed the technical inputs under digest {digest}; {state}.")
                                .format(seq=seal.sealed_at, digest=seal.digest or "-", state=state)))
    digest = facts.inputs
    blocks.append(Paragraph(_("Input digest (SHA-256 of the list below, as sha256sum prints it): {digest}").format(
        digest=digest.digest)))
    blocks.append(Paragraph(_("To check this paper against the selection folder, run in the folder: sha256sum "
                              "followed by the files below, in this order, piped into sha256sum; or run "
                              "crmselect report DIR --digest. The result must equal the input digest.")))
    blocks.append(Mono(tuple(line for line in digest.listing.splitlines())))
    return Section(_("The decision log and the inputs"), tuple(blocks), anchor="log")


__all__ = ["committee_section", "findings_section", "log_section", "method_section", "sensitivity_section",
           "views_section"]
