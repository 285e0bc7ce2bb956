"""The dashboard as a committee member uses it, in Debian's Chromium at 1440x900: the Overview tab, scenarios
that survive a reload and reach ``crmselect log``, the workbook and the decision paper downloaded by the browser,
and no raw id on any tab.

Screenshots of the Overview tab (English and ``?lang=zh-CN``) are kept in ``$CRMSELECT_SCREENSHOTS`` (default:
the test's temporary folder) to be looked at.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from testdata import load_example

from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from crmselect.show.i18n import using
from crmselect.widgets.launch import display_project
from tests.widgets.test_dashboard import browser, open_dashboard

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the shared Chromium fixture

VIEWPORT = {"width": 1440, "height": 900}
TABS = ("Overview", "Weights", "Scenarios", "Money", "What-if")


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CRMSELECT_SCREENSHOTS", str(tmp_path)))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expected_top_two() -> tuple[tuple[str, str], tuple[str, str], float]:
    """(id, name) of the winner and the runner-up and the margin, from the public API."""
    with using("en"):
        card = evaluate(display_project(load_example())).scorecard
    order = sorted((i for i in range(len(card.bid_ids)) if card.eligible[i]), key=lambda i: -float(card.totals[i]))
    first, second = order[0], order[1]
    return ((card.bid_ids[first], card.labels[first]), (card.bid_ids[second], card.labels[second]),
            float(card.totals[first] - card.totals[second]))


def test_the_page_opens_on_the_overview_with_winner_runner_up_and_margin(browser: Any, dashboard_url: str,
                                                                          tmp_path: Path) -> None:
    (winner, winner_name), (runner, runner_name), margin = expected_top_two()
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.set_viewport_size(VIEWPORT)
        assert page.get_by_role("tab").first.inner_text() == "Overview"
        hook = page.locator("#crmselect-overview")
        assert hook.is_visible(), "the first tab shown is the overview"
        assert hook.get_attribute("data-winner") == winner and hook.get_attribute("data-runner-up") == runner
        assert float(hook.get_attribute("data-margin")) == pytest.approx(margin, abs=1e-12)
        text = hook.inner_text()
        assert f"Recommended: {winner_name}" in text and f"Runner-up: {runner_name}" in text
        panel = page.locator(".crmselect-overview-panel").inner_text()
        assert "How robust is the choice?" in panel and "Prices are sealed" in panel
        assert "Top red flags of" in panel and "Ask for:" in panel
        assert page.locator(".crmselect-frontier").count() == 0, "no value-for-money chart before the reveal"
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots(tmp_path) / "overview_en.png"))
    finally:
        page.close()


def test_the_overview_in_chinese(browser: Any, dashboard_url: str, tmp_path: Path) -> None:
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example&lang=zh-CN")
    try:
        page.set_viewport_size(VIEWPORT)
        assert page.get_by_role("tab").first.inner_text() == "概览"
        text = page.locator(".crmselect-overview-panel").inner_text()
        assert "推荐" in text and "这一选择有多稳健？" in text and "价格保持密封" in text
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots(tmp_path) / "overview_zh.png"))
    finally:
        page.close()


def test_a_saved_scenario_survives_a_reload_and_is_in_crmselect_log(
    browser: Any, dashboard_url: str, dashboard_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crmselect.cli.app import main

    name, why = "Reload view", "kept across a reload"
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="Weights").click()
        handle = page.locator(".crmselect-weights .noUi-handle").first
        handle.focus()
        handle.press("Home")  # the first goal to 0 %: a scenario unlike the committee's
        page.wait_for_function("(sel) => JSON.parse(document.querySelector(sel).dataset.weights)"
                               "[Object.keys(JSON.parse(document.querySelector(sel).dataset.weights))[0]] === 0",
                               arg="#crmselect-ranking", timeout=30_000)
        weights = json.loads(page.locator("#crmselect-ranking").get_attribute("data-weights"))
        page.get_by_role("tab", name="Scenarios").click()
        page.locator("input[placeholder='e.g. Sales view']").fill(name)
        page.locator("input[placeholder='why these weights']").fill(why)
        page.get_by_role("button", name="Save weights").click()
        page.get_by_text(f"Saved {name}").wait_for(timeout=30_000)
    finally:
        page.close()

    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")  # a new page: a new kernel
    try:
        page.get_by_role("tab", name="Scenarios").click()
        scenarios = page.locator(".crmselect-scenarios")
        scenarios.get_by_text("from the decision log").wait_for(timeout=30_000)
        options = scenarios.locator("select option").all_inner_texts()
        options = [option.replace("\xa0", " ") for option in options]  # ipywidgets shows spaces as nbsp
        assert name in options
        assert name in scenarios.locator("table").inner_text()
        page.get_by_role("tab", name="Weights").click()  # the saved weights are the log's: show them on the sliders
    finally:
        page.close()

    root = dashboard_root / "example"
    entries = [json.loads(line) for line in (root / "decision_log.jsonl").read_text(encoding="utf-8").splitlines()]
    saved = [e for e in entries if e["kind"] == "scenario_saved" and e["what"]["scenario"] == name]
    assert len(saved) == 1, "saved once; the reload recorded nothing"
    assert saved[0]["what"]["weights"] == pytest.approx(weights, abs=1e-6)
    capsys.readouterr()
    assert main(["log", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"zhao_lei: {why}" in out and "scenario_saved" in out


def test_export_and_the_decision_paper_download_in_the_browser(browser: Any, dashboard_url: str,
                                                               tmp_path: Path) -> None:
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    try:
        page.get_by_role("tab", name="Scenarios").click()
        page.locator("input[placeholder='e.g. Sales view']").fill("Download view")
        page.locator("input[placeholder='why these weights']").fill("to take home")
        page.get_by_role("button", name="Save weights").click()
        page.get_by_text("Saved Download view").wait_for(timeout=30_000)
        page.locator(".crmselect-scenarios select").select_option("Download view")
        page.get_by_role("button", name="Export to Excel").click()
        link = page.locator("a.crmselect-export")
        link.wait_for(timeout=90_000)
        with page.expect_download(timeout=30_000) as download:
            link.click()
        workbook = tmp_path / download.value.suggested_filename
        download.value.save_as(workbook)
        assert workbook.suffix == ".xlsx" and "Download_view" in workbook.name
        book = openpyxl.load_workbook(workbook, read_only=True)
        assert "Summary" in book.sheetnames
        book.close()

        page.get_by_role("tab", name="Overview").click()
        page.get_by_role("button", name="Download decision paper").click()
        paper_link = page.locator("a.crmselect-paper")
        paper_link.wait_for(timeout=120_000)
        with page.expect_download(timeout=30_000) as download:
            paper_link.click()
        paper = tmp_path / download.value.suggested_filename
        download.value.save_as(paper)
        assert paper.suffix == ".pdf" and paper.read_bytes().startswith(b"%PDF")
    finally:
        page.close()


def raw_ids(folder: Path) -> set[str]:
    """The ids of the selection that have a display name: bids, vendors, goals, members, deployments."""
    project = load_project(folder)
    ids = {bid.id for bid in project.bids} | {vendor.id for vendor in project.vendors}
    ids |= {goal.id for goal in project.selection.goals} | set(project.committee.member_ids)
    ids |= {str(bid.offer.deployment.value) for bid in project.bids}
    return ids


def test_no_raw_id_or_developer_text_on_any_tab(browser: Any, dashboard_url: str, dashboard_root: Path) -> None:
    folder = dashboard_root / "example"
    ids = raw_ids(folder)
    page, _ = open_dashboard(browser, dashboard_url + "?selection=example")
    found: dict[str, set[str]] = {}
    try:
        page.set_viewport_size(VIEWPORT)
        for title in TABS:
            page.get_by_role("tab", name=title, exact=True).click()
            page.wait_for_timeout(300)
            text = page.locator("body").inner_text().replace(str(folder), "")  # the folder's path is named as is
            text = text.replace("decision_log.jsonl", "")
            words = set(re.findall(r"[\w.-]+", text))
            shown = (words & ids) | {w for w in words if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", w)}
            shown |= {phrase for phrase in ("Serve it with", "voila", "Voila") if phrase in text}
            if shown:
                found[title] = shown
    finally:
        page.close()
    assert found == {}, f"raw ids, snake_case words or developer text shown to the committee: {found}"


@pytest.fixture(scope="module")
def revealed_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A Voila server on a copy of the example whose prices were revealed through the command line."""
    from conftest import NOTEBOOKS, voila_server
    from testdata import copy_example, reveal_prices

    root = tmp_path_factory.mktemp("revealed")
    folder = reveal_prices(copy_example(root / "example"))
    env = {"CRMSELECT_SELECTION": str(folder), "CRMSELECT_MEMBER": "zhao_lei"}
    with voila_server(NOTEBOOKS / "05_dashboard.ipynb", root / "voila.log", env=env) as url:
        yield url


