"""``crmselect track`` as a committee uses it: go-live, checkpoints by hand and by workbook, the comparison."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from crmselect.cli import track as track_cli
from crmselect.cli.app import main
from crmselect.files.actuals import load_reference_class
from tests.testdata import copy_minimal

TODAY = dt.date(2028, 1, 10)


@pytest.fixture
def selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(track_cli, "today", lambda: TODAY)
    return copy_minimal(tmp_path / "selection")


def _log(selection: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (selection / "decision_log.jsonl").read_text(encoding="utf-8").splitlines()]


def _fill(path: Path, dates: dict[int, dt.date], values: dict[tuple[int, str, str], float],
          costs: dict[int, float] | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        months, second = row[0].value, row[1].value
        if isinstance(months, int) and second is None and row[2].value is None and months in dates:
            row[1].value = dates[months]  # the checkpoint table: months, date, cost
            if costs and months in costs:
                row[2].value = costs[months]
        if isinstance(months, int) and isinstance(second, str) and (months, second, row[3].value) in values:
            row[7].value = values[(months, second, row[3].value)]
    wb.save(path)


def test_template_filled_imported_logged_and_compared(selection: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--member", "m-sales", "track", str(selection), "--bid", "acme-saas", "--go-live",
                 "2026-11-02"]) == 0
    book = tmp_path / "tracking.xlsx"
    assert main(["track", str(selection), "--template", str(book)]) == 0
    _fill(book, {6: dt.date(2027, 5, 3), 12: dt.date(2027, 11, 3)},
          {(6, "forecast", "Forecast error"): 24, (6, "service", "First response"): 10,
           (12, "forecast", "Forecast error"): 18}, costs={12: 150_000})
    capsys.readouterr()
    assert main(["--member", "m-it", "track", str(selection), "--from", str(book), "--why", "steering meeting"]) == 0
    assert "decision log entry 3" in capsys.readouterr().out

    entries = _log(selection)
    assert [e["kind"] for e in entries] == ["open", "actual_recorded", "actual_recorded"]
    recorded = entries[2]["what"]
    assert isinstance(recorded, dict) and [c["months"] for c in recorded["checkpoints"]] == [6, 12]
    assert main(["log", str(selection)]) == 0
    out = capsys.readouterr().out
    assert "m-it: steering meeting" in out and "actual_recorded" in out

    assert main(["track", str(selection)]) == 0
    out = capsys.readouterr().out
    assert "live on 2026-11-02, after 154 days (+34 days against the plan)" in out
    assert "Raise forecast accuracy" in out and "earned to date" in out
    assert "2,992" in out  # the forecast KPI's earned to date at 6 months: 0.5 x 12,000 x 182 days (by hand)
    assert "sealed until prices are revealed" in out  # realised ROI comes from prices


def test_a_bad_workbook_names_sheet_and_cell_and_writes_nothing(selection: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--member", "m-sales", "track", str(selection), "--bid", "acme-saas", "--go-live",
                 "2026-11-02"]) == 0
    before = (selection / "actuals.yaml").read_text(encoding="utf-8")
    book = tmp_path / "tracking.xlsx"
    assert main(["track", str(selection), "--template", str(book)]) == 0
    _fill(book, {6: dt.date(2030, 1, 1)}, {(6, "forecast", "Forecast error"): 24})
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    kpi_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "First response")
    ws.cell(kpi_row, 4).value = "First reply"  # a KPI the selection does not have
    ws.cell(kpi_row, 8).value = 9
    wb.save(book)
    capsys.readouterr()
    assert main(["--member", "m-it", "track", str(selection), "--from", str(book)]) == 2
    err = capsys.readouterr().err
    assert "Tracking!B5: is in the future" in err
    assert f"Tracking!D{kpi_row}: is not a KPI of goal service" in err and "First response" in err
    assert (selection / "actuals.yaml").read_text(encoding="utf-8") == before
    assert [e["kind"] for e in _log(selection)] == ["open", "actual_recorded"]


def test_recorded_values_are_kept_without_force(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    track = ["--member", "m-sales", "track", str(selection)]
    assert main([*track, "--bid", "acme-saas", "--go-live", "2026-11-02"]) == 0
    assert main([*track, "--go-live", "2026-12-01"]) == 2
    assert "use --force" in capsys.readouterr().err
    assert main([*track, "--checkpoint", "6", "--date", "2027-05-03", "--kpi", "forecast:Forecast error=24"]) == 0
    assert main([*track, "--checkpoint", "6", "--date", "2027-05-03", "--kpi", "forecast:Forecast error=20"]) == 2
    assert "was recorded as 24 at checkpoint 6" in capsys.readouterr().err
    assert main([*track, "--checkpoint", "6", "--date", "2027-05-03", "--kpi", "forecast:Forecast error=20",
                 "--force"]) == 0
    assert "value: 20.0" in (selection / "actuals.yaml").read_text(encoding="utf-8")
    assert main([*track, "--checkpoint", "12", "--date", "2027-11-03", "--kpi", "forecast=3"]) == 2
    assert "is not GOAL:KPI=VALUE" in capsys.readouterr().err
    assert main(["track", str(selection), "--checkpoint", "12", "--date", "2027-11-03"]) == 2  # who records it?
    assert "--member" in capsys.readouterr().err


def test_bad_actuals_are_refused_with_file_line_and_field(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    track = ["--member", "m-sales", "track", str(selection)]
    assert main([*track, "--bid", "acme-saas", "--go-live", "2026-11-02", "--phase", "quick_wins"]) == 2
    assert "go_lives[0].phase: names a phase, but the selection has no phases.yaml" in capsys.readouterr().err
    assert main([*track, "--bid", "nobody", "--go-live", "2026-11-02"]) == 2
    err = capsys.readouterr().err
    assert "bid: is not a bid of this selection" in err and "acme-saas" in err
    assert main([*track, "--bid", "acme-saas", "--go-live", "2026-11-02"]) == 0
    assert main([*track, "--checkpoint", "3", "--date", "2026-10-01", "--kpi", "forecast:Forecast error=28"]) == 2
    assert "checkpoints[0].date: is before the go-live" in capsys.readouterr().err
    assert not (selection / "actuals.yaml").read_text(encoding="utf-8").count("checkpoints")


def test_realised_roi_after_the_reveal_and_the_reference_class(selection: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--member", "m-sales", "lock", str(selection), "--why", "scored"]) == 0
    assert main(["--member", "m-it", "reveal-prices", str(selection), "--why", "locked"]) == 0
    reference = tmp_path / "past" / "go_lives.yaml"
    reference.parent.mkdir()
    assert main(["--member", "m-sales", "track", str(selection), "--bid", "acme-saas", "--go-live", "2026-11-02",
                 "--reference-class", str(reference)]) == 0
    assert main(["--member", "m-sales", "track", str(selection), "--checkpoint", "6", "--date", "2027-05-03",
                 "--kpi", "forecast:Forecast error=24", "--cost-to-date", "120000"]) == 0
    capsys.readouterr()
    assert main(["track", str(selection), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    assert "Realised ROI to date against the forecast band (500 draws, seed 0" in out and "recorded" in out
    found = load_reference_class(reference)
    assert len(found.projects) == 1 and found.projects[0].actual_days == 154
    assert found.projects[0].log_entry.startswith("4:")  # open, lock, reveal, then this go-live
    assert found.suggested_go_live_days(200) == round(200 * 154 / 120)


def test_phases_from_the_plan(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (selection / "phases.yaml").write_text("phases:\n  - {id: quick_wins, name: Quick wins, goals: [forecast]}\n"
                                           "  - {id: later, name: Later, goals: [service, risk]}\n", encoding="utf-8")
    track = ["--member", "m-sales", "track", str(selection)]
    assert main([*track, "--bid", "acme-saas", "--go-live", "2026-09-01", "--phase", "quick_wins"]) == 0
    assert main([*track, "--checkpoint", "2", "--date", "2026-11-01", "--kpi", "service:First response=12"]) == 2
    assert "belongs to phase later, which has no go-live yet" in capsys.readouterr().err
    assert main([*track, "--go-live", "2026-10-01", "--phase", "later"]) == 0
    assert main([*track, "--checkpoint", "2", "--date", "2026-11-20", "--kpi", "forecast:Forecast error=20",
                 "--kpi", "service:First response=12"]) == 0
    capsys.readouterr()
    assert main(["track", str(selection)]) == 0
    out = capsys.readouterr().out
    assert "Go-live, phase Quick wins: planned" in out and "live on 2026-09-01, after 92 days" in out
    assert "Per phase:" in out and "Later" in out
    assert "Go-live, whole roll-out: promised 120 days" in out and "live on 2026-10-01, after 122 days" in out


def test_a_later_selection_plans_on_the_reference_class_an_earlier_one_recorded(
        selection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One committee records its go-live into a file it names; the next selection's `crmselect plan` reads it and
    plans the bid's go-live on the past ratio, saying so; the numbers are those of a plan with that reference."""
    from crmselect.files.loaders import load_project
    from crmselect.money.phase_risk import plan_risk

    past = tmp_path / "past_rollouts.yaml"
    assert main(["--member", "m-sales", "track", str(selection), "--bid", "acme-saas", "--go-live", "2026-11-02",
                 "--reference-class", str(past)]) == 0
    ratio = load_reference_class(past).median_ratio
    assert ratio is not None and ratio > 1
    later = copy_minimal(tmp_path / "later")
    capsys.readouterr()
    assert main(["plan", str(later), "--bid", "acme-saas", "--reference-class", str(past), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    project = load_project(later)
    promised = project.bid("acme-saas").offer.implementation.claimed_go_live_days
    days = max(round(promised * ratio), promised)
    assert f"this bid's promise of {promised} days is planned as {days} days" in out
    referenced = project.selection.replace(assumptions=project.selection.assumptions.replace(
        reference_go_live_days=days))
    import dataclasses

    expected = plan_risk(dataclasses.replace(project, selection=referenced), "acme-saas", None, n=500,
                         random_state=0)
    plain = plan_risk(project, "acme-saas", None, n=500, random_state=0)
    p50 = expected.go_live(expected.schedule.plan.phases[0].id, 50)
    assert p50 != plain.go_live(plain.schedule.plan.phases[0].id, 50), "the reference class changes the plan"
    assert f"{p50:,.0f}" in out
    assert main(["plan", str(later), "--bid", "acme-saas", "--reference-class", str(tmp_path / "none.yaml")]) == 2
    assert "--reference-class: names no file" in capsys.readouterr().err
