"""The dashboard's Plan tab (:class:`crmselect.widgets.plan.PlanPanel`) without a browser.

The plan shown is ``crmselect plan``'s (same draws and seed), the big bang's go-live agrees with the risk model's
analytic quantiles, nothing price-derived shows before the reveal, saving writes ``phases.yaml`` and a decision-log
entry (never without a member, never over a saved plan unless the member ticks Replace), a bad plan is said on the
panel, and the tracking part shows earned against expected when the selection has ``actuals.yaml``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from crmselect.files.phases import PHASES_FILE, load_phase_plan
from crmselect.files.phases import PLAN_LOG_KIND as LOG_KIND
from crmselect.money.costs import DAYS_PER_MONTH
from crmselect.money.phase_risk import plan_risk
from crmselect.money.risk import RiskParameters
from crmselect.money.tracking import track
from crmselect.show.i18n import translator, using
from crmselect.widgets.plan import NOT_PLANNED, PANEL_DRAWS, PANEL_SEED, PlanPanel
from crmselect.widgets.plan_views import go_live_chart
from tests.testdata import copy_example, example_root, reveal_prices

MEMBER = "zhao_lei"


def panel_for(folder: Path, member: str | None = MEMBER, **options: Any) -> PlanPanel:
    project = load_project(folder)
    return PlanPanel(evaluate(project), member=member, **options)


def plan_data(panel: PlanPanel) -> dict[str, dict[str, Any]]:
    found = re.search(r"data-plan='([^']*)'", panel.table.value)
    assert found is not None, panel.table.value
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def text_of(markup: str) -> str:
    without_css = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_css))


def log_entries(folder: Path) -> list[dict[str, Any]]:
    path = folder / "decision_log.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def sealed() -> PlanPanel:
    return panel_for(example_root(), member=None)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


def test_default_bid_is_the_recommended_one_and_the_panel_says_so(sealed: PlanPanel) -> None:
    card = evaluate(load_project(example_root())).scorecard
    assert len(card.winners) == 1
    assert sealed.bid.value == card.winners[0]
    label = card.labels[card.bid_ids.index(card.winners[0])]
    assert f"Plan for the recommended bid {label}" in text_of(sealed.recommendation.value)
    assert "no phases.yaml, so this is the big bang" in text_of(sealed.source.value)
    other = next(b for b in card.bid_ids if b != card.winners[0])
    sealed.bid.value = other
    assert "the recommended bid is " + label in text_of(sealed.recommendation.value)
    sealed.bid.value = card.winners[0]


def test_the_plan_shown_is_crmselect_plans(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panel = panel_for(folder)
    bid = str(panel.bid.value)
    proposed = panel.propose()
    assert proposed is not None and len(proposed.phases) > 1
    panel.overhead.value = 0.0
    assert main(["--member", MEMBER, "plan", str(folder), "--bid", bid, "--propose", "--cap", f"{panel.cap.value:g}",
                 "--write", "--draws", str(PANEL_DRAWS), "--seed", str(PANEL_SEED)]) == 0
    out = capsys.readouterr().out
    assert load_phase_plan(folder, panel.project.selection) == proposed.model_copy(update={"bid": bid})
    shown = plan_data(panel)
    for phase in proposed.phases:  # the CLI's table row of each phase: name, effort, planned, P10, P50, P90
        row = next(line for line in out.splitlines() if line.startswith(phase.name + "  "))
        numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,]+(?:\.\d+)?", row.split(phase.name)[1])]
        expected = shown[phase.id]
        assert numbers[:5] == [round(expected[k]) for k in ("effort_days", "planned_go_live_days", "P10", "P50",
                                                            "P90")]
    # and the panel's numbers are plan_risk's, computed here with the public API
    result = plan_risk(panel.project, bid, proposed, n=PANEL_DRAWS, random_state=PANEL_SEED,
                       goal_scores=evaluate(panel.project).technical_goal_scores[bid], prices_visible=False)
    assert shown[proposed.phases[0].id]["P50"] == pytest.approx(float(result.frame()["P50"].iloc[0]))
    first = float(np.percentile(result.first_value_days, 50)) / DAYS_PER_MONTH
    assert f"First value in {first:.0f} months at P50" in text_of(panel.sentence.value)


def test_the_big_bang_go_live_follows_the_risk_models_quantiles(sealed: PlanPanel) -> None:
    """One phase, no overhead: go-live = planned x readiness x the duration overrun; the P10/P50/P90 of the panel's
    4,000 draws are within sampling error of the analytic quantiles."""
    from statistics import NormalDist

    data = plan_data(sealed)
    [(phase_id, row)] = data.items()
    assert phase_id == "all"
    schedule = sealed.result.schedule if sealed.result is not None else None
    assert schedule is not None
    planned = schedule.big_bang_go_live_days
    assert row["planned_go_live_days"] == pytest.approx(planned)
    for q in (10, 50, 90):
        analytic = planned * float(RiskParameters().duration.from_normal(np.array([NormalDist().inv_cdf(q / 100)]))[0])
        assert row[f"P{q}"] == pytest.approx(analytic, rel=0.06)


def test_before_the_reveal_no_price_figure_is_computed_or_shown(sealed: PlanPanel) -> None:
    assert sealed.result is not None and sealed.result.money is None
    money = text_of(sealed.money.value)
    assert "Prices are sealed until the committee reveals them" in money
    rows = json.loads(html.unescape(re.search(r"data-rows='([^']*)'", sealed.comparison.value).group(1)))  # type: ignore[union-attr]
    assert rows == ["first_value_days", "all_live_days"]
    assert "ROI" not in text_of(sealed.comparison.value)


def test_after_the_reveal_roi_and_payback_are_shown_phased_against_big_bang(folder: Path) -> None:
    reveal_prices(folder)
    panel = panel_for(folder)
    panel.propose()
    assert panel.result is not None and panel.result.money is not None
    rows = json.loads(html.unescape(re.search(r"data-rows='([^']*)'", panel.comparison.value).group(1)))  # type: ignore[union-attr]
    assert rows == ["first_value_days", "all_live_days", "roi", "net_npv", "payback_months"]
    table = text_of(panel.comparison.value)
    roi = float(np.percentile(panel.result.money.phased_roi, 50))
    assert "ROI over the horizon" in table and f"{roi:.0%}".replace("%", "") in table.replace(",", "")
    assert "ROI at P50" in text_of(panel.money.value)


def test_saving_writes_phases_yaml_and_a_log_entry_with_the_member(folder: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    panel = panel_for(folder)
    proposed = panel.propose()
    assert proposed is not None and not panel.save_button.disabled
    panel.why.value = "quick wins first, agreed in the steering meeting"
    written = panel.save()
    assert written == folder / PHASES_FILE
    saved = load_phase_plan(folder, panel.project.selection)
    assert saved is not None and saved.phases == proposed.phases and saved.bid == panel.bid.value
    entry = log_entries(folder)[-1]
    assert entry["kind"] == LOG_KIND == "plan_written"
    assert entry["who"] == MEMBER and entry["why"] == "quick wins first, agreed in the steering meeting"
    assert [p["goals"] for p in entry["what"]["phases"]] == [list(p.goals) for p in proposed.phases]
    assert "The plan of phases.yaml" in text_of(panel.source.value)
    # the command line reads what the dashboard saved (the committee's cross-surface journey)
    capsys.readouterr()
    assert main(["plan", str(folder), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    assert "the roll-out plan of phases.yaml" in out
    assert all(f"{p.name}: " in out for p in proposed.phases)


def test_a_saved_plan_is_replaced_only_once_the_member_ticks_replace(folder: Path) -> None:
    panel = panel_for(folder)
    panel.propose()
    assert panel.save() is not None
    before = (folder / PHASES_FILE).read_text(encoding="utf-8")
    entries = len(log_entries(folder))
    first, second = panel.project.selection.goal_ids[:2]
    panel.dropdowns[second].value = panel.dropdowns[first].value  # move a goal into the first goal's phase
    assert panel.origin == "edited"
    assert panel.save() is None
    assert "exists already" in text_of(panel.status.value)
    assert panel.replace.layout.display is None  # the Replace box is shown
    assert (folder / PHASES_FILE).read_text(encoding="utf-8") == before and len(log_entries(folder)) == entries
    panel.replace.value = True
    assert panel.save() is not None
    saved = load_phase_plan(folder, panel.project.selection)
    assert saved is not None and saved.phase_of(second).id == saved.phase_of(first).id
    assert len(log_entries(folder)) == entries + 1


def test_without_a_member_saving_is_off_and_says_why(folder: Path) -> None:
    panel = panel_for(folder, member=None)
    assert panel.save_button.disabled
    assert "Recording is off: no committee member was named" in text_of(panel.recording.value)
    assert panel.save() is None
    assert not (folder / PHASES_FILE).exists() and not any(e["kind"] == LOG_KIND for e in log_entries(folder))


def test_a_goal_in_no_phase_is_said_on_the_panel_and_blocks_saving(folder: Path) -> None:
    panel = panel_for(folder)
    goal = panel.project.selection.goals[0]
    panel.dropdowns[goal.id].value = NOT_PLANNED
    assert f"{goal.name} is in no phase" in text_of(panel.problems.value)
    assert panel.save_button.disabled
    assert panel.save() is None and not (folder / PHASES_FILE).exists()


def test_phases_can_be_added_and_goals_moved_into_them(folder: Path) -> None:
    panel = panel_for(folder)
    before = panel.result
    panel.add_phase()
    assert "No goal chosen yet for Roll-out phase 2" in text_of(panel.problems.value)
    goal = panel.project.selection.goals[0]
    new = panel.slots[-1][0]
    panel.dropdowns[goal.id].value = new
    assert [p.goals for p in panel.plan.phases] == [panel.project.selection.goal_ids[1:], (goal.id,)]
    assert panel.result is not before and set(plan_data(panel)) == {"all", new}
    assert panel.problems.value == ""


def test_a_broken_phases_yaml_is_said_on_the_panel_never_a_traceback(folder: Path) -> None:
    (folder / PHASES_FILE).write_text("phases:\n  - id: p1\n    name: One\n    goals: [no_such_goal]\n",
                                      encoding="utf-8")
    panel = panel_for(folder)
    shown = text_of(panel.source.value)
    assert "phases.yaml could not be used" in shown and "no_such_goal" in shown and "line" in shown
    assert panel.plan.phase_ids == ("all",)  # the big bang is shown meanwhile


def test_the_chart_is_drawn_at_its_natural_size_one_row_per_phase_and_the_big_bang(folder: Path) -> None:
    panel = panel_for(folder)
    plan = panel.propose()
    assert plan is not None and panel.result is not None
    chart = go_live_chart(panel.result)
    size = re.search(r"width='(\d+)' height='(\d+)' viewBox='0 0 (\d+) (\d+)'", chart)
    assert size is not None and size.group(1) == size.group(3) and size.group(2) == size.group(4)
    rows = re.findall(r"data-phase='([^']+)' data-p50-days='([^']+)'", chart)
    assert [r[0] for r in rows] == [*plan.phase_ids, "big_bang"]
    for (phase_id, p50), k in zip(rows[:-1], range(len(plan.phases)), strict=True):
        assert float(p50) == pytest.approx(float(np.percentile(panel.result.phase_go_live_days[:, k], 50)))
        assert phase_id == plan.phases[k].id
    assert "matplotlib" not in chart and panel.chart.html.value == chart


def test_tracking_shows_earned_against_expected_from_actuals_yaml(folder: Path) -> None:
    project = load_project(folder)
    bid = evaluate(project).scorecard.winners[0]
    (folder / "actuals.yaml").write_text(
        f"bid: {bid}\ngo_lives:\n  - date: 2027-08-02\ncheckpoints:\n  - months: 6\n    date: 2028-02-01\n"
        "    kpis:\n      - {goal: forecast_accuracy, kpi: Forecast error at the start of the quarter, value: 22}\n",
        encoding="utf-8")
    panel = panel_for(folder, today=lambda: dt.date(2029, 1, 1))
    shown = text_of(panel.tracking.value)
    assert "Tracking" in shown and "Raise sales forecast accuracy" in shown
    from crmselect.files.actuals import load_actuals, signature_date

    actuals = load_actuals(folder, project, today=lambda: dt.date(2029, 1, 1))
    assert actuals is not None
    result = track(project, actuals, signature_date(actuals, project) or dt.date.today(),
                   goal_scores=evaluate(project).technical_goal_scores[bid])
    earned = float(result.goals_frame().loc[(6, "forecast_accuracy"), "earned_to_date"])
    assert earned > 0 and f"{earned:,.0f}" in shown
    assert "sealed until prices are revealed" in shown  # realised ROI comes from prices


def test_the_panel_speaks_chinese() -> None:
    zh = translator("zh-CN")
    with using(zh):
        panel = PlanPanel(evaluate(load_project(example_root())), member=None, translator=zh)
    shown = text_of(panel.widget.children[0].value + panel.recommendation.value + panel.source.value
                    + panel.sentence.value + panel.money.value + panel.table.value)
    assert "分期" in shown or "上线" in shown
    words = re.findall(r"[A-Za-z]{4,}", shown)
    data = [b.label for b in panel.project.bids] + [g.name for g in panel.project.selection.goals]  # the files' words
    allowed = {"phases", "yaml", "crmselect"} | {w for text in data for w in re.findall(r"[A-Za-z]+", text)}
    assert not [w for w in words if w not in allowed and w.lower() not in allowed], words
    assert panel.propose_button.description != "Propose phases"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), min_size=1, max_size=6))
def test_any_editing_gives_each_goal_exactly_the_phase_its_dropdown_shows(sealed: PlanPanel,
                                                                          moves: list[tuple[int, int]]) -> None:
    sealed.reset()
    for _ in range(3):
        sealed.add_phase()
    goals = sealed.project.selection.goal_ids
    for goal, slot in moves:
        sealed.dropdowns[goals[goal % len(goals)]].value = sealed.slots[slot % len(sealed.slots)][0]
    for goal_id, dropdown in sealed.dropdowns.items():
        assert sealed.plan.phase_of(goal_id).id == dropdown.value
    order = [pid for pid, _name in sealed.slots]
    assert sorted(sealed.plan.phase_ids, key=order.index) == list(sealed.plan.phase_ids)
    assert sealed.result is not None and set(plan_data(sealed)) == set(sealed.plan.phase_ids)
