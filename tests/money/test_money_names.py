"""What a reader sees of the money results: bids by their labels (never their ids), deployments in words, the
discounted chart called discounted, and the tornado's inputs in the current language."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from crmselect.money.costs import TcoComparison, TcoInputs, TcoResult, compare_tco, tco
from crmselect.money.returns import compare_roi
from crmselect.show.i18n import translator, using
from tests import money_fixtures as mf
from tests.widgets.english_words import english_words, visible_text

BID_IDS = ("cloud-saas", "iron-onprem")


def shown_words(markup: str) -> set[str]:
    return set(re.findall(r"[\w\-]+", visible_text(re.sub(r"\b(?:class|id|data-[\w-]+)='[^']*'", " ", markup))))


def test_the_tco_comparison_shows_labels_and_deployments_in_words_but_keeps_ids_in_its_data() -> None:
    comparison = compare_tco(mf.project())
    assert list(comparison.frame().index) == list(BID_IDS)  # the data: other code looks bids up by id
    assert list(comparison.frame()["deployment"]) == ["saas", "on_premise"]
    markup = comparison._repr_html_()
    assert "Vendor (SaaS)" in markup and "Vendor (on-premise)" in markup
    assert not set(BID_IDS) & shown_words(markup)
    assert "on_premise" not in markup and ">saas<" not in markup
    with using("zh-CN"):
        chinese = comparison._repr_html_()
    assert "本地部署" in chinese and "on_premise" not in chinese and not set(BID_IDS) & shown_words(chinese)


def test_the_roi_comparison_shows_labels_not_ids() -> None:
    comparison = compare_roi(mf.project())
    assert list(comparison.frame().index) == list(BID_IDS)
    markup = comparison._repr_html_()
    assert "Vendor (SaaS)" in markup and "Vendor (on-premise)" in markup
    assert not set(BID_IDS) & shown_words(markup)


@pytest.mark.parametrize("discounted", [True, False])
def test_the_cost_chart_says_whether_it_is_discounted(discounted: bool) -> None:
    english = {True: "discounted cumulative cost (NPV)", False: "cumulative cost (undiscounted)"}[discounted]
    comparison = compare_tco(mf.project())
    for ax in (comparison.plot(discounted=discounted), comparison["cloud-saas"].plot(discounted=discounted)):
        assert english in ax.get_ylabel()
        # and the curves drawn are the discounted ones when asked: the last point of each is its NPV
        if discounted:
            ends = {str(line.get_label()): line.get_ydata()[-1] for line in ax.get_lines()}
            drawn = [r for r in comparison.results if r.label in ends]
            assert drawn and [ends[r.label] for r in drawn] == pytest.approx([r.npv for r in drawn])
    with using("zh-CN"):
        ax = comparison.plot(discounted=discounted)
    assert translator("zh-CN").gettext(english) in ax.get_ylabel()
    plt.close("all")


def test_a_hand_made_comparison_is_discounted_as_asked() -> None:
    flat = TcoInputs(horizon_years=2, discount_rate_pct=10.0, hosting_per_year=110.0)
    comparison = TcoComparison((TcoResult.from_inputs(flat, bid_id="a", label="A"),))
    ax = comparison.plot(discounted=True)
    (curve,) = [line for line in ax.get_lines() if line.get_label() == "A"]
    assert curve.get_ydata().tolist() == pytest.approx([0.0, 100.0, 100.0 + 110.0 / 1.21])  # 110 / 1.1, 110 / 1.1²
    plt.close("all")


def test_a_chinese_tornado_names_its_inputs_in_chinese() -> None:
    result = tco(mf.project(), "iron-onprem")
    tornado = result.tornado()
    keys = list(tornado.frame().index)
    assert "hardware" in keys or "licence per user" in keys  # the data keeps its English keys
    with using("zh-CN"):
        shown = list(tornado.shown().index)
        ax = tornado.plot(top=len(keys))
        markup = tornado._repr_html_()
    assert len(shown) == len(keys) and all(name != key for name, key in zip(shown, keys, strict=True))
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels and not [label for label in labels if english_words(label)], labels
    body = visible_text(markup).replace(result.label, " ")
    assert english_words(" ".join(shown)) == []
    assert not [word for word in english_words(body) if word not in {"Vendor"}], english_words(body)
    plt.close("all")


def test_every_tornado_input_is_translated() -> None:
    from crmselect.money.drivers import TORNADO_INPUTS

    chinese = translator("zh-CN")
    for _field, name, _how in TORNADO_INPUTS:
        said = chinese.gettext(name)
        assert said != name and english_words(said) == [], (name, said)
