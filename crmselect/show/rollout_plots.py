"""Views of a roll-out in phases: DataFrames in, matplotlib Axes out (never computing, never ``plt.show()``).

:func:`go_live_ranges` draws each phase's go-live as a range of draws, P10 to P90, with the P50 and the plan
marked, one row per phase in roll-out order (the big bang last, for comparison).  Labels the caller passes are
drawn as given (the caller translates them); the words the view adds are in the current language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmselect.show import style
from crmselect.show.i18n import _
from crmselect.show.plots import _ticks, axes, with_cjk_fallback

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PHASE_COLOUR = "#3182bd"
BIG_BANG_COLOUR = "#bdbdbd"


@with_cjk_fallback
def go_live_ranges(frame: Any, *, compared: Any = None, xlabel: str = "", title: str = "",
                   ax: Axes | None = None) -> Axes:
    """One row per row of ``frame`` (columns ``P10``, ``P50``, ``P90``, ``planned``): a bar from P10 to P90, a dot at
    P50 and a tick at the plan; ``compared`` (the same columns, greyed) rows follow, e.g. the big bang.

    The figure grows with the number of rows so that long phase names are not squeezed."""
    import pandas as pd

    rows = frame if compared is None else pd.concat([frame, compared])
    own = len(frame)
    if ax is None:
        ax = axes(figsize=(7.5, 1.0 + 0.32 * max(len(rows), 2)))
    y = list(range(len(rows)))
    lows, mids, highs = (rows[c].to_numpy(float) for c in ("P10", "P50", "P90"))
    colours = [PHASE_COLOUR if i < own else BIG_BANG_COLOUR for i in y]
    ax.barh(y, highs - lows, left=lows, height=0.5, color=colours, alpha=0.55, label=_("P10 to P90"))
    ax.scatter(mids, y, color=colours, edgecolor=style.MARK, zorder=3, s=36, label="P50")
    ax.scatter(rows["planned"].to_numpy(float), y, marker="|", s=260, color=style.MARK, zorder=4,
               label=_("plan"))
    _ticks(ax, "y", [str(label) for label in rows.index])
    ax.set_xlim(left=0.0, right=float(max(highs.max(), rows["planned"].max())) * 1.05 if len(rows) else 1.0)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    style.legend_outside(ax)
    return ax


__all__ = ["go_live_ranges"]
