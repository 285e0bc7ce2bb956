"""The scorecard workbook: structure, safety, weights round trip, and every formula checked in LibreOffice."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from excelcases import INJECTIONS, edit_yaml, hostile_selection, selection
from lo import recalculated, shown
from testdata import copy_example, reveal_prices

from crmselect import InputError, Project, load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.excel.book import Expected
from crmselect.excel.scorecard import ScorecardExport, export_scorecard, read_weights
from crmselect.files.safe_write import FileExistsErrorNoForce
from crmselect.money.costs import npv
from crmselect.scoring.engine import score

SHEETS = ("Summary", "Weights", "Scores", "Goals", "Committee", "TCO", "SLA", "Contract", "Negotiation",
          "Sensitivity", "Decision log", "About")


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"}


def mismatches(expected: Mapping[tuple[str, str], Expected], path: Path, rel: float = 1e-9) -> list[str]:
    """Every formula cell whose recalculated value differs from crmselect's number."""
    wb = openpyxl.load_workbook(path, data_only=True)
    bad = []
    for (sheet, cell), want in expected.items():
        got = wb[sheet][cell].value
        if isinstance(want, str):
            ok = (got or "") == want
        else:
            ok = isinstance(got, int | float) and not isinstance(got, bool) and math.isclose(
                got, want, rel_tol=rel, abs_tol=1e-9)
        if not ok:
            bad.append(f"{sheet}!{cell}: crmselect {want!r}, LibreOffice {got!r}")
    return bad


def defined(path: Path, name: str) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return [(sheet, cells.replace("$", "")) for sheet, cells in wb.defined_names[name].destinations]


def cells_of(path: Path, name: str) -> list[str]:
    ((sheet, area),) = defined(path, name)
    wb = openpyxl.load_workbook(path)
    return [c.coordinate for row in wb[sheet][area] for c in row]


# ---------------------------------------------------------------------------- workbooks shared by the module
@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ScorecardExport]:
    root = tmp_path_factory.mktemp("example")
    project = load_project(reveal_prices(copy_example(root / "selection")))
    return project, export_scorecard(project, root / "example.xlsx")


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ScorecardExport]:
    root = tmp_path_factory.mktemp("minimal")
    project = load_project(reveal_prices(selection(root)))
    return project, export_scorecard(project, root / "minimal.xlsx")


NEW_POINTS = {"forecast_accuracy": 40.0, "service_response": 2.0, "customer_memory": 0.0, "clean_data": 10.0,
              "mobile_field_sales": 7.5, "quote_to_order": 1.0, "cost_and_risk": 30.0}


