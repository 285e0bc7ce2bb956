"""The scenario manager: named sets of goal weights, compared side by side, logged and exported.

Scenarios live in the selection's decision log: every save is a ``scenario_saved`` entry, and a new
manager (a page reload, another member's page, a notebook run later) starts with the scenarios saved
there (:func:`logged_scenarios`), the latest save of each name winning.  An export is written into the
selection's ``exports/`` and handed to the browser as a download (:mod:`crmselect.widgets.downloads`).

Like every panel it speaks one language (``translator=``, default: the current one when made) and
runs its callbacks inside ``using(self.translator)``.  Scenario names and reasons are the
committee's own words: they are kept and logged as typed.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import ipywidgets as w

from crmselect.errors import InputError, Issue
from crmselect.show.i18n import N_, Translator, _, current, using
from crmselect.widgets.downloads import XLSX, download_link, safe_filename

if TYPE_CHECKING:
    from crmselect.model.project import Project
    from crmselect.record.chain import LogEntry
    from crmselect.record.signing import Signer
    from crmselect.scoring.engine import Scorecard
    from crmselect.widgets.weights import WeightsPanel

__all__ = ["RECORDING_OFF", "LoggedScenarios", "ScenarioManager", "logged_scenarios"]

RECORDING_OFF = N_("Recording is off: no committee member was named at launch (set member in the notebook's "
                   "parameters cell, or CRMSELECT_MEMBER for the dashboard), so nothing is saved to the decision log.")
NO_KEY = N_("Recording is off: the committee signs its decisions and no key file for {member} was named at launch "
            "(key_dir in the notebook's parameters cell, or CRMSELECT_KEY_DIR for the dashboard).")


@dataclass(frozen=True)
class LoggedScenarios:
    """The scenarios a decision log holds: name -> goal weights (latest save wins), and the names left out."""

    scenarios: dict[str, dict[str, float]]
    skipped: tuple[str, ...] = ()


def logged_scenarios(entries: Iterable[LogEntry], goal_ids: Sequence[str]) -> LoggedScenarios:
    """Every ``scenario_saved`` entry's weights, by scenario name, in the order first saved; a later save of a name
    replaces its weights.  A scenario that names a goal the selection no longer has, or whose weights are not
    non-negative numbers with a positive sum, is left out and named in ``skipped``; a goal added since gets 0."""
    goals = set(goal_ids)
    kept: dict[str, dict[str, float]] = {}
    skipped: dict[str, None] = {}
    for entry in entries:
        if entry.kind != "scenario_saved" or not isinstance(entry.what, Mapping):
            continue
        name, weights = entry.what.get("scenario"), entry.what.get("weights")
        if not isinstance(name, str) or not name.strip():
            continue
        try:
            values = {str(g): float(v) for g, v in weights.items()} if isinstance(weights, Mapping) else None
        except (TypeError, ValueError):
            values = None
        if (values is None or not set(values) <= goals or any(not v >= 0 for v in values.values())
                or not sum(values.values()) > 0):
            skipped[name] = None
            kept.pop(name, None)
            continue
        skipped.pop(name, None)
        kept[name] = {g: values.get(g, 0.0) for g in goal_ids}
    return LoggedScenarios(kept, tuple(skipped))


def _red(text: str) -> str:
    return f"<span style='color:#b00'>{html.escape(text)}</span>"


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
        translator: Translator | None = None,
    ) -> None:
        from crmselect.record.log import DecisionLog

        members = {m.id: m.name for m in project.committee.members}
        if member is not None and member not in members:
            raise InputError([Issue("vendors/committee.yaml", "members", f"has no member {member!r}",
                                    code="unknown_member", allowed=", ".join(members) or "no members yet",
                                    received=member)])
        self.translator = translator or getattr(panel, "translator", None) or current()
        self.panel = panel
        self.project = project
        self.member = member
        self.signer = signer
        self.log = DecisionLog.for_project(project)
        self.export_dir = Path(export_dir) if export_dir is not None else Path(project.root) / "exports"
        self._exporter = exporter
        self.scenarios: dict[str, dict[str, float]] = {}
        with using(self.translator):
            self.off_reason = _(RECORDING_OFF) if member is None else (
                _(NO_KEY).format(member=member) if self.log.signed and signer is None else "")
            self.name = w.Text(placeholder=_("e.g. Sales view"), description=_("Scenario name"))
            self.why = w.Text(placeholder=_("why these weights"), description=_("Why"))
            self.save_button = w.Button(description=_("Save weights"), icon="save", button_style="primary",
                                        layout=w.Layout(width="auto"))
            self.choice = w.Dropdown(options=[], description=_("Chosen"))
            self.apply_button = w.Button(description=_("Show on sliders"), icon="sliders",
                                         layout=w.Layout(width="auto"))
            self.export_button = w.Button(description=_("Export to Excel"), icon="file-excel-o",
                                          button_style="success", layout=w.Layout(width="auto"))
            self.comparison = w.HTML()
            self.status = w.HTML()
            self.download = w.HTML()
            self.recording = w.HTML(self._recording_text(members))
            heading = w.HTML("<b>" + html.escape(_("Scenarios")) + "</b>")
        self.save_button.on_click(lambda _b: self.save(self.name.value))
        self.apply_button.on_click(lambda _b: self.apply(self.choice.value))
        self.export_button.on_click(lambda _b: self.export(self.choice.value))
        self.widget = w.VBox(
            [
                heading,
                self.recording,
                w.HBox([self.name, self.why, self.save_button]),
                w.HBox([self.choice, self.apply_button, self.export_button]),
                self.status,
                self.download,
                self.comparison,
            ]
        )
        self.widget.add_class("crmselect-scenarios")
        self.reload()

    def reload(self) -> LoggedScenarios:
        """Take the scenarios saved in the selection's decision log (the latest save of each name); nothing is
        logged again.  A log that cannot be read is said in the status line, not hidden."""
        from crmselect.errors import CrmSelectError

        with using(self.translator):
            try:
                found = logged_scenarios(self.log.entries(), self.panel.base.goal_ids)
            except CrmSelectError as error:
                self.status.value = _red(str(error))
                return LoggedScenarios({})
            self.scenarios.update(found.scenarios)
            self.choice.options = list(self.scenarios)
            if self.scenarios:
                self.choice.value = list(self.scenarios)[-1]
                self._compare()
                self.status.value = _("{count} scenario(s) from the decision log.").format(count=len(found.scenarios))
            if found.skipped:
                skipped = _("Not reloaded (their goals differ from goals.yaml now): {names}")
                self.status.value += " " + _red(skipped.format(names=_(", ").join(found.skipped)))
            return found

    def _recording_text(self, members: Mapping[str, str]) -> str:
        if self.off_reason:
            return _red(self.off_reason)
        assert self.member is not None
        return _("Recording as {member} in {log}.").format(member=f"<b>{html.escape(members[self.member])}</b>",
                                                          log=f"<code>{html.escape(str(self.log.path))}</code>")

    def _log(self, kind: str, what: Mapping[str, Any], why: str | None) -> bool:
        """Append to the selection's decision log; False (and a message) without a member or a reason."""
        if self.off_reason or self.member is None:
            self.status.value = _red(self.off_reason)
            return False
        reason = (why if why is not None else self.why.value).strip()
        if not reason:
            self.status.value = _red(_("The decision log needs a reason: fill in Why."))
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
        with using(self.translator):
            name = name.strip()
            if not name:
                self.status.value = _red(_("Give the scenario a name first."))
                return False
            kept = {g: float(v) for g, v in (weights or self.panel.weights).items()}
            if record and not self._log("scenario_saved", {"scenario": name, "weights": kept}, why):
                return False
            self.scenarios[name] = kept
            self.choice.options = list(self.scenarios)
            self.choice.value = name
            self.status.value = _("Saved {name}.").format(name=f"<b>{html.escape(name)}</b>")
            self._compare()
            return True

    def apply(self, name: str | None, *, why: str | None = None) -> bool:
        """Put a saved scenario's weights on the sliders; log it as a ``weight_change``."""
        with using(self.translator):
            if not name or name not in self.scenarios:
                return False
            if not self._log("weight_change", {"scenario": name, "weights": self.scenarios[name]}, why):
                return False
            self.panel.set_weights(self.scenarios[name])
            self.status.value = _("Showing {name}.").format(name=f"<b>{html.escape(name)}</b>")
            return True

    def card(self, name: str) -> Scorecard:
        """The scorecard under a saved scenario's weights."""
        base = cast("Scorecard", self.panel.base)
        return base.with_goal_weights(self.scenarios[name])

    def comparison_frame(self) -> Any:
        """Goals' weights and each bid's total and rank per scenario, side by side (a DataFrame)."""
        import pandas as pd

        with using(self.translator):
            base = cast("Scorecard", self.panel.base)
            index = [*(_("weight: {goal}").format(goal=g) for g in base.goal_names),
                     *(_("total: {bid}").format(bid=b) for b in base.labels), _("winner")]
            labels = dict(zip(base.bid_ids, base.labels, strict=True))
            data: dict[str, list[Any]] = {}
            for name in self.scenarios:
                card = self.card(name)
                winner = labels.get(card.winner or "", _("tie for first"))
                data[name] = [*map(float, card.goal_weights), *map(float, card.totals), winner]
            return pd.DataFrame(data, index=index, dtype=object)

    def _compare(self) -> None:
        from crmselect.show import tables

        frame = self.comparison_frame()
        language = self.translator.language
        with using(self.translator):
            caption = _("Saved scenarios side by side")
        self.comparison.value = tables.to_html(frame, caption=caption, default_format="score",
                                               locale=None if language == "en" else language)

    def export(self, name: str | None, *, why: str | None = None) -> Path | None:
        """Write the chosen scenario's scorecard workbook (:func:`crmselect.excel.scorecard.export_scorecard`); log it.

        The workbook is the selection with the scenario's weights as goal points (summing to 100).
        """
        with using(self.translator):
            if not name or name not in self.scenarios:
                self.status.value = _red(_("Save and choose a scenario first."))
                return None
            exporter = self._exporter or _default_exporter()
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            safe = safe_filename(name)
            path = self.export_dir / f"scorecard-{safe}-{stamp}.xlsx"
            reason = why or _("export of {scenario}").format(scenario=name)
            if not self._log("scenario_exported", {"scenario": name, "file": path.name}, reason):
                return None
            self.export_dir.mkdir(parents=True, exist_ok=True)
            points = {goal: 100.0 * weight for goal, weight in self.scenarios[name].items()}
            exporter(self.project.with_selection(self.project.selection.with_weights(points)), path)
            self.status.value = _("Exported {name} to the selection's exports folder.").format(
                name=f"<b>{html.escape(name)}</b>")
            if path.is_file():  # the member's copy: a link holding the workbook itself
                self.download.value = download_link(path.read_bytes(), path.name, XLSX,
                                                    _("Save {file}").format(file=path.name),
                                                    hook="crmselect-download crmselect-export")
            return path

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def _default_exporter() -> Callable[[Project, Path], Any]:
    from crmselect.excel.scorecard import export_scorecard

    return export_scorecard
