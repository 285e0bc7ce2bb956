"""``actuals.yaml`` read and checked: every bad input named with file, line, field, allowed and received."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmselect import load_project
from crmselect.errors import InputError
from crmselect.files.actuals import ACTUALS_FILE, actuals_text, load_actuals
from crmselect.model.actuals import Actuals, Checkpoint, GoLive, KpiActual
from crmselect.model.project import Project
from tests.testdata import copy_minimal

TODAY = dt.date(2027, 6, 1)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return load_project(copy_minimal(tmp_path / "selection"))


def _problems(project: Project, text: str, phases: dict[str, str] | None = None) -> list[str]:
    (project.root / ACTUALS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_actuals(project.root, project, goal_phases=phases, today=lambda: TODAY)
    return [str(issue) for issue in caught.value.issues]


def test_no_file_is_no_actuals(project: Project) -> None:
    assert load_actuals(project.root, project) is None


def test_a_written_file_reads_back(project: Project) -> None:
    actuals = Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 11, 2)),), checkpoints=(
        Checkpoint(months=6, date=dt.date(2027, 5, 3), cost_to_date=1000.0,
                   kpis=(KpiActual(goal="forecast", kpi="Forecast error", value=24),)),))
    (project.root / ACTUALS_FILE).write_text(actuals_text(actuals), encoding="utf-8")
    assert load_actuals(project.root, project, today=lambda: TODAY) == actuals


def test_every_problem_at_once(project: Project) -> None:
    problems = _problems(project, """bid: acme-saas
go_lives:
  - date: 2026-11-02
  - date: 2027-09-01
    phase: quick_wins
checkpoints:
  - months: 6
    date: 2027-05-03
    kpis:
      - {goal: forecst, kpi: Forecast error, value: 24}
      - {goal: forecast, kpi: Forecast eror, value: 24}
      - {goal: forecast, kpi: Forecast error, value: lots}
      - {goal: forecast, kpi: Forecast error, value: 20}
  - months: 12
    date: 2026-10-01
  - months: 24
    date: 2027-07-01
""")
    assert problems == [
        "actuals.yaml line 12: checkpoints[0].kpis[2].value: Input should be a valid number "
        "(allowed: a number; received: 'lots')",
        "actuals.yaml line 5: go_lives[1].phase: names a phase, but the selection has no phases.yaml "
        "(allowed: no phase (the whole roll-out); received: quick_wins)",
        "actuals.yaml line 4: go_lives[1].date: is in the future (allowed: a date on or before today (2027-06-01); "
        "received: 2027-09-01)",
        "actuals.yaml line 10: checkpoints[0].kpis[0].goal: is not a goal of this selection "
        "(allowed: forecast, service, risk; received: forecst)",
        "actuals.yaml line 11: checkpoints[0].kpis[1].kpi: is not a KPI of goal forecast "
        "(allowed: Forecast error, Deals without next step; received: Forecast eror)",
        "actuals.yaml line 13: checkpoints[0].kpis[3].kpi: is named twice in one checkpoint "
        "(allowed: each KPI once per checkpoint; received: Forecast error)",
        "actuals.yaml line 15: checkpoints[1].date: is before the go-live (allowed: on or after 2026-11-02; "
        "received: 2026-10-01)",
        "actuals.yaml line 17: checkpoints[2].date: is in the future (allowed: a date on or before today "
        "(2027-06-01); received: 2027-07-01)",
    ]


def test_unknown_bid_lists_the_bids(project: Project) -> None:
    problems = _problems(project, "bid: zeta\n")
    assert problems == ["actuals.yaml line 1: bid: is not a bid of this selection "
                        "(allowed: acme-saas, borealis-onprem, borealis-hosted; received: zeta)"]


def test_phases_name_their_go_lives(project: Project) -> None:
    phases = {"forecast": "quick_wins", "service": "later", "risk": "later"}
    problems = _problems(project, """bid: acme-saas
go_lives:
  - {date: 2026-11-02, phase: quick_wins}
  - {date: 2026-12-02, phase: quickwins}
  - {date: 2027-01-02}
checkpoints:
  - months: 3
    date: 2027-02-01
    kpis:
      - {goal: service, kpi: First response, value: 10}
""", phases)
    assert any("go_lives[1].phase: is not a phase of phases.yaml (allowed: later, quick_wins; received: quickwins)"
               in p for p in problems)
    assert any("go_lives[2].phase: is not a phase of phases.yaml" in p and "received: nothing" in p for p in problems)
    assert any("checkpoints[0].kpis[0].goal: belongs to phase later, which has no go-live yet" in p
               for p in problems)


def test_a_checkpoint_before_its_phase_went_live(project: Project) -> None:
    phases = {"forecast": "quick_wins", "service": "later", "risk": "later"}
    problems = _problems(project, """bid: acme-saas
go_lives:
  - {date: 2026-11-02, phase: quick_wins}
  - {date: 2027-04-01, phase: later}
checkpoints:
  - months: 3
    date: 2027-02-01
    kpis:
      - {goal: service, kpi: First response, value: 10}
""", phases)
    assert problems == ["actuals.yaml line 9: checkpoints[0].kpis[0].goal: is measured before its phase later went "
                        "live (2027-04-01) (allowed: a checkpoint on or after 2027-04-01; received: 2027-02-01)"]


def test_a_change_makes_a_new_object() -> None:
    first = Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 11, 2)),))
    moved = first.with_go_live(GoLive(date=dt.date(2026, 12, 1)))
    assert first.go_lives[0].date == dt.date(2026, 11, 2) and moved.go_lives[0].date == dt.date(2026, 12, 1)
    six = Checkpoint(months=6, date=dt.date(2027, 5, 3), kpis=(KpiActual(goal="forecast", kpi="Forecast error",
                                                                         value=24),))
    merged = moved.with_checkpoint(six).with_checkpoint(Checkpoint(
        months=6, date=dt.date(2027, 5, 3), cost_to_date=5.0,
        kpis=(KpiActual(goal="service", kpi="First response", value=9),)))
    assert merged.checkpoint(6) is not None and merged.checkpoint(6).cost_to_date == 5.0  # type: ignore[union-attr]
    assert [k.kpi for k in merged.checkpoints[0].kpis] == ["Forecast error", "First response"]
    assert moved.checkpoints == ()
    with pytest.raises(ValueError, match="frozen"):
        first.bid = "other"  # type: ignore[misc]
