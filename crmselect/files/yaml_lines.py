"""Reading one YAML file with line numbers kept, so every problem can name its line.

Turning pydantic errors into ``Issue`` records lives in :mod:`crmselect.files.validation`; ``validate``
and ``issue_from_error`` are re-exported here for callers that import them from this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from crmselect.errors import Issue, Message
from crmselect.files.cache import ParseCache
from crmselect.files.validation import clip, is_pydantic_step, issue_from_error, validate

__all__ = ["MAX_FILE_BYTES", "MAX_VALUES", "YamlDocument", "issue_from_error", "load_plain", "read_yaml", "validate"]

MAX_FILE_BYTES = 20 * 2**20
MAX_VALUES = 1_000_000  # after expanding aliases: stops "billion laughs" files from hanging validation


class YamlDocument:
    """The parsed data of one file, its name for messages, and the YAML node tree for line lookups.

    The node tree may be given, or composed from the file's ``text`` the first time a line is looked up: a
    document read from the parse cache (:mod:`crmselect.files.cache`) or by a worker process carries only
    its data and text, since most loads never need a line.  The tree composed later is the one
    :func:`read_yaml` would have built (the same parser reads the same text).
    """

    __slots__ = ("_data", "_name", "_node", "_text")

    def __init__(self, name: str, data: Any, node: yaml.Node | None = None, *, text: str | None = None) -> None:
        self._name, self._data, self._node, self._text = name, data, node, text

    @property
    def name(self) -> str:
        return self._name

    @property
    def data(self) -> Any:
        return self._data

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None and self._text is not None:
            self._node = compose_node(self._text)
            self._text = None
        return self._node

    def __repr__(self) -> str:
        return f"YamlDocument(name={self._name!r})"

    def line(self, path: Sequence[object]) -> int | None:
        """1-based line of the deepest node reached along ``path`` (mapping keys or list indices)."""
        return _walk(self.node, path)[1]

    def field(self, path: Sequence[object]) -> str:
        """The part of ``path`` that exists in the file, plus a final missing key, as ``a.b[2].c``."""
        return _walk(self.node, path)[0]

    def issue(self, path: Sequence[object], message: str, code: str, allowed: str, received: object) -> Issue:
        """An Issue about the field at ``path`` of this file, with its line."""
        field, line = _walk(self.node, path)
        return Issue(self.name, field, message, line=line, code=code, allowed=allowed,
                     received=received if isinstance(received, str) else str(received))


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
            if is_pydantic_step(step):
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
        if is_pydantic_step(step):
            continue
        if isinstance(step, str):
            parts.append(step)
        break
    text = ""
    for part in parts:
        text += part if part.startswith("[") or not text else f".{part}"
    return text, line


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
        return _construct_timestamp(self, node)


def _construct_timestamp(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> dt.date:
    try:
        value: dt.date = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise _BadScalar(
            node, Message("is not a real date or time ({error})", error=str(exc)),
            Message("a calendar date such as 2026-09-30")
        ) from None
    return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

# libyaml's C parser composes the same node tree (with the same line marks) about 10x faster than PyYAML's
# pure-Python one; construction stays in Python (``SafeConstructor`` with the timestamp rule above), so the
# data is the same.  The two parsers differ on a few rare constructs (tabs as separators, complex ``?`` keys,
# bare ``!`` tags, a comment glued to a block-scalar header, BOMs and Unicode line breaks inside the text):
# a file that holds any of them, or that libyaml refuses, is read by PyYAML as before, so every message and
# every line number is PyYAML's own.  tests/files/test_yaml_c_loader.py pins the two paths to each other.
_C_PARSER: type[Any] | None = getattr(yaml, "CSafeLoader", None) if yaml.__with_libyaml__ else None
_PYTHON_ONLY_CHARACTERS = ("\t", "\ufeff", "\x85", "\u2028", "\u2029")
_COMPLEX_KEY = re.compile(r"\?(?=\s|$)", re.MULTILINE)
_BARE_TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)
_GLUED_COMMENT = re.compile(r"[|>][-+0-9]*#")
_RESOLVED_MOST = 100_000  # implicit tags remembered (of a plain or quoted scalar, by its text)


def _python_only(text: str) -> bool:
    """Whether ``text`` holds a construct on which libyaml and PyYAML may disagree (cheap tests first)."""
    return (any(character in text for character in _PYTHON_ONLY_CHARACTERS)
            or ("?" in text and _COMPLEX_KEY.search(text) is not None)
            or ("!" in text and _BARE_TAG.search(text) is not None)
            or ("#" in text and _GLUED_COMMENT.search(text) is not None))


_PLAIN_RESOLVER = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=_RESOLVED_MOST)
def _resolve(kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
    """The implicit tag of a node (int, bool, date, str ...): without path resolvers it depends only on these
    three arguments, and a selection repeats the same keys and codes thousands of times."""
    tag: str = _PLAIN_RESOLVER.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
    return tag


if _C_PARSER is not None:

    class _CLoader(_C_PARSER):  # type: ignore[misc,valid-type]
        """libyaml's parser and composer with :class:`_Loader`'s constructors.

        libyaml calls three resolver methods per node.  Without path resolvers (as for the safe loader:
        :func:`_compose_fast` checks) ``resolve`` is :func:`_resolve`, whose cache answers in C, and the
        two path-tracking methods do nothing: they are C callables that take their arguments and are ignored.
        """

        resolve = staticmethod(_resolve)
        descend_resolver = staticmethod(slice)  # slice(parent, index): two arguments of any type, no work
        ascend_resolver = staticmethod(tuple)  # tuple(): no argument, no work

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


#: Deeper trees go to PyYAML, whose recursive composer decides as before whether they are too deep to read.
_FAST_DEPTH = 100


def _expanded_count(node: yaml.Node | None) -> int | None:
    """How many values ``node`` holds once aliases are expanded (as :func:`_expanded_size`), level by level;
    ``None`` past ``_FAST_DEPTH`` levels or ``MAX_VALUES`` values, where the exact, memoised walk decides."""
    level = [] if node is None else [node]
    size = depth = 0
    while level:
        depth += 1
        size += len(level)
        if depth > _FAST_DEPTH or size > MAX_VALUES:
            return None
        below: list[yaml.Node] = []
        for item in level:
            if isinstance(item, yaml.MappingNode):
                for key, value in item.value:
                    below.append(key)
                    below.append(value)
            elif isinstance(item, yaml.SequenceNode):
                below.extend(item.value)
        level = below
    return size


def _compose_fast(text: str) -> tuple[yaml.Node | None, Any] | None:
    """The node tree and a loader to construct it, from libyaml; ``None`` when PyYAML must read ``text`` (a
    construct the parsers disagree on, or anything libyaml refuses)."""
    if _C_PARSER is None or _python_only(text) or _CLoader.yaml_path_resolvers:
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
    except Exception:  # any refusal (syntax, nesting depth, encoding) is re-read by PyYAML
        loader.dispose()
        return None
    return node, loader


def load_plain(text: str) -> Any:
    """``yaml.safe_load(text)``: the same data, read by libyaml's C parser when it reads ``text`` the same way as
    PyYAML (no construct they disagree on), else by PyYAML, whose errors are then the ones raised.  For files read
    without line numbers: the check rules' words, a file about to be rewritten, a file just written."""
    if _C_PARSER is not None and not _python_only(text):
        try:
            return yaml.load(text, Loader=_C_PARSER)
        except yaml.YAMLError:
            pass  # PyYAML reads it again and reports its own error, as yaml.safe_load would
    return yaml.safe_load(text)


