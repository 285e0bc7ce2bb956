"""The frozen domain model: nothing changes in place, a change makes a new validated object."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from testdata import MINIMAL

from crmselect import Project, load_project
from crmselect.errors import Issue
from crmselect.files.validation import describe_field
from crmselect.model.bids import Answer, CreditTier, Offer, SlaTerms, Vendor
from crmselect.model.goals import (
    CategoryFile,
    Committee,
    ComplianceScale,
    Criterion,
    FrozenDict,
    GoalThemesFile,
    Kpi,
    LinearValue,
    PiecewiseValue,
    Selection,
    ThresholdValue,
    ValueFunction,
)

FILE_MODELS: list[type[BaseModel]] = [CategoryFile, GoalThemesFile, ComplianceScale, Selection, Vendor, Committee]


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(MINIMAL)


# ------------------------------------------------------------------ frozen all the way down
def test_attribute_assignment_is_refused(project: Project) -> None:
    goal = project.selection.goals[0]
    with pytest.raises(ValidationError, match="frozen"):
        goal.weight = 99  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        project.selection.currency = "USD"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        project.vendors[0].offers[0].sla.uptime_pct = 100  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        project.selection = project.selection  # type: ignore[misc]
    assert goal.weight == 50


MUTATIONS: dict[str, Callable[[Any], object]] = {
    "setitem": lambda m: m.__setitem__("new", 1),
    "delitem": lambda m: m.__delitem__(next(iter(m))),
    "update": lambda m: m.update({"new": 1}),
    "pop": lambda m: m.pop(next(iter(m))),
    "popitem": lambda m: m.popitem(),
    "setdefault": lambda m: m.setdefault("new", 1),
    "clear": lambda m: m.clear(),
    "ior": lambda m: m.__ior__({"new": 1}),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize(
    "mapping",
    [
        lambda p: p.selection.goals[0].criteria,
        lambda p: p.selection.stakeholder_views[0].weights,
        lambda p: p.vendors[0].answers,
        lambda p: p.vendors[0].offers[0].sla.response_hours,
        lambda p: p.committee.scores,
        lambda p: p.committee.scores["m-sales"]["acme"],  # nested mappings are frozen too
        lambda p: p.selection.assumptions.effort_days,
    ],
    ids=["goal.criteria", "view.weights", "answers", "response_hours", "scores", "scores.nested", "effort_days"],
)
def test_read_only_mappings_refuse_every_change(
    project: Project, mapping: Callable[[Project], Any], mutation: str
) -> None:
    target = mapping(project)
    before = dict(target)
    assert isinstance(target, FrozenDict)
    with pytest.raises(TypeError, match="read-only"):
        MUTATIONS[mutation](target)
    assert dict(target) == before


def test_sequences_are_tuples(project: Project) -> None:
    assert isinstance(project.selection.goals, tuple)
    assert isinstance(project.vendors[0].offers, tuple)
    assert isinstance(project.committee.members, tuple)
    assert isinstance(project.criteria, tuple)


# ------------------------------------------------------------------ a change makes a new object
def test_with_weights_returns_a_new_selection_and_leaves_the_old_one(project: Project) -> None:
    old = project.selection
    new = old.with_weights({"forecast": 10, "risk": 0})
    assert new is not old
    assert [g.weight for g in new.goals] == [10, 30, 0]
    assert [g.weight for g in old.goals] == [50, 30, 20]
    assert new.goals[1] == old.goals[1]
    assert new.goals[0].criteria == old.goals[0].criteria
    changed = project.with_selection(new)
    assert changed.selection is new and project.selection is old


def test_with_weights_refuses_unknown_goals_and_bad_weights(project: Project) -> None:
    with pytest.raises(ValueError, match="unknown goals"):
        project.selection.with_weights({"growth": 1})
    with pytest.raises(ValidationError):
        project.selection.with_weights({"forecast": -1})
    with pytest.raises(ValidationError):
        project.selection.with_weights({"forecast": math.nan})


def test_compliance_scale_with_values(project: Project) -> None:
    scale = project.scale
    mine = scale.with_values({"C": 0.9, "X": 0.1})
    assert mine.code("C").value == 0.9 and mine.code("X").value == 0.1
    assert scale.code("C").value == 0.85 and scale.code("X").value == 0.35
    assert mine.code("S") == scale.code("S")
    assert mine.letters == scale.letters
    with pytest.raises(ValueError, match="unknown compliance codes"):
        scale.with_values({"Z": 0.5})
    with pytest.raises(ValidationError):
        scale.with_values({"C": 1.5})


def test_effective_scale_applies_the_committees_values(project: Project) -> None:
    assert project.effective_scale == project.scale
    selection = project.selection.replace(compliance_values={"R": 0.5})
    assert project.with_selection(selection).effective_scale.code("R").value == 0.5


def test_replace_validates(project: Project) -> None:
    goal = project.selection.goals[0]
    with pytest.raises(ValidationError):
        goal.replace(kpis=list(goal.kpis) * 2)  # 4 KPIs: at most 3
    with pytest.raises(ValidationError):
        SlaTerms(
            commitment="financially_backed",  # type: ignore[arg-type]
            credits=(CreditTier(below_pct=99, credit_pct=10), CreditTier(below_pct=99.9, credit_pct=5)),
        )


def test_answer_needs_exactly_one_of_code_or_value() -> None:
    assert Answer(code="S").value is None
    assert Answer(value=True).value is True
    assert Answer(value=3).value == 3.0
    for bad in ({}, {"code": "S", "value": 1}):
        with pytest.raises(ValidationError, match="exactly one"):
            Answer.model_validate(bad)


# ------------------------------------------------------------------ object checks name the field at fault
NUMBER = {"id": "N-1", "name": "N", "description": "A number.", "answer": "number"}
FUNCTION = {"unit": "days", "direction": "lower_is_better", "value_function": {"kind": "threshold", "threshold": 5}}
OBJECT_CHECKS: dict[str, tuple[type[BaseModel], Callable[[Project], dict[str, Any]], tuple[object, ...], str, str]] = {
    # case: (model, data, field below the model, allowed (substring), received)
    "code_and_value": (
        Answer, lambda p: {"code": "S", "value": True}, ("value",), "not both", "code: S and value: true"
    ),
    "empty_answer": (Answer, lambda p: {"comment": "?"}, ("code",), "or value", "nothing"),
    "worst_is_best": (LinearValue, lambda p: {"worst": 3, "best": 3.0}, ("best",), "other than 3", "3"),
    "points_not_ascending": (
        PiecewiseValue, lambda p: {"points": [[0, 0], [5, 0.5], [5, 1]]}, ("points", 2, 0), "above 5", "5"
    ),
    "required_for_answer": (
        Criterion, lambda p: {**NUMBER, "unit": "days"}, ("direction",), "higher_is_better", "nothing"
    ),
    "not_for_answer": (
        Criterion, lambda p: {**NUMBER, "answer": "yes_no", **FUNCTION}, ("unit",), "no unit on a yes_no", "days"
    ),
    "computed_from_required": (
        Criterion, lambda p: {**NUMBER, "answer": "computed"}, ("computed_from",), "sla_score", "nothing"
    ),
    "computed_from_not_allowed": (
        Criterion,
        lambda p: {**NUMBER, **FUNCTION, "computed_from": "price"},
        ("computed_from",),
        "no computed_from on a number",
        "price",
    ),
    "credits_out_of_order": (
        SlaTerms,
        lambda p: {"commitment": "none", "credits": [{"below_pct": 99, "credit_pct": 5}] * 2},
        ("credits", 1, "below_pct"),
        "below 99",
        "99",
    ),
    "unknown_severity": (
        SlaTerms, lambda p: {"commitment": "none", "response_hours": {"p1": 1}}, ("response_hours", "p1"), "sev4", "p1"
    ),
    "saas_price": (
        Offer,
        lambda p: _offer(p, 0, pricing={}),
        ("pricing", "subscription_per_user_month"),
        "a number >= 0",
        "nothing",
    ),
    "on_premise_price": (Offer, lambda p: _offer(p, 1, pricing={}), ("pricing", "licence_per_user"), ">= 0", "nothing"),
    "hosted_price": (
        Offer, lambda p: _offer(p, 2, pricing={}), ("pricing", "licence_per_user"), "subscription_per_user", "nothing"
    ),
    "hosting_partner": (Offer, lambda p: _offer(p, 2, hosting_partner=""), ("hosting_partner",), "hosts", "''"),
}


def _offer(project: Project, index: int, **changes: object) -> dict[str, Any]:
    offers = [offer for vendor in project.vendors for offer in vendor.offers]
    return {**offers[index].model_dump(mode="json"), **changes}


@pytest.mark.parametrize("case", sorted(OBJECT_CHECKS))
def test_object_checks_name_the_field_at_fault(project: Project, case: str) -> None:
    """A model validator's error carries the field (below the model), what it allows and what it got."""
    model, data, field, allowed, received = OBJECT_CHECKS[case]
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data(project))
    (error,) = caught.value.errors()
    ctx = error.get("ctx") or {}
    assert ctx["field"] == field
    assert allowed in ctx["allowed"]
    assert ctx["received"] == received
    assert not error["type"].startswith("value_error")  # a stable code of its own
    # read in plain pydantic, the message starts with the field it is about
    dotted = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in field).lstrip(".")
    assert error["msg"] == f"{dotted} {ctx['message']}"


