"""Safety of the Excel layer: formula injection on write; zip bombs, XML bombs, macros and limits on read."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from excelcases import CHINESE, INJECTIONS, hostile_selection, selection
from lo import shown

from crmselect import load_project
from crmselect.errors import WorkbookError
from crmselect.excel.questionnaire import SHEET, export_questionnaire
from crmselect.excel.questionnaire_import import read_answers
from crmselect.excel.safe import Limits, check_archive, open_untrusted, put_formula, put_text, put_value
from crmselect.excel.scoresheet import export_scoresheets

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""
EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""


def rewrite(source: Path, target: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """A copy of an xlsx with some parts replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture
def questionnaire(tmp_path: Path) -> tuple[Path, object]:
    project = load_project(selection(tmp_path))
    return export_questionnaire(project, "acme", tmp_path / "q.xlsx"), project


# ---------------------------------------------------------------------------- writing
def test_put_text_never_writes_a_formula(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    texts = [*INJECTIONS, "=2+3", "Acme =2+3", CHINESE, "plain"]
    for row, text in enumerate(texts, start=1):
        put_text(ws, row, 1, text)
    put_formula(ws, 1, 2, "=SUM(1,2)")
    put_value(ws, 2, 2, 3.5)
    with pytest.raises(ValueError, match="starts with '='"):
        put_formula(ws, 3, 2, "SUM(1)")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    for row, text in enumerate(texts, start=1):
        stored = ws.cell(row, 1)
        assert stored.data_type == "s", text
        assert stored.value == text.replace("\r", "\n")
        assert bool(stored.quotePrefix) == (text[0] in "=+-@\t\r\n")
    assert ws["B1"].data_type == "f" and ws["B2"].value == 3.5


def test_control_characters_and_overlong_text() -> None:
    ws = openpyxl.Workbook().active
    assert ws is not None
    assert put_text(ws, 1, 1, "a\x01b").value == "a\ufffdb"
    assert put_text(ws, 2, 1, "\x00=1").quotePrefix
    with pytest.raises(WorkbookError, match="does not fit in one cell"):
        put_text(ws, 3, 1, "x" * 40_000)


@pytest.mark.libreoffice
def test_libreoffice_shows_vendor_and_member_text_as_text(tmp_path: Path) -> None:
    project = hostile_selection(tmp_path)
    questionnaire = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    sheets = shown(questionnaire, tmp_path / "lo-q")
    cells = {text for row in sheets[SHEET] for text in row}
    for text in INJECTIONS:
        assert text.replace("\r", "\n") in cells, text
    assert "click" not in cells and CHINESE in cells
    assert sheets[SHEET][0][0] == f"CRM questionnaire: {INJECTIONS[0]}"
    (sales, *_) = [p for p in export_scoresheets(project, tmp_path / "sheets") if "m-sales" in p.name]
    notes = {text for row in shown(sales, tmp_path / "lo-s")["Scores"] for text in row}
    assert INJECTIONS[0] in notes and CHINESE in notes


# ---------------------------------------------------------------------------- reading
def test_zip_bomb_is_refused(tmp_path: Path, questionnaire: tuple[Path, object]) -> None:
    path, project = questionnaire
    bomb = rewrite(path, tmp_path / "bomb.xlsx", {"xl/worksheets/sheet2.xml": b"<a>" + b" " * 60 * 2**20 + b"</a>"})
    assert bomb.stat().st_size < 2**20
    with pytest.raises(WorkbookError, match=r"compresses [\d,]+ to 1.*possible zip bomb"):
        read_answers(bomb, project)  # type: ignore[arg-type]


def test_declared_size_and_member_limits(tmp_path: Path, questionnaire: tuple[Path, object]) -> None:
    path, _ = questionnaire
    with pytest.raises(WorkbookError, match="would unpack to"):
        check_archive(path, Limits(max_uncompressed_bytes=10_000))
    with pytest.raises(WorkbookError, match="parts; at most 3"):
        check_archive(path, Limits(max_members=3))


def test_workbook_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(21 * 2**20))
    with pytest.raises(WorkbookError, match=r"big.xlsx: the file is [\d,]+ bytes; at most 20,971,520"):
        check_archive(big)


