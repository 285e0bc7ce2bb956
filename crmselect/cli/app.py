"""The ``crmselect`` command.  Every subcommand works on one selection folder: the first positional
argument, or the current directory when it is a selection; never a guessed one.  Global options
(``--member``, the acting committee member; ``--lang``, the language) come before the subcommand.

The language of a command: ``--lang``, else the selection's ``locale`` (``selection.yaml``, read
before the selection is loaded, so its load errors speak it too), else English.  The whole command
runs inside ``crmselect.show.i18n.using(language)``; argparse's own words (usage, error) stay English.

Errors a user can fix are printed as a list of problems, never as a Python traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from crmselect.cli.common import (
    add_dir,
    add_lang,
    add_unseal,
    asked_language,
    language_of,
    price_access_of,
    project_of,
)
from crmselect.cli.labels import (
    disagreement_text,
    knockout_text,
    label,
    localised,
    marker_text,
    method_text,
    missing_text,
    settled_text,
    summary_key,
    unchecked_text,
    views_text,
    weights_lines,
    word,
)
from crmselect.cli.terminal import (
    MAX_DRAWS,
    MAX_SAMPLES,
    MAX_SEED,
    bounded_int,
    progress_bar,
    safe_terminal,
    text_table,
)
from crmselect.errors import CrmSelectError, InputError, render
from crmselect.model.project import Project

if TYPE_CHECKING:
    from crmselect.money.risk import RiskResult
from crmselect.show.i18n import N_, _, ngettext, using

Handler = Callable[[argparse.Namespace], int]


def _cmd_validate(args: argparse.Namespace) -> int:
    project = project_of(args)
    print(_("{root}: no problems found").format(root=project.root))
    settings = project.settings
    if settings is not None:
        print(f"  {summary_key('selection'):<20} " + _(
            "{name} ({company}); {currency}, locale {locale}, as of {as_of}, {years} years at {rate} %, price "
            "{price_method}").format(name=settings.name, company=settings.company, currency=settings.currency,
                                     locale=settings.locale, as_of=settings.as_of, years=settings.horizon_years,
                                     rate=f"{settings.discount_rate_pct:g}", price_method=settings.price_method))
    for key, value in project.summary().items():
        print(f"  {summary_key(key):<20} {value}")
    from crmselect.scoring.weighting import derive_weights

    for line in weights_lines(derive_weights(project.selection)):
        print(f"  {line}")
    for note in project.notes:
        print("  " + _("note: {file}: {message}").format(file=note.file, message=render(note.message, _)))
    _print_unrecorded(project)
    return 0


def _print_unrecorded(project: Project) -> None:
    from crmselect.record.envelopes import unrecorded_changes

    found = unrecorded_changes(project)
    if found:
        print("\n" + _(
            "Not yet recorded in the decision log ({count} change(s) to weights, knock-out minimums or overrides; the "
            "next lock, reveal, saved scenario or export records them, or now: crmselect --member ID record DIR "
            "--why TEXT):").format(count=len(found)))
        for change in found[:12]:
            print(f"  - {change}")


def _cmd_tco(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate
    from crmselect.money.returns import annual_benefit
    from crmselect.money.risk import payback_text, simulate_risk

    project = project_of(args)
    access = price_access_of(args, project, "tco")
    if not access.visible:
        print(_("{name}: TCO, NPV, cost crossings, ROI and go-live risk are sealed until prices are revealed "
                "(`crmselect --member ID reveal-prices DIR --why TEXT`, after the lock).").format(
            name=project.selection.name))
        print(_("An analyst may open them before that with a logged reason: "
                "crmselect --member ID tco DIR --unseal --unseal-why TEXT"))
        return 0
    if access.marker:
        print(marker_text(access) + "\n")
    money = "{:,.0f}".format
    evaluation = evaluate(project)
    comparison = evaluation.tco
    out = {bid for bid, ok in zip(evaluation.scorecard.bid_ids, evaluation.scorecard.eligible, strict=True) if not ok}

    def flagged(frame: Any) -> Any:  # knocked-out bids stay visible, marked, as everywhere
        return frame.assign(status=[_("knocked out") if bid in out else "" for bid in frame.index])

    first = comparison.results[0]
    print(_("{name}: TCO over {years} years plus the initial period, NPV at {rate} % ({currency})").format(
        name=project.selection.name, years=first.horizon_years, rate=f"{first.discount_rate_pct:g}",
        currency=project.selection.currency) + "\n")
    table = comparison.frame().drop(columns=["label"])
    table = flagged(table.assign(deployment=[word(d) for d in table["deployment"]]))
    formatters = {label(c): money for c in table.columns if c not in ("deployment", "npv_rank", "status")}
    print(text_table(localised(table), formatters=formatters))
    print(comparison.payment_convention())
    for bid_id in comparison.bid_ids if args.lines else ():
        lines = comparison[bid_id].frame()
        print("\n" + _("{bid} [{id}]: cost lines by year (0 = initial)").format(bid=comparison[bid_id].label,
                                                                              id=bid_id))
        print(text_table(localised(lines.loc[(lines != 0).any(axis=1)]), float_format=money))
    crossings = comparison.crossovers()
    print("\n" + (_("Crossovers of cumulative cost:") if len(crossings) else _("Crossovers of cumulative cost: none")))
    for row in crossings.itertuples():
        print("  " + _("{a} and {b} cross in year {year} at {cost}; {cheaper} is cheaper after").format(
            a=row.a, b=row.b, year=f"{row.year:.2f}", cost=f"{row.cumulative_cost:,.0f}", cheaper=row.cheaper_after))
    returns = evaluation.returns()
    assumptions = project.selection.assumptions
    print("\n" + _("ROI from the goals' KPIs ({benefit} a year at full fit). Each goal's benefit is earned by the "
                   "bid's fit, its goal score before price: {floor} % of it at a score of {weak} or less, all of it "
                   "from {full}. Benefits ramp up over {months} months from the planned go-live: the vendor's "
                   "promise, or our reference plan of {reference} days when the promise is shorter, stretched by our "
                   "readiness. Risk-adjusted: benefits -{down} %, costs +{up} %.").format(
        benefit=money(annual_benefit(project.selection)), floor=f"{assumptions.benefit_fit_floor_pct:g}",
        weak=f"{assumptions.benefit_fit_weak:g}", full=f"{assumptions.benefit_fit_full:g}",
        months=assumptions.benefit_ramp_months, reference=assumptions.reference_go_live_days or "-",
        down=f"{assumptions.risk_benefits_down_pct:g}", up=f"{assumptions.risk_costs_up_pct:g}"))
    roi_table = flagged(returns.frame()[["annual_benefit", "go_live_days", "npv", "roi", "risk_roi", "roi_6m",
                                         "roi_12m", "roi_24m", "payback_months", "risk_payback_months"]])
    percent = "{:.0%}".format

    def months(value: float) -> str:
        return f"{value:.1f}"

    formats = {"annual_benefit": money, "go_live_days": "{:,.0f}".format, "npv": money,
               **{c: percent for c in ("roi", "risk_roi", "roi_6m", "roi_12m", "roi_24m")},
               "payback_months": months, "risk_payback_months": months}
    print(text_table(localised(roi_table), formatters={label(c): f for c, f in formats.items()}, na_rep=_("never")))
    print("\n" + _("Implementation risk: {draws} draws, seed {seed} (go-live in days; NPV net of benefits; payback in "
                   "months after signature, \"never\" when that share of the draws does not pay back within the "
                   "horizon; P(payback): the share that does)").format(draws=f"{args.draws:,}", seed=args.seed))
    rows = {}
    risks = {}
    for bid in project.bids:
        risks[bid.id] = simulate_risk(project, bid.id, n=args.draws, random_state=args.seed,
                                      goal_scores=evaluation.technical_goal_scores[bid.id])
        risk = risks[bid.id].summary()
        rows[bid.id] = {"claimed": bid.offer.implementation.claimed_go_live_days,
                        "P(on time)": f"{risk['probability_on_time']:.0%}",
                        **{f"go-live P{q}": f"{risk[f'go_live_days_p{q}']:,.0f}" for q in (10, 50, 90)},
                        **{f"NPV P{q}": money(risk[f"net_npv_p{q}"]) for q in (10, 50, 90)},
                        **{f"ROI P{q}": percent(risk[f"roi_p{q}"]) for q in (10, 50, 90)},
                        **{f"payback P{q}": payback_text(risks[bid.id].payback(q)) for q in (10, 50, 90)},
                        "P(payback)": f"{risk['probability_payback']:.0%}",
                        "status": _("knocked out") if bid.id in out else ""}
    import pandas as pd

    print(text_table(localised(pd.DataFrame.from_dict(rows, orient="index"))))
    _print_readiness(project, risks)
    return 0


def _print_readiness(project: Project, risks: dict[str, RiskResult]) -> None:
    from crmselect.money.readiness import months, readiness_effect

    effect = readiness_effect(project.selection.readiness)
    if effect is None:
        print("\n" + _("Buyer readiness: not assessed (add `readiness:` to criteria/goals.yaml to see how our own "
                       "preparation stretches every plan)"))
        return
    print("\n" + _("Buyer readiness stretches every plan by x{factor} (the same for every bid):").format(
        factor=f"{effect.multiplier:.2f}"))
    for risk in risks.values():
        print("  " + _("{bid}: readiness adds {p50} months at P50 and {p90} at P90").format(
            bid=risk.label, p50=f"{months(risk.readiness_adds_days(50)):.1f}",
            p90=f"{months(risk.readiness_adds_days(90)):.1f}"))
    for _factor, action, share in effect.actions():
        print("  - " + _("{action}: removes {share} of that delay").format(action=_(action), share=f"{share:.0%}"))


def _args_tco(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    add_unseal(cmd)
    cmd.add_argument("--draws", type=bounded_int(100, MAX_DRAWS, "--draws"), default=20_000,
                     help=_("Monte Carlo draws per bid (default 20000, at most {most})").format(most=f"{MAX_DRAWS:,}"))
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0,
                     help=_("random seed of the Monte Carlo (default 0)"))
    cmd.add_argument("--lines", action="store_true", help=_("also print every bid's cost lines by year"))


def _cmd_rank(args: argparse.Namespace) -> int:
    from crmselect.evaluation import evaluate
    from crmselect.scoring.views import compare_views

    project = project_of(args)
    evaluation = evaluate(project)
    card = evaluation.scorecard  # computed criteria filled from the checks and price, as everywhere

    def cell(column: object, value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:.0%}" if column == "weight" else f"{value:.3f}"
        return str(value)

    text = card.grid().map_cells(cell)  # the scorecard's frame() without pandas: `rank` never imports it
    method = method_text(evaluation.weighting)
    heading = _("{name}: goals x bids (goal scores 0-1), totals and ranks; goal weights by {method}") \
        if evaluation.weighting.cr is None else \
        _("{name}: goals x bids (goal scores 0-1), totals and ranks; goal weights by {method}, consistency ratio {cr}")
    cr = "" if evaluation.weighting.cr is None else f"{evaluation.weighting.cr:.3f}"
    print(heading.format(name=project.selection.name, method=method, cr=cr) + "\n")
    print(text_table(localised(text, cells=True)))
    print()
    if card.knockouts:
        print(_("Knocked out (shown, not ranked):"))
        for knockout in card.knockouts:
            print(f"  - {knockout_text(knockout)}")
    else:
        print(_("Knocked out: none"))
    for pending in card.unchecked:
        print("  " + _("not yet checked: {what}").format(what=unchecked_text(pending)))
    summary = card.committee
    w = _("undefined") if math.isnan(summary.kendall_w) else f"{summary.kendall_w:.2f}"
    aggregation = word(summary.aggregation)
    print("\n" + _("Committee ({aggregation}): Kendall's W = {w} over {count} members' rankings").format(
        aggregation=aggregation, w=w, count=len(summary.w_members)))
    if summary.disagreements:
        print(_("Disagreements to discuss (range >= {threshold} points):").format(threshold=f"{summary.threshold:g}"))
        for item in summary.disagreements:
            print(f"  - {disagreement_text(item)}")
    if summary.settled:
        print(_("Settled by a consensus override (no longer to discuss):"))
        for settled in summary.settled:
            print(f"  - {settled_text(settled)}")
    if summary.missing:
        print(_("Missing scores: {count}").format(count=len(summary.missing)))
        for missing in summary.missing[:10]:
            print(f"  - {missing_text(missing)}")
    if project.selection.stakeholder_views:
        heading, sentences = views_text(compare_views(project, card))
        print("\n" + heading)
        for sentence in sentences:
            print(f"  - {sentence}")
    if card.prices_hidden:
        print("\n" + _("Prices hidden: {count} price criteria stay out until the technical scoring is locked and "
                       "prices are revealed (decision log)").format(count=len(card.hidden_criteria)))
    not_computed = sorted({card.criterion_ids[j] for row in card.notes for j, note in enumerate(row)
                           if note.startswith("not computed")})
    if not_computed:
        print(_("Not computed here (count 0): {criteria}").format(criteria=", ".join(not_computed)))
    _print_unrecorded(project)
    for note in project.notes:  # what validate warned about, repeated where the ranking is read
        print(_("Note: {note}").format(note=note.render(_)))
    print(_("Features that serve no goal (weight 0): {count} of {total} criteria").format(
        count=len(card.unlinked), total=len(card.unlinked) + len(card.criterion_ids) + len(card.hidden_criteria)))
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from crmselect.evaluation import evaluate
    from crmselect.whatif.acceptability import smaa
    from crmselect.whatif.sensitivity import min_flips, stability

    project = project_of(args)
    card = evaluate(project).scorecard

    def percent(frame: pd.DataFrame) -> str:  # an infinite change: no weights at all let that bid catch up
        return text_table(frame, float_format=lambda v: _("unreachable") if math.isinf(v) else f"{v:.1%}")

    intervals = stability(card)
    print(_("{name}: how far can the goal weights move before {winner} stops winning?").format(
        name=project.selection.name, winner=intervals.winner) + "\n")
    print(_("Stability intervals (one goal's weight moves, the others share the rest in proportion):"))
    print(percent(localised(intervals.frame(), cells=True)) + "\n")
    print(_("Smallest change of the weights (L1, on the simplex) that lets each bid catch the winner:"))
    print(percent(localised(min_flips(card).frame().drop(columns=["winner's lead"]))) + "\n")
    if args.samples > 0:
        with progress_bar("SMAA", _("samples")) as progress:  # Ctrl-C stops here and exits 130, nothing half-written
            result = smaa(card, n=args.samples, random_state=args.seed, progress=progress)
        print(_("SMAA, {samples} weight vectors uniform on the simplex (seed {seed}): rank acceptability").format(
            samples=f"{args.samples:,}", seed=args.seed))
        print(percent(localised(result.frame().drop(columns=["rank 1 ± (se)", "confidence factor"]))))
    return 0


def _args_sensitivity(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--samples", type=bounded_int(0, MAX_SAMPLES, "--samples"), default=20_000,
                     help=_("SMAA weight samples (0 skips SMAA; at most {most})").format(most=f"{MAX_SAMPLES:,}"))
    cmd.add_argument("--seed", type=bounded_int(0, MAX_SEED, "--seed"), default=0, help=_("random seed for SMAA"))


#: A command's function, or where to find it ("module:function", a module of crmselect.cli): a command's module is
#: imported only when that command runs (or when ``--help`` lists every command's options), so ``rank`` loads
#: neither the workbook nor the paper code.
Lazy = Callable[..., Any] | str

# name -> (help, add_arguments, handler).  Add a command by adding one line here.
COMMANDS: dict[str, tuple[str, Lazy, Lazy]] = {
    "keys": (N_("make a committee member's signing key (the committee then signs every decision)"), "keys:args_keys",
             "keys:cmd_keys"),
    "init": (N_("start a selection folder, copy a shipped example, or adopt a folder made before selection.yaml"),
             "init:args_init", "init:cmd_init"),
    "validate": (N_("check every file of a selection and list all problems"), add_dir, _cmd_validate),
    "schema": (N_("write JSON Schema files for editors"), "schema:args_schema", "schema:cmd_schema"),
    "checks": (N_("list SLA and contract red flags per bid, with the levers to negotiate"),
               "checks:args_checks", "checks:cmd_checks"),
    "rank": (N_("print the scorecard: goals x bids, totals, ranks, knock-outs and committee flags"), add_dir,
             _cmd_rank),
    "tco": (N_("TCO and NPV per bid, crossover years, ROI and payback, implementation-risk percentiles"), _args_tco,
            _cmd_tco),
    "negotiate": (N_("what each bid that is not winning must concede on price to tie the winner, solved exactly"),
                  "negotiate:args_negotiate", "negotiate:cmd_negotiate"),
    "goals-workbook": (N_("write the goals workbook (.xlsx): goals and KPIs, the weighting method, criteria links"),
                       "goals:args_goals_workbook", "goals:cmd_goals_workbook"),
    "import-goals": (N_("check a filled-in goals workbook and write the goals file (recorded in the decision log)"),
                     "goals:args_import_goals", "goals:cmd_import_goals"),
    "scorecard": (N_("write the live scorecard workbook (.xlsx) for the steering committee"), "excel:args_scorecard",
                  "excel:cmd_scorecard"),
    "questionnaire": (N_("write a vendor questionnaire workbook (.xlsx)"), "excel:args_questionnaire",
                      "excel:cmd_questionnaire"),
    "import-answers": (N_("check a returned questionnaire and write the vendor's YAML"), "excel:args_import_answers",
                       "excel:cmd_import_answers"),
    "scoresheet": (N_("write committee members' demo score sheets (.xlsx)"), "excel:args_scoresheet",
                   "excel:cmd_scoresheet"),
    "import-scores": (N_("merge returned score sheets into vendors/committee.yaml"), "excel:args_import_scores",
                      "excel:cmd_import_scores"),
    "sensitivity": (N_("how far the goal weights can move before the winner changes (stability, minimum flips, SMAA)"),
                    _args_sensitivity, _cmd_sensitivity),
    "log": (N_("print and verify the decision log (who decided what, when and why)"), "log:args_log",
            "log:cmd_log"),
    "lock": (N_("lock the technical scoring before prices are seen (first envelope)"), "log:args_decision",
             "log:cmd_lock"),
    "record": (N_("record in the decision log the changes to weights, knock-out minimums and overrides made in files"),
               "log:args_decision", "log:cmd_record"),
    "relock": (N_("record a new seal after the lock with who and why (e.g. a best-and-final-offer round)"),
               "log:args_decision", "log:cmd_relock"),
    "bafo": (N_("record a best-and-final-offer round of a vendor's bid (a logged re-lock, with the deltas), or "
                "show its rounds"), "bafo:args_bafo", "bafo:cmd_bafo"),
    "reveal-prices": (N_("reveal prices after the lock (second envelope)"), "log:args_decision", "log:cmd_reveal"),
    "plan": (N_("a roll-out in phases for one bid, quick wins first: each phase's go-live risk, and what phasing buys "
                "against a big bang (propose one with --propose --cap DAYS)"), "plan:args_plan", "plan:cmd_plan"),
    "track": (N_("after the decision: record the go-live and the KPIs at each checkpoint, and compare earned with "
                 "expected benefits, realised ROI with its forecast band, promised with actual go-live"),
              "track:args_track", "track:cmd_track"),
    "report": (N_("write the decision paper (PDF or one HTML file): the recommendation on page 1, then the argument "
                  "and the record behind it"), "report:args_report", "report:cmd_report"),
}


def resolve(function: Lazy) -> Callable[..., Any]:
    """The function itself, importing its module (in crmselect.cli) first when it is given as "module:function"."""
    if callable(function):
        return function
    import importlib

    module, name = function.split(":")
    found: Callable[..., Any] = getattr(importlib.import_module(f"crmselect.cli.{module}"), name)
    return found


def chosen_command(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line (the first word that is not a global option or its value), or
    None (no command, or help asked before it): then every command's options are built."""
    words = list(sys.argv[1:] if argv is None else argv)
    takes_value = {"--member", "--key-dir", "--lang"}
    k = 0
    while k < len(words):
        word = words[k]
        if word in ("-h", "--help"):
            return None
        if word in takes_value:
            k += 2
            continue
        if word.startswith("-"):
            k += 1
            continue
        return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line, its help in the current language (``main`` builds it inside ``using(--lang)``).

    ``only``: build that command's options alone (the others are listed by name and help), so that running one
    command imports only its own module."""
    parser = argparse.ArgumentParser(
        prog="crmselect", description=_("Choose a CRM vendor by business goals."),
        epilog=_("Every command works on the selection folder given first, or on the current directory when it "
                 "is a selection. Start one with `crmselect init DIR` (or `crmselect init DIR --example`)."))
    parser.add_argument("--member", default=None, metavar="ID",
                        help=_("the committee member acting (recorded in the decision log with lock, reveal, "
                               "adopt)"))
    parser.add_argument("--key-dir", default=None, metavar="KEYDIR",
                        help=_("the folder holding your signing key, once the committee signs its decisions "
                               "(default: CRMSELECT_KEY_DIR; never a guessed place)"))
    add_lang(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _handler) in COMMANDS.items():
        command = sub.add_parser(name, help=_(help_text), description=_(help_text))
        if only is None or name == only:
            resolve(add_arguments)(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    with using(asked_language(argv) or "en"):
        args = build_parser(chosen_command(argv)).parse_args(argv)
    handler = resolve(COMMANDS[args.command][2])
    with using(language_of(args)), safe_terminal():
        return _run(handler, args)


def _run(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except InputError as exc:
        print(f"crmselect {args.command}: {exc.render(_, ngettext)}", file=sys.stderr)
        return 2
    except CrmSelectError as exc:
        print(f"crmselect {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our output left (`crmselect rank DIR | head`): stop quietly, as `git log | head` does.
        # Python would otherwise complain again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command stopped by a closed pipe
    except OSError as exc:
        print(f"crmselect {args.command}: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("crmselect {command}: interrupted").format(command=args.command), file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("CRMSELECT_DEBUG") == "1":
            raise
        print(_("crmselect {command}: internal error ({error}). This is a bug in crmselect, not in your files; "
                "please report it. Run again with CRMSELECT_DEBUG=1 to see the traceback.").format(
            command=args.command, error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
