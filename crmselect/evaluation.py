"""The whole evaluation in one call: checks and price feed the computed criteria of the scorecard.

``evaluate(project)`` is what the command line, the Excel export and the widgets use, so all of
them show the same numbers.  Order matters and is explicit here:

1. SLA and contract checks give the SLA-strength and contract-risk criteria their values;
2. a sealed scorecard (prices hidden) tells which bids survive the knock-outs and their
   technical scores;
3. TCO over the horizon gives NPVs; the price criterion is scored among the surviving bids
   (a knocked-out bid cannot set the price bar for the others);
4. the final scorecard follows the two-envelope state of the decision log, read here and passed
   into scoring as a plain argument.

This module is the one place where siblings meet: checks, money, scoring and the record do not
import each other; what one needs from another (check values, NPVs, technical totals, the envelope
state) is handed over here as plain numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from crmselect.checks.report import (
    CREDIT_PROBE_UPTIME_PCT,
    MAX_BREACH_NOTICE_HOURS,
    MAX_MAINTENANCE_HOURS_PER_YEAR,
    MAX_MAINTENANCE_UPLIFT_PCT,
    MAX_RENEWAL_CAP_PCT,
    MAX_RENEWAL_NOTICE_DAYS,
    MAX_RPO_HOURS,
    MAX_RTO_HOURS,
    MAX_SEV1_RESPONSE_HOURS,
    MIN_CREDIT_AT_PROBE_PCT,
    MIN_CREDIT_CAP_PCT,
    MIN_EXPORT_WINDOW_DAYS,
    MIN_LIABILITY_CAP_MONTHS,
    MIN_MAINTENANCE_NOTICE_HOURS,
    MIN_UPGRADE_PREVIEW_DAYS,
    MIN_UPTIME_PCT,
    CheckReport,
    check,
    check_project,
)
from crmselect.checks.report import computed_values as check_values
from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.bids import Offer
from crmselect.model.goals import Assumptions
from crmselect.model.project import Project
from crmselect.money.costs import TcoComparison, compare_tco, npv
from crmselect.money.price import PriceFrontier, price_criteria, price_frontier, price_values
from crmselect.money.returns import RoiComparison, compare_roi
from crmselect.record.envelopes import prices_revealed
from crmselect.scoring.engine import Scorecard, score
from crmselect.scoring.values import AnswerMemo
from crmselect.scoring.weighting import DerivedWeights, derive_weights
from crmselect.show import tables
from crmselect.show.i18n import LANGUAGES, N_, Translator, _, normalise, translator
from crmselect.whatif.lever_asks import Thresholds, concede

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.whatif.levers import LeverTable
    from crmselect.whatif.negotiation import Concession
else:
    pd = lazy_module("pandas")


@dataclass(frozen=True)
class Evaluation:
    """Scorecard, TCO comparison and check report of one selection, computed together."""

    project: Project
    scorecard: Scorecard
    tco: TcoComparison
    checks: CheckReport
    price_method: str
    technical: Mapping[str, float]
    weighting: DerivedWeights  # the goal weights by the goals file's method (before any what-if weights)
    technical_goal_scores: Mapping[str, Mapping[str, float]]  # {bid: {goal: score}} with the price envelope sealed
    assumptions: Assumptions | None = None  # what evaluate() was given for TCO (None: the selection's)

    def with_goal_weights(self, weights: Mapping[str, float] | Sequence[float]) -> Evaluation:
        """The same evaluation under other goal weights (only totals and ranks change)."""
        return replace(self, scorecard=self.scorecard.with_goal_weights(weights))

    def frame(self) -> pd.DataFrame:
        """One row per bid: total, rank, status, NPV and the number of red flags by severity."""
        card = self.scorecard
        out = pd.DataFrame(
            {
                "vendor": list(card.labels),
                "total": np.asarray(card.totals, dtype=float),
                "rank": list(card.rank_labels),
                "status": list(card.status),
            },
            index=pd.Index(card.bid_ids, name="bid"),
        )
        npvs = self.tco.npvs()
        out["NPV"] = [npvs.get(bid, np.nan) for bid in card.bid_ids]
        findings = self.checks.frame()
        for severity in ("high", "medium", "low"):
            counts = findings[findings["severity"] == severity].groupby("bid").size()
            out[f"{severity} flags"] = [int(counts.get(bid, 0)) for bid in card.bid_ids]
        return out

    def _repr_html_(self) -> str:
        words = {"bid": N_("bid"), "vendor": N_("bid"), "total": N_("total"), "rank": N_("Rank"),
                 "status": N_("Status"), "NPV": N_("NPV"), "high flags": N_("high flags"),
                 "medium flags": N_("medium flags"), "low flags": N_("low flags"), "eligible": N_("eligible"),
                 "out": N_("out")}

        def shown(key: object) -> object:
            if isinstance(key, str) and key.startswith("knocked out: "):
                return _("knocked out: {rules}").format(rules=key.removeprefix("knocked out: "))
            return _(words[key]) if isinstance(key, str) and key in words else key

        frame = self.frame()
        frame["rank"] = frame["rank"].map(shown)
        frame["status"] = frame["status"].map(shown)
        frame = frame.rename(columns=shown)
        frame.index.name = shown(frame.index.name)
        summary = tables.to_html(
            frame,
            caption=_("Evaluation summary"),
            formats={str(shown("total")): "score", str(shown("NPV")): "money"},
            colour_columns=[str(shown("total"))],
            struck_rows=[b for b, ok in zip(self.scorecard.bid_ids, self.scorecard.eligible, strict=True) if not ok],
        )
        return summary + self.scorecard._repr_html_()

    def plot(self, kind: str = "stacked", ax: Axes | None = None) -> Axes:
        return self.scorecard.plot(kind, ax=ax)

    def concessions(self) -> list[Concession]:
        """For each eligible bid that is not winning: the NPV at which it ties the winner (solved exactly
        under the selection's price method, :mod:`crmselect.whatif.negotiation`).  Needs prices revealed."""
        from crmselect.whatif.negotiation import Concession, concession_targets

        card = self.scorecard
        if card.prices_hidden and self.price_method != "kept_apart":
            raise AnalysisError("price concessions are sealed until prices are revealed")
        price_ids = set(price_criteria(self.project))
        columns = [j for j, cid in enumerate(card.criterion_ids) if cid in price_ids]
        weight = float(card.criterion_weights[columns].sum()) if columns else 0.0
        scores = {bid: float(card.criterion_values[b, columns[0]]) if columns else 0.0
                  for b, bid in enumerate(card.bid_ids)}
        npvs = self.tco.npvs()
        targets = concession_targets(card.bid_ids, card.totals.tolist(), weight, scores, npvs,
                                     method=self.price_method, technical=self.technical,
                                     eligible=card.eligible.tolist())
        out = []
        for bid, target in targets.items():
            result = self.tco[bid]
            row = result.lines.index("subscription")
            subscription = float(npv(result.flows[row], result.discount_rate_pct))
            out.append(Concession(bid, result.label, npvs[bid], target, subscription))
        return out

    def levers(self, *, bids: Iterable[str] | None = None, show_prices: bool | None = None) -> LeverTable:
        """For each bid, its open contract and SLA levers ranked by how much conceding each raises its total
        (:mod:`crmselect.whatif.levers`).  Each concession changes the bid's terms to the rule's threshold
        (:mod:`crmselect.whatif.lever_asks`) and re-runs :func:`evaluate` on the changed selection with this
        evaluation's goal weights, price envelope, price method, ignored codes and assumptions.

        ``bids`` limits the table to some bids (default: all); ``show_prices`` (default: prices revealed in this
        scorecard) adds each bid's NPV before and after."""
        from crmselect.whatif.levers import LeverOutcome, lever_table

        card = self.scorecard
        weights = dict(zip(card.goal_ids, card.goal_weights.tolist(), strict=True))

        memo = AnswerMemo()  # a concession changes terms, never answers: each answer column is worked out once

        def again(project: Project) -> Evaluation:
            return evaluate(project, weights=weights, reveal_prices=not card.prices_hidden,
                            price_method=self.price_method, ignore=self.checks.ignored, assumptions=self.assumptions,
                            memo=memo)

        base = again(self.project)
        position = {bid: b for b, bid in enumerate(base.scorecard.bid_ids)}
        chosen = [bid.id for bid in self.project.bids] if bids is None else list(bids)
        unknown = [bid for bid in chosen if bid not in position]
        if unknown:
            raise AnalysisError(_("unknown bid {bid}; allowed {allowed}").format(
                bid=", ".join(map(repr, unknown)), allowed=str(list(position))))
        outcomes, unmodelled = [], []
        for bid in (self.project.bid(bid_id) for bid_id in dict.fromkeys(chosen)):
            b = position[bid.id]
            for finding in base.checks.findings(bid.id):
                party = getattr(finding, "party", "")  # a partner's finding is not the vendor's term to concede
                ask = None if party else concede(finding.code, bid.offer, LEVER_THRESHOLDS)
                after = None if ask is None or ask.amount <= 0 else again(_with_offer(self.project, bid.id, ask.offer))
                still = [] if after is None else [(f.code, getattr(f, "party", ""))
                                                  for f in after.checks.findings(bid.id)]
                if ask is None or after is None or (finding.code, party) in still:  # the rule reads more than the offer
                    unmodelled.append((bid.id, finding.code))
                    continue
                outcomes.append(LeverOutcome(
                    bid.id, bid.label, finding.code, finding.area, finding.severity.value, ask.unit, ask.before,
                    ask.after, ask.amount, float(base.scorecard.totals[b]), float(after.scorecard.totals[b]),
                    base.scorecard.rank_labels[b], after.scorecard.rank_labels[b],
                    base.tco.npvs()[bid.id], after.tco.npvs()[bid.id]))
        codes = {o.code for o in outcomes}
        texts = {code: {lang: (check(code).title_in(lang), check(code).lever_in(lang)) for lang in LANGUAGES}
                 for code in sorted(codes)}
        shown = not card.prices_hidden if show_prices is None else show_prices
        kept = [b for b, bid in enumerate(card.bid_ids) if bid in chosen]
        return lever_table(outcomes, texts, [card.bid_ids[b] for b in kept], [card.labels[b] for b in kept],
                           unmodelled=unmodelled, prices_shown=shown)

    def returns(self) -> RoiComparison:
        """ROI of every bid, benefits earned by fit (the goal scores before price: price is a cost, not a
        benefit) from the plan a business case counts on (:func:`crmselect.money.returns.compare_roi`)."""
        return compare_roi(self.project, goal_scores=self.technical_goal_scores)

    def price_frontier(self) -> PriceFrontier:
        """Technical score (price envelope sealed) against the NPV of cost, with the efficient bids marked."""
        return price_frontier(self.project, technical=self.technical, comparison=self.tco)


#: Where a notebook's language came from, said in that language (cf. the dashboard's header).
PAPER_LANGUAGE_SOURCES = {
    "parameter": N_("from lang in the notebook's parameters cell"),
    "selection": N_("the selection's locale in selection.yaml"),
    "default": N_("English: the selection has no selection.yaml"),
}
#: The notebooks' own words (notebooks/01..04 say them with ``_()`` in the paper's language).  Marked here so the
#: catalogue holds them: Babel reads crmselect/**.py only (babel.cfg).  tests/test_notebooks_zh.py checks the list.
PAPER_MESSAGES = (
    N_("The technical inputs match the committee's seal (or nothing is locked yet)."),
    N_("goals"), N_("criteria"), N_("linked criteria"), N_("categories"), N_("vendors"), N_("offers"),
    N_("committee members"), N_("demo scenarios"),
    N_("goal"), N_("goal points"), N_("KPI"), N_("unit"), N_("today"), N_("target"), N_("value of one unit"),
    N_("direct points"), N_("rank order (ROC)"), N_("pairwise (AHP)"),
    N_("AHP consistency ratio: {cr} ({verdict})"), N_("acceptable"), N_("revisit the judgements"),
    N_("criterion"), N_("name"), N_("weight"), N_("minimum"), N_("why"), N_("yes"),
    N_("{count} of {total} criteria serve no goal, for example:"),
    N_("answer"), N_("notes"),
    N_("Kendall's W (agreement across members): {w}"), N_("No disagreements above the threshold."),
    N_("{users} users growing {growth} % a year, {years} years, discount rate {rate} %"),
    N_("Prices: revealed"), N_("TCO, NPV, ROI and risk: {sealed}"), N_("TCO: {sealed}"), N_("ROI: {sealed}"),
    N_("Go-live risk in money: {sealed}"), N_("sealed until prices are revealed"), N_("Lowest NPV: {bid}"),
    N_("Probability {bid} goes live within its promised {days} days: {probability}"),
    N_("What to ask {bid} for:"),
    N_("Leading bid with the committee's weights: {bid}"), N_("a tie"),
    N_("The winner holds over the whole region."), N_("Not robust: {rival} can win."),
)
LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}  # each language's own name, shown as written