def compose_node(text: str) -> yaml.Node | None:
    """The node tree of ``text``, a file :func:`read_yaml` has read without a problem, by the parser it used."""
    fast = _compose_fast(text)
    if fast is not None and _expanded_count(fast[0]) is not None:
        node, loader = fast
    else:
        if fast is not None:
            fast[1].dispose()
        loader = _Loader(text)
        node = loader.get_single_node()
    loader.dispose()
    return node


class _NotPlain(Exception):
    """The tree holds something :func:`_construct_plain` leaves to PyYAML's constructor."""


_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS: dict[str, Any] = {f"{_TAG}{name}": getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{name}")
                                  for name in ("null", "bool", "int", "float")}
_PLAIN_SCALARS[f"{_TAG}timestamp"] = _construct_timestamp


def _construct_plain(node: yaml.Node | None, loader: Any) -> tuple[Any, int, bool] | None:
    """The data of a tree of plain mappings, lists and scalars, its size and whether a mapping repeats a key,
    in one walk; ``None`` for anything else (aliases to a list or mapping, merge keys, other tags, a bad
    value, deeper than ``_FAST_DEPTH`` or more than ``MAX_VALUES`` values), which PyYAML's constructor reads.

    PyYAML's ``SafeConstructor`` builds the same values (its own scalar rules are called here), but through
    a generator per mapping; this walk is about four times faster on a large bid.  The size is what
    :func:`_expanded_count` would count (no list or mapping is reached twice), and a repeated key is only
    flagged: :func:`_find_duplicate_keys` then reports it as before.
    """
    if node is None:
        return None
    size = 0
    repeated = False
    scalars: dict[tuple[str, str], Any] = {}  # null, bool, int, float and date values are immutable: built once

    def build(item: yaml.Node, depth: int) -> Any:
        nonlocal size, repeated
        size += 1
        if depth > _FAST_DEPTH or size > MAX_VALUES:
            raise _NotPlain
        kind, tag = type(item), item.tag
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return item.value
            key = (tag, item.value)
            if key in scalars:
                return scalars[key]
            rule = _PLAIN_SCALARS.get(tag)
            if rule is None:  # binary, sets, unknown tags ...; a bad date raises, and PyYAML then reports it
                raise _NotPlain
            value = scalars[key] = rule(loader, item)
            return value
        if id(item) in reached:
            raise _NotPlain  # an alias: PyYAML shares the object, and the size counts it again
        reached.add(id(item))
        if kind is yaml.MappingNode and tag == _MAP:
            pairs = item.value
            mapping: dict[Any, Any] = {}
            for key_node, value_node in pairs:
                if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE:
                    raise _NotPlain
                mapping[build(key_node, depth + 1)] = build(value_node, depth + 1)
            if len(mapping) < len(pairs) or (len(pairs) > 1 and len({k.value for k, _ in pairs}) < len(pairs)):
                repeated = True
            return mapping
        if kind is yaml.SequenceNode and tag == _SEQ:
            return [build(child, depth + 1) for child in item.value]
        raise _NotPlain

    reached: set[int] = set()
    try:
        data = build(node, 1)
    except Exception:  # _NotPlain, or any value PyYAML's rules refuse: PyYAML's constructor says what it says
        return None
    return data, size, repeated


