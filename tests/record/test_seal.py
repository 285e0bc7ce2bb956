"""The first envelope really seals: drift after the lock is named everywhere, prices stay sealed until the reveal."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testdata import copy_example, copy_minimal, replace_in

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import LogTamperedError
from crmselect.record.envelopes import seal_state
from crmselect.record.log import DecisionLog
from crmselect.record.seal import technical_inputs

GOALS = "criteria/goals.yaml"
COMMITTEE = "vendors/committee.yaml"


def test_edits_after_the_lock_are_named_by_every_command_until_a_relock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["--member", "zhao_lei", "lock", str(root), "--why", "every demo scored"]) == 0
    replace_in(root / GOALS, "    weight: 18\n", "    weight: 40\n")
    replace_in(root / COMMITTEE, "cirrolan:    {S01: 4, S02: 4,", "cirrolan:    {S01: 1, S02: 4,")
    capsys.readouterr()

    for command in (["rank", str(root)], ["log", str(root)], ["checks", str(root)]):
        assert main(command) == 0, command
        err = capsys.readouterr().err
        assert err.startswith("WARNING: the technical inputs changed after the lock (decision log entry 2)")
        assert "criteria/goals.yaml: goals[forecast_accuracy].weight: 18.0 -> 40.0" in err
        assert "vendors/committee.yaml: scores.wang_fang.cirrolan.S01: 4.0 -> 1.0" in err

    assert main(["--member", "sun_li", "reveal-prices", str(root), "--why", "opening envelope two"]) == 2
    err = capsys.readouterr().err
    assert "reveal-prices refused" in err and "goals[forecast_accuracy].weight" in err
    assert [e.kind for e in DecisionLog(root / "decision_log.jsonl").entries()] == ["open", "lock"]

    assert main(["--member", "zhou_jianguo", "relock", str(root), "--why", "best-and-final-offer round"]) == 0
    assert "accepts 2 change(s)" in capsys.readouterr().out
    relock = DecisionLog(root / "decision_log.jsonl").entries()[-1]
    assert relock.kind == "relock" and len(relock.what["accepted_changes"]) == 2
    assert main(["rank", str(root)]) == 0
    assert "WARNING" not in capsys.readouterr().err
    assert main(["--member", "sun_li", "reveal-prices", str(root), "--why", "opening envelope two"]) == 0


def test_as_of_is_pinned_at_the_lock(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    assert main(["--member", "m-it", "lock", str(root), "--why", "scored"]) == 0
    replace_in(root / "selection.yaml", "as_of: 2026-06-01", "as_of: 2027-06-01")
    state = seal_state(load_project(root))
    assert [(c.file, c.field, c.old, c.new) for c in state.drift] == [
        ("selection.yaml", "as_of", "2026-06-01", "2027-06-01")]


def test_comments_and_display_names_are_not_drift(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    assert main(["--member", "m-it", "lock", str(root), "--why", "scored"]) == 0
    replace_in(root / GOALS, "name: Raise forecast accuracy", "name: Forecasts people trust")
    replace_in(root / GOALS, "# The committee's goals", "# Our goals (edited after the lock)")
    assert not seal_state(load_project(root)).drifted


def test_a_missing_copy_of_the_sealed_values_still_reports_drift(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    assert main(["--member", "m-it", "lock", str(root), "--why", "scored"]) == 0
    shutil.rmtree(root / "seals")
    replace_in(root / GOALS, "weight: 50", "weight: 55")
    state = seal_state(load_project(root))
    assert state.unnamed_drift and "cannot be named" in state.warning()
    with pytest.raises(InputError):
        state.refuse_drift("reveal-prices")


def test_price_figures_are_sealed_on_every_surface_before_the_reveal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["tco", str(root)]) == 0
    assert "sealed until prices are revealed" in capsys.readouterr().out
    assert main(["scorecard", str(root), "--out", str(tmp_path / "sealed.xlsx")]) == 0
    assert "TCO and NPV: sealed until prices are revealed" in capsys.readouterr().out
    wb = openpyxl.load_workbook(tmp_path / "sealed.xlsx")
    assert "sealed until prices are revealed" in str(wb["TCO"]["A2"].value)
    assert wb["TCO"].max_row <= 3, "no cost figures on the sealed TCO sheet"
    summary_header = [c.value for c in wb["Summary"][5]]
    assert "NPV" not in summary_header and "sealed until prices are revealed" in str(wb["Summary"]["A2"].value)

    assert main(["--member", "sun_li", "scorecard", str(root), "--out", str(tmp_path / "open.xlsx"), "--unseal",
                 "--unseal-why", "CFO budget check"]) == 0
    assert "UNSEALED VIEW" in capsys.readouterr().out
    wb = openpyxl.load_workbook(tmp_path / "open.xlsx")
    assert str(wb["Summary"]["A2"].value).startswith("UNSEALED VIEW: prices opened before the reveal by sun_li")
    assert "NPV" in [c.value for c in wb["Summary"][5]]


# ---------------------------------------------------------------------------- the property
SEALED_ROOT: list[Path] = []


def _sealed_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEALED_ROOT:
        root = copy_minimal(tmp_path_factory.mktemp("sealed") / "selection")
        assert main(["--member", "m-it", "lock", str(root), "--why", "scored"]) == 0
        SEALED_ROOT.append(root)
    return SEALED_ROOT[0]


def assert_reported(root: Path, file: str, before: dict[str, object]) -> None:
    """The next command either refuses the changed files, or reports drift exactly when an input moved."""
    try:
        project = load_project(root)
        state = seal_state(project)
    except (InputError, LogTamperedError):
        return  # reported as an error naming the file (or the log it no longer matches): it cannot pass unnoticed
    moved = technical_inputs(project) != before
    assert state.drifted == moved
    if moved:
        assert any(change.file == file for change in state.drift), state.warning()


FILES = ["selection.yaml", GOALS, COMMITTEE, "vendors/acme.yaml", "vendors/borealis.yaml",
         "criteria/compliance_scale.yaml"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(FILES), where=st.floats(0, 1), byte=st.sampled_from(b"0123456789.-abcxyzSFN :#"))
def test_any_single_byte_change_after_the_lock_is_reported(
    tmp_path_factory: pytest.TempPathFactory, file: str, where: float, byte: int
) -> None:
    """A one-byte change either breaks the file (an error) or, when it moves a technical input, is drift."""
    sealed = _sealed_minimal(tmp_path_factory)
    root = tmp_path_factory.mktemp("changed") / "selection"
    shutil.copytree(sealed, root)
    before = technical_inputs(load_project(root))
    data = bytearray((root / file).read_bytes())
    position = min(int(where * len(data)), len(data) - 1)
    if data[position] == byte or data[position] in b"\n":
        return
    data[position] = byte
    (root / file).write_bytes(bytes(data))
    assert_reported(root, file, before)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(FILES), which=st.floats(0, 1), digit=st.sampled_from(b"0123456789"))
def test_a_changed_digit_in_a_score_weight_or_term_after_the_lock_is_named(
    tmp_path_factory: pytest.TempPathFactory, file: str, which: float, digit: int
) -> None:
    """Digits are where weights, scores, minimums, SLA and contract terms live: most changes move an input."""
    sealed = _sealed_minimal(tmp_path_factory)
    root = tmp_path_factory.mktemp("digit") / "selection"
    shutil.copytree(sealed, root)
    before = technical_inputs(load_project(root))
    data = bytearray((root / file).read_bytes())
    digits = [i for i, b in enumerate(data) if chr(b).isdigit() and b != digit]
    position = digits[min(int(which * len(digits)), len(digits) - 1)]
    data[position] = digit
    (root / file).write_bytes(bytes(data))
    assert_reported(root, file, before)


def test_the_dashboard_banner_shows_drift_and_nothing_otherwise(tmp_path: Path) -> None:
    from crmselect.widgets.launch import seal_banner

    root = copy_minimal(tmp_path / "selection")
    assert seal_banner(load_project(root)) == ""
    assert main(["--member", "m-it", "lock", str(root), "--why", "scored"]) == 0
    assert seal_banner(load_project(root)) == ""
    replace_in(root / GOALS, "weight: 50", "weight: 55")
    banner = seal_banner(load_project(root))
    assert "crmselect-seal-warning" in banner and "goals[forecast].weight: 50.0 -&gt; 55.0" in banner
