"""Vendor questionnaires: export, answer, import; every problem reported with sheet and cell."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from excelcases import CHINESE, INJECTIONS, edit_yaml, hostile_selection, selection
from testdata import copy_example

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import WorkbookError
from crmselect.excel.questionnaire import ANSWER, AVAILABLE, COMMENT, EVIDENCE, HEADER_ROW, SHEET, export_questionnaire
from crmselect.excel.questionnaire_import import import_answers, read_answers
from crmselect.files.safe_write import FileExistsErrorNoForce
from crmselect.model.goals import Envelope


def rows_by_id(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_project(selection(tmp_path))


def test_round_trip_returns_identical_answers(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for vendor in project.vendors:
        path = export_questionnaire(project, vendor.id, tmp_path / f"{vendor.id}.xlsx")
        got = read_answers(path, project)
        assert got.vendor_id == vendor.id and got.vendor_name == vendor.name
        assert got.answers == dict(vendor.answers)
        assert list(got.answers) == [c for c in project.criterion_ids if c in vendor.answers]


def test_round_trip_of_hostile_and_chinese_text(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    got = read_answers(path, project)
    expected = {
        cid: a.replace(comment=a.comment.replace("\r", "\n")) for cid, a in project.vendor("acme").answers.items()
    }
    assert got.answers == expected
    assert got.answers["SAL-001"].evidence == CHINESE
    assert got.vendor_name == INJECTIONS[0]


def test_vendor_text_is_stored_as_text_with_quote_prefix(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET]
    comments = [ws.cell(r, COMMENT) for r in rows_by_id(ws).values() if ws.cell(r, COMMENT).value]
    assert len(comments) == 6
    for cell in comments:
        assert cell.data_type == "s"
        assert cell.quotePrefix, cell.value
    title = ws["A1"]
    assert title.data_type == "s" and "HYPERLINK" in title.value


def test_layout_protection_validation_and_metadata(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", SHEET, "Offer 1", "Offer 2", "Offer 3", "_crmselect"]  # the bid form
    assert wb["_crmselect"].sheet_state == "veryHidden"
    assert wb.security is not None and wb.security.lockStructure
    ws = wb[SHEET]
    assert ws.protection.sheet and ws.freeze_panes == "D5"
    rows = rows_by_id(ws)
    assert set(rows) == {"SAL-001", "SAL-002", "SAL-003", "SAL-005", "SRV-001", "SRV-002", "SRV-003"}
    bands = [ws.cell(r, 2).value for r in range(HEADER_ROW + 1, ws.max_row + 1) if not ws.cell(r, 1).value]
    assert bands == ["Sales", "Customer service"]  # grouped by category
    row = rows["SAL-001"]
    for column in range(1, ANSWER):
        assert ws.cell(row, column).protection.locked
    for column in (ANSWER, AVAILABLE, COMMENT, EVIDENCE):
        assert not ws.cell(row, column).protection.locked
    assert ws.cell(rows["SAL-001"], 6).value == "Yes" and ws.cell(rows["SAL-005"], 6).value is None  # required
    assert "records" in ws.cell(rows["SAL-002"], 5).value
    validations = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert f"G{rows['SAL-001']}" in validations['"S,C,R,T,X,F,N"']
    assert f"G{rows['SAL-003']}" in validations['"Yes,No"']
    assert any(f"G{rows['SRV-002']}" in ref for f, ref in validations.items() if f == "0")


def test_only_linked_and_envelope_filters(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx", only_linked=True)
    assert "SAL-005" not in rows_by_id(openpyxl.load_workbook(path)[SHEET])
    path = export_questionnaire(project, "acme", tmp_path / "p.xlsx", envelope=Envelope.price, force=True)
    assert rows_by_id(openpyxl.load_workbook(path)[SHEET]) == {}


def fill(path: Path, values: dict[str, dict[int, object]]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = rows_by_id(ws)
    for cid, cells in values.items():
        for column, value in cells.items():
            ws.cell(rows[cid], column).value = value
    wb.save(path)


def test_every_problem_is_reported_with_sheet_and_cell(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = rows_by_id(ws)
    r = rows.copy()
    ws.cell(r["SAL-001"], ANSWER).value = "Z"  # invalid code
    ws.cell(r["SAL-002"], ANSWER).value = -5  # number out of sense
    ws.cell(r["SAL-003"], ANSWER).value = "Maybe"  # not yes/no
    ws.cell(r["SRV-001"], AVAILABLE).value = None  # F without a date
    ws.cell(r["SRV-002"], ANSWER).value = "=99+1"  # a formula where a value belongs
    ws.cell(r["SRV-003"], ANSWER).value = None  # required answer missing
    ws.cell(r["SAL-005"], COMMENT).value = "see attachment"  # comment without answer (optional)
    ws.cell(r["SAL-005"], 3).value = "Territory magic"  # altered criterion name
    ws.cell(HEADER_ROW, ANSWER).value = "Reply"  # edited header
    last = ws.max_row
    ws.cell(last + 1, 1).value = "SAL-001"  # duplicate row
    ws.cell(last + 1, 3).value = "Sales forecast roll-up"
    ws.cell(last + 2, 1).value = "XYZ-999"  # unknown id
    ws.cell(last + 3, 14).value = "extra remarks"  # outside the table
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_answers(path, project)
    found = {(i.field, i.code) for i in caught.value.issues}
    g = "G"
    assert found == {
        (f"{SHEET}!{g}{r['SAL-001']}", "invalid_code"),
        (f"{SHEET}!{g}{r['SAL-002']}", "out_of_range"),
        (f"{SHEET}!{g}{r['SAL-003']}", "invalid_yes_no"),
        (f"{SHEET}!H{r['SRV-001']}", "missing_date"),
        (f"{SHEET}!{g}{r['SRV-002']}", "formula"),
        (f"{SHEET}!{g}{r['SRV-003']}", "missing_answer"),
        (f"{SHEET}!{g}{r['SAL-005']}", "comment_without_answer"),
        (f"{SHEET}!C{r['SAL-005']}", "altered_name"),
        (f"{SHEET}!G{HEADER_ROW}", "edited_header"),
        (f"{SHEET}!A{last + 1}", "duplicate_row"),
        (f"{SHEET}!A{last + 2}", "unknown_id"),
        (f"{SHEET}!N{last + 3}", "outside_table"),
    }
    by_code = {i.code: i for i in caught.value.issues}
    assert by_code["invalid_code"].allowed == "a compliance code: S, C, R, T, X, F, N"
    assert by_code["invalid_code"].received == "'Z'"
    assert by_code["formula"].received == "'=99+1'"
    assert str(by_code["duplicate_row"]).startswith("q.xlsx: Questionnaire!A")
    assert "12 problems in q.xlsx" in str(caught.value)


def test_deleted_row_and_text_number(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = rows_by_id(ws)
    ws.cell(rows["SRV-002"], ANSWER).value = "about 99"
    ws.delete_rows(rows["SAL-003"])
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_answers(path, project)
    codes = sorted(i.code for i in caught.value.issues)
    assert codes == ["missing_row", "not_a_number"]
    missing = next(i for i in caught.value.issues if i.code == "missing_row")
    assert "SAL-003" in missing.message and missing.field == SHEET


def test_lenient_but_exact_parsing(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx", prefill=False)
    fill(
        path,
        {
            "SAL-001": {ANSWER: " c "},
            "SAL-002": {ANSWER: "20000"},
            "SAL-003": {ANSWER: True},
            "SRV-001": {ANSWER: "F", AVAILABLE: "2027-03-31", COMMENT: CHINESE},
            "SRV-002": {ANSWER: 99.95},
            "SRV-003": {ANSWER: 24, EVIDENCE: "SLA annex p. 4"},
        },
    )
    got = read_answers(path, project).answers
    assert got["SAL-001"].code == "C" and got["SAL-002"].value == 20000.0 and got["SAL-003"].value is True
    assert got["SRV-001"].available == dt.date(2027, 3, 31) and got["SRV-001"].comment == CHINESE
    assert got["SRV-003"].evidence == "SLA annex p. 4"
    assert "SAL-005" not in got


def test_import_new_vendor_writes_yaml_and_never_overwrites(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = export_questionnaire(project, "Nova CRM 新星", tmp_path / "nova.xlsx")
    fill(
        path,
        {
            cid: {ANSWER: a}
            for cid, a in {
                "SAL-001": "S",
                "SAL-002": 1000,
                "SAL-003": "No",
                "SRV-001": "N",
                "SRV-002": 99.5,
                "SRV-003": 12,
            }.items()
        },
    )
    result = import_answers(path, project)
    assert result.created and result.vendor_id == "nova-crm-新星" and result.answers == 6  # Chinese kept (#15)
    data = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    assert data["name"] == "Nova CRM 新星" and data["offers"] == [] and data["answers"]["SAL-002"] == {"value": 1000}
    with pytest.raises(FileExistsErrorNoForce):
        import_answers(path, project)


def test_import_existing_vendor_needs_force_and_keeps_the_rest(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = project.root / "vendors" / "acme.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    with pytest.raises(FileExistsErrorNoForce, match="--force"):
        import_answers(path, project)
    assert target.read_text(encoding="utf-8") == before
    result = import_answers(path, project, force=True)
    assert not result.created and result.removed == () and result.kept == () and result.unchanged
    assert target.read_text(encoding="utf-8") == before  # nothing changed: the file is left as it was
    fill(path, {"SAL-002": {ANSWER: 25000}})
    result = import_answers(path, project, force=True)
    assert not result.unchanged
    after = target.read_text(encoding="utf-8")
    head = before.split("\nanswers:")[0]
    assert after.startswith(head)  # comments, offers, SLA and contract untouched
    reloaded = load_project(project.root).vendor("acme")
    assert reloaded.answers["SAL-002"].value == 25000
    assert reloaded.replace(answers={}) == project.vendor("acme").replace(answers={})
    fill(path, {"SAL-002": {ANSWER: 30000}, "SAL-003": {ANSWER: None}})  # SAL-003 blanked: it is required
    with pytest.raises(InputError, match="SAL-003 is required"):
        import_answers(path, project, force=True)


def test_answers_outside_the_questionnaire_are_kept_and_blanked_ones_listed(tmp_path: Path) -> None:
    project = load_project(selection(tmp_path))
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx", only_linked=True)
    fill(path, {"SRV-002": {ANSWER: 99.99}})
    result = import_answers(path, project, force=True)
    assert result.kept == ()  # acme answered only linked criteria
    reloaded = load_project(project.root)
    assert reloaded.vendor("acme").answers["SRV-002"].value == 99.99


def test_wrong_workbook_and_wrong_vendor(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(WorkbookError, match="not a crmselect questionnaire"):
        read_answers(other, project)
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    with pytest.raises(WorkbookError, match="questionnaire of 'acme'"):
        import_answers(path, project, vendor="borealis")


def test_cli_questionnaire_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = selection(tmp_path)
    out = tmp_path / "acme.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "acme", "--out", str(out)]) == 0
    assert main(["questionnaire", str(root), "--vendor", "acme", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["import-answers", str(out), str(root)]) == 2  # the old spelling: workbook first
    assert "write `crmselect import-answers DIR --from FILE.xlsx" in capsys.readouterr().err
    assert main(["import-answers", str(root), "--from", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["import-answers", str(root), "--from", str(out), "--force"]) == 0
    assert "acme.yaml" in capsys.readouterr().out
    fill(out, {"SAL-001": {ANSWER: "Q"}})
    assert main(["import-answers", str(root), "--from", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "Questionnaire!G" in err and "received: 'Q'" in err and "Traceback" not in err


@pytest.mark.libreoffice
def test_questionnaire_saved_by_libreoffice_reads_back_identically(tmp_path: Path) -> None:
    """A vendor who answers in LibreOffice Calc instead of Excel: its re-saved file imports the same."""
    from lo import recalculated

    project = hostile_selection(tmp_path)
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    (saved,) = recalculated([path], tmp_path / "lo")
    answers = project.vendor("acme").answers
    expected = {cid: a.replace(comment=a.comment.replace("\r", "\n")) for cid, a in answers.items()}
    assert read_answers(saved, project).answers == expected


# ---------------------------------------------------------------------------- one offer's questionnaire
def meta_rows(path: Path) -> dict[str, tuple[int, object]]:
    ws = openpyxl.load_workbook(path)["_crmselect"]
    return {ws.cell(r, 1).value: (r, ws.cell(r, 2).value) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def example_copy(tmp_path: Path) -> Path:
    """The shipped example's criteria/ and vendors/ (with Jadeport's two offers), copied to write into."""
    return copy_example(tmp_path / "example")


def test_offer_round_trip_writes_only_what_differs_into_the_offer(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = project.root / "vendors" / "borealis.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "borealis", tmp_path / "hosted.xlsx", offer="borealis-hosted")
    meta = meta_rows(path)
    assert meta["offer_id"][1] == "borealis-hosted" and meta["vendor_id"][1] == "borealis"
    ws = openpyxl.load_workbook(path)[SHEET]
    assert "hosted offer borealis-hosted" in ws["A1"].value
    assert read_answers(path, project).answers == project.bid("borealis-hosted").answers
    assert import_answers(path, project, force=True).unchanged  # nothing differs yet: the file is left alone
    assert target.read_text(encoding="utf-8") == before
    fill(path, {"SAL-002": {ANSWER: 8000, COMMENT: "The host adds 3,000 devices."},
                "SRV-003": {ANSWER: 24}, "SAL-005": {ANSWER: "C"}})
    with pytest.raises(FileExistsErrorNoForce, match="--force"):
        import_answers(path, project)
    result = import_answers(path, project, force=True)
    assert result.offer_id == "borealis-hosted" and result.overrides == 3 and not result.unchanged
    reloaded = load_project(project.root)
    sent = read_answers(path, reloaded).answers
    assert reloaded.bid("borealis-hosted").answers == sent  # the round trip
    assert set(reloaded.vendor("borealis").offer("borealis-hosted").answers) == {"SAL-002", "SAL-005", "SRV-003"}
    assert reloaded.vendor("borealis").answers == project.vendor("borealis").answers  # the vendor's own: untouched
    assert reloaded.bid("borealis-onprem").answers == project.bid("borealis-onprem").answers
    after = target.read_text(encoding="utf-8")
    changes = {tag for tag, *_ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()}
    assert changes == {"equal", "insert"}  # the rest of the file, comments included, is kept
    # exported again from the updated file, it reads back the same and imports as no change
    again = export_questionnaire(reloaded, "borealis", tmp_path / "again.xlsx", offer="borealis-hosted")
    assert read_answers(again, reloaded).answers == sent
    assert import_answers(again, reloaded, force=True).unchanged


def test_offer_round_trip_on_the_shipped_example(tmp_path: Path) -> None:
    project = load_project(example_copy(tmp_path))
    target = project.root / "vendors" / "jadeport.yaml"
    before = target.read_text(encoding="utf-8")
    onprem, saas = project.bid("jadeport-onprem"), project.bid("jadeport-saas")
    assert onprem.answers["COM-012"] != saas.answers["COM-012"]  # the offers differ where they really differ
    path = export_questionnaire(project, "Jadeport CRM", tmp_path / "onprem.xlsx", offer="jadeport-onprem")
    assert read_answers(path, project).answers == onprem.answers
    assert import_answers(path, project, force=True).unchanged
    fill(path, {"COM-006": {ANSWER: 60, COMMENT: "Extra licences at the contract price for five years."}})
    result = import_answers(path, project, force=True, vendor="jadeport", offer="jadeport-onprem")
    assert result.overrides == len(onprem.offer.answers) + 1
    reloaded = load_project(project.root)
    assert reloaded.bid("jadeport-onprem").answers == read_answers(path, reloaded).answers
    assert reloaded.bid("jadeport-onprem").answers["COM-006"].value == 60
    assert reloaded.bid("jadeport-saas").answers == saas.answers
    assert reloaded.vendor("jadeport").answers == project.vendor("jadeport").answers
    after = target.read_text(encoding="utf-8")
    head = before.split("  - id: jadeport-onprem")[0]
    assert after.startswith(head) and after.endswith(before[before.index("\nanswers:"):])
    assert "    answers:                               # where the on-premise offer differs" in after


def test_unknown_offer_is_reported_with_sheet_cell_allowed_and_received(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        export_questionnaire(project, "borealis", tmp_path / "x.xlsx", offer="borealis-cloud")
    (issue,) = caught.value.issues
    assert issue.code == "unknown_offer" and issue.received == "'borealis-cloud'"
    assert issue.allowed == "borealis-onprem, borealis-hosted"
    with pytest.raises(InputError, match="no offers yet"):
        export_questionnaire(project, "Nova CRM", tmp_path / "x.xlsx", offer="nova-saas")
    path = export_questionnaire(project, "borealis", tmp_path / "hosted.xlsx", offer="borealis-hosted")
    with pytest.raises(WorkbookError, match="questionnaire of offer 'borealis-hosted', not of offer 'borealis-onprem'"):
        import_answers(path, project, force=True, offer="borealis-onprem")

    def rename(data: dict[str, Any]) -> None:
        data["offers"][1]["id"] = "borealis-cloud"

    edit_yaml(project.root / "vendors" / "borealis.yaml", rename)
    renamed = load_project(project.root)
    before = (renamed.root / "vendors" / "borealis.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_answers(path, renamed, force=True)
    (issue,) = caught.value.issues
    row = meta_rows(path)["offer_id"][0]
    assert (issue.field, issue.code) == (f"_crmselect!B{row}", "unknown_offer")
    assert issue.allowed == "borealis-onprem, borealis-cloud" and issue.received == "'borealis-hosted'"
    assert str(issue).startswith("hosted.xlsx: _crmselect!B")
    assert (renamed.root / "vendors" / "borealis.yaml").read_text(encoding="utf-8") == before


def test_blank_offer_answers_fall_back_to_the_vendor_or_are_removed(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def vendor_answers_sal_005(data: dict[str, Any]) -> None:
        data["answers"]["SAL-005"] = {"code": "R"}

    edit_yaml(project.root / "vendors" / "acme.yaml", vendor_answers_sal_005)
    project = load_project(project.root)
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx", offer="acme-saas")
    fill(path, {"SAL-005": {ANSWER: "S"}})
    assert import_answers(path, project, force=True).overrides == 1
    project = load_project(project.root)
    assert project.bid("acme-saas").answers["SAL-005"].code == "S"
    fill(path, {"SAL-005": {ANSWER: None}})  # blank: the offer's own answer goes, the vendor's applies again
    result = import_answers(path, project, force=True)
    assert result.inherited == ("SAL-005",) and result.removed == () and result.overrides == 0
    project = load_project(project.root)
    assert project.bid("acme-saas").answers["SAL-005"].code == "R"
    assert "answers" not in yaml.safe_load((project.root / "vendors" / "acme.yaml").read_text())["offers"][0]


def test_vendor_level_questionnaire_is_unchanged_by_offer_answers(tmp_path: Path) -> None:
    project = load_project(example_copy(tmp_path))
    target = project.root / "vendors" / "jadeport.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "jadeport", tmp_path / "vendor.xlsx")
    meta = meta_rows(path)
    assert "offer_id" not in meta
    assert [k for k in meta if k != "criterion"] == ["kind", "version", "vendor_id", "vendor_name", "selection",
                                                     "exported_at", "language", "sheet", "bid_form", "bid_round",
                                                     "offer_sheet", "bid_row"]
    got = read_answers(path, project)
    assert got.offer_id is None and got.answers == dict(project.vendor("jadeport").answers)
    assert "OPS-005" not in got.answers  # an offer's own answer is not the vendor's
    assert openpyxl.load_workbook(path)[SHEET]["A1"].value == "CRM questionnaire: Jadeport CRM"
    result = import_answers(path, project, force=True)
    assert result.unchanged and result.offer_id is None and target.read_text(encoding="utf-8") == before
    fill(path, {"SFA-012": {ANSWER: "C"}})
    import_answers(path, project, force=True)
    reloaded = load_project(project.root)
    assert reloaded.vendor("jadeport").answers["SFA-012"].code == "C"
    for bid_id in ("jadeport-saas", "jadeport-onprem"):  # both offers see it; their own answers are kept
        assert reloaded.bid(bid_id).answers["SFA-012"].code == "C"
        assert reloaded.bid(bid_id).offer == project.bid(bid_id).offer


def test_cli_offer_questionnaire_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = selection(tmp_path)
    out = tmp_path / "hosted.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "borealis", "--offer", "nope", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--offer" in err and "allowed: borealis-onprem, borealis-hosted" in err and "received: 'nope'" in err
    assert main(["questionnaire", str(root), "--vendor", "borealis", "--offer", "borealis-hosted",
                 "--out", str(out)]) == 0
    assert "offer borealis-hosted" in capsys.readouterr().out
    fill(out, {"SRV-003": {ANSWER: 24}})
    assert main(["import-answers", str(root), "--from", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["import-answers", str(root), "--from", str(out), "--force"]) == 0
    printed = capsys.readouterr().out
    assert "updated the answers of offer borealis-hosted in" in printed and "holds the 1 that differ" in printed
    assert load_project(root).bid("borealis-hosted").answers["SRV-003"].value == 24
