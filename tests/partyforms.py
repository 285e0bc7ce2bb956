"""Partners with every field given, and vendor files that hold them: for the bid form's round trips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from crmselect.excel.bidform_yaml import offers_block
from crmselect.excel.yaml_writeback import answers_block
from crmselect.model.bids import ContractTerms, Offer, Partners, Party, SlaTerms, Vendor

IMPLEMENTER = "Lakeside Delivery GmbH"
HOST = "Northern Hosting"  # the hosting partner borealis-hosted names (tests/data selection)

FULL_SLA = SlaTerms.model_validate({
    "commitment": "reasonable_efforts", "uptime_pct": 99.7, "measurement_period": "quarterly",
    "basis": "user_minutes", "maintenance_excluded_hours_per_year": 40.5, "maintenance_notice_hours": 72,
    "credits": [{"below_pct": 99.7, "credit_pct": 5}, {"below_pct": 99.0, "credit_pct": 15},
                {"below_pct": 98.0, "credit_pct": 30}],
    "credit_cap_pct": 40, "credits_sole_remedy": False, "support_hours": "24x5",
    "response_hours": {"sev1": 0.5, "sev2": 2, "sev3": 8, "sev4": 24}, "rpo_hours": 6, "rto_hours": 10,
    "disaster_recovery_plan": True, "disaster_recovery_tested": True, "secondary_site": True,
    "certifications": ["mlps3", "iso27001", "soc2_type2"], "outage_history_provided": True,
})
FULL_CONTRACT = ContractTerms.model_validate({
    "auto_renewal": False, "renewal_notice_days": 90, "renewal_term_years": 2, "renewal_price_cap_pct": 3.5,
    "seat_reduction_allowed": True, "termination_for_convenience": True, "termination_for_sla_failure": True,
    "data_export_on_exit": True, "export_window_days": 45, "export_format": "SQL dump and CSV per table",
    "liability_cap_months": 18, "liability_carve_outs": True, "unilateral_changes": True, "change_notice_days": 60,
    "forced_upgrades": True, "upgrade_preview_days": 30, "maintenance_starts_at_go_live": False,
    "audit_rights": "at_will", "true_up_price": "list", "escrow": True,
    "escrow_triggers": ["insolvency", "end of hosting", "breach of the exit plan"], "data_ownership_in_contract": True,
    "breach_notice_hours": 24, "subprocessor_objection": True, "consumption_cap": False,
    "change_of_control_protection": True, "data_location": "backups_abroad", "support_access_from_abroad": True,
    "cross_border_mechanism": "standard_contract", "icp_filing": "沪ICP备2021012345号",
    "domestic_stack": ["database", "middleware"],
})


def full_party(name: str, rating: str = "BBB", band: str = "10m_50m") -> Party:
    """A party with every field given and different from its default (its own SLA and contract too)."""
    return Party.model_validate({
        "name": name, "references": 7, "references_checked": ["Fjord Foods AS", "Kiel Pumps AG", "Bergen Bank"],
        "certified_staff": 12, "years_trading": 9, "revenue_band": band, "credit_rating": rating,
        "financial_evidence": "Audited 2025 accounts; Creditreform report of March 2026.",
        "sla": FULL_SLA.model_dump(mode="json"), "contract": FULL_CONTRACT.model_dump(mode="json"),
    })


def differs_from_defaults(model: BaseModel) -> list[str]:
    """The fields of ``model`` (and of its nested models) that still hold their default: none for a full party."""
    same = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            same += [f"{name}.{inner}" for inner in differs_from_defaults(value)]
            continue
        if not info.is_required():
            default = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
            if value == default:
                same.append(name)
    return same


def partnered(offer: Offer, implementation: Party | None, hosting: Party | None) -> Offer:
    """``offer`` with these partners, named alike where the offer names its partners elsewhere."""
    plan = offer.implementation.model_copy(update={"partner": implementation.name if implementation else ""})
    update: dict[str, Any] = {"partners": Partners(implementation=implementation, hosting=hosting),
                              "implementation": plan}
    if hosting is not None and offer.hosting_partner:
        update["hosting_partner"] = hosting.name
    return Offer.model_validate({**offer.model_dump(), **update})


def write_vendor(path: Path, vendor: Vendor) -> None:
    """A vendor file holding ``vendor`` exactly (the file is written anew, as an import of a new vendor does)."""
    head: dict[str, Any] = {"id": vendor.id, "name": vendor.name, "currency": vendor.currency}
    head |= {key: getattr(vendor, key) for key in ("country", "description") if getattr(vendor, key)}
    if vendor.round != 1:
        head["round"] = vendor.round
    text = (yaml.safe_dump(head, allow_unicode=True, sort_keys=False) + offers_block(vendor.offers)
            + answers_block(vendor.answers))
    path.write_text(text, encoding="utf-8")
    assert Vendor.model_validate(yaml.safe_load(text)) == vendor


def copy_inputs(source: Path, source_sheet: str, target: Path, target_sheet: str, **typed: Any) -> None:
    """Type into ``target_sheet`` what the input cells of ``source_sheet`` hold, field key by field key, as a
    vendor copying its bid would; ``typed`` then overrides keys (``id=None`` clears the offer id)."""
    import openpyxl
    from bidforms import rows_by_key

    from crmselect.excel.bidform_write import INPUTS, VALUE

    src = openpyxl.load_workbook(source)[source_sheet]
    wb = openpyxl.load_workbook(target)
    dst = wb[target_sheet]
    have, want = rows_by_key(src), rows_by_key(dst)
    for key, row in have.items():
        for offset in range(len(INPUTS["phase"])):
            given = src.cell(row, VALUE + offset)
            value = given.value if not given.protection.locked or (key, offset) == ("id", 0) else None
            cell = dst.cell(want[key], VALUE + offset) if key in want else None
            if value is not None:
                assert cell is not None and not cell.protection.locked, (key, offset)
                cell.value = value
    rows = rows_by_key(dst)
    for key, value in typed.items():
        dst.cell(rows[key], VALUE).value = value
    wb.save(target)
