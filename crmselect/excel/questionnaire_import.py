"""Reading a vendor's answered questionnaire back, checking everything, and writing the vendor's YAML.

Every problem is collected, each naming the sheet and cell, what is allowed and what was
received: unknown or altered ids, altered criterion names, invalid codes, missing answers to
criteria a goal links, duplicate rows, edited headers, code F without a date, numbers that make
no sense, formulas where a value belongs, text typed outside the table, an offer the vendor does
not have (:mod:`crmselect.excel.questionnaire_read`).  Nothing is written until the whole workbook is clean.

An offer's questionnaire (``crmselect questionnaire --offer``) writes into that offer's
``answers:`` block only the answers that differ from the vendor's own; the vendor's answers and
the rest of the file stay as they are.

Once the technical scoring is locked, a form that would change a vendor's bid (answers or offers)
changes nothing in the selection: a changed bid is a new offer round, recorded with ``crmselect
bafo`` as a logged re-lock.  The import writes the bid the form states beside the workbook
(``<workbook>.<vendor>.round<N>.yaml``, ``round:`` set) and refuses, naming the command to run.

Reading and checking live in :mod:`crmselect.excel.questionnaire_read`; this module writes the YAML and
re-exports every public name of both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from crmselect.errors import InputError, Issue, Message, WorkbookError
from crmselect.excel.bidform_yaml import offer_item, offers_block
from crmselect.excel.questionnaire_read import EXTRA_COLUMNS, QuestionnaireAnswers, read_answers
from crmselect.excel.safe import DEFAULT_LIMITS, Limits
from crmselect.excel.yaml_writeback import (
    OfferText,
    answer_fields,
    answers_block,
    offer_answers_patched,
    offers_patched,
    patched,
)
from crmselect.files.safe_write import FileExistsErrorNoForce, write_text_atomic
from crmselect.files.sanity import SERVICES_TOLERANCE
from crmselect.files.workspace import selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.bids import Offer, Vendor
from crmselect.model.ids import file_name
from crmselect.model.project import Project
from crmselect.record.envelopes import seal_state
from crmselect.show.i18n import _

NO_OFFERS_YET = Message("offers still to be filled in")


@dataclass(frozen=True)
class AnswersImport:
    """What ``import_answers`` wrote, and everything it did not take from the workbook."""

    path: Path
    vendor_id: str
    created: bool
    answers: int
    blank: tuple[str, ...]
    kept: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    unchanged: bool = False  # the answers were those already in the file: it was left untouched
    offer_id: str | None = None  # an offer's questionnaire: its answers: block was written
    overrides: int = 0  # how many answers the offer's block now holds (those that differ from the vendor's)
    inherited: tuple[str, ...] = ()  # blank for the offer, so the vendor's own answer still applies
    offers_created: tuple[str, ...] = ()  # offers of the bid form the file did not have
    offers_updated: tuple[str, ...] = ()  # offers whose prices, plan, SLA or contract changed
    offers_removed: tuple[str, ...] = ()  # offers of the file whose sheet came back empty (withdrawn)
    offers_unchanged: tuple[str, ...] = ()  # offers of the bid form exactly as the file has them


# ---------------------------------------------------------------------------- writing the YAML
def vendor_file(project: Project, vendor_id: str) -> Path | None:
    """The YAML file of ``vendor_id`` in the selection, whatever its name, or ``None``."""
    for path in sorted((project.root / "vendors").glob("*.y*ml")):
        if path.name.startswith("committee."):
            continue
        try:
            data = load_plain(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            continue
        if isinstance(data, dict) and data.get("id") == vendor_id:
            return path
    return None


def _sections(project: Project) -> dict[str, str]:
    names = {cat.id: cat.name for cat in project.categories}
    return {c.id: names.get(c.category or "", c.category or "") for c in project.criteria}


def import_answers(
    path: str | Path, project: Project, *, force: bool = False, vendor: str | None = None,
    limits: Limits = DEFAULT_LIMITS, offer: str | None = None,
) -> AnswersImport:
    """Check an answered questionnaire and write the vendor's YAML atomically.

    A new vendor gets ``vendors/<id>.yaml`` with the offers of its bid form (``offers: []``, still
    to be filled in, when it left the bid form empty).  An existing vendor file is only changed with
    ``force``; then its ``answers:`` block is replaced (answers to criteria the questionnaire did not
    ask are kept, answers the vendor blanked out are listed in ``removed``) and, when the bid form
    was filled in, its ``offers:`` become the bid form's: offers that did not change keep their lines
    and comments, changed and new ones are written anew (keeping each offer's own ``answers:``), and
    offers whose sheet came back empty are removed.  Nothing changed: the file is left untouched.

    An offer's questionnaire changes, again only with ``force``, just that offer's ``answers:``
    block: it holds the answers that differ from the vendor's own (see :func:`import_offer_answers`).
    ``vendor`` and ``offer`` refuse a file that is not that vendor's (or that offer's) questionnaire.
    """
    result = read_answers(path, project, limits)
    if vendor is not None and vendor != result.vendor_id:
        raise WorkbookError(_("{file}: is the questionnaire of {found}, not {wanted}").format(
            file=Path(path).name, found=repr(result.vendor_id), wanted=repr(vendor)))
    if offer is not None and offer != result.offer_id:
        whose = (_("offer {offer}").format(offer=repr(result.offer_id)) if result.offer_id
                 else _("vendor {vendor} as a whole").format(vendor=repr(result.vendor_id)))
        raise WorkbookError(_("{file}: is the questionnaire of {whose}, not of offer {offer}").format(
            file=Path(path).name, whose=whose, offer=repr(offer)))
    if result.offer_id is not None:
        return import_offer_answers(path, project, result, force=force)
    target = vendor_file(project, result.vendor_id)
    if target is None:
        return _create_vendor(path, project, result)
    if not force:
        raise FileExistsErrorNoForce(_("{path} already exists; not overwriting it (use --force to replace its "
                                       "answers and offers; the rest of the file is kept)").format(path=target))
    known = result.vendor_id in {v.id for v in project.vendors}
    old = project.vendor(result.vendor_id).answers if known else {}
    old_offers = project.vendor(result.vendor_id).offers if known else ()
    asked = set(result.asked)
    kept = {cid: a for cid, a in old.items() if cid not in asked}
    merged = {**result.answers, **kept}
    order = {cid: i for i, cid in enumerate(project.criterion_ids)}
    merged = dict(sorted(merged.items(), key=lambda kv: order.get(kv[0], len(order))))
    removed = tuple(cid for cid in old if cid in asked and cid not in result.answers)
    offers, notes = _offers_of(result, old_offers)
    created, updated, unchanged, gone = _offer_changes(old_offers, offers)
    done = AnswersImport(target, result.vendor_id, False, len(result.answers), result.blank, kept=tuple(kept),
                         removed=removed, notes=notes, offers_created=created, offers_updated=updated,
                         offers_removed=gone, offers_unchanged=unchanged)
    if merged == dict(old) and offers == old_offers:
        return replace(done, unchanged=True)
    with selection_lock(project.root):
        text = target.read_text(encoding="utf-8-sig")
        on_file = Vendor.model_validate(load_plain(text))
        if on_file.answers != old or on_file.offers != old_offers:
            raise InputError([Issue(f"vendors/{target.name}", "answers", Message(
                "changed since this selection was loaded (another import or an edit); load the selection again and "
                "repeat the import"), code="stale_selection",
                allowed=Message("the answers and offers this import was merged with"),
                received=Message("other answers or offers"))])
        new_text = text
        if offers != old_offers:
            new_text, dropped = offers_patched(new_text, [_offer_text(o, old_offers) for o in offers], target.name)
            if dropped:
                notes += (Message("comments inside the rewritten or removed offers {offers} were not kept (the "
                                  "file's other comments are)", offers=", ".join(dropped)),)
        if merged != dict(old):
            new_text = patched(new_text, {"answers": {cid: answer_fields(a) for cid, a in merged.items()}},
                               {"answers": answers_block(merged, _sections(project))}, target.name)
        written = Vendor.model_validate(load_plain(new_text))
        if written.offers != offers or written.answers != merged:  # pragma: no cover - a bug in the patching
            raise WorkbookError(_("{file}: the update would not hold what was imported; nothing written").format(
                file=target.name))
        _refuse_when_locked(path, project, result.vendor_id, new_text)
        write_text_atomic(target, new_text, overwrite=True)
    return replace(done, notes=notes)


def _create_vendor(path: str | Path, project: Project, result: QuestionnaireAnswers) -> AnswersImport:
    """A new vendor's file: its answers, and its offers when the bid form was filled in."""
    target = project.root / "vendors" / file_name(result.vendor_id)  # vendors/<id>.yaml (docs/CONTRACTS.md)
    if target.exists():
        raise FileExistsErrorNoForce(_("{path} exists but is not the file of vendor {vendor}; move it aside "
                                       "first").format(path=target, vendor=result.vendor_id))
    offers, notes = _offers_of(result, ())
    if offers:
        head = (f"# Imported from {Path(path).name}: the vendor's answers and its bid form ({len(offers)} offer"
                f"{'s' if len(offers) != 1 else ''}: prices, project plan, SLA and contract).\n")
    else:
        head = (f"# Answers imported from {Path(path).name}. Add the offers (prices, implementation plan, SLA and\n"
                "# contract) from the vendor's price bid; `crmselect validate` lists what is missing.\n")
        notes = (NO_OFFERS_YET,)
    text = (
        head + yaml.safe_dump({"id": result.vendor_id, "name": result.vendor_name,
                               "currency": project.selection.currency}, allow_unicode=True, sort_keys=False)
        + offers_block(offers) + answers_block(result.answers, _sections(project))
    )
    if offers:
        written = Vendor.model_validate(load_plain(text))  # cannot fail: every offer was validated
        assert written.offers == offers and written.answers == result.answers
    write_text_atomic(target, text)
    return AnswersImport(target, result.vendor_id, True, len(result.answers), result.blank, notes=notes,
                         offers_created=tuple(o.id for o in offers))


