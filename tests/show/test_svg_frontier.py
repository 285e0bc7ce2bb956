"""The dashboard's value-for-money chart as SVG: every bid where its numbers put it, the frontier through the
efficient bids only, names clear of every mark and of each other, the money axis in the selection's currency."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.money.price import frontier
from crmselect.show import style, svg


def boxes(chart: str) -> list[tuple[float, float, float, float]]:
    """The name boxes as drawn: x and baseline of each label, width estimated as the chart does."""
    out = []
    for x, y, text in re.findall(r"<text x='([\d.-]+)' y='([\d.-]+)' style='[^']*'>([^<]*)</text></g>", chart):
        left, bottom = float(x), float(y) + 2
        out.append((left, bottom - 13, left + svg.text_width(text), bottom))
    return out


def dots(chart: str) -> dict[str, tuple[float, float]]:
    found = {}
    for bid, body in re.findall(r"<g class='crmselect-dot' data-bid='([^']*)'>(.*?)</g>", chart):
        circle = re.search(r"cx='([\d.-]+)' cy='([\d.-]+)'", body)
        rect = re.search(r"<rect x='([\d.-]+)' y='([\d.-]+)' width='([\d.]+)'", body)
        if circle:
            found[bid] = (float(circle.group(1)), float(circle.group(2)))
        elif rect:
            half = float(rect.group(3)) / 2
            found[bid] = (float(rect.group(1)) + half, float(rect.group(2)) + half)
    return found


def test_the_example_like_chart_places_each_bid_and_joins_only_the_efficient_ones() -> None:
    costs = {"a": 1_500_000.0, "b": 1_600_000.0, "c": 2_650_000.0, "d": 2_200_000.0, "e": 2_350_000.0}
    scores = {"a": 0.875, "b": 0.884, "c": 0.893, "d": 0.85, "e": 0.74}
    labels = {"a": "Jadeport CRM (SaaS)", "b": "Jadeport CRM (on-premise)", "c": "Ferrowell Enterprise CRM",
              "d": "Cirrolan Cloud CRM", "e": "Harbourline CRM"}
    result = frontier(costs, scores, labels)
    with style.look(currency="USD"):
        chart = result.svg()
    assert "NPV of cost (USD thousand)" in chart and "2,500" in chart
    placed = dots(chart)
    assert set(placed) == set(labels.values())
    # a higher score is higher on the page, a higher cost further right
    by_cost = sorted(labels, key=lambda b: costs[b])
    assert [placed[labels[b]][0] for b in by_cost] == sorted(placed[labels[b]][0] for b in by_cost)
    by_score = sorted(labels, key=lambda b: scores[b])
    assert [placed[labels[b]][1] for b in by_score] == sorted((placed[labels[b]][1] for b in by_score), reverse=True)
    line = re.search(r"class='crmselect-frontier-line' points='([^']*)'", chart)
    assert line is not None
    corners = {tuple(map(float, p.split(","))) for p in line.group(1).split()}
    efficient = set(result.efficient)
    assert efficient == {"a", "b", "c"}
    for bid in labels:
        on_line = placed[labels[bid]] in corners
        assert on_line == (bid in efficient), bid


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(1e5, 5e6), st.floats(0.3, 1.0)), min_size=2, max_size=6, unique_by=lambda t: t[0]))
def test_names_never_cover_a_mark_when_there_is_room(points: list[tuple[float, float]]) -> None:
    names = [f"Vendor {chr(65 + k)} CRM" for k in range(len(points))]
    shown = [svg.Dot(name, cost, score, "#123456", ringed=True) for name, (cost, score) in zip(names, points,
                                                                                               strict=True)]
    chart = svg.frontier_chart(shown, x_label="NPV", y_label="score", x_format=str, y_format=str,
                               efficient_name="efficient", dominated_name="dominated")
    marks = [(x - 5, y - 5, x + 5, y + 5) for x, y in dots(chart).values()]
    labels = boxes(chart)
    assert len(labels) == len(points)
    crowded = any(abs(a[0] - b[0]) < 40 and abs(a[1] - b[1]) < 30 for a in dots(chart).values()
                  for b in dots(chart).values() if a != b)
    if not crowded:  # with room around every dot, no name covers a mark or another name
        for k, box in enumerate(labels):
            for mark in marks:
                assert svg._overlap(box, mark) == 0
            for other in labels[k + 1:]:
                assert svg._overlap(box, other) == 0


def test_a_frame_with_one_bid_still_draws() -> None:
    result = frontier({"a": 100_000.0}, {"a": 0.5}, {"a": "Only CRM"})
    chart = result.svg()
    assert "Only CRM" in chart and chart.startswith("<svg")
    assert isinstance(result.frame(), pd.DataFrame)
