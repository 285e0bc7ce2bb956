"""The whole selection: catalogue, scale, goals, vendors and committee, checked against each other.

``Project`` is what the loaders return; past them, code trusts it.  It is frozen:
``project.with_selection(...)`` makes a new one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from crmselect.errors import Issue
from crmselect.model.bids import Answer, Offer, Vendor
from crmselect.model.goals import (
    Category,
    Committee,
    ComplianceScale,
    Criterion,
    GoalTheme,
    MustHave,
    Selection,
)
from crmselect.model.settings import SelectionSettings
from crmselect.model.text import ENGLISH, LocalText

#: How a deployment is said after the vendor's name when the vendor bids several offers: in words, never the id
#: (``Jadeport CRM (on-premise)``, ``Jadeport CRM（本地部署）``).  The dashboard (``crmselect.widgets.launch``)
#: names bids with these same words in its own language.
DEPLOYMENT_WORDS: dict[str, LocalText] = {
    "saas": LocalText("SaaS", {"zh-CN": "SaaS"}),
    "on_premise": LocalText("on-premise", {"zh-CN": "本地部署"}),
    "hosted": LocalText("hosted", {"zh-CN": "托管"}),
}


def deployment_words(deployment: str, locale: str = ENGLISH) -> str:
    """A deployment (``on_premise``) in words, in ``locale`` (``on-premise``, ``本地部署``); an unknown one as it is."""
    kind = str(getattr(deployment, "value", deployment))
    return DEPLOYMENT_WORDS[kind].in_(locale) if kind in DEPLOYMENT_WORDS else kind


def offer_label(vendor_name: str, deployment: str, locale: str = ENGLISH) -> str:
    """The name of one of a vendor's several offers, in ``locale``: ``Jadeport CRM (on-premise)``,
    ``Jadeport CRM（本地部署）`` (Chinese text takes full-width brackets)."""
    words = deployment_words(deployment, locale)
    if locale.replace("_", "-").split("-")[0].casefold() == "zh":
        return f"{vendor_name}（{words}）"
    return f"{vendor_name} ({words})"


def bid_labels(vendors: tuple[Vendor, ...], locale: str = ENGLISH) -> dict[str, str]:
    """``{offer id: label}`` for every offer of ``vendors``, in ``locale``: the vendor's name for a single offer,
    with the deployment in words for one of several (:func:`offer_label`).  Labels are unique: a label that
    repeats (two offers of one deployment, two vendors of one name) is numbered on its later uses (``… 2``)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for vendor in vendors:
        for offer in vendor.offers:
            label = vendor.name if len(vendor.offers) == 1 else offer_label(vendor.name, offer.deployment, locale)
            unique, number = label, 1
            while unique in taken:
                number += 1
                unique = f"{label} {number}"
            taken.add(unique)
            out[offer.id] = unique
    return out


@dataclass(frozen=True)
class Bid:
    """One ranked alternative: a vendor with one of its offers."""

    vendor: Vendor
    offer: Offer
    label: str

    @property
    def id(self) -> str:
        return self.offer.id

    @cached_property
    def answers(self) -> dict[str, Answer]:
        """The vendor's answers with this offer's own answers in their place."""
        return {**self.vendor.answers, **self.offer.answers}


@dataclass(frozen=True)
class Project:
    root: Path
    categories: tuple[Category, ...]
    criteria: tuple[Criterion, ...]
    themes: tuple[GoalTheme, ...]
    scale: ComplianceScale
    selection: Selection
    vendors: tuple[Vendor, ...]
    committee: Committee
    sources: tuple[Path, ...] = field(default=())
    # selection.yaml as loaded; None for a project built in memory (tests, benchmarks), which has no folder
    settings: SelectionSettings | None = None
    # things worth saying that are not errors (e.g. a new selection has no vendors yet)
    notes: tuple[Issue, ...] = ()
    # (vendor id, the file it was read from, relative to root): empty for a project built in memory
    vendor_files: tuple[tuple[str, str], ...] = ()

    # ------------------------------------------------------------ lookups
    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def vendor(self, vendor_id: str) -> Vendor:
        for vendor in self.vendors:
            if vendor.id == vendor_id:
                return vendor
        raise KeyError(vendor_id)

    @property
    def locale(self) -> str:
        """The selection's language (``selection.yaml``); English for a project built in memory."""
        return self.settings.locale if self.settings is not None else ENGLISH

    @cached_property
    def bids(self) -> tuple[Bid, ...]:
        """Every offer of every vendor, in file order; a vendor with several offers gets one bid each, labelled
        with its deployment in words in the selection's language (:func:`bid_labels`)."""
        labels = bid_labels(self.vendors, self.locale)
        return tuple(Bid(vendor=vendor, offer=offer, label=labels[offer.id])
                     for vendor in self.vendors for offer in vendor.offers)

    def bid(self, bid_id: str) -> Bid:
        for bid in self.bids:
            if bid.id == bid_id:
                return bid
        raise KeyError(bid_id)

    @cached_property
    def linked_criteria(self) -> tuple[str, ...]:
        """Criteria that serve at least one goal, in catalogue order."""
        linked = {cid for goal in self.selection.goals for cid in goal.criteria}
        return tuple(c.id for c in self.criteria if c.id in linked)

    @cached_property
    def unlinked_criteria(self) -> tuple[str, ...]:
        """Features that serve no goal: they weigh nothing."""
        linked = set(self.linked_criteria)
        return tuple(c.id for c in self.criteria if c.id not in linked)

    def must_have(self, criterion_id: str) -> MustHave | None:
        for rule in self.selection.must_haves:
            if rule.criterion == criterion_id:
                return rule
        return None

    @property
    def effective_scale(self) -> ComplianceScale:
        """The compliance scale with the committee's own values applied."""
        values = dict(self.selection.compliance_values)
        return self.scale.with_values(values) if values else self.scale

    # ------------------------------------------------------------ changes
    def with_selection(self, selection: Selection) -> Project:
        return dataclasses.replace(self, selection=selection)

    def with_committee(self, committee: Committee) -> Project:
        return dataclasses.replace(self, committee=committee)

    def summary(self) -> dict[str, int]:
        return {
            "goals": len(self.selection.goals),
            "criteria": len(self.criteria),
            "linked criteria": len(self.linked_criteria),
            "categories": len(self.categories),
            "vendors": len(self.vendors),
            "offers": len(self.bids),
            "committee members": len(self.committee.members),
            "demo scenarios": len(self.committee.scenarios),
        }
