"""SLA and contract red flags as data: each rule has a stable code, a title, a severity, the lever
to ask for, and a pure function ``offer -> explanation | None`` (habit 5 in ARCHITECTURE.md).

- ``SLA001``… read the service levels (uptime, credits, maintenance, support, recovery, audits).
- ``CTR001``… read the contract (renewal, termination, exit, liability, audit, escrow, scope ...).
- ``PTR001``… read the implementation and hosting partners as parties (references, certified staff,
  financial standing, their own terms); the SLA rules read a hosted offer's effective SLA, the weaker of
  vendor and host (:mod:`crmselect.checks.partner_rules`).  A finding on a partner names it (``party``).

A rule that does not fit a deployment (escrow for SaaS, maintenance for a subscription) is not
applicable and never fires.  Codes are stable: a code is never reused for another rule.  Figures
and levers draw on ``domain_facts.md`` §4 (uptime arithmetic, published credit schedules, support
and recovery targets, the contract clause checklist).

Scores: ``1 - Σ penalty`` over the findings of one area, floored at 0, with ``PENALTY`` per
severity.  Adding a finding can only lower a score, and every rule fires on worse terms whenever
it fires on better ones, so worse terms never score higher.

The rules live in :mod:`crmselect.checks.sla_rules` and :mod:`crmselect.checks.contract_rules`, the types they
share (``Severity``, ``PENALTY``, ``Scope``, ``Check``) in :mod:`crmselect.checks.types`.  Their words (title,
lever, explanations) are data in ``rules.yaml``, in English and Chinese (:mod:`crmselect.checks.wording`):
a :class:`Finding` keeps its code and the offer's figures, and renders its texts in the language of the
surface that shows it (the current language, or ``finding.in_("zh-CN")``; ``frame(language)`` ...).  This
module joins the two rule books into ``CHECKS`` (SLA rules first, then contract rules, each in code
order), runs them, scores the findings and reports them; every public name of those modules is
importable from here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from crmselect.checks.china_rules import CHINA_CHECKS, PIPL_CRITERION
from crmselect.checks.contract_rules import CONTRACT_CHECKS
from crmselect.checks.contract_rules import MAX_BREACH_NOTICE_HOURS as MAX_BREACH_NOTICE_HOURS
from crmselect.checks.contract_rules import MAX_MAINTENANCE_UPLIFT_PCT as MAX_MAINTENANCE_UPLIFT_PCT
from crmselect.checks.contract_rules import MAX_RENEWAL_CAP_PCT as MAX_RENEWAL_CAP_PCT
from crmselect.checks.contract_rules import MAX_RENEWAL_NOTICE_DAYS as MAX_RENEWAL_NOTICE_DAYS
from crmselect.checks.contract_rules import MIN_EXPORT_WINDOW_DAYS as MIN_EXPORT_WINDOW_DAYS
from crmselect.checks.contract_rules import MIN_LIABILITY_CAP_MONTHS as MIN_LIABILITY_CAP_MONTHS
from crmselect.checks.contract_rules import MIN_UPGRADE_PREVIEW_DAYS as MIN_UPGRADE_PREVIEW_DAYS
from crmselect.checks.contract_rules import renewal_cap_pct as renewal_cap_pct
from crmselect.checks.partner_rules import PARTNER_CHECKS, effective_offer
from crmselect.checks.sla_rules import CREDIT_PROBE_UPTIME_PCT as CREDIT_PROBE_UPTIME_PCT
from crmselect.checks.sla_rules import MAX_MAINTENANCE_HOURS_PER_YEAR as MAX_MAINTENANCE_HOURS_PER_YEAR
from crmselect.checks.sla_rules import MAX_RPO_HOURS as MAX_RPO_HOURS
from crmselect.checks.sla_rules import MAX_RTO_HOURS as MAX_RTO_HOURS
from crmselect.checks.sla_rules import MAX_SEV1_RESPONSE_HOURS as MAX_SEV1_RESPONSE_HOURS
from crmselect.checks.sla_rules import MIN_CREDIT_AT_PROBE_PCT as MIN_CREDIT_AT_PROBE_PCT
from crmselect.checks.sla_rules import MIN_CREDIT_CAP_PCT as MIN_CREDIT_CAP_PCT
from crmselect.checks.sla_rules import MIN_MAINTENANCE_NOTICE_HOURS as MIN_MAINTENANCE_NOTICE_HOURS
from crmselect.checks.sla_rules import MIN_UPTIME_PCT as MIN_UPTIME_PCT
from crmselect.checks.sla_rules import SLA_CHECKS
from crmselect.checks.types import HIGH as HIGH
from crmselect.checks.types import INTERNATIONAL, PENALTY, BidContext, Check, CodedAnswer, Scope, Severity
from crmselect.checks.types import LOW as LOW
from crmselect.checks.types import MEDIUM as MEDIUM
from crmselect.checks.types import VENDOR_RUN as VENDOR_RUN
from crmselect.checks.types import Finder as Finder
from crmselect.checks.wording import Param, Reason, language_of
from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.bids import Offer
from crmselect.model.frozen import FrozenDict
from crmselect.model.goals import ComputedFrom
from crmselect.model.project import deployment_words
from crmselect.model.settings import UpgradeRework
from crmselect.show.i18n import N_, _, current, using

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")


# ================================================================== the registry
CHECKS: tuple[Check, ...] = (*SLA_CHECKS, *CONTRACT_CHECKS, *PARTNER_CHECKS, *CHINA_CHECKS)
CODES: tuple[str, ...] = tuple(check.code for check in CHECKS)
_BY_CODE: dict[str, Check] = {check.code: check for check in CHECKS}
assert len(_BY_CODE) == len(CHECKS), "check codes must be unique"


def check(code: str) -> Check:
    """The rule with ``code`` (e.g. ``"CTR003"``)."""
    return _BY_CODE[validate_codes([code])[0]]


def validate_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes upper-cased and checked; unknown codes raise an error that lists the allowed ones."""
    if isinstance(codes, str):
        codes = [codes]
    normalised = tuple(dict.fromkeys(str(code).strip().upper() for code in codes))
    unknown = [code for code in normalised if code not in _BY_CODE]
    if unknown:
        raise AnalysisError(_("unknown check codes {codes}; allowed: {allowed}").format(
            codes=str(unknown), allowed=", ".join(CODES)))
    return normalised


