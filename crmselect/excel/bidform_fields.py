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
from dataclasses import dataclass, replace
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from crmselect.errors import Message
from crmselect.excel.bidform_text import (
    CERTIFICATION_TEXT,
    CURRENCY,
    PARTY_TEXT,
    PAYABLE_TEXT,
    SEVERITY_TEXT,
    STACK_TEXT,
    TEXTS,
    choice_label,
    choice_labels,
    text_key,
)
from crmselect.excel.form_language import language, words, yes_no
from crmselect.excel.form_language import unit as unit_words
from crmselect.model.bids import (
    DEFAULT_PAID_IN_ADVANCE,
    SEVERITIES,
    Certification,
    ContractTerms,
    CreditTier,
    ImplementationPlan,
    Offer,
    Operations,
    Party,
    PartyRole,
    PayableLine,
    Pricing,
    ProjectPhase,
    SlaTerms,
    StackLayer,
)
from crmselect.show.i18n import N_

MAX_TEXT = 2000  # a text field without its own limit
MIN_CREDIT_ROWS, MIN_PHASE_ROWS, MIN_TRIGGER_ROWS, MIN_REFERENCE_ROWS = 5, 8, 4, 4
YES, NO = "Yes", "No"  # the English words (a form shows those of its language: form_language.yes_no)

SECTIONS: tuple[tuple[str, str, type[BaseModel]], ...] = (
    ("pricing", N_("Prices"), Pricing),
    ("implementation", N_("Project plan"), ImplementationPlan),
    ("operations", N_("Our staff once live (your estimate)"), Operations),
    ("sla", N_("Service levels (SLA)"), SlaTerms),
    ("contract", N_("Contract terms"), ContractTerms),
)
OFFER_FIELDS = ("id", "deployment", "edition", "hosting_partner")
#: set-valued fields the form asks member by member (one Yes/No row each, keyed ``<field>.<member>``), and the
#: mapping asked key by key; wherever they sit (the offer's own SLA or a partner's)
MEMBER_FIELDS = ("certifications", "paid_in_advance", "domestic_stack")
KEYED_FIELDS = ("response_hours",)
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
    in_block: bool = False  # a partner's field: required only when its block (party, SLA, contract) is filled in

    def unit_for(self, currency: str) -> str:
        """The unit in the current language, the currency filled in."""
        return unit_words(words(self.unit)).replace(CURRENCY, currency)

    def allowed(self, currency: str = "") -> str:
        """What the cell accepts, for the Allowed column and for problem reports: a Message whose words a
        form shows (Yes/No, the choices) are those of the current language."""
        text: str
        if self.kind == "yes_no":
            yes, no = yes_no()
            text = Message("{yes} or {no}", yes=yes, no=no)
        elif self.kind == "choice":
            comma = ", " if language() == "en" else "、"
            text = Message("one of: {choices}", choices=comma.join(choice_labels(self.key, self.choices)))
        elif self.kind in ("text", "id"):
            limit = self.max_length or MAX_TEXT
            text = Message("text") if limit >= MAX_TEXT else Message("text, at most {limit} characters", limit=limit)
            if self.kind == "id":
                text = Message("letters (any script), digits, - and _ (no spaces), at most 80 characters")
        else:
            what = Message("a whole number") if self.kind == "whole" else Message("a number")
            low = f"{self.low:g}" if self.low is not None else ""
            if self.high is not None:
                text = Message("{what} from {low} to {high}", what=what, low=low, high=f"{self.high:g}") \
                    if not self.low_open else Message("{what} above {low}, at most {high}", what=what, low=low,
                                                      high=f"{self.high:g}")
            elif self.low is not None:
                text = Message("{what} above {low}", what=what, low=low) if self.low_open else Message(
                    "{what}, at least {low}", what=what, low=low)
            else:
                text = what
        if self.required and self.in_block:
            return Message("{allowed}; required when this block is filled in", allowed=text)
        if self.required:
            return Message("{allowed}; required", allowed=text)
        if self.default is None or self.default == () or self.default == "":
            return Message("{allowed}; blank: none", allowed=text)
        return Message("{allowed}; blank means {default}", allowed=text, default=self.shown(self.default))

    def shown(self, value: Any) -> str:
        """A value of this field as the form shows it in the current language (Yes/No, a choice's label)."""
        if isinstance(value, enum.Enum):
            return choice_label(self.key, str(value.value))
        return display(value)


