"""The bid rules: third-party products that must be priced (CTR029), custom code (CTR030), and the recovery
rules reading our own recovery for an on-premise offer (SLA013-SLA017); then the committee's path through
selection.yaml, the CLI and the workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from crmselect.checks.report import (
    BidContext,
    bid_context,
    check,
    check_offer,
    check_project,
    sla_score,
)
from crmselect.checks.types import CodedAnswer
from crmselect.model.bids import Answer, Deployment
from crmselect.model.settings import OwnRecovery, SelectionSettings
from tests import money_fixtures as mf
from tests.money.test_upgrade_and_recovery_costs import flagged_scale, settings_with
from tests.testdata import copy_example, replace_in, reveal_prices

RECOVERY_CODES = ("SLA013", "SLA014", "SLA015", "SLA016", "SLA017")


def codes(offer: Any, context: BidContext | None) -> set[str]:
    return {f.code for f in check_offer(offer, context=context)}


def t_answer(criterion: str, product: str = "", cost: float | None = None) -> CodedAnswer:
    return CodedAnswer(criterion, "T", must_be_priced=True, third_party_product=product,
                       third_party_cost_per_year=cost)


# ---------------------------------------------------------------------------- CTR029
def test_a_third_party_product_must_be_priced_by_name_or_by_the_answer() -> None:
    offer = mf.saas_offer(third_party_per_year=9_000.0, third_party_products="VoxBridge; CleanSheet  DQ")
    rule = check("CTR029")
    assert rule.reason(offer, BidContext((t_answer("C1", "voxbridge"), t_answer("C2", "cleansheet dq")))) is None
    assert rule.reason(offer, BidContext((t_answer("C3", "SurveyKite", cost=0.0),))) is None  # priced: free
    why = rule.reason(offer, BidContext((t_answer("C1", "VoxBridge"), t_answer("C3", "SurveyKite"),
                                         t_answer("C4"))))
    assert why is not None and why.key == "unpriced"
    assert why.params == {"count": 2, "criteria": "C3 (SurveyKite), C4"}
    unnamed = rule.reason(offer, BidContext((t_answer("C4"),)))
    assert unnamed is not None and unnamed.key == "unnamed"
    assert rule.severity.value == "high" and "Price every third-party product" in rule.lever
    # not a T answer, or no answers known: nothing to price
    assert rule.reason(offer, BidContext((CodedAnswer("C5", "X", upgrade_risk=True),))) is None
    assert rule.reason(offer) is None


def test_the_project_context_holds_linked_coded_answers_only() -> None:
    answers = {**mf.ANSWERS, "C3": Answer(code="T", third_party_product="VoxBridge")}
    project = dataclasses.replace(mf.project(answers=answers), scale=flagged_scale())
    context = bid_context(project, "cloud-saas")
    assert [a.criterion for a in context.answers] == ["C1", "C2", "C3", "C4", "C5"]  # C6 unlinked, C7 a number
    assert [a.criterion for a in context.answers if a.upgrade_risk] == ["C1", "C2"]
    report = check_project(project)
    assert any(f.code == "CTR029" and "C3 (VoxBridge)" in f.explanation for f in report.findings("cloud-saas"))
    priced = project.vendors[0].offers[0].pricing.replace(third_party_products="VoxBridge")
    fixed = dataclasses.replace(project, vendors=(project.vendors[0].replace(offers=(
        project.vendors[0].offers[0].replace(pricing=priced), *project.vendors[0].offers[1:])),))
    assert "CTR029" not in {f.code for f in check_project(fixed).findings("cloud-saas")}


# ---------------------------------------------------------------------------- CTR030
@pytest.mark.parametrize(("custom", "total", "limit", "fires"), [(1, 10, 10.0, False), (2, 10, 10.0, True),
                                                                 (2, 10, 25.0, False), (0, 5, 0.0, False)])
def test_custom_code_share(custom: int, total: int, limit: float, fires: bool) -> None:
    answers = tuple(CodedAnswer(f"C{i}", "X" if i < custom else "S", upgrade_risk=i < custom) for i in range(total))
    why = check("CTR030").reason(mf.saas_offer(), BidContext(answers, None, limit))
    assert (why is not None) is fires
    if why is not None:
        assert why.params["share"] == pytest.approx(100.0 * custom / total)


def test_the_custom_code_limit_comes_from_selection_yaml() -> None:
    base = dataclasses.replace(mf.project(), scale=flagged_scale())  # 2 of 5 linked coded answers are X: 40 %
    assert "CTR030" in {f.code for f in check_project(base).findings("cloud-saas")}  # default limit 10 %
    lenient = dataclasses.replace(base, settings=settings_with(upgrade_rework={"high_share_pct": 50.0}))
    assert "CTR030" not in {f.code for f in check_project(lenient).findings("cloud-saas")}


# ---------------------------------------------------------------------------- recovery, our own
def hosted_without_plan() -> Any:
    offer = mf.saas_offer()
    return offer.replace(deployment=Deployment.hosted, hosting_partner="Host Ltd",
                         sla=offer.sla.replace(disaster_recovery_plan=False, secondary_site=False))


def test_on_premise_reads_our_own_recovery() -> None:
    onprem = mf.onprem_offer()
    designed = onprem.replace(sla=onprem.sla.replace(rpo_hours=1.0, rto_hours=2.0, disaster_recovery_plan=True,
                                                     disaster_recovery_tested=True, secondary_site=True))
    assert not codes(designed, None) & set(RECOVERY_CODES)  # the vendor's design, when we state nothing
    nothing = BidContext(own_recovery=OwnRecovery())
    assert set(RECOVERY_CODES) <= codes(designed, nothing)  # we state no plan of ours: the design does not help
    why = check("SLA015").reason(designed, nothing)
    assert why is not None and why.key == "no_plan_ours"
    ready = BidContext(own_recovery=OwnRecovery(disaster_recovery_plan=True, disaster_recovery_tested=True,
                                                secondary_site=True, rpo_hours=4.0, rto_hours=12.0))
    assert not codes(onprem, ready) & set(RECOVERY_CODES)  # ours covers a design with nothing in it
    slow = BidContext(own_recovery=OwnRecovery(disaster_recovery_plan=True, rpo_hours=24.0))
    assert {f.code: f.reason.key for f in check_offer(onprem, context=slow) if f.code in RECOVERY_CODES} == {
        "SLA013": "long_ours", "SLA014": "missing_ours", "SLA016": "untested_ours", "SLA017": "one_site_ours"}


def test_on_premise_without_our_plan_fails_like_a_hosted_offer_without_one() -> None:
    nothing = BidContext(own_recovery=OwnRecovery())
    onprem = {f.code: f.severity for f in check_offer(mf.onprem_offer(), context=nothing) if f.code in RECOVERY_CODES}
    hosted = {f.code: f.severity for f in check_offer(hosted_without_plan()) if f.code in RECOVERY_CODES}
    assert onprem == hosted and onprem["SLA015"].value == "high"
    # the on-premise SLA score no longer escapes the recovery rules (the 0.77 against 0.14)
    assert sla_score(mf.onprem_offer(), context=nothing) < sla_score(mf.onprem_offer(), context=BidContext(
        own_recovery=OwnRecovery(disaster_recovery_plan=True, disaster_recovery_tested=True, secondary_site=True,
                                 rpo_hours=1.0, rto_hours=1.0)))


# ---------------------------------------------------------------------------- the committee's path
def test_selection_yaml_to_cli_checks_tco_and_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A committee states its own recovery in selection.yaml: the checks read it, the TCO and the workbook cost it."""
    from openpyxl import load_workbook

    from crmselect.cli.app import main
    from crmselect.excel.scorecard import export_scorecard
    from crmselect.files.loaders import load_project

    folder = copy_example(tmp_path / "example")
    with (folder / "selection.yaml").open("a", encoding="utf-8") as file:
        file.write("own_recovery:\n  disaster_recovery_plan: true\n  rpo_hours: 2\n  rto_hours: 8\n"
                   "  cost_per_year: 30000\n")
    assert main(["checks", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "our own disaster recovery plan is not tested" in said  # SLA016 of the on-premise offers
    assert "we run this system ourselves and have no second site of our own" in said
    assert "CTR029" in said and "DQ-008 (AddressSure)" in said  # named on the answer, priced nowhere
    reveal_prices(folder)
    member = load_project(folder).committee.member_ids[0]
    capsys.readouterr()
    assert main(["--member", member, "tco", str(folder), "--lines", "--draws", "500"]) == 0
    said = capsys.readouterr().out
    assert "own recovery" in said and "upgrade re-work (custom code)" in said and "payback P50" in said
    assert " inf" not in said
    project = load_project(folder)
    assert project.settings is not None and project.settings.own_recovery is not None
    book = load_workbook(export_scorecard(project, tmp_path / "s.xlsx", smaa_samples=500).path)
    column_a = [str(c.value) for c in book["TCO"]["A"] if c.value]
    assert column_a.count("own recovery") == sum(b.offer.deployment is Deployment.on_premise for b in project.bids)
    replace_in(folder / "selection.yaml", "rpo_hours: 2", "rpo_hours: -2")
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 2
    shown = capsys.readouterr()
    assert "selection.yaml line" in shown.out + shown.err and "own_recovery.rpo_hours" in shown.out + shown.err


def test_settings_keep_own_recovery_optional() -> None:
    settings = settings_with()
    assert settings.own_recovery is None and settings.upgrade_rework.high_share_pct == 10.0
    stated = SelectionSettings.model_validate({**settings.model_dump(), "own_recovery": {"cost_per_year": 1.0},
                                               "as_of": dt.date(2027, 1, 1)})
    assert stated.own_recovery == OwnRecovery(cost_per_year=1.0)


def _fires() -> list[tuple[str, Any, BidContext]]:
    onprem, nothing = mf.onprem_offer(), BidContext(own_recovery=OwnRecovery())
    slow = BidContext(own_recovery=OwnRecovery(disaster_recovery_plan=True, rpo_hours=24.0, rto_hours=48.0))
    custom = tuple(CodedAnswer(f"C{i}", "X", upgrade_risk=True) for i in range(3))
    return [
        ("SLA013", onprem, nothing), ("SLA013", onprem, slow), ("SLA014", onprem, nothing), ("SLA014", onprem, slow),
        ("SLA015", onprem, nothing), ("SLA016", onprem, nothing), ("SLA016", onprem, slow),
        ("SLA017", onprem, nothing),
        ("CTR029", mf.saas_offer(), BidContext((t_answer("C1"),))),
        ("CTR029", mf.saas_offer(), BidContext((t_answer("C1", "VoxBridge"),))),
        ("CTR030", mf.saas_offer(), BidContext(custom)),
    ]


#: the bid rules' firing cases with a context (the offer-only cases are test_report.FIRES)
CONTEXT_FIRES = _fires()
#: rules that read the bid's answers: they fire and hold here, not in test_report's offer-only cases
ANSWER_RULES = frozenset({"CTR029", "CTR030"})


@pytest.mark.parametrize(("code", "item", "context"), CONTEXT_FIRES)
def test_context_cases_fire(code: str, item: Any, context: BidContext) -> None:
    assert check(code).reason(item, context) is not None
    assert code in codes(item, context)
