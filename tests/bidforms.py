"""Filling bid forms as a vendor's bid manager would: by field key, into the offer sheets of a questionnaire."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from crmselect.excel.bidform_write import HEADER_ROW, KEY, VALUE
from crmselect.excel.questionnaire import ANSWER, SHEET


def rows_by_key(ws: Any) -> dict[str, int]:
    return {ws.cell(r, KEY).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, KEY).value}


def fill_bid(path: Path, sheets: dict[str, dict[str, Any]], answers: dict[str, object] | None = None) -> None:
    """Type into offer sheets by field key: {"Offer 1": {"pricing.term_years": 5, "sla.credits.1": (99, 10)}}."""
    wb = openpyxl.load_workbook(path)
    for name, values in sheets.items():
        ws = wb[name]
        rows = rows_by_key(ws)
        for key, value in values.items():
            for offset, part in enumerate(value if isinstance(value, tuple) else (value,)):
                ws.cell(rows[key], VALUE + offset).value = part
    if answers:
        ws = wb[SHEET]
        ids = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value}
        for cid, value in answers.items():
            ws.cell(ids[cid], ANSWER).value = value
    wb.save(path)


NOVA_SAAS = {
    "deployment": "saas", "edition": "Nova Cloud Enterprise", "pricing.subscription_per_user_month": 55,
    "pricing.subscription_discount_pct": 10, "pricing.term_years": 3, "pricing.renewal_cap_pct": 4,
    "implementation.claimed_go_live_days": 120, "implementation.services_cost": 90000,
    "implementation.services_days": 300, "implementation.services_day_rate": 300,
    "implementation.phases.1": ("Discovery", 20, "Workshops"), "implementation.phases.2": ("Build", 200, None),
    "sla.commitment": "financially_backed", "sla.uptime_pct": 99.9, "sla.support_hours": "24x7",
    "sla.credits.1": (99.9, 10), "sla.credits.2": (99.0, 25), "sla.response_hours.sev1": 1,
    "sla.certifications.iso27001": "Yes", "sla.certifications.soc2_type2": "Yes",
    "contract.data_export_on_exit": "Yes", "contract.export_window_days": 60,
}
NOVA_HOSTED = {
    "deployment": "hosted", "hosting_partner": "Harbour Data Centres", "pricing.licence_per_user": 900,
    "pricing.maintenance_pct": 18, "pricing.hosting_per_year": 20000, "implementation.claimed_go_live_days": 200,
    "implementation.services_cost": 150000, "implementation.services_days": 400,
    "implementation.services_day_rate": 350, "sla.commitment": "reasonable_efforts", "contract.escrow": "Yes",
    "contract.escrow_triggers.1": "insolvency", "contract.escrow_triggers.2": "end of support",
}
