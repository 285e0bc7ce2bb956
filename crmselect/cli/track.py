"""``crmselect track``: record what happened after the decision, and compare it with the business case.

- ``crmselect --member M track DIR --bid B --go-live DATE [--phase P]``: the actual go-live (of a phase of
  ``phases.yaml``, or of the whole roll-out);
- ``crmselect --member M track DIR --checkpoint MONTHS --date DATE --kpi GOAL:KPI=VALUE ... [--cost-to-date X]``;
- ``crmselect --member M track DIR --from FILE.xlsx``: the checkpoints typed into the tracking workbook;
- ``crmselect track DIR --template FILE.xlsx``: write that workbook;
- ``crmselect track DIR``: earned against expected per goal and phase, realised ROI against the forecast band
  (sealed until prices are revealed, as ``crmselect tco``), promised against actual go-live.

Every recording is checked whole, written atomically to ``actuals.yaml`` under the selection's lock and appended
to the decision log (kind ``actual_recorded``); a value already recorded is replaced only with ``--force``.
``--reference-class FILE`` adds this selection's promised and actual go-live, with its source, to a file the
user names (docs/TRACKING.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from crmselect.cli.common import (
    acting_member,
    acting_signer,
    add_dir,
    add_unseal,
    price_access_of,
    project_of,
    selection_dir,
)
from crmselect.cli.terminal import MAX_DRAWS, MAX_SEED, bounded_int, text_table
from crmselect.errors import InputError, Issue, Message
from crmselect.files.actuals import (
    ACTUALS_FILE,
    actuals_text,
    append_reference,
    check_actuals,
    document_of,
    load_actuals,
    signature_date,
    write_actuals,
)
from crmselect.files.loaders import load_project
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.workspace import selection_lock
from crmselect.model.actuals import Actuals, Checkpoint, GoLive, KpiActual, ReferenceProject
from crmselect.model.project import Project
from crmselect.record.log import DecisionLog
from crmselect.show.i18n import _

#: today's date; tests replace it
today: Callable[[], dt.date] = dt.date.today
LOG_KIND = "actual_recorded"


def args_track(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--bid", default=None, metavar="BID", help=_("the bid that was bought (with --go-live)"))
    cmd.add_argument("--go-live", dest="go_live", default=None, metavar="DATE",
                     help=_("record the actual go-live date (YYYY-MM-DD)"))
    cmd.add_argument("--phase", default=None, metavar="PHASE",
                     help=_("the phase of phases.yaml that went live (with --go-live)"))
    cmd.add_argument("--checkpoint", type=bounded_int(0, 600, "--checkpoint"), default=None, metavar="MONTHS",
                     help=_("record a checkpoint: months after go-live (6, 12, 24 ...)"))
    cmd.add_argument("--date", default=None, metavar="DATE", help=_("the day the KPIs were measured (with "
                                                                    "--checkpoint)"))
    cmd.add_argument("--kpi", action="append", default=[], metavar="GOAL:KPI=VALUE",
                     help=_("a KPI's actual value, named by goal id and KPI name (repeat for each KPI)"))
    cmd.add_argument("--cost-to-date", dest="cost_to_date", type=float, default=None, metavar="AMOUNT",
                     help=_("what the roll-out has cost so far (with --checkpoint; default: the planned TCO cash)"))
    cmd.add_argument("--from", dest="from_file", default=None, metavar="FILE.xlsx",
                     help=_("record the checkpoints typed into a tracking workbook"))
    cmd.add_argument("--template", default=None, metavar="FILE.xlsx", help=_("write the tracking workbook"))
    cmd.add_argument("--reference-class", dest="reference_class", default=None, metavar="FILE",
                     help=_("add the promised and actual go-live of this selection to this reference-class file "
                            "(created when missing)"))
    cmd.add_argument("--why", default=None, help=_("a sentence kept in the decision log with the actuals"))
    cmd.add_argument("--force", action="store_true", help=_("replace a value recorded before, or an existing file"))
    add_unseal(cmd)
    cmd.add_argument("--draws", type=bounded_int(100, MAX_DRAWS, "--draws"), default=20_000,
                     help=_("Monte Carlo draws of the forecast band (default 20000)"))
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0,
                     help=_("random seed of the forecast band (default 0)"))


def _refused(field: str, message: Message, code: str, allowed: object, received: object) -> InputError:
    return InputError([Issue(_("command line"), field, message, code=code, allowed=str(allowed),
                             received=str(received))])


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _refused(option, Message("is not a date"), "not_a_date", Message("a date such as 2027-06-30"),
                       text) from None


def _kpis(texts: list[str]) -> tuple[KpiActual, ...]:
    out, issues = [], []
    for text in texts:
        name, equals, value = unicodedata.normalize("NFC", text).rpartition("=")
        goal, colon, kpi = name.partition(":")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (equals and colon and goal.strip() and kpi.strip()) or not math.isfinite(number):
            issues.append(Issue(_("command line"), "--kpi", Message("is not GOAL:KPI=VALUE"), code="bad_kpi",
                                allowed=Message("a goal id, a colon, the KPI's name, = and a number, such as "
                                                "forecast:Forecast error=24"), received=text))
            continue
        out.append(KpiActual(goal=goal.strip(), kpi=kpi.strip(), value=number))
    if issues:
        raise InputError(issues)
    return tuple(out)


def goal_phases_of(project: Project) -> dict[str, str] | None:
    """Each goal's phase in ``phases.yaml`` (None: no phases, the whole roll-out at once)."""
    from crmselect.files.phases import load_phase_plan

    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    if plan is None:
        return None
    return {goal: phase.id for phase in plan.phases for goal in phase.goals}  # in roll-out order


