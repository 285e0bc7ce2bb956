"""Writing what came back from a workbook into the selection's YAML, keeping the rest of each file.

An import replaces one top-level block (``answers:`` of a vendor file, ``scores:`` and ``notes:``
of ``committee.yaml``), the ``answers:`` block of one offer under ``offers:``, or the items of the
``offers:`` list (:func:`offers_patched`, keeping the offers that did not change as written), as
text, so comments and layout elsewhere survive; the result is parsed again and compared with the intended
data before anything is written.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from crmselect.errors import WorkbookError
from crmselect.files.yaml_lines import load_plain
from crmselect.model.bids import Answer

FLOW_WIDTH = 100  # longer answers are written one field per line
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")
_ITEM = re.compile(r"^( *)-( +)\S")
_ANSWERS_KEY = re.compile(r"^ *answers *:( *#.*)?$")
_UNUSUAL = (
    "its layout is unusual (anchors or a flow-style top level), so the update cannot keep the rest of the file "
    "intact; nothing written. Edit the file by hand or move it aside and import again"
)


def _plain(value: Any) -> Any:
    """Floats that are whole numbers as ints (``4`` not ``4.0``); everything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def dump_block(key: str, data: Mapping[str, Any]) -> str:
    """``key:`` followed by ``data`` with leaf mappings in flow style, one entry per line."""
    if not data:
        return f"{key}: {{}}\n"
    body = yaml.safe_dump(
        {key: data}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=2**31 - 1
    )
    return str(body)


def answer_fields(answer: Answer) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if answer.code is not None:
        fields["code"] = answer.code
    else:
        fields["value"] = answer.value if isinstance(answer.value, bool) else _plain(answer.value)
    if answer.available is not None:
        fields["available"] = answer.available
    if answer.third_party_product:
        fields["third_party_product"] = answer.third_party_product
    if answer.third_party_cost_per_year is not None:
        fields["third_party_cost_per_year"] = _plain(answer.third_party_cost_per_year)
    if answer.effort_days is not None:
        fields["effort_days"] = _plain(answer.effort_days)
    if answer.comment:
        fields["comment"] = answer.comment
    if answer.evidence:
        fields["evidence"] = answer.evidence
    return fields


def answers_block(answers: Mapping[str, Answer], sections: Mapping[str, str] | None = None) -> str:
    """The ``answers:`` block, one answer per line; ``sections`` (criterion id -> category name) adds
    a ``# --- category`` comment line where the category changes, as in the example files."""
    if not answers:
        return "answers: {}\n"
    lines = ["answers:\n"]
    current = None
    for cid, answer in answers.items():
        section = (sections or {}).get(cid)
        if section and section != current:
            lines.append(f"  # --- {section}\n")
        current = section
        fields = {cid: answer_fields(answer)}
        entry = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=None, width=2**31 - 1)
        if len(entry) > FLOW_WIDTH or "\n" in entry.rstrip("\n"):
            entry = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False, width=96)
        lines.extend(f"  {line}\n" for line in entry.splitlines())
    return "".join(lines)


def scores_block(scores: Mapping[str, Mapping[str, Mapping[str, float]]]) -> str:
    data = {
        member: {vendor: {s: _plain(float(v)) for s, v in by_s.items()} for vendor, by_s in by_v.items() if by_s}
        for member, by_v in scores.items()
    }
    return dump_block("scores", {m: v for m, v in data.items() if v})


def notes_block(notes: Mapping[str, Mapping[str, Mapping[str, str]]]) -> str:
    data = {
        member: {vendor: dict(by_s) for vendor, by_s in by_v.items() if by_s} for member, by_v in notes.items()
    }
    return dump_block("notes", {m: v for m, v in data.items() if v})


def _block_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """Line indices [start, end) of the top-level ``key:`` block, trailing blanks and comments excluded."""
    start = next((i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line)) and m.group(1) == key), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and not _TOP_KEY.match(lines[end]) and not lines[end].startswith(("---", "...")):
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start, end


def replace_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """``text`` with each top-level ``key:`` block replaced by ``blocks[key]`` (appended when absent)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, block in blocks.items():
        span = _block_span(lines, key)
        new = block.splitlines(keepends=True)
        if span is None:
            lines.extend(new)
        else:
            lines[span[0] : span[1]] = new
    return "".join(lines)


def patched(text: str, replacements: Mapping[str, Any], blocks: Mapping[str, str], name: str) -> str:
    """Replace blocks, then prove that only those keys changed and now hold ``replacements``."""
    before = load_plain(text) if text.strip() else {}
    if not isinstance(before, dict):
        raise WorkbookError(f"{name}: does not hold a mapping at the top; cannot update it")
    new_text = replace_blocks(text, blocks)
    try:
        after = load_plain(new_text)
    except yaml.YAMLError as exc:  # pragma: no cover - would be a bug in replace_blocks
        raise WorkbookError(f"{name}: updating it would produce invalid YAML ({exc}); nothing written") from exc
    expected = {**before, **{k: _normal(v) for k, v in replacements.items()}}
    if _normal(after) != _normal(expected):
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    return new_text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    """A line that holds data: not blank and not a comment."""
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _key(line: str) -> str | None:
    """The mapping key a line starts with (after its indentation), if any."""
    match = _TOP_KEY.match(line.lstrip(" "))
    return match.group(1) if match else None


def _offer_items(lines: list[str]) -> tuple[list[tuple[int, int]], int] | None:
    """Line spans [start, end) of the items of the top-level ``offers:`` list, and the items' key column."""
    span = _block_span(lines, "offers")
    if span is None:
        return None
    first, end = span
    starts: list[int] = []
    dash = column = -1
    for i in range(first + 1, end):
        if not _content(lines[i]):
            continue
        match = _ITEM.match(lines[i])
        if dash < 0:
            if match is None:
                return None
            dash, column = len(match.group(1)), len(match.group(1)) + 1 + len(match.group(2))
        if match is not None and len(match.group(1)) == dash:
            starts.append(i)
        elif _indent(lines[i]) <= dash:
            return None
    bounds = [*starts[1:], end]
    return [(start, _trimmed(lines, start, stop)) for start, stop in zip(starts, bounds, strict=True)], column


