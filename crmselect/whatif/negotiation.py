"""What each bid must concede on price to tie the winner: solved exactly, piece by piece.

Numbers in, results out.  A bid's total is linear in its price score: ``total_i = rest_i + w x p_i``,
where ``w`` is the weight of the price criteria and ``p_i`` the price score from the bid's NPV.
The price score depends on the NPVs through the selection's price method
(:mod:`crmselect.money.price`), so the total of a bid that lowers its NPV to ``x`` is piecewise:

- ``lowest_over_price`` (``p_i = min NPV / NPV_i``): while ``x`` stays at or above the lowest other
  NPV ``m``, only the bid's own score moves (``rest_i + w m / x``); below ``m`` it becomes the
  cheapest (``p_i = 1``) and every other bid's score falls to ``x / NPV_j``.  Each piece gives the
  tie with the winner in closed form; the answer is the largest ``x`` (the smallest concession)
  among the pieces whose solution lies inside the piece.
- ``value_for_money`` (``p_i = (t_i / x) / max_j (t_j / NPV_j)``): the same two pieces, split at the
  NPV where the bid's ratio becomes the best.
- ``kept_apart`` (price is not in the score): the target is the value-for-money frontier, the
  highest NPV at which no other bid scores at least as high for no more money.

A bid that cannot tie the winner at any positive NPV gets ``None``.  The tie is the target: one
unit less and the bid wins (ties are shared ranks).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


@dataclass(frozen=True)
class Concession:
    """What one bid must concede: the NPV at which it ties the winner, and how far that is from its own."""

    bid: str
    label: str
    npv: float
    target_npv: float | None  # None: no price ties the winner (the gap is not in price)
    subscription_pv: float  # the present value of its subscription, for the concession as a discount

    @property
    def reduction(self) -> float | None:
        return None if self.target_npv is None else self.npv - self.target_npv

    @property
    def subscription_discount_pct(self) -> float | None:
        """The reduction as a discount on the subscription (None without one, or above 100 %)."""
        if self.reduction is None or self.subscription_pv <= 0:
            return None
        pct = 100.0 * self.reduction / self.subscription_pv
        return pct if pct <= 100.0 else None


def _tie_lowest(rest_i: float, rest_w: float, w: float, npv_w: float, others_min: float) -> float | None:
    candidates = []
    target = rest_w + w * others_min / npv_w  # piece 1: x >= m, the winner's score is m / NPV_w
    if target > rest_i and w > 0:
        x = w * others_min / (target - rest_i)
        if x >= others_min:
            candidates.append(x)
    if w > 0:  # piece 2: x < m, the bid is the cheapest; the winner's score falls to x / NPV_w
        x = npv_w * (rest_i + w - rest_w) / w
        if 0 < x < others_min:
            candidates.append(x)
    return max(candidates) if candidates else None


def _tie_value(rest_i: float, rest_w: float, w: float, t_i: float, t_w: float, npv_w: float,
               best_other: float) -> float | None:
    """value_for_money: piece 1 while another bid keeps the best ratio ``best_other``; piece 2 after."""
    if t_i <= 0 or w <= 0:
        return None
    candidates = []
    p_w = (t_w / npv_w) / best_other
    split = t_i / best_other  # below this NPV the bid has the best ratio
    target = rest_w + w * p_w
    if target > rest_i:
        x = w * t_i / (best_other * (target - rest_i))
        if x >= split:
            candidates.append(x)
    # piece 2: p_i = 1, the winner's score is (t_w / npv_w) / (t_i / x) = t_w x / (npv_w t_i)
    x = (rest_i + w - rest_w) * npv_w * t_i / (w * t_w) if t_w > 0 else math.inf
    if 0 < x < split:
        candidates.append(x)
    return max(candidates) if candidates else None


def concession_targets(
    bids: Sequence[str],
    totals: Sequence[float],
    price_weight: float,
    price_scores: Mapping[str, float],
    npvs: Mapping[str, float],
    *,
    method: str,
    technical: Mapping[str, float] | None = None,
    eligible: Sequence[bool] | None = None,
) -> dict[str, float | None]:
    """The NPV at which each eligible bid that is not winning ties the winner, or None (see the module)."""
    ok = list(eligible) if eligible is not None else [True] * len(bids)
    live = [b for b, e in zip(bids, ok, strict=True) if e]
    if not live:
        raise AnalysisError("no bid is eligible: every bid is knocked out")
    total = dict(zip(bids, (float(t) for t in totals), strict=True))
    winner = max(live, key=lambda b: total[b])
    rest = {b: total[b] - price_weight * price_scores.get(b, 0.0) for b in live}
    out: dict[str, float | None] = {}
    for bid in live:
        if total[bid] >= total[winner]:
            continue
        others = [b for b in live if b != bid]
        if method == "lowest_over_price":
            out[bid] = _tie_lowest(rest[bid], rest[winner], price_weight, npvs[winner],
                                   min(npvs[b] for b in others))
        elif method == "value_for_money":
            if technical is None:
                raise AnalysisError("value_for_money needs the technical scores")
            best_other = max(technical[b] / npvs[b] for b in others)
            out[bid] = _tie_value(rest[bid], rest[winner], price_weight, technical[bid], technical[winner],
                                  npvs[winner], best_other)
        elif method == "kept_apart":
            if technical is None:
                raise AnalysisError("kept_apart needs the technical scores")
            better = [npvs[b] for b in others if technical[b] >= technical[bid]]
            out[bid] = min(better) if better else npvs[bid]  # on the frontier once no better bid costs less
        else:
            raise AnalysisError(f"unknown price method {method!r}")
    return out


def concession_frame(concessions: Sequence[Concession]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [c.label for c in concessions],
            "npv": [c.npv for c in concessions],
            "target_npv": [np.nan if c.target_npv is None else c.target_npv for c in concessions],
            "reduction": [np.nan if c.reduction is None else c.reduction for c in concessions],
            "subscription_discount_pct": [np.nan if c.subscription_discount_pct is None
                                          else c.subscription_discount_pct for c in concessions],
        },
        index=pd.Index([c.bid for c in concessions], name="bid"),
    )


__all__ = ["Concession", "concession_frame", "concession_targets"]
