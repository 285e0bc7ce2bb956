"""Store crmselect's own result beside every formula of a workbook openpyxl wrote.

openpyxl writes a formula with an empty result (``<c r="D5"><f>...</f><v/></c>``).  Excel and
LibreOffice recalculate such a workbook, but a reader that does not calculate (pandas,
``openpyxl(data_only=True)``, file previewers, mail and phone viewers) shows blanks.  The
workbook writers already know the value of every formula cell (``Book.expected``, the numbers
the tests compare with LibreOffice's), so :func:`store_results` writes each one as the cell's
cached result.  The workbook still asks to be recalculated when it is opened (``fullCalcOnLoad``),
so Excel shows live numbers; the cached ones are what crmselect computed at export.

Why not XlsxWriter, which writes a result per formula itself: the scorecard's writers, the
safe text helpers and the read-back of edited inputs are built on openpyxl, and a second writer
library would duplicate them.  Post-processing keeps one writer and touches only the ``<v/>``
of formula cells openpyxl wrote (cells it does not recognise keep no result, never a wrong one).
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# a formula cell exactly as openpyxl 3.1 writes it: coordinate, optional style, formula, empty result
# (or as this module wrote it: a result already stored is replaced)
_FORMULA_CELL = re.compile(
    r'<c r="([A-Z]{1,3}[0-9]{1,7})"((?: s="[0-9]+")?)(?: t="str")?><f>([^<]*)</f>(?:<v ?/>|<v>[^<]*</v>)</c>')

Result = float | str


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: the part holding it (``xl/worksheets/sheet1.xml``)}, from the workbook and its relations."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations.iter(f"{RELS}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(OFFICE_REL), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = part
    return parts


def _cell(coordinate: str, style: str, formula: str, result: Result | None) -> str:
    if result is None:
        return f'<c r="{coordinate}"{style}><f>{formula}</f><v/></c>'
    if isinstance(result, str):
        return f'<c r="{coordinate}"{style} t="str"><f>{formula}</f><v>{escape(result)}</v></c>'
    if not math.isfinite(result):
        return f'<c r="{coordinate}"{style}><f>{formula}</f><v/></c>'
    number = float(result)
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)  # a rank reads 3
    return f'<c r="{coordinate}"{style}><f>{formula}</f><v>{text}</v></c>'


def store_results(path: Path, results: Mapping[tuple[str, str], Result]) -> int:
    """Rewrite the workbook at ``path`` in place with ``results`` ({(sheet title, cell): value}) as the cached
    result of those formula cells; returns how many formula cells got one."""
    by_part: dict[str, dict[str, Result]] = {}
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        for (sheet, coordinate), value in results.items():
            if sheet in parts:
                by_part.setdefault(parts[sheet], {})[coordinate] = value
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    stored = 0
    rewritten: list[tuple[zipfile.ZipInfo, bytes]] = []
    for info, data in members:
        wanted = by_part.get(info.filename)
        if wanted:
            def fill(match: re.Match[str], wanted: dict[str, Result] = wanted) -> str:
                nonlocal stored
                result = wanted.get(match.group(1))
                stored += result is not None
                return _cell(match.group(1), match.group(2), match.group(3), result)

            data = _FORMULA_CELL.sub(fill, data.decode("utf-8")).encode("utf-8")
        rewritten.append((info, data))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in rewritten:
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return stored
