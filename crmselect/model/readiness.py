"""The buyer's readiness: eight factors the committee rates, each with a short piece of evidence.

``readiness:`` in the goals file rates how ready the company itself is to implement a CRM.  It is
the same for every bid; :mod:`crmselect.money.readiness` turns it into a multiplier on the
implementation's duration (the stated model and its sources are in ``docs/READINESS.md``).
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field

from crmselect.model.frozen import Frozen, Text


class Rating(enum.StrEnum):
    in_place = "in_place"
    partly = "partly"
    missing = "missing"


class FactorRating(Frozen):
    """One factor's rating and why the committee rates it so (a document, a decision, a name)."""

    rating: Rating
    evidence: Annotated[Text, Field(max_length=500)]


FACTORS: tuple[str, ...] = (
    "executive_sponsor",
    "steering_committee",
    "defined_processes",
    "change_management",
    "training_plan",
    "data_quality",
    "internal_staff",
    "infrastructure",
)


class Readiness(Frozen):
    """Every factor rated: a partial assessment would hide the factors nobody looked at."""

    executive_sponsor: FactorRating = Field(description="a named executive who owns the project and its benefits")
    steering_committee: FactorRating = Field(description="a steering committee that meets and decides")
    defined_processes: FactorRating = Field(description="sales and service processes written down and agreed")
    change_management: FactorRating = Field(description="a change-management plan: who changes how they work")
    training_plan: FactorRating = Field(description="a training plan and the time to train every user")
    data_quality: FactorRating = Field(description="customer data clean enough to migrate, with an owner")
    internal_staff: FactorRating = Field(description="our own people freed up for the project")
    infrastructure: FactorRating = Field(description="network, devices, identity and integration endpoints ready")

    def ratings(self) -> dict[str, FactorRating]:
        return {name: getattr(self, name) for name in FACTORS}


__all__ = ["FACTORS", "FactorRating", "Rating", "Readiness"]
