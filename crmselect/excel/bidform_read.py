"""Reading the bid form back: every offer sheet checked cell by cell, then each offer validated as an ``Offer``.

Problems are collected, never raised one by one, each naming the sheet and cell, what is allowed
and what was received: a missing sheet, an edited header, an altered field key or offer id, a
formula where a value belongs, text typed outside the form, numbers out of their field's range
(the range of the pydantic field), a choice not in the list, a table row half filled, credit tiers
out of order, and whatever ``Offer`` validation still refuses (a saas offer without its
subscription price, a hosted offer without its partner), mapped back to the cell of the field.

A sheet whose input cells are all empty makes no offer; a sheet that was filled with an offer and
comes back empty withdraws it (:attr:`BidForm.withdrawn`).

The partner blocks at the foot of each sheet (implementation partner, hosting partner; each with its own
SLA and contract terms) follow the same rule one level down: a block with a cell filled in is the
partner as the form states it, its empty SLA or contract sub-block means "none given".  A partner
block that comes back empty withdraws the partner only when the sheet showed that partner to the
vendor (the metadata records it); when the form never showed it (a blank form, or the partner was
added to the file after the export) the partner in the file is kept.  Either way the import says so
(:attr:`BidForm.notes`).  The form records the offer round it was written for; a form for an earlier
round than the vendor's bid now is refused (export it again).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from crmselect.errors import Message, WorkbookError
from crmselect.excel.bidform_fields import MEMBER_FIELDS, TABLE_KEYS, FieldSpec, Row, bid_layout
from crmselect.excel.bidform_text import PARTY_TEXT, parse_choice
from crmselect.excel.bidform_write import COLUMNS, HEADER_ROW, INPUTS, KEY, TEXT_ITEMS, VALUE, headers
from crmselect.excel.form_language import in_language, parse_yes_no
from crmselect.excel.safe import META_SHEET, SheetIssues, is_formula, raw, ref, show, text
from crmselect.files.wording import templated
from crmselect.model.bids import Certification, Offer, PartyRole
from crmselect.model.ids import id_problem, nfc, shorten
from crmselect.model.project import Project
from crmselect.show.i18n import _

EXTRA_COLUMNS = 4  # columns right of the form that are checked for stray text
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SHORT = {"saas": "saas", "on_premise": "onprem", "hosted": "hosted"}
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class BidSheet:
    """One offer sheet as it came back: the offer it was filled with, and the offer it now makes."""

    name: str
    known_id: str | None
    offer: Offer | None


@dataclass(frozen=True)
class BidForm:
    """The offers of a returned bid form, in sheet order; empty when the workbook has no bid form."""

    sheets: tuple[BidSheet, ...] = ()
    round: int = 1  # the offer round the form was written for
    notes: tuple[Message, ...] = ()  # partners kept from the file or withdrawn, for the import to tell

    @property
    def present(self) -> bool:
        return bool(self.sheets)

    @property
    def offers(self) -> tuple[Offer, ...]:
        return tuple(s.offer for s in self.sheets if s.offer is not None)

    @property
    def withdrawn(self) -> tuple[str, ...]:
        return tuple(s.known_id for s in self.sheets if s.known_id is not None and s.offer is None)


@dataclass
class _Draft:
    """A filled sheet on its way to an ``Offer``: the data, and the cell of every field path."""

    sheet: str
    known_id: str | None
    data: dict[str, Any]
    language: str = "en"
    cells: dict[Path, str] = field(default_factory=dict)
    missing: list[tuple[str, FieldSpec, str, Path]] = field(default_factory=list)  # (label, spec, cell, field path)
    failed: bool = False
    given: set[Path] = field(default_factory=set)  # every field path (and its parents) with a cell filled in
    shown_parties: tuple[str, ...] = ()  # the partner roles this sheet was filled with on export


def read_bid_form(wb: Any, meta: list[tuple[str, Any, Any]], project: Project, vendor_id: str, out: SheetIssues,
                  max_rows: int, language: str = "en") -> BidForm:
    """Check the offer sheets that ``meta`` names; problems go to ``out``; offers come back when all is well.

    ``language`` is the one the form was written in: its headers, Yes/No and choice labels are read in it.
    """
    sheets = [(str(name), None if offer is None else str(offer), number)
              for number, (key, name, offer) in enumerate(meta, start=1) if key == "offer_sheet"]
    if not sheets:
        return BidForm()
    layout = _layout(meta)
    vendor = next((v for v in project.vendors if v.id == vendor_id), None)
    known = {o.id: o for o in vendor.offers} if vendor is not None else {}
    round_number = _round(meta, vendor.round if vendor is not None else 1, vendor_id, out)
    shown = {str(sheet): tuple(str(r) for k, s2, r in meta if k == "offer_party" and s2 == sheet)
             for sheet, _, _ in sheets}
    drafts: list[_Draft | None] = []
    for name, offer_id, meta_row in sheets:
        if offer_id is not None and offer_id not in known:
            out.add(META_SHEET, ref(meta_row, 3), Message("names offer {offer}, which {vendor} no longer has (renamed "
                                                          "or removed since the questionnaire was exported?)",
                                                          offer=repr(offer_id), vendor=vendor_id), "unknown_offer",
                    ", ".join(known) or Message("no offers"), repr(offer_id))
        if name not in wb.sheetnames:
            out.add(name, "", Message("sheet is missing (renamed or deleted)"), "missing_sheet", name,
                    ", ".join(wb.sheetnames))
            drafts.append(None)
            continue
        draft = _read_sheet(wb[name], name, offer_id, layout, out, max_rows, language)
        if draft is not None:
            draft.shown_parties = shown[name]
        drafts.append(draft)
    notes: list[Message] = []
    offers = _finish(drafts, project, vendor_id, known, out, notes)
    return BidForm(tuple(BidSheet(name, offer_id, offer)
                         for (name, offer_id, _), offer in zip(sheets, offers, strict=True)), round_number,
                   tuple(notes))


def _round(meta: list[tuple[str, Any, Any]], current: int, vendor_id: str, out: SheetIssues) -> int:
    """The offer round the form records (1 when it records none); a form for another round than the bid's now
    would undo or skip a round: reported on its metadata cell."""
    found = next(((number, value) for number, (key, value, _) in enumerate(meta, start=1) if key == "bid_round"),
                 None)
    if found is None:
        return 1
    number, value = found
    if isinstance(value, bool) or not isinstance(value, int | float) or value != current:
        out.add(META_SHEET, ref(number, 2), Message(
            "the bid form was written for round {form} of {vendor}'s bid, but the bid is now round {round}: export "
            "the questionnaire again", form=show(value), vendor=vendor_id, round=current), "wrong_round",
                Message("round {round}", round=current), show(value))
        return current
    return int(value)


def _layout(meta: list[tuple[str, Any, Any]]) -> dict[int, Row]:
    """The form's rows by sheet row, rebuilt from the recorded keys; a layout crmselect never wrote is refused."""
    recorded = [(row, str(key)) for name, row, key in meta if name == "bid_row"]
    sizes = {kind: sum(1 for _, key in recorded if key.startswith(prefix + ".")) for kind, prefix in TABLE_KEYS.items()}
    rows = {HEADER_ROW + index: row for index, row in enumerate(bid_layout(sizes), start=1)}
    expected = [(number, row.key) for number, row in rows.items() if row.key]
    if [(int(r) if isinstance(r, int | float) else r, k) for r, k in recorded] != expected:
        raise WorkbookError(_("the bid form's record in the hidden _crmselect sheet was altered; export the "
                              "questionnaire again"))
    return rows


