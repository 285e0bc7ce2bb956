"""A large synthetic selection built in memory from crmselect's model classes (no YAML), for benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from crmselect.model.bids import Answer, ContractTerms, ImplementationPlan, Offer, Pricing, SlaTerms, Vendor
from crmselect.model.goals import (
    Assumptions,
    Category,
    Committee,
    ComplianceCode,
    ComplianceScale,
    Criterion,
    Goal,
    GoalTheme,
    Member,
    MustHave,
    Scenario,
    Selection,
)
from crmselect.model.project import Project

CODES = {"S": 1.0, "C": 0.85, "R": 0.7, "T": 0.55, "X": 0.35, "N": 0.0}
ROLES = ("sales", "marketing", "service", "it", "finance", "executive_sponsor", "procurement", "project_manager")


def large_project(vendors: int = 100, criteria: int = 2_000, members: int = 30, goals: int = 10,
                  scenarios: int = 20, seed: int = 0) -> Project:
    """``vendors`` one-offer vendors answering ``criteria`` criteria (compliance, numbers, yes/no and
    ``scenarios`` committee-scored demos), ``goals`` goals each served by a random fifth of the criteria,
    and ``members`` committee members scoring every vendor on every demo."""
    rng = np.random.default_rng(seed)
    demo_ids = [f"demo{i:03d}" for i in range(scenarios)]
    items: list[Criterion] = []
    for i in range(criteria - scenarios):
        cid = f"c{i:05d}"
        kind = i % 10
        if kind < 7:
            items.append(Criterion(id=cid, name=f"Capability {i}", description="synthetic", answer="compliance"))
        elif kind < 9:
            items.append(Criterion(id=cid, name=f"Measure {i}", description="synthetic", answer="number", unit="u",
                                   direction="higher_is_better",
                                   value_function={"kind": "linear", "worst": 0.0, "best": 100.0}))
        else:
            items.append(Criterion(id=cid, name=f"Feature {i}", description="synthetic", answer="yes_no"))
    items += [Criterion(id=d, name=f"Demo {d}", description="synthetic", answer="committee_score") for d in demo_ids]
    ids = [c.id for c in items]
    goal_list = []
    for g in range(goals):
        chosen = rng.choice(len(ids), size=max(1, len(ids) // 5), replace=False)
        goal_list.append(Goal(id=f"g{g:02d}", name=f"Goal {g}", weight=float(rng.integers(1, 10)),
                              criteria={ids[j]: float(rng.integers(1, 5)) for j in chosen}))
    letters = list(CODES)
    vendor_list = []
    for v in range(vendors):
        answers: dict[str, Answer] = {}
        for c in items:
            if c.answer == "compliance":
                answers[c.id] = Answer(code=letters[int(rng.integers(0, len(letters)))])
            elif c.answer == "number":
                answers[c.id] = Answer(value=float(rng.uniform(0, 100)))
            elif c.answer == "yes_no":
                answers[c.id] = Answer(value=bool(rng.random() < 0.7))
        offer = Offer(id=f"v{v:03d}", deployment="saas", pricing=Pricing(subscription_per_user_month=50.0),
                      implementation=ImplementationPlan(claimed_go_live_days=120, services_cost=50_000.0),
                      sla=SlaTerms(commitment="financially_backed", uptime_pct=99.9), contract=ContractTerms())
        vendor_list.append(Vendor(id=f"v{v:03d}", name=f"Vendor {v}", currency="EUR", offers=(offer,),
                                  answers=answers))
    member_list = tuple(Member(id=f"m{m:02d}", name=f"Member {m}", role=ROLES[m % len(ROLES)]) for m in range(members))
    scores = {m.id: {f"v{v:03d}": {d: float(rng.integers(0, 6)) for d in demo_ids} for v in range(vendors)}
              for m in member_list}
    committee = Committee(members=member_list, scenarios=tuple(Scenario(id=d, name=d, criterion=d) for d in demo_ids),
                          scores=scores)
    scale = ComplianceScale(codes=tuple(ComplianceCode(code=k, label=k, value=v) for k, v in CODES.items()))
    selection = Selection(name="Large synthetic selection", company="Bench Ltd", currency="EUR",
                          assumptions=Assumptions(start_date=dt.date(2026, 1, 1)), goals=tuple(goal_list),
                          must_haves=(MustHave(criterion=ids[0], minimum="T"),))
    return Project(root=Path("/nonexistent/benchmark-selection"), categories=(Category(id="bench", name="Bench"),),
                   criteria=tuple(items), themes=(GoalTheme(id="theme", name="Theme"),), scale=scale,
                   selection=selection, vendors=tuple(vendor_list), committee=committee)


def example_project(*, revealed: bool = False) -> Project:
    """The shipped example, copied with ``crmselect init --example`` into a temporary folder (removed at exit).

    ``revealed`` locks and reveals it through the command line, so price figures (the TCO explorer) are shown.
    """
    import atexit
    import contextlib
    import io
    import shutil
    import tempfile
    from pathlib import Path

    from crmselect.cli.app import main
    from crmselect.files.init import init_selection
    from crmselect.files.loaders import load_project

    base = Path(tempfile.mkdtemp(prefix="crmselect-bench-"))
    atexit.register(shutil.rmtree, base, True)
    folder = init_selection(base / "example", example="en").folder
    if revealed:
        with contextlib.redirect_stdout(io.StringIO()):
            main(["--member", "zhao_lei", "lock", str(folder), "--why", "benchmark"])
            main(["--member", "zhao_lei", "reveal-prices", str(folder), "--why", "benchmark"])
    return load_project(folder)


# ---------------------------------------------------------------- the same selection as YAML files on disk
def _dump_yaml(path: Path, data: object) -> None:
    """``data`` as block YAML with flow-style leaves (``c00001: {code: C}``), as a committee's files look."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120,
                              default_flow_style=None), encoding="utf-8")


