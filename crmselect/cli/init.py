"""``crmselect init``: a new selection, a shipped example reached on purpose, or adoption of an older folder."""

from __future__ import annotations

import argparse
import datetime as dt

from crmselect.files.init import DEFAULT_EXAMPLE, InitResult, examples, init_selection
from crmselect.model.settings import LOCALES, PRICE_METHODS


def args_init(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", help="the folder to make a selection of (new or empty), or to adopt with --adopt")
    how = cmd.add_mutually_exclusive_group()
    how.add_argument("--example", nargs="?", const=DEFAULT_EXAMPLE, default=None, metavar="NAME",
                     help=f"copy a shipped example (default {DEFAULT_EXAMPLE}; shipped: {', '.join(examples())})")
    how.add_argument("--adopt", action="store_true",
                     help="adopt a folder made before selection.yaml existed (criteria/ and vendors/); keeps "
                          "every file and the decision log (name the acting member with --member)")
    cmd.add_argument("--name", default=None, help="the selection's name (default: the folder's, said aloud)")
    cmd.add_argument("--company", default=None, help="the company choosing a CRM")
    cmd.add_argument("--currency", default=None, help="three-letter code of every amount, e.g. USD or CNY")
    cmd.add_argument("--locale", choices=LOCALES, default=None, help="the language of every surface")
    cmd.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                     help="the date answers are judged at, and the TCO's contract start")
    cmd.add_argument("--price-method", choices=PRICE_METHODS, default=None, help="how price enters the score")
    cmd.add_argument("--force", action="store_true", help="write into a folder that is not empty")


def cmd_init(args: argparse.Namespace) -> int:
    given = {"name": args.name, "company": args.company, "currency": args.currency, "locale": args.locale,
             "as_of": args.as_of.isoformat() if args.as_of else None, "price_method": args.price_method}
    result: InitResult
    if args.adopt:
        from crmselect.record.adoption import adopt

        result = adopt(args.dir, member=args.member, **given)
        print(f"adopted {result.folder} as selection {result.settings['name']!r}: wrote selection.yaml and moved "
              "the selection-wide settings out of criteria/goals.yaml")
        if result.attested_head is not None:
            seq, digest = result.attested_head
            print(f"  the decision log is kept: {seq} earlier entries, attested at head {seq}:{digest} "
                  "(they verify by chain only)")
    else:
        result = init_selection(args.dir, example=args.example, force=args.force, **given)
        what = f"the {result.example} example" if result.example else "a new selection"
        print(f"created {what} in {result.folder}: {len(result.written)} files")
        if result.example is None:
            print("  next: replace the starter goal in criteria/goals.yaml, add the committee to "
                  "vendors/committee.yaml, send questionnaires with `crmselect questionnaire`")
    for line in result.assumed:
        print(f"  assumed {line}")
    for problem in result.problems:
        print(f"  still to fix (not caused by adoption): {problem}")
    print(f"  check it: crmselect validate {result.folder}")
    return 0