def _read_sheet(ws: Any, name: str, known_id: str | None, layout: dict[int, Row], out: SheetIssues,
                max_rows: int, language: str) -> _Draft | None:
    width = len(COLUMNS) + EXTRA_COLUMNS
    grid: dict[int, tuple[Any, ...]] = {}
    for count, found in enumerate(ws.iter_rows(min_row=HEADER_ROW, max_col=width)):
        if count >= max_rows:
            raise WorkbookError(_("sheet {sheet} has more than {count} rows").format(sheet=name, count=max_rows))
        cells = tuple(found) + (None,) * (width - len(found))
        grid[HEADER_ROW + count] = cells
    empty: tuple[Any, ...] = (None,) * width
    heads = grid.get(HEADER_ROW, empty)
    for column, expected in enumerate(in_language(language, headers), start=1):
        if text(heads[column - 1]) != expected:
            out.add(name, ref(HEADER_ROW, column), Message("header was edited (columns must stay as exported)"),
                    "edited_header", repr(expected), show(text(heads[column - 1])))
    before = len(out.issues)
    draft = _Draft(name, known_id, {}, language)
    filled = False
    for number, cells in sorted(grid.items()):
        if number == HEADER_ROW:
            continue
        for column in range(len(COLUMNS) + 1, width + 1):
            if raw(cells[column - 1]) is not None or is_formula(cells[column - 1]):
                out.add(name, ref(number, column), Message("is outside the bid form and would be lost"),
                        "outside_table", Message("nothing here"), show(cells[column - 1].value))
        row = layout.get(number)
        if row is None or not row.key:
            for column in range(1, len(COLUMNS) + 1):
                cell = cells[column - 1]
                if is_formula(cell) or (row is None and raw(cell) is not None):
                    out.add(name, ref(number, column), Message("is outside the bid form and would be lost")
                            if row is None else Message("was changed into a formula"), "outside_table"
                            if row is None else "altered", Message("nothing here") if row is None
                            else Message("the exported text"), show(cell.value))
            continue
        inputs = INPUTS[row.kind] if not (row.key == "id" and known_id is not None) else ()
        for column in range(1, len(COLUMNS) + 1):
            if column not in inputs and is_formula(cells[column - 1]):
                out.add(name, ref(number, column), Message("was changed into a formula"), "altered",
                        Message("the exported text"), show(cells[column - 1].value))
        if text(cells[KEY - 1]) != row.key:
            out.add(name, ref(number, KEY), Message("the field key was altered (rows must stay as exported)"),
                    "altered_key", repr(row.key), show(text(cells[KEY - 1])))
            continue
        if row.key == "id" and known_id is not None:
            draft.cells[("id",)] = ref(number, VALUE)
            if text(cells[VALUE - 1]) != known_id:
                out.add(name, ref(number, VALUE), Message("the offer id was altered (it is how we find your offer)"),
                        "altered_id", repr(known_id), show(raw(cells[VALUE - 1])))
            continue
        values: list[Any] = []
        blanks: list[bool] = []
        for column, spec in zip(inputs, row.specs, strict=True):
            cell = cells[column - 1]
            blanks.append(raw(cell) is None and not is_formula(cell))
            label = row.text if row.kind in ("field", *TEXT_ITEMS) else Message("{row}: {column}", row=row.text,
                                                                                  column=spec.label)
            if is_formula(cell):
                out.add(name, ref(number, column), Message("{label}: holds a formula; type the value itself",
                                                           label=label), "formula", Message("a typed value"),
                        show(cell.value))
                values.append(None)
            else:
                values.append(_parse(spec, label, raw(cell), name, ref(number, column), out, language))
        filled = filled or not all(blanks)
        if not all(blanks):
            steps = tuple(row.key.split("."))
            draft.given.update(steps[:end] for end in range(1, len(steps) + 1))
        _place(draft, row, values, blanks, [ref(number, c) for c in inputs])
    if not filled and len(out.issues) == before:
        return None
    draft.failed = len(out.issues) > before
    return draft


