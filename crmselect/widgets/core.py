"""The small pure pieces behind the widgets: slider rescaling and the ranking's HTML.

No ipywidgets here, so these are cheap to test.  Nothing in this module scores anything: the
ranking is read from a :class:`~crmselect.scoring.engine.Scorecard` computed by the public API.
The words are in the current language (:mod:`crmselect.show.i18n`; a widget calls these inside
``using(self.translator)``), and so are the numbers (:mod:`crmselect.show.formats`); the
``data-*`` hooks keep plain numbers and ids for tests and scripts.
"""

from __future__ import annotations

import html
import json
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from crmselect.show.formats import format_number
from crmselect.show.i18n import _, current
from crmselect.show.style import GOAL_COLOURS


class RankedCard(Protocol):
    """What the ranking view reads from a Scorecard."""

    @property
    def bid_ids(self) -> Sequence[str]: ...
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def goal_ids(self) -> Sequence[str]: ...
    @property
    def goal_weights(self) -> Any: ...
    @property
    def totals(self) -> Any: ...
    @property
    def ranks(self) -> Any: ...
    @property
    def eligible(self) -> Any: ...


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
    if abs(total - 1.0) > 1e-12:  # weights that already sum to 1 stay exactly as they are: a lock holds to the bit
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
    language = current().language
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
            shown = format_number(totals[i], language, digits=3)
            text = f"<b>{rank}</b> {label} <span style='color:#555'>{shown}</span>"
            style = ""
        else:
            why = reasons.get(bid, "")
            out = _("knocked out: {rules}").format(rules=why) if why else _("knocked out")
            text = f"{label} {format_number(totals[i], language, digits=3)} <i>{html.escape(out)}</i>"
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


#: the goals' colours (:data:`crmselect.show.style.GOAL_COLOURS`), as ``Scorecard.plot("stacked")`` draws them
PALETTE = GOAL_COLOURS


class StackedCard(RankedCard, Protocol):
    @property
    def goal_names(self) -> Sequence[str]: ...
    @property
    def goal_matrix(self) -> Any: ...


def stacked_bars_html(card: StackedCard, *, width_px: int = 360) -> str:
    """Totals as horizontal bars stacked by goal contribution (goal score x goal weight), in HTML.

    Drawn by the browser, so a redraw costs microseconds (a matplotlib redraw costs about half a
    second here).  Bars follow the ranking; knocked-out bids stay, pale and hatched.  The lengths
    are the scorecard's own contributions; nothing is computed here but pixel widths.
    """
    language = current().language
    weights = np.asarray(card.goal_weights, dtype=float)
    matrix = np.asarray(card.goal_matrix, dtype=float)
    eligible = np.asarray(card.eligible, dtype=bool)
    rows = []
    for i in ranking_order(card):
        segments = []
        for g, name in enumerate(card.goal_names):
            part = float(matrix[i, g] * weights[g])
            if part <= 0:
                continue
            colour = PALETTE[g % len(PALETTE)]
            tip = f"{html.escape(str(name))}: {format_number(part, language, digits=3)}"
            segments.append(
                f"<span title='{tip}' style='display:inline-block;height:14px;"
                f"width:{part * width_px:.1f}px;background:{colour}'></span>"
            )
        faded = "" if eligible[i] else "opacity:0.35;"
        rows.append(
            f"<div style='display:flex;align-items:center;gap:6px;{faded}'>"
            f"<span style='width:13em;text-align:right;overflow:hidden;white-space:nowrap'>"
            f"{html.escape(str(card.labels[i]))}</span>"
            f"<span style='display:inline-flex;width:{width_px}px;background:#f3f5f7'>{''.join(segments)}</span>"
            f"<span>{format_number(float(np.asarray(card.totals)[i]), language, digits=3)}</span></div>"
        )
    legend = "".join(
        f"<span style='margin-right:10px;white-space:nowrap'><span style='display:inline-block;width:10px;"
        f"height:10px;background:{PALETTE[g % len(PALETTE)]}'></span> {html.escape(str(name))}</span>"
        for g, name in enumerate(card.goal_names)
    )
    return (
        "<div class='crmselect-stacked' style='font-family:sans-serif;font-size:12px'>"
        f"<div style='font-weight:bold;margin:4px 0'>{html.escape(_('Contribution of each goal to the total'))}</div>"
        f"{''.join(rows)}<div style='margin-top:6px;max-width:{width_px + 220}px'>{legend}</div></div>"
    )


