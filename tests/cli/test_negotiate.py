"""``crmselect negotiate``: ranked levers always, price concessions only once prices may be shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from testdata import copy_example, reveal_prices

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate


def test_before_the_reveal_levers_are_shown_and_no_price_figure(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    capsys.readouterr()
    assert main(["negotiate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "price concessions are sealed until prices are revealed" in out
    assert "the contract and SLA levers worth most to each bid's score" in out
    assert "CTR005 No termination for convenience" in out and "Prices are sealed" in out
    assert "NPV to tie" not in out and "NPV now" not in out
    npvs = evaluate(load_project(root), reveal_prices=True).tco.npvs()
    for value in npvs.values():  # no NPV, however written
        assert f"{value:,.0f}" not in out and f"{value:.0f}" not in out
    assert not re.search(r"\d{1,3}(,\d{3}){2,}", out)  # no figure in the millions at all


def test_after_the_reveal_both_price_concessions_and_levers(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = reveal_prices(copy_example(tmp_path / "selection"))
    capsys.readouterr()
    assert main(["negotiate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "NPV to tie" in out and "as a subscription discount" in out
    price_part, _, lever_part = out.partition("the contract and SLA levers worth most")
    evaluation = evaluate(load_project(root))
    for item in evaluation.concessions():
        if item.target_npv is not None:
            assert f"{item.target_npv:,.0f}" in price_part
    best = evaluation.levers(bids=["jadeport-onprem"]).ranked("jadeport-onprem")[0]
    assert f"1. {best.code}" in lever_part.split("Jadeport CRM (on-premise)")[1]
    assert "Prices are sealed" not in lever_part


def test_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    capsys.readouterr()
    assert main(["--lang", "zh-CN", "negotiate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "提前30至90天通知即可无理由解约" in out and "Prices are sealed" not in out
