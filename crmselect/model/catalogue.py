"""The criteria catalogue: criteria and their value functions, categories, goal themes, the compliance scale.

Frozen pydantic objects (:class:`crmselect.model.frozen.Frozen`) and the catalogue's closed vocabularies;
every name here is also importable from :mod:`crmselect.model.goals`.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from crmselect.errors import Message
from crmselect.model.frozen import Frozen, Id, Letter, Ref, Unit, _plain, field_error
from crmselect.model.text import LocalDescription, LocalName, LocalText


class AnswerKind(enum.StrEnum):
    compliance = "compliance"
    number = "number"
    yes_no = "yes_no"
    committee_score = "committee_score"
    computed = "computed"


class Direction(enum.StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class ComputedFrom(enum.StrEnum):
    sla_score = "sla_score"
    contract_score = "contract_score"
    price = "price"


class Envelope(enum.StrEnum):
    technical = "technical"
    price = "price"


class Effort(enum.StrEnum):
    none = "none"
    low = "low"
    medium = "medium"
    high = "high"



# ---------------------------------------------------------------- value functions
class LinearValue(Frozen):
    """Value 0 at ``worst``, 1 at ``best``, straight line between, clipped outside."""

    kind: Literal["linear"] = "linear"
    worst: Annotated[float, Strict()]
    best: Annotated[float, Strict()]

    @model_validator(mode="after")
    def _distinct(self) -> LinearValue:
        if self.worst == self.best:
            allowed = Message("a number other than {value}", value=_plain(self.worst))
            raise field_error(("best",), Message("must differ from worst"), allowed, self.best, "worst_is_best")
        return self


class PiecewiseValue(Frozen):
    """Straight lines through (x, value) points; x ascending, values in 0..1, flat outside."""

    kind: Literal["piecewise"] = "piecewise"
    points: tuple[tuple[float, Unit], ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _ascending(self) -> PiecewiseValue:
        xs = [x for x, _ in self.points]
        for index, (before, x) in enumerate(itertools.pairwise(xs), start=1):
            if x <= before:
                raise field_error(
                    ("points", index, 0),
                    Message("must be above the x of the point before it (points go by strictly ascending x)"),
                    Message("a number above {value}", value=_plain(before)),
                    x,
                    "points_not_ascending",
                )
        return self


class ThresholdValue(Frozen):
    """1 when the threshold is met (respecting the direction), otherwise 0."""

    kind: Literal["threshold"] = "threshold"
    threshold: Annotated[float, Strict()]


ValueFunction = Annotated[LinearValue | PiecewiseValue | ThresholdValue, Field(discriminator="kind")]


# ---------------------------------------------------------------- catalogue
class Criterion(Frozen):
    """One thing a vendor is judged on; it earns weight only through the goals it serves."""

    id: Id
    name: LocalName
    description: LocalName
    answer: AnswerKind
    category: Ref | None = None
    serves: tuple[Ref, ...] = ()
    unit: str | None = None
    direction: Direction | None = None
    value_function: ValueFunction | None = None
    computed_from: ComputedFrom | None = None
    envelope: Envelope = Envelope.technical

    @model_validator(mode="after")
    def _keys_fit_answer(self) -> Criterion:
        answer = self.answer.value
        number_keys = {"unit": self.unit, "direction": self.direction, "value_function": self.value_function}
        if self.answer is AnswerKind.number:
            missing = [k for k, v in number_keys.items() if v is None]
            if missing:
                raise field_error(
                    (missing[0],),
                    Message("is required for a number criterion (so are {keys})", keys=" and ".join(missing[1:]))
                    if missing[1:] else Message("is required for a number criterion"),
                    _NUMBER_KEYS[missing[0]],
                    Message("nothing"),
                    "required_for_answer",
                )
        else:
            extra = [k for k, v in number_keys.items() if v is not None]
            if extra:
                raise field_error(
                    (extra[0],),
                    Message("only applies to number criteria (this one has answer: {answer})", answer=answer),
                    Message("no {key} on a {answer} criterion", key=extra[0], answer=answer),
                    number_keys[extra[0]],
                    "not_for_answer",
                )
        if self.answer is AnswerKind.computed and self.computed_from is None:
            raise field_error(
                ("computed_from",),
                Message("is required for a computed criterion"),
                Message("one of {values}", values=", ".join(ComputedFrom)),
                Message("nothing"),
                "required_for_answer",
            )
        if self.answer is not AnswerKind.computed and self.computed_from is not None:
            raise field_error(
                ("computed_from",),
                Message("only applies to computed criteria (this one has answer: {answer})", answer=answer),
                Message("no computed_from on a {answer} criterion", answer=answer),
                self.computed_from,
                "not_for_answer",
            )
        return self


_NUMBER_KEYS = {
    "unit": Message("text naming the unit of the number, such as hours or percent"),
    "direction": Message("one of {values}", values=", ".join(Direction)),
    "value_function": Message("a mapping with kind: linear, piecewise or threshold"),
}


class Category(Frozen):
    id: Id
    name: LocalName
    description: LocalDescription = Field(default="", validate_default=True)


class CategoryFile(Frozen):
    """One file of the catalogue: a category and its criteria."""

    category: Id
    name: LocalName
    description: LocalDescription = Field(default="", validate_default=True)
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class GoalTheme(Frozen):
    id: Id
    name: LocalName
    description: LocalDescription = Field(default="", validate_default=True)


class GoalThemesFile(Frozen):
    themes: tuple[GoalTheme, ...] = Field(min_length=1)


class ComplianceCode(Frozen):
    """A code vendors answer with, e.g. S standard or X customisation."""

    code: Letter
    label: LocalName
    description: LocalDescription = Field(default="", validate_default=True)
    value: Unit
    effort: Effort = Effort.none
    upgrade_risk: bool = False
    must_be_priced: bool = False
    needs_date: bool = False


class ComplianceScale(Frozen):
    codes: tuple[ComplianceCode, ...] = Field(min_length=2)
    future_window_months: Annotated[int, Strict()] = Field(default=12, ge=0, le=60)

    def code(self, code: str) -> ComplianceCode:
        for item in self.codes:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.codes)

    def with_values(self, values: Mapping[str, float]) -> ComplianceScale:
        """The committee's own values for some codes; unknown codes are an error."""
        unknown = sorted(set(values) - set(self.letters))
        if unknown:
            raise ValueError(f"unknown compliance codes {unknown}; allowed {list(self.letters)}")
        codes = [c.replace(value=values[c.code]) if c.code in values else c for c in self.codes]
        return self.replace(codes=codes)


def number_range(criterion: Criterion) -> tuple[float | None, float | None]:
    """What a sensible number answer is, declared once for the loaders and the questionnaire: 0..100 for
    percentages, at least 0 for every other unit."""
    unit = (criterion.unit or "").strip().lower()
    if unit in ("%", "percent", "pct") or unit.startswith("%"):
        return 0.0, 100.0
    return 0.0, None



__all__ = [
    "AnswerKind",
    "Category",
    "CategoryFile",
    "ComplianceCode",
    "ComplianceScale",
    "ComputedFrom",
    "Criterion",
    "Direction",
    "Effort",
    "Envelope",
    "GoalTheme",
    "GoalThemesFile",
    "LinearValue",
    "LocalText",
    "PiecewiseValue",
    "ThresholdValue",
    "ValueFunction",
    "number_range",
]
