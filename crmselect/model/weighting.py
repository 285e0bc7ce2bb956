"""How the goals get their weights: the weighting method and its inputs, as the goals file holds them.

``weighting`` in ``goals.yaml`` names the method; each method reads its own inputs:

- ``points`` (the default): each goal's ``weight``, any non-negative numbers, normalised;
- ``rank_order``: ``ranking`` lists the goal ids from most to least important (an inner list holds
  goals tied at one place); the weights are the rank order centroid;
- ``swing``: ``swing`` rates each goal's swing from worst to best, the most valued at 100;
- ``ahp``: ``judgments`` holds, per committee member, pairwise judgments ``[a, b, how much more a
  matters than b]`` on Saaty's 1/9..9 scale, each pair of goals once (``committee`` holds judgments
  made together); with several members the weights come from the geometric mean of their judgments
  (group AHP).

This module holds the inputs and :func:`weighting_problems`, which lists everything wrong with them
(the loader reports each with its line; :mod:`crmselect.scoring.weighting` refuses a selection that
has any).  The maths lives in :mod:`crmselect.scoring`.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict

from crmselect.errors import Message
from crmselect.model.frozen import FieldPath, Id, _plain

#: The ``judgments`` key for judgments the committee made together rather than one member's.
COMMITTEE_AS_ONE = "committee"
#: Saaty's scale runs from 1/9 to 9; a value typed as 0.11 still means 1/9.
JUDGMENT_LOW = 1 / 9
JUDGMENT_HIGH = 9.0
_ROUNDING = 0.01
_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


class WeightingMethod(enum.StrEnum):
    points = "points"
    rank_order = "rank_order"
    swing = "swing"
    ahp = "ahp"


METHOD_LABELS = {
    WeightingMethod.points: "points",
    WeightingMethod.rank_order: "rank order (ROC)",
    WeightingMethod.swing: "swing weights",
    WeightingMethod.ahp: "AHP pairwise judgments",
}


def judgment_value(value: Any) -> Any:
    """A judgment as typed: a number, or a fraction such as ``1/3`` (YAML reads that as text)."""
    if isinstance(value, str):
        match = _FRACTION.match(value)
        if match and float(match.group(2)) > 0:
            return float(match.group(1)) / float(match.group(2))
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


JudgmentValue = Annotated[float, BeforeValidator(judgment_value), Strict(),
                          Field(description="how much more the first goal matters than the second: 1/9 to 9")]
Judgment = tuple[Id, Id, JudgmentValue]
RankItem = Id | tuple[Id, ...]
SwingRating = Annotated[float, Strict(), Field(ge=0, le=100)]


def _tied(item: Any) -> Any:
    return tuple(item) if isinstance(item, list) else item


RankingItem = Annotated[RankItem, BeforeValidator(_tied)]


@dataclass(frozen=True)
class WeightingProblem:
    """One thing wrong with the weighting inputs: where (a path in the goals file), what, allowed, received."""

    path: FieldPath
    message: str
    code: str
    allowed: str
    received: str

    def __str__(self) -> str:
        where = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in self.path).lstrip(".")
        return f"{where} {self.message} (allowed: {self.allowed}; received: {self.received})"


def in_scale(value: float) -> bool:
    return JUDGMENT_LOW * (1 - _ROUNDING) <= value <= JUDGMENT_HIGH


def weighting_problems(
    method: WeightingMethod,
    goal_ids: Sequence[str],
    points: Sequence[float | None],
    ranking: Sequence[RankItem],
    swing: Mapping[str, float],
    judgments: Mapping[str, Sequence[Judgment]],
) -> list[WeightingProblem]:
    """Everything wrong with the inputs of ``method`` for goals ``goal_ids`` (whose ``weight`` is ``points``)."""
    out: list[WeightingProblem] = []
    names = ", ".join(goal_ids)
    if method is WeightingMethod.points:
        for index, value in enumerate(points):
            if value is None:
                out.append(WeightingProblem(("goals", index, "weight"), Message(
                    "is missing: with weighting: points every goal carries its points"), "missing_weight",
                    Message("a number from 0"), Message("nothing")))
        if points and all(p is not None for p in points) and sum(p or 0.0 for p in points) <= 0:
            out.append(WeightingProblem(("goals",), Message("have weights that sum to zero"),
                                        "zero_weights", Message("at least one goal weight above 0"), "0"))
    else:
        for index, value in enumerate(points):
            if value is not None:
                out.append(WeightingProblem(
                    ("goals", index, "weight"), Message(
                        "is set, but with weighting: {method} the weights come from {inputs}",
                        method=method.value, inputs=_inputs(method)), "weight_with_method",
                    Message("no weight here, or weighting: points"), _plain(value)))
    unused = [(key, given) for key, given in (("ranking", ranking), ("swing", swing), ("judgments", judgments))
              if given and key != _inputs(method)]
    for key, _ in unused:
        out.append(WeightingProblem((key,), Message("is given, but weighting is {method}", method=method.value),
                                    "unused_inputs", Message("{key} only with weighting: {method}", key=key,
                                                             method=_method_of(key)), key))
    if method is WeightingMethod.rank_order:
        out.extend(_ranking_problems(goal_ids, ranking, names))
    elif method is WeightingMethod.swing:
        out.extend(_swing_problems(goal_ids, swing, names))
    elif method is WeightingMethod.ahp:
        out.extend(_judgment_problems(goal_ids, judgments, names))
    return out


def _inputs(method: WeightingMethod) -> str:
    return {WeightingMethod.rank_order: "ranking", WeightingMethod.swing: "swing",
            WeightingMethod.ahp: "judgments"}.get(method, "goals[].weight")


def _method_of(key: str) -> str:
    return {"ranking": "rank_order", "swing": "swing", "judgments": "ahp"}[key]


def _ranking_problems(goal_ids: Sequence[str], ranking: Sequence[RankItem], names: str) -> list[WeightingProblem]:
    out = []
    seen: set[str] = set()
    for index, item in enumerate(ranking):
        for goal in (item,) if isinstance(item, str) else item:
            if goal not in goal_ids:
                out.append(WeightingProblem(("ranking", index), Message("is not a goal of this file"), "unknown_goal",
                                            names, goal))
            elif goal in seen:
                out.append(WeightingProblem(("ranking", index), Message("ranks a goal twice"), "duplicate_goal",
                                            Message("each goal once"), goal))
            seen.add(goal)
    missing = [g for g in goal_ids if g not in seen]
    if missing:
        out.append(WeightingProblem(("ranking",), Message("leaves goals unranked"), "unranked_goal",
                                    Message("every goal once: {names}", names=names),
                                    Message("no place for {goals}", goals=", ".join(missing))))
    return out


def _swing_problems(goal_ids: Sequence[str], swing: Mapping[str, float], names: str) -> list[WeightingProblem]:
    out = [WeightingProblem(("swing", goal), Message("is not a goal of this file"), "unknown_goal", names, goal)
           for goal in swing if goal not in goal_ids]
    missing = [g for g in goal_ids if g not in swing]
    if missing:
        out.append(WeightingProblem(("swing",), Message("does not rate every goal"), "unrated_goal",
                                    Message("a rating from 0 to 100 for each of {names}", names=names),
                                    Message("none for {goals}", goals=", ".join(missing))))
    if swing and max(swing.values()) != 100:
        out.append(WeightingProblem(("swing",),
                                    Message("has no swing rated 100: the most valued swing is the yardstick"),
                                    "no_top_swing", Message("the most valued goal at exactly 100"),
                                    Message("a highest rating of {rating}", rating=_plain(max(swing.values())))))
    return out


def _judgment_problems(goal_ids: Sequence[str], judgments: Mapping[str, Sequence[Judgment]],
                       names: str) -> list[WeightingProblem]:
    if not judgments:
        return [WeightingProblem(("judgments",), Message("is missing: weighting: ahp needs pairwise judgments"),
                                 "missing_judgments", Message("per member, a list of [goal, other goal, 1/9..9]"),
                                 Message("nothing"))]
    out = []
    pairs = len(goal_ids) * (len(goal_ids) - 1) // 2
    for member, given in judgments.items():
        judged: dict[frozenset[str], int] = {}
        for index, (more, less, value) in enumerate(given):
            path: FieldPath = ("judgments", member, index)
            bad = [g for g in (more, less) if g not in goal_ids]
            if bad:
                out.append(WeightingProblem(path, Message("names a goal that is not in this file"), "unknown_goal",
                                            names,
                                            ", ".join(bad)))
                continue
            if more == less:
                out.append(WeightingProblem(path, Message("compares a goal with itself"), "self_judgment",
                                            Message("two different goals"), f"{more}, {less}"))
                continue
            if not math.isfinite(value) or not in_scale(value):
                out.append(WeightingProblem(path, Message("is off Saaty's scale"), "off_scale",
                                            Message("1/9 to 9 (1 = equally important, 9 = extremely more important)"),
                                            _plain(value)))
            key = frozenset((more, less))
            if key in judged:
                out.append(WeightingProblem(path, Message(
                    "judges {more} against {less} a second time (first at {first}); a judgment's reciprocal is "
                    "implied, never written", more=more, less=less, first=f"judgments.{member}[{judged[key]}]"),
                    "duplicate_judgment", Message("each pair once"),
                                            f"{more}, {less}"))
                continue
            judged[key] = index
        missing = [f"{a} vs {b}" for i, a in enumerate(goal_ids) for b in goal_ids[i + 1:]
                   if frozenset((a, b)) not in judged]
        if missing:
            out.append(WeightingProblem(("judgments", member), Message("judges {count} of the {pairs} pairs",
                                                                    count=len(judged), pairs=pairs),
                                        "incomplete_judgments", Message("every pair of goals once"),
                                        Message("nothing for {pairs}", pairs=", ".join(missing))))
    return out


__all__ = [
    "COMMITTEE_AS_ONE",
    "JUDGMENT_HIGH",
    "JUDGMENT_LOW",
    "METHOD_LABELS",
    "Judgment",
    "JudgmentValue",
    "RankItem",
    "RankingItem",
    "SwingRating",
    "WeightingMethod",
    "WeightingProblem",
    "in_scale",
    "judgment_value",
    "weighting_problems",
]
