"""The Excel commands of ``crmselect``: scorecard, questionnaire, import-answers, scoresheet, import-scores.

Registered in :data:`crmselect.cli.app.COMMANDS`.  openpyxl is imported only when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.cli.common import (
    DIR_HELP,
    acting_member,
    acting_signer,
    add_dir,
    add_parents,
    add_unseal,
    checked_out,
    price_access_of,
    project_of,
    refuse,
    refuse_existing,
)
from crmselect.cli.labels import marker_text
from crmselect.errors import render
from crmselect.files.loaders import load_project
from crmselect.files.workspace import resolve_selection, selection_lock
from crmselect.model.ids import ID_MAX
from crmselect.show.i18n import _, ngettext

if TYPE_CHECKING:
    from crmselect.excel.questionnaire import VendorRef
    from crmselect.excel.questionnaire_import import AnswersImport

LIST_LIMIT = 30


def _dir_then_files(cmd: argparse.ArgumentParser, files_help: str) -> None:
    # "dir" takes any number of words only so that the old spelling (workbooks first) gets a message
    cmd.add_argument("dir", nargs="*", default=[], help=_(DIR_HELP))
    cmd.add_argument("--from", dest="sources", nargs="+", action="extend", default=[], metavar="FILE.xlsx",
                     help=_("{files} (required)").format(files=files_help))


def _one_dir(args: argparse.Namespace, command: str) -> str | None:
    words = list(args.dir)
    if len(words) > 1 or any(word.lower().endswith((".xlsx", ".xlsm")) for word in words):
        raise refuse(f"crmselect {command} {' '.join(words)}",
                     f"crmselect {command} DIR --from FILE.xlsx [FILE.xlsx ...]")
    if not args.sources:
        raise refuse(f"crmselect {command} {' '.join(words)}".rstrip(), f"crmselect {command} DIR --from FILE.xlsx")
    return words[0] if words else None


def _force(cmd: argparse.ArgumentParser, what: str) -> None:
    cmd.add_argument("--force", action="store_true", help=_("replace {what} if it exists").format(what=what))


def _listing(title: str, items: list[str]) -> None:
    if not items:
        return
    print("  " + _("{title} ({count}):").format(title=title, count=len(items)))
    for item in items[:LIST_LIMIT]:
        print(f"    {item}")
    if len(items) > LIST_LIMIT:
        print("    " + _("... and {count} more").format(count=len(items) - LIST_LIMIT))


# ---------------------------------------------------------------------------- scorecard
def args_scorecard(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)
    cmd.add_argument("--out", required=True, help=_("the workbook to write (.xlsx)"))
    _force(cmd, _("the workbook"))
    add_parents(cmd)


def cmd_scorecard(args: argparse.Namespace) -> int:
    from crmselect.excel.scorecard import export_scorecard

    project = project_of(args)
    out = checked_out(args.out, suffix=".xlsx", parents=args.parents)
    prices = price_access_of(args, project, f"scorecard {out.name}")
    written = export_scorecard(project, out, force=args.force, prices=prices)
    if args.member is not None:  # an export by a named member is a recording action: changes first, then the export
        from crmselect.record.log import DecisionLog

        who = acting_member(args, project, "scorecard")
        entry = DecisionLog.for_project(project).append(
            "exported", who, {"file": Path(written.path).name, "sheets": list(written.sheets)},
            "scorecard workbook written for the steering committee", signer=acting_signer(args, project, who))
        print("  " + _("recorded as decision log entry {entry}").format(entry=entry.seq))
    print(_("wrote {path}: sheets {sheets}").format(path=written.path, sheets=", ".join(written.sheets)))
    if prices.marker:
        print(f"  {marker_text(prices)}")
    elif not prices.visible:
        print("  " + _("TCO and NPV: sealed until prices are revealed"))
    if written.left_out:
        print("  " + _("left out: {what}").format(what="; ".join(written.left_out)))
    return 0


# ---------------------------------------------------------------------------- questionnaire
def args_questionnaire(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--vendor", required=True,
                     help=_("vendor id or name of the selection (its answers are filled in), or a new vendor's "
                            "name"))
    cmd.add_argument("--offer", default=None, metavar="OFFER_ID",
                     help=_("one offer of the vendor: ask for that offer's answers (the vendor's, with the offer's "
                            "own in their place); import-answers then writes those that differ into the offer"))
    cmd.add_argument("--out", required=True, help=_("the workbook to write (.xlsx)"))
    cmd.add_argument("--only-linked", action="store_true", help=_("ask only the criteria that serve a goal"))
    cmd.add_argument("--envelope", choices=("technical", "price"), default=None,
                     help=_("ask only the criteria of one envelope (default: both)"))
    cmd.add_argument("--blank", action="store_true",
                     help=_("do not fill in the vendor's current answers and offers"))
    cmd.add_argument("--offer-sheets", type=int, default=None, metavar="N",
                     help=_("how many offer sheets the bid form has (prices, plan, SLA and contract, one sheet per "
                            "offer; default: the vendor's offers and one more, at least 3; 0: no bid form)"))
    _force(cmd, _("the workbook"))
    add_parents(cmd)


def cmd_questionnaire(args: argparse.Namespace) -> int:
    from crmselect.excel.questionnaire import export_questionnaire, resolve_vendor
    from crmselect.model.goals import Envelope

    project = project_of(args)
    envelope = Envelope(args.envelope) if args.envelope else None
    out = checked_out(args.out, suffix=".xlsx", parents=args.parents)
    path = export_questionnaire(project, args.vendor, out, force=args.force, only_linked=args.only_linked,
                                envelope=envelope, prefill=not args.blank, offer=args.offer,
                                offer_sheets=args.offer_sheets)
    ref = resolve_vendor(project, args.vendor)
    _new_vendor_id(ref)
    state = _("answers filled in") if ref.known and not args.blank else _("blank")
    if args.offer is None:
        known = len(project.vendor(ref.id).offers) if ref.known and not args.blank else 0
        sheets = args.offer_sheets if args.offer_sheets is not None else max(3, known + 1)
        if ref.known and not args.blank:
            state = ngettext("answers and {count} offer filled in", "answers and {count} offers filled in",
                             known).format(count=known)
        state += ngettext("; bid form: {count} offer sheet", "; bid form: {count} offer sheets", sheets).format(
            count=sheets) if sheets else _("; no bid form")
    if args.offer is not None:
        print(_("wrote {path}: questionnaire for {vendor} [{id}], offer {offer} ({state})").format(
            path=path, vendor=ref.name, id=ref.id, offer=args.offer, state=state))
        return 0
    print(_("wrote {path}: questionnaire for {vendor} [{id}] ({state})").format(path=path, vendor=ref.name, id=ref.id,
                                                                                state=state))
    return 0


def _new_vendor_id(ref: VendorRef) -> None:
    """A new vendor's id is made from its name: say which, before the file is handed out (issue 15)."""
    if not ref.known:
        print(_("new vendor {vendor}: its id is {id}, made from the name").format(vendor=ref.name, id=ref.id))
        if ref.note:
            print("  " + _("the name is long: id shortened to {limit} characters, ending in a hash of the full "
                           "name").format(limit=ID_MAX))


