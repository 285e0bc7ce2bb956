"""Safe writing and reading of xlsx files: untrusted text as text, untrusted workbooks with limits.

Writing: every string that came from a vendor, a committee member or a YAML file goes through
:func:`put_text`, which stores it as text (``data_type "s"``) and sets Excel's quote prefix on
text that starts with ``= + - @``, tab, CR or LF (OWASP's advice on formula injection).
Formulas are written only by crmselect's own templates, through :func:`put_formula`.

Reading: :func:`open_untrusted` checks the zip archive before openpyxl touches it (file size,
member count, declared uncompressed size, compression ratio, macros), refuses to run when
openpyxl would parse XML without defusedxml, and opens the workbook ``read_only`` with links and
macros dropped.  Every parse failure becomes a :class:`WorkbookError` naming the file.
Cells are read at the coordinates the reader expects, never by trusting the file's dimensions,
and a formula where a value is expected is an error naming the sheet and cell (cached values are
chosen by the file's author, so they are never used).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from crmselect.errors import CrmSelectError, Issue, Message, WorkbookError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: Text starting with one of these is neutralised (OWASP CSV injection, plus NUL per ASVS).
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
#: Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32767
META_SHEET = "_crmselect"
_VALUE_TYPES = (int, float, dt.date)


@dataclass(frozen=True)
class Limits:
    """What an untrusted workbook may be before crmselect refuses to open it."""

    max_file_bytes: int = 20 * 2**20
    max_uncompressed_bytes: int = 200 * 2**20
    max_members: int = 500
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 2**20  # members smaller than this cannot hurt, whatever their ratio
    max_rows: int = 5000


DEFAULT_LIMITS = Limits()


# ---------------------------------------------------------------------------- writing
def neutralise(text: str) -> tuple[str, bool]:
    """``text`` as a cell can hold it, and whether it needs a quote prefix.

    Line breaks become LF (XML turns a stored CR into LF anyway, so this is what a reader gets
    back); control characters XML cannot hold become U+FFFD.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if ILLEGAL_CHARACTERS_RE.search(clean):
        clean = ILLEGAL_CHARACTERS_RE.sub("\ufffd", clean)
    if len(clean) > MAX_CELL_CHARS:
        raise WorkbookError(f"text of {len(clean)} characters does not fit in one cell (Excel allows {MAX_CELL_CHARS})")
    return clean, text.startswith(DANGEROUS_PREFIXES)


OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # also old .xls files; both are not .xlsx


def put_text(ws: Worksheet, row: int, column: int, text: object) -> Cell:
    """Write ``text`` as a string cell, never as a formula, whatever it starts with."""
    cell = cast("Cell", ws.cell(row=row, column=column))
    value, dangerous = neutralise("" if text is None else str(text))
    # neutralise() did what openpyxl's value setter checks again; set the text directly, typed as a string
    cell._value = value  # type: ignore[attr-defined]
    cell.data_type = "s"
    if dangerous:
        cell.quotePrefix = True
    return cell