def _parse(spec: FieldSpec, label: str, value: Any, sheet: str, at: str, out: SheetIssues,
           language: str = "en") -> Any:
    """The cell's value as the field takes it, or ``None`` (blank, or reported to ``out``)."""
    if value is None:
        return None
    allowed = in_language(language, spec.allowed)
    if spec.kind in ("number", "whole"):
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str) and _NUMBER.match(value.replace(" ", "").replace("\u00a0", "")):
            number = float(value.replace(" ", "").replace("\u00a0", ""))
        if number is None or not math.isfinite(number):
            out.add(sheet, at, Message("{label} is not a number", label=label), "not_a_number", allowed, show(value))
            return None
        if spec.kind == "whole" and not number.is_integer():
            out.add(sheet, at, Message("{label} is not a whole number", label=label), "not_a_whole_number", allowed,
                    show(value))
            return None
        low_bad = spec.low is not None and (number <= spec.low if spec.low_open else number < spec.low)
        if low_bad or (spec.high is not None and number > spec.high) or abs(number) > 1e12:
            out.add(sheet, at, Message("{label} is out of range", label=label), "out_of_range", allowed, show(value))
            return None
        return int(number) if spec.kind == "whole" else number
    if spec.kind == "yes_no":
        flag = parse_yes_no(value, language)
        if flag is None:
            out.add(sheet, at, Message("{label} is not Yes or No", label=label), "invalid_yes_no", allowed,
                    show(value))
        return flag
    typed = (f"{value:g}" if isinstance(value, float) else str(value)).strip()
    if spec.kind == "choice":
        choice = parse_choice(spec.key, spec.choices, typed, language)
        if choice is None:
            out.add(sheet, at, Message("{label} is not one of the choices", label=label), "invalid_choice", allowed,
                    show(value))
        return choice
    if spec.kind == "id":
        typed = nfc(typed)
    if spec.kind == "id" and id_problem(typed) is not None:
        out.add(sheet, at, Message("{label} is not a valid offer id", label=label), "invalid_id", allowed, show(value))
        return None
    if len(typed) > (spec.max_length or 0):
        out.add(sheet, at, Message("{label} is too long", label=label), "too_long",
                Message("at most {count} characters", count=spec.max_length),
                Message("{count} characters", count=len(typed)))
        return None
    return typed


