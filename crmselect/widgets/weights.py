"""ipywidgets panels for the committee: weights what-if and saved scenarios.

Install with the ``notebook`` extra.  The panels are controls wired to the public API and show
its results; they compute nothing themselves.  Moving a goal slider calls
:meth:`Scorecard.with_goal_weights` (totals = goal matrix @ goal weights, ranks) and redraws the
scorecard's own plot and table.

``import crmselect`` does not import this module (nor ipywidgets).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from crmselect.errors import InputError, Issue
from crmselect.widgets.base import FigureView, figure_png
from crmselect.widgets.core import ranking_html, rescale_weights, stacked_bars_html
from crmselect.widgets.sensitivity import SensitivityPanel
from crmselect.widgets.tco import TcoExplorer

if TYPE_CHECKING:
    from crmselect.model.project import Project
    from crmselect.record.signing import Signer
    from crmselect.scoring.engine import Scorecard

__all__ = ["ScenarioManager", "SensitivityPanel", "TcoExplorer", "WeightsPanel", "figure_png", "rescale_weights"]

_STEP = 1.0  # slider step, in percent of the total weight


def _knockout_reasons(card: Scorecard) -> dict[str, str]:
    """Bid id -> the must-have rule that knocked it out and the answer given."""
    out: dict[str, str] = {}
    for k in card.knockouts:
        text = f"{k.criterion} {k.criterion_name} must be {k.rule}; answered {k.answer}"
        out[k.bid] = f"{out[k.bid]}; {text}" if k.bid in out else text
    return out


class WeightsPanel:
    """A slider per goal, a lock per goal, and the live ranking.

    Moving a slider rescales the unlocked goals in proportion (:func:`rescale_weights`) and shows
    the new ranking at once: an ordered list (``#crmselect-ranking``), the totals stacked by goal
    contribution, and the goals x vendors table.  Knocked-out vendors stay visible.
    """

    def __init__(self, card: Scorecard, *, chart: str | None = "html", table: bool = True, method: str = "") -> None:
        """``method`` names how the committee's weights were made (``Evaluation.weighting.label``), shown above."""
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
            w.Checkbox(value=False, description="lock", indent=False, layout=w.Layout(width="5em"))
            for _ in card.goal_ids
        ]
        for i, slider in enumerate(self.sliders):
            slider.observe(lambda change, i=i: self._on_slider(i, change["new"]), names="value")
        self.reset_button = w.Button(description="Reset to goals.yaml", icon="undo")
        self.reset_button.on_click(lambda _: self.set_weights(dict(zip(card.goal_ids, card.goal_weights, strict=True))))
        self.ranking = w.HTML()
        if chart not in ("html", "matplotlib", None):
            raise ValueError(f"chart must be 'html', 'matplotlib' or None (received {chart!r})")
        self.chart_kind = chart
        self.bars = w.HTML()
        self.chart = FigureView(figsize=(6.0, 3.4)) if chart == "matplotlib" else None
        self.table = w.HTML() if table else None
        controls = w.VBox(
            [
                w.HTML("<b>Goal weights (%)</b>" + (f", the committee's set by {html.escape(method)}" if method else "")
                       + " — move one, the unlocked others follow in proportion"),
                *[w.HBox([s, lock]) for s, lock in zip(self.sliders, self.locks, strict=True)],
                self.reset_button,
            ]
        )
        right = [w.HTML("<b>Ranking</b>"), self.ranking]
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
        self.ranking.value = ranking_html(card, knockout_reasons=_knockout_reasons(card))
        if self.chart_kind == "html":
            self.bars.value = stacked_bars_html(card)
        if self.chart is not None:
            self.chart.draw(lambda ax: card.plot("stacked", ax=ax))
        if self.table is not None:
            self.table.value = card._repr_html_()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


RECORDING_OFF = ("Recording is off: no committee member was named at launch (set member in the notebook's "
                 "parameters cell, or CRMSELECT_MEMBER for the dashboard), so nothing is saved to the decision log.")


