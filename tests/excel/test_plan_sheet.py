"""The Plan sheet: read back with openpyxl, its figures are the plan's; sealed, nothing price-derived is on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from testdata import copy_example, reveal_prices

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.errors import CrmSelectError
from crmselect.excel.plan_sheet import export_plan
from crmselect.excel.scorecard import export_scorecard
from crmselect.money.phase_risk import plan_risk
from crmselect.money.phasing import propose_plan
from crmselect.show.i18n import using

BID = "jadeport-saas"


def rows_of(path: Path, title: str = "Plan") -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    assert title in wb.sheetnames, wb.sheetnames
    assert wb[title].protection.sheet  # protected, as every crmselect sheet
    return [tuple(row) for row in wb[title].iter_rows(values_only=True)]


def row_starting(rows: list[tuple[Any, ...]], first: str) -> tuple[Any, ...]:
    return next(row for row in rows if row and row[0] == first)


@pytest.fixture(scope="module")
def project_and_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    project = load_project(copy_example(tmp_path_factory.mktemp("plan") / "selection"))
    return project, propose_plan(project, BID, effort_cap_days=200, overhead_days=15)


def test_the_sheet_holds_the_plans_figures(project_and_plan: tuple[Any, Any], tmp_path: Path) -> None:
    project, plan = project_and_plan
    result = plan_risk(project, BID, plan, n=2000, random_state=4)
    export_plan(result, tmp_path / "plan.xlsx")
    rows = rows_of(tmp_path / "plan.xlsx")
    frame = result.frame()
    for _phase_id, item in frame.iterrows():
        row = row_starting(rows, item["name"])  # by name: no id on the sheet
        assert row[1] == item["goals"]
        assert row[2:7] == pytest.approx([item["effort_days"], item["planned_go_live_days"], item["P10"],
                                          item["P50"], item["P90"]])
        assert row[7:9] == pytest.approx([item["annual_benefit"], item["benefit_pv"]])
    assert not any(str(cell).startswith("phase_") for row in rows for cell in row if cell is not None)
    comparison = result.comparison()
    roi = row_starting(rows, "ROI over the horizon")
    assert roi[1:7] == pytest.approx(comparison.loc["roi"].tolist())
    first = row_starting(rows, "First value (days after signature)")
    assert first[2] == pytest.approx(float(np.percentile(result.first_value_days, 50)))
    assert any(row[0] and str(row[0]).startswith("First value in") for row in rows)
    with pytest.raises(CrmSelectError):
        export_plan(result, tmp_path / "plan.xlsx")  # no silent overwrite
    export_plan(result, tmp_path / "plan.xlsx", force=True)


def test_sealed_sheet_has_no_money_and_chinese_titles(project_and_plan: tuple[Any, Any], tmp_path: Path) -> None:
    project, plan = project_and_plan
    result = plan_risk(project, BID, plan, n=500, random_state=4, prices_visible=False)
    export_plan(result, tmp_path / "sealed.xlsx")
    rows = rows_of(tmp_path / "sealed.xlsx")
    cells = [str(c) for row in rows for c in row if c is not None]
    assert not any(c.startswith(("ROI over", "NPV net", "Payback")) for c in cells)
    assert cells.count("ROI, NPV and payback are sealed until prices are revealed.") == 1  # said once
    with using("zh-CN"):
        export_plan(result, tmp_path / "zh.xlsx")
    rows = rows_of(tmp_path / "zh.xlsx", "分期计划")
    assert any("首次见效" in str(c) for row in rows for c in row)


def test_cli_excel_and_scorecard_with_phases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = reveal_prices(copy_example(tmp_path / "selection"))
    member = load_project(folder).committee.member_ids[0]
    assert main(["--member", member, "plan", str(folder), "--bid", BID, "--propose", "--cap", "200", "--write",
                 "--excel", str(tmp_path / "p.xlsx"), "--draws", "500"]) == 0
    rows = rows_of(tmp_path / "p.xlsx")
    assert row_starting(rows, "ROI over the horizon")
    # the scorecard adds the Plan sheet for the bid ranked first, once the selection has phases.yaml
    project = load_project(folder)
    export_scorecard(project, tmp_path / "s.xlsx", smaa_samples=200)
    rows = rows_of(tmp_path / "s.xlsx")
    assert rows[0][0].startswith("Roll-out plan: ")
    capsys.readouterr()
