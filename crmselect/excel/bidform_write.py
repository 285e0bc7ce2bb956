"""The bid form: one protected sheet per offer in the vendor questionnaire, and its instructions.

Each ``Offer N`` sheet has the same rows (:func:`crmselect.excel.bidform_fields.bid_layout`): a
header on row 4, then bands for the offer, prices, project plan, staff, SLA and contract, one row per
field (Item, Your answer, Unit, Allowed, Help, Field key) and small tables for the project phases,
the service credit schedule and the escrow triggers (inputs in columns B to D).  Only the yellow
cells are unlocked.  A known vendor's offers fill the first sheets; blank sheets follow for further
offers.  The hidden ``_crmselect`` sheet records every sheet (with the offer it was filled with) and
the field key of every row, so :mod:`crmselect.excel.bidform_read` never depends on a label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crmselect.errors import InputError, Issue, Message
from crmselect.excel.bidform_fields import KEYED_FIELDS, MEMBER_FIELDS, FieldSpec, Row, bid_layout, table_sizes
from crmselect.excel.bidform_text import choice_labels, deployment_title
from crmselect.excel.form_language import (
    decimal_validation,
    fit_rows,
    length_validation,
    list_validation,
    print_setup,
    words,
    yes_no,
)
from crmselect.excel.safe import put_text, put_value
from crmselect.excel.style import Styles, header, mark_input, protect, title, widths
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.model.bids import Offer

SHEET_PREFIX = "Offer "  # of the English sheet names; the names of a form are in its metadata
HEADER_ROW = 4
COLUMNS = (N_("Item"), N_("Your answer"), N_("Unit"), N_("Allowed"), N_("Help"), N_("Field key (do not change)"))
LABEL, VALUE, UNIT, ALLOWED, HELP, KEY = range(1, 7)
#: the input columns of each kind of row (a table row has one per column of its table)
INPUTS = {"field": (VALUE,), "credit": (VALUE, UNIT), "phase": (VALUE, UNIT, ALLOWED), "trigger": (VALUE,),
          "reference": (VALUE,)}
#: the kinds of table row whose one column is a text item (not a mapping)
TEXT_ITEMS = ("trigger", "reference")
ROUND_ROW = 3  # the row above the header that says which offer round the form is for
BID_VERSION = 1
DEFAULT_SHEETS = 3
MAX_SHEETS = 9


def sheet_name(number: int) -> str:
    """The name of the ``number``-th offer sheet in the current language ("Offer 1", "报价方案1")."""
    return _("Offer {number}").format(number=number)


def headers() -> tuple[str, ...]:
    """The header of an offer sheet in the current language."""
    return tuple(_(column) for column in COLUMNS)


def bid_slots(offers: Sequence[Offer], sheets: int | None) -> list[Offer | None]:
    """The offer filled into each sheet: ``offers`` first, then blank sheets up to ``sheets`` in all.

    The default is the larger of :data:`DEFAULT_SHEETS` and one more than the offers; 0 leaves the
    bid form out.  Fewer sheets than offers is refused: the import takes the form as the whole bid,
    so an offer left out would go.
    """
    count = max(DEFAULT_SHEETS, len(offers) + 1) if sheets is None else sheets
    if count == 0:
        return []  # no bid form: the questionnaire asks for answers only, and the import keeps the offers
    if not len(offers) <= count <= MAX_SHEETS:
        low = len(offers)
        allowed = Message("0 (no bid form), or {low} to {high}", low=max(low, 1), high=MAX_SHEETS)
        if low:
            allowed = Message("{allowed} (the vendor has {count} offers)", allowed=allowed, count=low)
        raise InputError([Issue("--offer-sheets", "", Message("is not a number of offer sheets this questionnaire "
                                                              "can have"), code="bad_offer_sheets",
                                allowed=allowed, received=str(sheets))])
    return [*offers, *([None] * (count - len(offers)))]


def bid_instructions(currency: str, sheets: int) -> list[str]:
    """The bid form's steps for the Instructions sheet."""
    if not sheets:
        return []
    return [
        _("The bid form: the sheets {first} to {last} hold your offers, one sheet per way you offer to deliver "
          "(for example a SaaS subscription on {first} and an on-premise licence on {second}). Fill in one sheet "
          "per offer and leave the sheets you do not need completely empty.").format(
            first=sheet_name(1), last=sheet_name(sheets), second=sheet_name(2)),
        _("On each offer sheet choose the deployment first ({choices}; a hosted offer names its hosting partner), "
          "then fill in the prices, the project plan, the service levels and the contract terms. The Allowed "
          "column says what each cell takes and what a blank cell means; Help explains the item.").format(
            choices=", ".join(choice_labels("deployment", ("saas", "on_premise", "hosted")))),
        _("Money is in {currency}, typed as a number only (e.g. 68 or 12500.50). Percentages are numbers from 0 to "
          "100 (type 20 for 20%). Days and years are whole numbers.").format(currency=currency),
        _("Tables (project phases, service credit tiers, escrow triggers): one entry per row from the top; leave "
          "the rows you do not need blank. Credit tiers go from the highest uptime threshold to the lowest."),
        _("An offer already filled in is your offer as we have it: correct what has changed. To withdraw an offer, "
          "clear all its yellow cells."),
        _("At the foot of each offer sheet, describe your implementation partner and, for a hosted offer, your "
          "hosting partner: each as a company of its own (references, certified staff, finances), with the service "
          "levels and contract terms it gives you if any. Leave a partner's block blank if there is none; clearing "
          "a partner shown there withdraws it."),
    ]


