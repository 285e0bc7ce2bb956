"""Best-and-final-offer rounds as versions of a vendor's bid: the deltas between versions, and the archive.

The bid is always ``vendors/<id>.yaml``, the latest version; the loaders read nothing else.  Each earlier
version is kept, byte for byte, as ``vendors/rounds/<id>.r<N>.yaml`` (round 1 is the first bid): history,
never a bid.  Separate files rather than a ``versions:`` block inside the vendor file, because then the
loaders, the seal (which digests the technical inputs of the files in ``vendors/``), the bid form and
the questionnaire import all keep reading one version, the bid, without learning about history; and an
archived round is the vendor file exactly as it was, comments and all.

``crmselect bafo`` (:mod:`crmselect.cli.bafo`) records a round: it archives the current file, writes the
new version, and logs a re-lock whose ``round`` names the vendor, the round and every delta, so the
change is a recorded decision, not drift.  Deltas of price lines and of every figure derived from a
price stay sealed (named, without values) until the prices are revealed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crmselect.record.chain import canonical_json
from crmselect.record.seal import ABSENT, shown
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.model.bids import Vendor

#: fields of an offer's implementation plan, and of an answer, that are money (sealed like the price lines)
MONEY_FIELDS = frozenset({"services_cost", "data_migration_cost", "integration_cost", "training_cost",
                          "services_day_rate", "third_party_cost_per_year"})
#: the area of a delta, from the first step of its field after the offer (or "answers")
AREAS = {"pricing": "price", "sla": "sla", "contract": "contract", "partners": "partners", "answers": "answers",
         "implementation": "plan", "operations": "plan"}
AREA_LABELS = {"price": N_("price"), "sla": N_("SLA"), "contract": N_("contract"), "partners": N_("partners"),
               "answers": N_("answers"), "plan": N_("plan"), "offer": N_("offer")}
SEALED_DELTA = N_("changed (sealed until prices are revealed)")


@dataclass(frozen=True)
class Delta:
    """One field that differs between two versions of a bid: where, the old and new value, and its area."""

    field: str
    old: Any
    new: Any
    area: str
    price: bool  # a price line or a figure derived from one: sealed until the reveal

    def shown(self, prices_visible: bool) -> str:
        """``field: old -> new`` (a price while sealed: ``field: changed (sealed ...)``)."""
        if self.price and not prices_visible:
            return f"{self.field}: {_(SEALED_DELTA)}"
        text = f"{self.field}: {_value(self.old)} -> {_value(self.new)}"
        change = self.change_pct
        return text if change is None else f"{text} ({change:+.1f} %)"

    @property
    def change_pct(self) -> float | None:
        """The relative change of a number, in %; None for other values or from zero."""
        old, new = self.old, self.new
        if isinstance(old, bool) or isinstance(new, bool) or not isinstance(old, int | float) \
                or not isinstance(new, int | float) or old == 0:
            return None
        return (new - old) / abs(old) * 100.0

    def record(self, prices_visible: bool) -> dict[str, Any]:
        """The delta as the log keeps it: a price's values only once prices are visible."""
        out: dict[str, Any] = {"field": self.field, "area": self.area}
        if self.price and not prices_visible:
            out["sealed"] = True
        else:
            out["old"] = None if self.old is ABSENT else self.old
            out["new"] = None if self.new is ABSENT else self.new
        return out


def _value(value: Any) -> str:
    """A value as a delta shows it: numbers as written (``1``, ``0.5``), the rest as JSON, "(absent)"."""
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:g}"
    return shown(value)


def _comparable(vendor: Vendor) -> dict[str, Any]:
    """The bid as values to compare: offers by id, answers by criterion; the round number left out."""
    data = vendor.model_dump(mode="json")
    data.pop("round", None)
    data["offers"] = {offer["id"]: {k: v for k, v in offer.items() if k != "id"} for offer in data["offers"]}
    return data


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        if not value:
            yield path, {}
        for key in sorted(value, key=str):
            step = f"[{key}]" if path in ("offers", "answers") or path.endswith(".answers") else f".{key}"
            yield from _leaves(value[key], f"{path}{step}" if path else str(key))
    else:
        yield path, value  # lists are compared whole: credit tiers, certifications, phases


