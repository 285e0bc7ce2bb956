"""``actuals.yaml`` read, checked against the selection, and written; the reference-class file too.

Every problem is collected, each naming the file, the line, the field, what is allowed and what was
received: an unknown bid, goal, KPI or phase; a go-live or checkpoint in the future; a checkpoint before
go-live (or before its goal's phase went live); a KPI named twice in one checkpoint; a value of the wrong
type.  The phases are handed in as plain mappings (goal id -> phase id), so this module needs nothing of
the phase plan's code; without a plan the roll-out is one whole (big bang) and no go-live names a phase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from crmselect.errors import InputError, Issue, Message
from crmselect.files.loaders import load_model_file
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.sanity import file_problem
from crmselect.files.validation import validate
from crmselect.files.yaml_lines import YamlDocument, load_plain, read_yaml
from crmselect.model.actuals import Actuals, KpiActual, ReferenceClass, ReferenceProject
from crmselect.model.project import Project

ACTUALS_FILE = "actuals.yaml"
Today = Callable[[], dt.date]

_HEADER = ("# What happened after the decision: the bid bought, its go-live(s) and the KPIs measured at each\n"
           "# checkpoint. Written by `crmselect track`; you may edit it (docs/TRACKING.md).\n")
_REFERENCE_HEADER = ("# A reference class: past CRM roll-outs, the vendor's promised go-live against the actual one.\n"
                     "# Appended by `crmselect track --reference-class FILE` (docs/TRACKING.md).\n")


def load_actuals(root: str | Path, project: Project, *, goal_phases: Mapping[str, str] | None = None,
                 today: Today = dt.date.today) -> Actuals | None:
    """``root/actuals.yaml`` checked against ``project``; None when there is none; ``InputError`` lists every
    problem.  ``goal_phases`` ({goal id: phase id}) is the phase plan (None: the whole roll-out at once)."""
    path = Path(root) / ACTUALS_FILE
    if not path.exists():
        return None
    issues: list[Issue] = []
    problem = file_problem(path, ACTUALS_FILE)
    doc = None if problem is not None else read_yaml(path, ACTUALS_FILE, issues)
    if problem is not None:
        issues.append(problem)
    actuals = validate(Actuals, doc, issues) if doc is not None else None
    checked = actuals if actuals is not None or doc is None else _valid_part(doc.data)
    if checked is not None and doc is not None:  # the valid part is checked too: every problem at once
        issues.extend(check_actuals(checked, doc, project, goal_phases, today()))
    if issues or actuals is None:
        raise InputError(issues)
    return actuals


def _valid_part(data: Any) -> Actuals | None:
    """A file that failed validation, with each KPI value of the wrong type replaced by a stand-in 0, so that
    its other problems (unknown goals and KPIs, dates) are listed too; None when more than values are wrong."""
    if not isinstance(data, dict):
        return None
    checkpoints = []
    for item in _list(data.get("checkpoints")):
        if not isinstance(item, dict):
            return None
        kpis = [k if _fits(KpiActual, k) or not isinstance(k, dict) else {**k, "value": 0.0}
                for k in _list(item.get("kpis"))]
        checkpoints.append({**item, "kpis": kpis})
    try:
        return Actuals.model_validate({**data, "checkpoints": checkpoints})
    except ValidationError:
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _fits(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except ValidationError:
        return False
    return True


def document_of(actuals: Actuals, name: str = ACTUALS_FILE) -> YamlDocument:
    """``actuals`` as the file :func:`actuals_text` writes, with its lines (to check it before it is written)."""
    text = actuals_text(actuals)
    return YamlDocument(name, load_plain(text), yaml.compose(text, Loader=yaml.SafeLoader))


def signature_date(actuals: Actuals, project: Project) -> dt.date | None:
    """The day the contract was signed: ``signed`` in actuals.yaml, else ``as_of`` of selection.yaml."""
    return actuals.signed or project.selection.assumptions.start_date


def check_actuals(actuals: Actuals, doc: YamlDocument, project: Project, goal_phases: Mapping[str, str] | None,
                  today: dt.date) -> list[Issue]:
    """Every problem of ``actuals`` against the selection, the phase plan and ``today``, located in ``doc``."""
    issues: list[Issue] = []
    bids = [b.id for b in project.bids]
    if actuals.bid not in bids:
        issues.append(doc.issue(["bid"], Message("is not a bid of this selection"), "unknown_bid",
                                ", ".join(bids), actuals.bid))
    signed = signature_date(actuals, project)
    if signed is None:
        issues.append(doc.issue(["signed"], Message("is needed: selection.yaml has no as_of date to count from"),
                                "no_signature_date", Message("a date such as 2027-01-04"), Message("nothing")))
    phases = sorted(set(goal_phases.values())) if goal_phases is not None else None
    live: dict[str | None, dt.date] = {}
    for index, go_live in enumerate(actuals.go_lives):
        at = ["go_lives", index]
        if phases is None and go_live.phase is not None:
            issues.append(doc.issue([*at, "phase"], Message("names a phase, but the selection has no phases.yaml"),
                                    "unknown_phase", Message("no phase (the whole roll-out)"), go_live.phase))
        elif phases is not None and go_live.phase not in phases:
            issues.append(doc.issue([*at, "phase"], Message("is not a phase of phases.yaml"), "unknown_phase",
                                    ", ".join(phases), go_live.phase or Message("nothing")))
        if go_live.phase in live:
            issues.append(doc.issue([*at, "date"], Message("is a second go-live of the same phase"),
                                    "duplicate_go_live", Message("one go-live per phase"), go_live.date.isoformat()))
        live.setdefault(go_live.phase, go_live.date)
        issues.extend(_dated(doc, [*at, "date"], go_live.date, signed, today))
    first = min(live.values(), default=None)
    seen_months: set[int] = set()
    for index, checkpoint in enumerate(actuals.checkpoints):
        at = ["checkpoints", index]
        if checkpoint.months in seen_months:
            issues.append(doc.issue([*at, "months"], Message("is a second checkpoint with the same months"),
                                    "duplicate_checkpoint", Message("one checkpoint per month count"),
                                    checkpoint.months))
        seen_months.add(checkpoint.months)
        issues.extend(_dated(doc, [*at, "date"], checkpoint.date, None, today))
        if first is None:
            issues.append(doc.issue([*at, "date"], Message("is a checkpoint before any go-live: record the go-live "
                                                           "first"), "before_go_live",
                                    Message("a date on or after the go-live"), checkpoint.date.isoformat()))
        elif checkpoint.date < first:
            issues.append(doc.issue([*at, "date"], Message("is before the go-live"), "before_go_live",
                                    Message("on or after {date}", date=first.isoformat()), checkpoint.date.isoformat()))
        issues.extend(_check_kpis(doc, at, checkpoint.kpis, checkpoint.date, project, goal_phases, live, first))
    return issues


def _dated(doc: YamlDocument, at: list[object], date: dt.date, signed: dt.date | None, today: dt.date) -> list[Issue]:
    out = []
    if date > today:
        out.append(doc.issue(at, Message("is in the future"), "future_date",
                             Message("a date on or before today ({today})", today=today.isoformat()), date.isoformat()))
    if signed is not None and date < signed:
        out.append(doc.issue(at, Message("is before the contract was signed"), "before_signature",
                             Message("on or after {date}", date=signed.isoformat()), date.isoformat()))
    return out


def _check_kpis(doc: YamlDocument, at: list[object], kpis: tuple[Any, ...], date: dt.date, project: Project,
                goal_phases: Mapping[str, str] | None, live: Mapping[str | None, dt.date],
                first: dt.date | None) -> list[Issue]:
    goals = {g.id: g for g in project.selection.goals}
    out: list[Issue] = []
    named: set[tuple[str, str]] = set()
    for k, item in enumerate(kpis):
        where = [*at, "kpis", k]
        goal = goals.get(item.goal)
        if goal is None:
            out.append(doc.issue([*where, "goal"], Message("is not a goal of this selection"), "unknown_goal",
                                 ", ".join(goals), item.goal))
            continue
        names = [kpi.name for kpi in goal.kpis]
        if item.kpi not in names:
            out.append(doc.issue([*where, "kpi"], Message("is not a KPI of goal {goal}", goal=goal.id), "unknown_kpi",
                                 ", ".join(names) or Message("none: the goal has no KPIs"), item.kpi))
            continue
        if (item.goal, item.kpi) in named:
            out.append(doc.issue([*where, "kpi"], Message("is named twice in one checkpoint"), "duplicate_kpi",
                                 Message("each KPI once per checkpoint"), item.kpi))
        named.add((item.goal, item.kpi))
        if goal_phases is not None and first is not None:
            phase = goal_phases.get(item.goal)
            started = live.get(phase)
            if started is None:
                out.append(doc.issue([*where, "goal"], Message("belongs to phase {phase}, which has no go-live yet",
                                                               phase=str(phase)), "before_go_live",
                                     Message("a goal of a phase that went live"), item.goal))
            elif date < started:
                out.append(doc.issue([*where, "goal"], Message(
                    "is measured before its phase {phase} went live ({date})", phase=str(phase),
                    date=started.isoformat()), "before_go_live",
                    Message("a checkpoint on or after {date}", date=started.isoformat()), date.isoformat()))
    return out


# ------------------------------------------------------------------ writing
def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def actuals_text(actuals: Actuals) -> str:
    """The YAML ``crmselect track`` writes (defaults left out, dates as YYYY-MM-DD, keys in the model's order)."""
    data = _plain(actuals.model_dump(mode="python", exclude_defaults=True))
    data["bid"] = actuals.bid
    return _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)


