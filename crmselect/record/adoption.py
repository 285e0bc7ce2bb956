"""Adopting a folder made before ``selection.yaml`` existed, with its decision log kept and attested.

The files move (:func:`crmselect.files.init.adopt_files`); an existing log is verified first, then
one ``adopt`` entry binds it to the new selection id and attests its head.  The entries before it
verify by their chain only: nothing tied them to this selection when they were written.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from crmselect.errors import InputError, Issue, Message
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.init import InitResult, adopt_files
from crmselect.files.workspace import LOG_FILE, selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.record.log import DecisionLog


def _committee_members(folder: Path) -> list[str]:
    try:
        data = load_plain((folder / COMMITTEE_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    members = data.get("members") if isinstance(data, dict) else None
    return [str(m["id"]) for m in members or [] if isinstance(m, dict) and "id" in m]


def adopt(folder: str | Path, *, member: str | None, **given: Any) -> InitResult:
    """Adopt ``folder``; when it has a decision log, ``member`` (a committee member id) signs the adopt entry."""
    target = Path(folder)
    log_path = target / LOG_FILE
    with selection_lock(target):
        old_log = DecisionLog(log_path)
        if log_path.exists():
            old_log.verify()
            members = _committee_members(target)
            if member not in members:
                raise InputError([Issue(COMMITTEE_FILE, "members", Message(
                    "adoption records an entry in the decision log: name the acting member with `crmselect --member ID "
                    "init DIR --adopt`"), code="unknown_member", allowed=", ".join(members) or Message("no members"),
                    received=member or Message("nothing"))])
        result = adopt_files(target, **given)
        if not log_path.exists():
            return result
        assert member is not None
        seq, digest = old_log.head()
        selection_id = str(result.settings["id"])
        DecisionLog(log_path, selection_id=selection_id).append(
            "adopt", member, {"selection_id": selection_id, "attests_head": f"{seq}:{digest}", "entries_before": seq},
            f"adopted into selection {result.settings['name']}; the {seq} entries before this one verify by "
            "their chain only")
        return dataclasses.replace(result, attested_head=(seq, digest))


__all__ = ["adopt"]
