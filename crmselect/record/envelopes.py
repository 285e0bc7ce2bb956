"""The two envelopes as the log records them: is the technical scoring sealed, and has anything drifted since.

After ``lock`` (or a logged ``relock``, e.g. a best-and-final-offer round) every command recomputes
the technical inputs' digest.  Drift is an error for ``reveal-prices`` and a prominent warning
everywhere else, naming each changed file and field, until the committee records a re-lock with
who and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crmselect.errors import InputError, Issue, Message
from crmselect.record.chain import LogEntry
from crmselect.record.changes import changed_what, pending, recorded_inputs
from crmselect.record.log import DecisionLog
from crmselect.record.seal import Change, changes, digest_of, sealed_inputs, shown, store_seal, technical_inputs

if TYPE_CHECKING:
    from crmselect.model.project import Project
    from crmselect.record.signing import Signer

SEAL_KINDS = ("lock", "relock")


@dataclass(frozen=True)
class SealState:
    """Where the envelopes stand: the seal in force (its log entry), what drifted, whether prices are out."""

    sealed_at: int | None = None
    digest: str | None = None
    drift: tuple[Change, ...] = ()
    unnamed_drift: bool = False
    revealed: bool = False
    locked_totals: dict[str, float] = field(default_factory=dict)

    @property
    def drifted(self) -> bool:
        return bool(self.drift) or self.unnamed_drift

    def warning(self, limit: int = 12) -> str:
        """The prominent message every surface shows while the technical inputs differ from the seal."""
        if not self.drifted:
            return ""
        lines = [f"WARNING: the technical inputs changed after the lock (decision log entry {self.sealed_at}); "
                 "the totals shown are not the ones the committee sealed."]
        if self.unnamed_drift and not self.drift:
            lines.append("  the sealed values' copy (seals/) is missing or was changed, so the fields cannot be named")
        lines += [f"  - {change}" for change in self.drift[:limit]]
        if len(self.drift) > limit:
            lines.append(f"  ... and {len(self.drift) - limit} more")
        lines.append("Put the files back, or record a re-lock with who and why: "
                     "crmselect --member ID relock DIR --why TEXT")
        return "\n".join(lines)

    def issues(self) -> list[Issue]:
        """The drift as issues (file, field, old -> new), for commands that must refuse it."""
        if self.unnamed_drift and not self.drift:
            return [Issue("seals/", "", Message("cannot name what changed after the lock: the sealed values' copy is "
                                                "missing"), code="seal_mismatch",
                          allowed=Message("the sealed technical inputs"), received=Message("other inputs"))]
        return [Issue(c.file, c.field, Message("changed after the lock (entry {seq})", seq=self.sealed_at),
                      code="seal_mismatch",
                      allowed=shown(c.old), received=shown(c.new)) for c in self.drift]

    def refuse_drift(self, action: str) -> None:
        if self.drifted:
            raise InputError(self.issues(), Message(
                "{action} refused: the technical inputs changed after the lock; put them back, or record a re-lock "
                "(crmselect --member ID relock DIR --why TEXT)", action=action))


def seal_state(project: Project, log: DecisionLog | None = None) -> SealState:
    """The envelopes of ``project`` from its log; the log must verify (a tampered record decides nothing)."""
    log = log or DecisionLog.for_project(project)
    if not log.expected:
        return SealState()
    log.verify()
    entries = log.entries()
    seal = next((e for e in reversed(entries) if e.kind in SEAL_KINDS and isinstance(e.what, dict)), None)
    revealed = log.prices_revealed
    if seal is None:
        return SealState(revealed=revealed)
    what = seal.what
    digest = what.get("seal", {}).get("digest") if isinstance(what.get("seal"), dict) else None
    totals = {str(k): float(v) for k, v in (what.get("technical_totals") or {}).items()}
    if digest is None:  # a lock from before seals existed: nothing to compare with
        return SealState(sealed_at=seal.seq, revealed=revealed, locked_totals=totals)
    current = technical_inputs(project)
    if digest_of(current) == digest:
        return SealState(seal.seq, digest, revealed=revealed, locked_totals=totals)
    sealed = sealed_inputs(project.root, digest)
    if sealed is None:
        return SealState(seal.seq, digest, unnamed_drift=True, revealed=revealed, locked_totals=totals)
    return SealState(seal.seq, digest, changes(sealed, current), revealed=revealed, locked_totals=totals)


def seal_record(project: Project) -> dict[str, Any]:
    """What a lock or re-lock records about the inputs: the digest (the values are kept under seals/)."""
    inputs = technical_inputs(project)
    digest = store_seal(project.root, inputs)
    as_of = project.settings.as_of.isoformat() if project.settings is not None else None
    return {"digest": digest, "as_of": as_of, "inputs": len(inputs)}


__all__ = ["SEAL_KINDS", "SealState", "seal_record", "seal_state"]


@dataclass(frozen=True)
class PriceAccess:
    """Whether a surface may show figures derived from prices, and how it must mark them.

    ``revealed``: the second envelope is open.  ``unsealed_entry``: an analyst opened the seal
    before the reveal with a logged reason (entry seq); every output made that way carries
    :attr:`marker`.  Otherwise the prices are sealed and surfaces show :data:`SEALED_TEXT`.
    """

    revealed: bool
    unsealed_entry: int | None = None
    unsealed_by: str = ""
    unsealed_why: str = ""

    @property
    def visible(self) -> bool:
        return self.revealed or self.unsealed_entry is not None

    @property
    def marker(self) -> str:
        if self.unsealed_entry is None:
            return ""
        return (f"UNSEALED VIEW: prices opened before the reveal by {self.unsealed_by} (decision log entry "
                f"{self.unsealed_entry}: {self.unsealed_why})")


SEALED_TEXT = "sealed until prices are revealed"


def prices_revealed(project: Project) -> bool:
    """What the decision log says: True once the technical scoring was locked and prices revealed.

    A log that does not verify raises ``LogTamperedError``: a tampered record decides nothing.
    """
    log = DecisionLog.for_project(project)
    if not log.expected:
        return False
    log.verify()
    return log.prices_revealed


def price_access(project: Project) -> PriceAccess:
    """The envelope state of prices as the selection's log records it."""
    return PriceAccess(prices_revealed(project))


def unseal_prices(project: Project, who: str, why: str, what_for: str, signer: Signer | None = None) -> PriceAccess:
    """Open the price seal for one output before the reveal; the log records who, why and for what."""
    access = price_access(project)
    if access.revealed:
        return access
    entry = DecisionLog.for_project(project).append("unseal_view", who, {"output": what_for}, why, signer=signer)
    return PriceAccess(False, entry.seq, who, why.strip())


__all__ += ["SEALED_TEXT", "PriceAccess", "price_access", "prices_revealed", "unseal_prices"]


def unrecorded_changes(project: Project) -> tuple[Change, ...]:
    """Changes to weights, knock-out minimums and overrides made since the log last recorded them."""
    log = DecisionLog.for_project(project)
    if not log.expected:
        return ()
    log.verify()
    return pending(log.entries(), recorded_inputs(project))


def record_now(project: Project, who: str, why: str, signer: Signer | None = None) -> LogEntry | None:
    """``crmselect record``: log the changes not yet recorded (None when there are none)."""
    log = DecisionLog.for_project(project)
    entries = log.entries() if log.expected else ()
    what = changed_what(entries, recorded_inputs(project))
    if what is None or (not what["changes"] and entries):
        return None
    return log.append("changed", who, what, why, signer=signer)


__all__ += ["record_now", "unrecorded_changes"]