def display(value: Any) -> str:
    """A value as the form shows it (Yes/No in the current language, enum values, 3 not 3.0)."""
    if isinstance(value, bool):
        yes, no = yes_no()
        return yes if value else no
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
    label, unit, help_text = TEXTS[text_key(key)]
    spec = field_spec(model, key.rsplit(".", 1)[-1], key, Message(label), Message(unit) if unit else "",
                      Message(help_text) if help_text else "")
    return replace(spec, in_block=True) if key.startswith("partners.") else spec


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
        "credit": (field_spec(CreditTier, "below_pct", "below_pct", Message("Uptime below"), "%"),
                   field_spec(CreditTier, "credit_pct", "credit_pct", Message("Credit"), Message("% of monthly fee"))),
        "phase": (field_spec(ProjectPhase, "name", "name", Message("Phase name")),
                  field_spec(ProjectPhase, "days", "days", Message("Person-days"), "days"),
                  field_spec(ProjectPhase, "description", "description", Message("What it delivers"))),
        "trigger": (FieldSpec("trigger", Message("Escrow release trigger"), "", "", "text", max_length=500),),
        "reference": (FieldSpec("reference", Message("Reference customer called"), "", "", "text", max_length=200),),
    }


TABLE_SPECS = _table_specs()
#: the first table of each kind on a sheet (its rows are counted to rebuild the layout; a partner's tables of the
#: same kind have as many rows)
TABLE_KEYS = {"credit": "sla.credits", "phase": "implementation.phases", "trigger": "contract.escrow_triggers",
              "reference": "partners.implementation.references_checked"}


def _section_rows(prefix: str, model: type[BaseModel], tables: dict[str, int]) -> list[Row]:
    """The rows of one section (``prefix``: ``sla``, or a partner's ``partners.hosting.sla``)."""
    rows: list[Row] = []
    names = ORDER.get(prefix, tuple(model.model_fields))
    assert sorted(names) == sorted(model.model_fields), f"ORDER of {prefix} misses a field"
    for name in names:
        key = f"{prefix}.{name}"
        base = text_key(key)  # the field as the offer's own section names it
        if base == "implementation.phases":
            rows.append(Row("head", text=Message("Project phases, in order (one per row)"),
                            heads=(Message("Phase name"), Message("Person-days"), Message("What it delivers")),
                            help=Message("Person-days: a whole number from 1 to 2000. Leave unused rows blank.")))
            rows += [Row("phase", f"{key}.{i}", Message("Phase {number}", number=i),
                         TABLE_SPECS["phase"], i) for i in range(1, tables["phase"] + 1)]
        elif base == "sla.credits":
            rows.append(Row("head", text=Message("Service credit schedule (one tier per row, highest uptime first)"),
                            heads=(Message("Uptime below (%)"), Message("Credit (% of monthly fee)")),
                            help=Message("Both from 0 to 100; each tier's 'uptime below' lower than the tier above "
                                         "it. Leave unused rows blank.")))
            rows += [Row("credit", f"{key}.{i}", Message("Tier {number}", number=i),
                         TABLE_SPECS["credit"], i) for i in range(1, tables["credit"] + 1)]
        elif base == "sla.response_hours":
            value_type = typing.get_args(SlaTerms.model_fields[name].annotation)[1]
            for severity in SEVERITIES:
                spec = field_spec(SlaTerms, name, f"{key}.{severity}",
                                  Message("Response time, {severity} ({meaning})", severity=severity,
                                          meaning=Message(SEVERITY_TEXT[severity])), "hours",
                                  Message("Blank if no response time is committed."), annotation=value_type)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif base == "pricing.paid_in_advance":
            for line in PayableLine:
                usual = line in DEFAULT_PAID_IN_ADVANCE
                spec = FieldSpec(f"{key}.{line.value}", Message("Billed yearly in advance: {line}",
                                                                line=Message(PAYABLE_TEXT[line.value])), "",
                                 Message("Yes if this line is billed at the start of each contract year, No if as it "
                                         "falls due; blank means {default}.",
                                         default=Message("Yes") if usual else Message("No")), "yes_no",
                                 default=usual)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif base == "sla.certifications":
            for cert in Certification:
                spec = FieldSpec(f"{key}.{cert.value}", Message("Certified: {certificate}",
                                                                certificate=Message(CERTIFICATION_TEXT[cert.value])),
                                 "", Message("Current certificate for the service or data centre offered."),
                                 "yes_no", default=False)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif base == "contract.domestic_stack":
            for layer in StackLayer:
                spec = FieldSpec(f"{key}.{layer.value}", Message("Runs on domestic products: {layer}",
                                                                 layer=Message(STACK_TEXT[layer.value])),
                                 "", Message("Yes if this layer of the offer runs on a domestic product, with its "
                                             "compatibility certificate (信创)."), "yes_no", default=False)
                rows.append(Row("field", spec.key, spec.label, (spec,)))
        elif base == "contract.escrow_triggers":
            rows.append(Row("head", text=Message("Escrow release triggers (one per row)"), heads=(Message("Trigger"),),
                            help=Message("Events that release the source code to us, e.g. insolvency.")))
            rows += [Row("trigger", f"{key}.{i}", Message("Trigger {number}", number=i),
                         TABLE_SPECS["trigger"], i) for i in range(1, tables["trigger"] + 1)]
        elif base == "party.references_checked":
            rows.append(Row("head", text=Message("Reference customers we called (one per row)"),
                            heads=(Message("Customer"),),
                            help=Message("Filled in by the buyer after its calls: leave these rows as they are.")))
            rows += [Row("reference", f"{key}.{i}", Message("Reference {number}", number=i),
                         TABLE_SPECS["reference"], i) for i in range(1, tables["reference"] + 1)]
        elif base in ("party.sla", "party.contract"):
            continue  # a party's own terms follow its other fields, as sections of their own
        else:
            spec = _spec(model, key)
            rows.append(Row("field", key, spec.label, (spec,)))
    return rows


