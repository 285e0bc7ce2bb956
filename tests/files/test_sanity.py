"""Bad input never gets through: values the model refuses, files that are not what they say, suspicious answers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from testdata import copy_minimal, replace_in

from crmselect import InputError, load_project
from crmselect.cli.app import main

GOALS = "criteria/goals.yaml"
ACME = "vendors/acme.yaml"
COMMITTEE = "vendors/committee.yaml"


def issues_of(selection: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as caught:
        load_project(selection)
    return [(i.file, i.field, i.code) for i in caught.value.issues]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (GOALS, "weight: 50", "weight: true", (GOALS, "goals[0].weight", "float_type")),
        (GOALS, "weight: 50", "weight: 1.0e+308", (GOALS, "goals[0].weight", "less_than_equal")),
        (COMMITTEE, "acme: {pipeline: 4, complaint: 3}", "acme: {pipeline: 2.3, complaint: 3}",
         (COMMITTEE, "scores.m-sales.acme.pipeline", "half_step")),
        (GOALS, "  users: 50", "  users: true", (GOALS, "assumptions.users", "int_type")),
    ],
    ids=["boolean weight", "overflowing weight", "score between half points", "boolean count"],
)
def test_values_the_model_refuses(tmp_path: Path, file: str, old: str, new: str,
                                  expected: tuple[str, str, str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    replace_in(selection / file, old, new)
    assert issues_of(selection) == [expected]


def test_a_number_answer_outside_its_range_is_refused_like_the_questionnaire_does(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    replace_in(selection / ACME, "SRV-002: {value: 99.9}", "SRV-002: {value: 100.5}")  # uptime, in percent
    assert issues_of(selection) == [(ACME, "answers.SRV-002.value", "out_of_range")]


def test_a_goal_with_weight_and_no_criterion_is_an_error(tmp_path: Path) -> None:
    selection = copy_minimal(tmp_path / "sel")
    text = (selection / GOALS).read_text(encoding="utf-8")
    start = text.index("    criteria:\n      SAL-001: 3")
    end = text.index("\n  - id:", start)
    (selection / GOALS).write_text(text[:start] + "    criteria: {}" + text[end:], encoding="utf-8")
    assert issues_of(selection) == [(GOALS, "goals[0].criteria", "unserved_goal")]


def test_a_past_release_promise_is_a_warning_that_validate_and_rank_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    selection = copy_minimal(tmp_path / "sel")
    replace_in(selection / ACME, "available: 2026-09-30}", "available: 1999-01-01}")
    project = load_project(selection)
    assert [(n.code, n.received) for n in project.notes] == [("past_promise", "1999-01-01")]
    for command in ("validate", "rank"):
        assert main([command, str(selection)]) == 0
        assert "promises a future release on a date already past at as_of 2026-06-01" in capsys.readouterr().out


def test_vendor_files_may_end_in_yml_and_others_are_reported(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    selection = copy_minimal(tmp_path / "sel")
    (selection / ACME).rename(selection / "vendors" / "acme.yml")
    (selection / "vendors" / "notes.txt").write_text("our notes", encoding="utf-8")
    project = load_project(selection)
    assert "acme" in {v.id for v in project.vendors}
    assert [(n.file, n.code) for n in project.notes] == [("vendors/notes.txt", "stray_file")]
    assert main(["validate", str(selection)]) == 0
    assert "vendors/notes.txt: is not read" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["fifo", "link loop", "device", "folder"])
def test_a_file_that_is_not_a_file_is_named_for_what_it_is(tmp_path: Path, kind: str) -> None:
    selection = copy_minimal(tmp_path / "sel")
    target = selection / "criteria" / "goal_themes.yaml"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link loop":
        target.symlink_to(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.mkdir()
    with pytest.raises(InputError) as caught:
        load_project(selection)
    [issue] = caught.value.issues
    received = {"fifo": "a named pipe (FIFO)", "link loop": "a link loop", "device": "a device",
                "folder": "a folder"}[kind]
    assert (issue.file, issue.received) == ("criteria/goal_themes.yaml", received)
