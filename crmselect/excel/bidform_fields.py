"""What the bid form asks, row by row: every field of an ``Offer`` with its label, unit, help and range.

The ranges come from the pydantic field constraints of :mod:`crmselect.model.bids` (``ge``, ``le``,
``gt``, ``max_length``) and the choices from its enums, so the form cannot drift from the model;
only the words (label, unit, help) are written here.  :func:`bid_layout` lays the rows out for one
offer sheet; the writer (:mod:`crmselect.excel.bidform_write`) and the reader
(:mod:`crmselect.excel.bidform_read`) share it, and the hidden metadata sheet records each row's
key, so reading never depends on a label.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from crmselect.model.bids import (
    DEFAULT_PAID_IN_ADVANCE,
    SEVERITIES,
    Certification,
    ContractTerms,
    CreditTier,
    ImplementationPlan,
    Offer,
    Operations,
    PayableLine,
    Pricing,
    ProjectPhase,
    SlaTerms,
)

CURRENCY = "{currency}"  # replaced by the selection's currency in units and help
MAX_TEXT = 2000  # a text field without its own limit
MIN_CREDIT_ROWS, MIN_PHASE_ROWS, MIN_TRIGGER_ROWS = 5, 8, 4
YES, NO = "Yes", "No"

# key: (label, unit, help); the key is the field's path below the offer, dotted
TEXTS: dict[str, tuple[str, str, str]] = {
    "id": ("Offer id", "", "Your short name for this offer (letters, digits, - and _). Left blank, we make one "
           "from your name and the deployment."),
    "deployment": ("Deployment", "", "saas: you run it as a subscription service. on_premise: we run it on our "
                   "servers under a licence. hosted: a hosting partner runs a licensed system for us."),
    "edition": ("Edition or product name", "", "The edition or package this offer is for."),
    "hosting_partner": ("Hosting partner", "", "Required for a hosted offer: the company that hosts and runs the "
                        "system."),
    # pricing
    "pricing.subscription_per_user_month": ("Subscription per user and month", CURRENCY,
                                            "List price per named user and month. Required for saas."),
    "pricing.subscription_discount_pct": ("Subscription discount", "%", "Discount off the subscription list price."),
    "pricing.term_years": ("Contract term", "years", "The committed initial term."),
    "pricing.renewal_escalator_pct": ("Yearly price increase after the term", "%",
                                      "How much the subscription rises each year at renewal."),
    "pricing.renewal_cap_pct": ("Cap on the yearly renewal increase", "%", "Blank if there is no cap."),
    "pricing.licence_per_user": ("Licence per user (one-off)", CURRENCY,
                                 "Perpetual licence list price per named user. Required for on_premise."),
    "pricing.licence_discount_pct": ("Licence discount", "%", "Discount off the licence list price."),
    "pricing.maintenance_pct": ("Yearly maintenance", "% of licence", "Software maintenance per year, as a "
                                "percentage of the licence price (list or net, below)."),
    "pricing.maintenance_base": ("Maintenance is a percentage of", "", "list: of the list price; net: of the "
                                 "discounted price."),
    "pricing.maintenance_uplift_pct": ("Yearly maintenance increase", "%", "How much maintenance rises each year."),
    "pricing.hardware_initial": ("Hardware (one-off)", CURRENCY, "Servers and storage the offer needs."),
    "pricing.hardware_refresh_years": ("Hardware refresh every", "years", "Blank if no refresh is planned."),
    "pricing.hosting_per_year": ("Hosting per year", CURRENCY, "Data centre or hosting partner fees."),
    "pricing.hosting_escalator_pct": ("Yearly hosting increase", "%", ""),
    "pricing.database_os_initial": ("Database and OS licences (one-off)", CURRENCY, ""),
    "pricing.database_os_per_year": ("Database and OS support per year", CURRENCY, ""),
    "pricing.premium_support_per_year": ("Premium support per year", CURRENCY,
                                         "Only if not included in the prices above."),
    "pricing.consumption_per_year": ("Usage-based fees per year", CURRENCY,
                                     "API calls, storage or messages above what is included."),
    "pricing.consumption_growth_pct": ("Yearly growth of usage-based fees", "%", ""),
    "pricing.third_party_per_year": ("Partner products per year", CURRENCY,
                                     "Third-party products the offer needs (telephony, add-ons)."),
    # project plan
    "implementation.claimed_go_live_days": ("Days from signature to go-live", "days", "Calendar days. Required."),
    "implementation.services_cost": ("Implementation services (total)", CURRENCY,
                                     "All consulting and configuration services to go-live. Required."),
    "implementation.services_days": ("Services person-days", "days", "Total person-days behind the services cost."),
    "implementation.services_day_rate": ("Day rate", CURRENCY, "The average day rate; days x rate should match "
                                         "the services cost."),
    "implementation.data_migration_cost": ("Data migration", CURRENCY, "If not in the services cost."),
    "implementation.integration_cost": ("Integration (ERP, telephony ...)", CURRENCY, "If not in the services "
                                        "cost."),
    "implementation.training_cost": ("Training", CURRENCY, "If not in the services cost."),
    "implementation.partner": ("Implementation partner", "", "Who delivers the project (you or a named partner)."),
    "implementation.pricing_model": ("Services pricing model", "", "fixed_price, time_and_materials or "
                                     "shared_risk."),
    "implementation.scope_defined": ("Scope defined in the offer", "", "Is the delivered scope written down?"),
    "implementation.acceptance_criteria": ("Acceptance criteria agreed", "", ""),
    "implementation.milestone_payments": ("Payments tied to milestones", "", ""),
    "implementation.technical_account_manager_hours": ("Technical account manager", "hours", "Hours included."),
    "operations.admin_fte": ("Our administrators needed", "FTE", "Full-time equivalents once live."),
    "operations.dba_fte": ("Our database administrators needed", "FTE", "Full-time equivalents once live."),
    # SLA
    "sla.commitment": ("SLA commitment", "", "financially_backed: service credits if missed; reasonable_efforts: "
                       "no credits; none: no availability commitment. Required."),
    "sla.uptime_pct": ("Committed uptime", "%", "Blank if no uptime is committed."),
    "sla.measurement_period": ("Uptime measured per", "", "monthly, quarterly or yearly."),
    "sla.basis": ("Downtime counted as", "", "whole_service: only full outages count; user_minutes: every user "
                  "affected counts."),
    "sla.maintenance_excluded_hours_per_year": ("Maintenance excluded from uptime", "hours per year",
                                                "Planned maintenance not counted as downtime. Blank if none."),
    "sla.maintenance_notice_hours": ("Notice before maintenance", "hours", "Blank if none is promised."),
    "sla.credit_cap_pct": ("Cap on service credits", "% of monthly fee", "Blank if uncapped."),
    "sla.credits_sole_remedy": ("Credits are the only remedy", "", ""),
    "sla.support_hours": ("Support hours", "", "24x7, 24x5 or business_hours."),
    "sla.rpo_hours": ("Recovery point objective (RPO)", "hours", "Most data that can be lost. Blank if none."),
    "sla.rto_hours": ("Recovery time objective (RTO)", "hours", "Longest time to restore. Blank if none."),
    "sla.disaster_recovery_plan": ("Disaster recovery plan", "", ""),
    "sla.disaster_recovery_tested": ("Disaster recovery tested yearly", "", ""),
    "sla.secondary_site": ("Secondary data centre", "", ""),
    "sla.outage_history_provided": ("Outage history provided", "", "Have you given us your outage history?"),
    # contract
    "contract.auto_renewal": ("Renews automatically", "", ""),
    "contract.renewal_notice_days": ("Notice to stop renewal", "days", ""),
    "contract.renewal_term_years": ("Renewal term", "years", "0 if it does not renew."),
    "contract.renewal_price_cap_pct": ("Cap on renewal price increase", "%", "Blank if uncapped."),
    "contract.seat_reduction_allowed": ("Users can be reduced at renewal", "", ""),
    "contract.termination_for_convenience": ("We may end it for convenience", "", ""),
    "contract.termination_for_sla_failure": ("We may end it for repeated SLA failure", "", ""),
    "contract.data_export_on_exit": ("Full data export on exit", "", ""),
    "contract.export_window_days": ("Export window after the end", "days", ""),
    "contract.export_format": ("Export format", "", "e.g. CSV per object, database dump."),
    "contract.liability_cap_months": ("Liability cap", "months of fees", "Blank if uncapped."),
    "contract.liability_carve_outs": ("Carve-outs from the cap", "", "Data breach and confidentiality outside "
                                      "the cap?"),
    "contract.unilateral_changes": ("You may change terms unilaterally", "", ""),
    "contract.change_notice_days": ("Notice of changes", "days", ""),
    "contract.forced_upgrades": ("Upgrades installed without our consent", "", ""),
    "contract.upgrade_preview_days": ("Upgrade preview", "days", "Sandbox access before an upgrade."),
    "contract.maintenance_starts_at_go_live": ("Fees start at go-live", "", "Maintenance or subscription starts "
                                               "at go-live, not at signature."),
    "contract.audit_rights": ("Your licence audit rights", "", "none, annual_with_notice or at_will."),
    "contract.true_up_price": ("Extra users are priced at", "", "contract: the contract price; list: the list "
                               "price then."),
    "contract.escrow": ("Source code escrow", "", "Triggers in the table below."),
    "contract.data_ownership_in_contract": ("Our data ownership in the contract", "", ""),
    "contract.breach_notice_hours": ("Notice of a data breach within", "hours", "Blank if not promised."),
    "contract.subprocessor_objection": ("We may object to new subprocessors", "", ""),
    "contract.consumption_cap": ("Usage-based fees have a ceiling", "", ""),
    "contract.change_of_control_protection": ("Protection on change of control", "", "Terms hold if you are "
                                              "acquired."),
}
SEVERITY_TEXT = {"sev1": "system down", "sev2": "major function down", "sev3": "minor problem",
                 "sev4": "question or request"}
CERTIFICATION_TEXT = {"soc2_type2": "SOC 2 Type II", "soc2_type1": "SOC 2 Type I", "iso27001": "ISO/IEC 27001",
                      "iso27017": "ISO/IEC 27017 (cloud security)", "iso27018": "ISO/IEC 27018 (cloud privacy)",
                      "mlps3": "MLPS level 3 (China)"}
PAYABLE_TEXT = {"subscription": "subscription", "licence_true_ups": "licence true-ups", "maintenance": "maintenance",
                "hosting": "hosting", "database_os": "database and OS", "premium_support": "premium support",
                "consumption": "consumption", "third_party": "third-party products"}
SECTIONS: tuple[tuple[str, str, type[BaseModel]], ...] = (
    ("pricing", "Prices", Pricing),
    ("implementation", "Project plan", ImplementationPlan),
    ("operations", "Our staff once live (your estimate)", Operations),
    ("sla", "Service levels (SLA)", SlaTerms),
    ("contract", "Contract terms", ContractTerms),
)
OFFER_FIELDS = ("id", "deployment", "edition", "hosting_partner")
#: fields shown as their own rows or tables rather than one row each
#: where a section's rows are not in the model's field order: the plan's days and rate next to its cost
ORDER = {"implementation": ("claimed_go_live_days", "services_cost", "services_days", "services_day_rate",
                            "data_migration_cost", "integration_cost", "training_cost", "partner", "pricing_model",
                            "scope_defined", "acceptance_criteria", "milestone_payments",
                            "technical_account_manager_hours", "phases")}


@dataclass(frozen=True)
class FieldSpec:
    """One input: what it is (kind), its range, and what a blank means."""

    key: str
    label: str
    unit: str
    help: str
    kind: str  # number | whole | yes_no | choice | text | id
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the value must be above ``low`` (``gt``)
    max_length: int | None = None
    required: bool = False
    default: Any = None  # what a blank cell means (None: nothing)

    def unit_for(self, currency: str) -> str:
        return self.unit.replace(CURRENCY, currency)

    def allowed(self, currency: str = "") -> str:
        """What the cell accepts, for the Allowed column and for problem reports."""
        if self.kind == "yes_no":
            text = "Yes or No"
        elif self.kind == "choice":
            text = "one of: " + ", ".join(self.choices)
        elif self.kind in ("text", "id"):
            limit = self.max_length or MAX_TEXT
            text = "text" if limit >= MAX_TEXT else f"text, at most {limit} characters"
            if self.kind == "id":
                text = "letters (any script), digits, - and _ (no spaces), at most 80 characters"
        else:
            what = "a whole number" if self.kind == "whole" else "a number"
            low = f"{self.low:g}" if self.low is not None else ""
            if self.high is not None:
                text = f"{what} from {low} to {self.high:g}" if not self.low_open else (
                    f"{what} above {low}, at most {self.high:g}")
            elif self.low is not None:
                text = f"{what} above {low}" if self.low_open else f"{what}, at least {low}"
            else:
                text = what
        if self.required:
            return text + "; required"
        if self.default is None or self.default == () or self.default == "":
            return text + "; blank: none"
        return text + f"; blank means {display(self.default)}"


def display(value: Any) -> str:
    """A value as the form shows it (Yes/No, enum values, 3 not 3.0)."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


