"""``selection.yaml``: the marker of a selection folder and the settings that apply to all of it.

One file names the selection and holds what every command shares: the company, currency, locale,
the money horizon and discount rate, the date answers are judged at (``as_of``, also the contract
start for TCO), and how price enters the score.  The ``id`` ties the folder's decision log to this
selection, so a log copied in from another selection is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from crmselect.errors import Message
from crmselect.model.frozen import Currency, Frozen, Money, Text, field_error

SELECTION_FORMAT = 1
LOCALES: tuple[str, ...] = ("en", "zh-CN")
PRICE_METHODS: tuple[str, ...] = ("lowest_over_price", "value_for_money", "kept_apart")

SelectionId = Annotated[
    str, Field(pattern=r"^[0-9a-f]{32}$", description="32 hexadecimal digits, written by `crmselect init`")
]


Hours = Annotated[float, Strict(), Field(ge=0, le=8760)]
UpgradesPerYear = Annotated[float, Strict(), Field(ge=0, le=12)]


class OwnRecovery(Frozen):
    """The company's own disaster recovery: what the SLA recovery rules read for an on-premise offer, and what
    it costs a year (a TCO line of on-premise offers only).  It is ours, the same for every on-premise bid."""

    disaster_recovery_plan: bool = Field(default=False, description="a written plan: who restores what, in what order")
    disaster_recovery_tested: bool = Field(default=False, description="the plan is tested (a failover) every year")
    secondary_site: bool = Field(default=False, description="a second site (our own or rented) to fail over to")
    rpo_hours: Hours | None = Field(default=None, description="how much data a disaster may lose, in hours (RPO)")
    rto_hours: Hours | None = Field(default=None, description="how long until the system runs again, in hours (RTO)")
    cost_per_year: Money = Field(
        default=0.0, description="what our recovery costs a year for this system: second site, backup storage, "
        "the yearly test (in the selection's currency)")
    paid_in_advance: bool = Field(default=False, description="paid at the start of each year (else at its end)")

    @model_validator(mode="after")
    def _tested_needs_plan(self) -> OwnRecovery:
        if self.disaster_recovery_tested and not self.disaster_recovery_plan:
            raise field_error(("disaster_recovery_tested",), Message("cannot be true without a plan"),
                              Message("false, or disaster_recovery_plan: true"), True, "tested_without_plan")
        return self


class UpgradeRework(Frozen):
    """How custom code (answers coded with an upgrade risk, X) costs again at every upgrade.

    Each year an answer's customisation costs ``upgrades_per_year[deployment] x rework_pct / 100`` of its
    effort (its effort days x the cost per effort day) again: the TCO line "upgrade re-work (custom code)".
    Defaults: SaaS vendors ship 2 to 3 mandatory releases a year (Dynamics 365 two waves, Salesforce three;
    domain_facts S21, S22), of which we assume 2 touch custom code; a hosted system follows the vendor's
    releases at 1 a year; on-premise, a major upgrade every 4 years (Software Advice's "years until major
    upgrade", F8).  ``rework_pct`` 15 % of the original effort per upgrade is a design assumption.
    """

    rework_pct: Annotated[float, Strict(), Field(ge=0, le=100)] = Field(
        default=15.0, description="share of a customisation's effort redone at each upgrade, %")
    saas_upgrades_per_year: UpgradesPerYear = Field(
        default=2.0, description="upgrades a year that touch custom code in a SaaS offer")
    hosted_upgrades_per_year: UpgradesPerYear = Field(
        default=1.0, description="upgrades a year that touch custom code in a hosted offer")
    on_premise_upgrades_per_year: UpgradesPerYear = Field(
        default=0.25, description="upgrades a year that touch custom code on-premise (a major upgrade every 4 years)")
    high_share_pct: Annotated[float, Strict(), Field(ge=0, le=100)] = Field(
        default=10.0, description="a bid with more than this share of its coded answers to linked criteria in "
        "custom code gets a finding (upgrade risk)")

    def per_year(self, deployment: str) -> float:
        """Upgrades a year that touch custom code for ``deployment`` (saas, hosted or on_premise)."""
        return float(getattr(self, f"{deployment}_upgrades_per_year"))


#: Which certification and data-protection rules apply: SOC 2 / ISO 27001 (``international``) or China's
#: (``cn``: MLPS 2.0, PIPL and cross-border transfer, data residency, ICP filing, a domestic stack).
JURISDICTIONS: tuple[str, ...] = ("international", "cn")
CHECK_CODE_PATTERN = r"^[A-Z]{2,3}[0-9]{3}$"
#: The rule book's words (crmselect/checks/rules.yaml) are data: its top-level keys are every check code.  The
#: model reads the keys from the file, not from the checks package (a layer above), to refuse unknown codes
#: where the file is read; tests/test_example_zh.py holds the two lists equal.
RULES_FILE = Path(__file__).resolve().parents[1] / "checks" / "rules.yaml"


@functools.cache
def known_check_codes() -> tuple[str, ...]:
    """Every check code, in the order of ``rules.yaml``."""
    text = RULES_FILE.read_text(encoding="utf-8")
    return tuple(re.findall(r"^([A-Z]{2,3}[0-9]{3}):", text, flags=re.MULTILINE))


class IgnoredCheck(Frozen):
    """A check code the committee chose to ignore, and why (said wherever findings are shown).

    Written as a mapping (``{code: SLA005, reason: ...}``) or as the bare code (``SLA005``)."""

    code: Annotated[str, Field(pattern=CHECK_CODE_PATTERN, description="a check code such as SLA005 or CN003")]
    reason: str = Field(default="", max_length=1000, description="why the committee ignores it")

    @model_validator(mode="before")
    @classmethod
    def _bare_code(cls, data: object) -> object:
        return {"code": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _known(self) -> IgnoredCheck:
        known = known_check_codes()
        if self.code not in known:
            raise field_error(("code",), Message("is not a check code"),
                              Message("one of {codes}", codes=", ".join(known)), self.code, "unknown_check_code")
        return self


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
    own_recovery: OwnRecovery | None = Field(
        default=None, description="our own disaster recovery for a system we run (on-premise): read by the "
        "recovery rules SLA013-SLA017 and costed in the TCO of on-premise offers")
    upgrade_rework: UpgradeRework = Field(
        default_factory=UpgradeRework, description="how custom code costs again at every upgrade")
    jurisdiction: Literal["international", "cn"] = Field(
        default="international", description="which certification and data-protection rules apply: international "
        "(SOC 2, ISO 27001) or cn (China: MLPS 2.0, PIPL and cross-border transfer, data residency, ICP filing)")
    require_domestic_stack: bool = Field(
        default=False, description="the company requires a domestic technology stack (chip, operating system, "
        "database, middleware; jurisdiction cn only): rule CN006")
    ignore: tuple[IgnoredCheck, ...] = Field(
        default=(), description="check codes the committee ignores, each with its reason: every command and "
        "surface leaves their findings out (the command line's --ignore adds to them for one run)")

    @model_validator(mode="after")
    def _settings_agree(self) -> SelectionSettings:
        if self.require_domestic_stack and self.jurisdiction != "cn":
            raise field_error(("require_domestic_stack",), Message("applies only with jurisdiction: cn"),
                              Message("false, or jurisdiction: cn"), True, "domestic_stack_needs_cn")
        seen: set[str] = set()
        for index, entry in enumerate(self.ignore):
            if entry.code in seen:
                raise field_error(("ignore", index, "code"), Message("is listed twice"),
                                  Message("each code once"), entry.code, "ignored_twice")
            seen.add(entry.code)
        return self

    @property
    def ignored_codes(self) -> tuple[str, ...]:
        """The codes of ``ignore``, in the order written."""
        return tuple(entry.code for entry in self.ignore)

    @property
    def ignore_reasons(self) -> dict[str, str]:
        """``{code: the committee's reason}`` for every ignored code ("" when none was given)."""
        return {entry.code: entry.reason for entry in self.ignore}


# The keys goals.yaml held before selection.yaml existed, and where each now lives.
MOVED_FROM_GOALS: dict[tuple[str, ...], str] = {
    ("name",): "name",
    ("company",): "company",
    ("currency",): "currency",
    ("assumptions", "horizon_years"): "horizon_years",
    ("assumptions", "discount_rate_pct"): "discount_rate_pct",
    ("assumptions", "start_date"): "as_of",
}

__all__ = ["JURISDICTIONS", "LOCALES", "MOVED_FROM_GOALS", "PRICE_METHODS", "SELECTION_FORMAT", "IgnoredCheck",
           "OwnRecovery", "SelectionId", "SelectionSettings", "UpgradeRework", "known_check_codes"]
