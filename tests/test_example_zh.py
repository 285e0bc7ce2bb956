"""The shipped Chinese example (``crmselect init DIR --example zh``): China's rules fire on its offers as
docs/EXAMPLE_ZH.md says, the committee's ignored code changes nothing anywhere, and the example runs end to end
(validate, rank, tco, checks, sensitivity, negotiate; the scorecard workbook, the questionnaire and score-sheet
round trips, the decision paper) with no English interface word on any surface.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from systemtools import require
from testdata import replace_in, reveal_prices

from crmselect import InputError, load_project
from crmselect.checks.report import CODES, check_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.excel.questionnaire import export_questionnaire
from crmselect.excel.questionnaire_import import import_answers, read_answers
from crmselect.excel.scorecard import export_scorecard
from crmselect.excel.scoresheet import export_scoresheets
from crmselect.excel.scoresheet_import import import_scores
from crmselect.files.init import examples, init_selection
from crmselect.model.project import Project
from crmselect.model.settings import known_check_codes
from crmselect.report import build_report
from tests.cli.test_lang import CHECK_TERMS, data_texts

#: China's rules on each offer of the example, as docs/EXAMPLE_ZH.md documents them
CHINA_FINDINGS = {
    "yunque-saas": {"CN006"},  # domestic OS, database and middleware, but x86 chips
    "lanhai-saas": {"CN001", "CN002", "CN003", "CN004", "CN005", "CN006"},  # Singapore-hosted, SOC 2 only
    "songbai-onprem": set(),  # full domestic stack on our premises
    "jinghang-hosted": {"CN001", "CN006"},  # the host is MLPS level 2; only the database is domestic
    "qiyun-saas": {"CN004", "CN006"},  # recovery copies in Hong Kong under a filed standard contract
    "qiyun-onprem": {"CN006"},  # no domestic middleware
}
IGNORED = "CTR016"  # the committee's ignored code (selection.yaml): maintenance from signature on songbai-onprem
ACRONYMS = {"TCO", "SLA", "NPV", "ROI", "AHP", "SMAA", "CRM", "ID", "KPI", "ERP", "CNY", "SaaS", "ICP", "RPO",
            "RTO", "API", "SOC", "ISO", "CSV", "SQL", "XLSX", "SIEM", "NDA", "DPA", "GDPR", "P50", "P80", "P90",
            "P10", "UTC", "SHA", "IT", "PDF", "DBA", "FTE", "Kendall's"}
#: names of tools and formats, written as they are in Chinese too (the About sheet and the paper's integrity notes)
TOOL_NAMES = {"crmselect", "openpyxl", "Python", "yaml", "jsonl", "sha256sum", "typst", "sum", "sha"}
WORD = re.compile(r"[A-Za-z][A-Za-z'_-]*[A-Za-z]")


@pytest.fixture(scope="module")
def zh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_selection(tmp_path_factory.mktemp("zh") / "example_zh", example="zh").folder


@pytest.fixture(scope="module")
def revealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reveal_prices(init_selection(tmp_path_factory.mktemp("zh_revealed") / "example_zh", example="zh").folder)


def english_left(text: str, project: Project) -> set[str]:
    """English words in ``text`` once the selection's own data, identifiers, codes and acronyms are taken out."""
    criterion_names = [c.name.in_(language) for c in project.criteria for language in ("zh-CN", "en")]
    for data in sorted([*data_texts(project), *(c.id for c in project.criteria), *criterion_names], key=len,
                       reverse=True):  # catalogue names cite products and standards as written (iOS, LDAP, SOW)
        text = text.replace(data, " ")
    text = re.sub(r"`[^`]*`|crmselect(?: (?:--?[a-z-]+|[A-Z_]+|[a-z-]+))+|[\w./-]+\.(?:yaml|jsonl|xlsx|pdf)", " ",
                  text)
    text = re.sub(r"\b(?:SLA|CTR|PTR|CN)\d{3}\b|\b[0-9a-f]{12,}\b|jurisdiction: cn", " ", text)
    text = CHECK_TERMS.sub(" ", text)  # names the check texts cite as written (Salesforce, Zoho ...)
    text = re.sub(r"\b(?:soc2_type[12]|iso270(?:01|17|18)|mlps[234])\b", " ", text)  # certifications, as written
    text = re.sub(r"\S*[_/=][^\s，。：；、（）]*", " ", text)  # identifiers: offer.sla.rpo_hours, paths
    return {w for w in WORD.findall(text) if w not in ACRONYMS | TOOL_NAMES}


