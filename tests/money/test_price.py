"""Price in the scorecard: lowest/price, value for money, the Pareto frontier, price_values."""

from __future__ import annotations

import pytest

from crmselect.errors import AnalysisError
from crmselect.money.costs import compare_tco
from crmselect.money.price import (
    frontier,
    lowest_over_price,
    pareto_efficient,
    price_frontier,
    price_scores,
    price_values,
    value_for_money,
)
from tests import money_fixtures as mf

COSTS = {"a": 100.0, "b": 200.0, "c": 400.0, "d": 300.0}
TECH = {"a": 0.5, "b": 0.8, "c": 0.9, "d": 0.7}


def test_lowest_over_price_by_hand() -> None:
    assert lowest_over_price([100, 200, 400]).tolist() == pytest.approx([1.0, 0.5, 0.25])
    assert price_scores(COSTS) == pytest.approx({"a": 1.0, "b": 0.5, "c": 0.25, "d": 1 / 3})


def test_value_for_money_by_hand() -> None:
    # ratios 0.005, 0.004, 0.00225, 0.002333 -> divided by the best (a)
    assert value_for_money([0.5, 0.8, 0.9], [100, 200, 400]).tolist() == pytest.approx([1.0, 0.8, 0.45])
    scores = price_scores(COSTS, "value_for_money", TECH)
    assert scores["d"] == pytest.approx((0.7 / 300) / (0.5 / 100))
    assert value_for_money([0, 0], [1, 2]).tolist() == [0, 0]


def test_pareto_frontier() -> None:
    flags = pareto_efficient(list(TECH.values()), list(COSTS.values()))
    assert dict(zip(TECH, flags.tolist(), strict=True)) == {"a": True, "b": True, "c": True, "d": False}
    assert pareto_efficient([0.5, 0.5], [100, 100]).tolist() == [True, True]  # ties dominate nobody
    result = frontier(COSTS, TECH)
    assert result.efficient == ("a", "b", "c")
    assert "Efficient bids: a, b, c" in result._repr_html_()


def test_bad_inputs() -> None:
    with pytest.raises(AnalysisError, match="method"):
        price_scores(COSTS, "cheapest")
    with pytest.raises(AnalysisError, match="positive"):
        price_scores({"a": 0.0})
    with pytest.raises(AnalysisError, match="technical"):
        price_scores(COSTS, "value_for_money")
    with pytest.raises(AnalysisError, match="no technical score"):
        price_scores(COSTS, "value_for_money", {"a": 1.0})
    assert price_scores(COSTS, "kept_apart") == {}


def test_price_values_for_the_price_criteria() -> None:
    project = mf.project()
    comparison = compare_tco(project)
    values = price_values(project, comparison=comparison)
    assert set(values) == {"PRICE"}
    npvs = comparison.npvs()
    cheapest = min(npvs.values())
    assert values["PRICE"] == pytest.approx({b: cheapest / v for b, v in npvs.items()})
    assert max(values["PRICE"].values()) == 1.0
    assert price_values(project) == values  # computes its own comparison
    vfm = price_values(project, "value_for_money", technical={"cloud-saas": 0.5, "iron-onprem": 0.9})
    ratio = {"cloud-saas": 0.5 / npvs["cloud-saas"], "iron-onprem": 0.9 / npvs["iron-onprem"]}
    assert vfm["PRICE"] == pytest.approx({b: r / max(ratio.values()) for b, r in ratio.items()})
    assert price_values(project, "kept_apart") == {}
    only = price_values(project, bid_ids=["iron-onprem"])
    assert only == {"PRICE": {"iron-onprem": 1.0}}


def test_price_frontier_on_the_project() -> None:
    project = mf.project()
    chart = price_frontier(project, technical={"cloud-saas": 0.5, "iron-onprem": 0.9})
    table = chart.frame()
    assert set(table.index) == {"cloud-saas", "iron-onprem"}
    assert table["npv"].to_dict() == pytest.approx(compare_tco(project).npvs())


def test_frontier_plot() -> None:
    import matplotlib.pyplot as plt

    ax = frontier(COSTS, TECH).plot()
    points = [(tuple(c.get_offsets().tolist()[0]), c.get_alpha()) for c in ax.collections]
    efficient = sorted(point for point, alpha in points if alpha == 1.0)  # efficient bids are drawn solid
    dominated = sorted(point for point, alpha in points if alpha != 1.0)  # dominated ones pale
    assert efficient == [(100.0, 0.5), (200.0, 0.8), (400.0, 0.9)]
    assert dominated == [(300.0, 0.7)]
    frontier_line = ax.lines[0].get_xydata().tolist()
    assert [point[0] for point in frontier_line] == [100.0, 200.0, 400.0]
    plt.close("all")
