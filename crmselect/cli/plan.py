"""``crmselect plan``: a roll-out in phases for one bid, with each phase's go-live risk and what phasing buys.

- ``crmselect plan DIR --bid B``: the plan of ``phases.yaml`` (or, without one, the big bang: every goal in one
  phase, and the command says so) with the phases, their goals, effort, planned and P10/P50/P90 go-live, and
  the phased plan against the big bang (first value, everything live; ROI, NPV and payback once prices are
  revealed, as ``crmselect tco``);
- ``--propose --cap DAYS [--overhead DAYS]``: the plan with the most expected discounted benefit under the cap
  instead; ``--write [--force]`` writes it to ``phases.yaml`` (atomically, under the selection's lock, recorded
  in the decision log with ``--member``);
- ``--excel FILE``: the Plan sheet as a workbook of its own.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.cli.common import (
    acting_member,
    acting_signer,
    add_dir,
    add_parents,
    add_unseal,
    checked_out,
    price_access_of,
    project_of,
    selection_dir,
)
from crmselect.cli.labels import marker_text
from crmselect.cli.terminal import MAX_DRAWS, MAX_SEED, bounded_int, text_table
from crmselect.errors import InputError, Issue, Message
from crmselect.files.phases import PHASES_FILE, PLAN_LOG_KIND, load_phase_plan, write_phase_plan
from crmselect.files.safe_write import FileExistsErrorNoForce
from crmselect.model.phases import PhasePlan
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from crmselect.model.project import Project
    from crmselect.money.phase_risk import PlanResult

LOG_KIND = PLAN_LOG_KIND  # the dashboard logs a saved plan under the same kind


def args_plan(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)
    cmd.add_argument("--bid", default=None, metavar="BID",
                     help=_("the bid (offer id) to plan for (default: the bid phases.yaml names)"))
    cmd.add_argument("--propose", action="store_true",
                     help=_("propose the plan with the most expected discounted benefit (needs --cap)"))
    cmd.add_argument("--cap", type=float, default=None, metavar="DAYS",
                     help=_("with --propose: the most effort days in one phase"))
    cmd.add_argument("--overhead", type=float, default=0.0, metavar="DAYS",
                     help=_("with --propose: calendar days each phase adds for its own test, cut-over and training "
                            "(default 0)"))
    cmd.add_argument("--write", action="store_true",
                     help=_("with --propose: write the plan to phases.yaml (recorded in the decision log)"))
    cmd.add_argument("--force", action="store_true",
                     help=_("replace an existing phases.yaml (with --write) or workbook (with --excel)"))
    cmd.add_argument("--why", default=None, metavar="TEXT",
                     help=_("with --write: the reason kept in the decision log"))
    cmd.add_argument("--excel", default=None, metavar="FILE", help=_("also write the Plan sheet to this workbook "
                                                                     "(.xlsx)"))
    cmd.add_argument("--reference-class", default=None, metavar="FILE",
                     help=_("past roll-outs recorded with `crmselect track --reference-class FILE`: plan this bid's "
                            "go-live on their median actual/promised ratio instead of the selection's reference"))
    add_parents(cmd)
    cmd.add_argument("--draws", type=bounded_int(100, MAX_DRAWS, "--draws"), default=20_000,
                     help=_("Monte Carlo draws (default 20000, at most {most})").format(most=f"{MAX_DRAWS:,}"))
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0,
                     help=_("random seed of the Monte Carlo (default 0)"))


def _problem(field: str, message: str, allowed: str, received: str, code: str) -> InputError:
    return InputError([Issue(_("command line"), field, message, code=code, allowed=allowed, received=received)])


def _check_options(args: argparse.Namespace) -> None:
    issues = []
    if args.propose and args.cap is None:
        issues.append(Issue(_("command line"), "--cap", Message("is needed with --propose: the most effort days in "
                                                                "one phase"), code="no_cap",
                            allowed=Message("a number of days above 0"), received=Message("nothing")))
    if args.cap is not None and not (math.isfinite(args.cap) and args.cap > 0):
        issues.append(Issue(_("command line"), "--cap", Message("is out of range"), code="bad_days",
                            allowed=Message("a number of days above 0"), received=f"{args.cap:g}"))
    if not (math.isfinite(args.overhead) and args.overhead >= 0):
        issues.append(Issue(_("command line"), "--overhead", Message("is out of range"), code="bad_days",
                            allowed=Message("0 or more days"), received=f"{args.overhead:g}"))
    for name, given in (("--write", args.write), ("--cap", args.cap is not None),
                        ("--overhead", args.overhead != 0.0)):
        if given and not args.propose:
            issues.append(Issue(_("command line"), name, Message("only works with --propose"), code="needs_propose",
                                allowed=Message("--propose {option}", option=name), received=name))
    if args.force and not (args.write or args.excel):
        issues.append(Issue(_("command line"), "--force", Message("only works with --write or --excel"),
                            code="needs_write", allowed="--write --force, --excel FILE --force", received="--force"))
    if issues:
        raise InputError(issues)


def _bid_of(args: argparse.Namespace, project: Project, plan: PhasePlan | None) -> str:
    bids = [b.id for b in project.bids]
    bid = args.bid or (plan.bid if plan is not None else None)
    if bid is None:
        raise _problem("--bid", Message("is needed: the bid to plan for"), ", ".join(bids) or Message("no bids yet"),
                       Message("nothing"), "no_bid")
    if bid not in bids:
        raise _problem("--bid", Message("names no bid of this selection"), ", ".join(bids) or Message("no bids yet"),
                       bid, "unknown_bid")
    return bid


def planned_on_reference_class(project: Project, bid_id: str, path: Path) -> Project:
    """``project`` with ``assumptions.reference_go_live_days`` from the past roll-outs in ``path``: the bid's promise
    x their median actual/promised ratio.  Says what it assumed; a missing or empty file is an error."""
    import dataclasses

    from crmselect.files.actuals import load_reference_class

    if not path.is_file():
        raise _problem("--reference-class", _("names no file"),
                       _("a reference-class file written by `crmselect track --reference-class FILE`"), str(path),
                       "missing_reference_class")
    past = load_reference_class(path)
    ratio = past.median_ratio
    if ratio is None:
        raise _problem("--reference-class", _("holds no past roll-outs yet"), _("a file with at least one roll-out"),
                       str(path), "empty_reference_class")
    promised = float(project.bid(bid_id).offer.implementation.claimed_go_live_days)
    days = past.suggested_go_live_days(promised)
    assert days is not None
    assumptions = project.selection.assumptions
    own = assumptions.reference_go_live_days
    print(_("Planned on the past roll-outs in {file}: {count} roll-out(s) took a median {ratio} times their promised "
            "go-live, so this bid's promise of {promised} days is planned as {days} days (the selection's own "
            "reference: {own}).").format(file=path, count=len(past.projects), ratio=f"{ratio:.2f}",
                                         promised=f"{promised:g}", days=days,
                                         own=_("{days} days").format(days=own) if own is not None else _("none")))
    selection = project.selection.replace(assumptions=assumptions.replace(reference_go_live_days=int(days)))
    return dataclasses.replace(project, selection=selection)


def cmd_plan(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate
    from crmselect.money.phase_risk import plan_risk
    from crmselect.money.phasing import propose_plan

    _check_options(args)
    project = project_of(args)
    root = selection_dir(args)
    stored = load_phase_plan(root, project.selection, [b.id for b in project.bids])
    bid = _bid_of(args, project, stored)
    if args.reference_class is not None:
        project = planned_on_reference_class(project, bid, Path(args.reference_class))
    who = acting_member(args, project, "plan --write") if args.write else None
    if args.write and (root / PHASES_FILE).exists() and not args.force:
        raise _exists()
    access = price_access_of(args, project, "plan")
    out = checked_out(args.excel, suffix=".xlsx", parents=args.parents) if args.excel else None
    evaluation = evaluate(project, reveal_prices=access.visible)
    scores = evaluation.technical_goal_scores[bid]
    name = project.selection.name
    if args.propose:
        plan: PhasePlan | None = propose_plan(project, bid, effort_cap_days=args.cap, overhead_days=args.overhead,
                                              goal_scores=scores)
        print(_("{name}: proposed roll-out plan for {bid}: the most expected discounted benefit over {years} years "
                "with at most {cap} effort days a phase and {overhead} days of overhead each").format(
            name=name, bid=project.bid(bid).label, years=project.selection.assumptions.horizon_years,
            cap=f"{args.cap:g}", overhead=f"{args.overhead:g}"))
    elif stored is not None:
        plan = stored
        print(_("{name}: the roll-out plan of {file} for {bid}").format(name=name, file=PHASES_FILE,
                                                                       bid=project.bid(bid).label))
    else:
        plan = PhasePlan.big_bang(project.selection, name=_("All goals (big bang)"))
        print(_("{name}: no {file} in this selection, so this is the big bang for {bid}: every goal goes live at "
                "once. Propose a phased plan with `crmselect plan DIR --bid {id} --propose --cap DAYS`, or write "
                "{file} by hand (docs/PHASES.md).").format(name=name, file=PHASES_FILE, bid=project.bid(bid).label,
                                                          id=bid))
    if access.marker:
        print(marker_text(access))
    print()
    result = plan_risk(project, bid, plan, n=args.draws, random_state=args.seed, goal_scores=scores,
                       prices_visible=access.visible)
    print_plan(result)
    if who is not None:
        assert plan is not None
        _write(args, project, root, plan, bid, who)
    if out is not None:
        from crmselect.excel.plan_sheet import export_plan

        written = export_plan(result, out, force=args.force, prices=access)
        print("\n" + _("wrote {path}").format(path=written))
    return 0


def print_plan(result: PlanResult) -> None:
    """The plan's phases, their goals and its comparison with the big bang, in the current language."""
    import pandas as pd

    days = "{:,.0f}".format
    frame = result.frame()
    rows = {}
    for _phase_id, row in frame.iterrows():  # phases by the names the committee gave them (ids stay in the file)
        rows[str(row["name"])] = {
            _("effort (days)"): days(row["effort_days"]),
            _("planned go-live (days)"): days(row["planned_go_live_days"]),
            **{f"P{q}": days(row[f"P{q}"]) for q in (10, 50, 90)}, _("benefit a year"): days(row["annual_benefit"])}
    shown = pd.DataFrame.from_dict(rows, orient="index")
    shown.index.name = _("phase")
    print(_("Phases: go-live in days after signature (planned, and P10/P50/P90 of {draws} draws, seed {seed}); "
            "benefit a year by the bid's fit").format(draws=f"{result.n:,}", seed=result.seed))
    print(text_table(shown))
    print()
    print(_("Goals by phase:"))
    for phase in result.plan.phases:
        print("  " + _("{phase}: {goals}").format(
            phase=phase.name, goals=_(", ").join(result.goal_names.get(g, g) for g in phase.goals)))
    print()
    print(_("Phased against big bang (the same draws):"))
    print(result.comparison_text())
    print()
    for sentence in result.sentences():
        print(sentence)


