"""House style shared by every workbook crmselect writes, and the hidden metadata sheet.

Colours: dark header band, pale yellow for cells someone is expected to type into (inputs),
pale grey for category bands.  Values stay raw; number formats are set here, at the edge.
The metadata sheet (``_crmselect``, very hidden) records what was exported, so an import can
tell an edited workbook from an answered one.

Words written here (validation messages, the page footer) are in the current language of
:mod:`crmselect.show.i18n`; row heights count a CJK character as two columns (:func:`text_width`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crmselect.excel.safe import META_SHEET, put_text, put_value, raw
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = "1F3864"
HEADER_FONT = "FFFFFF"
INPUT_FILL = "FFF2CC"
BAND_FILL = "D9E1F2"
MUTED_FONT = "595959"
OUT_FILL, OUT_FONT = "EDEDED", "808080"  # a knocked-out bid's row: shown, greyed
GOOD, MIDDLE, BAD = "63BE7B", "FFEB84", "F8696B"
SEVERITY_FILLS = {"high": "F8696B", "medium": "FFC7CE", "low": "FFEB9C", "info": "DDEBF7"}
SCORE_LIST = ",".join(f"{x / 2:g}" for x in range(11))  # 0,0.5,...,5
PROTECT_PASSWORD = "crmselect"  # a legacy hash: it deters accidental edits, it is not security


class Styles:
    """Style objects built once per workbook (building them per cell is slow)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="BFBFBF")
        self.header_font = Font(bold=True, color=HEADER_FONT)
        self.header_fill = PatternFill("solid", start_color=HEADER_FILL)
        self.input_fill = PatternFill("solid", start_color=INPUT_FILL)
        self.band_fill = PatternFill("solid", start_color=BAND_FILL)
        self.title_font = Font(bold=True, size=14)
        self.bold = Font(bold=True)
        self.muted = Font(italic=True, color=MUTED_FONT)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.center = Alignment(horizontal="center", vertical="top")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.unlocked = Protection(locked=False)
        self.out_fill = PatternFill("solid", start_color=OUT_FILL)
        self.out_font = Font(color=OUT_FONT)
        self.out_bold = Font(bold=True, color=OUT_FONT)
        self.fills: dict[str, Any] = {k: PatternFill("solid", start_color=v) for k, v in SEVERITY_FILLS.items()}


def header(ws: Worksheet, row: int, labels: Sequence[str], styles: Styles, first_column: int = 1) -> None:
    """A dark header band with wrapped white bold labels."""
    for offset, label in enumerate(labels):
        cell = put_text(ws, row, first_column + offset, label)
        cell.font = styles.header_font
        cell.fill = styles.header_fill
        cell.alignment = styles.wrap


CJK_LINE = 1.5  # a line of CJK text (Noto Sans CJK, YaHei, DengXian) is about 1.5 times as tall as a Latin one


