"""Sensitivity panel: one goal's exact sweep with breakpoints and stability interval; SMAA on demand.

Everything shown comes from :mod:`crmselect.whatif.sensitivity` and :mod:`crmselect.whatif.acceptability`, asked at
the weights on the sliders (the weights panel's, shared); the panel only chooses what to ask and draws the answers,
in its language (``translator=``, default: the current one when made; callbacks run inside
``using(self.translator)``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import numpy as np

from crmselect.show.analyses import note
from crmselect.show.i18n import Translator, _, current, using
from crmselect.whatif import sensitivity
from crmselect.widgets import views
from crmselect.widgets.base import ChartView, html_error
from crmselect.widgets.core import SharedWeights, shared_weights
from crmselect.widgets.wording import label

if TYPE_CHECKING:
    from crmselect.scoring.engine import Scorecard

__all__ = ["SensitivityPanel", "interval_text"]


def _heading(text: str, detail: str, tip: str = "") -> w.HTML:
    """A section heading; ``tip`` (a plain-language note from :mod:`crmselect.show.analyses`) shows on hover and as an
    ⓘ after it."""
    info = (f" <span class='crmselect-info' title='{html.escape(tip, quote=True)}' style='cursor:help;color:#3465a4'>"
            "&#9432;</span>") if tip else ""
    return w.HTML(f"<span title='{html.escape(tip, quote=True)}'><b>{html.escape(text)}</b> {html.escape(detail)}"
                  f"</span>{info}")


class SensitivityPanel:
    """Pick a goal: its sweep (exact breakpoints) and stability interval.  Run SMAA with a progress bar.

    It follows the current weights (:class:`~crmselect.widgets.core.SharedWeights`, shared with the weights panel
    on the same scorecard): "weighs X % now", the sweep and the stability intervals are redrawn when a goal's
    slider moves, and a shown SMAA result says it was run at earlier weights.
    """

    def __init__(self, card: Scorecard, *, samples: int = 20_000, seed: int = 2026,
                 translator: Translator | None = None, shared: SharedWeights | None = None) -> None:
        self.shared = shared if shared is not None else shared_weights(card)
        self.card = self.shared.card
        self.translator = translator or current()
        with using(self.translator):
            self._build(self.card, samples, seed)

    def _build(self, card: Scorecard, samples: int, seed: int) -> None:
        self.goal = w.Dropdown(
            options=list(zip(card.goal_names, card.goal_ids, strict=True)),
            description=_("Goal"),
            style={"description_width": "4em"},
            layout=w.Layout(width="32em"),
        )
        self.sweep_chart = ChartView("crmselect-sweep")
        self.sweep_table = w.HTML()
        self.interval = w.HTML()
        self.samples = w.BoundedIntText(value=samples, min=1_000, max=2_000_000, step=1_000,
                                        description=_("Samples"),
                                        tooltip=_("how many sets of weights are drawn: more gives steadier shares"))
        self.seed = w.IntText(value=seed, description=_("Seed"), tooltip=_("the same seed gives the same numbers"))
        self.model = w.Dropdown(
            options=[(_("any weights at all (uniform)"), "uniform"),
                     (_("near the current weights (±25 %)"), "around")],
            description=_("Weights"),
            layout=w.Layout(width="auto"),
        )
        self.run_button = w.Button(description=_("Run SMAA"), icon="play", button_style="primary",
                                   tooltip=note("smaa"), layout=w.Layout(width="auto"))
        self.progress = w.FloatProgress(value=0.0, min=0.0, max=1.0, description="SMAA", bar_style="info",
                                        layout=w.Layout(visibility="hidden"))
        self.smaa_chart = ChartView("crmselect-smaa")
        self.smaa_table = w.HTML()
        self.smaa_status = w.HTML()
        self.result: Any = None
        self._result_weights: tuple[float, ...] | None = None
        self.goal.observe(lambda _change: self.show_goal(), names="value")
        self.run_button.on_click(lambda _button: self.run_smaa())
        self.widget = w.VBox(
            [
                _heading(_("How far can one goal's weight move?"),
                         _("(the other goals share the rest in proportion)"), note("stability")),
                self.goal,
                w.HBox([w.VBox([self.sweep_chart.html], layout=w.Layout(flex="0 0 auto")),
                        w.VBox([self.interval, self.sweep_table])], layout=w.Layout(flex_flow="row wrap")),
                _heading(_("All weights uncertain at once: SMAA"), _("(weights drawn at random)"), note("smaa")),
                w.HBox([self.model, self.samples, self.seed, self.run_button]),
                self.progress,
                self.smaa_status,
                w.HBox([w.VBox([self.smaa_chart.html], layout=w.Layout(flex="0 0 auto")), self.smaa_table],
                       layout=w.Layout(flex_flow="row wrap")),
            ]
        )
        self.widget.add_class("crmselect-sensitivity")
        self._stability: sensitivity.StabilityIntervals | None = None
        self._restability()
        self.show_goal()
        self.shared.subscribe(self._follow)

    # ------------------------------------------------------------------ following the weights
    def _restability(self) -> None:
        self._stability = None
        try:
            self._stability = sensitivity.stability(self.card)
        except Exception as error:  # shown to the committee, not swallowed
            self.interval.value = html_error(str(error))

    def _follow(self, shared: SharedWeights) -> None:
        self.card = shared.card
        with using(self.translator):
            self._restability()
            self.show_goal()
            self._smaa_freshness()

    def _smaa_freshness(self) -> None:
        if self.result is None or self._result_weights is None:
            return
        stale = not np.allclose(self._result_weights, self.shared.weights, atol=1e-9)
        self.smaa_status.value = ("<div class='crmselect-smaa-stale' style='color:#8a5a00'>" + html.escape(_(
            "These SMAA results were drawn at earlier weights: run SMAA again for the current ones.")) + "</div>"
            if stale and self.model.value == "around" else "")

    def show_goal(self) -> None:
        """Draw the chosen goal's sweep at the current weights and show its stability interval."""
        goal = self.goal.value
        with using(self.translator):
            try:
                result = sensitivity.sweep(self.card, goal)
            except Exception as error:
                self.sweep_table.value = html_error(str(error))
                self.sweep_chart.clear()
                return
            self.sweep_chart.draw(lambda: views.sweep_chart(result))
            self.sweep_table.value = views.sweep_html(result)
            if self._stability is not None:
                name = self.card.goal_names[list(self.card.goal_ids).index(goal)]
                try:
                    self.interval.value = interval_text(self._stability, name)
                except Exception as error:  # shown to the committee, not swallowed
                    self.interval.value = html_error(str(error))

    def run_smaa(self) -> Any:
        """Run SMAA at the current weights with the progress bar and show the rank acceptabilities
        (``acceptability.smaa``)."""
        from crmselect.whatif.acceptability import smaa

        self.progress.value = 0.0
        self.progress.bar_style = "info"
        self.progress.layout.visibility = "visible"
        self.run_button.disabled = True

        def progress(done: int, total: int) -> None:
            self.progress.value = min(1.0, done / total) if total else 1.0

        n = int(self.samples.value)
        spread = 0.25 if self.model.value == "around" else None
        weights = self.shared.weights
        with using(self.translator):
            try:
                self.result = smaa(
                    self.card, n=n, spread=spread, random_state=int(self.seed.value), progress=progress,
                    chunk_size=max(500, n // 20),  # about twenty steps of the progress bar
                )
            except Exception as error:
                self.smaa_table.value = html_error(str(error))
                self.progress.bar_style = "danger"
                return None
            finally:
                self.run_button.disabled = False
            self._result_weights = weights
            self.progress.value = 1.0
            self.progress.bar_style = "success"
            result = self.result
            model = dict((value, text) for text, value in self.model.options)[self.model.value]
            self.smaa_chart.draw(lambda: views.smaa_chart(result, model))
            self.smaa_table.value = views.smaa_html(result, model)
            self._smaa_freshness()
        return result

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def interval_text(stability: sensitivity.StabilityIntervals, goal_name: str) -> str:
    """One goal's stability interval in plain words, in the current language."""
    if goal_name not in stability.goals:
        return ""
    j = stability.goals.index(goal_name)

    def pct(values: Any) -> str:
        return f"<b>{html.escape(views.percent(float(values[j])))}</b>"

    def bold(text: str) -> str:
        return f"<b>{html.escape(text)}</b>"

    rival_lo, rival_hi = label(stability.rival_at_lo[j]), label(stability.rival_at_hi[j])  # "passed by ..."
    low = (_("{weight} (below that: {rival})").format(weight=pct(stability.winner_lo), rival=html.escape(rival_lo))
           if rival_lo else pct(stability.winner_lo))
    high = (_("{weight} (above that: {rival})").format(weight=pct(stability.winner_hi), rival=html.escape(rival_hi))
            if rival_hi else pct(stability.winner_hi))
    text = _("{goal} weighs {weight} now. {winner} stays first while it weighs between {low} and {high}. "
             "The whole ranking holds from {from_} to {to}.").format(
        goal=bold(goal_name), weight=views.percent(float(stability.weights[j])), winner=bold(str(stability.winner)),
        low=low, high=high, from_=views.percent(float(stability.ranking_lo[j])),
        to=views.percent(float(stability.ranking_hi[j])))
    return f"<div class='crmselect-interval' style='font-family:sans-serif;font-size:13px;max-width:40em'>{text}</div>"
