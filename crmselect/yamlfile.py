"""Reading one YAML file with line numbers kept, and turning pydantic errors into ``Issue`` records."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from crmselect.errors import Issue

ModelT = TypeVar("ModelT", bound=BaseModel)

MAX_FILE_BYTES = 20 * 2**20
MAX_VALUES = 1_000_000  # after expanding aliases: stops "billion laughs" files from hanging validation


@dataclass(frozen=True)
class YamlDocument:
    """The parsed data of one file, its name for messages, and the YAML node tree for line lookups."""

    name: str
    data: Any
    node: yaml.Node | None

    def line(self, path: Sequence[object]) -> int | None:
        """1-based line of the deepest node reached along ``path`` (mapping keys or list indices)."""
        return _walk(self.node, path)[1]

    def field(self, path: Sequence[object]) -> str:
        """The part of ``path`` that exists in the file, plus a final missing key, as ``a.b[2].c``."""
        return _walk(self.node, path)[0]

    def issue(self, path: Sequence[object], message: str, code: str, allowed: str, received: object) -> Issue:
        """An Issue about the field at ``path`` of this file, with its line."""
        field, line = _walk(self.node, path)
        return Issue(self.name, field, message, line=line, code=code, allowed=allowed, received=str(received))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _walk(node: yaml.Node | None, path: Sequence[object]) -> tuple[str, int | None]:
    parts: list[str] = []
    line = _line(node) if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next((item for item in node.value if str(item[0].value) == str(step)), None)
            if match is not None:
                parts.append(str(step))
                line, node = _line(match[0]), match[1]
                continue
            if isinstance(step, str) and _is_internal(step):
                continue  # a union tag such as 'linear': the mapping itself is that member
            if isinstance(step, str):
                parts.append(step)
            break
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if 0 <= step < len(node.value):
                parts.append(f"[{step}]")
                node = node.value[step]
                line = _line(node)
                continue
            break
        if isinstance(step, str) and _is_internal(step):
            continue
        if isinstance(step, str):
            parts.append(step)
        break
    text = ""
    for part in parts:
        text += part if part.startswith("[") or not text else f".{part}"
    return text, line


def _is_internal(step: str) -> bool:
    """pydantic adds union tags and validator names to error locations; they are not in the file."""
    return "[" in step or step in {"linear", "piecewise", "threshold", "bool", "float", "str", "int"}


def _path_to(node: yaml.Node | None, target: yaml.Node, seen: set[int] | None = None) -> str | None:
    """The field path (``a.b[2].c``) of ``target`` inside the tree ``node``, or ``None``."""
    if node is target:
        return ""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return None
    seen.add(id(node))
    children: list[tuple[str, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(str(key.value), value) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(f"[{index}]", item) for index, item in enumerate(node.value)]
    for label, child in children:
        below = _path_to(child, target, seen)
        if below is not None:
            return label + (below if not below or below.startswith("[") else f".{below}")
    return None


class _BadScalar(yaml.YAMLError):
    """A scalar YAML itself accepts but Python cannot build, such as the date 2026-09-31."""

    def __init__(self, node: yaml.Node, message: str, allowed: str) -> None:
        super().__init__(message)
        self.node, self.message, self.allowed = node, message, allowed


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, except that an impossible date becomes a located error, not a ``ValueError``."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> dt.date:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise _BadScalar(
                node, f"is not a real date or time ({exc})", "a calendar date such as 2026-09-30"
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _syntax_issue(name: str, text: str, exc: yaml.MarkedYAMLError) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line = None if mark is None else mark.line + 1
    message = f"is not valid YAML: {exc.problem or exc.context}"
    if (
        exc.context
        and exc.context_mark is not None
        and exc.problem_mark is not None
        and exc.context_mark.line != exc.problem_mark.line
    ):
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    lines = text.splitlines()
    received = lines[line - 1].strip() if line is not None and 0 < line <= len(lines) else ""
    allowed = ""
    if "\t" in str(exc.problem) or "'\\t'" in str(exc.problem):  # PyYAML shows a tab as '\\t'
        allowed, received = "spaces for indentation (YAML does not allow tabs)", "a tab"
    return Issue(name, "", message, line=line, code="yaml_syntax", allowed=allowed, received=_clip(received))


def read_yaml(path: Path, name: str, issues: list[Issue]) -> YamlDocument | None:
    """Parse ``path``; on any problem append an ``Issue`` and return ``None``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.append(
            Issue(
                name,
                "",
                f"cannot be read: {exc.strerror or exc}",
                code="unreadable",
                allowed="a readable file",
                received=type(exc).__name__,
            )
        )
        return None
    if size > MAX_FILE_BYTES:
        issues.append(
            Issue(
                name,
                "",
                "is too large",
                code="too_large",
                allowed=f"at most {MAX_FILE_BYTES} bytes",
                received=f"{size} bytes",
            )
        )
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        issues.append(
            Issue(
                name,
                "",
                f"cannot be read: {exc.strerror or exc}",
                code="unreadable",
                allowed="a readable file",
                received=type(exc).__name__,
            )
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(
                name,
                "",
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                line=line,
                code="not_utf8",
                allowed="UTF-8 text",
                received="bytes in another encoding",
            )
        )
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        issues.append(Issue(name, "", "is empty", code="empty_file", allowed="a YAML mapping", received="nothing"))
        return None
    loader = _Loader(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _BadScalar as exc:
        issues.append(
            Issue(
                name,
                _path_to(node, exc.node) or "",
                exc.message,
                line=_line(exc.node),
                code="bad_value",
                allowed=exc.allowed,
                received=_clip(str(exc.node.value)),
            )
        )
        return None
    except yaml.MarkedYAMLError as exc:
        issues.append(_syntax_issue(name, text, exc))
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(name, "", f"is not valid YAML: {exc}", code="yaml_syntax"))
        return None
    except RecursionError:
        issues.append(
            Issue(
                name,
                "",
                "is nested too deeply to read",
                code="too_deep",
                allowed="a few dozen levels of nesting",
                received="hundreds of levels",
            )
        )
        return None
    finally:
        loader.dispose()
    try:
        size = _expanded_size(node, {})
    except _SelfReference as exc:
        issues.append(
            Issue(
                name,
                _path_to(node, exc.node) or "",
                "refers to itself through a YAML alias",
                line=_line(exc.node),
                code="yaml_syntax",
                allowed="aliases (*name) to earlier values only",
                received="a value that contains itself",
            )
        )
        return None
    if size > MAX_VALUES:
        issues.append(
            Issue(
                name,
                "",
                "expands to too many values (through YAML aliases *name)",
                code="too_large",
                allowed=f"at most {MAX_VALUES} values",
                received=f"{size} values",
            )
        )
        return None
    before = len(issues)
    _find_duplicate_keys(node, name, "", issues)
    if len(issues) > before:
        return None
    if not isinstance(data, dict):
        issues.append(
            Issue(
                name,
                "",
                "must hold a mapping of fields at the top",
                line=1,
                code="not_a_mapping",
                allowed="a YAML mapping (key: value lines)",
                received=type(data).__name__,
            )
        )
        return None
    return YamlDocument(name=name, data=data, node=node)


