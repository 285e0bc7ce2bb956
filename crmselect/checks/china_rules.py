"""China's rules ``CN001``–``CN006``: what a selection under ``jurisdiction: cn`` (``selection.yaml``) checks
instead of SOC 2 and ISO 27001 (``SLA018``, ``SLA019`` apply to ``international`` selections only).

- ``CN001`` the MLPS 2.0 grade (网络安全等级保护, 等保) of the system the vendor or its host runs: a CRM that holds
  personal information is graded level 3 (等保三级), so a stated level 2, or no level at all, is a finding.  It
  reads the offer's certifications (``mlps2``/``mlps3``/``mlps4``); for a hosted offer whose host states its own
  SLA, the lower of the two levels (the system is only as well protected as where it runs).
- ``CN002`` PIPL handling of personal information: the bid's answer to the catalogue's PIPL criterion
  (``SEC-021``) must be standard or configuration (worth at least ``MIN_PIPL_VALUE`` on the compliance scale).
- ``CN003`` cross-border transfer: when data leaves mainland China (stored or backed up abroad, or reachable by
  support staff abroad), the transfer must rest on the CAC's security assessment, the standard contract or a
  certification (PIPL article 38).
- ``CN004`` data residency: a vendor-run offer keeps data and backups in mainland China, in writing.
- ``CN005`` ICP filing: a SaaS service on the mainland internet states its ICP filing number.
- ``CN006`` a domestic technology stack (信创), when the selection requires one (``require_domestic_stack``):
  chip, operating system, database and middleware on domestic products.

The MLPS finding lowers the SLA score (as the SOC 2 finding it replaces); the others the contract score.  On
premises the company grades and files its own system, so ``CN001``, ``CN004`` do not apply there; the product's
PIPL support, a transfer by remote support, and the domestic stack do.  The words, in English and Chinese, are
in ``rules.yaml``.  Sources: the Cybersecurity Law art. 21 and GB/T 22239-2019 (MLPS 2.0), the Personal
Information Protection Law art. 38-40, the CAC's measures on the security assessment (2022) and the standard
contract (2023), the Telecommunications Regulations and the ICP filing measures.
"""

from __future__ import annotations

from crmselect.checks.types import HIGH, MEDIUM, VENDOR_RUN, BidContext, Check, RuleBook, Scope
from crmselect.checks.wording import Reason, reason
from crmselect.model.bids import Certification, CrossBorderMechanism, DataLocation, Offer, StackLayer

CN = "cn"
_RULES = RuleBook()

# ------------------------------------------------------------------ thresholds (documented defaults)
MIN_MLPS_LEVEL = 3
#: the compliance-scale value an answer to the PIPL criterion must reach: configuration (C, 0.85) or standard
MIN_PIPL_VALUE = 0.85
#: the catalogue's PIPL criterion (criteria/catalogue/11_security_compliance.yaml)
PIPL_CRITERION = "SEC-021"
MLPS_LEVELS = {Certification.mlps2: 2, Certification.mlps3: 3, Certification.mlps4: 4}
REQUIRED_LAYERS = tuple(StackLayer)


def mlps_level(certifications: tuple[Certification, ...]) -> int | None:
    """The highest MLPS level among ``certifications``; None when none is stated."""
    levels = [MLPS_LEVELS[c] for c in certifications if c in MLPS_LEVELS]
    return max(levels) if levels else None


@_RULES.rule("CN001", HIGH, VENDOR_RUN, only_in=(CN,), score_area="sla", level=MIN_MLPS_LEVEL)
def _cn_mlps(offer: Offer) -> Reason | None:
    level = mlps_level(offer.sla.certifications)
    host = offer.partners.hosting
    if host is not None and host.sla is not None:  # the host states its own SLA: it grades where the system runs
        hosts = mlps_level(host.sla.certifications)
        if hosts is None:
            return reason("host_unstated", partner=host.name)
        if hosts < MIN_MLPS_LEVEL:
            return reason("host_below", partner=host.name, level=hosts)
    if level is None:
        return reason("unstated")
    if level < MIN_MLPS_LEVEL:
        return reason("below", level=level)
    return None


@_RULES.bid_rule("CN002", HIGH, only_in=(CN,), score_area="contract", criterion=PIPL_CRITERION)
def _cn_pipl(offer: Offer, context: BidContext) -> Reason | None:
    if not context.pipl_asked:
        return None
    answer = context.pipl
    if answer is None:
        return reason("unanswered", criterion=PIPL_CRITERION)
    if answer.value < MIN_PIPL_VALUE:
        return reason("weak", criterion=PIPL_CRITERION, code=answer.code)
    return None


def leaves_mainland(offer: Offer) -> str:
    """How the offer's data leaves mainland China ("" when it does not, as far as the offer states)."""
    terms = offer.contract
    if terms.data_location is DataLocation.abroad:
        return "stored_abroad"
    if terms.data_location is DataLocation.backups_abroad:
        return "backups_abroad"
    if terms.support_access_from_abroad:
        return "access_from_abroad"
    return ""


@_RULES.rule("CN003", HIGH, only_in=(CN,), score_area="contract")
def _cn_cross_border(offer: Offer) -> Reason | None:
    how = leaves_mainland(offer)
    if not how or offer.contract.cross_border_mechanism is not CrossBorderMechanism.none:
        return None
    return reason(how)


@_RULES.rule("CN004", MEDIUM, VENDOR_RUN, only_in=(CN,), score_area="contract")
def _cn_residency(offer: Offer) -> Reason | None:
    location = offer.contract.data_location
    if location is DataLocation.mainland_china:
        return None
    return reason("unstated" if location is None else location.value)


@_RULES.rule("CN005", MEDIUM, Scope.saas, only_in=(CN,), score_area="contract")
def _cn_icp(offer: Offer) -> Reason | None:
    filing = offer.contract.icp_filing.strip()
    if not filing:
        return reason("missing")
    if "ICP" not in filing.upper():
        return reason("unrecognised", filing=filing)
    return None


@_RULES.bid_rule("CN006", HIGH, only_in=(CN,), score_area="contract")
def _cn_domestic_stack(offer: Offer, context: BidContext) -> Reason | None:
    if not context.require_domestic_stack:
        return None
    missing = [layer for layer in REQUIRED_LAYERS if layer not in offer.contract.domestic_stack]
    if not missing:
        return None
    if len(missing) == len(REQUIRED_LAYERS):
        return reason("none")
    if len(missing) == 1:
        return reason(f"missing_{missing[0].value}")
    return reason("partial", count=len(missing), total=len(REQUIRED_LAYERS))


CHINA_CHECKS: tuple[Check, ...] = _RULES.checks

__all__ = ["CHINA_CHECKS", "CN", "MIN_MLPS_LEVEL", "MIN_PIPL_VALUE", "PIPL_CRITERION", "REQUIRED_LAYERS",
           "leaves_mainland", "mlps_level"]
