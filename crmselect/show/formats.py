"""Numbers, percentages, money and dates per locale (``en``, ``zh-CN``), formatted with Babel's CLDR data.

Results keep raw floats (habit 6 in ARCHITECTURE.md); these functions are the last step, used by
:mod:`crmselect.show.tables` (``format_value(..., locale=...)``) and any surface that shows a value.

- **The locale** is crmselect's spelling (``en``, ``zh-CN``; ``zh_CN`` and ``zh`` are accepted);
  ``None`` means the current language of :mod:`crmselect.show.i18n` (English unless a surface set
  another), so a CLI command or a workbook run under ``using("zh-CN")`` formats in Chinese.
- **Money** is a first-class CNY: ``¥1,234,567.89`` in zh-CN and ``CN¥1,234,567.89`` in en (CLDR's
  own symbols, so an English reader never mistakes it for yen), ``€``/``US$``... likewise.  Amounts
  are grouped by thousands in both locales (CLDR's zh-CN pattern; 万 is not used).  ``digits=0``
  rounds to whole units (half to even, as Python's ``{:,.0f}`` does) for TCO tables.
- **Numbers** with ``digits=None`` show up to three decimals, as CLDR's decimal pattern does;
  with ``digits=n`` exactly ``n``.  **Percentages** take a fraction (0.256 -> ``26%``).
- **Dates** are CLDR lengths: ``short`` (``2026/9/30``), ``medium`` (``Sep 30, 2026``,
  ``2026年9月30日``), ``long``.
- A missing value (``None`` or NaN) is ``""``, as in :func:`crmselect.show.tables.format_value`;
  infinity is ``∞``.  Nothing here raises for a finite number.

Babel is imported when a function first runs, so ``import crmselect`` stays light.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
from contextlib import AbstractContextManager
from typing import Any, Literal

LOCALES: tuple[str, ...] = ("en", "zh-CN")
DateLength = Literal["short", "medium", "long", "full"]
_BABEL = {"en": "en", "zh-CN": "zh_CN"}


class UnknownLocaleError(ValueError):
    """A locale crmselect cannot format for."""


def babel_locale(locale: str | None = None) -> str:
    """Babel's name for ``locale`` (``zh-CN`` -> ``zh_CN``); ``None``: the current language of the surface."""
    if locale is None:
        from crmselect.show.i18n import current

        locale = current().language
    wanted = locale.strip().replace("_", "-").casefold()
    for known in LOCALES:
        if wanted in (known.casefold(), known.split("-")[0].casefold()):
            return _BABEL[known]
    raise UnknownLocaleError(f"crmselect formats for {', '.join(LOCALES)}, not {locale!r}")


def _wide() -> AbstractContextManager[decimal.Context]:
    """A decimal context wide enough for any float: Babel quantizes in the default 28 digits, and 1e25 with
    two decimals needs more (``decimal.InvalidOperation``); the largest float has 309 integer digits."""
    context = decimal.Context(prec=400, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    return decimal.localcontext(context)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fixed(pattern: str, digits: int) -> str:
    """A CLDR number pattern with exactly ``digits`` fraction digits (``¤#,##0.00`` -> ``¤#,##0``)."""
    fraction = "." + "0" * digits if digits else ""
    if re.search(r"\.[0#]+", pattern):
        return re.sub(r"\.[0#]+", fraction, pattern)
    return re.sub(r"([#,0]*0)", lambda m: m.group(1) + fraction, pattern, count=1)


@functools.cache
def _pattern(locale: str, kind: str, digits: int) -> str:
    from babel import Locale

    data = Locale.parse(locale)
    source = {
        "decimal": data.decimal_formats[None],
        "percent": data.percent_formats[None],
        "currency": data.currency_formats["standard"],
    }[kind]
    return _fixed(str(source.pattern), digits)


def format_number(value: float | None, locale: str | None = None, *, digits: int | None = None) -> str:
    """``value`` grouped by thousands in ``locale``: ``1,234,567.891``; ``digits`` fixes the decimals."""
    if _missing(value):
        return ""
    from babel.numbers import format_decimal

    where = babel_locale(locale)
    pattern = None if digits is None else _pattern(where, "decimal", digits)
    with _wide():
        return str(format_decimal(_plain(value), format=pattern, locale=where))


def format_percent(value: float | None, locale: str | None = None, *, digits: int = 0) -> str:
    """A fraction as a percentage in ``locale``: ``format_percent(0.256, digits=1)`` is ``25.6%``."""
    if _missing(value):
        return ""
    from babel.numbers import format_percent as babel_percent

    where = babel_locale(locale)
    with _wide():
        return str(babel_percent(_plain(value), format=_pattern(where, "percent", digits), locale=where))


def format_money(
    value: float | None, currency: str = "CNY", locale: str | None = None, *, digits: int | None = None
) -> str:
    """An amount of ``currency`` in ``locale``: ``¥1,234.50`` (zh-CN), ``CN¥1,234.50`` (en).

    ``digits=None``: the currency's own minor digits (2 for CNY, EUR, USD; 0 for JPY); ``digits=n``:
    exactly ``n`` (``digits=0`` for whole amounts).
    """
    if _missing(value):
        return ""
    from babel.numbers import format_currency

    where = babel_locale(locale)
    with _wide():
        if digits is None:
            return str(format_currency(_plain(value), currency, locale=where))
        return str(format_currency(_plain(value), currency, format=_pattern(where, "currency", digits),
                                   currency_digits=False, locale=where))


def currency_symbol(currency: str = "CNY", locale: str | None = None) -> str:
    """The symbol ``locale`` writes for ``currency``: CNY is ``¥`` in zh-CN and ``CN¥`` in en."""
    from babel.numbers import get_currency_symbol

    return str(get_currency_symbol(currency, locale=babel_locale(locale)))


def format_date(value: dt.date | None, locale: str | None = None, *, length: DateLength = "medium") -> str:
    """A date in ``locale``: medium is ``Sep 30, 2026`` (en) or ``2026年9月30日`` (zh-CN)."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_date

    return str(babel_date(value, format=length, locale=babel_locale(locale)))


def _plain(value: Any) -> Any:
    """Babel takes int, float or Decimal; numpy scalars become their Python value."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item") and not isinstance(value, int | float):
        return value.item()
    return value


__all__ = [
    "LOCALES",
    "DateLength",
    "UnknownLocaleError",
    "babel_locale",
    "currency_symbol",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
]
