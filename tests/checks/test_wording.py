"""The checks' words as data: every code has its title, lever and explanations in English and Chinese,
with the same placeholders; findings render them in the surface's language, numbers per locale; English
stays word for word what the rules always wrote.
"""

from __future__ import annotations

import re
import string

import pytest
from testdata import example_root, load_example

from crmselect.checks.report import CHECKS, CODES, check, check_offer, check_project, registry
from crmselect.checks.wording import (
    RULES_FILE,
    Reason,
    RuleText,
    figure_text,
    fill,
    placeholders,
    problems,
    reason,
    rule_texts,
)
from crmselect.cli.app import main
from crmselect.errors import CrmSelectError
from crmselect.show.i18n import LANGUAGES, using
from tests.checks.test_report import FIRES, offer

HAN = re.compile(r"[\u4e00-\u9fff]")
# Acronyms and proper names the Chinese keeps as written (as the catalogue does)
KEPT = re.compile(r"SOC 2 Type II?|ISO 27001|HubSpot Premium|Salesforce|Dynamics|Zoho|CRM|SLA|RPO|RTO|CPI|API|AI"
                  r"|sev1|Host Ltd|Impl Co|CTR\d{3}|rpo_hours|BBB?")


# ------------------------------------------------------------------ the data file
def test_every_code_has_its_words_in_every_language_with_the_same_placeholders() -> None:
    assert list(rule_texts()) == list(CODES), f"{RULES_FILE.name} must hold exactly the codes, in code order"
    assert problems() == []
    for words in rule_texts().values():
        for texts in [*words.parts.values(), *words.explanations.values()]:
            assert set(texts) == set(LANGUAGES) and all(text.strip() for text in texts.values())


def test_problems_names_a_missing_language_and_placeholders_that_differ() -> None:
    bad = RuleText(
        "SLA999",
        {"title": {"en": "Title", "zh-CN": "标题"}, "lever": {"en": "Ask {hours} hours"}},
        {"low": {"en": "{uptime}% and {minutes:,.0f} minutes", "zh-CN": "{uptime}%，{minutes}分钟"},
         "odd": {"en": "{x:.2e}", "zh-CN": "{x:.2e}"}},
    )
    found = problems({"SLA999": bad})
    assert any("SLA999.lever: missing ['zh-CN']" in p for p in found)
    assert any("SLA999.explanations.low: zh-CN has placeholders" in p for p in found)
    assert any("SLA999.explanations.odd" in p and "unknown number specs" in p for p in found)


def test_every_explanation_is_reachable_and_gets_exactly_its_placeholders() -> None:
    from tests.checks.test_bid_rules import CONTEXT_FIRES  # the bid rules' cases, with the bid's context
    from tests.checks.test_china_rules import FIRES as CHINA_FIRES  # jurisdiction cn

    used = set()
    for code, item, context in [*((c, i, None) for c, i, _ in FIRES), *CONTEXT_FIRES,
                                *((c, i, x) for c, i, x, _ in CHINA_FIRES)]:
        why = check(code).reason(item, context)
        assert why is not None
        used.add((code, why.key))
        for language in LANGUAGES:
            template = rule_texts()[code].explanations[why.key][language]
            assert {name for name, _ in placeholders(template)} == set(why.params), (code, why.key, language)
    assert used == {(code, key) for code, words in rule_texts().items() for key in words.explanations}


def test_titles_and_levers_get_exactly_the_registered_thresholds() -> None:
    for rule in CHECKS:
        quoted = {name for texts in rule_texts()[rule.code].parts.values() for name, _ in placeholders(texts["en"])}
        assert quoted == set(rule.values), rule.code


# ------------------------------------------------------------------ filling in
def test_figures_are_written_as_the_rules_always_wrote_them_and_grouped() -> None:
    assert [figure_text(v, "en") for v in (99.9, 4.0, 0.5, 99.9999, 90)] == ["99.9", "4", "0.5", "99.9999", "90"]
    assert figure_text(2000, "en") == "2,000" and figure_text(2000.5, "zh-CN") == "2,000.5"
    assert fill("{a}% {b:,.0f} {c:,.1f} {name}", {"a": 99.5, "b": 12345.6, "c": 8.76, "name": "Host Ltd"},
                "zh-CN") == "99.5% 12,346 8.8 Host Ltd"
    with pytest.raises(CrmSelectError, match="spec"):
        fill("{a:.2e}", {"a": 1.0}, "en")


def test_a_reason_is_frozen_and_hashable() -> None:
    why = reason("low", uptime=99.5)
    assert why == Reason("low", {"uptime": 99.5}) and hash(why) == hash(Reason("low", {"uptime": 99.5}))
    with pytest.raises(TypeError):
        why.params["uptime"] = 1  # type: ignore[index]