def _party_rows(role: PartyRole, tables: dict[str, int]) -> list[Row]:
    """A partner as a party of its own: its fields, then its own SLA and contract terms (each block optional)."""
    prefix = f"partners.{role.value}"
    party = Message(PARTY_TEXT[role.value])
    band = (Message("Implementation partner, as a party of its own (leave blank if you implement yourselves)")
            if role is PartyRole.implementation else
            Message("Hosting partner, as a party of its own (hosted offers only)"))
    rows = [Row("band", text=band), *_section_rows(prefix, Party, tables),
            Row("band", text=Message("{party}: its own service levels with you (optional)", party=party)),
            *_section_rows(f"{prefix}.sla", SlaTerms, tables),
            Row("band", text=Message("{party}: its own contract terms (optional)", party=party)),
            *_section_rows(f"{prefix}.contract", ContractTerms, tables)]
    return [row if row.kind == "band" else replace(row, text=Message("{party}: {item}", party=party, item=row.text))
            for row in rows]


def table_sizes(offers: list[Offer | None]) -> dict[str, int]:
    """Rows per table: room for the longest table of ``offers`` and then some."""
    given = [o for o in offers if o is not None]
    parties = [party for o in given for _, party in o.partners.parties()]
    slas = [*(o.sla for o in given), *(p.sla for p in parties if p.sla is not None)]
    contracts = [*(o.contract for o in given), *(p.contract for p in parties if p.contract is not None)]
    return {
        "credit": max([MIN_CREDIT_ROWS, *(len(sla.credits) + 2 for sla in slas)]),
        "phase": max([MIN_PHASE_ROWS, *(len(o.implementation.phases) + 2 for o in given)]),
        "trigger": max([MIN_TRIGGER_ROWS, *(len(c.escrow_triggers) + 2 for c in contracts)]),
        "reference": max([MIN_REFERENCE_ROWS, *(len(p.references_checked) + 2 for p in parties)]),
    }


def bid_layout(tables: dict[str, int]) -> list[Row]:
    """Every row of an offer sheet below its header, in order."""
    rows = [Row("band", text=Message("The offer"))]
    rows += [Row("field", key, spec.label, (spec,)) for key in OFFER_FIELDS for spec in [_spec(Offer, key)]]
    for prefix, title, model in SECTIONS:
        rows.append(Row("band", text=Message(title)))
        rows += _section_rows(prefix, model, tables)
    for role in PartyRole:
        rows += _party_rows(role, tables)
    return rows


__all__ = ["CURRENCY", "KEYED_FIELDS", "MEMBER_FIELDS", "TABLE_KEYS", "TABLE_SPECS", "TEXTS", "FieldSpec", "Row",
           "bid_layout", "display", "field_spec", "table_sizes"]