def paper_language(project: Project, lang: str | None = None) -> tuple[Translator, str]:
    """The language a notebook's displays speak: ``lang`` from its parameters cell, else the selection's ``locale``
    (as the dashboard), else English; and the line saying which and why, in that language.

    Nothing global changes here: the notebook enters ``using(translator)`` for its kernel itself.
    """
    if lang:
        chosen, source = translator(normalise(lang)), "parameter"
    elif project.settings is not None:
        chosen, source = translator(project.settings.locale), "selection"
    else:
        chosen, source = translator(), "default"
    line = chosen.gettext("Language: {language} ({source})").format(
        language=LANGUAGE_NAMES.get(chosen.language, chosen.language),
        source=chosen.gettext(PAPER_LANGUAGE_SOURCES[source]))
    return chosen, line


def evaluate(
    project: Project,
    *,
    weights: Mapping[str, float] | None = None,
    reveal_prices: bool | None = None,
    price_method: str | None = None,
    ignore: Iterable[str] = (),
    assumptions: Assumptions | None = None,
    memo: AnswerMemo | None = None,
) -> Evaluation:
    """Run checks, TCO and scoring on ``project`` and return them together.

    ``weights`` replaces goal weights ({goal id: weight}); ``reveal_prices`` None follows the
    decision log; ``price_method`` (default: selection.yaml's) is one of crmselect.money.price.METHODS
    ("kept_apart" keeps every price criterion out of the scorecard and leaves price to the score-vs-NPV
    chart); ``ignore`` lists check codes the committee chose to ignore; ``assumptions`` replaces the
    selection's for TCO.  ``memo`` keeps answer columns for evaluations that score the same answers again
    (levers: one per concession); each evaluation's own two scorings share one anyway.
    """
    if not project.bids:
        raise AnalysisError(f"{project.root}: there are no vendor bids to evaluate yet; add vendor files to vendors/ "
                            "(send `crmselect questionnaire` and bring the answers back with "
                            "`crmselect import-answers`)")
    if price_method is None:
        # the selection's own setting; a project built in memory has no selection.yaml and uses the first method
        price_method = project.settings.price_method if project.settings is not None else "lowest_over_price"
    ignored = tuple(ignore)
    report = check_project(project, ignore=ignored)
    computed: dict[str, dict[str, float]] = check_values(project, ignore=ignored)
    memo = AnswerMemo() if memo is None else memo
    sealed = score(project, weights=weights, computed=computed, reveal_prices=False, memo=memo)
    technical = {bid: float(t) for bid, t in zip(sealed.bid_ids, sealed.totals, strict=True)}
    fit = {bid: dict(zip(sealed.goal_ids, sealed.goal_matrix[b].tolist(), strict=True))
           for b, bid in enumerate(sealed.bid_ids)}
    comparison = compare_tco(project, assumptions=assumptions)
    survivors = [bid for bid, ok in zip(sealed.bid_ids, sealed.eligible, strict=True) if ok]
    if survivors:
        computed.update(
            price_values(project, price_method, bid_ids=survivors, comparison=comparison, technical=technical,
                         assumptions=assumptions)
        )
    if price_method == "kept_apart":
        # Price kept apart means the scorecard is technical only; price is judged on the
        # score-vs-NPV chart (Evaluation.price_frontier), so every price criterion stays sealed.
        revealed = False
    else:
        revealed = prices_revealed(project) if reveal_prices is None else reveal_prices
    card = score(project, weights=weights, computed=computed, reveal_prices=revealed, memo=memo)
    return Evaluation(project=project, scorecard=card, tco=comparison, checks=report, price_method=price_method,
                      technical=technical, weighting=derive_weights(project.selection), technical_goal_scores=fit,
                      assumptions=assumptions)