def write_actuals(root: str | Path, actuals: Actuals) -> Path:
    """Write ``root/actuals.yaml`` atomically (the caller holds the selection lock and has checked it)."""
    return write_text_atomic(Path(root) / ACTUALS_FILE, actuals_text(actuals), overwrite=True)


# ------------------------------------------------------------------ the reference class
def load_reference_class(path: str | Path) -> ReferenceClass:
    """A reference-class file (``--reference-class FILE``); an empty class when the file does not exist yet."""
    source = Path(path)
    if not source.exists():
        return ReferenceClass()
    return load_model_file(ReferenceClass, source)


def append_reference(path: str | Path, project: ReferenceProject) -> ReferenceClass:
    """Add ``project`` to the reference-class file (created when missing); the same selection and bid is replaced,
    so recording a corrected go-live does not count one roll-out twice."""
    old = load_reference_class(path)
    kept = tuple(p for p in old.projects
                 if not (p.selection_id and p.selection_id == project.selection_id and p.bid == project.bid))
    updated = ReferenceClass(projects=(*kept, project))
    data = _plain(updated.model_dump(mode="python", exclude_defaults=True))
    text = _REFERENCE_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    write_text_atomic(path, text, overwrite=True)
    return updated


__all__ = [
    "ACTUALS_FILE",
    "actuals_text",
    "append_reference",
    "check_actuals",
    "document_of",
    "load_actuals",
    "load_reference_class",
    "signature_date",
    "write_actuals",
]
