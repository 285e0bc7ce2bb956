"""The tracking workbook: written, filled in with openpyxl, read back; in English and in Chinese; bad cells named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from crmselect import load_project
from crmselect.errors import InputError
from crmselect.excel.tracking_book import export_tracking_template, read_tracking_workbook
from crmselect.model.actuals import Actuals, Checkpoint, GoLive, KpiActual
from crmselect.model.project import Project
from crmselect.show.i18n import using
from tests.testdata import MINIMAL

TODAY = dt.date(2028, 1, 10)


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(MINIMAL)


def _rows(path: Path) -> tuple[openpyxl.Workbook, dict[object, int], dict[tuple[object, object, object], int]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    checkpoints, kpis = {}, {}
    for row in range(1, ws.max_row + 1):
        months, second = ws.cell(row, 1).value, ws.cell(row, 2).value
        if isinstance(months, int) and isinstance(second, str):
            kpis[(months, second, ws.cell(row, 4).value)] = row
        elif isinstance(months, int):
            checkpoints[months] = row
    return wb, checkpoints, kpis


@pytest.mark.parametrize(("language", "sheet"), [("en", "Tracking"), ("zh-CN", "跟踪")])
def test_round_trip(project: Project, tmp_path: Path, language: str, sheet: str) -> None:
    recorded = Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 11, 2)),), checkpoints=(
        Checkpoint(months=6, date=dt.date(2027, 5, 3), kpis=(KpiActual(goal="forecast", kpi="Forecast error",
                                                                       value=24),)),))
    path = tmp_path / "tracking.xlsx"
    with using(language):
        export_tracking_template(project, path, "acme-saas", actuals=recorded)
    wb, checkpoints, kpis = _rows(path)
    ws = wb.worksheets[0]
    assert ws.title == sheet and ws.protection.sheet
    assert set(checkpoints) == {6, 12, 24}
    assert ws.cell(checkpoints[6], 2).value.date() == dt.date(2027, 5, 3)  # recorded values are filled in
    assert ws.cell(kpis[(6, "forecast", "Forecast error")], 8).value == 24
    assert ws.cell(kpis[(6, "forecast", "Forecast error")], 8).protection.locked is False  # an input cell
    assert ws.cell(kpis[(6, "forecast", "Forecast error")], 6).protection.locked is True  # the baseline is not
    ws.cell(checkpoints[12], 2).value = dt.datetime(2027, 11, 3)
    ws.cell(checkpoints[12], 3).value = 150_000
    ws.cell(kpis[(12, "service", "First response")], 8).value = 8.5
    wb.save(path)
    with using("en"):  # read in another language than written: the workbook's own words are used
        book = read_tracking_workbook(path, project, today=lambda: TODAY)
    assert book.bid == "acme-saas"
    assert [c.months for c in book.checkpoints] == [6, 12]
    twelve = book.checkpoints[1]
    assert twelve.date == dt.date(2027, 11, 3) and twelve.cost_to_date == 150_000
    assert twelve.kpis == (KpiActual(goal="service", kpi="First response", value=8.5),)
    assert book.checkpoints[0].kpis == (KpiActual(goal="forecast", kpi="Forecast error", value=24),)


def test_bad_cells_are_named(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "tracking.xlsx"
    export_tracking_template(project, path, "acme-saas")
    wb, checkpoints, kpis = _rows(path)
    ws = wb.worksheets[0]
    ws.cell(checkpoints[6], 2).value = dt.datetime(2026, 10, 1)  # before the go-live
    ws.cell(checkpoints[12], 2).value = dt.datetime(2029, 1, 1)  # in the future
    ws.cell(checkpoints[24], 3).value = 5  # a cost without a date
    row = kpis[(6, "forecast", "Forecast error")]
    ws.cell(row, 8).value = "about 20"
    other = kpis[(6, "service", "First response")]
    ws.cell(other, 2).value = "servce"
    ws.cell(other, 8).value = 3
    ws.cell(kpis[(12, "forecast", "Forecast error")], 8).value = "=1+1"
    ws.cell(kpis[(24, "forecast", "Forecast error")], 8).value = 12  # its checkpoint has no date
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_tracking_workbook(path, project, today=lambda: TODAY, first_go_live=dt.date(2026, 11, 2))
    found = {issue.field: issue for issue in caught.value.issues}
    assert found[f"Tracking!B{checkpoints[6]}"].message == "is before the go-live"
    assert found[f"Tracking!B{checkpoints[12]}"].message == "is in the future"
    assert found[f"Tracking!C{checkpoints[24]}"].code == "no_date"
    assert found[f"Tracking!H{row}"].code == "not_a_number"
    assert found[f"Tracking!B{other}"].code == "unknown_goal" and "service" in found[f"Tracking!B{other}"].allowed
    assert found[f"Tracking!H{kpis[(12, 'forecast', 'Forecast error')]}"].code == "formula"
    assert found[f"Tracking!H{kpis[(24, 'forecast', 'Forecast error')]}"].code == "no_date"
    assert len(caught.value.issues) == 7