# ------------------------------------------------------------------ the example and its settings
def test_the_chinese_example_is_shipped_and_says_what_it_is(zh: Path) -> None:
    assert "zh" in examples() and "en" in examples()
    project = load_project(zh)
    settings = project.settings
    assert settings is not None
    assert (settings.locale, settings.currency, settings.jurisdiction, settings.require_domestic_stack) == (
        "zh-CN", "CNY", "cn", True)
    assert settings.ignored_codes == (IGNORED,) and "框架协议" in settings.ignore_reasons[IGNORED]
    deployments = {bid.offer.deployment.value for bid in project.bids}
    assert deployments == {"saas", "on_premise", "hosted"} and len(project.vendors) == 5
    assert all(re.search(r"[\u4e00-\u9fff]", goal.name) for goal in project.selection.goals)
    assert all(re.search(r"[\u4e00-\u9fff]", m.name) for m in project.committee.members)


def test_the_model_knows_every_check_code_from_the_rule_book() -> None:
    assert known_check_codes() == CODES


# ------------------------------------------------------------------ China's rules, as documented
def test_chinas_rules_fire_on_the_example_as_documented(zh: Path) -> None:
    report = check_project(load_project(zh))
    found = {b.bid: {f.code for f in b.findings if f.code.startswith("CN")} for b in report.bids}
    assert found == CHINA_FINDINGS
    every = {f.code for b in report.bids for f in b.findings}
    assert not {"SLA018", "SLA019"} & every  # SOC 2 and ISO 27001 are not China's rules
    doc = (Path(__file__).resolve().parents[1] / "docs" / "EXAMPLE_ZH.md").read_text(encoding="utf-8")
    for bid, codes in CHINA_FINDINGS.items():
        line = next(line for line in doc.splitlines() if line.startswith(f"- `{bid}`:"))
        assert set(re.findall(r"CN\d{3}", line)) == codes, line


def test_the_same_bids_under_international_rules_get_soc2_and_no_china_rule(zh: Path, tmp_path: Path) -> None:
    folder = init_selection(tmp_path / "intl", example="zh", jurisdiction="international",
                            require_domestic_stack=False).folder
    report = check_project(load_project(folder))
    every = {f.code for b in report.bids for f in b.findings}
    assert "SLA018" in every and not any(code.startswith("CN") for code in every)


# ------------------------------------------------------------------ ignored codes change nothing anywhere
def _without_ignore(zh: Path, tmp_path: Path) -> Path:
    folder = init_selection(tmp_path / "no_ignore", example="zh").folder
    text = (folder / "selection.yaml").read_text(encoding="utf-8")
    (folder / "selection.yaml").write_text(text.split("ignore:")[0], encoding="utf-8")
    return folder


def test_an_ignored_code_changes_nothing_anywhere(zh: Path, tmp_path: Path) -> None:
    ignoring = load_project(zh)
    plain = load_project(_without_ignore(zh, tmp_path))
    assert plain.settings is not None and plain.settings.ignore == ()
    fires = [b.bid for b in check_project(plain).bids if any(f.code == IGNORED for f in b.findings)]
    assert fires == ["songbai-onprem"]
    # the same selection with the term fixed (no finding to ignore) scores exactly as the one that ignores it
    vendor = plain.vendor("songbai")
    offer = vendor.offers[0]
    fixed_offer = offer.model_copy(update={"contract": offer.contract.model_copy(
        update={"maintenance_starts_at_go_live": True})})
    fixed_vendor = vendor.model_copy(update={"offers": (fixed_offer,)})
    fixed = dataclasses.replace(plain, vendors=tuple(fixed_vendor if v.id == "songbai" else v for v in plain.vendors))
    with_ignore, with_fix, without = evaluate(ignoring), evaluate(fixed), evaluate(plain)
    assert with_ignore.checks.scores() == with_fix.checks.scores() != without.checks.scores()
    assert with_ignore.scorecard.totals.tolist() == with_fix.scorecard.totals.tolist()
    assert with_ignore.scorecard.totals.tolist() != without.scorecard.totals.tolist()
    assert IGNORED not in set(with_ignore.checks.frame()["code"]) and IGNORED in with_ignore.checks.ignored
    assert with_ignore.checks.reasons[IGNORED] == ignoring.settings.ignore_reasons[IGNORED]  # type: ignore[union-attr]
    # the workbook and the paper hold no trace of its finding
    explanation = next(f for b in without.checks.bids for f in b.findings if f.code == IGNORED).in_("zh-CN")
    book = export_scorecard(ignoring, tmp_path / "scorecard.xlsx", smaa_samples=200).path
    cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows()
                     for c in row if isinstance(c.value, str))
    assert explanation.explanation not in cells and explanation.lever not in cells
    paper = build_report(ignoring, "html").decode("utf-8")
    assert explanation.explanation not in paper and explanation.lever not in paper