class WeightedCard(Protocol):
    """What the shared weights read from a Scorecard and make of it."""

    @property
    def goal_ids(self) -> Sequence[str]: ...
    @property
    def goal_names(self) -> Sequence[str]: ...
    @property
    def goal_weights(self) -> Any: ...
    def with_goal_weights(self, weights: Mapping[str, float]) -> Any: ...


class SharedWeights:
    """The goal weights and locks every panel of one dashboard shows, for one scorecard.

    The weights panel sets them (:meth:`set`); the what-if panel follows them (:meth:`subscribe`), so "weighs X %
    now", the sweep and the stability intervals are always those of the weights on the sliders.  ``card`` is the
    scorecard under the current weights (``Scorecard.with_goal_weights``), made once per change.
    """

    def __init__(self, base: WeightedCard) -> None:
        self.base = base
        weights = np.asarray(base.goal_weights, dtype=float)
        self._weights = tuple(float(x) for x in weights / weights.sum()) if weights.sum() > 0 else tuple(
            1.0 / weights.size for _ in range(weights.size))
        self._card: Any = base
        self.locked: tuple[bool, ...] = tuple(False for _ in base.goal_ids)
        self.claimed = False  # True once a weights panel sets these weights
        self._listeners: list[Callable[[SharedWeights], None]] = []

    @property
    def weights(self) -> tuple[float, ...]:
        """The current goal weights in ``goal_ids`` order (sum to 1)."""
        return self._weights

    def weight(self, goal: str) -> float:
        return self._weights[list(self.base.goal_ids).index(goal)]

    @property
    def card(self) -> Any:
        """The scorecard under the current weights."""
        return self._card

    def set(self, weights: Sequence[float]) -> None:
        """New current weights (``goal_ids`` order, normalised here); every subscriber is told."""
        values = np.asarray(weights, dtype=float)
        if values.shape != (len(self.base.goal_ids),) or not np.all(np.isfinite(values)) or np.any(values < 0) \
                or not values.sum() > 0:
            raise ValueError(f"weights need one finite value >= 0 per goal, not all zero (received {list(weights)})")
        if abs(values.sum() - 1.0) > 1e-12:  # already summing to 1: kept exactly (a locked weight holds to the bit)
            values = values / values.sum()
        self._weights = tuple(float(x) for x in values)
        self._card = self.base.with_goal_weights(dict(zip(self.base.goal_ids, self._weights, strict=True)))
        for callback in list(self._listeners):
            callback(self)

    def lock(self, index: int, locked: bool) -> None:
        """Lock (or free) goal ``index``: a locked weight keeps its value when another goal moves."""
        flags = list(self.locked)
        flags[index] = bool(locked)
        self.locked = tuple(flags)

    def subscribe(self, callback: Callable[[SharedWeights], None]) -> None:
        """Call ``callback(shared)`` after every change of the weights."""
        self._listeners.append(callback)


#: live shared states by id of their scorecard; a state holds its scorecard, so the id stays its own while it lives,
#: and the panels hold the state, so it goes when they do
_SHARED: weakref.WeakValueDictionary[int, SharedWeights] = weakref.WeakValueDictionary()


def shared_weights(card: WeightedCard, *, claim: bool = False) -> SharedWeights:
    """The current :class:`SharedWeights` of ``card`` in this kernel, which panels built on the same scorecard share.

    ``claim``: for a weights panel, which sets them.  It takes the card's current weights if no weights panel has
    them yet (what-if panels built before it then follow it too), else starts new ones at the committee's weights,
    which become the card's current ones (the what-if panels built after it follow its sliders).
    """
    found = _SHARED.get(id(card))
    if found is None or found.base is not card or (claim and found.claimed):
        found = SharedWeights(card)
        _SHARED[id(card)] = found
    if claim:
        found.claimed = True
    return found
