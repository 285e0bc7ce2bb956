"""The base every domain object builds on: ``Frozen``, ``FrozenDict``, constrained field types, ``field_error``.

:mod:`crmselect.model.catalogue` and :mod:`crmselect.model.goals` (and :mod:`crmselect.model.bids`) build on these;
every name here is also importable from :mod:`crmselect.model.goals`.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from crmselect.errors import Message
from crmselect.model.ids import ID_MAX, ID_RULE, ID_SCHEMA_PATTERN, id_problem, nfc


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
    if not any(issubclass(kind, dict) for kind in set(map(type, value.values()))):
        return FrozenDict(value)  # no mapping inside (answers: 2,000 models): one C-level copy
    return FrozenDict({k: _freeze(v) if isinstance(v, dict) else v for k, v in value.items()})


def _nfc(value: object) -> object:
    # ASCII text is already NFC; isascii() is a flag read, normalising is a call into unicodedata
    return nfc(value) if isinstance(value, str) and not value.isascii() else value


def _an_id(value: str) -> str:
    problem = id_problem(value)
    if problem is not None:
        raise PydanticCustomError("string_pattern_mismatch", "is not a valid id: it {problem}",
                                  {"expected": ID_RULE, "problem": problem})
    return value


# NFC first (two spellings of one text are one id), then letters of any script, digits, _ and -
# (crmselect.model.ids).  The schema's pattern is a portable approximation an editor can apply.
Id = Annotated[
    str,
    BeforeValidator(_nfc),
    Field(min_length=1, max_length=ID_MAX, description=ID_RULE, json_schema_extra={"pattern": ID_SCHEMA_PATTERN}),
    AfterValidator(_an_id),
]
#: A reference to an id (a dict key naming a criterion, member, vendor or scenario): NFC like the id it names,
#: checked against the ids by the cross-file checks rather than by the id rule.
Ref = Annotated[str, BeforeValidator(_nfc)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="a three-letter currency code such as EUR")]
Letter = Annotated[str, Field(pattern=r"^[A-Z]$", description="one capital letter, such as S or C")]
Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=2000)]  # NFC, as ids are
Money = Annotated[float, Strict(), Field(ge=0)]
Percent = Annotated[float, Strict(), Field(ge=0, le=100)]
Unit = Annotated[float, Strict(), Field(ge=0, le=1)]


FieldPath = tuple[str | int, ...]


def field_error(field: FieldPath, message: str, allowed: str, received: object, code: str) -> PydanticCustomError:
    """The error a ``model_validator`` raises about one of its own fields, so users see that field.

    pydantic locates every model-validator error at the model (``offers[0]``), whatever field is at
    fault.  This error names the field in its context, and :func:`crmselect.files.validation.issue_from_error`
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
    if isinstance(value, Message):
        return value
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


__all__ = [
    "Currency",
    "FieldPath",
    "Frozen",
    "FrozenDict",
    "Id",
    "Letter",
    "Money",
    "Percent",
    "Ref",
    "Text",
    "Unit",
    "field_error",
]
