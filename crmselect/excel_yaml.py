"""Writing what came back from a workbook into the selection's YAML, keeping the rest of each file.

An import replaces one top-level block (``answers:`` of a vendor file, ``scores:`` and ``notes:``
of ``committee.yaml``) as text, so comments and layout elsewhere survive; the result is parsed
again and compared with the intended data before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from crmselect.bids import Answer
from crmselect.errors import WorkbookError

FLOW_WIDTH = 100  # longer answers are written one field per line
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


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
    before = yaml.safe_load(text) if text.strip() else {}
    if not isinstance(before, dict):
        raise WorkbookError(f"{name}: does not hold a mapping at the top; cannot update it")
    new_text = replace_blocks(text, blocks)
    try:
        after = yaml.safe_load(new_text)
    except yaml.YAMLError as exc:  # pragma: no cover - would be a bug in replace_blocks
        raise WorkbookError(f"{name}: updating it would produce invalid YAML ({exc}); nothing written") from exc
    expected = {**before, **{k: _normal(v) for k, v in replacements.items()}}
    if _normal(after) != _normal(expected):
        raise WorkbookError(
            f"{name}: its layout is unusual (anchors or a flow-style top level), so the update cannot keep the "
            "rest of the file intact; nothing written. Edit the file by hand or move it aside and import again"
        )
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
