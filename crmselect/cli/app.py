"""The ``crmselect`` command.  Every subcommand works on one selection folder: the first positional
argument, or the current directory when it is a selection; never a guessed one.  Global options
(``--member``, the acting committee member) come before the subcommand.

Errors a user can fix are printed as a list of problems, never as a Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from crmselect.cli import excel as excel_cli
from crmselect.cli import goals as goals_cli
from crmselect.cli import init as init_cli
from crmselect.cli import keys as keys_cli
from crmselect.cli import log as log_cli
from crmselect.cli import schema as schema_cli
from crmselect.cli.common import (
    add_dir,
    add_unseal,
    price_access_of,
    project_of,
)
from crmselect.cli.terminal import (
    MAX_DRAWS,
    MAX_SAMPLES,
    MAX_SEED,
    bounded_int,
    progress_bar,
    safe_terminal,
)
from crmselect.errors import CrmSelectError
from crmselect.model.project import Project
from crmselect.record.envelopes import SEALED_TEXT

Handler = Callable[[argparse.Namespace], int]


def _cmd_validate(args: argparse.Namespace) -> int:
    project = project_of(args)
    print(f"{project.root}: no problems found")
    settings = project.settings
    if settings is not None:
        print(f"  {'selection':<20} {settings.name} ({settings.company}); {settings.currency}, locale "
              f"{settings.locale}, as of {settings.as_of}, {settings.horizon_years} years at "
              f"{settings.discount_rate_pct:g} %, price {settings.price_method}")
    for key, value in project.summary().items():
        print(f"  {key:<20} {value}")
    from crmselect.scoring.weighting import derive_weights

    for line in derive_weights(project.selection).lines():
        print(f"  {line}")
    for note in project.notes:
        print(f"  note: {note.file}: {note.message}")
    _print_unrecorded(project)
    return 0


def _print_unrecorded(project: Project) -> None:
    from crmselect.record.envelopes import unrecorded_changes

    found = unrecorded_changes(project)
    if found:
        print(f"\nNot yet recorded in the decision log ({len(found)} change(s) to weights, knock-out minimums or "
              "overrides; the next lock, reveal, saved scenario or export records them, or now: "
              "crmselect --member ID record DIR --why TEXT):")
        for change in found[:12]:
            print(f"  - {change}")


def _cmd_tco(args: argparse.Namespace) -> int:
    from crmselect.money.costs import compare_tco
    from crmselect.money.returns import compare_roi
    from crmselect.money.risk import simulate_risk

    project = project_of(args)
    access = price_access_of(args, project, "tco")
    if not access.visible:
        print(f"{project.selection.name}: TCO, NPV, cost crossings, ROI and go-live risk are {SEALED_TEXT} "
              "(`crmselect --member ID reveal-prices DIR --why TEXT`, after the lock).\n"
              "An analyst may open them before that with a logged reason: "
              "crmselect --member ID tco DIR --unseal --unseal-why TEXT")
        return 0
    if access.marker:
        print(access.marker + "\n")
    money = "{:,.0f}".format
    comparison = compare_tco(project)
    first = comparison.results[0]
    print(f"{project.selection.name}: TCO over {first.horizon_years} years plus the initial period, "
          f"NPV at {first.discount_rate_pct:g} % ({project.selection.currency})\n")
    table = comparison.frame().drop(columns=["label"])
    print(table.to_string(formatters={c: money for c in table.columns if c not in ("deployment", "npv_rank")}))
    for bid_id in comparison.bid_ids if args.lines else ():
        lines = comparison[bid_id].frame()
        print(f"\n{comparison[bid_id].label} [{bid_id}]: cost lines by year (0 = initial)")
        print(lines.loc[(lines != 0).any(axis=1)].to_string(float_format=money))
    crossings = comparison.crossovers()
    print("\nCrossovers of cumulative cost:" if len(crossings) else "\nCrossovers of cumulative cost: none")
    for row in crossings.itertuples():
        print(f"  {row.a} and {row.b} cross in year {row.year:.2f} at {row.cumulative_cost:,.0f}; "
              f"{row.cheaper_after} is cheaper after")
    returns = compare_roi(project)
    assumptions = project.selection.assumptions
    print(f"\nROI from the goals' KPIs ({returns.results[0].annual_benefit:,.0f} a year at full rate, ramping over "
          f"{assumptions.benefit_ramp_months} months after go-live); risk-adjusted: benefits "
          f"-{assumptions.risk_benefits_down_pct:g} %, costs +{assumptions.risk_costs_up_pct:g} %")
    roi_table = returns.frame()[["npv", "roi", "risk_roi", "roi_6m", "roi_12m", "roi_24m", "payback_months",
                                 "risk_payback_months"]]
    percent = "{:.0%}".format

    def months(value: float) -> str:
        return f"{value:.1f}"

    print(roi_table.to_string(formatters={"npv": money, **{c: percent for c in roi_table.columns[1:6]},
                                          "payback_months": months, "risk_payback_months": months},
                              na_rep="never"))
    print(f"\nImplementation risk: {args.draws:,} draws, seed {args.seed} (go-live in days; NPV net of benefits)")
    rows = {}
    for bid in project.bids:
        risk = simulate_risk(project, bid.id, n=args.draws, random_state=args.seed).summary()
        rows[bid.id] = {"claimed": bid.offer.implementation.claimed_go_live_days,
                        "P(on time)": f"{risk['probability_on_time']:.0%}",
                        **{f"go-live P{q}": f"{risk[f'go_live_days_p{q}']:,.0f}" for q in (10, 50, 90)},
                        **{f"NPV P{q}": money(risk[f"net_npv_p{q}"]) for q in (10, 50, 90)}}
    import pandas as pd

    print(pd.DataFrame.from_dict(rows, orient="index").to_string())
    return 0


def _args_tco(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)
    cmd.add_argument("--draws", type=bounded_int(100, MAX_DRAWS, "--draws"), default=20_000,
                     help=f"Monte Carlo draws per bid (default 20000, at most {MAX_DRAWS:,})")
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0,
                     help="random seed of the Monte Carlo (default 0)")
    cmd.add_argument("--lines", action="store_true", help="also print every bid's cost lines by year")


def _cmd_rank(args: argparse.Namespace) -> int:
    import math

    import pandas as pd

    from crmselect.evaluation import evaluate
    from crmselect.scoring.views import compare_views

    project = project_of(args)
    evaluation = evaluate(project)
    card = evaluation.scorecard  # computed criteria filled from the checks and price, as everywhere
    frame = card.frame()

    def cell(column: str, value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:.0%}" if column == "weight" else f"{value:.3f}"
        return str(value)

    text = pd.DataFrame({col: [cell(str(col), v) for v in frame[col].tolist()] for col in frame.columns},
                        index=frame.index)
    consistency = "" if evaluation.weighting.cr is None else f", consistency ratio {evaluation.weighting.cr:.3f}"
    print(f"{project.selection.name}: goals x bids (goal scores 0-1), totals and ranks; goal weights by "
          f"{evaluation.weighting.label}{consistency}\n")
    print(text.to_string())
    print()
    if card.knockouts:
        print("Knocked out (shown, not ranked):")
        for knockout in card.knockouts:
            print(f"  - {knockout}")
    else:
        print("Knocked out: none")
    for pending in card.unchecked:
        print(f"  not yet checked: {pending}")
    summary = card.committee
    w = "undefined" if math.isnan(summary.kendall_w) else f"{summary.kendall_w:.2f}"
    print(f"\nCommittee ({summary.aggregation}): Kendall's W = {w} over {len(summary.w_members)} members' rankings")
    if summary.disagreements:
        print(f"Disagreements to discuss (range >= {summary.threshold:g} points):")
        for item in summary.disagreements:
            print(f"  - {item}")
    if summary.settled:
        print("Settled by a consensus override (no longer to discuss):")
        for settled in summary.settled:
            print(f"  - {settled}")
    if summary.missing:
        print(f"Missing scores: {len(summary.missing)}")
        for missing in summary.missing[:10]:
            print(f"  - {missing}")
    if project.selection.stakeholder_views:
        views = compare_views(project, card)
        if views.agree:
            print(f"\nStakeholder views: {views.summary()}")
        else:
            print("\nStakeholder views disagree on the winner:")
            for sentence in views.disagreements() or [views.summary()]:
                print(f"  - {sentence}")
    if card.prices_hidden:
        print(f"\nPrices hidden: {len(card.hidden_criteria)} price criteria stay out until the technical scoring "
              "is locked and prices are revealed (decision log)")
    not_computed = sorted({card.criterion_ids[j] for row in card.notes for j, note in enumerate(row)
                           if note.startswith("not computed")})
    if not_computed:
        print(f"Not computed here (count 0): {', '.join(not_computed)}")
    _print_unrecorded(project)
    for note in project.notes:  # what validate warned about, repeated where the ranking is read
        print(f"Note: {note}")
    print(f"Features that serve no goal (weight 0): {len(card.unlinked)} of "
          f"{len(card.unlinked) + len(card.criterion_ids) + len(card.hidden_criteria)} criteria")
    return 0


def _cmd_checks(args: argparse.Namespace) -> int:
    from crmselect.checks.report import check_project

    project = project_of(args)
    report = check_project(project, ignore=args.ignore or ())
    counts = report.by_bid()
    if report.ignored:
        print(f"ignoring: {', '.join(report.ignored)}")
    for bid in report.bids:
        row = counts.loc[bid.bid]
        print(f"\n{bid.label} [{bid.bid}, {bid.deployment}]: {row['high']} high, {row['medium']} medium, "
              f"{row['low']} low; SLA score {row['sla_score']:.2f}, contract score {row['contract_score']:.2f}")
        for finding in bid.findings:
            print(f"  {finding.severity.value:<6} {finding.code} {finding.title}: {finding.explanation}")
        if bid.findings:
            print("  Negotiation list, the lever for each finding (most serious first):")
            for number, ask in enumerate(report.negotiation_list(bid.bid), start=1):
                print(f"  {number:>3}. {ask}")
    return 0


def _args_checks(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--ignore", action="append", metavar="CODE",
                     help="leave out one check code (e.g. SLA005); repeat for more")


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from crmselect.evaluation import evaluate
    from crmselect.whatif.acceptability import smaa
    from crmselect.whatif.sensitivity import min_flips, stability

    project = project_of(args)
    card = evaluate(project).scorecard

    def percent(frame: pd.DataFrame) -> str:
        return frame.to_string(float_format=lambda v: f"{v:.1%}")

    intervals = stability(card)
    print(f"{project.selection.name}: how far can the goal weights move before {intervals.winner} stops winning?\n")
    print("Stability intervals (one goal's weight moves, the others share the rest in proportion):")
    print(percent(intervals.frame()) + "\n")
    print("Smallest change of the weights (L1, on the simplex) that lets each bid catch the winner:")
    print(percent(min_flips(card).frame().drop(columns=["winner's lead"])) + "\n")
    if args.samples > 0:
        with progress_bar("SMAA", "samples") as progress:  # Ctrl-C stops here and exits 130, nothing half-written
            result = smaa(card, n=args.samples, random_state=args.seed, progress=progress)
        print(f"SMAA, {args.samples:,} weight vectors uniform on the simplex (seed {args.seed}): rank acceptability")
        print(percent(result.frame().drop(columns=["rank 1 ± (se)", "confidence factor"])))
    return 0


def _args_sensitivity(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--samples", type=bounded_int(0, MAX_SAMPLES, "--samples"), default=20_000,
                     help=f"SMAA weight samples (0 skips SMAA; at most {MAX_SAMPLES:,})")
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0, help="random seed for SMAA")


# name -> (help, add_arguments, handler).  Add a command by adding one line here.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "keys": ("make a committee member's signing key (the committee then signs every decision)", keys_cli.args_keys,
             keys_cli.cmd_keys),
    "init": ("start a selection folder, copy a shipped example, or adopt a folder made before selection.yaml",
             init_cli.args_init, init_cli.cmd_init),
    "validate": ("check every file of a selection and list all problems", add_dir, _cmd_validate),
    "schema": ("write JSON Schema files for editors", schema_cli.args_schema, schema_cli.cmd_schema),
    "checks": ("list SLA and contract red flags per bid, with the levers to negotiate", _args_checks, _cmd_checks),
    "rank": ("print the scorecard: goals x bids, totals, ranks, knock-outs and committee flags", add_dir,
             _cmd_rank),
    "tco": ("TCO and NPV per bid, crossover years, ROI and payback, implementation-risk percentiles", _args_tco,
            _cmd_tco),
    "goals-workbook": ("write the goals workbook (.xlsx): goals and KPIs, the weighting method, criteria links",
                       goals_cli.args_goals_workbook, goals_cli.cmd_goals_workbook),
    "import-goals": ("check a filled-in goals workbook and write the goals file (recorded in the decision log)",
                     goals_cli.args_import_goals, goals_cli.cmd_import_goals),
    "scorecard": ("write the live scorecard workbook (.xlsx) for the steering committee", excel_cli.args_scorecard,
                  excel_cli.cmd_scorecard),
    "questionnaire": ("write a vendor questionnaire workbook (.xlsx)", excel_cli.args_questionnaire,
                      excel_cli.cmd_questionnaire),
    "import-answers": ("check a returned questionnaire and write the vendor's YAML", excel_cli.args_import_answers,
                       excel_cli.cmd_import_answers),
    "scoresheet": ("write committee members' demo score sheets (.xlsx)", excel_cli.args_scoresheet,
                   excel_cli.cmd_scoresheet),
    "import-scores": ("merge returned score sheets into vendors/committee.yaml", excel_cli.args_import_scores,
                      excel_cli.cmd_import_scores),
    "sensitivity": ("how far the goal weights can move before the winner changes (stability, minimum flips, SMAA)",
                    _args_sensitivity, _cmd_sensitivity),
    "log": ("print and verify the decision log (who decided what, when and why)", log_cli.args_log,
            log_cli.cmd_log),
    "lock": ("lock the technical scoring before prices are seen (first envelope)", log_cli.args_decision,
             log_cli.cmd_lock),
    "record": ("record in the decision log the changes to weights, knock-out minimums and overrides made in files",
               log_cli.args_decision, log_cli.cmd_record),
    "relock": ("record a new seal after the lock with who and why (e.g. a best-and-final-offer round)",
               log_cli.args_decision, log_cli.cmd_relock),
    "reveal-prices": ("reveal prices after the lock (second envelope)", log_cli.args_decision, log_cli.cmd_reveal),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmselect", description="Choose a CRM vendor by business goals.",
        epilog="Every command works on the selection folder given first, or on the current directory when it "
               "is a selection. Start one with `crmselect init DIR` (or `crmselect init DIR --example`).")
    parser.add_argument("--member", default=None, metavar="ID",
                        help="the committee member acting (recorded in the decision log with lock, reveal, adopt)")
    parser.add_argument("--key-dir", default=None, metavar="KEYDIR",
                        help="the folder holding your signing key, once the committee signs its decisions "
                             "(default: CRMSELECT_KEY_DIR; never a guessed place)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command][2]
    with safe_terminal():
        return _run(handler, args)


def _run(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except CrmSelectError as exc:
        print(f"crmselect {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"crmselect {args.command}: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"crmselect {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("CRMSELECT_DEBUG") == "1":
            raise
        print(
            f"crmselect {args.command}: internal error ({type(exc).__name__}: {exc}). This is a bug in crmselect, "
            "not in your files; please report it. Run again with CRMSELECT_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
