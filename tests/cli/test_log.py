"""The two envelopes and the decision log from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from tests.testdata import copy_minimal


@pytest.fixture
def selection(tmp_path: Path) -> Path:
    return copy_minimal(tmp_path / "selection")


def test_lock_then_reveal_changes_what_the_scorecard_shows(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate(load_project(selection)).scorecard.prices_hidden
    assert main(["--member", "m-sales", "lock", str(selection), "--why", "all demos scored"]) == 0
    out = capsys.readouterr().out
    assert "technical scoring locked (decision log entry 2; seal " in out  # entry 1 opens the log
    assert evaluate(load_project(selection)).scorecard.prices_hidden

    assert main(["--member", "m-it", "reveal-prices", str(selection), "--why", "lock signed off"]) == 0
    assert "prices revealed (decision log entry 3)" in capsys.readouterr().out
    assert not evaluate(load_project(selection)).scorecard.prices_hidden

    lines = (selection / "decision_log.jsonl").read_text(encoding="utf-8").splitlines()
    opened, locked = json.loads(lines[0]), json.loads(lines[1])
    assert opened["kind"] == "open" and opened["what"]["selection_id"] == "0123456789abcdef0123456789abcdef"
    assert opened["what"]["recorded_inputs"]["criteria/goals.yaml | goals[forecast].weight"] == 50.0
    sealed = evaluate(load_project(selection), reveal_prices=False).scorecard
    assert locked["kind"] == "lock" and locked["who"] == "m-sales"
    assert locked["what"]["technical_totals"] == {
        b: round(float(t), 6) for b, t in zip(sealed.bid_ids, sealed.totals, strict=True)}


def test_reveal_before_lock_is_refused_and_logs_nothing(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--member", "m-it", "reveal-prices", str(selection), "--why", "impatient"]) == 2
    assert "lock" in capsys.readouterr().err
    assert not (selection / "decision_log.jsonl").exists() or not (selection / "decision_log.jsonl").read_text()


def test_log_prints_the_chain_and_catches_an_edit(selection: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", str(selection)]) == 0
    assert "no decisions recorded yet" in capsys.readouterr().out
    main(["--member", "m-sales", "lock", str(selection), "--why", "scored"])
    capsys.readouterr()
    assert main(["log", str(selection)]) == 0
    out = capsys.readouterr().out
    assert "the chain of hashes verifies and the log belongs to this selection; state: technical scoring locked" in out
    head = next(line for line in out.splitlines() if line.startswith("head (record")).split(": ", 1)[1]
    assert main(["log", str(selection), "--head", head]) == 0
    capsys.readouterr()

    path = selection / "decision_log.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"m-sales"', '"Someone else"', 1), encoding="utf-8")
    assert main(["log", str(selection)]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "edited" in err
    assert main(["log", str(selection), "--head", "1:abc"]) == 2
    assert "SEQ:HASH" in capsys.readouterr().err
