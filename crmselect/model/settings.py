"""``selection.yaml``: the marker of a selection folder and the settings that apply to all of it.

One file names the selection and holds what every command shares: the company, currency, locale,
the money horizon and discount rate, the date answers are judged at (``as_of``, also the contract
start for TCO), and how price enters the score.  The ``id`` ties the folder's decision log to this
selection, so a log copied in from another selection is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, Strict

from crmselect.model.frozen import Currency, Frozen, Text

SELECTION_FORMAT = 1
LOCALES: tuple[str, ...] = ("en", "zh-CN")
PRICE_METHODS: tuple[str, ...] = ("lowest_over_price", "value_for_money", "kept_apart")

SelectionId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="32 hexadecimal digits, written by `crmselect init`")
]


class SelectionSettings(Frozen):
    """The content of ``selection.yaml``."""

    format: Literal[1] = Field(description="the version of this file's layout (1)")
    id: SelectionId
    name: Text
    company: Text
    currency: Currency
    locale: Literal["en", "zh-CN"] = Field(description="the language of every surface: en or zh-CN")
    as_of: dt.date = Field(
        description="the date answers are judged at (a feature promised for later is late after it) "
        "and the contract start of the TCO"
    )
    horizon_years: Annotated[int, Strict()] = Field(
        ge=3, le=10, description="years of running costs and benefits after the initial period")
    discount_rate_pct: Annotated[float, Strict(), Field(ge=0, le=50)] = Field(
        description="discount rate of the NPV, % a year")
    price_method: Literal["lowest_over_price", "value_for_money", "kept_apart"] = Field(
        description="how price enters the score: lowest NPV / NPV, value for money, or kept apart on a chart"
    )


# The keys goals.yaml held before selection.yaml existed, and where each now lives.
MOVED_FROM_GOALS: dict[tuple[str, ...], str] = {
    ("name",): "name",
    ("company",): "company",
    ("currency",): "currency",
    ("assumptions", "horizon_years"): "horizon_years",
    ("assumptions", "discount_rate_pct"): "discount_rate_pct",
    ("assumptions", "start_date"): "as_of",
}

__all__ = ["LOCALES", "MOVED_FROM_GOALS", "PRICE_METHODS", "SELECTION_FORMAT", "SelectionId", "SelectionSettings"]
