"""Validate parsed file data against a model, and turn every pydantic error into an ``Issue``.

Each issue names the field (``offers[0].sla.uptime_pct``) and its line, says what the field
allows and what it received.  Three kinds of pydantic error need help to say that well:

- a model validator's error is located at the whole object; the validators in :mod:`crmselect.model.goals`
  and :mod:`crmselect.model.bids` raise :func:`crmselect.model.goals.field_error`, whose context names the field
  at fault, its allowed values and what was received, and this module appends that field to the
  location;
- a missing field has no value to describe; what it takes is read from the model's JSON Schema
  (:func:`describe_field`: "a number >= 0", "one of saas, on_premise, hosted", "text");
- an unknown key (a typo) lists the known fields and the one it probably meant.

This module knows nothing of YAML: a document is anything with a name, the data, and ``field``
and ``line`` lookups for a location (:class:`crmselect.files.yaml_lines.YamlDocument`).
"""

from __future__ import annotations

import difflib
import functools
import types
from collections.abc import Sequence
from typing import Annotated, Any, Protocol, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from crmselect.errors import Issue, Message
from crmselect.files.wording import MAPPING as _MAPPING
from crmselect.files.wording import TYPE_WORDS as _TYPE_WORDS
from crmselect.files.wording import both as _both
from crmselect.files.wording import either as _either
from crmselect.files.wording import length as _length
from crmselect.files.wording import templated as _templated

ModelT = TypeVar("ModelT", bound=BaseModel)

# the names pydantic gives union members in error locations; they are not keys in the file
_MEMBER_STEPS = frozenset({"linear", "piecewise", "threshold", "bool", "float", "str", "int"})


class Document(Protocol):
    """What validation needs of a parsed file: its name, its data, and where a location is in it."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> Any: ...

    def line(self, path: Sequence[object]) -> int | None: ...

    def field(self, path: Sequence[object]) -> str: ...


def is_pydantic_step(step: object) -> bool:
    """True for the steps pydantic adds to error locations (union tags, ``[key]``) that are not in the file."""
    return isinstance(step, str) and ("[" in step or step in _MEMBER_STEPS)


def _kept(text: object) -> str:
    """``text`` as a str, kept a :class:`Message` (so a surface can translate it) when it is one."""
    return text if isinstance(text, Message) else str(text)


def clip(text: str) -> str:
    """``text`` cut to 80 characters, so one huge value cannot flood a message."""
    return text if len(text) <= 80 else text[:77] + "..."


def validate(
    model: type[ModelT], doc: Document, issues: list[Issue], data: Any = None, prefix: Sequence[object] = ()
) -> ModelT | None:
    """Validate ``data`` (default: the whole document) against ``model``; collect every error as an Issue."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        errors = _tidy_errors(model, list(exc.errors(include_url=False)))
        for error in errors:
            issues.append(issue_from_error(doc, error, prefix, model))
        return None


def _tidy_errors(model: type[BaseModel], errors: list[Any]) -> list[Any]:
    """One error per mistake: drop pydantic's echoes, merge union members, pair typos with missing fields."""
    kept: list[Any] = []
    for error in errors:
        value = error.get("input")
        ctx = error.get("ctx") or {}
        # a tuple whose item failed is also reported as too short; that is an echo, not a second mistake
        if (
            error["type"] == "too_short"
            and isinstance(value, list | tuple)
            and len(value) >= int(ctx.get("min_length", 0))
        ):
            continue
        kept.append(error)
    # a value that fits no member of a union (say bool | float) gets one error per member: merge them
    groups: dict[tuple[object, ...], list[Any]] = {}
    for error in kept:
        if _union_member_step(error["loc"]):
            groups.setdefault(_plain_loc(error["loc"]), []).append(error)
    merged: list[Any] = []
    done: set[tuple[object, ...]] = set()
    for error in kept:
        key = _plain_loc(error["loc"])
        group = groups.get(key, [])
        if len(group) < 2 or not _union_member_step(error["loc"]):
            merged.append(error)
            continue
        if key in done:
            continue
        done.add(key)
        wanted = list(dict.fromkeys(_allowed(e["type"], e.get("ctx") or {}) or _wanted(e["msg"]) for e in group))
        merged.append(
            {
                "type": "no_union_member",
                "loc": key,
                "msg": Message("does not have an allowed type"),
                "input": error.get("input"),
                "ctx": {"expected": _either(wanted)},
            }
        )
    # a misspelt required field is reported once, as the unknown key, naming the field it probably meant
    missing = {tuple(e["loc"]): e for e in merged if e["type"] == "missing"}
    out: list[Any] = []
    for error in merged:
        if error["type"] == "extra_forbidden" and error["loc"]:
            parent, unknown = tuple(error["loc"][:-1]), str(error["loc"][-1])
            names = _field_names(model, parent)
            guess = difflib.get_close_matches(unknown, names, n=1, cutoff=0.75) if names else []
            error = {**error, "ctx": {**(error.get("ctx") or {}), "fields": names, "guess": guess[0] if guess else ""}}
            if guess and (*parent, guess[0]) in missing:
                missing.pop((*parent, guess[0]))["type"] = "paired"
        out.append(error)
    return [e for e in out if e["type"] != "paired"]


