"""The selection as a workspace: which folder a command works on, and no lost updates between writers."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
import yaml
from testdata import copy_minimal

from crmselect import InputError, load_project
from crmselect.excel.scoresheet import HEADER_ROW, SHEET, export_scoresheet, score_column
from crmselect.excel.scoresheet_import import import_scores
from crmselect.files.workspace import LOCK_FILE, SelectionBusyError, resolve_selection, selection_lock
from crmselect.record.log import DecisionLog

PIPELINE_ROW = HEADER_ROW + 1
ACME = score_column(0)


def set_score(path: Path, value: float) -> None:
    wb = openpyxl.load_workbook(path)
    wb[SHEET].cell(PIPELINE_ROW, ACME).value = value
    wb.save(path)


def scores(selection: Path) -> dict[str, float]:
    data = yaml.safe_load((selection / "vendors" / "committee.yaml").read_text(encoding="utf-8"))
    return {member: data["scores"][member]["acme"]["pipeline"] for member in ("m-it", "m-sales")}


def test_resolution_prefers_the_named_folder_then_a_selection_cwd(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    assert resolve_selection(str(selection)) == selection
    assert resolve_selection(None, cwd=selection) == selection
    with pytest.raises(InputError, match="there is no selection here"):
        resolve_selection(None, cwd=tmp_path)


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_two_members_importing_at_the_same_moment_both_keep_their_scores(tmp_path: Path, round_: int) -> None:
    selection = copy_minimal(tmp_path / "sel")
    project = load_project(selection)
    sheets = {}
    for member, value in (("m-it", 1.0 + round_ / 2), ("m-sales", 0.5 * round_)):
        sheets[member] = export_scoresheet(project, member, tmp_path / f"{member}.xlsx")
        set_score(sheets[member], value)
    commands = [[sys.executable, "-m", "crmselect", "import-scores", str(selection), "--from", str(path), "--force"]
                for path in sheets.values()]
    processes = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for cmd in commands]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0, 0], results
    assert scores(selection) == {"m-it": 1.0 + round_ / 2, "m-sales": 0.5 * round_}


def test_an_import_with_a_stale_project_is_refused_not_merged(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    stale = load_project(selection)
    first = export_scoresheet(stale, "m-it", tmp_path / "it.xlsx")
    second = export_scoresheet(stale, "m-sales", tmp_path / "sales.xlsx")
    set_score(first, 1.0)
    set_score(second, 2.0)
    import_scores([first], stale, force=True)
    with pytest.raises(InputError) as caught:
        import_scores([second], stale, force=True)
    assert [(i.file, i.code) for i in caught.value.issues] == [("vendors/committee.yaml", "stale_selection")]
    assert scores(selection)["m-it"] == 1.0, "the first import is kept"
    import_scores([second], load_project(selection), force=True)
    assert scores(selection) == {"m-it": 1.0, "m-sales": 2.0}


def test_log_appends_from_many_threads_and_processes_all_land(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    project = load_project(selection)
    code = ("import sys; from crmselect import load_project; from crmselect.record.log import DecisionLog; "
            "log = DecisionLog.for_project(load_project(sys.argv[1])); "
            "[log.append('note', 'm-it', {'n': i}, 'from a process') for i in range(5)]")
    processes = [subprocess.Popen([sys.executable, "-c", code, str(selection)]) for _ in range(3)]
    log = DecisionLog.for_project(project)

    def notes() -> None:
        for i in range(5):
            log.append("note", "m-sales", {"n": i}, "from a thread")

    threads = [threading.Thread(target=notes) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.wait(timeout=300) for p in processes] == [0, 0, 0]
    assert log.verify() == 1 + 3 * 5 + 2 * 5  # the open entry and every note, chained


def test_a_held_lock_times_out_with_a_clear_message(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    code = ("import sys, time; from pathlib import Path; from crmselect.files.workspace import selection_lock\n"
            "with selection_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(selection)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SelectionBusyError) as caught, selection_lock(selection, timeout=0.5):
            pass
        assert LOCK_FILE in caught.value.issues[0].file and "another crmselect process" in str(caught.value)
    finally:
        holder.kill()
        holder.wait(10)
        if holder.stdout:
            holder.stdout.close()
