"""A roll-out plan in phases: which goals go live together, in which order (``phases.yaml``).

A *phase* here is a group of the selection's goals that goes live at once, not one of the vendor's project
phases in a bid (:class:`crmselect.model.bids.ProjectPhase`).  The plan applies to any bid; ``bid`` only says
which bid a proposal was made for.  Within the plan: phase ids are unique, every phase has a goal, and no goal
sits in two phases.  That every goal of the selection sits in a phase, and that every goal named exists, needs
the selection: :meth:`PhasePlan.problems_against` lists those problems (the loader turns them into issues
with file and line).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, Strict, model_validator

from crmselect.errors import Message
from crmselect.model.frozen import Frozen, Id, Ref, Text, field_error
from crmselect.model.goals import Selection


class Phase(Frozen):
    """One step of the roll-out: the goals (by id) that go live together."""

    id: Id
    name: Text
    # `goals:` left empty in the file reads as null: the same "too few items" as `goals: []`, not a type error
    goals: Annotated[tuple[Ref, ...], BeforeValidator(lambda value: () if value is None else value)] = Field(
        min_length=1)


class PlanProblem(Frozen):
    """A plan that does not fit its selection: a goal in no phase (``missing``) or one the selection lacks."""

    kind: str  # "missing" or "unknown"
    goal: str
    phase_index: int | None = None  # where an unknown goal is named
    goal_index: int | None = None


class PhasePlan(Frozen):
    """The ordered phases of a roll-out, and the numbers a proposal used."""

    bid: Ref | None = None
    effort_cap_days: Annotated[float, Strict(), Field(gt=0, le=100_000)] | None = None
    overhead_days: Annotated[float, Strict(), Field(ge=0, le=2000)] = 0.0
    phases: tuple[Phase, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_goal_once(self) -> PhasePlan:
        seen_phase: dict[str, int] = {}
        seen_goal: dict[str, int] = {}
        for index, phase in enumerate(self.phases):
            if phase.id in seen_phase:
                first = seen_phase[phase.id] + 1
                raise field_error(("phases", index, "id"), Message("is a duplicate phase id"),
                                  Message("a unique id"),
                                  Message("{id} (already phase {number})", id=phase.id, number=first),
                                  "duplicate_phase")
            seen_phase[phase.id] = index
            for goal_index, goal in enumerate(phase.goals):
                if goal in seen_goal:
                    where = seen_goal[goal]
                    raise field_error(("phases", index, "goals", goal_index),
                                      Message("names a goal that is already in phase {phase}",
                                              phase=self.phases[where].id),
                                      Message("each goal in exactly one phase"), goal, "goal_in_two_phases")
                seen_goal[goal] = index
        return self

    @property
    def phase_ids(self) -> tuple[str, ...]:
        return tuple(phase.id for phase in self.phases)

    @property
    def goal_ids(self) -> tuple[str, ...]:
        """Every goal of the plan, in roll-out order."""
        return tuple(goal for phase in self.phases for goal in phase.goals)

    def phase_of(self, goal_id: str) -> Phase:
        """The phase that delivers ``goal_id``; ``KeyError`` naming the plan's goals when none does."""
        for phase in self.phases:
            if goal_id in phase.goals:
                return phase
        raise KeyError(f"no phase delivers goal {goal_id!r}; the plan's goals are {list(self.goal_ids)}")

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(f"no phase {phase_id!r}; the phases are {list(self.phase_ids)}")

    def problems_against(self, selection: Selection) -> tuple[PlanProblem, ...]:
        """Goals the selection has that no phase delivers, and goals named that the selection lacks."""
        known = set(selection.goal_ids)
        out = [PlanProblem(kind="unknown", goal=goal, phase_index=p, goal_index=g)
               for p, phase in enumerate(self.phases) for g, goal in enumerate(phase.goals) if goal not in known]
        planned = set(self.goal_ids)
        out.extend(PlanProblem(kind="missing", goal=goal) for goal in selection.goal_ids if goal not in planned)
        return tuple(out)

    @classmethod
    def big_bang(cls, selection: Selection, *, name: str = "All goals", phase_id: str = "all") -> PhasePlan:
        """One phase with every goal of ``selection`` (in its order): the whole scope goes live at once.

        ``name`` is the phase's name as shown; a surface passes it in its own language.
        """
        return cls(phases=(Phase(id=phase_id, name=name, goals=selection.goal_ids),))


__all__ = ["Phase", "PhasePlan", "PlanProblem"]