def args_import_answers(cmd: argparse.ArgumentParser) -> None:
    _dir_then_files(cmd, _("the questionnaire the vendor returned (.xlsx)"))
    cmd.add_argument("--vendor", default=None, help=_("refuse the file unless it is this vendor's questionnaire"))
    cmd.add_argument("--offer", default=None, metavar="OFFER_ID",
                     help=_("refuse the file unless it is the questionnaire of this offer"))
    _force(cmd, _("the answers and offers in the vendor's YAML file (the rest of the file is kept)"))


def cmd_import_answers(args: argparse.Namespace) -> int:
    from crmselect.excel.questionnaire_import import NO_OFFERS_YET, import_answers

    root = resolve_selection(_one_dir(args, "import-answers"))
    if len(args.sources) != 1:
        raise refuse(f"--from {' '.join(args.sources)}", "crmselect import-answers DIR --from ONE_FILE.xlsx")
    source = args.sources[0]
    with selection_lock(root):  # read, merge and write as one step: a parallel import cannot be lost
        result = import_answers(source, load_project(root), force=args.force, vendor=args.vendor,
                                offer=args.offer)
    if result.offer_id is not None:
        return _offer_imported(result, Path(source).name)
    verb = _("created {path}") if result.created else _("updated {path}")
    if result.unchanged:
        verb = _("no change to {path}")
    offers = len(result.offers_created) + len(result.offers_updated) + len(result.offers_unchanged)
    what = ngettext("{answers} answers and {count} offer", "{answers} answers and {count} offers", offers) \
        if offers else _("{answers} answers")
    print(_("{done}: {what} from {file}").format(done=verb.format(path=result.path), file=Path(source).name,
                                                what=what.format(answers=result.answers, count=offers)))
    _listing(_("optional criteria left blank"), list(result.blank))
    _listing(_("answers kept from the file (not asked in this questionnaire)"), list(result.kept))
    _listing(_("answers removed (blanked in the questionnaire)"), list(result.removed))
    _listing(_("offers created"), list(result.offers_created))
    _listing(_("offers updated (prices, plan, SLA or contract changed)"), list(result.offers_updated))
    if not result.created:
        _listing(_("offers unchanged"), list(result.offers_unchanged))
    _listing(_("offers removed (their sheet came back empty)"), list(result.offers_removed))
    for note in result.notes:
        if note != NO_OFFERS_YET:
            print("  " + _("note: {note}").format(note=render(note, _)))
    if result.created and not result.offers_created:
        print("  " + _("next: add the vendor's offers (prices, implementation plan, SLA, contract), then run "
                       "`crmselect validate`"))
    elif result.created:
        print("  " + _("next: run `crmselect validate`"))
    return 0


