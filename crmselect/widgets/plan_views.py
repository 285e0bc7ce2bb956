"""The Plan tab's pure pieces: the per-phase go-live chart (inline SVG) and the tables, as HTML strings.

No ipywidgets here.  Nothing is computed but percentiles of the draws a :class:`~crmselect.money.phase_risk.PlanResult`
holds, for drawing; every number comes from :func:`crmselect.money.phase_risk.plan_risk`.  Words are in the current
language (a panel calls these inside ``using(translator)``).
"""

from __future__ import annotations

import html
import json
import math
from typing import TYPE_CHECKING

import numpy as np

from crmselect.money.costs import DAYS_PER_MONTH
from crmselect.money.phase_risk import ROWS
from crmselect.show import formats, svg, tables
from crmselect.show.i18n import _

if TYPE_CHECKING:
    from crmselect.money.phase_risk import PlanResult
    from crmselect.money.tracking import TrackingResult

__all__ = ["comparison_html", "go_live_chart", "phases_html", "tracking_html"]

PHASE_BLUE = "#2b6cb0"  # phases in order: one colour, the order is the row order
BIG_BANG_GREY = "#8a8a8a"
PLANNED_MARK = "#222"
ROW = 30
LABEL_WIDTH = 190
LEGEND = 170


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def go_live_chart(result: PlanResult, *, width: int = 660) -> str:
    """Each phase's go-live in months after signature, phases in order top to bottom, then the big bang (grey): a
    bar from P10 to P90, a dot at P50 and a tick at the planned go-live; every mark has its tooltip."""
    language = _language()
    rows: list[tuple[str, str, float, tuple[float, float, float], str]] = []  # name, colour, planned, P10-50-90, key
    for k, phase in enumerate(result.plan.phases):
        draws = result.phase_go_live_days[:, k]
        rows.append((phase.name, PHASE_BLUE, result.schedule.phase_go_live_days[phase.id],
                     _quantiles(draws), phase.id))
    rows.append((_("big bang"), BIG_BANG_GREY, result.schedule.big_bang_go_live_days,
                 _quantiles(result.big_bang_go_live_days), "big_bang"))
    top, left, right = 10, LABEL_WIDTH, width - LEGEND
    bottom = top + ROW * len(rows)
    highest = max(max(r[3][2], r[2]) for r in rows) / DAYS_PER_MONTH
    ticks = svg.nice_ticks(0.0, highest if highest > 0 else 1.0, 5)
    x_max = ticks[-1] or 1.0
    height = bottom + 44

    def px(days: float) -> float:
        return left + days / DAYS_PER_MONTH / x_max * (right - left)

    def months(days: float) -> str:
        return formats.format_number(days / DAYS_PER_MONTH, language, digits=1)

    body = [f"<rect x='0' y='0' width='{width}' height='{height}' fill='white'/>"]
    for value in ticks:
        x = left + value / x_max * (right - left)
        body.append(f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='#e6e6e6'/>"
                    f"<text x='{x:.1f}' y='{bottom + 14}' text-anchor='middle' style='{svg.FONT}'>"
                    f"{_e(formats.format_number(value, language))}</text>")
    for k, (name, colour, planned, (p10, p50, p90), key) in enumerate(rows):
        y = top + k * ROW + ROW / 2
        shown = name if svg.text_width(name) <= LABEL_WIDTH - 12 else name[:22] + "…"
        tip = _("{phase}: go-live P10 {p10}, P50 {p50}, P90 {p90} months after signature; planned {planned}").format(
            phase=name, p10=months(p10), p50=months(p50), p90=months(p90), planned=months(planned))
        body.append(
            f"<g class='crmselect-plan-row' data-phase='{_e(key)}' data-p50-days='{p50!r}'><title>{_e(tip)}</title>"
            f"<text x='{left - 8}' y='{y + 4:.1f}' text-anchor='end' style='{svg.FONT}'>{_e(shown)}</text>"
            f"<rect x='{px(p10):.1f}' y='{y - 6:.1f}' width='{max(px(p90) - px(p10), 1.0):.1f}' height='12' "
            f"fill='{colour}' fill-opacity='0.35'/>"
            f"<circle cx='{px(p50):.1f}' cy='{y:.1f}' r='4.5' fill='{colour}'/>"
            f"<line x1='{px(planned):.1f}' y1='{y - 9:.1f}' x2='{px(planned):.1f}' y2='{y + 9:.1f}' "
            f"stroke='{PLANNED_MARK}' stroke-width='2'/></g>")
    axis_label = _("go-live, months after signature")  # outside the f-strings, so the catalogue extracts it
    title = _("Go-live of each phase")
    body.append(f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#444'/>"
                f"<text x='{(left + right) / 2:.1f}' y='{bottom + 32}' text-anchor='middle' style='{svg.FONT}'>"
                f"{_e(axis_label)}</text>")
    body += _legend(right + 14, top)
    return (f"<svg class='crmselect-chart crmselect-plan-chart' xmlns='http://www.w3.org/2000/svg' width='{width}' "
            f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='{_e(title)}' style='max-width:100%;height:auto;display:block'>"
            f"{''.join(body)}</svg>")


