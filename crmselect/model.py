"""Frozen domain objects: the criteria catalogue, the compliance scale, goals, the committee.

Vendor bids live in :mod:`crmselect.bids`, the whole selection in :mod:`crmselect.project`.
Every object is an immutable pydantic model: a change makes a new object
(``goals.with_weights(...)``), and the same classes give JSON Schema for editors.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError


class FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that refuses changes, so frozen models stay frozen all the way down."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("this mapping is read-only; build a new object instead")

    __setitem__ = __delitem__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))


def _freeze(value: dict[Any, Any]) -> dict[Any, Any]:
    return FrozenDict({k: _freeze(v) if isinstance(v, dict) else v for k, v in value.items()})


Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="an id: letters, digits and _ . - (no spaces), starting with a letter or digit",
    ),
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="a three-letter currency code such as EUR")]
Letter = Annotated[str, Field(pattern=r"^[A-Z]$", description="one capital letter, such as S or C")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Money = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Unit = Annotated[float, Field(ge=0, le=1)]


FieldPath = tuple[str | int, ...]


def field_error(field: FieldPath, message: str, allowed: str, received: object, code: str) -> PydanticCustomError:
    """The error a ``model_validator`` raises about one of its own fields, so users see that field.

    pydantic locates every model-validator error at the model (``offers[0]``), whatever field is at
    fault.  This error names the field in its context, and :func:`crmselect.validation.issue_from_error`
    appends it to the location, so the ``Issue`` shows ``offers[0].pricing.subscription_per_user_month``
    with that field's line (or its parent's line when the field is missing from the file).

    ``field`` is the path below the model (keys and list indices, e.g. ``("credits", 1, "below_pct")``);
    ``message`` reads after the field name (``"is required for a saas offer"``); ``allowed`` says what
    the field may hold; ``received`` is what it holds (``"nothing"`` when missing); ``code`` is the
    stable error type (the ``Issue.code``).  Context keys: ``field``, ``message``, ``allowed``,
    ``received``.  Outside the loaders the error still reads well: pydantic prints
    ``pricing.subscription_per_user_month is required for a saas offer``.
    """
    dotted = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in field).lstrip(".")
    context = {"field": field, "message": message, "allowed": allowed, "received": _plain(received)}
    return PydanticCustomError(code, f"{dotted} {message}", context)


def _plain(value: object) -> str:
    """A value as a user wrote it: 50000 not 50000.0, enum values bare, value functions by their kind."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, BaseModel):
        return f"kind: {getattr(value, 'kind', type(value).__name__)}"
    return str(value)