def _union_member_step(loc: Sequence[object]) -> bool:
    return any(is_pydantic_step(step) and step != "[key]" for step in loc)


def _plain_loc(loc: Sequence[object]) -> tuple[object, ...]:
    return tuple(step for step in loc if not (is_pydantic_step(step) and step != "[key]"))


def _wanted(msg: str) -> str:
    """'Input should be a valid number, unable to parse' -> 'a valid number'."""
    return str(msg).removeprefix("Input should be ").split(",")[0]


def _model_at(model: type[BaseModel], loc: Sequence[object]) -> type[BaseModel] | None:
    """The model class found at ``loc`` inside ``model``, or ``None`` when it cannot be told."""
    current: Any = model
    for step in loc:
        current = _unwrap(current, step)
        if is_pydantic_step(step):
            continue  # a union tag: _unwrap just picked the member it names
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (tuple, list) and get_args(current):
            current = get_args(current)[0]
        elif get_origin(current) is dict and len(get_args(current)) == 2:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current, None)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_names(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``, or [] when it cannot be told."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def _unwrap(annotation: Any, step: object) -> Any:
    """Strip ``Annotated`` and ``None`` from a type; pick a union member by its ``kind`` tag when named."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            members = [m for m in get_args(annotation) if m is not type(None)]
            tagged = [
                m
                for m in members
                if isinstance(m, type)
                and issubclass(m, BaseModel)
                and "kind" in m.model_fields
                and m.model_fields["kind"].default == step
            ]
            if len(members) == 1 or tagged:
                annotation = (tagged or members)[0]
                continue
        return annotation


def issue_from_error(
    doc: Document, error: Any, prefix: Sequence[object] = (), model: type[BaseModel] | None = None
) -> Issue:
    """One pydantic error (from ``ValidationError.errors()``) as an Issue located in ``doc``."""
    loc = [*prefix, *error["loc"]]
    kind = error["type"]
    ctx = error.get("ctx") or {}
    message = _templated(kind, ctx, error["msg"])
    allowed = _allowed(kind, ctx)
    value = error.get("input")
    received = _show(value)
    if isinstance(ctx.get("field"), tuple) and {"message", "allowed", "received"} <= set(ctx):
        # crmselect.model.goals.field_error: a model validator names the field at fault
        loc.extend(ctx["field"])
        message, allowed = _kept(ctx["message"]), _kept(ctx["allowed"])
        received = ctx["received"] if isinstance(ctx["received"], Message) else clip(str(ctx["received"]))
    elif kind == "missing":
        message, received = Message("is required but missing"), Message("nothing")
        allowed = describe_field(model, error["loc"]) if model is not None else ""
    elif kind == "extra_forbidden":
        message = Message("is not a known field")
        received = str(loc[-1]) if loc else ""
        fields = ctx.get("fields") or []
        allowed = ", ".join(fields) if fields else Message("the fields in the schema (crmselect schema)")
        if ctx.get("guess"):
            message = Message("is not a known field; did you mean {guess}?", guess=ctx["guess"])
    elif kind in ("too_short", "too_long") and isinstance(value, list | tuple | dict):
        message = Message("has too few items") if kind == "too_short" else Message("has too many items")
        received = Message("{count} item", count=len(value)) if len(value) == 1 else \
            Message("{count} items", count=len(value))
        allowed = _length(ctx, Message("at least {count} item(s)"), Message("at most {count} item(s)"))
    elif kind in ("string_too_short", "string_too_long"):
        message = Message("is too short") if kind == "string_too_short" else Message("is too long")
        allowed = _length(ctx, Message("at least {count} character(s)"), Message("at most {count} character(s)"))
        received = Message("{count} character(s)", count=len(value)) if isinstance(value, str) and len(value) > 40 \
            else received
    elif kind == "union_tag_invalid":
        allowed, received = f"kind: {ctx.get('expected_tags', '')}", f"kind: {ctx.get('tag', '')}"
        message = Message("is not a known kind")
    elif kind == "union_tag_not_found":
        key = ctx.get("discriminator", "kind")
        allowed, received = Message("a mapping with a {key} key", key=key), Message("none")
        message = Message("needs a {key} key", key=key)
    elif isinstance(value, dict | list):
        received = ""  # a plain ValueError from a whole-object check: a dump of the object would not help
    return Issue(doc.name, doc.field(loc), message, line=doc.line(loc), code=kind, allowed=allowed, received=received)


def _allowed(kind: str, ctx: dict[str, Any]) -> str:
    head, _, tail = kind.partition("_")
    if tail in ("type", "parsing", "attributes_type") and head in _TYPE_WORDS:
        return _TYPE_WORDS[head]
    if "expected" in ctx:
        expected = ctx["expected"]
        return expected if isinstance(expected, Message) else str(expected)
    bounds = []
    for key, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if key in ctx:
            bounds.append(f"{sign} {ctx[key]}")
    if bounds:
        return _both(bounds)
    if "pattern" in ctx:
        return Message("text matching {pattern}", pattern=ctx["pattern"])
    length = _length(ctx, Message("at least {count} item(s) or characters"),
                     Message("at most {count} item(s) or characters"))
    if length:
        return length
    if kind.startswith("finite"):
        return Message("a finite number (not NaN or infinity)")
    return ""


def _show(value: Any) -> str:
    return clip(repr(value))


# ------------------------------------------------------------------ what a field takes, in words
def describe_field(model: type[BaseModel], loc: Sequence[object]) -> str:
    """What the field at ``loc`` inside ``model`` takes, in a user's words, from the JSON Schema.

    ``describe_field(Offer, ["deployment"])`` is ``"one of saas, on_premise, hosted"``; a number
    with bounds reads ``"a number >= 0"``, a sub-object ``"a mapping (key: value lines) with ..."``
    naming its required fields.  ``""`` when the location cannot be followed.
    """
    if not loc:
        return ""
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return ""
    schema = _schema(parent)
    field = schema.get("properties", {}).get(str(loc[-1]))
    return _describe(field, schema.get("$defs", {})) if isinstance(field, dict) else ""


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _describe(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _describe(defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {}), defs)
    if "enum" in schema:
        return Message("one of {values}", values=", ".join(str(v) for v in schema["enum"]))
    if "discriminator" in schema:
        tag = schema["discriminator"]["propertyName"]
        return Message("{mapping} with {tag}: {tags}", mapping=_MAPPING, tag=tag,
                       tags=", ".join(schema["discriminator"].get("mapping", {})))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            members = [_describe(m, defs) for m in schema[key] if m.get("type") != "null"]
            return _either(list(dict.fromkeys(m for m in members if m)))
    kind = schema.get("type")
    if kind in ("number", "integer"):
        return _bounds(schema, _TYPE_WORDS["float"] if kind == "number" else _TYPE_WORDS["int"])
    if kind == "boolean":
        return _TYPE_WORDS["bool"]
    if kind == "string":
        if schema.get("format") == "date":
            return _TYPE_WORDS["date"]
        if "pattern" in schema:
            return str(schema.get("description") or Message("text matching {pattern}", pattern=schema["pattern"]))
        return _TYPE_WORDS["string"]
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(_describe(item, defs) for item in schema["prefixItems"]) + "]"
        least = int(schema.get("minItems", 0))
        listed: str = _TYPE_WORDS["list"]
        if least:
            listed = Message("a list of at least {count} item", count=least) if least == 1 else \
                Message("a list of at least {count} items", count=least)
        item = _describe(schema.get("items", {}), defs)
        return Message("{list}, each {item}", list=listed, item=item) if item else listed
    if kind == "object":
        if "properties" in schema:
            required = list(schema.get("required", []))
            return Message("{mapping} with {fields}", mapping=_MAPPING, fields=", ".join(required)) if required \
                else _MAPPING
        value = schema.get("additionalProperties")
        inner = _describe(value, defs) if isinstance(value, dict) else ""
        return Message("{mapping}, each value {inner}", mapping=_MAPPING, inner=inner) if inner else _MAPPING
    return ""


def _bounds(schema: dict[str, Any], kind: str) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return Message("{kind} from {low} to {high}", kind=kind, low=_number(low), high=_number(high))
    parts = [
        f"{sign} {_number(schema[key])}"
        for key, sign in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))
        if key in schema
    ]
    return Message("{kind} {bounds}", kind=kind, bounds=_both(parts)) if parts else kind


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
