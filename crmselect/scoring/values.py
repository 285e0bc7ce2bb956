"""Values: turning one answer into a number in 0..1, and checking it against a must-have minimum.

Kernels (``*_value``) work on floats or ndarrays without checks; :func:`answer_value` and
:func:`knockout_check` apply them to the model (the loaders have already checked the answers).

- compliance code -> the code's value on the (committee's) compliance scale; a future-release
  answer (a code with ``needs_date``) counts only when its date falls within
  ``scale.future_window_months`` of the reference date, otherwise it counts as N;
- number -> the criterion's value function: linear between worst and best (clipped), piecewise
  linear (flat outside), or threshold (respecting the criterion's direction);
- yes/no -> 1 or 0.

:func:`answer_column` is :func:`answer_value` over one criterion's answers from every bid at once
(the scorecard's fast path): the same values to the last bit, the same ``shown`` and notes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, is_, is_not
from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crmselect.model.bids import Answer
from crmselect.model.goals import (
    AnswerKind,
    ComplianceScale,
    Criterion,
    Direction,
    LinearValue,
    MustHave,
    PiecewiseValue,
    ThresholdValue,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]
NOT_SUPPORTED = "N"
_NUMBER = (int, float)  # a tuple: ``int | float`` builds a new union object at every isinstance call


# ---------------------------------------------------------------- kernels
def linear_value(x: ArrayLike, worst: float, best: float) -> FloatArray:
    """0 at ``worst``, 1 at ``best``, straight between, clipped to 0..1 (works either direction)."""
    return np.clip((np.asarray(x, dtype=float) - worst) / (best - worst), 0.0, 1.0)


def piecewise_value(x: ArrayLike, xs: ArrayLike, values: ArrayLike) -> FloatArray:
    """Straight lines through the points (xs ascending), flat beyond the first and last point."""
    return np.asarray(np.interp(np.asarray(x, dtype=float), np.asarray(xs, float), np.asarray(values, float)))


def threshold_value(x: ArrayLike, threshold: float, higher_is_better: bool) -> FloatArray:
    """1 where the threshold is met (``>=`` when higher is better, ``<=`` when lower is), else 0."""
    array = np.asarray(x, dtype=float)
    met = array >= threshold if higher_is_better else array <= threshold
    return met.astype(float)


def number_value(criterion: Criterion, x: float) -> float:
    """A number answer through the criterion's value function."""
    function = criterion.value_function
    if isinstance(function, LinearValue):
        return float(linear_value(x, function.worst, function.best))
    if isinstance(function, PiecewiseValue):
        xs, vs = zip(*function.points, strict=True)
        return float(piecewise_value(x, xs, vs))
    if isinstance(function, ThresholdValue):
        return float(threshold_value(x, function.threshold, criterion.direction is not Direction.lower_is_better))
    raise TypeError(f"{criterion.id} has no value function")  # the model forbids this


def number_values(criterion: Criterion, x: ArrayLike) -> FloatArray:
    """:func:`number_value` over an array of numbers (elementwise the same floating-point steps)."""
    array = np.asarray(x, dtype=float)
    function = criterion.value_function
    if isinstance(function, LinearValue):
        return linear_value(array, function.worst, function.best)
    if isinstance(function, PiecewiseValue):
        xs, vs = zip(*function.points, strict=True)
        return piecewise_value(array, xs, vs)
    if isinstance(function, ThresholdValue):
        return threshold_value(array, function.threshold, criterion.direction is not Direction.lower_is_better)
    raise TypeError(f"{criterion.id} has no value function")  # the model forbids this


