"""Everything the paper says, computed once: the evaluation, what-if, risk, returns and the decision record.

:func:`gather` calls the same functions the command line and the dashboard call (``evaluate()``, the
whatif results, the risk simulation, the decision log); the paper's sections only read :class:`Facts`.
Whether price figures may be shown follows the log (:func:`crmselect.record.envelopes.price_access`):
before the reveal, money results are not even computed for the paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmselect.errors import AnalysisError, CrmSelectError
from crmselect.evaluation import Evaluation, evaluate
from crmselect.model.project import Project
from crmselect.record.chain import LogEntry
from crmselect.record.envelopes import PriceAccess, SealState, price_access, seal_state
from crmselect.record.log import DecisionLog
from crmselect.report.digest import InputDigest, input_digest
from crmselect.show.formats import format_date, format_money, format_number, format_percent

if TYPE_CHECKING:
    from crmselect.money.returns import RoiComparison
    from crmselect.money.risk import RiskResult
    from crmselect.report.rollout_sections import Rollout, Tracking
    from crmselect.scoring.views import ViewComparison
    from crmselect.whatif.sensitivity_results import MinFlipTable, StabilityIntervals
    from crmselect.whatif.smaa_results import SmaaResult

#: Samples of the paper's Monte Carlo runs and their seed, so the paper is reproducible: SMAA as ``crmselect
#: sensitivity`` by default; risk draws per bid fewer than ``crmselect tco``'s default (the paper must be made in
#: seconds), the same as ``crmselect tco DIR --draws 5000 --seed 0``.
SMAA_SAMPLES = 20_000
RISK_DRAWS = 5_000
SEED = 0


@dataclass(frozen=True)
class Facts:
    project: Project
    evaluation: Evaluation
    access: PriceAccess
    seal: SealState | None
    log_entries: tuple[LogEntry, ...]
    log_problems: tuple[str, ...]
    log_expected: bool
    stability: StabilityIntervals | None
    flips: MinFlipTable | None
    smaa: SmaaResult | None
    risks: dict[str, RiskResult]
    returns: RoiComparison | None
    views: ViewComparison | None
    inputs: InputDigest
    made_on: dt.date
    lang: str
    rollout: Rollout | None = None  # the roll-out plan of the recommended bid (None: no bid can be recommended)
    tracking: Tracking | None = None  # the business case tracked (None: no actuals.yaml)

    # ------------------------------------------------------------ who is who
    @property
    def sealed(self) -> bool:
        """True before the reveal: no price, cost or NPV may appear."""
        return not self.access.visible

    @property
    def currency(self) -> str:
        return self.project.selection.currency

    @property
    def name(self) -> str:
        return self.project.selection.name

    def label(self, bid: str) -> str:
        card = self.evaluation.scorecard
        return card.labels[card.bid_ids.index(bid)]

    @property
    def ranked(self) -> list[str]:
        """Eligible bids, best first."""
        card = self.evaluation.scorecard
        eligible = [b for b, ok in zip(card.bid_ids, card.eligible, strict=True) if ok]
        return sorted(eligible, key=lambda bid: (card.ranks[card.bid_ids.index(bid)], bid))

    def total(self, bid: str) -> float:
        card = self.evaluation.scorecard
        return float(card.totals[card.bid_ids.index(bid)])

    # ------------------------------------------------------------ formats (the paper's language)
    def money(self, value: float | None) -> str:
        return format_money(value, self.currency, self.lang, digits=0)

    def percent(self, value: float | None, digits: int = 0) -> str:
        return format_percent(value, self.lang, digits=digits)

    def number(self, value: float | None, digits: int | None = None) -> str:
        return format_number(value, self.lang, digits=digits)

    def score(self, value: float | None) -> str:
        return format_number(value, self.lang, digits=3)

    def date(self, value: dt.date | None) -> str:
        return format_date(value, self.lang)

    def when(self, timestamp: str) -> str:
        """A log timestamp (ISO, UTC) as a date and time in the paper's language."""
        try:
            moment = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
        except ValueError:
            return timestamp
        return f"{format_date(moment.date(), self.lang)} {moment:%H:%M} UTC"


def _log_state(project: Project) -> tuple[tuple[LogEntry, ...], tuple[str, ...], bool]:
    log = DecisionLog.for_project(project)
    if not log.expected:
        return (), (), False
    problems = tuple(str(issue) for issue in log.problems())
    try:
        entries = log.entries()
    except CrmSelectError:
        entries = ()
    return tuple(entries), problems, True


def gather(project: Project, *, lang: str, today: dt.date | None = None) -> Facts:
    """Compute everything the paper shows for ``project`` (prices only when the log has revealed them)."""
    from crmselect.money.risk import simulate_risk
    from crmselect.report.rollout_sections import gather_rollout, gather_tracking
    from crmselect.scoring.views import compare_views
    from crmselect.whatif.acceptability import smaa
    from crmselect.whatif.sensitivity import min_flips, stability

    entries, problems, expected = _log_state(project)
    access = price_access(project) if not problems else PriceAccess(False)
    try:
        seal: SealState | None = seal_state(project) if not problems else None
    except CrmSelectError:
        seal = None
    evaluation = evaluate(project, reveal_prices=access.revealed if not problems else False)
    card = evaluation.scorecard
    try:
        intervals, flips = stability(card), min_flips(card)
        acceptability = smaa(card, n=SMAA_SAMPLES, random_state=SEED)
    except AnalysisError:  # fewer than two eligible bids: nothing to compare
        intervals, flips, acceptability = None, None, None
    risks = {}
    for bid in project.bids:  # knocked-out bids too: the paper shows them, marked, as every surface does
        risks[bid.id] = simulate_risk(project, bid.id, n=RISK_DRAWS, random_state=SEED,
                                      goal_scores=evaluation.technical_goal_scores[bid.id])
    views = compare_views(project, card) if project.selection.stakeholder_views else None
    returns = evaluation.returns() if access.visible else None
    ranked = sorted((bid for bid, ok in zip(card.bid_ids, card.eligible, strict=True) if ok),
                    key=lambda bid: (card.ranks[card.bid_ids.index(bid)], bid))
    rollout = gather_rollout(project, evaluation, ranked[0] if ranked else None, prices_visible=access.visible)
    tracking = gather_tracking(project, evaluation, prices_visible=access.visible, on=today)
    return Facts(project=project, evaluation=evaluation, access=access, seal=seal, log_entries=entries,
                 log_problems=problems, log_expected=expected, stability=intervals, flips=flips, smaa=acceptability,
                 risks=risks, returns=returns, views=views, inputs=input_digest(project),
                 made_on=today or dt.date.today(), lang=lang, rollout=rollout, tracking=tracking)


__all__ = ["RISK_DRAWS", "SEED", "SMAA_SAMPLES", "Facts", "gather"]
