"""The Plan tab in Debian's Chromium (Voila + Playwright), as a committee member uses it: open the tab, propose
phases, save the plan, then ``crmselect plan DIR`` reads what the dashboard saved; the go-live chart is shown at
its drawn size.  A screenshot of the tab is kept in /tmp for a person to look at.

Uses the session's Voila server (``dashboard_url``, launched with ``CRMSELECT_MEMBER=zhao_lei``) on its second
copy of the example, ``other``, so the plan saved here does not change what the other browser tests see.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from crmselect.cli.app import main
from crmselect.files.loaders import load_project
from crmselect.files.phases import PHASES_FILE, load_phase_plan
from tests.widgets.test_dashboard import browser  # noqa: F401  (a fixture)
from tests.widgets.test_panels_browser import SHOWN_RATIO, open_dashboard

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/crmselect-plan-tab.png")


def shown_plan(page: Any) -> dict[str, dict[str, Any]]:
    return json.loads(page.locator(".crmselect-plan-table").first.get_attribute("data-plan"))  # type: ignore[no-any-return]


def test_propose_save_and_the_command_line_reads_the_saved_plan(browser: Any, dashboard_url: str,  # noqa: F811
                                                                dashboard_root: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = dashboard_root / "other"
    assert not (folder / PHASES_FILE).exists()
    page, _ = open_dashboard(browser, dashboard_url + "?selection=other")
    try:
        page.get_by_role("tab", name="Plan").click()
        page.locator(".crmselect-plan-source[data-origin='big_bang']").wait_for(timeout=60_000)
        assert list(shown_plan(page)) == ["all"]
        money = page.locator(".crmselect-plan-money").inner_text()
        assert "Prices are sealed until the committee reveals them" in money
        assert "Plan for the recommended bid" in page.locator(".crmselect-plan-bid").inner_text()

        page.get_by_role("button", name="Propose phases").click()
        page.locator(".crmselect-plan-source[data-origin='proposal']").wait_for(timeout=60_000)
        page.wait_for_function("() => Object.keys(JSON.parse(document.querySelector('.crmselect-plan-table')"
                               ".dataset.plan)).length > 1", timeout=30_000)
        proposed = shown_plan(page)
        chart = page.locator("svg.crmselect-plan-chart").first
        chart.wait_for(timeout=30_000)
        # the proposal redraws the panel: measure the chart once the browser has laid the new one out (a run under
        # load once measured it between being attached and being laid out, at 0 x 0)
        page.wait_for_function("() => { const c = document.querySelector('svg.crmselect-plan-chart');"
                               " return c !== null && c.getBoundingClientRect().width > 0; }", timeout=30_000)
        natural_w, natural_h, shown_w, shown_h = chart.evaluate(SHOWN_RATIO)
        assert (shown_w, shown_h) == pytest.approx((natural_w, natural_h), abs=1.0)
        assert chart.locator(".crmselect-plan-row").count() == len(proposed) + 1  # the phases and the big bang

        page.locator(".crmselect-plan input[placeholder='why this plan']").fill("quick wins first")
        page.get_by_role("button", name="Save plan").click()
        page.get_by_text("Saved phases.yaml (decision log entry").wait_for(timeout=30_000)
        page.locator(".crmselect-plan-source[data-origin='file']").wait_for(timeout=30_000)
        page.locator(".crmselect-plan h3").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOT))
        page.locator(".crmselect-plan-money").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOT.with_name("crmselect-plan-tab-2.png")))
    finally:
        page.close()

    saved = load_phase_plan(folder, load_project(folder).selection)
    assert saved is not None and list(saved.phase_ids) == list(proposed)
    assert [list(p.goals) for p in saved.phases] == [proposed[p]["goals"] for p in proposed]
    capsys.readouterr()
    assert main(["plan", str(folder), "--draws", "4000", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "the roll-out plan of phases.yaml" in out
    for phase in saved.phases:  # the same phases, and the same P50 go-live as the page showed (same draws, seed)
        row = next(line for line in out.splitlines() if line.startswith(phase.name + "  "))
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", row.split(phase.name)[1])]
        assert numbers[3] == round(proposed[phase.id]["P50"])
    assert main(["log", str(folder)]) == 0
    log = html.unescape(capsys.readouterr().out)
    assert "plan_written" in log and "quick wins first" in log
    assert SCREENSHOT.stat().st_size > 10_000
