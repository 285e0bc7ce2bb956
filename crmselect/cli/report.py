"""``crmselect report``: the decision paper (PDF or one self-contained HTML file) for the steering committee.

The paper is made and written under the selection's lock, so it matches one state of the inputs; its last
section names their digest, which ``crmselect report DIR --digest`` prints again for the folder as it is now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crmselect.cli.common import add_dir, add_parents, checked_out, project_of, refuse_existing, selection_dir
from crmselect.errors import InputError, Issue
from crmselect.files.workspace import selection_lock
from crmselect.show.i18n import _, current


def args_report(cmd: argparse.ArgumentParser) -> None:
    add_dir(cmd)
    cmd.add_argument("--out", default=None, metavar="FILE",
                     help=_("the paper to write: a .pdf, or a .html file (one self-contained page)"))
    cmd.add_argument("--force", action="store_true", help=_("replace {what} if it exists").format(what=_("the paper")))
    add_parents(cmd)
    cmd.add_argument("--digest", action="store_true",
                     help=_("print the digest of the selection's inputs (as the paper's last section names it) and "
                            "write nothing"))


def cmd_report(args: argparse.Namespace) -> int:
    from crmselect.files.safe_write import write_atomic
    from crmselect.report import input_digest, paper_of
    from crmselect.report.build import render

    if args.digest:
        digest = input_digest(project_of(args))
        sys.stdout.write(digest.listing)
        print(_("input digest: {digest}").format(digest=digest.digest))
        return 0
    if args.out is None:
        raise InputError([Issue(_("command line"), "--out", _("name the paper to write, e.g. --out decision.pdf"),
                                code="no_out", allowed=_("a file name ending in .pdf or .html"),
                                received=_("nothing"))])
    kind = "html" if args.out.lower().endswith(".html") else "pdf"
    out = checked_out(args.out, suffix=f".{kind}", parents=args.parents)
    refuse_existing([out], args.force)
    with selection_lock(selection_dir(args)):  # the paper is made from one state of the inputs
        paper = paper_of(project_of(args), lang=current().language)
        data = render(paper, kind)
        write_atomic(out, lambda tmp: _write(tmp, data), overwrite=args.force)
    print(_("wrote {path} ({size} KB)").format(path=out, size=f"{len(data) / 1024:,.0f}"))
    if paper.sealed:
        print("  " + _("prices are sealed: this is the technical report, with no price, cost or NPV"))
    print("  " + _("input digest: {digest}").format(digest=paper.digest))
    return 0



def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


__all__ = ["args_report", "cmd_report"]
