"""ipywidgets panels for the committee: weights what-if and saved scenarios.

Install with the ``notebook`` extra.  The panels are controls wired to the public API and show
its results; they compute nothing themselves.  Moving a goal slider calls
:meth:`Scorecard.with_goal_weights` (totals = goal matrix @ goal weights, ranks) and redraws the
scorecard's own plot and table.

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
from crmselect.widgets.base import FigureView, figure_png
from crmselect.widgets.core import ranking_html, rescale_weights, stacked_bars_html
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
    contribution, and the goals x vendors table.  Knocked-out vendors stay visible.
    """

    def __init__(self, card: Scorecard, *, chart: str | None = "html", table: bool = True,
                 method: str | DerivedWeights = "", translator: Translator | None = None) -> None:
        """``method`` names how the committee's weights were made: ``Evaluation.weighting`` (said in the panel's
        language) or its ``label``, shown above the sliders."""
        self.translator = translator or current()
        with using(self.translator):
            self._build(card, chart=chart, table=table, method=method_text(method) if method else "")

    def _build(self, card: Scorecard, *, chart: str | None, table: bool, method: str) -> None:
        self.base = card
        self.card = card
        self._weights = tuple(float(x) for x in card.goal_weights)
        self._listeners: list[Callable[[WeightsPanel], None]] = []
        self._busy = False
        self.sliders = [
            w.FloatSlider(
                value=round(weight * 100, 1),
                min=0.0,
                max=100.0,
                step=_STEP,
                readout_format=".1f",
                continuous_update=False,
                description=str(name),
                tooltip=str(name),
                style={"description_width": "17em"},
                layout=w.Layout(width="36em"),
            )
            for name, weight in zip(card.goal_names, self._weights, strict=True)
        ]
        self.locks = [
            w.Checkbox(value=False, description=_("lock"), tooltip=_("keep this goal's weight when others move"),
                       indent=False, layout=w.Layout(width="5em"))
            for _goal in card.goal_ids
        ]
        for i, slider in enumerate(self.sliders):
            slider.observe(lambda change, i=i: self._on_slider(i, change["new"]), names="value")
        self.reset_button = w.Button(description=_("Reset to goals.yaml"), icon="undo",
                                     tooltip=_("the committee's weights from goals.yaml"),
                                     layout=w.Layout(width="fit-content"))
        committee = dict(zip(card.goal_ids, card.goal_weights, strict=True))
        self.reset_button.on_click(lambda _b: self.set_weights(committee))
        self.ranking = w.HTML()
        if chart not in ("html", "matplotlib", None):
            raise ValueError(f"chart must be 'html', 'matplotlib' or None (received {chart!r})")
        self.chart_kind = chart
        self.bars = w.HTML()
        self.chart = FigureView(figsize=(6.0, 3.4)) if chart == "matplotlib" else None
        self.table = w.HTML() if table else None
        heading = (_("<b>Goal weights (%)</b>, the committee's set by {method} — move one, the unlocked others "
                     "follow in proportion") if method else
                   _("<b>Goal weights (%)</b> — move one, the unlocked others follow in proportion"))
        controls = w.VBox(
            [
                w.HTML(heading.format(method=html.escape(method)), layout=w.Layout(max_width="41em")),
                *[w.HBox([s, lock]) for s, lock in zip(self.sliders, self.locks, strict=True)],
                self.reset_button,
            ]
        )
        right = [w.HTML("<b>" + html.escape(_("Ranking")) + "</b>"), self.ranking]
        if chart == "html":
            right.append(self.bars)
        if self.chart is not None:
            right.append(self.chart.image)
        top = w.HBox([controls, w.VBox(right)])
        parts: list[w.Widget] = [top]
        if self.table is not None:
            parts.append(self.table)
        self.widget = w.VBox(parts)
        self.widget.add_class("crmselect-weights")  # a stable hook for browser tests
        self._render()

    # ------------------------------------------------------------------ state
    @property
    def weights(self) -> dict[str, float]:
        """The current goal weights (sum to 1), by goal id."""
        return dict(zip(self.card.goal_ids, self._weights, strict=True))

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Show the ranking under ``weights`` ({goal id: weight}, normalised)."""
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
        locked = [lock.value for lock in self.locks]
        self._apply(rescale_weights(self._weights, index, value / 100.0, locked))

    def _apply(self, weights: tuple[float, ...]) -> None:
        self._weights = weights
        self.card = self.base.with_goal_weights(self.weights)
        self._busy = True
        try:
            for slider, weight in zip(self.sliders, weights, strict=True):
                slider.value = round(weight * 100, 1)
        finally:
            self._busy = False
        self._render()
        for callback in self._listeners:
            callback(self)

    def _render(self) -> None:
        card = self.card
        with using(self.translator):
            self.ranking.value = ranking_html(card, knockout_reasons=_knockout_reasons(card))
            if self.chart_kind == "html":
                self.bars.value = stacked_bars_html(card)
            if self.chart is not None:
                self.chart.draw(lambda ax: views.stacked_plot(card, ax))
            if self.table is not None:
                self.table.value = views.scorecard_html(card)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
