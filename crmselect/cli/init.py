"""``crmselect init``: a new selection, a shipped example reached on purpose, or adoption of an older folder.

``init`` has no selection to take a language from: it speaks ``--lang`` (or English).  The new
selection's ``locale`` is ``--locale``, else ``--lang`` when given, else the example's or English,
and ``init`` always says which, since every later command on the selection speaks it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from crmselect.files.init import DEFAULT_EXAMPLE, InitResult, examples, init_selection
from crmselect.model.settings import LOCALES, PRICE_METHODS
from crmselect.show.i18n import _

_ASSUMED = re.compile(r"^(?P<key>[a-z_]+): (?P<value>.*) \(change it in (?P<file>\S+)\)$")


def args_init(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", help=_("the folder to make a selection of (new or empty), or to adopt with --adopt"))
    how = cmd.add_mutually_exclusive_group()
    how.add_argument("--example", nargs="?", const=DEFAULT_EXAMPLE, default=None, metavar="NAME",
                     help=_("copy a shipped example (default {default}; shipped: {shipped})").format(
                         default=DEFAULT_EXAMPLE, shipped=", ".join(examples())))
    how.add_argument("--adopt", action="store_true",
                     help=_("adopt a folder made before selection.yaml existed (criteria/ and vendors/); keeps "
                            "every file and the decision log (name the acting member with --member)"))
    cmd.add_argument("--name", default=None, help=_("the selection's name (default: the folder's, said aloud)"))
    cmd.add_argument("--company", default=None, help=_("the company choosing a CRM"))
    cmd.add_argument("--currency", default=None, help=_("three-letter code of every amount, e.g. USD or CNY"))
    cmd.add_argument("--locale", choices=LOCALES, default=None,
                     help=_("the language of every surface (default: --lang, else English)"))
    cmd.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                     help=_("the date answers are judged at, and the TCO's contract start"))
    cmd.add_argument("--price-method", choices=PRICE_METHODS, default=None, help=_("how price enters the score"))
    cmd.add_argument("--force", action="store_true", help=_("write into a folder that is not empty"))


def cmd_init(args: argparse.Namespace) -> int:
    locale = args.locale or getattr(args, "lang", None)
    given = {"name": args.name, "company": args.company, "currency": args.currency, "locale": locale,
             "as_of": args.as_of.isoformat() if args.as_of else None, "price_method": args.price_method}
    result: InitResult
    if args.adopt:
        from crmselect.record.adoption import adopt

        result = adopt(args.dir, member=args.member, **given)
        print(_("adopted {folder} as selection {name!r}: wrote selection.yaml and moved the selection-wide "
                "settings out of criteria/goals.yaml").format(folder=result.folder, name=result.settings["name"]))
        if result.attested_head is not None:
            seq, digest = result.attested_head
            print("  " + _("the decision log is kept: {count} earlier entries, attested at head {head} (they verify "
                           "by chain only)").format(count=seq, head=f"{seq}:{digest}"))
    else:
        result = init_selection(args.dir, example=args.example, force=args.force, **given)
        text = _("created the {example} example in {folder}: {count} files") if result.example else \
            _("created a new selection in {folder}: {count} files")
        print(text.format(example=result.example, folder=result.folder, count=len(result.written)))
        if result.example is None:
            print("  " + _("next: replace the starter goal in criteria/goals.yaml, add the committee to "
                           "vendors/committee.yaml, send questionnaires with `crmselect questionnaire`"))
    assumed = set()
    for line in result.assumed:
        match = _ASSUMED.match(line)
        if match is None:
            print("  " + _("assumed {what}").format(what=line))
        else:
            assumed.add(match["key"])
            print("  " + _("assumed {key}: {value} (change it in {file})").format(**match.groupdict()))
    if "locale" not in assumed:  # a locale the user did not type in --locale is said aloud
        source = _("as asked with --locale") if args.locale is not None else (
            _("from --lang") if locale is not None else _("the example's"))
        print("  " + _("language of the selection: {locale} ({source}); every command on it speaks it unless "
                       "--lang says otherwise").format(locale=result.settings.get("locale"), source=source))
    for problem in result.problems:
        print("  " + _("still to fix (not caused by adoption): {problem}").format(problem=problem.render(_)))
    print("  " + _("check it: crmselect validate {folder}").format(folder=result.folder))
    return 0
