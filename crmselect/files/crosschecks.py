"""Cross-file checks of a selection folder: what no single file's schema can see.

:func:`crmselect.files.loaders.load_project` validates each file on its own, then runs these on the
valid model objects (with their YAML documents, to name file, line and field); each appends an
``Issue`` per problem and none raises: :func:`check_scale` (unique codes), :func:`check_selection`
(goals.yaml against catalogue, scale and committee), :func:`check_vendors` (each bid against
catalogue, scale and goals) and :func:`check_committee` (committee.yaml against catalogue and
vendors).  A criterion that failed its own validation is never reported again as unknown
(``_unknown``).  The folder's file names live here because the messages name them;
:mod:`crmselect.files.loaders` re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, is_

from crmselect.errors import Issue, Message
from crmselect.files.yaml_lines import YamlDocument
from crmselect.model.bids import Answer, Vendor
from crmselect.model.goals import AnswerKind, Committee, ComplianceScale, Criterion, Role, Selection
from crmselect.model.weighting import COMMITTEE_AS_ONE

CATALOGUE_DIR = "criteria/catalogue"
THEMES_FILE = "criteria/goal_themes.yaml"
SCALE_FILE = "criteria/compliance_scale.yaml"
GOALS_FILE = "criteria/goals.yaml"
COMMITTEE_FILE = "vendors/committee.yaml"
VENDORS_DIR = "vendors"
#: earlier offer rounds (best-and-final offers), one file per round: ``<vendor id>.r<N>.yaml``; never read as bids
ROUNDS_DIR = "vendors/rounds"

_ANSWERABLE = (AnswerKind.compliance, AnswerKind.number, AnswerKind.yes_no)
_CODE, _VALUE, _AVAILABLE = attrgetter("code"), attrgetter("value"), attrgetter("available")
_COMPLIANCE, _NUMBER, _YES_NO, _UNANSWERABLE = range(4)  # small ints: set members hashed in C (enums hash in Python)


def _unknown(cid: str, criteria: dict[str, Criterion], unchecked: AbstractSet[str] | None) -> bool:
    """True when ``cid`` is surely not in the catalogue.

    ``unchecked`` holds ids of criteria that exist but failed validation (already reported), and is
    ``None`` when a catalogue file could not be read at all: then no id can be called unknown, and
    saying so would bury the one real problem under a cascade of false ones.
    """
    return unchecked is not None and cid not in criteria and cid not in unchecked



def check_scale(scale: ComplianceScale, doc: YamlDocument, issues: list[Issue]) -> None:
    seen: set[str] = set()
    for index, code in enumerate(scale.codes):
        if code.code in seen:
            path: list[object] = ["codes", index, "code"]
            issues.append(
                Issue(
                    doc.name,
                    doc.field(path),
                    Message("is a duplicate compliance code"),
                    line=doc.line(path),
                    code="duplicate_id",
                    allowed=Message("each code once"),
                    received=code.code,
                )
            )
        seen.add(code.code)


def check_selection(
    selection: Selection,
    doc: YamlDocument,
    criteria: dict[str, Criterion],
    scale: ComplianceScale | None,
    issues: list[Issue],
    unchecked: AbstractSet[str] | None = frozenset(),
    members: AbstractSet[str] | None = None,
) -> None:
    """Cross-checks of goals.yaml; ``members`` are the committee's member ids (``None``: unknown)."""

    def add(path: list[object], message: str, code: str, allowed: str, received: object) -> None:
        issues.append(doc.issue(path, message, code, allowed, received))

    goal_ids: set[str] = set()
    for g, goal in enumerate(selection.goals):
        if goal.id in goal_ids:
            add(["goals", g, "id"], Message("is a duplicate goal id"), "duplicate_id", Message("a unique id"), goal.id)
        goal_ids.add(goal.id)
        for cid in goal.criteria:
            if _unknown(cid, criteria, unchecked):
                add(
                    ["goals", g, "criteria", cid],
                    Message("links a criterion that is not in the catalogue"),
                    "unknown_criterion",
                    Message("an id from criteria/catalogue/"),
                    cid,
                )
    for wrong in selection.weighting_problems():
        add(list(wrong.path), wrong.message, wrong.code, wrong.allowed, wrong.received)
    if members is not None:
        for member in selection.judgments:
            if member not in members and member != COMMITTEE_AS_ONE:
                add(["judgments", member], Message("is not a member of the committee"), "unknown_member",
                    ", ".join([*sorted(members), COMMITTEE_AS_ONE]), member)
    for m, rule in enumerate(selection.must_haves):
        criterion = criteria.get(rule.criterion)
        if criterion is None:
            if not _unknown(rule.criterion, criteria, unchecked):
                continue
            add(
                ["must_haves", m, "criterion"],
                Message("names a criterion that is not in the catalogue"),
                "unknown_criterion",
                Message("an id from criteria/catalogue/"),
                rule.criterion,
            )
            continue
        problem = _minimum_problem(criterion, rule.minimum, scale)
        if problem:
            add(
                ["must_haves", m, "minimum"],
                Message("does not fit the criterion's answer type"),
                "bad_minimum",
                problem,
                repr(rule.minimum),
            )
    for v, view in enumerate(selection.stakeholder_views):
        if view.holder and members is not None and view.holder not in members and view.holder not in set(Role):
            add(
                ["stakeholder_views", v, "holder"],
                Message("is neither a committee member nor a role"),
                "unknown_holder",
                Message("a member id from {file} ({members}), a role ({roles}), or nothing", file=COMMITTEE_FILE,
                        members=", ".join(sorted(members)), roles=", ".join(Role)),
                view.holder,
            )
        for gid in view.weights:
            if gid not in goal_ids:
                add(
                    ["stakeholder_views", v, "weights", gid],
                    Message("names an unknown goal"),
                    "unknown_goal",
                    ", ".join(sorted(goal_ids)),
                    gid,
                )
    if scale is not None:
        for code in selection.compliance_values:
            if code not in scale.letters:
                add(
                    ["compliance_values", code],
                    Message("is not a compliance code"),
                    "unknown_code",
                    ", ".join(scale.letters),
                    code,
                )


