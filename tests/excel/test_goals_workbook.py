"""The goals workbook: goals, KPIs, every weighting method and the links out to Excel and back into the goals file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, copy_minimal, replace_in

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.excel.goals_book import FIRST_GOAL, FIRST_PAIR, L_FIRST_GOAL, LINKS_HEADER, POWER_STEPS, Layout
from crmselect.excel.goals_import import import_goals
from crmselect.record.log import DecisionLog
from crmselect.scoring.ahp import ahp_kernel, power_steps_kernel
from crmselect.scoring.weighting import derive_weights
from crmselect.scoring.weights import ahp, ahp_group, ahp_matrix, rank_order_centroid, swing

GOALS3 = ("forecast", "service", "risk")


def written(root: Path, tmp_path: Path, name: str = "goals.xlsx") -> Path:
    out = tmp_path / name
    assert main(["goals-workbook", str(root), "--out", str(out)]) == 0
    return out


def edit(path: Path, cells: dict[str, dict[str, Any]]) -> None:
    """Type into the workbook as a committee member would: {sheet: {cell: value}}."""
    wb = openpyxl.load_workbook(path)
    for sheet, values in cells.items():
        for cell, value in values.items():
            wb[sheet][cell] = value
    wb.save(path)


def pair_rows(slots: int) -> dict[tuple[int, int], int]:
    return {pair: FIRST_PAIR + k for k, pair in enumerate(Layout(slots, ()).pairs)}


def judge(path: Path, sheet: str, judgments: dict[tuple[int, int], tuple[int, float]], slots: int = 8) -> None:
    """{(slot i, slot j): (slot that matters more, how much)} typed into one AHP sheet."""
    wb = openpyxl.load_workbook(path)
    ids = [wb["Goals"].cell(FIRST_GOAL + k, 1).value for k in range(slots)]
    rows = pair_rows(slots)
    for pair, (more, how) in judgments.items():
        wb[sheet].cell(rows[pair], 3).value = ids[more]
        wb[sheet].cell(rows[pair], 4).value = how
    wb.save(path)


def problems(caught: pytest.ExceptionInfo[InputError]) -> set[tuple[str, str]]:
    return {(issue.field, issue.code) for issue in caught.value.issues}


# ---------------------------------------------------------------------------- round trip
def test_the_example_round_trips_unchanged_and_the_file_is_untouched(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    before = (root / "criteria" / "goals.yaml").read_bytes()
    out = written(root, tmp_path)
    assert main(["--member", "wang_fang", "import-goals", str(root), "--from", str(out)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert (root / "criteria" / "goals.yaml").read_bytes() == before


def test_the_workbook_is_protected_with_inputs_drop_downs_and_a_filter(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    wb = openpyxl.load_workbook(written(root, tmp_path))
    project = load_project(root)
    assert wb.sheetnames[:4] == ["Instructions", "Goals", "KPIs", "Links"]
    assert [f"AHP {m}" for m in ("committee", *project.committee.member_ids)] == wb.sheetnames[4:-2]
    assert wb.sheetnames[-2:] == ["AHP result", "_crmselect"] and wb["_crmselect"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    for name in wb.sheetnames:
        assert wb[name].protection.sheet, name
    goals = wb["Goals"]
    assert goals["B4"].value == "points" and not goals["B4"].protection.locked
    assert goals["A8"].value == "forecast_accuracy" and not goals["A8"].protection.locked
    assert goals["G8"].data_type == "f" and goals["G8"].protection.locked
    assert any("points" in str(dv.formula1) and "B4" in str(dv.sqref) for dv in goals.data_validations.dataValidation)
    links = wb["Links"]
    assert links.auto_filter.ref and links.cell(LINKS_HEADER, L_FIRST_GOAL).data_type == "f"
    row = next(r for r in range(LINKS_HEADER + 1, links.max_row + 1) if links.cell(r, 1).value == "SFA-011")
    assert links.cell(row, L_FIRST_GOAL).value == 5  # forecast_accuracy gives SFA-011 five points
    unlinked = next(r for r in range(LINKS_HEADER + 1, links.max_row + 1)
                    if links.cell(r, 1).value and all(links.cell(r, L_FIRST_GOAL + k).value is None for k in range(10)))
    assert "unlinked" in str(links.cell(unlinked, L_FIRST_GOAL + 10 + 1).value)


# ---------------------------------------------------------------------------- every method through the workbook
def test_ahp_from_the_workbook_equals_ahp_and_is_recorded_in_the_log(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"B4": "ahp"}})
    judge(out, "AHP committee", {(0, 1): (0, 3), (0, 2): (0, 5), (1, 2): (1, 2)})
    assert main(["--member", "m-it", "import-goals", str(root), "--from", str(out), "--why", "workshop 3"]) == 0
    printed = capsys.readouterr().out
    assert "weights by AHP pairwise judgments" in printed and "recorded as decision log entry" in printed
    selection = load_project(root).selection
    assert selection.weighting.value == "ahp" and all(g.weight is None for g in selection.goals)
    reference = ahp(ahp_matrix({("forecast", "service"): 3, ("forecast", "risk"): 5, ("service", "risk"): 2},
                               GOALS3), labels=GOALS3)
    np.testing.assert_allclose(derive_weights(selection).weights, reference.weights)
    entry = DecisionLog.for_project(load_project(root)).entries()[-1]
    assert entry.kind == "changed" and entry.who == "m-it" and entry.why == "workshop 3"
    fields = {c["field"] for c in entry.what["changes"]}
    assert "judgments[committee][forecast vs service]" in fields and "weighting" in fields
    text = (root / "criteria" / "goals.yaml").read_text(encoding="utf-8")
    assert "must_haves:" in text and "criterion: SAL-001" in text
    assert "assumptions:" in text and "users: 50" in text  # the rest of the file is kept


def test_group_ahp_takes_every_filled_in_members_sheet(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"B4": "ahp"}})
    judge(out, "AHP m-sales", {(0, 1): (0, 5), (0, 2): (0, 7), (1, 2): (1, 2)})
    judge(out, "AHP m-service", {(0, 1): (1, 2), (0, 2): (0, 3), (1, 2): (1, 4)})
    import_goals(out, load_project(root), member="m-sales", why="group AHP")
    derived = derive_weights(load_project(root).selection)
    matrices = [ahp_matrix({("forecast", "service"): 5, ("forecast", "risk"): 7, ("service", "risk"): 2}, GOALS3),
                ahp_matrix({("service", "forecast"): 2, ("forecast", "risk"): 3, ("service", "risk"): 4}, GOALS3)]
    np.testing.assert_allclose(derived.weights, ahp_group(matrices, labels=GOALS3).weights)
    assert set(derived.members) == {"m-sales", "m-service"}  # m-it and the committee sheet were left blank


def test_rank_order_and_swing_from_the_workbook(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"B4": "rank_order", "E8": 2, "E9": 1, "E10": 2}})
    import_goals(out, load_project(root), member="m-it", why="ranked")
    selection = load_project(root).selection
    assert selection.ranking == ("service", ("forecast", "risk"))
    assert derive_weights(selection).as_dict() == pytest.approx(rank_order_centroid(["service", ["forecast", "risk"]]))
    out = written(root, tmp_path, "swing.xlsx")
    edit(out, {"Goals": {"B4": "swing", "F8": 100, "F9": 60, "F10": 40}})
    import_goals(out, load_project(root), member="m-it", why="swing")
    selection = load_project(root).selection
    assert not selection.ranking and selection.weighting.value == "swing"
    assert derive_weights(selection).as_dict() == pytest.approx(swing({"forecast": 100, "service": 60, "risk": 40}))


def test_live_weights_and_consistency_in_libreoffice_agree_with_validate(tmp_path: Path) -> None:
    from lo import recalculated

    root = copy_example(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"B4": "ahp"}})
    values = [3, 5, 2, 4, 1, 7, 2, 3, 1, 2, 5, 3, 2, 4, 1, 3, 2, 2, 6, 1, 3]
    pairs = [(i, j) for i in range(7) for j in range(i + 1, 7)]
    judge(out, "AHP committee", {p: (p[0] if k % 3 else p[1], values[k]) for k, p in enumerate(pairs)}, slots=10)
    rank_copy = tmp_path / "ranks.xlsx"
    rank_copy.write_bytes(out.read_bytes())
    edit(rank_copy, {"Goals": {"B4": "rank_order", "E8": 1, "E9": 2, "E10": 2, "E11": 4, "E12": 5, "E13": 5,
                               "E14": 7}})
    live, live_ranks = recalculated([out, rank_copy], tmp_path)
    import_goals(out, load_project(root), member="wang_fang", why="AHP workshop")
    derived = derive_weights(load_project(root).selection)
    sheet = openpyxl.load_workbook(live, data_only=True)["Goals"]
    assert derived.cr is not None and derived.cr > 0.10
    assert abs(sheet["B5"].value - derived.cr) <= 0.01
    shown = [sheet.cell(FIRST_GOAL + k, 7).value for k in range(7)]
    np.testing.assert_allclose(shown, derived.weights, atol=0.005)
    ranks = openpyxl.load_workbook(live_ranks, data_only=True)["Goals"]
    ids = [ranks.cell(FIRST_GOAL + k, 1).value for k in range(7)]
    expected = rank_order_centroid([ids[0], ids[1:3], ids[3], ids[4:6], ids[6]])
    np.testing.assert_allclose([ranks.cell(FIRST_GOAL + k, 7).value for k in range(7)],
                               [expected[i] for i in ids], atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=3, max_value=10).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9]),
                                             min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))))
def test_the_sheets_approximation_stays_within_0_01_of_the_eigenvector(case: tuple[int, list[float]]) -> None:
    n, upper = case
    matrix = np.ones((n, n))
    values = iter(upper)
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = next(values)
            matrix[j, i] = 1 / matrix[i, j]
    weights, _, _, cr = ahp_kernel(matrix)
    approx_weights, _, approx_cr = power_steps_kernel(matrix, POWER_STEPS)
    assert abs(approx_cr - cr) <= 0.01
    assert float(np.abs(approx_weights - weights).max()) <= 0.01


# ---------------------------------------------------------------------------- new goals, renamed goals, the rest kept
def test_a_new_goal_with_kpis_and_links_is_added(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    wb = openpyxl.load_workbook(out)
    wb["Goals"]["A11"], wb["Goals"]["B11"], wb["Goals"]["D11"] = "data_quality", "Clean customer data", 10
    kpis = wb["KPIs"]
    row = 4 + 3 * 3 + 1  # slot 4, first KPI row
    for column, value in zip("CDEFG", ("Duplicate accounts", "%", 12, 2, 3000), strict=True):
        kpis[f"{column}{row}"] = value
    links = wb["Links"]
    target = next(r for r in range(LINKS_HEADER + 1, links.max_row + 1) if links.cell(r, 1).value == "SAL-002")
    links.cell(target, L_FIRST_GOAL + 3).value = 4
    wb.save(out)
    import_goals(out, load_project(root), member="m-it", why="new goal")
    goal = load_project(root).selection.goal("data_quality")
    assert goal.weight == 10 and dict(goal.criteria) == {"SAL-002": 4}
    assert goal.kpis[0].annual_benefit == pytest.approx(30000)


def test_the_goals_file_edited_after_the_workbook_was_written_needs_force(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"D8": 60}})
    replace_in(root / "criteria" / "goals.yaml", "weight: 30", "weight: 35")
    with pytest.raises(InputError) as caught:
        import_goals(out, load_project(root), member="m-it", why="late")
    assert problems(caught) == {("goals", "goals_changed")}
    assert "weight: 35" in (root / "criteria" / "goals.yaml").read_text(encoding="utf-8")
    assert main(["--member", "m-it", "import-goals", str(root), "--from", str(out), "--force"]) == 0
    weights = {g.id: g.weight for g in load_project(root).selection.goals}
    assert weights == {"forecast": 60, "service": 30, "risk": 20}


def test_a_new_selection_without_members_imports_and_says_it_was_not_recorded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "fresh"
    assert main(["init", str(root), "--name", "Fresh", "--company", "Fresh Ltd", "--currency", "EUR"]) == 0
    out = written(root, tmp_path)
    edit(out, {"Goals": {"A8": "faster_quotes", "B8": "Faster quotes", "D8": 100}})
    capsys.readouterr()
    assert main(["import-goals", str(root), "--from", str(out)]) == 0
    assert "not recorded in the decision log: the committee has no members yet" in capsys.readouterr().out


def test_a_renamed_goal_that_a_stakeholder_view_names_is_refused_and_nothing_written(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    before = (root / "criteria" / "goals.yaml").read_bytes()
    out = written(root, tmp_path)
    edit(out, {"Goals": {"A14": "cost_risk"}})  # the stakeholder views still weigh cost_and_risk
    with pytest.raises(InputError) as caught:
        import_goals(out, load_project(root), member="wang_fang", why="rename a goal")
    found = [i for i in caught.value.issues if "after importing goals.xlsx" in i.message]
    assert found and all(i.file == "criteria/goals.yaml" and i.line for i in found)
    assert any("cost_and_risk" in (i.field + i.received) for i in found), [str(i) for i in found]
    assert (root / "criteria" / "goals.yaml").read_bytes() == before


# ---------------------------------------------------------------------------- hostile workbooks
def test_every_problem_is_reported_by_sheet_and_cell_and_nothing_is_written(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    before = (root / "criteria" / "goals.yaml").read_bytes()
    out = written(root, tmp_path)
    wb = openpyxl.load_workbook(out)
    goals, links = wb["Goals"], wb["Links"]
    goals["B4"] = "ahp"
    goals["D8"] = "=1+1"  # a formula in an input
    goals["E9"] = 99  # a rank out of range
    goals["B11"] = "A goal without an ID"
    goals["A12"], goals["B12"] = "forecast", "A second forecast"
    first = next(r for r in range(LINKS_HEADER + 1, links.max_row + 1) if links.cell(r, 1).value)
    links.cell(first, 1).value = "SAL-999"  # an altered criterion id
    links.cell(first + 1, L_FIRST_GOAL + 6).value = 3  # a link for an empty goal slot
    links.cell(first + 2, L_FIRST_GOAL).value = -2
    wb["KPIs"]["C5"] = "Forecast error"
    wb["KPIs"]["E5"] = None  # a KPI row without its baseline
    rows = pair_rows(8)
    committee = wb["AHP committee"]
    committee.cell(rows[(0, 1)], 3).value, committee.cell(rows[(0, 1)], 4).value = "risk", 3  # neither goal of the pair
    committee.cell(rows[(0, 2)], 3).value, committee.cell(rows[(0, 2)], 4).value = "forecast", 12
    wb.save(out)
    with pytest.raises(InputError) as caught:
        import_goals(out, load_project(root), member="m-it", why="hostile")
    found = problems(caught)
    expected = {
        ("Goals!D8", "formula"), ("Goals!E9", "out_of_range"), ("Goals!A11", "missing_id"),
        ("Goals!A12", "duplicate_id"), (f"Links!A{first}", "altered_id"),
        (f"Links!{chr(64 + L_FIRST_GOAL + 6)}{first + 1}", "link_without_goal"),
        (f"Links!{chr(64 + L_FIRST_GOAL)}{first + 2}", "out_of_range"), ("KPIs!E5", "incomplete_kpi"),
        (f"AHP committee!C{rows[(0, 1)]}", "bad_choice"), (f"AHP committee!D{rows[(0, 2)]}", "out_of_range"),
    }
    assert expected <= found, sorted(found - expected)
    for issue in caught.value.issues:
        assert issue.file == "goals.xlsx" and issue.allowed and issue.received, issue
    assert (root / "criteria" / "goals.yaml").read_bytes() == before


def test_incomplete_judgments_a_missing_sheet_and_a_foreign_file(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    out = written(root, tmp_path)
    edit(out, {"Goals": {"B4": "ahp"}})
    judge(out, "AHP m-sales", {(0, 1): (0, 3)})
    with pytest.raises(InputError) as caught:
        import_goals(out, load_project(root), member="m-it", why="half")
    assert ("AHP m-sales", "incomplete_judgments") in problems(caught)
    wb = openpyxl.load_workbook(out)
    del wb["KPIs"]
    wb.save(out)
    with pytest.raises(InputError) as caught:
        import_goals(out, load_project(root), member="m-it", why="no kpis")
    assert ("KPIs", "missing_sheet") in problems(caught)
    scorecard = tmp_path / "scorecard.xlsx"
    assert main(["scorecard", str(root), "--out", str(scorecard)]) == 0
    assert main(["--member", "m-it", "import-goals", str(root), "--from", str(scorecard)]) == 2
