"""A selection is explicit: init, init --example, init --adopt, and no command ever falls back to an example."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from testdata import MINIMAL, copy_example, copy_minimal, example_root

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import LogTamperedError
from crmselect.evaluation import evaluate
from crmselect.files.init import init_selection
from crmselect.record.log import DecisionLog

ROOT = Path(__file__).resolve().parents[2]


def crmselect(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crmselect", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


# ---------------------------------------------------------------------------- no silent fallback
@pytest.mark.parametrize("where", ["checkout", "empty folder"])
def test_a_command_without_a_folder_outside_a_selection_stops_and_writes_nothing(where: str, tmp_path: Path) -> None:
    cwd = ROOT if where == "checkout" else tmp_path
    before = sorted(p.name for p in cwd.iterdir())
    result = crmselect("--member", "wang_fang", "lock", "--why", "testing", cwd=cwd)
    assert result.returncode == 2
    assert "there is no selection here" in result.stderr and "crmselect init DIR" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in cwd.iterdir()) == before, "nothing may be written"
    assert not (cwd / "decision_log.jsonl").exists()


def test_inside_a_selection_the_folder_may_be_left_out(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    result = crmselect("validate", cwd=selection)
    assert result.returncode == 0, result.stderr
    assert f"{selection}: no problems found" in result.stdout.replace(str(selection.resolve()), str(selection))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing", "does not exist"),
        (lambda p: p, "is not a selection (no selection.yaml)"),
        (lambda p: (p / "file.txt").write_text("x") and p / "file.txt", "is a file"),
    ],
)
def test_folders_that_are_not_selections_get_one_clear_message(tmp_path: Path, make: object,
                                                                  expected: str) -> None:
    folder = make(tmp_path)  # type: ignore[operator]
    result = crmselect("rank", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- init
def test_init_makes_a_selection_that_validates_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target), "--name", "CRM 2027", "--company", "Acme", "--currency", "CNY"]) == 0
    out = capsys.readouterr().out
    assert "created a new selection" in out and "assumed as_of" in out and "assumed locale: en" in out
    assert "assumed name" not in out, "what the user named is not an assumption"
    settings = yaml.safe_load((target / "selection.yaml").read_text(encoding="utf-8"))
    assert settings["currency"] == "CNY" and len(settings["id"]) == 32
    assert main(["validate", str(target)]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out and "note: vendors: holds no vendor bids yet" in out
    assert main(["rank", str(target)]) == 2
    assert "there are no vendor bids to evaluate yet" in capsys.readouterr().err


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["init", str(target), "--force"]) == 0
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    capsys.readouterr()
    assert main(["init", str(target), "--force"]) == 2
    assert "is already a selection" in capsys.readouterr().err


def test_the_example_is_reached_on_purpose_and_is_a_fresh_selection(tmp_path: Path) -> None:
    first, second = copy_example(tmp_path / "a"), copy_example(tmp_path / "b")
    ids = {yaml.safe_load((f / "selection.yaml").read_text(encoding="utf-8"))["id"] for f in (first, second)}
    assert len(ids) == 2, "every copy is its own selection"
    project = load_project(first)
    assert project.settings is not None and project.settings.name == "CRM selection 2026-2027"
    assert len(project.vendors) == 5
    with pytest.raises(InputError, match="not shipped: fr"):
        init_selection(tmp_path / "c", example="fr")


# ---------------------------------------------------------------------------- adopt
def old_style(folder: Path, *, with_log: bool) -> Path:
    """The example as it was before selection.yaml: settings in goals.yaml, and (optionally) an unbound log."""
    copy_example(folder)
    settings = yaml.safe_load((folder / "selection.yaml").read_text(encoding="utf-8"))
    if with_log:
        log = DecisionLog(folder / "decision_log.jsonl")
        log.append("note", "Project manager", {"topic": "kick-off"}, "the committee met")
        log.append("lock", "Project manager", {}, "all demos scored")
    (folder / "selection.yaml").unlink()
    goals = folder / "criteria" / "goals.yaml"
    text = goals.read_text(encoding="utf-8").replace(
        "\nassumptions:\n",
        f"\nname: {settings['name']}\ncompany: {json.dumps(settings['company'], ensure_ascii=False)}\n"
        f"currency: {settings['currency']}\n\nassumptions:\n  horizon_years: 5\n  discount_rate_pct: 10\n"
        "  start_date: 2027-01-04\n", 1)
    goals.write_text(text, encoding="utf-8")
    return folder


def test_a_folder_to_adopt_says_how(tmp_path: Path) -> None:
    folder = old_style(tmp_path / "old", with_log=False)
    result = crmselect("validate", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert f"adopt it with `crmselect init {folder} --adopt`" in result.stderr


def test_adoption_loses_nothing_and_attests_the_old_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = old_style(tmp_path / "old", with_log=True)
    old_lines = (folder / "decision_log.jsonl").read_text(encoding="utf-8")
    assert main(["init", str(folder), "--adopt"]) == 2
    assert "name the acting member with `crmselect --member ID init DIR --adopt`" in capsys.readouterr().err
    assert not (folder / "selection.yaml").exists(), "a refused adoption writes nothing"

    assert main(["--member", "zhou_jianguo", "init", str(folder), "--adopt"]) == 0
    out = capsys.readouterr().out
    assert "adopted" in out and "2 earlier entries" in out
    assert (folder / "decision_log.jsonl").read_text(encoding="utf-8").startswith(old_lines), "old lines kept"
    adopted = load_project(folder)
    fresh = load_project(example_root())
    assert adopted.settings is not None and adopted.settings.as_of.isoformat() == "2027-01-04"
    assert "name:" not in (folder / "criteria" / "goals.yaml").read_text(encoding="utf-8").split("goals:")[0]
    same = evaluate(adopted, reveal_prices=False).scorecard
    expected = evaluate(fresh, reveal_prices=False).scorecard
    np.testing.assert_allclose(same.totals, expected.totals)

    assert main(["log", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("verifiable by chain only") == 2 and "adopt" in out
    assert "entries 1-2 predate the adoption" in out


def test_a_log_from_another_selection_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_example(tmp_path / "a"), copy_example(tmp_path / "b")
    assert main(["--member", "wang_fang", "lock", str(a), "--why", "scored"]) == 0
    (b / "decision_log.jsonl").write_bytes((a / "decision_log.jsonl").read_bytes())
    capsys.readouterr()
    assert main(["log", str(b)]) == 2
    err = capsys.readouterr().err
    assert "decision_log.jsonl line 1" in err and "belongs to another selection" in err
    with pytest.raises(LogTamperedError):
        evaluate(load_project(b))


@pytest.mark.parametrize(
    ("edit", "field", "received"),
    [
        (lambda s: s.replace("locale: en", "locale: fr"), "locale", "fr"),
        (lambda s: s + "colour: blue\n", "colour", "colour"),
        (lambda s: s.replace("horizon_years: 5", "horizon_years: 50"), "horizon_years", "50"),
    ],
)
def test_bad_settings_name_the_file_and_field(tmp_path: Path, edit: object, field: str, received: str) -> None:
    folder = copy_minimal(tmp_path / "sel")
    path = folder / "selection.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        load_project(folder)
    issues = [i for i in caught.value.issues if i.file == "selection.yaml"]
    assert [i.field for i in issues] == [field] and received in issues[0].received


def test_a_setting_left_in_goals_yaml_names_its_new_home(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "sel")
    goals = folder / "criteria" / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8").replace("# currency: moved to selection.yaml", "currency: GBP"),
                     encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(folder)
    [issue] = caught.value.issues
    assert (issue.file, issue.field, issue.code, issue.line) == ("criteria/goals.yaml", "currency", "moved_setting", 4)
    assert "has moved to selection.yaml" in issue.message


def test_minimal_test_selection_is_a_selection() -> None:
    assert (MINIMAL / "selection.yaml").is_file()
