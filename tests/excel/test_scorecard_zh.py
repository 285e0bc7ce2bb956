"""The scorecard workbook in zh-CN: every interface string Chinese, the same numbers as in English.

The shipped example is copied with ``locale: zh-CN`` and ``currency: CNY`` in selection.yaml, its prices
revealed, and written through the CLI (the selection's locale picks the language).  What may stay Latin:
acronyms (TCO, NPV, SLA ...), ids and numbers, and data from the selection's own files (vendor and goal
names, members, reasons, log entries), which are shown as written.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from excelcases import edit_yaml
from lo import recalculated
from testdata import copy_example, reveal_prices

from crmselect import Project, load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.excel.book import Expected
from crmselect.excel.scorecard import ScorecardExport, export_scorecard, read_weights
from crmselect.model.ids import SHEET_FORBIDDEN, SHEET_MAX

SHEETS_ZH = ("总览", "权重", "评分", "目标", "委员会评分", "总拥有成本 TCO", "SLA 服务水平", "合同条款", "谈判",
             "敏感性分析",
             "决策日志", "关于本工作簿")
# Latin words an interface string may keep: acronyms, product and tool names, units of code
ALLOWED = {
    "TCO", "NPV", "SLA", "ROI", "AHP", "SMAA", "CRM", "ID", "KPI", "RPO", "RTO", "UTC", "SHA", "SaaS", "IT",
    "US", "CN", "USD", "CNY", "crmselect", "openpyxl", "Python", "scorecard", "reveal", "prices", "se", "GB",
    "ERP", "API", "REST", "SSO", "MFA", "VPN", "CTI", "SOW", "POC", "OLAP", "MDM", "SOC", "Type", "II", "ISO",
    "GDPR", "PIPL", "LDAP", "Active", "Directory", "iPaaS", "Webhook", "Web", "SOAP", "Excel", "iOS", "Android",
    "What", "if", "BI", "SEO", "PDF", "CSV", "AI", "OS", "DBA", "true", "up", "HTTPS", "TLS", "AES", "Salesforce",
    "Microsoft", "CPI", "Zoho", "HubSpot", "Premium", "Dynamics", "sev", "MLPS",
}
ID = re.compile(r"\b[A-Z]{2,4}-?\d{3}\b|\b[0-9a-f]{16}\b")
WORD = re.compile(r"[A-Za-z]{2,}")
# the sheets written by excel.money_sheets.write_checks, whose texts belong to crmselect.checks
CHECK_SHEETS = ("SLA 服务水平", "合同条款")


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"}


def mismatches(expected: dict[tuple[str, str], Expected], path: Path) -> list[str]:
    """Every formula cell whose recalculated value differs from crmselect's (as in test_scorecard.py)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    bad = []
    for (sheet, cell), want in expected.items():
        got = wb[sheet][cell].value
        ok = (got or "") == want if isinstance(want, str) else (
            isinstance(got, int | float) and not isinstance(got, bool)
            and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9))
        if not ok:
            bad.append(f"{sheet}!{cell}: crmselect {want!r}, LibreOffice {got!r}")
    return bad


# ---------------------------------------------------------------------------- the workbooks
@pytest.fixture(scope="module")
def selection_zh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("zh") / "selection")
    edit_yaml(root / "selection.yaml", lambda d: d.update(locale="zh-CN", currency="CNY"))
    for vendor in sorted((root / "vendors").glob("*.yaml")):  # every amount in CNY, as a Chinese selection has it
        text = vendor.read_text(encoding="utf-8")
        vendor.write_text(re.sub(r"(?m)^(\s*currency:\s*)USD\b", r"\1CNY", text), encoding="utf-8")
    return reveal_prices(root)