SIZE = """(el) => { const r = el.getBoundingClientRect(); const box = el.viewBox.baseVal;
  return [box.width, box.height, r.width, r.height]; }"""


def test_after_the_reveal_the_value_for_money_chart_is_drawn_at_its_size_and_follows_the_sliders(
        browser: Any, revealed_url: str, tmp_path: Path) -> None:
    page, _ = open_dashboard(browser, revealed_url)
    try:
        page.set_viewport_size(VIEWPORT)
        chart = page.locator(".crmselect-frontier svg")
        chart.wait_for(timeout=30_000)
        natural_w, natural_h, shown_w, shown_h = chart.evaluate(SIZE)
        assert (shown_w, shown_h) == pytest.approx((natural_w, natural_h), abs=1), "never squeezed or stretched"
        assert chart.locator("g.crmselect-dot").count() >= 2
        assert "NPV of cost (USD" in chart.inner_html()
        page.screenshot(path=str(shots(tmp_path) / "overview_revealed.png"))
        before = chart.inner_html()
        page.get_by_role("tab", name="Weights").click()
        handle = page.locator(".crmselect-weights .noUi-handle").first
        handle.focus()
        handle.press("Home")  # a goal to 0 %: the technical scores on the chart move
        page.get_by_role("tab", name="Overview").click()
        page.wait_for_function("(before) => document.querySelector('.crmselect-frontier svg').innerHTML !== before",
                               arg=before, timeout=30_000)
        assert "With the weights now set on the Weights tab" in page.locator("#crmselect-overview").inner_text()
    finally:
        page.close()
