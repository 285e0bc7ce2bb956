"""Locale-aware formats with Babel: numbers, percentages, money (CNY first) and dates in en and zh-CN."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmselect.show.formats import (
    UnknownLocaleError,
    babel_locale,
    currency_symbol,
    format_date,
    format_money,
    format_number,
    format_percent,
)
from crmselect.show.i18n import using
from crmselect.show.tables import format_value, to_html

# CLDR data as Babel documents and ships it: CNY is ¥ in zh-CN and CN¥ in en; both group by thousands.
MONEY = [
    (1234567.891, "CNY", "en", None, "CN¥1,234,567.89"),
    (1234567.891, "CNY", "zh-CN", None, "¥1,234,567.89"),
    (-1234.5, "CNY", "zh-CN", None, "-¥1,234.50"),
    (1234567.891, "CNY", "zh-CN", 0, "¥1,234,568"),
    (1099.98, "USD", "en", None, "$1,099.98"),
    (1099.98, "USD", "zh-CN", None, "US$1,099.98"),
    (1099.98, "EUR", "en", 0, "€1,100"),
    (5, "JPY", "en", None, "¥5"),
]


@pytest.mark.parametrize(("value", "currency", "locale", "digits", "expected"), MONEY)
def test_money(value: float, currency: str, locale: str, digits: int | None, expected: str) -> None:
    assert format_money(value, currency, locale, digits=digits) == expected


def test_cny_symbols() -> None:
    assert currency_symbol("CNY", "zh-CN") == "¥" and currency_symbol("CNY", "en") == "CN¥"


@pytest.mark.parametrize(
    ("value", "locale", "digits", "expected"),
    [(1234567.891, "en", None, "1,234,567.891"), (1234567.891, "zh-CN", None, "1,234,567.891"),
     (1234.5, "zh-CN", 2, "1,234.50"), (0.5, "en", 0, "0"), (3, "en", 2, "3.00"), (-1e6, "zh-CN", None, "-1,000,000")],
)
def test_numbers(value: float, locale: str, digits: int | None, expected: str) -> None:
    assert format_number(value, locale, digits=digits) == expected


@pytest.mark.parametrize(
    ("value", "locale", "digits", "expected"),
    [(0.256, "en", 0, "26%"), (0.256, "zh-CN", 1, "25.6%"), (1.5, "en", 0, "150%"), (-0.05, "zh-CN", 1, "-5.0%")],
)
def test_percentages(value: float, locale: str, digits: int, expected: str) -> None:
    assert format_percent(value, locale, digits=digits) == expected


def test_dates() -> None:
    day = dt.date(2026, 9, 30)
    assert format_date(day, "en") == "Sep 30, 2026" and format_date(day, "zh-CN") == "2026年9月30日"
    assert format_date(day, "en", length="long") == "September 30, 2026"
    assert format_date(day, "zh-CN", length="short") == "2026/9/30" and format_date(day, "en", length="short") == (
        "9/30/26")


def test_missing_values_and_numpy_scalars() -> None:
    assert format_number(None) == format_money(float("nan")) == format_percent(None) == format_date(None) == ""
    assert format_number(np.float64(2.5), "en") == "2.5" and format_money(np.int64(7), "CNY", "zh-CN") == "¥7.00"
    assert format_number(math.inf, "en") == "∞"


def test_locale_spellings_and_the_current_language() -> None:
    assert babel_locale("zh-CN") == babel_locale("zh_CN") == babel_locale("zh") == "zh_CN"
    assert babel_locale("EN") == "en" and babel_locale() == "en"
    with pytest.raises(UnknownLocaleError, match="de"):
        babel_locale("de")
    with using("zh-CN"):
        assert babel_locale() == "zh_CN" and format_money(12, "CNY") == "¥12.00"


def test_tables_format_per_locale_when_asked() -> None:
    assert format_value(1234.5, "money") == "1,234" and format_value(0.256, "percent") == "25.6%"  # as before
    assert format_value(1234.5, "money", locale="zh-CN") == "¥1,234"
    assert format_value(1234.5, "money", locale="en", currency="EUR") == "€1,234"
    assert format_value(0.256, "percent", locale="zh-CN") == "25.6%"
    import pandas as pd

    html = to_html(pd.DataFrame({"tco": [98765.4]}, index=["红帆"]), formats={"tco": "money"}, locale="en")
    assert "CN¥98,765" in html


# ---------------------------------------------------------------- properties
finite = st.floats(allow_nan=False, allow_infinity=False)
locales = st.sampled_from(["en", "zh-CN"])


@given(finite, locales, st.sampled_from([None, 0, 2]))
def test_formatting_never_raises_for_finite_values(value: float, locale: str, digits: int | None) -> None:
    assert format_number(value, locale, digits=digits)
    assert format_money(value, "CNY", locale, digits=digits)
    assert format_percent(value, locale, digits=digits or 0)


@given(st.integers(min_value=-(10**15), max_value=10**15), locales)
def test_round_numbers_keep_their_digits(value: int, locale: str) -> None:
    for text in (format_number(value, locale), format_money(value, "CNY", locale, digits=0),
                 format_number(float(value), locale, digits=0)):
        assert re.sub(r"[^\d-]", "", text) == str(value), text
    grouped = format_number(value, locale)
    assert all(len(group) == 3 for group in grouped.lstrip("-").split(",")[1:])