@pytest.fixture(scope="module")
def books(selection_zh: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The zh-CN workbook through the CLI (selection locale) and API, and the English one of the same selection."""
    out = tmp_path_factory.mktemp("books")
    assert main(["scorecard", str(selection_zh), "--out", str(out / "cli.xlsx")]) == 0
    project = load_project(selection_zh)
    zh = export_scorecard(project, out / "zh.xlsx", lang="zh-CN")
    en = export_scorecard(project, out / "en.xlsx", lang="en")
    return {"project": project, "zh": zh, "en": en, "cli": out / "cli.xlsx"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def data_texts(project: Project) -> list[str]:
    """Text from the selection's own files (not the catalogue), longest first: shown as written."""
    root = project.root
    files = [root / "selection.yaml", root / "criteria" / "goals.yaml", *sorted((root / "vendors").glob("*.yaml"))]
    texts = {text for path in files for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))}
    card = evaluate(project).scorecard
    texts |= set(card.labels) | {str(root)} | {str(p.relative_to(root)) for p in project.sources}
    for line in (root / "decision_log.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        texts |= set(_strings(entry))
        texts.add(json.dumps(entry.get("what", {}), ensure_ascii=False, sort_keys=True))
    return sorted((t for t in texts if len(t) >= 4), key=len, reverse=True)


def english_left(text: str, data: list[str]) -> list[str]:
    """The Latin words of ``text`` that are neither data, ids, nor allowed acronyms (a `command` is code)."""
    text = re.sub(r"`[^`]*`", " ", text)
    for item in data:
        if item in text:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(item)}(?![A-Za-z])", " ", text)
    text = ID.sub(" ", text)
    return [word for word in WORD.findall(text) if word not in ALLOWED]


