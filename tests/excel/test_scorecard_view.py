"""What a steering committee sees in the scorecard workbook (issue 17): protected sheets with yellow inputs,
columns that fit, the Summary in rank order with numeric ranks, knocked-out bids greyed and left out of the
charts, currency on money, cached results for readers that do not calculate, charts that keep their shape.
"""

from __future__ import annotations

import math
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from excelcases import edit_yaml
from lo import recalculated
from testdata import copy_example, replace_in, reveal_prices

from crmselect import Project, load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.excel.cached import store_results
from crmselect.excel.scorecard import ScorecardExport, export_scorecard, read_weights
from crmselect.excel.scorecard_words import is_money_format
from crmselect.excel.style import FIT_MAX, INPUT_FILL, OUT_FILL, OUT_FONT, shown_number

SUMMARY_HEAD = 5


def width_of(text: str) -> int:
    """Spreadsheet columns ``text`` needs, counted here on its own: East-Asian wide and full-width take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_width(ws: Any, letter: str) -> float:
    return float(ws.column_dimensions[letter].width) if letter in ws.column_dimensions else 8.43


def is_yellow(cell: Any) -> bool:
    return cell.fill is not None and cell.fill.fill_type == "solid" and str(cell.fill.start_color.rgb).endswith(
        INPUT_FILL)


def is_greyed(cell: Any) -> bool:
    colour = cell.font.color.rgb if cell.font is not None and cell.font.color is not None else ""
    return str(cell.fill.start_color.rgb).endswith(OUT_FILL) and str(colour).endswith(OUT_FONT)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ScorecardExport]:
    root = tmp_path_factory.mktemp("view")
    project = load_project(reveal_prices(copy_example(root / "selection")))
    return project, export_scorecard(project, root / "example.xlsx")


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ScorecardExport]:
    """The example in zh-CN and CNY, with Chinese goal and member names."""
    root = copy_example(tmp_path_factory.mktemp("view-zh") / "selection")
    edit_yaml(root / "selection.yaml", lambda d: d.update(locale="zh-CN", currency="CNY"))
    for vendor in sorted((root / "vendors").glob("*.yaml")):
        text = vendor.read_text(encoding="utf-8")
        vendor.write_text(re.sub(r"(?m)^(\s*currency:\s*)USD\b", r"\1CNY", text), encoding="utf-8")

    def goals(data: Any) -> None:
        data["goals"][0]["name"] = "提高销售预测的准确性，让管理层按季度掌握真实的销售管道"

    edit_yaml(root / "criteria" / "goals.yaml", goals)
    reveal_prices(root)
    project = load_project(root)
    return project, export_scorecard(project, root.parent / "zh.xlsx", lang="zh-CN")


def books(*exports: tuple[Project, ScorecardExport]) -> list[tuple[Project, ScorecardExport, Any]]:
    return [(project, export, openpyxl.load_workbook(export.path)) for project, export in exports]


# ---------------------------------------------------------------------------- protection
@pytest.mark.parametrize("which", ["example", "chinese"])
def test_every_sheet_is_protected_and_only_the_yellow_inputs_are_open(which: str,
                                                                       request: pytest.FixtureRequest) -> None:
    _, export = request.getfixturevalue(which)
    wb = openpyxl.load_workbook(export.path)
    yellow_seen = 0
    for ws in wb.worksheets:
        assert ws.protection.sheet, f"{ws.title} is not protected"
        for row in ws.iter_rows():
            for cell in row:
                unlocked = cell.protection is not None and not cell.protection.locked
                assert unlocked == is_yellow(cell), f"{ws.title}!{cell.coordinate}: unlocked {unlocked}"
                yellow_seen += is_yellow(cell)
    weights = wb.worksheets[1]
    assert "yellow" in str(weights["A2"].value) or "黄色" in str(weights["A2"].value)
    assert yellow_seen >= 2  # the goal points and the discount rate


def test_edited_inputs_of_the_protected_workbook_read_back(example: tuple[Project, ScorecardExport],
                                                          tmp_path: Path) -> None:
    project, export = example
    wb = openpyxl.load_workbook(export.path)
    ws = wb["Weights"]
    first_goal = ws["A5"].value
    ws["C5"] = 55
    wb.save(tmp_path / "edited.xlsx")
    weights = read_weights(tmp_path / "edited.xlsx", project)
    assert weights[first_goal] == 55.0
    assert {g: w for g, w in weights.items() if g != first_goal} == {
        g.id: g.weight for g in project.selection.goals if g.id != first_goal}


# ---------------------------------------------------------------------------- widths
def text_shown(cell: Any, expected: dict[str, Any]) -> str:
    value = expected.get(cell.coordinate) if cell.data_type == "f" else cell.value
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return shown_number(float(value), cell.number_format) if math.isfinite(value) else ""
    return str(value)


@pytest.mark.parametrize("which", ["example", "chinese"])
def test_columns_fit_their_content(which: str, request: pytest.FixtureRequest) -> None:
    """Text that cannot spill into the next cell (a number, a wrapped cell, text beside a filled cell) fits its
    column, up to the cap, where it wraps; a CJK character counts two."""
    _, export = request.getfixturevalue(which)
    wb = openpyxl.load_workbook(export.path)
    too_narrow = []
    for ws in wb.worksheets:
        expected = {cell: value for (sheet, cell), value in export.expected.items() if sheet == ws.title}
        for row in ws.iter_rows():
            for cell in row:
                text = text_shown(cell, expected)
                if not text:
                    continue
                width = column_width(ws, cell.column_letter)
                lines = text.split("\n")
                if cell.alignment.wrap_text:
                    needed = max(width_of(word) for line in lines for word in line.split() or [""])
                else:
                    right = ws.cell(cell.row, cell.column + 1).value
                    if isinstance(expected.get(cell.coordinate, cell.value), str) and right is None:
                        continue  # spills into the empty cell beside it
                    needed = max(width_of(line) for line in lines)
                if needed > width and width < FIT_MAX:
                    too_narrow.append(f"{ws.title}!{cell.coordinate} {text[:30]!r}: needs {needed}, has {width}")
    assert too_narrow == []


def test_the_truncations_seen_are_gone(example: tuple[Project, ScorecardExport],
                                       chinese: tuple[Project, ScorecardExport]) -> None:
    wb = openpyxl.load_workbook(example[1].path)
    assert column_width(wb["Weights"], "A") >= len("forecast_accuracy")
    members = {m.name for m in example[0].committee.members}
    assert "Wang Fang (王芳)" in members
    committee = wb["Committee"]
    (name_cell,) = [c for row in committee.iter_rows() for c in row if c.value == "Wang Fang (王芳)"]
    assert column_width(committee, name_cell.column_letter) >= width_of("Wang Fang (王芳)") == 16
    zh = openpyxl.load_workbook(chinese[1].path)
    goals = zh.worksheets[3]
    long_name = chinese[0].selection.goals[0].name
    (cell,) = [c for row in goals.iter_rows(max_row=12) for c in row if c.value == long_name]
    assert column_width(goals, cell.column_letter) >= min(width_of(long_name), FIT_MAX) or cell.alignment.wrap_text


def test_shown_number_and_widths_by_hand() -> None:
    assert shown_number(2651198.4, '"$"#,##0;-"$"#,##0') == "$2,651,198"
    assert shown_number(-1234.5, '"¥"#,##0;-"¥"#,##0') == "-¥1,234"  # half to even on .5 -> 1,234
    assert shown_number(0.1234, "0.0%") == "12.3%"
    assert shown_number(0.8907, "0.000") == "0.891"
    assert width_of("王芳") == 4 and width_of("Wang") == 4


# ---------------------------------------------------------------------------- the Summary
def summary_rows(project: Project) -> tuple[list[int], Any]:
    card = evaluate(project).scorecard
    keyed = sorted(range(len(card.bid_ids)), key=lambda b: (card.ranks[b] if card.eligible[b] else math.inf, b))
    return keyed, card


def test_summary_is_in_rank_order_with_numeric_ranks(example: tuple[Project, ScorecardExport]) -> None:
    project, export = example
    order, card = summary_rows(project)
    wb = openpyxl.load_workbook(export.path, data_only=True)  # the cached results crmselect stored
    ws = wb["Summary"]
    header = [c.value for c in ws[SUMMARY_HEAD]]
    rank_col, tie_col = header.index("Rank") + 1, header.index("Tie") + 1
    shown = [ws.cell(SUMMARY_HEAD + 1 + k, 1).value for k in range(len(order))]
    assert shown == [card.labels[b] for b in order]
    ranks = [ws.cell(SUMMARY_HEAD + 1 + k, rank_col).value for k in range(len(order))]
    eligible = int(card.eligible.sum())
    assert all(isinstance(r, int | float) and not isinstance(r, bool) for r in ranks[:eligible])
    assert ranks[:eligible] == sorted(ranks[:eligible]) and ranks[0] == 1
    assert [r in (None, "") for r in ranks] == [not card.eligible[b] for b in order]
    assert ranks[:eligible] == [card.ranks[b] for b in order[:eligible]]
    ties = [ws.cell(SUMMARY_HEAD + 1 + k, tie_col).value for k in range(len(order))]
    assert ties == [("tied" if card.eligible[b] and np.sum(card.ranks == card.ranks[b]) > 1 else None)
                    for b in order]
    assert eligible < len(order), "the example should knock a bid out"


def test_tied_bids_share_a_rank_and_say_so(tmp_path: Path) -> None:
    """With only sales forecasting counting, Jadeport's two offers score alike: one numeric rank, 'tied' twice."""
    root = reveal_prices(copy_example(tmp_path / "selection"))

    def forecast_only(data: Any) -> None:
        for goal in data["goals"]:
            goal["weight"] = 100 if goal["id"] == "forecast_accuracy" else 0

    edit_yaml(root / "criteria" / "goals.yaml", forecast_only)
    project = load_project(root)
    card = evaluate(project).scorecard
    export = export_scorecard(project, tmp_path / "tie.xlsx")
    ws = openpyxl.load_workbook(export.path, data_only=True)["Summary"]
    header = [c.value for c in ws[SUMMARY_HEAD]]
    rows = [[c.value for c in ws[SUMMARY_HEAD + 1 + k]] for k in range(len(card.bid_ids))]
    tied = [r for r in rows if r[header.index("Tie")] == "tied"]
    assert sorted(r[0] for r in tied) == ["Jadeport CRM (SaaS)", "Jadeport CRM (on-premise)"]
    assert len({r[header.index("Rank")] for r in tied}) == 1 and isinstance(tied[0][header.index("Rank")], int)
    ranks = [r[header.index("Rank")] for r in rows if r[header.index("Rank")] is not None]
    assert ranks == sorted(ranks) and ranks == [int(card.ranks[b]) for b in summary_rows(project)[0]
                                                if card.eligible[b]]