_STR, _MAP, _SEQ, _MERGE = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq", f"{_TAG}merge"


# what PyYAML says most often, as translatable templates (any other text stays PyYAML's English)
_PYYAML_EXACT: dict[str, Message] = {message: message for message in (
    Message("mapping values are not allowed here"),
    Message("could not find expected ':'"),
    Message("did not find expected key"),
    Message("did not find expected node content"),
    Message("did not find expected '-' indicator"),
    Message("found undefined alias"),
    Message("found unknown escape character"),
    Message("found unexpected end of stream"),
    Message("found character that cannot start any token"),
    Message("while parsing a block mapping"),
    Message("while parsing a block collection"),
    Message("while parsing a flow sequence"),
    Message("while parsing a flow mapping"),
    Message("while parsing a block node"),
    Message("while parsing a flow node"),
    Message("while scanning a simple key"),
    Message("while scanning a quoted scalar"),
    Message("while scanning a double-quoted scalar"),
    Message("while scanning a single-quoted scalar"),
    Message("while scanning an alias"),
    Message("while constructing a mapping"),
)}
_PYYAML_EXPECTED = re.compile(r"expected (?P<expected>.+), but found (?P<found>.+)")


def _pyyaml_words(text: str | None) -> str:
    """PyYAML's problem or context as a translatable Message where its words are known; else as written."""
    text = str(text)
    if text in _PYYAML_EXACT:
        return _PYYAML_EXACT[text]
    found = _PYYAML_EXPECTED.fullmatch(text)
    if found:
        return Message("expected {expected}, but found {found}", **found.groupdict())
    return text


def _syntax_issue(name: str, text: str, exc: yaml.MarkedYAMLError) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line = None if mark is None else mark.line + 1
    message: str = Message("is not valid YAML: {problem}", problem=_pyyaml_words(exc.problem or exc.context))
    if (
        exc.context
        and exc.context_mark is not None
        and exc.problem_mark is not None
        and exc.context_mark.line != exc.problem_mark.line
    ):
        message = Message("{message} ({context} that starts on line {line})", message=message,
                          context=_pyyaml_words(exc.context), line=exc.context_mark.line + 1)
    lines = text.splitlines()
    received = lines[line - 1].strip() if line is not None and 0 < line <= len(lines) else ""
    expected = re.match(r"(?:did not find )?expected (.+?), but (?:found|got) ", str(exc.problem))
    if expected and expected.group(1) == "<block end>":
        allowed: str = Message("the indentation of the lines above (a key indented differently starts a new block)")
    elif expected and "<" not in expected.group(1):  # "expected ',' or ']', but got ':'"
        allowed = Message("{expected} at this point", expected=expected.group(1))
    else:
        allowed = Message("valid YAML: check the colons, quotes, brackets and indentation here and on the line above")
    if "\t" in str(exc.problem) or "'\\t'" in str(exc.problem):  # PyYAML shows a tab as '\\t'
        allowed, received = Message("spaces for indentation (YAML does not allow tabs)"), Message("a tab")
    return Issue(name, "", message, line=line, code="yaml_syntax", allowed=allowed,
                 received=received if isinstance(received, Message) else clip(received))


