"""Loading a selection folder, and the exact problem reported for each deliberately broken input.

Every case under tests/data/broken/ holds one mistake; the loader must report exactly one issue
naming the file, the line, the field path, what is allowed and what was received.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from testdata import BROKEN, MINIMAL, broken_cases, broken_selection, copy_minimal, load_example

from crmselect import InputError, Issue, load_project
from crmselect.model.bids import Deployment
from crmselect.model.goals import AnswerKind

ACME = "vendors/acme.yaml"
BOREALIS = "vendors/borealis.yaml"
COMMITTEE = "vendors/committee.yaml"
GOALS = "criteria/goals.yaml"
THEMES = "criteria/goal_themes.yaml"
SCALE = "criteria/compliance_scale.yaml"
SALES = "criteria/catalogue/01_sales.yaml"
SERVICE = "criteria/catalogue/02_service.yaml"
CODES = "S, C, R, T, X, F, N"


@dataclass(frozen=True)
class Expect:
    """The one issue a case must produce.

    ``message``, ``allowed`` and ``received`` are substrings that must appear; ``None`` means
    "not checked" (used only where the model's own message already says everything).
    """

    file: str
    line: int | None
    field: str
    code: str
    message: str = ""
    allowed: str | None = None
    received: str | None = None


EXPECTED: dict[str, Expect] = {
    # ---- file level: the file cannot be read as a YAML mapping
    "yaml_syntax_error": Expect(
        ACME,
        36,
        "",
        "yaml_syntax",
        "flow mapping that starts on line 35",
        "',' or '}' at this point",
        "SAL-003: {value: true}",
    ),
    "catalogue_syntax_error": Expect(
        SALES,
        11,
        "",
        "yaml_syntax",
        "flow sequence that starts on line 10",
        "',' or ']' at this point",
        "- id: SAL-002",
    ),
    "tab_indentation": Expect(THEMES, 5, "", "yaml_syntax", "'\\t'", "spaces", "a tab"),
    "duplicate_key": Expect(
        ACME, 5, "name", "duplicate_key", "appears twice (first on line 3)", "each key once", "a second 'name'"
    ),
    "empty_file": Expect(COMMITTEE, None, "", "empty_file", "is empty", "a YAML mapping", "nothing"),
    "comment_only_file": Expect(THEMES, None, "", "empty_file", "is empty", "a YAML mapping", "nothing"),
    "not_utf8": Expect(BOREALIS, 4, "", "not_utf8", "is not UTF-8 text", "UTF-8 text", "another encoding"),
    "top_level_list": Expect(SCALE, 1, "", "not_a_mapping", "mapping", "a YAML mapping", "list"),
    "vendor_not_mapping": Expect(BOREALIS, 1, "", "not_a_mapping", "mapping", "a YAML mapping", "list"),
    "missing_goals_file": Expect(GOALS, None, "", "missing_file", "is missing", "a YAML file", "no file"),
    "impossible_date": Expect(
        ACME, 37, "answers.SRV-001.available", "bad_value", "not a real date", "2026-09-30", "2026-09-31"
    ),
    "alias_bomb": Expect(
        COMMITTEE, None, "", "too_large", "too many values", "at most 1000000 values", "4412961516 values"
    ),
    "self_referencing_alias": Expect(
        THEMES, 1, "themes", "yaml_syntax", "refers to itself", "earlier values", "contains itself"
    ),
    "nested_too_deeply": Expect(COMMITTEE, None, "", "too_deep", "nested too deeply", "levels", "levels"),
    # ---- types and ranges
    "string_for_number": Expect(
        ACME, 15, "offers[0].implementation.services_cost", "float_type", "number", "a number", "'sixty thousand'"
    ),
    "uptime_above_100": Expect(
        ACME, 19, "offers[0].sla.uptime_pct", "less_than_equal", "less than or equal to 100", "<= 100", "100.5"
    ),
    "negative_goal_weight": Expect(
        GOALS, 24, "goals[1].weight", "greater_than_equal", "greater than or equal to 0", ">= 0", "-1"
    ),
    "score_above_5": Expect(COMMITTEE, 10, "scores.m-sales.acme.pipeline", "less_than_equal", "", "<= 5", "6"),
    "nan_number": Expect(GOALS, 26, "goals[1].kpis[0].baseline", "finite_number", "finite", "not NaN", "nan"),
    "infinite_number": Expect(
        BOREALIS, 29, "offers[1].pricing.hosting_per_year", "finite_number", "finite", "not NaN or infinity", "inf"
    ),
    "number_answer_is_text": Expect(
        ACME, 35, "answers.SAL-002.value", "no_union_member", "allowed type", "true or false or a number", "'many'"
    ),
    "too_many_kpis": Expect(GOALS, 14, "goals[0].kpis", "too_long", "too many items", "at most 3", "4 items"),
    "all_goal_weights_zero": Expect(GOALS, 10, "goals", "zero_weights", "sum to zero", "above 0", "0"),
    # ---- fields and vocabularies
    "unknown_field_typo": Expect(
        ACME,
        16,
        "offers[0].implementation.partnr",
        "extra_forbidden",
        "did you mean partner?",
        "services_cost",
        "partnr",
    ),
    "required_field_typo": Expect(
        ACME,
        14,
        "offers[0].implementation.claimed_golive_days",
        "extra_forbidden",
        "did you mean claimed_go_live_days?",
        "claimed_go_live_days",
        "claimed_golive_days",
    ),
    "missing_required_field": Expect(
        BOREALIS,
        13,
        "offers[0].implementation.services_cost",
        "missing",
        "is required but missing",
        "a number >= 0",
        "nothing",
    ),
    "offer_without_deployment": Expect(
        ACME, 6, "offers[0].deployment", "missing", "is required", "one of saas, on_premise, hosted", "nothing"
    ),
    "vendor_without_currency": Expect(
        BOREALIS, 2, "currency", "missing", "is required", "a three-letter currency code such as EUR", "nothing"
    ),
    "unknown_enum": Expect(ACME, 7, "offers[0].deployment", "enum", "", "'saas', 'on_premise' or 'hosted'", "'cloud'"),
    "value_function_typo": Expect(
        SALES, 18, "criteria[1].value_function.bset", "extra_forbidden", "did you mean best?", "worst, best", "bset"
    ),
    "unknown_value_function": Expect(
        SALES,
        18,
        "criteria[1].value_function",
        "union_tag_invalid",
        "kind",
        "'linear', 'piecewise', 'threshold'",
        "exponential",
    ),
    "number_criterion_without_unit": Expect(
        SERVICE,
        17,  # unit is missing: the line of the criterion that lacks it
        "criteria[2].unit",
        "required_for_answer",
        "is required for a number criterion",
        "text naming the unit of the number",
        "nothing",
    ),
    "unit_on_compliance_criterion": Expect(
        SALES,
        11,
        "criteria[0].unit",
        "not_for_answer",
        "only applies to number criteria (this one has answer: compliance)",
        "no unit on a compliance criterion",
        "percent",
    ),
    "computed_without_source": Expect(
        SERVICE,
        25,
        "criteria[3].computed_from",
        "required_for_answer",
        "is required for a computed criterion",
        "one of sla_score, contract_score, price",
        "nothing",
    ),
    "linear_worst_equals_best": Expect(
        SALES,
        18,
        "criteria[1].value_function.best",
        "worst_is_best",
        "must differ from worst",
        "a number other than 50000",
        "50000",
    ),
    "piecewise_not_ascending": Expect(
        SERVICE,
        16,
        "criteria[1].value_function.points[2][0]",
        "points_not_ascending",
        "strictly ascending x",
        "a number above 99.9",
        "99.5",
    ),
    "unknown_theme": Expect(
        SALES, 10, "criteria[0].serves", "unknown_theme", "unknown goal theme", "forecast_accuracy", "forecast_acuracy"
    ),
    "category_name_mismatch": Expect(SERVICE, 1, "category", "category_mismatch", "file name", "service", "support"),
    "saas_without_subscription": Expect(
        ACME,
        9,  # the field is missing: the line of pricing, where it belongs
        "offers[0].pricing.subscription_per_user_month",
        "required_for_deployment",
        "is required for a saas offer",
        "a price per user and month (a number >= 0)",
        "nothing",
    ),
    "hosted_without_partner": Expect(
        BOREALIS,
        23,
        "offers[1].hosting_partner",
        "required_for_deployment",
        "is required for a hosted offer",
        "the name of the company that hosts",
        "nothing",
    ),
    "credit_tiers_out_of_order": Expect(
        ACME,
        22,
        "offers[0].sla.credits[1].below_pct",
        "credits_out_of_order",
        "must be lower than in the tier before it: credits go from highest to lowest",
        "a percentage below 99",
        "99.9",
    ),
    "unknown_severity": Expect(
        ACME,
        25,
        "offers[0].sla.response_hours.sev5",
        "unknown_severity",
        "is not a severity level",
        "sev1, sev2, sev3, sev4",
        "sev5",
    ),
    "override_without_reason": Expect(COMMITTEE, 19, "overrides[0].reason", "missing", "required", "text", "nothing"),
    "lowercase_compliance_code": Expect(
        BOREALIS, 39, "answers.SAL-001.code", "string_pattern_mismatch", "pattern", "^[A-Z]$", "'c'"
    ),
    # ---- answers against the catalogue and the scale
    "unknown_compliance_code": Expect(
        ACME, 34, "answers.SAL-001.code", "unknown_code", "not a compliance code", CODES, "Q"
    ),
    "future_without_date": Expect(ACME, 37, "answers.SRV-001.available", "missing_date", "code F", "a date", "nothing"),
    "number_for_compliance": Expect(
        BOREALIS, 42, "answers.SRV-001.value", "wrong_answer_type", "compliance code", CODES, "3.0"
    ),
    "code_for_yes_no": Expect(BOREALIS, 41, "answers.SAL-003", "wrong_answer_type", "yes or no", "true or false", "N"),
    "code_and_value": Expect(
        BOREALIS,
        39,
        "answers.SAL-001.value",
        "code_and_value",
        "cannot be given together with code (an answer gives exactly one of code or value)",
        "either code (a compliance code) or value (a number or true/false), not both",
        "code: C and value: 1",
    ),
    "answer_without_code_or_value": Expect(
        ACME,
        35,
        "answers.SAL-002.code",
        "empty_answer",
        "is missing, and so is value",
        "code (a compliance code) or value (a number or true/false)",
        "nothing",
    ),
    "answer_unknown_criterion": Expect(
        ACME, 40, "answers.SRV-999", "unknown_criterion", "not in the catalogue", "criteria/catalogue/", "SRV-999"
    ),
    "answer_committee_score": Expect(
        ACME, 40, "answers.SAL-004", "not_answerable", "not answered by the vendor", "committee scores it", "an answer"
    ),
    "missing_linked_answer": Expect(
        BOREALIS, 38, "answers.SAL-003", "missing_answer", "no answer to SAL-003", "every linked criterion", "no answer"
    ),
    # ---- ids across files
    "goal_links_missing_criterion": Expect(
        GOALS,
        20,
        "goals[0].criteria.SAL-030",
        "unknown_criterion",
        "not in the catalogue",
        "criteria/catalogue/",
        "SAL-030",
    ),
    "duplicate_criterion_across_files": Expect(
        SERVICE,
        36,
        "criteria[5].id",
        "duplicate_id",
        "duplicate criterion",
        "unique",
        "SAL-003 (already in criteria/catalogue/01_sales.yaml line 19)",
    ),
    "duplicate_goal_id": Expect(GOALS, 38, "goals[3].id", "duplicate_id", "duplicate goal id", "unique", "forecast"),
    "duplicate_vendor_id": Expect(
        "vendors/acme2.yaml",
        2,
        "id",
        "duplicate_id",
        "duplicate vendor id",
        "unique",
        "acme (also in vendors/acme.yaml)",
    ),
    "duplicate_offer_id": Expect(
        BOREALIS, 23, "offers[1].id", "duplicate_id", "duplicate offer id", "unique", "borealis-onprem"
    ),
    "mixed_currency": Expect(BOREALIS, 4, "currency", "mixed_currency", "mixed currencies", "EUR", "USD"),
    "must_have_code_not_in_scale": Expect(
        GOALS, 40, "must_haves[0].minimum", "bad_minimum", "answer type", f"a compliance code: {CODES}", "'Q'"
    ),
    "must_have_unknown_criterion": Expect(
        GOALS,
        39,
        "must_haves[0].criterion",
        "unknown_criterion",
        "not in the catalogue",
        "criteria/catalogue/",
        "SAL-101",
    ),
    "stakeholder_unknown_goal": Expect(
        GOALS,
        46,
        "stakeholder_views[0].weights.risks",
        "unknown_goal",
        "unknown goal",
        "forecast, risk, service",
        "risks",
    ),
    "score_unknown_member": Expect(
        COMMITTEE, 15, "scores.m-ops", "unknown_member", "not a committee member", "m-it, m-sales, m-service", "m-ops"
    ),
    "score_unknown_vendor": Expect(
        COMMITTEE, 17, "scores.m-it.boreal", "unknown_vendor", "not a vendor", "acme, borealis", "boreal"
    ),
    "score_unknown_scenario": Expect(
        COMMITTEE,
        13,
        "scores.m-service.acme.complain",
        "unknown_scenario",
        "not a demo scenario",
        "complaint, pipeline",
        "complain",
    ),
    "notes_unknown_member": Expect(
        COMMITTEE, 23, "notes.m-ops", "unknown_member", "not a committee member", "m-it, m-sales, m-service", "m-ops"
    ),
    "notes_unknown_vendor": Expect(
        COMMITTEE, 24, "notes.m-it.boreal", "unknown_vendor", "not a vendor", "acme, borealis", "boreal"
    ),
    "notes_unknown_scenario": Expect(
        COMMITTEE,
        24,
        "notes.m-service.acme.complain",
        "unknown_scenario",
        "not a demo scenario",
        "complaint, pipeline",
        "complain",
    ),
    "stakeholder_unknown_holder": Expect(
        GOALS,
        45,
        "stakeholder_views[0].holder",
        "unknown_holder",
        "neither a committee member nor a role",
        "(m-it, m-sales, m-service), a role (sales, marketing, service, it, finance,",
        "m-finance",
    ),
    "scenario_not_committee_score": Expect(
        COMMITTEE,
        8,
        "scenarios[2].criterion",
        "bad_scenario",
        "committee-score criterion",
        "answer: committee_score",
        "SRV-002",
    ),
}


def _load_issues(selection: Path) -> tuple[Issue, ...]:
    with pytest.raises(InputError) as caught:
        load_project(selection)
    return caught.value.issues


# ------------------------------------------------------------------ the minimal selection
def test_minimal_selection_loads_with_every_answer_kind() -> None:
    project = load_project(MINIMAL)
    assert project.summary() == {
        "goals": 3,
        "criteria": 10,
        "linked criteria": 9,
        "categories": 2,
        "vendors": 2,
        "offers": 3,
        "committee members": 3,
        "demo scenarios": 2,
    }
    assert {c.answer for c in project.criteria} == set(AnswerKind)
    kinds = {c.value_function.kind for c in project.criteria if c.value_function is not None}
    assert kinds == {"linear", "piecewise", "threshold"}
    assert {bid.offer.deployment for bid in project.bids} == set(Deployment)
    assert project.unlinked_criteria == ("SAL-005",)
    assert [c.category for c in project.criteria[:1]] == ["sales"]  # filled in from the file
    assert project.must_have("SAL-001") is not None
    assert project.vendor("acme").answers["SRV-001"].available is not None


# ------------------------------------------------------------------ one mistake, one exact issue
def test_every_broken_case_has_an_expectation() -> None:
    assert broken_cases() == sorted(EXPECTED), "tests/data/broken/ and EXPECTED must list the same cases"
    assert len(EXPECTED) >= 32


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_case_reports_its_one_exact_issue(case: str, tmp_path: Path) -> None:
    expect = EXPECTED[case]
    issues = _load_issues(broken_selection(tmp_path, case))
    assert len(issues) == 1, "\n".join(str(i) for i in issues)
    issue = issues[0]
    assert (issue.file, issue.line, issue.field, issue.code) == (expect.file, expect.line, expect.field, expect.code)
    assert expect.message in issue.message
    for name in ("allowed", "received"):
        wanted, got = getattr(expect, name), getattr(issue, name)
        if wanted is not None:
            assert got, f"{name} should be filled"
            assert wanted in got, f"{name}: {wanted!r} not in {got!r}"
    # every issue says what is allowed and what was received, whether or not the case checks the wording
    assert issue.allowed and issue.received, str(issue)
    # what the user reads names the file, the line (when there is one) and the field
    text = str(issue)
    assert text.startswith(issue.file if issue.line is None else f"{issue.file} line {issue.line}: ")
    assert issue.field in text


def test_holder_may_be_a_member_a_role_or_nobody(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "selection")
    goals = selection / GOALS
    text = goals.read_text(encoding="utf-8")
    view = "  - id: sales_view\n    name: Sales director\n    holder: m-sales\n"
    assert text.count(view) == 1
    more = (
        "  - {id: finance_view, name: Finance, holder: finance, weights: {forecast: 20, service: 20, risk: 60}}\n"
        "  - {id: plain_view, name: Nobody in particular, weights: {forecast: 1, service: 1, risk: 1}}\n"
    )
    goals.write_text(text.replace(view, more + view), encoding="utf-8")
    views = load_project(selection).selection.stakeholder_views
    assert [v.holder for v in views] == ["finance", "", "m-sales"]


def test_committee_notes_naming_known_ids_load(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "selection")
    with (selection / COMMITTEE).open("a", encoding="utf-8") as out:
        out.write("notes:\n  m-it:\n    borealis: {complaint: Slow search., pipeline: Fine.}\n")
    assert load_project(selection).committee.notes == {
        "m-it": {"borealis": {"complaint": "Slow search.", "pipeline": "Fine."}}
    }


def test_each_case_changes_minimal(tmp_path: Path) -> None:
    """A case folder that silently matched minimal would test nothing."""
    for case in broken_cases():
        folder = BROKEN / case
        changed = [p for p in folder.rglob("*") if p.is_file()]
        assert changed, case
        for path in changed:
            rel = path.relative_to(folder)
            if rel.name == "REMOVE":
                assert all((MINIMAL / r).is_file() for r in path.read_text(encoding="utf-8").split()), case
            elif (MINIMAL / rel).is_file():
                assert path.read_bytes() != (MINIMAL / rel).read_bytes(), f"{case}: {rel} equals minimal"


# ------------------------------------------------------------------ several mistakes at once
def test_several_mistakes_in_several_files_are_all_reported(tmp_path: Path) -> None:
    cases = [
        "uptime_above_100",
        "mixed_currency",
        "score_above_5",
        "stakeholder_unknown_goal",
        "tab_indentation",
        "category_name_mismatch",
        "unknown_value_function",
        "top_level_list",
    ]
    with pytest.raises(InputError) as caught:
        load_project(broken_selection(tmp_path, *cases))
    found = {(i.file, i.line, i.field) for i in caught.value.issues}
    assert found == {(EXPECTED[c].file, EXPECTED[c].line, EXPECTED[c].field) for c in cases}
    assert len(caught.value.issues) == len(cases) == 8
    assert str(caught.value).startswith("8 problems in ")


def test_several_mistakes_in_one_file_are_all_reported(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "selection")
    acme = selection / ACME
    text = acme.read_text(encoding="utf-8")
    for old, new in [
        ("uptime_pct: 99.9", "uptime_pct: 101"),
        ("services_cost: 60000", "services_cost: lots"),
        ("rpo_hours: 1", "rpo_hours: -1"),
        ("SAL-003: {value: true}", "SAL-003: {value: true, x: 1}"),
    ]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    acme.write_text(text, encoding="utf-8")
    issues = _load_issues(selection)
    assert [(i.line, i.field) for i in issues] == [
        (15, "offers[0].implementation.services_cost"),
        (19, "offers[0].sla.uptime_pct"),
        (26, "offers[0].sla.rpo_hours"),
        (36, "answers.SAL-003.x"),
    ]
    assert {i.file for i in issues} == {ACME}


def test_error_message_names_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_project(broken_selection(tmp_path, "uptime_above_100"))
    message = str(caught.value)
    assert "vendors/acme.yaml line 19: offers[0].sla.uptime_pct:" in message
    assert "received: 100.5" in message
    assert "allowed: <= 100" in message
    assert isinstance(caught.value, ValueError)  # the family is also ValueError


def test_not_a_selection_folder(tmp_path: Path) -> None:
    (tmp_path / "criteria").mkdir()
    issues = _load_issues(tmp_path)
    assert [(i.code, i.received) for i in issues] == [("not_a_selection", "criteria")]
    assert "no selection.yaml" in issues[0].message
    assert _load_issues(tmp_path / "nowhere")[0].received == "no such folder"


def test_missing_vendors_are_reported(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "selection")
    for name in ("acme.yaml", "borealis.yaml"):
        (selection / "vendors" / name).unlink()
    project = load_project(selection)  # a selection without bids yet is valid: a note, not an error
    assert [(i.file, i.code) for i in project.notes] == [("vendors", "no_vendors")]


def test_unreadable_file_is_an_issue_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    selection = copy_minimal(tmp_path / "selection")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "goal_themes.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    issues = _load_issues(selection)
    assert [(i.file, i.code, i.received) for i in issues] == [(THEMES, "unreadable", "PermissionError")]
    assert "Permission denied" in issues[0].message


def test_folder_in_place_of_a_file_is_reported_as_a_folder(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "selection")
    (selection / THEMES).unlink()
    (selection / THEMES).mkdir()
    issues = _load_issues(selection)
    assert [(i.file, i.code, i.received) for i in issues] == [(THEMES, "not_a_file", "a folder")]


# ------------------------------------------------------------------ the shipped example
def test_shipped_example_loads() -> None:
    project = load_example()
    summary = project.summary()
    assert summary["criteria"] >= 250
    assert summary["categories"] >= 15
    assert 6 <= summary["goals"] <= 8
    assert summary["vendors"] == 5
    assert summary["committee members"] == 6
    assert 8 <= summary["demo scenarios"] <= 10
    assert {bid.offer.deployment for bid in project.bids} == set(Deployment)
    assert project.unlinked_criteria, "some catalogue criteria stay unlinked on purpose"
    assert all(len(goal.kpis) == 3 for goal in project.selection.goals)
