"""Bilingual text in the catalogue: ``name: Opportunity management`` or ``name: {en: ..., zh-CN: ...}``.

The catalogue (criteria, categories, goal themes, the compliance scale) is shared by English and
Chinese committees, so each of its texts may be written either way in YAML::

    name: Opportunity management            # English only, as before
    name:
      en: Opportunity management
      zh-CN: 商机管理

Both load into a :class:`LocalText`.

Why a ``str`` subclass
----------------------
Some eighty places read ``criterion.name``, ``code.label`` or ``theme.description`` as a string:
they format it, put it in a DataFrame, write it to a cell, compare it.  A separate ``{locale: text}``
field would have to change every one of them, at once, in files other people are editing.  A
``LocalText`` *is* its English text (``str(text)``, ``text == "Opportunity management"``,
``f"{text}"`` and hashing all see the English), so all of that keeps working unchanged, and a
surface that knows its language asks ``text.in_("zh-CN")``, which falls back to English where no
translation is written.  Equality also compares the translations when both sides are
``LocalText``, so a frozen object whose Chinese changed is a changed object.  String methods
(``upper``, slicing, ``+``) return a plain ``str``, in English: translating is the surface's
explicit act, never an accident.

English is required in the mapping form: it is the fallback, and every existing surface reads it.
Keys are the locales of :data:`crmselect.model.settings.LOCALES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Self

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from crmselect.model.frozen import FrozenDict
from crmselect.model.ids import nfc
from crmselect.model.settings import LOCALES

ENGLISH = "en"


class LocalText(str):
    """A text whose ``str`` value is English, carrying its translations (``{"zh-CN": "商机管理"}``)."""

    translations: FrozenDict
    __slots__ = ("translations",)

    def __new__(cls, english: str, translations: Mapping[str, str] | None = None) -> Self:
        text = super().__new__(cls, english)
        others = {k: v for k, v in (translations or {}).items() if k != ENGLISH}
        object.__setattr__(text, "translations", FrozenDict(others))
        return text

    def in_(self, locale: str) -> str:
        """The text in ``locale`` (``"zh-CN"``, also ``"zh_CN"`` or ``"zh"``), else the English text."""
        if locale == ENGLISH:
            return str(self)
        wanted = locale.replace("_", "-")
        if wanted in self.translations:
            return str(self.translations[wanted])
        language = wanted.split("-")[0].casefold()
        for key, value in self.translations.items():
            if str(key).split("-")[0].casefold() == language:
                return str(value)
        return str(self)

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales this text is written in, English first."""
        return (ENGLISH, *self.translations)

    def as_mapping(self) -> dict[str, str]:
        """``{"en": ..., "zh-CN": ...}``: the mapping form of YAML."""
        return {ENGLISH: str(self), **self.translations}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LocalText):
            return str.__eq__(self, other) and self.translations == other.translations
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        if not self.translations:
            return f"LocalText({str(self)!r})"
        return f"LocalText({str(self)!r}, {dict(self.translations)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LocalText, (str(self), dict(self.translations)))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self


@dataclass(frozen=True)
class _LocalTextRule:
    """The pydantic schema of a :class:`LocalText` field: a string, or a mapping of locale to string."""

    min_length: int
    max_length: int

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(_dump, when_used="always"),
        )

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        text: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.min_length:
            text["minLength"] = self.min_length
        return {
            "anyOf": [
                {**text, "description": "English text"},
                {
                    "type": "object",
                    "description": "the text per language: en (required) and zh-CN",
                    "properties": {locale: dict(text) for locale in LOCALES},
                    "required": [ENGLISH],
                    "additionalProperties": False,
                },
            ],
            "description": "text: English, or a mapping {en: ..., zh-CN: ...}",
        }

    def _validate(self, value: object) -> LocalText:
        if isinstance(value, LocalText):
            return value
        if isinstance(value, str):
            return LocalText(self._checked(value, ()))
        if not isinstance(value, Mapping):
            raise PydanticCustomError("local_text_type", "must be text or a mapping of en and zh-CN to text",
                                      {"expected": "text, or a mapping {en: ..., zh-CN: ...}"})
        unknown = [key for key in value if key not in LOCALES]
        if unknown:
            raise _error((str(unknown[0]),), "is not a language of crmselect", "one of " + ", ".join(LOCALES),
                         unknown[0], "unknown_locale")
        if ENGLISH not in value:
            raise _error((ENGLISH,), "is required: English is the text every language falls back to",
                         "the English text", "nothing", "missing")
        texts = {str(key): self._checked(text, (str(key),)) for key, text in value.items()}
        return LocalText(texts.pop(ENGLISH), texts)

    def _checked(self, value: object, where: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            raise _error(where, "must be text", "text", value, "string_type")
        text = nfc(value)
        if len(text) < self.min_length:
            raise _error(where, "is empty", f"at least {self.min_length} character(s)", repr(text),
                         "string_too_short")
        if len(text) > self.max_length:
            raise _error(where, "is too long", f"at most {self.max_length} character(s)",
                         f"{len(text)} character(s)", "string_too_long")
        return text


def _error(where: tuple[str, ...], message: str, allowed: str, received: object, code: str) -> PydanticCustomError:
    # the shape of crmselect.model.frozen.field_error, so the Issue points at name.zh-CN when that is at fault
    dotted = ".".join(where)
    context = {"field": where, "message": message, "allowed": allowed, "received": str(received)}
    return PydanticCustomError(code, f"{dotted} {message}".strip(), context)


def _dump(value: object) -> object:
    if isinstance(value, LocalText) and value.translations:
        return value.as_mapping()
    return str(value)


# Required text (a criterion's name, a code's label) and text that may be empty (a description).
LocalName = Annotated[LocalText, _LocalTextRule(min_length=1, max_length=2000)]
LocalDescription = Annotated[LocalText, _LocalTextRule(min_length=0, max_length=10_000)]


def local(value: str | Mapping[str, str]) -> LocalText:
    """A :class:`LocalText` from either YAML form (for code and tests building catalogue objects)."""
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        return LocalText(nfc(value))
    english = value[ENGLISH]
    return LocalText(nfc(english), {k: nfc(v) for k, v in value.items() if k != ENGLISH})


__all__ = ["ENGLISH", "LocalDescription", "LocalName", "LocalText", "local"]