def texts_of(path: Path, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """(where, text) for every text cell, chart title and axis title of every sheet, and the sheet names."""
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        yield "sheet name", ws.title
        if ws.title in skip:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "f":
                    yield f"{ws.title}!{cell.coordinate}", cell.value
        for chart in ws._charts:
            for part, title in (("title", chart.title), ("x axis", chart.x_axis.title), ("y axis", chart.y_axis.title)):
                if title is not None:
                    runs = [r.t for p in title.tx.rich.p for r in (p.r or [])]
                    yield f"{ws.title} chart {part}", "".join(runs)


# ---------------------------------------------------------------------------- language
def test_sheet_names_are_chinese_and_valid_excel_names(books: dict[str, Any]) -> None:
    for export in (books["zh"], books["cli"]):
        path = export.path if isinstance(export, ScorecardExport) else export
        names = tuple(openpyxl.load_workbook(path).sheetnames)
        assert names == SHEETS_ZH
        for name in names:
            assert len(name.encode("utf-16-le")) // 2 <= SHEET_MAX and not set(name) & set(SHEET_FORBIDDEN)
    assert books["zh"].sheets == SHEETS_ZH and books["en"].sheets[:3] == ("Summary", "Weights", "Scores")


def test_no_english_interface_strings(books: dict[str, Any]) -> None:
    data = data_texts(books["project"])
    found = [f"{where}: {text[:100]!r} -> {words}" for where, text in texts_of(books["cli"], skip=CHECK_SHEETS)
             if (words := english_left(text, data))]
    assert found == []


def test_check_sheets_speak_chinese(books: dict[str, Any]) -> None:
    data = data_texts(books["project"])
    wb_texts = [(where, text) for where, text in texts_of(books["cli"]) if where.startswith(CHECK_SHEETS)]
    assert wb_texts and [where for where, text in wb_texts if english_left(text, data)] == []


def test_the_detector_finds_english(books: dict[str, Any]) -> None:
    """The English workbook of the same selection is full of what the test above must catch."""
    data = data_texts(books["project"])
    found = {text for _, text in texts_of(books["en"].path) if english_left(text, data)}
    assert {"Weights", "Total cost of ownership per offer", "First place at these weights"} <= found


def test_catalogue_text_and_words_in_chinese(books: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(books["cli"])
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"联系人完整档案", "客户层级（集团客户）", "合格", "本地部署", "订阅费", "合计", "符合度"} <= texts
    assert "淘汰：COM-011" in texts  # a knocked-out bid's status
    summary = wb["总览"]
    assert summary["A1"].value.startswith("CRM 选型评分卡")


def test_money_shows_the_currency_and_cells_stay_numbers(books: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(books["cli"])
    tco, summary = wb["总拥有成本 TCO"], wb["总览"]
    assert tco["B4"].value == pytest.approx(0.1) and tco["B4"].number_format == "0.0%"
    assert "¥" in tco["E8"].number_format and "US$" not in tco["E8"].number_format
    assert "¥" in summary["G6"].number_format and "¥" in tco["B27"].number_format
    assert isinstance(tco["B27"].value, float)  # a cost line's amount: a number, formatted by Excel
    english = openpyxl.load_workbook(books["en"].path)
    assert english["TCO"]["E8"].number_format == '"CN¥"#,##0;-"CN¥"#,##0'  # English: CLDR's CN¥, never ambiguous


def test_formulas_name_the_chinese_sheets_quoted(books: dict[str, Any]) -> None:
    formulas = formula_cells(books["zh"].path)
    assert set(formulas) == set(books["zh"].expected)
    assert formulas[("评分", "C5")] == "='权重'!$D$5"
    assert formulas[("总览", "G6")].startswith("=CHOOSE($") and ",'总拥有成本 TCO'!$E$" in formulas[("总览", "G6")]
    assert ",'SLA 服务水平'!$F$" in formulas[("总览", "I6")]
    assert not any("Weights!" in f or "Scores!" in f or "TCO!" in f for f in formulas.values())
    wb = openpyxl.load_workbook(books["zh"].path)
    destinations = {name: list(wb.defined_names[name].destinations) for name in ("GoalPoints", "Totals",
                                                                                   "DiscountRate")}
    assert destinations == {"GoalPoints": [("权重", "$C$5:$C$11")], "Totals": [("评分", "$D$12:$I$12")],
                            "DiscountRate": [("总拥有成本 TCO", "$B$4")]}


def test_same_numbers_as_english(books: dict[str, Any]) -> None:
    zh, en = books["zh"], books["en"]
    by_index = dict(zip(zh.sheets, en.sheets, strict=True))
    numbers = {(by_index[sheet], cell): value for (sheet, cell), value in zh.expected.items()
               if isinstance(value, float)}
    assert numbers == {key: value for key, value in en.expected.items() if isinstance(value, float)}


def test_read_weights_from_a_chinese_workbook(books: dict[str, Any]) -> None:
    project = books["project"]
    assert read_weights(books["zh"].path, project) == {g.id: g.weight for g in project.selection.goals}


def test_lang_overrides_the_selection_locale(selection_zh: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "english.xlsx"
    assert main(["--lang", "en", "scorecard", str(selection_zh), "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Summary", "Weights"]
    assert "Summary, Weights" in capsys.readouterr().out


# ---------------------------------------------------------------------------- LibreOffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_chinese_workbook_like_the_english_one(
    books: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    zh, en = books["zh"], books["en"]
    zh_done, en_done = recalculated([zh.path, en.path], tmp_path_factory.mktemp("lo-zh"))
    assert mismatches(zh.expected, zh_done) == []
    assert mismatches(en.expected, en_done) == []
    zh_book = openpyxl.load_workbook(zh_done, data_only=True)
    en_book = openpyxl.load_workbook(en_done, data_only=True)
    for (sheet, cell), value in zh.expected.items():
        if isinstance(value, float):
            english = en_book[en.sheets[zh.sheets.index(sheet)]][cell].value
            assert math.isclose(zh_book[sheet][cell].value, english, rel_tol=1e-9, abs_tol=1e-9), (sheet, cell)
    assert zh_book["总览"]["C3"].value == en_book["Summary"]["C3"].value  # the winner's name is data