def add_bid_form(
    wb: Workbook, slots: Sequence[Offer | None], vendor_name: str, currency: str, styles: Styles,
    round_number: int = 1,
) -> list[tuple[str, object, object]]:
    """Add one offer sheet per slot to ``wb``; return the metadata rows the reader needs.

    ``round_number`` is the offer round of the vendor's bid the form is for (1: the first bid; a later round is a
    best-and-final offer): each sheet says it, and the metadata records it, with the partner blocks each sheet
    was filled with (a block that comes back empty withdraws only a partner the vendor was shown).
    """
    if not slots:
        return []
    layout = bid_layout(table_sizes(list(slots)))
    meta: list[tuple[str, object, object]] = [("bid_form", BID_VERSION, len(slots)), ("bid_round", round_number, None)]
    for number, offer in enumerate(slots, start=1):
        name = sheet_name(number)
        ws = wb.create_sheet(name)
        _offer_sheet(ws, number, offer, layout, vendor_name, currency, styles)
        put_text(ws, ROUND_ROW, LABEL, _("Offer round {round} of your bid (for information; it cannot be changed "
                                         "here)").format(round=round_number)).font = styles.muted
        meta.append(("offer_sheet", name, offer.id if offer is not None else None))
        if offer is not None:
            meta += [("offer_party", name, role.value) for role, _party in offer.partners.parties()]
    meta += [("bid_row", HEADER_ROW + index, row.key) for index, row in enumerate(layout, start=1) if row.key]
    return meta


def _offer_sheet(ws: Worksheet, number: int, offer: Offer | None, layout: list[Row], vendor_name: str,
                 currency: str, styles: Styles) -> None:
    if offer is None:
        title(ws, _("Offer {number} of {vendor}: a further offer (optional)").format(number=number,
                                                                                     vendor=vendor_name), styles,
              _("Fill in the yellow cells for one more way to deliver, or leave this whole sheet empty. Money in "
                "{currency}.").format(currency=currency))
    else:
        kind = deployment_title(offer.deployment.value)
        text = _("Offer {number} of {vendor}: {kind} offer {offer} ({edition})") if offer.edition else _(
            "Offer {number} of {vendor}: {kind} offer {offer}")
        title(ws, text.format(number=number, vendor=vendor_name, kind=kind, offer=offer.id, edition=offer.edition),
              styles, _("Your offer as we have it: correct the yellow cells where it has changed. Money in "
                        "{currency}.").format(currency=currency))
    header(ws, HEADER_ROW, headers(), styles)
    validations = _Validations(ws)
    values = _values(offer, layout)
    for index, row in enumerate(layout, start=1):
        at = HEADER_ROW + index
        if row.kind == "band":
            put_text(ws, at, LABEL, words(row.text)).font = styles.bold
            for column in range(1, len(COLUMNS) + 1):
                ws.cell(row=at, column=column).fill = styles.band_fill
            continue
        if row.kind == "head":
            put_text(ws, at, LABEL, words(row.text)).font = styles.bold
            ws.cell(row=at, column=LABEL).alignment = styles.wrap
            for offset, head in enumerate(row.heads):
                cell = put_text(ws, at, VALUE + offset, words(head))
                cell.font, cell.alignment = styles.bold, styles.wrap
            put_text(ws, at, HELP, words(row.help)).alignment = styles.wrap
            continue
        put_text(ws, at, LABEL, words(row.text)).alignment = styles.wrap
        key_cell = put_text(ws, at, KEY, row.key)
        key_cell.font, key_cell.alignment = styles.muted, styles.top
        if row.kind == "field":
            spec = row.specs[0]
            put_text(ws, at, UNIT, spec.unit_for(currency)).alignment = styles.wrap
            allowed = words(spec.allowed(currency))
            if spec.kind == "id":
                allowed = (_("fixed: your offer's id in our files") if offer is not None else
                           _("letters, digits, - and _ (no spaces); blank: we make one from your name and the "
                             "deployment"))
            put_text(ws, at, ALLOWED, allowed).alignment = styles.wrap
            put_text(ws, at, HELP, words(spec.help).replace("{currency}", currency)).alignment = styles.wrap
        for column, spec in zip(INPUTS[row.kind], row.specs, strict=True):
            value = values.get((at - HEADER_ROW, column))
            cell = put_value(ws, at, column, value)
            cell.alignment = styles.wrap if spec.kind in ("text", "id") else styles.top
            if spec.kind == "id" and offer is not None:
                continue  # an offer's id is how the import finds it again: shown, not typed
            mark_input(cell, styles)
            validations.add(spec, cell.coordinate)
    widths(ws, {"A": 40, "B": 24, "C": 17, "D": 36, "E": 50, "F": 44})
    fit_rows(ws, range(1, HEADER_ROW + len(layout) + 1))
    ws.row_dimensions[1].height = 20
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)