def _minimum_problem(criterion: Criterion, minimum: object, scale: ComplianceScale | None) -> str:
    kind = criterion.answer
    if kind is AnswerKind.compliance:
        if not isinstance(minimum, str) or (scale is not None and minimum not in scale.letters):
            return Message("a compliance code: {codes}", codes=", ".join(scale.letters) if scale else "S, C, ...")
    elif kind is AnswerKind.yes_no:
        if not isinstance(minimum, bool):
            return Message("true or false")
    elif kind in (AnswerKind.number, AnswerKind.committee_score, AnswerKind.computed):
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            return Message("a number from 0 to 5") if kind is AnswerKind.committee_score else Message("a number")
        if kind is AnswerKind.committee_score and not 0 <= minimum <= 5:
            return Message("a number from 0 to 5")
        if kind is AnswerKind.computed and not 0 <= minimum <= 1:
            return Message("a value from 0 to 1")
    return ""


def check_vendors(
    vendors: list[tuple[Vendor, YamlDocument]],
    criteria: dict[str, Criterion],
    scale: ComplianceScale | None,
    selection: Selection | None,
    issues: list[Issue],
    unchecked: AbstractSet[str] | None = frozenset(),
) -> None:
    vendor_ids: dict[str, str] = {}
    offer_ids: dict[str, str] = {}
    linked = {cid for goal in selection.goals for cid in goal.criteria} if selection else set()
    letters = frozenset(scale.letters) if scale is not None else frozenset()  # looked up per answer: once here
    dated = frozenset(c.code for c in scale.codes if c.needs_date) if scale is not None else frozenset()
    kinds = _AnswerKinds.of(criteria, scale, letters, dated)
    # linked criteria a vendor must answer, in the order their missing answers are reported
    needed_order = [cid for cid in sorted(linked) if cid in criteria and criteria[cid].answer in _ANSWERABLE]
    needed = frozenset(needed_order)
    for vendor, doc in vendors:

        def add(
            path: list[object], message: str, code: str, allowed: str, received: object, doc: YamlDocument = doc
        ) -> None:
            issues.append(doc.issue(path, message, code, allowed, received))

        if vendor.id in vendor_ids:
            add(
                ["id"],
                Message("is a duplicate vendor id"),
                "duplicate_id",
                Message("a unique id"),
                Message("{id} (also in {file})", id=vendor.id, file=vendor_ids[vendor.id]),
            )
        vendor_ids[vendor.id] = doc.name
        for o, offer in enumerate(vendor.offers):
            if offer.id in offer_ids:
                add(
                    ["offers", o, "id"],
                    Message("is a duplicate offer id"),
                    "duplicate_id",
                    Message("an id unique across vendors"),
                    Message("{id} (also in {file})", id=offer.id, file=offer_ids[offer.id]),
                )
            offer_ids[offer.id] = doc.name
        if selection is not None and vendor.currency != selection.currency:
            add(
                ["currency"],
                Message("differs from the selection's currency (mixed currencies)"),
                "mixed_currency",
                f"{selection.currency} (criteria/goals.yaml)",
                vendor.currency,
            )
        answer_sets: list[tuple[list[object], Mapping[str, Answer]]] = [(["answers"], vendor.answers)]
        answer_sets += [(["offers", o, "answers"], offer.answers) for o, offer in enumerate(vendor.offers)]
        for prefix, given in answer_sets:
            if not kinds.clean(given):  # only a set with a problem is walked answer by answer
                _check_answers(prefix, given, criteria, scale, letters, dated, unchecked, add)
        unanswered = needed.difference(vendor.answers)
        for cid in needed_order if unanswered else ():
            if cid in unanswered:
                add(
                    ["answers", cid],
                    Message("has no answer to {id}, which a goal links", id=cid),
                    "missing_answer",
                    Message("an answer to every linked criterion"),
                    Message("no answer"),
                )