def _phase_names(project: Project) -> dict[str, str]:
    """Phase id -> the name the committee gave it in ``phases.yaml`` ({} without phases)."""
    from crmselect.files.phases import load_phase_plan

    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    return {} if plan is None else {phase.id: phase.name for phase in plan.phases}


def _planned_days(project: Project, bid_id: str) -> Mapping[str, float] | None:
    from crmselect.files.phases import load_phase_plan
    from crmselect.money.phasing import phase_schedule

    plan = load_phase_plan(project.root, project.selection, [b.id for b in project.bids])
    return None if plan is None else dict(phase_schedule(project, bid_id, plan).goal_go_live_days)


def cmd_track(args: argparse.Namespace) -> int:
    if args.template is not None:
        return _template(args)
    recording = args.go_live is not None or args.checkpoint is not None or args.from_file is not None
    if not recording and args.reference_class is None:
        return _show(args)
    return _record(args)


def _template(args: argparse.Namespace) -> int:
    from crmselect.cli.common import checked_out
    from crmselect.excel.tracking_book import export_tracking_template

    project = project_of(args)
    phases = goal_phases_of(project)
    actuals = load_actuals(project.root, project, goal_phases=phases, today=today)
    bid = args.bid or (actuals.bid if actuals is not None else None)
    if bid is None or bid not in {b.id for b in project.bids}:
        raise _refused("--bid", Message("names no bid of this selection (the bid that was bought)"), "unknown_bid",
                       ", ".join(b.id for b in project.bids), bid or Message("nothing"))
    out = checked_out(args.template, suffix=".xlsx", parents=False)
    export_tracking_template(project, out, bid, actuals=actuals, overwrite=args.force)
    print(_("wrote {file}: type each checkpoint's date and KPI values in the yellow cells, then "
            "`crmselect --member ID track DIR --from {file}`").format(file=out))
    return 0


