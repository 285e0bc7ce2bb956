"""The Voila dashboard in zh-CN in a real browser: a Chinese interface, also after a slider move, on every tab.

The shipped example is copied with ``locale: zh-CN`` in its selection.yaml and served on its own
(``voila notebooks/05_dashboard.ipynb`` with ``CRMSELECT_SELECTION`` naming it).  What the page
shows is read as a reader sees it (``inner_text``); English interface words are what is left
after the selection's own data, ids and acronyms are taken out (:mod:`tests.widgets.english_words`).
A 1440x900 screenshot of each tab is kept in the test's temporary folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import NOTEBOOKS, voila_server
from testdata import copy_example, replace_in

from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from tests.widgets.english_words import english_words, project_data
from tests.widgets.test_dashboard import RANKING, browser, open_dashboard

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the shared Chromium fixture

TABS = ("概览", "权重", "权重方案", "成本与资金", "敏感性分析")


@pytest.fixture(scope="module")
def zh_selection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("zh") / "示例选型")
    replace_in(folder / "selection.yaml", "locale: en", "locale: zh-CN")
    return folder


@pytest.fixture(scope="module")
def zh_url(tmp_path_factory: pytest.TempPathFactory, zh_selection: Path) -> Iterator[str]:
    log = tmp_path_factory.mktemp("voila-zh") / "voila.log"
    env = {"CRMSELECT_SELECTION": str(zh_selection), "CRMSELECT_MEMBER": "zhao_lei"}
    with voila_server(NOTEBOOKS / "05_dashboard.ipynb", log, env=env) as url:
        yield url


def allowed_data(folder: Path) -> list[str]:
    project = load_project(folder)
    return [*project_data(project, evaluate(project).scorecard), str(folder), str(folder / "decision_log.jsonl")]


def test_the_zh_dashboard_shows_no_english_interface_words(browser: Any, zh_url: str, zh_selection: Path,
                                                           tmp_path: Path) -> None:
    data = allowed_data(zh_selection)
    page, _ = open_dashboard(browser, zh_url)
    try:
        page.set_viewport_size({"width": 1440, "height": 900})
        header = page.locator(".crmselect-dashboard-header").inner_text()
        assert "界面语言：简体中文（来自 selection.yaml 的语言设置）" in header
        assert str(zh_selection) in header, "the page names the selection it shows"
        found: dict[str, list[str]] = {}
        for number, title in enumerate(TABS):
            page.get_by_role("tab", name=title, exact=True).click()
            page.wait_for_timeout(300)
            page.screenshot(path=str(tmp_path / f"dashboard_zh_{number}.png"))
            words = english_words(page.locator("body").inner_text(), data)
            if words:
                found[title] = sorted(set(words))
        assert found == {}, f"English interface words in the zh-CN dashboard: {found}"

        page.get_by_role("tab", name=TABS[1], exact=True).click()
        before = json.loads(page.locator(RANKING).get_attribute("data-weights"))
        handle = page.locator(".crmselect-weights .noUi-handle").first
        handle.focus()
        handle.press("Home")  # the first goal's weight to 0 %: a callback in the kernel redraws everything
        page.wait_for_function(
            "([sel, before]) => { const e = document.querySelector(sel);"
            " return e && e.dataset.weights !== before; }",
            arg=[RANKING, json.dumps(before)], timeout=30_000)
        text = page.locator(".crmselect-weights").inner_text()
        assert "排名" in text and "各目标对总分的贡献" in text
        assert english_words(text, data) == []
        page.screenshot(path=str(tmp_path / "dashboard_zh_moved.png"))
    finally:
        page.close()
    assert (tmp_path / "dashboard_zh_0.png").stat().st_size > 10_000
    print(f"zh-CN dashboard screenshots: {tmp_path}")


def test_the_address_can_ask_another_language_and_the_page_says_so(browser: Any, zh_url: str) -> None:
    page, _ = open_dashboard(browser, zh_url + "?lang=en")
    try:
        header = page.locator(".crmselect-dashboard-header").inner_text()
        assert "Language: English (from ?lang= in the address)" in header
        assert page.get_by_role("tab", name="Weights").count() == 1
    finally:
        page.close()
