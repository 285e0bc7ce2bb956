"""The bid form as a committee lives with it: a partner named in the form shows in the checks, and a form
returned after the lock becomes a best-and-final-offer round, never a silent change."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from bidforms import fill_bid, rows_by_key
from testdata import copy_example

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.excel.bidform_write import VALUE
from crmselect.excel.questionnaire_import import import_answers, round_file
from crmselect.files.loaders import ROUNDS_DIR, load_rounds
from crmselect.record.envelopes import seal_state
from crmselect.record.log import DecisionLog

MEMBER = "zhao_lei"
TINY = "Tiny Integrators Ltd"


def test_a_partner_filled_in_the_form_is_checked_as_a_party(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    form = tmp_path / "jadeport.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "jadeport", "--out", str(form)]) == 0
    fill_bid(form, {"Offer 1": {"implementation.partner": TINY, "partners.implementation.name": TINY,
                                "partners.implementation.references": 1, "partners.implementation.certified_staff": 2,
                                "partners.implementation.years_trading": 2,
                                "partners.implementation.revenue_band": "under_1m"}})
    assert main(["import-answers", str(root), "--from", str(form), "--force"]) == 0
    assert "offers updated (prices, plan, SLA or contract changed) (1):\n    jadeport-saas" in capsys.readouterr().out
    party = load_project(root).vendor("jadeport").offer("jadeport-saas").partners.implementation
    assert party is not None and (party.name, party.references, party.certified_staff) == (TINY, 1, 2)
    assert main(["checks", str(root)]) == 0
    out = capsys.readouterr().out
    for code, said in (("PTR001", f"the partner {TINY} names 1 reference customer(s)"),
                       ("PTR002", f"the implementation partner {TINY} has 2 staff certified on the product"),
                       ("PTR003", f"the partner {TINY} has been trading for 2 year(s)")):
        assert code in out and said in out, code
    assert main(["--lang", "zh-CN", "checks", str(root)]) == 0
    assert f"合作伙伴{TINY}仅提供1家参考客户" in capsys.readouterr().out


def test_a_form_returned_after_the_lock_becomes_a_round_with_bafo(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    form = tmp_path / "cirrolan.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "cirrolan", "--out", str(form)]) == 0
    assert main(["--member", MEMBER, "lock", str(root), "--why", "every demo scored"]) == 0
    ws = openpyxl.load_workbook(form)["Offer 1"]
    assert ws.cell(rows_by_key(ws)["partners.implementation.certified_staff"], VALUE).value == 3
    fill_bid(form, {"Offer 1": {"partners.implementation.certified_staff": 6}})  # the vendor's better offer
    target = root / "vendors" / "cirrolan.yaml"
    before = target.read_text(encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(InputError) as caught:
        import_answers(form, load_project(root), force=True)
    (issue,) = caught.value.issues
    proposal = round_file(form, "cirrolan", 2)
    assert issue.code == "bid_locked" and issue.file == "cirrolan.xlsx" and issue.field == "cirrolan"
    assert "the technical scoring is locked (decision log entry" in issue.message
    assert f"bafo {root} cirrolan --from {proposal} --why TEXT" in issue.message
    assert target.read_text(encoding="utf-8") == before  # nothing changed in the selection
    assert not seal_state(load_project(root)).drifted
    saved = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    assert saved["round"] == 2 and saved["offers"][0]["partners"]["implementation"]["certified_staff"] == 6
    assert main(["import-answers", str(root), "--from", str(form), "--force"]) == 2  # the CLI says the same
    assert "crmselect --member ID bafo" in capsys.readouterr().err

    assert main(["--member", MEMBER, "bafo", str(root), "cirrolan", "--from", str(proposal),
                 "--why", "best and final offer: three more certified consultants"]) == 0
    printed = capsys.readouterr().out
    assert "round 2 of cirrolan recorded" in printed and "certified_staff: 3 -> 6" in printed
    project = load_project(root)
    vendor = project.vendor("cirrolan")
    assert vendor.round == 2 and vendor.offers[0].partners.implementation.certified_staff == 6  # type: ignore[union-attr]
    assert [v.round for v in load_rounds(root, "cirrolan")] == [1]
    assert (root / ROUNDS_DIR / "cirrolan.r1.yaml").read_text(encoding="utf-8") == before
    assert DecisionLog.for_project(project).entries()[-1].kind == "relock"
    assert not seal_state(project).drifted
    # the form written for round 1 is history now: importing it again is refused, not applied
    with pytest.raises(InputError) as stale:
        import_answers(form, project, force=True)
    assert "wrong_round" in {i.code for i in stale.value.issues}
