"""China's rules CN001-CN006: each fires and holds, only under ``jurisdiction: cn``, which in turn drops SOC 2 and
ISO 27001 (SLA018, SLA019)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from crmselect.checks.china_rules import CHINA_CHECKS, MIN_PIPL_VALUE, leaves_mainland, mlps_level
from crmselect.checks.report import PENALTY, check, check_offer, contract_score, registry, sla_score
from crmselect.checks.types import BidContext, CodedAnswer, Severity
from crmselect.model.bids import Certification, Offer
from tests.checks.test_report import CLEAN_HOST, CLEAN_SLA, offer

CHINA_RULES = {"CN001", "CN002", "CN003", "CN004", "CN005", "CN006"}
ALL_LAYERS = ["chip", "operating_system", "database", "middleware"]
CN_SLA: dict[str, Any] = {"certifications": ["iso27001", "mlps3"]}
CN_CONTRACT: dict[str, Any] = {"data_location": "mainland_china", "icp_filing": "沪ICP备2021012345号-1",
                               "domestic_stack": ALL_LAYERS}
STANDARD = CodedAnswer("SEC-021", "S", value=1.0)
CN = BidContext(jurisdiction="cn", require_domestic_stack=True, pipl=STANDARD, pipl_asked=True)


def china_offer(deployment: str = "saas", *, sla: dict[str, Any] | None = None,
                contract: dict[str, Any] | None = None) -> Offer:
    """A clean offer (no finding under China's rules either) of ``deployment``, with some terms changed."""
    return offer(deployment, sla={**CN_SLA, **(sla or {})}, contract={**CN_CONTRACT, **(contract or {})})


def hosted_by(host_certifications: list[str]) -> Offer:
    data = china_offer("hosted").model_dump(mode="json")
    data["partners"]["hosting"]["sla"]["certifications"] = host_certifications
    return Offer.model_validate(data)


def cn(**changes: Any) -> BidContext:
    return BidContext(**{"jurisdiction": "cn", "require_domestic_stack": True, "pipl": STANDARD,
                         "pipl_asked": True, **changes})


# code, offer, context, a text the English explanation holds
FIRES: list[tuple[str, Offer, BidContext, str]] = [
    ("CN001", china_offer(sla={"certifications": ["iso27001"]}), CN, "no MLPS grade is stated"),
    ("CN001", china_offer(sla={"certifications": ["mlps2"]}), CN, "MLPS level 2 only"),
    ("CN001", china_offer("hosted", sla={"certifications": ["soc2_type2"]}), CN, "no MLPS grade"),
    ("CN001", hosted_by(["mlps2"]), CN, "the host Host Ltd is graded MLPS level 2"),
    ("CN002", china_offer(), cn(pipl=None), "does not answer the PIPL criterion SEC-021"),
    ("CN002", china_offer(), cn(pipl=CodedAnswer("SEC-021", "X", upgrade_risk=True, value=0.35)), "with X"),
    ("CN002", china_offer("on_premise"), cn(pipl=CodedAnswer("SEC-021", "T", value=0.55)), "with T"),
    ("CN003", china_offer(contract={"data_location": "abroad"}), CN, "stored outside mainland China"),
    ("CN003", china_offer(contract={"data_location": "backups_abroad"}), CN, "backups or recovery copies"),
    ("CN003", china_offer("on_premise", contract={"support_access_from_abroad": True}), CN, "staff outside"),
    ("CN004", china_offer(contract={"data_location": None}), CN, "does not say where"),
    ("CN004", china_offer("hosted", contract={"data_location": "abroad"}), CN, "kept outside mainland China"),
    ("CN004", china_offer(contract={"data_location": "backups_abroad"}), CN, "production data is in mainland"),
    ("CN005", china_offer(contract={"icp_filing": ""}), CN, "no ICP filing number"),
    ("CN005", china_offer(contract={"icp_filing": "12345678"}), CN, "(12345678) is not an ICP filing"),
    ("CN006", china_offer(contract={"domestic_stack": []}), CN, "runs on no domestic layer"),
    ("CN006", china_offer("on_premise", contract={"domestic_stack": ["chip", "operating_system"]}), CN,
     "2 of the 4 layers"),
    ("CN006", china_offer(contract={"domestic_stack": ["chip", "operating_system", "middleware"]}), CN,
     "not run on a domestic database"),
    ("CN006", china_offer(contract={"domestic_stack": ["operating_system", "database", "middleware"]}), CN,
     "not run on domestic chips"),
    ("CN006", china_offer(contract={"domestic_stack": ["chip", "database", "middleware"]}), CN,
     "not run on a domestic operating system"),
    ("CN006", china_offer(contract={"domestic_stack": ["chip", "operating_system", "database"]}), CN,
     "not run on domestic middleware"),
]
# code, offer, context: the rule does not fire
HOLDS: list[tuple[str, Offer, BidContext]] = [
    ("CN001", china_offer(sla={"certifications": ["mlps3"]}), CN),
    ("CN001", china_offer(sla={"certifications": ["mlps2", "mlps4"]}), CN),  # the highest level stated counts
    ("CN001", china_offer("on_premise", sla={"certifications": []}), CN),  # on premises we grade our own system
    ("CN001", hosted_by(["mlps3"]), CN),
    ("CN002", china_offer(), cn(pipl=CodedAnswer("SEC-021", "C", value=0.85))),
    ("CN002", china_offer(), cn(pipl=None, pipl_asked=False)),  # a catalogue without the PIPL criterion
    ("CN003", china_offer(contract={"data_location": "abroad", "cross_border_mechanism": "standard_contract"}), CN),
    ("CN003", china_offer(contract={"support_access_from_abroad": True,
                                    "cross_border_mechanism": "security_assessment"}), CN),
    ("CN003", china_offer(contract={"data_location": None}), CN),  # unstated: CN004 says so
    ("CN004", china_offer(), CN),
    ("CN004", china_offer("on_premise", contract={"data_location": None}), CN),  # our own data centre
    ("CN005", china_offer("hosted", contract={"icp_filing": ""}), CN),  # SaaS only
    ("CN005", china_offer(contract={"icp_filing": "京icp备12345678号"}), CN),
    ("CN006", china_offer(contract={"domestic_stack": []}), cn(require_domestic_stack=False)),
    ("CN006", china_offer("on_premise"), CN),
]


def test_every_china_code_has_a_firing_and_a_holding_case() -> None:
    assert {c.code for c in CHINA_CHECKS} == CHINA_RULES
    assert {code for code, *_ in FIRES} == CHINA_RULES
    assert {code for code, *_ in HOLDS} == CHINA_RULES


@pytest.mark.parametrize(("code", "item", "context", "text"), FIRES,
                         ids=[f"{c}-{i}" for i, (c, *_) in enumerate(FIRES)])
def test_china_rule_fires_and_explains(code: str, item: Offer, context: BidContext, text: str) -> None:
    found = [f for f in check_offer(item, context=context) if f.code == code]
    assert len(found) == 1
    assert text in found[0].in_("en").explanation
    chinese = found[0].in_("zh-CN")
    words = (chinese.explanation + chinese.title + chinese.lever).replace("Host Ltd", "")  # a name is data
    left = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"SaaS|[A-Z]{2,}", " ", words)))
    assert not left, left


