"""The dashboard's Overview tab, its display names, downloads and the scenarios a decision log holds (no browser).

The overview's figures are checked against the public API computed here (scorecard totals, the TCO
comparison, the frontier from plain mappings), and the sealed overview against every price figure the
evaluation holds: none may appear before the reveal.
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, example_root, reveal_prices

from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from crmselect.record.chain import LogEntry
from crmselect.show.formats import format_money, format_number
from crmselect.show.i18n import using
from crmselect.widgets.downloads import XLSX, download_link
from crmselect.widgets.launch import (
    DashboardChoice,
    build_dashboard,
    dashboard_language,
    display_project,
    tab_titles,
)
from crmselect.widgets.overview import OverviewPanel, robustness_word
from crmselect.widgets.scenarios import logged_scenarios


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def build(folder: Path, member: str | None = "zhao_lei", lang: str = "") -> Any:
    project = load_project(folder)
    environ = {"QUERY_STRING": f"lang={lang}"} if lang else {}
    return build_dashboard(DashboardChoice(folder, member), project, dashboard_language(environ, project))


@pytest.fixture(scope="module")
def sealed() -> Any:
    return build(example_root(), member=None)


@pytest.fixture(scope="module")
def revealed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(reveal_prices(copy_example(tmp_path_factory.mktemp("revealed") / "selection")), member=None)


def hook(overview: OverviewPanel) -> dict[str, str]:
    found = re.search(r"data-winner='([^']*)' data-runner-up='([^']*)' data-margin='([^']*)'", overview.decision.value)
    assert found
    return {"winner": found.group(1), "runner_up": found.group(2), "margin": found.group(3)}


def test_the_dashboard_opens_on_the_overview() -> None:
    assert tab_titles()[0] == "Overview"
    with using("zh-CN"):
        assert tab_titles()[0] == "概览"


def test_the_overview_names_winner_runner_up_and_margin_as_the_scorecard(sealed: Any) -> None:
    card = sealed.weights.card
    eligible = [i for i in range(len(card.bid_ids)) if card.eligible[i]]
    order = sorted(eligible, key=lambda i: -float(card.totals[i]))  # best total first, by hand
    first, second = order[0], order[1]
    shown = hook(sealed.overview)
    assert shown["winner"] == card.bid_ids[first] and shown["runner_up"] == card.bid_ids[second]
    margin = float(card.totals[first]) - float(card.totals[second])
    assert float(shown["margin"]) == pytest.approx(margin, abs=1e-9)
    words = text_of(sealed.overview.decision.value)
    assert f"Recommended: {card.labels[first]}" in words and f"Runner-up: {card.labels[second]}" in words
    assert f"Margin: {format_number(margin, 'en', digits=3)} points" in words
    assert "committee's weights" in words


def test_the_overview_follows_the_sliders(sealed: Any) -> None:
    panel = sealed.weights
    base = panel.weights
    try:
        goals = list(base)
        moved = {g: (1.0 if g == goals[0] else 0.0) for g in goals}  # only the first goal counts
        panel.set_weights(moved)
        expected = panel.base.with_goal_weights(moved)
        totals = {bid: float(t) for bid, t, ok in zip(expected.bid_ids, expected.totals, expected.eligible,
                                                      strict=True) if ok}
        best = max(totals, key=lambda bid: totals[bid])
        assert hook(sealed.overview)["winner"] == best
        assert "now set on the Weights tab" in text_of(sealed.overview.decision.value)
    finally:
        panel.set_weights(base)
    assert "committee's weights" in text_of(sealed.overview.decision.value)


def test_before_the_reveal_the_overview_shows_no_price_figure(sealed: Any) -> None:
    overview = sealed.overview
    assert overview.chart is None, "no value-for-money chart is even made"
    page = text_of("".join(part.value for part in (overview.decision, overview.robustness, overview.money,
                                                     overview.flags, overview.knockouts)))
    assert "Prices are sealed" in page
    currency = sealed.project.selection.currency
    figures = [format_money(r.npv, currency, "en", digits=0) for r in overview.evaluation.tco.results]
    figures += [format_money(r.total, currency, "en", digits=0) for r in overview.evaluation.tco.results]
    assert not [f for f in figures if f in page]
    assert "$" not in page and "TCO" not in page


def test_after_the_reveal_the_overview_shows_tco_npv_and_the_frontier(revealed: Any) -> None:
    overview = revealed.overview
    money = text_of(overview.money.value)
    comparison = evaluate(load_project(revealed.project.root)).tco
    for result in comparison.results:
        if result.bid_id in dict(zip(revealed.weights.card.bid_ids, revealed.weights.card.eligible, strict=True)) \
                and revealed.weights.card.eligible[revealed.weights.card.bid_ids.index(result.bid_id)]:
            assert format_money(result.total, "USD", "en", digits=0) in money
            assert format_money(result.npv, "USD", "en", digits=0) in money
    assert f"Cost over {comparison.results[0].horizon_years} years" in money
    assert overview.chart is not None and overview.chart.value.startswith("<svg")
    # the frontier's scores are the technical scores (price left out) under the current weights
    frontier = overview.frontier(revealed.weights.card).frame()
    technical = evaluate(load_project(revealed.project.root), reveal_prices=False).technical
    assert frontier["technical"].to_dict() == pytest.approx({bid: technical[bid] for bid in frontier.index})
    npvs = comparison.npvs()
    assert frontier["npv"].to_dict() == pytest.approx({bid: npvs[bid] for bid in frontier.index})


def test_robustness_is_said_in_plain_words_with_the_detail_in_tooltips(sealed: Any) -> None:
    words = sealed.overview.robustness.value
    assert "of all possible weightings of the goals" in text_of(words)
    for jargon in ("simplex", "confidence factor", "sqrt(", "Dirichlet"):
        assert jargon not in text_of(words)
    tips = re.findall(r"title='([^']*)'", words)
    assert any("SMAA" in html.unescape(t) for t in tips) and any("stability interval" in html.unescape(t)
                                                                  for t in tips)
    assert robustness_word(0.9) == "robust" and robustness_word(0.6) == "fairly robust"
    assert robustness_word(0.2) == "fragile"


def test_red_flags_are_the_winners_most_severe_with_their_levers(sealed: Any) -> None:
    card = sealed.weights.card
    findings = sealed.overview.evaluation.checks.findings(card.winner)
    flags = text_of(sealed.overview.flags.value)
    assert f"({len(findings)} findings in all)" in flags
    high = [f for f in findings if f.severity.value == "high"]
    for finding in high[:3]:
        assert f"{finding.title}. Ask for: {finding.lever}" in flags


def test_bids_are_named_in_words_never_by_the_deployment_id(sealed: Any) -> None:
    labels = [bid.label for bid in sealed.project.bids]
    assert "Jadeport CRM (on-premise)" in labels and "Jadeport CRM (SaaS)" in labels
    assert not [label for label in labels if re.search(r"on_premise|\(saas\)", label)]
    original = load_project(example_root())
    assert [bid.id for bid in sealed.project.bids] == [bid.id for bid in original.bids]
    with using("zh-CN"):
        chinese = display_project(original)
    assert "Jadeport CRM（本地部署）" in [bid.label for bid in chinese.bids]
    # the model names them in the selection's language with the same words: the dashboard only changes the language
    assert [bid.label for bid in original.bids if "Jadeport" in bid.label] == ["Jadeport CRM (SaaS)",
                                                                               "Jadeport CRM (on-premise)"]


def test_the_overview_speaks_chinese() -> None:
    dashboard = build(example_root(), member=None, lang="zh-CN")
    words = text_of(dashboard.overview.decision.value + dashboard.overview.robustness.value
                    + dashboard.overview.money.value)
    assert "推荐" in words and "价格" in words
    assert not re.search(r"\b(Recommended|Runner-up|sealed|robust)\b", words)


# ---------------------------------------------------------------- the decision log's scenarios
def entry(seq: int, kind: str, what: Any) -> LogEntry:
    return LogEntry(seq, "2026-01-01T00:00:00Z", "zhao_lei", kind, what, "why", "", "")


def test_scenarios_come_back_from_the_log_latest_save_winning() -> None:
    goals = ("a", "b", "c")
    entries = [entry(1, "open", {}),
               entry(2, "scenario_saved", {"scenario": "Sales", "weights": {"a": 0.5, "b": 0.5, "c": 0.0}}),
               entry(3, "scenario_saved", {"scenario": "IT", "weights": {"a": 0.2, "b": 0.3}}),
               entry(4, "weight_change", {"scenario": "Sales", "weights": {"a": 1.0}}),
               entry(5, "scenario_saved", {"scenario": "Sales", "weights": {"a": 0.1, "b": 0.1, "c": 0.8}}),
               entry(6, "scenario_saved", {"scenario": "Old", "weights": {"gone": 1.0}})]
    found = logged_scenarios(entries, goals)
    assert list(found.scenarios) == ["Sales", "IT"]
    assert found.scenarios["Sales"] == {"a": 0.1, "b": 0.1, "c": 0.8}
    assert found.scenarios["IT"] == {"a": 0.2, "b": 0.3, "c": 0.0}, "a goal added since weighs 0"
    assert found.skipped == ("Old",)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["x", "y", "z"]),
                          st.lists(st.floats(0, 10, allow_nan=False), min_size=2, max_size=2)), max_size=8))
def test_the_last_valid_save_of_each_name_is_the_one_kept(saves: list[tuple[str, list[float]]]) -> None:
    entries = [entry(i, "scenario_saved", {"scenario": name, "weights": dict(zip("ab", values, strict=True))})
               for i, (name, values) in enumerate(saves)]
    found = logged_scenarios(entries, ("a", "b"))
    for name in {name for name, _ in saves}:
        last = [values for n, values in saves if n == name][-1]
        if sum(last) > 0:
            assert found.scenarios[name] == dict(zip("ab", last, strict=True))
        else:
            assert name not in found.scenarios and name in found.skipped


def test_a_saved_scenario_is_there_after_a_reload(tmp_path: Path) -> None:
    folder = copy_example(tmp_path / "selection")
    first = build(folder)
    weights = dict(first.weights.weights)
    goal = next(iter(weights))
    first.weights.set_weights({g: (3.0 if g == goal else 1.0) for g in weights})
    first.scenarios.why.value = "tried on Monday"
    assert first.scenarios.save("Monday view")
    kept = first.scenarios.scenarios["Monday view"]
    again = build(folder)  # a page reload: a new kernel builds the dashboard again
    assert again.scenarios.scenarios == {"Monday view": pytest.approx(kept)}
    assert again.scenarios.choice.value == "Monday view"
    assert "Monday view" in again.scenarios.comparison.value
    kinds = [e.kind for e in again.scenarios.log.entries()]
    assert kinds.count("scenario_saved") == 1, "a reload records nothing"


def test_an_export_is_offered_to_the_browser_as_the_workbook_itself(tmp_path: Path) -> None:
    folder = copy_example(tmp_path / "selection")
    dashboard = build(folder)
    assert dashboard.scenarios.save("Board", why="for the board")
    path = dashboard.scenarios.export("Board")
    assert path is not None
    link = dashboard.scenarios.download.value
    found = re.search(r"download='([^']+)' href='data:([^;]+);base64,([^']+)'", link)
    assert found and found.group(1) == path.name and found.group(2) == XLSX
    data = base64.b64decode(found.group(3))
    assert data == path.read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Summary" in book.sheetnames
    book.close()


def test_a_download_link_carries_exactly_the_bytes() -> None:
    data = bytes(np.arange(256, dtype=np.uint8)) * 3
    link = download_link(data, "a'b.pdf", "application/pdf", "Save <it>")
    address = re.search(r"href='data:application/pdf;base64,([^']+)'", link)
    assert address and base64.b64decode(address.group(1)) == data
    assert "download='a&#x27;b.pdf'" in link and "Save &lt;it&gt;" in link