@pytest.mark.parametrize(
    ("model", "loc", "words"),
    [
        (Vendor, ["offers", 0, "deployment"], "one of saas, on_premise, hosted"),
        (Vendor, ["offers", 0, "implementation", "services_cost"], "a number >= 0"),
        (Vendor, ["offers", 0, "implementation", "claimed_go_live_days"], "a whole number from 1 to 2000"),
        (Vendor, ["offers", 0, "implementation"], "(key: value lines) with claimed_go_live_days, services_cost"),
        (Vendor, ["currency"], "a three-letter currency code such as EUR"),
        (Vendor, ["name"], "text"),
        (Vendor, ["answers", "SAL-001", "code"], "one capital letter, such as S or C"),
        (Selection, ["goals", 0, "criteria"], "a mapping (key: value lines), each value a number > 0"),
        (Selection, ["must_haves", 0, "minimum"], "text or a number or true or false"),
        (Committee, ["overrides", 0, "date"], "a date such as 2026-09-30"),
        (GoalThemesFile, ["themes"], "a list of at least 1 item, each a mapping (key: value lines) with id, name"),
        (CategoryFile, ["criteria", 0, "value_function"], "a mapping (key: value lines) with kind: linear, piecewise"),
        (CategoryFile, ["criteria", 0, "value_function", "piecewise", "points"], "each [a number, a number from 0 to"),
        (Vendor, ["no_such_field"], ""),
    ],
)
def test_what_a_field_takes_in_words(model: type[BaseModel], loc: list[object], words: str) -> None:
    """A missing field's issue says what it takes, read from the JSON Schema."""
    described = describe_field(model, loc)
    if words:
        assert words in described
    else:
        assert described == ""  # a location that cannot be followed gives no words, not a crash


