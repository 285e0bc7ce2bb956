"""Committee score sheets: export per member, merge the returned sheets, nothing dropped silently."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from excelcases import CHINESE, INJECTIONS, hostile_selection, selection

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import WorkbookError
from crmselect.excel.scoresheet import HEADER_ROW, SHEET, export_scoresheet, export_scoresheets, score_column
from crmselect.excel.scoresheet_import import import_scores, read_scoresheet
from crmselect.files.safe_write import FileExistsErrorNoForce

ROW = {"pipeline": HEADER_ROW + 1, "complaint": HEADER_ROW + 2}
COLUMN = {"acme": score_column(0), "borealis": score_column(1)}


def cell(vendor: str, scenario: str, notes: bool = False) -> tuple[int, int]:
    return ROW[scenario], COLUMN[vendor] + (1 if notes else 0)


def edit(path: Path, values: dict[tuple[int, int], object]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    for (row, column), value in values.items():
        ws.cell(row, column).value = value
    wb.save(path)


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_project(selection(tmp_path))


def test_round_trip_changes_nothing(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    committee = project.root / "vendors" / "committee.yaml"
    before = committee.read_text(encoding="utf-8")
    paths = export_scoresheets(project, tmp_path / "sheets")
    result = import_scores(paths, project)
    assert (result.added, result.changed, result.kept, result.missing, result.no_sheet) == ((), (), (), (), ())
    assert result.unchanged
    assert committee.read_text(encoding="utf-8") == before
    assert load_project(project.root).committee == project.committee


def test_round_trip_of_hostile_and_chinese_notes(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    paths = export_scoresheets(project, tmp_path / "sheets")
    wb = openpyxl.load_workbook(paths[0])
    note = wb[SHEET].cell(*cell("acme", "pipeline", notes=True))
    assert note.value == INJECTIONS[0] and note.data_type == "s" and note.quotePrefix
    assert wb[SHEET]["A1"].data_type == "s" and wb[SHEET]["A1"].value.startswith("Demo scores: @SUM(1)")
    result = import_scores(paths, project)
    assert result.notes == project.committee.notes
    reloaded = load_project(project.root).committee
    assert reloaded.notes["m-sales"]["acme"]["complaint"] == CHINESE
    assert reloaded.notes["m-it"]["borealis"]["pipeline"] == "\t=1"
    assert reloaded == project.committee


def test_layout(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_scoresheet(project, "m-service", tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    assert ws["D4"].value == "Acme Cloud CRM" and ws["F4"].value == "Borealis CRM"
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 8)] == [
        "Scenario ID",
        "Scenario",
        "What the demo shows",
        "Score",
        "Notes",
        "Score",
        "Notes",
    ]
    assert ws.cell(*cell("acme", "pipeline")).value == 3.5
    assert not ws.cell(*cell("acme", "pipeline")).protection.locked and ws["A6"].protection.locked
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == '"0,0.5,1,1.5,2,2.5,3,3.5,4,4.5,5"' and "D6" in str(dv.sqref) and "F7" in str(dv.sqref)
    assert ws.protection.sheet and ws.freeze_panes == "D6" and wb["_crmselect"].sheet_state == "veryHidden"


def blank_sheet(project, tmp_path: Path, member: str, name: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    return export_scoresheet(project, member, tmp_path / (name or f"{member}.xlsx"), prefill=False)


def test_new_scores_merge_and_missing_ones_are_listed(tmp_path: Path) -> None:
    root = selection(tmp_path)
    committee_file = root / "vendors" / "committee.yaml"
    text = committee_file.read_text(encoding="utf-8")
    committee_file.write_text(
        text.split("\nscores:")[0] + "\nscores: {}\n" + "overrides:" + text.split("overrides:")[1], encoding="utf-8"
    )
    project = load_project(root)
    sales = blank_sheet(project, tmp_path, "m-sales")
    edit(
        sales,
        {
            cell("acme", "pipeline"): 4.5,
            cell("acme", "complaint"): "2,5",
            cell("borealis", "pipeline"): 0,
            cell("borealis", "pipeline", notes=True): "Froze twice.",
        },
    )
    it = blank_sheet(project, tmp_path, "m-it")
    edit(it, {cell("acme", "pipeline"): 3})
    result = import_scores([sales, it], project)
    assert result.scores == {
        "m-sales": {"acme": {"pipeline": 4.5, "complaint": 2.5}, "borealis": {"pipeline": 0.0}},
        "m-it": {"acme": {"pipeline": 3.0}},
    }
    assert len(result.added) == 4 and result.changed == ()
    assert result.no_sheet == ("m-service",)
    assert ("m-sales", "borealis", "complaint") in result.missing and len(result.missing) == 12 - 4
    reloaded = load_project(root).committee
    assert reloaded.scores["m-sales"]["acme"]["complaint"] == 2.5
    assert reloaded.notes == {"m-sales": {"borealis": {"pipeline": "Froze twice."}}}
    assert reloaded.overrides == project.committee.overrides  # the rest of the file is kept


def test_changing_existing_scores_needs_force(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    committee_file = project.root / "vendors" / "committee.yaml"
    before = committee_file.read_text(encoding="utf-8")
    path = export_scoresheet(project, "m-sales", tmp_path / "s.xlsx")
    edit(path, {cell("acme", "pipeline"): 2, cell("borealis", "complaint"): None})
    with pytest.raises(FileExistsErrorNoForce, match=r"m-sales/acme/pipeline: 4 -> 2.*--force"):
        import_scores([path], project)
    assert committee_file.read_text(encoding="utf-8") == before
    result = import_scores([path], project, force=True)
    assert result.changed == ((("m-sales", "acme", "pipeline"), 4.0, 2.0),)
    assert result.kept == (("m-sales", "borealis", "complaint"),)  # empty cell: the earlier score stays
    after = committee_file.read_text(encoding="utf-8")
    assert after.split("\nscores:")[0] == before.split("\nscores:")[0]
    assert after.split("\noverrides:")[1] == before.split("\noverrides:")[1]
    assert yaml.safe_load(after)["scores"]["m-sales"]["acme"]["pipeline"] == 2


def test_conflicting_sheets_of_one_member(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = blank_sheet(project, tmp_path, "m-it", "it_monday.xlsx")
    second = blank_sheet(project, tmp_path, "m-it", "it_friday.xlsx")
    edit(first, {cell("acme", "pipeline"): 4, cell("acme", "complaint"): 3})
    edit(second, {cell("acme", "pipeline"): 4, cell("acme", "complaint"): 5})
    with pytest.raises(InputError) as caught:
        import_scores([first, second], project)
    (issue,) = caught.value.issues
    assert issue.file == "it_friday.xlsx" and issue.field == "Scores!D7" and issue.code == "conflict"
    assert "it_monday.xlsx Scores!D7" in issue.message and issue.received == "5 here, 3 there"


def test_invalid_cells_in_all_files_reported_at_once(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sales = blank_sheet(project, tmp_path, "m-sales")
    edit(
        sales,
        {
            cell("acme", "pipeline"): 3.7,
            cell("acme", "complaint"): 6,
            cell("borealis", "pipeline"): "good",
            cell("borealis", "complaint"): "=4+1",
            (HEADER_ROW + 4, 2): "stray",
        },
    )
    it = blank_sheet(project, tmp_path, "m-it")
    edit(it, {(4, 4): "Acme", (HEADER_ROW, 5): "Remarks", (HEADER_ROW + 1, 9): "late idea"})
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(InputError) as caught:
        import_scores([sales, it, other], project)
    found = {(i.file, i.field, i.code) for i in caught.value.issues}
    assert found == {
        ("m-sales.xlsx", "Scores!D6", "invalid_score"),
        ("m-sales.xlsx", "Scores!D7", "invalid_score"),
        ("m-sales.xlsx", "Scores!F6", "invalid_score"),
        ("m-sales.xlsx", "Scores!F7", "formula"),
        ("m-sales.xlsx", "Scores!B9", "outside_table"),
        ("m-it.xlsx", "Scores!D4", "edited_header"),
        ("m-it.xlsx", "Scores!E5", "edited_header"),
        ("m-it.xlsx", "Scores!I6", "outside_table"),
        ("other.xlsx", "", "unreadable"),
    }
    invalid = next(i for i in caught.value.issues if i.field == "Scores!D6")
    assert invalid.allowed == "0 to 5 in half steps (0, 0.5, 1 ... 5)" and invalid.received == "3.7"


def test_not_a_score_sheet(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from crmselect.excel.questionnaire import export_questionnaire

    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    with pytest.raises(WorkbookError, match="not a crmselect score sheet"):
        read_scoresheet(path, project)


def test_cli_scoresheet_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = selection(tmp_path)
    out = tmp_path / "sheets"
    assert main(["scoresheet", str(root), "--out", str(out)]) == 0
    files = sorted(out.glob("*.xlsx"))
    assert [f.name for f in files] == ["scores_m-it.xlsx", "scores_m-sales.xlsx", "scores_m-service.xlsx"]
    assert main(["scoresheet", str(root), "--member", "m-it", "--out", str(files[0])]) == 2
    edit(files[0], {cell("acme", "pipeline"): 1})
    assert main(["import-scores", *map(str, files), str(root)]) == 2  # the old spelling: sheets first
    assert "write `crmselect import-scores DIR --from FILE.xlsx" in capsys.readouterr().err
    assert main(["import-scores", "--from", *map(str, files), "--dir", str(root)]) == 2
    assert "write `crmselect import-scores DIR --from" in capsys.readouterr().err
    assert main(["import-scores", str(root), "--from", *map(str, files)]) == 2
    assert "m-it/acme/pipeline: 4 -> 1" in capsys.readouterr().err
    assert main(["import-scores", str(root), "--from", *map(str, files), "--force"]) == 0
    assert "1 changed" in capsys.readouterr().out


@pytest.mark.libreoffice
def test_score_sheet_saved_by_libreoffice_reads_back_identically(tmp_path: Path) -> None:
    from lo import recalculated

    project = hostile_selection(tmp_path)
    path = export_scoresheet(project, "m-sales", tmp_path / "s.xlsx")
    (saved,) = recalculated([path], tmp_path / "lo")
    sheet = read_scoresheet(saved, project)
    committee = project.committee
    assert sheet.scores == {(v, s): x for v, by_s in committee.scores["m-sales"].items() for s, x in by_s.items()}
    assert sheet.notes == {(v, s): n for v, by_s in committee.notes["m-sales"].items() for s, n in by_s.items()}