@pytest.mark.parametrize(
    ("part", "payload"),
    [
        ("xl/worksheets/sheet2.xml", BILLION_LAUGHS),
        ("xl/worksheets/sheet3.xml", BILLION_LAUGHS),
        ("xl/worksheets/sheet2.xml", EXTERNAL_ENTITY),
        ("xl/workbook.xml", BILLION_LAUGHS),
    ],
)
def test_xml_entity_attacks_are_refused(
    tmp_path: Path, questionnaire: tuple[Path, object], part: str, payload: str
) -> None:
    path, project = questionnaire
    with zipfile.ZipFile(path) as archive:
        assert part in archive.namelist()
    evil = rewrite(path, tmp_path / "evil.xlsx", {part: payload.encode()})
    with pytest.raises(WorkbookError, match="billion-laughs or external-entity attack"):
        read_answers(evil, project)  # type: ignore[arg-type]


def test_macros_are_refused(tmp_path: Path, questionnaire: tuple[Path, object]) -> None:
    path, project = questionnaire
    evil = rewrite(path, tmp_path / "macro.xlsx", {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 100})
    with pytest.raises(WorkbookError, match=r"contains macros.*never runs them"):
        read_answers(evil, project)  # type: ignore[arg-type]


def test_not_a_workbook_and_damaged_workbook(tmp_path: Path, questionnaire: tuple[Path, object]) -> None:
    path, project = questionnaire
    text = tmp_path / "answers.xlsx"
    text.write_text("ID;Answer\nSAL-001;S\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"not an \.xlsx workbook"):
        read_answers(text, project)  # type: ignore[arg-type]
    broken = rewrite(path, tmp_path / "broken.xlsx", {"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row"})
    with pytest.raises(WorkbookError, match=r"broken\.xlsx: cannot be read as a workbook"):
        read_answers(broken, project)  # type: ignore[arg-type]


def test_reading_requires_defusedxml(monkeypatch: pytest.MonkeyPatch, questionnaire: tuple[Path, object]) -> None:
    from openpyxl import xml as openpyxl_xml

    path, _ = questionnaire
    assert openpyxl_xml.DEFUSEDXML
    monkeypatch.setattr(openpyxl_xml, "DEFUSEDXML", False)
    with pytest.raises(WorkbookError, match="not using defusedxml"), open_untrusted(path):
        pass


def test_row_limit(questionnaire: tuple[Path, object]) -> None:
    path, project = questionnaire
    with pytest.raises(WorkbookError, match="more than 5 rows"):
        read_answers(path, project, Limits(max_rows=5))  # type: ignore[arg-type]


def test_formula_with_a_fake_cached_value_is_rejected(tmp_path: Path, questionnaire: tuple[Path, object]) -> None:
    """The cached value is the file author's choice: a formula is refused, never its cached result used."""
    path, project = questionnaire
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "SRV-002")
    assert f'r="G{row}"' in sheet
    start = sheet.index(f'<c r="G{row}"')
    end = sheet.index("</c>", start) + 4
    forged = sheet[:start] + f'<c r="G{row}"><f>1+1</f><v>99.99</v></c>' + sheet[end:]
    evil = rewrite(path, tmp_path / "cached.xlsx", {"xl/worksheets/sheet2.xml": forged.encode()})
    with pytest.raises(Exception) as caught:
        read_answers(evil, project)  # type: ignore[arg-type]
    (issue,) = caught.value.issues  # type: ignore[attr-defined]
    assert issue.field == f"{SHEET}!G{row}" and issue.code == "formula" and issue.received == "'=1+1'"
