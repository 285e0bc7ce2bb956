"""A committee's journey: lock and reveal, ask `crmselect negotiate`, export the scorecard, compare the two."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from testdata import copy_example

from crmselect import load_project
from crmselect.cli.app import main


def test_the_cli_and_the_workbook_ask_for_the_same_concessions(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    member = load_project(root).committee.member_ids[0]
    out = tmp_path / "scorecard.xlsx"
    assert main(["--member", member, "lock", str(root), "--why", "every demo scored"]) == 0
    assert main(["scorecard", str(root), "--out", str(tmp_path / "before.xlsx")]) == 0
    assert main(["--member", member, "reveal-prices", str(root), "--why", "lock signed off"]) == 0
    capsys.readouterr()
    assert main(["negotiate", str(root)]) == 0
    said = capsys.readouterr().out
    assert main(["scorecard", str(root), "--out", str(out)]) == 0

    # the CLI's price table: label, NPV now, NPV to tie, reduction, discount
    price_part = said.partition("the contract and SLA levers")[0]
    table = price_part[price_part.index("NPV to tie"):].splitlines()[1:]
    cli = {line.split("  ")[0].strip(): (tuple(re.findall(r"\d[\d,]*(?:\.\d+)?(?: %)?", line)),
                                         "no price ties" in line)
           for line in table if line.strip() and "  " in line}
    sheet = openpyxl.load_workbook(out)["Negotiation"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if "NPV to tie" in r)
    book = {}
    for row in rows[head + 1:]:
        if not row[0] or row[2] is None:
            break
        book[row[1]] = row
    assert book and set(book) == set(cli)
    for label, row in book.items():
        npv, target, reduction, discount = row[2], row[3], row[4], row[5]
        figures, no_tie = cli[label]
        assert figures[0] == f"{npv:,.0f}"
        assert no_tie == (target == "no price ties")
        if isinstance(target, float):
            assert figures[1] == f"{target:,.0f}" and figures[2] == f"{reduction:,.0f}"
            if discount is not None:
                assert figures[3] == f"{discount * 100:.1f} %"

    # the levers: the first lever of each bid is the same on both surfaces
    lever_head = next(i for i, r in enumerate(rows) if "Score gain per lever" in r)
    first = {r[0]: r[3] for r in rows[lever_head + 1:] if r[0] and r[2] == 1}
    for bid in first:
        label = next(r[1] for r in rows[lever_head + 1:] if r[0] == bid)
        section = said.partition("the contract and SLA levers")[2].split(label + "\n", 1)[1]
        assert section.lstrip().startswith(f"1. {first[bid]} ")

    # before the reveal, the workbook had levers but no price concession
    before = openpyxl.load_workbook(tmp_path / "before.xlsx")["Negotiation"]
    texts = [c for r in before.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert not any("NPV" in t for t in texts) and any("Score gain per lever" in t for t in texts)