class _SelfReference(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("refers to itself through an alias")
        self.node = node


def _expanded_size(node: yaml.Node | None, seen: dict[int, int]) -> int:
    """How many values ``node`` holds once every alias is expanded; linear in the file, not in the expansion.

    Raises ``_SelfReference`` for a node that contains itself (``&a [*a]``), which no field can hold.
    """
    if node is None:
        return 0
    key = id(node)
    if key in seen:
        if seen[key] < 0:
            raise _SelfReference(node)
        return seen[key]
    seen[key] = -1  # in progress
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, seen) for item in node.value)
    seen[key] = size
    return size


def _find_duplicate_keys(node: yaml.Node | None, name: str, path: str, issues: list[Issue]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            label = str(key.value)
            field = f"{path}.{label}" if path else label
            if label in seen:
                issues.append(
                    Issue(
                        name,
                        field,
                        f"appears twice (first on line {seen[label]})",
                        line=_line(key),
                        code="duplicate_key",
                        allowed="each key once",
                        received=f"a second '{label}'",
                    )
                )
            else:
                seen[label] = _line(key)
            _find_duplicate_keys(value, name, field, issues)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _find_duplicate_keys(item, name, f"{path}[{index}]", issues)


def validate(
    model: type[ModelT], doc: YamlDocument, issues: list[Issue], data: Any = None, prefix: Sequence[object] = ()
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
                "msg": "does not have an allowed type",
                "input": error.get("input"),
                "ctx": {"expected": " or ".join(wanted)},
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
    return any(isinstance(step, str) and _is_internal(step) and step != "[key]" for step in loc)


def _plain_loc(loc: Sequence[object]) -> tuple[object, ...]:
    return tuple(step for step in loc if not (isinstance(step, str) and _is_internal(step) and step != "[key]"))


def _wanted(msg: str) -> str:
    """'Input should be a valid number, unable to parse' -> 'a valid number'."""
    return str(msg).removeprefix("Input should be ").split(",")[0]


def _field_names(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``, or [] when it cannot be told."""
    current: Any = model
    for step in loc:
        current = _unwrap(current, step)
        if isinstance(step, str) and _is_internal(step):
            continue  # a union tag: _unwrap just picked the member it names
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) in (tuple, list) and get_args(current):
            current = get_args(current)[0]
        elif get_origin(current) is dict and len(get_args(current)) == 2:
            current = get_args(current)[1]
        else:
            return []
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


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
    doc: YamlDocument, error: Any, prefix: Sequence[object] = (), model: type[BaseModel] | None = None
) -> Issue:
    loc = [*prefix, *error["loc"]]
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    ctx = error.get("ctx") or {}
    allowed = _allowed(kind, ctx)
    value = error.get("input")
    received = _show(value)
    if kind == "missing":
        message, received = "is required but missing", "nothing"
    elif kind == "extra_forbidden":
        message = "is not a known field"
        received = str(loc[-1]) if loc else ""
        fields = ctx.get("fields") or []
        allowed = ", ".join(fields) if fields else "the fields in the schema (crmselect schema)"
        if ctx.get("guess"):
            message += f"; did you mean {ctx['guess']}?"
    elif kind in ("too_short", "too_long") and isinstance(value, list | tuple | dict):
        message = "has too few items" if kind == "too_short" else "has too many items"
        received = f"{len(value)} item{'s' if len(value) != 1 else ''}"
        allowed = allowed.replace(" item(s) or characters", " item(s)")
    elif kind in ("string_too_short", "string_too_long"):
        message = "is too short" if kind == "string_too_short" else "is too long"
        allowed = allowed.replace(" item(s) or characters", " character(s)")
        received = f"{len(value)} character(s)" if isinstance(value, str) and len(value) > 40 else received
    elif kind == "union_tag_invalid":
        allowed, received = f"kind: {ctx.get('expected_tags', '')}", f"kind: {ctx.get('tag', '')}"
        message = "is not a known kind"
    elif kind == "union_tag_not_found":
        allowed, received = f"a mapping with a {ctx.get('discriminator', 'kind')} key", "none"
        message = f"needs a {ctx.get('discriminator', 'kind')} key"
    elif isinstance(value, dict | list):
        # a whole-object check (model validator): its message says what is wrong; a dump of the object does not
        found = re.search(r"\s*\(received ([^()]*)\)$", message)
        received = found.group(1) if found else ""
        if found:
            message = message[: found.start()]
        # "credits must list ..." is about the credits field: point at it (its line) when it is in the file
        first = re.match(r"\w+", message)
        if (
            first
            and model is not None
            and isinstance(value, dict)
            and first.group(0) in value
            and first.group(0) in _field_names(model, error["loc"])
        ):
            loc.append(first.group(0))
    return Issue(doc.name, doc.field(loc), message, line=doc.line(loc), code=kind, allowed=allowed, received=received)


_MAPPING = "a mapping (key: value lines)"
_TYPE_WORDS = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "date": "a date such as 2026-09-30",
    "dict": _MAPPING,
    "model": _MAPPING,
    "list": "a list",
    "tuple": "a list",
}


def _allowed(kind: str, ctx: dict[str, Any]) -> str:
    head, _, tail = kind.partition("_")
    if tail in ("type", "parsing", "attributes_type") and head in _TYPE_WORDS:
        return _TYPE_WORDS[head]
    if "expected" in ctx:
        return str(ctx["expected"])
    bounds = []
    for key, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if key in ctx:
            bounds.append(f"{sign} {ctx[key]}")
    if bounds:
        return " and ".join(bounds)
    if "pattern" in ctx:
        return f"text matching {ctx['pattern']}"
    if "min_length" in ctx:
        return f"at least {ctx['min_length']} item(s) or characters"
    if "max_length" in ctx:
        return f"at most {ctx['max_length']} item(s) or characters"
    if kind.startswith("finite"):
        return "a finite number (not NaN or infinity)"
    return ""


def _show(value: Any) -> str:
    return _clip(repr(value))


def _clip(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