def registry(language: str | None = None, jurisdiction: str | None = None) -> pd.DataFrame:
    """Every rule: code, area, title, severity, penalty, which offers it applies to, and the lever.

    Titles and levers are in ``language`` (None: the current language of the surface); ``jurisdiction``
    (``international`` or ``cn``) keeps the rules a selection of that jurisdiction runs (None: every rule).
    """
    rows = [
        {"code": c.code, "area": c.area, "title": c.title_in(language), "severity": c.severity.value,
         "penalty": PENALTY[c.severity], "applies_to": c.scope.value, "lever": c.lever_in(language)}
        for c in CHECKS if jurisdiction is None or c.applies_in(jurisdiction)
    ]
    return pd.DataFrame(rows).set_index("code")


# ================================================================== running the rules
@dataclass(frozen=True)
class FindingText:
    """A finding's words in one language."""

    title: str
    explanation: str
    lever: str


@dataclass(frozen=True)
class Finding:
    """A rule that fired on one offer: its code, severity and why (a template key and the offer's figures).

    Its words are rendered when asked for: ``title``, ``explanation`` and ``lever`` in the current
    language of the surface (:func:`crmselect.show.i18n.current`), ``in_(language)`` in another.
    """

    code: str
    severity: Severity
    reason: Reason
    #: the partner the finding is said of ("" for the vendor's own offer; see checks.partner_rules)
    party: str = ""
    #: the score it lowers; "" reads it from the code (SLA... or contract)
    score_area: str = ""

    @property
    def area(self) -> str:
        if self.score_area:
            return self.score_area
        return "sla" if self.code.startswith("SLA") else "contract"

    @property
    def params(self) -> Mapping[str, Param]:
        """The offer's figures the explanation quotes."""
        return self.reason.params

    def in_(self, language: str | None = None) -> FindingText:
        """Title, explanation and lever in ``language`` (``"zh-CN"``, ``"en"``; None: the current language)."""
        rule = _BY_CODE[self.code]
        return FindingText(rule.title_in(language), rule.explanation(self.reason, language), rule.lever_in(language))

    @property
    def title(self) -> str:
        return _BY_CODE[self.code].title_in()

    @property
    def explanation(self) -> str:
        return _BY_CODE[self.code].explanation(self.reason)

    @property
    def lever(self) -> str:
        return _BY_CODE[self.code].lever_in()


