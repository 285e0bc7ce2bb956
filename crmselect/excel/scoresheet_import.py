"""Merging the committee members' returned score sheets into ``committee.yaml``; nothing dropped silently.

Problems that stop the import (each naming the file, sheet and cell): a workbook that is not a
score sheet, edited headers or rows, unknown members, vendors or scenarios, scores that are not
0..5 in half steps, formulas, text outside the table, and conflicts (the same member's score for
the same demo differing between two files).  What does not stop it is reported in the result:
scores still missing, members who sent no sheet, earlier scores kept where a sheet left the cell
empty.  Changing a score already in ``committee.yaml`` needs ``force``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmselect.errors import InputError, Issue, Message, WorkbookError
from crmselect.excel.form_language import in_language, recorded_language, recorded_sheets
from crmselect.excel.safe import (
    DEFAULT_LIMITS,
    Limits,
    SheetIssues,
    is_formula,
    open_untrusted,
    raw,
    read_grid,
    ref,
    show,
    text,
)
from crmselect.excel.scoresheet import (
    HEADER_ROW,
    INSTRUCTIONS,
    KIND,
    SHEET,
    VENDOR_ROW,
    headers,
    score_column,
    score_heads,
    title_start,
)
from crmselect.excel.style import read_meta
from crmselect.excel.yaml_writeback import notes_block, patched, scores_block
from crmselect.files.safe_write import FileExistsErrorNoForce, write_text_atomic
from crmselect.files.workspace import selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.goals import Committee
from crmselect.model.project import Project
from crmselect.show.i18n import _, ngettext

COMMITTEE_FILE = "vendors/committee.yaml"
EXTRA_COLUMNS = 4
_DECIMAL = re.compile(r"^\d+([.,]\d+)?$")
Key = tuple[str, str, str]  # member, vendor, scenario


@dataclass(frozen=True)
class MemberSheet:
    """One returned score sheet: the member's scores and notes, and where each came from."""

    file: str
    member: str
    scores: dict[tuple[str, str], float]
    notes: dict[tuple[str, str], str]
    cells: dict[tuple[str, str], str]
    vendors: tuple[str, ...]
    scenarios: tuple[str, ...]
    sheet: str = SHEET  # the Scores sheet as the workbook names it


@dataclass(frozen=True)
class ScoreImport:
    """The merged committee scores and everything the committee should know about them."""

    scores: dict[str, dict[str, dict[str, float]]]
    notes: dict[str, dict[str, dict[str, str]]]
    changed: tuple[tuple[Key, float, float], ...]
    added: tuple[Key, ...]
    kept: tuple[Key, ...]
    missing: tuple[Key, ...]
    no_sheet: tuple[str, ...]
    path: Path | None = None
    unchanged: bool = False  # the sheets held what committee.yaml already had: the file was left untouched