def _holder(data: dict[str, Any], steps: Path) -> dict[str, Any]:
    """The mapping at ``steps`` in ``data``, made on the way."""
    holder = data
    for step in steps:
        holder = holder.setdefault(str(step), {})
    return holder


def _place(draft: _Draft, row: Row, values: list[Any], blanks: list[bool], cells: list[str]) -> None:
    """Put one row's values into the draft's data, remembering the cell of each field path.

    A required cell left blank is noted in ``draft.missing`` (a blank id is made up later); one that
    holds something unreadable was reported already.
    """
    data = draft.data
    steps = tuple(row.key.split("."))
    if row.kind == "field":
        value, cell = values[0], cells[0]
        if len(steps) >= 3 and steps[-2] in MEMBER_FIELDS:
            members_path = steps[:-1]
            draft.cells[members_path] = draft.cells.get(members_path, cell)
            member = row.specs[0].default if value is None else value  # a blank means the usual
            members = _holder(data, members_path[:-1]).setdefault(members_path[-1], [])
            if member:
                members.append(steps[-1])
            return
        draft.cells[steps] = cell
        if value is None:
            if row.specs[0].required and blanks[0] and row.key != "id":
                draft.missing.append((row.text, row.specs[0], cell, steps))
            return
        _holder(data, steps[:-1])[steps[-1]] = value
        return
    if all(blanks):
        return
    table = steps[:-1]  # the table's field path: the row's key without its number
    items = _holder(data, table[:-1]).setdefault(table[-1], [])
    index = len(items)
    if row.kind in TEXT_ITEMS:
        if values[0] is not None:
            items.append(values[0])
            draft.cells[(*table, index)] = cells[0]
        return
    entry: dict[str, Any] = {}
    for spec, value, blank, cell in zip(row.specs, values, blanks, cells, strict=True):
        draft.cells[(*table, index, spec.key)] = cell
        if value is not None:
            entry[spec.key] = value
        elif spec.required and blank:
            draft.missing.append((Message("{row}: {column}", row=row.text, column=spec.label), spec, cell,
                                  (*table, index, spec.key)))
    draft.cells[(*table, index)] = cells[0]
    items.append(entry)


