"""Chinese vendor and member ids and names round-trip through the questionnaire and the score sheets (issue 15),
and the CLI's tables line up with Chinese and Latin text mixed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from bidforms import NOVA_SAAS, fill_bid
from testdata import copy_minimal

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.excel.questionnaire import ANSWER, HEADER_ROW, SHEET
from crmselect.excel.scoresheet import SHEET as SCORES
from crmselect.excel.scoresheet import VENDOR_ROW
from crmselect.show.tables import display_width, to_text

VENDOR = "红帆医疗CRM"
VENDOR_ID = "红帆医疗crm"
ANSWERS = {"SAL-001": "S", "SAL-002": 1000, "SAL-003": "Yes", "SRV-001": "C", "SRV-002": 99.5, "SRV-003": 12}


def _answer(path: Path, answers: dict[str, object], comment: str = "") -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    for cid, value in answers.items():
        ws.cell(rows[cid], ANSWER).value = value
    if comment:
        ws.cell(rows["SAL-001"], ANSWER + 5).value = comment  # the Comment column
    wb.save(path)


def _with_chinese_vendor(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "红帆.xlsx"
    assert main(["questionnaire", str(root), "--vendor", VENDOR, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"[{VENDOR_ID}]" in printed and f"its id is {VENDOR_ID}" in printed  # the derived id is shown
    _answer(out, ANSWERS, comment="支持多阶段商机，销售漏斗可配置")
    fill_bid(out, {"Offer 1": NOVA_SAAS})  # no offer id typed: one is made from the vendor id
    assert main(["import-answers", str(root), "--from", str(out)]) == 0
    assert f"{VENDOR_ID}.yaml" in capsys.readouterr().out


def test_chinese_vendor_round_trips_through_the_questionnaire(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    _with_chinese_vendor(root, tmp_path, capsys)
    assert (root / "vendors" / f"{VENDOR_ID}.yaml").is_file()
    vendor = load_project(root).vendor(VENDOR_ID)
    assert vendor.name == VENDOR
    assert vendor.answers["SAL-001"].comment == "支持多阶段商机，销售漏斗可配置"
    assert [o.id for o in vendor.offers] == [f"{VENDOR_ID}-saas"]
    # exported again by its name, its answers come back filled in; importing changes nothing
    again = tmp_path / "again.xlsx"
    assert main(["questionnaire", str(root), "--vendor", VENDOR, "--out", str(again)]) == 0
    printed = capsys.readouterr().out
    assert f"[{VENDOR_ID}]" in printed and "its id is" not in printed  # a known vendor: nothing derived
    assert main(["import-answers", str(root), "--from", str(again), "--force"]) == 0
    assert "no change to" in capsys.readouterr().out


def test_a_name_of_chinese_letters_only_is_an_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    assert main(["questionnaire", str(root), "--vendor", "红帆医疗", "--out", str(tmp_path / "q.xlsx")]) == 0
    assert "[红帆医疗]" in capsys.readouterr().out


def test_a_name_too_long_for_an_id_is_shortened_and_the_user_told(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    name = "华东区域客户关系管理系统供应商" * 8
    assert main(["questionnaire", str(root), "--vendor", name, "--out", str(tmp_path / "q.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "shortened to 80 characters" in printed
    derived = printed.split("its id is ")[1].split(",")[0]
    assert len(derived) == 80 and f"[{derived}]" in printed


def test_no_letter_or_digit_is_refused_with_what_is_allowed(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    assert main(["questionnaire", str(root), "--vendor", "！？", "--out", str(tmp_path / "q.xlsx")]) == 2
    assert "红帆医疗" in capsys.readouterr().err  # the allowed text names a Chinese example


def _add_member(root: Path, member_id: str, name: str) -> None:
    path = root / "vendors" / "committee.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["members"].append({"id": member_id, "name": name, "role": "sales"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _score(path: Path, vendor_name: str, score: float, note: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(VENDOR_ROW, c).value == vendor_name)
    ws.cell(VENDOR_ROW + 2, column).value = score
    ws.cell(VENDOR_ROW + 2, column + 1).value = note
    wb.save(path)


def test_chinese_member_and_vendor_round_trip_through_the_score_sheets(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    _with_chinese_vendor(root, tmp_path, capsys)
    _add_member(root, "王丽", "王丽")
    sheet = tmp_path / "王丽.xlsx"
    assert main(["scoresheet", str(root), "--member", "王丽", "--out", str(sheet)]) == 0
    capsys.readouterr()
    _score(sheet, VENDOR, 4.5, "演示流畅，工单流转清楚")
    assert main(["import-scores", str(root), "--from", str(sheet)]) == 0
    assert "1 scores added" in capsys.readouterr().out
    committee = load_project(root).committee
    first = committee.scenario_ids[0]
    assert committee.scores["王丽"][VENDOR_ID][first] == 4.5
    assert committee.notes["王丽"][VENDOR_ID][first] == "演示流畅，工单流转清楚"
    # every member's sheet: the file names carry the Chinese id; a round trip changes nothing
    folder = tmp_path / "sheets"
    assert main(["scoresheet", str(root), "--out", str(folder)]) == 0
    assert "scores_王丽.xlsx" in capsys.readouterr().out
    files = sorted(folder.glob("*.xlsx"))
    assert main(["import-scores", str(root), "--from", *map(str, files)]) == 0
    assert "no change to" in capsys.readouterr().out


def test_a_member_named_in_chinese_is_found_by_name_in_either_normal_form(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    _add_member(root, "m-jose", "José 王")
    decomposed = unicodedata.normalize("NFD", "José 王")
    assert decomposed != "José 王"
    out = tmp_path / "jose.xlsx"
    assert main(["scoresheet", str(root), "--member", decomposed, "--out", str(out)]) == 0
    assert "jose.xlsx" in capsys.readouterr().out


def test_an_id_typed_decomposed_is_the_same_id(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    _add_member(root, unicodedata.normalize("NFD", "m-josé"), "José")
    assert "m-josé" in load_project(root).committee.member_ids  # stored NFC


# ---------------------------------------------------------------- tables
def _column_starts(line: str, cells: list[str]) -> list[int]:
    """The display column at which each cell's text begins in ``line``."""
    starts, position = [], 0
    for cell in cells:
        found = line.index(cell, position)
        starts.append(display_width(line[:found]))
        position = found + len(cell)
    return starts


