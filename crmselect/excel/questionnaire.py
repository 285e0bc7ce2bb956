"""The vendor questionnaire workbook: the criteria, grouped by category, for one vendor to answer.

``export_questionnaire(project, vendor, path)`` writes it; :mod:`crmselect.excel.questionnaire_import`
reads it back.  Layout (the import relies on it, and checks it):

- ``Instructions``: how to answer, and the compliance codes with their meaning;
- ``Questionnaire``: a header on row 4, then per category a band row followed by one row per
  criterion: ID, Category, Criterion, Description, How to answer, Required, then the four input
  cells Answer (a drop-down of compliance codes or Yes/No, or a number in the stated unit),
  Available from (the release date for code F), Comment and Evidence.  Only the input cells are
  unlocked; the sheet and the workbook structure are protected;
- ``Offer 1`` .. ``Offer N`` (the bid form, in a questionnaire for the vendor as a whole): one sheet
  per offer with its deployment, prices, project plan, SLA and contract terms
  (:mod:`crmselect.excel.bidform_write`);
- ``_crmselect`` (very hidden): the vendor (and the offer, for an offer's questionnaire), the
  criterion ids and names that were asked, and the bid form's sheets and field key per row.

A questionnaire is for the vendor as a whole (its answers shared by all its offers) or, with
``offer=``, for one offer: then the answers filled in are that offer's merged answers (the
vendor's, with the offer's own in their place), and the import writes back only those that
differ from the vendor's.

Every text, including the vendor's earlier answers when the vendor is known, is written as
text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.errors import InputError, Issue, Message
from crmselect.excel.bidform_write import add_bid_form, bid_instructions, bid_slots
from crmselect.excel.form_language import (
    date_validation,
    decimal_validation,
    fit_rows,
    list_validation,
    meta_rows,
    print_setup,
    yes_no,
)
from crmselect.excel.questionnaire_text import (
    COLUMNS,
    INSTRUCTIONS,
    SHEET,
    headers,
    how_to_answer,
    last_step,
    local,
    offer_title,
    steps,
)
from crmselect.excel.safe import put_text, put_value
from crmselect.excel.style import Styles, header, lock_structure, mark_input, protect, title, widths, write_meta
from crmselect.files.safe_write import write_atomic
from crmselect.model.catalogue import number_range
from crmselect.model.goals import AnswerKind, Criterion, Envelope
from crmselect.model.ids import derive_id, nfc
from crmselect.show.i18n import _, current, using

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.model.bids import Answer, Offer
    from crmselect.model.project import Project

KIND = "crmselect questionnaire"
VERSION = 2  # 2: with the bid form (offer sheets); 1 had the Questionnaire sheet only
HEADER_ROW = 4
(ID, CATEGORY, NAME, DESCRIPTION, HOW, REQUIRED, ANSWER, AVAILABLE, PRODUCT, COST, EFFORT, COMMENT,
 EVIDENCE) = range(1, 14)
INPUTS = (ANSWER, AVAILABLE, PRODUCT, COST, EFFORT, COMMENT, EVIDENCE)
MAX_EFFORT_DAYS = 10_000.0
ANSWERABLE = (AnswerKind.compliance, AnswerKind.number, AnswerKind.yes_no)


@dataclass(frozen=True)
class VendorRef:
    """Who the questionnaire is for: a vendor of the selection, or a new one (its id made from its name)."""

    id: str
    name: str
    known: bool
    note: str = ""  # for a new vendor whose id had to be shortened: what the user is told


def resolve_vendor(project: Project, vendor: str) -> VendorRef:
    """A vendor id or name of the selection, or a new vendor named ``vendor`` (its id made from the name).

    The id of a new vendor is :func:`crmselect.model.ids.derive_id` of its name: Chinese letters stay
    (``红帆医疗CRM`` -> ``红帆医疗crm``); a name whose id is already a vendor's is that vendor.
    """
    wanted = nfc(vendor.strip())
    for item in project.vendors:
        if wanted in (item.id, item.name) or wanted.casefold() == item.name.casefold():
            return VendorRef(item.id, item.name, True)
    derived = derive_id(wanted)
    if derived is None:
        raise InputError([Issue("--vendor", "", Message("cannot be made into a vendor id"), code="bad_vendor",
                                allowed=Message("a name with letters or digits (any script, such as Acme or 红帆医疗), "
                                                "or a vendor id of the selection"),
                                received=repr(vendor))])
    for item in project.vendors:
        if item.id == derived.id:
            return VendorRef(item.id, item.name, True)
    return VendorRef(derived.id, wanted, False, derived.note)


def resolve_offer(project: Project, vendor: VendorRef, offer: str) -> Offer:
    """The offer ``offer`` (its id) of a vendor of the selection; an ``InputError`` names the allowed ids."""
    if not vendor.known:
        raise InputError([Issue("--offer", "", Message("{vendor} is not a vendor of the selection, so it has no "
                                                       "offers yet", vendor=repr(vendor.name)), code="unknown_offer",
                                allowed=Message("no --offer for a new vendor (its offers come from its price bid)"),
                                received=repr(offer))])
    offers = project.vendor(vendor.id).offers
    for item in offers:
        if item.id == offer:
            return item
    raise InputError([Issue("--offer", "", Message("is not an offer of {vendor} [{id}]", vendor=vendor.name,
                                                   id=vendor.id), code="unknown_offer",
                            allowed=", ".join(o.id for o in offers), received=repr(offer))])


def questionnaire_criteria(
    project: Project, *, only_linked: bool = False, envelope: Envelope | None = None
) -> list[Criterion]:
    """The criteria a vendor answers, in catalogue order (grouped by category)."""
    linked = set(project.linked_criteria)
    chosen = [
        c for c in project.criteria
        if c.answer in ANSWERABLE and (not only_linked or c.id in linked)
        and (envelope is None or c.envelope is envelope)
    ]
    order = {cat.id: i for i, cat in enumerate(project.categories)}
    return sorted(chosen, key=lambda c: order.get(c.category or "", len(order)))


def build_questionnaire(
    project: Project, vendor: VendorRef, criteria: list[Criterion], answers: dict[str, Answer],
    *, offer: Offer | None = None, slots: Sequence[Offer | None] = (),
) -> Workbook:
    """The questionnaire workbook; with ``offer``, one for that offer (``answers`` are then its merged answers).

    ``slots`` adds the bid form: one offer sheet per slot, filled with that offer or blank
    (:mod:`crmselect.excel.bidform_write`).
    """
    from openpyxl import Workbook

    wb = Workbook()
    styles = Styles()
    _instructions(wb, project, vendor, styles, offer, len(slots))
    ws = wb.create_sheet(_(SHEET))
    where = _("{company}: {selection}.").format(company=project.selection.company, selection=project.selection.name)
    if offer is None:
        title(ws, _("CRM questionnaire: {vendor}").format(vendor=vendor.name), styles,
              _("{where} Answer in the yellow cells only.").format(where=where))
    else:
        title(ws, _("CRM questionnaire: {vendor}, {offer}").format(vendor=vendor.name, offer=offer_title(offer)),
              styles, _("{where} Answer for this offer, in the yellow cells only.").format(where=where))
    header(ws, HEADER_ROW, headers(), styles)
    letters = project.scale.letters
    categories = {cat.id: local(cat.name) for cat in project.categories}
    linked = set(project.linked_criteria)
    yes, no = yes_no()
    code_list = list_validation(letters, _("Choose a compliance code; see the Instructions sheet."), _("Code"))
    yes_no_list = list_validation((yes, no), _("Choose {yes} or {no}.").format(yes=yes, no=no),
                                  _("{yes} or {no}").format(yes=yes, no=no))
    dates = date_validation(_("The general-availability date of the release (for code F)."))
    ranges: dict[tuple[float | None, float | None], object] = {}
    money = decimal_validation(0, None, _("The partner product's yearly cost in {currency}.").format(
        currency=project.selection.currency))
    effort = decimal_validation(0, MAX_EFFORT_DAYS, _("Person-days of effort to deliver it (codes T and X)."))
    for dv in (code_list, yes_no_list, dates, money, effort):
        ws.add_data_validation(dv)
    row = HEADER_ROW
    current_category = None
    for criterion in criteria:
        if criterion.category != current_category:
            current_category = criterion.category
            row += 1
            band = put_text(ws, row, CATEGORY, categories.get(current_category or "", current_category or _("Other")))
            band.font = styles.bold
            for column in range(1, len(COLUMNS) + 1):
                ws.cell(row=row, column=column).fill = styles.band_fill
        row += 1
        put_text(ws, row, ID, criterion.id)
        put_text(ws, row, CATEGORY, categories.get(criterion.category or "", criterion.category or ""))
        put_text(ws, row, NAME, local(criterion.name)).font = styles.bold
        put_text(ws, row, DESCRIPTION, local(criterion.description))
        put_text(ws, row, HOW, how_to_answer(criterion, letters))
        put_text(ws, row, REQUIRED, yes if criterion.id in linked else "")
        answer = answers.get(criterion.id)
        _prefill(ws, row, criterion, answer)
        compliance = criterion.answer is AnswerKind.compliance
        for column in INPUTS:
            cell = ws.cell(row=row, column=column)
            if compliance or column in (ANSWER, COMMENT, EVIDENCE):
                mark_input(cell, styles)
            cell.alignment = styles.wrap
        for column in range(1, ANSWER):
            ws.cell(row=row, column=column).alignment = styles.wrap
        ws.cell(row=row, column=AVAILABLE).number_format = "yyyy-mm-dd"
        target = f"{ws.cell(row=row, column=ANSWER).coordinate}"
        if compliance:
            code_list.add(target)
            dates.add(ws.cell(row=row, column=AVAILABLE).coordinate)
            money.add(ws.cell(row=row, column=COST).coordinate)
            effort.add(ws.cell(row=row, column=EFFORT).coordinate)
            ws.cell(row=row, column=COST).number_format = "#,##0"
        elif criterion.answer is AnswerKind.yes_no:
            yes_no_list.add(target)
        else:
            bounds = number_range(criterion)
            if bounds not in ranges:
                dv = decimal_validation(*bounds, prompt=_("A number; see 'How to answer' for the unit."))
                ws.add_data_validation(dv)
                ranges[bounds] = dv
            ranges[bounds].add(target)  # type: ignore[attr-defined]
            ws.cell(row=row, column=ANSWER).number_format = "General"
    widths(ws, {"A": 11, "B": 18, "C": 30, "D": 60, "E": 22, "F": 9, "G": 12, "H": 14, "I": 20, "J": 14,
                "K": 11, "L": 40, "M": 30})
    fit_rows(ws, range(HEADER_ROW, row + 1))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=NAME + 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:M{row}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)
    ws.protection.autoFilter = False
    ws.protection.sort = True
    bid_meta = add_bid_form(wb, slots, vendor.name, project.selection.currency, styles,
                            round_number=project.vendor(vendor.id).round if vendor.known else 1)
    wb.active = wb.sheetnames.index(ws.title)
    meta: list[tuple[str, object, object]] = [
        ("kind", KIND, None), ("version", VERSION, None), ("vendor_id", vendor.id, None),
        ("vendor_name", vendor.name, None),
        *([("offer_id", offer.id, offer.deployment.value)] if offer is not None else []),
        ("selection", project.selection.name, None),
        ("exported_at", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), None),
        *meta_rows({"instructions": _(INSTRUCTIONS), "questionnaire": ws.title}),
    ]
    meta += [("criterion", c.id, local(c.name)) for c in criteria]
    write_meta(wb, meta + bid_meta)
    lock_structure(wb)
    return wb


def _prefill(ws: Worksheet, row: int, criterion: Criterion, answer: Answer | None) -> None:
    if answer is None:
        return
    if answer.code is not None:
        put_text(ws, row, ANSWER, answer.code)
    elif isinstance(answer.value, bool):
        put_text(ws, row, ANSWER, yes_no()[0 if answer.value else 1])
    else:
        put_value(ws, row, ANSWER, answer.value)
    if answer.available is not None:
        put_value(ws, row, AVAILABLE, answer.available)
    if answer.third_party_product:
        put_text(ws, row, PRODUCT, answer.third_party_product)
    put_value(ws, row, COST, answer.third_party_cost_per_year)
    put_value(ws, row, EFFORT, answer.effort_days)
    if answer.comment:
        put_text(ws, row, COMMENT, answer.comment)
    if answer.evidence:
        put_text(ws, row, EVIDENCE, answer.evidence)


def _instructions(
    wb: Workbook, project: Project, vendor: VendorRef, styles: Styles, offer: Offer | None, sheets: int
) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = _(INSTRUCTIONS)
    where = _("{company}: {selection}").format(company=project.selection.company, selection=project.selection.name)
    if offer is None:
        title(ws, _("CRM questionnaire for {vendor}").format(vendor=vendor.name), styles, where)
    else:
        title(ws, _("CRM questionnaire for {vendor}, {offer}").format(vendor=vendor.name, offer=offer_title(offer)),
              styles, _("{where}. Answer every criterion as it applies to this offer ({edition}); where it is the "
                        "same as for your other offers, keep the answer filled in.").format(
                  where=where, edition=offer.edition or offer.id))
    lines = [*steps(), *bid_instructions(project.selection.currency, sheets), last_step()]
    row = 4
    put_text(ws, row, 1, _("How to answer")).font = styles.bold
    for number, step in enumerate(lines, start=1):
        put_value(ws, row + number, 1, number).alignment = styles.top
        put_text(ws, row + number, 2, step).alignment = styles.wrap
    row += len(lines) + 2
    header(ws, row, (_("Code"), _("Meaning"), _("Explanation")), styles)
    for offset, code in enumerate(project.scale.codes, start=1):
        code_cell = put_text(ws, row + offset, 1, code.code)
        code_cell.font, code_cell.alignment = styles.bold, styles.top
        put_text(ws, row + offset, 2, local(code.label)).alignment = styles.top
        put_text(ws, row + offset, 3, local(code.description)).alignment = styles.wrap
    widths(ws, {"A": 8, "B": 60, "C": 70})
    fit_rows(ws, range(4, row + len(project.scale.codes) + 1))
    print_setup(ws, landscape=False)
    protect(ws)


def export_questionnaire(
    project: Project,
    vendor: str,
    path: str | Path,
    *,
    force: bool = False,
    only_linked: bool = False,
    envelope: Envelope | None = None,
    prefill: bool = True,
    offer: str | None = None,
    offer_sheets: int | None = None,
    language: str | None = None,
) -> Path:
    """Write the questionnaire for ``vendor`` (an id or name; a new name starts a new vendor) to ``path``.

    A known vendor's current answers are filled in unless ``prefill`` is false.  With ``offer``
    (an offer id of a known vendor) the questionnaire is that offer's: its merged answers
    (``bid.answers``) are filled in and the hidden metadata records the offer.  The file is
    written atomically and an existing file is replaced only with ``force``.

    A questionnaire for the vendor as a whole also holds the bid form: ``offer_sheets`` offer sheets
    (default: the vendor's offers and one more, at least three), the known vendor's offers filled in
    unless ``prefill`` is false; ``offer_sheets=0`` leaves the bid form out.  An offer's questionnaire
    asks for answers only.

    The workbook is in ``language`` (default: the current one, :func:`crmselect.show.i18n.current`), which
    it records for the import.
    """
    ref = resolve_vendor(project, vendor)
    chosen = resolve_offer(project, ref, offer) if offer is not None else None
    if chosen is not None:
        answers = dict(project.bid(chosen.id).answers) if prefill else {}
    else:
        answers = dict(project.vendor(ref.id).answers) if ref.known and prefill else {}
    criteria = questionnaire_criteria(project, only_linked=only_linked, envelope=envelope)
    known = project.vendor(ref.id).offers if ref.known and prefill else ()
    slots = bid_slots(known, offer_sheets) if chosen is None else []
    with using(language or current()):
        workbook = build_questionnaire(project, ref, criteria, answers, offer=chosen, slots=slots)
    return write_atomic(path, lambda tmp: workbook.save(tmp), overwrite=force)