def compliance_value_kernel(code_index: IntArray, late: BoolArray, code_values: FloatArray,
                            late_value: float) -> FloatArray:
    """Compliance values from positions on the scale: ``code_values[code_index]`` (index -1 = a code
    not on the scale, worth 0), or ``late_value`` where a dated promise falls outside the window."""
    table = np.append(np.asarray(code_values, dtype=float), 0.0)
    return np.where(late, late_value, table[code_index])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months later (the day clipped to the month's length)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- answers
@dataclass(frozen=True)
class AnswerValue:
    """The value of one answer and how it was reached: ``shown`` is what the vendor said."""

    value: float
    shown: str
    code: str | None = None
    note: str = ""


def effective_code(answer: Answer, scale: ComplianceScale, reference: dt.date) -> tuple[str, str]:
    """The code an answer counts as, and a note when a dated promise falls outside the window."""
    code = answer.code or ""
    if code in scale.letters and scale.code(code).needs_date:
        window_end = add_months(reference, scale.future_window_months)
        if answer.available is None or answer.available > window_end:
            when = answer.available.isoformat() if answer.available else "no date"
            fallback = NOT_SUPPORTED if NOT_SUPPORTED in scale.letters else "value 0"
            return NOT_SUPPORTED, (
                f"{code} ({when}) is later than {scale.future_window_months} months after "
                f"{reference.isoformat()}; counted as {fallback}"
            )
    return code, ""


def code_value(code: str, scale: ComplianceScale) -> float:
    return scale.code(code).value if code in scale.letters else 0.0


def answer_value(criterion: Criterion, answer: Answer, scale: ComplianceScale, reference: dt.date) -> AnswerValue:
    """The 0..1 value of a vendor's answer to a compliance, number or yes/no criterion."""
    if criterion.answer is AnswerKind.compliance and answer.code is not None:
        code, note = effective_code(answer, scale, reference)
        shown = answer.code + (f" ({answer.available.isoformat()})" if answer.available else "")
        return AnswerValue(code_value(code, scale), shown, code, note)
    if criterion.answer is AnswerKind.yes_no and isinstance(answer.value, bool):
        return AnswerValue(1.0 if answer.value else 0.0, "yes" if answer.value else "no")
    if criterion.answer is AnswerKind.number and isinstance(answer.value, int | float) and not isinstance(
        answer.value, bool
    ):
        unit = f" {criterion.unit}" if criterion.unit else ""
        return AnswerValue(number_value(criterion, float(answer.value)), f"{answer.value:g}{unit}")
    value, shown, note = _unusable(criterion)
    return AnswerValue(value, shown, note=note)


@dataclass(frozen=True)
class _NoAnswer:
    """Stands in for a missing answer while a column is read: it gives nothing."""

    code: None = None
    value: None = None
    available: None = None


_NOTHING = _NoAnswer()
_CODE, _VALUE, _AVAILABLE = attrgetter("code"), attrgetter("value"), attrgetter("available")


@dataclass(frozen=True)
class AnswerColumn:
    """:func:`answer_value` for one criterion over many answers: ``values`` (NaN where there is no
    answer), and per answer what it shows and the note (both ``""`` where there is no answer)."""

    values: FloatArray
    shown: tuple[str, ...]
    notes: tuple[str, ...]


def _unusable(criterion: Criterion) -> tuple[float, str, str]:
    """(value, shown, note) of an answer that does not fit the criterion's kind."""
    return 0.0, "unusable answer", f"the answer does not fit a {criterion.answer.value} criterion"


@dataclass(frozen=True, eq=False)
class ComplianceTable:
    """What every compliance column reads from the scale and the reference date, worked out once per scorecard:
    each code's position (the first, as :meth:`ComplianceScale.code` finds it), the codes that need a date, the
    end of the future-release window, the codes' values and what a late promise counts as."""

    scale: ComplianceScale
    reference: dt.date
    position: dict[str, int]
    dated: frozenset[str]
    window_end: dt.date
    code_values: FloatArray
    late_value: float

    @classmethod
    def of(cls, scale: ComplianceScale, reference: dt.date) -> ComplianceTable:
        position: dict[str, int] = {}
        for i, item in enumerate(scale.codes):
            position.setdefault(item.code, i)
        return cls(scale, reference, position, frozenset(item.code for item in scale.codes if item.needs_date),
                   add_months(reference, scale.future_window_months),
                   np.array([item.value for item in scale.codes], dtype=float), code_value(NOT_SUPPORTED, scale))


def answer_column(
    criterion: Criterion, answers: Sequence[Answer | None], scale: ComplianceScale, reference: dt.date,
    table: ComplianceTable | None = None,
) -> AnswerColumn:
    """The values of many answers to one compliance, number or yes/no criterion (``None`` = no answer).

    Cell by cell equal to :func:`answer_value` (values to the last bit); the per-answer Python
    work is reduced to reading the answer, and the value maths runs on arrays.  ``table``
    (:meth:`ComplianceTable.of` the same scale and date) saves working it out again for each column.
    """
    n = len(answers)
    values = np.full(n, np.nan)
    shown = [""] * n
    notes = [""] * n
    kind = criterion.answer
    # Reading answers is C-level (map over attrgetter); a stand-in with nothing given fills the gaps.
    absent = np.fromiter(map(is_, answers, repeat(None)), dtype=bool, count=n)
    given: Sequence[Answer | _NoAnswer] = ([_NOTHING if a is None else a for a in answers] if absent.any()
                                           else cast("Sequence[Answer]", answers))
    if kind is AnswerKind.compliance:
        if table is None or table.scale is not scale or table.reference != reference:
            table = ComplianceTable.of(scale, reference)
        position, dated, window_end = table.position, table.dated, table.window_end
        codes = list(map(_CODE, given))
        used = np.fromiter(map(is_not, codes, repeat(None)), dtype=bool, count=n)
        code_index = np.fromiter(map(position.get, codes, repeat(-1)), dtype=np.intp, count=n)
        late = np.zeros(n, dtype=bool)
        shown = [code or "" for code in codes]
        # Only answers without a code or with a date need more than their code.
        dated_or_dated_code = (np.fromiter(map(is_not, map(_AVAILABLE, given), repeat(None)), dtype=bool, count=n)
                               | np.fromiter(map(dated.__contains__, codes), dtype=bool, count=n))
        for i in np.flatnonzero(~absent & (~used | dated_or_dated_code)).tolist():
            answer = answers[i]
            assert answer is not None
            code = answer.code
            if code is None:
                values[i], shown[i], notes[i] = _unusable(criterion)
                continue
            available = answer.available
            if available is not None:
                shown[i] = f"{code} ({available.isoformat()})"
            if code in dated and (available is None or available > window_end):
                late[i] = True
                notes[i] = effective_code(answer, scale, reference)[1]
        values[used] = compliance_value_kernel(code_index[used], late[used], table.code_values, table.late_value)
    elif kind is AnswerKind.number:
        raw = list(map(_VALUE, given))
        numbers = [(i, number) for i, number in enumerate(raw)
                   if isinstance(number, _NUMBER) and not isinstance(number, bool)]
        unit = f" {criterion.unit}" if criterion.unit else ""
        mask = np.zeros(n, dtype=bool)
        mask[[i for i, _ in numbers]] = True
        for i in np.flatnonzero(~absent & ~mask).tolist():
            values[i], shown[i], notes[i] = _unusable(criterion)
        for i, number in numbers:
            shown[i] = f"{number:g}{unit}"
        values[mask] = number_values(criterion, np.array([float(number) for _, number in numbers], dtype=np.float64))
    elif kind is AnswerKind.yes_no:
        for i, (value, gap) in enumerate(zip(map(_VALUE, given), absent.tolist(), strict=True)):
            if gap:
                continue
            if isinstance(value, bool):
                values[i], shown[i] = (1.0, "yes") if value else (0.0, "no")
            else:
                values[i], shown[i], notes[i] = _unusable(criterion)
    else:
        for i, answer in enumerate(answers):
            if answer is not None:
                result = answer_value(criterion, answer, scale, reference)
                values[i], shown[i], notes[i] = result.value, result.shown, result.note
    return AnswerColumn(values, tuple(shown), tuple(notes))


# ---------------------------------------------------------------- knock-outs
def minimum_text(criterion: Criterion, rule: MustHave, scale: ComplianceScale) -> str:
    """The rule in words, e.g. ``at least C (Configuration)`` or ``at most 4 hours``."""
    kind = criterion.answer
    if kind is AnswerKind.compliance and isinstance(rule.minimum, str):
        label = scale.code(rule.minimum).label if rule.minimum in scale.letters else "?"
        return f"at least {rule.minimum} ({label})"
    if kind is AnswerKind.yes_no:
        return "yes" if rule.minimum else "yes or no"
    if kind is AnswerKind.number:
        word = "at most" if criterion.direction is Direction.lower_is_better else "at least"
        unit = f" {criterion.unit}" if criterion.unit else ""
        return f"{word} {rule.minimum:g}{unit}" if isinstance(rule.minimum, int | float) else f"{word} {rule.minimum}"
    if kind is AnswerKind.committee_score:
        return f"at least {rule.minimum:g} of 5 (committee score)" if isinstance(rule.minimum, int | float) else ""
    return f"at least {rule.minimum:g} (0..1)" if isinstance(rule.minimum, int | float) else str(rule.minimum)


def fails_minimum(
    criterion: Criterion,
    rule: MustHave,
    scale: ComplianceScale,
    *,
    answer: Answer | None = None,
    code: str | None = None,
    level: float | None = None,
) -> bool:
    """True when the answer (or ``level``: committee 0..5 score or computed 0..1 value) is below the minimum.

    compliance: the value of the effective ``code`` is below the value of the minimum code;
    number: below the minimum (above it when lower is better); yes/no: must be yes when the
    minimum is true; committee score and computed: ``level`` below the minimum.
    """
    kind = criterion.answer
    minimum = rule.minimum
    if kind is AnswerKind.compliance and isinstance(minimum, str):
        return code_value(code or "", scale) < code_value(minimum, scale)
    if kind is AnswerKind.yes_no:
        return bool(minimum) and not (answer is not None and answer.value is True)
    if isinstance(minimum, bool) or not isinstance(minimum, int | float):
        return False  # the loaders reject such rules
    if kind is AnswerKind.number:
        if answer is None or isinstance(answer.value, bool) or answer.value is None:
            return True
        if criterion.direction is Direction.lower_is_better:
            return float(answer.value) > minimum
        return float(answer.value) < minimum
    return level is not None and level < minimum


class AnswerMemo:
    """Answer columns already worked out, for scoring the same answers again.

    Ranking levers re-scores the whole selection once per concession (:meth:`crmselect.evaluation.Evaluation.levers`),
    and each :func:`~crmselect.evaluation.evaluate` scores twice (prices sealed, then as the envelope stands).  A
    concession changes a bid's SLA or contract terms, never its answers, so every answer column comes out the same.
    A column is kept under its criterion (the very object: a changed criterion is a new one) and the answers' values
    (frozen models compare by value), for one compliance scale and date (compared by value on :meth:`for_scale`).
    Kept columns are read-only.  One memo serves one run of re-scorings; it holds what it keeps alive."""

    def __init__(self) -> None:
        self._scale: ComplianceScale | None = None
        self._reference: dt.date | None = None
        self._columns: dict[tuple[int, tuple[Answer | None, ...]], tuple[Criterion, AnswerColumn]] = {}

    def for_scale(self, scale: ComplianceScale, reference: dt.date) -> AnswerMemo:
        """This memo, emptied first when the scale's values or the date differ from the columns it holds."""
        if self._reference != reference or (self._scale is not scale and self._scale != scale):
            self._columns.clear()
        self._scale, self._reference = scale, reference
        return self

    def column(self, criterion: Criterion, answers: Sequence[Answer | None], table: ComplianceTable) -> AnswerColumn:
        """:func:`answer_column` of these answers, worked out once."""
        assert self._scale is not None and self._reference is not None, "call for_scale() first"
        key = (id(criterion), tuple(answers))
        kept = self._columns.get(key)
        if kept is not None and kept[0] is criterion:
            return kept[1]
        column = answer_column(criterion, answers, self._scale, self._reference, table)
        column.values.flags.writeable = False
        self._columns[key] = (criterion, column)  # the criterion kept alive, so its id is not reused
        return column
