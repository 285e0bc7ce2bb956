"""SLA and contract red flags as data: check types, SLA arithmetic, the rules, and the check report."""

from crmselect.checks.report import CODES, CheckReport, check_offer, check_project, computed_values, registry
from crmselect.checks.sla import SlaReport, compare_sla, sla_report
from crmselect.checks.types import Check, Severity

__all__ = [
    "CODES",
    "Check",
    "CheckReport",
    "Severity",
    "SlaReport",
    "check_offer",
    "check_project",
    "compare_sla",
    "computed_values",
    "registry",
    "sla_report",
]