def test_knocked_out_bids_are_grey_last_and_out_of_every_chart(example: tuple[Project, ScorecardExport]) -> None:
    project, export = example
    order, card = summary_rows(project)
    out_labels = {card.labels[b] for b in range(len(card.bid_ids)) if not card.eligible[b]}
    assert out_labels
    wb = openpyxl.load_workbook(export.path)
    values = openpyxl.load_workbook(export.path, data_only=True)
    summary = wb["Summary"]
    for k, b in enumerate(order):
        row = SUMMARY_HEAD + 1 + k
        assert all(is_greyed(summary.cell(row, c)) for c in (1, 3, 4)) == (not card.eligible[b]), card.labels[b]
    tco = wb["TCO"]
    for row in range(8, 8 + len(card.bid_ids)):
        label = tco.cell(row, 1).value
        assert is_greyed(tco.cell(row, 1)) == (label in out_labels), label
    charts = [(ws, chart) for ws in wb.worksheets for chart in ws._charts]
    assert len(charts) >= 3
    for ws, chart in charts:
        for series in chart.series:
            refs = [series.val.numRef.f]
            if series.cat is not None:
                refs.append((series.cat.numRef or series.cat.strRef).f)
            if series.tx is not None and series.tx.strRef is not None:
                refs.append(series.tx.strRef.f)
            for ref in refs:
                sheet, _, area = ref.rpartition("!")
                cells = values[sheet.strip("'")][area.replace("$", "")]
                texts = {c.value for line in (cells if isinstance(cells, tuple) else ((cells,),)) for c in
                         (line if isinstance(line, tuple) else (line,))}
                assert not texts & out_labels, f"{ws.title} chart {chart.title}: {ref} shows {texts & out_labels}"


