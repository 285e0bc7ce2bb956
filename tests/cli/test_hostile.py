"""Hostile command lines and files get one clear error and write nothing; untrusted text cannot drive the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from testdata import copy_minimal, replace_in

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import WorkbookError
from crmselect.excel.safe import open_untrusted
from crmselect.excel.scoresheet import export_scoresheet
from crmselect.excel.scoresheet_import import read_scoresheet
from crmselect.files.safe_write import WriteError, write_text_atomic


def test_control_codes_in_a_vendor_name_are_shown_escaped(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    replace_in(selection / "vendors" / "acme.yaml", "name: Acme Cloud CRM", 'name: "Acme\\e[2J\\e[31m CRM"')
    result = subprocess.run([sys.executable, "-m", "crmselect", "rank", str(selection)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "Acme\\x1b[2J\\x1b[31m CRM" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sensitivity", "--samples", "-5"], "--samples must be from 0 to 2,000,000 (received -5)"),
        (["sensitivity", "--samples", "1000000000"], "--samples must be from 0 to 2,000,000"),
        (["sensitivity", "--seed", "-1"], "--seed must be from 0 to 4,294,967,295 (received -1)"),
        (["tco", "--draws", "1000000000"], "--draws must be from 100 to 200,000"),
        (["tco", "--draws", "many"], "--draws must be a whole number"),
    ],
)
def test_out_of_bounds_counts_are_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    selection = copy_minimal(tmp_path / "sel")
    with pytest.raises(SystemExit) as stopped:
        main([args[0], str(selection), *args[1:]])
    assert stopped.value.code == 2 and message in capsys.readouterr().err


def test_log_refuses_a_malformed_head(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", str(copy_minimal(tmp_path / "sel")), "--head", "garbage"]) == 2
    assert "--head must be SEQ:HASH" in capsys.readouterr().err


def test_out_must_have_the_right_ending_and_an_existing_folder(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    assert main(["scorecard", str(selection), "--out", str(tmp_path / "sc.txt")]) == 2
    assert "must end in .xlsx" in capsys.readouterr().err and not (tmp_path / "sc.txt").exists()
    deep = tmp_path / "a" / "b" / "sc.xlsx"
    assert main(["scorecard", str(selection), "--out", str(deep)]) == 2
    assert "does not exist (create it, or add --parents)" in capsys.readouterr().err and not deep.parent.exists()
    assert main(["scorecard", str(selection), "--out", str(deep), "--parents"]) == 0
    assert deep.is_file()


def test_schema_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schema"
    assert main(["schema", "--out", str(out)]) == 0
    (out / "goals.schema.json").write_text("{}  // edited by hand", encoding="utf-8")
    assert main(["schema", "--out", str(out)]) == 2
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert (out / "goals.schema.json").read_text(encoding="utf-8").startswith("{}  // edited")
    assert main(["schema", "--out", str(out), "--force"]) == 0


def test_score_sheets_are_written_all_or_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    out = tmp_path / "sheets"
    out.mkdir()
    (out / "scores_m-service.xlsx").write_bytes(b"a sheet a member is still filling in")
    assert main(["scoresheet", str(selection), "--out", str(out)]) == 2
    assert "scores_m-service.xlsx: already exists; nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["scores_m-service.xlsx"]


def test_a_score_sheet_whose_hidden_member_id_was_changed_is_refused(tmp_path: Path) -> None:
    project = load_project(copy_minimal(tmp_path / "sel"))
    path = export_scoresheet(project, "m-sales", tmp_path / "sales.xlsx")
    wb = openpyxl.load_workbook(path)
    meta = wb["_crmselect"]
    for row in meta.iter_rows():
        if row[0].value == "member_id":
            row[1].value = "m-it"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_scoresheet(path, project)
    assert [i.code for i in caught.value.issues] == ["identity_mismatch"]
    assert "is not m-it's sheet" in str(caught.value)


def test_an_encrypted_workbook_is_called_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(WorkbookError, match="is encrypted"), open_untrusted(path):
        pass


def test_a_write_error_names_the_users_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(WriteError, match=f"{target}: could not be written"):
        write_text_atomic(target, "x", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_temporary_files_of_a_killed_writer_are_cleaned_up(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    orphan = tmp_path / f".out.yaml.{dead}.abc123.tmp"
    orphan.write_text("half a file", encoding="utf-8")
    write_text_atomic(tmp_path / "out.yaml", "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_the_python_api_keeps_the_same_bounds_as_the_command_line(tmp_path: Path) -> None:
    from crmselect.errors import AnalysisError
    from crmselect.evaluation import evaluate
    from crmselect.money.risk import MAX_DRAWS, simulate_risk
    from crmselect.whatif.acceptability import MAX_SAMPLES, smaa

    project = load_project(copy_minimal(tmp_path / "sel"))
    card = evaluate(project, reveal_prices=False).scorecard
    with pytest.raises(AnalysisError, match="n must be from 1 to 2,000,000 weight samples"):
        smaa(card, n=MAX_SAMPLES + 1)
    with pytest.raises(AnalysisError, match="n must be from 1 to 200,000 draws per bid"):
        simulate_risk(project, project.bids[0].id, n=MAX_DRAWS + 1)