def test_the_command_line_ignore_adds_to_the_selections_and_says_why(zh: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", str(zh), "--ignore", "CN006"]) == 0
    out = capsys.readouterr().out
    assert "CTR016, CN006" in out or "CN006, CTR016" in out
    assert "框架协议" in out and "适用中国的规则" in out
    assert not re.search(r"\bCN006 未采用信创技术栈：公司要求", out)


@pytest.mark.parametrize(("old", "new", "field", "allowed"), [
    ("  - code: CTR016", "  - code: CTR999", "ignore[0].code", "CN006"),
    ("jurisdiction: cn", "jurisdiction: prc", "jurisdiction", "international"),
])
def test_a_bad_setting_is_an_error_naming_file_field_line_and_allowed(tmp_path: Path, old: str, new: str,
                                                                       field: str, allowed: str) -> None:
    folder = init_selection(tmp_path / "bad", example="zh").folder
    replace_in(folder / "selection.yaml", old, new)
    with pytest.raises(InputError) as caught:
        load_project(folder)
    issue = next(i for i in caught.value.issues if i.field == field)
    lines = (folder / "selection.yaml").read_text(encoding="utf-8").splitlines()
    assert issue.file.endswith("selection.yaml") and issue.line is not None
    assert new.split(":")[-1].strip() in lines[issue.line - 1]
    assert allowed in str(issue.allowed) and new.split(":")[-1].strip() in str(issue.received)


# ------------------------------------------------------------------ end to end, in Chinese only
@pytest.mark.parametrize("command", [
    ["validate"],
    ["rank"],
    ["checks"],
    ["tco"],
    ["negotiate"],
    ["sensitivity", "--samples", "200"],
])
def test_every_command_runs_in_chinese_only(revealed: Path, command: list[str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command[0], str(revealed), *command[1:]]) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_left(text, load_project(revealed)) == set(), text


def test_the_scorecard_workbook_is_in_chinese_only(revealed: Path, tmp_path: Path) -> None:
    project = load_project(revealed)
    assert main(["scorecard", str(revealed), "--out", str(tmp_path / "scorecard.xlsx")]) == 0  # as the committee does
    book = openpyxl.load_workbook(tmp_path / "scorecard.xlsx")
    found: dict[str, set[str]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("=") and not _is_json(cell.value):
                    left = english_left(cell.value, project)
                    if left:
                        found.setdefault(f"{ws.title}!{cell.coordinate}", left)
    assert found == {}


def _is_json(text: str) -> bool:
    """A decision-log record as written (its keys are the record's, not interface words)."""
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def test_questionnaires_round_trip_every_chinese_bid(zh: Path, tmp_path: Path) -> None:
    project = load_project(init_selection(tmp_path / "q", example="zh").folder)
    for vendor in project.vendors:
        target = project.root / "vendors" / f"{vendor.id}.yaml"
        before = target.read_text(encoding="utf-8")
        path = export_questionnaire(project, vendor.id, tmp_path / f"q_{vendor.id}.xlsx")
        got = read_answers(path, project)
        assert got.bid.offers == vendor.offers  # the China facts too: data location, ICP filing, domestic stack
        result = import_answers(path, project, force=True)
        assert result.unchanged
        assert target.read_text(encoding="utf-8") == before


def test_score_sheets_round_trip(tmp_path: Path) -> None:
    project = load_project(init_selection(tmp_path / "s", example="zh").folder)
    paths = export_scoresheets(project, tmp_path / "sheets")
    before = (project.root / "vendors" / "committee.yaml").read_text(encoding="utf-8")
    result = import_scores(paths, project, force=True)
    assert result.unchanged and result.changed == () and result.added == ()
    assert (project.root / "vendors" / "committee.yaml").read_text(encoding="utf-8") == before


def test_the_decision_paper_is_in_chinese_only(revealed: Path, tmp_path: Path) -> None:
    project = load_project(revealed)
    pdf = tmp_path / "paper.pdf"
    build_report(project, pdf)
    text = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "松柏企业CRM" in text and re.search(r"[\u4e00-\u9fff]{20}", text)
    assert english_left(text, project) == set()