def _offers_of(result: QuestionnaireAnswers, old: tuple[Offer, ...]) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """The offers the file will hold (the bid form's, or ``old`` when it has none), and notes about them."""
    notes: list[str] = []
    offers = result.bid.offers or old
    if result.bid.present and not result.bid.offers and old:
        notes.append(Message("the bid form came back empty: the offers in the file are kept"))
    notes.extend(result.bid.notes)  # partners kept from the file, or withdrawn
    for offer in result.bid.offers:
        plan, product = offer.implementation, offer.implementation.services_days_times_rate
        if product is not None and abs(plan.services_cost - product) > SERVICES_TOLERANCE * max(
                product, plan.services_cost):
            notes.append(Message("offer {offer}: services cost {cost} is not services days x day rate ({product}); "
                                 "TCO uses the services cost: ask the vendor which is right", offer=offer.id,
                                 cost=f"{plan.services_cost:,.0f}", product=f"{product:,.0f}"))
    return offers, tuple(notes)


def _offer_changes(old: tuple[Offer, ...], new: tuple[Offer, ...]) -> tuple[tuple[str, ...], ...]:
    """The offer ids created, updated, unchanged and removed."""
    before = {o.id: o for o in old}
    now = {o.id for o in new}
    return (tuple(o.id for o in new if o.id not in before),
            tuple(o.id for o in new if o.id in before and before[o.id] != o),
            tuple(o.id for o in new if before.get(o.id) == o),
            tuple(o.id for o in old if o.id not in now))


