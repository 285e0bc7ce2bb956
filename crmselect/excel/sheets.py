"""Scorecard sheets that explain and record: Committee, Sensitivity, Decision log and About.

The Committee sheet recomputes each demo's statistics with live formulas (count, mean, median,
trimmed mean, range, spread, the value used and the disagreement flag) from the members' scores.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from typing import TYPE_CHECKING

import numpy as np

from crmselect.excel.book import Book, ScorecardData, Sensitivity
from crmselect.excel.scorecard_words import (
    aggregation,
    column,
    literal,
    number,
    role,
    sealed,
    weight_model,
)
from crmselect.excel.scores import WEIGHTS, colour_scale, letter
from crmselect.excel.style import fit_rows, print_setup, title, widths
from crmselect.show.i18n import N_, _
from crmselect.words import (
    entry_kind,
    marker_text,
    seal_warning_text,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

COMMITTEE, SENSITIVITY, LOG, ABOUT = "Committee", "Sensitivity", "Decision log", "About"
STATS = (N_("Scores given"), N_("Mean"), N_("Median"), N_("Trimmed mean"), N_("Lowest"), N_("Highest"), N_("Range"),
         N_("Spread (SD)"))


def write_committee(book: Book, data: ScorecardData) -> Worksheet:
    committee = data.project.committee
    summary = data.scorecard.committee
    names = {v.id: v.name for v in data.project.vendors}
    scenarios = {s.id: s for s in committee.scenarios}
    ws = book.sheet(COMMITTEE)
    members = list(summary.member_ids)
    m_count = len(members)
    method = aggregation(summary.aggregation)
    title(ws, _("Committee: every member's demo scores, their spread, and where the members disagree"), book.styles,
          _("Aggregate: {aggregation}; a range of {threshold} points or more ({pct}% of the 0-5 scale) is a "
            "disagreement to discuss. A consensus override replaces the aggregate and carries its reason.").format(
              aggregation=method, threshold=number(summary.threshold), pct=number(summary.disagreement_pct)))
    w = _("undefined") if np.isnan(summary.kendall_w) else number(summary.kendall_w, 3)
    book.text(ws, 3, 1, _("Agreement across members (Kendall's W over {count} members' vendor rankings, "
                          "1 = full agreement): {w}").format(count=len(summary.w_members), w=w))
    head = 5
    first_member = 5
    stats_col = first_member + m_count
    aggregate_col = stats_col + len(STATS)
    labels = [_("Vendor"), _("Scenario ID"), _("Scenario"), _("Criterion"), *members, *[_(s) for s in STATS],
              _("Aggregate ({aggregation})").format(aggregation=method), _("Consensus override"), _("Reason"),
              _("Value used"), _("Disagreement")]
    book.header(ws, head, labels)
    yes = literal(_("yes"))
    col = {name: aggregate_col + i for i, name in enumerate(("aggregate", "override", "reason", "value", "flag"))}
    for i, stats in enumerate(summary.stats):
        row = head + 1 + i
        v = summary.vendor_ids.index(stats["vendor"])
        s = summary.scenario_ids.index(stats["scenario"])
        book.text(ws, row, 1, names.get(stats["vendor"], stats["vendor"]))
        book.text(ws, row, 2, stats["scenario"])
        book.text(ws, row, 3, scenarios[stats["scenario"]].name)
        book.text(ws, row, 4, stats["criterion"])
        for m in range(m_count):
            book.value(ws, row, first_member + m, float(summary.scores[m, v, s]), "0.0")
        cells = f"{letter(first_member)}{row}:{letter(stats_col - 1)}{row}"
        empty = f"COUNT({cells})=0"
        trim = 2 * summary.trim_pct / 100.0
        formulas = [
            (f"=COUNT({cells})", stats["n"]),
            (f'=IF({empty},"",AVERAGE({cells}))', stats["mean"]),
            (f'=IF({empty},"",MEDIAN({cells}))', stats["median"]),
            (f'=IF({empty},"",TRIMMEAN({cells},{trim!r}))', stats["trimmed_mean"]),
            (f'=IF({empty},"",MIN({cells}))', stats["min"]),
            (f'=IF({empty},"",MAX({cells}))', stats["max"]),
            (f'=IF({empty},"",MAX({cells})-MIN({cells}))', stats["range"]),
            (f'=IF({empty},"",STDEVP({cells}))', stats["std"]),
        ]
        for offset, (formula, expected) in enumerate(formulas):
            book.formula(ws, row, stats_col + offset, formula, expected, "0" if offset == 0 else "0.00")
        pick = {"mean": 1, "median": 2, "trimmed_mean": 3}.get(summary.aggregation, 1)
        book.formula(ws, row, col["aggregate"], f"={letter(stats_col + pick)}{row}", stats["aggregate"], "0.00")
        book.value(ws, row, col["override"], stats["override"], "0.0")
        book.text(ws, row, col["reason"], stats["override_reason"])
        override = f"{letter(col['override'])}{row}"
        book.formula(ws, row, col["value"], f'=IF({override}="",{letter(col["aggregate"])}{row},{override})',
                     stats["value"], "0.00").font = book.styles.bold
        spread = f"{letter(stats_col + 6)}{row}"
        book.formula(ws, row, col["flag"], f'=IF({empty},"",IF({spread}>={summary.threshold!r}-1E-9,{yes},""))',
                     _("yes") if stats["disagreement"] else "")
    last = head + len(summary.stats)
    if summary.stats:
        colour_scale(ws, f"{letter(first_member)}{head + 1}:{letter(stats_col - 1)}{last}", 0, 5)
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill

        rule = CellIsRule(  # type: ignore[no-untyped-call]
            operator="equal", formula=[yes], fill=PatternFill("solid", start_color="FFC7CE"))
        ws.conditional_formatting.add(f"{letter(col['flag'])}{head + 1}:{letter(col['flag'])}{last}", rule)
    row = last + 2
    book.band(ws, row, _("Members"), 4)
    for member in committee.members:
        row += 1
        book.text(ws, row, 1, member.id)
        book.text(ws, row, 2, member.name)
        book.text(ws, row, 3, role(member.role.value))
    if summary.missing:
        row += 2
        book.band(ws, row, _("Scores not given ({count}); nothing is dropped silently").format(
            count=len(summary.missing)), 4)
        for missing in summary.missing:
            row += 1
            book.text(ws, row, 1, _("{member} gave no score for {vendor} / {scenario}").format(
                member=missing.member_name or missing.member, vendor=missing.vendor_name or missing.vendor,
                scenario=missing.scenario_name or missing.scenario))
    widths(ws, {"A": 22, "B": 12, "C": 28, "D": 10, letter(col["reason"]): 40})
    for m in range(m_count + len(STATS)):
        widths(ws, {letter(first_member + m): 10})
    fit_rows(ws, [head])
    ws.freeze_panes = f"E{head + 1}"
    print_setup(ws, title_rows=f"{head}:{head}")
    return ws


def write_sensitivity(book: Book, sensitivity: Sensitivity) -> Worksheet:
    ws = book.sheet(SENSITIVITY)
    stab, smaa = sensitivity.stability, sensitivity.smaa
    title(ws, _("Sensitivity: how far the weights can move before the ranking changes"), book.styles,
          _("Computed by crmselect at the committee's weights (these tables do not follow edits on the {weights} "
            "sheet).").format(weights=book.title_of(WEIGHTS)))
    book.text(ws, 4, 1, _("Stability intervals: each goal's weight moves alone, the others share the rest in "
                          "proportion. Winner: {winner}").format(winner=stab.winner)).font = book.styles.bold
    frame = stab.frame()
    book.header(ws, 5, [_("Goal"), *[column(str(c)) for c in frame.columns]])
    for i, (goal, values) in enumerate(frame.iterrows()):
        row = 6 + i
        book.text(ws, row, 1, goal)
        for c, value in enumerate(values.tolist()):
            if isinstance(value, str):
                book.text(ws, row, 2 + c, column(value))
            else:
                book.value(ws, row, 2 + c, float(value), "0.0%")
    top = 6 + len(frame) + 2
    table = smaa.frame()
    heading = _("SMAA-2: how often each bid takes each rank when the goal weights are drawn at random "
                "({model}, {samples} samples, seed {seed})").format(
        model=weight_model(smaa.weight_model), samples=number(sensitivity.samples), seed=sensitivity.seed)
    book.text(ws, top, 1, heading).font = book.styles.bold
    book.header(ws, top + 1, [_("Bid"), *[column(str(c)) for c in table.columns]])
    for i, (label, values) in enumerate(table.iterrows()):
        row = top + 2 + i
        book.text(ws, row, 1, label)
        for c, value in enumerate(values.tolist()):
            name = str(table.columns[c])
            fmt = "0" if name == "base rank" else "0.0%" if name.startswith("rank") else "0.00"
            book.value(ws, row, 2 + c, float(value), fmt)
    ranks = len(smaa.labels)
    if ranks:
        colour_scale(ws, f"B{top + 2}:{letter(1 + ranks)}{top + 1 + ranks}")
    widths(ws, {"A": 40})
    for c in range(2, 2 + max(len(frame.columns), len(table.columns))):
        widths(ws, {letter(c): 14})
    for c, name in enumerate(frame.columns):  # "passed by <bid>" needs room, in either language
        if frame[name].map(lambda v: isinstance(v, str)).any():
            widths(ws, {letter(2 + c): 30})
    fit_rows(ws, [5, top + 1])
    print_setup(ws)
    return ws


def write_log(book: Book, data: ScorecardData) -> Worksheet:
    ws = book.sheet(LOG)
    title(ws, _("Decision log: weight changes, consensus overrides, locks and the price reveal"), book.styles,
          data.log_status)
    book.header(ws, 4, ["#", _("When (UTC)"), _("Who"), _("What kind"), _("What"), _("Why"), _("Hash")])
    for i, entry in enumerate(data.log_entries):
        row = 5 + i
        book.value(ws, row, 1, entry.seq)
        book.text(ws, row, 2, entry.timestamp)
        book.text(ws, row, 3, entry.who)
        book.text(ws, row, 4, entry_kind(entry.kind))
        book.text(ws, row, 5, json.dumps(entry.what, ensure_ascii=False, sort_keys=True)).alignment = book.styles.wrap
        book.text(ws, row, 6, entry.why).alignment = book.styles.wrap
        book.text(ws, row, 7, entry.hash[:16])
    widths(ws, {"A": 5, "B": 22, "C": 16, "D": 14, "E": 50, "F": 50, "G": 18})
    fit_rows(ws, range(4, 5 + len(data.log_entries)))
    ws.freeze_panes = "A5"
    print_setup(ws, title_rows="4:4")
    return ws


def write_about(book: Book, data: ScorecardData, sheets: list[str]) -> Worksheet:
    import openpyxl

    import crmselect

    project, card = data.project, data.scorecard
    ws = book.sheet(ABOUT)
    title(ws, _("About this workbook: {name}").format(name=project.selection.name), book.styles,
          project.selection.company)
    rows: list[tuple[str, str]] = [
        (_("Written"), dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()),
        (_("By"), f"crmselect {crmselect.__version__}, openpyxl {openpyxl.__version__}, "
                  f"Python {platform.python_version()}"),
        (_("Selection folder"), str(project.root)),
        (_("Future releases measured from"), card.reference_date.isoformat()),
        (_("Prices"), _("hidden until the technical scoring is locked and prices are revealed") if card.prices_hidden
         else _("revealed: price criteria count")),
        (_("Price figures (TCO, NPV)"), marker_text(data.prices) or (_("revealed") if data.prices.revealed else
                                                                      sealed())),
        (_("Seal"), seal_warning_text(data.seal) or _("the technical inputs match the committee's seal (or nothing "
                                                      "is locked yet)")),
        (_("Sheets"), _(", ").join(sheets)),
        (_("Left out"), "; ".join(data.left_out) or _("nothing")),
        (_("How to use"), _("Change the yellow goal points on the {weights} sheet: criterion weights, goal scores, "
                            "totals, ranks and the winner follow. The TCO discount rate is also an input. Everything "
                            "else is computed by crmselect from the selection's files; change those and write the "
                            "workbook again (crmselect scorecard).").format(weights=book.title_of(WEIGHTS))),
    ]
    for i, (key, value) in enumerate(rows):
        book.text(ws, 4 + i, 1, key).font = book.styles.bold
        book.text(ws, 4 + i, 2, value).alignment = book.styles.wrap
    top = 4 + len(rows) + 1
    book.header(ws, top, [_("Source file"), _("SHA-256 (first 16)"), _("Bytes")])
    for i, path in enumerate(project.sources):
        row = top + 1 + i
        try:
            name = str(path.relative_to(project.root))
        except ValueError:
            name = str(path)
        book.text(ws, row, 1, name)
        book.text(ws, row, 2, hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else _("missing"))
        book.value(ws, row, 3, path.stat().st_size if path.is_file() else None)
    widths(ws, {"A": 46, "B": 90, "C": 10})
    fit_rows(ws, range(4, top))
    print_setup(ws, landscape=False)
    return ws
