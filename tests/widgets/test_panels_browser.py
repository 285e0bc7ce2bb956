"""The dashboard's panels in Debian's Chromium (Voila + Playwright): the what-if tab follows a slider, a lock holds
and looks locked, and every chart is shown at its drawn size (no squeeze, no broken image).

Uses the session's Voila server (``dashboard_url`` in conftest.py) and the page helpers of test_dashboard.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from crmselect.widgets import views
from tests.widgets.test_dashboard import (  # noqa: F401  (browser: a fixture)
    ATTEMPTS,
    NOTEBOOK_ERROR,
    PER_TRY_MS,
    RANKING,
    browser,
    scorecard,
)
from tests.widgets.test_dashboard import open_dashboard as shared_open

pytestmark = pytest.mark.browser

SHOWN_RATIO = """(el) => { const r = el.getBoundingClientRect();
  if (el.tagName.toLowerCase() === 'img') return [el.naturalWidth, el.naturalHeight, r.width, r.height];
  const box = el.viewBox.baseVal; return [box.width, box.height, r.width, r.height]; }"""


def open_dashboard(browser: Any, url: str) -> tuple[Any, int]:  # noqa: F811
    """test_dashboard.py's page opener at 1440 x 900, ready once the ranking is in the page, on whichever tab the
    dashboard opens."""
    return shared_open(browser, url, ready=RANKING, state="attached", viewport={"width": 1440, "height": 900})


def weights_shown(page: Any) -> dict[str, float]:
    return json.loads(page.locator(RANKING).get_attribute("data-weights"))  # type: ignore[no-any-return]


def wait_weight(page: Any, goal: str, want: float) -> None:
    page.wait_for_function(
        "([sel, goal, want]) => { const e = document.querySelector(sel);"
        " return e && Math.abs(JSON.parse(e.dataset.weights)[goal] - want) < 1e-6; }",
        arg=[RANKING, goal, want], timeout=30_000)


def test_the_what_if_tab_follows_a_slider_and_a_lock_holds(browser: Any, dashboard_url: str) -> None:  # noqa: F811
    card = scorecard()
    first, second = card.goal_ids[0], card.goal_ids[1]
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="Weights").click()
        handle = page.locator(".crmselect-weights .noUi-handle").nth(0)
        handle.focus()
        handle.press("End")  # the first goal to 100 %
        wait_weight(page, first, 1.0)

        page.get_by_role("tab", name="What-if").click()
        interval = page.locator(".crmselect-interval")
        hundred = views.percent(1.0)
        interval.filter(has_text=f"weighs {hundred} now").wait_for(timeout=30_000)
        assert card.goal_names[0] in interval.inner_text()

        page.get_by_role("tab", name="Weights").click()
        page.get_by_role("button", name="Reset to goals.yaml").click()
        wait_weight(page, first, float(card.goal_weights[0]))
        kept = weights_shown(page)[second]
        page.locator(".crmselect-weights .widget-checkbox input[type=checkbox]").nth(1).check()
        row = page.locator(".crmselect-weights .crmselect-locked").first
        row.wait_for(timeout=30_000)
        assert "🔒" in row.inner_text() and card.goal_names[1] in row.inner_text()
        locked_slider = page.locator(".crmselect-weights .widget-slider").nth(1)
        page.wait_for_function("(el) => el.querySelector('.noUi-target').hasAttribute('disabled')",
                               arg=locked_slider.element_handle(), timeout=30_000)
        handle.focus()
        handle.press("Home")  # the first goal to 0 %: the others share its weight, the locked one keeps its own
        wait_weight(page, first, 0.0)
        assert weights_shown(page)[second] == pytest.approx(kept, abs=1e-9)
        page.locator(".crmselect-weights .noUi-handle").nth(1).press("ArrowRight")  # a disabled slider ignores keys
        page.wait_for_timeout(500)
        assert weights_shown(page)[second] == pytest.approx(kept, abs=1e-9)
    finally:
        page.close()


def test_every_chart_is_shown_at_its_drawn_size_and_no_image_is_broken(browser: Any, dashboard_url: str  # noqa: F811
                                                                       ) -> None:
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="What-if").click()
        sweep = page.locator(".crmselect-sweep-chart").first
        sweep.wait_for(timeout=30_000)
        assert page.locator(".crmselect-smaa-chart").count() == 0  # nothing drawn before SMAA runs: nothing shown
        page.get_by_role("button", name="Run SMAA").click()
        smaa = page.locator(".crmselect-smaa-chart").first
        smaa.wait_for(timeout=60_000)
        charts = [sweep, smaa]
        images = page.locator(".crmselect-dashboard img, .crmselect-weights img, .crmselect-sensitivity img")
        for tab in ("Weights", "Money", "What-if"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(300)
            for k in range(images.count()):
                image = images.nth(k)
                if image.is_visible():
                    charts.append(image)
        for chart in charts:
            if not chart.is_visible():
                page.get_by_role("tab", name="What-if").click()
            natural_w, natural_h, shown_w, shown_h = chart.evaluate(SHOWN_RATIO)
            assert natural_w > 0 and natural_h > 0, "a broken or empty image is shown"
            assert shown_w > 0 and shown_h > 0
            assert (shown_w / shown_h) == pytest.approx(natural_w / natural_h, rel=0.01)
    finally:
        page.close()
