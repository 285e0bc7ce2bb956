"""``crmselect goals-workbook`` and ``import-goals``: the committee sets its goals, weights and links in Excel."""

from __future__ import annotations

import argparse

from crmselect.cli.common import (
    acting_member,
    acting_signer,
    add_dir,
    add_parents,
    checked_out,
    project_of,
    refuse,
    selection_dir,
)


def args_goals_workbook(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--out", required=True, help="the workbook to write (.xlsx)")
    cmd.add_argument("--force", action="store_true", help="replace the workbook if it exists")
    add_parents(cmd)


def cmd_goals_workbook(args: argparse.Namespace) -> int:
    from crmselect.excel.goals_book import export_goals_workbook

    project = project_of(args)
    out = checked_out(args.out, suffix=".xlsx", parents=args.parents)
    path = export_goals_workbook(project, out, force=args.force)
    selection = project.selection
    print(f"wrote {path}: {len(selection.goals)} goal(s) weighted by {selection.weighting.value}, "
          f"{len(project.committee.members)} member AHP sheet(s) plus one for the committee together")
    print(f"  bring it back with: crmselect --member ID import-goals {project.root} --from {path}")
    return 0


def args_import_goals(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--from", dest="sources", nargs="+", required=True, metavar="FILE",
                     help="the goals workbook the committee filled in (.xlsx)")
    cmd.add_argument("--why", default=None, help="why, in a sentence, for the decision log (default: the file name)")
    cmd.add_argument("--force", action="store_true",
                     help="import even though the goals file changed after the workbook was written")


def cmd_import_goals(args: argparse.Namespace) -> int:
    from crmselect.excel.goals_import import import_goals
    from crmselect.files.loaders import load_project

    root = selection_dir(args)
    if len(args.sources) != 1:
        raise refuse(f"--from {' '.join(args.sources)}", "crmselect import-goals DIR --from ONE_FILE.xlsx")
    source = args.sources[0]
    project = load_project(root)
    member = acting_member(args, project, "import-goals") if project.committee.members else None
    signer = acting_signer(args, project, member) if member is not None else None
    result = import_goals(source, project, force=args.force, member=member, signer=signer,
                          why=args.why or f"goals, weights and links imported from {source}")
    if result.unchanged:
        print(f"{result.path}: unchanged (the workbook holds the goals, weighting and links already in the file)")
        return 0
    print(f"wrote {result.path}: {result.goals} goal(s), {result.links} link(s), weights by {result.method}")
    for line in result.weights:
        print(f"  {line}")
    for note in result.notes:
        print(f"  note: {note}")
    if result.entry is not None:
        print(f"  recorded as decision log entry {result.entry} by {member}")
    else:
        print("  not recorded in the decision log: the committee has no members yet (add them to "
              "vendors/committee.yaml; the next lock or `crmselect --member ID record DIR --why TEXT` records it)")
    return 0


__all__ = ["args_goals_workbook", "args_import_goals", "cmd_goals_workbook", "cmd_import_goals"]
