"""Partners as parties: the effective SLA of a hosted offer, scores by role, and the example's partners on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, load_example

from crmselect.checks.partner_rules import effective_sla, weaker_terms
from crmselect.checks.report import PENALTY, Severity, check_offer, check_project, contract_score, sla_score
from crmselect.cli.app import main
from tests.checks.test_report import CLEAN_HOST, CLEAN_SLA, IMPLEMENTER, partnered


def test_the_effective_sla_is_the_weaker_of_vendor_and_host_term_by_term() -> None:
    host_sla = {**CLEAN_SLA, "uptime_pct": 99.5, "rpo_hours": 8, "secondary_site": False, "support_hours": "24x5",
                "certifications": ["iso27001"], "response_hours": {"sev1": 4}}
    item = partnered("hosted", hosting={**CLEAN_HOST, "sla": host_sla})
    kept = effective_sla(item)
    assert (kept.uptime_pct, kept.rpo_hours, kept.rto_hours, kept.secondary_site) == (99.5, 8, 4, False)
    assert [c.value for c in kept.certifications] == ["iso27001"]
    # credits and support are the vendor's: our contract is with the vendor
    assert kept.support_hours.value == "24x7" and kept.response_hours == item.sla.response_hours and kept.credits == \
        item.sla.credits
    assert weaker_terms(item.sla, item.partners.hosting.sla) == (  # type: ignore[union-attr]
        "uptime_pct", "rpo_hours", "secondary_site", "certifications")
    # by hand: PTR006, SLA003 (99.5 < 99.9), SLA013 (RPO 8 > 4), SLA017 (one site), SLA018 (no SOC 2): all medium
    codes = sorted(f.code for f in check_offer(item, area="sla"))
    assert codes == ["PTR006", "SLA003", "SLA013", "SLA017", "SLA018"]
    assert sla_score(item) == pytest.approx(1 - 5 * PENALTY[Severity.medium])


def test_party_findings_lower_the_score_of_their_role_and_name_the_party() -> None:
    weak = {**IMPLEMENTER, "references": 1}
    as_implementer = partnered("hosted", implementation=weak)
    as_host = partnered("hosted", hosting={**weak, "name": "Host Ltd", "sla": CLEAN_SLA})
    assert contract_score(as_implementer) == pytest.approx(1 - PENALTY[Severity.medium]) and sla_score(
        as_implementer) == 1.0
    assert sla_score(as_host) == pytest.approx(1 - PENALTY[Severity.medium]) and contract_score(as_host) == 1.0
    both = partnered("hosted", implementation=weak, hosting={**weak, "name": "Host Ltd", "sla": CLEAN_SLA})
    found = [(f.code, f.party, f.area) for f in check_offer(both)]
    assert found == [("PTR001", "Host Ltd", "sla"), ("PTR001", "Impl Co", "contract")]


@settings(max_examples=40, deadline=None)
@given(uptime=st.floats(95, 100), rpo=st.one_of(st.none(), st.floats(0, 48)), dr=st.booleans())
def test_a_host_never_makes_a_hosted_offer_stronger(uptime: float, rpo: float | None, dr: bool) -> None:
    host = {**CLEAN_HOST, "sla": {**CLEAN_SLA, "uptime_pct": uptime, "rpo_hours": rpo, "disaster_recovery_plan": dr}}
    with_host = partnered("hosted", hosting=host)
    vendor_only = partnered("hosted", hosting={**CLEAN_HOST, "sla": CLEAN_SLA})
    assert sla_score(with_host) <= sla_score(vendor_only)


def test_the_example_exercises_the_partner_rules() -> None:
    report = check_project(load_example())
    partner = {(b.bid, f.code, f.party) for b in report.bids for f in b.findings if f.code.startswith("PTR")}
    assert partner == {
        ("cirrolan-saas", "PTR002", "Suzhou Brightpath Consulting (Cirrolan gold partner)"),
        ("harbourline-hosted", "PTR006",
         "Qiantang DataVault Co., Ltd. (Hangzhou primary site, Nanjing secondary site)"),
    }
    harbourline = report.findings("harbourline-hosted")
    assert "rpo_hours 4 -> 8" in next(f for f in harbourline if f.code == "PTR006").explanation
    assert any(f.code == "SLA013" and "8 hours" in f.explanation for f in harbourline)  # the host's RPO counts


def test_the_checks_command_shows_the_party_by_name_in_both_languages(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    text = (root / "vendors/cirrolan.yaml").read_text(encoding="utf-8").replace("certified_staff: 3 ",
                                                                                "certified_staff: 6 ", 1)
    (root / "vendors/cirrolan.yaml").write_text(text, encoding="utf-8")  # a committee member corrects the figure
    assert main(["checks", str(root)]) == 0
    out = capsys.readouterr().out
    assert "PTR002" not in out and "Qiantang DataVault" in out and "PTR006" in out
    assert main(["--lang", "zh-CN", "checks", str(root)]) == 0
    assert "托管方Qiantang DataVault" in capsys.readouterr().out
