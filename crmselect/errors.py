"""One error family for crmselect, and the ``Issue`` record every input problem becomes.

A user who feeds ten mistakes sees ten issues, each naming the file, the line, the field
path, what is allowed and what was received.  ``InputError`` carries all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the committee's input files."""

    file: str
    field: str
    message: str
    line: int | None = None
    code: str = "invalid"
    allowed: str = ""
    received: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        field = f"{self.field}: " if self.field else ""
        text = f"{where}: {field}{self.message}"
        details = []
        if self.allowed:
            details.append(f"allowed: {self.allowed}")
        if self.received:
            details.append(f"received: {self.received}")
        return f"{text} ({'; '.join(details)})" if details else text


class CrmSelectError(Exception):
    """Base class of every error crmselect raises on purpose."""


class InputError(CrmSelectError, ValueError):
    """The input files have one or more problems; ``issues`` lists all of them."""

    def __init__(self, issues: Iterable[Issue], summary: str = "") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        count = len(self.issues)
        head = summary or f"{count} problem{'s' if count != 1 else ''} found in the input"
        super().__init__(head + ":\n" + "\n".join(f"  - {issue}" for issue in self.issues))


class AnalysisError(CrmSelectError, ValueError):
    """A computation was asked for something it cannot do (e.g. weights that sum to zero)."""


class WorkbookError(CrmSelectError, ValueError):
    """A workbook could not be read or written safely."""


class LogTamperedError(CrmSelectError, ValueError):
    """The decision log does not verify: an entry was edited, inserted or removed."""