def _exists() -> InputError:
    return _problem("--write", Message("{file} exists already; nothing was written (add --force to replace it)",
                                       file=PHASES_FILE), Message("--write --force"), PHASES_FILE, "exists")


def _write(args: argparse.Namespace, project: Project, root: Path, plan: PhasePlan, bid: str, who: str) -> None:
    from crmselect.record.log import DecisionLog

    header = _("Roll-out plan proposed by `crmselect plan --propose` for {bid}; edit it by hand if you like: each goal "
               "in exactly one phase, phases in roll-out order (docs/PHASES.md).").format(bid=bid)
    try:
        written = write_phase_plan(root, plan, project.selection, overwrite=args.force, header=header)
    except FileExistsErrorNoForce:
        raise _exists() from None
    why = args.why or "roll-out plan proposed by crmselect plan --propose"
    entry = DecisionLog.for_project(project).append(
        LOG_KIND, who, {"file": PHASES_FILE, "bid": bid, "effort_cap_days": plan.effort_cap_days,
                        "overhead_days": plan.overhead_days,
                        "phases": [{"id": p.id, "goals": list(p.goals)} for p in plan.phases]},
        why, signer=acting_signer(args, project, who))
    print("\n" + _("wrote {path} (decision log entry {entry})").format(path=written, entry=entry.seq))


__all__ = ["LOG_KIND", "args_plan", "cmd_plan", "print_plan"]