# ---------------------------------------------------------------------------- money
@pytest.mark.parametrize(("which", "symbol"), [("example", "$"), ("chinese", "¥")])
def test_every_money_cell_has_a_currency_format(which: str, symbol: str, request: pytest.FixtureRequest) -> None:
    project, export = request.getfixturevalue(which)
    wb = openpyxl.load_workbook(export.path)
    summary, goals, tco = wb.worksheets[0], wb.worksheets[3], wb.worksheets[5]
    money: list[Any] = []
    header = [c.value for c in summary[SUMMARY_HEAD]]
    for title in ("NPV", "Cost per user-year", "净现值 (NPV)", "每用户每年成本"):
        if title in header:
            money += [summary.cell(SUMMARY_HEAD + 1 + k, header.index(title) + 1)
                      for k in range(len(project.bids))]
    assert len(money) == 2 * len(project.bids)
    for row in goals.iter_rows():  # the KPI table's money columns, found by their headers
        for cell in row:
            if cell.value in ("Value of one unit", "Yearly benefit at target", "单位价值", "达标后的年收益"):
                money += [goals.cell(r, cell.column) for r in range(cell.row + 1, goals.max_row + 1)
                          if isinstance(goals.cell(r, cell.column).value, int | float | str)
                          and goals.cell(r, 1).value]
    rate, horizon = tco["B4"], tco["B5"]
    go_live = {tco.cell(r, 7).coordinate for r in range(8, 8 + len(project.bids))}
    for row in tco.iter_rows(min_row=8):
        for cell in row:
            if cell.column == 1 or cell.coordinate in go_live or cell is rate or cell is horizon:
                continue
            numeric = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            if numeric or cell.data_type == "f":
                money.append(cell)
    assert len(money) > 100
    bad = [f"{c.parent.title}!{c.coordinate}: {c.number_format}" for c in money
           if not (is_money_format(c.number_format) and symbol in c.number_format)]
    assert bad == []
    assert not is_money_format("#,##0") and not is_money_format("0.0%")


