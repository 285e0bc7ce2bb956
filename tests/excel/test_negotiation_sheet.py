"""The scorecard workbook's Negotiation sheet: read back with openpyxl, its figures are the evaluation's."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from testdata import copy_example, replace_in, reveal_prices

from crmselect import load_project
from crmselect.evaluation import evaluate
from crmselect.excel.scorecard import export_scorecard


def rows_of(path: Path, title: str = "Negotiation") -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    assert title in wb.sheetnames
    return [tuple(row) for row in wb[title].iter_rows(values_only=True)]


def table_after(rows: list[tuple[Any, ...]], heading: str) -> list[tuple[Any, ...]]:
    """The rows under the header row whose first cells start with ``Bid ID`` and that holds ``heading``."""
    start = next(i for i, row in enumerate(rows) if heading in row)
    out = []
    for row in rows[start + 1:]:
        if not row[0] or not isinstance(row[0], str) or row[1] is None:
            break
        out.append(row)
    return out


@pytest.fixture(scope="module")
def revealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reveal_prices(copy_example(tmp_path_factory.mktemp("revealed") / "selection"))


def test_after_the_reveal_the_price_concessions_are_the_evaluations(revealed: Path, tmp_path: Path) -> None:
    export_scorecard(load_project(revealed), tmp_path / "s.xlsx", smaa_samples=200)
    rows = rows_of(tmp_path / "s.xlsx")
    prices = {row[0]: row for row in table_after(rows, "NPV to tie")}
    concessions = evaluate(load_project(revealed)).concessions()
    assert concessions and set(prices) == {c.bid for c in concessions}
    for item in concessions:
        row = prices[item.bid]
        assert row[1] == item.label and row[2] == pytest.approx(item.npv, abs=1e-6)
        if item.target_npv is None:
            assert row[3] == "no price ties" and row[4] is None
        else:
            assert row[3] == pytest.approx(item.target_npv, abs=1e-6)
            assert row[4] == pytest.approx(item.reduction, abs=1e-6)
        discount = item.subscription_discount_pct
        assert (row[5] is None) if discount is None else row[5] == pytest.approx(discount / 100, abs=1e-12)


def test_the_levers_are_the_evaluations_in_ranked_order(revealed: Path, tmp_path: Path) -> None:
    export_scorecard(load_project(revealed), tmp_path / "s.xlsx", smaa_samples=200)
    levers = table_after(rows_of(tmp_path / "s.xlsx"), "Score gain per lever")
    table = evaluate(load_project(revealed)).levers()
    expected = [(bid, order, item) for bid in table.bid_ids for order, item in enumerate(table.ranked(bid), start=1)]
    assert len(levers) == len(expected)
    for row, (bid, order, item) in zip(levers, expected, strict=True):
        assert (row[0], row[2], row[3]) == (bid, order, item.code)
        assert row[6] == table.words(item.code, "en")[1]  # the lever's text
        assert row[11] == pytest.approx(item.gain, abs=1e-12) and row[14] == pytest.approx(item.total_after, abs=1e-12)
        assert row[17] == pytest.approx(item.npv_before) and row[18] == pytest.approx(item.npv_after)


def test_before_the_reveal_no_price_figure_appears_on_the_sheet(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    export_scorecard(load_project(root), tmp_path / "s.xlsx", smaa_samples=200)
    rows = rows_of(tmp_path / "s.xlsx")
    texts = [cell for row in rows for cell in row if isinstance(cell, str)]
    numbers = [float(cell) for row in rows for cell in row
               if isinstance(cell, int | float) and not isinstance(cell, bool)]
    assert any("sealed until prices are revealed" in t for t in texts)
    assert not any("NPV" in t for t in texts)
    evaluation = evaluate(load_project(root), reveal_prices=True)
    figures = [*evaluation.tco.npvs().values()]
    for item in evaluation.concessions():
        figures += [x for x in (item.target_npv, item.reduction, item.subscription_discount_pct) if x is not None]
    assert numbers and max(numbers) < 1000  # scores, ranks, hours and days: nothing of money's size
    assert not any(math.isclose(n, f, rel_tol=1e-9) for n in numbers for f in figures)
    assert table_after(rows, "Score gain per lever")  # the levers are there


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    replace_in(root / "vendors" / "cirrolan.yaml", "name: Cirrolan Cloud CRM", 'name: "=HYPERLINK(\\"http://x\\")"')
    export_scorecard(load_project(root), tmp_path / "s.xlsx", smaa_samples=200)
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["Negotiation"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    hostile = [cell for cell in cells if "HYPERLINK" in cell.value]
    assert hostile and all(cell.data_type == "s" for cell in hostile)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_in_chinese_the_sheet_and_its_levers_are_chinese(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    export_scorecard(load_project(root), tmp_path / "s.xlsx", smaa_samples=200, lang="zh-CN")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    title = next(name for name in wb.sheetnames if name == "谈判")
    texts = [c for row in wb[title].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("提前30至90天通知即可无理由解约" in t for t in texts)