def test_a_table_of_chinese_and_latin_text_lines_up() -> None:
    frame = pd.DataFrame(
        {"供应商名称": ["红帆医疗 CRM", "Acme Cloud", "云岚"], "部署": ["SaaS", "本地部署", "hosted"]},
        index=pd.Index(["红帆医疗crm", "acme", "云岚"], name="id"),
    )
    lines = to_text(frame).splitlines()
    rows = [["id", "供应商名称", "部署"], *[[i, *frame.loc[i]] for i in frame.index]]
    starts = [_column_starts(line, cells) for line, cells in zip(lines, rows, strict=True)]
    assert all(row == starts[0] for row in starts), "\n".join(lines)


def test_numbers_right_align_under_a_chinese_header() -> None:
    frame = pd.DataFrame({"总拥有成本": [1234567.0, 89.5], "排名": [1, 2]}, index=["红帆", "Acme"])
    lines = to_text(frame, formatters={"总拥有成本": "{:,.0f}".format}).splitlines()
    ends = {display_width(line) for line in lines}
    assert len(ends) == 1, "\n".join(lines)  # the last (numeric) column ends at one display column
    assert "1,234,567" in lines[1] and lines[2].split()[1] == "90"


def test_missing_values_and_float_format_follow_pandas() -> None:
    frame = pd.DataFrame({"a": [0.25, float("nan")], "b": ["x", None]})
    text = to_text(frame, float_format=lambda v: f"{v:.1%}", na_rep="无")
    assert "25.0%" in text and text.count("无") == 2
    assert to_text(pd.DataFrame({"v": [0.5, 1.25]})).splitlines()[1].endswith("0.50")
