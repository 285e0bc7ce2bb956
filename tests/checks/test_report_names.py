"""The check report as a reader sees it: bids by their labels and deployments in words; its frames keep ids."""

from __future__ import annotations

import re

from testdata import load_example

from crmselect.checks import check_project
from crmselect.show.i18n import using


def words_of(markup: str) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", markup, flags=re.S))
    return set(re.findall(r"[\w\-]+", text))


def test_the_report_shows_labels_and_deployment_words_not_ids() -> None:
    project = load_example()
    report = check_project(project)
    ids = {bid.id for bid in project.bids}
    assert set(report.frame()["bid"]) <= ids and set(report.by_bid().index) == ids  # the data keeps the ids
    markup = report._repr_html_()
    assert not ids & words_of(markup)
    assert "Jadeport CRM (on-premise)" in markup and "on_premise" not in markup
    with using("zh-CN"):
        chinese = report._repr_html_()
    assert not ids & words_of(chinese) and "本地部署" in chinese and "on_premise" not in chinese