def _constraints(annotation: Any, metadata: list[Any]) -> dict[str, Any]:
    """ge/gt/le/max_length found in ``metadata`` and, through Optional and Annotated, in ``annotation``."""
    found: dict[str, Any] = {}
    pending: list[Any] = list(metadata)
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = typing.get_origin(item)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(item)
            stack.append(base)
            pending.extend(extra)
        elif origin in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(item))
    while pending:
        meta = pending.pop()
        if isinstance(meta, FieldInfo):
            pending.extend(meta.metadata)
        elif isinstance(meta, annotated_types.Ge):
            found["ge"] = meta.ge
        elif isinstance(meta, annotated_types.Gt):
            found["gt"] = meta.gt
        elif isinstance(meta, annotated_types.Le):
            found["le"] = meta.le
        elif isinstance(meta, annotated_types.MaxLen):
            found["max_length"] = meta.max_length
    return found


def _base(annotation: Any) -> Any:
    """The type under Optional and Annotated."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def field_spec(model: type[BaseModel], name: str, key: str, label: str, unit: str = "", help: str = "",
               annotation: Any = None) -> FieldSpec:
    """The spec of ``model.name`` (``annotation`` overrides the field's type, e.g. a dict's value type)."""
    info = model.model_fields[name]
    typ = annotation if annotation is not None else info.annotation
    limits = _constraints(typ, [] if annotation is not None else list(info.metadata))
    base = _base(typ)
    required = annotation is None and info.is_required()
    default = None if required or annotation is not None or info.default is PydanticUndefined else info.default
    low = limits.get("gt", limits.get("ge"))
    common: dict[str, Any] = {"key": key, "label": label, "unit": unit, "help": help, "required": required,
                              "default": default}
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return FieldSpec(kind="choice", choices=tuple(str(m.value) for m in base), **common)
    if base is bool:
        return FieldSpec(kind="yes_no", **common)
    if base is int or base is float:
        return FieldSpec(kind="whole" if base is int else "number", low=None if low is None else float(low),
                         high=None if "le" not in limits else float(limits["le"]), low_open="gt" in limits,
                         **common)
    kind = "id" if key == "id" else "text"
    return FieldSpec(kind=kind, max_length=limits.get("max_length", 80 if kind == "id" else MAX_TEXT), **common)


def _spec(model: type[BaseModel], key: str) -> FieldSpec:
    label, unit, help_text = TEXTS[key]
    return field_spec(model, key.rsplit(".", 1)[-1], key, label, unit, help_text)


@dataclass(frozen=True)
class Row:
    """One row of an offer sheet: a band, a table's header, a field, or a table row (``index`` from 1)."""

    kind: str  # band | head | field | credit | phase | trigger
    key: str = ""
    text: str = ""
    specs: tuple[FieldSpec, ...] = ()  # one per input column, from column C
    index: int = 0
    heads: tuple[str, ...] = ()
    help: str = ""


