"""Scoring results as a reader sees them: goals, vendors and members by name, never by id."""

from __future__ import annotations

from scoring_fixtures import hand_project

from crmselect.scoring.engine import score
from crmselect.scoring.scorecard import criteria_shown


def test_the_criteria_table_names_the_goals_each_criterion_serves() -> None:
    card = score(hand_project(), reveal_prices=False)
    shown = criteria_shown(card.by_criterion())
    goals = " ".join(shown["goals"])
    assert "Goal g1 67%" in goals and "Goal g2 25%" in goals  # A serves g1 with 2 of its 3 points; B 1 of g2's 4
    assert not {"g1", "g2"} & set(goals.replace("Goal g", "").split())
