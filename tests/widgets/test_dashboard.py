"""The Voila dashboard in a real browser: move a goal slider with the keyboard, check the ranking.

``voila notebooks/05_dashboard.ipynb`` is served on 127.0.0.1 (fixture ``dashboard_url`` in
conftest.py) and driven with Playwright through Debian's Chromium
(``executable_path="/usr/bin/chromium"``; Playwright's own browser download is not used).

Voila page loads occasionally hang: the document request never completes although the kernel
ran the notebook.  :func:`open_dashboard` therefore gives each page load its own timeout and
retries a bounded number of times (a new page load starts a new kernel, which recovers).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CHROMIUM
from systemtools import require as require_tool
from testdata import load_example

from crmselect.widgets.core import rescale_weights

pytestmark = pytest.mark.browser

ATTEMPTS = 3  # page loads tried before giving up
PER_TRY_MS = 90_000  # one page load: kernel start + the whole dashboard notebook
RANKING = "#crmselect-ranking"
OVERVIEW = "#crmselect-overview"  # the first tab: the page is ready when it shows
NOTEBOOK_ERROR = "[data-mime-type='application/vnd.jupyter.stderr']"  # a traceback: fail at once, no retry


def scorecard() -> Any:
    """The scorecard the dashboard starts from, computed here with the public API."""
    from crmselect.evaluation import evaluate

    return evaluate(load_example()).scorecard


def shown_order(card: Any) -> list[str]:
    """Eligible bids by rank, then knocked-out bids, as the ranking hook lists them."""
    eligible = np.asarray(card.eligible, dtype=bool)
    ranks = np.asarray(card.ranks, dtype=float)
    totals = np.asarray(card.totals, dtype=float)
    order = sorted(
        range(len(card.bid_ids)),
        key=lambda i: (not eligible[i], ranks[i] if np.isfinite(ranks[i]) else np.inf, -totals[i]),
    )
    return [card.bid_ids[i] for i in order]


def pick_move(card: Any) -> tuple[int, int, dict[str, float]]:
    """A goal and a number of 1 % steps up from 0 that change the ranking (fewest key presses)."""
    base = shown_order(card)
    weights = [float(x) for x in card.goal_weights]
    for steps in range(5, 101, 5):
        for goal in range(len(weights)):
            new = rescale_weights(weights, goal, steps / 100)
            moved = dict(zip(card.goal_ids, new, strict=True))
            if shown_order(card.with_goal_weights(moved)) != base:
                return goal, steps, moved
    raise AssertionError("no single-goal move changes the example's ranking")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_tool(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable)
        try:
            yield chromium
        finally:
            chromium.close()


def open_dashboard(browser: Any, url: str, *, ready: str = OVERVIEW, state: str = "visible",
                   viewport: dict[str, int] | None = None) -> tuple[Any, int]:
    """Open the dashboard; each try has PER_TRY_MS, at most ATTEMPTS tries (Voila hang, see above).

    The page is ready once ``ready`` (default: the overview, the first tab) reaches ``state``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, ATTEMPTS + 1):
        page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})
        try:
            page.goto(url, wait_until="commit", timeout=PER_TRY_MS)
            page.locator(ready).or_(page.locator(NOTEBOOK_ERROR)).first.wait_for(state=state, timeout=PER_TRY_MS)
            if page.locator(ready).count() == 0:
                failure = page.locator(NOTEBOOK_ERROR).first.inner_text()
                raise AssertionError(f"the dashboard notebook failed:\n{failure}")
            return page, attempt
        except PlaywrightTimeout:
            page.close()
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def read_ranking(page: Any) -> tuple[list[str], dict[str, float], dict[str, float]]:
    hook = page.locator(RANKING)
    order = json.loads(hook.get_attribute("data-ranking"))
    weights = json.loads(hook.get_attribute("data-weights"))
    items = page.locator(f"{RANKING} li")
    totals = {
        items.nth(i).get_attribute("data-bid"): float(items.nth(i).get_attribute("data-total"))
        for i in range(items.count())
    }
    return order, weights, totals


def test_goal_slider_moved_with_keyboard_reranks_like_the_api(browser: Any, dashboard_url: str, tmp_path: Path) -> None:
    card = scorecard()
    goal, steps, expected_weights = pick_move(card)
    expected = card.with_goal_weights(expected_weights)

    started = time.monotonic()
    page, attempts = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="Weights").click()
        before, _, _ = read_ranking(page)
        assert before == shown_order(card)

        handle = page.locator(".crmselect-weights .noUi-handle").nth(goal)
        handle.focus()
        handle.press("Home")  # the goal's weight to 0 %: the others keep their proportions
        for _ in range(steps):
            handle.press("ArrowRight")  # one 1 % step per key press
        goal_id = card.goal_ids[goal]
        page.wait_for_function(
            "([sel, goal, want]) => { const e = document.querySelector(sel);"
            " return e && Math.abs(JSON.parse(e.dataset.weights)[goal] - want) < 1e-6; }",
            arg=[RANKING, goal_id, steps / 100],
            timeout=30_000,
        )
        after, weights, totals = read_ranking(page)
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    finally:
        page.close()

    assert after != before, "the ranking shown did not change"
    assert after == shown_order(expected)
    assert weights == pytest.approx(expected_weights, abs=1e-6)
    assert totals == pytest.approx(dict(zip(expected.bid_ids, map(float, expected.totals), strict=True)), abs=1e-6)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    print(f"dashboard test: {time.monotonic() - started:.1f} s, page loads tried: {attempts}")


def test_a_scenario_saved_in_the_dashboard_is_in_the_log_the_shell_reads(
    browser: Any, dashboard_url: str, dashboard_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The committee's journey across surfaces: save weights in the browser, then `crmselect log` in a shell."""
    from crmselect.cli.app import main

    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="Scenarios").click()
        assert "Recording as" in page.locator(".widget-html", has_text="Recording as").first.inner_text()
        page.locator("input[placeholder='e.g. Sales view']").fill("Browser view")
        page.locator("input[placeholder='why these weights']").fill("tried in the dashboard")
        page.get_by_role("button", name="Save weights").click()
        page.get_by_text("Saved Browser view").wait_for(timeout=30_000)
    finally:
        page.close()
    root = dashboard_root / "example"
    assert main(["log", str(root)]) == 0
    out = capsys.readouterr().out
    assert "scenario_saved" in out and "zhao_lei: tried in the dashboard" in out
    assert not (root.parent / "other" / "decision_log.jsonl").exists(), "only the chosen selection records"


def test_the_address_cannot_reach_outside_the_launch_root(browser: Any, dashboard_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(dashboard_url + "?selection=..", wait_until="commit", timeout=PER_TRY_MS)
        error = page.locator(NOTEBOOK_ERROR).first
        error.wait_for(timeout=PER_TRY_MS)
        assert "may only name a selection inside" in error.inner_text()
        assert page.locator(RANKING).count() == 0
    finally:
        page.close()
