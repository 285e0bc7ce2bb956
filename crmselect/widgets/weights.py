"""ipywidgets panels for the committee: weights what-if and saved scenarios.

Install with the ``notebook`` extra.  The panels are controls wired to the public API and show
its results; they compute nothing themselves.  Moving a goal slider calls
:meth:`Scorecard.with_goal_weights` (totals = goal matrix @ goal weights, ranks) and redraws the
ranking, the contributions (HTML bars, or an SVG chart) and the scorecard's table.

Each panel speaks one language: ``translator=`` (a :class:`~crmselect.show.i18n.Translator`,
default: the current one when the panel is made).  Its callbacks run later, outside any
``using()`` block, so every redraw runs inside ``using(self.translator)``.

``import crmselect`` does not import this module (nor ipywidgets).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import ipywidgets as w

from crmselect.show.i18n import Translator, _, current, using
from crmselect.widgets import views
from crmselect.widgets.base import ChartView, figure_png
from crmselect.widgets.core import SharedWeights, ranking_html, rescale_weights, shared_weights, stacked_bars_html
from crmselect.widgets.scenarios import RECORDING_OFF, ScenarioManager
from crmselect.widgets.sensitivity import SensitivityPanel
from crmselect.widgets.tco import TcoExplorer
from crmselect.widgets.wording import knockout_reason, method_text

if TYPE_CHECKING:
    from crmselect.scoring.engine import Scorecard
    from crmselect.scoring.weighting import DerivedWeights

__all__ = ["RECORDING_OFF", "ScenarioManager", "SensitivityPanel", "TcoExplorer", "WeightsPanel", "figure_png",
           "rescale_weights"]

_STEP = 1.0  # slider step, in percent of the total weight
#: how a locked goal looks: its slider greyed (ipywidgets disables it) and its row shaded
LOCKED_CSS = ("<style>.crmselect-weights .crmselect-locked{background:#eef1f5;border-radius:4px}"
              ".crmselect-weights .crmselect-locked .noUi-connect,.crmselect-weights .crmselect-locked .noUi-handle"
              "{background:#9aa3ad !important;border-color:#9aa3ad !important}"
              ".crmselect-weights .crmselect-locked .crmselect-goal-name{color:#555}</style>")


def _knockout_reasons(card: Scorecard) -> dict[str, str]:
    """Bid id -> the must-have rule that knocked it out and the answer given (current language)."""
    out: dict[str, list[str]] = {}
    for k in card.knockouts:
        out.setdefault(k.bid, []).append(knockout_reason(k))
    return {bid: _("; ").join(texts) for bid, texts in out.items()}


class WeightsPanel:
    """A slider per goal, a lock per goal, and the live ranking.

    Moving a slider rescales the unlocked goals in proportion (:func:`rescale_weights`) and shows
    the new ranking at once: an ordered list (``#crmselect-ranking``), the totals stacked by goal
    contribution, and the goals x vendors table.  Knocked-out vendors stay visible.  A locked goal's
    slider is disabled and shaded, with a lock sign by its name; other moves leave its weight as it is.
    The weights are shared (:class:`~crmselect.widgets.core.SharedWeights`): the what-if panel follows them.
    """

    def __init__(self, card: Scorecard, *, chart: str | None = "html", table: bool = True,
                 method: str | DerivedWeights = "", translator: Translator | None = None,
                 shared: SharedWeights | None = None) -> None:
        """``method`` names how the committee's weights were made: ``Evaluation.weighting`` (said in the panel's
        language) or its ``label``, shown above the sliders.  ``chart``: the totals stacked by goal as HTML bars
        (``"html"``), as an SVG chart with an axis (``"svg"``), or none.  ``shared``: the weights this panel sets
        (default: those of ``card`` that no other weights panel sets yet, else new ones at the committee's weights;
        the what-if panels on ``card`` follow them, :func:`~crmselect.widgets.core.shared_weights`)."""
        self.translator = translator or current()
        with using(self.translator):
            self._build(card, chart=chart, table=table, method=method_text(method) if method else "", shared=shared)

    def _build(self, card: Scorecard, *, chart: str | None, table: bool, method: str,
               shared: SharedWeights | None) -> None:
        if chart not in ("html", "svg", None):
            raise ValueError(f"chart must be 'html', 'svg' or None (received {chart!r})")
        self.shared = shared if shared is not None else shared_weights(card, claim=True)
        self.base = self.shared.base
        self.card = self.shared.card
        self._weights = self.shared.weights
        self._listeners: list[Callable[[WeightsPanel], None]] = []
        self._busy = False
        self.names = [w.HTML(self._name_html(i), layout=w.Layout(width="15em", min_width="15em"))
                      for i in range(len(card.goal_ids))]
        self.sliders = [
            w.FloatSlider(
                value=round(weight * 100, 1),
                min=0.0,
                max=100.0,
                step=_STEP,
                readout_format=".1f",
                continuous_update=False,
                tooltip=str(name),
                layout=w.Layout(width="27em"),
            )
            for name, weight in zip(card.goal_names, self._weights, strict=True)
        ]
        self.locks = [
            w.Checkbox(value=locked, description=_("lock"), tooltip=_("keep this goal's weight when others move"),
                       indent=False, layout=w.Layout(width="5em"))
            for locked in self.shared.locked
        ]
        self.rows = [w.HBox([name, slider, lock], layout=w.Layout(align_items="center"))
                     for name, slider, lock in zip(self.names, self.sliders, self.locks, strict=True)]
        for i, (slider, lock) in enumerate(zip(self.sliders, self.locks, strict=True)):
            slider.observe(lambda change, i=i: self._on_slider(i, change["new"]), names="value")
            lock.observe(lambda change, i=i: self._on_lock(i, change["new"]), names="value")
            self._show_lock(i)
        self.reset_button = w.Button(description=_("Reset to goals.yaml"), icon="undo",
                                     tooltip=_("the committee's weights from goals.yaml"),
                                     layout=w.Layout(width="fit-content"))
        committee = dict(zip(card.goal_ids, card.goal_weights, strict=True))
        self.reset_button.on_click(lambda _b: self.set_weights(committee))
        self.ranking = w.HTML()
        self.chart_kind = chart
        self.bars = w.HTML()
        self.chart = ChartView("crmselect-weights-chart") if chart == "svg" else None
        self.table = w.HTML() if table else None
        heading = (_("<b>Goal weights (%)</b>, the committee's set by {method} — move one, the unlocked others "
                     "follow in proportion") if method else
                   _("<b>Goal weights (%)</b> — move one, the unlocked others follow in proportion"))
        controls = w.VBox(
            [
                w.HTML(LOCKED_CSS + heading.format(method=html.escape(method)), layout=w.Layout(max_width="45em")),
                *self.rows,
                self.reset_button,
            ],
            layout=w.Layout(flex="0 0 auto"),
        )
        right = [w.HTML("<b>" + html.escape(_("Ranking")) + "</b>"), self.ranking]
        if chart == "html":
            right.append(self.bars)
        if self.chart is not None:
            right.append(self.chart.html)
        top = w.HBox([controls, w.VBox(right, layout=w.Layout(margin="0 0 0 16px"))],
                     layout=w.Layout(flex_flow="row wrap"))
        parts: list[w.Widget] = [top]
        if self.table is not None:
            parts.append(self.table)
        self.widget = w.VBox(parts)
        self.widget.add_class("crmselect-weights")  # a stable hook for browser tests
        self.shared.subscribe(self._follow)
        self._render()

    def _name_html(self, index: int) -> str:
        """The goal's name, whole (it wraps, never cut off); a lock sign in front while it is locked."""
        name = html.escape(str(self.base.goal_names[index]))
        locked = self.shared.locked[index]
        word = html.escape(_("locked"), quote=True)
        sign = f"<span title='{word}'>&#128274;</span> " if locked else ""
        return f"<div class='crmselect-goal-name' style='line-height:1.2;padding-right:6px'>{sign}{name}</div>"

    # ------------------------------------------------------------------ state
    @property
    def weights(self) -> dict[str, float]:
        """The current goal weights (sum to 1), by goal id."""
        return dict(zip(self.base.goal_ids, self._weights, strict=True))

    @property
    def locked(self) -> dict[str, bool]:
        """Which goals are locked, by goal id."""
        return dict(zip(self.base.goal_ids, self.shared.locked, strict=True))

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Show the ranking under ``weights`` ({goal id: weight}, normalised); locks do not stop a whole new set."""
        values = [float(weights.get(goal, 0.0)) for goal in self.base.goal_ids]
        total = sum(values)
        if total <= 0:
            raise ValueError("at least one goal weight must be positive")
        self._apply(tuple(v / total for v in values))

    def on_change(self, callback: Callable[[WeightsPanel], None]) -> None:
        """Call ``callback(panel)`` after every change of the weights."""
        self._listeners.append(callback)

    # ------------------------------------------------------------------ events
    def _on_slider(self, index: int, value: float) -> None:
        if self._busy:
            return
        if self.shared.locked[index]:  # a locked slider is disabled; a value that comes anyway is put back
            self._show_weights()
            return
        self._apply(rescale_weights(self._weights, index, value / 100.0, self.shared.locked))

    def _on_lock(self, index: int, locked: bool) -> None:
        if self._busy:
            return
        self.shared.lock(index, locked)
        with using(self.translator):
            self._show_lock(index)

    def _show_lock(self, index: int) -> None:
        locked = self.shared.locked[index]
        self.sliders[index].disabled = locked
        self.names[index].value = self._name_html(index)
        for widget in (self.rows[index], self.sliders[index]):
            (widget.add_class if locked else widget.remove_class)("crmselect-locked")

    def _apply(self, weights: tuple[float, ...]) -> None:
        self.shared.set(weights)  # every panel on these weights follows, this one in _follow

    def _follow(self, shared: SharedWeights) -> None:
        self._weights = shared.weights
        self.card = shared.card
        self._show_weights()
        self._render()
        for callback in self._listeners:
            callback(self)

    def _show_weights(self) -> None:
        self._busy = True
        try:
            for i, (slider, weight) in enumerate(zip(self.sliders, self._weights, strict=True)):
                slider.value = round(weight * 100, 1)
                if self.locks[i].value != self.shared.locked[i]:
                    self.locks[i].value = self.shared.locked[i]
                    self._show_lock(i)
        finally:
            self._busy = False

    def _render(self) -> None:
        card = self.card
        with using(self.translator):
            self.ranking.value = ranking_html(card, knockout_reasons=_knockout_reasons(card))
            if self.chart_kind == "html":
                self.bars.value = stacked_bars_html(card)
            if self.chart is not None:
                self.chart.draw(lambda: views.contributions_chart(card))
            if self.table is not None:
                self.table.value = views.scorecard_html(card)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
