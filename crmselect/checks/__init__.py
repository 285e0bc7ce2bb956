"""SLA and contract red flags as data: check types, SLA arithmetic, the rules, their words in English and
Chinese (``rules.yaml``), and the check report."""

from crmselect.checks.report import (
    CODES,
    CheckReport,
    Finding,
    FindingText,
    check_offer,
    check_project,
    computed_values,
    registry,
)
from crmselect.checks.sla import SlaReport, compare_sla, sla_report
from crmselect.checks.types import Check, Severity
from crmselect.checks.wording import Reason

__all__ = [
    "CODES",
    "Check",
    "CheckReport",
    "Finding",
    "FindingText",
    "Reason",
    "Severity",
    "SlaReport",
    "check_offer",
    "check_project",
    "compare_sla",
    "computed_values",
    "registry",
    "sla_report",
]
