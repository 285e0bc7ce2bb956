"""What the scorecard workbook is built from, and the small writer every scorecard sheet uses.

:func:`gather` calls :func:`crmselect.evaluation.evaluate` (the one pipeline every surface uses),
then the weight sensitivity and the decision log; the sheet writers only lay the results out.
A part that cannot be computed for this selection (sensitivity needs two goals and a ranked
winner) is left out with its reason in ``left_out``, never hidden.

:class:`Book` records, for every formula it writes, the value crmselect itself computed for that
cell (``expected``), so a test can recalculate the workbook in LibreOffice and compare them all.

Languages: every text is written in the current language of :mod:`crmselect.show.i18n` when the
book is made (``export_scorecard(..., lang=...)`` sets it).  Sheets are asked for by their English
key (``book.sheet("Weights")``) and titled in that language (:data:`SHEET_TITLES`, made safe with
:func:`crmselect.model.ids.sheet_name`); formulas reach another sheet only through
:meth:`Book.ref`, which quotes the title (``'权重'!$D$5``), so no formula depends on the language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from crmselect.errors import CrmSelectError
from crmselect.evaluation import evaluate
from crmselect.excel.safe import put_formula, put_text, put_value
from crmselect.excel.style import Styles, fit_columns, fit_rows, header, protect
from crmselect.model.ids import sheet_names
from crmselect.record.chain import LogEntry
from crmselect.record.envelopes import PriceAccess, SealState, price_access, seal_state
from crmselect.record.log import DecisionLog
from crmselect.show.i18n import N_, _, current
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

# the scorecard's sheets: English key -> title (translated when a book is made)
SHEET_TITLES: dict[str, str] = {
    "Summary": N_("Summary"), "Weights": N_("Weights"), "Scores": N_("Scores"), "Goals": N_("Goals"),
    "Committee": N_("Committee"), "TCO": N_("TCO"), "SLA": N_("SLA"), "Contract": N_("Contract"),
    "Negotiation": N_("Negotiation"),
    "Sensitivity": N_("Sensitivity"), "Decision log": N_("Decision log"), "About": N_("About"),
}


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
    seal: SealState | None = None  # where the envelopes stand (the seal warning is rendered from it)


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
        left_out.append(_("{sheet} sheet: {reason}").format(sheet=_(SHEET_TITLES["Sensitivity"]), reason=exc))
    log = DecisionLog.for_project(project)
    entries: tuple[LogEntry, ...] = ()
    if not log.expected:
        status = _("no decision log yet ({file} in the selection folder)").format(file=log.path.name)
    else:
        problems = log.problems()
        entries = log.entries()
        status = _("verified: every entry chains to the one before") if not problems else (
            _("DOES NOT VERIFY: {problems}").format(problems="; ".join(str(p) for p in problems)))
    seal = seal_state(project)
    return ScorecardData(project, evaluation.scorecard, evaluation.checks, evaluation.tco, sensitivity, entries,
                         status, tuple(left_out), prices, seal.warning(), evaluation.weighting, seal)


class Book:
    """A workbook being written in the current language: shared styles, sheet titles, and the value
    expected in every formula cell."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.wb: Workbook = Workbook()
        self.styles = Styles()
        self.expected: dict[tuple[str, str], Expected] = {}
        self.lang = current().language
        translated = {key: _(title) for key, title in SHEET_TITLES.items()}
        safe = sheet_names(translated.values())
        self.titles: dict[str, str] = {key: safe[text] for key, text in translated.items()}
        self._first = True

    def title_of(self, key: str) -> str:
        """The title of the sheet whose English key is ``key`` (a title that is no key is itself)."""
        return self.titles.get(key, key)

    def ws(self, key: str) -> Worksheet:
        return cast("Worksheet", self.wb[self.title_of(key)])

    def ref(self, key: str, cells: str) -> str:
        """``cells`` on the sheet ``key``, as a formula writes it: ``'Weights'!$D$5``, ``'权重'!$D$5``."""
        return "'" + self.title_of(key).replace("'", "''") + "'!" + cells

    def requote(self, ref: str) -> str:
        """A reference another writer made as ``Sheet!A1`` (or ``'Sheet'!A1``), pointing at the sheet's title."""
        sheet, _bang, cells = ref.rpartition("!")
        return self.ref(sheet.strip("'").replace("''", "'"), cells) if sheet else ref

    def sheet(self, key: str) -> Worksheet:
        """A new sheet, titled in the book's language (``key`` is the English key of :data:`SHEET_TITLES`)."""
        title = self.title_of(key)
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

    def finish(self) -> None:
        """The last touch on every sheet: columns as wide as their content (formulas measured by the value
        crmselect computed for them), and the sheet protected, so only the yellow input cells take edits."""
        for ws in self.wb.worksheets:
            results = {cell: value for (sheet, cell), value in self.expected.items() if sheet == ws.title}
            fit_columns(ws, results)
            wrapping = sorted({row for (row, _column), cell in ws._cells.items()
                               if cell.alignment.wrap_text and cell.value is not None and cell.data_type != "f"})
            for row in wrapping:  # the columns grew: measure the wrapped rows again
                ws.row_dimensions[row].height = None
            fit_rows(ws, wrapping)
            protect(ws)
