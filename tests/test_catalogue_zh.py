"""The shipped catalogue is bilingual: every criterion, category, goal theme and compliance code reads in Chinese."""

from __future__ import annotations

import re

from testdata import load_example

from crmselect.model.text import LocalText

HAN = re.compile(r"[\u4e00-\u9fff]")


def texts() -> list[tuple[str, object]]:
    project = load_example()
    out: list[tuple[str, object]] = []
    for criterion in project.criteria:
        out += [(f"{criterion.id}.name", criterion.name), (f"{criterion.id}.description", criterion.description)]
    for category in project.categories:
        out += [(f"{category.id}.name", category.name), (f"{category.id}.description", category.description)]
    for theme in project.themes:
        out += [(f"{theme.id}.name", theme.name), (f"{theme.id}.description", theme.description)]
    for code in project.scale.codes:
        out += [(f"{code.code}.label", code.label), (f"{code.code}.description", code.description)]
    return out


def test_every_catalogue_text_has_a_chinese_version() -> None:
    missing = [where for where, text in texts()
               if not isinstance(text, LocalText) or not HAN.search(text.in_("zh-CN"))]
    assert not missing, missing
    assert len(texts()) > 600


def test_the_english_stays_the_source_and_chinese_is_not_a_copy() -> None:
    for where, text in texts():
        assert isinstance(text, LocalText)
        assert text.in_("en") == str(text), where
        assert text.in_("zh-CN") != str(text), where