@pytest.fixture(scope="module")
def changed(example: tuple[Project, ScorecardExport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbook after a committee member typed other goal points and another discount rate."""
    _, export = example
    path = tmp_path_factory.mktemp("changed") / "changed.xlsx"
    wb = openpyxl.load_workbook(export.path)
    ws = wb["Weights"]
    for row in range(5, 5 + len(NEW_POINTS)):
        ws.cell(row, 3).value = NEW_POINTS[ws.cell(row, 1).value]
    wb["TCO"]["B4"].value = 0.05
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def recalculated_books(example: tuple[Project, ScorecardExport], minimal: tuple[Project, ScorecardExport],
                       changed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """All three workbooks recalculated by LibreOffice in one run (private profile, recalc on load)."""
    files = [example[1].path, minimal[1].path, changed]
    out = recalculated(files, tmp_path_factory.mktemp("lo"))
    return {path.stem: path for path in out}


# ---------------------------------------------------------------------------- structure
def test_sheets_names_inputs_and_formats(example: tuple[Project, ScorecardExport]) -> None:
    project, export = example
    assert export.sheets == SHEETS and export.left_out == ()
    wb = openpyxl.load_workbook(export.path)
    assert tuple(wb.sheetnames) == SHEETS
    assert wb.calculation.fullCalcOnLoad
    assert set(wb.defined_names) >= {"GoalPoints", "GoalWeights", "CriterionWeights", "Totals", "Ranks",
                                     "BidLabels", "DiscountRate"}
    weights = wb["Weights"]
    points = cells_of(export.path, "GoalPoints")
    assert [weights[c].value for c in points] == [g.weight for g in project.selection.goals]
    for coordinate in points:
        assert weights[coordinate].fill.start_color.rgb.endswith("FFF2CC")  # marked as input
    validations = {str(dv.sqref): dv for dv in weights.data_validations.dataValidation}
    assert any(points[0] in ref and dv.type == "decimal" for ref, dv in validations.items())
    for coordinate in cells_of(export.path, "CriterionWeights"):
        assert weights[coordinate].data_type == "f"
    scores = wb["Scores"]
    assert all(scores[c].data_type == "f" for c in cells_of(export.path, "Totals") + cells_of(export.path, "Ranks"))
    assert scores.freeze_panes == "D5" and weights.freeze_panes == "A5" and wb["Summary"].freeze_panes == "B6"
    assert scores["D30"].number_format in ("0.00", "0.000") and weights["D5"].number_format == "0.0%"
    assert len(scores.conditional_formatting) >= 2 and len(wb["Committee"].conditional_formatting) >= 2
    assert len(wb["Summary"]._charts) == 2 and len(wb["TCO"]._charts) == 1
    for name in SHEETS:
        ws = wb[name]
        assert ws.page_setup.orientation in ("landscape", "portrait") and ws.page_setup.fitToWidth == 1
    assert wb["TCO"]["B4"].value == pytest.approx(project.selection.assumptions.discount_rate_pct / 100)


def test_every_formula_has_crmselect_expected_value(example: tuple[Project, ScorecardExport]) -> None:
    _, export = example
    formulas = formula_cells(export.path)
    assert set(formulas) == set(export.expected)
    assert len(formulas) > 1000
    sheets_with_formulas = {sheet for sheet, _ in formulas}
    assert sheets_with_formulas == {"Summary", "Weights", "Scores", "Goals", "Committee", "TCO", "SLA", "Contract"}


def test_expected_values_are_crmselects_own_numbers(example: tuple[Project, ScorecardExport]) -> None:
    project, export = example
    evaluation = evaluate(project)
    card, expected = evaluation.scorecard, export.expected

    def named(name: str, sheet: str) -> np.ndarray:  # type: ignore[type-arg]
        return np.array([expected[(sheet, c)] for c in cells_of(export.path, name)], dtype=object)

    np.testing.assert_allclose(named("GoalWeights", "Weights").astype(float), card.goal_weights)
    np.testing.assert_allclose(named("CriterionWeights", "Weights").astype(float), card.criterion_weights)
    np.testing.assert_allclose(named("Totals", "Scores").astype(float), card.totals)
    assert list(named("Ranks", "Scores")) == ["out" if math.isnan(r) else float(r) for r in card.ranks]
    npvs = [expected[("TCO", f"E{8 + b}")] for b in range(len(card.bid_ids))]
    np.testing.assert_allclose(np.array(npvs, dtype=float), [evaluation.tco.npvs()[b] for b in card.bid_ids])


def test_vendor_text_in_the_scorecard_is_text(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    export = export_scorecard(project, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(export.path)
    label = wb["Scores"]["D4"]
    assert label.value == INJECTIONS[0] and label.data_type == "s" and label.quotePrefix
    summary = wb["Summary"]["A6"]  # the Summary shows the label through INDEX, in rank order: never as a formula
    assert summary.value.startswith("=INDEX(BidLabels,1,") and summary.data_type == "f"
    shown = {c.value for row in openpyxl.load_workbook(export.path, data_only=True)["Summary"].iter_rows(
        min_row=6, max_row=7, max_col=1) for c in row}
    assert INJECTIONS[0] in shown  # the cached result: text
    formulas = formula_cells(export.path)
    assert not any("evil" in str(f) for f in formulas.values())


def test_an_analysis_that_cannot_run_leaves_its_sheet_out_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from crmselect.errors import AnalysisError
    from crmselect.excel import book as excel_book

    def cannot(*_: object, **__: object) -> None:
        raise AnalysisError("stability needs a ranked winner")

    monkeypatch.setattr(excel_book, "stability", cannot)
    project = load_project(selection(tmp_path))
    export = export_scorecard(project, tmp_path / "s.xlsx")
    assert "Sensitivity" not in export.sheets and "TCO" in export.sheets and "SLA" in export.sheets
    assert export.left_out == ("Sensitivity sheet: stability needs a ranked winner",)
    assert set(formula_cells(export.path)) == set(export.expected)
    about = openpyxl.load_workbook(export.path)["About"]
    assert any("stability needs a ranked winner" in str(c.value) for row in about.iter_rows() for c in row)


# ---------------------------------------------------------------------------- weights round trip
def test_weights_round_trip(minimal: tuple[Project, ScorecardExport], tmp_path: Path) -> None:
    project, export = minimal
    assert read_weights(export.path, project) == {g.id: g.weight for g in project.selection.goals}
    path = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(export.path)
    ws = wb["Weights"]
    ws["C5"], ws["C6"], ws["C7"] = 10, "lots", "=1+1"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_weights(path, project)
    assert {(i.field, i.code) for i in caught.value.issues} == {("Weights!C6", "invalid_weight"),
                                                                 ("Weights!C7", "formula")}
    ws["C6"], ws["C7"] = 0, 5
    wb.save(path)
    weights = read_weights(path, project)
    assert weights == {"forecast": 10.0, "service": 0.0, "risk": 5.0}
    score(project, weights=weights, reveal_prices=False)  # the committee's new weights feed straight back in


def test_cli_scorecard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = selection(tmp_path)
    out = tmp_path / "card.xlsx"
    assert main(["scorecard", str(root), "--out", str(out)]) == 0
    assert "Summary, Weights, Scores" in capsys.readouterr().out
    assert main(["scorecard", str(root), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["scorecard", str(root), "--out", str(out), "--force"]) == 0
    with pytest.raises(FileExistsErrorNoForce):
        export_scorecard(load_project(root), out)


# ---------------------------------------------------------------------------- LibreOffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("which", ["example", "minimal"])
def test_libreoffice_agrees_with_every_formula(which: str, request: pytest.FixtureRequest,
                                               recalculated_books: dict[str, Path]) -> None:
    _, export = request.getfixturevalue(which)
    assert mismatches(export.expected, recalculated_books[which]) == []


@pytest.mark.libreoffice
def test_changing_goal_points_in_excel_moves_totals_and_ranking(
    example: tuple[Project, ScorecardExport], recalculated_books: dict[str, Path]
) -> None:
    project, export = example
    before = evaluate(project).scorecard
    card = before.with_goal_weights(NEW_POINTS)
    wb = openpyxl.load_workbook(recalculated_books["changed"], data_only=True)
    scores, weights = wb["Scores"], wb["Weights"]
    totals = [scores[c].value for c in cells_of(export.path, "Totals")]
    np.testing.assert_allclose(totals, card.totals, rtol=1e-9)
    ranks = [scores[c].value for c in cells_of(export.path, "Ranks")]
    assert ranks == ["out" if math.isnan(r) else int(r) for r in card.ranks]
    assert list(card.ranks) != list(before.ranks)  # the change really moves the ranking
    np.testing.assert_allclose([weights[c].value for c in cells_of(export.path, "CriterionWeights")],
                               card.criterion_weights, rtol=1e-9, atol=1e-12)
    winner = card.labels[int(np.nanargmin(card.ranks))]
    assert wb["Summary"]["C3"].value == winner
    for b, result in enumerate(export_results(project)):
        assert wb["TCO"][f"E{8 + b}"].value == pytest.approx(npv(result.by_period, 5.0), rel=1e-9)


def export_results(project: Project) -> list:  # type: ignore[type-arg]
    from crmselect.money.costs import compare_tco

    return list(compare_tco(project).results)


@pytest.mark.libreoffice
def test_first_open_with_default_libreoffice_settings_shows_right_numbers(
    minimal: tuple[Project, ScorecardExport], tmp_path: Path
) -> None:
    """No recalc-on-load setting: the numbers must still be right (openpyxl writes no stale cached values)."""
    (path,) = recalculated([minimal[1].path], tmp_path, recalc_on_load=False)
    assert mismatches(minimal[1].expected, path) == []


@pytest.mark.libreoffice
def test_libreoffice_shows_vendor_text_and_chinese_as_text(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    edit_yaml(project.root / "vendors" / "borealis.yaml", lambda d: d.update(name="北极星 CRM"))
    project = load_project(project.root)
    export = export_scorecard(project, tmp_path / "hostile.xlsx")
    sheets = shown(export.path, tmp_path)
    summary = {text for row in sheets["Summary"] for text in row}
    assert INJECTIONS[0] in summary and "click" not in summary
    assert "北极星 CRM (on-premise)" in summary
    committee = {text for row in sheets["Committee"] for text in row}
    assert "@SUM(1)" in committee  # a member's name, shown as typed
