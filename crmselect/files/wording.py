"""The words of validation issues as translatable templates (:class:`crmselect.errors.Message`).

An issue keeps its English text, and a surface renders it in its own language
(``Issue.render(_)``).  Here are the templates for what pydantic says most often (wrong type,
out of range, not one of the allowed values) and for the words of "what a field takes"
(:func:`crmselect.files.validation.describe_field`).  A pydantic message is templated only when the
template gives pydantic's exact words, so the English never changes with a pydantic release; it
then stays an untranslated ``str``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crmselect.errors import Message

# pydantic's messages for the most common errors, as translatable templates over the error's context; a
# message is templated only when the template gives pydantic's own words (so English never changes)
_PYDANTIC: dict[str, str] = {
    "greater_than": Message("Input should be greater than {gt}").template,
    "greater_than_equal": Message("Input should be greater than or equal to {ge}").template,
    "less_than": Message("Input should be less than {lt}").template,
    "less_than_equal": Message("Input should be less than or equal to {le}").template,
    "float_type": Message("Input should be a valid number").template,
    "float_parsing": Message("Input should be a valid number, unable to parse string as a number").template,
    "int_type": Message("Input should be a valid integer").template,
    "int_parsing": Message("Input should be a valid integer, unable to parse string as an integer").template,
    "int_from_float": Message("Input should be a valid integer, got a number with a fractional part").template,
    "bool_type": Message("Input should be a valid boolean").template,
    "bool_parsing": Message("Input should be a valid boolean, unable to interpret input").template,
    "string_type": Message("Input should be a valid string").template,
    "date_type": Message("Input should be a valid date").template,
    "dict_type": Message("Input should be a valid dictionary").template,
    "model_type": Message("Input should be a valid dictionary or instance of {class_name}").template,
    "model_attributes_type": Message("Input should be a valid dictionary or object to extract fields from").template,
    "list_type": Message("Input should be a valid list").template,
    "tuple_type": Message("Input should be a valid tuple").template,
    "literal_error": Message("Input should be {expected}").template,
    "enum": Message("Input should be {expected}").template,
    "string_pattern_mismatch": Message("String should match pattern '{pattern}'").template,
    "finite_number": Message("Input should be a finite number").template,
}


def templated(kind: str, ctx: dict[str, Any], msg: object) -> str:
    """The error's message without pydantic's "Value error, ", as a translatable Message where one is known."""
    if isinstance(msg, Message):
        return msg
    text = str(msg).removeprefix("Value error, ")
    template = _PYDANTIC.get(kind)
    if template is not None:
        params = {key: value for key, value in ctx.items() if f"{{{key}}}" in template}
        # pydantic shows a whole float bound without its ".0" (le=100.0 reads "100")
        whole = {key: int(value) if isinstance(value, float) and value.is_integer() else value
                 for key, value in params.items()}
        for candidate in (params, whole):
            try:
                message = Message(template, **candidate)
            except (KeyError, IndexError, ValueError):
                return text
            if message == text:
                return message
    return text


MAPPING = Message("a mapping (key: value lines)")
TYPE_WORDS = {
    "float": Message("a number"),
    "int": Message("a whole number"),
    "bool": Message("true or false"),
    "string": Message("text"),
    "date": Message("a date such as 2026-09-30"),
    "dict": MAPPING,
    "model": MAPPING,
    "list": Message("a list"),
    "tuple": Message("a list"),
}


def both(parts: Sequence[str]) -> str:
    """``a and b`` (as a Message, so that "and" is translated)."""
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out = Message("{first} and {second}", first=out, second=part)
    return out


def either(parts: Sequence[str]) -> str:
    """``a or b`` (as a Message, so that "or" is translated)."""
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out = Message("{first} or {second}", first=out, second=part)
    return out


def length(ctx: dict[str, Any], least: Message, most: Message) -> str:
    if "min_length" in ctx:
        return Message(least.template, count=ctx["min_length"])
    if "max_length" in ctx:
        return Message(most.template, count=ctx["max_length"])
    return ""


__all__ = ["MAPPING", "TYPE_WORDS", "both", "either", "length", "templated"]
