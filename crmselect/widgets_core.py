"""The small pure pieces behind the widgets: slider rescaling and the ranking's HTML.

No ipywidgets here, so these are cheap to test.  Nothing in this module scores anything: the
ranking is read from a :class:`~crmselect.scoring.Scorecard` computed by the public API.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class RankedCard(Protocol):
    """What the ranking view reads from a Scorecard."""

    bid_ids: Sequence[str]
    labels: Sequence[str]
    goal_ids: Sequence[str]
    goal_weights: Any
    totals: Any
    ranks: Any
    eligible: Any


def rescale_weights(
    weights: Sequence[float],
    index: int,
    value: float,
    locked: Sequence[bool] = (),
) -> tuple[float, ...]:
    """Set weight ``index`` to ``value`` and rescale the free weights so that all sum to 1.

    ``weights`` are non-negative (normalised here).  Locked weights keep their value; the moved
    weight is clamped to what the locked ones leave; the other free weights share the rest in
    proportion to their current values (equally when they are all zero).  When no other weight
    is free, nothing can move and the normalised weights come back unchanged.
    """
    w = np.asarray(weights, dtype=float)
    n = w.size
    if n == 0 or not 0 <= index < n:
        raise IndexError(f"goal index {index} is outside 0..{n - 1}")
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    total = w.sum()
    w = w / total if total > 0 else np.full(n, 1.0 / n)
    lock = np.zeros(n, dtype=bool)
    lock[: len(locked)] = np.asarray(locked, dtype=bool)[:n]
    lock[index] = False
    free = ~lock
    free[index] = False
    if not free.any():
        return tuple(float(x) for x in w)
    room = max(0.0, 1.0 - float(w[lock].sum()))
    new_value = min(max(float(value), 0.0), room)
    rest = room - new_value
    others = w[free]
    share = others / others.sum() if others.sum() > 0 else np.full(others.size, 1.0 / others.size)
    out = w.copy()
    out[index] = new_value
    out[free] = rest * share
    return tuple(float(x) for x in out)


def ranking_order(card: RankedCard) -> list[int]:
    """Row indices of ``card``: eligible bids by rank (then total), knocked-out bids last."""
    eligible = np.asarray(card.eligible, dtype=bool)
    ranks = np.asarray(card.ranks, dtype=float)
    totals = np.asarray(card.totals, dtype=float)
    return sorted(
        range(len(card.bid_ids)),
        key=lambda i: (not eligible[i], ranks[i] if np.isfinite(ranks[i]) else np.inf, -totals[i]),
    )


def ranking_html(card: RankedCard, *, knockout_reasons: dict[str, str] | None = None) -> str:
    """The ranking as HTML with a stable hook for tests and scripts.

    ``<div id="crmselect-ranking" data-ranking="[bid ids in order]" data-weights="{goal: w}">``
    holds an ordered list; each item carries ``data-bid``, ``data-total`` and ``data-eligible``.
    Knocked-out bids stay in the list, struck through, with their reason.
    """
    reasons = knockout_reasons or {}
    order = ranking_order(card)
    eligible = np.asarray(card.eligible, dtype=bool)
    totals = np.asarray(card.totals, dtype=float)
    ranks = np.asarray(card.ranks, dtype=float)
    weights = {g: round(float(w), 6) for g, w in zip(card.goal_ids, card.goal_weights, strict=True)}
    ranking = [card.bid_ids[i] for i in order]
    items = []
    for i in order:
        bid = card.bid_ids[i]
        label = html.escape(str(card.labels[i]))
        if eligible[i]:
            rank = f"{int(ranks[i])}." if np.isfinite(ranks[i]) else ""
            text = f"<b>{rank}</b> {label} <span style='color:#555'>{totals[i]:.3f}</span>"
            style = ""
        else:
            why = reasons.get(bid, "")
            text = f"{label} {totals[i]:.3f} <i>knocked out{': ' + html.escape(why) if why else ''}</i>"
            style = " style='color:#8a8a8a;text-decoration:line-through'"
        items.append(
            f"<li data-bid='{html.escape(bid)}' data-total='{totals[i]:.6f}' "
            f"data-eligible='{str(bool(eligible[i])).lower()}'{style}>{text}</li>"
        )
    return (
        f"<div id='crmselect-ranking' class='crmselect-ranking' "
        f"data-ranking='{html.escape(json.dumps(ranking))}' data-weights='{html.escape(json.dumps(weights))}'>"
        f"<ol style='list-style:none;padding-left:0;margin:0;font-family:sans-serif'>{''.join(items)}</ol></div>"
    )
