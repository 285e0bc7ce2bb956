"""Offer rounds on disk: a vendor file's ``round:`` is one more than its archived rounds, numbered 1..N."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from testdata import copy_example, replace_in

from crmselect import InputError, load_project
from crmselect.files.loaders import ROUNDS_DIR, load_rounds

CIRROLAN = "vendors/cirrolan.yaml"


def archive(root: Path, *numbers: int) -> None:
    """Keep the current cirrolan file as the archived rounds ``numbers`` (each with its own ``round:``)."""
    folder = root / ROUNDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    text = (root / CIRROLAN).read_text(encoding="utf-8")
    for number in numbers:
        (folder / f"cirrolan.r{number}.yaml").write_text(
            text.replace("id: cirrolan\n", f"id: cirrolan\nround: {number}\n", 1), encoding="utf-8")


def set_round(root: Path, number: int) -> int:
    """Give cirrolan's file ``round: number``; return the line it is on."""
    replace_in(root / CIRROLAN, "id: cirrolan\n", f"id: cirrolan\nround: {number}\n")
    lines = (root / CIRROLAN).read_text(encoding="utf-8").splitlines()
    return lines.index(f"round: {number}") + 1


def test_rounds_numbered_one_to_n_with_the_bid_as_n_plus_one_load(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1, 2)
    set_round(root, 3)
    assert load_project(root).vendor("cirrolan").round == 3
    assert [v.round for v in load_rounds(root, "cirrolan")] == [1, 2]


def test_a_round_that_is_not_one_more_than_the_archive_is_named_with_its_line(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1)
    line = set_round(root, 3)  # one round archived: the bid is round 2, not 3
    with pytest.raises(InputError) as caught:
        load_project(root)
    (issue,) = [i for i in caught.value.issues if i.code == "round_mismatch"]
    assert (issue.file, issue.field, issue.line) == (CIRROLAN, "round", line)
    assert issue.allowed == "round 2" and issue.received == "3"
    assert "is not one more than the 1 earlier round(s) kept in vendors/rounds" in issue.message


def test_an_archive_without_the_file_saying_its_round_is_refused(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1)  # round 1 kept, but the bid still says nothing (round 1)
    with pytest.raises(InputError) as caught:
        load_project(root)
    (issue,) = caught.value.issues
    assert (issue.file, issue.field, issue.line, issue.code) == (CIRROLAN, "round", None, "round_mismatch")
    assert issue.allowed == "round 2" and issue.received == "1"


def test_a_gap_in_the_archived_rounds_is_named_by_file(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1, 3)  # round 2 is missing
    set_round(root, 3)
    with pytest.raises(InputError) as caught:
        load_project(root)
    codes = {(i.file, i.code) for i in caught.value.issues}
    assert (f"{ROUNDS_DIR}/cirrolan.r3.yaml", "round_gap") in codes
    gap = next(i for i in caught.value.issues if i.code == "round_gap")
    assert gap.allowed == "round 2" and gap.received == "3" and "round 2 is missing before it" in gap.message
    with pytest.raises(InputError) as history:
        load_rounds(root, "cirrolan")
    assert [i.code for i in history.value.issues] == ["round_gap"]


def test_an_archived_file_must_say_the_round_its_name_gives(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1, 2)
    set_round(root, 3)
    second = root / ROUNDS_DIR / "cirrolan.r2.yaml"
    second.write_text(second.read_text(encoding="utf-8").replace("round: 2\n", "round: 1\n", 1), encoding="utf-8")
    load_project(root)  # the bid is fine: the archive's own numbers are history's business
    with pytest.raises(InputError) as caught:
        load_rounds(root, "cirrolan")
    (issue,) = caught.value.issues
    assert (issue.file, issue.field, issue.code) == (f"{ROUNDS_DIR}/cirrolan.r2.yaml", "round", "round_mismatch")
    line = second.read_text(encoding="utf-8").splitlines().index("round: 1") + 1
    assert issue.line == line and issue.allowed == "round 2" and issue.received == "1"
    assert "its file name says 2" in issue.message


def test_an_archived_round_of_another_vendor_is_not_counted(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    archive(root, 1)
    set_round(root, 2)
    shutil.copy(root / ROUNDS_DIR / "cirrolan.r1.yaml", root / ROUNDS_DIR / "cirrolan-old.r1.yaml")
    assert load_project(root).vendor("cirrolan").round == 2  # cirrolan-old's history is not cirrolan's