def _score(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.match(value.strip()):
        number = float(value.strip().replace(",", "."))
    else:
        return None
    if not math.isfinite(number) or not 0 <= number <= 5 or (number * 2) != int(number * 2):
        return None
    return number


def read_scoresheet(path: str | Path, project: Project, limits: Limits = DEFAULT_LIMITS) -> MemberSheet:
    """Read one returned score sheet; raise ``InputError`` listing every problem in it."""
    source = Path(path)
    out = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        meta = read_meta(wb, limits.max_rows)
        info = {k: v for k, v, _extra in meta or [] if k not in ("vendor", "scenario", "sheet")}
        if meta is None or info.get("kind") != KIND:
            raise WorkbookError(_("{file}: is not a crmselect score sheet (its hidden _crmselect sheet is missing or "
                                  "altered); export one with `crmselect scoresheet`").format(file=source.name))
        language = recorded_language(info, source.name)
        sheet_name = recorded_sheets(meta, {"instructions": INSTRUCTIONS, "scores": SHEET})["scores"]
        vendors = [(str(a), str(b or "")) for k, a, b in meta if k == "vendor"]
        scenarios = [(str(a), str(b or "")) for k, a, b in meta if k == "scenario"]
        member = str(info.get("member_id") or "")
        if sheet_name not in wb.sheetnames:
            raise WorkbookError(_("{file}: the sheet {sheet} is missing (renamed or deleted)").format(
                file=source.name, sheet=repr(sheet_name)))
        title_cell = raw(wb[sheet_name]["A1"])
        width = score_column(len(vendors)) - 1
        grid = read_grid(wb[sheet_name], VENDOR_ROW, HEADER_ROW, width)
        rows = []
        for count, found in enumerate(wb[sheet_name].iter_rows(min_row=HEADER_ROW + 1,
                                                               max_col=width + EXTRA_COLUMNS)):
            if count >= limits.max_rows:
                raise WorkbookError(_("{file}: sheet {sheet} has more than {count} rows").format(
                    file=source.name, sheet=sheet_name, count=limits.max_rows))
            rows.append(tuple(found) + (None,) * (width + EXTRA_COLUMNS - len(found)))
    if member not in project.committee.member_ids:
        out.add(sheet_name, "", Message("belongs to someone who is not a committee member"), "unknown_member",
                ", ".join(project.committee.member_ids), member)
    else:  # the hidden id, the hidden name and the title the member saw must all be the same person
        name = next(m.name for m in project.committee.members if m.id == member)
        shown_title = str(title_cell or "")
        if str(info.get("member_name") or "") != name or not shown_title.startswith(
                in_language(language, title_start, name)):
            out.add(sheet_name, "A1", Message(
                "is not {member}'s sheet: its hidden member id says {member} ({name}), but the sheet was made for "
                "someone else; a score sheet is imported only as its own member's", member=member, name=name),
                    "identity_mismatch", Message("{name}'s sheet", name=name),
                    Message("name {name}, title {title}", name=repr(info.get("member_name")),
                            title=repr(shown_title)))
    known_vendors = {v.id for v in project.vendors}
    known_scenarios = set(project.committee.scenario_ids)
    fixed, heads = in_language(language, headers), in_language(language, score_heads)
    for column, (label, cell) in enumerate(zip(fixed, grid[HEADER_ROW - VENDOR_ROW], strict=False), start=1):
        if text(cell) != label:
            out.add(sheet_name, ref(HEADER_ROW, column), Message("header was edited"), "edited_header", repr(label),
                    show(raw(cell)))
    for v, (vendor_id, name) in enumerate(vendors):
        column = score_column(v)
        if text(grid[0][column - 1]) != name.strip():
            out.add(sheet_name, ref(VENDOR_ROW, column), Message("vendor name was edited"), "edited_header", repr(name),
                    show(raw(grid[0][column - 1])))
        for offset, label in enumerate(heads):
            got = text(grid[HEADER_ROW - VENDOR_ROW][column - 1 + offset])
            if got != label:
                out.add(sheet_name, ref(HEADER_ROW, column + offset), Message("header was edited"), "edited_header",
                        repr(label), show(got))
        if vendor_id not in known_vendors:
            out.add(sheet_name, ref(VENDOR_ROW, column),
                    Message("scores vendor {vendor}, which is not in the selection", vendor=vendor_id),
                    "unknown_vendor", ", ".join(sorted(known_vendors)), vendor_id)
    sheet = MemberSheet(source.name, member, {}, {}, {}, tuple(v for v, _n in vendors),
                        tuple(s for s, _n in scenarios), sheet_name)
    for offset, cells in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        if offset >= len(scenarios):
            for column, cell in enumerate(cells, start=1):
                if raw(cell) is not None:
                    out.add(sheet_name, ref(row, column), Message("is below the score table and would be lost"),
                            "outside_table", Message("nothing here"), show(raw(cell)))
            continue
        scenario_id, name = scenarios[offset]
        if text(cells[0]) != scenario_id or text(cells[1]) != name.strip():
            out.add(sheet_name, ref(row, 1), Message("scenario row was edited or moved"), "altered_row",
                    f"{scenario_id} {name!r}", Message("{first} {second}", first=show(raw(cells[0])),
                                                       second=show(raw(cells[1]))))
            continue
        if scenario_id not in known_scenarios:
            out.add(sheet_name, ref(row, 1), Message("is not a demo scenario of the selection"), "unknown_scenario",
                    ", ".join(sorted(known_scenarios)), scenario_id)
        for column in range(width + 1, len(cells) + 1):
            if raw(cells[column - 1]) is not None:
                out.add(sheet_name, ref(row, column), Message("is outside the score table and would be lost"),
                        "outside_table", Message("nothing here (use a Notes cell)"), show(raw(cells[column - 1])))
        for v, (vendor_id, _name) in enumerate(vendors):
            column = score_column(v)
            score_cell, note_cell = cells[column - 1], cells[column]
            for cell, col in ((score_cell, column), (note_cell, column + 1)):
                if is_formula(cell):
                    out.formula(sheet_name, ref(row, col), raw(cell))
            if is_formula(score_cell) or is_formula(note_cell):
                continue
            value, note = raw(score_cell), raw(note_cell)
            key = (vendor_id, scenario_id)
            if value is not None:
                score = _score(value)
                if score is None:
                    out.add(sheet_name, ref(row, column), Message("is not a score"), "invalid_score",
                            Message("0 to 5 in half steps (0, 0.5, 1 ... 5)"), show(value))
                else:
                    sheet.scores[key] = score
                    sheet.cells[key] = ref(row, column)
            if note is not None:
                sheet.notes[key] = str(note)
                if len(str(note)) > 4000:
                    out.add(sheet_name, ref(row, column + 1), Message("is too long"), "too_long",
                            Message("at most {count} characters", count=4000),
                            Message("{count} characters", count=len(str(note))))
    if out.issues:
        raise InputError(out.issues, ngettext("{count} problem in {file}", "{count} problems in {file}",
                                              len(out.issues)).format(count=len(out.issues), file=source.name))
    return sheet


def merge_scoresheets(sheets: Iterable[MemberSheet], project: Project) -> ScoreImport:
    """Merge returned sheets with the scores already in the selection; raise ``InputError`` on conflicts."""
    committee = project.committee
    issues: list[Issue] = []
    new_scores: dict[Key, tuple[float, MemberSheet]] = {}
    new_notes: dict[Key, tuple[str, MemberSheet]] = {}
    for sheet in sheets:
        for (vendor, scenario), score in sheet.scores.items():
            key = (sheet.member, vendor, scenario)
            if key in new_scores and new_scores[key][0] != score:
                first = new_scores[key][1]
                issues.append(Issue(sheet.file, f"{sheet.sheet}!{sheet.cells[(vendor, scenario)]}", Message(
                    "conflicts with {file} {cell}: member {member} scored {vendor} / {scenario} twice differently",
                    file=first.file, cell=f"{first.sheet}!{first.cells[(vendor, scenario)]}", member=sheet.member,
                    vendor=vendor, scenario=scenario), code="conflict",
                    allowed=Message("the same score in every file of one member"),
                    received=Message("{here} here, {there} there", here=f"{score:g}",
                                     there=f"{new_scores[key][0]:g}")))
            new_scores.setdefault(key, (score, sheet))
        for (vendor, scenario), note in sheet.notes.items():
            key = (sheet.member, vendor, scenario)
            if key in new_notes and new_notes[key][0] != note:
                issues.append(Issue(sheet.file, f"{sheet.sheet}: {vendor} / {scenario}",
                                    Message("conflicts with the note in {file}", file=new_notes[key][1].file),
                                    code="conflict", allowed=Message("the same note in every file of one member"),
                                    received=show(note)))
            new_notes.setdefault(key, (note, sheet))
    if issues:
        raise InputError(issues, ngettext("{count} conflict between score sheets",
                                          "{count} conflicts between score sheets", len(issues)).format(
                                              count=len(issues)))
    sent = {m for m, _, _ in new_scores} | {m for m, _, _ in new_notes}
    scores: dict[str, dict[str, dict[str, float]]] = {}
    notes: dict[str, dict[str, dict[str, str]]] = {}
    changed, added, kept, missing = [], [], [], []
    for member in committee.member_ids:
        for vendor in (v.id for v in project.vendors):
            for scenario in committee.scenario_ids:
                key = (member, vendor, scenario)
                old = committee.scores.get(member, {}).get(vendor, {}).get(scenario)
                new = new_scores[key][0] if key in new_scores else None
                if new is not None:
                    if old is None:
                        added.append(key)
                    elif old != new:
                        changed.append((key, old, new))
                elif old is not None and member in sent:
                    kept.append(key)
                value = new if new is not None else old
                if value is None:
                    missing.append(key)
                else:
                    scores.setdefault(member, {}).setdefault(vendor, {})[scenario] = value
                old_note = committee.notes.get(member, {}).get(vendor, {}).get(scenario)
                kept_note = new_notes[key][0] if key in new_notes else old_note
                if kept_note:
                    notes.setdefault(member, {}).setdefault(vendor, {})[scenario] = kept_note
    no_sheet = tuple(m for m in committee.member_ids if m not in sent)
    return ScoreImport(scores, notes, tuple(changed), tuple(added), tuple(kept), tuple(missing), no_sheet)


def import_scores(
    paths: Iterable[str | Path], project: Project, *, force: bool = False, limits: Limits = DEFAULT_LIMITS
) -> ScoreImport:
    """Read every sheet (all problems of all files at once), merge, and write ``committee.yaml`` atomically."""
    sheets: list[MemberSheet] = []
    issues: list[Issue] = []
    for path in paths:
        try:
            sheets.append(read_scoresheet(path, project, limits))
        except InputError as exc:
            issues.extend(exc.issues)
        except WorkbookError as exc:
            issues.append(Issue(Path(path).name, "", str(exc).removeprefix(f"{Path(path).name}: "), code="unreadable"))
    if issues:
        raise InputError(issues, ngettext("{count} problem in the score sheets", "{count} problems in the score sheets",
                                          len(issues)).format(count=len(issues)))
    merged = merge_scoresheets(sheets, project)
    if merged.changed and not force:
        listing = "; ".join(f"{m}/{v}/{s}: {old:g} -> {new:g}" for (m, v, s), old, new in merged.changed[:20])
        more = _(" and {count} more").format(count=len(merged.changed) - 20) if len(merged.changed) > 20 else ""
        raise FileExistsErrorNoForce(_("the sheets change {count} score(s) already in {file} ({listing}{more}); use "
                                       "--force to accept the changes").format(
                                           count=len(merged.changed), file=COMMITTEE_FILE, listing=listing, more=more))
    target = project.root / COMMITTEE_FILE
    committee = project.committee
    if merged.scores == committee.scores and merged.notes == committee.notes:
        return ScoreImport(merged.scores, merged.notes, merged.changed, merged.added, merged.kept, merged.missing,
                           merged.no_sheet, target, unchanged=True)
    with selection_lock(project.root):
        text = target.read_text(encoding="utf-8-sig")
        on_disk = Committee.model_validate(load_plain(text))
        if (on_disk.scores, on_disk.notes) != (committee.scores, committee.notes):
            raise InputError([Issue(COMMITTEE_FILE, "scores", Message(
                "changed since this selection was loaded (another import or an edit); load the selection again and "
                "repeat the import"), code="stale_selection", allowed=Message("the scores this import was merged with"),
                received=Message("other scores"))])
        _write_merged(target, text, merged)
    return ScoreImport(merged.scores, merged.notes, merged.changed, merged.added, merged.kept, merged.missing,
                       merged.no_sheet, target)


def _write_merged(target: Path, text: str, merged: ScoreImport) -> None:
    blocks = {"scores": scores_block(merged.scores)}
    replacements: dict[str, Any] = {"scores": merged.scores}
    if merged.notes or "notes" in (load_plain(text) or {}):
        blocks["notes"] = notes_block(merged.notes)
        replacements["notes"] = merged.notes
    new_text = patched(text, replacements, blocks, target.name)
    Committee.model_validate(load_plain(new_text))
    write_text_atomic(target, new_text, overwrite=True)