class Frozen(BaseModel):
    """Base of every domain object: immutable, strict about unknown keys, no NaN or inf."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, use_enum_values=False)

    def replace(self, **changes: Any) -> Self:
        """A validated copy with some fields changed; the original is untouched."""
        data = self.model_dump(mode="python", round_trip=True)
        data.update(changes)
        return type(self).model_validate(data)


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


class Role(enum.StrEnum):
    sales = "sales"
    marketing = "marketing"
    service = "service"
    it = "it"
    finance = "finance"
    executive_sponsor = "executive_sponsor"
    procurement = "procurement"
    project_manager = "project_manager"


class Aggregation(enum.StrEnum):
    mean = "mean"
    median = "median"
    trimmed_mean = "trimmed_mean"


# ---------------------------------------------------------------- value functions
class LinearValue(Frozen):
    """Value 0 at ``worst``, 1 at ``best``, straight line between, clipped outside."""

    kind: Literal["linear"] = "linear"
    worst: float
    best: float

    @model_validator(mode="after")
    def _distinct(self) -> LinearValue:
        if self.worst == self.best:
            allowed = f"a number other than {_plain(self.worst)}"
            raise field_error(("best",), "must differ from worst", allowed, self.best, "worst_is_best")
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
                    "must be above the x of the point before it (points go by strictly ascending x)",
                    f"a number above {_plain(before)}",
                    x,
                    "points_not_ascending",
                )
        return self


class ThresholdValue(Frozen):
    """1 when the threshold is met (respecting the direction), otherwise 0."""

    kind: Literal["threshold"] = "threshold"
    threshold: float


ValueFunction = Annotated[LinearValue | PiecewiseValue | ThresholdValue, Field(discriminator="kind")]


# ---------------------------------------------------------------- catalogue
class Criterion(Frozen):
    """One thing a vendor is judged on; it earns weight only through the goals it serves."""

    id: Id
    name: Text
    description: Text
    answer: AnswerKind
    category: str | None = None
    serves: tuple[str, ...] = ()
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
                also = f" (so are {' and '.join(missing[1:])})" if missing[1:] else ""
                raise field_error(
                    (missing[0],),
                    f"is required for a number criterion{also}",
                    _NUMBER_KEYS[missing[0]],
                    "nothing",
                    "required_for_answer",
                )
        else:
            extra = [k for k, v in number_keys.items() if v is not None]
            if extra:
                raise field_error(
                    (extra[0],),
                    f"only applies to number criteria (this one has answer: {answer})",
                    f"no {extra[0]} on a {answer} criterion",
                    number_keys[extra[0]],
                    "not_for_answer",
                )
        if self.answer is AnswerKind.computed and self.computed_from is None:
            raise field_error(
                ("computed_from",),
                "is required for a computed criterion",
                "one of " + ", ".join(ComputedFrom),
                "nothing",
                "required_for_answer",
            )
        if self.answer is not AnswerKind.computed and self.computed_from is not None:
            raise field_error(
                ("computed_from",),
                f"only applies to computed criteria (this one has answer: {answer})",
                f"no computed_from on a {answer} criterion",
                self.computed_from,
                "not_for_answer",
            )
        return self


_NUMBER_KEYS = {
    "unit": "text naming the unit of the number, such as hours or percent",
    "direction": "one of " + ", ".join(Direction),
    "value_function": "a mapping with kind: linear, piecewise or threshold",
}


class Category(Frozen):
    id: Id
    name: Text
    description: str = ""


class CategoryFile(Frozen):
    """One file of the catalogue: a category and its criteria."""

    category: Id
    name: Text
    description: str = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class GoalTheme(Frozen):
    id: Id
    name: Text
    description: str = ""


class GoalThemesFile(Frozen):
    themes: tuple[GoalTheme, ...] = Field(min_length=1)


class ComplianceCode(Frozen):
    """A code vendors answer with, e.g. S standard or X customisation."""

    code: Letter
    label: Text
    description: str = ""
    value: Unit
    effort: Effort = Effort.none
    upgrade_risk: bool = False
    must_be_priced: bool = False
    needs_date: bool = False


class ComplianceScale(Frozen):
    codes: tuple[ComplianceCode, ...] = Field(min_length=2)
    future_window_months: int = Field(default=12, ge=0, le=60)

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


# ---------------------------------------------------------------- goals
class Kpi(Frozen):
    """A measure of a goal: today's baseline, the target, and what one unit of improvement is worth a year."""

    name: Text
    unit: str
    baseline: float
    target: float
    value_per_unit: Money = 0.0

    @property
    def improvement(self) -> float:
        return abs(self.target - self.baseline)

    @property
    def annual_benefit(self) -> float:
        return self.improvement * self.value_per_unit


class Goal(Frozen):
    """A business goal: it carries weight, and shares it among the criteria that serve it."""

    id: Id
    name: Text
    description: str = ""
    weight: Annotated[float, Field(ge=0)]
    kpis: tuple[Kpi, ...] = Field(default=(), max_length=3)
    criteria: Annotated[dict[str, Annotated[float, Field(gt=0)]], AfterValidator(_freeze)] = Field(
        default_factory=dict
    )


class MustHave(Frozen):
    """A knock-out rule: a vendor whose answer is below ``minimum`` is out."""

    criterion: Id
    minimum: str | float | bool
    reason: str = ""


class StakeholderView(Frozen):
    """Goal weights as one member or role sees them."""

    id: Id
    name: Text
    holder: str = ""
    weights: Annotated[dict[str, Annotated[float, Field(ge=0)]], AfterValidator(_freeze)]