def _offer_imported(result: AnswersImport, name: str) -> int:
    verb = _("no change to {path}") if result.unchanged else _("updated the answers of offer {offer} in {path}")
    print(_("{done}: {answers} answers from {file}; the offer's answers: block holds the {overrides} that differ "
            "from the vendor's own").format(done=verb.format(path=result.path, offer=result.offer_id),
                                            answers=result.answers, file=name, overrides=result.overrides))
    _listing(_("optional criteria left blank"), [c for c in result.blank if c not in result.inherited])
    _listing(_("left blank, so the vendor's own answer still applies to this offer"), list(result.inherited))
    _listing(_("offer answers kept from the file (not asked in this questionnaire)"), list(result.kept))
    _listing(_("offer answers removed (blanked in the questionnaire)"), list(result.removed))
    return 0


# ---------------------------------------------------------------------------- score sheets
def args_scoresheet(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--member", default=None, help=_("one member (id or name); default: every member"))
    cmd.add_argument("--out", required=True,
                     help=_("the workbook to write with --member; otherwise a folder for scores_<member>.xlsx files"))
    cmd.add_argument("--blank", action="store_true", help=_("do not fill in the member's current scores"))
    _force(cmd, _("existing workbooks"))
    add_parents(cmd)


def cmd_scoresheet(args: argparse.Namespace) -> int:
    from crmselect.excel.scoresheet import export_scoresheet, scoresheet_file

    project = project_of(args)
    members = [args.member] if args.member else list(project.committee.member_ids)
    if args.member:
        targets = [checked_out(args.out, suffix=".xlsx", parents=args.parents)]
    else:
        folder = checked_out(args.out, suffix=None, parents=args.parents)  # its parent must exist (or --parents)
        folder.mkdir(exist_ok=True)
        targets = [folder / scoresheet_file(member) for member in members]
    refuse_existing(targets, args.force)  # all sheets or none: never a half-done hand-out
    for member, target in zip(members, targets, strict=True):
        path = export_scoresheet(project, member, target, force=args.force, prefill=not args.blank)
        print(_("wrote {path}").format(path=path))
    return 0


def args_import_scores(cmd: argparse.ArgumentParser) -> None:
    _dir_then_files(cmd, _("the returned score sheets (.xlsx)"))
    cmd.add_argument("--dir", dest="old_dir", default=None, help=argparse.SUPPRESS)  # old spelling, refused
    _force(cmd, _("scores already in vendors/committee.yaml"))


def cmd_import_scores(args: argparse.Namespace) -> int:
    from crmselect.excel.scoresheet_import import import_scores

    if args.old_dir is not None:
        raise refuse(f"--dir {args.old_dir}", "crmselect import-scores DIR --from FILE.xlsx [FILE.xlsx ...]")
    root = resolve_selection(_one_dir(args, "import-scores"))
    files = list(args.sources)
    with selection_lock(root):  # read, merge and write as one step: a parallel import cannot be lost
        result = import_scores(files, load_project(root), force=args.force)
    verb = _("no change to {path}") if result.unchanged else _("updated {path}")
    print(_("{done}: {added} scores added, {changed} changed, from {count} sheet(s)").format(
        done=verb.format(path=result.path), added=len(result.added), changed=len(result.changed), count=len(files)))
    _listing(_("changed"), [f"{m} / {v} / {s}: {old:g} -> {new:g}" for (m, v, s), old, new in result.changed])
    _listing(_("kept from committee.yaml (empty in the sheet)"), [" / ".join(k) for k in result.kept])
    _listing(_("still missing (member / vendor / scenario)"), [" / ".join(k) for k in result.missing])
    _listing(_("members who sent no sheet"), list(result.no_sheet))
    return 0
