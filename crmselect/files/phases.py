"""``phases.yaml``: the committee's roll-out plan, read with line numbers and written back atomically.

The file is optional.  :func:`load_phase_plan` returns None when it is absent, and otherwise a plan checked
against the selection: every problem (a goal in no phase, a goal in two phases, an unknown goal, a phase
with no goals, duplicate phase ids, an unknown bid) is collected and raised at once as an ``InputError``,
each naming the file, line and field, what is allowed and what was received.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from crmselect.errors import InputError, Issue, Message
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.sanity import file_problem
from crmselect.files.validation import validate
from crmselect.files.workspace import selection_lock
from crmselect.files.yaml_lines import YamlDocument, read_yaml
from crmselect.model.goals import Selection
from crmselect.model.phases import PhasePlan

PHASES_FILE = "phases.yaml"
#: The decision-log kind of a plan written to phases.yaml (by `crmselect plan --write` and the dashboard alike).
PLAN_LOG_KIND = "plan_written"


def load_phase_plan(root: str | Path, selection: Selection,
                    bid_ids: Collection[str] | None = None) -> PhasePlan | None:
    """The plan in ``root/phases.yaml`` checked against ``selection`` (and ``bid_ids``, when given); None when the
    selection has no such file.  ``InputError`` lists every problem."""
    path = Path(root) / PHASES_FILE
    if not (path.exists() or path.is_symlink()):
        return None
    issues: list[Issue] = []
    problem = file_problem(path, PHASES_FILE)
    if problem is not None:
        raise InputError([problem])
    doc = read_yaml(path, PHASES_FILE, issues)
    if doc is None:
        raise InputError(issues)
    plan = validate(PhasePlan, doc, issues)
    if plan is None:
        _structural_issues(doc, selection, bid_ids, issues)
        raise InputError(issues)
    issues.extend(plan_issues(plan, doc, selection, bid_ids))
    if issues:
        raise InputError(issues)
    return plan


def plan_issues(plan: PhasePlan, doc: YamlDocument, selection: Selection,
                bid_ids: Collection[str] | None = None) -> list[Issue]:
    """What in a valid plan does not fit the selection (goals in no phase, unknown goals) or the bids."""
    out: list[Issue] = []
    allowed = ", ".join(selection.goal_ids)
    for found in plan.problems_against(selection):
        if found.kind == "unknown":
            out.append(doc.issue(["phases", found.phase_index, "goals", found.goal_index],
                                 Message("names a goal the selection does not have"), "unknown_goal",
                                 Message("a goal of criteria/goals.yaml: {goals}", goals=allowed), found.goal))
        else:
            out.append(doc.issue(["phases"], Message("has goal {goal} in no phase: each goal must go live in one "
                                                     "phase", goal=found.goal),
                                 "goal_in_no_phase", Message("every goal in one phase: {goals}", goals=allowed),
                                 Message("{goal} in no phase", goal=found.goal)))
    if plan.bid is not None and bid_ids is not None and plan.bid not in bid_ids:
        out.append(_unknown_bid(doc, plan.bid, bid_ids))
    return out


def _unknown_bid(doc: YamlDocument, bid: str, bid_ids: Collection[str]) -> Issue:
    return doc.issue(["bid"], Message("names a bid the selection does not have"), "unknown_bid",
                     ", ".join(bid_ids) or Message("no bids yet"), bid)


def _structural_issues(doc: YamlDocument, selection: Selection, bid_ids: Collection[str] | None,
                       issues: list[Issue]) -> None:
    """When the plan itself is invalid, still report unknown goals and an unknown bid, so one run shows them all."""
    data = doc.data if isinstance(doc.data, dict) else {}
    bid = data.get("bid")
    if isinstance(bid, str) and bid_ids is not None and bid not in bid_ids:
        issues.append(_unknown_bid(doc, bid, bid_ids))
    phases = data.get("phases")
    known = set(selection.goal_ids)
    reported = {(i.field, i.code) for i in issues}
    for p, phase in enumerate(phases if isinstance(phases, list) else []):
        goals = phase.get("goals") if isinstance(phase, dict) else None
        for g, goal in enumerate(goals if isinstance(goals, list) else []):
            if isinstance(goal, str) and goal not in known:
                issue = doc.issue(["phases", p, "goals", g], Message("names a goal the selection does not have"),
                                  "unknown_goal", Message("a goal of criteria/goals.yaml: {goals}",
                                                          goals=", ".join(selection.goal_ids)), goal)
                if (issue.field, issue.code) not in reported:
                    issues.append(issue)


# ---------------------------------------------------------------------------- writing
def phase_plan_yaml(plan: PhasePlan, selection: Selection, *, header: str = "") -> str:
    """``plan`` as the text of ``phases.yaml``: the goals by id, each phase's goal names as a comment."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    if plan.bid is not None:
        lines.append(f"bid: {_scalar(plan.bid)}")
    if plan.effort_cap_days is not None:
        lines.append(f"effort_cap_days: {plan.effort_cap_days:g}")
    lines.append(f"overhead_days: {plan.overhead_days:g}")
    lines.append("phases:")
    names = {goal.id: goal.name for goal in selection.goals}
    for phase in plan.phases:
        lines.append(f"  - id: {_scalar(phase.id)}")
        lines.append(f"    name: {_scalar(phase.name)}")
        lines.append("    goals:")
        for goal in phase.goals:
            name = " ".join(names.get(goal, "").split())
            lines.append(f"      - {_scalar(goal)}" + (f"  # {name}" if name else ""))
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """One YAML scalar that reads back as ``text`` (quoted only when it must be)."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def write_phase_plan(root: str | Path, plan: PhasePlan, selection: Selection, *, overwrite: bool = False,
                     header: str = "") -> Path:
    """Write ``plan`` to ``root/phases.yaml`` atomically under the selection's lock; an existing file is replaced
    only with ``overwrite`` (else :class:`crmselect.files.safe_write.FileExistsErrorNoForce`)."""
    folder = Path(root)
    text = phase_plan_yaml(plan, selection, header=header)
    with selection_lock(folder):
        return write_text_atomic(folder / PHASES_FILE, text, overwrite=overwrite)


__all__ = ["PHASES_FILE", "PLAN_LOG_KIND", "load_phase_plan", "phase_plan_yaml", "plan_issues", "write_phase_plan"]
