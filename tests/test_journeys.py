"""Journeys that cross surfaces the way a committee does: one selection, one log, whatever records."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from testdata import copy_example

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate


def log_rows(workbook: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(workbook, read_only=True)["Decision log"]
    rows = [tuple(row) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]
    sheet.parent.close()
    return rows


def test_a_scenario_saved_in_a_widget_and_a_lock_from_the_shell_reach_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crmselect.widgets import ScenarioManager, WeightsPanel

    selection = copy_example(tmp_path / "selection")
    project = load_project(selection)
    panel = WeightsPanel(evaluate(project).scorecard, table=False)
    scenarios = ScenarioManager(panel, project, member="chen_jing")
    assert scenarios.save("Marketing view", why="marketing's priorities")
    assert main(["--member", "zhao_lei", "lock", str(selection), "--why", "every demo scored"]) == 0
    assert main(["scorecard", str(selection), "--out", str(tmp_path / "s.xlsx")]) == 0
    rows = log_rows(tmp_path / "s.xlsx")
    assert [(row[2], row[3]) for row in rows] == [("chen_jing", "open"), ("chen_jing", "scenario_saved"),
                                                  ("zhao_lei", "lock")]
    capsys.readouterr()
    assert main(["log", str(selection)]) == 0
    assert "3 entries; the chain of hashes verifies and the log belongs to this selection" in capsys.readouterr().out


def test_a_new_selection_that_is_not_the_example_goes_from_init_to_a_workbook(tmp_path: Path) -> None:
    """init, then the committee's files by hand (a minimal bid), validate, rank and a workbook."""
    import shutil

    from testdata import MINIMAL

    selection = tmp_path / "ours"
    assert main(["init", str(selection), "--name", "Our CRM", "--company", "Ours Ltd", "--currency", "EUR",
                 "--as-of", "2026-09-01"]) == 0
    for path in (MINIMAL / "criteria").rglob("*.yaml"):  # our own catalogue, goals and bids replace the starters
        target = selection / path.relative_to(MINIMAL)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.rmtree(selection / "criteria" / "catalogue")
    shutil.copytree(MINIMAL / "criteria" / "catalogue", selection / "criteria" / "catalogue")
    for path in (MINIMAL / "vendors").glob("*.yaml"):
        shutil.copy(path, selection / "vendors" / path.name)
    assert main(["validate", str(selection)]) == 0
    assert main(["rank", str(selection)]) == 0
    assert main(["scorecard", str(selection), "--out", str(tmp_path / "ours.xlsx")]) == 0
    assert load_project(selection).settings.name == "Our CRM"  # type: ignore[union-attr]


def test_a_new_selection_made_only_from_workbooks_is_ranked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """init, the goals workbook, three returned bid forms, rank: no YAML typed by hand."""
    from bidforms import NOVA_SAAS, fill_bid

    root = tmp_path / "selection"
    assert main(["init", str(root), "--name", "CRM 2027", "--company", "Nordhafen GmbH", "--currency", "EUR"]) == 0
    goals = tmp_path / "goals.xlsx"
    assert main(["goals-workbook", str(root), "--out", str(goals)]) == 0
    book = openpyxl.load_workbook(goals)
    sheet = book["Goals"]
    sheet["B4"] = "rank_order"
    rows = [("forecast_accuracy", "Raise sales forecast accuracy", 1), ("faster_service", "Answer customers faster", 2)]
    for offset, (goal_id, name, rank) in enumerate(rows):
        sheet.cell(8 + offset, 1).value, sheet.cell(8 + offset, 2).value = goal_id, name
        sheet.cell(8 + offset, 5).value = rank
    kpis = book["KPIs"]
    for column, value in zip("CDEFG", ("First response time", "hours", 24, 4, 3000), strict=True):
        kpis[f"{column}8"] = value  # the second goal's first KPI
    links = book["Links"]
    row_of = {links.cell(r, 1).value: r for r in range(5, links.max_row + 1) if links.cell(r, 1).value}
    for cid, slot, points in (("SVC-001", 1, 5), ("SVC-005", 1, 3), ("SFA-011", 0, 5)):
        links.cell(row_of[cid], 5 + slot).value = points
    book.save(goals)
    assert main(["import-goals", str(root), "--from", str(goals)]) == 0
    answers = {"Hanse CRM": ("S", "S", "C"), "Elbe Cloud": ("C", "N", "S"), "Alster 365": ("S", "C", "S")}
    for name, (forecast, cases, routing) in answers.items():
        form = tmp_path / f"{name}.xlsx"
        assert main(["questionnaire", str(root), "--vendor", name, "--out", str(form)]) == 0
        fill_bid(form, {"Offer 1": NOVA_SAAS}, {"SFA-010": "S", "SFA-011": forecast, "ANA-001": "S",
                                                  "SVC-001": cases, "SVC-005": routing})
        assert main(["import-answers", str(root), "--from", str(form)]) == 0
    capsys.readouterr()
    assert main(["rank", str(root)]) == 0
    ranked = capsys.readouterr().out
    assert "goal weights by rank order (ROC)" in ranked
    project = load_project(root)
    assert [g.id for g in project.selection.goals] == ["forecast_accuracy", "faster_service"]
    assert len(project.bids) == 3
    card = evaluate(project).scorecard
    assert card.goal_weights.tolist() == pytest.approx([0.75, 0.25])
    assert card.labels[int(card.totals.argmax())].startswith("Hanse CRM")
