"""Importing a goals workbook: replace the goals, the weighting and the links in the goals file, atomically.

:func:`import_goals` reads and checks the workbook (:mod:`crmselect.excel.goals_read`), refuses it
without ``force`` when the goals file's goals changed after the workbook was written, builds the new
``goals:``, ``weighting:``, ``ranking:``, ``swing:`` and ``judgments:`` blocks, keeps the rest of the
file (assumptions, must-haves, stakeholder views and their comments), proves the result loads as a
whole selection in a scratch copy, then writes it under the selection lock and records the change
in the decision log (with the acting member; a committee without members yet cannot sign for it,
and the output says so).  A criterion's place in a goal keeps the file's order; new links follow in
catalogue order.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from crmselect.errors import InputError, Issue, Message, WorkbookError
from crmselect.excel.goals_layout import goals_digest
from crmselect.excel.goals_read import GoalsWorkbook, read_goals_workbook
from crmselect.excel.safe import DEFAULT_LIMITS, Limits
from crmselect.excel.yaml_writeback import replace_blocks
from crmselect.files.crosschecks import GOALS_FILE
from crmselect.files.loaders import load_project
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.workspace import SELECTION_FILE, selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.project import Project
from crmselect.record.envelopes import record_now
from crmselect.record.signing import Signer
from crmselect.scoring.weighting import DerivedWeights, derive_weights
from crmselect.show.i18n import _

WEIGHTING_KEYS = ("weighting", "ranking", "swing", "judgments")


@dataclass(frozen=True)
class GoalsImport:
    """What ``import_goals`` wrote (or that nothing changed), with the resulting weights."""

    path: Path
    unchanged: bool
    goals: int = 0
    links: int = 0
    method: str = ""
    weights: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    entry: int | None = None  # the decision log entry that recorded the change
    derived: DerivedWeights | None = None  # the weights the goals file now gives (None: unchanged)


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def new_goals_data(read: GoalsWorkbook, project: Project) -> dict[str, Any]:
    """The goals file's new top-level values: ``goals`` and the chosen method's inputs."""
    old = {goal.id: goal for goal in project.selection.goals}
    goals = []
    for row in read.goals:
        before = list(old[row.id].criteria) if row.id in old else []
        order = [cid for cid in before if cid in row.links] + [cid for cid in row.links if cid not in before]
        goal: dict[str, Any] = {"id": row.id, "name": row.name}
        if row.description:
            goal["description"] = row.description
        if read.method == "points":
            goal["weight"] = _plain_number(row.points or 0.0)
        if row.kpis:
            goal["kpis"] = [{k: _plain_number(v) if isinstance(v, float) else v for k, v in kpi.items()}
                            for kpi in row.kpis]
        goal["criteria"] = {cid: _plain_number(row.links[cid]) for cid in order}
        goals.append(goal)
    data: dict[str, Any] = {"goals": goals}
    if read.method != "points":
        data["weighting"] = read.method
    if read.method == "rank_order":
        places = sorted({g.rank for g in read.goals if g.rank is not None})
        ranking: list[Any] = []
        for place in places:
            tied = [g.id for g in read.goals if g.rank == place]
            ranking.append(tied[0] if len(tied) == 1 else tied)
        data["ranking"] = ranking
    elif read.method == "swing":
        data["swing"] = {g.id: _plain_number(g.swing or 0.0) for g in read.goals}
    elif read.method == "ahp":
        data["judgments"] = {member: [[a, b, _plain_number(v)] for a, b, v in judged]
                             for member, judged in read.judgments.items()}
    return data


def patched_goals_text(text: str, data: Mapping[str, Any], name: str) -> str:
    """``text`` with the goals and weighting blocks replaced (absent methods' blocks removed), checked."""
    before = load_plain(text) if text.strip() else {}
    if not isinstance(before, dict):
        raise WorkbookError(_("{file}: does not hold a mapping at the top; cannot update it").format(file=name))
    blocks = {"goals": yaml.safe_dump({"goals": data["goals"]}, allow_unicode=True, sort_keys=False, width=110)}
    for key in WEIGHTING_KEYS:
        flow = None if isinstance(data.get(key), list | dict) else False  # inner lists inline, a scalar as key: value
        blocks[key] = yaml.safe_dump({key: data[key]}, allow_unicode=True, sort_keys=False,
                                     default_flow_style=flow, width=110) if key in data else ""
    new_text = replace_blocks(text, blocks)
    after = load_plain(new_text)
    expected = {k: v for k, v in before.items() if k not in WEIGHTING_KEYS}
    expected.update(data)
    if after != expected:
        raise WorkbookError(_("{file}: has a layout crmselect cannot update safely (e.g. anchors or keys spread "
                              "over several blocks); nothing written").format(file=name))
    return new_text


def _proved(project: Project, new_text: str, source: str) -> Project:
    """Load the selection with ``new_text`` as its goals file in a scratch copy: every problem, or the project."""
    root = project.root
    with tempfile.TemporaryDirectory(prefix="crmselect-goals-") as scratch:
        copy = Path(scratch) / "selection"
        copy.mkdir()
        for part in ("criteria", "vendors"):
            shutil.copytree(root / part, copy / part)
        if (root / SELECTION_FILE).exists():
            shutil.copyfile(root / SELECTION_FILE, copy / SELECTION_FILE)
        (copy / GOALS_FILE).write_text(new_text, encoding="utf-8")
        try:
            return load_project(copy)
        except InputError as exc:
            issues = [Issue(i.file, i.field, Message("{message} (after importing {source})", message=i.message,
                                                     source=source), line=i.line, code=i.code,
                            allowed=i.allowed, received=i.received) for i in exc.issues]
            raise InputError(issues, _("{file}: importing it would leave the selection with {count} problem(s); "
                                       "nothing written").format(file=source, count=len(issues))) from exc


def import_goals(
    path: str | Path, project: Project, *, force: bool = False, member: str | None = None,
    signer: Signer | None = None, why: str = "", limits: Limits = DEFAULT_LIMITS,
) -> GoalsImport:
    """Check a goals workbook and write the goals file; record the change in the decision log as ``member``."""
    source = Path(path).name
    read = read_goals_workbook(path, project, limits)
    target = project.root / GOALS_FILE
    current = goals_digest(project.selection)
    if read.digest != current and not force:
        raise InputError([Issue(GOALS_FILE, "goals", Message("were edited after {file} was written: importing it "
                                                             "would undo those edits", file=source),
                                code="goals_changed",
                                allowed=Message("--force to replace them with the workbook's, or a new goals workbook"),
                                received=Message("goals that differ from the ones the workbook was written from"))])
    text = target.read_text(encoding="utf-8-sig")
    data = new_goals_data(read, project)
    new_text = patched_goals_text(text, data, GOALS_FILE)
    proved = _proved(project, new_text, source)
    if goals_digest(proved.selection) == current:
        return GoalsImport(target, True, notes=read.notes)
    entry = None
    with selection_lock(project.root):
        if target.read_text(encoding="utf-8-sig") != text:
            raise InputError([Issue(GOALS_FILE, "", Message("changed while the workbook was being checked (another "
                                                            "import or an edit); repeat the import"),
                                    code="stale_selection", allowed=Message("the file this import was checked against"),
                                    received=Message("another file"))])
        write_text_atomic(target, new_text, overwrite=True)
        if member is not None:
            logged = record_now(load_project(project.root), member, why, signer)
            entry = logged.seq if logged is not None else None
    derived = derive_weights(proved.selection)
    notes = read.notes + _lost_comments(text)
    return GoalsImport(target, False, len(proved.selection.goals),
                       sum(len(g.criteria) for g in proved.selection.goals), derived.label,
                       tuple(derived.lines()[1:]), notes, entry, derived)


def _lost_comments(text: str) -> tuple[str, ...]:
    """Say so when comments inside the rewritten blocks were dropped (the rest of the file keeps its own)."""
    lines = text.splitlines()
    inside, count = False, 0
    for line in lines:
        if line and not line[0].isspace() and not line.startswith("#"):
            inside = line.split(":", 1)[0] in ("goals", *WEIGHTING_KEYS)
        elif inside and "#" in line and line.strip():
            count += 1
    if not count:
        return ()
    return (Message("{count} comment line(s) inside the goals block were not kept (the workbook has no place for "
                    "them); comments elsewhere in the file are kept", count=count),)


__all__ = ["GoalsImport", "import_goals", "new_goals_data", "patched_goals_text"]
