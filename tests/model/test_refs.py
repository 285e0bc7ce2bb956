"""References to ids are NFC like the ids: two spellings of one name are one key everywhere."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from testdata import copy_minimal, replace_in

from crmselect import load_project
from crmselect.model.goals import Committee


def test_score_keys_in_another_normal_form_still_name_the_member() -> None:
    composed = "jos\u00e9"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    committee = Committee.model_validate({
        "members": [{"id": composed, "name": "José", "role": "sales"}],
        "scenarios": [],
        "scores": {decomposed: {"acme": {"pipeline": 4}}},
    })
    assert list(committee.scores) == [composed] == list(committee.member_ids)


def test_a_selection_whose_files_spell_a_member_two_ways_loads_as_one_member(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    committee = root / "vendors" / "committee.yaml"
    replace_in(committee, "{id: m-sales,", "{id: m-s\u00e9les,")
    replace_in(committee, "  m-sales:\n", "  " + unicodedata.normalize("NFD", "m-s\u00e9les") + ":\n")
    goals = root / "criteria" / "goals.yaml"
    replace_in(goals, "holder: m-sales", "holder: " + unicodedata.normalize("NFD", "m-s\u00e9les"))
    project = load_project(root)
    assert project.selection.stakeholder_views[0].holder == "m-s\u00e9les"
    assert "m-s\u00e9les" in project.committee.member_ids
    assert "m-s\u00e9les" in project.committee.scores
