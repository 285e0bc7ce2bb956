"""The scorecard's column reads (``dict.get``/``attrgetter`` mapped over the bids) pinned to the cell-by-cell
:func:`answer_value`, and the committee's disagreement lists to a hand-built one."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_fixtures import START, committee, compliance, demo, goal, make_project, number, vendor, yes_no

from crmselect.model.bids import Answer
from crmselect.scoring.committee import summarise_committee
from crmselect.scoring.engine import score
from crmselect.scoring.values import answer_value

CRITERIA = [compliance("A"), number("B", {"kind": "linear", "worst": 0, "best": 100}, unit="%"), yes_no("C")]
DATES = st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2029, 12, 31))
CELL = st.none() | st.builds(lambda c, d: Answer(code=c, available=d), st.sampled_from(["S", "C", "F", "N"]),
                             DATES) | st.builds(lambda v: Answer(value=v), st.booleans() | st.floats(0, 100))
BIDS = st.lists(st.fixed_dictionaries({c.id: CELL for c in CRITERIA}), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(BIDS)
def test_each_scorecard_cell_is_the_answer_value_of_that_bid(cells: list[dict[str, Answer | None]]) -> None:
    vendors = [vendor(f"v{i}", {cid: a for cid, a in row.items() if a is not None}) for i, row in enumerate(cells)]
    project = make_project(CRITERIA, [goal("g", 100, {"A": 1, "B": 1, "C": 1})], vendors)
    card = score(project, reveal_prices=False)
    assert card.criterion_ids == ("A", "B", "C")
    for b, bid_cells in enumerate(cells):
        for c, criterion in enumerate(CRITERIA):
            answer = bid_cells[criterion.id]
            if answer is None:  # a linked criterion left unanswered counts 0
                assert card.criterion_values[b, c] == 0.0
                assert (card.answers[b][c], card.notes[b][c]) == ("no answer", "no answer, counts 0")
                continue
            one = answer_value(criterion, answer, project.effective_scale, START)
            assert np.float64(card.criterion_values[b, c]).tobytes() == np.float64(one.value).tobytes()
            assert (card.answers[b][c], card.notes[b][c]) == (one.shown, one.note)


@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.5, 5.0]) | st.none(), min_size=2, max_size=2),
                min_size=3, max_size=3))
def test_a_disagreement_lists_who_scored_what_in_member_order(by_member: list[list[float | None]]) -> None:
    members = ["m1", "m2", "m3"]
    scores = {m: {v: {"s1": x} for v, x in zip(["v1", "v2"], row, strict=True) if x is not None}
              for m, row in zip(members, by_member, strict=True)}
    summary = summarise_committee(committee(scores, {"s1": "D"}), ["v1", "v2"])
    for found in summary.disagreements:
        column = ["v1", "v2"].index(found.vendor)
        expected = tuple((m, row[column]) for m, row in zip(members, by_member, strict=True)
                         if row[column] is not None)
        assert found.scores == expected
        given_scores = [x for _, x in expected if x is not None]
        assert math.isclose(found.range, max(given_scores) - min(given_scores))


def test_demo_criteria_keep_their_place_beside_answered_ones() -> None:
    project = make_project([*CRITERIA, demo("D")], [goal("g", 100, {"A": 1, "D": 1})],
                           [vendor("v1", {"A": "S", "B": 10.0, "C": True})],
                           committee_=committee({"m1": {"v1": {"s1": 4}}}, {"s1": "D"}))
    card = score(project, reveal_prices=False)
    assert card.criterion_ids == ("A", "D")
    assert card.answers[0] == ("S", "4.00 / 5")


def test_a_compliance_table_for_another_scale_or_date_is_not_used() -> None:
    from scoring_fixtures import scale

    from crmselect.scoring.values import ComplianceTable, answer_column

    answers = [Answer(code="F", available=dt.date(2026, 10, 1)), Answer(code="S"), None, Answer(code="C")]
    mine, other = scale(), scale(S=0.5, C=0.1)
    expected = answer_column(CRITERIA[0], answers, mine, START)
    for stale in (ComplianceTable.of(other, START), ComplianceTable.of(mine, dt.date(2024, 1, 1))):
        got = answer_column(CRITERIA[0], answers, mine, START, stale)
        assert got.values.tobytes() == expected.values.tobytes()
        assert (got.shown, got.notes) == (expected.shown, expected.notes)
    assert expected.values[:2].tolist() == [0.25, 1.0] and expected.shown[0] == "F (2026-10-01)"