def read_yaml(path: Path, name: str, issues: list[Issue], cache: ParseCache | None = None) -> YamlDocument | None:
    """Parse ``path``; on any problem append an ``Issue`` and return ``None``.

    With a ``cache``, a file whose bytes were parsed before comes from it (its node tree is composed only if a
    line is looked up), and a file parsed now without a problem is staged for it.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        issues.append(
            Issue(
                name,
                "",
                Message("cannot be read: {error}", error=str(exc.strerror or exc)),
                code="unreadable",
                allowed=Message("a readable file"),
                received=type(exc).__name__,
            )
        )
        return None
    if size > MAX_FILE_BYTES:
        issues.append(
            Issue(
                name,
                "",
                Message("is too large"),
                code="too_large",
                allowed=Message("at most {count} bytes", count=MAX_FILE_BYTES),
                received=Message("{count} bytes", count=size),
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
                Message("cannot be read: {error}", error=str(exc.strerror or exc)),
                code="unreadable",
                allowed=Message("a readable file"),
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
                Message("is not UTF-8 text (byte 0x{byte} at offset {offset})", byte=f"{raw[exc.start]:02x}",
                        offset=exc.start),
                line=line,
                code="not_utf8",
                allowed=Message("UTF-8 text"),
                received=Message("bytes in another encoding"),
            )
        )
        return None
    if cache is not None:
        cached = cache.get(raw)
        if cached is not None:
            return YamlDocument(name, cached, text=text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        issues.append(Issue(name, "", Message("is empty"), code="empty_file", allowed=Message("a YAML mapping"),
                            received=Message("nothing")))
        return None
    node: yaml.Node | None = None
    loader: Any = None
    known_size: int | None = None
    plain: tuple[Any, int, bool] | None = None
    try:
        fast = _compose_fast(text)
        if fast is not None:
            node, loader = fast
            plain = _construct_plain(node, loader)
            known_size = _expanded_count(node) if plain is None else plain[1]
            if known_size is None:  # very deep or very large: PyYAML reads it and decides
                loader.dispose()
                loader, node = None, None
        if loader is None:
            loader = _Loader(text)  # the reader refuses control characters here, before any parsing
            node = loader.get_single_node()
        if plain is None:
            plain = (loader.construct_document(node) if node is not None else None, -1, True)
        data = plain[0]
    except _BadScalar as exc:
        issues.append(
            Issue(
                name,
                _path_to(node, exc.node) or "",
                exc.message,
                line=_line(exc.node),
                code="bad_value",
                allowed=exc.allowed,
                received=clip(str(exc.node.value)),
            )
        )
        return None
    except yaml.MarkedYAMLError as exc:
        issues.append(_syntax_issue(name, text, exc))
        return None
    except yaml.YAMLError as exc:
        issues.append(Issue(name, "", Message("is not valid YAML: {problem}", problem=str(exc)),
                            code="yaml_syntax"))
        return None
    except RecursionError:
        issues.append(
            Issue(
                name,
                "",
                Message("is nested too deeply to read"),
                code="too_deep",
                allowed=Message("a few dozen levels of nesting"),
                received=Message("hundreds of levels"),
            )
        )
        return None
    finally:
        if loader is not None:
            loader.dispose()
    try:
        size = known_size if known_size is not None else _expanded_size(node, {})
    except _SelfReference as exc:
        issues.append(
            Issue(
                name,
                _path_to(node, exc.node) or "",
                Message("refers to itself through a YAML alias"),
                line=_line(exc.node),
                code="yaml_syntax",
                allowed=Message("aliases (*name) to earlier values only"),
                received=Message("a value that contains itself"),
            )
        )
        return None
    if size > MAX_VALUES:
        issues.append(
            Issue(
                name,
                "",
                Message("expands to too many values (through YAML aliases *name)"),
                code="too_large",
                allowed=Message("at most {count} values", count=MAX_VALUES),
                received=Message("{count} values", count=size),
            )
        )
        return None
    before = len(issues)
    if plain is None or plain[2]:
        _find_duplicate_keys(node, name, "", issues)
    if len(issues) > before:
        return None
    if not isinstance(data, dict):
        issues.append(
            Issue(
                name,
                "",
                Message("must hold a mapping of fields at the top"),
                line=1,
                code="not_a_mapping",
                allowed=Message("a YAML mapping (key: value lines)"),
                received=type(data).__name__,
            )
        )
        return None
    if cache is not None:
        cache.stage(name, raw, data)
    # the tree is composed again if a line is ever looked up: kept, the trees of a large selection (millions
    # of nodes and marks) would double its memory and make every garbage collection walk them
    return YamlDocument(name, data, text=text)


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
    if node is None or isinstance(node, yaml.ScalarNode):
        return
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
                        Message("appears twice (first on line {line})", line=seen[label]),
                        line=_line(key),
                        code="duplicate_key",
                        allowed=Message("each key once"),
                        received=Message("a second '{key}'", key=label),
                    )
                )
            else:
                seen[label] = _line(key)
            _find_duplicate_keys(value, name, field, issues)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _find_duplicate_keys(item, name, f"{path}[{index}]", issues)
