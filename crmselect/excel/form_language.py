"""The language of the workbooks others fill in (questionnaire, bid form, score sheets, goals workbook).

A form is written in one language, the current one (:func:`crmselect.show.i18n.current`, which the
CLI sets from ``--lang`` or the selection's ``locale``), and records it in its hidden ``_crmselect``
sheet (``language``), together with the names of its sheets (``sheet``, role, name).  The reader
never guesses: it takes the words the form was written with (headers, Yes/No, the labels of a
drop-down) from the recorded language, and the sheets from the recorded names, and still accepts
English words.  Problems it finds are :class:`crmselect.errors.Message` texts, rendered in the
language of the surface that reports them (the CLI's), which may differ from the workbook's.

Also here, for every form: data validations whose titles, prompts and error texts are in the
current language (the house-style helpers in :mod:`crmselect.excel.style` speak English), row
heights that count a CJK character as two columns, and the page footer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from crmselect.errors import Message, WorkbookError
from crmselect.excel.style import print_setup as _print_setup
from crmselect.show.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, UnknownLanguageError, _, current, normalise, using

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LANGUAGE_KEY = "language"
SHEET_KEY = "sheet"
_ENGLISH_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_PLAIN_SHEET = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: units of the catalogue's number criteria, as the forms show them (others are shown as written)
UNITS: dict[str, str] = {
    "%": "%", "hours": N_("hours"), "days": N_("days"), "months": N_("months"), "years": N_("years"),
    "customers": N_("customers"), "calls/day": N_("calls/day"), "hours/month": N_("hours/month"),
    "currency/day": N_("currency/day"), "currency/user/month": N_("currency/user/month"),
}


def language() -> str:
    """The language forms are written in now (the current translator's)."""
    return current().language


def words(text: object) -> str:
    """Catalogue text (a :class:`crmselect.model.text.LocalText`) or a Message in the current language."""
    in_ = getattr(text, "in_", None)
    if callable(in_):
        return str(in_(language()))
    if isinstance(text, Message):
        return text.render(_)
    return "" if text is None else str(text)


def unit(text: str | None) -> str:
    """A unit of measure in the current language (units not known here as written)."""
    if not text:
        return ""
    return _(UNITS[text]) if text in UNITS else text


def yes_no() -> tuple[str, str]:
    """The words for Yes and No in the current language."""
    return _("Yes"), _("No")


def parse_yes_no(value: Any, lang: str) -> bool | None:
    """A Yes/No cell of a form written in ``lang``: its own words, or English ones; ``None`` if neither."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    typed = value.strip()
    with using(lang):
        yes, no = yes_no()
    if typed.casefold() == yes.casefold():
        return True
    if typed.casefold() == no.casefold():
        return False
    return _ENGLISH_YES.get(typed.lower())


def meta_rows(sheets: Mapping[str, str]) -> list[tuple[str, object, object]]:
    """The metadata rows recording the language and each sheet's name by role."""
    return [(LANGUAGE_KEY, language(), None), *((SHEET_KEY, role, name) for role, name in sheets.items())]


def recorded_language(info: Mapping[str, Any], file: str) -> str:
    """The language a form records in its metadata; English for a form that records none."""
    found = info.get(LANGUAGE_KEY)
    if found is None:
        return SOURCE_LANGUAGE
    try:
        return normalise(str(found))
    except UnknownLanguageError as exc:
        raise WorkbookError(_("{file}: the workbook records a language crmselect does not speak ({found}); "
                              "it speaks {languages}").format(file=file, found=found,
                                                              languages=", ".join(LANGUAGES))) from exc


def recorded_sheets(meta: Iterable[tuple[str, Any, Any]], defaults: Mapping[str, str]) -> dict[str, str]:
    """Each sheet's name by role as the metadata records it (``defaults`` for a role it does not record)."""
    found = {str(role): str(name) for key, role, name in meta if key == SHEET_KEY and role is not None and name}
    return {role: found.get(role, default) for role, default in defaults.items()}


def in_language(lang: str, make: Any, *args: Any, **kwargs: Any) -> Any:
    """``make(*args, **kwargs)`` computed in ``lang`` (e.g. the headers a reader expects)."""
    with using(lang):
        return make(*args, **kwargs)


def formula_sheet(name: str) -> str:
    """A sheet name as a formula refers to it: quoted unless plain ASCII (``'目标'``, ``Goals``)."""
    return name if _PLAIN_SHEET.match(name) else "'" + name.replace("'", "''") + "'"


def formula_text(text: str) -> str:
    """A text literal for a formula: ``"…"`` with inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


# ---------------------------------------------------------------------------- data validations
def plain(number: float) -> str:
    """A number as a person types it: 1000000, not 1e+06; 0.5, not 0.50."""
    return f"{number:.15g}" if abs(number) < 1e15 else f"{number:g}"


def list_validation(values: Iterable[str], prompt: str, title: str = "") -> Any:
    """A drop-down that refuses anything else, its texts in the current language."""
    from openpyxl.worksheet.datavalidation import DataValidation

    shown = ",".join(values)
    return DataValidation(
        type="list", formula1=formula_text(shown), allow_blank=True, showDropDown=False, showErrorMessage=True,
        showInputMessage=True, errorTitle=_("Not allowed")[:32],
        error=_("Choose one of: {values}").format(values=shown)[:255],
        promptTitle=(title or _("Choose from the list"))[:32], prompt=prompt[:255],
    )


def decimal_validation(low: float | None, high: float | None, prompt: str, *, whole: bool = False,
                       low_open: bool = False, error: str = "") -> Any:
    """A number cell (``whole``: a whole number) from ``low`` to ``high``, its texts in the current language."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if low is not None and high is not None:
        kwargs: dict[str, Any] = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        message = _("Enter a number from {low} to {high}").format(low=plain(low), high=plain(high))
    elif high is not None:
        kwargs = {"operator": "between", "formula1": "-1E+15", "formula2": f"{high:g}"}
        message = _("Enter a number of at most {high}").format(high=plain(high))
    elif low is not None:
        kwargs = {"operator": "greaterThan" if low_open else "greaterThanOrEqual", "formula1": f"{low:g}"}
        message = (_("Enter a number above {low}") if low_open else _("Enter a number of at least {low}")).format(
            low=plain(low))
    else:
        kwargs = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
        message = _("Enter a number")
    return DataValidation(
        type="whole" if whole else "decimal", allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle=_("Not a number")[:32], error=(error or message)[:255], promptTitle=_("Number")[:32],
        prompt=prompt[:255], **kwargs,
    )


def date_validation(prompt: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True,  # 2000..2099
        showErrorMessage=True, showInputMessage=True, errorTitle=_("Not a date")[:32],
        error=_("Enter a date such as 2027-06-30")[:255], promptTitle=_("Date")[:32], prompt=prompt[:255],
    )


def length_validation(limit: int, error: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(limit), allow_blank=True,
                          showErrorMessage=True, errorTitle=_("Too long")[:32], error=error[:225])


# ---------------------------------------------------------------------------- layout
def width_of(text: str) -> int:
    """Columns ``text`` takes: CJK and other wide characters count two."""
    from wcwidth import wcswidth

    found = wcswidth(text)
    return found if found >= 0 else len(text) * 2


def fit_rows(ws: Worksheet, rows: Iterable[int], line_height: float = 12.75) -> None:
    """Give rows with wrapped text the height their text needs, counting wide characters as two columns
    (spreadsheets do not grow rows that a program wrote)."""
    last_column = ws.max_column
    widths_of: dict[str, float] = {}
    wide = language() != SOURCE_LANGUAGE
    height = line_height * (1.25 if wide else 1.0)  # CJK fonts have taller lines
    for row in rows:
        lines = 1
        for cell in next(ws.iter_rows(min_row=row, max_row=row, max_col=last_column)):
            if cell.value is None or not cell.alignment.wrap_text or cell.data_type == "f":
                continue
            letter = cell.column_letter
            if letter not in widths_of:
                widths_of[letter] = ws.column_dimensions[letter].width or 13.0
            per_line = max(widths_of[letter] * 1.05 - 1.0, 1.0)
            needed = sum(max(1, math.ceil(width_of(part) / per_line)) for part in str(cell.value).split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row].height = min(409.0, height * lines + 3.0)


def print_setup(ws: Worksheet, landscape: bool = True, title_rows: str | None = None) -> None:
    """The house print setup, with the footer in the current language."""
    _print_setup(ws, landscape=landscape, title_rows=title_rows)
    footer = ws.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = _("&A, page &P of &N")


__all__ = [
    "LANGUAGE_KEY",
    "SHEET_KEY",
    "UNITS",
    "date_validation",
    "decimal_validation",
    "fit_rows",
    "formula_sheet",
    "formula_text",
    "in_language",
    "language",
    "length_validation",
    "list_validation",
    "meta_rows",
    "parse_yes_no",
    "plain",
    "print_setup",
    "recorded_language",
    "recorded_sheets",
    "unit",
    "width_of",
    "words",
    "yes_no",
]
