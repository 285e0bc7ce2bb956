"""``crmselect checks``: the SLA and contract red flags of every bid, and the levers to negotiate.

The codes ``selection.yaml`` ignores are left out, each said with the committee's reason; ``--ignore`` leaves out
more for one run.  Titles, explanations and levers are in the command's language: a finding renders them in the current
language (:mod:`crmselect.checks.wording`), which ``main`` sets from ``--lang`` or the selection.
"""

from __future__ import annotations

import argparse

from crmselect.cli.common import add_dir, project_of
from crmselect.cli.labels import word
from crmselect.show.formats import format_number
from crmselect.show.i18n import _
from crmselect.show.tables import display_width, pad


def cmd_checks(args: argparse.Namespace) -> int:
    from crmselect.checks.report import check_project

    project = project_of(args)
    report = check_project(project, ignore=args.ignore or ())
    counts = report.by_bid()
    if report.jurisdiction == "cn":
        print(_("China's rules apply (jurisdiction: cn in selection.yaml): MLPS, PIPL and cross-border transfer, "
                "data residency, ICP filing, instead of SOC 2 and ISO 27001"))
    if report.ignored:
        print(_("ignoring: {codes}").format(codes=", ".join(report.ignored)))
        for code, line in zip(report.ignored, report.ignored_lines(), strict=True):
            if report.reasons.get(code):  # the committee's reason, from selection.yaml
                print("  " + line)
    for bid in report.bids:
        row = counts.loc[bid.bid]
        print("\n" + _("{bid} [{id}, {deployment}]: {high} high, {medium} medium, {low} low; SLA score {sla}, "
                       "contract score {contract}").format(
            bid=bid.label, id=bid.bid, deployment=word(bid.deployment),
            high=row["high"], medium=row["medium"], low=row["low"], sla=format_number(bid.score("sla"), digits=2),
            contract=format_number(bid.score("contract"), digits=2)))
        width = max(display_width(word(s)) for s in ("high", "medium", "low"))
        for finding in bid.findings:
            print("  " + _("{severity} {code} {title}: {explanation}").format(
                severity=pad(word(finding.severity.value), width), code=finding.code, title=finding.title,
                explanation=finding.explanation))
        if bid.findings:
            print("  " + _("Negotiation list, the lever for each finding (most serious first):"))
            for number, ask in enumerate(report.negotiation_list(bid.bid), start=1):
                print(f"  {number:>3}. {ask}")
    return 0


def args_checks(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--ignore", action="append", metavar="CODE",
                     help=_("leave out one check code (e.g. SLA005) for this run, besides those selection.yaml "
                            "ignores; repeat for more"))


__all__ = ["args_checks", "cmd_checks"]
