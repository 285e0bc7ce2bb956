"""The test selections in tests/data/: a tiny valid one, and broken copies of it.

``tests/data/minimal/`` is a complete, valid selection (criteria/ and vendors/ laid out like the
repository's).  Each ``tests/data/broken/<case>/`` holds only the file(s) that differ from
minimal, at the same relative paths, each with exactly one deliberate mistake (marked
``# BROKEN`` where a comment fits).  A ``REMOVE`` file lists paths to delete instead.
:func:`broken_selection` rebuilds the whole broken folder in a temporary directory.

Other test modules may use :func:`copy_minimal` as the base for their own inputs.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmselect.model.project import Project

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


_EXAMPLE: list[Path] = []


def example_root() -> Path:
    """The shipped English example, made once per test run with ``init --example`` in a temporary folder.

    Read-only use only: a test that writes (a log, an import) makes its own copy with :func:`copy_example`.
    """
    if not _EXAMPLE:
        from crmselect.files.init import init_selection

        base = Path(tempfile.mkdtemp(prefix="crmselect-example-"))
        atexit.register(shutil.rmtree, base, True)
        _EXAMPLE.append(init_selection(base / "example", example="en").folder)
    return _EXAMPLE[0]


def copy_example(dest: Path) -> Path:
    """A fresh, writable copy of the shipped example at ``dest`` (which must not exist yet)."""
    from crmselect.files.init import init_selection

    return init_selection(dest, example="en").folder


def load_example() -> Project:
    from crmselect.files.loaders import load_project

    return load_project(example_root())


def reveal_prices(folder: Path) -> Path:
    """Lock and reveal through the command line, as a committee does, so price figures may be shown."""
    from crmselect.cli.app import main
    from crmselect.files.loaders import load_project

    member = load_project(folder).committee.member_ids[0]
    assert main(["--member", member, "lock", str(folder), "--why", "test: technical scoring complete"]) == 0
    assert main(["--member", member, "reveal-prices", str(folder), "--why", "test: price envelope opened"]) == 0
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file by ``new``, as a committee member editing YAML would."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