def _finish(drafts: list[_Draft | None], project: Project, vendor_id: str, known: dict[str, Offer],
            out: SheetIssues, notes: list[Message]) -> list[Offer | None]:
    """Missing values, offer ids (given, kept or made), credit order; then ``Offer`` validation per sheet."""
    others = {o.id: v.id for v in project.vendors if v.id != vendor_id for o in v.offers}
    used: dict[str, str] = {}
    for draft in drafts:
        if draft is None:
            continue
        data = draft.data
        _unanswered_blocks(draft)
        for label, spec, cell, _path in draft.missing:
            out.add(draft.sheet, cell, Message("{label} is required", label=label), "missing_value",
                    in_language(draft.language, spec.allowed), Message("an empty cell"))
            draft.failed = True
        _credit_order(draft, out)
        offer_id = draft.known_id or data.get("id")
        if offer_id is not None:
            where = draft.cells.get(("id",), "")
            if offer_id in used or offer_id in others:
                whose = Message("sheet {sheet}", sheet=used[offer_id]) if offer_id in used else Message(
                    "vendor {vendor}", vendor=others[offer_id])
                out.add(draft.sheet, where, Message("is the id of another offer ({whose})", whose=whose),
                        "duplicate_id", Message("an offer id used once across all vendors"), repr(offer_id))
                draft.failed = True
            used[offer_id] = draft.sheet
    offers: list[Offer | None] = []
    for draft in drafts:
        if draft is None or draft.failed:
            offers.append(None)
            continue
        data = draft.data
        for section in ("pricing", "implementation", "sla", "contract"):
            data.setdefault(section, {})
        if draft.known_id is None and "id" not in data and isinstance(data.get("deployment"), str):
            base = shorten(f"{vendor_id}-{_SHORT[data['deployment']]}", 76, mark="-")  # room for -2 .. -99
            data["id"] = next(candidate for n in range(1, 100)
                              for candidate in [base if n == 1 else f"{base}-{n}"]
                              if candidate not in used and candidate not in others)
            used[data["id"]] = draft.sheet
        offer_id = draft.known_id or data.get("id")
        data["id"] = offer_id
        old = known.get(offer_id) if isinstance(offer_id, str) else None
        if old is not None:
            _keep_order(data, old)
            data["answers"] = dict(old.answers)
        _partners_of(draft, old, notes)
        try:
            offers.append(Offer.model_validate(data))
        except ValidationError as exc:
            for error in exc.errors():
                _report(error, draft, out)
            offers.append(None)
    return offers


def _unanswered_blocks(draft: _Draft) -> None:
    """Drop the partner blocks (a party, or its SLA or contract) with no cell filled in, and what they miss:
    an empty block is one the vendor did not answer, so its required cells are not missing."""
    partners = draft.data.get("partners", {})
    for role in PartyRole:
        party = ("partners", role.value)
        if party not in draft.given:
            partners.pop(role.value, None)
            continue
        for terms in ("sla", "contract"):
            if (*party, terms) not in draft.given:
                partners[role.value].pop(terms, None)
    if not partners:
        draft.data.pop("partners", None)
    draft.missing = [item for item in draft.missing if item[3][:1] != ("partners",) or (
        item[3][:2] in draft.given and (item[3][2] not in ("sla", "contract") or item[3][:3] in draft.given))]


