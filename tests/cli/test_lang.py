"""The CLI in Chinese: ``--lang`` and the selection's locale choose the language, and a zh-CN run of the
shipped example leaves no English interface word, only data (names and ids from the files), acronyms
and numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crmselect import load_project
from crmselect.checks.partner_rules import HOST_TERMS
from crmselect.cli.app import main
from crmselect.model.project import Project
from tests.testdata import copy_example

ACRONYMS = {"TCO", "SLA", "NPV", "ROI", "AHP", "SMAA", "CRM", "ID", "USD", "CNY", "SaaS", "KPI"}
# what the CLI prints as commands and placeholders to type, and the selection's own setting values
CODE = re.compile(r"`[^`]*`|crmselect(?: (?:--?[a-z-]+|[A-Z_]+|[a-z-]+|\.\.\.))+|[\w./-]+\.(?:yaml|jsonl|xlsx)")
WORD = re.compile(r"[A-Za-z][A-Za-z'_-]*[A-Za-z]")
# what the Chinese of the check texts keeps as written (crmselect/checks/rules.yaml): acronyms, report and
# standard names, and the vendors whose published terms a lever cites
CHECK_TERMS = re.compile(r"SOC 2 Type II?|ISO 27001|HubSpot Premium|Salesforce|Dynamics|Zoho|RPO|RTO|CPI|API|AI|sev1")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example, locked by a member so that the log has entries to show."""
    root = copy_example(tmp_path_factory.mktemp("lang") / "example")
    member = load_project(root).committee.member_ids[0]
    assert main(["--member", member, "lock", str(root), "--why", "all demos scored"]) == 0
    return root


def data_texts(project: Project) -> list[str]:
    """Every text printed as data: names, ids and reasons from the selection's files, longest first.

    Not the check findings' titles, explanations and levers: they are interface text, in zh-CN here
    (``crmselect/checks/rules.yaml``), held to it like every other word.
    """
    from crmselect.record.log import DecisionLog

    texts: set[str] = {str(project.root), project.selection.name}
    if project.settings is not None:
        texts |= {project.settings.company, project.settings.price_method, project.settings.locale}
    for bid in project.bids:
        texts |= {bid.id, bid.label, bid.vendor.id, bid.vendor.name, str(bid.offer.deployment.value)}
        texts |= {answer.third_party_product for answer in bid.answers.values()}  # product names (CTR029)
        texts |= {party.name for _role, party in bid.offer.partners.parties()}  # partners' names (PTR...)
    texts |= set(HOST_TERMS)  # the SLA fields a host weakens, as the vendor file names them (PTR006)
    for goal in project.selection.goals:
        texts |= {goal.id, goal.name}
    for criterion in project.criteria:
        texts |= {criterion.id, criterion.name}
    texts |= {rule.reason for rule in project.selection.must_haves}
    for member in project.committee.members:
        texts |= {member.id, member.name}
    texts |= {scenario.id for scenario in project.committee.scenarios}
    for view in project.selection.stakeholder_views:
        texts |= {view.id, view.name}
    for override in project.committee.overrides:
        texts |= {override.reason, override.by}
    for entry in DecisionLog.for_project(project).entries():
        what = json.dumps(entry.what, ensure_ascii=False, sort_keys=True)
        texts |= {entry.who, entry.why, what if len(what) <= 100 else what[:97] + "..."}
    return sorted((t for t in texts if t), key=len, reverse=True)


def english_words(text: str, project: Project) -> set[str]:
    for data in data_texts(project):
        text = text.replace(data, " ")
    text = CODE.sub(" ", text)
    text = re.sub(r"\b[0-9a-f]{12,}\b", " ", text)  # digests
    text = re.sub(r"\b(?:SLA|CTR|PTR)\d{3}\b", " ", text)  # check codes
    text = CHECK_TERMS.sub(" ", text)
    return {w for w in WORD.findall(text) if w not in ACRONYMS}


@pytest.mark.parametrize("command", [["validate"], ["rank"], ["checks"], ["tco"], ["log"], ["sensitivity",
                                                                                          "--samples", "200"]])
def test_a_zh_cn_run_of_the_example_has_no_english_interface_word(
    example: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "zh-CN", command[0], str(example), *command[1:]]) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert english_words(text, load_project(example)) == set(), text


def test_a_zh_cn_checks_run_prints_the_check_texts_in_chinese(example: Path, capsys: pytest.CaptureFixture[str]
                                                                ) -> None:
    from crmselect.checks.report import check_project

    assert main(["--lang", "zh-CN", "checks", str(example)]) == 0
    out = capsys.readouterr().out
    report = check_project(load_project(example))
    findings = [f for b in report.bids for f in b.findings]
    assert len(findings) > 20
    for finding in findings:
        chinese, english = finding.in_("zh-CN"), finding.in_("en")
        assert f"{finding.code} {chinese.title}：{chinese.explanation}" in out
        assert f"{finding.code}：{chinese.lever}" in out
        for text in (english.title, english.explanation, english.lever):
            assert text not in out
        assert re.search(r"[\u4e00-\u9fff]", chinese.title + chinese.explanation + chinese.lever)


def test_the_selection_locale_is_the_default_and_lang_overrides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "example")
    settings = root / "selection.yaml"
    settings.write_text(re.sub(r"(?m)^locale: en\b", "locale: zh-CN", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    assert main(["validate", str(root)]) == 0
    assert "未发现问题" in capsys.readouterr().out
    assert main(["--lang", "en", "validate", str(root)]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_load_errors_speak_the_selection_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "example")
    settings = root / "selection.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^locale: en\b", "locale: zh-CN", text)
    settings.write_text(re.sub(r"(?m)^horizon_years: \d+", "horizon_years: 40", text), encoding="utf-8")
    assert main(["validate", str(root)]) == 2
    err = capsys.readouterr().err
    assert "selection.yaml 第" in err and "horizon_years：输入应小于或等于 10（允许：<= 10；实际：40）" in err
    assert main(["--lang", "en", "validate", str(root)]) == 2
    assert "horizon_years: Input should be less than or equal to 10 (allowed: <= 10; received: 40)" in \
        capsys.readouterr().err


def test_init_speaks_lang_and_says_the_selection_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh-CN", "init", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "已在" in out and "选型语言：zh-CN（取自 --lang）" in out
    assert "locale: zh-CN" in (tmp_path / "new" / "selection.yaml").read_text(encoding="utf-8")
    assert main(["init", str(tmp_path / "other"), "--locale", "zh-CN"]) == 0
    out = capsys.readouterr().out
    assert "created a new selection" in out, "init has no selection to take a language from: English"
    assert "language of the selection: zh-CN (as asked with --locale)" in out
    assert "locale: zh-CN" in (tmp_path / "other" / "selection.yaml").read_text(encoding="utf-8")


def test_help_speaks_lang(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh-CN", "--help"])
    assert "按业务目标选择 CRM 供应商" in capsys.readouterr().out


def test_a_command_line_error_is_in_the_command_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "example")
    assert main(["--lang", "zh-CN", "lock", str(root), "--why", "x"]) == 2
    err = capsys.readouterr().err
    assert "命令行：--member：lock 会连同执行人一起记入决策日志" in err