def write_large_selection(folder: Path, vendors: int = 100, criteria: int = 2_000, members: int = 30,
                          goals: int = 10, scenarios: int = 20, seed: int = 0, per_file: int = 100) -> Path:
    """:func:`large_project` written as a selection folder of real YAML files (``crmselect init`` makes the
    folder and its ``selection.yaml``; the catalogue is split into files of ``per_file`` criteria).

    Loading the folder with :func:`crmselect.load_project` gives back the project's criteria, goals,
    vendors and committee scores (tests/files/test_large_selection.py checks that)."""
    from crmselect.files.init import init_selection

    project = large_project(vendors, criteria, members, goals, scenarios, seed)
    folder = init_selection(folder, name=project.selection.name, company=project.selection.company,
                            currency=project.selection.currency, locale="en", as_of="2026-01-01",
                            horizon_years=5, discount_rate_pct=8, price_method="lowest_over_price").folder
    criteria_dir = folder / "criteria"
    for old in (criteria_dir / "catalogue").glob("*.y*ml"):
        old.unlink()
    items = [c.model_dump(mode="json", exclude_unset=True) for c in project.criteria]
    for number, start in enumerate(range(0, len(items), per_file), start=1):
        category = f"bench_{number:02d}"
        chunk = [{k: v for k, v in item.items() if k != "category"} for item in items[start:start + per_file]]
        _dump_yaml(criteria_dir / "catalogue" / f"{number:02d}_{category}.yaml",
                   {"category": category, "name": f"Bench {number}", "description": "synthetic", "criteria": chunk})
    _dump_yaml(criteria_dir / "goal_themes.yaml",
               {"themes": [t.model_dump(mode="json", exclude_unset=True) for t in project.themes]})
    _dump_yaml(criteria_dir / "compliance_scale.yaml", project.scale.model_dump(mode="json", exclude_unset=True))
    goals_data = project.selection.model_dump(mode="json", exclude_unset=True)
    for moved in ("name", "company", "currency", "assumptions"):
        goals_data.pop(moved, None)
    _dump_yaml(criteria_dir / "goals.yaml", goals_data)
    vendor_dir = folder / "vendors"
    for vendor in project.vendors:
        _dump_yaml(vendor_dir / f"{vendor.id}.yaml", vendor.model_dump(mode="json", exclude_unset=True))
    _dump_yaml(vendor_dir / "committee.yaml", project.committee.model_dump(mode="json", exclude_unset=True))
    return folder
