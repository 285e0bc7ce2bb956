"""Load a selection folder (``criteria/`` and ``vendors/``) into a checked, frozen ``Project``.

Every problem in every file is collected first; then one ``InputError`` lists them all, each
with file, line, field, what is allowed and what was received.

Each file is read and validated here (the catalogue, criterion by criterion); the checks across
files live in :mod:`crmselect.files.crosschecks`, which also names the folder's files (re-exported here).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crmselect.errors import InputError, Issue, Message
from crmselect.files.cache import ParseCache
from crmselect.files.crosschecks import (
    CATALOGUE_DIR,
    COMMITTEE_FILE,
    GOALS_FILE,
    ROUNDS_DIR,
    SCALE_FILE,
    THEMES_FILE,
    VENDORS_DIR,
    check_committee,
    check_scale,
    check_selection,
    check_vendors,
)
from crmselect.files.sanity import (
    YAML_SUFFIXES,
    check_answer_ranges,
    check_goals_are_served,
    check_services_cost,
    file_problem,
    past_promises,
    stray_vendor_files,
)
from crmselect.files.validation import ModelT, validate
from crmselect.files.workspace import SELECTION_FILE, check_selection_folder
from crmselect.files.yaml_lines import YamlDocument, read_yaml
from crmselect.model.bids import Vendor
from crmselect.model.goals import (
    Category,
    CategoryFile,
    Committee,
    ComplianceScale,
    Criterion,
    GoalThemesFile,
    Selection,
)
from crmselect.model.project import Project
from crmselect.model.settings import MOVED_FROM_GOALS, SelectionSettings


def load_project(root: str | Path | None) -> Project:
    """Read and cross-check a whole selection folder; raise ``InputError`` listing every problem.

    ``root`` must be a selection (a folder with ``selection.yaml``); ``None`` is refused with a message
    saying how to make or name one, never answered with an example.
    """
    if root is None:
        raise InputError([Issue("", "", Message("no selection folder was given: pass one (make one with "
                                                "`crmselect init DIR`, or `crmselect init DIR --example` for the "
                                                "shipped example)"),
                                code="no_selection", allowed=Message("a selection folder"),
                                received=Message("nothing"))])
    base = Path(root)
    check_selection_folder(base)
    with _collection_paused():
        return _load_selection(base)


#: Objects a load must have made before it ends with one full collection (a small selection makes ~10,000: a
#: collection would cost it more than it saves).
LARGE_LOAD_OBJECTS = 200_000


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a selection loads, as it was before afterwards.

    Loading builds millions of small objects (parsed data, then models) that all stay alive: each automatic
    collection walks every one of them again, which took about 70 % of a large selection's load time.
    The load makes no reference cycles that need collecting before it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > LARGE_LOAD_OBJECTS:
            # one full pass now moves the load's objects to the oldest generation; otherwise the re-enabled
            # collector walks them up to three times as they age, in whatever runs next (score: about 0.2 s)
            gc.collect()
        if was_enabled:
            gc.enable()


def _load_selection(base: Path) -> Project:
    """:func:`load_project` of a folder known to be a selection."""
    issues: list[Issue] = []
    notes: list[Issue] = []
    sources: list[Path] = []
    cache = ParseCache.of(base)

    def read(rel: str) -> YamlDocument | None:
        path = base / rel
        problem = file_problem(path, rel)
        if problem is not None:
            issues.append(problem)
            return None
        sources.append(path)
        return read_yaml(path, rel, issues, cache)

    settings_doc = read(SELECTION_FILE)
    settings = validate(SelectionSettings, settings_doc, issues) if settings_doc else None
    categories, criteria, criterion_docs, unchecked = _load_catalogue(base, read, issues)
    themes_doc = read(THEMES_FILE)
    themes = validate(GoalThemesFile, themes_doc, issues) if themes_doc else None
    scale_doc = read(SCALE_FILE)
    scale = validate(ComplianceScale, scale_doc, issues) if scale_doc else None
    goals_doc = read(GOALS_FILE)
    if goals_doc is not None:
        _take_settings(goals_doc, settings, issues)
    selection = validate(Selection, goals_doc, issues) if goals_doc and settings else None
    committee_doc = read(COMMITTEE_FILE)
    committee = validate(Committee, committee_doc, issues) if committee_doc else None
    vendors: list[tuple[Vendor, YamlDocument]] = []
    vendor_files: list[tuple[str, str]] = []
    # ids of vendor files that failed to validate: the committee may name them without a second issue;
    # None once a vendor file could not be read at all (then no vendor id can be called unknown)
    unchecked_vendors: set[str] | None = set()
    notes.extend(stray_vendor_files(base))
    for path in sorted(p for p in (base / VENDORS_DIR).iterdir() if p.suffix.lower() in YAML_SUFFIXES):
        rel = f"{VENDORS_DIR}/{path.name}"
        if rel == COMMITTEE_FILE:
            continue
        doc = read(rel)
        vendor = validate(Vendor, doc, issues) if doc else None
        if vendor is not None and doc is not None:
            vendors.append((vendor, doc))
            vendor_files.append((vendor.id, rel))
        elif unchecked_vendors is not None and doc is not None and isinstance(doc.data.get("id"), str):
            unchecked_vendors.add(doc.data["id"])
        else:
            unchecked_vendors = None
    if not vendors and not any(i.file.startswith(VENDORS_DIR) for i in issues):
        notes.append(
            Issue(
                VENDORS_DIR,
                "",
                Message("holds no vendor bids yet: send questionnaires (`crmselect questionnaire`) and import the "
                        "answers"),
                code="no_vendors",
                allowed=Message("one YAML file per vendor"),
                received=Message("none"),
            )
        )

    by_id = {c.id: c for c in criteria}
    if themes is not None:
        known = {t.id for t in themes.themes}
        for criterion in criteria:
            for theme in criterion.serves:
                if theme not in known:
                    cdoc, cpath = criterion_docs[criterion.id]
                    issues.append(
                        Issue(
                            cdoc.name,
                            cdoc.field([*cpath, "serves"]),
                            Message("names an unknown goal theme"),
                            line=cdoc.line([*cpath, "serves"]),
                            code="unknown_theme",
                            allowed=", ".join(sorted(known)),
                            received=theme,
                        )
                    )
    if scale is not None and scale_doc is not None:
        check_scale(scale, scale_doc, issues)
    if selection is not None and goals_doc is not None:
        members = set(committee.member_ids) if committee is not None else None
        check_selection(selection, goals_doc, by_id, scale, issues, unchecked, members)
    check_vendors(vendors, by_id, scale, selection, issues, unchecked)
    check_rounds(base, vendors, issues)
    check_answer_ranges(vendors, by_id, issues)
    if selection is not None and goals_doc is not None:
        check_goals_are_served(selection, goals_doc, issues)
    notes.extend(past_promises(vendors, scale, settings.as_of if settings else None))
    notes.extend(check_services_cost(vendors))
    if committee is not None and committee_doc is not None:
        linked = {cid for goal in selection.goals for cid in goal.criteria} if selection else set()
        check_committee(
            committee, committee_doc, by_id, [v for v, _ in vendors], linked, issues, unchecked, unchecked_vendors
        )

    cache.commit(failed={issue.file for issue in issues})
    if issues:
        summary = (Message("{count} problem in {folder}", count=1, folder=str(base)) if len(issues) == 1
                   else Message("{count} problems in {folder}", count=len(issues), folder=str(base)))
        raise InputError(issues, summary)
    assert themes is not None and scale is not None and selection is not None and committee is not None
    assert settings is not None
    return Project(
        root=base,
        categories=tuple(categories),
        criteria=tuple(criteria),
        themes=themes.themes,
        scale=scale,
        selection=selection,
        vendors=tuple(v for v, _ in vendors),
        committee=committee,
        sources=tuple(sources),
        settings=settings,
        notes=tuple(notes),
        vendor_files=tuple(vendor_files),
    )



def _take_settings(goals: YamlDocument, settings: SelectionSettings | None, issues: list[Issue]) -> None:
    """Put ``selection.yaml``'s settings where the goals model reads them; report keys still in goals.yaml.

    Before ``selection.yaml`` existed, goals.yaml held the name, company, currency and three money
    settings.  Two places for one setting would let them disagree, so a key left behind is an error
    that names its new home.
    """
    data = goals.data
    for path, new_key in MOVED_FROM_GOALS.items():
        holder: Any = data
        for step in path[:-1]:
            holder = holder.get(step) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and path[-1] in holder:
            issues.append(Issue(goals.name, ".".join(path), Message(
                "has moved to {file} (as {key}); remove it here", file=SELECTION_FILE, key=new_key),
                                line=goals.line(list(path)), code="moved_setting",
                                allowed=Message("no {field} in {file}", field=".".join(path), file=GOALS_FILE),
                                received=str(holder[path[-1]])))
    if settings is None or not isinstance(data, dict):
        return
    data["name"], data["company"], data["currency"] = settings.name, settings.company, settings.currency
    assumptions = data.get("assumptions")
    if assumptions is None:
        assumptions = data["assumptions"] = {}
    if isinstance(assumptions, dict):
        assumptions["horizon_years"] = settings.horizon_years
        assumptions["discount_rate_pct"] = settings.discount_rate_pct
        assumptions["start_date"] = settings.as_of


def _load_catalogue(
    base: Path, read: Any, issues: list[Issue]
) -> tuple[list[Category], list[Criterion], dict[str, tuple[YamlDocument, list[object]]], set[str] | None]:
    """Categories, valid criteria, where each sits, and the ids of invalid ones (see ``crosschecks._unknown``)."""
    categories: list[Category] = []
    criteria: list[Criterion] = []
    where: dict[str, tuple[YamlDocument, list[object]]] = {}
    unchecked: set[str] | None = set()
    files = sorted((base / CATALOGUE_DIR).glob("*.y*ml"))
    if not files:
        issues.append(
            Issue(
                CATALOGUE_DIR,
                "",
                Message("holds no catalogue files"),
                code="missing_file",
                allowed=Message("one YAML file per category"),
                received=Message("none"),
            )
        )
    for path in files:
        rel = f"{CATALOGUE_DIR}/{path.name}"
        doc = read(rel)
        if doc is None:
            unchecked = None
            continue
        expected = re.sub(r"^\d+_", "", path.stem)
        if isinstance(doc.data.get("category"), str) and doc.data["category"] != expected:
            issues.append(
                Issue(
                    rel,
                    "category",
                    Message("does not match the file name"),
                    line=doc.line(["category"]),
                    code="category_mismatch",
                    allowed=expected,
                    received=doc.data["category"],
                )
            )
        raw = doc.data.get("criteria")
        if isinstance(raw, list):
            doc.data["criteria"] = [
                {**item, "category": doc.data.get("category")}
                if isinstance(item, dict) and "category" not in item
                else item
                for item in raw
            ]
        parsed = validate(CategoryFile, doc, issues)
        if parsed is not None:
            categories.append(Category(id=parsed.category, name=parsed.name, description=parsed.description))
            good = list(enumerate(parsed.criteria))
        else:  # keep the valid criteria of a broken file, so other files are still checked against them
            good = []
            items = doc.data.get("criteria")
            for index, item in enumerate(items if isinstance(items, list) else []):
                try:
                    good.append((index, Criterion.model_validate(item)))
                except ValidationError:
                    if unchecked is not None and isinstance(item, dict) and isinstance(item.get("id"), str):
                        unchecked.add(item["id"])
                    else:
                        unchecked = None
            if not isinstance(items, list):
                unchecked = None
        for index, criterion in good:
            path_in_file: list[object] = ["criteria", index, "id"]
            if criterion.id in where:
                first_doc, first_path = where[criterion.id]
                issues.append(
                    Issue(
                        rel,
                        doc.field(path_in_file),
                        Message("is a duplicate criterion id"),
                        line=doc.line(path_in_file),
                        code="duplicate_id",
                        allowed=Message("a unique id"),
                        received=Message("{id} (already in {file} line {line})", id=criterion.id,
                                         file=first_doc.name, line=first_doc.line(first_path)),
                    )
                )
                continue
            where[criterion.id] = (doc, ["criteria", index])
            criteria.append(criterion)
    return categories, criteria, where, unchecked



__all__ = [
    "CATALOGUE_DIR",
    "COMMITTEE_FILE",
    "GOALS_FILE",
    "ROUNDS_DIR",
    "ROUND_FILE",
    "SCALE_FILE",
    "THEMES_FILE",
    "VENDORS_DIR",
    "check_rounds",
    "load_project",
    "load_rounds",
    "load_vendor_file",
    "round_files",
]


# ------------------------------------------------------------------ offer rounds (best and final offers)
ROUND_FILE = re.compile(r"^(?P<vendor>.+)\.r(?P<round>[1-9][0-9]?)\.ya?ml$")


def load_model_file(model: type[ModelT], path: str | Path, name: str | None = None) -> ModelT:
    """One YAML file read and validated as ``model`` on its own; ``InputError`` lists every problem with the file
    (``name``: as shown, default the path), line and field."""
    issues: list[Issue] = []
    source = Path(path)
    shown = name or str(source)
    problem = file_problem(source, shown)
    doc = None if problem is not None else read_yaml(source, shown, issues)
    if problem is not None:
        issues.append(problem)
    found = validate(model, doc, issues) if doc is not None else None
    if issues or found is None:
        raise InputError(issues)
    return found


def load_vendor_file(path: str | Path, name: str | None = None) -> Vendor:
    """One vendor file read and validated on its own; ``InputError`` lists every problem (``name``: as shown)."""
    return load_model_file(Vendor, path, name)


def round_files(root: str | Path, vendor_id: str) -> tuple[tuple[int, Path], ...]:
    """The archived rounds of ``vendor_id`` as (round, file), oldest first (``vendors/rounds/<id>.r<N>.yaml``)."""
    folder = Path(root) / ROUNDS_DIR
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        match = ROUND_FILE.match(path.name)
        if match is not None and match["vendor"] == vendor_id:
            found.append((int(match["round"]), path))
    return tuple(sorted(found))


def _round_gaps(files: tuple[tuple[int, Path], ...]) -> list[Issue]:
    """Archived rounds must be numbered 1, 2, ... N: one issue per file out of that order."""
    issues = []
    for expected, (number, path) in enumerate(files, start=1):
        if number != expected:
            issues.append(Issue(f"{ROUNDS_DIR}/{path.name}", "", Message(
                "is round {number}, but round {expected} is missing before it", number=number, expected=expected),
                code="round_gap", allowed=Message("round {expected}", expected=expected), received=str(number)))
    return issues


def _round_field_issue(name: str, doc: YamlDocument | None, given: int, expected: int, archived: int) -> Issue:
    """A vendor file whose ``round:`` is not the one its archive implies (``archived`` earlier rounds)."""
    line = doc.line(["round"]) if doc is not None and isinstance(doc.data, dict) and "round" in doc.data else None
    if archived == expected - 1:
        why = Message("is not one more than the {count} earlier round(s) kept in {folder}", count=archived,
                      folder=ROUNDS_DIR)
    else:
        why = Message("is not the round this archived file holds (its file name says {expected})",
                      expected=expected)
    return Issue(name, "round", why, line=line, code="round_mismatch",
                 allowed=Message("round {expected}", expected=expected), received=str(given))


def check_rounds(root: Path, vendors: list[tuple[Vendor, YamlDocument]], issues: list[Issue]) -> None:
    """Each vendor's ``round:`` is one more than its archived rounds (``vendors/rounds/<id>.r<N>.yaml``), which are
    numbered 1..N without gaps (the files' names only: :func:`load_rounds` reads them)."""
    for vendor, doc in vendors:
        files = round_files(root, vendor.id)
        issues.extend(_round_gaps(files))
        if vendor.round != len(files) + 1:
            issues.append(_round_field_issue(doc.name, doc, vendor.round, len(files) + 1, len(files)))


def load_rounds(root: str | Path, vendor_id: str) -> tuple[Vendor, ...]:
    """The earlier versions of a vendor's bid, oldest first: history, never bids (the bid is ``vendors/<id>.yaml``).

    Each must be a valid vendor file of ``vendor_id`` whose ``round:`` is the number in its name, numbered 1, 2,
    ... without gaps; every problem is reported.
    """
    files = round_files(root, vendor_id)
    issues: list[Issue] = _round_gaps(files)
    rounds: list[Vendor] = []
    for expected, (number, path) in enumerate(files, start=1):
        rel = f"{ROUNDS_DIR}/{path.name}"
        if number != expected:
            continue
        try:
            vendor = load_vendor_file(path, rel)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        if vendor.id != vendor_id:
            issues.append(Issue(rel, "id", Message("names another vendor than its file name"), code="round_vendor",
                                allowed=vendor_id, received=vendor.id))
        if vendor.round != number:
            doc = read_yaml(path, rel, [])
            issues.append(_round_field_issue(rel, doc, vendor.round, number, -1))
        rounds.append(vendor)
    if issues:
        raise InputError(issues)
    return tuple(rounds)

