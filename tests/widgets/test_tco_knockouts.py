"""Knocked-out bids in the TCO explorer: struck through in the TCO and ROI tables with the must-have that put
them out (the shared wording of crmselect.words), grey and "(knocked out)" on the cumulative-cost chart."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from testdata import copy_example, reveal_prices

from crmselect import load_project
from crmselect.show.i18n import translator, using
from crmselect.widgets import views
from crmselect.widgets.tco import TcoExplorer
from crmselect.words import knockout_text


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_knocked_out_bids_are_marked_in_tco_and_roi(tmp_path: Path, language: str) -> None:
    from matplotlib.figure import Figure

    project = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(project, translator=translator(language))
    assert explorer.evaluation is not None
    card = explorer.evaluation.scorecard
    out = [html.escape(name) for name, ok in zip(card.labels, card.eligible, strict=True) if not ok]
    assert out  # the example knocks a bid out (COM-011, no data export at exit)
    with using(language):
        notes = [html.escape(knockout_text(k)) for k in card.knockouts]
    for table in (explorer.table.value, explorer.returns_table.value):
        for bid in out:
            assert f'<tr class="crmselect-out"><th>{bid}</th>' in table
        assert sum(f'<tr class="crmselect-out"><th>{html.escape(b)}</th>' in table for b in card.labels) == len(out)
        assert not any(f"<th>{b}</th>" in table for b in card.bid_ids), "rows are named, not by their ids"
        assert all(note in table for note in notes)
    assert "inf" not in explorer.returns_table.value
    with using(language):  # the dashboard's own chart (SVG): the knocked-out curves grey, dashed and named so
        for name in card.knocked_out_labels:
            assert f"stroke='{views.OUT_GREY}' stroke-width='2' stroke-dasharray='6 3'" in explorer.chart.html.value
            assert html.escape(views.out_label(name)) in explorer.chart.html.value
    with using(language):
        ax = views.grey_out(explorer.comparison.plot(ax=Figure().subplots()), card.knocked_out_labels)
        marked = {views.out_label(label) for label in card.knocked_out_labels}
    lines = {str(line.get_label()): line for line in ax.get_lines()}
    assert marked <= set(lines)
    assert all(lines[name].get_color() == views.OUT_GREY for name in marked)
    assert all(line.get_color() != views.OUT_GREY for name, line in lines.items() if name not in marked)