def _values(offer: Offer | None, layout: list[Row]) -> dict[tuple[int, int], object]:
    """What each input cell shows for ``offer``, by (layout index from 1, column)."""
    if offer is None:
        return {}
    found: dict[tuple[int, int], object] = {}
    for index, row in enumerate(layout, start=1):
        if row.kind == "field":
            found[(index, VALUE)] = _shown(field_value(offer, row.key), row.specs[0])
        elif row.kind in INPUTS:
            item = table_items(offer, row.key.rsplit(".", 1)[0])
            if row.index <= len(item):
                entry = item[row.index - 1]
                parts: tuple[Any, ...] = (entry,) if row.kind in TEXT_ITEMS else tuple(
                    getattr(entry, spec.key) for spec in row.specs)
                for column, part, spec in zip(INPUTS[row.kind], parts, row.specs, strict=True):
                    found[(index, column)] = _shown(part, spec)
    return found


def value_at(offer: Offer, steps: Sequence[str]) -> Any:
    """The value at the field path ``steps`` of ``offer``; None where a step is absent (a partner not named, a
    partner's SLA or contract not given)."""
    value: Any = offer
    for step in steps:
        if value is None:
            return None
        value = getattr(value, step)
    return value


def field_value(offer: Offer, key: str) -> Any:
    """The value of the field ``key`` (a bid form key such as ``pricing.term_years`` or
    ``partners.hosting.sla.uptime_pct``) of ``offer``; None for a partner's field the offer does not give."""
    steps = key.split(".")
    if len(steps) >= 3 and steps[-2] in (*KEYED_FIELDS, *MEMBER_FIELDS):
        found = value_at(offer, steps[:-1])
        if found is None:
            return None
        if steps[-2] in KEYED_FIELDS:
            return found.get(steps[-1])
        return any(member.value == steps[-1] for member in found)
    return value_at(offer, steps)


def table_items(offer: Offer, key: str) -> tuple[Any, ...]:
    """The entries of the table at ``key`` (``sla.credits``, ``partners.hosting.sla.credits`` ...) of ``offer``."""
    found = value_at(offer, key.split("."))
    return () if found is None else tuple(found)


def _shown(value: Any, spec: FieldSpec) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        return value
    return spec.shown(value)


class _Validations:
    """One data validation per kind of input on a sheet (Excel keeps them per sheet)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.made: dict[tuple[object, ...], Any] = {}

    def add(self, spec: FieldSpec, coordinate: str) -> None:
        key = (spec.kind, spec.choices, spec.low, spec.high, spec.low_open, spec.max_length)
        if key not in self.made:
            self.made[key] = self._make(spec)
            self.ws.add_data_validation(self.made[key])
        self.made[key].add(coordinate)

    @staticmethod
    def _make(spec: FieldSpec) -> Any:
        if spec.kind == "yes_no":
            yes, no = yes_no()
            return list_validation((yes, no), _("Choose {yes} or {no}.").format(yes=yes, no=no),
                                   _("{yes} or {no}").format(yes=yes, no=no))
        if spec.kind == "choice":
            return list_validation(choice_labels(spec.key, spec.choices), _("Choose from the list; see Help."),
                                   _("Choose"))
        allowed = words(spec.allowed())
        if spec.kind in ("text", "id"):
            return length_validation(spec.max_length or 0, allowed)
        return decimal_validation(spec.low, spec.high, allowed, whole=spec.kind == "whole", low_open=spec.low_open,
                                  error=allowed)


__all__ = [
    "COLUMNS",
    "HEADER_ROW",
    "INPUTS",
    "KEY",
    "SHEET_PREFIX",
    "VALUE",
    "add_bid_form",
    "bid_instructions",
    "bid_slots",
    "field_value",
    "headers",
    "sheet_name",
    "table_items",
    "value_at",
]
