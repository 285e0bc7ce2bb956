"""``crmselect bafo``: a best-and-final-offer round as a new version of a vendor's bid, logged as a re-lock.

``crmselect --member M bafo DIR VENDOR --from NEW.yaml --why TEXT`` keeps the current bid as
``vendors/rounds/<id>.r<N>.yaml``, makes ``NEW.yaml`` the bid (``vendors/<id>.yaml``, its ``round:`` set),
and logs the round with every delta: a ``relock`` with a new seal once the technical scoring is locked
(so the change is a recorded decision, not drift), an ``offer_round`` before the lock.  Without
``--from`` it shows the rounds recorded so far and the deltas between them.  Price deltas stay sealed
until the prices are revealed.  See :mod:`crmselect.record.rounds`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from crmselect.cli.common import acting_member, acting_signer, add_dir, project_of, selection_dir
from crmselect.cli.labels import entry_kind
from crmselect.errors import InputError, Issue, Message
from crmselect.files.crosschecks import COMMITTEE_FILE, ROUNDS_DIR, VENDORS_DIR
from crmselect.files.loaders import load_project, load_rounds, load_vendor_file
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.workspace import selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.bids import Vendor
from crmselect.model.project import Project
from crmselect.record.envelopes import price_access, seal_record, seal_state
from crmselect.record.log import DecisionLog
from crmselect.record.rounds import history, round_deltas
from crmselect.show.i18n import _

_ROUND_LINE = re.compile(r"^round:.*$", re.MULTILINE)
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def args_bafo(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("vendor", metavar="VENDOR", help=_("the vendor id whose bid has a new round"))
    cmd.add_argument("--from", dest="from_file", default=None, metavar="FILE",
                     help=_("the vendor's new offer (a vendor file); without it, the rounds so far are shown"))
    cmd.add_argument("--why", default=None, help=_("why, in a sentence: it is kept in the decision log"))


def _vendor_file(project: Project, vendor_id: str) -> Path:
    """The file in ``vendors/`` that holds ``vendor_id``'s bid (the id is read from each file)."""
    for path in sorted((project.root / VENDORS_DIR).glob("*.y*ml")):
        if f"{VENDORS_DIR}/{path.name}" == COMMITTEE_FILE:
            continue
        try:
            data = load_plain(path.read_text(encoding="utf-8-sig"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get("id") == vendor_id:
            return path
    return project.root / VENDORS_DIR / f"{vendor_id}.yaml"


def _refused(field: str, message: Message, code: str, allowed: object, received: object) -> InputError:
    return InputError([Issue(_("command line"), field, message, code=code, allowed=str(allowed),
                             received=str(received))])


def _known(project: Project, vendor_id: str) -> Vendor:
    try:
        return project.vendor(vendor_id)
    except KeyError:
        raise _refused("VENDOR", Message("is not a vendor of this selection"), "unknown_vendor",
                       ", ".join(v.id for v in project.vendors), vendor_id) from None


def _with_round(text: str, number: int) -> str:
    """The vendor file's text with ``round: number`` (replacing a round line, or after the ``id:`` line)."""
    line = f"round: {number}"
    if _ROUND_LINE.search(text):
        return _ROUND_LINE.sub(line, text, count=1)
    found = _ID_LINE.search(text)
    if found is None:  # a valid vendor file has a top-level id; keep it safe anyway
        return f"{line}\n{text}"
    return text[:found.end()] + "\n" + line + text[found.end():]


def cmd_bafo(args: argparse.Namespace) -> int:
    if args.from_file is None:
        return _show(args)
    if not args.why or not args.why.strip():
        raise _refused("--why", Message("is required with --from: the decision log keeps why the round was taken"),
                       "missing_why", Message("a sentence"), Message("nothing"))
    from crmselect.evaluation import evaluate

    root = selection_dir(args)
    with selection_lock(root):
        project = load_project(root)
        who = acting_member(args, project, "bafo")
        vendor = _known(project, args.vendor)
        state = seal_state(project)
        state.refuse_drift("bafo")  # a round re-locks only its own change: put other edits back first
        rounds = load_rounds(root, vendor.id)
        current = _vendor_file(project, vendor.id)
        new_text = Path(args.from_file).read_text(encoding="utf-8-sig")
        offered = load_vendor_file(args.from_file)
        if offered.id != vendor.id:
            raise _refused("--from", Message("is the bid of another vendor"), "other_vendor", vendor.id, offered.id)
        number = len(rounds) + 1  # the round the current bid is (round 1: the first bid)
        if "round" in offered.model_fields_set and offered.round != number + 1:
            raise _refused("--from", Message("says it is round {given}, but the next round is {next}",
                                             given=offered.round, next=number + 1), "wrong_round", number + 1,
                           offered.round)
        access = price_access(project)
        changes = round_deltas(vendor, offered, number, number + 1, prices_visible=access.visible)
        if not changes.deltas:
            raise _refused("--from", Message("changes nothing in {vendor}'s bid", vendor=vendor.id), "no_change",
                           Message("a new version of the bid"), Message("the same bid"))
        old_text = current.read_text(encoding="utf-8-sig")
        archived = root / ROUNDS_DIR / f"{vendor.id}.r{number}.yaml"
        write_text_atomic(archived, old_text)
        write_text_atomic(current, _with_round(new_text, number + 1), overwrite=True)
        try:
            updated = load_project(root)
            log = DecisionLog.for_project(updated)
            what: dict[str, object] = {"round": {**changes.record(),
                                                 "archived": f"{ROUNDS_DIR}/{archived.name}"}}
            kind = "offer_round"
            if log.expected and log.locked:
                sealed = evaluate(updated, reveal_prices=False).scorecard
                kind = "relock"
                what.update({
                    "goal_weights": {g: round(float(w), 6) for g, w in zip(sealed.goal_ids, sealed.goal_weights,
                                                                            strict=True)},
                    "technical_totals": {b: round(float(t), 6) for b, t in zip(sealed.bid_ids, sealed.totals,
                                                                               strict=True)},
                    "ranks": dict(zip(sealed.bid_ids, sealed.rank_labels, strict=True)),
                    "seal": seal_record(updated),
                })
            entry = log.append(kind, who, what, args.why, signer=acting_signer(args, updated, who))
        except BaseException:  # the round is not recorded: the bid goes back as it was
            write_text_atomic(current, old_text, overwrite=True)
            archived.unlink(missing_ok=True)
            raise
    print(_("round {round} of {vendor} recorded (decision log entry {entry}, {kind}); round {old} kept as "
            "{file}").format(round=number + 1, vendor=vendor.id, entry=entry.seq, kind=entry_kind(kind), old=number,
                             file=f"{ROUNDS_DIR}/{archived.name}"))
    print(changes)
    if kind == "relock":
        print(_("the technical scoring is locked again with the new round: no drift"))
    return 0


def _show(args: argparse.Namespace) -> int:
    project = project_of(args)
    vendor = _known(project, args.vendor)
    versions = (*load_rounds(project.root, vendor.id), vendor)
    if len(versions) == 1:
        print(_("{vendor}: one round so far (the bid in {file}); record a new one with --from FILE --why TEXT").format(
            vendor=vendor.id, file=f"{VENDORS_DIR}/{vendor.id}.yaml"))
        return 0
    visible = price_access(project).visible
    print(_("{vendor}: {count} rounds; the bid is round {last}, earlier rounds are history").format(
        vendor=vendor.id, count=len(versions), last=len(versions)))
    for item in history(versions, prices_visible=visible):
        print(item)
    return 0


__all__ = ["args_bafo", "cmd_bafo"]