# ------------------------------------------------------------------ English, word for word
ENGLISH = [
    (offer(sla={"uptime_pct": 99.5}), "SLA003",
     "the committed uptime of 99.5% allows 216 minutes down a month and 43.8 hours a year "
     "(99.9% allows 43 minutes and 8.8 hours)"),
    (offer(sla={"uptime_pct": 99.9, "maintenance_excluded_hours_per_year": 100}), "SLA006",
     "100 hours a year of scheduled maintenance are excluded from the uptime figure, on top of the 8.8 hours "
     "the 99.9% allows: the service may be down 108.8 hours a year without a credit"),
    (offer(sla={"credits_sole_remedy": True, "credit_cap_pct": 30}, contract={"termination_for_sla_failure": False}),
     "CTR011", "service credits (capped at 30% of a monthly fee) are the sole and exclusive remedy for missed "
     "service levels; nor may we leave over it"),
    (offer(contract={"liability_cap_months": 1, "liability_carve_outs": False}), "CTR009",
     "the vendor's liability is capped at 1 month of fees"),
    (offer("on_premise", pricing={"maintenance_uplift_pct": 4}), "CTR015",
     "maintenance fees rise 4% every year: 22% more after five years"),
    (offer(contract={"consumption_cap": False}, pricing={"consumption_per_year": 12_000, "consumption_growth_pct": 20}),
     "CTR027", "usage-based charges (API calls, storage, AI credits) have no ceiling; 12,000 a year is quoted, "
     "growing 20% a year"),
]


@pytest.mark.parametrize(("item", "code", "text"), ENGLISH, ids=[code for _, code, _ in ENGLISH])
def test_english_explanations_are_word_for_word_as_before(item: object, code: str, text: str) -> None:
    assert check(code).explain(item) == text  # type: ignore[arg-type]
    assert check(code).explain(item, "en") == text  # type: ignore[arg-type]


def test_english_titles_and_levers_are_as_before() -> None:
    frame = registry("en")
    assert frame.loc["SLA003", "title"] == "Uptime below 99.9 %"
    assert frame.loc["CTR001", "lever"] == ("At most 30 days' notice, a renewal reminder from the vendor, and the "
                                            "renewal date in our calendar.")
    assert frame.loc["SLA008", "lever"].startswith("Credits that hurt: at least 10 % of the monthly fee")


# ------------------------------------------------------------------ Chinese
def _english_left(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", KEPT.sub(" ", text)))


@pytest.mark.parametrize(("code", "item", "_text"), FIRES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(FIRES)])
def test_every_explanation_title_and_lever_reads_in_chinese(code: str, item: object, _text: str) -> None:
    rule = check(code)
    for text in (rule.explain(item, "zh-CN"), rule.title_in("zh-CN"), rule.lever_in("zh-CN")):  # type: ignore[arg-type]
        assert text is not None and HAN.search(text), text
        assert _english_left(text) == set(), text


def test_chinese_figures_are_formatted_per_locale() -> None:
    assert check("SLA003").explain(offer(sla={"uptime_pct": 99.5}), "zh-CN") == (
        "承诺的可用率99.5%意味着每月可停机216分钟、每年43.8小时（99.9%对应每月43分钟、每年8.8小时）")
    fixed = offer(plan={"pricing_model": "fixed_price", "scope_defined": False, "services_cost": 1_234_567})
    assert "金额为1,234,567的实施服务" in (check("CTR021").explain(fixed, "zh-CN") or "")
    assert "托管合作伙伴Host Ltd" in (check("SLA015").explain(offer("hosted", sla={"disaster_recovery_plan": False}),
                                                          "zh-CN") or "")


# ------------------------------------------------------------------ findings render in the surface's language
def test_a_finding_keeps_code_and_figures_and_speaks_the_current_language() -> None:
    (finding,) = check_offer(offer(sla={"uptime_pct": 99.5}), area="sla")
    assert finding.code == "SLA003" and finding.reason.key == "low" and finding.params["uptime"] == 99.5
    english, chinese = finding.in_("en"), finding.in_("zh-CN")
    assert finding.title == english.title == "Uptime below 99.9 %"
    with using("zh-CN"):
        assert (finding.title, finding.explanation, finding.lever) == (chinese.title, chinese.explanation,
                                                                       chinese.lever)
        assert finding.in_() == chinese
    assert chinese.title == "可用率低于99.9%" and finding.explanation == english.explanation
    assert finding.in_("zh_CN") == chinese


def test_the_report_renders_in_the_language_asked_or_the_current_one() -> None:
    report = check_project(load_example())
    bid = report.bids[0].bid
    english, chinese = report.frame("en"), report.frame("zh-CN")
    assert english[["bid", "code", "severity"]].equals(chinese[["bid", "code", "severity"]])
    assert all(HAN.search(t) for t in chinese["explanation"]) and not any(HAN.search(t) for t in english["title"])
    with using("zh-CN"):
        assert report.frame().equals(chinese)
        asks = report.negotiation_list(bid)
        assert report.negotiation_frame(bid).equals(report.negotiation_frame(bid, "zh-CN"))
        assert registry()["title"].tolist() == registry("zh-CN")["title"].tolist()
    first = report.findings(bid)[0]
    assert asks[0] == f"{first.code}：{first.in_('zh-CN').lever}"
    assert report.negotiation_list(bid, "en")[0] == f"{first.code}: {first.in_('en').lever}"
    assert report.negotiation_list(bid) == report.negotiation_list(bid, "en")


def test_every_template_is_a_valid_format_string() -> None:
    for words in rule_texts().values():
        for texts in [*words.parts.values(), *words.explanations.values()]:
            for text in texts.values():
                list(string.Formatter().parse(text))


def test_an_unknown_code_is_refused_in_the_command_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh-CN", "checks", str(example_root()), "--ignore", "XYZ123"]) == 2
    err = capsys.readouterr().err
    assert "未知的检查代码 ['XYZ123']；允许的代码：SLA001" in err
