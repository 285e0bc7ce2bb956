"""Bid labels: a vendor's several offers are told apart by their deployment in words, in the selection's
language, never by the deployment's id (``on_premise``), and no two bids share a label."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import load_example

from crmselect.files.init import init_selection
from crmselect.files.loaders import load_project
from crmselect.model.project import DEPLOYMENT_WORDS, bid_labels, deployment_words, offer_label
from crmselect.show.i18n import translator, using
from crmselect.widgets.launch import DEPLOYMENT_NAMES, display_project


def test_an_english_selection_names_offers_in_english_words() -> None:
    project = load_example()
    assert project.locale == "en"
    labels = [bid.label for bid in project.bids if bid.vendor.id == "jadeport"]
    assert labels == ["Jadeport CRM (SaaS)", "Jadeport CRM (on-premise)"]
    single = [bid for bid in project.bids if len(bid.vendor.offers) == 1]
    assert single and all(bid.label == bid.vendor.name for bid in single)


def test_a_chinese_selection_names_offers_in_chinese_words(tmp_path: Path) -> None:
    init_selection(tmp_path / "zh", example="zh")
    project = load_project(tmp_path / "zh")
    assert project.locale == "zh-CN"
    labels = [bid.label for bid in project.bids if bid.vendor.id == "qiyun"]
    assert labels == ["启云CRM（SaaS）", "启云CRM（本地部署）"]
    assert not [bid.label for bid in project.bids if "on_premise" in bid.label or "saas" in bid.label]


def test_the_words_in_each_language() -> None:
    kinds = ("saas", "on_premise", "hosted")
    assert [deployment_words(kind) for kind in kinds] == ["SaaS", "on-premise", "hosted"]
    assert [deployment_words(kind, "zh-CN") for kind in kinds] == ["SaaS", "本地部署", "托管"]
    assert offer_label("Nova", "hosted") == "Nova (hosted)" and offer_label("Nova", "hosted", "zh_CN") == "Nova（托管）"
    assert deployment_words("cloud") == "cloud"  # a word the model does not know is shown as it is


def test_the_dashboard_and_the_catalogue_say_the_models_words() -> None:
    """The dashboard names bids in its own language with the model's words, and the translation catalogue (which
    the bid form's deployment list uses) agrees with them."""
    assert DEPLOYMENT_NAMES is DEPLOYMENT_WORDS
    chinese = translator("zh-CN")
    for words in DEPLOYMENT_WORDS.values():
        assert chinese.gettext(str(words)) == words.in_("zh-CN")
    project = load_example()
    with using("zh-CN"):
        with_chinese = display_project(project)
    assert "Jadeport CRM（本地部署）" in [bid.label for bid in with_chinese.bids]
    assert [bid.label for bid in display_project(project).bids] == [bid.label for bid in project.bids]


def test_labels_stay_unique_when_offers_or_names_repeat() -> None:
    project = load_example()
    jadeport = project.vendor("jadeport")
    saas = jadeport.offers[0]
    twice = jadeport.model_copy(update={"offers": (saas, saas.model_copy(update={"id": "jadeport-saas-2"}))})
    namesake = project.vendors[0].model_copy(update={"id": "other", "name": project.vendors[1].name})
    labels = bid_labels((twice, namesake, project.vendors[1]))
    assert list(labels.values()) == ["Jadeport CRM (SaaS)", "Jadeport CRM (SaaS) 2", project.vendors[1].name,
                                     f"{project.vendors[1].name} 2"]


@settings(deadline=None)  # the first example loads the shipped example once
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "A (SaaS)"]), st.lists(
    st.sampled_from(["saas", "on_premise", "hosted"]), min_size=1, max_size=3)), min_size=1, max_size=5),
       st.sampled_from(["en", "zh-CN"]))
def test_no_two_bids_share_a_label(vendors: list[tuple[str, list[str]]], locale: str) -> None:
    base = load_example().vendors[0]
    offer = base.offers[0]
    built = tuple(base.model_copy(update={
        "id": f"v{v}", "name": name,
        "offers": tuple(offer.model_copy(update={"id": f"v{v}-{o}", "deployment": kind})
                        for o, kind in enumerate(kinds))}) for v, (name, kinds) in enumerate(vendors))
    labels = bid_labels(built, locale)
    assert len(labels) == sum(len(kinds) for _, kinds in vendors)
    assert len(set(labels.values())) == len(labels)
    assert not any("on_premise" in label for label in labels.values())
