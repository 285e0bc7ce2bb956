"""What the scorecard workbook is built from, and the small writer every scorecard sheet uses.

:func:`gather` calls :func:`crmselect.evaluation.evaluate` (the one pipeline every surface uses),
then the weight sensitivity and the decision log; the sheet writers only lay the results out.
A part that cannot be computed for this selection (sensitivity needs two goals and a ranked
winner) is left out with its reason in ``left_out``, never hidden.

:class:`Book` records, for every formula it writes, the value crmselect itself computed for that
cell (``expected``), so a test can recalculate the workbook in LibreOffice and compare them all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from crmselect.errors import CrmSelectError
from crmselect.evaluation import evaluate
from crmselect.excel.safe import put_formula, put_text, put_value
from crmselect.excel.style import Styles, header
from crmselect.record.chain import LogEntry
from crmselect.record.envelopes import PriceAccess, price_access, seal_state
from crmselect.record.log import DecisionLog
from crmselect.whatif.acceptability import smaa
from crmselect.whatif.sensitivity import stability

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.checks.report import CheckReport
    from crmselect.model.project import Project
    from crmselect.money.results import TcoComparison
    from crmselect.scoring.scorecard import Scorecard
    from crmselect.scoring.weighting import DerivedWeights
    from crmselect.whatif.sensitivity_results import StabilityIntervals
    from crmselect.whatif.smaa_results import SmaaResult

Expected = float | str


@dataclass(frozen=True)
class Sensitivity:
    """The Sensitivity sheet's content: exact stability intervals and SMAA from ``samples`` draws."""

    stability: StabilityIntervals
    smaa: SmaaResult
    samples: int
    seed: int


@dataclass(frozen=True)
class ScorecardData:
    """Everything the workbook shows.  ``sensitivity`` is ``None`` when it could not be computed
    (the reason is in ``left_out``); ``log_entries`` is empty when the selection has no log yet."""

    project: Project
    scorecard: Scorecard
    checks: CheckReport
    tco: TcoComparison
    sensitivity: Sensitivity | None
    log_entries: tuple[LogEntry, ...]
    log_status: str
    left_out: tuple[str, ...]
    prices: PriceAccess  # sealed: the TCO sheet and the Summary's NPV say so instead of showing figures
    seal_warning: str = ""  # the technical inputs drifted from the committee's seal
    weighting: DerivedWeights | None = None  # how the goal weights were made (points, ROC, swing, AHP)


def gather(project: Project, *, smaa_samples: int = 20_000, random_state: int = 0,
           prices: PriceAccess | None = None) -> ScorecardData:
    """Evaluate ``project`` and add sensitivity and the decision log; what cannot run is noted in ``left_out``.

    ``prices`` is the envelope state to follow (default: the log's); pass the result of
    :func:`crmselect.record.envelopes.unseal_prices` to show prices before the reveal, marked as such.
    """
    evaluation = evaluate(project)
    prices = prices or price_access(project)
    left_out: list[str] = []
    sensitivity: Sensitivity | None = None
    try:
        sensitivity = Sensitivity(stability(evaluation.scorecard),
                                  smaa(evaluation.scorecard, n=smaa_samples, random_state=random_state),
                                  smaa_samples, random_state)
    except (CrmSelectError, ValueError, IndexError) as exc:
        left_out.append(f"Sensitivity sheet: {exc}")
    log = DecisionLog.for_project(project)
    entries: tuple[LogEntry, ...] = ()
    if not log.expected:
        status = f"no decision log yet ({log.path.name} in the selection folder)"
    else:
        problems = log.problems()
        entries = log.entries()
        status = "verified: every entry chains to the one before" if not problems else (
            "DOES NOT VERIFY: " + "; ".join(str(p) for p in problems))
    return ScorecardData(project, evaluation.scorecard, evaluation.checks, evaluation.tco, sensitivity, entries,
                         status, tuple(left_out), prices, seal_state(project).warning(), evaluation.weighting)


class Book:
    """A workbook being written: shared styles, and the value expected in every formula cell."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.wb: Workbook = Workbook()
        self.styles = Styles()
        self.expected: dict[tuple[str, str], Expected] = {}
        self._first = True

    def sheet(self, title: str) -> Worksheet:
        if self._first:
            self._first = False
            ws = self.wb.active
            assert ws is not None
            ws.title = title
            return ws
        return cast("Worksheet", self.wb.create_sheet(title))

    def formula(self, ws: Worksheet, row: int, column: int, formula: str, expected: Any,
                number_format: str | None = None) -> Cell:
        cell = put_formula(ws, row, column, formula)
        if number_format:
            cell.number_format = number_format
        if isinstance(expected, str):
            self.expected[(ws.title, cell.coordinate)] = expected
        else:
            value = float(expected)
            self.expected[(ws.title, cell.coordinate)] = "" if math.isnan(value) else value
        return cell

    def value(self, ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> Cell:
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        cell = put_value(ws, row, column, value)
        if number_format and value is not None:
            cell.number_format = number_format
        return cell

    def text(self, ws: Worksheet, row: int, column: int, text: object) -> Cell:
        return put_text(ws, row, column, text)

    def header(self, ws: Worksheet, row: int, labels: list[str], first_column: int = 1) -> None:
        header(ws, row, labels, self.styles, first_column)

    def band(self, ws: Worksheet, row: int, text: str, columns: int) -> None:
        cell = put_text(ws, row, 1, text)
        cell.font = self.styles.bold
        for column in range(1, columns + 1):
            ws.cell(row=row, column=column).fill = self.styles.band_fill

    def note(self, ws: Worksheet, row: int, text: str, column: int = 1) -> Cell:
        cell = put_text(ws, row, column, text)
        cell.font = self.styles.muted
        return cell