def _area(field: str) -> str:
    if field.startswith("answers"):
        return "answers"
    if field.startswith("offers["):
        rest = field.split("]", 1)[1].lstrip(".")
        return AREAS.get(rest.split(".", 1)[0].split("[", 1)[0], "offer")
    return "offer"


def _is_price(field: str) -> bool:
    steps = field.replace("[", ".").replace("]", "").split(".")
    return "pricing" in steps or steps[-1] in MONEY_FIELDS


def deltas(old: Vendor, new: Vendor) -> tuple[Delta, ...]:
    """Every field that differs between two versions of one vendor's bid, in field order."""
    before = dict(_leaves(_comparable(old), ""))
    after = dict(_leaves(_comparable(new), ""))
    out = []
    for field in sorted(set(before) | set(after)):
        was, now = before.get(field, ABSENT), after.get(field, ABSENT)
        if was is ABSENT or now is ABSENT or canonical_json(was) != canonical_json(now):
            out.append(Delta(field, was, now, _area(field), _is_price(field)))
    return tuple(out)


@dataclass(frozen=True)
class RoundDeltas:
    """What changed from one round of a vendor's bid to the next; price deltas sealed until the reveal."""

    vendor: str
    from_round: int
    to_round: int
    deltas: tuple[Delta, ...]
    prices_visible: bool = False

    @property
    def sealed_count(self) -> int:
        return sum(d.price for d in self.deltas) if not self.prices_visible else 0

    def record(self) -> dict[str, Any]:
        """The ``round`` of the log entry: vendor, rounds, and each delta (price values only when visible)."""
        return {"vendor": self.vendor, "from_round": self.from_round, "round": self.to_round,
                "changes": [d.record(self.prices_visible) for d in self.deltas]}

    def frame(self) -> pd.DataFrame:
        """One row per delta: area, field, old, new, change % (a sealed price shows no values)."""
        import pandas as pd

        rows = []
        for d in self.deltas:
            hidden = d.price and not self.prices_visible
            rows.append({"area": d.area, "field": d.field,
                         "old": _(SEALED_DELTA) if hidden else _value(d.old),
                         "new": "" if hidden else _value(d.new),
                         "change_pct": None if hidden else d.change_pct})
        return pd.DataFrame(rows, columns=["area", "field", "old", "new", "change_pct"])

    def __str__(self) -> str:
        head = _("{vendor}: round {old} -> round {new}, {count} change(s)").format(
            vendor=self.vendor, old=self.from_round, new=self.to_round, count=len(self.deltas))
        lines = [head]
        for area in AREA_LABELS:
            mine = [d for d in self.deltas if d.area == area]
            if mine:
                lines.append(f"  {_(AREA_LABELS[area])}:")
                lines += [f"    - {d.shown(self.prices_visible)}" for d in mine]
        if self.sealed_count:
            lines.append("  " + _("{count} price change(s) sealed until `crmselect reveal-prices`").format(
                count=self.sealed_count))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        frame = self.frame()
        frame["area"] = [_(AREA_LABELS.get(a, a)) for a in frame["area"]]
        frame = frame.rename(columns={"area": _("area"), "field": _("field"), "old": _("old"), "new": _("new"),
                                      "change_pct": _("change %")})
        notes = [_("{count} price change(s) sealed until `crmselect reveal-prices`").format(
            count=self.sealed_count)] if self.sealed_count else []
        return to_html(frame, caption=_("{vendor}: round {old} -> round {new}").format(
            vendor=self.vendor, old=self.from_round, new=self.to_round), notes=notes)


def round_deltas(old: Vendor, new: Vendor, from_round: int, to_round: int, *,
                 prices_visible: bool) -> RoundDeltas:
    """The deltas from ``old`` (round ``from_round``) to ``new`` (``to_round``) of one vendor."""
    return RoundDeltas(new.id, from_round, to_round, deltas(old, new), prices_visible)


def history(versions: tuple[Vendor, ...], *, prices_visible: bool) -> tuple[RoundDeltas, ...]:
    """The deltas between each version and the next (``versions`` oldest first, the bid last)."""
    return tuple(round_deltas(a, b, n, n + 1, prices_visible=prices_visible)
                 for n, (a, b) in enumerate(itertools.pairwise(versions), start=1))


__all__ = ["MONEY_FIELDS", "SEALED_DELTA", "Delta", "RoundDeltas", "deltas", "history", "round_deltas"]
