"""The dashboard's Plan tab: a phased roll-out for a bid, its per-phase go-live risk, and what phasing buys.

For a committee member who does not code: choose a bid (default: the one ranked first under the committee's
weights, and the panel says so), see the plan of ``phases.yaml`` (or, without one, the big bang: every goal at
once, said so), propose phases under an effort cap, move goals between phases, and save the plan to
``phases.yaml`` as ``crmselect plan --propose --write`` does: atomically, under the selection's lock, with a
``plan_written`` entry in the decision log naming the acting member.  An existing ``phases.yaml`` is replaced
only once the member ticks that they mean to (the dashboard's ``--force``).

Every number comes from :mod:`crmselect.money.phasing` and :func:`crmselect.money.phase_risk.plan_risk` (the
same calls as ``crmselect plan``, with :data:`PANEL_DRAWS` seeded draws so a control change stays fast); results
are cached per (bid, plan).  ROI, NPV and payback are computed only when prices may be shown (the panel's
:class:`~crmselect.record.envelopes.PriceAccess`); before the reveal the panel says they are sealed, as the
overview does.  When the selection has ``actuals.yaml`` a small Tracking part shows earned against expected
benefits (:mod:`crmselect.money.tracking`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from crmselect.errors import CrmSelectError
from crmselect.model.phases import Phase, PhasePlan
from crmselect.show.i18n import N_, Translator, _, current, using
from crmselect.widgets.base import ChartView, html_error
from crmselect.widgets.overview import SEALED
from crmselect.widgets.plan_views import comparison_html, go_live_chart, phases_html, tracking_html
from crmselect.widgets.scenarios import NO_KEY, RECORDING_OFF
from crmselect.widgets.wording import marker_text

if TYPE_CHECKING:
    from crmselect.evaluation import Evaluation
    from crmselect.money.phase_risk import PlanResult
    from crmselect.record.envelopes import PriceAccess
    from crmselect.record.signing import Signer

__all__ = ["PANEL_DRAWS", "PANEL_SEED", "PlanPanel"]

#: Draws behind the panel's go-live percentiles and money: fewer than ``crmselect plan``'s 20,000 so a control
#: change stays under 100 ms; seeded, so the same plan shows the same numbers (``crmselect plan --draws 4000``).
PANEL_DRAWS = 4_000
PANEL_SEED = 0
NOT_PLANNED = ""  # the dropdown value of a goal left out of every phase
DRAWS_NOTE = N_("Go-live percentiles from {draws} draws of the implementation-risk model (seed {seed}); "
                "`crmselect plan` uses 20,000 by default.")


def _red(text: str) -> str:
    return f"<span style='color:#b00'>{html.escape(text)}</span>"


class PlanPanel:
    """Bid chooser, proposal controls, plan table, go-live chart, phased-against-big-bang comparison, editor."""

    def __init__(self, evaluation: Evaluation, *, root: str | Path | None = None, member: str | None = None,
                 signer: Signer | None = None, prices: PriceAccess | None = None,
                 translator: Translator | None = None, draws: int = PANEL_DRAWS, seed: int = PANEL_SEED,
                 today: Callable[[], dt.date] = dt.date.today, lazy: bool = False) -> None:
        from crmselect.record.envelopes import price_access
        from crmselect.record.log import DecisionLog

        self.evaluation = evaluation
        self.project = evaluation.project
        self.root = Path(root) if root is not None else Path(self.project.root)
        self.member = member
        self.signer = signer
        self.translator = translator or current()
        self.prices = prices or price_access(self.project)
        self.draws, self.seed, self.today = draws, seed, today
        self.log = DecisionLog.for_project(self.project)
        self.goal_names = {g.id: g.name for g in self.project.selection.goals}
        self._results: dict[tuple[str, str], PlanResult] = {}
        self._proposals: dict[tuple[str, float, float], PhasePlan] = {}
        self._syncing = False
        self.result: PlanResult | None = None
        self.shown = False
        with using(self.translator):
            self.stored, self.stored_error = self._load_stored()
            self.plan = self.stored or self._big_bang()
            self.origin = "file" if self.stored is not None else "big_bang"
            self._build()
        if not lazy:
            self.show()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        card = self.evaluation.scorecard
        labels = dict(zip(card.bid_ids, card.labels, strict=True))
        self.recommended = card.winners[0] if len(card.winners) == 1 else None
        wide = {"description_width": "16em"}
        self.bid = w.Dropdown(options=[(labels.get(b.id, b.label), b.id) for b in self.project.bids],
                              value=self.recommended or self.project.bids[0].id, description=_("Bid"), style=wide,
                              layout=w.Layout(width="38em"))
        self.recommendation = w.HTML()
        self.source = w.HTML()
        self.cap = w.FloatSlider(value=1.0, min=1.0, max=2.0, step=1.0, readout_format=".0f",
                                 description=_("Effort cap (days a phase)"), continuous_update=False, style=wide,
                                 layout=w.Layout(width="44em"))
        self.overhead = w.BoundedFloatText(value=self.stored.overhead_days if self.stored else 0.0, min=0.0,
                                           max=365.0, step=5.0, description=_("Overhead (days a phase)"),
                                           style=wide, layout=w.Layout(width="24em"),
                                           tooltip=_("Calendar days each phase adds for its own test, cut-over and "
                                                     "training"))
        self.cap_note = w.HTML()
        self.propose_button = w.Button(description=_("Propose phases"), icon="magic", button_style="primary",
                                       layout=w.Layout(width="auto"),
                                       tooltip=_("The plan with the most expected discounted benefit over the "
                                                 "horizon, with no phase above the effort cap"))
        self.reset_button = w.Button(description=_("Back to the saved plan"), icon="undo",
                                     layout=w.Layout(width="auto"))
        self.sentence = w.HTML()
        self.table = w.HTML()
        self.chart = ChartView("crmselect-plan-chart-box")
        self.comparison = w.HTML()
        self.money = w.HTML()
        self.editor = w.VBox()
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.slots: list[tuple[str, str]] = []  # (phase id, name) in order, empty ones included
        self.add_phase_button = w.Button(description=_("Add a phase"), icon="plus", layout=w.Layout(width="auto"))
        self.problems = w.HTML()
        self.why = w.Text(placeholder=_("why this plan"), description=_("Why"), layout=w.Layout(width="30em"))
        self.replace = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto", display="none"),
                                  description=_("Replace the saved {file}").format(file="phases.yaml"))
        self.save_button = w.Button(description=_("Save plan"), icon="save", button_style="success",
                                    layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.recording = w.HTML(self._recording_text())
        self.save_button.disabled = bool(self.off_reason)
        if self.off_reason:
            self.save_button.tooltip = self.off_reason
        self.tracking = w.HTML()
        self.bid.observe(lambda _change: self._on_bid(), names="value")
        self.propose_button.on_click(lambda _button: self.propose())
        self.reset_button.on_click(lambda _button: self.reset())
        self.add_phase_button.on_click(lambda _button: self.add_phase())
        self.save_button.on_click(lambda _button: self.save())
        self.cap.observe(lambda _change: self._cap_moved(), names="value")
        heading = w.HTML("<h3 style='margin:4px 0'>" + html.escape(_("Roll-out plan")) + "</h3>")
        edit_title = w.HTML("<b>" + html.escape(_("Edit the plan: choose each goal's phase")) + "</b>")
        self.widget = w.VBox([
            heading, self.bid, self.recommendation, self.source,
            w.HBox([self.cap, self.overhead], layout=w.Layout(flex_flow="row wrap")), self.cap_note,
            w.HBox([self.propose_button, self.reset_button]),
            self.sentence, self.problems, self.table,
            self.chart.html, self.comparison, self.money,
            edit_title, self.editor, w.HBox([self.add_phase_button]),
            self.recording, w.HBox([self.why, self.replace, self.save_button],
                                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.status, self.tracking])
        self.widget.add_class("crmselect-plan")
        self._reset_cap()
        self._sync_editor()

    @property
    def off_reason(self) -> str:
        """Why the plan cannot be saved ("" when it can): no member named at launch, or a signing committee and no
        key."""
        if self.member is None:
            return _(RECORDING_OFF)
        if self.log.signed and self.signer is None:
            return _(NO_KEY).format(member=self.member)
        return ""

    def _recording_text(self) -> str:
        if self.off_reason:
            return _red(self.off_reason)
        names = {m.id: m.name for m in self.project.committee.members}
        return _("Saving as {member}: the plan goes to {file} and the decision log.").format(
            member=f"<b>{html.escape(names.get(str(self.member), str(self.member)))}</b>",
            file="<code>phases.yaml</code>")

    # ------------------------------------------------------------------ the plan and its source
    def _load_stored(self) -> tuple[PhasePlan | None, str]:
        from crmselect.files.phases import load_phase_plan

        try:
            return load_phase_plan(self.root, self.project.selection, [b.id for b in self.project.bids]), ""
        except CrmSelectError as error:
            return None, str(error)

    def _big_bang(self) -> PhasePlan:
        return PhasePlan.big_bang(self.project.selection, name=_("All goals (big bang)"))

    def _source_html(self) -> str:
        bid_label = self.project.bid(self.bid.value).label
        if self.origin == "file":
            text = _("The plan of phases.yaml in this selection, for {bid}.").format(bid=bid_label)
        elif self.origin == "proposal":
            text = _("Proposed for {bid}: the most expected discounted benefit over {years} years with at most {cap} "
                     "effort days a phase and {overhead} days of overhead each. Not saved yet.").format(
                bid=bid_label, years=self.project.selection.assumptions.horizon_years,
                cap=f"{self.plan.effort_cap_days or 0:,.0f}", overhead=f"{self.plan.overhead_days:g}")
        elif self.origin == "edited":
            text = _("Your edit of the plan, not saved yet.")
        else:
            text = _("This selection has no phases.yaml, so this is the big bang: every goal goes live at once. "
                     "Press \u201c{button}\u201d for a phased plan, or choose each goal's phase below.").format(
                button=_("Propose phases"))
        out = f"<div class='crmselect-plan-source' data-origin='{self.origin}'>{html.escape(text)}</div>"
        if self.stored_error:
            out += html_error(_("phases.yaml could not be used: {problems}").format(problems=self.stored_error))
        return out

    def _recommendation_html(self) -> str:
        chosen = str(self.bid.value)
        label = self.project.bid(chosen).label
        if self.recommended is None:
            text = _("There is no single recommended bid under the committee's weights; this is the plan for "
                     "{bid}.").format(bid=label)
        elif chosen == self.recommended:
            text = _("Plan for the recommended bid {bid}: ranked first under the committee's weights.").format(
                bid=label)
        else:
            text = _("Plan for {bid}, chosen here; the recommended bid is {recommended}.").format(
                bid=label, recommended=self.project.bid(self.recommended).label)
        return f"<div class='crmselect-plan-bid' data-bid='{html.escape(chosen)}'>{html.escape(text)}</div>"

    # ------------------------------------------------------------------ controls
    def _reset_cap(self) -> None:
        """The cap's range and default for the chosen bid: by default the effort of the largest single goal."""
        from crmselect.money.phasing import goal_efforts

        efforts = goal_efforts(self.project, self.bid.value, self.project.selection.assumptions)
        largest = max((efforts.alone(g) for g in self.project.selection.goal_ids), default=1.0)
        total = max(efforts.total_days, largest, 1.0)
        self._syncing = True
        try:
            self.cap.max = float(int(total) + 1)
            self.cap.min = 1.0
            self.cap.value = float(int(largest) + 1) if largest > int(largest) else max(largest, 1.0)
        finally:
            self._syncing = False
        self.default_cap = float(self.cap.value)
        self.cap_note.value = ("<div style='color:#555;font-size:12px'>" + html.escape(_(
            "Default cap: {cap} days, the effort the largest single goal needs for this bid, so every goal fits in a "
            "phase. Overhead 0 means a phase needs no test or cut-over time of its own; the proposal then tends to "
            "put goals one by one.").format(cap=f"{self.default_cap:,.0f}")) + "</div>")

    def _cap_moved(self) -> None:
        if self._syncing:
            return
        with using(self.translator):
            self.status.value = html.escape(_("Press \u201c{button}\u201d to plan with the new cap.").format(
                button=self.propose_button.description))

    def _on_bid(self) -> None:
        with using(self.translator):
            self._reset_cap()
        self.show()

    def propose(self) -> PhasePlan | None:
        """The proposal for the chosen bid under the cap and overhead (cached), shown and put in the editor."""
        from crmselect.money.phasing import propose_plan

        bid = str(self.bid.value)
        key = (bid, float(self.cap.value), float(self.overhead.value))
        with using(self.translator):
            try:
                if key not in self._proposals:
                    self._proposals[key] = propose_plan(
                        self.project, bid, effort_cap_days=key[1], overhead_days=key[2],
                        goal_scores=self.evaluation.technical_goal_scores[bid])
            except CrmSelectError as error:
                self.status.value = html_error(str(error))
                return None
            self.status.value = ""
        self.set_plan(self._proposals[key], "proposal")
        return self.plan

    def reset(self) -> None:
        """Back to the plan of phases.yaml (the big bang without one)."""
        with using(self.translator):
            self.set_plan(self.stored or self._big_bang(), "file" if self.stored is not None else "big_bang")

    def set_plan(self, plan: PhasePlan, origin: str) -> None:
        self.plan, self.origin = plan, origin
        self._sync_editor()
        with using(self.translator):
            self.problems.value = ""
            self.save_button.disabled = bool(self.off_reason)
        self.show()

    # ------------------------------------------------------------------ the editor
    def _sync_editor(self) -> None:
        """One dropdown per goal showing its phase in the current plan."""
        self.slots = [(p.id, p.name) for p in self.plan.phases]
        with using(self.translator):
            options = self._options()
            self._syncing = True
            try:
                if not self.dropdowns:
                    for goal in self.project.selection.goals:
                        dropdown = w.Dropdown(options=options, description=goal.name,
                                              description_allow_html=False, style={"description_width": "28em"},
                                              layout=w.Layout(width="48em"))
                        dropdown.observe(lambda _change: self._edited(), names="value")
                        self.dropdowns[goal.id] = dropdown
                    self.editor.children = tuple(self.dropdowns.values())
                for goal_id, dropdown in self.dropdowns.items():
                    dropdown.options = options
                    dropdown.value = self.plan.phase_of(goal_id).id if goal_id in self.plan.goal_ids else NOT_PLANNED
            finally:
                self._syncing = False

    def _options(self) -> list[tuple[str, str]]:
        return [*((name, pid) for pid, name in self.slots), (_("(in no phase)"), NOT_PLANNED)]

    def add_phase(self) -> None:
        """A new, empty phase at the end; choose goals for it in the dropdowns."""
        from crmselect.money.phasing import phase_names

        taken = {pid for pid, _name in self.slots}
        number = len(self.slots) + 1
        while f"phase_{number}" in taken:
            number += 1
        with using(self.translator):
            self.slots.append((f"phase_{number}", phase_names(number)[-1]))
            options = self._options()
        self._syncing = True
        try:
            for dropdown in self.dropdowns.values():
                value = dropdown.value
                dropdown.options = options
                dropdown.value = value
        finally:
            self._syncing = False
        self._edited()

    def _edited(self) -> None:
        if self._syncing:
            return
        with using(self.translator):
            plan, problems = self.editor_plan()
            self.problems.value = "".join(html_error(p) for p in problems) + self._empty_note()
            if plan is None:
                self.save_button.disabled = True
                return
            self.save_button.disabled = bool(self.off_reason)
        self.plan, self.origin = plan, "edited"
        self.show()

    def editor_plan(self) -> tuple[PhasePlan | None, list[str]]:
        """The plan the dropdowns describe (phases left with no goal are dropped), or None and every problem in
        words (a goal in no phase)."""
        chosen = {goal: dropdown.value for goal, dropdown in self.dropdowns.items()}
        problems = [_("{goal} is in no phase: each goal must go live in one phase.").format(goal=self.goal_names[g])
                    for g, pid in chosen.items() if pid == NOT_PLANNED]
        phases = []
        for pid, name in self.slots:
            goals = tuple(g for g in self.project.selection.goal_ids if chosen.get(g) == pid)
            if goals:
                phases.append(Phase(id=pid, name=name, goals=goals))
        if problems or not phases:
            return None, problems
        plan = PhasePlan(bid=str(self.bid.value), effort_cap_days=self.plan.effort_cap_days,
                         overhead_days=float(self.overhead.value), phases=tuple(phases))
        return plan, []

    def _empty_note(self) -> str:
        """The phases of the editor with no goal (left out of the plan), in words ("" when none)."""
        used = {dropdown.value for dropdown in self.dropdowns.values()}
        empty = [name for pid, name in self.slots if pid not in used]
        if not empty:
            return ""
        return ("<div style='color:#555'>" + html.escape(_("No goal chosen yet for {phases}: left out of the plan "
                                                            "until a goal is.").format(phases=_(", ").join(empty)))
                + "</div>")

    # ------------------------------------------------------------------ numbers and views
    def result_for(self, bid: str, plan: PhasePlan) -> PlanResult:
        """``plan_risk`` for (bid, plan), cached; prices only when they may be shown."""
        from crmselect.money.phase_risk import plan_risk

        key = (bid, plan.model_dump_json(exclude={"bid", "effort_cap_days"}))
        if key not in self._results:
            self._results[key] = plan_risk(self.project, bid, plan, n=self.draws, random_state=self.seed,
                                           goal_scores=self.evaluation.technical_goal_scores[bid],
                                           prices_visible=self.prices.visible)
        return self._results[key]

    def forget(self) -> None:
        """Drop the cached results and proposals (the next show computes again)."""
        self._results.clear()
        self._proposals.clear()

    def show(self) -> None:
        """Compute (cached) and redraw everything for the chosen bid and the current plan."""
        self.shown = True
        with using(self.translator):
            self.recommendation.value = self._recommendation_html()
            self.source.value = self._source_html()
            self.reset_button.layout.display = None if self.origin in ("proposal", "edited") else "none"
            try:
                result = self.result_for(str(self.bid.value), self.plan)
            except CrmSelectError as error:
                self.table.value = html_error(str(error))
                return
            self.result = result
            sentences = result.sentences()
            note = _(DRAWS_NOTE).format(draws=f"{result.n:,}", seed=result.seed)
            self.sentence.value = (f"<div class='crmselect-plan-sentence' title='{html.escape(note)}' "
                                   f"style='font-size:15px;margin:6px 0'>{html.escape(sentences[0])}</div>")
            self.table.value = phases_html(result)
            self.chart.draw(lambda: go_live_chart(result))
            currency = str(self.project.selection.currency)
            self.comparison.value = comparison_html(result, currency=currency)
            self.money.value = self._money_html(sentences)
            if not self.tracking.value:
                self.tracking.value = self._tracking_html()

    def ensure_shown(self) -> None:
        """Compute once, when the tab is first opened (a lazy panel)."""
        if not self.shown:
            self.show()

    def _money_html(self, sentences: list[str]) -> str:
        title = "<b>" + html.escape(_("ROI and payback, phased against big bang")) + "</b>"
        if not self.prices.visible:
            return (f"<div class='crmselect-plan-money crmselect-sealed' style='font-size:13px'>{title}"
                    f"<p style='margin:2px 0'>{html.escape(_(SEALED))}</p></div>")
        marked = marker_text(self.prices)
        marker = f"<div style='color:#b00;font-weight:bold'>{html.escape(marked)}</div>" if marked else ""
        return (f"<div class='crmselect-plan-money' style='font-size:13px'>{title}{marker}"
                f"<p style='margin:2px 0'>{html.escape(sentences[-1])}</p></div>")

    def _tracking_html(self) -> str:
        """The Tracking part when the selection has actuals.yaml ("" without one)."""
        from crmselect.files.actuals import ACTUALS_FILE, load_actuals, signature_date
        from crmselect.money.phasing import phase_schedule
        from crmselect.money.tracking import realised_roi, track

        if not (self.root / ACTUALS_FILE).exists():
            return ""
        plan = self.stored
        phases = None if plan is None else {g: plan.phase_of(g).id for g in self.project.selection.goal_ids}
        try:
            actuals = load_actuals(self.root, self.project, goal_phases=phases, today=self.today)
            if actuals is None:
                return ""
            signed = signature_date(actuals, self.project)
            planned = None if plan is None else dict(phase_schedule(self.project, actuals.bid, plan).goal_go_live_days)
            scores = self.evaluation.technical_goal_scores[actuals.bid]
            tracked = track(self.project, actuals, signed or dt.date.today(), goal_scores=scores,
                            goal_go_live_days=planned, goal_phases=phases)
            if self.prices.visible and tracked.rows:
                tracked = realised_roi(self.project, tracked, actuals, goal_scores=scores, goal_go_live_days=planned,
                                       n=self.draws, random_state=self.seed)
        except CrmSelectError as error:
            return html_error(_("actuals.yaml could not be used: {problems}").format(problems=str(error)))
        names = {} if plan is None else {p.id: p.name for p in plan.phases}
        return tracking_html(None, tracked, self.goal_names, names, prices_shown=self.prices.visible,
                             sealed_text=_("Realised ROI and its forecast band are sealed until prices are revealed."))

    # ------------------------------------------------------------------ saving
    def save(self, *, why: str | None = None) -> Path | None:
        """Write the current plan to phases.yaml (atomically, under the lock) and log it with the acting member."""
        from crmselect.files.phases import PHASES_FILE, PLAN_LOG_KIND, write_phase_plan
        from crmselect.files.safe_write import FileExistsErrorNoForce

        with using(self.translator):
            if self.off_reason or self.member is None:
                self.status.value = _red(self.off_reason)
                return None
            plan, problems = self.editor_plan()
            if plan is None:
                self.problems.value = "".join(html_error(p) for p in problems)
                self.status.value = _red(_("Nothing was saved: the plan has problems (above)."))
                return None
            exists = (self.root / PHASES_FILE).exists()
            if exists and not self.replace.value:
                self.replace.layout.display = None
                self.status.value = _red(_("phases.yaml exists already: tick \u201c{replace}\u201d and press "
                                           "\u201c{save}\u201d again to replace it.").format(
                    replace=self.replace.description, save=self.save_button.description))
                return None
            bid = str(self.bid.value)
            plan = plan.model_copy(update={"bid": bid})
            header = _("Roll-out plan saved on the dashboard's Plan tab for {bid}; edit it by hand if you like: each "
                       "goal in exactly one phase, phases in roll-out order (docs/PHASES.md).").format(bid=bid)
            try:
                written = write_phase_plan(self.root, plan, self.project.selection, overwrite=exists, header=header)
                reason = (why if why is not None else self.why.value).strip() or "roll-out plan saved on the dashboard"
                entry = self.log.append(PLAN_LOG_KIND, self.member, self._logged(plan, bid), reason, signer=self.signer)
            except FileExistsErrorNoForce:
                self.status.value = _red(_("phases.yaml appeared meanwhile: nothing was saved; tick \u201c{replace}"
                                           "\u201d and save again.").format(replace=self.replace.description))
                return None
            except CrmSelectError as error:
                self.status.value = html_error(str(error))
                return None
            self.stored, self.stored_error = plan, ""
            self.replace.value = False
            self.replace.layout.display = "none"
            self.status.value = html.escape(_("Saved {file} (decision log entry {entry}).").format(
                file=PHASES_FILE, entry=entry.seq))
            self.tracking.value = ""
        self.set_plan(plan, "file")
        return written

    @staticmethod
    def _logged(plan: PhasePlan, bid: str) -> Mapping[str, Any]:
        return {"file": "phases.yaml", "bid": bid, "effort_cap_days": plan.effort_cap_days,
                "overhead_days": plan.overhead_days,
                "phases": [{"id": p.id, "goals": list(p.goals)} for p in plan.phases]}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