def _changes(old: Actuals | None, args: argparse.Namespace, project: Project) -> tuple[Actuals, dict[str, Any]]:
    """The actuals with this command's recording applied, and what the decision log keeps of it."""
    bid = args.bid or (old.bid if old is not None else None)
    if bid is None:
        raise _refused("--bid", Message("is needed the first time: the bid that was bought"), "no_bid",
                       ", ".join(b.id for b in project.bids), Message("nothing"))
    if old is not None and bid != old.bid and not args.force:
        raise _refused("--bid", Message("differs from the bid recorded in {file}; use --force to change it",
                                        file=ACTUALS_FILE), "recorded", old.bid, bid)
    actuals = old.model_copy(update={"bid": bid}) if old is not None else Actuals(bid=bid)
    what: dict[str, Any] = {"file": ACTUALS_FILE, "bid": bid}
    if args.go_live is not None:
        go_live = GoLive(date=_date(args.go_live, "--go-live"), phase=args.phase)
        before = actuals.go_live(args.phase)
        if before is not None and before.date != go_live.date and not args.force:
            raise _refused("--go-live", Message("was recorded as {date} before; use --force to replace it",
                                                date=before.date.isoformat()), "recorded", before.date.isoformat(),
                           go_live.date.isoformat())
        actuals = actuals.with_go_live(go_live)
        what["go_live"] = {"date": go_live.date.isoformat(), "phase": args.phase}
    checkpoints: list[Checkpoint] = []
    if args.checkpoint is not None:
        if args.date is None:
            raise _refused("--date", Message("is needed with --checkpoint: the day the KPIs were measured"),
                           "no_date", Message("a date such as 2027-06-30"), Message("nothing"))
        if args.cost_to_date is not None and not (math.isfinite(args.cost_to_date) and args.cost_to_date >= 0):
            raise _refused("--cost-to-date", Message("is not an amount"), "not_a_number", Message("a number >= 0"),
                           args.cost_to_date)
        checkpoints.append(Checkpoint(months=args.checkpoint, date=_date(args.date, "--date"),
                                      cost_to_date=args.cost_to_date, kpis=_kpis(args.kpi)))
    if args.from_file is not None:
        from crmselect.excel.tracking_book import read_tracking_workbook

        book = read_tracking_workbook(args.from_file, project, today=today, first_go_live=actuals.first_go_live)
        if book.bid and book.bid != bid:
            raise _refused("--from", Message("is the workbook of another bid"), "other_bid", bid, book.bid)
        checkpoints.extend(book.checkpoints)
    for checkpoint in checkpoints:
        _refuse_overwrite(actuals.checkpoint(checkpoint.months), checkpoint, args.force)
        actuals = actuals.with_checkpoint(checkpoint)
    if checkpoints:
        what["checkpoints"] = [c.model_dump(mode="json", exclude_defaults=True) for c in checkpoints]
    return actuals, what


def _refuse_overwrite(old: Checkpoint | None, new: Checkpoint, force: bool) -> None:
    if old is None or force:
        return
    issues = []
    if old.date != new.date:
        issues.append(Issue(_("command line"), "--date", Message(
            "checkpoint {months} was measured on {date} before; use --force to replace it", months=new.months,
            date=old.date.isoformat()), code="recorded", allowed=old.date.isoformat(), received=new.date.isoformat()))
    if new.cost_to_date is not None and old.cost_to_date is not None and new.cost_to_date != old.cost_to_date:
        issues.append(Issue(_("command line"), "--cost-to-date", Message(
            "checkpoint {months} has a cost to date already; use --force to replace it", months=new.months),
            code="recorded", allowed=f"{old.cost_to_date:g}", received=f"{new.cost_to_date:g}"))
    for kpi in new.kpis:
        before = old.value(kpi.goal, kpi.kpi)
        if before is not None and before != kpi.value:
            issues.append(Issue(_("command line"), f"{kpi.goal}:{kpi.kpi}", Message(
                "was recorded as {value} at checkpoint {months}; use --force to replace it", value=f"{before:g}",
                months=new.months), code="recorded", allowed=f"{before:g}", received=f"{kpi.value:g}"))
    if issues:
        raise InputError(issues)