def check_offer(offer: Offer, *, ignore: Iterable[str] = (), area: str | None = None,
                context: BidContext | None = None) -> tuple[Finding, ...]:
    """Every finding on ``offer``, most serious first; ``ignore`` drops codes, ``area`` keeps "sla" or "contract".

    ``context`` (:func:`bid_context`) is what the bid rules read beyond the offer: the bid's answers and our own
    recovery; without it they know nothing of the bid (no answers; an on-premise offer's proposed design).  It
    also carries the selection's decisions: its jurisdiction (which rules apply) and the codes its committee
    ignores (``selection.yaml``), left out here, at the source, so every score and surface leaves them out.
    """
    if area not in (None, "sla", "contract"):
        raise AnalysisError(_("area must be 'sla' or 'contract' (received {area})").format(area=repr(area)))
    context = context or BidContext()
    skipped = set(validate_codes(ignore)) | set(context.ignored)
    found = []
    # a hosted offer is only as strong as its host: the SLA rules read the weaker of vendor and host
    kept = effective_offer(offer)
    for rule in CHECKS:
        if rule.code in skipped or not rule.applies_in(context.jurisdiction):
            continue
        for item in rule.found_in(kept if rule.code.startswith("SLA") else offer, context):
            if area is None or item.area == area:
                found.append(Finding(rule.code, rule.severity, item.reason, item.party, item.area))
    return tuple(sorted(found, key=lambda f: (f.severity.rank, f.code, f.party)))


def penalty_score(severities: Iterable[Severity]) -> float:
    """``max(0, 1 - Σ PENALTY[severity])``: 1 with no findings; never rises when a finding is added."""
    return max(0.0, 1.0 - sum(PENALTY[s] for s in severities))


def sla_score(offer: Offer, *, ignore: Iterable[str] = (), context: BidContext | None = None) -> float:
    """SLA strength in 0..1 (1 = no SLA finding)."""
    return penalty_score(f.severity for f in check_offer(offer, ignore=ignore, area="sla", context=context))


def contract_score(offer: Offer, *, ignore: Iterable[str] = (), context: BidContext | None = None) -> float:
    """Contract safety in 0..1 (1 = no contract finding)."""
    return penalty_score(f.severity for f in check_offer(offer, ignore=ignore, area="contract", context=context))


def bid_context(project: Project, bid_id: str) -> BidContext:
    """What the bid rules read of bid ``bid_id``: its coded answers to linked criteria (what their codes carry:
    upgrade risk, must be priced), our own recovery and the custom-code limit (``selection.yaml``)."""
    bid = project.bid(bid_id)
    scale = project.effective_scale

    def coded(criterion_id: str) -> CodedAnswer | None:
        answer = bid.answers.get(criterion_id)
        if answer is None or answer.code is None:
            return None
        try:
            code = scale.code(answer.code)
        except KeyError:  # the loaders refuse unknown codes; a hand-built project may not
            return None
        return CodedAnswer(criterion_id, code.code, code.upgrade_risk, code.must_be_priced,
                           answer.third_party_product, answer.third_party_cost_per_year, code.value)

    answers = tuple(a for a in map(coded, project.linked_criteria) if a is not None)
    settings = project.settings
    pipl_asked = any(criterion.id == PIPL_CRITERION for criterion in project.criteria)
    if settings is None:
        return BidContext(answers, None, UpgradeRework().high_share_pct, pipl=coded(PIPL_CRITERION),
                          pipl_asked=pipl_asked)
    return BidContext(answers, settings.own_recovery, settings.upgrade_rework.high_share_pct,
                      jurisdiction=settings.jurisdiction, require_domestic_stack=settings.require_domestic_stack,
                      ignored=settings.ignored_codes, ignore_reasons=FrozenDict(settings.ignore_reasons),
                      pipl=coded(PIPL_CRITERION), pipl_asked=pipl_asked)


def selection_ignored(project: Project) -> tuple[str, ...]:
    """The codes ``selection.yaml`` ignores (none without a ``selection.yaml``)."""
    return () if project.settings is None else project.settings.ignored_codes


_SCORERS: dict[ComputedFrom, Callable[..., float]] = {
    ComputedFrom.sla_score: sla_score,
    ComputedFrom.contract_score: contract_score,
}


