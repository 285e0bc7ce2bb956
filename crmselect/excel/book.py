"""What the scorecard workbook is built from, and the small writer every scorecard sheet uses.

:func:`gather` runs the analyses (scoring, checks, TCO, price, sensitivity, the decision log)
once; the sheet writers only lay the results out.  An analysis whose module is not installed or
that cannot run on this selection is left out, with the reason kept in ``left_out``.

:class:`Book` records, for every formula it writes, the value crmselect itself computed for that
cell (``expected``), so a test can recalculate the workbook in LibreOffice and compare them all.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from crmselect.errors import CrmSelectError
from crmselect.excel.style import Styles, header
from crmselect.excel.safe import put_formula, put_text, put_value

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from crmselect.model.project import Project
    from crmselect.scoring.score import Scorecard

Expected = float | str


def _available(module: str) -> bool:
    return importlib.util.find_spec(f"crmselect.{module}") is not None


@dataclass
class ScorecardData:
    """Everything the workbook shows; optional parts are ``None`` when left out (see ``left_out``)."""

    project: Project
    scorecard: Scorecard
    checks: Any = None
    tco: Any = None
    stability: Any = None
    smaa: Any = None
    smaa_samples: int = 0
    log_entries: tuple[Any, ...] = ()
    log_status: str = ""
    left_out: list[str] = field(default_factory=list)


def gather(project: Project, *, smaa_samples: int = 20_000, random_state: int = 0) -> ScorecardData:
    """Run every analysis the workbook shows; what cannot run is noted in ``left_out``, not hidden.

    Uses :func:`crmselect.evaluation.evaluate` (checks, TCO and price feeding the computed criteria,
    as the command line and the widgets do), then sensitivity and the decision log.
    """
    left_out: list[str] = []
    if _available("evaluation"):
        from crmselect.evaluation import evaluate

        evaluation = evaluate(project)
        data = ScorecardData(project, evaluation.scorecard, evaluation.checks, evaluation.tco, left_out=left_out)
    else:
        data = _evaluate_directly(project, left_out)
    _sensitivity(data, smaa_samples, random_state)
    _decision_log(data)
    return data


def _evaluate_directly(project: Project, left_out: list[str]) -> ScorecardData:
    """What ``crmselect.evaluation.evaluate`` does, from whichever analysis modules are installed."""
    computed: dict[str, dict[str, float]] = {}
    checks = comparison = None
    if _available("checks"):
        from crmselect.checks.report import check_project, computed_values

        checks = check_project(project)
        computed.update(computed_values(project))
    else:
        left_out.append("SLA and Contract sheets: crmselect.checks.report is not available")
    if _available("tco"):
        from crmselect.money.tco import compare_tco

        comparison = compare_tco(project)
        if _available("price"):
            from crmselect.money.price import price_values

            computed.update(price_values(project, comparison=comparison))
    else:
        left_out.append("TCO sheet: crmselect.money.tco is not available")
    from crmselect.scoring.score import score

    return ScorecardData(project, score(project, computed=computed), checks, comparison, left_out=left_out)


def _sensitivity(data: ScorecardData, smaa_samples: int, random_state: int) -> None:
    if _available("sensitivity") and _available("smaa"):
        from crmselect.whatif.sensitivity import stability
        from crmselect.whatif.smaa import smaa

        try:
            data.stability = stability(data.scorecard)
            data.smaa = smaa(data.scorecard, n=smaa_samples, random_state=random_state)
            data.smaa_samples = smaa_samples
        except (CrmSelectError, ValueError, IndexError) as exc:
            data.left_out.append(f"Sensitivity sheet: {exc}")
    else:
        data.left_out.append("Sensitivity sheet: crmselect.whatif.sensitivity or crmselect.whatif.smaa is not available")


def _decision_log(data: ScorecardData) -> None:
    project = data.project
    if _available("decisionlog"):
        from crmselect.record.log import DecisionLog

        log = DecisionLog.for_project(project)
        if not log.path.exists():
            data.log_status = f"no decision log yet ({log.path.name} in the selection folder)"
        else:
            problems = log.problems()
            data.log_entries = log.entries()
            data.log_status = "verified: every entry chains to the one before" if not problems else (
                "DOES NOT VERIFY: " + "; ".join(str(p) for p in problems))
    else:
        data.left_out.append("Decision log sheet: crmselect.record.log is not available")


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
