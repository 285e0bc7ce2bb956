"""The digest of the inputs a paper was made from, checkable with nothing but ``sha256sum``.

Each input file of the selection (``Project.sources``: selection.yaml, the catalogue, the goals, the
vendors' bids and the committee's scores, and ``phases.yaml`` and ``actuals.yaml`` when the selection has them)
is hashed with SHA-256; the list is written the way
``sha256sum`` prints it (``<hex>  <path>``, one line each, paths relative to the selection, sorted),
and the input digest is the SHA-256 of that text.  So, in the selection folder::

    sha256sum selection.yaml criteria/... vendors/... | sha256sum

(the files in the paper's order) prints the paper's digest while the inputs are the ones it was made
from.  The decision log is not an input: it grows after the paper; the paper names its head entry
(number and hash) instead, which the chain of hashes lets anyone find in a later log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from crmselect.files.actuals import ACTUALS_FILE
from crmselect.files.phases import PHASES_FILE
from crmselect.model.project import Project

#: The roll-out plan and the tracked actuals: inputs of the paper when the selection has them (issue 22).
PLAN_FILES = (PHASES_FILE, ACTUALS_FILE)


@dataclass(frozen=True)
class InputDigest:
    """Per-file SHA-256 (path relative to the selection) and the digest of the whole list."""

    files: tuple[tuple[str, str], ...]  # (sha256 hex, relative path), sorted by path

    @property
    def listing(self) -> str:
        """The files as ``sha256sum`` prints them."""
        return "".join(f"{digest}  {path}\n" for digest, path in self.files)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.listing.encode("utf-8")).hexdigest()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # an input outside the folder (a shared catalogue) is named in full
        return path.resolve().as_posix()


def input_digest(project: Project) -> InputDigest:
    """The digest of ``project``'s input files as they are on disk now."""
    root = Path(project.root)
    files = []
    sources = {Path(s).resolve() for s in project.sources}
    sources |= {path.resolve() for name in PLAN_FILES if (path := root / name).is_file()}
    for source in sources:
        files.append((hashlib.sha256(source.read_bytes()).hexdigest(), _relative(source, root)))
    return InputDigest(tuple(sorted(files, key=lambda item: item[1])))


__all__ = ["PLAN_FILES", "InputDigest", "input_digest"]
