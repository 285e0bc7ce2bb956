"""``crmselect log``, ``lock`` and ``reveal-prices``: the decision log and the two envelopes from the shell.

The committee locks the technical scoring before anyone sees prices; the lock records the
technical totals and ranks it locked, so the hand-over shows what the price reveal changed.
"""

from __future__ import annotations

import argparse
import json
import sys

from crmselect.cli.common import acting_member, acting_signer, add_dir, project_of, refuse, selection_dir
from crmselect.cli.labels import entry_kind, word
from crmselect.errors import AnalysisError
from crmselect.files.loaders import load_project
from crmselect.files.workspace import selection_lock
from crmselect.model.project import Project
from crmselect.record.envelopes import record_now, seal_record, seal_state
from crmselect.record.integrity import uncommitted
from crmselect.record.log import DecisionLog
from crmselect.show.i18n import _, ngettext


def args_log(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--head", default=None, metavar="SEQ:HASH",
                     help=_("the head recorded at hand-over (printed by this command); entries cut off the end "
                            "or added afterwards are then detected too"))


def args_decision(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--who", default=None, help=argparse.SUPPRESS)  # the old spelling, refused with a message
    cmd.add_argument("--why", required=True, help=_("why, in a sentence: it is kept in the decision log"))


def _who(args: argparse.Namespace, project: Project, command: str) -> str:
    if args.who is not None:
        raise refuse(f"--who {args.who}", f"crmselect --member ID {command} DIR --why TEXT")
    return acting_member(args, project, command)


def _head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, _colon, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise AnalysisError(_("--head must be SEQ:HASH with a 64-character hash, as `crmselect log` prints it "
                              "(received {text!r})").format(text=text))
    return int(seq), digest


def cmd_log(args: argparse.Namespace) -> int:
    expected_head = _head(args.head)
    project = project_of(args)
    log = DecisionLog.for_project(project)
    if not log.expected:
        print(_("{path}: no decisions recorded yet").format(path=log.path))
        return 0
    count = log.verify(expected_head=expected_head)
    chain_only = set(log.chain_only)
    for entry in log.entries():
        what = json.dumps(entry.what, ensure_ascii=False, sort_keys=True)
        what = what if len(what) <= 100 else what[:97] + "..."
        mark = "  " + _("(verifiable by chain only: written before this selection adopted the log)") \
            if entry.seq in chain_only else ""
        print(f"{entry.seq:>4}  {entry.timestamp}  {entry_kind(entry.kind):<18} {entry.who}: {entry.why}{mark}")
        print(f"      {what}")
        offer_round = entry.what.get("round") if isinstance(entry.what, dict) else None
        if isinstance(offer_round, dict):  # a best-and-final-offer round (crmselect bafo): its deltas in full
            print("      " + _("round {round} of {vendor}:").format(round=offer_round.get("round"),
                                                                    vendor=offer_round.get("vendor")))
            for change in offer_round.get("changes", []):
                shown = _("changed (sealed until prices are revealed)") if change.get("sealed") else \
                    f"{json.dumps(change.get('old'), ensure_ascii=False)} -> " \
                    f"{json.dumps(change.get('new'), ensure_ascii=False)}"
                print(f"        - {change.get('field')}: {shown}")
    seq, digest = log.head()
    state = _("prices revealed") if log.prices_revealed else (
        _("technical scoring locked") if log.locked else _("open"))
    print("\n" + ngettext("{count} entry; the chain of hashes verifies and the log belongs to this selection; "
                          "state: {state}",
                          "{count} entries; the chain of hashes verifies and the log belongs to this selection; "
                          "state: {state}", count).format(count=count, state=state))
    if chain_only:
        print(_("entries {first}-{last} predate the adoption: their chain verifies, but nothing tied them to this "
                "selection when they were written").format(first=min(chain_only), last=max(chain_only)))
    print(_("head (record it at hand-over): {head}").format(head=f"{seq}:{digest}"))
    if not log.signed:
        print(_("note: entries are not signed (the committee has no keys): anyone who can write the folder could "
                "add one; give each member a key with `crmselect keys new DIR --member ID --key-dir KEYDIR`"))
    pending = uncommitted(log.path, log.entries())
    if pending:
        print(_("WARNING: entries {entries} are not committed to git yet: commit {file}, its head record and "
                "vendors/committee.yaml").format(entries=", ".join(map(str, pending)), file=log.path.name),
              file=sys.stderr)
    return 0


def _seal(args: argparse.Namespace, kind: str) -> int:
    """lock or relock: record the technical totals and the seal of every technical input, under the lock."""
    from crmselect.evaluation import evaluate

    root = selection_dir(args)
    with selection_lock(root):
        project = load_project(root)
        who = _who(args, project, kind)
        state = seal_state(project)
        sealed = evaluate(project, reveal_prices=False).scorecard
        what: dict[str, object] = {
            "goal_weights": {g: round(float(w), 6) for g, w in zip(sealed.goal_ids, sealed.goal_weights, strict=True)},
            "technical_totals": {b: round(float(t), 6) for b, t in zip(sealed.bid_ids, sealed.totals, strict=True)},
            "ranks": dict(zip(sealed.bid_ids, sealed.rank_labels, strict=True)),
            "seal": seal_record(project),
        }
        if kind == "relock":
            what["accepted_changes"] = [str(change) for change in state.drift]
        entry = DecisionLog.for_project(project).append(kind, who, what, args.why,
                                                        signer=acting_signer(args, project, who))
    text = _("technical scoring locked (decision log entry {entry}; seal {seal}...); ranks as locked:") \
        if kind == "lock" else \
        _("technical scoring locked again (decision log entry {entry}; seal {seal}...); ranks as locked:")
    print(text.format(entry=entry.seq, seal=what["seal"]["digest"][:12]))  # type: ignore[index]
    for label, rank, total in zip(sealed.labels, sealed.rank_labels, sealed.totals, strict=True):
        print(f"  {word(rank):>4}  {label}  {total:.3f}")
    if kind == "relock" and state.drift:
        print("  " + _("the re-lock accepts {count} change(s) made since the last seal").format(
            count=len(state.drift)))
    if not state.revealed:
        print(_("prices stay sealed until `crmselect reveal-prices`"))
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    root = selection_dir(args)
    with selection_lock(root):
        project = load_project(root)
        who = _who(args, project, "record")
        entry = record_now(project, who, args.why, acting_signer(args, project, who))
    if entry is None:
        print(_("nothing to record: the weights, knock-out minimums and overrides are as the log last recorded "
                "them"))
        return 0
    count = len(entry.what["changes"])
    print(_("recorded {count} change(s) (decision log entry {entry}):").format(count=count, entry=entry.seq))
    for change in entry.what["changes"]:
        print(f"  - {change['file']}: {change['field']}: {change['old']} -> {change['new']}")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    return _seal(args, "lock")


def cmd_relock(args: argparse.Namespace) -> int:
    return _seal(args, "relock")


def cmd_reveal(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate

    root = selection_dir(args)
    with selection_lock(root):
        project = load_project(root)
        who = _who(args, project, "reveal-prices")
        seal_state(project).refuse_drift("reveal-prices")
        entry = DecisionLog.for_project(project).append("reveal_prices", who, {}, args.why,
                                                        signer=acting_signer(args, project, who))
    card = evaluate(project).scorecard
    print(_("prices revealed (decision log entry {entry}); ranks with price:").format(entry=entry.seq))
    for label, rank, total in zip(card.labels, card.rank_labels, card.totals, strict=True):
        print(f"  {word(rank):>4}  {label}  {total:.3f}")
    return 0