def computed_values(project: Project, *, ignore: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """``{criterion id: {bid id: score}}`` for every criterion computed from ``sla_score`` or ``contract_score``."""
    skipped = validate_codes(ignore)
    out: dict[str, dict[str, float]] = {}
    for criterion in project.criteria:
        scorer = _SCORERS.get(criterion.computed_from) if criterion.computed_from else None
        if scorer is not None:
            out[criterion.id] = {bid.id: scorer(bid.offer, ignore=skipped, context=bid_context(project, bid.id))
                                 for bid in project.bids}
    return out


@dataclass(frozen=True)
class BidFindings:
    """The findings on one bid, with who it is."""

    bid: str
    label: str
    vendor: str
    deployment: str
    findings: tuple[Finding, ...]

    def score(self, area: str) -> float:
        return penalty_score(f.severity for f in self.findings if f.area == area)


COLUMNS = ("bid", "vendor", "deployment", "code", "severity", "title", "explanation", "lever")
#: Column keys and kept words of the report's frames -> their English label, translated when shown (keys stay).
SHOWN_LABELS: dict[str, str] = {
    "bid": N_("bid"), "label": N_("bid"), "vendor": N_("vendor"), "deployment": N_("deployment"), "code": N_("code"),
    "severity": N_("severity"), "title": N_("title"), "explanation": N_("explanation"), "lever": N_("lever"),
    "high": N_("high"), "medium": N_("medium"), "low": N_("low"), "total": N_("total"),
    "sla_score": N_("SLA score"), "contract_score": N_("contract score"),
    "saas": N_("SaaS"), "on_premise": N_("on-premise"), "hosted": N_("hosted"),
}


def _shown_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its column labels and index name in the current language (the keys stay in the data)."""
    out = frame.rename(columns=lambda key: _(SHOWN_LABELS[key]) if key in SHOWN_LABELS else key)
    out.index.name = _(SHOWN_LABELS[out.index.name]) if out.index.name in SHOWN_LABELS else out.index.name
    return out


@dataclass(frozen=True)
class CheckReport:
    """All findings on all bids: ``frame()`` lists them, ``negotiation_list(bid)`` turns them into asks."""

    bids: tuple[BidFindings, ...]
    ignored: tuple[str, ...] = ()
    #: the committee's reason for each ignored code (``selection.yaml``); a code ignored for one run has none
    reasons: Mapping[str, str] = field(default_factory=FrozenDict)
    #: the jurisdiction whose rules ran (``international`` or ``cn``)
    jurisdiction: str = INTERNATIONAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", FrozenDict(self.reasons))

    def ignored_lines(self, language: str | None = None) -> list[str]:
        """One line per ignored code, in ``language``: the code, its title and the committee's reason."""
        with using(language_of(language)):
            out = []
            for code in self.ignored:
                why = self.reasons.get(code, "")
                title = _BY_CODE[code].title_in(language)
                out.append(_("{code} {title}: {reason}").format(code=code, title=title, reason=why) if why
                           else _("{code} {title}: ignored for this run").format(code=code, title=title))
            return out

    @property
    def bid_ids(self) -> tuple[str, ...]:
        return tuple(b.bid for b in self.bids)

    def _bid(self, bid: str) -> BidFindings:
        for item in self.bids:
            if item.bid == bid:
                return item
        raise AnalysisError(_("unknown bid {bid}; allowed {allowed}").format(
            bid=repr(bid), allowed=str(list(self.bid_ids))))

    def findings(self, bid: str) -> tuple[Finding, ...]:
        return self._bid(bid).findings

    def frame(self, language: str | None = None) -> pd.DataFrame:
        """One row per finding: bid, vendor, deployment, code, severity, title, explanation, lever.

        The texts are in ``language`` (None: the current language of the surface).
        """
        rows = []
        for b in self.bids:
            for f in b.findings:
                words = f.in_(language)
                rows.append({"bid": b.bid, "vendor": b.vendor, "deployment": b.deployment, "code": f.code,
                             "severity": f.severity.value, "title": words.title,
                             "explanation": words.explanation, "lever": words.lever})
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def by_bid(self) -> pd.DataFrame:
        """Per bid: label, the number of findings per severity, the total, and the SLA and contract scores."""
        rows = []
        for b in self.bids:
            counts = {s.value: sum(f.severity is s for f in b.findings) for s in Severity}
            rows.append({"label": b.label, **counts, "total": len(b.findings),
                         "sla_score": b.score("sla"), "contract_score": b.score("contract")})
        columns = ["label", *[s.value for s in Severity], "total", "sla_score", "contract_score"]
        return pd.DataFrame(rows, index=pd.Index(self.bid_ids, name="bid"), columns=columns)

    def scores(self) -> dict[str, dict[str, float]]:
        """``{"sla_score": {bid: score}, "contract_score": {bid: score}}``."""
        return {f"{area}_score": {b.bid: b.score(area) for b in self.bids} for area in ("sla", "contract")}

    def negotiation_frame(self, bid: str, language: str | None = None) -> pd.DataFrame:
        """What to ask ``bid`` for, most serious first: severity, code, title, lever (texts in ``language``)."""
        rows = []
        for f in self._bid(bid).findings:
            words = f.in_(language)
            rows.append({"severity": f.severity.value, "code": f.code, "title": words.title, "lever": words.lever})
        return pd.DataFrame(rows, columns=["severity", "code", "title", "lever"])

    def negotiation_list(self, bid: str, language: str | None = None) -> list[str]:
        """The levers to ask ``bid`` for, high severity first: ``"CTR003: <lever>"`` (in ``language``)."""
        findings = self._bid(bid).findings
        with using(language_of(language)):
            return [_("{code}: {lever}").format(code=f.code, lever=f.lever) for f in findings]

    def ignoring(self, codes: Iterable[str]) -> CheckReport:
        """A new report without the findings of ``codes`` (unknown codes are an error)."""
        dropped = set(validate_codes(codes))
        bids = tuple(replace(b, findings=tuple(f for f in b.findings if f.code not in dropped)) for b in self.bids)
        return CheckReport(bids, tuple(sorted(dropped | set(self.ignored))), self.reasons, self.jurisdiction)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Stacked bars: findings per bid, by severity."""
        from crmselect.show.plots import severity_bars

        counts = self.by_bid()
        data = counts[[s.value for s in Severity]]
        data.index = pd.Index(counts["label"].tolist())
        return severity_bars(data, ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.show.tables import severity_html, to_html

        notes = [_("ignored: {codes}").format(codes=", ".join(self.ignored))] if self.ignored else []
        notes += [line for code, line in zip(self.ignored, self.ignored_lines(), strict=True) if self.reasons.get(code)]
        # a reader sees each bid by its label, never its id, and deployments in words (the frames keep both)
        counts = self.by_bid().set_index("label")
        counts.index.name = "bid"
        counts = _shown_labels(counts)
        scores = [_(SHOWN_LABELS["sla_score"]), _(SHOWN_LABELS["contract_score"])]
        summary = to_html(counts, caption=_("Findings per bid"), formats=dict.fromkeys(scores, "score"),
                          colour_columns=scores, colour_range=(0.0, 1.0))
        findings = self.frame()
        labels = {b.bid: b.label for b in self.bids}
        language = current().language
        shown = findings.assign(bid=findings["bid"].map(lambda bid: labels.get(bid, bid)),
                                deployment=findings["deployment"].map(lambda kind: deployment_words(kind, language)))
        table = severity_html(_shown_labels(shown), column=_(SHOWN_LABELS["severity"]),
                              caption=_("SLA and contract findings"), notes=notes)
        # the rows are tinted by the kept severity (high, medium, low); its cells are then said in the current
        # language
        for word in sorted(set(findings["severity"]), key=len, reverse=True):
            if word in SHOWN_LABELS:
                table = table.replace(f"<td>{html.escape(word)}</td>", f"<td>{html.escape(_(SHOWN_LABELS[word]))}</td>")
        return summary + table


def check_project(project: Project, ignore: Iterable[str] = ()) -> CheckReport:
    """Run the rules of the selection's jurisdiction on every bid of ``project``.

    The codes ``selection.yaml`` ignores are left out (with the committee's reasons, said in the report);
    ``ignore`` drops more for this call (unknown codes are an error)."""
    skipped = validate_codes(ignore)
    bids = tuple(
        BidFindings(bid=bid.id, label=bid.label, vendor=bid.vendor.name, deployment=bid.offer.deployment.value,
                    findings=check_offer(bid.offer, ignore=skipped, context=bid_context(project, bid.id)))
        for bid in project.bids
    )
    settings = project.settings
    reasons = {} if settings is None else settings.ignore_reasons
    jurisdiction = INTERNATIONAL if settings is None else settings.jurisdiction
    return CheckReport(bids, tuple(sorted(set(skipped) | set(selection_ignored(project)))), reasons, jurisdiction)


__all__ = [
    "CHECKS",
    "CODES",
    "PENALTY",
    "BidContext",
    "BidFindings",
    "Check",
    "CheckReport",
    "Finding",
    "FindingText",
    "Reason",
    "Scope",
    "Severity",
    "bid_context",
    "check",
    "check_offer",
    "check_project",
    "computed_values",
    "contract_score",
    "penalty_score",
    "registry",
    "selection_ignored",
    "sla_score",
    "validate_codes",
]