def _trimmed(lines: list[str], start: int, end: int) -> int:
    """``end`` moved back over trailing blank and comment lines (never before ``start + 1``)."""
    while end > start + 1 and not _content(lines[end - 1]):
        end -= 1
    return end


def offer_answers_patched(
    text: str, offer_id: str, replacement: Mapping[str, Any], block: str, name: str
) -> str:
    """``text`` with the ``answers:`` block of offer ``offer_id`` (under the top-level ``offers:``) replaced by
    ``block`` (an :func:`answers_block`), added when absent and removed when ``replacement`` is empty.

    Then proves that the offer's answers and nothing else changed, as :func:`patched` does.
    """
    before = load_plain(text) if text.strip() else {}
    offers = before.get("offers") if isinstance(before, dict) else None
    index = [i for i, o in enumerate(offers or []) if isinstance(o, dict) and o.get("id") == offer_id]
    if not isinstance(offers, list) or len(index) != 1:
        raise WorkbookError(f"{name}: has no offer {offer_id!r} under offers:; nothing written")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    found = _offer_items(lines)
    if found is None or len(found[0]) != len(offers):
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    (start, end), column = found[0][index[0]], found[1]
    if _key(lines[start][column:]) == "answers":
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    key = next((i for i in range(start + 1, end) if _indent(lines[i]) == column and _key(lines[i]) == "answers"),
               None)
    new = [" " * column + line if line.strip() else line for line in block.splitlines(keepends=True)]
    if key is None:
        at, stop = end, end
    else:
        at = key
        stop = key + 1
        while stop < end and not (_content(lines[stop]) and _indent(lines[stop]) <= column):
            stop += 1
        stop = _trimmed(lines, key, stop)
        if _ANSWERS_KEY.match(lines[key].rstrip("\n")) and new:
            new[0] = lines[key]  # the key line with its own comment
    lines[at:stop] = new if replacement else []
    new_text = "".join(lines)
    try:
        after = load_plain(new_text)
    except yaml.YAMLError as exc:
        raise WorkbookError(f"{name}: {_UNUSUAL}") from exc
    expected = copy.deepcopy(before)
    if replacement:
        expected["offers"][index[0]]["answers"] = dict(replacement)
    else:
        expected["offers"][index[0]].pop("answers", None)
    if _normal(after) != _normal(expected):
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    return new_text


def _normal(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | dt.date):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


@dataclass(frozen=True)
class OfferText:
    """One item of a new ``offers:`` list: an offer of the file kept as written there (``keep``, its id),
    or a new item (``render(dash)`` gives its text with the ``-`` at column ``dash``; ``data`` is what it holds)."""

    keep: str | None = None
    render: Callable[[int], str] | None = None
    data: Mapping[str, Any] | None = None


def offers_patched(text: str, items: Sequence[OfferText], name: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with its top-level ``offers:`` list replaced by ``items``, and the ids of the file's offers
    whose comments did not survive (their item was rewritten or removed).

    Offers kept as they are keep their lines, comments included (and the comment lines above them);
    the rest of the file is untouched.  Then proves, as :func:`patched` does, that the offers and
    nothing else changed.
    """
    before = load_plain(text) if text.strip() else {}
    offers = before.get("offers") if isinstance(before, dict) else None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    span = _block_span(lines, "offers")
    found = _offer_items(lines)
    if not isinstance(offers, list) or span is None or found is None or len(found[0]) != len(offers):
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    spans = found[0]
    ids = [o.get("id") if isinstance(o, dict) else None for o in offers]
    dash = _indent(lines[spans[0][0]]) if spans else 2
    chunks = [lines[(spans[i - 1][1] if i else span[0] + 1):end] for i, (_, end) in enumerate(spans)]
    new = [lines[span[0]]]
    expected = copy.deepcopy(before)
    expected["offers"] = []
    kept: set[int] = set()
    for number, item in enumerate(items):
        if item.keep is not None:
            index = ids.index(item.keep)
            kept.add(index)
            new += chunks[index]
            expected["offers"].append(offers[index])
        else:
            assert item.render is not None and item.data is not None
            new += (["\n"] if number else []) + item.render(dash).splitlines(keepends=True)
            expected["offers"].append(dict(item.data))
    new += lines[spans[-1][1] if spans else span[0] + 1:span[1]]
    lines[span[0]:span[1]] = new
    new_text = "".join(lines)
    try:
        after = load_plain(new_text)
    except yaml.YAMLError as exc:
        raise WorkbookError(f"{name}: {_UNUSUAL}") from exc
    if _normal(after) != _normal(expected):
        raise WorkbookError(f"{name}: {_UNUSUAL}")
    dropped = tuple(str(ids[i]) for i, chunk in enumerate(chunks)
                    if i not in kept and any(_has_comment(line) for line in chunk))
    return new_text, dropped


def _has_comment(line: str) -> bool:
    """A comment on this line (a ``#`` at its start or after a space; a ``#`` inside a quoted text may be taken
    for one, which only makes the import's note more cautious)."""
    stripped = line.lstrip()
    return stripped.startswith("#") or " #" in stripped
