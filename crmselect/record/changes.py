"""Changes that matter are recorded: goal weights, knock-out minimums and consensus overrides.

Each recording action (lock, reveal, a saved scenario, an export, ``crmselect record``) compares these
inputs with the last state the log recorded and, when they differ, first logs a ``changed`` entry
with every difference (file, field, old -> new) and the new state.  ``rank`` and ``validate`` say
when there are changes not yet recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crmselect.files.crosschecks import COMMITTEE_FILE, GOALS_FILE
from crmselect.record.chain import LogEntry
from crmselect.record.seal import ABSENT, Change, changes

if TYPE_CHECKING:
    from crmselect.model.goals import Selection
    from crmselect.model.project import Project

STATE_KEY = "recorded_inputs"


def recorded_inputs(project: Project) -> dict[str, Any]:
    """The inputs whose every change the log keeps, as ``{"file | field": value}``."""
    out: dict[str, Any] = {}
    selection = project.selection
    for goal in selection.goals:
        if goal.weight is not None:
            out[f"{GOALS_FILE} | goals[{goal.id}].weight"] = float(goal.weight)
    out.update(weighting_inputs(selection))
    for rule in selection.must_haves:
        out[f"{GOALS_FILE} | must_haves[{rule.criterion}].minimum"] = rule.minimum
    for override in project.committee.overrides:
        out[f"{COMMITTEE_FILE} | overrides[{override.vendor}/{override.scenario}]"] = {
            "value": float(override.value), "reason": override.reason, "by": override.by}
    return out


def weighting_inputs(selection: Selection) -> dict[str, Any]:
    """The weighting method and its inputs (other than points), one recorded value per judgment or rating."""
    method = selection.weighting.value
    if method == "points":
        return {}
    out: dict[str, Any] = {f"{GOALS_FILE} | weighting": method}
    if selection.ranking:
        out[f"{GOALS_FILE} | ranking"] = [item if isinstance(item, str) else list(item) for item in selection.ranking]
    for goal, rating in selection.swing.items():
        out[f"{GOALS_FILE} | swing[{goal}]"] = float(rating)
    for member, judged in selection.judgments.items():
        for more, less, value in judged:
            out[f"{GOALS_FILE} | judgments[{member}][{more} vs {less}]"] = float(value)
    return out


def last_recorded(entries: Sequence[LogEntry]) -> tuple[int, dict[str, Any]] | None:
    """(seq, state) of the last entry that recorded the inputs, or None when none has."""
    for entry in reversed(entries):
        if isinstance(entry.what, dict) and isinstance(entry.what.get(STATE_KEY), dict):
            return entry.seq, entry.what[STATE_KEY]
    return None


def pending(entries: Sequence[LogEntry], inputs: Mapping[str, Any]) -> tuple[Change, ...]:
    """The differences between ``inputs`` and the last recorded state (none before anything was recorded)."""
    last = last_recorded(entries)
    return () if last is None else changes(last[1], inputs)


def changed_what(entries: Sequence[LogEntry], inputs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``what`` of a ``changed`` entry for ``inputs``, or None when they equal the last recorded state."""
    last = last_recorded(entries)
    if last is not None and not changes(last[1], inputs):
        return None
    found = changes(last[1] if last else {}, inputs)
    return {"changes": [{"file": c.file, "field": c.field, "old": None if last is None else _plain(c.old),
                         "new": _plain(c.new)} for c in found], STATE_KEY: dict(inputs)}


def _plain(value: Any) -> Any:
    return None if value is ABSENT else value


__all__ = ["STATE_KEY", "changed_what", "last_recorded", "pending", "recorded_inputs"]
