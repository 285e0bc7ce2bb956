"""Values: compliance codes (with the future-release window), value functions, yes/no, must-have checks."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scoring_fixtures import compliance, demo, number, scale, yes_no

from crmselect.model.bids import Answer
from crmselect.model.goals import MustHave
from crmselect.scoring.values import (
    add_months,
    answer_column,
    answer_value,
    code_value,
    compliance_value_kernel,
    effective_code,
    fails_minimum,
    linear_value,
    minimum_text,
    number_value,
    number_values,
    piecewise_value,
    threshold_value,
)

REF = dt.date(2026, 1, 31)


# ---------------------------------------------------------------- kernels
def test_linear_value_clips_and_works_both_ways() -> None:
    np.testing.assert_allclose(linear_value([-10, 0, 25, 100, 150], 0, 100), [0, 0, 0.25, 1, 1])
    # lower is better: worst 48 hours, best 1 hour
    np.testing.assert_allclose(linear_value([48, 24.5, 1, 0], 48, 1), [0, 0.5, 1, 1])


def test_piecewise_value_is_flat_outside() -> None:
    xs, vs = [99.0, 99.9, 99.99], [0.0, 0.8, 1.0]
    np.testing.assert_allclose(piecewise_value([98, 99.0, 99.45, 99.9, 99.995, 100], xs, vs), [0, 0, 0.4, 0.8, 1, 1])


def test_threshold_value_respects_direction() -> None:
    np.testing.assert_allclose(threshold_value([71, 72, 73], 72, higher_is_better=True), [0, 1, 1])
    np.testing.assert_allclose(threshold_value([71, 72, 73], 72, higher_is_better=False), [1, 1, 0])


@given(st.floats(-1e6, 1e6), st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_linear_value_stays_in_unit_interval(x: float, worst: float, best: float) -> None:
    assume(abs(worst - best) > 1e-6)
    assert 0.0 <= float(linear_value(x, worst, best)) <= 1.0


@given(st.floats(0, 100), st.floats(0, 100))
def test_linear_value_is_monotone_towards_best(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    assert linear_value(low, 0, 100) <= linear_value(high, 0, 100)
    assert linear_value(low, 100, 0) >= linear_value(high, 100, 0)


def test_add_months_clips_the_day() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)


# ---------------------------------------------------------------- answers
def test_compliance_codes_take_the_scale_values() -> None:
    crit = compliance("A")
    assert answer_value(crit, Answer(code="S"), scale(), REF).value == 1.0
    assert answer_value(crit, Answer(code="X"), scale(), REF).value == 0.35
    assert answer_value(crit, Answer(code="C"), scale(C=0.6), REF).value == 0.6


def test_future_release_counts_only_within_the_window() -> None:
    crit = compliance("A")
    inside = answer_value(crit, Answer(code="F", available=dt.date(2027, 1, 31)), scale(), REF)
    assert (inside.value, inside.code, inside.note) == (0.25, "F", "")
    assert inside.shown == "F (2027-01-31)"
    outside = answer_value(crit, Answer(code="F", available=dt.date(2027, 2, 1)), scale(), REF)
    assert (outside.value, outside.code) == (0.0, "N")
    assert "counted as N" in outside.note and "12 months after 2026-01-31" in outside.note
    assert effective_code(Answer(code="F", available=dt.date(2027, 2, 1)), scale(), REF)[0] == "N"


def test_numbers_go_through_the_value_function() -> None:
    linear = number("B", {"kind": "linear", "worst": 1000, "best": 50000}, unit="records")
    result = answer_value(linear, Answer(value=20000), scale(), REF)
    assert result.value == pytest.approx(19000 / 49000)
    assert result.shown == "20000 records"
    threshold = number("T", {"kind": "threshold", "threshold": 72}, direction="lower_is_better", unit="hours")
    assert answer_value(threshold, Answer(value=48), scale(), REF).value == 1.0
    assert answer_value(threshold, Answer(value=96), scale(), REF).value == 0.0
    piecewise = number("P", {"kind": "piecewise", "points": [[99.0, 0], [99.9, 0.8], [99.99, 1]]})
    assert answer_value(piecewise, Answer(value=99.5), scale(), REF).value == pytest.approx(0.8 * 0.5 / 0.9)


def test_yes_no_is_one_or_zero() -> None:
    assert answer_value(yes_no("C"), Answer(value=True), scale(), REF).value == 1.0
    assert answer_value(yes_no("C"), Answer(value=False), scale(), REF).shown == "no"


# ---------------------------------------------------------------- must-haves
def test_compliance_minimum_compares_code_values() -> None:
    crit, rule = compliance("A"), MustHave(criterion="A", minimum="C")
    assert not fails_minimum(crit, rule, scale(), code="S")
    assert not fails_minimum(crit, rule, scale(), code="C")
    assert fails_minimum(crit, rule, scale(), code="R")
    assert fails_minimum(crit, rule, scale(), code="N")
    assert minimum_text(crit, rule, scale()) == "at least C (Configuration)"


def test_number_minimum_respects_direction() -> None:
    up = number("U", {"kind": "linear", "worst": 99, "best": 99.99}, unit="%")
    down = number("D", {"kind": "linear", "worst": 72, "best": 1}, direction="lower_is_better", unit="hours")
    assert fails_minimum(up, MustHave(criterion="U", minimum=99.5), scale(), answer=Answer(value=99.0))
    assert not fails_minimum(up, MustHave(criterion="U", minimum=99.5), scale(), answer=Answer(value=99.5))
    assert fails_minimum(down, MustHave(criterion="D", minimum=24), scale(), answer=Answer(value=48))
    assert not fails_minimum(down, MustHave(criterion="D", minimum=24), scale(), answer=Answer(value=4))
    assert minimum_text(down, MustHave(criterion="D", minimum=24), scale()) == "at most 24 hours"


def test_yes_no_minimum_must_be_yes() -> None:
    crit, rule = yes_no("C"), MustHave(criterion="C", minimum=True)
    assert fails_minimum(crit, rule, scale(), answer=Answer(value=False))
    assert not fails_minimum(crit, rule, scale(), answer=Answer(value=True))
    assert minimum_text(crit, rule, scale()) == "yes"


def test_level_minimum_for_committee_scores() -> None:
    crit, rule = demo("D"), MustHave(criterion="D", minimum=3)
    assert fails_minimum(crit, rule, scale(), level=2.99)
    assert not fails_minimum(crit, rule, scale(), level=3.0)
    assert minimum_text(crit, rule, scale()) == "at least 3 of 5 (committee score)"


# ---------------------------------------------------------------- vectorised kernels == scalar functions
NUMBERS = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-10**6, 10**6)
FUNCTIONS = st.sampled_from([
    ({"kind": "linear", "worst": 0.0, "best": 100.0}, "higher_is_better"),
    ({"kind": "linear", "worst": 48.0, "best": 1.0}, "lower_is_better"),
    ({"kind": "linear", "worst": -3.7, "best": 12.1}, "higher_is_better"),
    ({"kind": "piecewise", "points": [[99.0, 0.0], [99.9, 0.8], [99.99, 1.0]]}, "higher_is_better"),
    ({"kind": "piecewise", "points": [[0.0, 1.0], [4.0, 0.5], [24.0, 0.1], [72.0, 0.0]]}, "lower_is_better"),
    ({"kind": "threshold", "threshold": 99.5}, "higher_is_better"),
    ({"kind": "threshold", "threshold": 4.0}, "lower_is_better"),
])


def same_bits(a: float, b: float) -> bool:
    return np.float64(a).tobytes() == np.float64(b).tobytes()


@given(FUNCTIONS, st.lists(NUMBERS, max_size=30))
def test_number_values_equal_number_value_to_the_bit(function: tuple[dict[str, object], str], xs: list[float]) -> None:
    criterion = number("n", function[0], direction=function[1])
    vector = number_values(criterion, np.array(xs, dtype=float))
    assert all(same_bits(v, number_value(criterion, float(x))) for v, x in zip(vector, xs, strict=True))


SCALES = st.sampled_from([scale(), scale(S=0.9, N=0.05), scale(F=0.6)])
DATES = st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31))


@given(SCALES, st.lists(st.tuples(st.sampled_from(["S", "C", "R", "T", "X", "F", "N"]), DATES), max_size=30),
       st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
def test_compliance_value_kernel_equals_code_value_of_the_effective_code(
    table: object, cells: list[tuple[str, dt.date | None]], reference: dt.date
) -> None:
    from crmselect.model.goals import ComplianceScale

    assert isinstance(table, ComplianceScale)
    answers = [Answer(code=code, available=day) for code, day in cells]
    position = {c.code: i for i, c in enumerate(table.codes)}
    late = np.array([effective_code(a, table, reference)[0] != a.code for a in answers], dtype=bool)
    got = compliance_value_kernel(np.array([position[c] for c, _ in cells], dtype=np.intp), late,
                                  np.array([c.value for c in table.codes]), code_value("N", table))
    expected = [code_value(effective_code(a, table, reference)[0], table) for a in answers]
    assert all(same_bits(g, e) for g, e in zip(got, expected, strict=True))


ANSWERS = st.none() | st.builds(lambda c, d: Answer(code=c, available=d),
                                st.sampled_from(["S", "C", "F", "N", "X", "Q"]), DATES) | st.builds(
    lambda v: Answer(value=v), st.booleans() | NUMBERS)
CRITERIA = st.sampled_from([compliance("c"), yes_no("y")]) | FUNCTIONS.map(lambda f: number("n", f[0], direction=f[1]))


@given(CRITERIA, SCALES, st.lists(ANSWERS, max_size=25), st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
def test_answer_column_equals_answer_value_cell_by_cell(
    criterion: object, table: object, answers: list[Answer | None], reference: dt.date
) -> None:
    from crmselect.model.goals import ComplianceScale, Criterion

    assert isinstance(criterion, Criterion) and isinstance(table, ComplianceScale)
    column = answer_column(criterion, answers, table, reference)
    for i, answer in enumerate(answers):
        if answer is None:
            assert math.isnan(column.values[i]) and column.shown[i] == column.notes[i] == ""
            continue
        one = answer_value(criterion, answer, table, reference)
        assert same_bits(column.values[i], one.value)
        assert (column.shown[i], column.notes[i]) == (one.shown, one.note)


def test_answer_column_handles_late_promises_and_unusable_answers() -> None:
    answers = [Answer(code="F", available=dt.date(2026, 6, 1)), Answer(code="F", available=dt.date(2028, 1, 1)),
               Answer(code="F"), Answer(value=True), None, Answer(code="S")]
    column = answer_column(compliance("c"), answers, scale(), REF)
    np.testing.assert_array_equal(column.values, [0.25, 0.0, 0.0, 0.0, np.nan, 1.0])
    assert column.shown == ("F (2026-06-01)", "F (2028-01-01)", "F", "unusable answer", "", "S")
    assert "counted as N" in column.notes[1] and "no date" in column.notes[2]
    assert column.notes[3] == "the answer does not fit a compliance criterion"
