"""What the field constraints cannot see: answers against their criterion's range, goals nobody serves,
promises already past, and files in the selection that are not what their name says.

Ranges are declared once, in :func:`crmselect.model.catalogue.number_range` (the questionnaire uses
the same table).  A problem is an ``Issue`` (the selection does not load); what is legal but
suspicious is a note that ``validate`` prints and ``rank`` repeats.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, gt, lt
from pathlib import Path

from crmselect.errors import Issue, Message
from crmselect.files.crosschecks import VENDORS_DIR
from crmselect.files.yaml_lines import YamlDocument
from crmselect.model.bids import Answer, Vendor
from crmselect.model.catalogue import number_range
from crmselect.model.goals import AnswerKind, ComplianceScale, Criterion, Selection

YAML_SUFFIXES = (".yaml", ".yml")
_VALUE, _CODE = attrgetter("value"), attrgetter("code")


def file_problem(path: Path, rel: str) -> Issue | None:
    """Say what is at ``path`` when it is not a regular file: missing, a folder, a link loop, a device, a pipe."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            return Issue(rel, "", Message("is a link to nothing"), code="broken_link", allowed=Message("a YAML file"),
                         received=Message("a link to {target}", target=os.readlink(path)))
        return Issue(rel, "", Message("is missing"), code="missing_file", allowed=Message("a YAML file at this path"),
                     received=Message("no file"))
    except OSError as exc:  # ELOOP and friends
        return Issue(rel, "", Message("cannot be opened: {error}", error=str(exc.strerror or exc)), code="unreadable",
                     allowed=Message("a YAML file"),
                     received=Message("a link loop") if exc.errno == errno.ELOOP else type(exc).__name__)
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return None
    kind = (Message("a folder") if stat.S_ISDIR(mode) else Message("a named pipe (FIFO)") if stat.S_ISFIFO(mode)
            else Message("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else Message("a socket") if stat.S_ISSOCK(mode) else Message("not a regular file"))
    return Issue(rel, "", Message("is {kind}, not a file", kind=kind), code="not_a_file",
                 allowed=Message("a YAML file"), received=kind)


def stray_vendor_files(base: Path) -> list[Issue]:
    """Notes for what sits in vendors/ but is not read: other endings, hidden files left aside."""
    notes = []
    for path in sorted((base / VENDORS_DIR).iterdir()):
        if path.name.startswith(".") or path.suffix.lower() in YAML_SUFFIXES:
            continue
        if path.name == "rounds" and path.is_dir():  # earlier offer rounds (crmselect bafo): history, not bids
            continue
        notes.append(Issue(f"{VENDORS_DIR}/{path.name}", "", Message("is not read: vendor files end in .yaml or .yml"),
                           code="stray_file", allowed=Message(".yaml or .yml"),
                           received=path.suffix or Message("no ending")))
    return notes


def check_answer_ranges(vendors: list[tuple[Vendor, YamlDocument]], criteria: Mapping[str, Criterion],
                        issues: list[Issue]) -> None:
    """A number answer outside its criterion's sensible range (e.g. uptime 100.5 %) is an error."""
    ranges = _Ranges.of(criteria)
    for vendor, doc in vendors:
        answer_sets: list[tuple[list[object], Mapping[str, Answer]]] = [(["answers"], vendor.answers)]
        answer_sets += [(["offers", o, "answers"], offer.answers) for o, offer in enumerate(vendor.offers)]
        for prefix, given in answer_sets:
            if not ranges.hold(given):  # only a set with a problem is walked in its own order
                _check_ranges(prefix, given, criteria, doc, issues)


@dataclass(frozen=True)
class _Ranges:
    """Each number criterion's sensible range (:func:`number_range`; no bound = an infinite one)."""

    low: Mapping[str, float]
    high: Mapping[str, float]

    @classmethod
    def of(cls, criteria: Mapping[str, Criterion]) -> _Ranges:
        bounds = {cid: number_range(criterion) for cid, criterion in criteria.items()
                  if criterion.answer is AnswerKind.number}
        return cls({cid: -math.inf if low is None else low for cid, (low, _) in bounds.items()},
                   {cid: math.inf if high is None else high for cid, (_, high) in bounds.items()})

    def hold(self, given: Mapping[str, Answer]) -> bool:
        """True exactly when :func:`_check_ranges` finds nothing; only number criteria's answers are read,
        and compared in C (``map`` over ``operator.lt``/``gt``)."""
        ids = given.keys() & self.low.keys()
        values = list(map(_VALUE, map(given.__getitem__, ids)))
        if not set(map(type, values)) <= {float, int}:  # yes/no or no value: NaN, which no bound rejects
            values = [value if isinstance(value, float | int) and not isinstance(value, bool) else math.nan
                      for value in values]
        out = any(map(lt, values, map(self.low.__getitem__, ids))) or any(
            map(gt, values, map(self.high.__getitem__, ids)))
        return not out


def _check_ranges(prefix: list[object], given: Mapping[str, Answer], criteria: Mapping[str, Criterion],
                  doc: YamlDocument, issues: list[Issue]) -> None:
    for cid, answer in given.items():
        criterion = criteria.get(cid)
        value = answer.value
        if criterion is None or criterion.answer is not AnswerKind.number or isinstance(value, bool) \
                or value is None:
            continue
        low, high = number_range(criterion)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (Message("{low} to {high}", low=f"{low:g}", high=f"{high:g}") if high is not None
                      else Message("at least {low}", low=f"{low:g}"))
            issues.append(doc.issue([*prefix, cid, "value"], Message(
                "is out of the sensible range for {unit}", unit=str(criterion.unit)), "out_of_range", bounds,
                f"{value:g}"))


def check_goals_are_served(selection: Selection, doc: YamlDocument, issues: list[Issue]) -> None:
    """A goal that carries weight but links no criterion would score every bid 0 on it: an error."""
    for index, goal in enumerate(selection.goals):
        if (goal.weight is None or goal.weight > 0) and not goal.criteria:
            issues.append(doc.issue(["goals", index, "criteria"], Message(
                "links no criterion, but the goal carries weight: every bid would score 0 on it"), "unserved_goal",
                Message("at least one criterion with points, or weight 0"), Message("no criteria")))


SERVICES_TOLERANCE = 0.01  # services_cost may differ from days x rate by 1 % before a note says so


def check_services_cost(vendors: list[tuple[Vendor, YamlDocument]]) -> list[Issue]:
    """Notes (not errors) for offers whose services cost is not services days x day rate within 1 % (TCO
    reads ``services_cost``; days and rate explain it, so a difference is a question for the vendor)."""
    notes = []
    for vendor, doc in vendors:
        for o, offer in enumerate(vendor.offers):
            plan, product = offer.implementation, offer.implementation.services_days_times_rate
            if product is not None and abs(plan.services_cost - product) > SERVICES_TOLERANCE * max(
                    product, plan.services_cost):
                notes.append(doc.issue(["offers", o, "implementation", "services_cost"], f"differs from "
                                       f"services_days x services_day_rate ({product:,.0f}) by more than 1 %: ask "
                                       "the vendor which is right (TCO uses services_cost)", "services_cost_mismatch",
                                       f"about {product:,.0f}", f"{plan.services_cost:,.0f}"))
    return notes


def past_promises(vendors: list[tuple[Vendor, YamlDocument]], scale: ComplianceScale | None,
                  as_of: dt.date | None) -> list[Issue]:
    """Notes for future-release answers whose release date is already past at ``as_of``."""
    future = frozenset(c.code for c in scale.codes if c.needs_date) if scale is not None else frozenset()
    if not future or as_of is None:
        return []
    notes: list[Issue] = []
    for vendor, doc in vendors:
        answers = vendor.answers
        # only answers with a future-release code are read twice (the codes are read in C)
        promised = compress(answers.items(), map(future.__contains__, map(_CODE, answers.values())))
        for cid, answer in promised:
            if answer.available is not None and answer.available < as_of:
                notes.append(doc.issue(["answers", cid, "available"], Message(
                    "promises a future release on a date already past at as_of {date}: ask the vendor whether it "
                    "shipped", date=as_of.isoformat()), "past_promise", Message("a date after {date}",
                                                                                 date=as_of.isoformat()),
                                       answer.available.isoformat()))
    return notes


__all__ = [
    "SERVICES_TOLERANCE",
    "YAML_SUFFIXES",
    "check_answer_ranges",
    "check_goals_are_served",
    "check_services_cost",
    "file_problem",
    "past_promises",
    "stray_vendor_files",
]