def text_width(text: str) -> int:
    """How many columns of a spreadsheet ``text`` takes: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def fit_rows(ws: Worksheet, rows: Iterable[int], line_height: float = 12.75) -> None:
    """Give rows with wrapped text the height their text needs (spreadsheets do not grow rows that a
    program wrote), estimating characters per line from each column's width (a CJK character takes
    two columns, and a line of CJK text is taller: :data:`CJK_LINE`)."""
    last_column = ws.max_column  # computing it scans every cell: once, not per row
    widths_of: dict[str, float] = {}
    for row in rows:
        lines, wide = 1, False
        for cell in next(ws.iter_rows(min_row=row, max_row=row, max_col=last_column)):
            if cell.value is None or not cell.alignment.wrap_text or cell.data_type == "f":
                continue
            letter = cell.column_letter
            if letter not in widths_of:
                widths_of[letter] = ws.column_dimensions[letter].width or 13.0
            width = widths_of[letter]
            per_line = max(width * 1.05 - 1.0, 1.0)
            text = str(cell.value)
            needed = sum(max(1, math.ceil(text_width(part) / per_line)) for part in text.split("\n"))
            lines = max(lines, needed)
            wide = wide or text_width(text) > len(text)
        if lines > 1:
            ws.row_dimensions[row].height = min(409.0, line_height * (CJK_LINE if wide else 1.0) * lines + 3.0)


def title(ws: Worksheet, text: str, styles: Styles, subtitle: str = "") -> None:
    put_text(ws, 1, 1, text).font = styles.title_font
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = styles.muted


def widths(ws: Worksheet, columns: dict[str, float]) -> None:
    """Set column widths; :func:`fit_columns` later widens a column whose content needs more."""
    for letter, width in columns.items():
        ws.column_dimensions[letter].width = width


DEFAULT_WIDTH = 8.43  # a column no one sized (Excel's and LibreOffice's default)
FIT_MAX = 60.0  # no column grows wider than this; longer text wraps
WRAP_AT = 18.0  # a wrapped cell (a header) asks for at most this, or its longest word
PADDING = 2.0  # cell margins and bold text


def shown_number(value: float, number_format: str | None) -> str:
    """About what a spreadsheet shows for ``value`` in ``number_format`` (``"$"#,##0`` -> ``$1,234``): the
    first section's quoted literals, thousands separators, decimals and percent; enough to size a column."""
    section = (number_format or "General").split(";")[0]
    if section == "General":
        return f"{value:.10g}"
    literals = "".join(re.findall(r'"([^"]*)"', section))
    pattern = re.sub(r'"[^"]*"', "", section)
    percent = "%" in pattern
    shown = value * 100.0 if percent else value
    decimals = len(match.group(1)) if (match := re.search(r"\.([0#]+)", pattern)) else 0
    digits = f"{abs(shown):,.{decimals}f}" if "," in pattern else f"{abs(shown):.{decimals}f}"
    return ("-" if shown < 0 else "") + literals + digits + ("%" if percent else "")


def shown_text(cell: Any, value: object = None) -> str:
    """What ``cell`` shows: its text, its number formatted, or for a formula ``value`` (its computed result)."""
    content = value if cell.data_type == "f" else cell.value
    if content is None or isinstance(content, bool):
        return "" if content is None else str(content).upper()
    if isinstance(content, int | float):
        return shown_number(float(content), cell.number_format) if math.isfinite(content) else ""
    return str(content)


def fit_columns(ws: Worksheet, values: Mapping[str, object] | None = None, *, maximum: float = FIT_MAX,
                wrap_at: float = WRAP_AT) -> list[int]:
    """Widen each column to its content (a CJK character counts two, :func:`text_width`), up to ``maximum``.

    A cell is measured when its text cannot spill into the next cell: a number, a wrapped cell (its longest
    word, or up to ``wrap_at``), or text whose right neighbour is filled.  Text that still does not fit
    at ``maximum`` wraps.  ``values``: the computed result of each formula cell, by coordinate (formulas
    carry no result in the file).  Widths set before (:func:`widths`) are floors.  Returns the rows that
    were set to wrap (give them their height with :func:`fit_rows`)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    values = values or {}
    cells = ws._cells  # read without creating cells
    need: dict[int, float] = {}
    too_long: list[Any] = []
    for (row, column), cell in cells.items():
        text = shown_text(cell, values.get(cell.coordinate))
        if not text:
            continue
        lines = text.split("\n")
        longest = max(text_width(line) for line in lines)
        if cell.alignment.wrap_text:
            word = max((text_width(w) for line in lines for w in line.split()), default=0)
            wanted = max(float(word), min(float(longest), wrap_at))
        else:
            right = cells.get((row, column + 1))
            content = values.get(cell.coordinate) if cell.data_type == "f" else cell.value
            spills = isinstance(content, str) and (right is None or right.value is None)
            if spills:
                continue
            wanted = float(longest)
            if wanted + PADDING > maximum:
                too_long.append(cell)
        need[column] = max(need.get(column, 0.0), min(wanted + PADDING, maximum))
    for column, width in need.items():
        letter = get_column_letter(column)
        now = ws.column_dimensions[letter].width if letter in ws.column_dimensions else DEFAULT_WIDTH
        if width > (now or DEFAULT_WIDTH):
            ws.column_dimensions[letter].width = math.ceil(width)
    for cell in too_long:
        old = cell.alignment
        cell.alignment = Alignment(horizontal=old.horizontal, vertical=old.vertical or "top", wrap_text=True)
    return sorted({cell.row for cell in too_long})


def grey_row(ws: Worksheet, row: int, last_column: int, styles: Styles, first_column: int = 1) -> None:
    """A knocked-out bid's row: grey fill and grey text (bold stays bold), shown but set apart."""
    for column in range(first_column, last_column + 1):
        cell = ws.cell(row=row, column=column)
        cell.fill = styles.out_fill
        cell.font = styles.out_bold if cell.font is not None and cell.font.b else styles.out_font


def is_grey(cell: Any) -> bool:
    """Whether ``cell`` has the knocked-out style of :func:`grey_row`."""
    return bool(cell.fill is not None and str(cell.fill.start_color.rgb).endswith(OUT_FILL)
                and cell.font is not None and str(cell.font.color.rgb if cell.font.color else "").endswith(OUT_FONT))


def mark_input(cell: Any, styles: Styles) -> None:
    """An input cell: yellow, bordered and unlocked on a protected sheet."""
    cell.fill = styles.input_fill
    cell.border = styles.border
    cell.protection = styles.unlocked


def protect(ws: Worksheet) -> None:
    """Lock every cell not marked as input; still let people resize, filter and select."""
    ws.protection.sheet = True
    ws.protection.password = PROTECT_PASSWORD
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def lock_structure(wb: Workbook) -> None:
    """No adding, removing, renaming or unhiding sheets."""
    from openpyxl.workbook.protection import WorkbookProtection

    wb.security = WorkbookProtection(lockStructure=True)
    wb.security.workbookPassword = PROTECT_PASSWORD


def print_setup(ws: Worksheet, landscape: bool = True, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    footer = ws.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = _("&A, page &P of &N")


def list_validation(values: str | Sequence[str], prompt: str, title_text: str | None = None) -> Any:
    """A drop-down list that refuses anything else (``"a,b"`` or ``("a", "b")``), with an input prompt."""
    from openpyxl.worksheet.datavalidation import DataValidation

    values = values if isinstance(values, str) else ",".join(values)
    title_text = _("Choose from the list") if title_text is None else title_text
    return DataValidation(
        type="list", formula1=f'"{values}"', allow_blank=True, showDropDown=False, showErrorMessage=True,
        showInputMessage=True, errorTitle=_("Not allowed"), error=_("Choose one of: {values}").format(values=values),
        promptTitle=title_text[:32], prompt=prompt[:255],
    )


def decimal_validation(low: float | None, high: float | None, prompt: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if low is not None and high is not None:
        kwargs: dict[str, Any] = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        message = _("Enter a number from {low} to {high}").format(low=f"{low:g}", high=f"{high:g}")
    elif low is not None:
        kwargs = {"operator": "greaterThanOrEqual", "formula1": f"{low:g}"}
        message = _("Enter a number of at least {low}").format(low=f"{low:g}")
    else:
        kwargs = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
        message = _("Enter a number")
    return DataValidation(
        type="decimal", allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle=_("Not a number"), error=message, promptTitle=_("Number"), prompt=prompt[:255], **kwargs,
    )


def date_validation(prompt: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True,  # 2000..2099
        showErrorMessage=True, showInputMessage=True, errorTitle=_("Not a date"),
        error=_("Enter a date such as 2027-06-30"), promptTitle=_("Date"), prompt=prompt[:255],
    )


# ---------------------------------------------------------------------------- metadata sheet
def write_meta(wb: Workbook, items: Iterable[tuple[str, object, object]]) -> None:
    """A very hidden sheet of (key, value, extra) rows describing what was exported."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    for row, (key, value, extra) in enumerate(items, start=1):
        put_text(ws, row, 1, key)
        put_value(ws, row, 2, value)
        if extra is not None:
            put_value(ws, row, 3, extra)
    protect(ws)


def read_meta(wb: Any, max_rows: int) -> list[tuple[str, Any, Any]] | None:
    """The metadata rows, or ``None`` when the workbook has no metadata sheet."""
    if META_SHEET not in wb.sheetnames:
        return None
    out: list[tuple[str, Any, Any]] = []
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=max_rows, min_col=1, max_col=3):
        cells = [*row, None, None, None][:3]
        key = raw(cells[0])
        if key is None:
            break
        out.append((str(key), raw(cells[1]), raw(cells[2])))
    return out
