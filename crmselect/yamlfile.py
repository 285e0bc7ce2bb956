"""Reading one YAML file with line numbers kept, and turning pydantic errors into ``Issue`` records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crmselect.errors import Issue

ModelT = TypeVar("ModelT", bound=BaseModel)

MAX_FILE_BYTES = 20 * 2**20


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
            if isinstance(step, str) and not _is_internal(step):
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


def read_yaml(path: Path, name: str, issues: list[Issue]) -> YamlDocument | None:
    """Parse ``path``; on any problem append an ``Issue`` and return ``None``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.append(Issue(name, "", f"cannot be read: {exc.strerror}", code="unreadable"))
        return None
    if size > MAX_FILE_BYTES:
        issues.append(
            Issue(name, "", "is too large", code="too_large", allowed=f"at most {MAX_FILE_BYTES} bytes",
                  received=f"{size} bytes")
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(name, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line=line,
                  code="not_utf8", allowed="UTF-8 text", received="bytes in another encoding")
        )
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        issues.append(Issue(name, "", "is empty", code="empty_file", allowed="a YAML mapping", received="nothing"))
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        issues.append(
            Issue(name, "", f"is not valid YAML: {exc.problem or exc.context}",
                  line=None if mark is None else mark.line + 1, code="yaml_syntax")
        )
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(name, "", f"is not valid YAML: {exc}", code="yaml_syntax"))
        return None
    finally:
        loader.dispose()
    before = len(issues)
    _find_duplicate_keys(node, name, "", issues)
    if len(issues) > before:
        return None
    if not isinstance(data, dict):
        issues.append(
            Issue(name, "", "must hold a mapping of fields at the top", line=1, code="not_a_mapping",
                  allowed="a YAML mapping (key: value lines)", received=type(data).__name__)
        )
        return None
    return YamlDocument(name=name, data=data, node=node)


def _find_duplicate_keys(node: yaml.Node | None, name: str, path: str, issues: list[Issue]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            label = str(key.value)
            field = f"{path}.{label}" if path else label
            if label in seen:
                issues.append(
                    Issue(name, field, f"appears twice (first on line {seen[label]})", line=_line(key),
                          code="duplicate_key", allowed="each key once", received=f"a second '{label}'")
                )
            else:
                seen[label] = _line(key)
            _find_duplicate_keys(value, name, field, issues)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _find_duplicate_keys(item, name, f"{path}[{index}]", issues)


def validate(model: type[ModelT], doc: YamlDocument, issues: list[Issue], data: Any = None,
             prefix: Sequence[object] = ()) -> ModelT | None:
    """Validate ``data`` (default: the whole document) against ``model``; collect every error as an Issue."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            issues.append(issue_from_error(doc, error, prefix))
        return None


def issue_from_error(doc: YamlDocument, error: Any, prefix: Sequence[object] = ()) -> Issue:
    loc = [*prefix, *error["loc"]]
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    ctx = error.get("ctx") or {}
    allowed = _allowed(kind, ctx)
    received = "" if kind == "missing" else _show(error.get("input"))
    if kind == "missing":
        message = "is required but missing"
    elif kind == "extra_forbidden":
        message = "is not a known field"
        received = str(loc[-1]) if loc else ""
        allowed = "the fields in the schema (crmselect schema)"
    return Issue(doc.name, doc.field(loc), message, line=doc.line(loc), code=kind, allowed=allowed, received=received)


def _allowed(kind: str, ctx: dict[str, Any]) -> str:
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
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
