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
