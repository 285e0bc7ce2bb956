"""The result objects of :mod:`crmselect.whatif.sensitivity`: each shows itself (``frame()``, ``plot(ax=None)``,
``_repr_html_()``; ARCHITECTURE.md habit 4).

:class:`Sweep`, :class:`StabilityIntervals`, :class:`MinFlip`, :class:`MinFlipTable` and
:class:`RangeCheck` hold raw floats; ``tables`` and ``plots`` format and draw them, imported only
when asked.  The wrappers that build them (:func:`~crmselect.whatif.sensitivity.sweep` ...) live in
:mod:`crmselect.whatif.sensitivity`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crmselect.imports import lazy_module
from crmselect.show.i18n import N_, _
from crmselect.whatif.sensitivity_kernels import TIE_TOLERANCE, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
else:
    pd = lazy_module("pandas")


#: Column keys and index names of these frames -> their English label, translated when shown (the keys stay).
LABELS: dict[str, str] = {
    "goal": N_("goal"), "weight": N_("weight"), "bid": N_("bid"), "breakpoint": N_("breakpoint"),
    "overtakes": N_("overtakes"), "overtaken": N_("overtaken"), "order after": N_("order after"),
    "winner holds from": N_("winner holds from"), "winner holds to": N_("winner holds to"),
    "below, winner is": N_("below, winner is"), "above, winner is": N_("above, winner is"),
    "ranking holds from": N_("ranking holds from"), "ranking holds to": N_("ranking holds to"),
    "new weight": N_("new weight"), "change": N_("change"), "challenger": N_("challenger"),
    "winner's lead": N_("winner's lead"), "L1 change": N_("L1 change"), "weight moved": N_("weight moved"),
    "goals up": N_("goals up"), "goals down": N_("goals down"), "rival": N_("rival"),
    "best advantage over winner": N_("best advantage over winner"), "from": N_("from"), "to": N_("to"),
}


def shown_label(key: object, labels: Mapping[str, str] = LABELS) -> object:
    """A column key or index name as shown: its label in the current language (other keys as they are)."""
    return _(labels[key]) if isinstance(key, str) and key in labels else key


def localised(frame: pd.DataFrame, labels: Mapping[str, str] = LABELS) -> pd.DataFrame:
    """A copy of ``frame`` with its column labels and index name in the current language."""
    out = frame.rename(columns=lambda key: shown_label(key, labels))
    out.index.name = shown_label(out.index.name, labels)
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_passed_by)
    return out


def _passed_by(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith("passed by "):
        return _("passed by {bid}").format(bid=cell.removeprefix("passed by "))
    return cell


def _html(frame: pd.DataFrame, caption: str, formats: Mapping[str, str] | None = None,
          notes: Sequence[str] = ()) -> str:
    from crmselect.show import tables

    shown_formats = {str(shown_label(key)): kind for key, kind in (formats or {}).items()}
    return tables.to_html(localised(frame), caption=caption, formats=shown_formats, default_format="score",
                          notes=notes)


def _order_text(labels: Sequence[str], order: IntArray) -> str:
    return " > ".join(labels[i] for i in order)


@dataclass(frozen=True, eq=False)
class Sweep:
    """One goal's weight swept from 0 to 1, others rescaled in proportion; exact rank-change points."""

    goal: str
    labels: tuple[str, ...]
    current: float
    start: FloatArray  # totals at t = 0
    end: FloatArray  # totals at t = 1
    t: FloatArray  # breakpoints, ascending
    upper: IntArray  # bid on top just after each breakpoint
    lower: IntArray
    orders: tuple[IntArray, ...]  # ranking (best first) just after each breakpoint

    def totals_at(self, t: float | FloatArray) -> FloatArray:
        """Totals at weight(s) ``t`` for this goal: shape (bids,) or (len(t), bids)."""
        tt = np.asarray(t, dtype=float)
        totals: FloatArray = self.start + np.multiply.outer(tt, self.end - self.start)
        return totals

    def frame(self) -> pd.DataFrame:
        """One row per breakpoint: the weight, who overtakes whom, and the ranking just after."""
        return pd.DataFrame(
            {
                "weight": self.t.copy(),
                "overtakes": [self.labels[i] for i in self.upper],
                "overtaken": [self.labels[i] for i in self.lower],
                "order after": [_order_text(self.labels, o) for o in self.orders],
            },
            index=pd.RangeIndex(1, len(self.t) + 1, name="breakpoint"),
        )

    def lines(self) -> pd.DataFrame:
        """Each bid's total at weight 0, at the committee's weight, and at weight 1."""
        return pd.DataFrame(
            {"at 0": self.start, "current": self.totals_at(self.current), "at 1": self.end},
            index=pd.Index(self.labels, name="bid"),
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        points = pd.DataFrame({"weight": self.t, "total": self.totals_at(self.t)[np.arange(len(self.t)), self.upper]
                               if len(self.t) else np.zeros(0)})
        return plots.sweep_lines(self.lines(), points, current=self.current, goal=self.goal, ax=ax)

    def _repr_html_(self) -> str:
        note = _("committee's weight for {goal}: {weight}; {count} rank change(s) in 0..100 %").format(
            goal=self.goal, weight=f"{self.current:.1%}", count=len(self.t))
        return _html(self.frame(), _("Sweep of {goal}").format(goal=self.goal), {"weight": "percent"}, [note])


@dataclass(frozen=True, eq=False)
class StabilityIntervals:
    """Per goal: the weight range keeping the winner, and the range keeping the whole ranking."""

    winner: str
    goals: tuple[str, ...]
    weights: FloatArray
    winner_lo: FloatArray
    winner_hi: FloatArray
    rival_at_lo: tuple[str, ...]
    rival_at_hi: tuple[str, ...]
    ranking_lo: FloatArray
    ranking_hi: FloatArray

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "weight": self.weights.copy(),
                "winner holds from": self.winner_lo.copy(),
                "winner holds to": self.winner_hi.copy(),
                "below, winner is": self.rival_at_lo,
                "above, winner is": self.rival_at_hi,
                "ranking holds from": self.ranking_lo.copy(),
                "ranking holds to": self.ranking_hi.copy(),
            },
            index=pd.Index(self.goals, name="goal"),
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        def s(key: str) -> str:
            return str(shown_label(key))

        return plots.interval_bars(localised(self.frame()), current=s("weight"),
                                   outer=(s("winner holds from"), s("winner holds to")),
                                   inner=(s("ranking holds from"), s("ranking holds to")),
                                   title=_("Weight ranges keeping {winner} first").format(winner=self.winner), ax=ax)

    def _repr_html_(self) -> str:
        percent = {c: "percent" for c in self.frame().columns if c not in ("below, winner is", "above, winner is")}
        return _html(self.frame(), _("Stability intervals (winner: {winner})").format(winner=self.winner), percent,
                     [_("Each goal's weight moves alone; the other goals share the rest in proportion.")])