def _reference(project: Project, actuals: Actuals, signed: dt.date) -> ReferenceProject:
    from crmselect.money.tracking import WHOLE, track

    phases = goal_phases_of(project)
    result = track(project, actuals, signed, goal_scores=None, goal_phases=phases)
    whole = next(g for g in result.go_lives if g.phase == WHOLE)
    if whole.actual is None or whole.actual_days is None or whole.promised_days is None:
        raise _refused("--reference-class", Message("needs the actual go-live of the whole roll-out (of every phase)"),
                       "no_go_live", Message("a recorded go-live of every phase"), Message("none yet"))
    bid = project.bid(actuals.bid)
    return ReferenceProject(selection=project.selection.name,
                            selection_id=project.settings.id if project.settings is not None else "",
                            vendor=bid.vendor.name, bid=bid.id, signed=signed, go_live=whole.actual,
                            promised_days=whole.promised_days, actual_days=whole.actual_days)


def _record(args: argparse.Namespace) -> int:
    root = selection_dir(args)
    with selection_lock(root):
        project = load_project(root)
        who = acting_member(args, project, "track")
        phases = goal_phases_of(project)
        old = load_actuals(root, project, goal_phases=phases, today=today)
        path = root / ACTUALS_FILE
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        what: dict[str, Any]
        if args.go_live is None and args.checkpoint is None and args.from_file is None:
            if old is None:
                raise _refused("--reference-class", Message("needs recorded actuals: record the go-live first"),
                               "no_actuals", Message("a recorded go-live"), Message("nothing"))
            actuals, what = old, {"file": ACTUALS_FILE, "bid": old.bid}
        else:
            actuals, what = _changes(old, args, project)
            issues = check_actuals(actuals, document_of(actuals), project, phases, today())
            if issues:
                raise InputError(issues, Message("nothing was written: {count} problem(s) in what would be {file}",
                                                 count=len(issues), file=ACTUALS_FILE))
        signed = signature_date(actuals, project)
        assert signed is not None  # check_actuals refuses actuals without a signature date
        reference = _reference(project, actuals, signed) if args.reference_class is not None else None
        if reference is not None:
            what["reference_class"] = {"file": str(args.reference_class), "promised_days": reference.promised_days,
                                       "actual_days": reference.actual_days}
        changed = old is None or actuals_text(actuals) != actuals_text(old)
        if changed:
            write_actuals(root, actuals)
        try:
            why = (args.why or "").strip() or "actual values recorded after the decision"
            entry = DecisionLog.for_project(project).append(LOG_KIND, who, what, why,
                                                            signer=acting_signer(args, project, who))
        except BaseException:  # not in the log: the file goes back as it was
            if changed:
                if old_text is None:
                    path.unlink(missing_ok=True)
                else:
                    write_text_atomic(path, old_text, overwrite=True)
            raise
    print(_("recorded in {file} (decision log entry {entry})").format(file=ACTUALS_FILE, entry=entry.seq))
    if reference is not None:
        updated = append_reference(args.reference_class, reference.model_copy(
            update={"log_entry": f"{entry.seq}:{entry.hash}"}))
        print(_("added to the reference class {file}: promised {promised} days, actual {actual} days; {count} "
                "roll-out(s) there, median actual / promised {ratio}").format(
            file=args.reference_class, promised=f"{reference.promised_days:g}", actual=f"{reference.actual_days:g}",
            count=len(updated.projects), ratio=f"{updated.median_ratio or 0:.2f}"))
    return 0


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _show(args: argparse.Namespace) -> int:
    import pandas as pd

    from crmselect.evaluation import evaluate
    from crmselect.money.tracking import WHOLE, realised_roi, track

    project = project_of(args)
    phases = goal_phases_of(project)
    actuals = load_actuals(project.root, project, goal_phases=phases, today=today)
    if actuals is None:
        print(_("{name}: nothing tracked yet. Record the go-live with `crmselect --member ID track DIR --bid BID "
                "--go-live DATE`, then the KPIs at each checkpoint (`--checkpoint 6 --date DATE --kpi GOAL:KPI=VALUE`, "
                "or a workbook: `--template FILE.xlsx`).").format(name=project.selection.name))
        return 0
    signed = signature_date(actuals, project)
    assert signed is not None
    planned = _planned_days(project, actuals.bid)
    scores = evaluate(project).technical_goal_scores[actuals.bid]
    result = track(project, actuals, signed, goal_scores=scores, goal_go_live_days=planned, goal_phases=phases)
    print(_("{name}: the business case of {bid} tracked (signed {date})").format(
        name=project.selection.name, bid=result.label, date=signed.isoformat()) + "\n")
    phase_names = _phase_names(project)
    for row in result.go_lives:
        what = _("whole roll-out") if row.phase == WHOLE else _("phase {phase}").format(
            phase=phase_names.get(row.phase, row.phase))
        planned_text = _("planned {days} days").format(days=f"{row.planned_days:,.0f}")
        if row.promised_days is not None:
            planned_text = _("promised {promised} days, {planned}").format(promised=f"{row.promised_days:,.0f}",
                                                                         planned=planned_text)
        actual = _("not live yet") if row.actual is None else _("live on {date}, after {days} days ({late} days "
                                                                 "against the plan)").format(
            date=row.actual.isoformat(), days=f"{row.actual_days:,.0f}", late=f"{row.late_days:+,.0f}")
        print("  " + _("Go-live, {what}: {planned}; {actual}").format(what=what, planned=planned_text, actual=actual))
    if not result.rows:
        print("\n" + _("No checkpoint recorded yet."))
        return 0
    names = {g.id: g.name for g in project.selection.goals}
    goals = result.goals_frame().reset_index()
    table = pd.DataFrame({
        _("checkpoint"): goals["checkpoint"], _("goal"): [names[g] for g in goals["goal"]],
        _("earned a year"): goals["earned_rate"].map(_money), _("expected a year"): goals["expected_rate"].map(_money),
        _("earned to date"): goals["earned_to_date"].map(_money),
        _("expected to date"): goals["expected_to_date"].map(_money),
        _("earned / expected"): goals["earned_vs_expected"].map(lambda v: "-" if pd.isna(v) else f"{v:.0%}")})
    print("\n" + _("Earned against expected benefits per goal (to date: since signature, undiscounted; earned from the "
                   "actual go-live, expected from the planned one):"))
    print(text_table(table.set_index(_("checkpoint"))))
    if result.phased:
        by_phase = result.phases_frame().reset_index()
        print("\n" + _("Per phase:"))
        print(text_table(pd.DataFrame({
            _("checkpoint"): by_phase["checkpoint"], _("phase"): [phase_names.get(p, p) for p in by_phase["phase"]],
            _("earned to date"): by_phase["earned_to_date"].map(_money),
            _("expected to date"): by_phase["expected_to_date"].map(_money)}).set_index(_("checkpoint"))))
    access = price_access_of(args, project, "track")
    if not access.visible:
        print("\n" + _("Realised ROI and its forecast band are sealed until prices are revealed "
                       "(`crmselect --member ID reveal-prices DIR --why TEXT`)."))
        return 0
    tracked = realised_roi(project, result, actuals, goal_scores=scores, goal_go_live_days=planned, n=args.draws,
                           random_state=args.seed)
    print("\n" + _("Realised ROI to date against the forecast band ({draws} draws, seed {seed}; undiscounted):").format(
        draws=f"{args.draws:,}", seed=args.seed))
    rows: dict[int, dict[str, str]] = {}
    for band in tracked.roi:
        rows[band.checkpoint] = {
            _("earned to date"): _money(band.earned_to_date), _("cost to date"): _money(band.cost_to_date),
            _("cost from"): _("recorded") if band.cost_source == "recorded" else _("planned TCO"),
            _("realised ROI"): f"{band.realised_roi:.0%}", _("planned ROI"): f"{band.planned_roi:.0%}",
            "P10": f"{band.band[0]:.0%}", "P50": f"{band.band[1]:.0%}", "P90": f"{band.band[2]:.0%}"}
    shown = pd.DataFrame.from_dict(rows, orient="index")
    shown.index.name = _("checkpoint")
    print(text_table(shown))
    return 0


__all__ = ["args_track", "cmd_track", "goal_phases_of"]
