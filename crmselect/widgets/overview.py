"""The dashboard's first tab: the recommendation on one screen, following the weights on the Weights tab.

What a committee member needs before any detail: the winner and the runner-up with the margin between
them; how robust the choice is, in plain words (the chance of winning over random weightings, SMAA; the
tightest stability interval; the smallest change of the weights that flips the winner), with the
technical detail in tooltips (:mod:`crmselect.show.analyses`); the cost over the selection's horizon
(TCO and NPV per bid); the winner's top red flags with what to ask for; and the value for money: the
technical score against the NPV of cost with the efficient frontier (:func:`crmselect.money.price.frontier`,
drawn by :func:`crmselect.show.plots.frontier` in the vendors' colours).  Before the reveal no figure
derived from a price is computed for the page: it says the prices are sealed.

Nothing is computed here but which sentences to say: the numbers come from the scorecard the weights
panel shows (:meth:`Scorecard.with_goal_weights`), :mod:`crmselect.whatif` and the evaluation's TCO.
The sentences are the decision paper's own (:mod:`crmselect.report.summary`), so both say the same words.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import numpy as np

from crmselect.errors import AnalysisError
from crmselect.show import analyses, formats, style, tables
from crmselect.show.i18n import N_, Translator, _, current, using
from crmselect.widgets.base import html_error
from crmselect.widgets.downloads import PDF, download_link, safe_filename
from crmselect.widgets.wording import knockout_text, label, marker_text

if TYPE_CHECKING:
    from crmselect.checks.report import Finding
    from crmselect.evaluation import Evaluation
    from crmselect.record.envelopes import PriceAccess
    from crmselect.scoring.engine import Scorecard
    from crmselect.whatif.smaa_results import SmaaResult
    from crmselect.widgets.weights import WeightsPanel

__all__ = ["OverviewPanel", "robustness_word"]

TOP_FLAGS = 3
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
#: The SMAA run behind "chance of winning": the decision paper's samples and seed, so both show the same shares.
SMAA_SAMPLES = 20_000
SMAA_SEED = 0
SEALED = N_("Prices are sealed until the committee reveals them in the decision log: no cost, NPV or value-for-money "
            "figure is shown yet.")


def robustness_word(chance: float) -> str:
    """The winner's SMAA chance of winning in words: robust (at least 75 %), fairly robust (50 %), fragile."""
    if chance >= 0.75:
        return _("robust")
    if chance >= 0.5:
        return _("fairly robust")
    return _("fragile")


def _tip(text: str, tooltip: str) -> str:
    """``text`` (HTML) with ``tooltip`` (plain text) shown on hover, marked by a dotted underline."""
    return (f"<span class='crmselect-tip' title='{html.escape(tooltip)}' "
            f"style='border-bottom:1px dotted #777;cursor:help'>{text}</span>")


def _bold(text: str) -> str:
    return f"<b>{html.escape(text)}</b>"


