"""Input problems in the CLI's language: with ``--lang zh-CN`` each group of file, workspace and record
problems reads in Chinese (only ids, file names, field paths, commands and acronyms stay as written), and
with ``--lang en`` in the same English as ever.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmselect.cli.app import main
from crmselect.files import workspace
from tests.testdata import copy_example, copy_minimal

ACRONYMS = {"YAML", "JSON", "ID", "CRM", "crmselect"}  # and the program's own name
# commands to type, file names, folder paths and digests: kept as written in every language
KEPT = re.compile(r"`[^`]*`|(?:/[\w.-]+)+|[\w./-]+\.(?:yaml|jsonl|lock)|\b[0-9a-f]{12,}\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'_-]*[A-Za-z]")


def run(capsys: pytest.CaptureFixture[str], language: str, *args: str) -> str:
    capsys.readouterr()
    assert main(["--lang", language, *args]) == 2
    return capsys.readouterr().err


def english_words(text: str, *kept: str) -> set[str]:
    for data in sorted(kept, key=len, reverse=True):
        text = text.replace(data, " ")
    text = KEPT.sub(" ", text)
    return {w for w in WORD.findall(text) if w not in ACRONYMS}


def check(capsys: pytest.CaptureFixture[str], args: list[str], english: list[str], chinese: list[str],
          kept: tuple[str, ...] = ()) -> None:
    en = run(capsys, "en", *args)
    for text in english:
        assert text in en
    zh = run(capsys, "zh-CN", *args)
    for text in chinese:
        assert text in zh
    assert english_words(re.sub(r"^crmselect [\w-]+: ", "", zh), *kept) == set(), zh


def test_a_yaml_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    acme = selection / "vendors" / "acme.yaml"
    acme.write_text(acme.read_text(encoding="utf-8") + "notes: one: two\n", encoding="utf-8")
    check(capsys, ["validate", str(selection)],
          [f"1 problem in {selection}:", "vendors/acme.yaml line ",
           ": is not valid YAML: mapping values are not allowed here (allowed: valid YAML: check the colons, quotes, "
           "brackets and indentation here and on the line above; received: notes: one: two)"],
          [f"{selection} 中有 1 个问题", "不是有效的 YAML", "冒号"], kept=("notes: one: two",))


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    (selection / "criteria" / "goals.yaml").unlink()
    check(capsys, ["validate", str(selection)],
          ["criteria/goals.yaml: is missing (allowed: a YAML file at this path; received: no file)"],
          ["criteria/goals.yaml：缺失（允许：此路径下的 YAML 文件；实际：没有文件）"])


def test_an_unknown_goal_in_a_weighting_ranking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    goals = selection / "criteria" / "goals.yaml"
    text = re.sub(r"\n    weight: \d+", "", goals.read_text(encoding="utf-8"))
    goals.write_text(text + "weighting: rank_order\nranking: [forecast, nosuch, service]\n", encoding="utf-8")
    ids = ("forecast", "service", "risk", "nosuch", "ranking")
    check(capsys, ["validate", str(selection)],
          ["ranking[1]: is not a goal of this file (allowed: forecast, service, risk; received: nosuch)",
           "ranking: leaves goals unranked (allowed: every goal once: forecast, service, risk; received: no place "
           "for risk)"],
          ["ranking[1]：不是本文件中的目标", "有目标未排序"], kept=ids)


def test_a_folder_that_is_not_a_selection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    check(capsys, ["validate", str(folder)],
          [f"{folder}: is not a selection (no selection.yaml): run `crmselect init DIR` to start one, or pass a "
           "selection folder (allowed: a folder with selection.yaml; received: an empty folder)"],
          ["不是选型文件夹", "空文件夹"])


@pytest.fixture
def held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A selection whose lock another process holds; this process gives up waiting after half a second."""
    selection = copy_example(tmp_path / "sel")
    monkeypatch.setattr(workspace.selection_lock.__wrapped__, "__kwdefaults__", {"timeout": 0.5})  # type: ignore[attr-defined]
    code = ("import sys, time; from pathlib import Path; from crmselect.files.workspace import selection_lock\n"
            "with selection_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(selection)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield selection
    finally:
        holder.kill()
        holder.wait(10)
        if holder.stdout:
            holder.stdout.close()


def test_a_selection_busy(held: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--member", "wang_fang", "lock", str(held), "--why", "all demos scored"]
    check(capsys, args,
          ["is held by another crmselect process for more than 0.5 s; wait for it to finish and try again "
           "(allowed: a free lock; received: held)"],
          ["被另一个 crmselect 进程占用超过 0.5 秒"])


def test_a_tampered_decision_log_after_a_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_example(tmp_path / "sel")
    assert main(["--member", "wang_fang", "lock", str(selection), "--why", "all demos scored"]) == 0
    log = selection / "decision_log.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace("all demos scored", "no demo scored"), encoding="utf-8")
    for command in (["log", str(selection)], ["rank", str(selection)]):
        check(capsys, command,
              [f"the decision log {log} does not verify (1 problem):\n",
               f"{log} line 2: was edited: its content no longer matches its hash (entry seq 2)"],
              [f"决策日志 {log} 校验未通过（1 个问题）", "被改动过"])
