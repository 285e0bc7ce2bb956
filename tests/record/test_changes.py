"""Changes made in YAML reach the log, and a consensus override settles its disagreement (observation 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import copy_example, replace_in

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.record.log import DecisionLog

GOALS = "criteria/goals.yaml"


def test_a_weight_edited_in_yaml_is_named_then_recorded_by_the_next_recording_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["--member", "wang_fang", "record", str(root), "--why", "the committee's starting weights"]) == 0
    out = capsys.readouterr().out  # the first record: every weight, minimum and override, from nothing
    assert "recorded 12 change(s)" in out and "goals[clean_data].weight: None -> 10.0" in out
    replace_in(root / GOALS, "    weight: 16\n", "    weight: 20\n")
    assert main(["rank", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Not yet recorded in the decision log (1 change(s)" in out
    assert "criteria/goals.yaml: goals[quote_to_order].weight: 16.0 -> 20.0" in out
    assert main(["validate", str(root)]) == 0
    assert "goals[quote_to_order].weight: 16.0 -> 20.0" in capsys.readouterr().out

    assert main(["--member", "zhao_lei", "lock", str(root), "--why", "every demo scored"]) == 0
    entries = DecisionLog.for_project(load_project(root)).entries()
    assert [e.kind for e in entries] == ["open", "changed", "changed", "lock"]
    changed = entries[2]
    assert changed.who == "zhao_lei" and changed.what["changes"] == [
        {"file": GOALS, "field": "goals[quote_to_order].weight", "old": 16.0, "new": 20.0}]
    capsys.readouterr()
    assert main(["rank", str(root)]) == 0
    assert "Not yet recorded" not in capsys.readouterr().out


def test_an_override_edited_in_yaml_is_recorded_and_settles_its_disagreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "selection")
    card = evaluate(load_project(root)).scorecard
    settled = {(s.disagreement.vendor, s.disagreement.scenario) for s in card.committee.settled}
    to_discuss = {(d.vendor, d.scenario) for d in card.committee.disagreements}
    assert ("harbourline", "S03") in settled and ("harbourline", "S03") not in to_discuss
    assert main(["rank", str(root)]) == 0
    out = capsys.readouterr().out
    discuss = out.split("Disagreements to discuss")[1].split("Settled by a consensus override")[0]
    assert "harbourline / S03" not in discuss
    assert "Harbourline CRM / Offline field visit and sync: range 2" in out.split("Settled by a consensus override")[1]
    assert "by Committee meeting, chaired by Zhou Jianguo" in out

    assert main(["--member", "liu_yang", "record", str(root), "--why", "baseline"]) == 0
    committee = root / "vendors" / "committee.yaml"
    replace_in(committee, "    value: 3.0\n", "    value: 3.5\n")
    assert main(["--member", "liu_yang", "record", str(root), "--why", "replayed the demo once more"]) == 0
    out = capsys.readouterr().out
    assert "vendors/committee.yaml: overrides[harbourline/S03]" in out
    assert main(["--member", "liu_yang", "record", str(root), "--why", "again"]) == 0
    assert "nothing to record" in capsys.readouterr().out
