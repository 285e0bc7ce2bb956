"""``crmselect plan`` as a committee uses it: big bang first, a proposal written, edited by hand, broken, fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmselect.cli.app import main
from crmselect.files.phases import PHASES_FILE
from tests.testdata import copy_example, replace_in, reveal_prices

BID = "jadeport-saas"
FAST = ["--draws", "500"]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_without_phases_it_says_so_and_evaluates_the_big_bang(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(folder), "--bid", BID, *FAST)
    assert code == 0, err
    assert "no phases.yaml in this selection, so this is the big bang" in out
    assert "All goals (big bang)" in out
    assert "ROI, NPV and payback are sealed until prices are revealed." in out
    assert "ROI over the horizon" not in out
    assert not (folder / PHASES_FILE).exists()


def test_propose_write_edit_by_hand_break_and_fix(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--member", "wang_fang", "plan", str(folder), "--bid", BID, "--propose", "--cap",
                         "200", "--overhead", "15", "--write", *FAST)
    assert code == 0, err
    assert "wrote" in out and "decision log entry" in out
    text = (folder / PHASES_FILE).read_text(encoding="utf-8")
    assert "  - id: phase_1\n    name: Roll-out phase 1\n" in text
    # the committee moves the customer-history goal from the second phase into the first by hand
    assert "      - customer_memory  # Keep customer history when sales reps leave\n" in text
    replace_in(folder / PHASES_FILE, "      - customer_memory  # Keep customer history when sales reps leave\n", "")
    replace_in(folder / PHASES_FILE, "    goals:\n", "    goals:\n      - customer_memory\n")
    code, out, err = run(capsys, "plan", str(folder), *FAST)  # the bid comes from phases.yaml
    assert code == 0, err
    assert "the roll-out plan of phases.yaml for Jadeport CRM (SaaS)" in out
    first_phase = next(line for line in out.splitlines() if line.startswith("  Roll-out phase 1:"))
    assert "Keep customer history when sales reps leave" in first_phase
    # a bad edit: a goal in no phase; the error names the file, line and field
    replace_in(folder / PHASES_FILE, "      - customer_memory\n", "")
    code, out, err = run(capsys, "plan", str(folder), *FAST)
    assert code == 2
    assert "phases.yaml line 5: phases: has goal customer_memory in no phase" in err
    # the log holds who wrote the plan and what
    code, out, err = run(capsys, "log", str(folder))
    assert code == 0 and "plan_written" in out and "wang_fang" in out


def test_writing_needs_a_member_and_force(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "plan", str(folder), "--bid", BID, "--propose", "--cap", "200", "--write", *FAST)
    assert code == 2 and "--member" in err
    assert not (folder / PHASES_FILE).exists()
    args = ["--member", "wang_fang", "plan", str(folder), "--bid", BID, "--propose", "--cap", "200", "--write", *FAST]
    assert run(capsys, *args)[0] == 0
    code, _out, err = run(capsys, *args)
    assert code == 2 and "phases.yaml exists already; nothing was written (add --force to replace it)" in err
    assert run(capsys, *args, "--force")[0] == 0


def test_options_are_checked_together(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "plan", str(folder), "--bid", BID, "--cap", "-3", "--write", *FAST)
    assert code == 2
    assert "--cap: is out of range" in err and "--cap: only works with --propose" in err
    assert "--write: only works with --propose" in err
    code, _out, err = run(capsys, "plan", str(folder), "--bid", BID, "--propose", *FAST)
    assert code == 2 and "--cap: is needed with --propose" in err
    code, _out, err = run(capsys, "plan", str(folder), *FAST)
    assert code == 2 and "--bid: is needed" in err and "jadeport-saas" in err
    code, _out, err = run(capsys, "plan", str(folder), "--bid", "nobody", *FAST)
    assert code == 2 and "--bid: names no bid of this selection" in err
    code, _out, err = run(capsys, "plan", str(folder), "--bid", BID, "--propose", "--cap", "5", *FAST)
    assert code == 2 and "with a cap of at least" in err


def test_money_after_the_reveal_and_in_chinese(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reveal_prices(folder)
    capsys.readouterr()
    code, out, err = run(capsys, "plan", str(folder), "--bid", BID, "--propose", "--cap", "200", *FAST)
    assert code == 0, err
    assert "ROI over the horizon" in out and "payback (months after signature)" in out
    assert "ROI at P50" in out and "sealed" not in out
    code, out, err = run(capsys, "--lang", "zh-CN", "plan", str(folder), "--bid", BID, "--propose", "--cap", "200",
                         *FAST)
    assert code == 0, err
    assert "第1期" in out and "首次见效" in out and "P50" in out and "ROI" in out
    assert "Roll-out phase" not in out and "First value" not in out