def _check_answers(
    prefix: list[object],
    given: Mapping[str, Answer],
    criteria: dict[str, Criterion],
    scale: ComplianceScale | None,
    letters: frozenset[str],
    dated: frozenset[str],
    unchecked: AbstractSet[str] | None,
    add: Callable[[list[object], str, str, str, object], None],
) -> None:
    """Each answer of one answer set against its criterion's kind and the scale, in the set's order."""
    for cid, answer in given.items():
        criterion = criteria.get(cid)
        if criterion is None:
            if not _unknown(cid, criteria, unchecked):
                continue
            add(
                [*prefix, cid],
                Message("answers a criterion that is not in the catalogue"),
                "unknown_criterion",
                Message("an id from criteria/catalogue/"),
                cid,
            )
            continue
        kind = criterion.answer
        if kind in (AnswerKind.committee_score, AnswerKind.computed):
            add(
                [*prefix, cid],
                Message("is not answered by the vendor"),
                "not_answerable",
                Message("no answer (the committee scores it or crmselect computes it)"),
                Message("an answer"),
            )
        elif kind is AnswerKind.compliance:
            if answer.code is None:
                add(
                    [*prefix, cid, "value"],
                    Message("needs a compliance code"),
                    "wrong_answer_type",
                    Message("code: {codes}", codes=", ".join(scale.letters) if scale else "S, C, ..."),
                    answer.value,
                )
            elif scale is not None and answer.code not in letters:
                add(
                    [*prefix, cid, "code"],
                    Message("is not a compliance code"),
                    "unknown_code",
                    ", ".join(scale.letters),
                    answer.code,
                )
            elif answer.code in dated and answer.available is None:
                add(
                    [*prefix, cid, "available"],
                    Message("is required with code {code} (future release)", code=answer.code),
                    "missing_date",
                    Message("a date such as 2027-06-30"),
                    Message("nothing"),
                )
        elif kind is AnswerKind.number:
            if answer.code is not None or isinstance(answer.value, bool):
                add(
                    [*prefix, cid],
                    Message("needs a number"),
                    "wrong_answer_type",
                    Message("value: a number in {unit}", unit=str(criterion.unit)),
                    answer.code if answer.code is not None else answer.value,
                )
        elif kind is AnswerKind.yes_no and not isinstance(answer.value, bool):
            add(
                [*prefix, cid],
                Message("needs yes or no"),
                "wrong_answer_type",
                Message("value: true or false"),
                answer.code if answer.code is not None else answer.value,
            )


@dataclass(frozen=True)
class _AnswerKinds:
    """The catalogue's criteria by answer kind, to clear a whole answer set at once.

    :meth:`clean` is True exactly when :func:`_check_answers` would find nothing in the set (every id known
    and answerable, every answer of its criterion's kind, codes on the scale, dated codes dated).  It reads
    the answers with C-level ``map``/``zip`` and judges only the distinct (kind, code) and (kind, value type)
    pairs, instead of a Python step per answer.
    """

    kind_of: Mapping[str, int]  # criterion id -> _COMPLIANCE, _NUMBER, _YES_NO or _UNANSWERABLE
    scale: ComplianceScale | None
    letters: frozenset[str]
    dated: frozenset[str]

    @classmethod
    def of(cls, criteria: Mapping[str, Criterion], scale: ComplianceScale | None, letters: frozenset[str],
           dated: frozenset[str]) -> _AnswerKinds:
        kinds = {AnswerKind.compliance: _COMPLIANCE, AnswerKind.number: _NUMBER, AnswerKind.yes_no: _YES_NO}
        return cls({cid: kinds.get(criterion.answer, _UNANSWERABLE) for cid, criterion in criteria.items()},
                   scale, letters, dated)

    def clean(self, given: Mapping[str, Answer]) -> bool:
        kinds = list(map(self.kind_of.get, given))  # None: not in the catalogue
        answers = list(given.values())
        codes = list(map(_CODE, answers))
        for kind, code in set(zip(kinds, codes, strict=True)):
            if kind == _COMPLIANCE:
                if code is None or (self.scale is not None and code not in self.letters):
                    return False
            elif kind not in (_NUMBER, _YES_NO) or code is not None:
                return False
        for kind, value_type in set(zip(kinds, map(type, map(_VALUE, answers)), strict=True)):
            if (kind == _NUMBER and value_type is bool) or (kind == _YES_NO and value_type is not bool):
                return False
        # a dated code (only compliance answers can hold one here) needs its date
        undated = map(is_, map(_AVAILABLE, compress(answers, map(self.dated.__contains__, codes))), repeat(None))
        return not any(undated)


