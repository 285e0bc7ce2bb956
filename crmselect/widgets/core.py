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
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from crmselect.show.formats import format_number
from crmselect.show.i18n import _, current


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


#: matplotlib's tab10 colours, so the HTML chart matches ``Scorecard.plot("stacked")``.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)


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