def _legend(left: float, top: float) -> list[str]:
    entries = [
        (f"<rect x='{left}' y='{top + 1}' width='18' height='10' fill='{PHASE_BLUE}' fill-opacity='0.35'/>",
         _("P10 to P90")),
        (f"<circle cx='{left + 9}' cy='{top + 24}' r='4.5' fill='{PHASE_BLUE}'/>", _("P50 (median)")),
        (f"<line x1='{left + 9}' y1='{top + 38}' x2='{left + 9}' y2='{top + 52}' stroke='{PLANNED_MARK}' "
         f"stroke-width='2'/>", _("planned")),
    ]
    return [f"{mark}<text x='{left + 24}' y='{top + 10 + 22 * k}' style='{svg.FONT}'>{_e(text)}</text>"
            for k, (mark, text) in enumerate(entries)]


def _quantiles(draws: np.ndarray) -> tuple[float, float, float]:
    p10, p50, p90 = np.percentile(draws, (10, 50, 90))
    return float(p10), float(p50), float(p90)


def _language() -> str:
    from crmselect.show.i18n import current

    return current().language


def phases_html(result: PlanResult) -> str:
    """The plan table: phases in order, their goals by name, effort, planned and P10/P50/P90 go-live (days after
    signature), as ``crmselect plan`` prints it; ``data-plan`` keeps the numbers for scripts and tests."""
    import pandas as pd

    frame = result.frame()
    shown = pd.DataFrame({
        _("name"): frame["name"], _("goals"): frame["goals"], _("effort (days)"): frame["effort_days"],
        _("planned go-live (days)"): frame["planned_go_live_days"],
        "P10": frame["P10"], "P50": frame["P50"], "P90": frame["P90"]})
    shown.index = pd.Index(range(1, len(frame) + 1), name=_("phase"))
    numeric = [_("effort (days)"), _("planned go-live (days)"), "P10", "P50", "P90"]
    caption = _("Roll-out plan for {label}: go-live in days after signature (planned, and P10/P50/P90 of {draws} "
                "draws, seed {seed})").format(label=result.label, draws=formats.format_number(
                    result.n, _language(), digits=0), seed=result.seed)
    table = tables.to_html(shown, caption=caption, formats=dict.fromkeys(numeric, "integer"), locale=_language())
    data = {str(pid): {"goals": list(result.plan.phase(str(pid)).goals), "effort_days": float(row["effort_days"]),
                       "planned_go_live_days": float(row["planned_go_live_days"]),
                       **{q: float(row[q]) for q in ("P10", "P50", "P90")}} for pid, row in frame.iterrows()}
    return (f"<div class='crmselect-plan-table' data-bid='{_e(result.bid_id)}' data-plan='{_e(json.dumps(data))}'>"
            f"{table}</div>")


