"""phases.yaml: the loader's errors name file, line and field; a written plan reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmselect.errors import InputError
from crmselect.files.loaders import load_project
from crmselect.files.phases import PHASES_FILE, load_phase_plan, phase_plan_yaml, write_phase_plan
from crmselect.files.safe_write import FileExistsErrorNoForce
from crmselect.model.phases import Phase, PhasePlan
from tests.testdata import copy_minimal

GOOD = """\
bid: acme-saas
effort_cap_days: 120
overhead_days: 15
phases:
  - id: quick_wins
    name: Quick wins
    goals: [service]
  - id: phase_2
    name: The rest
    goals:
      - forecast
      - risk
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return copy_minimal(tmp_path / "selection")


def _issues(folder: Path, text: str) -> list[str]:
    (folder / PHASES_FILE).write_text(text, encoding="utf-8")
    project = load_project(folder)
    with pytest.raises(InputError) as caught:
        load_phase_plan(folder, project.selection, [b.id for b in project.bids])
    return [str(issue) for issue in caught.value.issues]


def test_no_file_is_no_plan(folder: Path) -> None:
    assert load_phase_plan(folder, load_project(folder).selection) is None


def test_a_good_plan_loads(folder: Path) -> None:
    (folder / PHASES_FILE).write_text(GOOD, encoding="utf-8")
    project = load_project(folder)
    plan = load_phase_plan(folder, project.selection, [b.id for b in project.bids])
    assert plan is not None
    assert plan.phase_ids == ("quick_wins", "phase_2")
    assert plan.goal_ids == ("service", "forecast", "risk")
    assert plan.phase_of("risk").id == "phase_2"
    assert (plan.bid, plan.effort_cap_days, plan.overhead_days) == ("acme-saas", 120.0, 15.0)
    with pytest.raises(KeyError, match="forecast"):
        plan.phase_of("nothing")


def test_goal_in_no_phase_names_file_line_and_field(folder: Path) -> None:
    issues = _issues(folder, GOOD.replace("      - risk\n", ""))
    assert issues == [
        "phases.yaml line 4: phases: has goal risk in no phase: each goal must go live in one phase "
        "(allowed: every goal in one phase: forecast, service, risk; received: risk in no phase)"]


def test_every_problem_at_once(folder: Path) -> None:
    text = GOOD.replace("goals: [service]", "goals: [service, forecast, typo]").replace("bid: acme-saas",
                                                                                        "bid: nobody")
    issues = _issues(folder, text)
    assert len(issues) == 3, issues  # a goal in two phases stops the model; the unknown goal and bid still show
    text = GOOD.replace("goals: [service]", "goals: [service, typo]").replace("bid: acme-saas", "bid: nobody")
    issues = _issues(folder, text)
    assert any("line 7: phases[0].goals[1]: names a goal the selection does not have" in i and "received: typo" in i
               for i in issues), issues
    assert any("line 1: bid: names a bid the selection does not have" in i and "acme-saas, borealis-onprem" in i
               for i in issues), issues


def test_goal_in_two_phases(folder: Path) -> None:
    issues = _issues(folder, GOOD.replace("goals: [service]", "goals: [service, risk]"))
    assert len(issues) == 1
    assert "phases.yaml line 12: phases[1].goals[1]: names a goal that is already in phase quick_wins" in issues[0]


def test_unknown_goal_alongside_a_model_error(folder: Path) -> None:
    text = GOOD.replace("goals: [service]", "goals: [service, risk, typo]")
    issues = _issues(folder, text)
    assert len(issues) == 2, issues
    assert any("phases[0].goals[2]" in i and "received: typo" in i for i in issues)


def test_phase_with_no_goals_and_duplicate_ids(folder: Path) -> None:
    issues = _issues(folder, GOOD.replace("goals: [service]", "goals: []"))
    assert issues[0].startswith("phases.yaml line 7: phases[0].goals: has too few items")
    issues = _issues(folder, GOOD.replace("goals: [service]", "goals:"))  # left empty: null in YAML
    assert issues[0].startswith("phases.yaml line 7: phases[0].goals: has too few items"), issues
    issues = _issues(folder, GOOD.replace("id: phase_2", "id: quick_wins"))
    assert issues[0].startswith("phases.yaml line 8: phases[1].id: is a duplicate phase id")


def test_bad_numbers_and_typos(folder: Path) -> None:
    issues = _issues(folder, GOOD.replace("overhead_days: 15", "overhead_days: -1").replace("name: Quick wins",
                                                                                            "nam: Quick wins"))
    assert any(i.startswith("phases.yaml line 3: overhead_days:") and ">= 0" in i for i in issues), issues
    assert any("phases[0].nam: is not a known field; did you mean name?" in i for i in issues), issues


def test_written_plan_reads_back(folder: Path) -> None:
    project = load_project(folder)
    plan = PhasePlan(bid="acme-saas", effort_cap_days=40.0, overhead_days=10.0,
                     phases=(Phase(id="p1", name="Phase 1: 'quick' wins", goals=("service",)),
                             Phase(id="p2", name="第2期", goals=("forecast", "risk"))))
    write_phase_plan(folder, plan, project.selection, header="proposed by crmselect plan")
    text = (folder / PHASES_FILE).read_text(encoding="utf-8")
    assert text.startswith("# proposed by crmselect plan\n")
    assert "- service  # Shorten service response" in text
    assert load_phase_plan(folder, project.selection) == plan
    with pytest.raises(FileExistsErrorNoForce):
        write_phase_plan(folder, plan, project.selection)
    big = PhasePlan.big_bang(project.selection)
    write_phase_plan(folder, big, project.selection, overwrite=True)
    assert load_phase_plan(folder, project.selection) == big
    assert phase_plan_yaml(big, project.selection).count("  - id:") == 1


def test_plans_are_frozen() -> None:
    plan = PhasePlan(phases=(Phase(id="a", name="A", goals=("x",)),))
    with pytest.raises(ValueError, match="frozen"):
        plan.overhead_days = 3.0  # type: ignore[misc]
    moved = plan.replace(overhead_days=3.0)
    assert plan.overhead_days == 0.0 and moved.overhead_days == 3.0
