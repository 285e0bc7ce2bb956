"""The first envelope's seal: a digest of every technical input, recorded at the lock and checked after it.

The digest covers the parsed values that can move a technical total, never file bytes: the
catalogue's criteria (how each is answered and valued), the compliance scale's values, the goals'
weights and links, the knock-out minimums, every answer, each offer's deployment, SLA and contract
terms, partners (their references, staff, standing and terms, which move the SLA and contract scores) and own
answers, the committee's scenarios, scores, overrides and aggregation, and ``as_of``
(pinned at the lock).  It leaves out what cannot: comments, evidence, display names and
descriptions, notes, reasons, KPIs and money assumptions, prices, implementation plans, members'
names and public keys.

The values themselves are kept beside the log (``seals/<digest>.json``; the log holds the digest,
so a changed copy is noticed), so drift can be named field by field: file, field, old -> new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from crmselect.files.crosschecks import CATALOGUE_DIR, COMMITTEE_FILE, GOALS_FILE, SCALE_FILE, VENDORS_DIR
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.workspace import SELECTION_FILE
from crmselect.files.yaml_lines import load_plain
from crmselect.record.chain import canonical_json

if TYPE_CHECKING:
    from crmselect.model.project import Project

SEALS_DIR = "seals"
DISPLAY_ONLY = frozenset({"name", "description", "label", "comment", "evidence", "script", "reason", "by", "date",
                          "notes", "public_key", "third_party_product"})
OFFER_TECHNICAL = ("deployment", "sla", "contract", "answers")


@dataclass(frozen=True)
class Change:
    """One technical input that differs from the sealed state."""

    file: str
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {shown(self.old)} -> {shown(self.new)}"


ABSENT: Any = object()  # a field one side does not have


def shown(value: Any) -> str:
    """A sealed or current value as the user reads it (JSON; "(absent)" for a field that is not there)."""
    return "(absent)" if value is ABSENT else json.dumps(value, ensure_ascii=False)


def _flatten(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key in sorted(value, key=str):
            if str(key) in DISPLAY_ONLY:
                continue
            yield from _flatten(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        if not value:
            yield path, []
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}[{index}]")
    else:
        yield path, value


def _vendor_files(project: Project) -> dict[str, str]:
    """vendor id -> its file, relative to the selection: as the loader read them, or (a project built in memory)
    the id read from each file of its folder."""
    if project.vendor_files:
        return dict(project.vendor_files)
    root = project.root
    files: dict[str, str] = {}
    for path in sorted((root / VENDORS_DIR).glob("*.y*ml")):
        if f"{VENDORS_DIR}/{path.name}" == COMMITTEE_FILE:
            continue
        try:
            data = load_plain(path.read_text(encoding="utf-8-sig"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            files[data["id"]] = f"{VENDORS_DIR}/{path.name}"
    return files


def _catalogue_files(project: Project) -> dict[str, str]:
    """category id -> its catalogue file (``NN_<category>.yaml``), from the files the project was read from."""
    out: dict[str, str] = {}
    for source in project.sources:
        parent = source.parent
        if parent.name == "catalogue" and parent.parent.name == "criteria":
            out[source.stem.split("_", 1)[1] if "_" in source.stem else source.stem] = \
                f"{CATALOGUE_DIR}/{source.name}"
    return out


def technical_inputs(project: Project) -> dict[str, Any]:
    """Every technical input as ``{"file | field.path": value}`` (JSON values, display text left out)."""
    out: dict[str, Any] = {}

    def put(file: str, prefix: str, value: Any) -> None:
        for field, leaf in _flatten(value, prefix):
            out[f"{file} | {field}"] = leaf

    categories = _catalogue_files(project)
    for criterion in project.criteria:
        file = categories.get(criterion.category or "", CATALOGUE_DIR)
        put(file, f"criteria[{criterion.id}]", criterion.model_dump(mode="json"))
    put(SCALE_FILE, "", {"codes": {c.code: c.model_dump(mode="json") for c in project.scale.codes},
                         "future_window_months": project.scale.future_window_months})
    selection = project.selection
    for goal in selection.goals:
        put(GOALS_FILE, f"goals[{goal.id}]", {"weight": goal.weight, "criteria": dict(goal.criteria)})
    put(GOALS_FILE, "weighting", {"method": selection.weighting.value,
                                  "ranking": [r if isinstance(r, str) else list(r) for r in selection.ranking],
                                  "swing": dict(selection.swing),
                                  "judgments": {m: [list(j) for j in js] for m, js in selection.judgments.items()}})
    for rule in selection.must_haves:
        put(GOALS_FILE, f"must_haves[{rule.criterion}]", {"minimum": rule.minimum})
    put(GOALS_FILE, "compliance_values", dict(selection.compliance_values))
    vendor_files = _vendor_files(project)
    for vendor in project.vendors:
        file = vendor_files.get(vendor.id, f"{VENDORS_DIR}/{vendor.id}.yaml")
        put(file, "answers", {cid: a.model_dump(mode="json") for cid, a in vendor.answers.items()})
        for offer in vendor.offers:
            dumped = offer.model_dump(mode="json")
            technical = {key: dumped[key] for key in OFFER_TECHNICAL}
            if offer.partners.parties():  # partners move the SLA and contract scores; none: as sealed before
                technical["partners"] = dumped["partners"]
            put(file, f"offers[{offer.id}]", technical)
    committee = project.committee
    put(COMMITTEE_FILE, "scenarios", {s.id: s.criterion for s in committee.scenarios})
    put(COMMITTEE_FILE, "scores", committee.model_dump(mode="json")["scores"])
    put(COMMITTEE_FILE, "overrides", {f"{o.vendor}/{o.scenario}": o.value for o in committee.overrides})
    put(COMMITTEE_FILE, "", {"aggregation": committee.aggregation.value, "trim_pct": committee.trim_pct})
    if project.settings is not None:
        out[f"{SELECTION_FILE} | as_of"] = project.settings.as_of.isoformat()
    return out


def digest_of(inputs: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(inputs)).encode("utf-8")).hexdigest()


def store_seal(root: Path, inputs: Mapping[str, Any]) -> str:
    """Keep the sealed values beside the log (content-addressed) and return their digest."""
    digest = digest_of(inputs)
    path = root / SEALS_DIR / f"{digest}.json"
    if not path.exists():
        write_text_atomic(path, canonical_json(dict(inputs)) + "\n")
    return digest


def sealed_inputs(root: Path, digest: str) -> dict[str, Any] | None:
    """The values sealed under ``digest``, or None when their copy is missing or was changed."""
    path = root / SEALS_DIR / f"{digest}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and digest_of(data) == digest else None


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[Change, ...]:
    """Every field whose value differs, was added or was removed, in file and field order."""
    found = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, ABSENT), new.get(key, ABSENT)
        if before is ABSENT or after is ABSENT or canonical_json(before) != canonical_json(after):
            file, _, field = key.partition(" | ")
            found.append(Change(file, field, before, after))
    return tuple(found)


__all__ = ["ABSENT", "SEALS_DIR", "Change", "changes", "digest_of", "sealed_inputs", "shown", "store_seal",
           "technical_inputs"]