# ---------------------------------------------------------------------------- cached results and recalculation
def test_readers_that_do_not_calculate_see_crmselects_numbers(example: tuple[Project, ScorecardExport]) -> None:
    _, export = example
    wb = openpyxl.load_workbook(export.path, data_only=True)
    missing = []
    for (sheet, cell), want in export.expected.items():
        got = wb[sheet][cell].value
        ok = (got or "") == want if isinstance(want, str) else (
            isinstance(got, int | float) and math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12))
        if not ok:
            missing.append(f"{sheet}!{cell}: {got!r} for {want!r}")
    assert missing == []
    import pandas as pd

    frame = pd.read_excel(export.path, sheet_name="Summary", header=SUMMARY_HEAD - 1)
    assert frame["Total"].notna().sum() == len(example[0].bids)


def planted(source: Path, target: Path, expected: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    """A copy of ``source`` whose every cached formula result is wrong (numbers + 1000, texts 'WRONG')."""
    shutil.copy(source, target)
    wrong = {key: ("WRONG" if isinstance(value, str) else value + 1000.0) for key, value in expected.items()}
    assert store_results(target, wrong) == len(expected)
    return wrong


@pytest.mark.libreoffice
def test_libreoffice_recalculates_and_never_reads_our_numbers_back(
    example: tuple[Project, ScorecardExport], tmp_path: Path
) -> None:
    """The test profile recalculates everything on load: planted wrong results are all replaced by the right ones
    (so the LibreOffice comparisons elsewhere compare LibreOffice's arithmetic, not crmselect's cache).  A
    committee member's default LibreOffice keeps many cached results as they are (checked here too, so the
    planted values are really read), which is why crmselect stores right ones."""
    _, export = example
    copy = tmp_path / "planted.xlsx"
    wrong = planted(export.path, copy, export.expected)
    assert openpyxl.load_workbook(copy, data_only=True)["Summary"]["C6"].value == wrong[("Summary", "C6")]
    (done,) = recalculated([copy], tmp_path)
    wb = openpyxl.load_workbook(done, data_only=True)
    still_wrong = [key for key, value in wrong.items() if wb[key[0]][key[1]].value == value]
    assert still_wrong == []
    for (sheet, cell), want in export.expected.items():
        got = wb[sheet][cell].value
        if isinstance(want, float):
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (sheet, cell, got, want)
    (trusting,) = recalculated([copy], tmp_path / "default", recalc_on_load=False)
    kept = openpyxl.load_workbook(trusting, data_only=True)
    assert any(kept[key[0]][key[1]].value == value for key, value in wrong.items() if isinstance(value, float))


@pytest.mark.libreoffice
def test_summary_re_sorts_live_when_the_committee_changes_the_weights(
    example: tuple[Project, ScorecardExport], tmp_path: Path
) -> None:
    project, export = example
    card = evaluate(project).scorecard
    wb = openpyxl.load_workbook(export.path)
    weights = wb["Weights"]
    goal_ids = list(card.goal_ids)
    new_points = {g: (0.0 if g != goal_ids[-1] else 100.0) for g in goal_ids}  # only the last goal counts
    for row in range(5, 5 + len(goal_ids)):
        weights.cell(row, 3).value = new_points[weights.cell(row, 1).value]
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    (done,) = recalculated([edited], tmp_path)
    after = card.with_goal_weights(new_points)
    order = sorted(range(len(after.bid_ids)), key=lambda b: (after.ranks[b] if after.eligible[b] else math.inf, b))
    assert order != summary_rows(project)[0], "the new weights should reorder the bids"
    ws = openpyxl.load_workbook(done, data_only=True)["Summary"]
    assert [ws.cell(SUMMARY_HEAD + 1 + k, 1).value for k in range(len(order))] == [after.labels[b] for b in order]
    assert [ws.cell(SUMMARY_HEAD + 1 + k, 3).value for k in range(len(order))] == pytest.approx(
        [after.totals[b] for b in order], rel=1e-9)


# ---------------------------------------------------------------------------- charts and rendering
def test_charts_keep_their_designed_shape(example: tuple[Project, ScorecardExport]) -> None:
    _, export = example
    with zipfile.ZipFile(export.path) as archive:
        drawings = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
    found = [re.findall(r'<(?:xdr:)?ext cx="(\d+)" cy="(\d+)"', text) for text in drawings]
    sizes = [(int(cx), int(cy)) for pairs in found for cx, cy in pairs]
    assert len(sizes) >= 3
    assert all(cx == 2 * cy and cx >= 6_000_000 for cx, cy in sizes)  # 18 x 9 cm, anchored at one cell


# ---------------------------------------------------------------------------- across surfaces
def test_a_knock_out_typed_in_yaml_reaches_the_workbook_order_and_charts(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A committee member records in YAML that the leader will not commit to a free export at exit (a must-have);
    `crmselect scorecard` moves it last, greys it and takes it out of the charts; the ranks close up."""
    root = reveal_prices(copy_example(tmp_path / "selection"))
    before = evaluate(load_project(root)).scorecard
    leader = int(np.nanargmin(before.ranks))
    assert before.labels[leader].startswith("Ferrowell")
    replace_in(root / "vendors" / "ferrowell.yaml", "  COM-011:\n    value: true", "  COM-011:\n    value: false")
    after = evaluate(load_project(root)).scorecard
    assert not after.eligible[leader]
    out = tmp_path / "card.xlsx"
    assert main(["scorecard", str(root), "--out", str(out)]) == 0
    capsys.readouterr()
    eligible = int(after.eligible.sum())
    ws = openpyxl.load_workbook(out, data_only=True)["Summary"]
    rows = [[c.value for c in ws[SUMMARY_HEAD + 1 + k]] for k in range(len(after.bid_ids))]
    labels = [row[0] for row in rows]
    assert before.labels[leader] in labels[eligible:]
    assert [row[3] for row in rows[:eligible]] == list(range(1, eligible + 1))  # ranks close up, as numbers
    styled = openpyxl.load_workbook(out)
    assert is_greyed(styled["Summary"].cell(SUMMARY_HEAD + 1 + labels.index(before.labels[leader]), 1))
    for chart in styled["Summary"]._charts:
        for series in chart.series:
            assert series.val.numRef.f.endswith(f"${SUMMARY_HEAD + eligible}") or "Goals" in series.val.numRef.f