@pytest.mark.parametrize(("code", "item", "context"), HOLDS, ids=[f"{c}-{i}" for i, (c, *_) in enumerate(HOLDS)])
def test_china_rule_holds(code: str, item: Offer, context: BidContext) -> None:
    assert code not in {f.code for f in check_offer(item, context=context)}


@pytest.mark.parametrize("deployment", ["saas", "on_premise", "hosted"])
def test_a_china_clean_offer_has_no_finding_under_cn(deployment: str) -> None:
    assert check_offer(china_offer(deployment), context=CN) == ()


def test_jurisdiction_chooses_soc2_and_iso_or_china_rules() -> None:
    chinese_vendor = china_offer(sla={"certifications": ["mlps3"]}, contract={"data_location": None})
    international = {f.code for f in check_offer(chinese_vendor)}
    china = {f.code for f in check_offer(chinese_vendor, context=CN)}
    assert {"SLA018", "SLA019"} <= international and not international & CHINA_RULES
    assert not {"SLA018", "SLA019"} & china and china == {"CN004"}
    # the registry of each jurisdiction lists the rules it runs
    assert "SLA018" not in registry("en", "cn").index and "CN001" in registry("en", "cn").index
    assert "CN001" not in registry("en", "international").index and "SLA018" in registry("en").index


def test_china_findings_lower_their_scores_by_their_penalty() -> None:
    base = china_offer()
    unstated = china_offer(sla={"certifications": []})  # CN001 (sla area, high)
    abroad = china_offer(contract={"data_location": "abroad"})  # CN003 high + CN004 medium, contract area
    assert sla_score(base, context=CN) == 1.0 and contract_score(base, context=CN) == 1.0
    assert sla_score(unstated, context=CN) == pytest.approx(1 - PENALTY[Severity.high])
    assert contract_score(unstated, context=CN) == 1.0
    assert contract_score(abroad, context=CN) == pytest.approx(1 - PENALTY[Severity.high] - PENALTY[Severity.medium])
    assert check("CN001").area == "sla" and {check(c).area for c in CHINA_RULES - {"CN001"}} == {"contract"}


def test_ignored_codes_in_the_context_are_left_out_like_ignore() -> None:
    abroad = china_offer(contract={"data_location": "abroad"})
    context = cn(ignored=("CN003",))
    assert {f.code for f in check_offer(abroad, context=context)} == {"CN004"}
    assert check_offer(abroad, context=context) == check_offer(abroad, context=CN, ignore=["CN003"])
    assert contract_score(abroad, context=context) == pytest.approx(1 - PENALTY[Severity.medium])


def test_helpers() -> None:
    assert mlps_level((Certification.iso27001,)) is None
    assert mlps_level((Certification.mlps2, Certification.mlps3)) == 3
    assert leaves_mainland(china_offer()) == ""
    assert leaves_mainland(china_offer(contract={"support_access_from_abroad": True})) == "access_from_abroad"
    assert MIN_PIPL_VALUE == 0.85  # configuration (C) on the shipped scale
    assert CLEAN_HOST["name"] == "Host Ltd" and "soc2_type2" in CLEAN_SLA["certifications"]
