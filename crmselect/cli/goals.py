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
from crmselect.cli.labels import method_text, weights_lines
from crmselect.errors import render
from crmselect.show.i18n import _, ngettext


def args_goals_workbook(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--out", required=True, help=_("the workbook to write (.xlsx)"))
    cmd.add_argument("--force", action="store_true", help=_("replace the workbook if it exists"))
    add_parents(cmd)


def cmd_goals_workbook(args: argparse.Namespace) -> int:
    from crmselect.excel.goals_book import export_goals_workbook
    from crmselect.excel.goals_layout import METHOD_TEXT

    project = project_of(args)
    out = checked_out(args.out, suffix=".xlsx", parents=args.parents)
    path = export_goals_workbook(project, out, force=args.force)
    selection = project.selection
    print(_("wrote {path}: {goals} goal(s) weighted by {method}, {members} member AHP sheet(s) plus one for the "
            "committee together").format(path=path, goals=len(selection.goals),
                                         method=_(METHOD_TEXT[selection.weighting.value]),
                                         members=len(project.committee.members)))
    print("  " + _("bring it back with: {command}").format(
        command=f"crmselect --member ID import-goals {project.root} --from {path}"))
    return 0


def args_import_goals(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--from", dest="sources", nargs="+", required=True, metavar="FILE",
                     help=_("the goals workbook the committee filled in (.xlsx)"))
    cmd.add_argument("--why", default=None,
                     help=_("why, in a sentence, for the decision log (default: the file name)"))
    cmd.add_argument("--force", action="store_true",
                     help=_("import even though the goals file changed after the workbook was written"))


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
                          why=args.why or _("goals, weights and links imported from {file}").format(file=source))
    if result.unchanged:
        print(_("{path}: unchanged (the workbook holds the goals, weighting and links already in the file)").format(
            path=result.path))
        for note in result.notes:
            print("  " + _("note: {note}").format(note=render(note, _)))
        return 0
    method = method_text(result.derived) if result.derived is not None else result.method
    print(_("wrote {path}: {goals} and {links}, weights by {method}").format(
        path=result.path, method=method,
        goals=ngettext("{count} goal", "{count} goals", result.goals).format(count=result.goals),
        links=ngettext("{count} link", "{count} links", result.links).format(count=result.links)))
    lines = weights_lines(result.derived)[1:] if result.derived is not None else list(result.weights)
    for line in lines:
        print(line if line.startswith("  ") else f"  {line}")
    for note in result.notes:
        print("  " + _("note: {note}").format(note=render(note, _)))
    if result.entry is not None:
        print("  " + _("recorded as decision log entry {entry} by {member}").format(entry=result.entry, member=member))
    else:
        print("  " + _("not recorded in the decision log: the committee has no members yet (add them to "
                       "vendors/committee.yaml; the next lock or `crmselect --member ID record DIR --why TEXT` "
                       "records it)"))
    return 0


__all__ = ["args_goals_workbook", "args_import_goals", "cmd_goals_workbook", "cmd_import_goals"]