def _offer_text(offer: Offer, old: tuple[Offer, ...]) -> OfferText:
    if offer in old:
        return OfferText(keep=offer.id)
    return OfferText(render=lambda dash: offer_item(offer, dash), data=load_plain(offer_item(offer, 0))[0])


def import_offer_answers(
    path: str | Path, project: Project, result: QuestionnaireAnswers, *, force: bool = False
) -> AnswersImport:
    """Write an offer's checked questionnaire answers into that offer's ``answers:`` block.

    The block gets the answers that differ from the vendor's own, plus the offer's answers to
    criteria the questionnaire did not ask (``kept``); an answer left blank drops the offer's own
    answer, so the vendor's applies (``inherited``) or, when the vendor has none, the bid has no
    answer (``removed``).  So ``bid.answers`` ends up as the questionnaire's answers.
    """
    assert result.offer_id is not None
    name = Path(path).name
    owner = project.vendor(result.vendor_id)  # read_answers checked the vendor and its offer
    own = owner.offer(result.offer_id)
    target = vendor_file(project, owner.id)
    if target is None:
        raise WorkbookError(_("{file}: cannot find the YAML file of vendor {vendor} in {folder}").format(
            file=name, vendor=repr(owner.id), folder=project.root / "vendors"))
    if not force:
        raise FileExistsErrorNoForce(_("{path} already exists; not overwriting it (use --force to replace the "
                                       "answers of offer {offer}; the rest of the file is kept)").format(
                                           path=target, offer=own.id))
    old = dict(own.answers)
    asked = set(result.asked)
    kept = {cid: a for cid, a in old.items() if cid not in asked}
    differ = {cid: a for cid, a in result.answers.items() if owner.answers.get(cid) != a}
    order = {cid: i for i, cid in enumerate(project.criterion_ids)}
    merged = dict(sorted({**differ, **kept}.items(), key=lambda kv: order.get(kv[0], len(order))))
    blanked = [cid for cid in result.asked if cid not in result.answers]
    done = AnswersImport(
        target, owner.id, False, len(result.answers), result.blank, kept=tuple(kept),
        removed=tuple(cid for cid in blanked if cid in old and cid not in owner.answers),
        offer_id=own.id, overrides=len(merged), inherited=tuple(cid for cid in blanked if cid in owner.answers),
        unchanged=merged == old,
    )
    if done.unchanged:
        return done
    text = target.read_text(encoding="utf-8-sig")
    new_text = offer_answers_patched(text, own.id, {cid: answer_fields(a) for cid, a in merged.items()},
                                     answers_block(merged, _sections(project)), target.name)
    Vendor.model_validate(load_plain(new_text))  # cannot fail for a file the project loaded; guards the patch
    _refuse_when_locked(path, project, owner.id, new_text)
    write_text_atomic(target, new_text, overwrite=True)
    return done