class Assumptions(Frozen):
    """The company-side numbers that TCO, ROI and risk need."""

    users: int = Field(default=250, ge=1, le=1_000_000)
    user_growth_pct: Annotated[float, Field(ge=-50, le=200)] = 0.0
    horizon_years: int = Field(default=5, ge=3, le=10)
    discount_rate_pct: Annotated[float, Field(ge=0, le=50)] = 10.0
    loaded_cost_per_fte: Money = 90_000.0
    cost_per_effort_day: Money = 900.0
    effort_days: Annotated[dict[Effort, Annotated[float, Field(ge=0)]], AfterValidator(_freeze)] = Field(
        default_factory=lambda: FrozenDict({Effort.none: 0, Effort.low: 2, Effort.medium: 8, Effort.high: 20})
    )
    downtime_cost_per_user_hour: Money = 60.0
    users_affected_pct: Percent = 100.0
    unbacked_uptime_pct: Annotated[float, Field(ge=90, le=100)] = Field(
        default=99.0, description="uptime assumed for a vendor-run offer whose SLA names no figure")
    self_run_uptime_pct: Annotated[float, Field(ge=90, le=100)] | None = Field(
        default=None, description="uptime the company expects when it runs the system itself (on-premise); "
        "None = unbacked_uptime_pct")
    downtime_in_working_hours_pct: Percent = Field(
        default=100.0, description="share of downtime hours that fall in working hours and cost work "
        "(2,000 of 8,760 hours is about 23 %)")
    benefit_ramp_months: int = Field(default=6, ge=0, le=36)
    reference_go_live_days: int | None = Field(
        default=None, ge=1, le=2000,
        description="how long a roll-out of this scope really takes (the reference class, e.g. from the "
        "committee's own past projects); a vendor promising less is simulated from this plan, not its promise",
    )
    risk_benefits_down_pct: Percent = 20.0
    risk_costs_up_pct: Percent = 10.0
    start_date: dt.date | None = None


class Selection(Frozen):
    """A committee's ``goals.yaml``: the company, the goals and weights, knock-outs, stakeholder views."""

    name: Text
    company: Text
    currency: Currency
    assumptions: Assumptions = Field(default_factory=Assumptions)
    goals: tuple[Goal, ...] = Field(min_length=1)
    must_haves: tuple[MustHave, ...] = ()
    stakeholder_views: tuple[StakeholderView, ...] = ()
    compliance_values: Annotated[dict[str, Unit], AfterValidator(_freeze)] = Field(default_factory=dict)

    @property
    def goal_ids(self) -> tuple[str, ...]:
        return tuple(goal.id for goal in self.goals)

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def with_weights(self, weights: Mapping[str, float]) -> Selection:
        """A new selection whose goals carry ``weights`` (goal id -> weight); others keep theirs."""
        unknown = sorted(set(weights) - set(self.goal_ids))
        if unknown:
            raise ValueError(f"unknown goals {unknown}; allowed {list(self.goal_ids)}")
        goals = [g.replace(weight=float(weights[g.id])) if g.id in weights else g for g in self.goals]
        return self.replace(goals=goals)


# ---------------------------------------------------------------- committee
class Member(Frozen):
    id: Id
    name: Text
    role: Role


class Scenario(Frozen):
    """A scripted demo scenario; its scores become the value of a committee-score criterion."""

    id: Id
    name: Text
    criterion: Id
    script: str = ""


class ConsensusOverride(Frozen):
    """The committee's agreed value for one vendor and scenario, replacing the aggregate."""

    vendor: Id
    scenario: Id
    value: Annotated[float, Field(ge=0, le=5)]
    reason: Text
    by: str = ""
    date: dt.date | None = None


Score05 = Annotated[float, Field(ge=0, le=5)]


class Committee(Frozen):
    """Members, scenarios and the 0-5 scores: ``scores[member][vendor][scenario]``."""

    members: tuple[Member, ...] = Field(min_length=1)
    scenarios: tuple[Scenario, ...] = Field(min_length=1)
    scores: Annotated[
        dict[str, dict[str, dict[str, Score05]]], AfterValidator(_freeze)
    ] = Field(default_factory=dict)
    notes: Annotated[dict[str, dict[str, dict[str, str]]], AfterValidator(_freeze)] = Field(default_factory=dict)
    overrides: tuple[ConsensusOverride, ...] = ()
    aggregation: Aggregation = Aggregation.mean
    trim_pct: Annotated[float, Field(ge=0, lt=50)] = 20.0
    disagreement_pct: Annotated[float, Field(gt=0, le=100)] = 30.0

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)

    @property
    def scenario_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scenarios)
