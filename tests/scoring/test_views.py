"""Stakeholder views: rankings under each view's goal weights, side by side, and where the winner differs."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_fixtures import hand_project
from testdata import load_example

from crmselect.errors import AnalysisError
from crmselect.model.goals import MustHave, StakeholderView
from crmselect.scoring.engine import score
from crmselect.scoring.views import compare_views

# In the hand-worked project v1 wins with the committee's 60/40, v2 wins when g1 weighs 90 %.
SALES = StakeholderView(id="sales", name="Sales director", holder="m1", weights={"g1": 90, "g2": 10})
SERVICE = StakeholderView(id="service", name="Service manager", holder="m2", weights={"g1": 20, "g2": 80})


def test_views_side_by_side_and_where_they_disagree() -> None:
    project = hand_project(views=[SALES, SERVICE])
    comparison = compare_views(project, score(project, reveal_prices=False))
    assert comparison.view_ids == ("committee", "sales", "service")
    np.testing.assert_allclose(comparison.weights, [[0.6, 0.4], [0.9, 0.1], [0.2, 0.8]])
    np.testing.assert_allclose(comparison.totals[1], [0.9 * 5 / 6 + 0.1 * 0.775, 0.9 * 0.9 + 0.1 * 0.55])
    assert comparison.winners == ("v1", "v2", "v1")
    assert not comparison.agree
    # the holder is shown by the member's name; the data keeps the member's id
    assert comparison.disagreements() == ["Sales director (M1) would pick V2; the committee's weights pick V1"]
    assert comparison.holders == ("", "m1", "m2") and comparison.holder_names == ("", "M1", "M2")
    frame = comparison.frame()
    assert list(frame.columns) == ["Committee", "Sales director", "Service manager"]
    assert frame.loc["V2"].tolist() == ["2", "1", "2"]
    assert "would pick V2" in comparison._repr_html_()


def test_views_that_agree_say_so() -> None:
    project = hand_project(views=[SERVICE])
    comparison = compare_views(project, score(project, reveal_prices=False))
    assert comparison.agree and comparison.summary() == "All 2 views pick V1."


def test_a_goal_a_view_leaves_out_keeps_the_committees_points() -> None:
    partial = StakeholderView(id="it", name="IT", weights={"g2": 140})  # g1 keeps 60 points
    project = hand_project(views=[partial])
    comparison = compare_views(project, score(project, reveal_prices=False))
    np.testing.assert_allclose(comparison.weights[1], [0.3, 0.7])


def test_knocked_out_bids_stay_out_in_every_view() -> None:
    project = hand_project(views=[SALES], must_haves=[MustHave(criterion="A", minimum="S")])
    comparison = compare_views(project, score(project, reveal_prices=False))
    assert comparison.frame().loc["V2"].tolist() == ["out", "out"]
    assert comparison.winners == ("v1", "v1") and comparison.agree


def test_a_view_weighting_nothing_is_refused() -> None:
    nothing = StakeholderView(id="zero", name="Zero", weights={"g1": 0, "g2": 0})
    project = hand_project(views=[nothing])
    with pytest.raises(AnalysisError, match="not all zero"):
        compare_views(project, score(project, reveal_prices=False))


def test_shipped_example_views() -> None:
    project = load_example()
    comparison = compare_views(project, score(project, reveal_prices=False))
    assert len(comparison.view_ids) == len(project.selection.stakeholder_views) + 1
    np.testing.assert_allclose(comparison.weights.sum(axis=1), 1.0)
    assert isinstance(comparison.summary(), str) and comparison.summary()