def comparison_html(result: PlanResult, *, currency: str) -> str:
    """Phased against big bang at P10/P50/P90: first value and everything live (days); with prices ROI, NPV net of
    benefits and payback (months).  The money rows exist only when the result holds money (after the reveal)."""
    frame = result.comparison()
    language = _language()
    cells: dict[str, list[str]] = {}
    for key, row in frame.iterrows():
        quantity = str(key)
        values = []
        for value in row.to_numpy(dtype=float):
            if quantity == "roi":
                values.append(formats.format_percent(value, language))
            elif quantity == "net_npv":
                values.append(formats.format_money(value, currency, language, digits=0))
            elif quantity == "payback_months":
                values.append(_("never") if math.isnan(value) else formats.format_number(value, language, digits=1))
            else:
                values.append(formats.format_number(value, language, digits=0))
        cells[_(ROWS[quantity])] = values
    columns = [c.replace("phased", _("phased")).replace("big bang", _("big bang")) for c in frame.columns]
    head = "".join(f"<th style='white-space:nowrap;padding:2px 6px'>{_e(c)}</th>" for c in ["", *columns])
    body = "".join("<tr><th style='text-align:left;white-space:nowrap;padding:2px 6px'>" + _e(name) + "</th>"
                   + "".join(f"<td style='text-align:right;padding:2px 6px'>{_e(v)}</td>" for v in values) + "</tr>"
                   for name, values in cells.items())
    keys = _e(json.dumps(list(map(str, frame.index))))
    return (f"<table class='crmselect-table crmselect-plan-comparison' data-rows='{keys}' "
            f"style='font-family:sans-serif;font-size:12px;border-collapse:collapse'>"
            f"<caption style='text-align:left;font-weight:bold'>{_e(_('Phased against big bang'))}</caption>"
            f"<tr>{head}</tr>{body}</table>")


def tracking_html(result: PlanResult | None, tracked: TrackingResult, goal_names: dict[str, str],
                  phase_names: dict[str, str], *, prices_shown: bool, sealed_text: str) -> str:
    """Earned against expected per goal and phase at each recorded checkpoint; realised ROI against the forecast
    band once prices may be shown."""
    import pandas as pd

    del result  # the tracking part stands alone: the plan shown may be an unsaved edit
    language = _language()

    def money(value: float) -> str:
        return formats.format_number(value, language, digits=0)

    def ratio(value: float) -> str:
        return "-" if pd.isna(value) else formats.format_percent(value, language)

    parts = [f"<b>{_e(_('Tracking'))}</b>"]
    for row in tracked.go_lives:
        what = (_("whole roll-out") if row.phase == "whole" else phase_names.get(row.phase, row.phase))
        live = (_("not live yet") if row.actual is None else _("live on {date}, {late} days against the plan").format(
            date=row.actual.isoformat(), late=f"{row.late_days:+,.0f}"))
        sentence = _("Go-live, {what}: planned {days} days after signature; {actual}").format(
            what=what, days=money(row.planned_days), actual=live)
        parts.append(f"<div>{_e(sentence)}</div>")
    if not tracked.rows:
        parts.append(f"<div>{_e(_('No checkpoint recorded yet.'))}</div>")
        return "<div class='crmselect-plan-tracking' style='font-family:sans-serif;font-size:13px'>" + "".join(
            parts) + "</div>"
    goals = tracked.goals_frame().reset_index()
    frame = pd.DataFrame({
        _("checkpoint"): goals["checkpoint"], _("goal"): [goal_names.get(g, g) for g in goals["goal"]],
        _("earned to date"): goals["earned_to_date"].map(money),
        _("expected to date"): goals["expected_to_date"].map(money),
        _("earned / expected"): goals["earned_vs_expected"].map(ratio)}).set_index(_("checkpoint"))
    parts.append(tables.to_html(frame, caption=_("Earned against expected benefits per goal (to date: since "
                                                 "signature, undiscounted)")))
    if tracked.phased:
        phases = tracked.phases_frame().reset_index()
        parts.append(tables.to_html(pd.DataFrame({
            _("checkpoint"): phases["checkpoint"], _("phase"): [phase_names.get(p, p) for p in phases["phase"]],
            _("earned to date"): phases["earned_to_date"].map(money),
            _("expected to date"): phases["expected_to_date"].map(money)}).set_index(_("checkpoint")),
            caption=_("Per phase:")))
    if not prices_shown:
        parts.append(f"<p class='crmselect-sealed' style='margin:2px 0'>{_e(sealed_text)}</p>")
    elif tracked.roi:
        rows = {band.checkpoint: {
            _("earned to date"): money(band.earned_to_date), _("cost to date"): money(band.cost_to_date),
            _("realised ROI"): formats.format_percent(band.realised_roi, language),
            "P10": formats.format_percent(band.band[0], language),
            "P50": formats.format_percent(band.band[1], language),
            "P90": formats.format_percent(band.band[2], language)} for band in tracked.roi}
        shown = pd.DataFrame.from_dict(rows, orient="index")
        shown.index.name = _("checkpoint")
        parts.append(tables.to_html(shown, caption=_("Realised ROI to date against the forecast band")))
    return "<div class='crmselect-plan-tracking' style='font-family:sans-serif;font-size:13px'>" + "".join(
        parts) + "</div>"