# ---------------------------------------------------------------------------- a locked bid: a new round
ROUND_MARK = "# crmselect: the bid of {vendor} as the returned form {file} states it, as round {round}.\n"
_ROUND_LINE = re.compile(r"^round:.*$", re.MULTILINE)
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def round_file(path: str | Path, vendor_id: str, round_number: int) -> Path:
    """Where a locked vendor's changed bid from the form ``path`` is written: beside the workbook."""
    source = Path(path)
    return source.with_name(f"{source.stem}.{vendor_id}.round{round_number}.yaml")


def _with_round(text: str, number: int) -> str:
    """The vendor file's text with ``round: number`` (replacing its round line, or after its ``id:`` line)."""
    line = f"round: {number}"
    if _ROUND_LINE.search(text):
        return _ROUND_LINE.sub(line, text, count=1)
    found = _ID_LINE.search(text)
    if found is None:  # pragma: no cover - a vendor file the project loaded has a top-level id
        return f"{line}\n{text}"
    return text[:found.end()] + "\n" + line + text[found.end():]


def _refuse_when_locked(path: str | Path, project: Project, vendor_id: str, new_text: str) -> None:
    """After the lock a changed bid is a new offer round: write it beside the workbook for ``crmselect bafo``
    and refuse, so the selection changes only by a logged re-lock, never silently."""
    sealed_at = seal_state(project).sealed_at
    if sealed_at is None:
        return
    number = project.vendor(vendor_id).round + 1
    target = round_file(path, vendor_id, number)
    mark = ROUND_MARK.format(vendor=vendor_id, file=Path(path).name, round=number)
    proposed = mark + _with_round(new_text, number)
    ours = not target.exists() or target.read_text(encoding="utf-8-sig").startswith(mark)
    if ours:
        write_text_atomic(target, proposed, overwrite=True)
    saved = (Message("the bid this form states is saved as {file}", file=str(target)) if ours else
             Message("{file} exists and is not one crmselect wrote: move it aside and import again",
                     file=str(target)))
    raise InputError([Issue(Path(path).name, vendor_id, Message(
        "would change the bid of {vendor}, but the technical scoring is locked (decision log entry {entry}): a "
        "changed bid is a new offer round. {saved}; record it as round {round} with: crmselect --member ID bafo "
        "{folder} {vendor} --from {file} --why TEXT", vendor=vendor_id, entry=sealed_at, saved=saved, round=number,
        folder=str(project.root), file=str(target)), code="bid_locked",
        allowed=Message("a new round recorded with `crmselect bafo`"), received=Message("a changed bid"))])


__all__ = [
    "EXTRA_COLUMNS",
    "NO_OFFERS_YET",
    "AnswersImport",
    "QuestionnaireAnswers",
    "import_answers",
    "import_offer_answers",
    "read_answers",
    "round_file",
    "vendor_file",
]
