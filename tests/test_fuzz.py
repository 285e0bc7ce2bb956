"""Fuzzing the committee's inputs: random mutations of the selection's YAML and of returned score sheets.

Properties: no traceback ever; every error names a file; nothing is written when an error is raised.
Hypothesis runs derandomised in CI (tests/conftest.py), so a landing never depends on a lucky draw.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testdata import MINIMAL, copy_minimal

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.excel.scoresheet import HEADER_ROW, SHEET, export_scoresheet
from crmselect.files.workspace import LOCK_FILE

YAML_FILES = sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*.yaml"))
CELL_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK_FILE}  # the lock holds no content


def mutate(text: str, how: str, where: float, noise: str) -> str:
    lines = text.splitlines(keepends=True)
    at = min(int(where * len(lines)), len(lines) - 1)
    if how == "delete line":
        del lines[at]
    elif how == "duplicate line":
        lines.insert(at, lines[at])
    elif how == "replace value":
        key, _, _ = lines[at].partition(":")
        lines[at] = f"{key}: {noise}\n"
    elif how == "insert text":
        lines.insert(at, noise + "\n")
    else:  # indent
        lines[at] = "   " + lines[at]
    return "".join(lines)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_minimal(tmp_path_factory.mktemp("fuzz") / "base")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(YAML_FILES), how=st.sampled_from(["delete line", "duplicate line", "replace value",
                                                             "insert text", "indent"]),
       where=st.floats(0, 1), noise=NOISE, command=st.sampled_from(["validate", "rank"]))
def test_mutated_yaml_gives_a_clean_result_or_a_clean_error(
    base: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
    file: str, how: str, where: float, noise: str, command: str,
) -> None:
    selection = tmp_path_factory.mktemp("case") / "sel"
    shutil.copytree(base, selection)
    path = selection / file
    path.write_text(mutate(path.read_text(encoding="utf-8"), how, where, noise), encoding="utf-8")
    before = snapshot(selection)
    code = main([command, str(selection)])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in out + err and "internal error" not in err
    if code == 2:
        assert any(name in err for name in (*YAML_FILES, "selection.yaml", str(selection))), err
    assert snapshot(selection) == before, "a command that reads wrote something"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(HEADER_ROW - 2, HEADER_ROW + 4), column=st.integers(1, 8),
       value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10), CELL_TEXT,
                       st.just("=1+1"), st.just("=HYPERLINK(\"http://x\")"), st.none()))
def test_a_tampered_score_sheet_is_imported_or_refused_without_writing(
    base: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
    row: int, column: int, value: object,
) -> None:
    selection = tmp_path_factory.mktemp("sheet") / "sel"
    shutil.copytree(base, selection)
    sheet = export_scoresheet(load_project(selection), "m-it", selection.parent / "it.xlsx")
    wb = openpyxl.load_workbook(sheet)
    cell = wb[SHEET].cell(row, column)
    if not hasattr(cell, "column_letter"):  # a merged cell: Excel keeps its value in the first cell only
        return
    cell.value = value
    wb.save(sheet)
    before = snapshot(selection)
    code = main(["import-scores", str(selection), "--from", str(sheet), "--force"])
    _, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert "it.xlsx" in err, err
        assert snapshot(selection) == before, "a refused import wrote something"


def test_ctrl_c_stops_a_long_run_cleanly(tmp_path: Path) -> None:
    import os

    from testdata import copy_example

    selection = copy_example(tmp_path / "sel")
    process = subprocess.Popen(
        [sys.executable, "-m", "crmselect", "--member", "sun_li", "tco", str(selection), "--draws", "200000",
         "--unseal", "--unseal-why", "interrupted on purpose"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    for line in process.stdout:  # wait until the Monte Carlo runs, then press Ctrl-C
        if line.startswith("Implementation risk"):
            break
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err
