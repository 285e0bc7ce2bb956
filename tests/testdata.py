"""The test selections in tests/data/: a tiny valid one, and broken copies of it.

``tests/data/minimal/`` is a complete, valid selection (criteria/ and vendors/ laid out like the
repository's).  Each ``tests/data/broken/<case>/`` holds only the file(s) that differ from
minimal, at the same relative paths, each with exactly one deliberate mistake (marked
``# BROKEN`` where a comment fits).  A ``REMOVE`` file lists paths to delete instead.
:func:`broken_selection` rebuilds the whole broken folder in a temporary directory.

Other test modules may use :func:`copy_minimal` as the base for their own inputs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal"
BROKEN = DATA / "broken"
REMOVE = "REMOVE"


def broken_cases() -> list[str]:
    """Names of every folder under tests/data/broken/, sorted."""
    return sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def copy_minimal(dest: Path) -> Path:
    """A fresh copy of the minimal selection at ``dest`` (which must not exist yet)."""
    shutil.copytree(MINIMAL, dest)
    return dest


def overlay(selection: Path, case: str) -> Path:
    """Apply one broken case's files (and removals) onto an existing selection folder."""
    folder = BROKEN / case
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    for source in sorted(folder.rglob("*")):
        if source.is_file() and source.name != REMOVE:
            target = selection / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    removals = folder / REMOVE
    if removals.is_file():
        for rel in removals.read_text(encoding="utf-8").split():
            (selection / rel).unlink()
    return selection


def broken_selection(tmp_path: Path, *cases: str) -> Path:
    """minimal copied into ``tmp_path/selection`` with the given broken cases laid over it."""
    selection = copy_minimal(tmp_path / "selection")
    for case in cases:
        overlay(selection, case)
    return selection