def _table_specs() -> dict[str, tuple[FieldSpec, ...]]:
    return {
        "credit": (field_spec(CreditTier, "below_pct", "below_pct", "Uptime below", "%"),
                   field_spec(CreditTier, "credit_pct", "credit_pct", "Credit", "% of monthly fee")),
        "phase": (field_spec(ProjectPhase, "name", "name", "Phase name"),
                  field_spec(ProjectPhase, "days", "days", "Person-days", "days"),
                  field_spec(ProjectPhase, "description", "description", "What it delivers")),
        "trigger": (FieldSpec("trigger", "Escrow release trigger", "", "", "text", max_length=500),),
    }


TABLE_SPECS = _table_specs()
TABLE_KEYS = {"credit": "sla.credits", "phase": "implementation.phases", "trigger": "contract.escrow_triggers"}


def _section_rows(prefix: str, model: type[BaseModel], tables: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    names = ORDER.get(prefix, tuple(model.model_fields))
    assert sorted(names) == sorted(model.model_fields), f"ORDER of {prefix} misses a field"
    for name in names:
        key = f"{prefix}.{name}"
        if key == "implementation.phases":
            rows.append(Row("head", text="Project phases, in order (one per row)",
                            heads=("Phase name", "Person-days", "What it delivers"),
                            help="Person-days: a whole number from 1 to 2000. Leave unused rows blank."))
            rows += [Row("phase", f"{TABLE_KEYS['phase']}.{i}", f"Phase {i}", TABLE_SPECS["phase"], i)
                     for i in range(1, tables["phase"] + 1)]
        elif key == "sla.credits":
            rows.append(Row("head", text="Service credit schedule (one tier per row, highest uptime first)",
                            heads=("Uptime below (%)", "Credit (% of monthly fee)"),
                            help="Both from 0 to 100; each tier's 'uptime below' lower than the tier above it. "
                                 "Leave unused rows blank."))
            rows += [Row("credit", f"{TABLE_KEYS['credit']}.{i}", f"Tier {i}", TABLE_SPECS["credit"], i)
                     for i in range(1, tables["credit"] + 1)]
        elif key == "sla.response_hours":
            value_type = typing.get_args(SlaTerms.model_fields[name].annotation)[1]
            for severity in SEVERITIES:
                spec = field_spec(SlaTerms, name, f"{key}.{severity}",
                                  f"Response time, {severity} ({SEVERITY_TEXT[severity]})", "hours",
                                  "Blank if no response time is committed.", annotation=value_type)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif key == "pricing.paid_in_advance":
            for line in PayableLine:
                usual = line in DEFAULT_PAID_IN_ADVANCE
                spec = FieldSpec(f"{key}.{line.value}", f"Billed yearly in advance: {PAYABLE_TEXT[line.value]}", "",
                                 "Yes if this line is billed at the start of each contract year, No if as it falls "
                                 f"due; blank means {'Yes' if usual else 'No'}.", "yes_no", default=usual)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif key == "sla.certifications":
            for cert in Certification:
                spec = FieldSpec(f"{key}.{cert.value}", f"Certified: {CERTIFICATION_TEXT[cert.value]}", "",
                                 "Current certificate for the service or data centre offered.", "yes_no",
                                 default=False)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif key == "contract.escrow_triggers":
            rows.append(Row("head", text="Escrow release triggers (one per row)", heads=("Trigger",),
                            help="Events that release the source code to us, e.g. insolvency."))
            rows += [Row("trigger", f"{TABLE_KEYS['trigger']}.{i}", f"Trigger {i}", TABLE_SPECS["trigger"], i)
                     for i in range(1, tables["trigger"] + 1)]
        else:
            spec = _spec(model, key)
            rows.append(Row("field", key, spec.label, (spec,)))
    return rows


def table_sizes(offers: list[Offer | None]) -> dict[str, int]:
    """Rows per table: room for the longest table of ``offers`` and then some."""
    given = [o for o in offers if o is not None]
    return {
        "credit": max([MIN_CREDIT_ROWS, *(len(o.sla.credits) + 2 for o in given)]),
        "phase": max([MIN_PHASE_ROWS, *(len(o.implementation.phases) + 2 for o in given)]),
        "trigger": max([MIN_TRIGGER_ROWS, *(len(o.contract.escrow_triggers) + 2 for o in given)]),
    }


def bid_layout(tables: dict[str, int]) -> list[Row]:
    """Every row of an offer sheet below its header, in order."""
    rows = [Row("band", text="The offer")]
    rows += [Row("field", key, spec.label, (spec,)) for key in OFFER_FIELDS for spec in [_spec(Offer, key)]]
    for prefix, title, model in SECTIONS:
        rows.append(Row("band", text=title))
        rows += _section_rows(prefix, model, tables)
    return rows


__all__ = ["TABLE_KEYS", "TABLE_SPECS", "TEXTS", "FieldSpec", "Row", "bid_layout", "display", "field_spec",
           "table_sizes"]