def put_value(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write a number, bool, date or ``None`` as itself; strings go through :func:`put_text`."""
    if isinstance(value, str):
        return put_text(ws, row, column, value)
    if value is not None and not isinstance(value, _VALUE_TYPES):
        raise TypeError(f"cannot write {type(value).__name__} to a cell")
    cell = cast("Cell", ws.cell(row=row, column=column))
    cell.value = value
    return cell


def put_formula(ws: Worksheet, row: int, column: int, formula: str) -> Cell:
    """Write one of crmselect's own formulas (never call this with text from a file)."""
    if not formula.startswith("="):
        raise ValueError(f"a formula starts with '=' (received {formula!r})")
    cell = cast("Cell", ws.cell(row=row, column=column))
    cell.value = formula
    return cell


# ---------------------------------------------------------------------------- reading
def check_archive(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse files that are too big, not xlsx, carry macros, or would inflate like a zip bomb."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size > limits.max_file_bytes:
        raise WorkbookError(f"{name}: the file is {size:,} bytes; at most {limits.max_file_bytes:,} bytes are read")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as head:
            signature = head.read(8)
        if signature == OLE_SIGNATURE:  # Excel keeps a password-protected workbook in an OLE container
            raise WorkbookError(f"{name}: is encrypted (protected with a password to open); remove the password in "
                                "Excel (File > Info > Protect Workbook > Encrypt with Password) and send it again")
        raise WorkbookError(f"{name}: is not an .xlsx workbook (not a zip archive); save it as Excel Workbook (.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(f"{name}: the zip archive is damaged ({exc})") from exc
    if len(infos) > limits.max_members:
        raise WorkbookError(f"{name}: holds {len(infos)} parts; at most {limits.max_members} are read")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise WorkbookError(
            f"{name}: would unpack to {total:,} bytes; at most {limits.max_uncompressed_bytes:,} are read "
            "(possible zip bomb)"
        )
    for info in infos:
        if info.file_size >= limits.ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise WorkbookError(
                    f"{name}: part {info.filename} compresses {ratio:,.0f} to 1; at most {limits.max_ratio:,.0f} "
                    "to 1 is accepted (possible zip bomb)"
                )
        lowered = info.filename.lower()
        if lowered.endswith("vbaproject.bin") or (lowered.endswith(".bin") and "activex" in lowered):
            raise WorkbookError(
                f"{name}: contains macros or ActiveX ({info.filename}); crmselect never runs them. "
                "Save the file as Excel Workbook (.xlsx) and send it again"
            )


def _defused() -> bool:
    from openpyxl import xml as openpyxl_xml

    return bool(openpyxl_xml.DEFUSEDXML)


def _explain(exc: BaseException) -> str:
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__module__.startswith("defusedxml"):
            return (
                "it declares XML entities or a DTD (a billion-laughs or external-entity attack); "
                "such files are refused"
            )
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__


@contextlib.contextmanager
def open_untrusted(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Workbook]:
    """Open a workbook someone else wrote, for reading values only.

    Checks the archive first; any failure while openpyxl parses (also lazily, while the caller
    iterates rows inside the ``with`` block) becomes a ``WorkbookError``.
    """
    import openpyxl

    target = Path(path)
    check_archive(target, limits)
    if not _defused():
        raise WorkbookError(
            "openpyxl is not using defusedxml (is it installed, and OPENPYXL_DEFUSEDXML not set to False?); "
            "crmselect refuses to read workbooks from others without it"
        )
    try:
        workbook = openpyxl.load_workbook(target, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except CrmSelectError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise WorkbookError(f"{target.name}: cannot be read as a workbook: {_explain(exc)}") from exc
    try:
        yield workbook
    except CrmSelectError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, EOFError, zipfile.BadZipFile) as exc:
        raise WorkbookError(f"{target.name}: cannot be read as a workbook: {_explain(exc)}") from exc
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        raise WorkbookError(f"{target.name}: cannot be read as a workbook: {_explain(exc)}") from exc
    finally:
        workbook.close()


def read_grid(ws: Any, first_row: int, last_row: int, columns: int) -> list[tuple[Any, ...]]:
    """The cells of rows ``first_row..last_row`` and columns ``1..columns`` (read-only cells), padded."""
    rows: list[tuple[Any, ...]] = []
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=columns):
        cells = tuple(row)
        rows.append(cells + (None,) * (columns - len(cells)))
    while len(rows) < last_row - first_row + 1:
        rows.append((None,) * columns)
    return rows


def ref(row: int, column: int) -> str:
    """``ref(12, 6) == "F12"``."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def is_formula(cell: Any) -> bool:
    return cell is not None and getattr(cell, "data_type", None) == "f"


def raw(cell: Any) -> Any:
    """The stored value of a read-only cell; blank text as ``None``, other text exactly as stored."""
    if cell is None:
        return None
    value = cell.value
    if isinstance(value, str) and not value.strip():
        return None
    return value


def text(cell: Any) -> str | None:
    """The cell's value as stripped text (for ids, codes and names), or ``None`` when blank."""
    value = raw(cell)
    return None if value is None else str(value).strip()


def show(value: Any) -> str:
    """A received value for a message, short."""
    if value is None:
        return Message("an empty cell")
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class SheetIssues:
    """Collects issues about one workbook, each naming the sheet and the cell."""

    file: str
    issues: list[Issue]

    def add(
        self, sheet: str, cell: str, message: str, code: str, allowed: str = "", received: str = ""
    ) -> None:
        field = f"{sheet}!{cell}" if cell else sheet
        self.issues.append(Issue(self.file, field, message, code=code, allowed=allowed, received=received))

    def formula(self, sheet: str, cell: str, value: Any) -> None:
        self.add(sheet, cell, Message("holds a formula; type the value itself"), "formula", Message("a typed value"),
                 show(value))