class ScenarioManager:
    """Name and keep weight scenarios, compare them side by side, log and export them.

    Every save, apply and export is written to the selection's own decision log with the acting
    ``member`` (named at launch) and why, so the committee's hand-over shows how the weights moved.
    Without a member, scenarios can still be compared, but recording is off and the reason is shown.
    """

    def __init__(
        self,
        panel: WeightsPanel,
        project: Project,
        *,
        member: str | None,
        signer: Signer | None = None,
        export_dir: str | Path | None = None,
        exporter: Callable[[Project, Path], Any] | None = None,
    ) -> None:
        from crmselect.record.log import DecisionLog

        members = {m.id: m.name for m in project.committee.members}
        if member is not None and member not in members:
            raise InputError([Issue("vendors/committee.yaml", "members", f"has no member {member!r}",
                                    code="unknown_member", allowed=", ".join(members) or "no members yet",
                                    received=member)])
        self.panel = panel
        self.project = project
        self.member = member
        self.signer = signer
        self.log = DecisionLog.for_project(project)
        self.off_reason = RECORDING_OFF if member is None else (
            f"Recording is off: the committee signs its decisions and no key file for {member} was named at launch "
            "(key_dir in the notebook's parameters cell, or CRMSELECT_KEY_DIR for the dashboard)."
            if self.log.signed and signer is None else "")
        self.export_dir = Path(export_dir) if export_dir is not None else Path(project.root) / "exports"
        self._exporter = exporter
        self.scenarios: dict[str, dict[str, float]] = {}
        self.name = w.Text(placeholder="e.g. Sales view", description="Scenario")
        self.why = w.Text(placeholder="why these weights", description="Why")
        self.save_button = w.Button(description="Save weights", icon="save", button_style="primary")
        self.choice = w.Dropdown(options=[], description="Chosen")
        self.apply_button = w.Button(description="Show on sliders", icon="sliders")
        self.export_button = w.Button(description="Export to Excel", icon="file-excel-o", button_style="success")
        self.comparison = w.HTML()
        self.status = w.HTML()
        self.recording = w.HTML(self._recording_text(members))
        self.save_button.on_click(lambda _: self.save(self.name.value))
        self.apply_button.on_click(lambda _: self.apply(self.choice.value))
        self.export_button.on_click(lambda _: self.export(self.choice.value))
        self.widget = w.VBox(
            [
                w.HTML("<b>Scenarios</b>"),
                self.recording,
                w.HBox([self.name, self.why, self.save_button]),
                w.HBox([self.choice, self.apply_button, self.export_button]),
                self.status,
                self.comparison,
            ]
        )

    def _recording_text(self, members: Mapping[str, str]) -> str:
        if self.off_reason:
            return f"<span style='color:#b00'>{html.escape(self.off_reason)}</span>"
        assert self.member is not None
        return (f"Recording as <b>{html.escape(members[self.member])}</b> in "
                f"<code>{html.escape(str(self.log.path))}</code>.")

    def _log(self, kind: str, what: Mapping[str, Any], why: str | None) -> bool:
        """Append to the selection's decision log; False (and a message) without a member or a reason."""
        if self.off_reason or self.member is None:
            self.status.value = f"<span style='color:#b00'>{html.escape(self.off_reason)}</span>"
            return False
        reason = (why if why is not None else self.why.value).strip()
        if not reason:
            self.status.value = "<span style='color:#b00'>The decision log needs a reason: fill in Why.</span>"
            return False
        self.log.append(kind, self.member, dict(what), reason, signer=self.signer)
        return True

    def save(self, name: str, weights: Mapping[str, float] | None = None, *, why: str | None = None,
             record: bool = True) -> bool:
        """Keep ``weights`` (default: the panel's) under ``name``; log it as ``scenario_saved``.

        ``record=False`` keeps it for comparison only, without a log entry: for weights that are
        already on record elsewhere (the stakeholder views in goals.yaml), so re-running a paper
        does not add entries.
        """
        name = name.strip()
        if not name:
            self.status.value = "<span style='color:#b00'>Give the scenario a name first.</span>"
            return False
        kept = {g: float(v) for g, v in (weights or self.panel.weights).items()}
        if record and not self._log("scenario_saved", {"scenario": name, "weights": kept}, why):
            return False
        self.scenarios[name] = kept
        self.choice.options = list(self.scenarios)
        self.choice.value = name
        self.status.value = f"Saved <b>{html.escape(name)}</b>."
        self._compare()
        return True

    def apply(self, name: str | None, *, why: str | None = None) -> bool:
        """Put a saved scenario's weights on the sliders; log it as a ``weight_change``."""
        if not name or name not in self.scenarios:
            return False
        if not self._log("weight_change", {"scenario": name, "weights": self.scenarios[name]}, why):
            return False
        self.panel.set_weights(self.scenarios[name])
        self.status.value = f"Showing <b>{html.escape(name)}</b>."
        return True

    def card(self, name: str) -> Scorecard:
        """The scorecard under a saved scenario's weights."""
        return self.panel.base.with_goal_weights(self.scenarios[name])

    def comparison_frame(self) -> Any:
        """Goals' weights and each bid's total and rank per scenario, side by side (a DataFrame)."""
        import pandas as pd

        base = self.panel.base
        index = [*(f"weight: {g}" for g in base.goal_names), *(f"total: {b}" for b in base.labels), "winner"]
        labels = dict(zip(base.bid_ids, base.labels, strict=True))
        data: dict[str, list[Any]] = {}
        for name in self.scenarios:
            card = self.card(name)
            winner = labels.get(card.winner or "", "tie for first")
            data[name] = [*map(float, card.goal_weights), *map(float, card.totals), winner]
        return pd.DataFrame(data, index=index, dtype=object)

    def _compare(self) -> None:
        from crmselect.show import tables

        frame = self.comparison_frame()
        self.comparison.value = tables.to_html(frame, caption="Saved scenarios side by side", default_format="score")

    def export(self, name: str | None, *, why: str | None = None) -> Path | None:
        """Write the chosen scenario's scorecard workbook (:func:`crmselect.excel.scorecard.export_scorecard`); log it.

        The workbook is the selection with the scenario's weights as goal points (summing to 100).
        """
        if not name or name not in self.scenarios:
            self.status.value = "<span style='color:#b00'>Save and choose a scenario first.</span>"
            return None
        exporter = self._exporter or _default_exporter()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
        path = self.export_dir / f"scorecard-{safe}-{stamp}.xlsx"
        if not self._log("scenario_exported", {"scenario": name, "file": path.name}, why or f"export of {name}"):
            return None
        self.export_dir.mkdir(parents=True, exist_ok=True)
        points = {goal: 100.0 * weight for goal, weight in self.scenarios[name].items()}
        exporter(self.project.with_selection(self.project.selection.with_weights(points)), path)
        self.status.value = f"Exported <b>{html.escape(name)}</b> to <code>{html.escape(str(path))}</code>."
        return path

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def _default_exporter() -> Callable[[Project, Path], Any]:
    from crmselect.excel.scorecard import export_scorecard

    return export_scorecard
