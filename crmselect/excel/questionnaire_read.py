"""Reading a vendor's answered questionnaire back and checking every cell (nothing is written here).

Every problem is collected, each naming the sheet and cell, what is allowed and what was
received: unknown or altered ids, altered criterion names, invalid codes, missing answers to
criteria a goal links, duplicate rows, edited headers, code F without a date, numbers that make
no sense, formulas where a value belongs, text typed outside the table, an offer the vendor does
not have; and the bid form's offer sheets (:mod:`crmselect.excel.bidform_read`).
:mod:`crmselect.excel.questionnaire_import` writes the vendor's YAML from the result and re-exports
every public name of this module.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmselect.errors import InputError, Message, WorkbookError
from crmselect.excel.bidform_read import BidForm, read_bid_form
from crmselect.excel.form_language import (
    in_language,
    parse_yes_no,
    recorded_language,
    recorded_sheets,
    unit,
    yes_no,
)
from crmselect.excel.questionnaire import (
    ANSWER,
    ANSWERABLE,
    AVAILABLE,
    COMMENT,
    COST,
    EFFORT,
    EVIDENCE,
    HEADER_ROW,
    ID,
    INPUTS,
    KIND,
    MAX_EFFORT_DAYS,
    NAME,
    PRODUCT,
)
from crmselect.excel.questionnaire_text import COLUMNS, INSTRUCTIONS, SHEET, bounds, headers, local
from crmselect.excel.safe import (
    DEFAULT_LIMITS,
    META_SHEET,
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
from crmselect.excel.style import read_meta
from crmselect.model.bids import Answer
from crmselect.model.catalogue import number_range
from crmselect.model.goals import AnswerKind, Criterion
from crmselect.model.ids import is_id, nfc
from crmselect.model.project import Project
from crmselect.show.i18n import _, ngettext

EXTRA_COLUMNS = 4  # columns right of the table that are checked for stray text
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class _Form:
    """The questionnaire sheet as its workbook names it, and the language the workbook was written in."""

    sheet: str
    language: str


@dataclass(frozen=True)
class QuestionnaireAnswers:
    """What a vendor answered: answers in catalogue order, and the optional criteria left blank."""

    vendor_id: str
    vendor_name: str
    answers: dict[str, Answer]
    blank: tuple[str, ...]
    asked: tuple[str, ...]
    offer_id: str | None = None  # the offer whose questionnaire this is; None for the vendor's own
    bid: BidForm = field(default_factory=BidForm)  # the offers of the bid form (none when the workbook has no bid form)


def _problems(out: SheetIssues, name: str) -> str:
    count = len(out.issues)
    return ngettext("{count} problem in {file}", "{count} problems in {file}", count).format(count=count, file=name)


def read_answers(path: str | Path, project: Project, limits: Limits = DEFAULT_LIMITS) -> QuestionnaireAnswers:
    """Read and check an answered questionnaire against ``project``; raise ``InputError`` listing every problem.

    The workbook's words (headers, Yes/No, criterion names, choices of the bid form) are read in the
    language it records, and its sheets by the names it records.
    """
    source = Path(path)
    out = SheetIssues(source.name, [])
    with open_untrusted(source, limits) as wb:
        meta = read_meta(wb, limits.max_rows)
        info = {k: v for k, v, _extra in meta or [] if k not in ("criterion", "sheet")}
        if meta is None or info.get("kind") != KIND:
            raise WorkbookError(_("{file}: is not a crmselect questionnaire (its hidden _crmselect sheet is missing "
                                  "or altered); export one with `crmselect questionnaire`").format(file=source.name))
        language = recorded_language(info, source.name)
        sheet = recorded_sheets(meta, {"instructions": INSTRUCTIONS, "questionnaire": SHEET})["questionnaire"]
        form = _Form(sheet, language)
        vendor_id, vendor_name = nfc(str(info.get("vendor_id") or "")), nfc(str(info.get("vendor_name") or ""))
        if not is_id(vendor_id) or not vendor_name:
            raise WorkbookError(_("{file}: the vendor recorded in the workbook is not valid ({vendor})").format(
                file=source.name, vendor=repr(vendor_id)))
        asked = [(str(k2), str(name or "")) for k, k2, name in meta if k == "criterion"]
        offer_id = _offer(meta, vendor_id, project, out)
        try:
            bid = read_bid_form(wb, meta, project, vendor_id, out, limits.max_rows, language)
        except WorkbookError as exc:
            raise WorkbookError(f"{source.name}: {exc}") from exc
        if sheet not in wb.sheetnames:
            out.add(sheet, "", Message("sheet is missing (renamed or deleted)"), "missing_sheet", sheet,
                    ", ".join(wb.sheetnames))
            raise InputError(out.issues, _problems(out, source.name))
        ws = wb[sheet]
        heads = read_grid(ws, HEADER_ROW, HEADER_ROW, len(COLUMNS))[0]
        for column, expected in enumerate(in_language(language, headers), start=1):
            got = text(heads[column - 1])
            if got != expected:
                out.add(sheet, ref(HEADER_ROW, column), Message("header was edited (columns must stay as exported)"),
                        "edited_header", repr(expected), show(got))
        rows = []
        for count, found in enumerate(ws.iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMNS) + EXTRA_COLUMNS)):
            if count >= limits.max_rows:
                raise WorkbookError(_("{file}: sheet {sheet} has more than {count} rows").format(
                    file=source.name, sheet=sheet, count=limits.max_rows))
            rows.append(tuple(found) + (None,) * (len(COLUMNS) + EXTRA_COLUMNS - len(found)))
    answers, blank = _check_rows(rows, asked, project, out, form)
    if out.issues:
        raise InputError(out.issues, _problems(out, source.name))
    order = {cid: i for i, cid in enumerate(project.criterion_ids)}
    ordered = dict(sorted(answers.items(), key=lambda kv: order[kv[0]]))
    return QuestionnaireAnswers(vendor_id, vendor_name, ordered, tuple(blank), tuple(cid for cid, _n in asked),
                                offer_id, bid)


def _offer(meta: list[tuple[str, Any, Any]], vendor_id: str, project: Project, out: SheetIssues) -> str | None:
    """The offer recorded in the metadata (None for a vendor's own questionnaire), checked against the vendor."""
    row = next((number for number, (key, _, _) in enumerate(meta, start=1) if key == "offer_id"), None)
    if row is None:
        return None
    found = meta[row - 1][1]
    offer_id = str(found).strip() if found is not None else ""
    vendor = next((v for v in project.vendors if v.id == vendor_id), None)
    cell = ref(row, 2)
    if vendor is None:
        out.add(META_SHEET, cell, Message("names an offer of {vendor}, which is not a vendor of the selection",
                                          vendor=repr(vendor_id)),
                "unknown_offer", Message("a questionnaire of a vendor in vendors/"), show(found))
    elif offer_id not in {o.id for o in vendor.offers}:
        out.add(META_SHEET, cell, Message("is not an offer of {vendor} [{id}] (renamed or removed since the "
                                          "questionnaire was exported?)", vendor=vendor.name, id=vendor.id),
                "unknown_offer", ", ".join(o.id for o in vendor.offers), show(found))
    return offer_id


def _check_rows(
    rows: list[tuple[Any, ...]], asked: list[tuple[str, str]], project: Project, out: SheetIssues, form: _Form
) -> tuple[dict[str, Answer], list[str]]:
    sheet = form.sheet
    asked_ids = {cid for cid, _name in asked}
    catalogue = {c.id: c for c in project.criteria}
    linked = set(project.linked_criteria)
    for cid, _name in asked:
        criterion = catalogue.get(cid)
        if criterion is None or criterion.answer not in ANSWERABLE:
            out.add(sheet, "", Message("asks {id}, which the catalogue no longer has as a vendor-answered criterion",
                                       id=cid), "stale_questionnaire", Message("criteria of the current catalogue"),
                    cid)
    seen: dict[str, str] = {}
    answers: dict[str, Answer] = {}
    blank: list[str] = []
    for offset, cells in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        for column in range(len(COLUMNS) + 1, len(cells) + 1):
            if raw(cells[column - 1]) is not None:
                out.add(sheet, ref(row, column), Message("is outside the questionnaire table and would be lost"),
                        "outside_table", Message("nothing here (use the Comment column)"),
                        show(raw(cells[column - 1])))
        for column in range(ID, ANSWER):
            if is_formula(cells[column - 1]):
                out.add(sheet, ref(row, column), Message("was changed into a formula"), "altered",
                        Message("the exported text"), show(cells[column - 1].value))
        found_id = text(cells[ID - 1])
        if found_id is None:
            for column in INPUTS:
                if raw(cells[column - 1]) is not None:
                    out.add(sheet, ref(row, column), Message("holds an answer in a row without a criterion ID"),
                            "orphan_answer", Message("answers only in rows with an ID"),
                            show(raw(cells[column - 1])))
            continue
        cid = found_id
        where = ref(row, ID)
        if cid in seen:
            out.add(sheet, where, Message("duplicates the row of {id} at {cell}", id=cid, cell=seen[cid]),
                    "duplicate_row", Message("each criterion once"), cid)
            continue
        seen[cid] = where
        if cid not in asked_ids or cid not in catalogue:
            out.add(sheet, where, Message("is not a criterion ID this questionnaire asked (altered or added row)"),
                    "unknown_id", Message("the exported IDs"), cid)
            continue
        criterion = catalogue[cid]
        name = text(cells[NAME - 1])
        expected = in_language(form.language, local, criterion.name).strip()
        if name != expected:
            out.add(sheet, ref(row, NAME), Message("the name of {id} was altered", id=cid), "altered_name",
                    repr(expected), show(name))
        answer = _answer(criterion, cells, row, project, out, form, required=cid in linked)
        if answer is not None:
            answers[cid] = answer
        elif cid not in linked:
            blank.append(cid)
    for cid, name in asked:
        if cid not in seen and cid in catalogue:
            out.add(sheet, "", Message("the row of {id} ({name}) is missing (deleted, or its ID changed)", id=cid,
                                       name=name), "missing_row", Message("every exported row"), Message("no row"))
    return answers, blank


def _answer(
    criterion: Criterion, cells: tuple[Any, ...], row: int, project: Project, out: SheetIssues, form: _Form, *,
    required: bool,
) -> Answer | None:
    sheet, allowed = form.sheet, in_language(form.language, _allowed, criterion, project)
    before = len(out.issues)
    for column in INPUTS:
        if is_formula(cells[column - 1]):
            out.formula(sheet, ref(row, column), cells[column - 1].value)
    if len(out.issues) > before:
        return None
    value, available = raw(cells[ANSWER - 1]), raw(cells[AVAILABLE - 1])
    comment, evidence, product = (str(raw(cells[c - 1]) or "") for c in (COMMENT, EVIDENCE, PRODUCT))
    cost, effort = raw(cells[COST - 1]), raw(cells[EFFORT - 1])
    at = ref(row, ANSWER)
    if value is None:
        if required:
            out.add(sheet, at, Message("{id} is required (a goal depends on it) but has no answer", id=criterion.id),
                    "missing_answer", allowed, show(None))
        elif comment or evidence or product or available is not None or cost is not None or effort is not None:
            out.add(sheet, at, Message("{id} has a comment, evidence or date but no answer (they would be lost)",
                                       id=criterion.id), "comment_without_answer", allowed, show(None))
        return None
    for typed, limit, column in ((comment, 4000, COMMENT), (evidence, 2000, EVIDENCE), (product, 200, PRODUCT)):
        if len(typed) > limit:
            out.add(sheet, ref(row, column), Message("is too long"), "too_long",
                    Message("at most {count} characters", count=limit),
                    Message("{count} characters", count=len(typed)))
    date = _date(available, ref(row, AVAILABLE), out, sheet)
    fields: dict[str, Any] = {
        "comment": comment, "evidence": evidence, "available": date, "third_party_product": product,
        "third_party_cost_per_year": _amount(cost, ref(row, COST), 0.0, None, Message("a yearly cost, at least 0"),
                                             out, sheet),
        "effort_days": _amount(effort, ref(row, EFFORT), 0.0, MAX_EFFORT_DAYS,
                               Message("0 to {high} days", high=f"{MAX_EFFORT_DAYS:g}"), out, sheet),
    }
    if criterion.answer is AnswerKind.compliance:
        code = value.strip().upper() if isinstance(value, str) else None
        if code not in project.scale.letters:
            out.add(sheet, at, Message("is not a compliance code"), "invalid_code", allowed, show(value))
        elif project.scale.code(code).needs_date and date is None and available is None:
            out.add(sheet, ref(row, AVAILABLE), Message("code {code} (future release) needs the release date",
                                                        code=code),
                    "missing_date", Message("a date such as 2027-06-30"), show(None))
        fields["code"] = code
    elif criterion.answer is AnswerKind.yes_no:
        flag = parse_yes_no(value, form.language)
        if flag is None:
            out.add(sheet, at, Message("is not Yes or No"), "invalid_yes_no", allowed, show(value))
        fields["value"] = flag
    else:
        fields["value"] = _number(criterion, value, at, out, form)
    if len(out.issues) > before:
        return None
    return Answer(**{k: v for k, v in fields.items() if v is not None})


def _allowed(criterion: Criterion, project: Project) -> str:
    """What an answer cell takes, in the current language's words (Yes/No, the unit)."""
    if criterion.answer is AnswerKind.compliance:
        return Message("a compliance code: {codes}", codes=", ".join(project.scale.letters))
    if criterion.answer is AnswerKind.yes_no:
        yes, no = yes_no()
        return Message("{yes} or {no}", yes=yes, no=no)
    return Message("a number in {unit}, {bounds}", unit=unit(criterion.unit), bounds=bounds(criterion))


def _number(criterion: Criterion, value: Any, at: str, out: SheetIssues, form: _Form) -> float | None:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.match(value.replace(" ", "").replace("\u00a0", "")):
        number = float(value.replace(" ", "").replace("\u00a0", ""))
    allowed = in_language(form.language, _number_allowed, criterion)
    if number is None or not math.isfinite(number):
        out.add(form.sheet, at, Message("is not a number"), "not_a_number", allowed, show(value))
        return None
    low, high = number_range(criterion)
    if (low is not None and number < low) or (high is not None and number > high) or abs(number) > 1e12:
        out.add(form.sheet, at, Message("is out of the sensible range for {unit}",
                                        unit=in_language(form.language, unit, criterion.unit)),
                "out_of_range", allowed, show(value))
        return None
    return number


def _amount(value: Any, at: str, low: float, high: float | None, allowed: str, out: SheetIssues,
            sheet: str) -> float | None:
    if value is None:
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.match(value.replace(" ", "").replace("\u00a0", "")):
        number = float(value.replace(" ", "").replace("\u00a0", ""))
    if number is None or not math.isfinite(number) or number < low or (high is not None and number > high):
        out.add(sheet, at, Message("is not a sensible number here"), "out_of_range", allowed, show(value))
        return None
    return number


def _number_allowed(criterion: Criterion) -> str:
    return Message("a number in {unit}, {bounds}, typed without units or thousands separators",
                   unit=unit(criterion.unit), bounds=bounds(criterion))


def _date(value: Any, at: str, out: SheetIssues, sheet: str) -> dt.date | None:
    if value is None:
        return None
    date: dt.date | None = None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 36526 <= value <= 73050:
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        date = converted.date() if isinstance(converted, dt.datetime) else None
    elif isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            date = None
    if date is None or not 2000 <= date.year <= 2099:
        out.add(sheet, at, Message("is not a date"), "invalid_date",
                Message("a date from 2000 to 2099, such as 2027-06-30"), show(value))
        return None
    return date


__all__ = ["EXTRA_COLUMNS", "QuestionnaireAnswers", "read_answers"]
