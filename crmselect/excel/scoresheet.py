"""Committee score sheets: one workbook per member, demo scenarios x vendors, 0-5 in half steps.

``export_scoresheet(project, member, path)`` writes one; :mod:`crmselect.excel.scoresheet_import`
merges the returned sheets of all members into ``committee.yaml``.  Layout (the import checks it):

- ``Instructions``: how to score and the scale;
- ``Scores``: vendor names on row 4 (each over two columns), ``Score`` / ``Notes`` on row 5,
  then one row per demo scenario: ID, Scenario, What the demo shows, and per vendor a score cell
  (a drop-down of 0, 0.5 ... 5) and a notes cell.  Only those cells are unlocked;
- ``_crmselect`` (very hidden): the member, the vendor ids per column, the scenario ids per row.

A member's earlier scores and notes are filled in, so export then import changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.errors import InputError, Issue, Message
from crmselect.excel.form_language import fit_rows, list_validation, meta_rows, print_setup, words
from crmselect.excel.safe import put_text, put_value
from crmselect.excel.style import (
    SCORE_LIST,
    Styles,
    header,
    lock_structure,
    mark_input,
    protect,
    title,
    widths,
    write_meta,
)
from crmselect.files.safe_write import write_atomic
from crmselect.model.ids import file_name, nfc
from crmselect.show.i18n import N_, _, current, using

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from crmselect.model.goals import Member
    from crmselect.model.project import Project

SHEET = N_("Scores")  # the English sheet names; a score sheet records its own in its metadata
INSTRUCTIONS = N_("Instructions")
KIND = "crmselect score sheet"
VERSION = 1
VENDOR_ROW = 4
HEADER_ROW = 5
FIXED = (N_("Scenario ID"), N_("Scenario"), N_("What the demo shows"))
SCORE_HEADS = (N_("Score"), N_("Notes"))
FIRST_VENDOR_COLUMN = len(FIXED) + 1
SCALE_TEXT = (
    (0, N_("not shown, or failed")), (1, N_("very poor")), (2, N_("poor: works with heavy workarounds")),
    (3, N_("acceptable: does the job")), (4, N_("good: clearly fits how we work")),
    (5, N_("excellent: better than we asked")),
)
ROLES = {"sales": N_("sales"), "marketing": N_("marketing"), "service": N_("service"), "it": N_("IT"),
         "finance": N_("finance"), "executive_sponsor": N_("executive sponsor"), "procurement": N_("procurement"),
         "project_manager": N_("project manager")}
TITLE = N_("Demo scores: {name} ({role})")


def role_text(role: str) -> str:
    """A committee role in the current language."""
    return _(ROLES[role]) if role in ROLES else role.replace("_", " ")


def headers() -> tuple[str, ...]:
    """The fixed column headers in the current language."""
    return tuple(_(column) for column in FIXED)


def score_heads() -> tuple[str, ...]:
    return tuple(_(column) for column in SCORE_HEADS)


def title_start(name: str) -> str:
    """How the Scores sheet's title starts for the member ``name``, in the current language (up to the role)."""
    return _(TITLE).split("{role}")[0].format(name=name)


def score_column(vendor_index: int) -> int:
    """The score column of the ``vendor_index``-th vendor (0-based); its notes are one to the right."""
    return FIRST_VENDOR_COLUMN + 2 * vendor_index


def find_member(project: Project, member: str) -> Member:
    """The committee member whose id or name is ``member`` (NFC, so 王丽 typed either way is found; names
    also without regard to case)."""
    wanted = nfc(member.strip())
    for item in project.committee.members:
        if wanted in (item.id, item.name) or wanted.casefold() == item.name.casefold():
            return item
    raise InputError([Issue("--member", "", Message("is not a committee member"), code="unknown_member",
                            allowed=", ".join(project.committee.member_ids), received=member)])


