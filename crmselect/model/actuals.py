"""What happened after the decision: ``actuals.yaml`` (go-lives and KPI checkpoints) and the reference class.

``actuals.yaml`` sits next to ``selection.yaml``; ``crmselect track`` writes it and a person may edit it::

    bid: acme-saas                 # the bid that was bought
    signed: 2026-06-01             # optional: the signature date (default: as_of in selection.yaml)
    go_lives:
      - date: 2026-11-02           # the whole roll-out; with phases.yaml, one entry per phase:
        phase: quick_wins          #   phase: <phase id>
    checkpoints:
      - months: 6                  # a label: months after the (first) go-live
        date: 2027-05-03           # when the KPIs were measured
        cost_to_date: 310000       # optional: what the roll-out has cost so far (else the planned TCO cash)
        kpis:
          - {goal: forecast, kpi: Forecast error, value: 24}

KPIs have no id: a KPI is named by its goal's id and its name.  The checks against the selection
(unknown goal or KPI, unknown phase, a checkpoint before go-live or in the future) live in
:mod:`crmselect.files.actuals`; these objects only check their own shape.

A reference class (``--reference-class FILE``, a file the user names) collects, from selection after
selection, the vendor's promised go-live against the actual one (:class:`ReferenceProject`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Annotated

from pydantic import Field, Strict

from crmselect.model.frozen import Frozen, Money, Ref, Text

Months = Annotated[int, Strict(), Field(ge=0, le=600)]


class GoLive(Frozen):
    """The actual go-live of the whole roll-out (``phase`` None) or of one phase of ``phases.yaml``."""

    date: dt.date
    phase: Ref | None = Field(default=None, description="the phase id in phases.yaml; none: the whole roll-out")
    note: str = ""


class KpiActual(Frozen):
    """One KPI's measured value: the goal's id, the KPI's name (as in goals.yaml) and the value in its unit."""

    goal: Ref
    kpi: Text
    value: Annotated[float, Strict()]


class Checkpoint(Frozen):
    """The KPIs measured at one checkpoint (``months`` after the first go-live, measured on ``date``)."""

    months: Months
    date: dt.date
    cost_to_date: Money | None = Field(
        default=None, description="what the roll-out has cost from signature to this date (else the planned TCO cash)")
    kpis: tuple[KpiActual, ...] = ()

    def value(self, goal: str, kpi: str) -> float | None:
        for item in self.kpis:
            if item.goal == goal and item.kpi == kpi:
                return item.value
        return None


class Actuals(Frozen):
    """The whole ``actuals.yaml``: the bid bought, the go-lives and the checkpoints, oldest first."""

    bid: Ref
    signed: dt.date | None = Field(default=None, description="the signature date (default: as_of in selection.yaml)")
    go_lives: tuple[GoLive, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()

    def go_live(self, phase: str | None) -> GoLive | None:
        for item in self.go_lives:
            if item.phase == phase:
                return item
        return None

    def checkpoint(self, months: int) -> Checkpoint | None:
        for item in self.checkpoints:
            if item.months == months:
                return item
        return None

    @property
    def first_go_live(self) -> dt.date | None:
        return min((g.date for g in self.go_lives), default=None)

    def with_go_live(self, go_live: GoLive) -> Actuals:
        """A new object with ``go_live`` in place of the one of the same phase (the old one is untouched)."""
        kept = tuple(g for g in self.go_lives if g.phase != go_live.phase)
        return self.model_copy(update={"go_lives": tuple(sorted((*kept, go_live), key=lambda g: g.date))})

    def with_checkpoint(self, checkpoint: Checkpoint) -> Actuals:
        """A new object with ``checkpoint``'s KPIs merged into the checkpoint of the same months (or added)."""
        old = self.checkpoint(checkpoint.months)
        if old is not None:
            named = {(k.goal, k.kpi) for k in checkpoint.kpis}
            kpis = (*(k for k in old.kpis if (k.goal, k.kpi) not in named), *checkpoint.kpis)
            cost = checkpoint.cost_to_date if checkpoint.cost_to_date is not None else old.cost_to_date
            checkpoint = checkpoint.model_copy(update={"kpis": kpis, "cost_to_date": cost})
        kept = tuple(c for c in self.checkpoints if c.months != checkpoint.months)
        return self.model_copy(update={"checkpoints": tuple(sorted((*kept, checkpoint), key=lambda c: c.months))})


class ReferenceProject(Frozen):
    """One past roll-out in a reference class: what the vendor promised and when it actually went live."""

    selection: Text
    selection_id: str = ""
    vendor: Text
    bid: Ref
    signed: dt.date
    go_live: dt.date
    promised_days: Annotated[float, Strict(), Field(gt=0)]
    actual_days: Annotated[float, Strict(), Field(ge=0)]
    log_entry: str = Field(default="", description="seq:hash of the decision log entry that recorded the go-live")

    @property
    def ratio(self) -> float:
        """Actual / promised days (1.5: half as long again as promised)."""
        return self.actual_days / self.promised_days


class ReferenceClass(Frozen):
    """Past roll-outs, promised against actual go-live: what a later selection's plan should count on."""

    projects: tuple[ReferenceProject, ...] = ()

    @property
    def median_ratio(self) -> float | None:
        """The median of actual / promised days (None for an empty class)."""
        return statistics.median(p.ratio for p in self.projects) if self.projects else None

    def suggested_go_live_days(self, promised_days: float) -> int | None:
        """``reference_go_live_days`` for a roll-out promised in ``promised_days``: promised x the median ratio,
        never below the promise (None for an empty class)."""
        ratio = self.median_ratio
        return None if ratio is None else max(round(promised_days * ratio), round(promised_days))


__all__ = ["Actuals", "Checkpoint", "GoLive", "KpiActual", "ReferenceClass", "ReferenceProject"]
