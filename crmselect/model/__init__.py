"""Frozen domain objects: the criteria catalogue, goals and committee, vendor bids, the project.

Every object is a frozen pydantic model built by the loaders in :mod:`crmselect.files`; a change makes a
new object (``with_weights`` and friends).  The bottom layer: it imports nothing but ``errors``.
"""

from crmselect.model.bids import Answer, ContractTerms, Deployment, ImplementationPlan, Offer, Pricing, SlaTerms, Vendor
from crmselect.model.goals import (
    AnswerKind,
    Assumptions,
    Committee,
    ComplianceScale,
    Criterion,
    Envelope,
    Goal,
    Kpi,
    Member,
    MustHave,
    Scenario,
    Selection,
    StakeholderView,
)
from crmselect.model.project import Bid, Project

__all__ = [
    "Answer",
    "AnswerKind",
    "Assumptions",
    "Bid",
    "Committee",
    "ComplianceScale",
    "ContractTerms",
    "Criterion",
    "Deployment",
    "Envelope",
    "Goal",
    "ImplementationPlan",
    "Kpi",
    "Member",
    "MustHave",
    "Offer",
    "Pricing",
    "Project",
    "Scenario",
    "Selection",
    "SlaTerms",
    "StakeholderView",
    "Vendor",
]