def build_scoresheet(project: Project, member: Member, *, prefill: bool = True) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    styles = Styles()
    committee = project.committee
    _instructions(wb, project, member, styles)
    ws = wb.create_sheet(_(SHEET))
    title(ws, _(TITLE).format(name=member.name, role=role_text(member.role.value)), styles,
          _("{company}: {selection}. Score 0 to 5 in half steps in the yellow cells.").format(
              company=project.selection.company, selection=project.selection.name))
    header(ws, HEADER_ROW, headers(), styles)
    scores = committee.scores.get(member.id, {}) if prefill else {}
    notes = committee.notes.get(member.id, {}) if prefill else {}
    dropdown = list_validation(SCORE_LIST.split(","), _("0 = not shown ... 5 = excellent; halves allowed."),
                               _("Score 0-5"))
    ws.add_data_validation(dropdown)
    for v, vendor in enumerate(project.vendors):
        column = score_column(v)
        ws.merge_cells(start_row=VENDOR_ROW, start_column=column, end_row=VENDOR_ROW, end_column=column + 1)
        name = put_text(ws, VENDOR_ROW, column, vendor.name)
        name.font, name.fill, name.alignment = styles.header_font, styles.header_fill, styles.center
        header(ws, HEADER_ROW, score_heads(), styles, first_column=column)
    from openpyxl.utils import get_column_letter

    for s, scenario in enumerate(committee.scenarios):
        row = HEADER_ROW + 1 + s
        put_text(ws, row, 1, scenario.id)
        put_text(ws, row, 2, scenario.name).font = styles.bold
        put_text(ws, row, 3, scenario.script or words(project.criterion(scenario.criterion).description))
        for column in (1, 2, 3):
            ws.cell(row=row, column=column).alignment = styles.wrap
        for v, vendor in enumerate(project.vendors):
            column = score_column(v)
            score = scores.get(vendor.id, {}).get(scenario.id)
            note = notes.get(vendor.id, {}).get(scenario.id)
            cell = put_value(ws, row, column, score)
            cell.number_format = "0.0"
            mark_input(cell, styles)
            cell.alignment = styles.center
            dropdown.add(cell.coordinate)
            note_cell = put_text(ws, row, column + 1, note) if note else ws.cell(row=row, column=column + 1)
            mark_input(note_cell, styles)
            note_cell.alignment = styles.wrap
    last = score_column(len(project.vendors)) - 1
    widths(ws, {"A": 12, "B": 26, "C": 48})
    for column in range(FIRST_VENDOR_COLUMN, last + 1, 2):
        widths(ws, {get_column_letter(column): 8, get_column_letter(column + 1): 30})
    fit_rows(ws, range(VENDOR_ROW, HEADER_ROW + len(committee.scenarios) + 1))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=FIRST_VENDOR_COLUMN)
    print_setup(ws, title_rows=f"{VENDOR_ROW}:{HEADER_ROW}")
    protect(ws)
    wb.active = wb.sheetnames.index(ws.title)
    meta: list[tuple[str, object, object]] = [
        ("kind", KIND, None), ("version", VERSION, None), ("member_id", member.id, None),
        ("member_name", member.name, None), ("selection", project.selection.name, None),
        ("exported_at", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), None),
        *meta_rows({"instructions": _(INSTRUCTIONS), "scores": ws.title}),
    ]
    meta += [("vendor", vendor.id, vendor.name) for vendor in project.vendors]
    meta += [("scenario", scenario.id, scenario.name) for scenario in committee.scenarios]
    write_meta(wb, meta)
    lock_structure(wb)
    return wb


def _instructions(wb: Workbook, project: Project, member: Member, styles: Styles) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = _(INSTRUCTIONS)
    title(ws, _("Demo score sheet for {name}").format(name=member.name), styles,
          _("{company}: {selection}").format(company=project.selection.company, selection=project.selection.name))
    steps = [
        _("Score each vendor's scripted demo on the Scores sheet, one row per scenario, in the yellow cells."),
        _("Use the drop-down: 0 to 5 in half steps. Leave a cell empty if you did not see that demo."),
        _("Write in Notes what you saw: it helps the committee when members disagree."),
        _("Score on your own; the committee compares the sheets and discusses large differences."),
        _("Do not add, delete or move rows, columns or sheets, and do not type formulas."),
        _("Save as Excel Workbook (.xlsx) and return the file."),
    ]
    put_text(ws, 4, 1, _("How to score")).font = styles.bold
    for number, step in enumerate(steps, start=1):
        put_value(ws, 4 + number, 1, number).alignment = styles.top
        put_text(ws, 4 + number, 2, step).alignment = styles.wrap
    row = 6 + len(steps)
    header(ws, row, (_("Score"), _("Meaning")), styles)
    for offset, (score, meaning) in enumerate(SCALE_TEXT, start=1):
        put_value(ws, row + offset, 1, score)
        put_text(ws, row + offset, 2, _(meaning))
    widths(ws, {"A": 8, "B": 90})
    fit_rows(ws, range(4, row + len(SCALE_TEXT) + 1))
    print_setup(ws, landscape=False)
    protect(ws)


def scoresheet_file(member_id: str) -> str:
    """The file name of a member's score sheet: ``scores_<id>.xlsx``, safe on every system (``file_name``)."""
    return file_name(member_id, prefix="scores_", suffix=".xlsx")


def export_scoresheet(
    project: Project, member: str, path: str | Path, *, force: bool = False, prefill: bool = True,
    language: str | None = None,
) -> Path:
    """Write the score sheet of ``member`` (an id or name) to ``path`` atomically; replace only with ``force``.

    The sheet is in ``language`` (default: the current one), which it records for the import.
    """
    with using(language or current()):
        workbook = build_scoresheet(project, find_member(project, member), prefill=prefill)
    return write_atomic(path, lambda tmp: workbook.save(tmp), overwrite=force)


def export_scoresheets(project: Project, folder: str | Path, *, force: bool = False,
                       language: str | None = None) -> list[Path]:
    """One score sheet per committee member in ``folder``: ``scores_<member id>.xlsx`` (:func:`scoresheet_file`)."""
    out = Path(folder)
    return [export_scoresheet(project, m.id, out / scoresheet_file(m.id), force=force, language=language)
            for m in project.committee.members]