#: The rules' thresholds a lever concession moves a term to (crmselect.checks), handed to crmselect.whatif.
LEVER_THRESHOLDS = Thresholds(
    uptime_pct=MIN_UPTIME_PCT, maintenance_hours_per_year=MAX_MAINTENANCE_HOURS_PER_YEAR,
    maintenance_notice_hours=MIN_MAINTENANCE_NOTICE_HOURS, credit_probe_uptime_pct=CREDIT_PROBE_UPTIME_PCT,
    credit_at_probe_pct=MIN_CREDIT_AT_PROBE_PCT, credit_cap_pct=MIN_CREDIT_CAP_PCT,
    sev1_response_hours=MAX_SEV1_RESPONSE_HOURS, rpo_hours=MAX_RPO_HOURS, rto_hours=MAX_RTO_HOURS,
    renewal_notice_days=MAX_RENEWAL_NOTICE_DAYS, renewal_cap_pct=MAX_RENEWAL_CAP_PCT,
    export_window_days=MIN_EXPORT_WINDOW_DAYS, liability_cap_months=MIN_LIABILITY_CAP_MONTHS,
    upgrade_preview_days=MIN_UPGRADE_PREVIEW_DAYS, maintenance_uplift_pct=MAX_MAINTENANCE_UPLIFT_PCT,
    breach_notice_hours=MAX_BREACH_NOTICE_HOURS,
)


def _with_offer(project: Project, bid_id: str, offer: Offer) -> Project:
    """``project`` with the offer ``bid_id`` replaced by ``offer`` (a new project; the old one is untouched)."""
    vendors = tuple(
        vendor.replace(offers=tuple(offer if o.id == bid_id else o for o in vendor.offers))
        if any(o.id == bid_id for o in vendor.offers) else vendor
        for vendor in project.vendors)
    return dataclasses.replace(project, vendors=vendors)
