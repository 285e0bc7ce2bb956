"""Check types and the rule book; ``CHECKS`` is the SLA rule book, then the contract rule book."""

from __future__ import annotations

import subprocess
import sys

import pytest

import crmselect.checks.report
import crmselect.checks.types
from crmselect.checks.china_rules import CHINA_CHECKS
from crmselect.checks.contract_rules import CONTRACT_CHECKS
from crmselect.checks.partner_rules import PARTNER_CHECKS
from crmselect.checks.report import CHECKS, CODES
from crmselect.checks.sla_rules import SLA_CHECKS
from crmselect.checks.types import PENALTY, RuleBook, Scope, Severity
from crmselect.checks.wording import Reason
from crmselect.errors import CrmSelectError
from crmselect.model.bids import Offer


def test_rule_book_keeps_the_order_of_registration_and_the_function() -> None:
    book = RuleBook()

    def never(offer: Offer) -> Reason | None:
        return None

    assert book.rule("SLA999", Severity.low, Scope.vendor_run, hours=24)(never) is never
    book.rule("CTR999", Severity.high)(never)
    assert [(c.code, c.severity, c.scope, dict(c.values)) for c in book.checks] == [
        ("SLA999", Severity.low, Scope.vendor_run, {"hours": 24}),
        ("CTR999", Severity.high, Scope.every_offer, {}),
    ]
    assert [c.area for c in book.checks] == ["sla", "contract"]
    with pytest.raises(CrmSelectError, match=r"SLA999 has no title, lever or explanation in .*rules\.yaml"):
        _ = book.checks[0].title


def test_a_rules_thresholds_fill_its_lever() -> None:
    lever = crmselect.checks.report.check("SLA006").lever_in("en")
    assert "(at most 24 hours a year)" in lever
    assert "（每年最多24小时）" in crmselect.checks.report.check("SLA006").lever_in("zh-CN")


def test_checks_joins_the_rule_books_sla_first() -> None:
    assert (*SLA_CHECKS, *CONTRACT_CHECKS, *PARTNER_CHECKS, *CHINA_CHECKS) == CHECKS
    assert [c.code for c in CHINA_CHECKS] == [f"CN{i:03d}" for i in range(1, 7)]
    assert [c.code for c in PARTNER_CHECKS] == [f"PTR{i:03d}" for i in range(1, 8)]
    assert [c.code for c in SLA_CHECKS] == [f"SLA{i:03d}" for i in range(1, 21)]
    assert [c.code for c in CONTRACT_CHECKS] == [f"CTR{i:03d}" for i in range(1, 31)]


def test_the_order_does_not_depend_on_which_rule_module_is_imported_first() -> None:
    code = ("import crmselect.checks.contract_rules, crmselect.checks.sla_rules, crmselect.checks.report as c; "
            "print(','.join(c.CODES))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == ",".join(CODES)


def test_reexports() -> None:
    assert max(PENALTY.values()) == PENALTY[Severity.high]
    for name in ("PENALTY", "Scope", "Severity", "Check", "Finder", "HIGH", "MEDIUM", "LOW", "VENDOR_RUN"):
        assert getattr(crmselect.checks.report, name) is getattr(crmselect.checks.types, name)
