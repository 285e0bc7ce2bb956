"""The proposal's dynamic programme equals brute force over every ordered partition of the goals."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.errors import AnalysisError
from crmselect.files.loaders import load_project
from crmselect.model.phases import Phase, PhasePlan
from crmselect.money.costs import DAYS_PER_MONTH
from crmselect.money.phasing import (
    MAX_PROPOSAL_GOALS,
    ProposalInputs,
    phase_schedule,
    proposal_inputs,
    propose_kernel,
    propose_plan,
)
from crmselect.show.i18n import using
from tests.testdata import MINIMAL, load_example


def ordered_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    """Every way to split ``items`` into non-empty blocks, in every order of the blocks."""
    def partitions(rest: list[int]) -> Iterator[list[list[int]]]:
        if not rest:
            yield []
            return
        first, others = rest[0], rest[1:]
        for smaller in partitions(others):
            for i in range(len(smaller)):
                yield [*smaller[:i], [first, *smaller[i]], *smaller[i + 1:]]
            yield [[first], *smaller]

    for blocks in partitions(items):
        yield from (list(order) for order in itertools.permutations(blocks))


def pv_by_hand(go_live_months: float, ramp: float, horizon_months: int, rate_pct: float) -> float:
    """PV of 1 a year from ``go_live_months``, ramping linearly over ``ramp`` months, month by month."""
    def earned(t: float) -> float:  # months of full benefit earned by month t
        live = max(t - go_live_months, 0.0)
        if ramp <= 0:
            return live
        return live**2 / (2 * ramp) if live < ramp else ramp / 2 + live - ramp

    total = 0.0
    for month in range(1, horizon_months + 1):
        year = math.ceil(month / 12)
        total += (earned(month) - earned(month - 1)) / 12 / (1 + rate_pct / 100) ** year
    return total


def value_by_hand(inputs: ProposalInputs, phases: list[list[int]]) -> float | None:
    """Expected benefit PV of ``phases`` (goal indices), or None when a phase needs more than the cap."""
    def effort(goals: set[int]) -> float:
        criteria = {c for g in goals for c in range(len(inputs.criterion_days)) if inputs.goal_criteria[g] >> c & 1}
        return sum(inputs.criterion_days[c] for c in criteria) + sum(inputs.services_days[g] for g in goals)

    everything = set(range(inputs.n))
    by_count = effort(everything) <= 0
    done: set[int] = set()
    total = 0.0
    for k, phase in enumerate(phases, start=1):
        before = effort(done)
        done |= set(phase)
        if effort(done) - before > inputs.effort_cap_days * (1 + 1e-12):
            return None
        share = len(done) / inputs.n if by_count else effort(done) / effort(everything)
        planned = inputs.whole_days * share + k * inputs.overhead_days
        value = np.mean([pv_by_hand(planned * r * inputs.multiplier / DAYS_PER_MONTH, inputs.ramp_months,
                                    inputs.horizon_months, inputs.discount_rate_pct) for r in inputs.ratios])
        total += sum(inputs.benefits[g] for g in phase) * float(value)
    return total


def brute_force(inputs: ProposalInputs) -> float:
    values = [value_by_hand(inputs, p) for p in ordered_partitions(list(range(inputs.n)))]
    return max(v for v in values if v is not None)


@st.composite
def instances(draw: st.DrawFn) -> ProposalInputs:
    n = draw(st.integers(1, 5))
    m = draw(st.integers(0, 4))
    days = st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 2))
    services = tuple(draw(days) for _ in range(n))
    criterion_days = tuple(draw(days) for _ in range(m))
    masks = tuple(draw(st.integers(0, (1 << m) - 1)) for _ in range(n))
    inputs = ProposalInputs(
        benefits=tuple(draw(st.floats(0, 500_000, allow_nan=False)) for _ in range(n)),
        goal_criteria=masks, criterion_days=criterion_days, services_days=services,
        whole_days=draw(st.floats(10, 700)), overhead_days=draw(st.sampled_from([0.0, 0.0, 7.0, 30.0])),
        multiplier=draw(st.sampled_from([1.0, 1.4])), ratios=tuple(draw(st.lists(
            st.floats(0.5, 4.0), min_size=1, max_size=3))),
        effort_cap_days=1.0, horizon_months=draw(st.sampled_from([36, 60])),
        discount_rate_pct=draw(st.sampled_from([0.0, 8.0])), ramp_months=draw(st.sampled_from([0.0, 6.0])))
    # a cap that the singletons in some order always meet, and often binds
    alone = max(inputs.effort(1 << g) for g in range(n))
    cap = draw(st.floats(alone, alone * 3 + 1)) if alone > 0 else draw(st.floats(0.5, 50))
    return ProposalInputs(**{**inputs.__dict__, "effort_cap_days": cap})


@settings(max_examples=60, deadline=None)
@given(instances())
def test_dynamic_programme_equals_brute_force(inputs: ProposalInputs) -> None:
    value, phases = propose_kernel(inputs)
    assert sorted(g for phase in phases for g in phase) == list(range(inputs.n))
    assert value == pytest.approx(brute_force(inputs), rel=1e-9, abs=1e-6)
    # the plan it returns is worth what it says
    assert value_by_hand(inputs, [list(p) for p in phases]) == pytest.approx(value, rel=1e-9, abs=1e-6)


def test_a_worked_case_quick_win_first() -> None:
    # two goals, no shared criteria: a small one worth a lot goes first, alone
    inputs = ProposalInputs(benefits=(100_000.0, 400_000.0), goal_criteria=(0, 0), criterion_days=(),
                            services_days=(90.0, 10.0), whole_days=200.0, overhead_days=0.0, multiplier=1.0,
                            ratios=(1.0,), effort_cap_days=100.0, horizon_months=60, discount_rate_pct=10.0,
                            ramp_months=6.0)
    value, phases = propose_kernel(inputs)
    assert phases == ((1,), (0,))
    quick = 400_000 * pv_by_hand(20 / DAYS_PER_MONTH, 6, 60, 10) + 100_000 * pv_by_hand(200 / DAYS_PER_MONTH, 6, 60,
                                                                                         10)
    assert value == pytest.approx(quick)
    # with a cap below the two together and a big overhead, the order still holds; with a cap below a goal, none
    with pytest.raises(AnalysisError, match="no plan fits"):
        propose_kernel(ProposalInputs(**{**inputs.__dict__, "effort_cap_days": 50.0}))


def test_proposal_on_a_selection_matches_brute_force_through_the_schedule() -> None:
    project = load_project(MINIMAL)
    scores = {"forecast": 0.8, "service": 0.5, "risk": 0.95}
    for overhead in (0.0, 20.0):
        plan = propose_plan(project, "borealis-onprem", effort_cap_days=120, overhead_days=overhead,
                            goal_scores=scores)
        inputs = proposal_inputs(project, "borealis-onprem", effort_cap_days=120, overhead_days=overhead,
                                 goal_scores=scores)
        goals = project.selection.goal_ids

        def through_schedule(order: list[list[int]], overhead: float = overhead, inputs: ProposalInputs = inputs,
                             goals: tuple[str, ...] = goals) -> float | None:
            candidate = PhasePlan(overhead_days=overhead, phases=tuple(
                Phase(id=f"p{i}", name="x", goals=tuple(goals[g] for g in block)) for i, block in enumerate(order)))
            schedule = phase_schedule(project, "borealis-onprem", candidate)
            if max(schedule.phase_effort_days.values()) > 120:
                return None
            return sum(inputs.benefits[g] * float(np.mean([
                pv_by_hand(schedule.goal_go_live_days[goals[g]] * r / DAYS_PER_MONTH, inputs.ramp_months,
                           inputs.horizon_months, inputs.discount_rate_pct) for r in inputs.ratios]))
                for block in order for g in block)

        values = [v for v in map(through_schedule, ordered_partitions(list(range(len(goals))))) if v is not None]
        chosen = through_schedule([[goals.index(g) for g in phase.goals] for phase in plan.phases])
        assert chosen == pytest.approx(max(values), rel=1e-9)
        assert plan.bid == "borealis-onprem" and plan.effort_cap_days == 120 and plan.overhead_days == overhead
        assert [p.name for p in plan.phases] == [f"Roll-out phase {i}" for i in range(1, len(plan.phases) + 1)]


def test_refusals_name_what_to_change() -> None:
    project = load_project(MINIMAL)
    # borealis-onprem: the forecast goal alone needs 2 + 166.7 x 7/16 = 74.9 days, service 20 + 166.7 x 5/16 = 72.1
    with pytest.raises(AnalysisError, match=r"below what a goal needs in one phase .*Raise forecast accuracy 74\.9, "
                                            r"Shorten service response 72\.1\);"
                                            r" with a cap of at least 74\.9 every goal fits"):
        propose_plan(project, "borealis-onprem", effort_cap_days=50)
    with pytest.raises(AnalysisError, match="effort cap must be a number of days above 0"):
        propose_plan(project, "borealis-onprem", effort_cap_days=0)
    with pytest.raises(AnalysisError, match="no bid 'x'"):
        propose_plan(project, "x", effort_cap_days=100)
    many = [project.selection.goals[0].replace(id=f"g{i}", name=f"G {i}") for i in range(MAX_PROPOSAL_GOALS + 1)]
    big = project.with_selection(project.selection.replace(goals=many, stakeholder_views=()))
    with pytest.raises(AnalysisError, match=f"at most {MAX_PROPOSAL_GOALS} goals"):
        propose_plan(big, "acme-saas", effort_cap_days=1000)


def test_phase_names_in_chinese() -> None:
    with using("zh-CN"):
        plan = propose_plan(load_project(MINIMAL), "acme-saas", effort_cap_days=100)
    assert plan.phases[0].name == "第1期"


def test_the_example_in_about_a_second() -> None:
    import time

    project = load_example()
    started = time.perf_counter()
    plan = propose_plan(project, "jadeport-saas", effort_cap_days=200, overhead_days=15)
    assert time.perf_counter() - started < 5
    assert sorted(plan.goal_ids) == sorted(project.selection.goal_ids)