def check_committee(
    committee: Committee,
    doc: YamlDocument,
    criteria: dict[str, Criterion],
    vendors: list[Vendor],
    linked: set[str],
    issues: list[Issue],
    unchecked: AbstractSet[str] | None = frozenset(),
    unchecked_vendors: AbstractSet[str] | None = frozenset(),
) -> None:
    def add(path: list[object], message: str, code: str, allowed: str, received: object) -> None:
        issues.append(doc.issue(path, message, code, allowed, received))

    for label, ids, key in (
        (Message("is a duplicate member id"), committee.member_ids, "members"),
        (Message("is a duplicate scenario id"), committee.scenario_ids, "scenarios"),
    ):
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                add([key, index, "id"], label, "duplicate_id", Message("a unique id"), item)
            seen.add(item)
    for index, scenario in enumerate(committee.scenarios):
        criterion = criteria.get(scenario.criterion)
        if criterion is None and not _unknown(scenario.criterion, criteria, unchecked):
            continue
        if criterion is None or criterion.answer is not AnswerKind.committee_score:
            add(
                ["scenarios", index, "criterion"],
                Message("must name a committee-score criterion"),
                "bad_scenario",
                Message("a catalogue criterion with answer: committee_score"),
                scenario.criterion,
            )
    scored = {s.criterion for s in committee.scenarios}
    for cid in sorted(linked):
        criterion = criteria.get(cid)
        if criterion is not None and criterion.answer is AnswerKind.committee_score and cid not in scored:
            add(
                ["scenarios"],
                Message("has no demo scenario for {id}, a committee-score criterion a goal links", id=cid),
                "unscored_criterion",
                Message("a scenario with criterion: {id}", id=cid),
                Message("none"),
            )
    members, scenarios = set(committee.member_ids), set(committee.scenario_ids)
    vendor_ids = {v.id for v in vendors}

    def unknown_vendor(vendor_id: str) -> bool:
        if unchecked_vendors is None or not (vendor_ids or unchecked_vendors):
            return False  # a vendor file could not be read, or there are none: that is the problem reported
        return vendor_id not in vendor_ids and vendor_id not in unchecked_vendors

    # scores and notes share one shape: [member][vendor][scenario]
    tables: dict[str, Mapping[str, Mapping[str, Mapping[str, object]]]] = {
        "scores": committee.scores,
        "notes": committee.notes,
    }
    for key, table in tables.items():
        for member, by_vendor in table.items():
            if member not in members:
                add([key, member], Message("is not a committee member"), "unknown_member", ", ".join(sorted(members)),
                    member)
            for vendor, by_scenario in by_vendor.items():
                if unknown_vendor(vendor):
                    allowed = ", ".join(sorted(vendor_ids))
                    add([key, member, vendor], Message("is not a vendor"), "unknown_vendor", allowed, vendor)
                for scenario_id in by_scenario:
                    if scenario_id not in scenarios:
                        add(
                            [key, member, vendor, scenario_id],
                            Message("is not a demo scenario"),
                            "unknown_scenario",
                            ", ".join(sorted(scenarios)),
                            scenario_id,
                        )
    for index, override in enumerate(committee.overrides):
        if unknown_vendor(override.vendor):
            add(
                ["overrides", index, "vendor"],
                Message("is not a vendor"),
                "unknown_vendor",
                ", ".join(sorted(vendor_ids)),
                override.vendor,
            )
        if override.scenario not in scenarios:
            add(
                ["overrides", index, "scenario"],
                Message("is not a demo scenario"),
                "unknown_scenario",
                ", ".join(sorted(scenarios)),
                override.scenario,
            )


__all__ = [
    "CATALOGUE_DIR",
    "COMMITTEE_FILE",
    "GOALS_FILE",
    "SCALE_FILE",
    "THEMES_FILE",
    "VENDORS_DIR",
    "check_committee",
    "check_scale",
    "check_selection",
    "check_vendors",
]
