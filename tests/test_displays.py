"""Every result object follows the display protocol (ARCHITECTURE.md, habit 4).

``frame()`` returns a copy of its data (changing it changes nothing), ``plot(ax=None)`` returns
the Axes it drew on (the caller's when given) and never shows a window, ``_repr_html_`` is a
readable HTML table.  One test over all results of the shipped example, so a new result type
that forgets a part of the protocol shows up here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from testdata import load_example

from crmselect.checks.sla import compare_sla, sla_report
from crmselect.evaluation import Evaluation, evaluate
from crmselect.money.returns import compare_roi, roi
from crmselect.money.risk import simulate_risk
from crmselect.scoring.views import compare_views
from crmselect.whatif.acceptability import smaa, stakeholder_wins
from crmselect.whatif.sensitivity import check_ranges, min_flips, stability, sweep


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(load_example(), reveal_prices=True)


def _results(ev: Evaluation) -> dict[str, Callable[[], Any]]:
    project, card = ev.project, ev.scorecard
    first_bid = card.bid_ids[1]
    goal = card.goal_ids[0]
    return {
        "evaluation": lambda: ev,
        "scorecard": lambda: card,
        "tco comparison": lambda: ev.tco,
        "tco result": lambda: ev.tco[first_bid],
        "check report": lambda: ev.checks,
        "sla report": lambda: sla_report(project.bid(first_bid).offer, "Cirrolan"),
        "sla comparison": lambda: compare_sla(project),
        "roi": lambda: roi(project, first_bid),
        "roi comparison": lambda: compare_roi(project),
        "risk": lambda: simulate_risk(project, first_bid, n=2_000, random_state=7),
        "price frontier": ev.price_frontier,
        "views": lambda: compare_views(project, card),
        "sweep": lambda: sweep(card, goal),
        "stability": lambda: stability(card),
        "min flips": lambda: min_flips(card),
        "range check": lambda: check_ranges(card, {goal: (0.10, 0.30)}),
        "smaa": lambda: smaa(card, n=2_000, random_state=7),
        "stakeholder wins": lambda: stakeholder_wins(card, project.selection.stakeholder_views),
    }


CASES = [
    "evaluation", "scorecard", "tco comparison", "tco result", "check report", "sla report", "sla comparison",
    "roi", "roi comparison", "risk", "price frontier", "views", "sweep", "stability", "min flips", "range check",
    "smaa", "stakeholder wins",
]


@pytest.mark.parametrize("name", CASES)
def test_result_is_a_display(evaluation: Evaluation, name: str) -> None:
    result = _results(evaluation)[name]()

    frame = result.frame()
    assert isinstance(frame, pd.DataFrame) and not frame.empty
    before = result.frame()
    frame[frame.columns[0]] = "changed by the caller"
    pd.testing.assert_frame_equal(result.frame(), before)

    html = result._repr_html_()
    assert "<table" in html and "</table>" in html

    if hasattr(result, "plot"):
        fig, ax = plt.subplots()
        try:
            assert result.plot(ax=ax) is ax
            assert ax.has_data() or ax.texts or ax.patches
        finally:
            plt.close(fig)
        own = result.plot()
        try:
            assert own is not None and hasattr(own, "figure")
        finally:
            plt.close(own.figure)
