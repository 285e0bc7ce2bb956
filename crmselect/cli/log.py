"""``crmselect log``, ``lock`` and ``reveal-prices``: the decision log and the two envelopes from the shell.

The committee locks the technical scoring before anyone sees prices; the lock records the
technical totals and ranks it locked, so the hand-over shows what the price reveal changed.
"""

from __future__ import annotations

import argparse
import json

from crmselect.errors import AnalysisError
from crmselect.files.loaders import load_project
from crmselect.record.log import DecisionLog


def args_log(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", nargs="?", default=None,
                     help="selection folder holding criteria/ and vendors/ (default: the shipped example)")
    cmd.add_argument("--head", default=None, metavar="SEQ:HASH",
                     help="the head recorded at hand-over (printed by this command); entries cut off the end "
                          "or added afterwards are then detected too")


def args_decision(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", nargs="?", default=None,
                     help="selection folder holding criteria/ and vendors/ (default: the shipped example)")
    cmd.add_argument("--who", required=True, help="who decides (a name or role)")
    cmd.add_argument("--why", required=True, help="why, in a sentence: it is kept in the decision log")


def _head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise AnalysisError(f"--head must be SEQ:HASH with a 64-character hash, as `crmselect log` prints it "
                            f"(received {text!r})")
    return int(seq), digest


def cmd_log(args: argparse.Namespace) -> int:
    project = load_project(args.dir)
    log = DecisionLog.for_project(project)
    if not log.path.exists():
        print(f"{log.path}: no decisions recorded yet")
        return 0
    count = log.verify(expected_head=_head(args.head))
    for entry in log.entries():
        what = json.dumps(entry.what, ensure_ascii=False, sort_keys=True)
        what = what if len(what) <= 100 else what[:97] + "..."
        print(f"{entry.seq:>4}  {entry.timestamp}  {entry.kind:<18} {entry.who}: {entry.why}")
        print(f"      {what}")
    seq, digest = log.head()
    state = "prices revealed" if log.prices_revealed else ("technical scoring locked" if log.locked else "open")
    print(f"\n{count} entries; the chain of hashes verifies; state: {state}")
    print(f"head (record it at hand-over): {seq}:{digest}")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate

    project = load_project(args.dir)
    sealed = evaluate(project, reveal_prices=False).scorecard
    what = {
        "goal_weights": {g: round(float(w), 6) for g, w in zip(sealed.goal_ids, sealed.goal_weights, strict=True)},
        "technical_totals": {b: round(float(t), 6) for b, t in zip(sealed.bid_ids, sealed.totals, strict=True)},
        "ranks": dict(zip(sealed.bid_ids, sealed.rank_labels, strict=True)),
    }
    entry = DecisionLog.for_project(project).append("lock", args.who, what, args.why)
    print(f"technical scoring locked (decision log entry {entry.seq}); ranks as locked:")
    for label, rank, total in zip(sealed.labels, sealed.rank_labels, sealed.totals, strict=True):
        print(f"  {rank:>4}  {label}  {total:.3f}")
    print("prices stay hidden until `crmselect reveal-prices`")
    return 0


def cmd_reveal(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate

    project = load_project(args.dir)
    entry = DecisionLog.for_project(project).append("reveal_prices", args.who, {}, args.why)
    card = evaluate(project).scorecard
    print(f"prices revealed (decision log entry {entry.seq}); ranks with price:")
    for label, rank, total in zip(card.labels, card.rank_labels, card.totals, strict=True):
        print(f"  {rank:>4}  {label}  {total:.3f}")
    return 0