def _partners_of(draft: _Draft, old: Offer | None, notes: list[Message]) -> None:
    """A partner whose block came back empty: withdrawn when the sheet showed it, kept from the file otherwise."""
    if old is None:
        return
    for role, party in old.partners.parties():
        if ("partners", role.value) in draft.given:
            continue
        what = Message(PARTY_TEXT[role.value])
        if role.value in draft.shown_parties:
            notes.append(Message("offer {offer}: {role} {name} withdrawn (its block came back empty)",
                                 offer=old.id, role=what, name=party.name))
            continue
        draft.data.setdefault("partners", {})[role.value] = party
        notes.append(Message("offer {offer}: the form does not state the {role} ({name}); the file's is kept",
                             offer=old.id, role=what, name=party.name))


_SLA_PATHS: tuple[Path, ...] = (("sla",), *(("partners", role.value, "sla") for role in PartyRole))


def _credit_order(draft: _Draft, out: SheetIssues) -> None:
    for sla_path in _SLA_PATHS:
        _credit_order_at(draft, sla_path, out)


def _credit_order_at(draft: _Draft, sla_path: Path, out: SheetIssues) -> None:
    holder: Any = draft.data
    for step in sla_path:
        holder = holder.get(str(step), {}) if isinstance(holder, dict) else {}
    credits = holder.get("credits", []) if isinstance(holder, dict) else []
    for index in range(1, len(credits)):
        above, tier = credits[index - 1].get("below_pct"), credits[index].get("below_pct")
        if above is not None and tier is not None and tier >= above:
            out.add(draft.sheet, draft.cells[(*sla_path, "credits", index, "below_pct")],
                    Message("is not lower than the tier above it: credit tiers go from the highest uptime to the "
                            "lowest"), "credits_out_of_order",
                    Message("a percentage below {value}", value=f"{above:g}"), show(tier))
            draft.failed = True


def _keep_order(data: dict[str, Any], old: Offer) -> None:
    """Certifications in the order the vendor's file lists them (the form lists them in a fixed order)."""
    pairs = [(data.get("sla"), old.sla)]
    for role, party in old.partners.parties():
        given = data.get("partners", {}).get(role.value)
        if isinstance(given, dict) and party.sla is not None:
            pairs.append((given.get("sla"), party.sla))
    for sla, old_sla in pairs:
        if isinstance(sla, dict) and "certifications" in sla:
            place = {c.value: i for i, c in enumerate(old_sla.certifications)}
            rank = {c.value: len(place) + i for i, c in enumerate(Certification)}
            sla["certifications"].sort(key=lambda c, place=place, rank=rank: place.get(c, rank.get(c, 99)))
    pricing = data.get("pricing")
    if isinstance(pricing, dict) and "paid_in_advance" in pricing:  # likewise the lines paid in advance
        where = {line.value: i for i, line in enumerate(old.pricing.paid_in_advance)}
        pricing["paid_in_advance"].sort(key=lambda line: where.get(line, 99))


def _report(error: Any, draft: _Draft, out: SheetIssues) -> None:
    """A pydantic error, placed on the cell of its field (or the nearest cell above it)."""
    context = error.get("ctx") or {}
    path: Path = tuple(error["loc"]) + tuple(context.get("field", ()))
    cell = ""
    for end in range(len(path), 0, -1):
        if path[:end] in draft.cells:
            cell = draft.cells[path[:end]]
            break
    cell = cell or draft.cells.get(("deployment",), "")
    dotted = ".".join(str(p) for p in path)
    message = context.get("message") or templated(error["type"], context, error["msg"])
    out.add(draft.sheet, cell, Message("{field} {message}", field=dotted, message=message) if dotted else message,
            error["type"],
            str(context.get("allowed", "")), str(context.get("received", "")) or show(error.get("input")))


__all__ = ["BidForm", "BidSheet", "read_bid_form"]
