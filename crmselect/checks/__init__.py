"""SLA and contract red flags as data: check types, SLA arithmetic, the rules, their words in English and
Chinese (``rules.yaml``), and the check report."""

from typing import TYPE_CHECKING

from crmselect.imports import lazy_exports

if TYPE_CHECKING:
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

# each public name -> its module: imported when the name is first used, so that a command loads only
# what it runs
__getattr__, __dir__ = lazy_exports(__name__, {
    "CODES": "report",
    "CheckReport": "report",
    "Finding": "report",
    "FindingText": "report",
    "check_offer": "report",
    "check_project": "report",
    "computed_values": "report",
    "registry": "report",
    "SlaReport": "sla",
    "compare_sla": "sla",
    "sla_report": "sla",
    "Check": "types",
    "Severity": "types",
    "Reason": "wording",
})

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