class OverviewPanel:
    """The recommendation under the current weights, its robustness, cost, red flags and value for money.

    ``weights`` (a :class:`~crmselect.widgets.weights.WeightsPanel`): the overview follows its sliders.
    ``prices``: whether price figures may be shown (default: the decision log's
    :func:`~crmselect.record.envelopes.price_access`).  ``paper_language``: the language of the decision
    paper the download button makes (default: the panel's).
    """

    def __init__(self, evaluation: Evaluation, *, weights: WeightsPanel | None = None,
                 prices: PriceAccess | None = None, translator: Translator | None = None,
                 paper_language: str | None = None) -> None:
        from crmselect.record.envelopes import price_access

        self.evaluation = evaluation
        self.project = evaluation.project
        self.translator = translator or getattr(weights, "translator", None) or current()
        self.prices = prices or price_access(self.project)
        self.paper_language = paper_language or self.translator.language
        self._technical: Scorecard | None = None  # the scorecard without price criteria, for the frontier
        self._chart_stale = True
        self.card = weights.card if weights is not None else evaluation.scorecard
        with using(self.translator):
            self._build()
        if weights is not None:
            weights.on_change(lambda panel: self.show(panel.card))

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        card = self.evaluation.scorecard
        self.smaa: SmaaResult | None = None
        try:
            from crmselect.whatif.acceptability import smaa

            self.smaa = smaa(card, n=SMAA_SAMPLES, random_state=SMAA_SEED)
        except AnalysisError:  # fewer than two eligible bids: no chance to share
            self.smaa = None
        self.decision = w.HTML()
        self.robustness = w.HTML()
        self.money = w.HTML()
        self.flags = w.HTML()
        self.knockouts = w.HTML()
        # the value-for-money chart: SVG at its drawn size (never squeezed), hidden until drawn, in the vendors'
        # colours and the selection's currency
        self.chart: w.HTML | None = None
        self.look = style.Look(style.vendor_palette(card.vendor_ids, card.labels, card.bid_ids),
                               str(self.project.selection.currency))
        money_parts: list[w.Widget] = [self.money]
        if self.prices.visible:
            self.chart = w.HTML(layout=w.Layout(display="none", flex="0 0 auto"))
            self.chart.add_class("crmselect-frontier")
            money_parts.append(self.chart)
        self.paper_button = w.Button(
            description=_("Download decision paper"), icon="file-pdf-o", layout=w.Layout(width="auto"),
            tooltip=_("The decision paper (PDF) with the committee's weights from goals.yaml; prices stay sealed "
                      "until the reveal."))
        self.paper_link = w.HTML()
        self.paper_button.on_click(lambda _button: self.make_paper())
        heading = w.HTML("<h3 style='margin:4px 0'>" + html.escape(_("Overview")) + "</h3>")
        left = w.VBox([self.decision, self.robustness, self.flags, self.knockouts],
                      layout=w.Layout(max_width="46em", margin="0 24px 0 0"))
        right = w.VBox(money_parts, layout=w.Layout(max_width="700px"))
        self.widget = w.VBox([heading, w.HBox([left, right], layout=w.Layout(flex_flow="row wrap")),
                              w.HBox([self.paper_button, self.paper_link],
                                     layout=w.Layout(align_items="center", margin="8px 0"))])
        self.widget.add_class("crmselect-overview-panel")
        self.show(self.card)

    # ------------------------------------------------------------------ updates
    def show(self, card: Scorecard) -> None:
        """Say everything again for ``card`` (the weights panel's scorecard after a slider move)."""
        self.card = card
        self._chart_stale = True
        with using(self.translator):
            self.decision.value = self._decision_html(card)
            self.robustness.value = self._robustness_html(card)
            self.flags.value = self._flags_html(card)
            self.knockouts.value = self._knockouts_html(card)
            self.money.value = self._money_html(card)
        if self.visible:
            self.draw_chart()

    #: set by the dashboard: True while the Overview tab is the one shown (the chart is drawn only when seen)
    visible = True

    def draw_chart(self) -> None:
        """Draw the value-for-money chart for the current weights, unless it is already up to date."""
        chart = self.chart
        if chart is None or not self._chart_stale:
            return
        self._chart_stale = False
        with using(self.translator):
            try:
                shown = self.frontier(self.card)
            except AnalysisError as error:
                self.money.value += html_error(str(error))
                return
            with style.look(palette=self.look.palette, currency=self.look.currency):
                chart.value = shown.svg(width=640, height=360)
            chart.layout.display = None

    def frontier(self, card: Scorecard) -> Any:
        """The eligible bids' technical score under ``card``'s goal weights against their NPV of cost."""
        from crmselect.money.price import frontier

        technical = self._technical_card().with_goal_weights(
            dict(zip(card.goal_ids, map(float, card.goal_weights), strict=True)))
        eligible = [bid for bid, ok in zip(card.bid_ids, card.eligible, strict=True) if ok]
        npvs = self.evaluation.tco.npvs()
        totals = dict(zip(technical.bid_ids, map(float, technical.totals), strict=True))
        labels = dict(zip(card.bid_ids, card.labels, strict=True))
        return frontier({bid: npvs[bid] for bid in eligible}, {bid: totals[bid] for bid in eligible}, labels)

    def _technical_card(self) -> Scorecard:
        """The scorecard with every price criterion left out (the technical score the frontier plots)."""
        if self._technical is None:
            base = self.evaluation.scorecard
            if base.prices_hidden:
                self._technical = base
            else:
                from crmselect.evaluation import evaluate

                self._technical = evaluate(self.project, reveal_prices=False,
                                           price_method=self.evaluation.price_method,
                                           ignore=self.evaluation.checks.ignored,
                                           assumptions=self.evaluation.assumptions).scorecard
        return self._technical

    # ------------------------------------------------------------------ the parts
    def _ranked(self, card: Scorecard) -> list[int]:
        eligible = np.asarray(card.eligible, dtype=bool)
        ranks = np.asarray(card.ranks, dtype=float)
        totals = np.asarray(card.totals, dtype=float)
        return sorted((i for i in range(len(card.bid_ids)) if eligible[i]), key=lambda i: (ranks[i], -totals[i]))

    def _committee_weights(self, card: Scorecard) -> bool:
        return bool(np.allclose(card.goal_weights, self.evaluation.scorecard.goal_weights, atol=1e-9))

    def _score(self, value: float) -> str:
        return formats.format_number(value, self.translator.language, digits=3)

    def _percent(self, value: float, digits: int = 1) -> str:
        return formats.format_percent(value, self.translator.language, digits=digits)

    def _decision_html(self, card: Scorecard) -> str:
        ranked = self._ranked(card)
        totals = np.asarray(card.totals, dtype=float)
        whose = (_("With the committee's weights from goals.yaml.") if self._committee_weights(card) else
                 _("With the weights now set on the Weights tab (not the committee's)."))
        winner_id = runner_id = ""
        margin = math.nan
        if not ranked:
            text = html.escape(_("No bid can be recommended: every bid is knocked out by a must-have requirement. "
                                 "The knock-outs and their reasons are listed below."))
        elif len(ranked) == 1:
            winner_id = card.bid_ids[ranked[0]]
            text = _("Recommended: {winner}, the only bid that passes every must-have requirement (total score "
                     "{total} of 1).").format(winner=_bold(card.labels[ranked[0]]),
                                              total=self._score(totals[ranked[0]]))
        elif len(card.winners) > 1:
            tied = _(", ").join(card.labels[card.bid_ids.index(b)] for b in card.winners)
            text = _("No single recommendation: {bids} tie for first place (total score {total} of 1). The "
                     "committee decides between them.").format(bids=_bold(tied), total=self._score(totals[ranked[0]]))
            margin = 0.0
        else:
            first, second = ranked[0], ranked[1]
            winner_id, runner_id = card.bid_ids[first], card.bid_ids[second]
            margin = float(totals[first] - totals[second])
            share = margin / totals[first] if totals[first] > 0 else math.nan
            text = _("Recommended: {winner}, total score {total} of 1. Runner-up: {runner}, {runner_total}. "
                     "Margin: {margin} points ({share} of the winner's total).").format(
                winner=_bold(card.labels[first]), total=self._score(totals[first]),
                runner=_bold(card.labels[second]), runner_total=self._score(totals[second]),
                margin=f"<b class='crmselect-margin'>{html.escape(self._score(margin))}</b>",
                share=html.escape(self._percent(share)))
        data = (f"data-winner='{html.escape(winner_id)}' data-runner-up='{html.escape(runner_id)}' "
                f"data-margin='{'' if math.isnan(margin) else repr(margin)}'")
        return (f"<div id='crmselect-overview' class='crmselect-overview' {data} "
                f"style='font-family:sans-serif;font-size:15px;line-height:1.5'>"
                f"<div>{text}</div><div style='color:#555;font-size:12px'>{html.escape(whose)}</div></div>")

    def _robustness_html(self, card: Scorecard) -> str:
        from crmselect.whatif.sensitivity import min_flips, stability

        title = "<b>" + html.escape(_("How robust is the choice?")) + "</b>"
        if len(card.winners) != 1 or sum(bool(x) for x in card.eligible) < 2:
            return _section(title, [html.escape(_("There is no single winner to test."))])
        sentences = []
        winner = card.labels[card.bid_ids.index(card.winners[0])]
        if self.smaa is not None:
            first = dict(zip(self.smaa.labels, map(float, self.smaa.first_rank), strict=True))
            chance = first.get(winner, 0.0)
            rivals = sorted(((p, name) for name, p in first.items() if name != winner and p >= 0.0005), reverse=True)
            verdict = _("{winner} is {verdict}: it comes first under {chance} of all possible weightings of the "
                        "goals.").format(winner=_bold(winner), verdict=_bold(robustness_word(chance)),
                                         chance=_bold(self._percent(chance)))
            if rivals:
                verdict += " " + _("Next: {rivals}.").format(rivals=html.escape(_(", ").join(
                    _("{bid} {chance}").format(bid=name, chance=self._percent(p)) for p, name in rivals[:3])))
            detail = _("{note} ({count} sets of goal weights drawn at random, every weighting equally likely; "
                       "seed {seed}.)").format(note=analyses.note("smaa"),
                                               count=formats.format_number(self.smaa.n, self.translator.language,
                                                                           digits=0), seed=SMAA_SEED)
            sentences.append(_tip(verdict, detail))
        try:
            intervals, flips = stability(card), min_flips(card)
        except AnalysisError as error:
            sentences.append(html.escape(str(error)))
            return _section(title, sentences)
        room = [min(wt - lo, hi - wt) for wt, lo, hi in zip(intervals.weights, intervals.winner_lo,
                                                              intervals.winner_hi, strict=True)]
        tight = min(range(len(room)), key=lambda j: room[j])
        tightest = _("{winner} stays first while each goal's weight stays within its stability interval; the tightest "
                     "is {goal}: weight {weight} now, {winner} first from {lo} to {hi}.").format(
            winner=winner, goal=intervals.goals[tight], weight=self._percent(intervals.weights[tight]),
            lo=self._percent(intervals.winner_lo[tight]), hi=self._percent(intervals.winner_hi[tight]))
        sentences.append(_tip(html.escape(tightest), analyses.note("stability")))
        nearest = next((flip for flip in flips.flips if flip.feasible), None)
        if nearest is not None:
            flip = _("The smallest change of the weights that lets {challenger} catch up moves {moved} of the total "
                     "weight between goals.").format(challenger=nearest.challenger,
                                                      moved=self._percent(nearest.distance / 2))
            sentences.append(_tip(html.escape(flip), analyses.note("min_flip")))
        return _section(title, sentences)

    def _flags_html(self, card: Scorecard) -> str:
        title = "<b>" + html.escape(_("Red flags")) + "</b>"
        if len(card.winners) != 1:
            return ""
        winner = card.winners[0]
        name = card.labels[card.bid_ids.index(winner)]
        findings: Sequence[Finding] = sorted(self.evaluation.checks.findings(winner),
                                             key=lambda f: SEVERITY_ORDER.get(f.severity.value, 3))
        if not findings:
            return _section(title, [html.escape(_("Red flags of {winner}: none in its SLA and contract.").format(
                winner=name))])
        lead = html.escape(_("Top red flags of {winner} ({count} findings in all), and what to ask for in "
                             "negotiation:").format(winner=name, count=len(findings)))
        items = []
        for finding in findings[:TOP_FLAGS]:
            severity = finding.severity.value
            colour = {"high": "#b00020", "medium": "#b35900"}.get(severity, "#555")
            items.append(f"<li><span style='color:{colour};font-weight:bold'>{html.escape(label(severity))}</span> "
                         + html.escape(_("{title}. Ask for: {lever}").format(title=finding.title,
                                                                               lever=finding.lever)) + "</li>")
        return _section(title, [lead + "<ul style='margin:2px 0 0 0;padding-left:1.2em'>" + "".join(items)
                                + "</ul>"])

    def _knockouts_html(self, card: Scorecard) -> str:
        if not card.knockouts:
            return ""
        title = "<b>" + html.escape(_("Knocked out")) + "</b>"
        return _section(title, [html.escape(knockout_text(k)) for k in card.knockouts])

    def _money_html(self, card: Scorecard) -> str:
        title = "<b>" + html.escape(_("Cost and value for money")) + "</b>"
        if not self.prices.visible:
            return (f"<div class='crmselect-overview-money crmselect-sealed' style='font-family:sans-serif;"
                    f"font-size:13px;max-width:40em'>{title}<p style='margin:2px 0'>"
                    f"{html.escape(_(SEALED))}</p></div>")
        import pandas as pd

        comparison = self.evaluation.tco
        ranked = self._ranked(card)
        first = comparison.results[0]
        tco, npv = _("TCO"), _("NPV of cost")
        frame = pd.DataFrame(
            {tco: [float(comparison[card.bid_ids[i]].total) for i in ranked],
             npv: [float(comparison[card.bid_ids[i]].npv) for i in ranked]},
            index=pd.Index([card.labels[i] for i in ranked], name=_("Bid")))
        caption = _("Cost over {years} years: TCO and NPV of cost at {rate} % a year").format(
            years=first.horizon_years, rate=formats.format_number(first.discount_rate_pct, self.translator.language,
                                                                  digits=1).rstrip("0").rstrip("."))
        marked = marker_text(self.prices)
        marker = f"<div style='color:#b00;font-weight:bold'>{html.escape(marked)}</div>" if marked else ""
        table = tables.to_html(frame, caption=caption, formats={tco: "money", npv: "money"},
                               locale=self.translator.language, currency=str(self.project.selection.currency))
        return (f"<div class='crmselect-overview-money' style='font-family:sans-serif;font-size:13px'>{title}"
                f"{marker}{table}</div>")

    # ------------------------------------------------------------------ the decision paper
    def make_paper(self) -> bytes | None:
        """Make the decision paper (PDF, :func:`crmselect.report.build_report`) and offer it as a download."""
        from crmselect.report import build_report

        with using(self.translator):
            self.paper_button.disabled = True
            self.paper_link.value = html.escape(_("Making the decision paper…"))
            try:
                data = build_report(self.project, "pdf", lang=self.paper_language)
            except Exception as error:  # shown to the committee, not swallowed
                self.paper_link.value = html_error(str(error))
                return None
            finally:
                self.paper_button.disabled = False
            name = self.project.settings.name if self.project.settings is not None else self.project.root.name
            filename = f"decision-paper-{safe_filename(str(name))}.pdf"
            self.paper_link.value = download_link(data, filename, PDF, _("Save {file}").format(file=filename),
                                                  hook="crmselect-download crmselect-paper")
            return data

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]


def _section(title: str, sentences: Sequence[str]) -> str:
    body = "".join(f"<p style='margin:2px 0'>{sentence}</p>" for sentence in sentences)
    return f"<div style='font-family:sans-serif;font-size:13px;margin:8px 0'>{title}{body}</div>"