@dataclass(frozen=True, eq=False)
class MinFlip:
    """The smallest L1 change of the goal weights that lets ``challenger`` at least tie ``winner``."""

    challenger: str
    winner: str
    goals: tuple[str, ...]
    weights: FloatArray
    new_weights: FloatArray | None  # None: no weights on the simplex can do it
    distance: float  # L1; the weight actually moved is half of it
    gap: float  # winner's lead at the committee's weights

    @property
    def feasible(self) -> bool:
        return self.new_weights is not None

    @property
    def change(self) -> FloatArray:
        return np.zeros_like(self.weights) if self.new_weights is None else self.new_weights - self.weights

    def moves(self, tolerance: float = 1e-9) -> dict[str, float]:
        """Goals whose weight changes, with the signed change."""
        return {g: float(d) for g, d in zip(self.goals, self.change, strict=True) if abs(d) > tolerance}

    def frame(self) -> pd.DataFrame:
        new = self.new_weights if self.new_weights is not None else np.full_like(self.weights, np.nan)
        return pd.DataFrame({"weight": self.weights, "new weight": new, "change": new - self.weights},
                            index=pd.Index(self.goals, name="goal"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        return plots.grouped_bars(localised(self.frame()[["weight", "new weight"]]),
                                  title=_("Smallest weight change for {challenger} to catch {winner}").format(
                                      challenger=self.challenger, winner=self.winner), ax=ax)

    def _repr_html_(self) -> str:
        note = (_("L1 change {change} (moves {moved} of the weight)").format(
                    change=f"{self.distance:.1%}", moved=f"{self.distance / 2:.1%}") if self.feasible
                else _("{winner} scores at least as high as {challenger} on every goal: no weights flip it").format(
                    winner=self.winner, challenger=self.challenger))
        caption = _("{challenger} vs {winner}").format(challenger=self.challenger, winner=self.winner)
        return _html(self.frame(), caption, {str(c): "percent" for c in self.frame()},
                     [note])


@dataclass(frozen=True, eq=False)
class MinFlipTable:
    """``MinFlip`` for every challenger, nearest first."""

    flips: tuple[MinFlip, ...]

    def frame(self) -> pd.DataFrame:
        rows = []
        for f in self.flips:
            moves = f.moves()
            rows.append({
                "winner's lead": f.gap, "L1 change": f.distance, "weight moved": f.distance / 2,
                "goals up": ", ".join(g for g, d in moves.items() if d > 0),
                "goals down": ", ".join(g for g, d in moves.items() if d < 0),
            })
        return pd.DataFrame(rows, index=pd.Index([f.challenger for f in self.flips], name="challenger"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        frame = self.frame()
        frame = frame[np.isfinite(frame["L1 change"].to_numpy())]
        title = _("Weight to move before each bid catches the winner")
        return plots.horizontal_bars(frame["weight moved"], title=title,
                                     xlabel=_("share of total weight moved"), ax=ax)

    def _repr_html_(self) -> str:
        winner = self.flips[0].winner if self.flips else ""
        return _html(self.frame(), _("Minimum change to flip the winner ({winner})").format(winner=winner),
                     {"winner's lead": "score", "L1 change": "percent", "weight moved": "percent"},
                     [_("L1 change = sum of absolute weight changes; infinite = no weights can make it win.")])


@dataclass(frozen=True, eq=False)
class RangeCheck:
    """Does the winner hold over every weight vector allowed by the committee's ranges?"""

    winner: str
    labels: tuple[str, ...]
    goals: tuple[str, ...]
    lo: FloatArray
    hi: FloatArray
    advantage: FloatArray  # per bid: best advantage over the winner anywhere in the region
    where: FloatArray  # bids x goals: the weights at which it is reached
    committee_inside: bool

    @property
    def _worst(self) -> int:
        rivals = np.where(np.array(self.labels) == self.winner, -np.inf, self.advantage)
        return int(np.argmax(rivals))

    @property
    def worst_rival(self) -> str:
        return self.labels[self._worst]

    @property
    def margin(self) -> float:
        """The winner's worst-case lead over all rivals and all allowed weights (< 0: it can lose)."""
        return -float(self.advantage[self._worst])

    @property
    def holds(self) -> bool:
        """True when no rival beats the winner anywhere in the region (a tie still holds)."""
        return self.margin >= -TIE_TOLERANCE

    @property
    def counterexample(self) -> FloatArray | None:
        return None if self.holds else self.where[self._worst].copy()

    def frame(self) -> pd.DataFrame:
        rows = {str(label): {"best advantage over winner": adv, **dict(zip(self.goals, w, strict=True))}
                for label, adv, w in zip(self.labels, self.advantage, self.where, strict=True)
                if label != self.winner}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("rival").sort_values(
            "best advantage over winner", ascending=False)

    def ranges(self) -> pd.DataFrame:
        return pd.DataFrame({"from": self.lo, "to": self.hi}, index=pd.Index(self.goals, name="goal"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        title = _("Rivals' best case against {winner} within the ranges").format(winner=self.winner)
        return plots.horizontal_bars(self.frame()["best advantage over winner"], title=title,
                                     xlabel=_("rival total - winner total"), ax=ax)

    def _repr_html_(self) -> str:
        verdict = (_("{winner} stays first everywhere in the ranges (worst-case lead {lead})").format(
                       winner=self.winner, lead=f"{self.margin:.4f}")
                   if self.holds else
                   _("{winner} can lose: {rival} leads by {lead} at the weights shown").format(
                       winner=self.winner, rival=self.worst_rival, lead=f"{-self.margin:.4f}"))
        formats = {g: "percent" for g in self.goals}
        return _html(self.frame(), _("Winner over the allowed weight ranges"), formats, [verdict])



__all__ = [
    "MinFlip",
    "MinFlipTable",
    "RangeCheck",
    "StabilityIntervals",
    "Sweep",
]