# ------------------------------------------------------------------ JSON Schema for editors
@pytest.mark.parametrize("model", FILE_MODELS, ids=lambda m: m.__name__)
def test_json_schema_for_every_file_model(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    assert schema["type"] == "object"
    assert schema.get("additionalProperties") is False  # unknown keys (typos) are refused by editors too
    assert set(schema["properties"]) == set(model.model_fields)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)


# ------------------------------------------------------------------ properties
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(worst=finite, best=finite)
def test_linear_value_round_trips(worst: float, best: float) -> None:
    if worst == best:
        with pytest.raises(ValidationError, match="must differ"):
            LinearValue(worst=worst, best=best)
        return
    value = LinearValue(worst=worst, best=best)
    assert LinearValue.model_validate(value.model_dump()) == value
    assert LinearValue.model_validate_json(value.model_dump_json()) == value


@given(
    xs=st.lists(finite, min_size=2, max_size=8, unique=True),
    values=st.lists(st.floats(min_value=0, max_value=1), min_size=8, max_size=8),
)
def test_piecewise_value_round_trips_and_needs_ascending_x(xs: list[float], values: list[float]) -> None:
    points = list(zip(sorted(xs), values, strict=False))
    value = PiecewiseValue(points=points)  # type: ignore[arg-type]
    adapter: TypeAdapter[Any] = TypeAdapter(ValueFunction)
    assert adapter.validate_python(adapter.dump_python(value)) == value
    with pytest.raises(ValidationError, match="ascending"):
        PiecewiseValue(points=list(reversed(points)))  # type: ignore[arg-type]


@given(threshold=finite)
def test_value_function_kind_picks_the_class(threshold: float) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(ValueFunction)
    parsed = adapter.validate_python({"kind": "threshold", "threshold": threshold})
    assert isinstance(parsed, ThresholdValue) and parsed.threshold == threshold


@given(bad=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_no_nan_or_infinity_anywhere(bad: float) -> None:
    with pytest.raises(ValidationError, match="finite"):
        Kpi(name="Forecast error", unit="percent", baseline=bad, target=1)
    with pytest.raises(ValidationError, match="finite"):
        LinearValue(worst=0, best=bad)


@given(
    weights=st.dictionaries(
        st.sampled_from(["forecast", "service", "risk"]), st.floats(min_value=0, max_value=1e6), min_size=1
    )
)
def test_with_weights_changes_only_the_named_goals(weights: dict[str, float]) -> None:
    selection = load_project_cached().selection
    new = selection.with_weights(weights)
    for old_goal, new_goal in zip(selection.goals, new.goals, strict=True):
        assert new_goal.weight == weights.get(old_goal.id, old_goal.weight)
        assert new_goal.replace(weight=old_goal.weight) == old_goal
    assert [g.weight for g in selection.goals] == [50, 30, 20]


@given(items=st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=5))
def test_frozen_dict_equals_and_hashes_like_its_content(items: dict[str, int]) -> None:
    a, b = FrozenDict(items), FrozenDict(dict(reversed(list(items.items()))))
    assert a == b == items
    assert hash(a) == hash(b)


_CACHE: dict[str, Project] = {}


def load_project_cached() -> Project:
    if "minimal" not in _CACHE:
        _CACHE["minimal"] = load_project(MINIMAL)
    return _CACHE["minimal"]


def test_issue_reads_like_a_sentence() -> None:
    issue = Issue(
        "vendors/acme.yaml", "sla.uptime_pct", "is outside 0..100", line=41, allowed="0..100", received="100.5"
    )
    assert (
        str(issue) == "vendors/acme.yaml line 41: sla.uptime_pct: is outside 0..100 (allowed: 0..100; received: 100.5)"
    )
    assert str(Issue("criteria/goals.yaml", "", "is missing")) == "criteria/goals.yaml: is missing"
